"""Settling on a free time in the booking dialogue: a time asked for is checked with
``find_slots``; a refused one is answered with why (taken, closed that day, outside hours,
too soon, too far) and the nearest free slots; a day with no time gets three free times
spread over it (or over the morning, afternoon or evening asked for)."""

from __future__ import annotations

from datetime import date, datetime

from frontdesk.appointments.chat_turn import Turn
from frontdesk.appointments.chat_words import on_day, slot_list


async def settle_time(turn: Turn, service_id: str, ignore: str) -> bool:
    """Whether the plan has a free time; if not, the reply offers slots or asks for one."""
    plan = turn.plan
    if plan.start:
        return True
    if plan.offered and not plan.wanted:  # nothing chosen yet: the same choice again
        days = {turn.at(s).date() for s in plan.offered}
        offer(turn, list(plan.offered), same_day=len(days) == 1)
        return False
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
