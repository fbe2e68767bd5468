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

from frontdesk.knowledge.followups import starts_as_follow_up
from frontdesk.knowledge.near_words import content_words, near_matches
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
PASSAGE_HANDICAP = 2.0  # a sentence's score lost per point its passage is below the best
LIST_ITEM = 70  # a clause shorter than this, among three or more, is a list item

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9¿¡\"'(])|\n+")
_CLAUSE = re.compile(r"\s*[;,•]\s+|\s+-\s+")


_PRICE_FOUND = re.compile(
    r"[$£€¥₹]|\b\d+(?:[.,]\d+)?\s?(?:dollars?|euros?|pounds?|pesos?|rand|usd|eur)\b"
    r"|\bR\s?\d|\b(?:free|gratis|gratuit[oa]s?|no charge|no cost|included|incluid[oa]s?|"
    r"sin coste|sin costo|sin cargo)\b",
    re.I,
)
_TIME_FOUND = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.|h)\b|(?<![$£€¥₹\d.,])\d{1,2}[:.]\d{2}\b"
    r"(?!\s?(?:€|eur|euros?|dollars?|pesos?))|\bnoon\b|"
    r"\bmidday\b|\bmediodía\b|\b\d+(?:\s?[-\u2013]\s?\d+)?[\s-]?(?:min|mins|minutes?|hours?|hrs?|"
    r"days?|weeks?|months?|years?|minutos?|horas?|días?|dias?|semanas?|mes|meses|años?)\b|"
    r"\b(?:a|an|one|two|three|un|una|dos|tres)\s+(?:hour|day|week|month|year|hora|día|dia|"
    r"semana|mes|año)\b|\b(?:same[- ]day|while you wait|on the spot|mismo día|en el día|"
    r"al momento|en el acto)\b",
    re.I,
)
_ASKS = {
    "price": (
        re.compile(
            r"\b(how much|cost|costs|price|prices|pricing|fee|fees|charge|rate|cuánto|cuanto|"
            r"precio|precios|cuesta|cuestan|cobran|sale|tarifa)\b",
            re.I,
        ),
        _PRICE_FOUND,
    ),
    "time": (
        re.compile(
            r"\b(what time|when|how long|hours?|open|close|qué hora|que hora|cuándo|"
            r"cuando|cu[aá]nto tarda\w*|cu[aá]nto tiempo|horario)\b",
            re.I,
        ),
        _TIME_FOUND,
    ),
}
# Questions that can only be answered by a price or a time: "how much is X?" is not
# answered by a sentence about X without a price in it (that would be quoting beside the
# point); "is there a fee?" or "are you open?" can be answered with no figure.
_NEEDS = {
    "price": re.compile(
        r"\bhow much\b(?!\s+(?:notice|time|longer|warning|in advance))|\bwhat(?:'s| is| are|s)"
        r" (?:the |your )?(?:price|cost|fee|rate)s?\b|\bcu[aá]nto (?:cuesta|cuestan|cobr\w*|"
        r"vale|valen|sale|salen)\b",
        re.I,
    ),
    "time": re.compile(
        r"\bhow long\b|\bwhat time\b|\bhow much (?:notice|time)\b|\bcu[aá]nto (?:tarda\w*|"
        r"tiempo|dura\w*)\b|\ba qu[eé] hora\b",
        re.I,
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
    workspace's knowledge (see ``Vocabulary``). In a follow-up the words of the subject it
    leans on count too, half as much as its own (and only when they help): "for 6?" after
    "how much are butter tarts" is about butter tarts, and "and for kids?" still prefers
    the passage with kids in it."""
    weight, _cut = THRESHOLDS.get(embedder, FALLBACK_THRESHOLDS)
    own = content_terms(question)
    subject = content_terms(follows) - own
    written = f"{passage.title} {passage.heading} {passage.text}"
    words = content_terms(written)
    # A synonym or a translation of a written word counts as that word ("is there
    # internet?" and "Wifi: yes, free"), and is no longer a word the knowledge lacks.
    known = vocabulary.frequency if vocabulary is not None else ()
    near = near_matches(content_words(f"{question} {follows}"), content_words(written), known)
    words |= near

    def mass(terms: set[str]) -> float:
        if vocabulary is None or not vocabulary.passages:
            return float(len(terms))
        return sum(1.0 if t in near else vocabulary.weight(t) for t in terms)

    if not {t for t in own if not t.isdigit()}:
        # "for 6?", "how much?": nothing of its own but a number; its subject says what.
        subject, own = subject | own, set()
    elif follows:
        subject -= own
    own_total, subject_total = mass(own), mass(subject)
    own_share = mass(own & words) / own_total if own_total else 0.0
    if not subject_total:
        return passage.relevance + weight * own_share
    subject_share = mass(subject & words) / subject_total
    if not own:
        return passage.relevance + weight * subject_share
    if not own_total:
        # Words of its own that no passage knows: "¿tienen aparcamiento para bicis?" is a
        # new question the knowledge cannot answer; "y sueltas?" still says it follows on.
        if starts_as_follow_up(question):
            return passage.relevance + weight * subject_share
        return passage.relevance
    # The subject can only help: a follow-up with words of its own ("how long is the
    # warranty on that?") is judged by them at least as well as without the subject.
    overlap = max(own_share, (2.0 * own_share + subject_share) / 3.0)
    return passage.relevance + weight * overlap


def compose_answer(
    question: str,
    passages: list[Passage],
    embedder: Embedder,
    *,
    follows: str = "",
    vocabulary: Vocabulary | None = None,
) -> KnowledgeAnswer | None:
    """The answer quoted from the relevant passages, or None when none is relevant.

    Every passage above the cut offers its sentences; the best sentence wins, with a small
    handicap for passages that scored lower as a whole. A passage is often a few lines of
    the owner's notes about different things, so the passage closest overall ("the bakery
    is nut-free except our pecan butter tarts") need not hold the sentence that answers
    ("Butter tarts $3.25 each")."""
    cut = THRESHOLDS.get(embedder.name, FALLBACK_THRESHOLDS)[1]
    scored = [
        (relevance_score(p, question, embedder.name, follows, vocabulary), p) for p in passages
    ]
    relevant = sorted(
        ((score, p) for score, p in scored if score >= cut), key=lambda pair: -pair[0]
    )
    if not relevant:
        return None
    best_score = relevant[0][0]
    units: list[str] = []
    owners: list[int] = []
    for number, (_score, passage) in enumerate(relevant):
        # A question-and-answer pair or a custom intent's answer is one answer, whole.
        pieces = (
            [passage.text.strip()]
            if passage.source_kind in ("qa", "intent")
            else _units(passage.text) or [passage.text.strip()]
        )
        units.extend(pieces)
        owners.extend([number] * len(pieces))
    headings = [f"{relevant[o][1].title} {relevant[o][1].heading}" for o in owners]
    raw = _score_units(units, question, follows, embedder, headings, vocabulary)
    for kind, needs in _NEEDS.items():
        if needs.search(question):
            has = np.array([bool(_ASKS[kind][1].search(unit)) for unit in units])
            if not has.any():
                return None  # what they asked for is not written anywhere relevant
            raw = np.where(has, raw, -np.inf)
    handicap = np.array([PASSAGE_HANDICAP * (best_score - relevant[o][0]) for o in owners])
    winner = int(np.argmax(raw - handicap))
    _score, best = relevant[owners[winner]]
    if best.source_kind in ("qa", "intent"):
        return KnowledgeAnswer(_first_sentences(best.text, MAX_SENTENCES + 1), [best])
    mine = [i for i, owner in enumerate(owners) if owner == owners[winner]]
    if len(mine) <= 1:
        return KnowledgeAnswer(best.text.strip(), [best])
    top = float(raw[winner])
    if top <= 0 or not np.isfinite(top):
        return KnowledgeAnswer(_first_sentences(best.text, 2), [best])
    ranked = sorted(mine, key=lambda i: -raw[i])[:MAX_SENTENCES]
    chosen = [i for i in ranked if raw[i] >= 0.75 * top]
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


def _score_units(
    units: list[str],
    question: str,
    follows: str,
    embedder: Embedder,
    headings: list[str] | None = None,
    vocabulary: Vocabulary | None = None,
) -> np.ndarray:
    now, before = content_terms(question), content_terms(follows) - content_terms(question)
    # Sentences are picked by shared words first; meaning only breaks ties, so the fast
    # static model serves here whatever embedder retrieval uses (this runs on every reply).
    sentences = get_embedder("wordllama")
    asked = sentences.embed_queries([f"{follows} {question}".strip()])[0]
    similarity = sentences.embed(units) @ asked
    scores = np.zeros(len(units), dtype=np.float32)
    # What kind of answer is wanted: asked now, or in the question a follow-up leans on
    # ("how much are butter tarts?" then "for 6?").
    wants = [kind for kind, (asks, _has) in _ASKS.items() if asks.search(question)]
    if not wants and follows:
        wants = [kind for kind, (asks, _has) in _ASKS.items() if asks.search(follows)]
    asked = content_words(f"{question} {follows}")
    known = vocabulary.frequency if vocabulary is not None else ()
    for i, unit in enumerate(units):
        words = content_terms(unit)
        # A near word (a synonym, a translation) counts a quarter of the word itself: it
        # finds the sentence when nothing else does, and never outvotes the words written.
        near = near_matches(asked, content_words(unit), known)
        # Where a sentence sits (its source's title, its heading) counts half: "Wifi" over
        # "Yes, free, the password is on your receipt".
        around = content_terms(headings[i]) - words if headings else set()
        lexical = 2.0 * len(now & words) + 1.0 * len(before & words)
        lexical += 0.5 * len(now & near) + 0.25 * len(before & near)
        lexical += 1.0 * len(now & around) + 0.5 * len(before & around)
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
