"""Database connection settings that keep writes safe under concurrency."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 5000


def _configure_sqlite(dbapi_connection, _record) -> None:
    """WAL so readers never block the writer; a busy timeout instead of instant 'locked'."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def init_app(app: Flask) -> None:
    """Attach SQLite pragmas to this app's engine (no-op on PostgreSQL)."""
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(engine, "connect",
                                                                   _configure_sqlite):
            event.listen(engine, "connect", _configure_sqlite)
