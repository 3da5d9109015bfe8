"""The HTTP floor for ``anju bench``: a no-op endpoint served exactly like the real API."""

from fastapi import FastAPI

app = FastAPI()


@app.post("/noop")
async def noop() -> dict:
    return {"ok": True}
