"""What extraction produces: a document as a flat list of typed text blocks.

Every extractor (PDF, DOCX, HTML, Markdown, plain text) reduces its format to these few kinds so
chunking can follow the document's structure without knowing where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table_row"]


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of a document's text.

    ``level`` is the heading level (1 = top) for headings and the nesting depth (0 = top) for
    list items; ``page`` is the 1-based page number where the format has pages (PDF).
    A table row's text already names its columns ("Service: Cleaning; Price: $80").
    """

    kind: BlockKind
    text: str
    level: int = 0
    page: int | None = None


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    title: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The whole document as plain text, one block a line."""
        return "\n".join(block.text for block in self.blocks)


class ExtractionError(Exception):
    """A file that cannot be turned into text; the message is meant for the person who sent it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
