"""PDF text through PDFium (pypdfium2): lines with their font size, weight and position, then
paragraphs, headings and list items rebuilt from the layout.

PDFium was chosen by measurement: a 50-page PDF reads in about 0.05 s with line geometry,
against about 0.13 s for pypdf's plain text (see the extraction test for the figure).
"""

from __future__ import annotations

import ctypes
import itertools
import re
import statistics
import threading
from collections import Counter
from dataclasses import dataclass

import pypdfium2
import pypdfium2.raw as pdfium_c

from frontdesk.knowledge.blocks import Block, ExtractedDocument, ExtractionError
from frontdesk.knowledge.text_cleaning import (
    clean_inline,
    join_hyphenated,
    lines_are_entries,
    looks_like_heading,
    split_bullet,
)

# PDFium is not thread-safe, not even across separate documents: one extraction at a time.
_PDFIUM_LOCK = threading.Lock()
_DIGITS = re.compile(r"\d+")
_TOC_ENTRY = re.compile(r"(?:\.\s*){4,}\s*[\divxlc]+\s*$", re.I)
_PAGE_NUMBER = re.compile(
    r"^[ivxlc]{1,6}$|^(?:page\s*)?[-\u2013(\[]?\s*\d+\s*(?:(?:/|of)\s*\d+)?\s*[-\u2013)\]]?$", re.I
)


@dataclass(slots=True)
class _Line:
    text: str
    page: int
    size: float
    bold: bool
    left: float
    bottom: float  # of the line's first letter
    end_bottom: float  # of its last letter: PDFium sometimes joins two visual lines into one


def extract_pdf(data: bytes, *, fallback_title: str) -> ExtractedDocument:
    with _PDFIUM_LOCK:
        title, pages = _read_lines(data)
    lines = [line for page in _drop_running_headers(pages) for line in page]
    if not any(line.text.strip() for line in lines):
        raise ExtractionError(
            "This PDF has no text layer: it looks like a scan or a set of images. "
            "Upload a PDF with selectable text, or paste the text instead."
        )
    if _unreadable_share(lines) > 0.3:
        raise ExtractionError(
            "The text in this PDF cannot be read: its fonts do not say which letters they "
            "draw. Export it again as PDF from the original document, or paste the text instead."
        )
    blocks = _blocks_from_lines(lines)
    if not title:
        title = next((b.text for b in blocks if b.kind == "heading"), "") or fallback_title
    return ExtractedDocument(title=title[:300], blocks=blocks)


def _unreadable_share(lines: list[_Line]) -> float:
    """Share of characters that are replacement, private-use or control characters: what a
    font without a Unicode map yields."""
    total = unreadable = 0
    for line in lines:
        for char in line.text:
            if char.isspace():
                continue
            total += 1
            if char == "\ufffd" or "\ue000" <= char <= "\uf8ff" or char < " ":
                unreadable += 1
    return unreadable / total if total else 0.0


def _read_lines(data: bytes) -> tuple[str, list[list[_Line]]]:
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if "password" in str(error).lower():
            raise ExtractionError(
                "This PDF is password-protected. Remove the password and upload it again."
            ) from error
        raise ExtractionError("This PDF could not be read: the file looks damaged.") from error
    try:
        title = _usable_title(document.get_metadata_value("Title") or "")
        pages = [_page_lines(document, index) for index in range(len(document))]
    finally:
        document.close()
    return title, pages


def _usable_title(title: str) -> str:
    """The PDF's own title, unless it is a tool's placeholder."""
    title = title.strip()
    lowered = title.lower()
    placeholders = ("(anonymous)", "untitled", "anonymous", "document", "title")
    if lowered in placeholders or lowered.startswith("microsoft word - ") or "." in title[-5:]:
        return ""
    return title


def _page_lines(document: pypdfium2.PdfDocument, index: int) -> list[_Line]:
    page = document[index]
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range() if count else ""
        # Character indices line up with the text only when PDFium generated no surrogate
        # pairs; otherwise keep the text and give up on the geometry for this page.
        geometry = len(text) == count
        lines: list[_Line] = []
        offset = 0
        left, right = ctypes.c_double(), ctypes.c_double()
        bottom, top = ctypes.c_double(), ctypes.c_double()
        for raw_line in text.split("\r\n"):
            stripped = raw_line.strip()
            if stripped:
                # Size and weight of the first letter or digit: a bullet is often drawn larger.
                lead = next((i for i, char in enumerate(raw_line) if char.isalnum()), None)
                first = offset + (lead if lead is not None else len(raw_line) - len(stripped))
                tail = next(
                    (i for i in range(len(raw_line) - 1, -1, -1) if raw_line[i].isalnum()), 0
                )
                size, bold, x, y, end_y = 0.0, False, 0.0, 0.0, 0.0
                if geometry:
                    size = float(pdfium_c.FPDFText_GetFontSize(textpage, first))
                    bold = pdfium_c.FPDFText_GetFontWeight(textpage, first) >= 600
                    pdfium_c.FPDFText_GetCharBox(textpage, first, left, right, bottom, top)
                    x, y = left.value, bottom.value
                    pdfium_c.FPDFText_GetCharBox(textpage, offset + tail, left, right, bottom, top)
                    end_y = bottom.value
                line = _Line(raw_line.rstrip(), index + 1, round(size, 1), bold, x, y, end_y)
                lines.append(line)
            offset += len(raw_line) + 2
        return lines
    finally:
        textpage.close()
        page.close()


