"""What a file is, decided by its content (magic bytes), never by its name or the type the
client declared. Anything not on the allow-list is refused."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import filetype


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    kind: str  # image, pdf, document, audio


_ALLOWED: dict[str, tuple[str, str]] = {
    "image/jpeg": ("jpg", "image"),
    "image/png": ("png", "image"),
    "image/gif": ("gif", "image"),
    "image/webp": ("webp", "image"),
    "application/pdf": ("pdf", "pdf"),
    "audio/x-wav": ("wav", "audio"),
    "audio/ogg": ("ogg", "audio"),
    "audio/mpeg": ("mp3", "audio"),
    "audio/x-flac": ("flac", "audio"),
    "audio/mp4": ("m4a", "audio"),
    "audio/webm": ("webm", "audio"),
    "video/webm": ("webm", "audio"),  # MediaRecorder's voice notes are WebM/Opus
    "video/mp4": ("m4a", "audio"),  # Safari records voice notes as MP4/AAC
}
_OFFICE = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}


def detect(data: bytes) -> FileKind | None:
    return detect_file(io.BytesIO(data))


def detect_file(source: BinaryIO) -> FileKind | None:
    """Decide from the file's head (and, for a zip, its directory); never reads it whole."""
    source.seek(0)
    head = source.read(8192)
    guess = filetype.guess(head)
    if guess is not None and guess.mime in _ALLOWED:
        extension, kind = _ALLOWED[guess.mime]
        content_type = (
            "audio/webm"
            if guess.mime == "video/webm"
            else ("audio/mp4" if guess.mime == "video/mp4" else guess.mime)
        )
        return FileKind(content_type, extension, kind)
    if head[:4] == b"PK\x03\x04":
        return _office(source)
    return None


def _office(source: BinaryIO) -> FileKind | None:
    """An Office Open XML document is a zip with a content-types part and a known folder."""
    try:
        with zipfile.ZipFile(source) as archive:  # reads the central directory only
            names = archive.namelist()
    except zipfile.BadZipFile:
        return None
    finally:
        source.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for folder, (content_type, extension) in _OFFICE.items():
        if any(name.startswith(folder) for name in names):
            return FileKind(content_type, extension, "document")
    return None


def display_name(name: str | None, kind: FileKind) -> str:
    """A safe name to show (never used on the file system): no path, no control characters,
    and the extension the content really has."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKC", base)
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem[:120] or "file"
    return f"{stem}.{kind.extension}"
