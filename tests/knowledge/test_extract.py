"""Extraction of real files made at test time: PDF (reportlab), DOCX (python-docx), HTML,
Markdown and plain text, and the messages a person sees for files that cannot be read."""

from __future__ import annotations

import io
import time
import zipfile

import docx
import pytest
from reportlab.pdfgen import canvas

from frontdesk.knowledge.extract import ExtractionError, detect_format, extract_document
from tests.knowledge.sample_documents import (
    encrypted_pdf,
    long_pdf,
    policy_docx,
    price_list_pdf,
    scanned_pdf,
)


def kinds_and_texts(data: bytes, filename: str, **kwargs: str) -> list[tuple[str, str]]:
    document = extract_document(data, filename=filename, **kwargs)
    return [(block.kind, block.text) for block in document.blocks]


def test_pdf_headings_paragraphs_and_list_items_without_running_headers() -> None:
    document = extract_document(price_list_pdf(), filename="prices.pdf")
    assert document.title == "Price list"
    blocks = [(b.kind, b.text, b.level, b.page) for b in document.blocks]
    assert blocks == [
        ("heading", "Prices", 1, 1),
        (
            "paragraph",
            "All prices include a consultation. A check-up and clean costs $80 for adults.",
            0,
            1,
        ),
        ("heading", "Children", 1, 2),
        (
            "paragraph",
            "Children under 12 are seen for half price. We offer the following for kids:",
            0,
            2,
        ),
        ("list_item", "Fluoride varnish $20", 0, 2),
        ("list_item", "Fissure sealants $35 per tooth", 0, 2),
        ("heading", "Cancellation policy", 1, 3),
        (
            "paragraph",
            "Appointments cancelled with less than 24 hours notice incur a $50 fee. "
            "The deposit is refunded when you cancel earlier than that.",
            0,
            3,
        ),
    ]


def test_pdf_words_hyphenated_at_line_ends_are_rejoined() -> None:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("Helvetica", 10)
    lines = ["After each treat-", "ment we book the next visit at our well-", "Known clinic."]
    for number, line in enumerate(lines):
        page.drawString(72, 700 - 12 * number, line)
    page.save()
    text = extract_document(buffer.getvalue(), filename="care.pdf").text
    # A hyphen before a capital is kept: "well-Known" may be a compound.
    assert text == "After each treatment we book the next visit at our well-Known clinic."


def test_pdf_indented_paragraphs_wrapped_list_items_and_contents_lines() -> None:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont("Helvetica", 10)
    placed = [
        (72, "Contents . . . . . . . . . . . . . 1"),
        (72, "Our clinic opens early on every weekday morning, and it"),
        (72, "closes late."),
        (90, "Parking is free for patients. We offer:"),
        (80, "\u2022 Check-ups for the whole family, from toddlers to"),
        (88, "grandparents"),
        (80, "\u2022 Emergency visits"),
        (72, "Call us to book."),
    ]
    for number, (left, line) in enumerate(placed):
        pdf.drawString(left, 700 - 12 * number, line)
    pdf.save()
    assert kinds_and_texts(buffer.getvalue(), "clinic.pdf") == [
        ("paragraph", "Our clinic opens early on every weekday morning, and it closes late."),
        ("paragraph", "Parking is free for patients. We offer:"),
        ("list_item", "Check-ups for the whole family, from toddlers to grandparents"),
        ("list_item", "Emergency visits"),
        ("paragraph", "Call us to book."),
    ]


def test_fifty_page_pdf_extracts_in_under_a_second() -> None:
    data = long_pdf(50)
    started = time.perf_counter()
    document = extract_document(data, filename="handbook.pdf")
    elapsed = time.perf_counter() - started
    headings = [block for block in document.blocks if block.kind == "heading"]
    assert len(headings) == 50 and headings[-1].page == 50
    assert sum(block.kind == "list_item" for block in document.blocks) == 100
    assert "Handbook 2026" not in document.text and "Page 7" not in document.text
    # Measured 0.05 s on an idle core of the 2-core development machine, and medians of
    # 0.12-0.19 s while other test runs loaded it 5-6 fold; the bound is under 5x the busy
    # figure.
    assert elapsed < 0.9, f"50 pages took {elapsed:.3f} s"


def test_encrypted_scanned_and_damaged_pdfs_say_what_is_wrong() -> None:
    with pytest.raises(ExtractionError, match="password-protected"):
        extract_document(encrypted_pdf(), filename="secret.pdf")
    with pytest.raises(ExtractionError, match=r"no text layer.*scan"):
        extract_document(scanned_pdf(), filename="scan.pdf")
    damaged = price_list_pdf()[:400]
    with pytest.raises(ExtractionError, match="damaged"):
        extract_document(damaged, filename="prices.pdf")


