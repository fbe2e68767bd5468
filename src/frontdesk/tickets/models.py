"""Tables of this feature (filled in by its migration)."""
