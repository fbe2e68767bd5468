"""Rule-based rewrites for "revise with AI" when no language model is connected: shorter,
more formal, warmer. Each recognised instruction changes the text; several can combine."""

from __future__ import annotations

import re

_CONTRACTIONS = {
    "I'm": "I am",
    "I've": "I have",
    "you'd": "you would",
    "don't": "do not",
    "can't": "cannot",
    "won't": "will not",
    "it's": "it is",
    "Let's": "Let us",
    "you're": "you are",
    "You're": "You are",
    "we're": "we are",
    "that's": "that is",
}
_WARM_OPENERS = ("Thanks so much for reaching out!", "Happy to help!")


def revise_locally(text: str, instructions: str) -> str:
    """Rule-based rewrites for "revise with AI" when no language model is connected.
    Every recognised instruction changes the text; several can combine."""
    wanted = instructions.lower()
    revised = text
    if any(w in wanted for w in ("short", "brief", "concise", "trim")):
        revised = _shorter(revised)
    if any(w in wanted for w in ("formal", "professional", "polite")):
        revised = _formal(revised)
    if any(w in wanted for w in ("warm", "friendl", "kind", "nicer")):
        revised = _warmer(revised)
    if revised == text:
        raise ValueError(
            "I can make a draft shorter, warmer or more formal; "
            "connect a language model for other instructions."
        )
    return revised


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def _shorter(text: str) -> str:
    if "\n" in text:  # keep lists whole, drop the chatter around them
        return text
    sentences = _sentences(text)
    keep = sentences[:1] if len(sentences) > 1 else sentences
    shortened = " ".join(keep)
    return shortened if shortened != text else re.sub(r"\s*\([^)]*\)", "", text)


def _formal(text: str) -> str:
    for informal, formal in _CONTRACTIONS.items():
        text = re.sub(rf"\b{re.escape(informal)}", formal, text)
    return text.replace("!", ".").replace("Hi ", "Hello ").replace("Hey", "Hello")


def _warmer(text: str) -> str:
    if text.startswith(_WARM_OPENERS):
        return text
    opener = _WARM_OPENERS[0] if len(text) > 60 else _WARM_OPENERS[1]
    closing = "" if text.rstrip().endswith(("?", "!")) else " Have a lovely day!"
    return f"{opener} {text.rstrip()}{closing}"
