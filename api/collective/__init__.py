"""Collective-economy organisations (集体经济组织) over HTTP: schemas, routes, demo and bench."""
