"""The local engine's booking dialogue: a booking followed across turns.

The local engine hands a turn here first (``assistant/local_engine.py``); when the message
is about booking, moving or cancelling, and the workspace has services to book, this writes
the reply, acting only through the assistant's tools (``appointments/tool.py``), as an LLM
engine would. Otherwise it returns None and the policy answers as before (a workspace with
no services still gets "the team will confirm").

What the booking needs is asked for one thing at a time: the service, the day and time, the
name, then an email or phone. A time is checked as soon as it is given; a taken time, a
closed day, a time outside hours or too soon is answered with the nearest free slots, which
the customer picks from ("the second one", "3:30 works"). Nothing is booked, moved or
cancelled before the customer says yes to a summary. The plan lives in
``DialogueState.booking`` (see :class:`Plan`); a later change of service or time replaces
the earlier one. Moving and cancelling are in ``appointments/chat_manage.py``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk.appointments import chat_manage
from frontdesk.appointments.chat_when import Asked, pick_offered, plain, read_when
from frontdesk.appointments.chat_words import moment, on_day, say, service_list, slot_list
from frontdesk.assistant.cues import QUESTION, asked_intent, asks_price, plausible_name, upset
from frontdesk.assistant.engine import ReplyContext
from frontdesk.assistant.tools import ToolBox
from frontdesk.nlu.names import is_plausible_name
from frontdesk.nlu.understand import Understanding

BOOK_WORDS = re.compile(
    r"\b(?:book\w*|appointments?|appt|schedule|reserv\w*|slots?|come\s+in|fit\s+me\s+in|"
    r"availability|available|free\s+(?:time|slot)|cita|citas|reservar|reserva|turno|agendar|"
    r"hora\s+para|pedir\s+hora|hueco|disponib\w*)\b",
    re.I,
)
MOVE_WORDS = re.compile(
    r"\b(?:resched\w*|move\s+(?:it|my|the|this)|change\s+(?:it|my|the)\b|another\s+(?:time|day)|"
    r"push\s+(?:it|my)|postpone|bring\s+(?:it|my)\s+forward|cambiar|cambiarla|cambiarlo|mover|"
    r"moverla|pasarla|aplazar|reprogramar|otro\s+dia|otra\s+hora)\b",
    re.I,
)
CANCEL_WORDS = re.compile(
    r"\b(?:cancel\w*|call\s+(?:it\s+)?off|can'?t\s+make\s+it|cannot\s+make\s+it|anular\w*|"
    r"cancelar\w*|no\s+(?:podre|puedo)\s+ir)\b",
    re.I,
)
WISH_WORDS = re.compile(
    r"\b(?:i'?d\s+like|i\s+would\s+like|i\s+want|i\s+need|can\s+i\s+(?:get|have)|"
    r"looking\s+for|quiero|quisiera|necesito|me\s+gustar[ií]a)\b",
    re.I,
)
# A question about the rules (fees, policy) is for the knowledge base, not a request.
RULES_WORDS = re.compile(r"\b(?:policy|fee|fees|charge|politica|cargo|penalizacion)\b", re.I)
YES = re.compile(
    r"^\s*(?:yes|yeah|yep|yup|y|sure|ok(?:ay)?|please(?:\s+do)?|go\s+ahead|book\s+it|do\s+it|"
    r"sounds\s+good|perfect|great|correct|confirm\w*|that'?s\s+(?:right|fine|great|perfect)|"
    r"that\s+works|absolutely|definitely|si|vale|claro|perfecto|de\s+acuerdo|adelante|dale|"
    r"confirmo|correcto|hazlo|por\s+favor|exacto)\b",
    re.I,
)
NO = re.compile(r"^\s*(?:no|nope|nah|not\s+really|wait|actually|mejor\s+no|espera)\b", re.I)
_NAME_FILLER = re.compile(
    r"\b(?:it'?s|its|i'?m|im|my|name|is|me\s+llamo|soy|mi|nombre|es|under|for)\b", re.I
)


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


def mode_of(u: Understanding, plan: Plan) -> str:
    """What the message asks for: book, move, cancel, or "" (nothing about bookings)."""
    text = u.text
    if RULES_WORDS.search(text) and QUESTION.search(text):
        return ""
    if asks_price(text) and not BOOK_WORDS.search(text):
        return ""
    if CANCEL_WORDS.search(text) or (u.intent == "cancel_appointment" and BOOK_WORDS.search(text)):
        return "cancel"
    booking_now = plan.mode == "book"
    move_words = MOVE_WORDS.search(text)
    if not booking_now and (
        move_words
        or (u.intent == "reschedule_appointment" and (BOOK_WORDS.search(text) or u.datetimes))
    ):
        return "move"
    if BOOK_WORDS.search(text) or (
        u.intent in ("book_appointment", "availability") and u.datetimes
    ):
        return "book"
    return ""


async def booking_reply(context: ReplyContext, language: str) -> str | None:
    """The reply to a booking turn, or None when the message is not one (or the workspace
    has nothing to book)."""
    u, tools, state = context.understanding, context.tools, context.state
    if u is None or tools is None or not u.text.strip() or "find_slots" not in tools:
        return None
    if asked_intent(u.text) == "human_handoff" or upset(u):
        return None
    plan = Plan.load(state.booking)
    wants = mode_of(u, plan)
    wishes = bool(u.datetimes or WISH_WORDS.search(u.text)) and not asks_price(u.text)
    if not (wants or plan.mode or wishes):
        return None
    listed = await tools.call("list_services", {})
    services = list(listed.data.get("services", [])) if listed.ok else []
    if not services:
        return None
    if not wants and not plan.mode:
        # "I'd like a cleaning on Sunday": a service named with a wish or a day is a booking.
        if match_service(u.text, services) is None:
            return None
        wants = "book"
    persona = context.persona
    if context.customer_name and not state.slots.get("name"):
        state.slots["name"] = context.customer_name  # given when the chat started
    turn = Turn(
        u=u,
        tools=tools,
        plan=plan,
        slots=state.slots,
        language=language,
        country=persona.country or "US",
        timezone=persona.timezone or "UTC",
        hours=persona.business_hours or {},
        services=services,
    )
    if not wants and not _relevant(turn):
        return None  # a question in the middle ("where are you?"): the policy answers it
    if wants == "cancel" and plan.mode == "book":
        plan.reset()  # "cancel that" before anything was booked: nothing to undo
        state.booking = asdict(plan)
        return say(language, "dropped")
    if wants and wants != plan.mode and not (wants == "book" and plan.mode == "move"):
        plan.reset(wants)
    await _take_details(turn)
    if plan.mode in ("move", "cancel"):
        await chat_manage.advance(turn)
    else:
        await _book(turn)
    state.booking = asdict(plan)
    state.last_asked = None
    return " ".join(p for p in turn.parts if p)


def _relevant(turn: Turn) -> bool:
    """Whether a message mid-booking carries on with it."""
    u, plan = turn.u, turn.plan
    if plan.asked == "confirm" and (YES.match(plain(u.text)) or NO.match(plain(u.text))):
        return True
    if u.datetimes or match_service(u.text, turn.services) or u.first("email") or u.first("phone"):
        return True
    if plan.offered and pick_offered(
        u.text, [turn.at(s) for s in plan.offered], timezone=turn.timezone, now=turn.now()
    ):
        return True
    if read_when(u.text, now=turn.now(), timezone=turn.timezone, language=turn.language):
        return True
    if plan.asked in ("name", "contact", "identify"):
        return not QUESTION.search(u.text)
    return False


def match_service(text: str, services: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The service a message names: by its whole name, else by a distinctive word of it
    ("a cleaning" for "Teeth cleaning", "limpieza" for "Limpieza dental")."""
    said = plain(text)
    words = set(re.findall(r"[a-z0-9]+", said))
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


