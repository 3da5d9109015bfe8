"""Every module whose event or value types the store must know, and every read model.

The product is built of capabilities (``collective``, ``leases``, …). Each one may
provide, by convention:

* ``domain/<cap>/model.py``: aggregates and value types (imported here so the store
  can decode their events);
* ``projections/<cap>.py``: ``def projections() -> list`` of read models;
* ``api/routes/<cap>.py``: ``router`` (a FastAPI ``APIRouter``);
* ``api/demo_<cap>.py``: ``def load(runtime, progress) -> None``, run by ``anju demo``;
* ``api/bench_<cap>.py``: ``def run(runtime, quick, progress) -> list[dict]`` rows for ``anju bench``.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

import ledger.access  # noqa: F401
import ledger.book  # noqa: F401
import ledger.idempotency  # noqa: F401
import ledger.journal  # noqa: F401

CAPABILITIES = ("collective", "leases", "subsidies", "maintenance_fund")


def _optional(name: str) -> ModuleType | None:
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        return None
    return importlib.import_module(name) if spec is not None else None


def capability_modules(kind: str) -> list[ModuleType]:
    """``kind`` is a pattern such as ``domain.{cap}.model`` or ``api.routes.{cap}``."""
    found = []
    for cap in CAPABILITIES:
        module = _optional(kind.format(cap=cap))
        if module is not None:
            found.append(module)
    return found


DOMAIN_MODELS = capability_modules("domain.{cap}.model")


def read_model_projections() -> list:
    from projections.books import BooksProjection
    from projections.history import HistoryProjection

    result: list = [BooksProjection(), HistoryProjection()]
    for module in capability_modules("projections.{cap}"):
        result.extend(module.projections())
    return result
