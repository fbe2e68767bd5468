"""The built-in intent models on the held-out set, as the product runs them.

    .venv/bin/python bench/heldout_intents.py [--file tests/nlu/data/heldout_intents_2026.csv]

Per language (English and Spanish), the accuracy of ``intent_models.base(language)`` with its
out-of-scope rejection, and without it (the best intent, rejection off), on every row.
Reports only: never tune on this set.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from frontdesk.assistant.intent_models import intent_models

DEFAULT = (
    Path(__file__).resolve().parents[1] / "tests" / "nlu" / "data" / "heldout_intents_2026.csv"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT)
    args = parser.parse_args()
    with args.file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    print(f"{'language':<9}{'rows':>6}{'with rejection':>16}{'without':>10}")
    for language in sorted({row.get("language", "en") for row in rows}):
        mine = [row for row in rows if row.get("language", "en") == language]
        model = intent_models.base(language)
        predictions = model.predict_many([row["text"] for row in mine])
        right = sum(p.label == row["label"] for p, row in zip(predictions, mine, strict=True))
        best = sum(
            (p.ranking[0][0] if p.ranking else p.label) == row["label"]
            for p, row in zip(predictions, mine, strict=True)
        )
        print(f"{language:<9}{len(mine):>6}{right / len(mine):>15.2%}{best / len(mine):>10.2%}")


if __name__ == "__main__":
    main()
