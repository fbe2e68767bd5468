"""Words that mean the same to a customer: "kids" and "children", "cash" and "payment",
"limpieza" and "cleaning", "aparcamiento" and "parking".

Exact word overlap decides most of what the local engine quotes (see ``answers``), and it
misses every synonym and every Spanish question about English notes. The multilingual
sentence encoder places single words too: two words at least ``NEAR`` apart in cosine count
as the same word. In that model near-synonyms and translations sit high (kids/children
0.93, limpieza/cleaning 0.92, deliver/delivery 0.82, cash/payment 0.71) while words that
merely share a field do not (kids/adults 0.52, invisalign/mouthguards 0.47, and, alas,
internet/wifi 0.57 and car/parking 0.60); Spanish words sit closer to each other
in general (tardan/meses 0.57, meses/años 0.64). The cut was chosen on the development half
of the conversation suite (0.55, 0.60, 0.65, 0.70, 0.75 tried: 19, 19, 22, 21, 19 of 48
conversations); the held-out half was not used.

Word vectors are cached per process (a small business's notes hold a few hundred words);
the cache is bounded so a huge workspace cannot grow it without limit.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection

import numpy as np

from frontdesk.knowledge.repository import query_terms
from frontdesk.knowledge.terms import STOPWORDS, stem
from frontdesk.nlu.embedders import FloatArray, get_embedder

NEAR = 0.65
WORD_MODEL = "use-multilingual"
MAX_CACHED_WORDS = 50_000
MIN_LENGTH = 3  # "ok", "tv": too short to place reliably
SHORT_PIECE = 4


def content_words(text: str) -> dict[str, str]:
    """The content words of ``text`` by stem, each with the first form it was written in."""
    words: dict[str, str] = {}
    for token in query_terms(text):
        if token not in STOPWORDS and not token.isdigit():
            words.setdefault(stem(token), token)
    return words


class _WordVectors:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._vectors: OrderedDict[str, FloatArray] = OrderedDict()

    def get(self, words: list[str]) -> FloatArray:
        with self._lock:
            missing = [w for w in dict.fromkeys(words) if w not in self._vectors]
        if missing:
            embedded = get_embedder(WORD_MODEL).embed(missing)
            with self._lock:
                for word, vector in zip(missing, embedded, strict=True):
                    self._vectors[word] = vector
                while len(self._vectors) > MAX_CACHED_WORDS:
                    self._vectors.popitem(last=False)
        with self._lock:
            return np.vstack([self._vectors[w] for w in words])


word_vectors = _WordVectors()


def near_matches(
    asked: dict[str, str], written: dict[str, str], known: Collection[str] = ()
) -> set[str]:
    """The stems of ``asked`` with no exact match in ``written`` but a near word there.

    Words in ``known`` (the workspace's own vocabulary) are matched exactly only: a synonym
    bridges a word the owner never used ("kids" to "children"), it does not let a word the
    owner did use ("before") wander to a neighbour ("earlier") in another sentence."""
    left = [
        s for s, w in asked.items() if s not in written and s not in known and len(w) >= MIN_LENGTH
    ]
    right = [w for w in written.values() if len(w) >= MIN_LENGTH]
    if not left or not right:
        return set()
    similarity = word_vectors.get([asked[s] for s in left]) @ word_vectors.get(right).T
    found = set()
    for s, row in zip(left, similarity, strict=True):
        near = [right[j] for j in np.flatnonzero(row >= NEAR)]
        if any(not _same_piece(asked[s], word) for word in near):
            found.add(s)
    return found


def _same_piece(a: str, b: str) -> bool:
    """A short word at the start of a longer one ("hand" and "handle", "car" and "card"):
    the encoder reads them through the same subword piece, so they look alike whatever
    they mean."""
    short, long = sorted((a, b), key=len)
    return len(short) <= SHORT_PIECE and long.startswith(short)
