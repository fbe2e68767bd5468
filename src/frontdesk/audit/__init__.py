"""Who did what to which object, when, and from where."""
