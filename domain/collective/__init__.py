"""Collective-economy organisations: pure rules for resolutions, members, shares, distribution and projects (DOMAIN.md §3)."""
