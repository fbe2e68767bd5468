"""The local engine's policy: from what a message means and what the conversation already
holds, pick the next step: answer, ask for a missing detail, call a tool, confirm, or hand
over to a person.

The policy only decides; :mod:`frontdesk.assistant.local_engine` runs the tools and words
the reply. Rules worth knowing:

- Details the customer gives (name, email, phone) are saved with ``capture_lead`` at once,
  whatever else the message is about.
- An explicit request for a person, strong negative sentiment, a repeated complaint, or two
  messages in a row the classifier is unsure about: hand over.
- A goal that needs details (a callback, a booking request, a billing problem) asks for
  what is missing, one question at a time, then passes the request on. When the workspace
  has services to book, bookings never reach here: the local engine hands those turns to
  ``appointments/chat_flow.py`` first, which books; without services the team confirms.
- Out of scope, or not known: said plainly, never guessed.
- A customer reporting a problem gets a support ticket (``file_ticket``, run after
  :func:`decide` by the local engine).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from frontdesk.assistant.cues import (
    PRICE_WORDS,
    QUESTION,
    asked_intent,
    asks_price,
    books,
    only_details,
    past_greeting,
    plausible_name,
    short_reply,
    upset,
)
from frontdesk.assistant.dialogue import DialogueState
from frontdesk.assistant.hours_answer import asked_days
from frontdesk.assistant.intent_models import CUSTOM_PREFIX, OUT_OF_SCOPE, CustomIntentData
from frontdesk.knowledge.answers import KnowledgeAnswer
from frontdesk.knowledge.followups import is_follow_up
from frontdesk.nlu.names import is_plausible_name
from frontdesk.nlu.understand import Understanding

# Below this the classifier's best guess is not trusted (the classifier's own threshold
# already turned the least certain messages into out_of_scope).
LOW_CONFIDENCE = 0.35
GOAL_INTENTS = {
    "contact_request",
    "pricing",
    "book_appointment",
    "reschedule_appointment",
    "cancel_appointment",
    "availability",
    "billing_issue",
    "technical_issue",
    "account_issue",
    "complaint",
}
ISSUE_TOPICS = {
    "billing_issue": "billing",
    "technical_issue": "the website or app",
    "account_issue": "your account",
    "complaint": "your experience",
}
# A bare "ok" after "shall I ask the team?" is as often "noted" as "yes": only a clear yes
# hands over (the customer can always ask for a person in so many words).
_YES = re.compile(
    r"^\s*(yes|yeah|yep|yup|please|y|si|sí|of course|ok(?:ay)? please|sure,? please|"
    r"yes please|go ahead|por favor|claro que sí)\b",
    re.I,
)
_NO = re.compile(r"^\s*(no|nope|nah|not now|no thanks)\b", re.I)
_PAYMENT_WORDS = re.compile(
    r"\b(pay|paying|payment|card|cash|invoice|bill|billing|charge|charged|refund|deposit|"
    r"paypal|transfer|pago|pagar|tarjeta|efectivo|factura|reembolso|hours?|open|horario)\b",
    re.I,
)
_LOCATION_WORDS = re.compile(
    r"\b(where|address|located|location|directions?|parking|find you|get there)\b", re.I
)
_NAME_WORD = re.compile(r"^[^\W\d_][\w'-]{0,30}$")
_HOURS_WORDS = re.compile(
    r"\b(hours?|open|opening|close|closing|closed|when|what time|abr[eií]\w*|cierr\w*|"
    r"horario|hora)\b",
    re.I,
)
# Intents a passage from the knowledge base may answer (the others have their own steps).
KNOWLEDGE_INTENTS = {
    "general_question",
    "pricing",
    "out_of_scope",
    "unknown",
    "feature_request",
    "availability",
    "account_issue",
    "technical_issue",
}
BOOKING_INTENTS = {
    "book_appointment",
    "reschedule_appointment",
    "cancel_appointment",
    "availability",
}


def _asks_day_hours(u: Understanding, state: DialogueState, intent: str) -> bool:
    """A day named in a question about opening times, or in a follow-up to one
    ("and sunday?", "¿y el sábado?")."""
    if intent.startswith(CUSTOM_PREFIX) or not asked_days(u.text):
        return False
    if state.subject and is_follow_up(u.text) and _HOURS_WORDS.search(state.subject):
        return True  # "and sunday?" after a question about opening times
    if intent in BOOKING_INTENTS:
        return False
    return intent == "hours_location" or bool(_HOURS_WORDS.search(u.text))


def _follow_subject(u: Understanding, state: DialogueState, intent: str) -> None:
    """Remember what the conversation is about, for follow-ups such as "and for kids?"."""
    if intent in ("greeting", "thanks", "goodbye", "human_handoff"):
        return
    if state.subject and is_follow_up(u.text):
        return  # still the same subject
    if len(u.text.split()) >= 2:
        state.subject = u.text[:300]


@dataclass
class Decision:
    step: str  # answer, ask, tool, confirm, handoff
    moves: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    tools: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    mood: str = "positive"
    handoff: str | None = None  # the wording when handing over: handoff, upset, _unsure

    def say(self, move: str, **values: Any) -> Decision:
        self.moves.append((move, values))
        return self

    def call(self, tool: str, **args: Any) -> Decision:
        self.tools.append((tool, args))
        return self


def decide(
    u: Understanding | None,
    state: DialogueState,
    *,
    faq: list[CustomIntentData],
    has_attachment: bool = False,
    knowledge: KnowledgeAnswer | None = None,
) -> Decision:
    state.turns += 1
    if u is None or not u.text.strip():  # only a file: a photo, a document, a voice note
        return _file(state, has_attachment)
    intent, uncertain = _intent(u, state)
    details = _take_details(u, state)
    short = short_reply(u.text)
    accepts_offer = state.last_asked == "confirm_handoff" and bool(_YES.match(u.text))
    if short == "thanks" and state.goal:
        state.finish()  # "vale, gracias" while we wait for details: they are done
    if short and not state.goal and not accepts_offer:
        # "ok", "cool", "nah", "vale": an answer to what was said, never a question of its
        # own, a name, or a reason to hand over (a pending "shall I ask the team?" needs a
        # clear yes).
        if state.last_asked == "confirm_handoff":
            state.last_asked = None
        state.low_confidence_streak = 0
        return _with_details(Decision("answer", mood="plain").say(short), details, state)
    asked = asked_intent(u.text)
    if asked == "human_handoff" or (asked and not state.goal):
        intent, uncertain = asked, False
    # "it's oliver grant, 07911 123789": details given unasked are noted, not puzzled over.
    noting = not state.goal and not asked and only_details(u, details)
    intent = past_greeting(u, intent)
    day_hours = _asks_day_hours(u, state, intent)
    if day_hours:
        intent, uncertain = "hours_location", False
    answerable = (
        knowledge is not None
        and not day_hours  # the week's hours the owner set answer "and sunday?" exactly
        and not only_details(u, details)
        and (
            uncertain
            or intent in KNOWLEDGE_INTENTS
            or u.intent in KNOWLEDGE_INTENTS
            # "how much is it if I cancel late?" asks about the policy, it is no request
            or (intent in GOAL_INTENTS and asks_price(u.text))
            # "y si quiero cambiar a un disco SSD?" changes no appointment
            or (intent in BOOKING_INTENTS and not books(u))
        )
    )
    # A question the owner's knowledge answers is not an unsure turn, whatever the classifier
    # thought of it.
    unsure = uncertain and not answerable and not noting
    state.low_confidence_streak = state.low_confidence_streak + 1 if unsure else 0
    _follow_subject(u, state, intent)

    if intent == "human_handoff":
        return _hand_over(state, "handoff", details)
    if intent.startswith(CUSTOM_PREFIX) and not uncertain:
        # The owner's own answer comes first, even for an upset customer: "my tooth is
        # killing me" should get the emergency line the dentist wrote, not a wait.
        return _custom(intent, faq, state, details)
    if upset(u) and intent not in ("thanks", "goodbye", "greeting"):
        return _hand_over(state, "handoff_upset", details, mood="problem")
    if state.low_confidence_streak >= 2:
        return _hand_over(state, "handoff_unsure", details)
    if state.last_asked == "confirm_handoff":
        state.last_asked = None
        if _YES.match(u.text):
            return _hand_over(state, "handoff", details)
        if _NO.match(u.text):
            return Decision("answer").say("no_problem")
    if noting:
        state.last_asked = None
        decision = Decision("answer", mood="plain").say("details_noted")
        decision.call("capture_lead", **details, interest=state.subject or "")
        return decision
    if intent.startswith(CUSTOM_PREFIX):
        return _custom(intent, faq, state, details)
    if answerable and knowledge is not None:
        # What the owner wrote answers it: quote that, rather than "I don't know" or a
        # request for contact details.
        decision = Decision("answer", mood="plain").say("knowledge", knowledge=knowledge)
        return _with_details(decision, details, state)
    if intent in GOAL_INTENTS:
        return _pursue(intent, u, state, details)
    decision = _simple(intent, u, state)
    return _with_details(decision, details, state)


def file_ticket(u: Understanding | None, decision: Decision) -> Decision:
    """A customer reporting a problem (a billing, technical or account issue, a complaint,
    or an upset message) gets a support ticket: ``open_ticket`` opens one, or returns the
    conversation's open ticket. Whatever else the reply does, this is added to it."""
    if u is None or not u.text.strip():
        return decision
    reports = u.intent in ISSUE_TOPICS and not _unsure(u)
    if reports or decision.handoff == "handoff_upset":
        decision.call("open_ticket")
    return decision


