"""Per-message latency of the local engine on one core: understand + decide + reply, no I/O.

Pins the process to one CPU and one BLAS thread, trains the intent model as the product
does (``IntentClassifier.train`` with its cross-validated rejection threshold), then runs
every message of a message set through the same steps the reply job runs, minus the
database: ``understand`` (classifier, language, entities, dates, sentiment, urgency), the
policy's ``decide`` and the wording of the reply. Each step is also timed alone, and the
bare classifier is the baseline the total is compared with.

Messages the model never trained on, so the timing is not of memorised examples: by default
a validation fold of the built-in English examples (every ``--fold``-th example of each
intent) is held out and the model is trained on the rest; with ``--messages`` the model is
trained on all built-in examples and the ``text`` column of that CSV is timed (e.g.
``../shared/data/banking77/test.csv``). The held-out test file of the intent evaluation is
never used here.

Usage: python bench/assistant_latency.py [--fold 4 | --messages FILE.csv] [--limit 2000]
                                         [--repeat 3]
"""

# ruff: noqa: E402 - the thread limits must be set before numpy is first imported
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one core means one BLAS thread too; set before numpy loads

import argparse
import asyncio
import csv
import statistics
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from machine import load

from frontdesk.assistant.dialogue import DialogueState
from frontdesk.assistant.engine import ReplyContext
from frontdesk.assistant.intent_models import OUT_OF_SCOPE, builtin_examples
from frontdesk.assistant.local_engine import LocalAssistant
from frontdesk.assistant.prompt import PromptInput
from frontdesk.nlu.classifier import IntentClassifier
from frontdesk.nlu.datetimes import resolve_datetimes
from frontdesk.nlu.entities import extract_entities
from frontdesk.nlu.language import detect_language
from frontdesk.nlu.sentiment import analyze_sentiment
from frontdesk.nlu.understand import understand
from frontdesk.workspaces.hours import default_hours

PERSONA = PromptInput(
    assistant_name="Sunny",
    role="receptionist",
    personality="friendly",
    instructions="",
    business_name="Bright Smile Dental",
    timezone="Africa/Johannesburg",
    address="12 Main Road, Cape Town",
    business_hours=default_hours(),
)


def split_fold(fold: int) -> tuple[list[str], list[str], list[str]]:
    """``(train texts, train labels, held-out texts)``: every ``fold``-th example of each
    intent (in file order) is held out, so every intent keeps most of its examples."""
    train_texts: list[str] = []
    train_labels: list[str] = []
    held_out: list[str] = []
    seen: Counter[str] = Counter()
    for text, label in zip(*builtin_examples("en"), strict=True):
        if seen[label] % fold == 0:
            held_out.append(text)
        else:
            train_texts.append(text)
            train_labels.append(label)
        seen[label] += 1
    return train_texts, train_labels, held_out


def read_messages(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "p50": pick(0.5),
        "p90": pick(0.9),
        "p99": pick(0.99),
        "mean": statistics.fmean(ordered),
    }


def timed(fn: Callable[[str], Any], texts: list[str], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            fn(text)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=Path, help="CSV with a text column.")
    parser.add_argument(
        "--fold", type=int, default=4, help="hold out every N-th built-in example (default)"
    )
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    if args.messages is None:
        train_texts, train_labels, texts = split_fold(args.fold)
        source = f"held out of training (every {args.fold}th built-in example of each intent)"
    else:
        train_texts, train_labels = map(list, builtin_examples("en"))
        texts = read_messages(args.messages)
        source = f"from {args.messages}"
    texts = texts[: args.limit]
    started = time.perf_counter()
    classifier = IntentClassifier.train(train_texts, train_labels, out_of_scope_label=OUT_OF_SCOPE)
    print(
        f"model trained on {len(train_texts)} built-in examples in "
        f"{time.perf_counter() - started:.2f} s; timing {len(texts)} messages {source}"
    )
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    engine = LocalAssistant()

    loop = asyncio.new_event_loop()  # the engine is async; one loop, no per-call set-up

    def full(text: str) -> str:
        u = understand(text, classifier, region="ZA", timezone="Africa/Johannesburg", now=now)
        context = ReplyContext(persona=PERSONA, understanding=u, state=DialogueState())
        return loop.run_until_complete(engine.respond(context, _ignore)).text

    steps: dict[str, Callable[[str], Any]] = {
        "classifier (baseline)": classifier.predict,
        "language": lambda t: detect_language(t),
        "entities": lambda t: extract_entities(t, default_region="ZA"),
        "dates/times": lambda t: resolve_datetimes(t, now=now, timezone="Africa/Johannesburg"),
        "sentiment": analyze_sentiment,
        "total: understand + decide + reply": full,
    }
    for fn in steps.values():  # warm caches and lazy loads outside the measurement
        for text in texts[:50]:
            fn(text)
    results = {name: percentiles(timed(fn, texts, args.repeat)) for name, fn in steps.items()}
    print(f"{len(texts)} messages x {args.repeat}, one core; milliseconds per message")
    print(f"{'step':38} {'p50':>7} {'p90':>7} {'p99':>7} {'mean':>7}")
    for name, figures in results.items():
        print(f"{name:38} " + " ".join(f"{figures[k]:7.3f}" for k in ("p50", "p90", "p99", "mean")))
    base = results["classifier (baseline)"]["p50"]
    total = results["total: understand + decide + reply"]["p50"]
    print(f"total p50 / classifier p50 = {total / base:.2f}x")
    print(f"at the end: {load()} (this process pinned to one core)")
    loop.close()


async def _ignore(_piece: str) -> None:
    return None


if __name__ == "__main__":
    main()
