"""Contacts: the people who write to a business, built up from what they tell the assistant."""
