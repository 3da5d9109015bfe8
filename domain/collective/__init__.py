"""Collective-economy organisations: pure rules for members, resolutions, shares and distribution (DOMAIN.md §3)."""
