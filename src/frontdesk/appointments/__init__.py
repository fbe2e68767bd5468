"""Appointments: services, availability, the slot finder and bookings that never overlap."""
