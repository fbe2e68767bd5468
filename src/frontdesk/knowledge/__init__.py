"""Knowledge base: sources, ingestion, retrieval."""
