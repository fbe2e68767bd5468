"""Fields of a payment receipt pulled out of its text: amount, currency, date, payer and
reference, for English and Spanish receipts.

Receipts print many numbers (subtotal, tax, change, card digits); the amount is taken from the
line that says it is the total or the amount paid, and only without such a line from the
largest sum written as money. Text read by OCR is tolerated: spaces inside numbers, "S" read
for "$" before a figure, a label and its value on two rows.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from frontdesk.documents.receipt_dates import find_date

CURRENCY_CODES = (
    "USD|EUR|GBP|MXN|COP|ARS|CLP|PEN|CAD|AUD|BRL|UYU|BOB|PYG|GTQ|CRC|DOP|HNL|NIO|PAB|VES|CHF"
)
SYMBOLS = {"€": "EUR", "£": "GBP", "¥": "JPY", "US$": "USD", "U$S": "USD", "MX$": "MXN"}
WORD_CURRENCIES = {"dolares": "USD", "dólares": "USD", "dollars": "USD", "euros": "EUR"}
_CURRENCY = rf"(?:US\$|U\$S|MX\$|[$€£¥]|\b(?:{CURRENCY_CODES})\b)"
# 1,234.50  1.234,50  1 234,50  1234.5  45  — digits with optional groups and decimals.
_NUMBER = r"\d{1,3}(?:[., \u00a0]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_MONEY = re.compile(
    rf"(?P<pre>{_CURRENCY})?\s?(?P<number>-?(?:{_NUMBER}))(?!\d)(?:\s?(?P<post>{_CURRENCY}))?",
    re.IGNORECASE,
)

# Words that mark the line holding the amount paid, strongest first; and lines that never do.
_TOTAL_WORDS = [
    (
        r"amount\s+paid|total\s+paid|paid\s+amount|payment\s+amount|total\s+pagado|"
        r"importe\s+pagado|monto\s+pagado|monto\s+transferido|importe\s+transferido|"
        r"amount\s+transferred|total\s+amount|importe\s+total|monto\s+total|grand\s+total",
        4,
    ),
    (r"\btotal\b|\bmonto\b|\bimporte\b|\bamount\b|\bpaid\b|\bpagado\b|\bvalor\b|\bsuma\b", 3),
]
_NOT_TOTAL = re.compile(
    r"sub\s*-?\s*total|\btax\b|\bvat\b|\biva\b|\bimpuesto|\bchange\b|\bcambio\b|\bvuelto\b|"
    r"\bdiscount|\bdescuento|\btip\b|\bpropina|\bbalance\b|\bsaldo\b|\bfee\b|\bcomisi[oó]n",
    re.IGNORECASE,
)
_REFERENCE_LABEL = re.compile(
    r"(?:\bref(?:erence|erencia)?\b\.?|\bn[oº°]\.?\s*de\s*referencia|\btransaction\s*(?:id|no)|"
    r"\bconfirmation(?:\s*(?:no|number|code))?|\bfolio\b|\boperaci[oó]n\b|\binvoice\b|"
    r"\bfactura\b|\breceipt\s*(?:no|number|#)|\brecibo\b|\bcomprobante\b|\bn[uú]mero\b|"
    r"\bid\b|\bcode\b|\bc[oó]digo\b)"
    r"(?:\s*(?:no|nº|n°|number|#|num|núm)\.?)?\s*[:#.\-]?\s*",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"#?\s*([A-Z0-9][A-Z0-9]*(?:\s?[-/_.]\s?[A-Z0-9]+)*)", re.IGNORECASE)
_BARE_REFERENCE = re.compile(r"\b([A-Z]{2,5}\s?-\s?\d{2,}(?:-\d+)*)\b")
_PAYER_LABEL = re.compile(
    r"(?:paid\s+by|payer|from|sender|customer|client|account\s+holder|pagado\s+por|"
    r"ordenante|remitente|pagador|cliente|titular|nombre|name|de)\s*[:.\-]\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReceiptFields:
    amount: str | None = None  # a decimal as text ("1234.50"): exact, and JSON-friendly
    currency: str | None = None
    date: str | None = None  # ISO date
    payer: str | None = None
    reference: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


def read_receipt(text: str, language: str = "en") -> ReceiptFields:
    lines = [_clean(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    amount, currency = find_amount(lines)
    named = _currency_anywhere(lines)
    if currency == "$":
        # "$" is dollars or pesos: a code elsewhere on the receipt says which; an English
        # receipt without one means US dollars.
        currency = named or ("USD" if language == "en" else "$")
    return ReceiptFields(
        amount=str(amount) if amount is not None else None,
        currency=currency or named,
        date=find_date(lines, language),
        payer=find_payer(lines),
        reference=find_reference(lines),
    )


def _clean(line: str) -> str:
    line = line.replace("\u00a0", " ").strip()
    # OCR reads "$" as "S" before a figure now and then ("S45.00").
    line = re.sub(r"(?<![A-Za-z])S(?=\s?\d)", "$", line)
    # and splits a number around its separator ("1, 234.50", "45 .00").
    line = re.sub(
        r"(?<=\d)\s*([.,])\s+(?=\d{2,3}(?!\d))|(?<=\d)\s+([.,])(?=\d{2,3}(?!\d))",
        lambda m: m[1] or m[2],
        line,
    )
    return re.sub(r"\s+", " ", line)


def parse_number(raw: str) -> Decimal | None:
    """'1,234.50', '1.234,50', '1 234,50', '45,00', '45' -> Decimal; the last separator
    followed by one or two digits is the decimal point."""
    raw = raw.replace(" ", "").replace("\u202f", "")
    negative = raw.startswith("-")
    raw = raw.lstrip("-")
    match = re.search(r"[.,](\d{1,2})$", raw)
    if match:
        whole, decimals = raw[: match.start()], match[1]
    else:
        whole, decimals = raw, ""
    whole = re.sub(r"[.,]", "", whole)
    try:
        value = Decimal(f"{whole}.{decimals or '0'}")
    except InvalidOperation:
        return None
    value = value.quantize(Decimal("0.01"))
    return -value if negative else value


def _currency_of(token: str | None) -> str | None:
    if not token:
        return None
    token = token.upper() if token.isalpha() else token
    return SYMBOLS.get(token, token.upper())  # "$" stays "$": dollars or pesos


def _money_in(line: str) -> list[tuple[Decimal, str | None, bool]]:
    """Sums in a line: value, currency, and whether it is written as money (a currency or
    two decimals) rather than a bare count."""
    found = []
    for match in _MONEY.finditer(line):
        number = match["number"]
        value = parse_number(number)
        if value is None or value <= 0:
            continue
        currency = _currency_of(match["post"]) or _currency_of(match["pre"])
        if match["pre"] and match["post"] and _currency_of(match["pre"]) != "$":
            currency = _currency_of(match["pre"])
        if currency is None:
            after = line[match.end() :].strip().lower().split(" ")[0] if match.end() else ""
            currency = WORD_CURRENCIES.get(after)
        looks_like_money = currency is not None or bool(re.search(r"[.,]\d{2}$", number))
        # A year or a long card or account number is no amount.
        if not looks_like_money and (len(number) > 6 or re.fullmatch(r"(19|20)\d\d", number)):
            continue
        found.append((value, currency, looks_like_money))
    return found


def find_amount(lines: list[str]) -> tuple[Decimal | None, str | None]:
    best: tuple[tuple[int, int, Decimal], Decimal, str | None] | None = None
    for index, line in enumerate(lines):
        weight = _total_weight(line)
        sums = _money_in(_without_dates(line))
        if weight and not sums and index + 1 < len(lines):
            # "Total" on one row and its figure on the next (a label above its value).
            following = _money_in(_without_dates(lines[index + 1]))
            if following and not _total_weight(lines[index + 1]):
                sums, weight = following, weight - 1
        for value, currency, money in sums:
            if not money and not weight:
                continue
            rank = (weight, int(money) + int(currency is not None), value)
            if best is None or rank > best[0]:
                best = (rank, value, currency)
    if best is None:
        return None, None
    return best[1], best[2]


def _total_weight(line: str) -> int:
    if _NOT_TOTAL.search(line):
        return 0
    for pattern, weight in _TOTAL_WORDS:
        if re.search(pattern, line, re.IGNORECASE):
            return weight
    return 0


def _without_dates(line: str) -> str:
    line = re.sub(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b", " ", line)
    line = re.sub(r"\b\d{1,2}:\d{2}(?::\d{2})?\b", " ", line)  # times
    return re.sub(r"\*{2,}\s?\d+|x{2,}\s?\d+", " ", line, flags=re.IGNORECASE)  # ****1234


def _currency_anywhere(lines: list[str]) -> str | None:
    for line in lines:
        if match := re.search(rf"\b({CURRENCY_CODES})\b", line):
            return match[1]
    return None


def find_reference(lines: list[str]) -> str | None:
    for index, line in enumerate(lines):
        for label in _REFERENCE_LABEL.finditer(line):
            rest = line[label.end() :]
            if not rest.strip() and index + 1 < len(lines):
                rest = lines[index + 1]  # the label above its value
            token = _reference_token(rest)
            if token:
                return token
    for line in lines:
        if match := _BARE_REFERENCE.search(line):
            return re.sub(r"\s", "", match[1]).upper()
    return None


def _reference_token(text: str) -> str | None:
    match = _TOKEN.match(text.strip())
    if not match:
        return None
    token = re.sub(r"\s", "", match[1]).strip(".-/_")
    # A reference carries a digit and is more than a short count; a date is no reference.
    if not re.search(r"\d", token) or len(token) < 3:
        return None
    if re.fullmatch(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}", token):
        return None
    return token.upper()


def find_payer(lines: list[str]) -> str | None:
    for line in lines:
        match = _PAYER_LABEL.search(line)
        if not match or (match.start() and line[match.start() - 1].isalnum()):
            continue
        name = re.split(r"\s{2,}|\s[|·]\s|\d", line[match.end() :])[0]
        name = re.sub(r"[^\w .'\-]", "", name).strip(" .-")
        if len(name) >= 3 and any(c.isalpha() for c in name):
            return name[:200]
    return None
