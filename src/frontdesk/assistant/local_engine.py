"""The engine every workspace starts with: no API key, no network, a few milliseconds.

It understands with the local NLU (done by the reply job, handed over in the context),
decides with :mod:`policy`, acts through the same tools an LLM would use, and words the reply
with :mod:`phrasing` in the persona's voice and the customer's language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from frontdesk.appointments.chat_flow import booking_reply
from frontdesk.assistant.engine import OnDelta, Reply, ReplyContext
from frontdesk.assistant.hours_answer import DAY_NAMES, asked_days, day_hours, week_lines
from frontdesk.assistant.persona import ROLES
from frontdesk.assistant.phrasebooks import PHRASEBOOKS
from frontdesk.assistant.phrasing import Voice, first_name
from frontdesk.assistant.policy import Decision, decide, file_ticket
from frontdesk.assistant.rewrite import revise_locally
from frontdesk.assistant.tools import ToolResult
from frontdesk.nlu.language import detect_language
from frontdesk.nlu.summaries import summarize_turns
from frontdesk.tickets.chat import say as ticket_wording

OPENER_MOVES = frozenset(
    {
        "hours",
        "address",
        "booking_start",
        "reschedule_start",
        "availability",
        "pricing_unknown",
        "feature",
        "issue",
        "complaint",
        "cancel_start",
        "unknown",
    }
)


class LocalAssistant:
    async def respond(self, context: ReplyContext, on_delta: OnDelta) -> Reply:
        voice = self.voice(context)
        # A booking, move or cancellation is followed by its own dialogue when the
        # workspace has services to book (appointments/chat_flow.py).
        booking = await booking_reply(context, voice.language)
        if booking is not None:
            context.state.turns += 1
            return Reply(voice.compose([booking], "plain"))
        decision = decide(
            context.understanding,
            context.state,
            faq=context.faq,
            has_attachment=context.has_attachment,
            knowledge=context.knowledge,
        )
        file_ticket(context.understanding, decision)
        results = await _run_tools(context, decision)
        voice = self.voice(context)  # again: the policy may have learnt the customer's name
        first = decision.moves[0][0] if decision.moves else ""
        # A personality's opener only leads into an answer; greetings, thanks and handoffs
        # carry their own warmth, and "Sure thing! Hello!" reads like a machine.
        mood = decision.mood if first in OPENER_MOVES and not decision.handoff else "plain"
        text = voice.compose(_words(context, decision, results, voice), mood)
        handed_over = "handoff" in results and results["handoff"].ok
        used = [
            p
            for move, values in decision.moves
            if move == "knowledge"
            for p in values["knowledge"].used
        ]
        return Reply(text, wants_human=handed_over or decision.step == "handoff", citations=used)

    def voice(self, context: ReplyContext) -> Voice:
        persona = context.persona
        language = persona.language if persona.language in PHRASEBOOKS else "en"
        # The customer's language, from their latest message when it says clearly, else the
        # one the conversation has been in ("y para niños?" is too short to tell alone).
        text = context.understanding.text if context.understanding else ""
        detected = detect_language(text, default="", candidates=tuple(PHRASEBOOKS))
        if detected:
            context.state.language = detected
        if context.state.language in PHRASEBOOKS:
            language = context.state.language
        elif context.understanding and context.understanding.language in PHRASEBOOKS:
            language = context.understanding.language
        name = context.state.slots.get("name") or context.customer_name
        voice = Voice(language=language, personality=persona.personality, state=context.state)
        voice.facts = {
            "name": f", {first_name(name)}" if name else "",
            "first": first_name(name),
            "assistant": persona.assistant_name,
            "role": ROLES[persona.role].title if persona.role in ROLES else "assistant",
            "business": persona.business_name,
            "address": persona.address,
        }
        voice.facts["capabilities"] = voice.say("capabilities")
        return voice

    async def revise(self, text: str, instructions: str, context: ReplyContext) -> str:
        return revise_locally(text, instructions)

    async def summarize(self, context: ReplyContext) -> str:
        turns = [(t.sender_type, t.text) for t in context.history if t.text.strip()]
        return summarize_turns(turns)


async def _run_tools(context: ReplyContext, decision: Decision) -> dict[str, ToolResult]:
    results: dict[str, ToolResult] = {}
    if context.tools is None:
        return results
    for name, args in decision.tools:
        if name in context.tools:
            results[name] = await context.tools.call(name, args)
    return results


def _words(
    context: ReplyContext, decision: Decision, results: dict[str, ToolResult], voice: Voice
) -> list[str]:
    persona = context.persona
    parts: list[str] = []
    if decision.handoff:
        parts.append(voice.say(decision.handoff, handoff_when=_when(results, voice)))
    faq = results.get("answer_faq")
    if faq is not None and faq.ok:
        parts.append(faq.content)
    for move, values in decision.moves:
        extra: dict[str, Any] = dict(values)
        if move == "hours":
            if not persona.business_hours:
                parts.append(voice.say("unknown"))
                continue
            days = asked_days(context.last_customer_text, persona.timezone)
            if days:  # the day asked about, not the whole week
                parts.extend(_day_answers(persona, days, voice))
                continue
            lines = week_lines(persona.business_hours, voice.language, persona.country)
            extra["hours"] = "\n".join(f"- {line}" for line in lines)
        if move == "address" and not persona.address:
            move = "no_address"
        if extra.get("topic"):
            # Topics are named in English by the policy; say them in the reply's language.
            extra["topic"] = getattr(voice.book, "TOPICS", {}).get(extra["topic"], extra["topic"])
        if move == "knowledge":
            answer = extra.pop("knowledge")
            extra["answer"] = answer.text
            extra["source"] = _source_label(answer.used)
        parts.append(voice.say(move, **extra))
        if extra.get("disclaimer") and persona.role in ROLES and ROLES[persona.role].disclaimer:
            parts.append(ROLES[persona.role].disclaimer)
    ticket = results.get("open_ticket")
    if ticket is not None and ticket.ok and ticket.data.get("created"):
        # Told once, when it opens, before any question the reply ends on.
        line = ticket_wording(voice.language, "opened", ticket.data["reference"])
        parts.insert(min(1, len(parts)), line)
    return parts


def _day_answers(persona: Any, days: list[str], voice: Voice) -> list[str]:
    answers = []
    for day in days:
        name, spans, following = day_hours(
            persona.business_hours, day, voice.language, persona.country
        )
        if spans:
            answers.append(voice.say("day_open", day=name, spans=spans))
        elif following:
            answers.append(voice.say("day_closed", day=name, next=following))
        else:
            answers.append(voice.say("day_closed_never", day=name))
    return answers


def _source_label(used: list[Any]) -> str:
    """How the customer sees where an answer came from: the source's title, and its public
    address when the business made it public."""
    if not used:
        return ""
    passage = used[0]
    title = passage.title or "our information"
    return f"{title}, {passage.url}" if passage.url else title


def _when(results: dict[str, ToolResult], voice: Voice) -> str:
    handoff = results.get("handoff")
    if handoff is None or not handoff.ok:
        return voice.say("when_unknown")
    if handoff.data.get("open_now"):
        return voice.say("when_open")
    when = handoff.data.get("next_opening")
    if when:
        day, time = _day_time(when, voice.language)
        return voice.say("when_closed", day=day, time=time)
    return voice.say("when_unknown")


def _day_time(iso: str, language: str) -> tuple[str, str]:
    """The day in the reply's language ("viernes", not "Friday") and the time."""
    moment = datetime.fromisoformat(iso)
    key = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[moment.weekday()]
    name = DAY_NAMES.get(language, DAY_NAMES["en"])[key]
    return name, moment.strftime("%H:%M")
