"""Fields out of receipt text: the formats of English and Spanish receipts."""

from __future__ import annotations

import pytest

from frontdesk.documents.intake import kind_from_words, linked_reference
from frontdesk.documents.receipts import parse_number, read_receipt


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1,234.50", "1234.50"), ("1.234,50", "1234.50"), ("1 234,50", "1234.50"),
     ("45,00", "45.00"), ("45", "45.00"), ("12.500", "12500.00"), ("0.5", "0.50")],
)  # fmt: skip
def test_numbers_in_either_convention(raw: str, value: str) -> None:
    assert str(parse_number(raw)) == value


def test_the_total_line_wins_over_larger_numbers() -> None:
    text = "Cafe\nCASH 1300.00\nSubtotal $1,100.00\nTax $134.50\nTOTAL $1,234.50\nCHANGE 65.50"
    fields = read_receipt(text)
    assert (fields.amount, fields.currency) == ("1234.50", "USD")


def test_spanish_receipt_with_euro_after_the_figure_and_label_above() -> None:
    text = (
        "COMPROBANTE\nFecha: 3 de diciembre de 2026\nImporte total\n1.234,50 €\n"
        "Referencia: FAC-7781\nOrdenante: María López"
    )
    fields = read_receipt(text, "es")
    assert fields.as_dict() == {
        "amount": "1234.50", "currency": "EUR", "date": "2026-12-03",
        "payer": "María López", "reference": "FAC-7781",
    }  # fmt: skip


def test_code_after_the_amount_and_ocr_slips() -> None:
    fields = read_receipt("Total: 45.00 USD\nTransaction ID: 88a7-1120\nDec 3, 2026\nCard ****4421")
    assert (fields.amount, fields.currency, fields.date) == ("45.00", "USD", "2026-12-03")
    assert fields.reference == "88A7-1120"
    slipped = read_receipt("Amount paid S 89.90\nRef: INV- 2041\n12/25/2026")
    assert (slipped.amount, slipped.reference, slipped.date) == ("89.90", "INV-2041", "2026-12-25")


def test_dollar_sign_reads_as_the_code_printed_elsewhere() -> None:
    fields = read_receipt("Monto transferido: $ 12.500,00\nMXN\nFecha 2026-11-30", "es")
    assert (fields.amount, fields.currency) == ("12500.00", "MXN")


@pytest.mark.parametrize(
    ("line", "iso", "language"),
    [("Date: 03/12/2026", "2026-03-12", "en"), ("Fecha: 03/12/2026", "2026-12-03", "es"),
     ("Fecha 02.12.2026", "2026-12-02", "en"), ("4 Dec 2026", "2026-12-04", "en"),
     ("November 28, 2026", "2026-11-28", "en"), ("25/12/26", "2026-12-25", "en")],
)  # fmt: skip
def test_dates(line: str, iso: str, language: str) -> None:
    assert read_receipt(line, language).date == iso


def test_no_amount_without_money() -> None:
    assert read_receipt("Thank you for visiting\nTable 12\n2026").amount is None


def test_what_the_customer_says() -> None:
    assert kind_from_words("here is the receipt") == "payment_proof"
    assert kind_from_words("les envío el comprobante") == "payment_proof"
    assert kind_from_words("my signed contract") == "other"
    assert kind_from_words("look at my teeth") is None
    assert linked_reference("payment for invoice INV-2041") == ("invoice", "INV-2041")
    assert linked_reference("pago del pedido 5521") == ("order", "5521")
    assert linked_reference("for ticket #88") == ("ticket", "88")
    assert linked_reference("thanks") == ("", "")
