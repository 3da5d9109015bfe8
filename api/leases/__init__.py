"""Shop-front leases over HTTP: ``schemas`` (wire types), ``routes``, and the ``demo`` and ``bench`` parts."""
