"""Which sentence the local engine quotes, from passages as retrieval hands them over:
the answering sentence wherever it sits, follow-ups read with their subject, and no quote
when what was asked for (a price, a time) is written nowhere relevant."""

from __future__ import annotations

import uuid

from frontdesk.knowledge.answers import THRESHOLDS, compose_answer, relevance_score
from frontdesk.knowledge.retrieval import Passage, Vocabulary
from frontdesk.knowledge.terms import content_terms
from frontdesk.nlu.embedders import get_embedder

SOURCE = uuid.uuid4()
CUT = THRESHOLDS["use-multilingual"][1]  # a passage answers at or above it
NOTES = [
    "Butter tarts $3.25 each, half dozen $18. Nanaimo bars $4. Whole pies $24.",
    "We accept cash, debit, Visa and Mastercard. No Amex.",
    "The bakery is nut-free except our pecan butter tarts, which are baked separately on "
    "Mondays when we're closed to the public.",
    "Free coffee refills. Turnaround on custom cakes is about 3 days.",
]


def _passages(relevance: list[float]) -> list[Passage]:
    return [
        Passage(
            chunk_id=uuid.uuid4(),
            source_id=SOURCE,
            source_kind="instructions",
            title="Assistant instructions",
            heading="",
            text=text,
            url="",
            score=1.0 / (rank + 1),
            relevance=similarity,
            lexical=0.0,
        )
        for rank, (text, similarity) in enumerate(zip(NOTES, relevance, strict=True))
    ]


def _passage(
    text: str, relevance: float, kind: str = "instructions", title: str = "Assistant instructions"
) -> Passage:
    return Passage(
        chunk_id=uuid.uuid4(),
        source_id=SOURCE,
        source_kind=kind,
        title=title,
        heading="",
        text=text,
        url="",
        score=1.0,
        relevance=relevance,
        lexical=0.0,
    )


def _vocabulary() -> Vocabulary:
    frequency: dict[str, int] = {}
    for text in NOTES:
        for term in content_terms(text):
            frequency[term] = frequency.get(term, 0) + 1
    return Vocabulary(frequency, len(NOTES))


def test_the_sentence_with_the_price_wins_over_the_closer_passage() -> None:
    # The nut-free note is closer in meaning as a whole; the price is in another passage.
    passages = _passages([0.25, 0.05, 0.30, 0.05])
    answer = compose_answer(
        "ok fine. how much are butter tarts",
        passages,
        get_embedder("use-multilingual"),
        vocabulary=_vocabulary(),
    )
    assert answer is not None
    assert "3.25" in answer.text, answer.text
    assert answer.used[0].text == NOTES[0]


def test_a_follow_up_with_only_a_number_leans_on_its_subject() -> None:
    passages = _passages([0.23, 0.05, 0.28, 0.05])
    embedder = get_embedder("use-multilingual")
    vocabulary = _vocabulary()
    subject = "how much are butter tarts"
    alone = relevance_score(passages[0], "for 6?", embedder.name, "", vocabulary)
    with_subject = relevance_score(passages[0], "for 6?", embedder.name, subject, vocabulary)
    assert with_subject > alone
    answer = compose_answer("for 6?", passages, embedder, follows=subject, vocabulary=vocabulary)
    assert answer is not None and "18" in answer.text, answer


def test_a_new_question_the_knowledge_does_not_know_is_not_a_follow_up() -> None:
    passages = _passages([0.2, 0.1, 0.2, 0.1])
    answer = compose_answer(
        "¿tienen aparcamiento para bicis?",
        passages,
        get_embedder("use-multilingual"),
        follows="how much are butter tarts",
        vocabulary=_vocabulary(),
    )
    assert answer is None, answer


def test_how_long_is_not_answered_by_a_sentence_without_a_duration() -> None:
    passages = _passages([0.3, 0.1, 0.3, 0.1])
    embedder = get_embedder("use-multilingual")
    vocabulary = _vocabulary()
    # The butter tarts are known, but nothing says how long they take.
    assert (
        compose_answer(
            "how long do the butter tarts take", passages, embedder, vocabulary=vocabulary
        )
        is None
    )
    cakes = compose_answer(
        "how long does a custom cake take", passages, embedder, vocabulary=vocabulary
    )
    assert cakes is not None and "3 days" in cakes.text, cakes


def test_and_with_a_word_the_knowledge_lacks_still_follows_on() -> None:
    passages = _passages([0.23, 0.05, 0.28, 0.05])
    answer = compose_answer(
        "and single ones?",
        passages,
        get_embedder("use-multilingual"),
        follows="how much are butter tarts",
        vocabulary=_vocabulary(),
    )
    assert answer is not None and "3.25" in answer.text, answer


def test_a_synonym_or_a_translation_counts_as_the_written_word() -> None:
    notes = _passage("Regular cleaning $95; children under 12 $75.", 0.3)
    vocabulary = Vocabulary({"regular": 1, "clean": 1, "children": 1, "under": 1}, 1)
    embedder = get_embedder("use-multilingual")
    for question in ("how much for my kids?", "cuánto cuesta la limpieza para niños?"):
        assert relevance_score(notes, question, embedder.name, "", vocabulary) >= CUT, question
    # A word of the same field is not the same word.
    assert relevance_score(notes, "any price for adults?", embedder.name, "", vocabulary) < CUT


def test_one_word_near_by_accident_does_not_answer_a_question_of_other_words() -> None:
    insurance = _passage(
        "We accept Delta Dental and Cigna. Bring your card and we'll handle the claim.",
        0.19,
        kind="text",
        title="Insurance",
    )
    vocabulary = Vocabulary({t: 1 for t in content_terms(f"{insurance.title} {insurance.text}")}, 3)
    embedder = get_embedder("use-multilingual")
    score = relevance_score(
        insurance, "do you sell second-hand bicycles?", embedder.name, "", vocabulary
    )
    assert score < CUT, score  # "hand" sits near "handle"; the rest of the question does not
