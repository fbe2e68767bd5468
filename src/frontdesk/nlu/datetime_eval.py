"""Date/time span F1 of the product's extractor on Restaurant-8k-style JSONL.

Each line is ``{"text", "requested_slots", "labels": [{"slot", "start", "end", "value"}]}``.
Only the ``date`` and ``time`` slots are scored; other labels are ignored.

Two measures per slot, both micro-averaged over the whole file (counts are summed over
all turns before dividing, so long files are not dominated by easy one-word turns):

* **Exact-span F1** (``date_f1``, ``time_f1``). Every span, gold or predicted, is first
  trimmed of whitespace and punctuation at both edges (annotators disagree about a
  trailing "." or a stray leading space; that is not an extraction error). A predicted
  span is a true positive when a gold span of the same slot in the same turn has the same
  trimmed character offsets; each gold span can be matched once. Unmatched predictions are
  false positives, unmatched gold spans false negatives.
* **Token-overlap F1** (``date_overlap_f1``, ``time_overlap_f1``). The text is split into
  word tokens (``\\w+``). For each turn and slot, the gold token set is every token that
  overlaps (by at least one character) some gold span of that slot, likewise the predicted
  set. TP = tokens in both sets, FP = predicted only, FN = gold only. This gives partial
  credit for "7:30" vs "7:30 pm" and shows how far exact-match misses are from being right.

F1 is 2·TP / (2·TP + FP + FN), and 1.0 when a slot has neither gold nor predictions.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontdesk.nlu.datetimes import find_datetime_spans

SLOTS = ("date", "time")
_TRIM = set(string.whitespace + string.punctuation)
_TOKEN = re.compile(r"\w+")


@dataclass
class _Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 1.0 if denominator == 0 else 2 * self.tp / denominator


@dataclass
class SlotScores:
    """Running exact and token counts for one slot."""

    exact: _Counts = field(default_factory=_Counts)
    tokens: _Counts = field(default_factory=_Counts)
    gold: int = 0


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of ``text[start:end]`` without whitespace/punctuation at either edge."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _covered_tokens(text: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    """Start offsets of the word tokens that overlap any of ``spans``."""
    spans = list(spans)
    return {
        token.start()
        for token in _TOKEN.finditer(text)
        if any(token.start() < end and start < token.end() for start, end in spans)
    }


def score_turn(
    text: str,
    gold: Sequence[tuple[int, int]],
    predicted: Sequence[tuple[int, int]],
    scores: SlotScores,
) -> None:
    """Add one turn's spans for one slot to ``scores`` (both measures)."""
    scores.gold += len(gold)
    unmatched = [trim_span(text, start, end) for start, end in gold]
    for start, end in predicted:
        key = trim_span(text, start, end)
        if key in unmatched:
            unmatched.remove(key)
            scores.exact.tp += 1
        else:
            scores.exact.fp += 1
    scores.exact.fn += len(unmatched)
    gold_tokens = _covered_tokens(text, gold)
    predicted_tokens = _covered_tokens(text, predicted)
    scores.tokens.tp += len(gold_tokens & predicted_tokens)
    scores.tokens.fp += len(predicted_tokens - gold_tokens)
    scores.tokens.fn += len(gold_tokens - predicted_tokens)


def read_turns(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate_turns(turns: Iterable[dict[str, Any]]) -> dict[str, SlotScores]:
    scores = {slot: SlotScores() for slot in SLOTS}
    for turn in turns:
        text: str = turn["text"]
        spans = find_datetime_spans(text, turn.get("requested_slots") or ())
        for slot in SLOTS:
            gold = [
                (int(label.get("start", 0)), int(label["end"]))
                for label in turn.get("labels", ())
                if label["slot"] == slot
            ]
            predicted = [(span.start, span.end) for span in spans if span.kind == slot]
            score_turn(text, gold, predicted, scores[slot])
    return scores


def evaluate_datetimes(data: Path) -> dict[str, float]:
    """Exact-span and token-overlap F1 for the date and time slots of ``data`` (JSONL)."""
    scores = evaluate_turns(read_turns(data))
    results: dict[str, float] = {}
    for slot in SLOTS:
        results[f"{slot}_f1"] = scores[slot].exact.f1()
    for slot in SLOTS:
        results[f"{slot}_overlap_f1"] = scores[slot].tokens.f1()
    return results
