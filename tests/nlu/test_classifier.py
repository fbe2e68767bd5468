"""The intent classifier and its embedder, on small synthetic data built here."""

from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
import sys

import numpy as np
import pytest

from frontdesk.nlu import classifier as classifier_module
from frontdesk.nlu import embeddings
from frontdesk.nlu.classifier import IntentClassifier, IntentPrediction

# A hair salon's front desk: six intents, each phrased with its own templates and fillers.
TEMPLATES: dict[str, tuple[list[str], list[str]]] = {
    "book_appointment": (
        [
            "i want to book {x}",
            "can i get {x} on friday",
            "book me in for {x}",
            "do you have time for {x} tomorrow",
            "i'd like to schedule {x}",
        ],
        ["a haircut", "a trim", "a colour appointment", "highlights", "a blow dry"],
    ),
    "cancel_appointment": (
        [
            "i need to cancel my {x}",
            "please cancel the {x}",
            "i can't make my {x}, cancel it",
            "cancel my {x} booking",
            "i won't be coming to my {x}",
        ],
        ["appointment", "haircut tomorrow", "booking on monday", "visit", "session"],
    ),
    "opening_hours": (
        [
            "what time do you open {x}",
            "are you open {x}",
            "when do you close {x}",
            "what are your hours {x}",
            "how late are you open {x}",
        ],
        ["today", "on sunday", "this weekend", "on bank holidays", "tonight"],
    ),
    "prices": (
        [
            "how much is {x}",
            "what do you charge for {x}",
            "what's the price of {x}",
            "how expensive is {x}",
            "cost of {x}?",
        ],
        ["a haircut", "colouring", "a beard trim", "kids cuts", "a perm"],
    ),
    "location": (
        [
            "where are you {x}",
            "what's your address {x}",
            "how do i find you {x}",
            "directions to the salon {x}",
            "where is the shop {x}",
        ],
        ["located", "exactly", "from the station", "please", "near the high street"],
    ),
    "speak_to_human": (
        [
            "can i talk to {x}",
            "put me through to {x}",
            "i want to speak with {x}",
            "let me talk to {x} please",
            "connect me to {x}",
        ],
        ["a person", "a human", "the manager", "someone real", "a stylist"],
    ),
}


def salon_data(templates: slice, fillers: slice) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, (phrasings, fills) in TEMPLATES.items():
        for phrasing, fill in itertools.product(phrasings[templates], fills[fillers]):
            texts.append(phrasing.format(x=fill))
            labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def salon() -> IntentClassifier:
    texts, labels = salon_data(slice(0, 4), slice(0, 4))
    return IntentClassifier.train(texts, labels, seed=0)


