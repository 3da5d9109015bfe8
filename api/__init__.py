"""Entrypoints: the FastAPI app and the ``anju`` command. Thin: they call use cases and read models."""
