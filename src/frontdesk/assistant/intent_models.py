"""Which intent classifier answers for a workspace: the built-in intents plus its own.

The built-in examples live in ``nlu/data`` (one CSV per language). A workspace with custom
intents gets its own model, trained on the built-in examples plus its phrases, labelled
``custom:<name>``. Models are cached per process and keyed by a fingerprint of the custom
intents, so any process serving the workspace retrains (in well under a second) the first
time it sees a change, and never serves a stale model.
"""

from __future__ import annotations

import csv
import hashlib
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from frontdesk.nlu.classifier import IntentClassifier

DATA_DIR = Path(__file__).resolve().parent.parent / "nlu" / "data"
CUSTOM_PREFIX = "custom:"
OUT_OF_SCOPE = "out_of_scope"
MIN_ROWS_PER_INTENT = 24
BUILTIN_LABELS = (
    "greeting",
    "thanks",
    "goodbye",
    "book_appointment",
    "reschedule_appointment",
    "cancel_appointment",
    "availability",
    "pricing",
    "hours_location",
    "contact_request",
    "complaint",
    "billing_issue",
    "technical_issue",
    "account_issue",
    "feature_request",
    "general_question",
    "human_handoff",
    "payment_proof",
    OUT_OF_SCOPE,
)


@dataclass(frozen=True)
class CustomIntentData:
    name: str
    examples: tuple[str, ...]
    answer: str
    action: str = "answer"

    @property
    def label(self) -> str:
        return CUSTOM_PREFIX + self.name


@cache
def builtin_examples(language: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(texts, labels)`` for a language; English where no file for it exists."""
    path = DATA_DIR / f"builtin_intents_{language}.csv"
    if language == "en" or not path.is_file():
        path = DATA_DIR / "builtin_intents.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [(row["text"], row["label"]) for row in csv.DictReader(handle)]
    unknown = {label for _, label in rows} - set(BUILTIN_LABELS)
    if unknown:
        raise ValueError(f"{path.name}: unknown labels {sorted(unknown)}")
    return tuple(t for t, _ in rows), tuple(label for _, label in rows)


def fingerprint(language: str, custom: Sequence[CustomIntentData]) -> str:
    digest = hashlib.sha256(language.encode())
    for intent in sorted(custom, key=lambda i: i.name):
        digest.update(b"\0" + intent.name.encode())
        for example in intent.examples:
            digest.update(b"\1" + example.encode())
    return digest.hexdigest()


class IntentModels:
    """Per-process cache: a base model per language, and one per customised workspace."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._base: dict[str, IntentClassifier] = {}
        # (workspace, language) -> (fingerprint of its custom intents, model)
        self._workspaces: dict[tuple[uuid.UUID, str], tuple[str, IntentClassifier]] = {}

    def base(self, language: str) -> IntentClassifier:
        language = _with_examples(language)
        with self._lock:  # one training per language even when jobs ask at once
            model = self._base.get(language)
            if model is None:
                texts, labels = builtin_examples(language)
                model = IntentClassifier.train(texts, labels, out_of_scope_label=OUT_OF_SCOPE)
                self._base[language] = model
            return model

    def classifier_for(
        self, workspace_id: uuid.UUID, custom: Sequence[CustomIntentData], language: str
    ) -> IntentClassifier:
        language = _with_examples(language)
        if not custom:
            self._workspaces.pop((workspace_id, language), None)
            return self.base(language)
        key = fingerprint(language, custom)
        cached = self._workspaces.get((workspace_id, language))
        if cached is not None and cached[0] == key:
            return cached[1]
        texts, labels = builtin_examples(language)
        all_texts = list(texts)
        all_labels = list(labels)
        for intent in custom:
            # An owner writes a handful of phrases where each built-in intent has about 50:
            # repeat them so a custom intent weighs as much as a built-in one in training.
            copies = max(1, -(-MIN_ROWS_PER_INTENT // max(1, len(intent.examples))))
            for _ in range(copies):
                all_texts.extend(intent.examples)
                all_labels.extend([intent.label] * len(intent.examples))
        # The rejection threshold is the built-in model's (cross-validated on the built-in
        # examples); choosing it again would triple the retrain for little change.
        model = IntentClassifier.train(
            all_texts,
            all_labels,
            out_of_scope_label=OUT_OF_SCOPE,
            threshold=self.base(language).threshold,
        )
        self._workspaces[(workspace_id, language)] = (key, model)
        return model


intent_models = IntentModels()  # lazy: nothing trains until the first message or warm-up


def _with_examples(language: str) -> str:
    """``language`` if built-in examples exist for it, else English."""
    return language if (DATA_DIR / f"builtin_intents_{language}.csv").is_file() else "en"
