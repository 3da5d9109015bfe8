"""The base of every capability's rule errors: a subclass names its problem slug in its header.

``class QuorumNotMet(CollectiveRuleBroken, slug="quorum-not-met")``: ``type_slug`` is the
error's stable ``type`` on the wire (``https://anju.example/problems/<slug>``). Rule errors
are ``ValueError``s (422 unless the API registers them as conflicts).
"""

from __future__ import annotations


class RuleBroken(ValueError):
    """A rule of DOMAIN.md is broken; ``type_slug`` names it for API problems."""

    type_slug = "rule-broken"

    def __init_subclass__(cls, slug: str, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.type_slug = slug
