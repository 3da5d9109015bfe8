"""The common base of the collective-economy rule errors (DOMAIN.md §3).

Each module defines its own errors next to the rule they name; they all subclass
``CollectiveRuleBroken`` so the API can map any of them to a problem response by
its ``type_slug``.
"""

from __future__ import annotations


class CollectiveRuleBroken(ValueError):
    """A rule of DOMAIN.md §3 is broken; ``type_slug`` names it for API problems."""

    type_slug = "collective-rule-broken"