def test_embeddings_load_offline_and_lazily() -> None:
    # A fresh interpreter with no Hugging Face access and no usable proxy: a download attempt
    # would fail loudly. Importing the classifier must not load the model.
    code = (
        "import json, frontdesk.nlu.classifier, frontdesk.nlu.embeddings as e\n"
        "loaded_at_import = e.is_loaded()\n"
        "v = e.embed(['I lost my card', 'my card has gone missing',\n"
        "            'is it raining in Paris', ''])\n"
        "print(json.dumps({'import': loaded_at_import, 'shape': list(v.shape),\n"
        "  'dtype': str(v.dtype), 'norms': [float(x) for x in (v * v).sum(1)],\n"
        "  'para': float(v[0] @ v[1]), 'other': float(v[0] @ v[2])}))\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("HF_")}
    env.update(
        HF_HUB_OFFLINE="1", HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9"
    )
    env["HOME"] = env["XDG_CACHE_HOME"] = "/nonexistent-frontdesk-home"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["import"] is False
    assert result["shape"] == [4, embeddings.EMBEDDING_DIM] and result["dtype"] == "float32"
    assert result["norms"][:3] == pytest.approx([1.0, 1.0, 1.0], abs=1e-4)
    assert result["norms"][3] == 0.0  # an empty text is the zero vector, not NaN
    assert result["para"] > result["other"] + 0.3


def test_similarity_ranks_paraphrases_above_unrelated_text() -> None:
    assert embeddings.similarity("when do you open", "what are your opening hours") > (
        embeddings.similarity("when do you open", "my parcel arrived damaged")
    )


def test_learns_separable_intents(salon: IntentClassifier) -> None:
    assert set(salon.labels) == set(TEMPLATES)
    # Known phrasings with a filler never seen in them: mostly answered, and right. (The
    # threshold balances answering against rejecting unseen intents, so some are declined.)
    texts, labels = salon_data(slice(0, 4), slice(4, 5))
    predictions = salon.predict_many(texts)
    assert all(p.ranking[0][0] == y for p, y in zip(predictions, labels, strict=True))
    assert np.mean([p.label == y for p, y in zip(predictions, labels, strict=True)]) >= 0.7
    # A phrasing never trained on: the top-ranked intent is right, even when it is not
    # confident enough to answer.
    texts, labels = salon_data(slice(4, 5), slice(0, 5))
    predictions = salon.predict_many(texts)
    assert np.mean([p.ranking[0][0] == y for p, y in zip(predictions, labels, strict=True)]) >= 0.9


def test_prediction_is_a_probability_with_a_ranking(salon: IntentClassifier) -> None:
    prediction = salon.predict("how much do you charge for a haircut")
    assert isinstance(prediction, IntentPrediction)
    assert prediction.label == "prices"
    assert 0.5 < prediction.confidence <= 1.0
    assert prediction.ranking[0] == ("prices", prediction.confidence)
    scores = [score for _, score in prediction.ranking]
    assert len(scores) == 3 and scores == sorted(scores, reverse=True)
    assert all(0.0 <= score <= 1.0 for score in scores) and sum(scores) <= 1.0 + 1e-9


def test_threshold_rejects_gibberish_and_unrelated_text(salon: IntentClassifier) -> None:
    assert 0.0 < salon.threshold < 1.0
    for text in [
        "qwzx plorb vintex drumple",
        "the mitochondria is the powerhouse of the cell",
        "who won the football world cup in 1998",
    ]:
        prediction = salon.predict(text)
        assert prediction.label == "out_of_scope", (text, prediction)
        assert 0.0 <= prediction.confidence <= 1.0
        # Documented: a rejection's confidence is 1 - p(best intent).
        assert prediction.confidence == pytest.approx(1.0 - prediction.ranking[0][1])


def test_out_of_scope_examples_are_an_ordinary_class() -> None:
    texts, labels = salon_data(slice(0, 4), slice(0, 5))
    chatter = [
        "tell me a joke",
        "what's the weather like",
        "who is the president",
        "recommend a good film",
        "what is two plus two",
        "sing me a song",
    ]
    model = IntentClassifier.train(
        texts + chatter, labels + ["chit_chat"] * len(chatter), out_of_scope_label="chit_chat"
    )
    assert "chit_chat" in model.labels
    assert model.predict("tell me a funny joke").label == "chit_chat"
    assert model.predict("can i book a trim on friday").label == "book_appointment"


def test_without_rejection_every_answer_is_an_intent() -> None:
    texts, labels = salon_data(slice(0, 4), slice(0, 5))
    model = IntentClassifier.train(texts, labels, reject=False)
    assert model.threshold == 0.0
    assert model.predict("qwzx plorb vintex drumple").label in TEMPLATES


def test_a_given_threshold_is_reused_not_chosen_again() -> None:
    """A workspace's model takes its built-in model's threshold (the product's retrain)."""
    texts, labels = salon_data(slice(0, 4), slice(0, 5))
    model = IntentClassifier.train(texts, labels, threshold=0.123)
    assert model.threshold == 0.123
    assert IntentClassifier.train(texts, labels, reject=False, threshold=0.5).threshold == 0.0


def test_two_intents_and_bad_input() -> None:
    model = IntentClassifier.train(["open today?", "how much is it"] * 3, ["hours", "price"] * 3)
    assert model.predict("how much").ranking[0][0] == "price"
    assert len(model.predict("how much").ranking) == 2
    with pytest.raises(ValueError, match="two labels"):
        IntentClassifier.train(["a", "b"], ["x", "x"])
    with pytest.raises(ValueError, match="labels"):
        IntentClassifier.train(["a", "b"], ["x"])


def test_dual_solution_equals_primal(monkeypatch: pytest.MonkeyPatch) -> None:
    # The dual (Gram) solver is only a speed-up: it must reach the same model as the primal
    # (up to the primal's random-feature approximation of the quadratic kernel).
    texts, labels = salon_data(slice(0, 3), slice(0, 4))
    probe = ["book a trim", "where are you", "cancel it please", "how much for a perm"]
    dual = IntentClassifier.train(texts, labels, reject=False).predict_many(probe)
    monkeypatch.setattr(classifier_module, "DUAL_MAX_ROWS", 0)
    primal = IntentClassifier.train(texts, labels, reject=False).predict_many(probe)
    for a, b in zip(dual, primal, strict=True):
        assert a.label == b.label
        assert a.confidence == pytest.approx(b.confidence, abs=0.02)


def workspace_data(n_labels: int = 20, per_label: int = 40) -> tuple[list[str], list[str]]:
    """~800 distinct messages: each intent has its own small vocabulary of made-up words."""
    rng = random.Random(7)
    syllables = ["ka", "lo", "mi", "tu", "re", "sa", "po", "vi", "ne", "du", "fa", "go"]
    texts, labels = [], []
    for label in range(n_labels):
        words = ["".join(rng.choices(syllables, k=3)) for _ in range(8)]
        for example in range(per_label):
            texts.append(f"please {' '.join(rng.sample(words, 3))} number {example}")
            labels.append(f"intent_{label}")
    return texts, labels


def test_workspace_retrain_embeds_only_new_examples_and_uses_the_small_n_solver(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts, labels = workspace_data()
    IntentClassifier.train(texts, labels)  # warms the embedding cache with these texts
    embedded: list[str] = []
    real = embeddings._embed_uncached

    def counting(batch: list[str]) -> embeddings.FloatArray:
        embedded.extend(batch)
        return real(batch)

    monkeypatch.setattr(embeddings, "_embed_uncached", counting)
    new = ["a custom intent about parking", "where can i park my car"]
    model = IntentClassifier.train([*texts, *new], [*labels, "parking", "parking"])
    # Only the new examples and the new intent's name example needed the model.
    assert sorted(embedded) == sorted([*new, "parking"])
    assert len(texts) + len(new) <= classifier_module.DUAL_MAX_ROWS  # the fast solver is used
    # How long the retrain takes is a benchmark's figure (bench/retrain.py), not a test's.
    assert model.predict("where do i park").label == "parking"
