"""Assertions on HTTP answers shared by every capability's tests."""

from __future__ import annotations


def head(api) -> int:
    """The log head: a rejected request must leave it where it was."""
    return api.runtime.app.recorder.max_notification_id() or 0


def ok(response, status: int = 201) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def problem(response, status: int, slug: str) -> dict:
    """A problem+json answer naming the broken rule."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"].endswith("/" + slug), body
    return body
