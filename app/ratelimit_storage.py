"""Rate-limit counters in the app's own database, shared by every worker and machine.

Flask-Limiter counts in a `limits` storage. Its in-memory one counts per process,
so two gunicorn workers allowed twice the sign-in attempts; Redis or Memcached
would be another service to run. This storage keeps the counters in the
``rate_limits`` table of the database the app already uses (SQLite or
PostgreSQL), so the default setup counts in one shared place. The URI is the
database URL with ``database+`` in front (the factory builds it when
``RATELIMIT_STORAGE_URI`` is unset); ``memory://`` or ``redis://`` still work.

Each hit is one upsert that returns the new count, so concurrent hits from
several processes are never lost.
"""
from __future__ import annotations

import random
import time

from limits.storage import Storage
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

PREFIX = "database+"
TABLE = "rate_limits"
PRUNE_ONE_IN = 200  # hits; expired counters are deleted now and then, not on every hit

_INCREMENT = text(f"""
    INSERT INTO {TABLE} (key, count, expires_at) VALUES (:key, :amount, :expires_at)
    ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN {TABLE}.expires_at <= :now THEN :amount
                     ELSE {TABLE}.count + :amount END,
        expires_at = CASE WHEN {TABLE}.expires_at <= :now THEN :expires_at
                          ELSE {TABLE}.expires_at END
    RETURNING count""")


def storage_uri(database_uri: str) -> str:
    return PREFIX + database_uri


class DatabaseStorage(Storage):
    """A `limits` storage on a SQLAlchemy database URL (fixed-window counters)."""

    STORAGE_SCHEME = ["database+sqlite", "database+postgresql", "database+postgresql+psycopg"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        url = (uri or "").removeprefix(PREFIX)
        connect_args = {"timeout": 5} if url.startswith("sqlite") else {}
        self.engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"),
                                    connect_args=connect_args)

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self.engine.begin() as connection:
            count = connection.execute(_INCREMENT, {"key": key, "amount": amount, "now": now,
                                                    "expires_at": now + expiry}).scalar_one()
            if random.randrange(PRUNE_ONE_IN) == 0:
                connection.execute(text(f"DELETE FROM {TABLE} WHERE expires_at <= :now"),
                                   {"now": now})
        return int(count)

    def get(self, key: str) -> int:
        with self.engine.connect() as connection:
            count = connection.execute(
                text(f"SELECT count FROM {TABLE} WHERE key = :key AND expires_at > :now"),
                {"key": key, "now": time.time()}).scalar()
        return int(count or 0)

    def get_expiry(self, key: str) -> float:
        with self.engine.connect() as connection:
            expires = connection.execute(
                text(f"SELECT expires_at FROM {TABLE} WHERE key = :key"), {"key": key}).scalar()
        return float(expires) if expires and expires > time.time() else time.time()

    def check(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with self.engine.begin() as connection:
            return connection.execute(text(f"DELETE FROM {TABLE}")).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(text(f"DELETE FROM {TABLE} WHERE key = :key"), {"key": key})
