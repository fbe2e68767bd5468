"""Entity and name extraction on real libraries (phonenumbers, email_validator)."""

from __future__ import annotations

import json

import pytest

from frontdesk.nlu.entities import Entity, entities_as_dict, extract_entities
from frontdesk.nlu.names import find_person_name

DANA = (
    "hi, my name is Dana Ortiz, dana@example.org, can someone call me back about prices? "
    "082 555 0199"
)


def values(text: str, kind: str, **kwargs: str) -> list[str]:
    return [e.value for e in extract_entities(text, **kwargs) if e.type == kind]


def test_dana_message_gives_contact_details_and_nothing_else() -> None:
    entities = extract_entities(DANA, default_region="ZA")
    assert entities_as_dict(entities) == {
        "person": "Dana Ortiz",
        "email": "dana@example.org",
        "phone": "+27825550199",
    }
    # Spans point back at the text as typed, in order.
    for entity in entities:
        assert DANA[entity.start : entity.end] == entity.text
    assert [e.type for e in entities] == ["person", "email", "phone"]


def test_summary_is_json_and_keeps_lists() -> None:
    text = (
        "Invoice INV-2043 was $49.99 but ref ABC123XYZ says $49.99 too; "
        "reach me on +1 (415) 555-2671"
    )
    summary = entities_as_dict(extract_entities(text))
    assert json.loads(json.dumps(summary)) == summary
    assert summary["money"] == [{"amount": "49.99", "currency": "USD"}]
    assert summary["reference"] == ["INV-2043", "ABC123XYZ"]
    assert summary["phone"] == "+14155552671"


def test_entity_is_frozen() -> None:
    entity = Entity("email", "a@b.org", 0, 7, "a@b.org")
    with pytest.raises(AttributeError):
        entity.value = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to DANA@Example.ORG please", ["DANA@example.org"]),
        ("dana.ortiz+spa@mail.example.co.za.", ["dana.ortiz+spa@mail.example.co.za"]),
        ("not an address: dana@localhost or foo@bar or @handle", []),
    ],
)
def test_emails(text: str, expected: list[str]) -> None:
    assert values(text, "email") == expected


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("call 082 555 0199", "ZA", ["+27825550199"]),
        ("call 082 555 0199", "za", ["+27825550199"]),
        ("+1 (415) 555-2671", "ZA", ["+14155552671"]),
        ("+1 (415) 555-2671", "DE", ["+14155552671"]),
        ("my cell is (415) 555-2671", "US", ["+14155552671"]),
        ("+44 20 7946 0958 or 0044 20 7946 0958", "ZA", ["+442079460958", "+442079460958"]),
    ],
)
def test_phones(text: str, region: str, expected: list[str]) -> None:
    assert values(text, "phone", default_region=region) == expected


@pytest.mark.parametrize(
    "text",
    [
        "see you on 2024-05-12 at 14:30",
        "booked 12/05/2024 10:30-11:30 for 4 people",
        "the quote was $1,200,000.50 in total",
        "order 0825550199 has not arrived",
        "R1 500 000 for the renovation",
        "tracking 1Z999AA10123456784",
        "call 555 0199",  # too few digits to be a whole number
    ],
)
def test_not_phones(text: str) -> None:
    assert values(text, "phone", default_region="ZA") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("it was $49.99", [("49.99", "USD")]),
        ("R250 or R 250 or 250 rand", [("250", "ZAR")] * 3),
        ("€ 30 and 30 euros and 30,50 €", [("30", "EUR"), ("30", "EUR"), ("30.50", "EUR")]),
        ("USD 1,200.50", [("1200.50", "USD")]),
        ("1.200,50 EUR", [("1200.50", "EUR")]),
        ("about $1.5k, maybe $2 million", [("1500", "USD"), ("2000000", "USD")]),
        ("£12 or 12 quid", [("12", "GBP"), ("12", "GBP")]),
        ("$50 AUD", [("50", "AUD")]),
        ("R1 500 for two", [("1500", "ZAR")]),
    ],
)
def test_money(text: str, expected: list[tuple[str, str]]) -> None:
    found = [(e.value, e.currency) for e in extract_entities(text) if e.type == "money"]
    assert found == expected


def test_dollar_follows_workspace_currency_then_region() -> None:
    [by_currency] = extract_entities("that's $20", default_currency="cad")
    assert (by_currency.value, by_currency.currency) == ("20", "CAD")
    [by_region] = extract_entities("that's $20", default_region="AU")
    assert by_region.currency == "AUD"
    # A non-dollar workspace currency does not turn "$" into rand.
    [usd] = extract_entities("that's $20", default_region="ZA", default_currency="ZAR")
    assert usd.currency == "USD"


