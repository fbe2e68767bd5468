"""Frontdesk: an open AI front desk for small businesses."""

__version__ = "0.1.0"
