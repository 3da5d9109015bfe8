"""Every module whose event or value types the store must know, and every read model.

Importing this registers the domain's value types with the transcoder; each domain
capability adds its modules and read models here.
"""

from __future__ import annotations

import ledger.access  # noqa: F401
import ledger.book  # noqa: F401
import ledger.idempotency  # noqa: F401
import ledger.journal  # noqa: F401


def read_model_projections() -> list:
    from projections.books import BooksProjection
    from projections.history import HistoryProjection

    return [BooksProjection(), HistoryProjection()]
