"""OCR of receipts drawn at test time, PDFs with and without a text layer, and the promise
that the models come from the installed package (no network at run time)."""

from __future__ import annotations

import io
import subprocess
import sys
import time

from reportlab.lib.pagesizes import A5
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from frontdesk.documents.receipts import read_receipt
from frontdesk.nlu.language import detect_language
from frontdesk.ocr.files import read_file
from frontdesk.ocr.rapid import RapidOcrReader
from tests.documents.receipt_images import RECEIPTS, draw

reader = RapidOcrReader()


async def test_nine_of_ten_photographed_receipts_give_amount_and_reference() -> None:
    found, timings = 0, []
    for seed, receipt in enumerate(RECEIPTS):
        image = draw(receipt, seed)
        started = time.perf_counter()
        read = await read_file(reader, image, "image")
        timings.append(time.perf_counter() - started)
        fields = read_receipt(read.text, detect_language(read.text, default="en"))
        if fields.amount == receipt.amount and fields.reference == receipt.reference:
            found += 1
        else:
            print(f"missed {receipt.reference}: {fields} from {read.text!r}")
    warm = sorted(timings[1:])  # the first includes loading the models
    print(
        f"\nOCR found amount and reference in {found} of {len(RECEIPTS)} receipts; "
        f"first {timings[0]:.2f} s (with loading), then median {warm[len(warm) // 2]:.2f} s, "
        f"max {warm[-1]:.2f} s per receipt"
    )
    assert found >= 9


def receipt_pdf(scanned: bool) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A5)
    if scanned:  # a scan: one picture, no text layer
        image = draw(RECEIPTS[2], 7)
        page.drawImage(ImageReader(io.BytesIO(image)), 30, 250, width=360, preserveAspectRatio=True)
    else:
        lines = ["ACME Plumbing Ltd", "Payment receipt", "Date: 2 December 2026",
                 "Subtotal 200.00", "VAT 40.00", "Amount paid: 240.00 GBP",
                 "Reference: PLB-4410", "Paid by: Carol White"]  # fmt: skip
        for row, line in enumerate(lines):
            page.drawString(40, 540 - row * 22, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


async def test_a_pdf_receipt_is_read_from_its_text_layer() -> None:
    read = await read_file(reader, receipt_pdf(scanned=False), "pdf")
    assert read.method == "pdf_text"
    fields = read_receipt(read.text)
    assert (fields.amount, fields.currency, fields.reference) == ("240.00", "GBP", "PLB-4410")
    assert (fields.date, fields.payer) == ("2026-12-02", "Carol White")


async def test_a_scanned_pdf_has_its_first_page_read_by_ocr() -> None:
    read = await read_file(reader, receipt_pdf(scanned=True), "pdf")
    assert read.method == "pdf_ocr"
    fields = read_receipt(read.text)
    assert (fields.amount, fields.reference) == ("45.00", "TX-88120")


def test_the_models_load_and_read_with_the_network_refused() -> None:
    """A fresh process whose every connection attempt fails still loads and reads: the
    models are inside the installed package."""
    program = """
import asyncio, socket, sys
def refuse(*args, **kwargs):
    raise OSError("network refused by the test")
socket.socket.connect = refuse
socket.create_connection = refuse
sys.path.insert(0, ".")
from tests.documents.receipt_images import RECEIPTS, draw
from frontdesk.ocr.rapid import RapidOcrReader
lines = asyncio.run(RapidOcrReader().read_image(draw(RECEIPTS[0])))
print("|".join(line.text for line in lines))
"""
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "INV-2041" in done.stdout


def test_loading_is_lazy() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import sys; import frontdesk.ocr.rapid, frontdesk.services;"
         "print('rapidocr' in sys.modules, 'onnxruntime' in sys.modules)"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.stdout.split() == ["False", "False"], done.stderr
