"""Time and peak memory of training the product's intent classifier on a large labelled set.

Reads a ``text,label`` CSV (Banking77's 10,003 training rows by default, from
``../shared/data``; nothing is copied into the repository), then trains, each in a fresh child
process so that each peak resident memory is that training's alone:

* baseline: word 1-2-gram TF-IDF into scikit-learn's default logistic regression (the kind of
  "n-gram LR" the Banking77 papers report), what a plain linear text classifier costs on the
  same rows;
* frontdesk: ``IntentClassifier.train`` exactly as ``frontdesk eval intents`` runs it (no
  out-of-scope label, so no rejection threshold), embeddings computed from scratch.

Peak memory is the child's ``ru_maxrss``; "before" is its resident size once the libraries
are imported and the rows read, so the difference is what training itself added. Wall time
and CPU time (all threads) are both printed: on a busy machine the first grows with the load.

Usage: python bench/training.py [--train ../shared/data/banking77/train.csv]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from machine import load

DEFAULT_TRAIN = Path(__file__).resolve().parents[2] / "shared" / "data" / "banking77" / "train.csv"


def _resident_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(kind: str, train: Path) -> None:
    """Runs in the child: import, read, measure, train, measure; one JSON line."""
    from frontdesk.nlu.intent_eval import read_labelled_csv

    if kind == "baseline":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
    else:
        from frontdesk.nlu.classifier import IntentClassifier
    texts, labels = read_labelled_csv(train)
    before = _resident_mib()
    cpu_started = time.process_time()
    started = time.perf_counter()
    if kind == "baseline":
        model = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            LogisticRegression(max_iter=1000),
        )
        model.fit(texts, labels)
    else:
        IntentClassifier.train(texts, labels, reject=False)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    figures = {"rows": len(texts), "seconds": seconds, "cpu": cpu_seconds}
    print(json.dumps({**figures, "before": before, "peak": peak}))


def run(kind: str, train: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--train", str(train)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--child", choices=["baseline", "frontdesk"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.train)
        return
    if not args.train.is_file():
        raise SystemExit(f"{args.train}: not found (the benchmark data lives in ../shared/data)")
    results = {
        "baseline: word n-gram TF-IDF + LR": run("baseline", args.train),
        "frontdesk: IntentClassifier.train": run("frontdesk", args.train),
    }
    rows = int(next(iter(results.values()))["rows"])
    print(f"train={args.train.name} rows={rows} cores={os.cpu_count()}")
    print(f"{'case':36} {'wall s':>7} {'CPU s':>7} {'MiB before':>11} {'MiB peak':>9}")
    for name, r in results.items():
        print(f"{name:36} {r['seconds']:7.1f} {r['cpu']:7.1f} {r['before']:11.0f} {r['peak']:9.0f}")
    print(f"at the end: {load()}")
    print("(CPU s: user + system time of all threads; on a machine shared with other work the")
    print(" wall time grows with the load, the CPU time much less)")


if __name__ == "__main__":
    main()
