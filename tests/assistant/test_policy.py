"""The local engine's policy and voice, without a database: decisions, tone, languages."""

from __future__ import annotations

from datetime import UTC, datetime

from frontdesk.assistant.dialogue import DialogueState
from frontdesk.assistant.engine import ReplyContext
from frontdesk.assistant.intent_models import intent_models
from frontdesk.assistant.local_engine import LocalAssistant, _day_time
from frontdesk.assistant.persona import PERSONALITIES
from frontdesk.assistant.policy import decide, must_hand_over
from frontdesk.assistant.prompt import PromptInput
from frontdesk.assistant.rewrite import revise_locally
from frontdesk.nlu.language import detect_language
from frontdesk.nlu.understand import Understanding, understand
from frontdesk.workspaces.hours import default_hours

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def persona(**changes: object) -> PromptInput:
    values: dict[str, object] = {
        "assistant_name": "Sunny",
        "role": "receptionist",
        "personality": "professional",
        "instructions": "",
        "business_name": "Bright Smile Dental",
        "address": "12 Main Road, Cape Town",
        "business_hours": default_hours(),
    }
    values.update(changes)
    return PromptInput(**values)  # type: ignore[arg-type]


def understood(text: str) -> Understanding:
    """As the reply job does it: the customer's language picks the model."""
    language = detect_language(text)
    model = intent_models.base(language)
    return understand(
        text, model, region="ZA", timezone="Africa/Johannesburg", now=NOW, language=language
    )


async def reply(text: str, state: DialogueState | None = None, **changes: object) -> str:
    context = ReplyContext(
        persona=persona(**changes), understanding=understood(text), state=state or DialogueState()
    )
    return (await LocalAssistant().respond(context, _ignore)).text


async def _ignore(_piece: str) -> None:
    return None


async def test_every_personality_reads_differently() -> None:
    texts = {p: await reply("my card was charged twice", personality=p) for p in PERSONALITIES}
    assert len(set(texts.values())) == len(PERSONALITIES), texts
    assert "'" not in texts["formal"].replace("Bright Smile", "")  # no contractions
    assert len(texts["concise"]) <= min(len(t) for t in texts.values())
    assert texts["empathetic"].startswith(("I understand", "That sounds"))


async def test_the_same_question_twice_is_worded_differently() -> None:
    state = DialogueState()
    first = await reply("what time do you open?", state)
    second = await reply("what time do you open?", state)
    assert first != second
    assert "Monday: 09:00-17:00" in first and "Monday: 09:00-17:00" in second


async def test_spanish_has_its_own_wording() -> None:
    text = await reply("hola, buenos días", language="es")
    assert text.startswith(("¡Hola", "Hola")), text
    assert "Sunny" in text


async def test_unknown_answers_say_so_and_offer_a_person() -> None:
    text = await reply("do you do root canals on children?")
    assert "don't want to guess" in text or "rather not give you wrong" in text, text


async def test_a_question_answered_on_the_next_turn_fills_the_slot() -> None:
    state = DialogueState()
    decision = decide(understood("can someone call me back?"), state, faq=[])
    assert state.goal == "contact_request" and state.last_asked == "name_contact"
    assert decision.step == "ask"
    decision = decide(understood("Thandi, 082 555 0100"), state, faq=[])
    assert decision.step == "tool"
    lead = dict(decision.tools)["capture_lead"]
    assert lead["phone"] == "+27825550100" and lead["name"] == "Thandi"
    assert state.goal is None  # passed on


def test_strong_anger_always_goes_to_a_person() -> None:
    furious = understood("This is absolutely terrible, the worst service ever, I am furious!")
    assert must_hand_over(furious, DialogueState())
    assert not must_hand_over(understood("what are your hours?"), DialogueState())


def test_rule_based_rewrites_change_the_text() -> None:
    draft = "Hi there! I'm sure we can fit you in. It's quick. Let's talk soon."
    assert revise_locally(draft, "shorter") == "Hi there!"
    formal = revise_locally(draft, "more formal")
    assert "I am" in formal and "!" not in formal
    assert revise_locally(draft, "warmer").startswith(("Thanks so much", "Happy to help"))


def test_a_bare_ok_after_the_offer_of_a_person_is_no_yes() -> None:
    for word, hands_over in (("cool", False), ("bet", False), ("yes please", True)):
        state = DialogueState()
        # An unsure turn: one more unsure turn would hand over.
        first = decide(understood("can u fix a drone"), state, faq=[])
        assert first.step == "confirm" and state.last_asked == "confirm_handoff"
        second = decide(understood(word), state, faq=[])
        assert (second.step == "handoff") is hands_over, (word, second)


def test_details_given_unasked_are_noted_not_puzzled_over() -> None:
    state = DialogueState()
    decision = decide(
        understood("it's oliver grant, 072 555 0123, order's under my name"), state, faq=[]
    )
    assert [move for move, _ in decision.moves] == ["details_noted"], decision
    lead = dict(decision.tools)["capture_lead"]
    assert lead["name"] == "Oliver Grant" and lead["phone"] == "+27725550123"
    assert state.last_asked is None and state.low_confidence_streak == 0


def test_asking_for_someone_by_name_or_to_be_called_back_goes_to_a_person() -> None:
    state = DialogueState()
    decision = decide(understood("this is callum, can i speak to tommy himself"), state, faq=[])
    assert decision.step == "handoff", decision
    state = DialogueState()
    decision = decide(
        understood("righto, can someone ring me back, sam nguyen 082 555 0100"), state, faq=[]
    )
    tools = dict(decision.tools)
    assert tools["capture_lead"]["name"] == "Sam Nguyen"
    assert "handoff" in tools, decision  # a promised call waits for a person


async def test_spanish_replies_name_topics_and_days_in_spanish() -> None:
    text = await reply("soy ana torres, me pueden llamar al 082 555 0100?", language="es")
    assert "enquiry" not in text and "consulta" in text, text
    assert _day_time("2026-12-04T10:00:00+01:00", "es") == ("viernes", "10:00")
    assert _day_time("2026-12-04T10:00:00+01:00", "en") == ("Friday", "10:00")


def test_thanks_with_an_ok_in_front_is_thanks_and_ends_a_pending_request() -> None:
    for text in ("vale gracias", "ok thanks!", "cool thanks mate"):
        state = DialogueState()
        decide(understood("can someone call me back?"), state, faq=[])
        assert state.goal == "contact_request"
        decision = decide(understood(text), state, faq=[])
        assert [move for move, _ in decision.moves] == ["thanks"], (text, decision)
        assert state.goal is None


def test_changing_something_that_is_no_appointment_is_no_reschedule() -> None:
    from frontdesk.knowledge.answers import KnowledgeAnswer

    quote = KnowledgeAnswer("SSD upgrade: $99 labour plus the drive.")
    for text in ("y si quiero cambiar a un disco SSD?", "can I change to an SSD instead?"):
        decision = decide(understood(text), DialogueState(), faq=[], knowledge=quote)
        assert [move for move, _ in decision.moves] == ["knowledge"], (text, decision)
    moving = decide(
        understood("can I move my appointment to friday?"), DialogueState(), faq=[], knowledge=quote
    )
    assert [move for move, _ in moving.moves] != ["knowledge"], moving
