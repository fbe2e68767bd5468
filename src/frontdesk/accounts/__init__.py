"""Users, passwords, sign-in sessions and rotating refresh tokens."""
