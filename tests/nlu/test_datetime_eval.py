"""Span F1 for dates and times: exact (after trimming) and token overlap, micro-averaged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from frontdesk.nlu.datetime_eval import SlotScores, evaluate_datetimes, score_turn, trim_span


def label(text: str, slot: str, value: str) -> dict[str, Any]:
    start = text.index(value)
    return {"slot": slot, "start": start, "end": start + len(value), "value": value}


def turn(text: str, *labels: tuple[str, str], requested: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "text": text,
        "requested_slots": list(requested),
        "labels": [label(text, slot, value) for slot, value in labels],
    }


def write_jsonl(path: Path, turns: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(t) + "\n" for t in turns), encoding="utf-8")
    return path


def test_trim_span_drops_edge_punctuation_and_spaces() -> None:
    text = "at  7:30pm. ok (8pm)"
    assert trim_span(text, 3, 11) == (4, 10)  # " 7:30pm." -> "7:30pm"
    assert trim_span(text, 15, 20) == (16, 19)  # "(8pm)" -> "8pm"
    assert trim_span(text, 10, 12) == (12, 12)  # ". " -> empty, still well-formed


def test_score_turn_exact_versus_token_overlap() -> None:
    text = "table at 8:30 pm on Monday"
    scores = SlotScores()
    gold = [(9, 13)]  # "8:30": the annotator left "pm" out
    predicted = [(9, 16)]  # "8:30 pm"
    score_turn(text, gold, predicted, scores)
    assert (scores.exact.tp, scores.exact.fp, scores.exact.fn) == (0, 1, 1)
    assert scores.exact.f1() == 0.0
    # Tokens "8" and "30" agree, "pm" is extra.
    assert (scores.tokens.tp, scores.tokens.fp, scores.tokens.fn) == (2, 1, 0)
    assert scores.tokens.f1() == pytest.approx(4 / 5)


def test_each_gold_span_is_matched_once() -> None:
    text = "7pm"
    scores = SlotScores()
    score_turn(text, [(0, 3)], [(0, 3), (0, 3)], scores)
    assert (scores.exact.tp, scores.exact.fp, scores.exact.fn) == (1, 1, 0)


def test_nothing_to_find_and_nothing_found_is_perfect() -> None:
    scores = SlotScores()
    score_turn("hello there", [], [], scores)
    assert scores.exact.f1() == 1.0
    assert scores.tokens.f1() == 1.0


def test_evaluate_datetimes_on_a_small_file(tmp_path: Path) -> None:
    turns = [
        # Both found exactly.
        turn("dinner at 7pm tomorrow", ("time", "7pm"), ("date", "tomorrow")),
        # The gold span carries a full stop; trimming makes it an exact match.
        turn("see you Friday.", ("date", "Friday.")),
        # Time boundary disagreement: exact miss, partial token credit. Names are ignored.
        turn(
            "table at 8:30 pm on Monday for Ann Lee",
            ("time", "8:30"),
            ("date", "Monday"),
            ("first_name", "Ann"),
        ),
        # A date the extractor cannot know about.
        turn("sometime soon", ("date", "sometime soon")),
        # Asked for the time, the bare answer is one.
        turn("13", ("time", "13"), requested=("time",)),
        turn("hello", ("people", "hello")),
    ]
    results = evaluate_datetimes(write_jsonl(tmp_path / "tiny.jsonl", turns))
    assert set(results) == {"date_f1", "time_f1", "date_overlap_f1", "time_overlap_f1"}
    # date: TP 3 (tomorrow, Friday, Monday), FN 1 (sometime soon) -> 6/7
    assert results["date_f1"] == pytest.approx(6 / 7)
    # time: TP 2 (7pm, 13), FP 1 ("8:30 pm"), FN 1 ("8:30") -> 4/6
    assert results["time_f1"] == pytest.approx(4 / 6)
    # date tokens: TP 3, FN 2 ("sometime", "soon") -> 6/8
    assert results["date_overlap_f1"] == pytest.approx(6 / 8)
    # time tokens: TP 4 ("7pm", "8", "30", "13"), FP 1 ("pm") -> 8/9
    assert results["time_overlap_f1"] == pytest.approx(8 / 9)
    assert results["time_overlap_f1"] > results["time_f1"]
