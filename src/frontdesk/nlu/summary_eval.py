"""ROUGE of the product's conversation summaries, and of LEAD-3, on DialogSum JSONL.

Each line is ``{"id", "dialogue", "summaries": [...], "topics": [...]}``; the dialogue is
turns ``#Person1#: ...`` joined by newlines (DialogSum, Chen et al., Findings of ACL 2021).
The dev split has one reference summary per dialogue, the test split three.

Measure: ``rouge_score`` 0.1.2's ``RougeScorer(["rouge1", "rouge2", "rougeL"],
use_stemmer=True)``, F-measure. ``rougeL`` is the sentence-level LCS variant (no newline
splitting), so joining the summary's sentences with spaces or newlines makes no difference.

Several references: a summary's score is the **mean** of its F-measures against each
reference, then averaged over dialogues. That is the convention of the baseline table in
the dataset's README here (so our LEAD figures are comparable with it); taking the max over
references instead would reward a system for matching whichever annotator it happens to
resemble and is systematically higher.

Both systems run on the same parsed turns in one pass: ``summarize_turns`` (what the
product uses) and ``lead3`` (the first three sentences, speaker tags dropped).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from frontdesk.nlu.summaries import Turn, lead3, summarize_turns

_ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
# "#Person1#: text" -> ("#Person1#", "text"); the tag is kept verbatim because references
# name the speakers the same way.
_TURN = re.compile(r"^\s*(#[^#\s]+#)\s*:\s*(.*)$")


def parse_dialogue(dialogue: str) -> list[Turn]:
    """Split a DialogSum dialogue into (speaker, text) turns.

    A line without a speaker tag continues the previous turn (a few dialogues wrap);
    before any tagged line it becomes a turn with an empty speaker.
    """
    turns: list[Turn] = []
    for line in dialogue.splitlines():
        if not line.strip():
            continue
        match = _TURN.match(line)
        if match:
            turns.append((match.group(1), match.group(2).strip()))
        elif turns:
            speaker, text = turns[-1]
            turns[-1] = (speaker, f"{text} {line.strip()}")
        else:
            turns.append(("", line.strip()))
    return turns


def read_dialogsum(path: Path) -> Iterator[tuple[list[Turn], list[str]]]:
    """Yield (turns, reference summaries) for each non-blank line of a DialogSum JSONL."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            # A malformed line stops the run with its location: silently skipping it would
            # change the average without anyone noticing.
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not JSON ({error.msg})") from None
            if not isinstance(row, dict) or not isinstance(row.get("dialogue"), str):
                raise ValueError(f"{path}:{number}: no dialogue")
            yield parse_dialogue(row["dialogue"]), _references(row, f"{path}:{number}")


def _references(row: dict[str, Any], where: str) -> list[str]:
    references = [s for s in row.get("summaries") or [] if isinstance(s, str) and s.strip()]
    if not references and isinstance(row.get("summary"), str) and row["summary"].strip():
        references = [row["summary"]]  # the original release's single-field form
    if not references:
        raise ValueError(f"{where}: no reference summary")
    return references


def evaluate_summaries(path: Path) -> dict[str, float]:
    """Mean ROUGE-1/2/L F1 of ``summarize_turns`` and of LEAD-3 over a DialogSum file."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(_ROUGE_TYPES), use_stemmer=True)
    systems = {"": summarize_turns, "lead3_": lead3}
    totals = {f"{prefix}{kind}": 0.0 for prefix in systems for kind in _ROUGE_TYPES}
    count = 0
    for turns, references in read_dialogsum(path):
        count += 1
        for prefix, system in systems.items():
            for kind, value in _mean_f1(scorer, system(turns), references).items():
                totals[prefix + kind] += value
    if count == 0:
        raise ValueError(f"{path}: no dialogues")
    return {key: total / count for key, total in totals.items()}


def _mean_f1(scorer: Any, summary: str, references: Sequence[str]) -> dict[str, float]:
    sums = dict.fromkeys(_ROUGE_TYPES, 0.0)
    for reference in references:
        scores = scorer.score(reference, summary)
        for kind in _ROUGE_TYPES:
            sums[kind] += float(scores[kind].fmeasure)
    return {kind: total / len(references) for kind, total in sums.items()}
