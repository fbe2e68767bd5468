"""What the booking dialogue shares (``appointments/chat_flow.py``, ``chat_offer.py``,
``chat_manage.py``): the plan kept across turns, one turn with what it needs, and reading a
service or a time out of a message into the plan."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk.appointments.chat_when import Asked, pick_offered, plain, read_when
from frontdesk.appointments.chat_words import moment, say
from frontdesk.assistant.tools import ToolBox
from frontdesk.nlu.understand import Understanding

YES = re.compile(
    r"^\s*(?:yes|yeah|yep|yup|y|sure|ok(?:ay)?|please(?:\s+do)?|go\s+ahead|book\s+it|do\s+it|"
    r"sounds\s+good|perfect|great|correct|confirm\w*|that'?s\s+(?:right|fine|great|perfect)|"
    r"that\s+works|absolutely|definitely|si|vale|claro|perfecto|de\s+acuerdo|adelante|dale|"
    r"confirmo|correcto|hazlo|por\s+favor|exacto)\b",
    re.I,
)
NO = re.compile(r"^\s*(?:no|nope|nah|not\s+really|wait|actually|mejor\s+no|espera)\b", re.I)


@dataclass
class Plan:
    """What is agreed so far. Times are ISO 8601 in the business's zone."""

    mode: str = ""  # book, move, cancel; "" when nothing is under way
    service_id: str = ""
    service: str = ""
    day: str = ""  # a day asked for, with no time yet
    part: str = ""  # morning, afternoon, evening of that day
    wanted: str = ""  # an exact time asked for, not checked yet
    start: str = ""  # a time checked free
    offered: list[str] = field(default_factory=list)
    asked_at: str = ""  # the last exact time asked for or chosen ("same time next week")
    asked: str = ""  # what the last reply asked: service, when, pick, name, contact, confirm...
    appointment_id: str = ""  # the booking being moved or cancelled
    appointment_service: str = ""
    appointment_start: str = ""
    choices: list[dict[str, str]] = field(default_factory=list)  # bookings to choose from
    last: dict[str, str] = field(default_factory=dict)  # the booking made in this chat

    @classmethod
    def load(cls, data: dict[str, Any]) -> Plan:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def reset(self, mode: str = "") -> None:
        last = self.last
        self.__init__()  # type: ignore[misc]
        self.mode, self.last = mode, last


@dataclass
class Turn:
    """One customer message in the booking dialogue, and what it needs to answer it."""

    u: Understanding
    tools: ToolBox
    plan: Plan
    slots: dict[str, str]  # the dialogue's name, email, phone
    language: str
    country: str
    timezone: str
    hours: dict[str, Any]
    services: list[dict[str, Any]]
    parts: list[str] = field(default_factory=list)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def now(self) -> datetime:
        return datetime.now(self.zone)

    def at(self, iso: str) -> datetime:
        return datetime.fromisoformat(iso).astimezone(self.zone)

    def when(self, iso: str) -> str:
        return moment(self.at(iso), self.language, self.country)

    def say(self, key: str, **values: Any) -> None:
        self.parts.append(say(self.language, key, **values))

    def read_when(self, known_day: date | None, reference: str) -> Asked | None:
        return read_when(
            self.u.text,
            now=self.now(),
            timezone=self.timezone,
            language=self.language,
            known_day=known_day,
            reference=self.at(reference) if reference else None,
            asked_time=self.plan.asked in ("when", "pick"),
        )


_PAIRS = (
    ("cleaning", "limpieza"),
    ("whitening", "blanqueamiento"),
    ("checkup", "revision"),
    ("check", "revision"),
    ("consultation", "consulta"),
    ("haircut", "corte"),
    ("massage", "masaje"),
    ("cut", "corte"),
    ("colour", "color"),
    ("color", "tinte"),
    ("manicure", "manicura"),
    ("filling", "empaste"),
    ("extraction", "extraccion"),
    ("repair", "reparacion"),
    ("meeting", "reunion"),
    ("call", "llamada"),
    ("class", "clase"),
    ("session", "sesion"),
    ("visit", "visita"),
)
_SAME_WORD: dict[str, tuple[str, ...]] = {}
for _en, _es in _PAIRS:
    _SAME_WORD[_en[:6]] = (*_SAME_WORD.get(_en[:6], ()), _es)
    _SAME_WORD[_es[:6]] = (*_SAME_WORD.get(_es[:6], ()), _en)


def match_service(text: str, services: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The service a message names: by its whole name, else by a distinctive word of it
    ("a cleaning" for "Teeth cleaning", "limpieza" for "Limpieza dental")."""
    said = plain(text)
    words = set(re.findall(r"[a-z0-9]+", said))
    # A customer writing in the other language than the service's name ("una limpieza" for
    # "Cleaning"): the common words of small businesses' services, both ways.
    words |= {other for word in words for other in _SAME_WORD.get(word[:6], ())}
    best: list[tuple[int, dict[str, Any]]] = []
    for service in services:
        name = plain(service["name"])
        if name in said:
            best.append((100 + len(name), service))
            continue
        keys = [w for w in re.findall(r"[a-z0-9]+", name) if len(w) >= 4]
        hits = sum(1 for k in keys if any(w.startswith(k[:5]) for w in words if len(w) >= 4))
        if hits:
            best.append((hits, service))
    best.sort(key=lambda pair: -pair[0])
    if best and (len(best) == 1 or best[0][0] > best[1][0]):
        return best[0][1]
    return None


def take_time(turn: Turn, known_day: date | None, reference: str) -> bool:
    """Read a chosen slot or a new wish for a time into the plan; whether the message had
    one."""
    plan = turn.plan
    offered = [turn.at(s) for s in plan.offered]
    choice = pick_offered(
        turn.u.text, offered, timezone=turn.timezone, now=turn.now(), language=turn.language
    )
    if choice is not None:
        plan.start, plan.wanted, plan.offered = choice.isoformat(), "", []
        plan.asked_at = plan.start
        return True
    # The time under discussion: the one asked for or chosen, else the booking being moved
    # (or, for "the same day", the one just booked).
    under_discussion = plan.asked_at or (reference if plan.mode == "move" else "")
    asked = turn.read_when(known_day, plan.asked_at or reference)
    if asked is None or asked.day is None:
        return False
    plan.start, plan.offered = "", []
    clock = asked.clock
    if clock is None and not asked.part and under_discussion:
        # "Wednesday instead" after 3 pm was under discussion: Wednesday at 3 pm.
        clock = turn.at(under_discussion).time()
    if clock is not None:
        plan.wanted = datetime.combine(asked.day, clock, turn.zone).isoformat()
        plan.day, plan.part, plan.asked_at = asked.day.isoformat(), "", plan.wanted
    else:
        plan.wanted, plan.day, plan.part = "", asked.day.isoformat(), asked.part
    return True
