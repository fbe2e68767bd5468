"""Turning an uploaded or fetched file into structured text.

``extract_document`` recognises the format by its content first (a PDF's signature, a DOCX
package, HTML markup), then by the file name and declared type, and hands it to the right
extractor. Every extractor returns the same ``ExtractedDocument`` of typed blocks, and every
failure is an ``ExtractionError`` whose message can be shown to the person who sent the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

from frontdesk.knowledge.blocks import Block, BlockKind, ExtractedDocument, ExtractionError
from frontdesk.knowledge.extract_docx import extract_docx, table_row_blocks
from frontdesk.knowledge.extract_html import extract_html
from frontdesk.knowledge.extract_pdf import extract_pdf
from frontdesk.knowledge.text_cleaning import (
    clean_inline,
    lines_are_entries,
    looks_like_heading,
    split_bullet,
)

__all__ = [
    "Block",
    "BlockKind",
    "ExtractedDocument",
    "ExtractionError",
    "detect_format",
    "extract_document",
]

DocumentFormat = Literal["pdf", "docx", "html", "markdown", "text"]

SUPPORTED = "PDF, Word (.docx), plain text, Markdown and HTML"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAGS = re.compile(rb"<(?:p|div|h[1-6]|ul|table|a\s+href|span|br)\b[^>]*>", re.I)
# Bulleted lines alone do not make a text file Markdown: plain text has them too.
_MARKDOWN_SIGNS = re.compile(r"^(?:#{1,6}\s+\S|\|.+\|\s*$|\s*```|.*\]\(https?://)", re.M)
_MARKDOWN_EXTENSIONS = {".md", ".markdown", ".mdown", ".mkd"}
_TEXT_EXTENSIONS = {".txt", ".text", ".csv", ".log", ""}
_HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
_BINARY_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"RIFF": "a media file",
    b"\x1f\x8b": "a compressed archive",
    b"7z\xbc\xaf": "a compressed archive",
    b"Rar!": "a compressed archive",
}


def extract_document(
    data: bytes, *, filename: str, content_type: str | None = None
) -> ExtractedDocument:
    """Structured text of a PDF, DOCX, TXT, Markdown or HTML file."""
    fallback_title = PurePosixPath(filename or "document").stem or "Untitled"
    fmt = detect_format(data, filename=filename, content_type=content_type)
    if fmt == "pdf":
        return extract_pdf(data, fallback_title=fallback_title)
    if fmt == "docx":
        return extract_docx(data, fallback_title=fallback_title)
    if fmt == "html":
        return extract_html(data, fallback_title=fallback_title, content_type=content_type)
    text = _decode_text(data, content_type)
    blocks = list(_markdown_blocks(text) if fmt == "markdown" else _plain_text_blocks(text))
    if not blocks:
        raise ExtractionError("This file has no text to learn from.")
    title = next((b.text for b in blocks if b.kind == "heading"), "") or fallback_title
    return ExtractedDocument(title=title[:300], blocks=blocks)


def detect_format(data: bytes, *, filename: str, content_type: str | None = None) -> DocumentFormat:
    """The document's format, from its bytes first and its name and declared type second."""
    if not data or not data.strip():
        raise ExtractionError("This file is empty.")
    extension = PurePosixPath(filename.lower()).suffix
    declared = (content_type or "").split(";")[0].strip().lower()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data)
    if data.startswith(_OLE2):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data:
            raise ExtractionError(
                "This document is password-protected. Remove the password and upload it again."
            )
        raise ExtractionError(
            "Old Word (.doc) and Office 97 files are not supported: save it as .docx or PDF."
        )
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise ExtractionError(f"This file is {what}, not a document. Supported: {SUPPORTED}.")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractionError(f"This file type is not supported. Supported: {SUPPORTED}.")
    head = data[:4096]
    if _HTML_START.match(head) or declared in ("text/html", "application/xhtml+xml"):
        return "html"
    if extension in _HTML_EXTENSIONS and _HTML_TAGS.search(head):
        return "html"
    if extension in _MARKDOWN_EXTENSIONS or declared in ("text/markdown", "text/x-markdown"):
        return "markdown"
    if (
        extension in _TEXT_EXTENSIONS
        or extension in _HTML_EXTENSIONS
        or declared.startswith("text/")
    ):
        text = _decode_text(data[:8192], content_type)
        return "markdown" if len(_MARKDOWN_SIGNS.findall(text)) >= 2 else "text"
    if extension in (".pdf", ".docx"):  # named as one, but not what is inside
        kind = "a PDF" if extension == ".pdf" else "a Word document"
        raise ExtractionError(f"This file could not be read as {kind}: it may be damaged.")
    raise ExtractionError(f"Files of type '{extension}' are not supported. Supported: {SUPPORTED}.")


