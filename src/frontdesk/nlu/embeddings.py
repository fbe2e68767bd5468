"""Sentence embeddings from the wordllama model that ships inside the ``wordllama`` wheel.

wordllama is a static token-embedding model (the input embeddings of Llama 2, distilled so that
the mean of a sentence's token vectors is a good sentence vector). It needs no GPU, embeds
~20,000 short texts a second on one core and its 16 MB of weights are part of the package,
so the product never downloads anything. Two traps handled here:

* ``WordLlama.load()`` with its defaults looks in ``~/.cache/wordllama`` and then *downloads*
  from Hugging Face. We pass the package's own folder as ``cache_dir`` and
  ``disable_download=True``, so a missing file is a loud ``FileNotFoundError``, never a
  silent network call.
* Loading costs ~0.1 s and ~20 MB, so nothing happens at import time: the model is loaded on
  first use, once per process, under a lock (web workers embed from several threads).

Embeddings of texts seen before come from a bounded LRU cache keyed by the text. A workspace
retrain re-embeds only the examples that changed, which keeps retraining well under a second.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from wordllama.inference import WordLlamaInference

MODEL_CONFIG = "l2_supercat"
# The only dimension whose weights ship in the wheel; 64/128 are Matryoshka prefixes of it.
EMBEDDING_DIM = 256
CACHE_SIZE = 50_000  # 50k texts x 1 KiB: ~50 MB at most, enough for many workspaces' examples

FloatArray = npt.NDArray[np.float32]

_lock = threading.Lock()
_model: WordLlamaInference | None = None
_cache: OrderedDict[str, FloatArray] = OrderedDict()


def load_model() -> WordLlamaInference:
    """The process-wide wordllama model, loaded from the installed package on first call."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                import wordllama
                from wordllama import WordLlama

                _model = WordLlama.load(
                    config=MODEL_CONFIG,
                    dim=EMBEDDING_DIM,
                    cache_dir=Path(wordllama.__file__).parent,
                    disable_download=True,
                )
    return _model


def is_loaded() -> bool:
    """Whether the model has been loaded in this process (for tests and health checks)."""
    return _model is not None


def embed(texts: Sequence[str], *, cache: bool = True) -> FloatArray:
    """Unit-length float32 embeddings, one row per text (shape ``(len(texts), 256)``).

    With ``cache`` (the default) rows are served from and stored in the LRU cache; pass
    ``cache=False`` for one-off texts such as incoming customer messages, so they do not push
    the training examples out of the cache.
    """
    out = np.empty((len(texts), EMBEDDING_DIM), dtype=np.float32)
    if not texts:
        return out
    missing: dict[str, list[int]] = {}
    with _lock:
        for row, text in enumerate(texts):
            hit = _cache.get(text) if cache else None
            if hit is None:
                missing.setdefault(text, []).append(row)
            else:
                _cache.move_to_end(text)
                out[row] = hit
    if missing:
        unique = list(missing)
        vectors = _embed_uncached(unique)
        with _lock:
            for text, vector in zip(unique, vectors, strict=True):
                out[missing[text]] = vector
                if cache:
                    _cache[text] = vector
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return out


def _embed_uncached(texts: list[str]) -> FloatArray:
    vectors = np.asarray(load_model().embed(texts, norm=False), dtype=np.float32)
    # wordllama's own ``norm=True`` divides by zero for texts with no tokens (""), giving NaN;
    # such texts get the zero vector instead, which is "similar to nothing".
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts' embeddings, in [-1, 1]."""
    first, second = embed([a, b], cache=False)
    return float(first @ second)


def clear_cache() -> None:
    """Forget cached embeddings (the model itself stays loaded)."""
    with _lock:
        _cache.clear()
