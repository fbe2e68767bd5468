"""``frontdesk eval intents|datetimes|summaries``: the product's models on public benchmarks.

Each evaluator trains or runs exactly the code the product uses, reads data only from the
paths given, and returns a flat dict of figures; this module only parses and prints.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def add_eval_command(commands: Any) -> None:
    evaluate = commands.add_parser("eval", help="Measure the assistant's models on public data.")
    kinds = evaluate.add_subparsers(dest="eval_kind", required=True)

    intents = kinds.add_parser("intents", help="Intent accuracy on a text,label CSV split.")
    intents.add_argument("--train", type=Path, required=True, help="Training CSV (text,label).")
    intents.add_argument("--test", type=Path, required=True, help="Test CSV (text,label).")
    intents.add_argument(
        "--oos-label", help="Test rows with this label are out of scope (rejected by threshold)."
    )
    intents.add_argument("--shots", type=int, help="Sample N training examples per label.")
    intents.add_argument("--seeds", type=int, default=1, help="Repeat with K seeds (mean).")
    intents.add_argument("--json", action="store_true", help="End with one JSON line.")

    datetimes = kinds.add_parser("datetimes", help="Date/time span F1 on Restaurant-8k.")
    datetimes.add_argument("--data", type=Path, required=True, help="Restaurant-8k JSONL.")
    datetimes.add_argument("--json", action="store_true", help="End with one JSON line.")

    summaries = kinds.add_parser("summaries", help="ROUGE of conversation summaries.")
    summaries.add_argument("--data", type=Path, required=True, help="DialogSum JSONL.")
    summaries.add_argument("--json", action="store_true", help="End with one JSON line.")


def run_eval(args: argparse.Namespace) -> int:
    for path in (getattr(args, name, None) for name in ("train", "test", "data")):
        if path is not None and not path.is_file():
            raise SystemExit(f"frontdesk eval: no such file: {path}")
    results: dict[str, Any]
    if args.eval_kind == "intents":
        from frontdesk.nlu.intent_eval import evaluate_intents

        if args.shots is not None and args.shots < 1:
            raise SystemExit("frontdesk eval intents: --shots must be at least 1")
        results = evaluate_intents(
            args.train, args.test, oos_label=args.oos_label, shots=args.shots, seeds=args.seeds
        )
    elif args.eval_kind == "datetimes":
        from frontdesk.nlu.datetime_eval import evaluate_datetimes

        results = evaluate_datetimes(args.data)
    else:
        from frontdesk.nlu.summary_eval import evaluate_summaries

        results = evaluate_summaries(args.data)
    width = max(len(key) for key in results)
    for key, value in results.items():
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        print(f"{key.ljust(width)}  {shown}")
    if args.json:
        print(json.dumps(results, sort_keys=True))
    return 0