def must_hand_over(u: Understanding | None, state: DialogueState) -> bool:
    """Whether this message goes to a person whatever engine is connected: an explicit
    request, strong negative sentiment or a repeated complaint, or a second unsure turn."""
    if u is None or not u.text.strip():
        return False
    if u.intent == "human_handoff" and u.confidence >= LOW_CONFIDENCE:
        return True
    unsure = _unsure(u)
    return upset(u) or (unsure and state.low_confidence_streak >= 1)


def _unsure(u: Understanding) -> bool:
    """Below our confidence floor, or turned away by the classifier's own threshold (its
    best guess was an intent, not the out-of-scope class)."""
    rejected = u.intent == OUT_OF_SCOPE and bool(u.ranking) and u.ranking[0][0] != OUT_OF_SCOPE
    return rejected or u.confidence < LOW_CONFIDENCE


def note_confidence(u: Understanding | None, state: DialogueState) -> None:
    """Keep the unsure-turn count when an LLM answers (the local policy keeps it itself),
    so "unsure twice in a row" hands over whichever engine is connected."""
    if u is None or not u.text.strip():
        return
    unsure = _unsure(u)
    state.low_confidence_streak = state.low_confidence_streak + 1 if unsure else 0


def _intent(u: Understanding, state: DialogueState) -> tuple[str, bool]:
    """The intent to act on, and whether the classifier was unsure. A message that answers
    the question we just asked continues the current goal whatever it looks like alone
    ("082 555 0199" is not an intent)."""
    uncertain = _unsure(u)
    asked = state.last_asked
    if state.goal and asked in ("name", "contact", "when", "name_contact"):
        gives_contact = (
            u.first("email") or u.first("phone") or u.first("person") or _bare_name(u, state)
        )
        answers = bool(u.datetimes) if asked == "when" else bool(gives_contact)
        switching = u.intent in ("human_handoff", "cancel_appointment") and not uncertain
        # An unclear reply continues the goal, but a new question is a new question.
        if (answers or (uncertain and not QUESTION.search(u.text))) and not switching:
            return state.goal, False
    if uncertain and u.intent == OUT_OF_SCOPE:
        return "unknown", True
    return u.intent, uncertain


