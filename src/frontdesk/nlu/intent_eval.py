"""``frontdesk eval intents``: the product's ``IntentClassifier`` on a public text,label split.

Protocol (all choices made on training data only; the test file is read once, to score):

* CSVs are RFC-4180 with a header naming ``text`` and ``label`` (Bitext's ``intent`` column
  is accepted when there is no ``label``); other columns are ignored.
* ``shots=N`` trains on N random examples per label (fewer if a label has fewer), drawn with
  ``numpy.random.default_rng(seed)`` for seed = 0..seeds-1; the figures are seed means.
  Without ``shots`` the whole training file is used, and ``seeds`` only reseeds the threshold
  cross-validation (so with no ``oos_label`` either, one run stands for all of them).
* ``oos_label``: test rows with that label are out of scope; a rejection is the correct
  answer for them. Training rows with that label, if any, stay as an ordinary class. The
  rejection threshold is learnt from the training data (see ``IntentClassifier``).
  Without ``oos_label`` the benchmark is closed-set, so the classifier is trained with
  ``reject=False`` and never rejects: every answer is one of the trained intents.
* Every test message is predicted on its own with ``IntentClassifier.predict``, as the product
  does, and ``ms_per_message`` is the mean wall time of those single calls (one core, model
  loaded and warm).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, matthews_corrcoef

from frontdesk.nlu.classifier import IntentClassifier

METRICS = ("accuracy", "macro_f1", "in_scope_accuracy", "oos_recall", "mcc", "ms_per_message")
_DEFAULT_OOS = "out_of_scope"


def read_labelled_csv(path: Path) -> tuple[list[str], list[str]]:
    """``(texts, labels)`` from a CSV whose header has ``text`` and ``label`` (or ``intent``)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        label_field = "label" if "label" in fields else "intent"
        if "text" not in fields or label_field not in fields:
            raise ValueError(f"{path}: header must name text and label columns, got {fields}")
        rows = [(row["text"], row[label_field]) for row in reader]
    return [text for text, _ in rows], [label for _, label in rows]


def sample_shots(
    texts: Sequence[str], labels: Sequence[str], shots: int, seed: int
) -> tuple[list[str], list[str]]:
    """``shots`` random rows per label (all of a smaller label), in the original row order."""
    rng = np.random.default_rng(seed)
    label_array = np.asarray(labels, dtype=object)
    chosen: list[int] = []
    for label in sorted(set(labels)):
        rows = np.flatnonzero(label_array == label)
        chosen.extend(int(i) for i in rng.choice(rows, size=min(shots, len(rows)), replace=False))
    chosen.sort()
    return [texts[i] for i in chosen], [labels[i] for i in chosen]


def score(
    truth: Sequence[str], predicted: Sequence[str], oos_label: str | None
) -> dict[str, float]:
    """Accuracy, macro-F1 and MCC over all rows; accuracy and recall per scope."""
    true_array = np.asarray(truth, dtype=object)
    pred_array = np.asarray(predicted, dtype=object)
    right = true_array == pred_array
    is_oos = true_array == oos_label if oos_label is not None else np.zeros(len(right), bool)
    accuracy = float(right.mean())
    return {
        "accuracy": accuracy,
        "macro_f1": float(f1_score(true_array, pred_array, average="macro", zero_division=0)),
        "in_scope_accuracy": float(right[~is_oos].mean()) if (~is_oos).any() else 0.0,
        "oos_recall": float(right[is_oos].mean()) if is_oos.any() else 0.0,
        "mcc": float(matthews_corrcoef(true_array, pred_array)),
    }


def _run_once(
    train: tuple[list[str], list[str]],
    test: tuple[list[str], list[str]],
    oos_label: str | None,
    seed: int,
) -> dict[str, float]:
    classifier = IntentClassifier.train(
        train[0],
        train[1],
        seed=seed,
        out_of_scope_label=oos_label if oos_label is not None else _DEFAULT_OOS,
        reject=oos_label is not None,
    )
    classifier.predict(test[0][0] if test[0] else "")  # warm-up: first-call allocations
    predicted: list[str] = []
    started = time.perf_counter()
    for text in test[0]:
        predicted.append(classifier.predict(text).label)
    elapsed_ms = (time.perf_counter() - started) * 1000
    figures = score(test[1], predicted, oos_label)
    figures["ms_per_message"] = elapsed_ms / max(len(predicted), 1)
    return figures


def evaluate_intents(
    train: Path, test: Path, *, oos_label: str | None, shots: int | None, seeds: int
) -> dict[str, float]:
    """Train on ``train``, score on ``test``; the mean of each figure over ``seeds`` runs."""
    if seeds < 1:
        raise ValueError("seeds must be at least 1")
    train_rows = read_labelled_csv(train)
    test_rows = read_labelled_csv(test)
    if not test_rows[0]:
        raise ValueError(f"{test}: no test rows")
    deterministic = shots is None and oos_label is None
    runs = []
    for seed in range(1 if deterministic else seeds):
        rows = train_rows if shots is None else sample_shots(*train_rows, shots, seed)
        runs.append(_run_once(rows, test_rows, oos_label, seed))
    return {name: float(np.mean([run[name] for run in runs])) for name in METRICS}
