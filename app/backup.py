"""Backup and restore: every table to one JSON document and back, losslessly.

Rows are written table by table in dependency order, each value tagged by its
column type (dates, times, bytes), so `import` into an empty database gives
back exactly what `export` read. Restore is one transaction: all or nothing.
"""
from __future__ import annotations

import base64
import json
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import Date, DateTime, LargeBinary, Table, func, insert, select, text

from app.extensions import db

FORMAT = "coproduction-planner-backup"
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup file that cannot be restored; the message says why."""


def _tables() -> list[Table]:
    return list(db.metadata.sorted_tables)


def _dump_value(column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, LargeBinary):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _load_value(column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, LargeBinary):
        return base64.b64decode(value)
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def export_data() -> dict[str, Any]:
    """Every row of every table as a JSON-able document."""
    tables = {}
    for table in _tables():
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).mappings()
        tables[table.name] = [{column.name: _dump_value(column, row[column.name])
                               for column in table.columns} for row in rows]
    return {"format": FORMAT, "version": FORMAT_VERSION, "tables": tables}


def write_export(stream: IO[str]) -> dict[str, int]:
    document = export_data()
    json.dump(document, stream, ensure_ascii=False, indent=1, sort_keys=True)
    return {name: len(rows) for name, rows in document["tables"].items()}


def _check_document(document: Any) -> dict[str, list[dict]]:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"not a backup made by this tool (format must be {FORMAT!r})")
    if document.get("version") != FORMAT_VERSION:
        raise BackupError(f"backup version {document.get('version')!r} is not supported")
    tables = document.get("tables")
    known = {table.name for table in _tables()}
    if not isinstance(tables, dict) or set(tables) - known:
        if not isinstance(tables, dict):
            raise BackupError("tables: must be an object of table names and their rows")
        raise BackupError("tables: unknown or missing tables "
                          f"{sorted(set(tables or {}) - known)}")
    return tables


def import_data(document: Any) -> dict[str, int]:
    """Restore a backup into an empty database, in one transaction, after checking all of
    it: a backup with any problem is refused whole, with every problem listed."""
    from app.backup_checks import problems

    tables = _check_document(document)
    found = problems(tables)
    if found:
        raise BackupError(f"{len(found)} problem{'s' if len(found) != 1 else ''} "
                          "(nothing was written):\n" + "\n".join(f"  {line}" for line in found))
    for table in _tables():
        if db.session.scalar(select(func.count()).select_from(table)):
            raise BackupError(f"the database is not empty (table {table.name} has rows); "
                              "restore into a new database")
    counts = {}
    try:
        for table in _tables():
            rows = tables.get(table.name, [])
            if rows:
                db.session.execute(insert(table), [
                    {column.name: _load_value(column, row.get(column.name))
                     for column in table.columns} for row in rows])
            counts[table.name] = len(rows)
        _reset_sequences()
        db.session.commit()
    except (KeyError, TypeError, ValueError) as error:
        db.session.rollback()
        raise BackupError(f"a row could not be read: {error}") from error
    except Exception:
        db.session.rollback()
        raise
    return counts


def _reset_sequences() -> None:
    """After inserting explicit ids, PostgreSQL's sequences must continue after them."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in _tables():
        columns = [c for c in table.primary_key.columns if c.autoincrement is True
                   or (c.autoincrement == "auto" and c.type.python_type is int)]
        for column in columns:
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"))
