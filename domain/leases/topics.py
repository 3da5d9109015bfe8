"""Old topics of the leasing aggregates, so events stored before they moved still load.

Until the capability skeleton (issue 7) the three aggregates lived in ``domain/leases/model.py``;
every event stored then names its class as ``domain.leases.model:Lease.Signed`` (and each
creation event its aggregate as ``domain.leases.model:Lease``). Books are kept 30 years
(DOMAIN.md §1), so those topics resolve to the classes' new homes for good. Value types are
stored under their ``@value_type`` names, which did not change. Imported with the domain
modules (``api/capabilities.py``) before the store opens.
"""

from __future__ import annotations

from eventsourcing.utils import register_topic

from domain.leases.lease import Lease
from domain.leases.shop_front import ShopFront
from domain.leases.tenant import Tenant

OLD_MODULE = "domain.leases.model"

#: Each aggregate moved out of ``domain.leases.model``, with the events it has ever stored.
MOVED_EVENTS: dict[type, tuple[str, ...]] = {
    ShopFront: ("Registered", "RightsChanged", "LeaseAttached", "LeaseEndedEarly", "RenewalDeclined"),
    Tenant: ("Registered", "InvoiceIssued", "ReceiptRecorded", "DepositApplied", "InvoicesCredited",
             "LateFeesCharged"),
    Lease: ("Signed", "MonthBilled", "Terminated", "Renewed", "RenewalDeclined", "DepositReceived",
            "DepositRefunded", "DepositApplied"),
}


def old_topics() -> dict[str, type]:
    """``domain.leases.model:<Aggregate>[.<Event>]`` → the class that now answers to it."""
    topics: dict[str, type] = {}
    for aggregate, events in MOVED_EVENTS.items():
        topics[f"{OLD_MODULE}:{aggregate.__name__}"] = aggregate
        for name in events:
            topics[f"{OLD_MODULE}:{aggregate.__name__}.{name}"] = getattr(aggregate, name)
    return topics


for _topic, _cls in old_topics().items():
    register_topic(_topic, _cls)
