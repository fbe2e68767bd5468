"""Which language a customer wrote in, so replies and models can follow it.

py3langid (a naive Bayes over byte n-grams, weights shipped in the package) is fast,
offline and good on sentences, but like every character-statistics model it guesses
wildly on one or two words ("hi" comes out German). So the search is restricted to the
languages a business can actually answer in, and short or low-confidence texts fall
back to the workspace's language instead of guessing.

py3langid's module-level ``set_languages`` restricts a shared global identifier, which
would silently change results for any other caller in the process; this module keeps its
own identifiers instead: one full model loaded once, plus a cheap restricted view per
candidate set (the restricted copies share the n-gram automaton with the full model).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

__all__ = ["DEFAULT_CANDIDATES", "MIN_CONFIDENCE", "MIN_WORDS", "detect_language"]

DEFAULT_CANDIDATES: tuple[str, ...] = ("en", "es", "fr", "de", "pt", "it", "nl")
# Fewer words than this carry too little evidence: "ok thanks", "Gracias!".
MIN_WORDS = 3
# Probability (normalised over the candidates) below which the model's guess is not
# trusted on its own. On 3-6 word messages right answers mostly score 0.8-1.0 and
# confusions 0.4-0.77 ("necesito una cita" -> Italian at 0.76).
MIN_CONFIDENCE = 0.8

# Addresses, links, numbers and handles are language-neutral noise for n-gram counts.
_NOISE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|[@#]\w+|[\d+()./:,-]*\d[\d+()./:,-]*")
_WORD = re.compile(r"[^\W\d_]{2,}")

# Function words and customer-service staples per language. On 3-6 word messages the
# n-gram model is often unsure or confuses close relatives ("necesito una cita" comes out
# Italian); counting these settles most such cases. Words shared between languages
# ("de", "una") simply count for each.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the a an is are i you my your to for of and can do does what how when where "
        "please thanks thank with have need want it this that on at be will would me",
        "es": "el la los las un una es está esta son de del que por para con mi tu su y hola "
        "gracias quiero quisiera necesito tengo cuánto cuanto cuándo cuando dónde donde "
        "puedo hay muy pero no sí mañana hoy usted ustedes cita se",
        "fr": "le la les un une est sont de du des que pour avec mon ma mes votre vos je vous "
        "nous et bonjour merci voudrais veux pas ne oui combien quand où demain suis ai "
        "c'est j'ai aujourd'hui rendez-vous",
        "de": "der die das ein eine ist sind und ich sie wir mit für von zu nicht ja nein "
        "hallo danke bitte möchte habe haben kann können wann wie wo morgen heute termin "
        "mein meine ihr es",
        "pt": "o os a as um uma é são de do da que para com meu minha você vocês eu e olá ola "
        "obrigado obrigada gostaria quero preciso tenho quando onde quanto não sim amanhã "
        "hoje consulta está",
        "it": "il lo la gli le un una è sono di del della che per con mio mia io voi e ciao "
        "buongiorno grazie vorrei voglio ho quando dove quanto non sì domani oggi "
        "appuntamento posso prenotare",
        "nl": "de het een is zijn van en ik je jij u wij we met voor niet ja nee hallo dank "
        "bedankt graag wil wilt kan kunt wanneer hoe waar morgen vandaag afspraak mijn heb "
        "hebben maken",
    }.items()
}
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
# At or above this the model is trusted over the function-word count.
_SURE = 0.9

_lock = threading.Lock()
_base: Any = None  # py3langid.langid.LanguageIdentifier (the package is untyped)
_restricted: dict[tuple[str, ...], Any] = {}


def _identifier(candidates: tuple[str, ...]) -> Any:
    """A normalised-probability identifier limited to ``candidates``, built once each."""
    global _base
    found = _restricted.get(candidates)
    if found is not None:
        return found
    with _lock:
        found = _restricted.get(candidates)
        if found is not None:
            return found
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        if _base is None:
            # ~0.9 s and ~30 MB: decompressing the shipped model, so once per process.
            _base = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        view = LanguageIdentifier(
            _base.nb_ptc,
            _base.nb_pc,
            _base.nb_classes,
            _base.tk_nextmove,
            _base.tk_output,
            norm_probs=True,
            tk_row=_base.tk_row,
        )
        # Raises ValueError for a code the model does not know: a configuration error
        # the caller should see rather than a silent fallback.
        view.set_languages(list(candidates))
        _restricted[candidates] = view
        return view


def detect_language(
    text: str, *, default: str = "en", candidates: Sequence[str] = DEFAULT_CANDIDATES
) -> str:
    """The ISO 639-1 code of ``text`` among ``candidates``, or ``default`` when unsure."""
    cleaned = _NOISE.sub(" ", text)
    if len(_WORD.findall(cleaned)) < MIN_WORDS:
        return default
    languages = tuple(sorted(set(candidates)))
    if not languages:
        return default
    if len(languages) == 1:
        return languages[0]
    language, confidence = _identifier(languages).classify(cleaned)
    if confidence >= _SURE:
        return str(language)
    by_words = _by_function_words(cleaned, languages)
    if by_words is not None:
        return by_words
    return str(language) if confidence >= MIN_CONFIDENCE else default


def _by_function_words(text: str, languages: tuple[str, ...]) -> str | None:
    """The candidate with the most function words (at least 2, no tie), else None."""
    tokens = [t.replace("\u2019", "'") for t in _TOKEN.findall(text.lower())]
    counts = sorted(
        (
            (sum(t in _FUNCTION_WORDS[lang] for t in tokens), lang)
            for lang in languages
            if lang in _FUNCTION_WORDS
        ),
        reverse=True,
    )
    if not counts or counts[0][0] < 2 or (len(counts) > 1 and counts[1][0] == counts[0][0]):
        return None
    return counts[0][1]