def _zip_format(data: bytes) -> DocumentFormat:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except zipfile.BadZipFile as error:
        raise ExtractionError("This file could not be read: it looks damaged.") from error
    if "word/document.xml" in names:
        return "docx"
    if any(name.startswith("xl/") for name in names):
        what = "a spreadsheet"
    elif any(name.startswith("ppt/") for name in names):
        what = "a presentation"
    else:
        what = "a ZIP archive"
    raise ExtractionError(f"This file is {what}, not a document. Supported: {SUPPORTED}.")


def _decode_text(data: bytes, content_type: str | None) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    declared = (content_type or "").lower()
    encodings = ["utf-8", "cp1252"]
    if "charset=" in declared:
        encodings.insert(0, declared.split("charset=", 1)[1].split(";")[0].strip(" \"'"))
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def _plain_text_blocks(text: str) -> Iterator[Block]:
    """Paragraphs separated by blank lines; bulleted lines as list items; short standalone
    lines without closing punctuation as headings."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    for position, paragraph in enumerate(paragraphs):
        lines = [line for line in paragraph.split("\n") if line.strip()]
        if not lines:
            continue
        has_next = position + 1 < len(paragraphs)
        if len(lines) == 1 and has_next and looks_like_heading(lines[0]):
            yield Block("heading", clean_inline(lines[0]), level=1)
            continue
        current: list[str] = []
        current_kind: BlockKind = "paragraph"
        for line in lines:
            is_bullet, rest = split_bullet(line)
            if is_bullet or (current_kind == "list_item" and not line[:1].isspace()):
                if current:
                    yield Block(current_kind, clean_inline("\n".join(current)))
                current, current_kind = [rest if is_bullet else line], "list_item"
            else:
                current.append(line)
        if current and current_kind == "paragraph" and lines_are_entries(current):
            yield from (Block("paragraph", clean_inline(line)) for line in current)
        elif current:
            yield Block(current_kind, clean_inline("\n".join(current)))


_MARKDOWN = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content if child.type != "html_inline" else "")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def _markdown_blocks(text: str) -> Iterator[Block]:
    tokens = _MARKDOWN.parse(text)
    list_depth = -1
    item_parts: list[list[str]] = []  # the open list items' texts, innermost last
    table: list[list[str]] = []
    row: list[str] | None = None
    heading_level = 0
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            if item_parts and item_parts[-1]:
                yield Block("list_item", " ".join(item_parts[-1]), level=list_depth)
                item_parts[-1] = []
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif kind == "list_item_open":
            item_parts.append([])
        elif kind == "list_item_close":
            parts = item_parts.pop()
            if parts:
                yield Block("list_item", " ".join(parts), level=list_depth)
        elif kind == "heading_open":
            heading_level = int(token.tag[1:])
        elif kind == "tr_open":
            row = []
        elif kind in ("th_open", "td_open") and row is not None:
            row.append("")  # a cell, even an empty one, keeps its column
        elif kind == "tr_close":
            if row is not None and any(row):
                table.append(row)
            row = None
        elif kind == "table_close":
            yield from table_row_blocks(table)
            table = []
        elif kind == "inline":
            raw = _inline_text(token)
            content = clean_inline(raw)
            if row:
                row[-1] = content
            elif not content:
                continue
            elif heading_level:
                yield Block("heading", content, level=heading_level)
                heading_level = 0
            elif item_parts:
                item_parts[-1].append(content)
            elif lines_are_entries(raw.split("\n")):
                lines = (clean_inline(line) for line in raw.split("\n"))
                yield from (Block("paragraph", line) for line in lines if line)
            else:
                yield Block("paragraph", content)
        elif kind in ("fence", "code_block"):
            content = clean_inline(token.content)
            if content:
                yield Block("paragraph", content)
        elif kind == "heading_close":
            heading_level = 0
