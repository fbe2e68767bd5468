"""Hybrid retrieval: full-text search fused with vector similarity.

Full text finds the passages that share the customer's words (prices, product names);
vectors find the ones that say the same thing in other words, or in the other language.
Their rankings are fused by reciprocal rank (RRF), which needs no score calibration between
two very different scorers. Each passage also gets a ``relevance`` in [0, 1] that the
assistant compares with a threshold before it answers from it.

Vectors of a workspace live in memory (one float32 matrix), loaded on first search and
reloaded when the workspace's sources change (a count-and-latest-update check per search,
so every process sees another's changes).
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.knowledge.models import KnowledgeChunk, KnowledgeSource
from frontdesk.knowledge.repository import ChunkRepository, SourceRepository, query_terms
from frontdesk.knowledge.terms import content_terms
from frontdesk.nlu.embedders import Embedder, FloatArray

RRF_K = 60
CANDIDATES = 50
MAX_CACHED_WORKSPACES = 64
GENERIC_SHARE = 0.5  # a word in more than half of the passages is generic
GENERIC_MIN_PASSAGES = 4


@dataclass(frozen=True)
class Passage:
    chunk_id: uuid.UUID
    source_id: uuid.UUID
    source_kind: str
    title: str
    heading: str
    text: str
    url: str  # the public address a customer may follow, or ""
    score: float  # fused rank score (for ordering)
    relevance: float  # cosine similarity of question and passage, for the answer threshold
    lexical: float  # share of the question's content words found in the passage


@dataclass(frozen=True)
class Vocabulary:
    """How many of a workspace's passages contain each content word."""

    frequency: dict[str, int]
    passages: int

    def weight(self, term: str) -> float:
        """1 for a word that can tell passages apart; 0 for one the knowledge base never
        uses (no passage can match it: "cobran", "afterpay") and for one most passages use
        ("dental" at a dental practice), which tells nothing about which passage answers."""
        seen = self.frequency.get(term, 0)
        if seen == 0:
            return 0.0
        if self.passages >= GENERIC_MIN_PASSAGES and seen > GENERIC_SHARE * self.passages:
            return 0.0
        return 1.0


@dataclass
class _WorkspaceVectors:
    version: tuple[int, datetime | None]
    embedder: str
    ids: list[uuid.UUID] = field(default_factory=list)
    index: dict[uuid.UUID, int] = field(default_factory=dict)
    sources: list[uuid.UUID] = field(default_factory=list)
    matrix: FloatArray = field(default_factory=lambda: np.zeros((0, 1), dtype=np.float32))
    # Every content word the workspace's knowledge contains: a question's words it has never
    # heard of ("cobran", "afterpay") cannot be matched by any passage, so they do not count
    # against the one that matches the words it does know.
    vocabulary: Vocabulary = field(default_factory=lambda: Vocabulary({}, 0))


