"""Understanding customer messages without a network: intents, entities, dates, sentiment."""
