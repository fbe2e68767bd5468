"""Sentiment and urgency of customer messages, for triage and the staff inbox.

Sentiment is VADER: a lexicon and rules tuned on short social-media text, which is what
customer chat looks like; it needs no training data, runs in tens of microseconds and
explains itself. Urgency is a set of named cues (phrases) so staff can see *why* a
conversation was flagged, not just a score.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

__all__ = [
    "NEGATIVE_THRESHOLD",
    "POSITIVE_THRESHOLD",
    "STRONGLY_NEGATIVE_THRESHOLD",
    "URGENCY_CUES",
    "Sentiment",
    "analyze_sentiment",
    "is_strongly_negative",
    "urgency_cues",
]

# VADER's published cut-offs for the compound score (Hutto & Gilbert, 2014).
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05
# "Strongly negative" should mean an angry customer, not a polite problem report. One
# negative word lands around -0.3 to -0.5 ("I am not happy" -0.46, "a bit disappointed
# with the haircut" -0.48); -0.6 needs several negatives or intensifiers ("worst
# service ever, absolutely terrible" -0.83), so only those get escalated.
STRONGLY_NEGATIVE_THRESHOLD = -0.6
# A message counts as a complaint for "repeated_complaint" at this score: below the
# mild-apology range ("I'm sorry, I need to cancel" -0.32 is borderline by design).
COMPLAINT_THRESHOLD = -0.3
# Only the latest few earlier messages are scored: a complaint from long ago says little
# about this one, and it bounds the cost on long conversations.
_HISTORY = 5

Label = Literal["negative", "neutral", "positive"]


@dataclass(frozen=True, slots=True)
class Sentiment:
    label: Label
    compound: float


_analyzer: SentimentIntensityAnalyzer | None = None
_analyzer_lock = threading.Lock()


def _get_analyzer() -> SentimentIntensityAnalyzer:
    """The process-wide analyzer; its lexicon takes ~50 ms to read, so only once."""
    global _analyzer
    if _analyzer is None:
        with _analyzer_lock:
            if _analyzer is None:
                from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

                _analyzer = SentimentIntensityAnalyzer()
    return _analyzer


def analyze_sentiment(text: str) -> Sentiment:
    compound = float(_get_analyzer().polarity_scores(text)["compound"])
    if compound >= POSITIVE_THRESHOLD:
        return Sentiment("positive", compound)
    if compound <= NEGATIVE_THRESHOLD:
        return Sentiment("negative", compound)
    return Sentiment("neutral", compound)


def is_strongly_negative(sentiment: Sentiment) -> bool:
    return sentiment.compound <= STRONGLY_NEGATIVE_THRESHOLD


# ---------------------------------------------------------------- urgency

_NEGATED = r"(?<!\bnot\s)(?<!\bno\s)(?<!\bnon\s)(?<!\bnon-)(?<!\bnot\san\s)(?<!\bnot\sa\s)"
_DONE = r"(?:fixed|working|resolved|sorted|repaired|solved|done|addressed|answered|refunded)"
_CUES: dict[str, re.Pattern[str]] = {
    "urgent": re.compile(rf"(?i){_NEGATED}\b(?:urgent(?:ly)?|urgency)\b(?!\s+at\s+all)"),
    "asap": re.compile(
        r"(?i)\b(?:asap|a\.s\.a\.p|as\s+soon\s+as\s+(?:possible|you\s+can)|right\s+away"
        r"|right\s+now|immediately|straight\s+away|at\s+your\s+earliest)\b"
    ),
    "emergency": re.compile(
        rf"(?i){_NEGATED}\b(?:emergency|emergencies|severe\s+pain|bleeding|burst\s+pipe"
        r"|flood(?:ed|ing)?|gas\s+leak|on\s+fire)\b"
    ),
    "deadline": re.compile(
        r"(?i)\b(?:deadline|time[-\s]sensitive|no\s+later\s+than|end\s+of\s+(?:the\s+)?day"
        r"|eod|running\s+out\s+of\s+time|before\s+it'?s\s+too\s+late"
        r"|(?:need|needs|needed|must|have)\b[^.!?]{0,30}\bby\s+(?:today|tonight|tomorrow|noon"
        r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d{1,2}\s*(?:am|pm)))\b"
    ),
    "still_not_fixed": re.compile(
        r"(?i)\bstill\s+(?:(?:is|are|does|do|did|has|have|was|were|can|will)\s+)?"
        r"(?:not|never|no|nothing|isn'?t|aren'?t|hasn'?t|haven'?t|doesn'?t|don'?t|can'?t"
        r"|cannot|won'?t|didn'?t|broken|waiting|leaking|failing|down)\b"
        rf"|\b(?:not|never|isn'?t|hasn'?t|haven'?t|wasn'?t)\s+(?:been\s+|yet\s+)?{_DONE}\s+yet\b"
    ),
    # Plain "again" is left out: "thanks again" and "can I book again?" are happy messages.
    # It counts when a fault precedes it here, or (below) when the message is negative.
    "repeat_contact": re.compile(
        r"(?i)\b(?:(?:second|third|fourth|fifth|\d+(?:nd|rd|th)|umpteenth|nth)\s+time"
        r"|how\s+many\s+times|(?:several|multiple|many|three|four|five)\s+times"
        r"|yet\s+again|once\s+again|keep\s+(?:having\s+to|asking|calling|telling|chasing)"
        r"|already\s+(?:told|asked|called|emailed|written|wrote|messaged|reported"
        r"|complained|explained)"
        r"|(?:broke|broken|leak\w*|stopped|fail\w*|happen\w*|down|wrong|late|cancel\w*"
        r"|missed|crash\w*|not\s+working|(?:does|did|is)n'?t\s+work\w*)\s+(?:\w+\s+){0,2}again)\b"
    ),
    "no_reply": re.compile(
        r"(?i)\b(?:(?:nobody|no\s+one|no-one)\s+(?:has\s+|have\s+)?(?:replied|responded"
        r"|answered|called\s+(?:me\s+)?back|got\s+back|gotten\s+back|contacted)"
        r"|no\s+(?:reply|response|answer|callback|call\s+back)"
        r"|(?:haven'?t|have\s+not|didn'?t|did\s+not|never)\s+(?:heard|had)\s+back"
        r"|(?:ignoring|ignored)\s+(?:me|my))\b"
    ),
}
_AGAIN = re.compile(r"(?i)\bagain\b")

URGENCY_CUES: tuple[str, ...] = (*_CUES, "repeated_complaint")


def urgency_cues(
    text: str,
    previous_customer_texts: Sequence[str] = (),
    *,
    sentiment: Sentiment | None = None,
) -> list[str]:
    """Names of the urgency cues in ``text``, in ``URGENCY_CUES`` order.

    ``previous_customer_texts`` are the customer's earlier messages in the conversation,
    oldest first; only the last few are read. "repeated_complaint" fires when

    * this message and an earlier one are both complaints (VADER compound <= -0.3), or
    * this message has a "repeat_contact" cue ("third time", "broken again") and is not
      positive or also has an urgency or still-not-fixed cue, or
    * there were earlier messages and this one says it is still not fixed or that
      nobody replied.

    Pass ``sentiment`` when the caller already scored ``text``, to skip scoring it again.
    """
    compound = (sentiment or analyze_sentiment(text)).compound
    found = {name for name, pattern in _CUES.items() if pattern.search(text)}
    if compound <= NEGATIVE_THRESHOLD and _AGAIN.search(text):
        found.add("repeat_contact")
    complaint = compound <= COMPLAINT_THRESHOLD
    # VADER scores "urgent" as positive (+0.8 in its lexicon), so an urgent repeat is a
    # complaint whatever the compound says.
    pressing = bool(found & {"urgent", "asap", "still_not_fixed", "no_reply"})
    if (
        ("repeat_contact" in found and (compound < POSITIVE_THRESHOLD or pressing))
        or (previous_customer_texts and found & {"still_not_fixed", "no_reply"})
        or (
            complaint
            and any(
                analyze_sentiment(earlier).compound <= COMPLAINT_THRESHOLD
                for earlier in previous_customer_texts[-_HISTORY:]
            )
        )
    ):
        found.add("repeated_complaint")
    return [name for name in URGENCY_CUES if name in found]
