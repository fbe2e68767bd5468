"""Server-rendered pages: landing, sign-up, sign-in, the setup wizard and the dashboard."""
