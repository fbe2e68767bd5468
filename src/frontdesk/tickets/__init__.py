"""Support tickets: what a customer's problem turns into, triaged and followed to the end."""