def _bare_name(u: Understanding, state: DialogueState) -> str:
    """The answer to "may I have your name?" is often just the name ("Thandi, 082 555 0100"):
    what is left once the email and phone are taken out, if it looks like one to four words
    of a name."""
    if state.last_asked not in ("name", "name_contact"):
        return ""
    rest = u.text
    for entity in sorted(u.entities, key=lambda e: e.start, reverse=True):
        rest = rest[: entity.start] + " " + rest[entity.end :]
    words = re.sub(r"[,;.!]", " ", rest).split()
    words = [w for w in words if w.lower() not in ("and", "it's", "its", "is", "my", "name", "me")]
    if short_reply(u.text) or not is_plausible_name(" ".join(words)):
        return ""  # "ok", "sure", "phone is ...", "how much is it": not a name
    if 1 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words):
        return " ".join(w[:1].upper() + w[1:] for w in words)
    return ""


def _take_details(u: Understanding, state: DialogueState) -> dict[str, str]:
    person = u.first("person")
    details = {
        "name": (person if plausible_name(person) else "") or _bare_name(u, state),
        "email": u.first("email"),
        "phone": u.first("phone"),
    }
    details = {k: v for k, v in details.items() if v}
    known = state.slots.get("name", "")
    if details.get("name") and _less_complete(details["name"], known):
        del details["name"]  # "jess" after "Jess O'Brien" is the same person, said shorter
    for slot, value in details.items():
        state.fill(slot, value)
    when = u.when_text()
    if when:
        state.fill("when", when)
    return details


