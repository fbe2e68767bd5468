"""Watching the service in production: Prometheus metrics (metrics.py, served at /metrics by
routes.py) and log lines that carry the request and conversation they belong to
(logging.py)."""