async def _take_details(turn: Turn) -> None:
    """Name, email and phone given at any point are kept (and saved with capture_lead)."""
    u, plan = turn.u, turn.plan
    person = u.first("person")
    details = {
        "name": person if plausible_name(person) else "",
        "email": u.first("email"),
        "phone": u.first("phone"),
    }
    if not details["name"] and plan.asked == "name":
        details["name"] = _bare_name(u)
    found = {k: v for k, v in details.items() if v}
    if not found:
        return
    for slot, value in found.items():
        turn.slots[slot] = value
        if slot in ("email", "phone"):
            turn.slots["contact"] = value
    await turn.tools.call("capture_lead", {**found, "interest": plan.service or "a booking"})


def _bare_name(u: Understanding) -> str:
    rest = u.text
    for entity in sorted(u.entities, key=lambda e: e.start, reverse=True):
        rest = rest[: entity.start] + " " + rest[entity.end :]
    words = _NAME_FILLER.sub(" ", re.sub(r"[,;.!]", " ", rest)).split()
    if not 1 <= len(words) <= 4 or not is_plausible_name(" ".join(words)):
        return ""
    return " ".join(w[:1].upper() + w[1:] for w in words)


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
        return True
    asked = turn.read_when(known_day, reference)
    if asked is None or asked.day is None:
        return False
    plan.start, plan.offered = "", []
    if asked.exact and asked.clock is not None:
        plan.wanted = datetime.combine(asked.day, asked.clock, turn.zone).isoformat()
        plan.day, plan.part = asked.day.isoformat(), ""
    else:
        plan.wanted, plan.day, plan.part = "", asked.day.isoformat(), asked.part
    return True


