"""Receipts drawn at test time with Pillow: varied fonts, sizes, languages, slight rotation and
the marks of a phone photo (noise, blur, JPEG). Nothing here is committed as an image."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = Path("/usr/share/fonts/truetype")


@dataclass(frozen=True)
class Receipt:
    lines: list[str]
    amount: str  # as the extraction should give it: "1234.50"
    reference: str
    date: str  # ISO
    font: str
    size: int
    angle: float
    noise: bool
    blur: float
    jpeg: int | None


# (language, lines with the amount, reference and date drawn, expected values)
RECEIPTS = [
    Receipt(
        ["PAYMENT RECEIPT", "Bright Smile Dental", "Date: 03/12/2026", "Subtotal: $1,100.00",
         "Tax: $134.50", "Total: $1,234.50", "Ref: INV-2041", "Paid by: John Smith"],
        "1234.50", "INV-2041", "2026-03-12", "dejavu/DejaVuSans.ttf", 26, 0.0, False, 0, None,
    ),
    Receipt(
        ["COMPROBANTE DE PAGO", "Clinica Sonrisa", "Fecha: 3 de diciembre de 2026",
         "Importe total: 1.234,50 €", "Referencia: FAC-7781", "Ordenante: Maria Lopez"],
        "1234.50", "FAC-7781", "2026-12-03", "liberation/LiberationSerif-Regular.ttf", 30,
        1.5, True, 0.6, 70,
    ),
    Receipt(
        ["Cafe Luna", "2 x Latte 9.00", "1 x Bagel 4.50", "Total: 45.00 USD",
         "Transaction ID: TX-88120", "Dec 3, 2026"],
        "45.00", "TX-88120", "2026-12-03", "dejavu/DejaVuSansMono.ttf", 24, -2.0, True, 0.8, 60,
    ),
    Receipt(
        ["TRANSFERENCIA BANCARIA", "Monto transferido: $12.500,00 MXN",
         "No. de referencia: 00451289", "Fecha: 2026-11-30"],
        "12500.00", "00451289", "2026-11-30", "liberation/LiberationSans-Bold.ttf", 28,
        2.5, False, 0.5, 75,
    ),
    Receipt(
        ["Green Garden Supplies", "Invoice paid", "Amount paid: $89.90",
         "Confirmation no: ABC12345", "From: Ana Perez", "12/25/2026"],
        "89.90", "ABC12345", "2026-12-25", "dejavu/DejaVuSerif.ttf", 22, -1.0, True, 0.7, 55,
    ),
    Receipt(
        ["RECIBO DE PAGO", "Taller Mecanico Ruiz", "Total pagado: 350,00 EUR",
         "Referencia: RZ-2026-118", "Fecha: 15/11/2026"],
        "350.00", "RZ-2026-118", "2026-11-15", "liberation/LiberationMono-Regular.ttf", 26,
        1.0, True, 1.0, 65,
    ),
    Receipt(
        ["City Yoga Studio", "Monthly membership", "Discount -$10.00", "TOTAL $ 120.00",
         "Ref. No: YOGA-5521", "Date: November 28, 2026"],
        "120.00", "YOGA-5521", "2026-11-28", "dejavu/DejaVuSansCondensed-Bold.ttf", 32,
        -2.5, True, 0.4, 80,
    ),
    Receipt(
        ["Deposit slip", "Account ****4421", "Amount: 2,750.00 USD", "Reference: DEP-90817",
         "Date: 2026-12-01"],
        "2750.00", "DEP-90817", "2026-12-01", "liberation/LiberationSansNarrow-Regular.ttf", 30,
        0.8, True, 0.9, 50,
    ),
    Receipt(
        ["Pago con tarjeta", "Subtotal 86,21", "IVA 13,79", "Total: 100,00 EUR",
         "Ref: TPV-330912", "Fecha 02.12.2026"],
        "100.00", "TPV-330912", "2026-12-02", "dejavu/DejaVuSans-Bold.ttf", 20, 1.8, True, 0.5,
        70,
    ),
    Receipt(
        ["Hotel Mirador", "Booking deposit", "Paid: £640.00", "Reference: HM-77310",
         "Date: 4 Dec 2026"],
        "640.00", "HM-77310", "2026-12-04", "liberation/LiberationSerif-Bold.ttf", 34, -1.5,
        True, 1.1, 60,
    ),
]  # fmt: skip


def draw(receipt: Receipt, seed: int = 0) -> bytes:
    """The receipt as a phone would send it: JPEG (or PNG for a clean screenshot)."""
    rng = random.Random(seed)
    font = ImageFont.truetype(str(FONTS / receipt.font), receipt.size)
    spacing = int(receipt.size * 1.7)
    width = max(int(font.getlength(line)) for line in receipt.lines) + 2 * receipt.size + 40
    height = spacing * len(receipt.lines) + 2 * receipt.size
    paper = (rng.randint(236, 255), rng.randint(234, 252), rng.randint(225, 245))
    image = Image.new("RGB", (width, height), paper)
    pen = ImageDraw.Draw(image)
    ink = (rng.randint(10, 50),) * 3
    for row, line in enumerate(receipt.lines):
        left = receipt.size + rng.randint(0, 10)
        pen.text((left, receipt.size + row * spacing), line, font=font, fill=ink)
    if receipt.angle:
        # Turned on a table-top: the background around the paper shows.
        image = image.rotate(receipt.angle, expand=True, fillcolor=(120, 110, 100))
    if receipt.noise:
        noise = Image.effect_noise(image.size, 18).convert("RGB")
        image = Image.blend(image, noise, 0.12)
    if receipt.blur:
        image = image.filter(ImageFilter.GaussianBlur(receipt.blur))
    buffer = io.BytesIO()
    if receipt.jpeg:
        image.save(buffer, "JPEG", quality=receipt.jpeg)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()
