"""What the local engine says, per language: several wordings for every kind of reply,
and the openers each personality adds. English is complete; other languages fall back to it
for anything they lack."""

from __future__ import annotations

from frontdesk.assistant.phrasebooks import en, es

PHRASEBOOKS = {"en": en, "es": es}
