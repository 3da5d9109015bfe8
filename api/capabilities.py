"""The registry of capabilities: one explicit list, the only shared file a new capability touches.

A capability is the same six places in every layer (README, "The capability skeleton"):
``domain/<cap>/`` (errors, one module per aggregate noun, application use cases),
``projections/<cap>.py`` (its read models and their query functions), and
``api/<cap>/`` (``schemas.py``, ``routes.py``, ``demo.py``, ``bench.py``). This module
names, for each, what the rest of the product needs from it:

* ``domain_modules``: the modules whose aggregates and value types the store must know
  (imported before the store opens, so the transcoder has every value type);
* ``read_models``: the classes of its read models (the projection runner and replay use them);
* ``router``: its FastAPI router;
* ``demo``: ``load(runtime, progress, community)``, run by ``anju demo`` for each demo community
  (``api.demo.COMMUNITIES``) after that community's book is opened;
* ``bench``: ``run(runtime, quick, progress) -> rows``, run by ``anju bench``.

Nothing is found by naming convention: a capability that is not listed here does not exist.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Capability:
    name: str
    domain_modules: tuple[str, ...]
    router: str  # "module:attribute" of its APIRouter
    read_models: tuple[str, ...] = ()  # "module:class" of each read model (built with no arguments)
    demo: str | None = None  # "module:function" (runtime, progress, community: api.demo.DemoCommunity) -> None
    bench: str | None = None  # "module:function" (runtime, quick, progress) -> list[dict]


#: Every capability, in the order their demos load and their routes are listed.
CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "books",
        domain_modules=("ledger.access", "ledger.book", "ledger.idempotency", "ledger.journal"),
        read_models=("projections.books:BooksProjection",),
        router="api.books.routes:router",
        bench=None,
    ),
    Capability(
        "audit",
        domain_modules=("ledger.checkpoint",),
        read_models=("projections.history:HistoryProjection",),
        router="api.audit.routes:router",
    ),
    Capability(
        "collective",
        domain_modules=("domain.collective.organisation", "domain.collective.membership",
                        "domain.collective.distribution", "domain.collective.project"),
        read_models=("projections.collective:CollectiveReadModel",),
        router="api.collective.routes:router",
        demo="api.collective.demo:load",
        bench="api.collective.bench:run",
    ),
    Capability(
        "leases",
        domain_modules=("domain.leases.shop_front", "domain.leases.tenant", "domain.leases.lease",
                        "domain.leases.topics"),
        read_models=("projections.leases:LeasesReadModel",),
        router="api.leases.routes:router",
        demo="api.leases.demo:load",
        bench="api.leases.bench:run",
    ),
    Capability(
        "subsidies",
        domain_modules=("domain.subsidies.register", "domain.subsidies.household", "domain.subsidies.policy",
                        "domain.subsidies.billing", "domain.subsidies.claim"),
        read_models=("projections.subsidies:SubsidiesReadModel",),
        router="api.subsidies.routes:router",
        demo="api.subsidies.demo:load",
        bench="api.subsidies.bench:run",
    ),
    Capability(
        "web",
        domain_modules=(),  # the page has no events and no read models of its own
        router="api.web.routes:router",
    ),
    Capability(
        "maintenance_fund",
        domain_modules=("domain.maintenance_fund.unit", "domain.maintenance_fund.fund",
                        "domain.maintenance_fund.works"),
        read_models=("projections.maintenance_fund:MaintenanceFundReadModel",),
        router="api.maintenance_fund.routes:router",
        demo="api.maintenance_fund.demo:load",
        bench="api.maintenance_fund.bench:run",
    ),
    Capability(
        "imports",  # 批量导入: files recorded through the other capabilities' schemas and use cases
        domain_modules=(),  # imports record through the capabilities' own events; the book keeps the import record
        router="api.imports.routes:router",
    ),
    Capability(
        "township",  # 乡镇汇总报表: reads the other capabilities' read models; no events of its own
        domain_modules=(),
        read_models=("projections.township:TownshipSummary",),
        router="api.township.routes:router",
    ),
)


def resolve(reference: str) -> Any:
    """``"package.module:attribute"`` → the attribute (imported on first use)."""
    module_name, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


@cache
def import_domain_modules() -> None:
    """Import every capability's domain modules, so their value types are registered."""
    for capability in CAPABILITIES:
        for module_name in capability.domain_modules:
            importlib.import_module(module_name)


def read_models() -> list:
    """The shared stream index first (handlers look streams up in it), then each capability's."""
    from projections.base import StreamIndex

    result: list = [StreamIndex()]
    for capability in CAPABILITIES:
        result.extend(resolve(read_model)() for read_model in capability.read_models)
    return result


def routers() -> list:
    return [resolve(capability.router) for capability in CAPABILITIES]


def demo_parts() -> list[Callable[..., None]]:
    return [resolve(capability.demo) for capability in CAPABILITIES if capability.demo]


def bench_parts() -> list[Callable[..., list[dict]]]:
    return [resolve(capability.bench) for capability in CAPABILITIES if capability.bench]
