"""Triage: a ticket's category and priority from what the assistant understood of the
customer's words (intent, sentiment, urgency cues) and the words themselves.

The category starts from the intent the classifier gave; the wording overrides it where the
classifier's classes are coarser than a ticket's (a complaint about a double charge is a
billing matter; "it'd be nice if..." is a feature request whatever the intent said).

The priority is read from five kinds of signal, each named in ``reasons`` so staff see why:

- ``angry``: strongly negative sentiment, or words of anger;
- ``blocked``: the customer cannot do what they came for (cannot log in, cannot pay, the
  site is down);
- ``pressing``: they say it is urgent, an emergency, or needed by a deadline;
- ``money_lost``: money taken that should not have been (charged twice, a refund owed);
- ``repeated``: they have written before, or it is still not fixed.

An emergency, or two kinds of signal together, is urgent; one is high; a problem with none
is medium; a question, an idea, or a mild remark is low.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

INTENT_CATEGORIES = {
    "billing_issue": "billing_payment",
    "payment_proof": "billing_payment",
    "technical_issue": "technical",
    "account_issue": "account",
    "complaint": "complaint",
    "feature_request": "feature_request",
}
# Intents that say the customer has a problem (the others are questions or requests).
PROBLEM_INTENTS = frozenset({"billing_issue", "technical_issue", "account_issue", "complaint"})

_MONEY = re.compile(
    r"\b(?:charg\w*|overcharg\w*|refund\w*|bill(?:ed|ing)?|invoice\w*|receipt|payments?|"
    r"paid|pay|deposit|debit\w*|surcharge|fee|money|card|subscription|renew\w*|"
    r"cobr\w*|reembolso|factura|pago|tarjeta|dinero)\b",
    re.I,
)
_MONEY_LOST = re.compile(
    r"\b(?:charged\s+(?:me\s+)?(?:twice|double|two\s+times|again)|double[-\s]?charged|"
    r"overcharg\w*|over-?billed|billed\s+(?:me\s+)?(?:twice|for\s+(?:something|parts|"
    r"someone|a\s+no-show))|"
    r"(?:still\s+)?(?:waiting\s+(?:on|for)\s+(?:my\s+)?|owe\s+me\s+(?:a\s+)?|no\s+|never\s+(?:got|"
    r"received)\s+(?:my\s+|a\s+|the\s+)?)refund|refund\s+(?:never|hasn'?t|has\s+not|didn'?t)|"
    r"money\s+(?:left|taken|gone|was\s+taken|disappeared)|took\s+the\s+full\s+amount|"
    r"(?:wasn'?t|not|never)\s+refunded|charged\s+\W?\d|by\s+mistake|shouldn'?t\s+have\s+been|"
    r"instead\s+of|cobrado\s+dos\s+veces|cobro\s+doble)\b",
    re.I,
)
_BLOCKED = re.compile(
    r"\b(?:can'?t|cannot|can\s+not|unable\s+to|not\s+able\s+to)\s+(?:\w+\s+){0,2}?"
    r"(?:log\s*in|login|sign\s*in|access|pay|book|open|use|get\s+in|check\s*(?:in|out)|"
    r"unlock|submit|work|reach|download|see)\b|"
    # "won't let me ..." is blocked whatever comes next
    r"\b(?:won'?t|doesn'?t|will\s+not|does\s+not)\s+let\s+me\b|"
    r"\blocked\s+out\b|\b(?:is|are|site|website|app|system|everything)(?:'s)?\s+(?:\w+\s+)?down\b|"
    r"\bnot\s+working\s+at\s+all\b|\bnothing\s+works\b|\bstuck\b|\bcompletely\s+broken\b|"
    r"\bno\s+puedo\s+(?:entrar|acceder|pagar|iniciar)\b",
    re.I,
)
_ANGER = re.compile(
    r"\b(?:unacceptable|ridiculous|disgrace\w*|outrag\w*|furious|appalling|disgusting|"
    r"scam|joke|worst|useless|pathetic|fed\s+up|sick\s+of|shocking|rude|"
    r"inaceptable|vergüenza|harto)\b|!!|\b[A-Z]{5,}\b",
)
_URGENT_CUES = frozenset({"urgent", "asap", "emergency", "deadline"})
_REPEAT_CUES = frozenset({"repeated_complaint", "still_not_fixed", "no_reply", "repeat_contact"})
STRONGLY_NEGATIVE = -0.6
NEGATIVE = -0.05
_HOW_TO = re.compile(
    r"^\W*(?:hi\W+|hello\W+)?(?:how\s+(?:do|can|would)\s+i|where\s+(?:do|can)\s+i|can\s+i|"
    r"is\s+(?:it|there)\s+(?:possible|a\s+way)|what(?:'s|\s+is)\s+the\s+(?:best\s+)?way|"
    r"do\s+you|¿?cómo\s+(?:puedo|hago))\b",
    re.I,
)

_CATEGORY_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "feature_request",
        re.compile(
            r"\b(?:it'?d\s+be\s+(?:nice|great|cool|good)|would\s+(?:be\s+)?(?:love|nice|great|"
            r"cool)|you\s+should\s+(?:add|offer|do|have|start|let)|please\s+add|"
            r"(?:idea|suggestion)\s*(?:for\s+you)?:|suggest\s+(?:you|that)|feature\s+request|"
            r"could\s+you\s+(?:add|start\s+offering))\b",
            re.I,
        ),
    ),
    (
        "account",
        re.compile(
            r"\b(?:log\s*in|login|log\s+me\s+out|sign\s*in|signed\s+up|password|username|"
            r"account|profile|locked\s+out|verification|2fa|activation|contraseña|cuenta)\b",
            re.I,
        ),
    ),
    (
        "technical",
        re.compile(
            r"\b(?:app|website|site|page|link|error|crash\w*|bug|freez\w*|load\w*|button|"
            r"form|portal|wifi|qr\s+code|browser|upload|download|broken\s+file|times?\s+out|"
            r"página|enlace|aplicación)\b",
            re.I,
        ),
    ),
)


@dataclass(frozen=True)
class Triage:
    category: str
    priority: str
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"category": self.category, "priority": self.priority, "reasons": self.reasons}


def categorize(intent: str, text: str) -> str:
    money = bool(_MONEY.search(text))
    if intent in ("billing_issue", "payment_proof") or (money and _MONEY_LOST.search(text)):
        return "billing_payment"
    for category, words in _CATEGORY_WORDS:
        if category == "feature_request" and words.search(text):
            return category
    from_intent = INTENT_CATEGORIES.get(intent)
    if from_intent in ("technical", "account", "complaint"):
        if from_intent != "complaint" or not money:
            return from_intent
        return "billing_payment"  # "you billed me for parts you didn't replace"
    if from_intent:
        return from_intent
    if money:
        return "billing_payment"
    for category, words in _CATEGORY_WORDS[1:]:
        if words.search(text):
            return category
    return "general_inquiry"


def signals(text: str, compound: float, urgency: Iterable[str]) -> list[str]:
    cues = set(urgency)
    found = []
    if compound <= STRONGLY_NEGATIVE or _ANGER.search(text):
        found.append("angry")
    if cues & _URGENT_CUES:
        found.append("pressing")
    if _BLOCKED.search(text):
        found.append("blocked")
    if _MONEY.search(text) and _MONEY_LOST.search(text):
        found.append("money_lost")
    if cues & _REPEAT_CUES:
        found.append("repeated")
    return found


def prioritize(category: str, text: str, compound: float, urgency: Iterable[str]) -> Triage:
    cues = list(urgency)
    reasons = signals(text, compound, cues)
    if "emergency" in cues or len(reasons) >= 2:
        priority = "urgent"
    elif reasons:
        priority = "high"
    elif category in ("feature_request", "general_inquiry") or (
        _HOW_TO.search(text) and compound > NEGATIVE and category != "complaint"
    ):
        # An idea, or a how-to question with nothing at stake ("how do I change my
        # username?"), waits longest; a reported fault or a complaint does not.
        priority = "low"
    else:
        priority = "medium"
    if category == "feature_request" and priority in ("urgent", "high") and "angry" not in reasons:
        priority = "medium"  # an eager idea is no outage
    return Triage(category, priority, reasons)


def triage(intent: str, text: str, compound: float = 0.0, urgency: Iterable[str] = ()) -> Triage:
    """Category and priority of a problem the customer described in ``text``."""
    return prioritize(categorize(intent, text), text, compound, urgency)


def from_meta(text: str, meta: dict[str, object]) -> Triage:
    """Triage from a stored message's meta (what ``nlu.understand`` found)."""
    sentiment = meta.get("sentiment")
    compound = float(sentiment.get("compound", 0.0)) if isinstance(sentiment, dict) else 0.0
    urgency = meta.get("urgency")
    cues = [str(c) for c in urgency] if isinstance(urgency, list) else []
    return triage(str(meta.get("intent") or ""), text, compound, cues)


PRIORITY_ORDER = {name: rank for rank, name in enumerate(("urgent", "high", "medium", "low"))}


def more_pressing(a: str, b: str) -> str:
    return a if PRIORITY_ORDER.get(a, 9) <= PRIORITY_ORDER.get(b, 9) else b
