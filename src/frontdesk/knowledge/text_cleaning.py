"""Text clean-up shared by every extractor: invisible characters, ligatures, whitespace and
words hyphenated across line ends."""

from __future__ import annotations

import itertools
import re
import unicodedata

# Characters that carry no text: zero-width spaces and joiners, byte-order marks, soft hyphens
# in the middle of a line (PDFium reports a hyphen at a line break as U+0002).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\x02"), None)
_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# "treat-\nment" -> "treatment": a lowercase letter, a hyphen (or soft hyphen) at the end of a
# line, and a lowercase letter opening the next. "check-\nUp" or "2024-\n25" keep their hyphen.
_HYPHEN_BREAK = re.compile(
    r"(?<=[^\W\d_])[-\u00ad\x02][ \t]*\r?\n[ \t]*(?=[^\W\dA-Z_])", re.UNICODE
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BULLET_CHARS = "•◦▪▫‣\u2043●○■□\u2013\u2014-*·\uf0b7\uf0a7\uf076\uf0d8\uf0fc"
_BULLET = re.compile(rf"^\s*(?:[{re.escape(BULLET_CHARS)}]|\d{{1,3}}[.)]|[a-zA-Z][.)])\s+")


def normalise_characters(text: str) -> str:
    """NFC, ligatures spelt out, invisible characters dropped (line breaks kept)."""
    text = unicodedata.normalize("NFC", text)
    for ligature, letters in _LIGATURES.items():
        if ligature in text:
            text = text.replace(ligature, letters)
    return text


# PDFium joins a line ending in a hyphen to the next itself, marking the hyphen U+FFFE.
_PDFIUM_HYPHEN = re.compile(r"\ufffe(?=[^\W\dA-Z_])")


def join_hyphenated(text: str) -> str:
    """Rejoin words broken with a hyphen at a line end (before line breaks are flattened)."""
    text = _PDFIUM_HYPHEN.sub("", text).replace("\ufffe", "-")
    return _HYPHEN_BREAK.sub("", text)


def clean_inline(text: str) -> str:
    """One block's text: hyphenation rejoined, then every run of whitespace a single space."""
    text = normalise_characters(text)
    text = join_hyphenated(text).translate(_INVISIBLE)
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text.replace("\r", " ").replace("\n", " "))
    return text.strip()


def split_bullet(text: str) -> tuple[bool, str]:
    """Whether a line opens with a bullet or list number, and the text after it."""
    match = _BULLET.match(text)
    if match is None:
        return False, text
    return True, text[match.end() :]


def looks_like_heading(text: str, *, max_words: int = 10) -> bool:
    """A short line with no closing punctuation, as plain-text titles are written."""
    stripped = text.strip()
    if not stripped or len(stripped) > 80 or len(stripped.split()) > max_words:
        return False
    if stripped[-1] in ".,;!?…" or stripped.startswith(("(", "[", '"')):
        return False
    return any(char.isalpha() for char in stripped)


def lines_are_entries(lines: list[str]) -> bool:
    """Whether a paragraph's lines are separate entries ("Haircut $25" / "Beard trim $15"),
    as owners type prices and hours, rather than one sentence wrapped across lines."""
    stripped = [line.strip() for line in lines if line.strip()]
    if len(stripped) < 2 or max(map(len, stripped)) > 60:
        return False
    # A sentence wrapped across lines: a line ending mid-phrase (a letter, comma or hyphen)
    # followed by one opening in lower case.
    return not any(
        line[:1].islower() and (previous[-1].isalpha() or previous[-1] in ",-")
        for previous, line in itertools.pairwise(stripped)
    )