def _less_complete(new: str, known: str) -> bool:
    new_words, known_words = set(new.lower().split()), set(known.lower().split())
    return bool(known_words) and new_words < known_words


def _hand_over(
    state: DialogueState, wording: str, details: dict[str, str], mood: str = "positive"
) -> Decision:
    decision = Decision("handoff", mood=mood, handoff=wording)
    if details:
        decision.call("capture_lead", **details, interest=state.goal or "")
    state.handed_over = True
    state.finish()
    return decision.call("handoff", reason=wording.replace("_", " "))


def _file(state: DialogueState, has_attachment: bool) -> Decision:
    if state.goal == "payment_proof" or state.last_asked == "payment_proof":
        state.finish()
        return Decision("tool").say("payment_received").call("handoff", reason="payment proof")
    return Decision("tool").say("file_received").call("handoff", reason="file received")


def _custom(
    intent: str, faq: list[CustomIntentData], state: DialogueState, details: dict[str, str]
) -> Decision:
    name = intent[len(CUSTOM_PREFIX) :]
    entry = next((i for i in faq if i.name == name), None)
    if entry is not None and entry.action == "handoff":
        return _hand_over(state, "handoff", details)
    decision = Decision("tool", mood="plain").call("answer_faq", topic=name)
    return _with_details(decision, details, state)


def _pursue(
    intent: str, u: Understanding, state: DialogueState, details: dict[str, str]
) -> Decision:
    """Work towards a goal that needs details, asking for one missing thing at a time."""
    opening = state.goal != intent
    state.start(intent)
    state.slots.setdefault("topic", _topic(intent, u))
    mood = "problem" if intent in ISSUE_TOPICS else "positive"
    decision = Decision("ask", mood=mood)
    if opening and intent in _OPENINGS:
        decision.say(_OPENINGS[intent], topic=state.slots["topic"])
    if intent == "availability" and not state.missing:
        return _pass_on(decision, state, "availability_passed")
    if state.missing:
        decision.say(_question(state.missing))
        state.last_asked = (
            "name_contact" if state.missing[:2] == ["name", "contact"] else state.missing[0]
        )
        if details:
            decision.call("capture_lead", **details, interest=state.slots["topic"])
        return decision
    final = {
        "contact_request": "lead_saved",
        "pricing": "lead_saved",
        "book_appointment": "booking_passed",
        "reschedule_appointment": "booking_passed",
        "cancel_appointment": "cancel_passed",
    }.get(intent, "issue_passed")
    return _pass_on(decision, state, final)


