"""Read models that follow the global log with exactly-once tracking."""
