"""Documents made at test time: PDFs through reportlab, DOCX through python-docx."""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas
from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate

Section = tuple[str, Sequence[str], Sequence[str]]  # heading, paragraphs, bullet items


def price_list_pdf(*, running_header: str = "Bright Smile Dental - Price list") -> bytes:
    """A three-page price list and cancellation policy with a running header and page numbers."""
    sections: list[Section] = [
        (
            "Prices",
            ["All prices include a consultation. A check-up and clean costs $80 for adults."],
            [],
        ),
        (
            "Children",
            ["Children under 12 are seen for half price. We offer the following for kids:"],
            ["Fluoride varnish $20", "Fissure sealants $35 per tooth"],
        ),
        (
            "Cancellation policy",
            [
                "Appointments cancelled with less than 24 hours notice incur a $50 fee. "
                "The deposit is refunded when you cancel earlier than that.",
            ],
            [],
        ),
    ]
    return sections_pdf(sections, running_header=running_header, title="Price list")


def sections_pdf(
    sections: Sequence[Section],
    *,
    running_header: str = "",
    title: str = "",
    page_break: bool = True,
) -> bytes:
    styles = getSampleStyleSheet()
    story: list[object] = []
    for heading, paragraphs, items in sections:
        story.append(Paragraph(heading, styles["Heading1"]))
        story.extend(Paragraph(text, styles["BodyText"]) for text in paragraphs)
        if items:
            story.append(
                ListFlowable(
                    [ListItem(Paragraph(item, styles["BodyText"])) for item in items],
                    bulletType="bullet",
                    start="\u2022",
                )
            )
        if page_break:
            story.append(PageBreak())
    buffer = io.BytesIO()

    def decorate(page: canvas.Canvas, document: SimpleDocTemplate) -> None:
        page.setFont("Helvetica", 8)
        if running_header:
            page.drawString(2 * cm, A4[1] - 1.2 * cm, running_header)
        page.drawString(A4[0] / 2, 1 * cm, f"Page {document.page}")

    SimpleDocTemplate(buffer, pagesize=A4, title=title).build(
        story, onFirstPage=decorate, onLaterPages=decorate
    )
    return buffer.getvalue()


def long_pdf(pages: int) -> bytes:
    """A long handbook: one section a page, each a heading, four to six paragraphs and a list."""
    sections: list[Section] = []
    for number in range(1, pages + 1):
        paragraphs = [
            f"Treatment {number}.{part} costs ${40 + number} and takes {20 + part} minutes. "
            "Our hygienists explain every step before they start, and you can ask for a break "
            "at any time. Extraordinarily careful work needs a little longer than usual." * 2
            for part in range(4 + number % 3)
        ]
        sections.append((f"Section {number}: treatments", paragraphs, ["Step one", "Step two"]))
    return sections_pdf(sections, running_header="Handbook 2026", title="Handbook")


def encrypted_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt="open-sesame")
    page.drawString(100, 700, "Secret prices")
    page.save()
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A page that is only a picture, as a scanner makes it."""
    image = Image.new("RGB", (400, 200), "white")
    for x in range(50, 350):
        image.putpixel((x, 100), (0, 0, 0))
    picture = io.BytesIO()
    image.save(picture, format="PNG")
    picture.seek(0)
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    from reportlab.lib.utils import ImageReader

    page.drawImage(ImageReader(picture), 100, 500, width=400, height=200)
    page.save()
    return buffer.getvalue()


def policy_docx() -> bytes:
    document = docx.Document()
    document.core_properties.title = "Cancellation policy"
    document.add_heading("Cancellation policy", level=1)
    document.add_paragraph(
        "Please tell us at least 24 hours before your appointment if you cannot come."
    )
    document.add_heading("Fees", level=2)
    document.add_paragraph("Late cancellations cost:")
    document.add_paragraph("Less than 24 hours notice: $50", style="List Bullet")
    document.add_paragraph("No show: $80", style="List Bullet")
    document.add_paragraph("unless you were ill", style="List Bullet 2")
    table = document.add_table(rows=3, cols=2)
    for row, cells in enumerate([("Service", "Price"), ("Cleaning", "$80"), ("Whitening", "$300")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    document.add_paragraph("Refunds go back to the card you paid with.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