def _pass_on(decision: Decision, state: DialogueState, move: str) -> Decision:
    """All details are in: save them, flag the conversation for the team, and say so."""
    slots = state.slots
    decision.step = "tool"
    lead = {k: slots[k] for k in ("name", "email", "phone") if slots.get(k)}
    interest = slots.get("topic", "")
    if slots.get("when"):
        interest = f"{interest} ({slots['when']})"
    decision.call("capture_lead", **lead, interest=interest)
    contact = slots.get("phone") or slots.get("email") or ""
    if move == "lead_saved":
        move = "lead_saved_call" if slots.get("phone") else "lead_saved_email"
    if move.startswith("lead_saved") and state.goal == "contact_request":
        # A callback is a promise a person keeps: the conversation waits for the team.
        decision.call("handoff", reason=f"callback requested: {interest}")
    elif not move.startswith("lead_saved"):
        decision.call("handoff", reason=f"{state.goal}: {interest}")
    decision.say(move, contact=contact, when=slots.get("when", ""), topic=slots.get("topic", ""))
    state.finish()
    return decision


_OPENINGS = {
    "pricing": "pricing_unknown",
    "book_appointment": "booking_start",
    "reschedule_appointment": "reschedule_start",
    "cancel_appointment": "cancel_start",
    "availability": "availability",
    "complaint": "complaint",
    "billing_issue": "issue",
    "technical_issue": "issue",
    "account_issue": "issue",
}


def _question(missing: list[str]) -> str:
    if missing[:2] == ["name", "contact"]:
        return "ask_name_contact"
    return {"name": "ask_name", "contact": "ask_contact", "when": "ask_when"}[missing[0]]


def _topic(intent: str, u: Understanding) -> str:
    if intent == "pricing" or PRICE_WORDS.search(u.text):
        return "prices"
    if intent in ("book_appointment", "reschedule_appointment", "availability"):
        return "an appointment"
    if intent == "cancel_appointment":
        return "a cancellation"
    return ISSUE_TOPICS.get(intent, "your enquiry")


def _simple(intent: str, u: Understanding, state: DialogueState) -> Decision:
    if intent == "greeting":
        return Decision("answer").say("greet_again" if state.turns > 1 else "greet")
    if intent == "thanks":
        return Decision("answer").say("thanks")
    if intent == "goodbye":
        return Decision("answer").say("goodbye")
    if intent == "hours_location":
        wants_place = bool(_LOCATION_WORDS.search(u.text))
        wants_hours = bool(_HOURS_WORDS.search(u.text)) or not wants_place
        decision = Decision("answer")
        if wants_hours:
            decision.say("hours")
        if wants_place:
            decision.say("address")
        return decision
    if intent == "feature_request":
        return Decision("answer").say("feature")
    if intent == "payment_proof":
        state.start("payment_proof")
        state.last_asked = "payment_proof"
        return Decision("ask").say("payment_ask")
    if intent == OUT_OF_SCOPE:
        return Decision("answer", mood="plain").say("out_of_scope")
    # general_question, or a message the classifier could not place: say we don't know.
    state.last_asked = "confirm_handoff"
    # A role's disclaimer (medical, legal, financial) belongs to questions in its field,
    # not to prices, payments or opening times.
    practical = PRICE_WORDS.search(u.text) or _PAYMENT_WORDS.search(u.text)
    return Decision("confirm", mood="plain").say("unknown", disclaimer=not practical)


def _with_details(decision: Decision, details: dict[str, str], state: DialogueState) -> Decision:
    if details and not any(tool == "capture_lead" for tool, _ in decision.tools):
        decision.call("capture_lead", **details, interest=state.slots.get("topic", ""))
    return decision
