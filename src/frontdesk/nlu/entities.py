"""Contact details, prices and reference numbers in customer messages.

Everything here is rules plus two well-tested libraries (``email_validator`` for
addresses, ``phonenumbers`` for phone numbers): the entities are formatted strings, so
patterns beat a statistical model on both accuracy and cost, and every result can be
explained to staff by pointing at the span.

Extractors run in priority order and a later one never takes characters an earlier one
claimed: emails, then money, then reference numbers, then phone numbers, then the
person's name. That order is what keeps "order 0825550199" a reference and "$1 200" a
price rather than phone numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from frontdesk.nlu.names import find_person_name

__all__ = ["Entity", "entities_as_dict", "extract_entities"]


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity; ``start``/``end`` index ``text`` in the original message.

    ``value`` is the normalised form: an address with a lower-case domain, an E.164
    number, a plain decimal amount, an upper-case reference, a title-cased name.
    ``currency`` (ISO 4217) is set for money only.
    """

    type: str
    text: str
    start: int
    end: int
    value: str
    currency: str | None = None


# ---------------------------------------------------------------- email

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+")


def _emails(text: str) -> Iterable[Entity]:
    # Imported on first use: email_validator compiles its grammar at import (~25 ms), a
    # cost that processes never handling a message (migrations, CLI) should not pay.
    from email_validator import EmailNotValidError, validate_email

    for match in _EMAIL.finditer(text):
        try:
            checked = validate_email(match.group(), check_deliverability=False)
        except EmailNotValidError:
            continue
        yield Entity("email", match.group(), match.start(), match.end(), checked.normalized)


# ---------------------------------------------------------------- money

_CODES = (
    "USD|EUR|GBP|ZAR|AUD|CAD|NZD|INR|JPY|CNY|CHF|SEK|NOK|DKK|BRL|MXN|KES|NGN|GHS|BWP|NAD"
    "|SGD|HKD|AED"
)
# Grouped thousands ("1,200.50", "1 500"), European grouping ("1.200,50"), or plain with
# up to two decimals. The trailing look-ahead refuses partial numbers ("49.999").
_AMOUNT = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?"
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![ \u00a0\u202f]?\d)"
    r"|\d{1,3}(?:\.\d{3})+,\d{1,2}"
    r"|\d+(?:[.,]\d{1,2})?)(?![.,]?\d)"
)
_MULTIPLIER = r"(?P<mult>[kK](?![\w])|\s?(?:thousand|million)\b)?"
_SUFFIX_WORDS = r"dollars?|bucks|euros?|pounds?|quid|rand|rupees?|yen|francs?|naira"
_MONEY_PREFIX = re.compile(
    r"(?<![\w$€£¥₹₦])(?P<cur>US\$|AU?\$|CA?\$|NZ\$|R\$|\$|€|£|¥|₹|₦|Rs\.?(?=\s?\d)|KSh"
    rf"|R(?=\s?\d)|(?i:{_CODES})(?=\s?\d))\s?(?P<amt>{_AMOUNT}){_MULTIPLIER}"
    rf"(?:\s?(?P<cur2>(?i:{_CODES}))\b)?"
)
_MONEY_SUFFIX = re.compile(
    rf"(?<![\w.,$€£¥₹₦])(?P<amt>{_AMOUNT}){_MULTIPLIER}\s?"
    rf"(?P<cur>€|£|¥|₹|(?i:(?:{_CODES}|{_SUFFIX_WORDS})\b))"
)
_SYMBOLS = {
    "US$": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD", "NZ$": "NZD",
    "R$": "BRL", "€": "EUR", "£": "GBP", "₦": "NGN", "KSh": "KES", "R": "ZAR",
    "EURO": "EUR", "EUROS": "EUR", "POUND": "GBP", "POUNDS": "GBP", "QUID": "GBP",
    "RAND": "ZAR", "YEN": "JPY", "FRANC": "CHF", "FRANCS": "CHF", "NAIRA": "NGN",
}  # fmt: skip
# "$", "¥" and "rupee" are shared by several currencies: the workspace's currency decides
# when it is one of them, then its country, then the most common reading.
_DOLLARS = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "NAD", "JMD", "TTD"})
_REGION_DOLLAR = {"CA": "CAD", "AU": "AUD", "NZ": "NZD", "SG": "SGD", "HK": "HKD", "NA": "NAD"}
_RUPEES = frozenset({"INR", "PKR", "LKR", "NPR", "MUR"})


