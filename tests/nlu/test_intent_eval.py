"""``evaluate_intents`` on tiny CSV splits written here, and its helpers."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from frontdesk.nlu.intent_eval import (
    METRICS,
    evaluate_intents,
    read_labelled_csv,
    sample_shots,
    score,
)

TRAIN = {
    "opening_hours": [
        "when do you open",
        "what time do you close",
        "are you open on sunday",
        "opening hours please",
        "how late are you open tonight",
        "are you open on bank holidays",
    ],
    "prices": [
        "how much is a haircut",
        "what do you charge for colouring",
        "price of a trim",
        "how expensive is a perm",
        "cost of a beard trim",
        "what are your prices",
    ],
    "booking": [
        "book me a haircut on friday",
        "i want an appointment tomorrow",
        "can i book a trim",
        "schedule a colour appointment",
        "any free slots today",
        "i'd like to make a booking",
    ],
}
TEST = {
    "opening_hours": ["what time do you open tomorrow", "are you open late on friday"],
    "prices": ["how much for a kids haircut", "what's the price of highlights"],
    "booking": ["book me in for saturday", "can i get an appointment next week"],
}
UNRELATED = ["qwzx plorb vintex drumple", "the mitochondria is the powerhouse of the cell"]


def write_csv(path: Path, rows: list[tuple[str, str]], *, label_field: str = "label") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", label_field, "category"])  # extra columns are ignored
        for number, (text, label) in enumerate(rows):
            writer.writerow([number, text, label, "SALON"])
    return path


def rows_of(data: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(text, label) for label, texts in data.items() for text in texts]


def check_ranges(figures: dict[str, float]) -> None:
    assert list(figures) == list(METRICS)
    assert set(figures) == {
        "accuracy",
        "macro_f1",
        "in_scope_accuracy",
        "oos_recall",
        "mcc",
        "ms_per_message",
    }
    assert all(isinstance(value, float) for value in figures.values())
    for name in ("accuracy", "macro_f1", "in_scope_accuracy", "oos_recall"):
        assert 0.0 <= figures[name] <= 1.0, name
    assert -1.0 <= figures["mcc"] <= 1.0
    assert 0.0 < figures["ms_per_message"] < 1000.0


def test_closed_set_figures(tmp_path: Path) -> None:
    train = write_csv(tmp_path / "train.csv", rows_of(TRAIN))
    test = write_csv(tmp_path / "test.csv", rows_of(TEST))
    figures = evaluate_intents(train, test, oos_label=None, shots=None, seeds=1)
    check_ranges(figures)
    assert figures["accuracy"] >= 5 / 6
    # Closed set: nothing is rejected and there are no out-of-scope rows.
    assert figures["in_scope_accuracy"] == figures["accuracy"]
    assert figures["oos_recall"] == 0.0


def test_out_of_scope_rows_are_scored_separately(tmp_path: Path) -> None:
    train = write_csv(tmp_path / "train.csv", rows_of(TRAIN))
    test_rows = [*rows_of(TEST), *((text, "oos") for text in UNRELATED)]
    test = write_csv(tmp_path / "test.csv", test_rows)
    figures = evaluate_intents(train, test, oos_label="oos", shots=None, seeds=2)
    check_ranges(figures)
    assert figures["oos_recall"] == 1.0  # gibberish and biology are not salon intents
    # Overall accuracy mixes the two scopes by their row counts.
    expected = (6 * figures["in_scope_accuracy"] + 2 * figures["oos_recall"]) / 8
    assert figures["accuracy"] == pytest.approx(expected)


def test_shots_sample_per_label_and_differ_by_seed(tmp_path: Path) -> None:
    texts, labels = [text for text, _ in rows_of(TRAIN)], [y for _, y in rows_of(TRAIN)]
    first = sample_shots(texts, labels, 2, seed=0)
    assert Counter(first[1]) == {"opening_hours": 2, "prices": 2, "booking": 2}
    assert all(label == dict(rows_of(TRAIN))[text] for text, label in zip(*first, strict=True))
    assert sample_shots(texts, labels, 2, seed=0) == first  # reproducible
    assert any(sample_shots(texts, labels, 2, seed=s)[0] != first[0] for s in range(1, 5))
    assert Counter(sample_shots(texts, labels, 50, seed=0)[1])["prices"] == 6  # all there are

    train = write_csv(tmp_path / "train.csv", rows_of(TRAIN))
    test = write_csv(tmp_path / "test.csv", rows_of(TEST))
    check_ranges(evaluate_intents(train, test, oos_label=None, shots=3, seeds=2))


def test_score_by_hand() -> None:
    truth = ["a", "a", "b", "oos", "oos"]
    predicted = ["a", "b", "b", "oos", "a"]
    figures = score(truth, predicted, "oos")
    assert figures["accuracy"] == pytest.approx(3 / 5)
    assert figures["in_scope_accuracy"] == pytest.approx(2 / 3)
    assert figures["oos_recall"] == pytest.approx(1 / 2)
    # Per-label F1: a = 2*(1/2*1/2)/(1) = 0.5, b = 2/3, oos = 2/3.
    assert figures["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 2 / 3) / 3)
    assert score(truth, truth, "oos")["mcc"] == pytest.approx(1.0)
    closed = score(["a", "b"], ["a", "a"], None)
    assert closed["oos_recall"] == 0.0 and closed["in_scope_accuracy"] == closed["accuracy"]


def test_reads_quoted_multiline_text_and_intent_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bitext.csv",
        [("first line\nsecond, with a comma", "x"), ('say "hi"', "y")],
        label_field="intent",
    )
    assert read_labelled_csv(path) == (["first line\nsecond, with a comma", 'say "hi"'], ["x", "y"])
    bad = tmp_path / "bad.csv"
    bad.write_text("sentence,category\nhello,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="header"):
        read_labelled_csv(bad)
