"""Spanish wordings: the same moves as English (any missing one falls back to English)."""

from __future__ import annotations

MOVES: dict[str, tuple[str, ...]] = {
    "greet": (
        "¡Hola{name}! Soy {assistant}, de {business}. ¿En qué puedo ayudarte hoy?",
        "Hola{name}, soy {assistant} de {business}. ¿Qué necesitas?",
    ),
    "greet_again": ("¡Hola de nuevo{name}! ¿En qué más puedo ayudarte?",),
    "thanks": (
        "¡De nada{name}! ¿Hay algo más en lo que pueda ayudarte?",
        "Con gusto{name}. ¿Necesitas algo más?",
    ),
    "goodbye": (
        "Gracias por escribir a {business}{name}. ¡Que tengas un buen día!",
        "¡Hasta pronto{name}! Aquí estamos cuando nos necesites.",
    ),
    "hours": ("Este es nuestro horario:\n\n{hours}",),
    "address": ("Nos encuentras en {address}.",),
    "no_address": ("Lo siento, no tengo nuestra dirección a mano y no quiero adivinar.",),
    "contact_facts": ("También puedes contactarnos aquí:\n\n{facts}",),
    "ask_name": ("¿Me dices tu nombre, por favor?", "¿Con quién tengo el gusto?"),
    "ask_contact": (
        "¿Cuál es el mejor teléfono o correo para contactarte?",
        "¿Me dejas un teléfono o un correo para que el equipo te responda?",
    ),
    "ask_name_contact": ("¿Me dejas tu nombre y un teléfono o correo para contactarte?",),
    "ask_when": ("¿Qué día y hora te vendrían bien?", "¿Cuándo te gustaría venir?"),
    "lead_saved_call": (
        "Gracias{name}. He anotado tus datos y alguien de {business} te llamará al "
        "{contact} sobre {topic}.",
    ),
    "lead_saved_email": (
        "Gracias{name}. He anotado tus datos y alguien de {business} te escribirá a "
        "{contact} sobre {topic}.",
    ),
    "booking_passed": (
        "Gracias{name}. Todavía no puedo confirmar reservas yo mismo, así que he pasado tu "
        "solicitud para {when} al equipo; te confirmarán en {contact}.",
    ),
    "booking_start": ("Con gusto paso tu solicitud de cita al equipo.",),
    "reschedule_start": (
        "Sin problema, le pediré al equipo que cambie tu cita.",
        "Claro, vamos a cambiar tu cita.",
    ),
    "cancel_start": (
        "Siento que no puedas venir. Le pasaré tu cancelación al equipo.",
        "Sin problema, le aviso al equipo de que necesitas cancelar.",
    ),
    "cancel_passed": (
        "Gracias{name}. He pedido al equipo que cancele tu cita; te lo confirmarán en {contact}.",
    ),
    "availability": (
        "Desde aquí no veo la agenda en tiempo real, así que no voy a adivinar horarios libres.",
        "No tengo el calendario delante, así que no puedo prometerte un hueco yo mismo.",
    ),
    "availability_passed": (
        "He preguntado al equipo si {when} está libre{name}; te avisarán aquí.",
    ),
    "complaint": (
        "Siento mucho lo ocurrido. No es lo que queremos para nadie en {business}, y se lo "
        "he trasladado al equipo.",
    ),
    "feature": ("¡Gracias por la sugerencia{name}! Se la he pasado al equipo de {business}.",),
    "file_received": (
        "Gracias{name}, he recibido tu archivo. Alguien del equipo lo revisará y te responderá "
        "aquí.",
    ),
    "issue": (
        "Siento que tengas problemas con {topic}. Se lo paso al equipo para que una persona "
        "lo resuelva.",
    ),
    "issue_passed": (
        "Gracias{name}. He pasado los detalles al equipo y se pondrán en contacto contigo en "
        "{contact}.",
    ),
    "payment_ask": (
        "Gracias{name}. Adjunta aquí el comprobante de pago (una foto, captura o PDF) y el "
        "equipo lo revisará.",
    ),
    "payment_received": (
        "Gracias{name}, he recibido tu comprobante de pago. El equipo lo revisará y te lo "
        "confirmará aquí.",
    ),
    "pricing_unknown": (
        "No tengo a mano los precios actuales de {business} y prefiero no adivinar.",
    ),
    "unknown": (
        "No tengo una respuesta fiable a eso y no quiero adivinar. ¿Quieres que le pida a "
        "alguien del equipo que te responda?",
    ),
    "out_of_scope": (
        "Lo siento, con eso no puedo ayudarte: soy {assistant}, de {business}. Puedo ayudarte "
        "con {capabilities}.",
    ),
    "handoff": (
        "¡Claro{name}! He pedido a una persona del equipo que continúe la conversación. "
        "{handoff_when}",
    ),
    "handoff_upset": (
        "Lo siento mucho{name}. He pasado tu mensaje a una persona del equipo. {handoff_when}",
    ),
    "handoff_unsure": (
        "No quiero equivocarme, así que he pedido ayuda a una persona del equipo. {handoff_when}",
    ),
    "when_open": ("Alguien te responderá aquí en breve.",),
    "when_closed": (
        "Ahora estamos cerrados; alguien te responderá aquí desde el {day} a las {time}.",
    ),
    "when_unknown": ("Alguien te responderá aquí lo antes posible.",),
    "no_problem": ("¡Sin problema{name}! ¿Algo más en lo que pueda ayudarte?",),
    "day_open": ("El {day} abrimos {spans}.", "El {day} atendemos {spans}."),
    "day_closed": (
        "El {day} estamos cerrados. Volvemos a abrir el {next}.",
        "Lo siento, el {day} no abrimos; abrimos de nuevo el {next}.",
    ),
    "day_closed_never": ("El {day} estamos cerrados.",),
    "knowledge": (
        "{answer}\n\n(Fuente: {source})",
        "Esto es lo que tengo sobre eso: {answer}\n\n(Fuente: {source})",
    ),
    "ack": (
        "Perfecto{name}. ¿Hay algo más en lo que pueda ayudarte?",
        "De acuerdo{name}. Si necesitas algo más, aquí estoy.",
    ),
    "details_noted": (
        "Gracias{name}, he anotado tus datos. ¿Hay algo más en lo que pueda ayudarte?",
        "Perfecto{name}: tus datos quedan anotados. ¿Algo más en lo que pueda ayudarte?",
    ),
    "ack_no": ("No hay problema{name}. ¿Hay algo más en lo que pueda ayudarte?",),
    "capabilities": ("citas, nuestro horario y dirección, precios o dejar un mensaje al equipo",),
}

OPENERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "professional": ((), ()),
    "friendly": (("¡Con gusto!",), ("¡Vaya, lo siento!",)),
    "concise": ((), ()),
    "empathetic": (("Gracias por escribirnos.",), ("Entiendo lo frustrante que es esto.",)),
    "enthusiastic": (("¡Buena pregunta!",), ("¡Vamos a resolverlo!",)),
    "formal": ((), ()),
}

FORMAL: dict[str, str] = {
    "¿En qué puedo ayudarte": "¿En qué puedo ayudarle",
    "te ": "le ",
    "tu ": "su ",
    "tus ": "sus ",
    "¿Me dices": "¿Me indica",
    "¿Me dejas": "¿Me deja",
}

# The policy's topics ("prices", "your enquiry"), as the Spanish replies name them.
TOPICS: dict[str, str] = {
    "prices": "precios",
    "an appointment": "una cita",
    "a cancellation": "una cancelación",
    "billing": "la facturación",
    "the website or app": "la web o la app",
    "your account": "tu cuenta",
    "your experience": "tu experiencia",
    "your enquiry": "tu consulta",
}
