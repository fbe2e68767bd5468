"""The line a booking change leaves in the customer's chat, in English or Spanish, the time
written as the booking mails write it (``mail/booking_words.py``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from frontdesk.appointments.models import Appointment
from frontdesk.mail.booking_words import Language, when
from frontdesk.workspaces.models import Workspace

CHAT_LINES: dict[str, dict[str, str]] = {
    "en": {
        "confirmed": "You're booked: {service} on {when}. We've sent the details to your "
        "email when you gave one.",
        "moved": "Your {service} has been moved to {when}.",
        "cancelled": "Your {service} on {when} has been cancelled.",
        "reminder": "A reminder: your {service} is on {when}. See you then!",
    },
    "es": {
        "confirmed": "Tienes tu cita: {service} el {when}. Si nos diste tu correo, te "
        "enviamos allí los detalles.",
        "moved": "Tu cita de {service} se ha cambiado al {when}.",
        "cancelled": "Tu cita de {service} del {when} se ha cancelado.",
        "reminder": "Te recordamos tu cita de {service} el {when}. ¡Te esperamos!",
    },
}


def chat_line(
    kind: str, language: Language, service: str, appointment: Appointment, workspace: Workspace
) -> str:
    start = appointment.start.astimezone(ZoneInfo(workspace.timezone or "UTC"))
    moment = when(start, language, workspace.country)
    return CHAT_LINES[language][kind].format(service=service, when=moment)
