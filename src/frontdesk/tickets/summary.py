"""The ticket's summary for staff, from the customer's own words: what happened, what they
want, what they already tried, and the files they sent. Sentences are quoted, never
paraphrased: staff should read what the customer said, not a guess at it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

MAX_FIELD = 1000
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_TRIED = re.compile(
    r"\b(?:tried|try(?:ing)?|restart\w*|reboot\w*|reinstall\w*|clear(?:ed)?\s+(?:the\s+)?"
    r"(?:cache|cookies)|reset\w*|already|different\s+(?:browser|phone|device|card)|"
    r"updated|logged\s+out|turned\s+it\s+off|intent[eé]|reinici\w*|ya\s+)\b",
    re.I,
)
_WANTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:refund\w*|money\s+back|reembolso|devoluci[oó]n)\b", re.I), "a refund"),
    (
        re.compile(r"\b(?:call\s+me|call\s+back|callback|ring\s+me|ll[aá]m\w*)\b", re.I),
        "a call back",
    ),
    (re.compile(r"\b(?:cancel\w*|cancelar)\b", re.I), "to cancel"),
    (re.compile(r"\b(?:manager|apolog\w*|disculpa)\b", re.I), "an apology or the manager"),
    (re.compile(r"\b(?:invoice|receipt|factura)\b", re.I), "a corrected invoice or receipt"),
    (re.compile(r"\b(?:add|offer|would\s+be\s+nice|should)\b", re.I), "the idea considered"),
)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_FIELD else text[: MAX_FIELD - 1] + "…"


def wants(texts: Sequence[str]) -> str:
    joined = " ".join(texts)
    for pattern, want in _WANTS:
        if pattern.search(joined):
            return want
    return "the problem fixed"


def tried(texts: Sequence[str]) -> str:
    found = [
        sentence.strip()
        for text in texts
        for sentence in _SENTENCES.split(text)
        if sentence.strip() and _TRIED.search(sentence)
    ]
    return _clip(" ".join(found))


def summarize(
    texts: Sequence[str], attachments: Sequence[str] = (), given: dict[str, str] | None = None
) -> dict[str, Any]:
    """``texts``: the customer's messages about the problem, oldest first. ``given``: what an
    engine wrote itself (an LLM's own summary), which wins over the quotes."""
    given = {k: v for k, v in (given or {}).items() if v and v.strip()}
    return {
        "what_happened": _clip(given.get("what_happened") or " ".join(texts)),
        "customer_wants": _clip(given.get("customer_wants") or wants(texts)),
        "tried": _clip(given.get("tried") or tried(texts)),
        "attachments": list(attachments),
    }


def subject_of(text: str) -> str:
    first = _SENTENCES.split(" ".join(text.split()))[0] if text.strip() else ""
    return first if len(first) <= 120 else first[:119] + "…"
