"""Text out of an uploaded file: a PDF's text layer, or what the reader sees in a picture.

A PDF with a text layer is read exactly (PDFium); a scanned PDF (no text) has its first page
rendered and read like a photo.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass

import pypdfium2

from frontdesk.knowledge.extract_pdf import _PDFIUM_LOCK
from frontdesk.ocr import TextReader
from frontdesk.ocr.layout import rows_of

# A page rendered at 200 dpi: receipt print (8-10 pt) comes out 25-30 px high, which the
# recogniser reads well; larger only costs time.
RENDER_SCALE = 200 / 72
MAX_PDF_PAGES = 5  # a receipt is a page or two; a long PDF is not read to the end


@dataclass(frozen=True)
class ReadText:
    text: str
    method: str  # pdf_text, pdf_ocr, image_ocr, none
    confidence: float | None = None  # mean of the reader's pieces, when a reader was used


async def read_file(reader: TextReader, data: bytes, kind: str) -> ReadText:
    if kind == "pdf":
        text, page_image = await asyncio.to_thread(_pdf_text_or_image, data)
        if text.strip():
            return ReadText(text, "pdf_text")
        if page_image is None:
            return ReadText("", "none")
        return await _read_picture(reader, page_image, "pdf_ocr")
    if kind == "image":
        return await _read_picture(reader, data, "image_ocr")
    return ReadText("", "none")


async def _read_picture(reader: TextReader, image: bytes, method: str) -> ReadText:
    lines = await reader.read_image(image)
    if not lines:
        return ReadText("", method)
    confidence = sum(line.confidence for line in lines) / len(lines)
    return ReadText("\n".join(rows_of(lines)), method, round(confidence, 3))


def _pdf_text_or_image(data: bytes) -> tuple[str, bytes | None]:
    """The text layer of the first pages; without one, page 1 as a PNG."""
    with _PDFIUM_LOCK:  # PDFium is not thread-safe
        pdf = pypdfium2.PdfDocument(data)
        try:
            pages = []
            for index in range(min(len(pdf), MAX_PDF_PAGES)):
                page = pdf[index]
                textpage = page.get_textpage()
                pages.append(textpage.get_text_bounded())
                textpage.close()
                page.close()
            text = "\n".join(pages).replace("\r\n", "\n").replace("\r", "\n")
            if text.strip() or len(pdf) == 0:
                return text, None
            bitmap = pdf[0].render(scale=RENDER_SCALE)
            image = bitmap.to_pil()
        finally:
            pdf.close()
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "PNG")
    return "", buffer.getvalue()
