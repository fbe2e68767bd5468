"""The assistant's memory of one conversation, stored as JSON on the conversation.

``goal`` is what the customer is trying to get done (an intent that needs details, such as
a callback or a booking request); ``slots`` holds the details gathered so far; ``missing``
what the goal still needs; ``last_asked`` the detail the last reply asked for, so that a bare
"082 555 0199" or "tomorrow at 3" is understood as the answer to it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# What each goal needs before the assistant can pass it on. "contact" is an email or phone.
GOAL_SLOTS: dict[str, tuple[str, ...]] = {
    "contact_request": ("name", "contact"),
    "pricing": ("name", "contact"),
    "book_appointment": ("when", "name", "contact"),
    "reschedule_appointment": ("when", "name", "contact"),
    "cancel_appointment": ("name", "contact"),
    "availability": ("when",),
    "billing_issue": ("name", "contact"),
    "technical_issue": ("name", "contact"),
    "account_issue": ("name", "contact"),
    "complaint": ("name", "contact"),
}


@dataclass
class DialogueState:
    goal: str | None = None
    slots: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    last_asked: str | None = None
    low_confidence_streak: int = 0
    handed_over: bool = False
    turns: int = 0
    # The question the conversation is about (the last one answered), so that a follow-up
    # such as "and for kids?" or "what about saturday?" is understood against it.
    subject: str = ""
    language: str = ""  # the customer's language, once a message showed it clearly
    # The index of the wording last used for each kind of reply, so replies vary.
    wording: dict[str, int] = field(default_factory=dict)
    # A booking, move or cancellation under way (``appointments/chat_flow.py``).
    booking: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> DialogueState:
        if not data:
            return cls()
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def start(self, goal: str) -> None:
        if goal != self.goal:
            self.goal = goal
            self.last_asked = None
        self.refresh_missing()

    def fill(self, slot: str, value: str) -> None:
        if value:
            self.slots[slot] = value
            if slot in ("email", "phone"):
                self.slots["contact"] = value
        self.refresh_missing()

    def refresh_missing(self) -> None:
        needed = GOAL_SLOTS.get(self.goal or "", ())
        self.missing = [slot for slot in needed if not self.slots.get(slot)]

    def finish(self) -> None:
        """The goal is passed on; keep what we know about the customer, forget the task."""
        self.goal = None
        self.missing = []
        self.last_asked = None
        for task_slot in ("when", "topic"):
            self.slots.pop(task_slot, None)
