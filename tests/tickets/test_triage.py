"""Triage on varied wordings, by class of message rather than by example: angry customers,
urgent or blocked ones, money lost, and mild questions or ideas. The texts go through the
real NLU (sentiment and urgency cues) as the chat does; the intent is the classifier's class
for such a message."""

from __future__ import annotations

import pytest

from frontdesk.nlu.sentiment import analyze_sentiment, urgency_cues
from frontdesk.tickets.triage import triage


def _triage(intent: str, text: str) -> tuple[str, str]:
    sentiment = analyze_sentiment(text)
    found = triage(intent, text, sentiment.compound, urgency_cues(text, sentiment=sentiment))
    return found.category, found.priority


ANGRY = [
    ("complaint", "your receptionist was so rude to me, absolutely unacceptable"),
    ("complaint", "Worst haircut of my life. I'm furious."),
    ("complaint", "honestly shocking service, the cleaner never turned up"),
]
BLOCKED_AND_PRESSING = [
    ("account_issue", "I can't log in and I need my booking confirmation ASAP"),
    ("technical_issue", "urgent: the app won't let me check in and my class starts in 10 min"),
    ("technical_issue", "emergency!! water is flooding the bathroom after your repair"),
]
MONEY_LOST = [
    ("billing_issue", "I was charged twice for the same appointment"),
    ("complaint", "you took the full amount instead of the deposit"),
    ("billing_issue", "still waiting on my refund from 3 weeks ago"),
    ("technical_issue", "the payment failed but money left my account"),
]
MILD = [
    ("account_issue", "how do i change my username"),
    ("feature_request", "it'd be nice if I could pay by apple pay"),
    ("general_question", "do you have gluten free options?"),
    ("feature_request", "you should add a waiting list for full classes"),
]


@pytest.mark.parametrize(("intent", "text"), ANGRY)
def test_an_angry_customer_is_high_or_urgent(intent: str, text: str) -> None:
    category, priority = _triage(intent, text)
    assert category == "complaint"
    assert priority in ("high", "urgent")


@pytest.mark.parametrize(("intent", "text"), BLOCKED_AND_PRESSING)
def test_blocked_and_pressing_is_urgent(intent: str, text: str) -> None:
    assert _triage(intent, text)[1] == "urgent"


@pytest.mark.parametrize(("intent", "text"), MONEY_LOST)
def test_money_lost_is_a_billing_matter_at_least_high(intent: str, text: str) -> None:
    category, priority = _triage(intent, text)
    assert category == "billing_payment"
    assert priority in ("high", "urgent")


@pytest.mark.parametrize(("intent", "text"), MILD)
def test_a_mild_question_or_idea_is_low(intent: str, text: str) -> None:
    assert _triage(intent, text)[1] == "low"


@pytest.mark.parametrize(
    ("intent", "text", "category"),
    [
        ("technical_issue", "the booking page keeps giving me an error", "technical"),
        ("account_issue", "my loyalty points vanished from my account", "account"),
        ("complaint", "the room was freezing and the bed was dirty", "complaint"),
        ("feature_request", "please add a notes box on the booking form", "feature_request"),
        ("out_of_scope", "my invoice shows the wrong amount", "billing_payment"),
        ("unknown", "I can't reset my password", "account"),
    ],
)
def test_category_from_intent_and_wording(intent: str, text: str, category: str) -> None:
    assert _triage(intent, text)[0] == category


def test_a_plain_fault_is_medium() -> None:
    assert _triage("technical_issue", "the map on your contact page doesn't load") == (
        "technical",
        "medium",
    )


def test_an_eager_idea_is_never_urgent() -> None:
    assert _triage("feature_request", "please add apple pay ASAP!")[1] in ("low", "medium")
