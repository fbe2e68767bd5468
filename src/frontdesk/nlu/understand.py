"""Understanding one customer message: everything the policy and staff need to know about it.

One call runs language detection, the workspace's intent classifier, entity extraction
(name, email, phone, money, references), date/time resolution in the workspace's timezone,
sentiment and urgency cues. All of it is local and CPU-only; the result's :meth:`meta` is
stored on the message for staff (never shown to customers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from frontdesk.nlu.classifier import IntentClassifier
from frontdesk.nlu.datetimes import ResolvedDateTime, resolve_datetimes
from frontdesk.nlu.entities import Entity, entities_as_dict, extract_entities
from frontdesk.nlu.language import detect_language
from frontdesk.nlu.sentiment import Sentiment, analyze_sentiment, urgency_cues


@dataclass(frozen=True)
class Understanding:
    text: str
    language: str
    intent: str
    confidence: float
    ranking: list[tuple[str, float]]
    entities: list[Entity]
    datetimes: list[ResolvedDateTime]
    sentiment: Sentiment
    urgency: list[str] = field(default_factory=list)

    def first(self, entity_type: str) -> str:
        return next((e.value for e in self.entities if e.type == entity_type), "")

    def when_text(self) -> str:
        """The date/time the customer mentioned, as they wrote it ("next Tuesday at 3pm")."""
        if not self.datetimes:
            return ""
        start = min(d.start for d in self.datetimes)
        end = max(d.end for d in self.datetimes)
        return self.text[start:end].strip(" ,.")

    def meta(self) -> dict[str, Any]:
        entities = entities_as_dict(self.entities)
        if self.datetimes:
            entities["datetimes"] = [
                {"text": d.text, "value": d.value.isoformat(), "grain": d.grain}
                for d in self.datetimes
            ]
        return {
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "ranking": [[label, round(p, 4)] for label, p in self.ranking],
            "entities": entities,
            "sentiment": {"label": self.sentiment.label, "compound": self.sentiment.compound},
            "language": self.language,
            "urgency": self.urgency,
        }


def understand(
    text: str,
    classifier: IntentClassifier,
    *,
    region: str = "US",
    timezone: str = "UTC",
    now: datetime,
    default_language: str = "en",
    previous_customer_texts: Sequence[str] = (),
    language: str | None = None,
) -> Understanding:
    """``language``: if the caller already detected it (to pick the classifier), reuse it."""
    prediction = classifier.predict(text)
    sentiment = analyze_sentiment(text)
    return Understanding(
        text=text,
        language=language or detect_language(text, default=default_language),
        intent=prediction.label,
        confidence=float(prediction.confidence),
        ranking=[(label, float(p)) for label, p in prediction.ranking],
        entities=extract_entities(text, default_region=region),
        datetimes=resolve_datetimes(text, now=now, timezone=timezone),
        sentiment=sentiment,
        urgency=urgency_cues(text, previous_customer_texts, sentiment=sentiment),
    )
