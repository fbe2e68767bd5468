"""Moving and cancelling a booking in the chat (the local engine's booking dialogue, see
``appointments/chat_flow.py``).

The booking is the one made in this conversation, or one found by ``find_appointments``
under the customer's contact: a returning customer in a new chat is asked which email or
phone they booked with, and that finds it. With several bookings the customer says which
(by service, or "the first one"). A new time is checked and offered around like a new
booking's; nothing changes before the customer says yes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from frontdesk.appointments.chat_offer import offer, settle_time
from frontdesk.appointments.chat_turn import NO, YES, Turn, match_service, take_time
from frontdesk.appointments.chat_when import pick_offered, plain


async def advance(turn: Turn) -> None:
    plan = turn.plan
    if plan.mode == "show":
        await _show(turn)
        return
    if not plan.appointment_id and not await _find(turn):
        return
    if plan.mode == "cancel":
        await _cancel(turn)
    else:
        await _move(turn)


def _hold(turn: Turn, found: dict[str, Any]) -> None:
    plan = turn.plan
    plan.appointment_id = found["id"]
    plan.appointment_service = plan.service = found["service"]
    plan.appointment_start = found["start"]
    plan.service_id = found["service_id"]
    plan.choices = []


async def _find(turn: Turn) -> bool:
    """Whether the booking to change is known; if not, the reply asks what it needs."""
    plan = turn.plan
    result = await turn.tools.call("find_appointments", {})
    found: list[dict[str, Any]] = list(result.data.get("appointments", []))
    if not found:
        contact = turn.slots.get("email") or turn.slots.get("phone")
        if not contact or plan.asked != "identify":
            turn.say("ask_identify")
            plan.asked = "identify"
            return False
        turn.say("not_found", contact=contact)
        plan.reset()
        return False
    if len(found) == 1:
        _hold(turn, found[0])
        return True
    named = match_service(turn.u.text, [{**f, "name": f["service"]} for f in found])
    chosen = named or pick_offered(
        turn.u.text,
        [turn.at(f["start"]) for f in found],
        timezone=turn.timezone,
        now=turn.now(),
        language=turn.language,
    )
    for item in found:
        if (named and named["id"] == item["id"]) or (
            not named and chosen is not None and turn.at(item["start"]) == chosen
        ):
            _hold(turn, item)
            return True
    items = [f"{f['service']} ({turn.when(f['start'])})" for f in found[:4]]
    turn.say("which", items="; ".join(items))
    plan.choices = [{k: f[k] for k in ("id", "service", "service_id", "start")} for f in found]
    plan.asked = "which"
    return False


async def _move(turn: Turn) -> None:
    plan, u = turn.plan, turn.u
    known = plan.day or (plan.offered[0] if plan.offered else "") or plan.appointment_start
    known_day = turn.at(known).date() if "T" in known else date.fromisoformat(known)
    changed = take_time(turn, known_day, plan.appointment_start)
    if plan.asked == "confirm" and not changed:
        if YES.match(plain(u.text)):
            await _moved(turn)
            return
        if NO.match(plain(u.text)):
            plan.start = plan.day = plan.part = ""
    if not (plan.start or plan.wanted or plan.day):
        turn.say("ask_new_time", service=plan.service, old=turn.when(plan.appointment_start))
        plan.asked = "when"
        return
    if not await settle_time(turn, plan.service_id, ignore=plan.appointment_id):
        return
    turn.say(
        "confirm_move",
        service=plan.service,
        old=turn.when(plan.appointment_start),
        when=turn.when(plan.start),
    )
    plan.asked = "confirm"


async def _moved(turn: Turn) -> None:
    plan = turn.plan
    result = await turn.tools.call(
        "reschedule_appointment", {"appointment_id": plan.appointment_id, "start": plan.start}
    )
    if result.ok:
        turn.say("moved", service=plan.service, when=turn.when(result.data["start"]))
        plan.reset()
        plan.last = {k: result.data[k] for k in ("id", "service", "start")}
        return
    if result.data.get("refused"):
        turn.say("just_taken", when=turn.when(plan.start))
        plan.start = ""
        offer(turn, list(result.data.get("alternatives", [])), same_day=False)
        return
    turn.say("failed", reason=result.content)
    plan.reset()


async def _cancel(turn: Turn) -> None:
    plan, u = turn.plan, turn.u
    service, when = plan.service, turn.when(plan.appointment_start)
    if plan.asked == "confirm" and YES.match(plain(u.text)):
        result = await turn.tools.call(
            "cancel_appointment", {"appointment_id": plan.appointment_id}
        )
        if result.ok:
            turn.say("cancelled", service=service, when=when)
            if plan.last.get("id") == plan.appointment_id:
                plan.last = {}
        else:
            turn.say("failed", reason=result.content)
        plan.reset()
        return
    if plan.asked == "confirm" and NO.match(plain(u.text)):
        turn.say("kept", service=service, when=when)
        plan.reset()
        return
    turn.say("confirm_cancel", service=service, when=when)
    plan.asked = "confirm"


async def _show(turn: Turn) -> None:
    """ "When is my appointment?": the customer's upcoming bookings."""
    plan = turn.plan
    result = await turn.tools.call("find_appointments", {})
    found: list[dict[str, Any]] = list(result.data.get("appointments", []))
    if found:
        items = [f"{f['service']} ({turn.when(f['start'])})" for f in found[:4]]
        turn.say("yours", items="; ".join(items))
        plan.reset()
        return
    contact = turn.slots.get("email") or turn.slots.get("phone")
    if contact and plan.asked == "identify":
        turn.say("not_found", contact=contact)
        plan.reset()
        return
    turn.say("ask_identify")
    plan.asked = "identify"
