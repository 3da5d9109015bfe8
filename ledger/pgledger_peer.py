"""A pgledger-like peer for ``anju bench`` on PostgreSQL: a double-entry ledger in one SQL function.

Modelled on pgledger (github.com/pgr0ss/pgledger, MIT): accounts with a balance and a
version, transfers, and two entries per transfer, written by a plpgsql ``create_transfer``
that locks both accounts ``FOR UPDATE`` in id order, moves the balances, and inserts the
transfer and its entries, one transaction per call. Written here from its design, not
copied: ids are bigserial (pgledger generates ULID text ids, which costs it a little more),
and there are no views or metadata columns. Each client calls it over its own connection,
as pgledger's own performance check does; the figure is transfers per second.
"""

from __future__ import annotations

import random
import threading
import time

PGLEDGER_DDL = """
CREATE TABLE peer_accounts (
    id bigserial PRIMARY KEY, name text NOT NULL, currency text NOT NULL,
    balance numeric NOT NULL DEFAULT 0, version bigint NOT NULL DEFAULT 0,
    allow_negative_balance boolean NOT NULL DEFAULT true, allow_positive_balance boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE peer_transfers (
    id bigserial PRIMARY KEY, from_account_id bigint NOT NULL REFERENCES peer_accounts (id),
    to_account_id bigint NOT NULL REFERENCES peer_accounts (id), amount numeric NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(), event_at timestamptz NOT NULL DEFAULT now(),
    CHECK (amount > 0 AND from_account_id <> to_account_id));
CREATE INDEX ON peer_transfers (from_account_id);
CREATE INDEX ON peer_transfers (to_account_id);
CREATE INDEX ON peer_transfers (event_at);
CREATE TABLE peer_entries (
    id bigserial PRIMARY KEY, account_id bigint NOT NULL REFERENCES peer_accounts (id),
    transfer_id bigint NOT NULL REFERENCES peer_transfers (id), amount numeric NOT NULL,
    account_previous_balance numeric NOT NULL, account_current_balance numeric NOT NULL,
    account_version bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX ON peer_entries (account_id);
CREATE INDEX ON peer_entries (transfer_id);
CREATE FUNCTION peer_create_transfer(from_id bigint, to_id bigint, amount numeric) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE src peer_accounts; dst peer_accounts; transfer bigint;
BEGIN
    IF amount <= 0 THEN RAISE EXCEPTION 'amount (%) must be positive', amount; END IF;
    IF from_id = to_id THEN RAISE EXCEPTION 'cannot transfer to the same account'; END IF;
    PERFORM id FROM peer_accounts WHERE id IN (from_id, to_id) ORDER BY id FOR UPDATE;
    UPDATE peer_accounts SET balance = balance - amount, version = version + 1, updated_at = now()
        WHERE id = from_id RETURNING * INTO src;
    IF NOT src.allow_negative_balance AND src.balance < 0 THEN RAISE EXCEPTION 'negative balance'; END IF;
    UPDATE peer_accounts SET balance = balance + amount, version = version + 1, updated_at = now()
        WHERE id = to_id RETURNING * INTO dst;
    IF NOT dst.allow_positive_balance AND dst.balance > 0 THEN RAISE EXCEPTION 'positive balance'; END IF;
    IF src.currency <> dst.currency THEN RAISE EXCEPTION 'currencies differ'; END IF;
    INSERT INTO peer_transfers (from_account_id, to_account_id, amount) VALUES (from_id, to_id, amount)
        RETURNING id INTO transfer;
    INSERT INTO peer_entries (account_id, transfer_id, amount, account_previous_balance, account_current_balance,
                              account_version)
        VALUES (from_id, transfer, -amount, src.balance + amount, src.balance, src.version),
               (to_id, transfer, amount, dst.balance - amount, dst.balance, dst.version);
    RETURN transfer;
END $$;
"""

ACCOUNTS = 100  # transfers pick two of these at random, so clients rarely wait on the same rows


def bench_pgledger(conninfo: str, schema: str, clients: int, seconds: float) -> float:
    """Transfers per second from ``clients`` connections, each calling the function in autocommit."""
    import psycopg

    options = f"-c search_path={schema}"
    with psycopg.connect(conninfo, autocommit=True, options=options) as conn:
        if conn.execute("SELECT to_regclass('peer_accounts')").fetchone()[0] is None:
            conn.execute(PGLEDGER_DDL)
            conn.execute("INSERT INTO peer_accounts (name, currency) SELECT 'a' || n, 'CNY' "
                         "FROM generate_series(1, %s) n", (ACCOUNTS,))
        ids = [row[0] for row in conn.execute("SELECT id FROM peer_accounts ORDER BY id")]
    counts = [0] * clients
    start = threading.Barrier(clients + 1)
    stop_at: list[float] = [float("inf")]  # set once every client is connected

    def client(index: int) -> None:
        rng = random.Random(index)
        with psycopg.connect(conninfo, autocommit=True, options=options) as conn:
            start.wait()
            while time.perf_counter() < stop_at[0]:
                a, b = rng.sample(ids, 2)
                conn.execute("SELECT peer_create_transfer(%s, %s, %s)", (a, b, rng.randint(1, 10_000)), prepare=True)
                counts[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - began)
