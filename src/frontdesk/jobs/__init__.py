"""Background jobs: an interface with an in-process default."""
