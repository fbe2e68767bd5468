"""Real-time delivery: the event log, the event bus and the sockets."""
