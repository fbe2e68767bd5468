"""Which question a message asks, once the conversation so far is taken into account.

"and for kids?", "what about saturday?", "how long does it take?", "¿y los domingos?" mean
nothing alone: they lean on the subject of the previous question. A message that looks like
such a follow-up is read together with that subject; a message that asks something whole
starts a new subject.
"""

from __future__ import annotations

import re

from frontdesk.knowledge.terms import content_terms

_CUE = re.compile(
    r"^\s*(?:and|also|plus|what about|how about|what if|same for|ok and|okay and|so|"
    r"y|e|también|tambien|qué tal|que tal|y si|y para|y en|y los|y las|y el|y la)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(
    r"\b(?:it|that|this|those|them|they|one|ones|eso|esto|ese|esa|lo|la|los|las)\b", re.I
)
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_FRAGMENT_WORDS = 4
MAX_PRONOUN_WORDS = 8


def is_follow_up(text: str) -> bool:
    words = _WORD.findall(text)
    if not words:
        return False
    if _CUE.match(text) and len(words) <= MAX_PRONOUN_WORDS:
        return True
    if len(words) <= MAX_PRONOUN_WORDS and _PRONOUN.search(text):
        return True
    if len(words) <= MAX_FRAGMENT_WORDS and not content_terms(text):
        return True  # "how much?", "when?", "¿cuánto?": nothing of its own to ask about
    return len(words) <= MAX_FRAGMENT_WORDS and text.strip().endswith("?")


def question_in_context(text: str, subject: str) -> tuple[str, str]:
    """The question to search for, and the earlier subject it follows (or "")."""
    if subject and is_follow_up(text):
        return f"{subject} {text}", subject
    return text, ""


def starts_as_follow_up(text: str) -> bool:
    """ "and ...?", "y ...?", "what about ...?": leans on the subject whatever its words."""
    return bool(_CUE.match(text)) and len(_WORD.findall(text)) <= MAX_PRONOUN_WORDS
