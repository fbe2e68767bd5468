"""What the customer is told in their chat when staff review a document, in their language."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from frontdesk.documents.models import Document
from frontdesk.nlu.language import detect_language

_WORDS = {
    "en": {
        ("payment_proof", "approved"): "Thank you! We have confirmed your payment{what}.",
        ("payment_proof", "rejected"): "We could not confirm the payment receipt you sent{what}. "
        "Please check it and send it again, or reply here and we will help.",
        ("other", "approved"): "Thank you! We have reviewed and accepted the document you "
        "sent{what}.",
        ("other", "rejected"): "We could not accept the document you sent{what}. "
        "Please check it and send it again, or reply here and we will help.",
        "amount": " of {amount}",
        "reference": " (reference {reference})",
    },
    "es": {
        ("payment_proof", "approved"): "¡Gracias! Hemos confirmado tu pago{what}.",
        ("payment_proof", "rejected"): "No pudimos confirmar el comprobante de pago que "
        "enviaste{what}. Revísalo y envíalo de nuevo, o escríbenos aquí y te ayudamos.",
        ("other", "approved"): "¡Gracias! Hemos revisado y aceptado el documento que "
        "enviaste{what}.",
        ("other", "rejected"): "No pudimos aceptar el documento que enviaste{what}. "
        "Revísalo y envíalo de nuevo, o escríbenos aquí y te ayudamos.",
        "amount": " de {amount}",
        "reference": " (referencia {reference})",
    },
}


def outcome_message(document: Document) -> str:
    language = (
        detect_language(document.customer_note, default="en") if document.customer_note else ""
    )
    language = language or str(document.fields.get("language") or "en")
    words = _WORDS.get(language, _WORDS["en"])
    what = ""
    amount = money(document.fields.get("amount"), document.fields.get("currency"), language)
    if amount and document.kind == "payment_proof":
        what += str(words["amount"]).format(amount=amount)
    reference = document.linked_reference or document.fields.get("reference")
    if reference:
        what += str(words["reference"]).format(reference=reference)
    template = words[(document.kind if document.kind in KINDS else "other", document.status)]
    return str(template).format(what=what)


KINDS = ("payment_proof", "other")


def money(amount: object, currency: object, language: str) -> str:
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return ""
    text = f"{value:,.2f}"
    if language == "es":  # 1.234,50
        text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    symbol = {"USD": "$", "$": "$", "EUR": "€", "GBP": "£"}.get(str(currency or ""), "")
    if symbol and language == "en":
        return f"{symbol}{text}"
    return f"{text} {currency}" if currency and currency != "$" else text
