"""Structure-aware chunking and duplicate fingerprints."""

from __future__ import annotations

import pytest

from frontdesk.knowledge.blocks import Block
from frontdesk.knowledge.chunking import (
    HEADING_SEPARATOR,
    chunk_blocks,
    content_hash,
    normalise_for_duplicates,
    split_sentences,
)
from frontdesk.knowledge.extract import extract_document
from tests.knowledge.sample_documents import policy_docx, price_list_pdf

SEP = HEADING_SEPARATOR


def heading(text: str, level: int) -> Block:
    return Block("heading", text, level=level)


def paragraph(text: str) -> Block:
    return Block("paragraph", text)


def test_chunks_carry_their_heading_path_and_never_cross_sections() -> None:
    blocks = [
        heading("Prices", 1),
        paragraph("Adults pay $80 for a check-up."),
        paragraph("Payment is due on the day."),
        heading("Children", 2),
        paragraph("Under 12s pay half."),
        heading("Deep cleaning", 3),
        paragraph("Takes an hour."),
        heading("Policies", 1),
        paragraph("Cancel 24 hours ahead."),
    ]
    drafts = chunk_blocks(blocks)
    assert [(d.heading, d.text, d.ordinal) for d in drafts] == [
        ("Prices", "Adults pay $80 for a check-up.\nPayment is due on the day.", 0),
        (f"Prices{SEP}Children", "Under 12s pay half.", 1),
        (f"Prices{SEP}Children{SEP}Deep cleaning", "Takes an hour.", 2),
        ("Policies", "Cancel 24 hours ahead.", 3),
    ]


def test_headings_with_nothing_under_them_are_text_of_their_parent() -> None:
    blocks = [
        heading("Visit us", 1),
        heading("Open Monday to Friday, 9 to 5", 2),
        heading("Closed on public holidays", 2),
        heading("Parking", 2),
        paragraph("Free behind the shop."),
        heading("Call 0412 555 019", 1),
    ]
    assert [(d.heading, d.text) for d in chunk_blocks(blocks)] == [
        ("Visit us", "Open Monday to Friday, 9 to 5\nClosed on public holidays"),
        (f"Visit us{SEP}Parking", "Free behind the shop."),
        ("", "Call 0412 555 019"),
    ]


def test_paragraphs_merge_up_to_the_target_and_long_ones_split_at_sentences() -> None:
    sentence = "The clinic opens at eight and the first appointment is at half past eight."
    short = [paragraph(f"{sentence} ({n})") for n in range(10)]
    drafts = chunk_blocks([heading("Hours", 1), *short], target_chars=300, max_chars=500)
    assert all(len(d.text) <= 300 for d in drafts)
    assert sum(d.text.count(sentence) for d in drafts) == 10
    assert all(d.text.count("\n") >= 1 for d in drafts[:-1])  # several paragraphs per chunk

    long_paragraph = " ".join(f"Sentence number {n} ends here." for n in range(60))
    drafts = chunk_blocks([paragraph(long_paragraph)], target_chars=200, max_chars=400)
    assert len(drafts) > 5
    assert all(len(d.text) <= 400 for d in drafts)
    assert all(d.text.endswith("ends here.") for d in drafts)  # cut between sentences
    assert " ".join(d.text for d in drafts) == long_paragraph


def test_a_list_keeps_its_lead_in_sentence_even_when_split() -> None:
    items = [Block("list_item", f"Service number {n} costs ${n}0") for n in range(1, 31)]
    blocks = [
        heading("Services", 1),
        paragraph("We are a family clinic. We offer the following services:"),
        *items,
    ]
    drafts = chunk_blocks(blocks, target_chars=200, max_chars=400)
    # The short opening sentence joins the first part of the list; every later part of the
    # list opens with the lead-in again.
    assert drafts[0].text.startswith("We are a family clinic.\nWe offer the following services:")
    lists = drafts[1:]
    assert len(lists) > 2
    assert all(d.text.startswith("We offer the following services:\n- Service") for d in lists)
    lists = drafts
    assert sum(d.text.count("- Service number") for d in lists) == 30
    assert all(len(d.text) <= 400 for d in lists)


def test_table_rows_are_grouped_under_their_heading_with_column_names() -> None:
    rows = [Block("table_row", f"Repair: Model {n} screen; Price: ${n}9") for n in range(40)]
    drafts = chunk_blocks([heading("Repair prices", 2), *rows], target_chars=300)
    assert len(drafts) > 1
    for draft in drafts:
        assert draft.heading == "Repair prices"
        assert all(
            line.startswith("Repair: ") and "; Price: $" in line for line in draft.text.split("\n")
        )
    assert sum(d.text.count("\n") + 1 for d in drafts) == 40


def test_an_overlong_sentence_is_cut_at_a_word_boundary() -> None:
    words = "word " * 400
    pieces = split_sentences(words.strip(), 100)
    assert all(len(piece) <= 100 for piece in pieces)
    assert " ".join(pieces).split() == words.split()


def test_sentence_splitting_respects_abbreviations_and_spanish_openers() -> None:
    text = "Dr. Smith sees kids, e.g. toddlers. ¿Abren el sábado? Sí. Open 9 a.m. daily."
    assert split_sentences(text, 1000) == [
        "Dr. Smith sees kids, e.g. toddlers.",
        "¿Abren el sábado?",
        "Sí.",
        "Open 9 a.m. daily.",
    ]


def test_real_documents_chunk_with_headings() -> None:
    pdf = chunk_blocks(extract_document(price_list_pdf(), filename="p.pdf").blocks)
    assert [d.heading for d in pdf] == ["Prices", "Children", "Cancellation policy"]
    assert "- Fluoride varnish $20" in pdf[1].text and "following for kids:" in pdf[1].text
    docx = chunk_blocks(extract_document(policy_docx(), filename="p.docx").blocks)
    fees = [d for d in docx if d.heading == f"Cancellation policy{SEP}Fees"]
    assert fees and "Late cancellations cost:\n- Less than 24 hours notice: $50" in fees[0].text
    assert any("Service: Whitening; Price: $300" in d.text for d in fees)
    assert [d.ordinal for d in docx] == list(range(len(docx)))


def test_duplicates_are_recognised_whatever_their_form() -> None:
    a = "Haircut: $25 — adults.\n"
    b = "  HAIRCUT $25 adults "
    assert normalise_for_duplicates(a) == normalise_for_duplicates(b) == "haircut 25 adults"
    assert content_hash(a) == content_hash(b)
    assert len(content_hash(a)) == 64
    assert content_hash("Haircut: $25") != content_hash("Haircut: $26")
    assert normalise_for_duplicates("Ｃａｆé") == "café"


def test_invalid_sizes_are_refused() -> None:
    with pytest.raises(ValueError):
        chunk_blocks([paragraph("x")], target_chars=500, max_chars=100)
    assert chunk_blocks([]) == []
