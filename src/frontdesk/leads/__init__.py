"""Leads: every contact who leaves details, deduplicated, worked by staff, exported."""
