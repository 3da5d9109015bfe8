"""Verify the chain and every sealed checkpoint: one function behind ``anju verify`` and ``GET /audit/verify``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from api.runtime import Runtime
from ledger.checkpoint import CheckpointCheck, CheckpointsReport, verify_with_checkpoints
from projections.history import what_the_index_saw

_NOTED = re.compile(r"^([0-9]{1,18}):([0-9a-fA-F]{64})$")


class InvalidNotedCheckpoint(ValueError):
    type_slug = "invalid-checkpoint"


def parse_noted(text: str) -> tuple[int, str]:
    """``POSITION:LINK`` as verify prints a checkpoint (for a note kept outside the store)."""
    match = _NOTED.match(text.strip())
    if not match:
        raise InvalidNotedCheckpoint("a noted checkpoint is POSITION:LINK (the link as 64 hex digits)")
    return int(match.group(1)), match.group(2).lower()


def verify_all(runtime: Runtime, expected: tuple[int, str] | None = None,
               progress: Callable[[int], None] | None = None) -> CheckpointsReport:
    """The keyed chain from every raw row, and every checkpoint, in one snapshot (no read model waited for)."""
    key = runtime.app.recorder.chain_key  # type: ignore[attr-defined]
    return verify_with_checkpoints(runtime.db, runtime.config.events_table, runtime.config.position_column, key,
                                   expected, progress, witness=what_the_index_saw)


def report_json(report: CheckpointsReport) -> dict[str, Any]:
    chain = report.chain

    def check(c: CheckpointCheck | None) -> dict[str, Any] | None:
        return asdict(c) if c is not None else None

    return {"ok": report.ok, "events_checked": chain.events_checked, "head_position": chain.head_position,
            "head_link": chain.head_link, "first_bad_position": chain.first_bad_position, "problem": chain.problem,
            "detail": chain.detail, "checkpoints_checked": report.checked,
            "first_broken_checkpoint": check(report.first_broken), "latest_checkpoint": check(report.latest),
            "expected_checkpoint": check(report.expected), "truncated": report.truncated}


def report_lines(report: CheckpointsReport) -> list[str]:
    """What ``anju verify`` prints: the chain, the first broken checkpoint, and the latest one to note down."""
    chain = report.chain
    lines = []
    if chain.ok:
        lines.append(f"chain ok: {chain.events_checked} events, head position {chain.head_position}, "
                     f"head link {chain.head_link}")
    else:
        lines.append(f"chain BROKEN at position {chain.first_bad_position}: {chain.problem} — {chain.detail}")
    if report.truncated:
        lines.append(f"log TRUNCATED: {report.truncated}")
    broken = report.first_broken
    if broken is not None:
        name = f"checkpoint {broken.number}" if broken.number is not None else "a checkpoint"
        lines.append(f"{name} BROKEN (sealed position {broken.head_position}, "
                     f"by {broken.sealed_by} at {broken.sealed_at}): {broken.problem}")
    elif report.checked:
        lines.append(f"checkpoints ok: {report.checked} checked")
    else:
        lines.append("no checkpoints sealed yet (POST /audit/checkpoints)")
    if report.latest is not None:
        latest = report.latest
        lines.append(f"latest checkpoint {latest.number}: {latest.head_position}:{latest.head_link} "
                     f"(sealed by {latest.sealed_by} at {latest.sealed_at}; note it outside the store and pass it"
                     f" as --checkpoint to catch a truncated tail)")
    if report.expected is not None:
        noted = report.expected
        state = "holds" if noted.holds else f"BROKEN: {noted.problem}"
        lines.append(f"noted checkpoint {noted.head_position}:{noted.head_link} {state}")
    return lines
