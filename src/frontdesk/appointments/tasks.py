"""Background jobs of this feature."""
