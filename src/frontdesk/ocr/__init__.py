"""Reading text out of pictures (OCR): an interface with an offline default.

The default is RapidOCR (PP-OCR models run by onnxruntime on the CPU); its models ship inside
the ``rapidocr`` package, so nothing is downloaded at run time. ``FRONTDESK_OCR`` picks the
reader; ``none`` turns reading images off (PDF text layers are still read).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from frontdesk.settings import Settings

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class TextLine:
    """One run of text found in a picture: its four corners (clockwise from top left, in
    pixels) and how sure the reader is (0 to 1)."""

    text: str
    box: tuple[Point, Point, Point, Point]
    confidence: float


class TextReader(Protocol):
    async def read_image(self, image: bytes) -> list[TextLine]: ...


class NoReader:
    """Reading pictures turned off: every picture reads as empty."""

    async def read_image(self, image: bytes) -> list[TextLine]:
        return []


def create_reader(settings: Settings) -> TextReader:
    if settings.ocr == "none":
        return NoReader()
    from frontdesk.ocr.rapid import RapidOcrReader

    return RapidOcrReader(threads=settings.ocr_threads)
