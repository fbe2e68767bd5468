"""``frontdesk eval retrieval``: the product's ingestion and retrieval on a BEIR-layout set.

Every document of ``corpus.jsonl`` becomes a text source of a fresh workspace in a temporary
SQLite database, ingested by the product's own job (extraction, chunking, embedding, FTS5
index); every query goes through the product's hybrid search. Passages are mapped back to
their document, and the document ranking is scored against ``qrels.tsv``. The BM25 baseline
is the product's own full-text half (SQLite FTS5's BM25) on the same index, in the same run.
"""

from __future__ import annotations

import asyncio
import csv
import json
import math
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from frontdesk.accounts.models import User
from frontdesk.kit.db import Database
from frontdesk.kit.migrations import upgrade
from frontdesk.knowledge import retrieval
from frontdesk.knowledge.models import KnowledgeSource
from frontdesk.knowledge.repository import ChunkRepository, SourceRepository
from frontdesk.knowledge.tasks import ingest
from frontdesk.services import Services
from frontdesk.settings import Settings
from frontdesk.workspaces import service as workspaces

DEPTH = 10


def evaluate_retrieval(
    corpus: Path, queries: Path, qrels: Path, *, embedder: str = "default"
) -> dict[str, Any]:
    return asyncio.run(_evaluate(corpus, queries, qrels, embedder))


async def _evaluate(corpus: Path, queries: Path, qrels: Path, embedder: str) -> dict[str, Any]:
    documents = _jsonl(corpus)
    questions = {row["_id"]: row["text"] for row in _jsonl(queries)}
    relevant = _qrels(qrels)
    questions = {qid: text for qid, text in questions.items() if qid in relevant}
    with tempfile.TemporaryDirectory(prefix="frontdesk-eval-") as folder:
        settings = Settings(
            data_dir=Path(folder),
            secret_key="eval-" + "x" * 40,
            embedder=embedder,
            warm_assistant=False,
            auto_migrate=False,
        )
        db = Database(settings.resolved_database_url)
        await upgrade(db)
        await db.dispose()
        services = Services.build(settings)
        await services.start()
        try:
            return await _run(services, documents, questions, relevant)
        finally:
            await services.close()


async def _run(
    services: Services,
    documents: list[dict[str, Any]],
    questions: dict[str, str],
    relevant: dict[str, set[str]],
) -> dict[str, Any]:
    async with services.unit_of_work() as uow:
        owner = User(email="eval@example.com", password_hash="!", full_name="Eval")  # noqa: S106
        uow.session.add(owner)
        await uow.session.flush()
        workspace = await workspaces.create_workspace(uow.session, "Evaluation", owner)
        wid = workspace.id
        sources = SourceRepository(uow.session, wid)
        doc_of: dict[uuid.UUID, str] = {}
        for row in documents:
            source = sources.add(
                KnowledgeSource(
                    kind="text",
                    title=str(row.get("title", ""))[:300],
                    body=str(row.get("text", "")) or str(row.get("title", "")),
                    status="queued",
                )
            )
            await uow.session.flush()
            doc_of[source.id] = str(row["_id"])
    started = time.perf_counter()
    for source_id in doc_of:
        await ingest(services, str(wid), str(source_id))
    ingest_seconds = time.perf_counter() - started
    embedder = retrieval.embedder_for(services.settings)
    hybrid: list[list[str]] = []
    lexical: list[list[str]] = []
    latencies: list[float] = []
    async with services.unit_of_work() as uow:
        chunks = ChunkRepository(uow.session, wid)
        chunk_doc = {cid: doc_of[sid] for cid, sid, _e, _v in await chunks.vectors()}
        for text in questions.values():
            began = time.perf_counter()
            passages = await retrieval.search(uow.session, wid, text, embedder, limit=3 * DEPTH)
            latencies.append(time.perf_counter() - began)
            hybrid.append(_documents([doc_of[p.source_id] for p in passages]))
            hits = await chunks.full_text(text, 3 * DEPTH)
            lexical.append(_documents([chunk_doc[cid] for cid, _ in hits if cid in chunk_doc]))
    gold = [relevant[qid] for qid in questions]
    latencies.sort()
    results = {
        "queries": len(questions),
        "documents": len(documents),
        "chunks": len(chunk_doc),
        "embedder": embedder.name,
        **_scores(hybrid, gold, ""),
        **_scores(lexical, gold, "bm25_"),
        "ingest_seconds": round(ingest_seconds, 2),
        "search_p50_ms": round(1000 * latencies[len(latencies) // 2], 2),
        "search_p95_ms": round(1000 * latencies[int(len(latencies) * 0.95)], 2),
    }
    return results


def _scores(rankings: list[list[str]], gold: list[set[str]], prefix: str) -> dict[str, float]:
    metrics: dict[str, Callable[[list[str], set[str]], float]] = {
        "p_at_1": lambda r, g: 1.0 if r[:1] and r[0] in g else 0.0,
        "mrr_at_10": _mrr,
        "ndcg_at_10": _ndcg,
        "recall_at_5": lambda r, g: len(set(r[:5]) & g) / len(g),
    }
    count = max(len(rankings), 1)
    return {
        prefix + name: round(sum(f(r, g) for r, g in zip(rankings, gold, strict=True)) / count, 4)
        for name, f in metrics.items()
    }


def _mrr(ranking: list[str], gold: set[str]) -> float:
    for rank, doc in enumerate(ranking[:DEPTH], start=1):
        if doc in gold:
            return 1.0 / rank
    return 0.0


def _ndcg(ranking: list[str], gold: set[str]) -> float:
    gain = sum(1.0 / math.log2(r + 2) for r, d in enumerate(ranking[:DEPTH]) if d in gold)
    ideal = sum(1.0 / math.log2(r + 2) for r in range(min(len(gold), DEPTH)))
    return gain / ideal if ideal else 0.0


def _documents(ranked: Sequence[str]) -> list[str]:
    """Documents in the order their best passage ranks."""
    return list(dict.fromkeys(ranked))


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _qrels(path: Path) -> dict[str, set[str]]:
    relevant: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if len(row) < 3 or row[0] == "query-id":
                continue
            if float(row[2]) > 0:
                relevant.setdefault(row[0], set()).add(row[1])
    return relevant