def test_docx_headings_lists_and_tables_in_document_order() -> None:
    document = extract_document(policy_docx(), filename="policy.docx")
    assert document.title == "Cancellation policy"
    assert [(b.kind, b.text, b.level) for b in document.blocks] == [
        ("heading", "Cancellation policy", 1),
        (
            "paragraph",
            "Please tell us at least 24 hours before your appointment if you cannot come.",
            0,
        ),
        ("heading", "Fees", 2),
        ("paragraph", "Late cancellations cost:", 0),
        ("list_item", "Less than 24 hours notice: $50", 0),
        ("list_item", "No show: $80", 0),
        ("list_item", "unless you were ill", 1),
        ("table_row", "Service: Cleaning; Price: $80", 0),
        ("table_row", "Service: Whitening; Price: $300", 0),
        ("paragraph", "Refunds go back to the card you paid with.", 0),
    ]


def test_docx_merged_cells_and_a_long_document_read_quickly() -> None:
    document = docx.Document()
    for number in range(50):
        document.add_heading(f"Section {number}", level=1)
        for _ in range(6):
            document.add_paragraph("A check-up costs $40 and takes thirty minutes. " * 5)
        table = document.add_table(rows=3, cols=3)
        for row, cells in enumerate([("Service", "Time", "Price"), ("Clean", "30 min", "$80")]):
            for column, text in enumerate(cells):
                table.cell(row, column).text = text
        merged = table.cell(2, 0).merge(table.cell(2, 1))
        merged.text = "Whitening, one hour"
        table.cell(2, 2).text = "$300"
    buffer = io.BytesIO()
    document.save(buffer)
    started = time.perf_counter()
    extracted = extract_document(buffer.getvalue(), filename="handbook.docx")
    elapsed = time.perf_counter() - started
    rows = [block.text for block in extracted.blocks if block.kind == "table_row"]
    assert rows[:2] == [
        "Service: Clean; Time: 30 min; Price: $80",
        "Service: Whitening, one hour; Price: $300",
    ]
    assert len(rows) == 100
    # Measured 0.10-0.13 s on a loaded machine (through python-docx's own style and cell
    # lookups it took 3.3 s); the bound is 5x.
    assert elapsed < 0.65, f"{elapsed:.2f} s"


def test_damaged_docx_and_other_office_files_are_refused_plainly() -> None:
    with pytest.raises(ExtractionError, match="damaged"):
        extract_document(policy_docx()[:2000], filename="policy.docx")
    sheet = io.BytesIO()
    with zipfile.ZipFile(sheet, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ExtractionError, match="spreadsheet"):
        extract_document(sheet.getvalue(), filename="prices.xlsx")
    with pytest.raises(ExtractionError, match=r"\.doc"):
        extract_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, filename="old.doc")


HTML_PAGE = b"""<!DOCTYPE html><html><head><title>Fix-It Computer Repairs</title>
<style>p { color: red }</style><script>var tracking = "secret";</script></head>
<body><header><a href="/">Home</a> <a href="/about">About us</a></header>
<nav><ul><li>Menu item</li></ul></nav>
<main><h1>Diagnostics</h1><p>We charge <b>$30</b> to look<br>at a device.</p>
<p>The fee is waived if you go ahead with the repair:</p>
<ul><li>Phones<ul><li>Screens</li></ul></li><li>Laptops</li></ul>
<h2>Repair prices</h2>
<table><tr><th>Repair</th><th>Price</th></tr><tr><td>Screen</td><td>$90</td></tr>
<tr><td>Battery</td><td>$60</td></tr></table>
<div hidden>Invisible text</div>
<dl><dt>Deposit</dt><dd>$20, refundable</dd></dl>
<div class="cookie-banner">We use cookies</div><ol class="breadcrumbs"><li>Home</li></ol></main>
<aside>Related posts</aside><footer>Copyright 2026</footer></body></html>"""


def test_html_keeps_the_content_and_drops_the_chrome() -> None:
    document = extract_document(HTML_PAGE, filename="page.html")
    assert document.title == "Fix-It Computer Repairs"
    assert [(b.kind, b.text, b.level) for b in document.blocks] == [
        ("heading", "Diagnostics", 1),
        ("paragraph", "We charge $30 to look at a device.", 0),
        ("paragraph", "The fee is waived if you go ahead with the repair:", 0),
        ("list_item", "Phones", 0),
        ("list_item", "Screens", 1),
        ("list_item", "Laptops", 0),
        ("heading", "Repair prices", 2),
        ("table_row", "Repair: Screen; Price: $90", 0),
        ("table_row", "Repair: Battery; Price: $60", 0),
        ("paragraph", "Deposit: $20, refundable", 0),
    ]


def test_html_title_falls_back_to_the_first_heading_and_charset_is_honoured() -> None:
    page = "<html><body><h1>Panadería Lucía</h1><p>Pan de año nuevo</p></body></html>"
    document = extract_document(
        page.encode("cp1252"), filename="x.htm", content_type="text/html; charset=windows-1252"
    )
    assert document.title == "Panadería Lucía"
    assert document.blocks[-1].text == "Pan de año nuevo"


