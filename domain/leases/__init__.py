"""Shop-front leases: pure rules for terms, billing, collection and the rights register (DOMAIN.md §4)."""
