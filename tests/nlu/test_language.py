"""Language detection on the real py3langid model."""

from __future__ import annotations

import py3langid
import pytest

from frontdesk.nlu.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hola, quisiera reservar una cita para mañana", "es"),
        ("Bonjour, je voudrais un rendez-vous", "fr"),
        ("Can I book for Tuesday?", "en"),
        ("Hallo, ich möchte einen Termin buchen", "de"),
        ("Olá, gostaria de marcar uma consulta amanhã", "pt"),
        ("Ciao, vorrei prenotare un appuntamento", "it"),
        ("Hallo, ik wil graag een afspraak maken", "nl"),
        # Short texts the n-gram model alone gets wrong or is unsure about.
        ("necesito una cita", "es"),
        ("Tengo un problema con mi pedido", "es"),
        ("can i come at 3", "en"),
    ],
)
def test_languages(text: str, language: str) -> None:
    assert detect_language(text, default="xx") == language


@pytest.mark.parametrize(
    "text", ["hi", "Gracias!", "ok thanks", "", "082 555 0199 dana@example.org"]
)
def test_too_short_gives_default(text: str) -> None:
    assert detect_language(text, default="xx") == "xx"


def test_default_is_english() -> None:
    assert detect_language("hi") == "en"


def test_candidates_restrict_the_answer() -> None:
    text = "Hola, quisiera reservar una cita para mañana"
    assert detect_language(text, candidates=("en", "pt")) in ("en", "pt")
    assert detect_language(text, candidates=("es",)) == "es"
    assert detect_language(text, default="en", candidates=()) == "en"


def test_unknown_candidate_is_an_error() -> None:
    with pytest.raises(ValueError, match="Unknown language"):
        detect_language("Hola, quisiera reservar una cita", candidates=("es", "qq"))


def test_global_langid_state_is_left_alone() -> None:
    detect_language("Hola, quisiera reservar una cita para mañana", candidates=("es", "en"))
    # The package-level identifier still knows every language, so other callers are unaffected.
    assert py3langid.classify("Dit is een Nederlandse zin over het weer")[0] == "nl"
    assert py3langid.classify("Это предложение на русском языке")[0] == "ru"
