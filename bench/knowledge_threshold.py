"""Where the assistant should stop quoting: the relevance threshold, measured on StackFAQ.

For every query, the best passage of its own FAQ thread is an answer (positive); with that
thread removed, the best passage left is what the assistant would quote if the business had
never written the answer (negative). The rule "relevance + weight x word overlap >= cut"
is scored by balanced accuracy over a grid, for the chosen embedder; the figures and the
best rule are printed. knowledge/answers.py holds the thresholds chosen here.

    .venv/bin/python bench/knowledge_threshold.py [--embedder NAME] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from frontdesk.knowledge.chunking import chunk_blocks
from frontdesk.knowledge.extract import extract_document
from frontdesk.knowledge.retrieval import Vocabulary, embedding_text
from frontdesk.knowledge.terms import content_terms
from frontdesk.nlu.embedders import DEFAULT_EMBEDDER, get_embedder

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "stackfaq" / "beir"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default=DEFAULT_EMBEDDER)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    corpus = [json.loads(line) for line in (args.data / "corpus.jsonl").open()]
    queries = {q["_id"]: q["text"] for q in map(json.loads, (args.data / "queries.jsonl").open())}
    gold: dict[str, str] = {}
    for line in (args.data / "qrels.tsv").open():
        parts = line.split("\t")
        if parts[0] != "query-id" and len(parts) >= 3:
            gold[parts[0]] = parts[1]
    owners, texts, words = [], [], []
    for doc in corpus:
        blocks = extract_document(doc["text"].encode(), filename="faq.md").blocks
        for draft in chunk_blocks(blocks):
            owners.append(doc["_id"])
            texts.append(embedding_text(doc["title"], draft.heading or doc["title"], draft.text))
            words.append(content_terms(f"{doc['title']} {draft.text}"))
    embedder = get_embedder(args.embedder)
    chunks = embedder.embed(texts)
    ids = [qid for qid in queries if qid in gold]
    asked = embedder.embed_queries([queries[qid] for qid in ids])
    owner = np.array(owners)
    positives: list[tuple[float, float]] = []
    negatives: list[tuple[float, float]] = []
    frequency: Counter[str] = Counter()
    for passage_words in words:
        frequency.update(passage_words)
    vocabulary = Vocabulary(dict(frequency), len(words))  # weighed as the product weighs
    for row, qid in enumerate(ids):
        terms = content_terms(queries[qid])
        sims = chunks @ asked[row]
        own = owner == gold[qid]
        for mask, bucket in ((own, positives), (~own, negatives)):
            best = int(np.argmax(np.where(mask, sims, -2.0)))
            total = sum(vocabulary.weight(t) for t in terms)
            shared = sum(vocabulary.weight(t) for t in terms & words[best])
            overlap = shared / total if total else 0.0
            bucket.append((float(sims[best]), overlap))
    pos, neg = np.array(positives), np.array(negatives)
    print(f"embedder {embedder.name}: {len(ids)} queries, {len(texts)} passages")
    for label, values, pct in (("the answer", pos, 10), ("the best other", neg, 90)):
        spread = np.percentile(values[:, 0], pct)
        print(f"relevance of {label}: mean {values[:, 0].mean():.3f}  p{pct} {spread:.3f}")
    best_rule, best_score = (0.0, 0.0), 0.0
    for weight in (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0):
        for cut in np.arange(0.1, 1.6, 0.005):
            tpr = ((pos[:, 0] + weight * pos[:, 1]) >= cut).mean()
            fpr = ((neg[:, 0] + weight * neg[:, 1]) >= cut).mean()
            score = (tpr + (1 - fpr)) / 2
            if score > best_score:
                best_score, best_rule = score, (weight, round(float(cut), 3))
    weight, cut = best_rule
    print(f"best rule: relevance + {weight} x overlap >= {cut}")
    print(f"balanced accuracy {best_score:.3f}")
    # A business's knowledge base is small and its wrong passages are rarely as close as
    # StackFAQ's same-site threads, while "I don't know" costs the customer a wait: the rule
    # the product uses keeps 90% of real answers, with the same weight.
    combined_pos = pos[:, 0] + weight * pos[:, 1]
    combined_neg = neg[:, 0] + weight * neg[:, 1]
    kept = float(np.percentile(combined_pos, 10))
    print(
        f"rule keeping 90% of answers: relevance + {weight} x overlap >= {kept:.3f} "
        f"(rejects {(combined_neg < kept).mean():.1%} of the best wrong passages)"
    )


if __name__ == "__main__":
    main()
