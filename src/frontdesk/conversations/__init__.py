"""Conversations between customers and a business: sessions, messages, drafts, takeover."""
