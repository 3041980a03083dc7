"""Database connection settings that keep writes safe under concurrency."""
from __future__ import annotations

import weakref

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db

DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 5000
_configured_engines: weakref.WeakSet[Engine] = weakref.WeakSet()


def sqlite_busy_timeout_ms(app: Flask) -> int:
    """How long a SQLite write waits for another writer's lock before giving up."""
    return int(app.config.get("SQLITE_BUSY_TIMEOUT_MS", DEFAULT_SQLITE_BUSY_TIMEOUT_MS))


def sqlite_pragmas(busy_timeout_ms: int):
    """A connect listener: WAL so readers never block the writer, and a busy timeout
    so a write waits for the lock instead of failing at once with 'database is locked'."""
    def configure(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
    return configure


def init_app(app: Flask) -> None:
    """Attach SQLite pragmas to this app's engine, once (no-op on PostgreSQL)."""
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and engine not in _configured_engines:
            _configured_engines.add(engine)
            event.listen(engine, "connect", sqlite_pragmas(sqlite_busy_timeout_ms(app)))
