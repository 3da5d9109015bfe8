"""Reproduce the PostgreSQL pipeline hang (issue 13): one save of N events on a fresh schema.

Run: ``ANJU_CHAIN_KEY=... .venv/bin/python tests/writer/repro_pipeline_hang.py 30000``. With the
library's own recorder (pipelined lock, NOTIFY, INSERT) it hung in psycopg ``Pipeline.sync`` from
about 10k voucher-sized events; faulthandler prints the stacks after HANG_AFTER seconds.
"""
import os, sys, time, uuid, faulthandler
faulthandler.dump_traceback_later(int(os.environ.get("HANG_AFTER", "60")), exit=True)
import psycopg
from eventsourcing.domain import Aggregate, event
from ledger.store import StoreConfig, open_application
os.environ.setdefault("ANJU_CHAIN_KEY", "test-chain-key-0123456789abcdef0123456789abcdef")

class Probe(Aggregate):
    @event("Created")
    def __init__(self, payload: str) -> None:
        self.payload = payload
    @event("Moved")
    def move(self, payload: str) -> None:
        self.payload = payload

n = int(sys.argv[1]) if len(sys.argv) > 1 else 30000
schema = f"repro_{uuid.uuid4().hex[:8]}"
config = StoreConfig.from_url(f"postgresql://postgres@127.0.0.1:5432/test?schema={schema}")
app = open_application(config)
try:
    aggs = [Probe("x" * 600) for _ in range(n // 10)]
    for a in aggs:
        for _ in range(9):
            a.move("y" * 600)
    t = time.perf_counter()
    recs = app.save(*aggs)
    print(f"saved {len(recs)} events in {time.perf_counter()-t:.2f}s")
finally:
    app.close()
    with psycopg.connect(config.pg_conninfo, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
