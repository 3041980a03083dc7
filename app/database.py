"""Database connection settings that keep writes safe under concurrency."""
from __future__ import annotations

import weakref

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

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


# Page numbers and ids beyond these cannot name anything; larger integers overflow
# the database's 64-bit integers (OverflowError on SQLite, an error on PostgreSQL).
MAX_PAGE = 1_000_000
MAX_ID = 2**63 - 1


class BoundedIntConverter(IntegerConverter):
    """<int:...> in URLs: at most MAX_ID, so a larger number is "not found", not a 500."""

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = MAX_ID, signed: bool = False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def page_number(text: str | None) -> int | None:
    """A ?page= value as a number from 1 to MAX_PAGE; None if it is anything else."""
    text = (text or "1").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 7:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_PAGE else None


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its % and _ taken literally
    (use with ``escape="\\\\"``)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
