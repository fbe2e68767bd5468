"""HTML through lxml: the page's own content (navigation, banners, footers, sidebars, scripts
and forms dropped) as headings, paragraphs, list items and table rows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import lxml.html
from lxml import etree

from frontdesk.knowledge.blocks import Block, ExtractedDocument, ExtractionError
from frontdesk.knowledge.extract_docx import table_row_blocks
from frontdesk.knowledge.text_cleaning import clean_inline, lines_are_entries

_DROP = {
    "script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg",
    "button", "select", "textarea", "canvas", "video", "audio", "object", "embed", "head",
    "dialog", "menu",
}  # fmt: skip
_DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "blockquote", "pre", "ul", "ol", "li", "dl",
    "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "figure", "figcaption",
    "address", "details", "summary", "header", "footer", "body", "caption", "hr", "center",
    *_HEADINGS,
}  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
# Page furniture that sites build from plain <div>s: cookie banners, breadcrumbs, skip links.
_CHROME_MARKS = re.compile(r"cookie|consent|gdpr|breadcrumb|skip-link|skip-to", re.I)
_NEWLINES = re.compile(r"[\r\n]+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Bytes to text: the charset the server named, the page's meta tag, UTF-8, then cp1252."""
    candidates: list[str] = []
    if content_type and "charset=" in content_type.lower():
        candidates.append(content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'"))
    match = _META_CHARSET.search(data[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore"))
    if data.startswith(b"\xef\xbb\xbf"):
        candidates.insert(0, "utf-8-sig")
    candidates += ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def parse_html(text: str) -> Any:
    """A parsed document, or an ExtractionError for markup lxml cannot read at all."""
    text = _XML_DECLARATION.sub("", text)
    if not text.strip():
        raise ExtractionError("This page is empty.")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ExtractionError("This HTML could not be read.") from error


def page_title(root: Any) -> str:
    title = root.find(".//title")
    if title is not None and clean_inline(title.text_content()):
        return clean_inline(title.text_content())
    heading = root.find(".//h1")
    return clean_inline(heading.text_content()) if heading is not None else ""


def extract_html(
    data: bytes, *, fallback_title: str, content_type: str | None = None
) -> ExtractedDocument:
    root = parse_html(decode_html(data, content_type))
    title = page_title(root)
    content = _content_root(root)
    blocks = list(_Walker().blocks(content)) if content is not None else []
    if not blocks:
        raise ExtractionError("This page has no readable text.")
    return ExtractedDocument(title=(title or fallback_title)[:300], blocks=blocks)


def _content_root(root: Any) -> Any:
    """The page's <main> (or its only <article>) when it has one, else the body."""
    mains = root.findall(".//main")
    if len(mains) == 1:
        return mains[0]
    articles = root.findall(".//article")
    if len(articles) == 1:
        return articles[0]
    body = root.find(".//body")
    return body if body is not None else root


def _dropped(element: Any) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _DROP or not tag:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if (element.get("role") or "").lower() in _DROP_ROLES:
        return True
    if tag in ("header", "footer"):
        # A site banner or footer, unless it belongs to an article (its title, its byline).
        return not any(a.tag in ("article", "main") for a in element.iterancestors())
    style = (element.get("style") or "").replace(" ", "").lower()
    if "display:none" in style:
        return True
    marks = f"{element.get('id') or ''} {element.get('class') or ''}"
    return bool(_CHROME_MARKS.search(marks))


class _Walker:
    """Walks the tree once, gathering inline text and emitting a block at each block edge."""

    def __init__(self) -> None:
        self.inline: list[str] = []
        self.list_depth = -1

    def blocks(self, root: Any) -> Iterator[Block]:
        yield from self._children(root)
        yield from self._flush()

    def _flush(self, kind: str = "paragraph", level: int = 0) -> Iterator[Block]:
        raw = "".join(self.inline)
        self.inline = []
        lines = raw.split("\n")  # only <br> makes a line break here
        if kind == "paragraph" and lines_are_entries(lines):
            texts = [clean_inline(line) for line in lines]
        else:
            texts = [clean_inline(raw.replace("\n", " "))]
        for text in texts:
            if text:
                yield Block(kind, text, level=level)  # type: ignore[arg-type]

    def _text(self, text: str | None) -> None:
        if text:
            self.inline.append(_NEWLINES.sub(" ", text))  # source line breaks are spaces

    def _children(self, element: Any) -> Iterator[Block]:
        self._text(element.text)
        for child in element:
            yield from self._element(child)
            self._text(child.tail)

    def _element(self, element: Any) -> Iterator[Block]:
        if _dropped(element):
            return
        tag = element.tag
        if tag == "br":
            self.inline.append("\n")
            return
        if tag == "img":
            return
        if tag not in _BLOCK_TAGS:
            yield from self._children(element)
            return
        if tag != "dd":  # a definition runs on from its term ("Deposit: $50")
            yield from self._flush()
        if tag in _HEADINGS:
            self._text(element.text_content())
            yield from self._flush("heading", _HEADINGS[tag])
        elif tag == "table":
            yield from self._table(element)
        elif tag in ("ul", "ol"):
            self.list_depth += 1
            yield from self._children(element)
            yield from self._flush()
            self.list_depth -= 1
        elif tag == "li":
            yield from self._list_item(element)
        elif tag == "dt":
            yield from self._children(element)
            self.inline.append(": ")
            return  # the term runs into its definition
        else:
            yield from self._children(element)
            yield from self._flush()

    def _list_item(self, element: Any) -> Iterator[Block]:
        depth = max(self.list_depth, 0)
        self._text(element.text)
        pending: list[Block] = []
        for child in element:
            if child.tag in ("ul", "ol", "table", "div", "p") and not _dropped(child):
                if child.tag in ("ul", "ol", "table"):
                    yield from self._flush("list_item", depth)
                    pending.extend(self._element(child))
                    yield from pending
                    pending = []
                else:
                    self.inline.append(" ")
                    yield from self._children(child)
            else:
                yield from self._element(child)
            self._text(child.tail)
        yield from self._flush("list_item", depth)

    def _table(self, table: Any) -> Iterator[Block]:
        rows: list[list[str]] = []
        for row in table.iter("tr"):
            if _dropped(row):
                continue
            cells = [clean_inline(cell.text_content()) for cell in row if cell.tag in ("td", "th")]
            if any(cells):
                rows.append(cells)
        caption = table.find("caption")
        if caption is not None and clean_inline(caption.text_content()):
            self._text(caption.text_content())
            yield from self._flush()
        if rows:
            yield from table_row_blocks(rows)