def _currency(symbol: str, default_currency: str | None, region: str) -> str:
    key = symbol.upper().rstrip(".")
    if key in ("$", "DOLLAR", "DOLLARS", "BUCKS"):
        if default_currency in _DOLLARS:
            return default_currency
        return _REGION_DOLLAR.get(region, "USD")
    if key == "¥":
        return "CNY" if default_currency == "CNY" else "JPY"
    if key in ("₹", "RS", "RUPEE", "RUPEES"):
        return default_currency if default_currency in _RUPEES else "INR"
    return _SYMBOLS.get(symbol, _SYMBOLS.get(key, key))


def _decimal(amount: str, multiplier: str | None) -> str:
    """ "1,200.50" -> "1200.50", "30,50" -> "30.50", "1.5" + "k" -> "1500"."""
    digits = re.sub(r"[ \u00a0\u202f]", "", amount)
    if "," in digits and "." in digits:
        # Whichever separator comes last is the decimal point.
        if digits.rfind(",") > digits.rfind("."):
            digits = digits.replace(".", "").replace(",", ".")
        else:
            digits = digits.replace(",", "")
    elif "," in digits:
        grouped = re.fullmatch(r"\d{1,3}(?:,\d{3})+", digits)
        digits = digits.replace(",", "" if grouped else ".")
    number = Decimal(digits)
    scale = (multiplier or "").strip().lower()
    if scale:
        number *= 1_000_000 if scale == "million" else 1000
        return format(number.normalize(), "f")
    return str(number)


def _money(text: str, default_currency: str | None, region: str) -> Iterable[Entity]:
    for pattern in (_MONEY_PREFIX, _MONEY_SUFFIX):
        for match in pattern.finditer(text):
            symbol = match.groupdict().get("cur2") or match.group("cur")
            try:
                value = _decimal(match.group("amt"), match.group("mult"))
            except InvalidOperation:  # pragma: no cover - the pattern admits digits only
                continue
            currency = _currency(symbol, default_currency, region)
            yield Entity("money", match.group(), match.start(), match.end(), value, currency)


# ---------------------------------------------------------------- references

_KEYWORD_REF = re.compile(
    r"(?i)\b(?:order|invoice|inv|ticket|booking|reservation|account|acct|tracking|ref"
    r"|reference|case|confirmation|receipt|quote|quotation|policy|claim|membership|job"
    r"|voucher|purchase\s+order|po)\b(?:\s+(?:number|no|num|nr|id|code)\b)?\.?\s*"
    r"(?:is\s+|:\s*|#\s*)?(?P<id>[A-Z0-9](?:[A-Z0-9]|[-/](?=[A-Z0-9]))*)"
    # A following digit group means a spaced phone number or price, not an id.
    r"(?![\w@]|\s?[.,:]?\d)"
)
_CODE_REF = re.compile(
    r"(?<![\w#@/.-])(?:#\s?(?P<hash>[A-Z0-9](?:[A-Z0-9]|-(?=[A-Z0-9]))+)"
    r"|(?P<code>[A-Z]{2,5}-?\d{3,}(?:-[A-Z0-9]+)*"
    r"|(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6,}))(?![\w@-])"
)
_TIME_OR_DATE = re.compile(r"(?i)\d{1,2}(?:am|pm|h)|\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?")


def _references(text: str) -> Iterable[Entity]:
    for match in _KEYWORD_REF.finditer(text):
        ref = match.group("id")
        if len(ref) >= 3 and any(c.isdigit() for c in ref) and not _TIME_OR_DATE.fullmatch(ref):
            yield Entity("reference", match.group(), match.start(), match.end(), ref.upper())
    for match in _CODE_REF.finditer(text):
        ref = match.group("hash") or match.group("code")
        if any(c.isdigit() for c in ref) and not _TIME_OR_DATE.fullmatch(ref):
            yield Entity("reference", match.group(), match.start(), match.end(), ref)


# ---------------------------------------------------------------- phones