def test_markdown_headings_lists_with_nesting_and_tables() -> None:
    text = (
        "# Prices\n\nOur prices for 2026.\n\n## Children\n\nFor kids under 12:\n\n"
        "- Haircut $15\n- Beard trim\n  - only with a parent\n\n"
        "| Service | Price |\n|---|---|\n| Cut | $25 |\n| Colour | |\n"
    )
    assert kinds_and_texts(text.encode(), "prices.md") == [
        ("heading", "Prices"),
        ("paragraph", "Our prices for 2026."),
        ("heading", "Children"),
        ("paragraph", "For kids under 12:"),
        ("list_item", "Haircut $15"),
        ("list_item", "Beard trim"),
        ("list_item", "only with a parent"),
        ("table_row", "Service: Cut; Price: $25"),
        ("table_row", "Service: Colour"),
    ]


def test_plain_text_paragraphs_bullets_headings_and_hyphenation() -> None:
    text = (
        "OPENING HOURS\r\n\r\nWe open at nine on week-\r\ndays. The treat-\nment takes an"
        "\nhour.\n\n- Monday to Friday 9-5\n- Saturday 9-12\n"
    )
    assert kinds_and_texts(text.encode("utf-8"), "hours.txt") == [
        ("heading", "OPENING HOURS"),
        ("paragraph", "We open at nine on weekdays. The treatment takes an hour."),
        ("list_item", "Monday to Friday 9-5"),
        ("list_item", "Saturday 9-12"),
    ]
    latin = "Precios del año\n\nCorte de pelo: 25 €".encode("cp1252")
    assert extract_document(latin, filename="precios.txt").blocks[-1].text == "Corte de pelo: 25 €"


def test_lines_typed_as_separate_entries_stay_separate() -> None:
    instructions = "Prices:\nHaircut $25\nBeard trim $15\nKids cut $12\n\nWe close at five.\n"
    expected = [
        ("paragraph", "Prices:"),
        ("paragraph", "Haircut $25"),
        ("paragraph", "Beard trim $15"),
        ("paragraph", "Kids cut $12"),
        ("paragraph", "We close at five."),
    ]
    assert kinds_and_texts(instructions.encode(), "instructions.md") == expected
    assert kinds_and_texts(instructions.encode(), "instructions.txt") == expected
    wrapped = (
        "We are a family-run clinic in the middle of town and\n"
        "we welcome new patients of every age, including\nchildren and their parents.\n"
    )
    assert kinds_and_texts(wrapped.encode(), "about.md") == [
        (
            "paragraph",
            "We are a family-run clinic in the middle of town and we welcome new patients of "
            "every age, including children and their parents.",
        )
    ]


def test_entries_on_separate_lines_in_html_and_pdf_stay_separate() -> None:
    page = b"<p>Haircut $25<br>Beard trim $15<br/>Kids cut $12</p><p>Walk-ins\nwelcome.</p>"
    assert kinds_and_texts(page, "prices.html") == [
        ("paragraph", "Haircut $25"),
        ("paragraph", "Beard trim $15"),
        ("paragraph", "Kids cut $12"),
        ("paragraph", "Walk-ins welcome."),
    ]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont("Helvetica", 10)
    for number, line in enumerate(["Cleaning $80", "Whitening $300", "X-ray $40"]):
        pdf.drawString(72, 700 - 12 * number, line)
    pdf.save()
    assert kinds_and_texts(buffer.getvalue(), "prices.pdf") == [
        ("paragraph", "Cleaning $80"),
        ("paragraph", "Whitening $300"),
        ("paragraph", "X-ray $40"),
    ]


def test_format_is_detected_by_content_before_the_name() -> None:
    assert detect_format(price_list_pdf(), filename="prices.txt") == "pdf"
    assert detect_format(policy_docx(), filename="policy.bin") == "docx"
    assert detect_format(HTML_PAGE, filename="page.txt") == "html"
    assert detect_format(b"# Title\n\n| a | b |\n", filename="notes.txt") == "markdown"
    assert detect_format(b"Just words.", filename="notes") == "text"


def test_unsupported_and_empty_files_are_refused_with_a_reason() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with pytest.raises(ExtractionError, match="PNG image"):
        extract_document(png, filename="photo.png")
    with pytest.raises(ExtractionError, match="empty"):
        extract_document(b"  \n ", filename="empty.txt")
    with pytest.raises(ExtractionError, match="not supported"):
        extract_document(b"\x00\x01binary", filename="data.bin")
    with pytest.raises(ExtractionError, match=r"'\.rtf'"):
        extract_document(b"{\\rtf1 hello}", filename="letter.rtf")