def _edge_lines(page: list[_Line], edge: int = 2) -> list[_Line]:
    """The top and bottom lines of a page by position (content order when there is none)."""
    ordered = sorted(page, key=lambda line: -line.bottom) if any(ln.bottom for ln in page) else page
    return ordered[:edge] + ordered[-edge:]


def _running_key(line: _Line) -> tuple[str, int]:
    # Page numbers change from page to page; the position of a running header does not.
    return _DIGITS.sub("#", line.text.strip().lower()), round(line.bottom)


def _drop_running_headers(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Remove page numbers and lines repeated at the same place on the edge of most pages.

    Only lines no larger than the body text qualify: a heading that opens every page
    ("Section 3: ...") is content, a running header is small print.
    """
    body = _body_size([line for page in pages for line in page])
    counts: Counter[tuple[str, int]] = Counter()
    edges = [[ln for ln in _edge_lines(page) if ln.size <= body] for page in pages]
    for page_edges in edges:
        counts.update({_running_key(line) for line in page_edges})
    threshold = max(3, len(pages) // 2)
    running = {key for key, seen in counts.items() if seen >= threshold}
    cleaned = []
    for page, page_edges in zip(pages, edges, strict=True):
        edge_ids = {id(line) for line in page_edges}
        cleaned.append(
            [
                line
                for line in page
                if id(line) not in edge_ids
                or not (_running_key(line) in running or _PAGE_NUMBER.match(line.text.strip()))
            ]
        )
    return cleaned


def _body_size(lines: list[_Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _typical_gap(lines: list[_Line], body: float) -> float:
    gaps = [
        previous.end_bottom - line.bottom
        for previous, line in itertools.pairwise(lines)
        if previous.page == line.page
        and line.size == body == previous.size
        and 0 < previous.end_bottom - line.bottom < body * 3
    ]
    return statistics.median(gaps) if gaps else body * 1.2


def _blocks_from_lines(lines: list[_Line]) -> list[Block]:
    body = _body_size(lines)
    gap = _typical_gap(lines, body)
    heading_sizes = sorted(
        {ln.size for ln in lines if body and ln.size >= body * 1.15}, reverse=True
    )
    level_of = {size: min(index + 1, 6) for index, size in enumerate(heading_sizes)}
    bold_level = min(len(heading_sizes) + 1, 6)

    blocks: list[Block] = []
    kind: str | None = None
    parts: list[str] = []
    level, page, size = 0, 1, 0.0
    item_left = 0.0
    previous: _Line | None = None

    def flush() -> None:
        nonlocal kind, parts
        if kind is not None and parts:
            # Short lines that read as separate entries (a price table) stay separate.
            entries = kind == "paragraph" and lines_are_entries(parts)
            texts = parts if entries else [join_hyphenated("\n".join(parts))]
            for text in map(clean_inline, texts):
                if text:
                    blocks.append(Block(kind, text, level=level, page=page))  # type: ignore[arg-type]
        kind, parts = None, []

    for line in lines:
        text = line.text.strip()
        if _TOC_ENTRY.search(text):
            continue  # a table-of-contents line repeats a heading with dot leaders
        is_bullet, rest = split_bullet(text)
        gap_before = (
            previous is None
            or previous.page != line.page
            or (previous.end_bottom - line.bottom) > gap * 1.4
            or previous.end_bottom < line.bottom
            # A first-line indent after a finished sentence opens a paragraph (book style).
            or (
                previous.text.rstrip().endswith((".", "!", "?", ":"))
                and line.left > previous.left + max(body, 1.0) * 0.8
            )
        )
        if line.size in level_of and len(text) <= 200:
            same = kind == "heading" and size == line.size and not gap_before
            if not same:
                flush()
                kind, level, page, size = "heading", level_of[line.size], line.page, line.size
            parts.append(text)
        elif line.bold and looks_like_heading(text) and gap_before and not is_bullet:
            flush()
            kind, level, page, size = "heading", bold_level, line.page, line.size
            parts.append(text)
            flush()
        elif is_bullet:
            flush()
            kind, level, page, size = "list_item", 0, line.page, line.size
            item_left = line.left
            parts.append(rest)
        else:
            # A list item's wrapped lines line up with its text, past the bullet; a flush-left
            # line after a list starts a new paragraph even without a gap.
            indented = kind != "list_item" or line.left >= item_left - 1 or not line.left
            continues = (
                kind in ("paragraph", "list_item")
                and size == line.size
                and not gap_before
                and indented
            ) or (
                kind == "paragraph"
                and previous is not None
                and previous.page != line.page
                and not parts[-1].rstrip().endswith((".", "!", "?", ":"))
                and text[:1].islower()
            )
            if not continues:
                flush()
                kind, level, page, size = "paragraph", 0, line.page, line.size
            parts.append(text)
        previous = line
    flush()
    return blocks
