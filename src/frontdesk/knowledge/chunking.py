"""Structure-aware chunking: passages that stay inside one section, keep their heading path,
keep a list with the sentence that introduces it, and keep a table's column names on every row.

Chunk text does not repeat the heading: ``ChunkDraft.heading`` carries it, so the indexer can
weigh it as it likes ("Prices \u203a Children").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from frontdesk.knowledge.blocks import Block

HEADING_SEPARATOR = " \u203a "  # a single right-pointing angle quotation mark

# A sentence ends at . ! ? (or their full-width and Spanish forms) followed by a space and an
# opening capital, digit, quote or ¿¡. Common abbreviations do not end sentences.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+(?=[\"'(\[¿¡]?[A-ZÁÉÍÓÚÑÜ0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|approx|incl|vs|no|nos|dr|mr|mrs|ms|st|sr|sra|dra|av|p\.ej|tel)\.|"
    r"\b[A-Z]\.)$",
    re.I,
)
_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class ChunkDraft:
    text: str
    heading: str
    ordinal: int


@dataclass(slots=True)
class _Unit:
    """A piece that is never split further: a paragraph (or sentence run), a list, a table."""

    text: str
    heading: str


def chunk_blocks(
    blocks: list[Block], *, target_chars: int = 600, max_chars: int = 1000
) -> list[ChunkDraft]:
    """Passages of about ``target_chars`` (never over ``max_chars``) following the structure."""
    if target_chars <= 0 or max_chars < target_chars:
        raise ValueError("need 0 < target_chars <= max_chars")
    drafts: list[ChunkDraft] = []
    current: list[str] = []
    current_heading = ""

    def flush() -> None:
        if current:
            drafts.append(ChunkDraft("\n".join(current), current_heading, len(drafts)))
            current.clear()

    for unit in _units(blocks, target_chars, max_chars):
        size = sum(len(part) + 1 for part in current)
        combined = size + len(unit.text)
        fits = combined <= target_chars or (size < target_chars // 3 and combined <= max_chars)
        if unit.heading != current_heading or not fits:
            flush()
            current_heading = unit.heading
        current.append(unit.text)
    flush()
    return drafts


def _units(blocks: list[Block], target: int, limit: int) -> Iterator[_Unit]:
    path: list[tuple[int, str]] = []  # (level, text) of the open headings
    index = 0
    while index < len(blocks):
        block = blocks[index]
        heading = HEADING_SEPARATOR.join(text for _, text in path)
        if block.kind == "heading":
            level = block.level or 1
            while path and path[-1][0] >= level:
                path.pop()
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if following is None or (
                following.kind == "heading" and (following.level or 1) <= level
            ):
                # A heading with nothing under it carries the fact itself, as small business
                # sites write them ("Open Monday to Friday, 9 to 5"): it is text of its parent.
                parent = HEADING_SEPARATOR.join(text for _, text in path)
                yield _Unit(block.text, parent)
            path.append((level, block.text))
            index += 1
            continue
        if block.kind in ("list_item", "table_row"):
            run_end = index
            while run_end < len(blocks) and blocks[run_end].kind == block.kind:
                run_end += 1
            run = blocks[index:run_end]
            if block.kind == "list_item":
                yield from _list_units(run, heading, target, limit, lead_in=None)
            else:
                yield from _grouped([_item(b) for b in run], heading, target, limit, lead_in=None)
            index = run_end
            continue
        # A paragraph directly before a list is its lead-in ("We offer:") and travels with it.
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is not None and following.kind == "list_item":
            run_end = index + 1
            while run_end < len(blocks) and blocks[run_end].kind == "list_item":
                run_end += 1
            sentences = split_sentences(block.text, limit)
            lead_in = sentences[-1]
            if len(sentences) > 1:
                yield from _paragraph_units(" ".join(sentences[:-1]), heading, target, limit)
            yield from _list_units(blocks[index + 1 : run_end], heading, target, limit, lead_in)
            index = run_end
            continue
        yield from _paragraph_units(block.text, heading, target, limit)
        index += 1


def _item(block: Block) -> str:
    return "  " * block.level + "- " + block.text if block.kind == "list_item" else block.text


def _list_units(
    items: list[Block], heading: str, target: int, limit: int, lead_in: str | None
) -> Iterator[_Unit]:
    yield from _grouped([_item(b) for b in items], heading, target, limit, lead_in)


def _grouped(
    lines: list[str], heading: str, target: int, limit: int, lead_in: str | None
) -> Iterator[_Unit]:
    """Lines (list items, table rows) in groups near the target, each group opening with the
    lead-in sentence when there is one, so every passage says what its list is about."""
    opener = [lead_in] if lead_in else []
    group = list(opener)
    for line in lines:
        for piece in split_sentences(line, limit - (len(lead_in) + 1 if lead_in else 0)):
            size = sum(len(part) + 1 for part in group)
            if len(group) > len(opener) and size + len(piece) > target:
                yield _Unit("\n".join(group), heading)
                group = list(opener)
            group.append(piece)
    if len(group) > len(opener):
        yield _Unit("\n".join(group), heading)


def _paragraph_units(text: str, heading: str, target: int, limit: int) -> Iterator[_Unit]:
    """A paragraph whole when it fits, else runs of sentences near the target."""
    if len(text) <= limit:
        yield _Unit(text, heading)
        return
    run: list[str] = []
    for sentence in split_sentences(text, limit):
        size = sum(len(part) + 1 for part in run)
        if run and size + len(sentence) > target:
            yield _Unit(" ".join(run), heading)
            run = []
        run.append(sentence)
    if run:
        yield _Unit(" ".join(run), heading)


def split_sentences(text: str, limit: int) -> list[str]:
    """Sentences of ``text``; one longer than ``limit`` is cut at word boundaries."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()]
        if _ABBREVIATION.search(candidate.rstrip("\"')]")):
            continue
        pieces.append(candidate.strip())
        start = match.end()
    pieces.append(text[start:].strip())
    sentences: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        while len(piece) > limit:
            cut = piece.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            sentences.append(piece[:cut].strip())
            piece = piece[cut:].strip()
        if piece:
            sentences.append(piece)
    return sentences


def normalise_for_duplicates(text: str) -> str:
    """Text as compared for duplicates: case, accents' forms, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _PUNCTUATION.sub(" ", text)
    return _WHITESPACE.sub(" ", text).strip()


def content_hash(text: str) -> str:
    """sha256 (hex) of the normalised text: equal for passages that differ only in form."""
    return hashlib.sha256(normalise_for_duplicates(text).encode("utf-8")).hexdigest()