async def _book(turn: Turn) -> None:
    plan, u = turn.plan, turn.u
    plan.mode = "book"
    service = match_service(u.text, turn.services)
    if service is None and len(turn.services) == 1:
        service = turn.services[0]
    changed = False
    if service is not None and service["id"] != plan.service_id:
        plan.service_id, plan.service = service["id"], service["name"]
        if plan.start:  # another service at the time already agreed: check it again
            plan.wanted, plan.start = plan.start, ""
        changed = True
    known = plan.day or (plan.offered[0] if plan.offered else "") or plan.start
    known_day = (
        turn.at(known).date() if "T" in known else (date.fromisoformat(known) if known else None)
    )
    changed = take_time(turn, known_day, plan.start or plan.wanted) or changed
    if plan.asked == "confirm" and not changed:
        if YES.match(plain(u.text)):
            await _confirmed(turn)
            return
        if NO.match(plain(u.text)):
            plan.start, plan.day, plan.part = "", "", ""
            turn.say("no_change")
            plan.asked = "when"
            return
    await next_step(turn)


async def next_step(turn: Turn) -> None:
    """Ask for the next missing thing, check a time, or sum up for a yes."""
    plan, slots = turn.plan, turn.slots
    if not plan.service_id:
        names = service_list([s["name"] for s in turn.services], turn.language)
        turn.say("ask_service", services=names)
        plan.asked = "service"
        return
    if not await settle_time(turn, plan.service_id, ignore=""):
        return
    if not slots.get("name"):
        turn.say("ask_name")
        plan.asked = "name"
        return
    if not (slots.get("email") or slots.get("phone")):
        turn.say("ask_contact")
        plan.asked = "contact"
        return
    turn.say("confirm_book", service=plan.service, when=turn.when(plan.start))
    plan.asked = "confirm"


async def settle_time(turn: Turn, service_id: str, ignore: str) -> bool:
    """Whether the plan has a free time; if not, the reply offers slots or asks for one."""
    plan = turn.plan
    if plan.start:
        return True
    if plan.wanted:
        found = await turn.tools.call("find_slots", {"service": service_id, "at": plan.wanted})
        data = found.data
        if data.get("free") or (ignore and _own_time(turn, plan.wanted)):
            plan.start, plan.wanted = plan.wanted, ""
            return True
        _refusal(turn, str(data.get("reason", "")), plan.wanted)
        offer(turn, list(data.get("alternatives", [])), same_day=False)
        plan.wanted = ""
        return False
    if plan.day:
        await _offer_day(turn, service_id)
        return False
    turn.say("ask_when", service=plan.service or plan.appointment_service)
    plan.asked = "when"
    return False


