"""What a message's wording says, before any intent: a bare acknowledgement, a greeting in
front of a question, anger rather than a bad situation, a message that only gives contact
details, a question about price. The policy reads these cues; they never decide alone."""

from __future__ import annotations

import re

from frontdesk.assistant.intent_models import OUT_OF_SCOPE
from frontdesk.nlu.names import is_plausible_name
from frontdesk.nlu.understand import Understanding

STRONGLY_NEGATIVE = -0.6
PAST_GREETING = 0.2  # least probability of the intent read behind a greeting
NOT_AN_ASK = {"greeting", "thanks", "goodbye"}
PRICE_WORDS = re.compile(r"\b(price|prices|pricing|cost|costs|quote|fee|fees|rate|rates)\b", re.I)
_ACK = re.compile(
    r"^\s*(?:ok(?:ay)?|k+|kk|sure|fine|cool|great|alright|all right|got it|right|perfect|"
    r"nice|awesome|good|sounds good|understood|i see|unbelievable|wow|hmm+|mm+|bet|sound|"
    r"grand|lovely|brill|brilliant|safe|word|sweet|noted|no worries|fair enough|"
    r"ok(?:ay)? (?:cool|thanks|great|perfect|fine)|"
    r"vale|dale|sip|bueno|perfecto|de acuerdo|claro|listo|genial|entendido|ya|va|okey)"
    r"[\s.!,]*$",
    re.IGNORECASE,
)
_NEGATIVE_SHORT = re.compile(
    r"^\s*(?:no|nope|nah|no thanks|no thank you|not now|not really|no gracias|nada)[\s.!,]*$",
    re.IGNORECASE,
)


_GREETING_WORDS = re.compile(
    r"^\s*(?:hi+|hello|hey+|hiya|howdy|howzit|yo|morning|good\s+(?:morning|afternoon|evening|day)|"
    r"hola|buenas(?:\s+(?:tardes|noches|días|dias))?|buenos\s+días|buenos\s+dias|qué tal|"
    r"que tal)(?:\s+(?:there|all|guys|team|folks))?[\s,.!:;-]*",
    re.IGNORECASE,
)


_THANKS = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|k|vale|dale|great|perfect|cool|nice|lovely|brilliant|awesome|"
    r"perfecto|genial|listo|bueno|buenísimo|sweet|super|súper)[\s,!.]*)?(?:thanks|thank you|"
    r"thank u|thanks a lot|thanks so much|many thanks|thx|ty|cheers|ta|gracias|muchas gracias|"
    r"mil gracias|muchísimas gracias)(?:[\s,!.]+(?:mate|so much|a lot|again|guys|team|"
    r"x+|:\)|de nuevo|por todo|por la info|!+))*[\s.!,:)]*$",
    re.IGNORECASE,
)


def short_reply(text: str) -> str:
    """The move for a bare acknowledgement ("ack"), thanks ("thanks") or refusal
    ("ack_no"), else ""."""
    if _THANKS.match(text):
        return "thanks"
    if _ACK.match(text):
        return "ack"
    if _NEGATIVE_SHORT.match(text):
        return "ack_no"
    return ""


def past_greeting(u: Understanding, intent: str) -> str:
    """ "hiya, what time do you open on saturday?" is a question, not only a greeting: the
    best intent for what follows the greeting."""
    if intent != "greeting":
        return intent
    rest = _GREETING_WORDS.sub("", u.text, count=1).strip()
    if len(rest.split()) < 3 and "?" not in rest:
        return intent
    for label, probability in u.ranking:
        # Only a guess with some weight: the runner-up at 4% is noise, and a question
        # nobody recognised is a general question (the knowledge may answer it).
        if label not in NOT_AN_ASK and label != OUT_OF_SCOPE and probability >= PAST_GREETING:
            return label
    return "general_question"


def plausible_name(name: str) -> bool:
    """A name is a name: not an acknowledgement, a contact word or a common word."""
    return bool(name) and not short_reply(name) and is_plausible_name(name)


