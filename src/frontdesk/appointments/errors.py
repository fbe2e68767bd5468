"""Why a booking was refused, with the nearest free alternatives to offer instead."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from frontdesk.appointments.availability import Slot
from frontdesk.kit.errors import FrontdeskError


def slot_view(slot: Slot) -> dict[str, Any]:
    return {
        "start": slot.start.isoformat(),
        "end": slot.end.isoformat(),
        "staff_id": str(slot.staff_id) if slot.staff_id else None,
    }


class BookingRefused(FrontdeskError):
    """A refused time; ``alternatives`` are real free slots near it (maybe none)."""

    status_code = 422

    def __init__(self, message: str, alternatives: Sequence[Slot] = ()) -> None:
        self.alternatives = list(alternatives)
        super().__init__(
            message, details={"alternatives": [slot_view(s) for s in self.alternatives]}
        )


class SlotTaken(BookingRefused):
    status_code = 409
    code = "slot_taken"


class OutsideHours(BookingRefused):
    code = "outside_hours"


class TooSoon(BookingRefused):
    code = "too_soon"


class TooFar(BookingRefused):
    code = "too_far"