def _own_time(turn: Turn, wanted: str) -> bool:
    return bool(turn.plan.appointment_start) and turn.at(wanted) == turn.at(
        turn.plan.appointment_start
    )


def _refusal(turn: Turn, reason: str, wanted: str) -> None:
    moment_ = turn.at(wanted)
    said = turn.when(wanted)
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[moment_.weekday()]
    if reason == "outside_hours" and turn.hours and not turn.hours.get(weekday):
        turn.say("closed_day", day=on_day(moment_, turn.language, turn.country))
    elif reason == "outside_hours":
        turn.say("outside_hours", when=said)
    elif reason == "too_soon":
        turn.say("too_soon", when=said)
    elif reason == "too_far":
        turn.say("too_far")
    else:
        turn.say("taken", when=said)


def offer(turn: Turn, slots: list[str], *, same_day: bool) -> None:
    plan = turn.plan
    plan.offered = sorted(slots[:3], key=lambda s: turn.at(s))
    if not plan.offered:
        turn.say("none_free")
        plan.asked, plan.day, plan.part = "when", "", ""
        return
    moments = [turn.at(s) for s in plan.offered]
    listed = slot_list(moments, turn.language, turn.country, same_day=same_day)
    if same_day:
        turn.say("offer_day", day=on_day(moments[0], turn.language, turn.country), slots=listed)
    else:
        turn.say("offer", slots=listed)
    plan.asked = "pick"


_PART_HOURS = {"morning": (0, 12), "afternoon": (12, 17), "evening": (17, 24)}


async def _offer_day(turn: Turn, service_id: str) -> None:
    """A day (or part of one) with no time: three free times spread over it, else the
    nearest free times after it."""
    plan = turn.plan
    found = await turn.tools.call("find_slots", {"service": service_id, "day": plan.day})
    slots = list(found.data.get("slots", []))
    low, high = _PART_HOURS.get(plan.part, (0, 24))
    slots = [s for s in slots if low <= turn.at(s).hour < high]
    if len(slots) > 3:
        slots = [slots[0], slots[len(slots) // 2], slots[-1]]
    if slots:
        offer(turn, slots, same_day=True)
        return
    hour = {"morning": 9, "afternoon": 14, "evening": 18}.get(plan.part, 10)
    around = datetime.combine(date.fromisoformat(plan.day), datetime.min.time(), turn.zone)
    around = around.replace(hour=hour)
    near = await turn.tools.call("find_slots", {"service": service_id, "at": around.isoformat()})
    reason = str(near.data.get("reason", "")) or "taken"
    if reason == "outside_hours" or near.data.get("free"):
        reason = "outside_hours"
    _refusal(turn, reason, around.isoformat())
    offer(turn, list(near.data.get("alternatives", [])), same_day=False)


async def _confirmed(turn: Turn) -> None:
    plan, slots = turn.plan, turn.slots
    result = await turn.tools.call(
        "book_appointment",
        {"service": plan.service_id, "start": plan.start, "customer_name": slots.get("name", "")},
    )
    if result.ok:
        data = result.data
        turn.say("booked", service=plan.service, when=turn.when(data["start"]))
        if data.get("customer_email"):
            turn.say("booked_mail", email=data["customer_email"])
        turn.say("booked_after")
        plan.reset()
        plan.last = {"id": data["id"], "service": data["service"], "start": data["start"]}
        return
    if result.data.get("refused"):
        turn.say("just_taken", when=turn.when(plan.start))
        plan.start = ""
        offer(turn, list(result.data.get("alternatives", [])), same_day=False)
        return
    turn.say("failed", reason=result.content)
    plan.asked = ""
