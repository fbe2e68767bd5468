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
the earlier one. Moving and cancelling are in ``appointments/chat_manage.py``, settling
on a free time in ``chat_offer.py``, the plan and turn in ``chat_turn.py``.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date

from frontdesk.appointments import chat_manage
from frontdesk.appointments.chat_offer import offer, settle_time
from frontdesk.appointments.chat_turn import NO, YES, Plan, Turn, match_service, take_time
from frontdesk.appointments.chat_when import ordinal, pick_offered, plain, read_when, refers_back
from frontdesk.appointments.chat_words import say, service_list
from frontdesk.assistant.cues import QUESTION, asked_intent, asks_price, plausible_name, upset
from frontdesk.assistant.engine import ReplyContext
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
# Said after a booking in this chat ("actually can I make it Friday?"), a change to it.
LATER_CHANGE = re.compile(
    r"\b(?:make\s+it|instead|rather|switch|swap|same\s+time|en\s+vez|mejor|cambia\w*|"
    r"pon(?:la|lo|er)|misma\s+hora)\b",
    re.I,
)
MINE = re.compile(
    r"\b(?:my|mi|mis)\s+(?:next\s+|pr[oó]xima\s+)?(?:appointments?|appt|bookings?|"
    r"reservations?|cita|citas|reserva|reservas)\b|\bdo\s+i\s+have\s+(?:an?\s+)?"
    r"(?:appointment|booking)|\btengo\s+(?:una\s+)?(?:cita|reserva)\b",
    re.I,
)
# A problem with something already done ("charged me twice for my cleaning", "the booking page
# gives an error") names a service or a booking without asking for one: it is a ticket's.
PROBLEM_WORDS = re.compile(
    r"\b(?:errors?|broken|bug|crash\w*|fail\w*|not\s+working|(?:doesn|don|isn|won)'?t\s+"
    r"(?:work|load|open|let)|charged|overcharg\w*|twice|double[- ]charg\w*|refund\w*|"
    r"complain\w*|complaint|problems?|issues?|wrong|hurts?|no\s+funciona|cobr\w*|reembolso|"
    r"queja|reclamaci[oó]n|problemas?)\b",
    re.I,
)
# A question about the rules (fees, policy) is for the knowledge base, not a request.
RULES_WORDS = re.compile(r"\b(?:policy|fee|fees|charge|politica|cargo|penalizacion)\b", re.I)
_NAME_FILLER = re.compile(
    r"\b(?:it'?s|its|i'?m|im|my|name|is|me\s+llamo|soy|mi|nombre|es|under|for)\b", re.I
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
    later_change = LATER_CHANGE.search(text) and not BOOK_WORDS.search(text)
    if plan.last and not plan.mode and later_change and u.datetimes:
        move_words = LATER_CHANGE.search(text)  # "make it Friday" after a booking made here
    if not move_words and MINE.search(text) and QUESTION.search(text):
        return "show"  # "when is my appointment?": their bookings, not a new one
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
    if not plan.mode and PROBLEM_WORDS.search(u.text):
        return None  # a complaint about a visit or the booking page: the policy files a ticket
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
    named = match_service(u.text, services)
    # "book it" while moving is about the move; a booking of another service is a new one.
    moving_on = (
        wants == "book" and plan.mode == "move" and not (named and named["id"] != plan.service_id)
    )
    if wants and wants != plan.mode and not moving_on:
        plan.reset(wants)
    await _take_details(turn)
    if plan.mode in ("move", "cancel", "show"):
        await chat_manage.advance(turn)
    else:
        await _book(turn)
    state.booking = asdict(plan)
    state.last_asked = None
    return " ".join(p for p in turn.parts if p)


def _relevant(turn: Turn) -> bool:
    """Whether a message mid-booking carries on with it."""
    u, plan = turn.u, turn.plan
    if plan.asked in ("confirm", "pick") and (YES.match(plain(u.text)) or NO.match(plain(u.text))):
        return True
    if u.datetimes or match_service(u.text, turn.services) or u.first("email") or u.first("phone"):
        return True
    if plan.offered and pick_offered(
        u.text, [turn.at(s) for s in plan.offered], timezone=turn.timezone, now=turn.now()
    ):
        return True
    if read_when(u.text, now=turn.now(), timezone=turn.timezone, language=turn.language):
        return True
    if plan.asked in ("service", "name", "contact", "identify"):
        return not QUESTION.search(u.text)
    return bool(u.first("person") or _unasked_name(turn))


def _unasked_name(turn: Turn) -> str:
    """A bare name while we wait for something else ("Marta Ruiz" when a time was asked
    for): only while we have no name, and only when the message is nothing else."""
    u = turn.u
    if turn.slots.get("name") or u.datetimes or QUESTION.search(u.text):
        return ""
    if YES.match(plain(u.text)) or NO.match(plain(u.text)) or ordinal(u.text, 3) is not None:
        return ""
    return "" if match_service(u.text, turn.services) else _bare_name(u)


async def _take_details(turn: Turn) -> None:
    """Name, email and phone given at any point are kept (and saved with capture_lead)."""
    u, plan = turn.u, turn.plan
    person = u.first("person")
    details = {
        "name": person if plausible_name(person) else "",
        "email": u.first("email"),
        "phone": u.first("phone"),
    }
    if not details["name"]:
        details["name"] = _bare_name(u) if plan.asked == "name" else _unasked_name(turn)
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


async def _book(turn: Turn) -> None:
    plan, u = turn.plan, turn.u
    plan.mode = "book"
    service = match_service(u.text, turn.services)
    index = ordinal(u.text, len(turn.services)) if plan.asked == "service" else None
    if service is None and index is not None:
        service = turn.services[index]  # "the second one" of the services listed
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
    # The booking just made is the time under discussion only for "the same day/time".
    earlier = plan.last.get("start", "") if refers_back(u.text) else ""
    changed = take_time(turn, known_day, earlier) or changed
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
        again = plan.asked == "service"  # not understood: say how to answer
        turn.say("ask_service_again" if again else "ask_service", services=names)
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
