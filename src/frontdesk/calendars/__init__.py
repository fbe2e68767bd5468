"""Calendars: ICS invites and feeds, and two-way sync (CalDAV, Google Calendar) behind one
protocol."""
