"""Ingestion: a source becomes passages with vectors, outside any transaction.

The job (``tasks.py``) marks the source as processing, calls :func:`build_chunks` with no
database connection held (extraction, crawling and embedding take seconds), then replaces
the source's chunks in one short transaction. Running it twice gives the same result.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from frontdesk.kit.outbound import guard_transport
from frontdesk.knowledge.chunking import ChunkDraft, chunk_blocks, content_hash
from frontdesk.knowledge.extract import Block, ExtractionError, extract_document
from frontdesk.knowledge.retrieval import embedding_text
from frontdesk.nlu.embedders import Embedder
from frontdesk.nlu.language import detect_language

EMBED_BATCH = 256
DOCUMENT_CHARS = 600  # passages of documents and web pages
OWNER_TEXT_CHARS = 240  # passages of what the owner typed: a fact or two each
CRAWL_TIMEOUT = httpx.Timeout(10.0, connect=5.0)

Progress = Callable[[int], Awaitable[None]]


@dataclass(frozen=True)
class SourceSnapshot:
    """What ingestion needs of a source, read in the job's first transaction."""

    id: uuid.UUID
    kind: str
    title: str
    body: str
    question: str
    url: str
    storage_key: str
    filename: str
    options: dict[str, Any]


@dataclass
class NewChunk:
    ordinal: int
    heading: str
    text: str
    content_hash: str
    language: str
    url: str
    vector: bytes


@dataclass
class Ingested:
    title: str
    chunks: list[NewChunk]
    duplicates: int = 0


class IngestError(Exception):
    """A reason the owner can act on ("the PDF is password-protected")."""


async def build_chunks(
    source: SourceSnapshot,
    *,
    load_file: Callable[[str], Awaitable[bytes]],
    embedder: Embedder,
    known_hashes: set[str],
    allow_private: bool,
    max_pages: int,
    progress: Progress,
) -> Ingested:
    pieces, title = await _pieces(source, load_file, allow_private, max_pages)
    # A passage outside any section is found by its source's title too ("Allergy
    # information"), in full text as well as by vector.
    pieces = [(heading or title, text, url) for heading, text, url in pieces]
    await progress(40)
    chunks: list[NewChunk] = []
    seen = set(known_hashes)
    duplicates = 0
    for heading, text, url in pieces:
        digest = content_hash(f"{heading}\n{text}")
        if digest in seen:
            duplicates += 1  # the same passage already exists in this workspace
            continue
        seen.add(digest)
        chunks.append(NewChunk(len(chunks), heading, text, digest, "en", url, b""))
    if not chunks and not duplicates:
        raise IngestError("No text was found in this source.")
    for start in range(0, len(chunks), EMBED_BATCH):
        batch = chunks[start : start + EMBED_BATCH]
        texts = [embedding_text(title, c.heading, c.text) for c in batch]
        vectors = await asyncio.to_thread(embedder.embed, texts)
        for chunk, vector in zip(batch, vectors, strict=True):
            chunk.vector = vector.astype("float32").tobytes()
            chunk.language = detect_language(f"{chunk.heading} {chunk.text}", default="en")
        await progress(40 + int(55 * (start + len(batch)) / len(chunks)))
    return Ingested(title=title, chunks=chunks, duplicates=duplicates)


Piece = tuple[str, str, str]  # heading, text, url


async def _pieces(
    source: SourceSnapshot,
    load_file: Callable[[str], Awaitable[bytes]],
    allow_private: bool,
    max_pages: int,
) -> tuple[list[Piece], str]:
    kind = source.kind
    if kind in ("qa", "intent"):
        # One passage: the question (or the intent's example phrasings) as its heading, so
        # full text and vectors match on how customers ask, and the answer as its text.
        return [(source.question.strip(), source.body.strip(), "")], source.title
    if kind in ("text", "instructions"):
        # What an owner types is a list of facts ("Haircut $40. Skin fade $45."): small
        # passages keep each fact close to the question that asks for it.
        blocks = _extract(source.body.encode(), "source.md", "text/markdown").blocks
        return _from_blocks(blocks, "", target=OWNER_TEXT_CHARS), source.title
    if kind == "file":
        data = await load_file(source.storage_key)
        document = _extract(data, source.filename, None)
        # The owner's title, else the document's own ("Price list"), else its file name.
        stem = source.filename.rsplit(".", 1)[0]
        return _from_blocks(document.blocks, ""), source.title or document.title or stem
    if kind == "url":
        return await _crawled(source, allow_private, max_pages)
    raise IngestError(f"Unknown kind of source: {kind}")


async def _crawled(
    source: SourceSnapshot, allow_private: bool, max_pages: int
) -> tuple[list[Piece], str]:
    from frontdesk.knowledge.crawl import crawl  # the crawler's HTTP stack only when needed

    depth = int(source.options.get("depth", 0))
    pages_wanted = min(int(source.options.get("max_pages", 1)), max_pages)
    # Every connection goes to an address checked at connect time (DNS rebinding).
    transport = guard_transport(httpx.AsyncHTTPTransport(), allow_private=allow_private)
    async with httpx.AsyncClient(
        transport=transport, timeout=CRAWL_TIMEOUT, follow_redirects=False
    ) as client:
        try:
            pages = await crawl(
                source.url,
                depth=depth,
                max_pages=pages_wanted,
                client=client,
                allow_private=allow_private,
            )
        except (httpx.HTTPError, ValueError) as error:
            raise IngestError(f"Could not import {source.url}: {error}") from error
    pieces: list[Piece] = []
    title = source.title
    for page in pages:
        try:
            document = extract_document(
                page.content, filename=page.url, content_type=page.content_type
            )
        except ExtractionError:
            continue  # one unreadable page does not spoil the site
        title = title or document.title or page.title
        pieces.extend(_from_blocks(document.blocks, page.url))
    if not pieces:
        raise IngestError(f"No readable text was found at {source.url}.")
    return pieces, title or source.url


def _extract(data: bytes, filename: str, content_type: str | None) -> Any:
    try:
        return extract_document(data, filename=filename, content_type=content_type)
    except ExtractionError as error:
        raise IngestError(str(error)) from error


def _from_blocks(blocks: list[Block], url: str, target: int = DOCUMENT_CHARS) -> list[Piece]:
    limit = target if target == OWNER_TEXT_CHARS else 2 * target // 1
    drafts: list[ChunkDraft] = chunk_blocks(blocks, target_chars=target, max_chars=limit)
    return [(d.heading, d.text, url) for d in drafts if d.text.strip()]
