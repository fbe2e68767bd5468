"""What the booking dialogue says, in English and Spanish; times are written by
``mail/booking_words.py`` (the business's clock: "3:00 pm" in the US, "15:00" in Spain), so
the chat and the confirmation mail agree."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from frontdesk.mail.booking_words import Language, hour, when
from frontdesk.mail.booking_words import day as day_words

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "ask_service": "Which service would you like to book: {services}?",
        "ask_service_again": "Sorry, I didn't catch which service. Please say its name, or "
        "'the first one': {services}.",
        "ask_when": "Which day and time would suit you for the {service}?",
        "ask_name": "Could I have your name for the booking?",
        "ask_contact": "And an email address or phone number, so we can reach you?",
        "confirm_book": "{service}, {when} — shall I book it?",
        "booked": "Done! Your {service} is booked for {when}.",
        "booked_mail": "A confirmation is on its way to {email}.",
        "booked_after": "If you need to change or cancel it, just tell me here.",
        "taken": "Sorry, {when} is already taken.",
        "just_taken": "Sorry, {when} was just booked by someone else.",
        "closed_day": "We're closed on {day}.",
        "outside_hours": "{when} is outside our opening hours.",
        "too_soon": "{when} is too soon to book.",
        "too_far": "We don't take bookings that far ahead yet.",
        "offer": "The nearest free times are {slots}. Which would suit you?",
        "offer_day": "On {day} I have {slots} free. Which would suit you?",
        "none_free": "I couldn't find a free time near that. Which other day would suit you?",
        "no_change": "No problem. Which day and time would suit you better?",
        "ask_identify": "Which email address or phone number did you book with?",
        "not_found": "I can't find an upcoming booking under {contact}. Would you like to "
        "book a new one?",
        "which": "You have {items}. Which one do you mean?",
        "yours": "You're booked for {items}. Would you like to change anything?",
        "ask_new_time": "Your {service} is on {old}. When would you like to move it to?",
        "confirm_move": "Move your {service} from {old} to {when} — shall I?",
        "moved": "Done! Your {service} is now on {when}.",
        "confirm_cancel": "Cancel your {service} on {when} — are you sure?",
        "cancelled": "Your {service} on {when} is cancelled.",
        "kept": "OK, I'll keep your {service} on {when} as it is.",
        "failed": "Sorry, I couldn't do that just now: {reason}",
        "dropped": "No problem, I haven't booked anything.",
        "or": "or",
    },
    "es": {
        "ask_service": "¿Qué servicio quieres reservar: {services}?",
        "ask_service_again": "Perdona, no entendí qué servicio. Dime su nombre, o 'la "
        "primera': {services}.",
        "ask_when": "¿Qué día y a qué hora te vendría bien para {service}?",
        "ask_name": "¿Me dices tu nombre para la reserva?",
        "ask_contact": "¿Y un correo electrónico o un teléfono para poder contactarte?",
        "confirm_book": "{service}, el {when}. ¿Hago la reserva?",
        "booked": "¡Listo! Tu reserva de {service} queda para el {when}.",
        "booked_mail": "Te enviamos la confirmación a {email}.",
        "booked_after": "Si necesitas cambiarla o anularla, dímelo aquí.",
        "taken": "Lo siento, el {when} ya está ocupado.",
        "just_taken": "Lo siento, alguien acaba de reservar el {when}.",
        "closed_day": "El {day} estamos cerrados.",
        "outside_hours": "El {when} está fuera de nuestro horario.",
        "too_soon": "El {when} es demasiado pronto para reservar.",
        "too_far": "Todavía no tomamos reservas con tanta antelación.",
        "offer": "Las horas libres más cercanas son: {slots}. ¿Cuál te viene mejor?",
        "offer_day": "El {day} tengo libre {slots}. ¿Cuál te viene mejor?",
        "none_free": "No encuentro horas libres cerca de esa. ¿Qué otro día te vendría bien?",
        "no_change": "Sin problema. ¿Qué día y a qué hora te vendría mejor?",
        "ask_identify": "¿Con qué correo o teléfono hiciste la reserva?",
        "not_found": "No encuentro ninguna reserva próxima con {contact}. ¿Quieres hacer "
        "una nueva?",
        "which": "Tienes {items}. ¿Cuál de ellas?",
        "yours": "Tienes reserva para {items}. ¿Quieres cambiar algo?",
        "ask_new_time": "Tu reserva de {service} es el {old}. ¿A qué día y hora quieres cambiarla?",
        "confirm_move": "¿Cambio tu reserva de {service} del {old} al {when}?",
        "moved": "¡Listo! Tu reserva de {service} queda para el {when}.",
        "confirm_cancel": "¿Anulo tu reserva de {service} del {when}?",
        "cancelled": "Tu reserva de {service} del {when} queda anulada.",
        "kept": "De acuerdo, mantengo tu reserva de {service} del {when}.",
        "failed": "Lo siento, no he podido hacerlo ahora: {reason}",
        "dropped": "Sin problema, no he reservado nada.",
        "or": "o",
    },
}


def say(language: str, key: str, **values: Any) -> str:
    words = WORDS.get(language, WORDS["en"])
    return words[key].format(**values)


def moment(value: datetime, language: str, country: str) -> str:
    return when(value, "es" if language == "es" else "en", country)


def on_day(value: datetime, language: str, country: str) -> str:
    return day_words(value, "es" if language == "es" else "en", country)


def slot_list(slots: Sequence[datetime], language: str, country: str, *, same_day: bool) -> str:
    """ "2:30 pm, 3:30 pm or 4:00 pm" on one day; else each with its day, the day said once
    for slots that share it."""
    lang: Language = "es" if language == "es" else "en"
    parts: list[str] = []
    previous = None
    for slot in slots:
        if same_day or slot.date() == previous:
            parts.append(hour(slot, lang, country))
        else:
            parts.append(when(slot, lang, country))
        previous = slot.date()
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} {say(language, 'or')} {parts[-1]}"


def service_list(names: Sequence[str], language: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {say(language, 'or')} {names[-1]}"