# phonenumbers costs ~0.1-0.3 ms per call even with nothing to find; no valid number
# anywhere has fewer than 7 digits, so counting digits first skips it for most messages.
_MIN_PHONE_DIGITS = 7


def _phones(text: str, region: str) -> Iterable[Entity]:
    if sum(c.isdigit() for c in text) < _MIN_PHONE_DIGITS:
        return
    import phonenumbers  # on first use, like email_validator: ~30 ms of metadata modules

    # VALID (not the default POSSIBLE) rejects digit runs no carrier could dial, and the
    # matcher itself already skips dates and times such as "2024-05-12 14:30".
    matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)
    for match in matcher:
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        yield Entity("phone", match.raw_string, match.start, match.end, e164)


# A phone the workspace's country cannot read ("0412 555 019" to a US business, a number
# from abroad) is still the customer's data: kept as given, never dropped.
_LOOSE_PHONE = re.compile(r"(?<![\w@.])(?:\+|00)?\d[\d \t().-]{5,20}\d(?![\w@])")
_DATE_LIKE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$")
_MAX_PHONE_DIGITS = 15
_MIN_LOOSE_DIGITS = 8  # "555 0199" alone is part of a number, not one to call back


def _loose_phones(text: str, region: str) -> Iterable[Entity]:
    if sum(c.isdigit() for c in text) < _MIN_PHONE_DIGITS:
        return
    import phonenumbers

    for match in _LOOSE_PHONE.finditer(text):
        raw = match.group().strip()
        digits = sum(c.isdigit() for c in raw)
        if not _MIN_LOOSE_DIGITS <= digits <= _MAX_PHONE_DIGITS or _DATE_LIKE.match(raw):
            continue
        value = " ".join(raw.split())
        international = "+" + raw[2:] if raw.startswith("00") else raw
        try:  # its own prefix, where it has one, says where it is from
            number = phonenumbers.parse(international, None if raw[0] in "+0" else region)
            if phonenumbers.is_possible_number(number) and international.startswith("+"):
                value = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            pass
        yield Entity("phone", match.group(), match.start(), match.end(), value)


# ---------------------------------------------------------------- together


def _overlaps(entity: Entity, taken: Sequence[Entity]) -> bool:
    return any(entity.start < other.end and other.start < entity.end for other in taken)


def extract_entities(
    text: str, *, default_region: str = "US", default_currency: str | None = None
) -> list[Entity]:
    """Every email, phone, money amount, reference and the person's name, by position.

    ``default_region`` (the workspace's country, ISO 3166 alpha-2) reads national phone
    numbers such as "082 555 0199"; ``default_currency`` (ISO 4217) settles "$" and "¥".
    """
    region = default_region.upper()
    currency = default_currency.upper() if default_currency else None
    has_digits = any(c.isdigit() for c in text)
    found: list[Entity] = []
    stages: list[Iterable[Entity]] = []
    if "@" in text:
        stages.append(_emails(text))
    if has_digits:
        stages += [
            _money(text, currency, region),
            _references(text),
            _phones(text, region),
            _loose_phones(text, region),
        ]
    for stage in stages:
        for entity in stage:
            if not _overlaps(entity, found):
                found.append(entity)
    person = find_person_name(text)
    if person is not None:
        name, start, end = person
        entity = Entity("person", text[start:end], start, end, name)
        if not _overlaps(entity, found):
            found.append(entity)
    found.sort(key=lambda e: (e.start, e.end))
    return found


def entities_as_dict(entities: Iterable[Entity]) -> dict[str, Any]:
    """A compact JSON-able summary for message metadata; absent types are left out.

    The first email, phone and person are kept (a customer rarely gives two, and staff
    need one to act on); every amount and reference is kept, without duplicates.
    """
    summary: dict[str, Any] = {}
    money: list[dict[str, str | None]] = []
    references: list[str] = []
    for entity in entities:
        if entity.type in ("email", "phone", "person"):
            summary.setdefault(entity.type, entity.value)
        elif entity.type == "money":
            item = {"amount": entity.value, "currency": entity.currency}
            if item not in money:
                money.append(item)
        elif entity.type == "reference" and entity.value not in references:
            references.append(entity.value)
    if money:
        summary["money"] = money
    if references:
        summary["reference"] = references
    return summary
