"""Every kind of reply has its wording in every language the assistant speaks, with the same
placeholders: a Spanish conversation never falls back to an English sentence."""

from __future__ import annotations

import string

import pytest

from frontdesk.assistant.phrasebooks import PHRASEBOOKS, en


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", sorted(set(PHRASEBOOKS) - {"en"}))
def test_every_move_has_a_wording_with_the_same_placeholders(language: str) -> None:
    book = PHRASEBOOKS[language]
    missing = sorted(set(en.MOVES) - set(book.MOVES))
    assert not missing, f"{language} lacks {missing}"
    for move, wordings in book.MOVES.items():
        english = set().union(*(_fields(w) for w in en.MOVES.get(move, ("",))))
        for wording in wordings:
            assert _fields(wording) <= english | {"name"}, (language, move, wording)
