"""The domain: pure rules and aggregates of each capability (no I/O, dates passed in)."""
