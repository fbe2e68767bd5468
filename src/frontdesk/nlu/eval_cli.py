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

    retrieval = kinds.add_parser(
        "retrieval", help="Knowledge retrieval on a BEIR-layout set (corpus, queries, qrels)."
    )
    retrieval.add_argument("--corpus", type=Path, required=True, help="corpus.jsonl")
    retrieval.add_argument("--queries", type=Path, required=True, help="queries.jsonl")
    retrieval.add_argument("--qrels", type=Path, required=True, help="qrels.tsv")
    retrieval.add_argument("--embedder", default="default", help="Embedder name.")
    retrieval.add_argument("--json", action="store_true", help="End with one JSON line.")

    conversations = kinds.add_parser(
        "conversations", help="Multi-turn conversations through the product (no API key)."
    )
    conversations.add_argument("--suite", type=Path, required=True, help="Folder of JSON files.")
    conversations.add_argument("--min-pass", type=float, help="Exit 1 below this pass rate.")
    conversations.add_argument("--verbose", action="store_true", help="Print every transcript.")
    conversations.add_argument("--json", action="store_true", help="End with one JSON line.")


def run_eval(args: argparse.Namespace) -> int:
    if args.eval_kind == "conversations":
        return _conversations(args)
    names = ("train", "test", "data", "corpus", "queries", "qrels")
    for path in (getattr(args, name, None) for name in names):
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
    elif args.eval_kind == "retrieval":
        from frontdesk.knowledge.eval_retrieval import evaluate_retrieval

        results = evaluate_retrieval(args.corpus, args.queries, args.qrels, embedder=args.embedder)
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


def _conversations(args: argparse.Namespace) -> int:
    from frontdesk.conversations.eval_suite import evaluate_conversations, print_report

    if not args.suite.is_dir():
        raise SystemExit(f"frontdesk eval conversations: no such folder: {args.suite}")
    summary, outcomes = evaluate_conversations(args.suite)
    print_report(summary, outcomes, args.verbose)
    width = max(len(key) for key in summary)
    for key, value in summary.items():
        print(f"{key.ljust(width)}  {value}")
    if args.json:
        print(json.dumps(summary, sort_keys=True))
    if args.min_pass is not None and summary["pass_rate"] < args.min_pass:
        print(f"pass rate {summary['pass_rate']:.4f} is below the floor {args.min_pass:.4f}")
        return 1
    return 0