class VectorCache:
    """Per-process, per-workspace matrices of chunk vectors."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[uuid.UUID, _WorkspaceVectors] = {}

    def vocabulary(self, workspace_id: uuid.UUID) -> Vocabulary:
        with self._lock:
            entry = self._entries.get(workspace_id)
        return entry.vocabulary if entry is not None else Vocabulary({}, 0)

    def invalidate(self, workspace_id: uuid.UUID) -> None:
        with self._lock:
            self._entries.pop(workspace_id, None)

    async def get(
        self, session: AsyncSession, workspace_id: uuid.UUID, embedder: Embedder
    ) -> _WorkspaceVectors:
        version = await SourceRepository(session, workspace_id).version()
        with self._lock:
            entry = self._entries.get(workspace_id)
        if entry is not None and entry.version == version and entry.embedder == embedder.name:
            return entry
        rows = await ChunkRepository(session, workspace_id).vectors()
        entry = _WorkspaceVectors(version=version, embedder=embedder.name)
        vectors = []
        for chunk_id, source_id, name, blob in rows:
            if name != embedder.name or not blob:
                continue  # embedded by another model: found by full text until re-imported
            entry.ids.append(chunk_id)
            entry.sources.append(source_id)
            vectors.append(np.frombuffer(blob, dtype=np.float32))
        entry.index = {chunk_id: row for row, chunk_id in enumerate(entry.ids)}
        frequency: Counter[str] = Counter()
        texts = await ChunkRepository(session, workspace_id).words()
        for text in texts:
            frequency.update(content_terms(text))
        entry.vocabulary = Vocabulary(dict(frequency), len(texts))
        if vectors:
            entry.matrix = np.vstack(vectors)
        else:
            entry.matrix = np.zeros((0, embedder.dim), dtype=np.float32)
        with self._lock:
            if len(self._entries) >= MAX_CACHED_WORKSPACES:
                self._entries.pop(next(iter(self._entries)))
            self._entries[workspace_id] = entry
        return entry


vector_cache = VectorCache()


async def search(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    query: str,
    embedder: Embedder,
    *,
    limit: int = 5,
    source_ids: list[uuid.UUID] | None = None,
    query_vector: FloatArray | None = None,
) -> list[Passage]:
    """The best passages for ``query``, best first."""
    if not query.strip():
        return []
    entry = await vector_cache.get(session, workspace_id, embedder)
    if not entry.vocabulary.passages:
        return []  # nothing taught yet: no search, and no model to wake for it
    chunks = ChunkRepository(session, workspace_id)
    lexical_hits = await chunks.full_text(query, CANDIDATES, source_ids)
    vector = query_vector if query_vector is not None else embedder.embed_queries([query])[0]
    similarities: dict[uuid.UUID, float] = {}
    vector_hits: list[uuid.UUID] = []
    if len(entry.ids):
        scores = entry.matrix @ vector
        if source_ids:
            allowed = set(source_ids)
            mask = np.array([s in allowed for s in entry.sources])
            scores = np.where(mask, scores, -1.0)
        take = min(CANDIDATES, len(scores))
        best = np.argpartition(-scores, take - 1)[:take]
        best = best[np.argsort(-scores[best])]
        for index in best:
            if scores[index] <= -1.0:
                break
            vector_hits.append(entry.ids[index])
            similarities[entry.ids[index]] = float(scores[index])
    fused: dict[uuid.UUID, float] = {}
    for rank, (chunk_id, _score) in enumerate(lexical_hits):
        fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    for rank, chunk_id in enumerate(vector_hits):
        fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    ranked = sorted(fused, key=lambda cid: fused[cid], reverse=True)[: max(limit, 1)]
    if len(entry.ids):
        for chunk_id in ranked:  # found by words only: its similarity is in the matrix too
            row = entry.index.get(chunk_id)
            if chunk_id not in similarities and row is not None:
                similarities[chunk_id] = float(scores[row])
    rows = await chunks.by_ids(ranked)
    sources = await SourceRepository(session, workspace_id).titles(
        list({c.source_id for c in rows.values()})
    )
    terms = set(query_terms(query))
    return [
        _passage(rows[cid], sources.get(rows[cid].source_id), fused[cid], similarities, terms)
        for cid in ranked
        if cid in rows
    ]


def _passage(
    chunk: KnowledgeChunk,
    source: KnowledgeSource | None,
    score: float,
    similarities: dict[uuid.UUID, float],
    terms: set[str],
) -> Passage:
    words = set(query_terms(f"{chunk.heading} {chunk.text}"))
    lexical = len(terms & words) / len(terms) if terms else 0.0
    public_url = chunk.url or (source.url if source else "")
    return Passage(
        chunk_id=chunk.id,
        source_id=chunk.source_id,
        source_kind=source.kind if source else "",
        title=source.title if source else "",
        heading=chunk.heading,
        text=chunk.text,
        url=public_url if source is not None and source.public else "",
        score=score,
        relevance=max(0.0, similarities.get(chunk.id, 0.0)),
        lexical=lexical,
    )


def embedding_text(title: str, heading: str, body: str) -> str:
    """What a chunk's vector is made from: where it sits, then what it says."""
    context = heading if heading.startswith(title) else " / ".join(p for p in (title, heading) if p)
    return f"{context}\n{body}" if context else body


def embedder_for(settings: Any) -> Embedder:
    """The embedder the settings name ("default": the one chosen by measurement)."""
    from frontdesk.nlu.embedders import DEFAULT_EMBEDDER, get_embedder

    name = settings.embedder
    return get_embedder(DEFAULT_EMBEDDER if name in ("", "default") else name)
