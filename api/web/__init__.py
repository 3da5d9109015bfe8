"""The web page (网页, issue 12): a static single page served by the app itself.

The page is plain HTML, CSS and native ES modules under ``static/`` (no build step, no asset
from outside the app). It signs in with a bearer token kept in the browser's sessionStorage
and calls the JSON API with ``Authorization: Bearer``, so the token's role and scope decide
what it shows exactly as the API does. ``docs.py`` serves the OpenAPI pages' assets from a
package, so ``/docs`` and ``/redoc`` render with no network.

The page has no events and no read models of its own.
"""
