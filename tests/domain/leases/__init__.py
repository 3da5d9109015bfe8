"""Tests of the shop-front lease rules (DOMAIN.md §4)."""
