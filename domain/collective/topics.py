"""The topics under which collective history was first stored, kept resolvable.

Events are stored under ``module:QualName`` topics. Until the capability
skeleton, every collective aggregate lived in ``domain.collective.model``; its
events (``domain.collective.model:Organisation.Registered`` …) are in the
store for good (books are kept 30 years, DOMAIN.md §1). Each aggregate module
calls ``keep_old_topics`` for its aggregate, so the old topics of the aggregate
and of every event class nested in it resolve to today's classes.
"""

from __future__ import annotations

from eventsourcing.domain import CanMutateAggregate
from eventsourcing.utils import register_topic

OLD_MODULE = "domain.collective.model"


def old_topics(aggregate_class: type) -> dict[str, type]:
    """The aggregate's and its nested event classes' topics in ``domain.collective.model``."""
    topics: dict[str, type] = {f"{OLD_MODULE}:{aggregate_class.__qualname__}": aggregate_class}
    for name, value in vars(aggregate_class).items():
        if isinstance(value, type) and issubclass(value, CanMutateAggregate):
            topics[f"{OLD_MODULE}:{aggregate_class.__qualname__}.{name}"] = value
    return topics


def keep_old_topics(aggregate_class: type) -> None:
    for topic, cls in old_topics(aggregate_class).items():
        register_topic(topic, cls)