@pytest.mark.parametrize(
    "text", ["49.999 grams", "we are 250 people", "room 12", "2 pizzas at 7pm", "COVID-19"]
)
def test_not_money(text: str) -> None:
    assert values(text, "money") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("about INV-2043", ["INV-2043"]),
        ("my order #55812 is late", ["55812"]),
        ("order number: 55812", ["55812"]),
        ("my order number is 55812", ["55812"]),
        ("ref ABC123XYZ", ["ABC123XYZ"]),
        ("reference 99812", ["99812"]),
        ("ticket 4411", ["4411"]),
        ("see #A-77", ["A-77"]),
        ("invoice no. 2043 for $49.99", ["2043"]),
        ("tracking: 1Z999AA10123456784", ["1Z999AA10123456784"]),
    ],
)
def test_references(text: str, expected: list[str]) -> None:
    assert values(text, "reference") == expected


@pytest.mark.parametrize(
    "text",
    [
        "booking for 2 at 10am",
        "order 2 pizzas",
        "booking on 2024-05-12",
        "call me on 082 555 0199",
        "it costs $49.99",
        "you're #1",
        "COVID-19 rules",
        "the account at 5pm",
    ],
)
def test_not_references(text: str) -> None:
    assert values(text, "reference", default_region="ZA") == []


def test_reference_wins_over_phone_when_labelled() -> None:
    entities = extract_entities("order 0825550199 and call 082 555 0199", default_region="ZA")
    assert [(e.type, e.value) for e in entities] == [
        ("reference", "0825550199"),
        ("phone", "+27825550199"),
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("my name is Dana Ortiz", "Dana Ortiz"),
        ("hi my name is dana ortiz", "Dana Ortiz"),
        ("hello my name is DANA ORTIZ", "Dana Ortiz"),
        ("I'm Dana", "Dana"),
        ("hey im jo, can i book?", "Jo"),
        ("this is Sipho Ndlovu from Acme Plumbing", "Sipho Ndlovu"),
        ("name: Dana Ortiz\nphone: 082 555 0199", "Dana Ortiz"),
        ("Dana Ortiz here, quick question", "Dana Ortiz"),
        ("hi, Dana here", "Dana"),
        ("Hi it's Dana", "Dana"),
        ("Can I book for Tuesday?\nThanks, Dana", "Dana"),
        ("Kind regards,\nDana Ortiz", "Dana Ortiz"),
        ("call me Dan", "Dan"),
        ("my name is Daniel, call me Dan", "Daniel"),
        ("My name is Mrs. Dana Ortiz", "Dana Ortiz"),
        ("my name is jean-luc o'brien", "Jean-Luc O'Brien"),
        ("I am Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("I'm Dana Ortiz and I need help", "Dana Ortiz"),
        ("my name is dana i need a cut", "Dana"),
        ("my name is Dana 082 555 0199", "Dana"),
        ("my name is Anna Maria Lopez Garcia Smith", "Anna Maria Lopez Garcia"),
        # Beside the contact, with no introduction.
        ("righto, can someone ring me back, sam nguyen 0491 570 156", "sam nguyen".title()),
        ("0412 555 019 - Tom Baker", "Tom Baker"),
        ("Tom Baker, tom@example.org", "Tom Baker"),
    ],
)
def test_person_names(text: str, name: str) -> None:
    found = find_person_name(text)
    assert found is not None
    assert found[0] == name
    assert text[found[1] : found[2]].lower().replace("mrs. ", "") == name.lower()


@pytest.mark.parametrize(
    "text",
    [
        "I'm looking for a haircut",
        "i'm looking for a haircut",
        "I'm sorry",
        "I'm not happy",
        "I'm available tomorrow",
        "this is urgent",
        "this is ridiculous",
        "This is ridiculous!",
        "it's not working",
        "I'm from Durban",
        "I'm Dana's mum",
        "Thanks, see you then",
        "Anyone here?",
        "can someone call me back",
        "call me at 5",
        "i'm booked for 3pm",
        "i'm scheduled for monday",
        "im wondering about prices",
        "I'm free on Monday",
        "my name is dana@example.org",
        "cheers, mate",
        "thanks mate, 0412 555 019",
        "call me on 0412 555 019",
        "whats the price, 0412 555 019",
        "",
    ],
)
def test_no_person_name(text: str) -> None:
    assert find_person_name(text) is None
    assert values(text, "person") == []