_ANGER = re.compile(
    r"\b(useless|ridiculous|unacceptable|disgrace|disgusting|worst|terrible|awful|appalling|"
    r"furious|fed up|sick of|joke|scam|rip[- ]?off|incompetent|pathetic|angry|livid|"
    r"vergüenza|inaceptable|indignante|harto|harta|pésimo|pesimo|estafa|inútil|inutil)\b",
    re.I,
)
QUESTION = re.compile(
    r"\?|^\s*(?:can|could|do|does|is|are|will|would|how|what|when|where|which|who|any|"
    r"puedo|pueden|tienen|hay|cómo|como|qué|que|cuándo|cuando|dónde|donde)\b",
    re.I,
)


def upset(u: Understanding) -> bool:
    """Angry, not merely in a bad situation: "I'm stuck at home with a broken leg, could
    you pick up my PC?" is a question to answer, not a customer to calm down."""
    if "repeated_complaint" in u.urgency:
        return True
    if u.sentiment.compound > STRONGLY_NEGATIVE:
        return False
    return bool(_ANGER.search(u.text)) or not QUESTION.search(u.text)


_DETAIL_FILLER = re.compile(
    r"\b(?:ok|okay|cool|sure|yes|yeah|fine|great|thanks|my|name|is|it's|its|this|i'm|im|"
    r"and|number|phone|email|mail|mobile|cell|me|on|at|soy|mi|es|y|correo|teléfono|"
    r"telefono|número|numero|here|put|under|call|reach)\b",
    re.I,
)


def asks_price(text: str) -> bool:
    return bool(QUESTION.search(text) and (PRICE_WORDS.search(text) or _PRICE_ES.search(text)))


_PRICE_ES = re.compile(
    r"\b(cu[aá]nto|precio|precios|cuesta|cuestan|cobran|cobr[aá]is|tarifa)\b", re.I
)


def only_details(u: Understanding, details: dict[str, str]) -> bool:
    """The message gives a name, email or phone and asks nothing else."""
    if not details:
        return False
    rest = u.text
    for entity in sorted(u.entities, key=lambda e: e.start, reverse=True):
        rest = rest[: entity.start] + " " + rest[entity.end :]
    rest = _DETAIL_FILLER.sub(" ", rest)
    return len(re.findall(r"[^\W\d_]{3,}", rest)) <= 1 and "?" not in rest


# Asking for a person by name or role ("can i speak to tommy himself", "quiero hablar con
# el encargado") is a handoff, whatever the classifier makes of the rest.
_SPEAK_TO = re.compile(
    r"\b(?:speak|talk|chat)\s+(?:to|with)\b|\bhablar\s+con\b|\bput me through\b", re.I
)
# Asking to be called or written back is a request a person must act on.
_CALL_BACK = re.compile(
    r"\b(?:call|ring|phone|text|email|e-mail|contact)\s+me\b|\bcall\s+back\b|"
    r"\bget\s+back\s+to\s+me\b|\bme\s+(?:pueden|puede|podéis|podeis|podrían|podrian)\s+"
    r"(?:llamar|escribir|contactar)\b|\bll[aá]m(?:enme|adme|ame)\b|\bque\s+me\s+"
    r"(?:llamen|llame|escriban|escriba|contacten)\b",
    re.I,
)


def asked_intent(text: str) -> str:
    """ "human_handoff" or "contact_request" when the wording asks for that in so many
    words, else ""."""
    if _SPEAK_TO.search(text):
        return "human_handoff"
    if _CALL_BACK.search(text):
        return "contact_request"
    return ""


_APPOINTMENT = re.compile(
    r"\b(?:appointments?|appt|appts|book\w*|slot|session|visit|reserv\w*|resched\w*|cancel\w*|"
    r"come in|drop in|fit me in|cita|citas|turno|turnos|reserva\w*|hora para|agendar|"
    r"anular|cancelar)\b",
    re.I,
)


def books(u: Understanding) -> bool:
    """Whether a message about booking, moving or cancelling mentions an appointment or a
    time at all: "cambiar a un disco SSD" is no reschedule."""
    return bool(_APPOINTMENT.search(u.text) or u.datetimes)
