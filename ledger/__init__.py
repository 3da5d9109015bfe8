"""The accounting kernel: money, charts, journal, event store, hash chain.

Knows nothing of communities, leases or funds; ``domain`` builds on it.
"""
