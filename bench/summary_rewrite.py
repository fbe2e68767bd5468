"""Where the summaries' gain over LEAD-3 comes from: the third-person rewrite or the selection.

On DialogSum's validation split only (``dev.jsonl``; the script refuses a test split), scores
three systems in one run, ROUGE F1 (stemmed), mean over each dialogue's references, exactly
as ``frontdesk eval summaries`` scores them:

* LEAD-3: the first three sentences as spoken (the baseline);
* LEAD-3 + rewrite: the same three sentences through the product's third-person rewrite;
* frontdesk: the product's summary (its own sentence choice, then the same rewrite).

Usage: python bench/summary_rewrite.py [--data ../shared/data/dialogsum/dev.jsonl]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from machine import load
from rouge_score import rouge_scorer

from frontdesk.nlu.summaries import (
    Turn,
    _ended,
    _report,
    lead3,
    split_sentences,
    summarize_turns,
)
from frontdesk.nlu.summary_eval import _mean_f1, read_dialogsum

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "dialogsum" / "dev.jsonl"
KINDS = ("rouge1", "rouge2", "rougeL")


def lead3_rewritten(turns: Sequence[Turn]) -> str:
    """LEAD-3's sentences, rewritten as ``summarize_turns`` rewrites the sentences it picks."""
    units = [(speaker, s) for speaker, text in turns for s in split_sentences(text)][:3]
    speakers = list(dict.fromkeys(speaker for speaker, _ in turns if speaker))
    return " ".join(_ended(_report(speaker, sentence, speakers)) for speaker, sentence in units)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    if "test" in args.data.name:
        raise SystemExit("validation split only: choices are made on dev, test is for reporting")
    systems: dict[str, Callable[[Sequence[Turn]], str]] = {
        "baseline: LEAD-3": lead3,
        "LEAD-3 + third-person rewrite": lead3_rewritten,
        "frontdesk: selection + rewrite": summarize_turns,
    }
    scorer = rouge_scorer.RougeScorer(list(KINDS), use_stemmer=True)
    totals = {name: dict.fromkeys(KINDS, 0.0) for name in systems}
    count = 0
    for turns, references in read_dialogsum(args.data):
        count += 1
        for name, system in systems.items():
            for kind, value in _mean_f1(scorer, system(turns), references).items():
                totals[name][kind] += value
    print(f"data={args.data.name} dialogues={count}; ROUGE F1 x 100")
    print(f"{'system':34} {'R-1':>6} {'R-2':>6} {'R-L':>6}")
    for name, sums in totals.items():
        print(f"{name:34} " + " ".join(f"{100 * sums[k] / count:6.2f}" for k in KINDS))
    print(f"at the end: {load()}")


if __name__ == "__main__":
    main()
