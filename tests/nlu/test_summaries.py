"""Extractive conversation summaries and their DialogSum ROUGE evaluator."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from frontdesk.nlu.summaries import lead3, split_sentences, summarize_turns
from frontdesk.nlu.summary_eval import evaluate_summaries, parse_dialogue

BOOKING = [
    ("assistant", "Good morning! Thanks for calling Bella Pasta, how can I help you today?"),
    ("customer", "Hi."),
    ("customer", "I would like to book a table for four people on Friday evening at seven."),
    ("assistant", "Sure. Can I have your name, please?"),
    ("customer", "It's Maria Lopez."),
    ("assistant", "Thank you. Do you have any dietary requirements?"),
    ("customer", "Yes, one of my guests has a severe peanut allergy, so the kitchen must know."),
    ("assistant", "I have booked the table for Friday at seven and noted the peanut allergy."),
    ("customer", "Great, thanks!"),
    ("assistant", "You're welcome. Have a nice day!"),
]


def test_summary_picks_the_informative_sentences_not_the_courtesies() -> None:
    summary = summarize_turns(BOOKING)
    assert "table for four people on Friday" in summary
    assert "peanut allergy" in summary
    for filler in ("Good morning", "Thanks for calling", "Hi.", "Great", "nice day", "welcome"):
        assert filler not in summary
    assert "The customer: One of the customer's guests" in summary  # "Yes, " is dropped


def test_the_central_sentence_beats_an_earlier_aside() -> None:
    turns = [
        ("customer", "My cousin recommended your place after her holiday last summer."),
        ("customer", "I need a table for Saturday night."),
        ("assistant", "We have a table free on Saturday night at eight."),
        ("customer", "A table on Saturday night at eight is perfect."),
    ]
    assert summarize_turns(turns, max_sentences=1) == (
        "The customer needs a table for Saturday night."
    )


def test_summary_is_third_person_with_the_speaker_named() -> None:
    summary = summarize_turns(BOOKING)
    assert summary.startswith("The customer would like to book a table")
    assert " I " not in f" {summary} "


def test_two_party_second_person_becomes_the_other_speaker() -> None:
    turns = [
        ("#Person1#", "Could you send me the menu for the wedding dinner?"),
        ("#Person2#", "I need your email address first."),
    ]
    summary = summarize_turns(turns)
    assert summary == (
        "#Person1# asks #Person2# to send #Person1# the menu for the wedding dinner. "
        "#Person2# needs #Person1#'s email address first."
    )


def test_respects_max_sentences_and_keeps_the_original_order() -> None:
    sentences = [s for _, text in BOOKING for s in split_sentences(text)]
    for limit in (1, 2, 3, 4):
        summary = summarize_turns(BOOKING, max_sentences=limit)
        picked = split_sentences(summary)
        assert len(picked) == limit
        # Map each picked sentence back to its source by a distinctive word it keeps.
        origins = [next(i for i, s in enumerate(sentences) if _tail(p) in s) for p in picked]
        assert origins == sorted(origins)


def _tail(sentence: str) -> str:
    """The last three words, which the third-person rewrite leaves alone in these turns."""
    return " ".join(sentence.rstrip(".!?").split()[-3:])


def test_near_duplicates_are_not_both_chosen() -> None:
    turns = [
        ("customer", "I want to change my booking to Saturday at eight."),
        ("customer", "I want to change my booking to Saturday at eight, please."),
        ("assistant", "The chef can prepare a gluten free birthday cake for the party."),
    ]
    summary = summarize_turns(turns, max_sentences=2)
    assert summary.count("Saturday") == 1
    assert "gluten free birthday cake" in summary


def test_empty_and_blank_input() -> None:
    assert summarize_turns([]) == ""
    assert summarize_turns([("customer", ""), ("assistant", "   ")]) == ""
    assert lead3([]) == ""
    with pytest.raises(ValueError):
        summarize_turns(BOOKING, max_sentences=0)


def test_lead3_is_the_first_three_sentences_without_speakers() -> None:
    assert lead3(BOOKING) == (
        "Good morning! Thanks for calling Bella Pasta, how can I help you today? Hi."
    )


def test_sentence_split_keeps_titles_and_mends_spaced_contractions() -> None:
    assert split_sentences("Excuse me, Mr. White. I ' Ve got it! Don ' t go?") == [
        "Excuse me, Mr. White.",
        "I've got it!",
        "Don't go?",
    ]


def test_a_twenty_turn_conversation_takes_well_under_a_second() -> None:
    turns = BOOKING * 2
    summarize_turns(turns)  # loads the embedding model once
    start = time.perf_counter()
    for _ in range(20):
        summarize_turns(turns)
    # About 2 ms each on the 2-core machine; the bound only catches a gross regression (work
    # redone per call, like reloading the embedding model) and stays far above a busy CI's noise.
    assert (time.perf_counter() - start) / 20 < 0.1


def test_parse_dialogue_keeps_tags_and_joins_wrapped_lines() -> None:
    assert parse_dialogue("#Person1#: Hello.\n(wrapped)\n#Person2#:Hi there.") == [
        ("#Person1#", "Hello. (wrapped)"),
        ("#Person2#", "Hi there."),
    ]


def _write(path: Path, rows: list[tuple[str, list[str]]]) -> Path:
    lines = [
        json.dumps({"id": str(i), "dialogue": d, "summaries": s}) for i, (d, s) in enumerate(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


DIALOGUE = "#Person1#: Alpha beta.\n#Person2#: Gamma delta.\n#Person1#: Epsilon.\n#Person2#: Zeta."


def test_evaluate_lead3_against_hand_computed_rouge(tmp_path: Path) -> None:
    # LEAD-3 here is "Alpha beta. Gamma delta. Epsilon." = alpha beta gamma delta epsilon.
    # Item 1 equals its reference: 1, 1, 1.
    # Item 2 has references [exact, "omega"]: the mean over references is 0.5, 0.5, 0.5.
    # Item 3 vs "alpha beta omega": 2 of 5 unigrams match 2 of 3, F1 = 2*.4*(2/3)/(.4+2/3)
    # = 0.5; bigrams 1 of 4 vs 1 of 2, F1 = 1/3; the LCS is "alpha beta", F1 = 0.5.
    exact = "alpha beta gamma delta epsilon"
    data = _write(
        tmp_path / "tiny.jsonl",
        [(DIALOGUE, [exact]), (DIALOGUE, [exact, "omega"]), (DIALOGUE, ["alpha beta omega"])],
    )
    results = evaluate_summaries(data)
    assert set(results) == {
        "rouge1", "rouge2", "rougeL", "lead3_rouge1", "lead3_rouge2", "lead3_rougeL",
    }  # fmt: skip
    assert all(isinstance(v, float) and 0.0 <= v <= 1.0 for v in results.values())
    assert results["lead3_rouge1"] == pytest.approx((1 + 0.5 + 0.5) / 3)
    assert results["lead3_rouge2"] == pytest.approx((1 + 0.5 + 1 / 3) / 3)
    assert results["lead3_rougeL"] == pytest.approx((1 + 0.5 + 0.5) / 3)


def test_evaluate_scores_the_product_summary_too(tmp_path: Path) -> None:
    lines = ["Hello.", "I need to renew my passport before the trip to Japan.", "OK.", "Thanks."]
    dialogue = "\n".join(f"#Person{1 + i % 2}#: {text}" for i, text in enumerate(lines))
    # Filler never pads the summary, so it is the one informative sentence, rewritten.
    summary = "#Person2# needs to renew #Person2#'s passport before the trip to Japan."
    assert summarize_turns(parse_dialogue(dialogue)) == summary
    data = _write(tmp_path / "one.jsonl", [(dialogue, ["#Person2# needs to renew a passport."])])
    results = evaluate_summaries(data)
    # Tokens (lower-cased, split on non-alphanumerics, stemmed): 12 in the summary, 6 in the
    # reference; 5 unigrams match (person2 need to renew passport): F1 = 2*5/(12+6) = 5/9.
    # Bigrams: 11 vs 5, three match (person2 need, need to, to renew): F1 = 6/16 = 0.375.
    assert results["rouge1"] == pytest.approx(5 / 9)
    assert results["rouge2"] == pytest.approx(0.375)
    assert results["rouge1"] > results["lead3_rouge1"]


def test_evaluate_rejects_an_item_without_references(tmp_path: Path) -> None:
    data = _write(tmp_path / "bad.jsonl", [(DIALOGUE, [])])
    with pytest.raises(ValueError, match="no reference"):
        evaluate_summaries(data)


def test_evaluate_names_the_malformed_line(tmp_path: Path) -> None:
    data = _write(tmp_path / "bad.jsonl", [(DIALOGUE, ["alpha"])])
    data.write_text(data.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: not JSON"):
        evaluate_summaries(data)
