"""Answering from passages without a model: pick the sentences that answer the question.

The local engine cannot write new prose, so it quotes: from the best passages it takes the
sentence (or, in a long list-like sentence, the clause) that shares the most of the
question's content words and is closest in meaning, plus close neighbours, in their original
order. A passage below the relevance threshold is not used at all: the assistant says it does
not know and offers a person rather than quoting something unrelated.

The words of the customer's current message count twice as much as those of the topic it
follows up on, so "and for kids?" after a question about haircuts picks the kids' price.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from frontdesk.knowledge.retrieval import Passage, Vocabulary
from frontdesk.knowledge.terms import content_terms
from frontdesk.nlu.embedders import Embedder, get_embedder

# Per embedder: a passage answers when relevance + weight x (share of the question's words
# it contains) reaches the cut. Measured by bench/knowledge_threshold.py on StackFAQ, between
# a question's own answer and the best passage left once that answer is removed (what the
# assistant would quote if the owner had never written it): the weight of the best balanced
# accuracy, and the cut that keeps 90% of real answers (a small business's wrong passages
# are rarely as close as StackFAQ's same-site threads; "I don't know" makes a customer wait).
# multilingual-e5-small keeps its balanced-accuracy cut (not re-measured at 90%).
THRESHOLDS: dict[str, tuple[float, float]] = {
    "wordllama": (1.0, 0.788),
    "use-multilingual": (0.75, 0.705),
    "multilingual-e5-small": (0.1, 0.915),
}
FALLBACK_THRESHOLDS = (1.0, 1.0)
MAX_SENTENCES = 3
LIST_ITEM = 70  # a clause shorter than this, among three or more, is a list item

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9¿¡\"'(])|\n+")
_CLAUSE = re.compile(r"\s*[;,•]\s+|\s+-\s+")


_ASKS = {
    "price": (
        re.compile(
            r"\b(how much|cost|costs|price|prices|pricing|fee|fees|charge|rate|cuánto|cuanto|"
            r"precio|precios|cuesta|cuestan|cobran|sale|tarifa)\b",
            re.I,
        ),
        re.compile(
            r"[$£€¥₹]|\b\d+(?:[.,]\d+)?\s?(?:dollars?|euros?|pounds?|pesos?|rand|usd|eur)\b"
            r"|\bR\s?\d|\bfree\b|\bgratis\b",
            re.I,
        ),
    ),
    "time": (
        re.compile(
            r"\b(what time|when|how long|hours?|open|close|qué hora|que hora|cuándo|"
            r"cuando|cuánto tarda|cuanto tarda|horario)\b",
            re.I,
        ),
        re.compile(
            r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm|h)\b|\b\d{1,2}:\d{2}\b|\b\d+\s?(?:min|"
            r"minutes?|hours?|days?|weeks?|minutos?|horas?|días?|dias?|semanas?)\b",
            re.I,
        ),
    ),
}


@dataclass
class KnowledgeAnswer:
    text: str
    used: list[Passage] = field(default_factory=list)


def relevance_score(
    passage: Passage,
    question: str,
    embedder: str,
    follows: str = "",
    vocabulary: Vocabulary | None = None,
) -> float:
    """relevance + weight x overlap, to compare with the embedder's cut. The overlap is the
    share of the question's words the passage contains, each weighed by how rare it is in the
    workspace's knowledge (see ``Vocabulary``); a follow-up with no words of its own ("how
    much?") is measured by its subject's words."""
    weight, _cut = THRESHOLDS.get(embedder, FALLBACK_THRESHOLDS)
    terms = content_terms(question) or content_terms(follows)
    words = content_terms(f"{passage.title} {passage.heading} {passage.text}")
    if vocabulary is None or not vocabulary.passages:
        overlap = len(terms & words) / len(terms) if terms else 0.0
    else:
        total = sum(vocabulary.weight(t) for t in terms)
        overlap = sum(vocabulary.weight(t) for t in terms & words) / total if total else 0.0
    return passage.relevance + weight * overlap


def compose_answer(
    question: str,
    passages: list[Passage],
    embedder: Embedder,
    *,
    follows: str = "",
    vocabulary: Vocabulary | None = None,
) -> KnowledgeAnswer | None:
    """The answer quoted from the best relevant passage, or None when none is relevant."""
    cut = THRESHOLDS.get(embedder.name, FALLBACK_THRESHOLDS)[1]
    scored = [
        (relevance_score(p, question, embedder.name, follows, vocabulary), p) for p in passages
    ]
    scored = [(score, p) for score, p in scored if score >= cut]
    if not scored:
        return None
    best = max(scored, key=lambda pair: pair[0])[1]  # the closest, not the first ranked
    if best.source_kind in ("qa", "intent"):
        return KnowledgeAnswer(_first_sentences(best.text, MAX_SENTENCES + 1), [best])
    units = _units(best.text)
    if len(units) <= 1:
        return KnowledgeAnswer(best.text.strip(), [best])
    scores = _score_units(units, question, follows, embedder)
    top = float(scores.max())
    if top <= 0:
        return KnowledgeAnswer(_first_sentences(best.text, 2), [best])
    chosen = [i for i in np.argsort(-scores)[:MAX_SENTENCES] if scores[i] >= 0.75 * top]
    text = " ".join(_tidy(units[i]) for i in sorted(chosen))
    return KnowledgeAnswer(text, [best])


def _units(text: str) -> list[str]:
    """Sentences, with long list-like sentences split into their clauses."""
    units: list[str] = []
    for sentence in _SENTENCE.split(text.strip()):
        sentence = sentence.strip(" -*•\t")
        if not sentence:
            continue
        # A list written as one sentence ("Prices: haircut $25, beard trim $15, kids $18")
        # is answered item by item.
        clauses = _CLAUSE.split(sentence)
        if len(clauses) > 2 and all(len(c) < LIST_ITEM for c in clauses):
            lead, _, _ = sentence.partition(":")
            prefix = lead.strip() + ": " if ":" in sentence and len(lead) < 40 else ""
            first = clauses[0].split(":", 1)[-1].strip() if prefix else clauses[0]
            units.extend(prefix + c.strip() for c in [first, *clauses[1:]] if c.strip())
        else:
            units.append(sentence)
    return units


def _score_units(units: list[str], question: str, follows: str, embedder: Embedder) -> np.ndarray:
    now, before = content_terms(question), content_terms(follows) - content_terms(question)
    # Sentences are picked by shared words first; meaning only breaks ties, so the fast
    # static model serves here whatever embedder retrieval uses (this runs on every reply).
    sentences = get_embedder("wordllama")
    asked = sentences.embed_queries([f"{follows} {question}".strip()])[0]
    similarity = sentences.embed(units) @ asked
    scores = np.zeros(len(units), dtype=np.float32)
    wants = [kind for kind, (asks, _has) in _ASKS.items() if asks.search(question)]
    for i, unit in enumerate(units):
        words = content_terms(unit)
        lexical = 2.0 * len(now & words) + 1.0 * len(before & words)
        # "how much?" is answered by the sentence with a price in it, "what time?" by one
        # with a time, whatever words they share.
        lexical += sum(1.5 for kind in wants if _ASKS[kind][1].search(unit))
        scores[i] = lexical + 0.5 * float(similarity[i])
    return scores


def _first_sentences(text: str, count: int) -> str:
    sentences = [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]
    return " ".join(sentences[:count])


def _tidy(unit: str) -> str:
    unit = unit.strip()
    if unit and unit[-1] not in ".!?:)":
        unit += "."
    return unit[:1].upper() + unit[1:]
