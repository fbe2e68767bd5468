"""Sentiment (real VADER lexicon) and urgency cues."""

from __future__ import annotations

import pytest

from frontdesk.nlu.sentiment import (
    URGENCY_CUES,
    Sentiment,
    analyze_sentiment,
    is_strongly_negative,
    urgency_cues,
)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Thanks so much, great job!", "positive"),
        ("This is the worst service ever, absolutely terrible!", "negative"),
        ("I am not happy", "negative"),
        ("Can I book for Tuesday?", "neutral"),
        ("", "neutral"),
    ],
)
def test_labels(text: str, label: str) -> None:
    assert analyze_sentiment(text).label == label


def test_thresholds_are_vaders() -> None:
    assert analyze_sentiment("Can I book for Tuesday?") == Sentiment("neutral", 0.0)
    good = analyze_sentiment("good")
    assert good.label == "positive" and 0.05 <= good.compound <= 1


def test_strongly_negative_is_for_angry_not_mild() -> None:
    assert is_strongly_negative(
        analyze_sentiment("This is the worst service ever, absolutely terrible!")
    )
    assert not is_strongly_negative(analyze_sentiment("I am a bit disappointed with the haircut"))
    assert is_strongly_negative(Sentiment("negative", -0.6))
    assert not is_strongly_negative(Sentiment("negative", -0.59))


@pytest.mark.parametrize(
    ("text", "cues"),
    [
        ("This is urgent, please call me ASAP", ["urgent", "asap"]),
        ("please come as soon as possible", ["asap"]),
        ("I need someone right away", ["asap"]),
        ("EMERGENCY: burst pipe, the kitchen is flooding", ["emergency"]),
        ("I need it done by Friday", ["deadline"]),
        ("My sink is still not fixed", ["still_not_fixed"]),
        ("It still does not work", ["still_not_fixed"]),
        ("nobody has replied to my email", ["no_reply"]),
        ("This is the third time I have asked", ["repeat_contact", "repeated_complaint"]),
        ("it is broken again", ["repeat_contact", "repeated_complaint"]),
        ("the heater stopped working again", ["repeat_contact", "repeated_complaint"]),
    ],
)
def test_cues(text: str, cues: list[str]) -> None:
    assert urgency_cues(text) == cues


@pytest.mark.parametrize(
    "text",
    [
        "not urgent, whenever you can",
        "It is a non-urgent question",
        "It's not an emergency but my tap drips",
        "can I book again next week?",
        "Thanks again, great job!",
        "hi, my name is Dana Ortiz, dana@example.org, can someone call me back about prices?",
    ],
)
def test_no_cues(text: str) -> None:
    assert urgency_cues(text) == []


def test_repeated_complaint_needs_an_earlier_complaint() -> None:
    angry = "this is terrible, the cut is awful"
    assert urgency_cues(angry) == []
    assert urgency_cues(angry, ["Can I book for Tuesday?"]) == []
    assert urgency_cues(angry, ["Can I book?", "I am very unhappy with my haircut"]) == [
        "repeated_complaint"
    ]


def test_still_broken_after_earlier_messages_is_repeated() -> None:
    assert urgency_cues("It still does not work", ["hello, my heater is broken"]) == [
        "still_not_fixed",
        "repeated_complaint",
    ]


def test_only_recent_history_is_read() -> None:
    history = ["I am very unhappy with my haircut"] + ["ok"] * 5
    assert urgency_cues("this is terrible, the cut is awful", history) == []


def test_given_sentiment_is_used() -> None:
    # A caller that already scored the text passes it on; the cue logic trusts it.
    assert urgency_cues(
        "see you then", ["awful, terrible"], sentiment=Sentiment("negative", -0.9)
    ) == ["repeated_complaint"]


def test_cue_order_is_stable() -> None:
    text = "URGENT!! third time asking, still not fixed, nobody has replied, need it by tomorrow"
    cues = urgency_cues(text)
    assert cues == sorted(cues, key=URGENCY_CUES.index)
    assert set(cues) == {
        "urgent",
        "deadline",
        "still_not_fixed",
        "repeat_contact",
        "no_reply",
        "repeated_complaint",
    }


def test_happy_repeat_visit_is_no_complaint() -> None:
    assert urgency_cues("This is my third time visiting, love it!") == ["repeat_contact"]
