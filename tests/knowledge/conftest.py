"""Fixtures shared by the knowledge tests: ``serve`` runs a small site on loopback."""

from tests.knowledge.test_crawl import serve

__all__ = ["serve"]
