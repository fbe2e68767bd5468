"""Turning the policy's decisions into words, in the workspace's language and the persona's
voice.

Every kind of reply (a "move") has several wordings; the voice rotates through them per
conversation so a customer who asks twice does not get the same sentence twice. The
personality then shapes the whole reply: openers for friendly, empathetic and enthusiastic;
the shortest wording and no pleasantries for concise; no contractions or exclamations for
formal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from frontdesk.assistant.dialogue import DialogueState
from frontdesk.assistant.phrasebooks import PHRASEBOOKS, en


@dataclass
class Voice:
    language: str
    personality: str
    state: DialogueState
    facts: dict[str, str] = field(default_factory=dict)  # assistant, role, business, ...

    @property
    def book(self) -> ModuleType:
        return PHRASEBOOKS.get(self.language, en)

    def say(self, move: str, **values: Any) -> str:
        wordings = self.book.MOVES.get(move) or en.MOVES[move]
        concise = getattr(self.book, "CONCISE", {})
        if self.personality == "concise":
            wording = concise.get(move) or min(wordings, key=len)
        else:
            index = (self.state.wording.get(move, -1) + 1) % len(wordings)
            self.state.wording[move] = index
            wording = wordings[index]
        return wording.format_map(_Blank({**self.facts, **values}))

    def compose(self, parts: list[str], mood: str = "positive") -> str:
        """Join the reply's sentences and give them the personality's voice. ``mood`` is
        "positive", "problem" (the customer is unhappy or stuck) or "plain" (no opener)."""
        text = ""
        for part in (p.strip() for p in parts if p and p.strip()):
            # A list (opening hours) ends its paragraph; sentences run on.
            gap = "\n\n" if "\n" in text.split("\n\n")[-1] or "\n" in part else " "
            text = f"{text}{gap}{part}" if text else part
        text = re.sub(r"[ \t]{2,}", " ", text)
        openers = self.book.OPENERS.get(self.personality, ((), ()))
        choices = () if mood == "plain" else openers[1 if mood == "problem" else 0]
        if choices:
            opener = choices[self.state.turns % len(choices)]
            text = f"{opener} {text}"
        if self.personality == "formal":
            text = _formal(text, self.book.FORMAL)
        elif self.personality == "enthusiastic":
            text = _brighter(text)
        return text


class _Blank(dict[str, Any]):
    """Missing placeholders render empty rather than raising: a template never crashes."""

    def __missing__(self, key: str) -> str:
        return ""


def _formal(text: str, replacements: dict[str, str]) -> str:
    for informal, formal in replacements.items():
        text = re.sub(rf"(?<![\w']){re.escape(informal)}(?![\w'])", formal, text)
    return text.replace("!", ".").replace("..", ".")


def _brighter(text: str) -> str:
    """Statements end with an exclamation mark; questions and lists stay as they are."""
    lines = text.split("\n")
    last = lines[-1].rstrip()
    if last.endswith("."):
        lines[-1] = last[:-1] + "!"
    return "\n".join(lines)


def first_name(full_name: str) -> str:
    return full_name.split()[0] if full_name.strip() else ""
