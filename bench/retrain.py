"""How long a workspace's intent model takes to retrain when its owner adds a custom intent.

Trains the built-in model of a language once (the baseline, timed: a full training with the
cross-validated rejection threshold), gives a workspace the demo's custom intents (that first
model also warms the embedding cache, as the running product's would be), then adds one new
custom intent at a time and times each retrain, exactly as ``IntentModels.classifier_for``
does it in the product: built-in examples plus custom phrases, the built-in threshold reused,
only the new phrases embedded.

Usage: python bench/retrain.py [--retrains 5] [--language en]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid

from machine import load

from frontdesk.assistant.intent_models import (
    MIN_ROWS_PER_INTENT,
    CustomIntentData,
    IntentModels,
    builtin_examples,
)
from frontdesk.demo import DEMO_INTENTS

# One new intent per retrain, each with phrases the model has never embedded.
NEW_INTENTS = [
    ("parking", ("where can i park", "is there parking for patients", "car park nearby?")),
    ("wheelchair", ("is the building wheelchair accessible", "do you have a ramp", "step free?")),
    ("gift cards", ("do you sell gift cards", "can i buy a voucher for my mum", "gift voucher")),
    ("languages", ("does anyone there speak french", "habla espanol?", "do you speak german")),
    ("pets", ("can i bring my dog", "are dogs allowed inside", "is it ok if my cat comes along")),
    ("wifi", ("do you have wifi for clients", "what's the wifi password", "free wifi?")),
    ("children", ("can my kids wait in the lobby", "is there a play area", "bring my toddler")),
    ("students", ("do students get a discount", "student rate?", "i'm at uni, any deals")),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--retrains", type=int, default=5, help=f"at most {len(NEW_INTENTS)}")
    parser.add_argument("--language", default="en")
    args = parser.parse_args()
    if not 1 <= args.retrains <= len(NEW_INTENTS):
        parser.error(f"--retrains must be between 1 and {len(NEW_INTENTS)}")

    models = IntentModels()
    started = time.perf_counter()
    models.base(args.language)
    base_seconds = time.perf_counter() - started
    workspace = uuid.uuid4()
    custom = [
        CustomIntentData(name=name, examples=tuple(examples), answer="(answer)")
        for name, examples, _answer in DEMO_INTENTS
    ]
    started = time.perf_counter()
    models.classifier_for(workspace, custom, args.language)
    first_seconds = time.perf_counter() - started

    timings: list[float] = []
    rows = 0
    for name, examples in NEW_INTENTS[: args.retrains]:
        custom = [*custom, CustomIntentData(name=name, examples=examples, answer="(answer)")]
        started = time.perf_counter()
        model = models.classifier_for(workspace, custom, args.language)
        timings.append(time.perf_counter() - started)
        if model.predict(examples[0]).label != f"custom:{name}":
            raise SystemExit(f"the retrained model does not know {name!r}: not a valid run")
        rows = len(builtin_examples(args.language)[0]) + sum(
            len(i.examples) * -(-MIN_ROWS_PER_INTENT // len(i.examples)) for i in custom
        )

    print(f"language={args.language} cores={os.cpu_count()} retrains={args.retrains}")
    print(f"{'case':52} {'seconds':>8}")
    print(f"{'baseline: built-in model, full training + threshold':52} {base_seconds:8.2f}")
    print(f"{'first workspace model (demo intents, cold cache)':52} {first_seconds:8.2f}")
    for (name, _), seconds in zip(NEW_INTENTS, timings, strict=False):
        print(f"{'retrain after adding ' + repr(name):52} {seconds:8.2f}")
    print(f"at the end: {load()}")
    print(
        f"retrain median {statistics.median(timings):.2f} s "
        f"(min {min(timings):.2f}, max {max(timings):.2f}) over {len(timings)} retrains "
        f"of about {rows} rows; {len(custom)} custom intents"
    )


if __name__ == "__main__":
    main()
