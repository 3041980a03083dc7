"""Everything wrong with a backup, found before anything is written.

``problems(tables)`` reads every row of every table the way the database and
the app will: each value's type for its column (64-bit whole numbers, text no
longer than the column, booleans, dates, base64 bytes), required columns,
unknown columns, duplicate keys, references to rows that are not in the backup,
and the values the app relies on (roles, statuses, outcomes, levels, scopes,
password hashes). Each problem names its table, row and field, so a damaged or
hostile backup is refused whole with a list to fix, never half-imported.
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from app.costing.vocabulary import LEVELS, SCOPES, WORK_TYPES
from app.extensions import db
from app.models import OUTCOMES, ROLES
from app.versions.statuses import STATUSES

MAX_INT = 2**63 - 1
PASSWORD_METHODS = ("scrypt:", "pbkdf2:")
# Columns whose text the app reads as one of a few words.
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("users", "role"): ROLES, ("bids", "status"): STATUSES, ("bids", "outcome"): OUTCOMES,
    ("bids", "scope"): SCOPES, ("bids", "work_type"): WORK_TYPES,
    ("plan_versions", "status"): STATUSES, ("plan_versions", "level"): LEVELS,
}
JSON_OBJECTS = {("plan_versions", "inputs"), ("plan_versions", "estimate"),
                ("rate_cards", "values")}


def _type_problem(column, value: Any) -> str | None:
    """Why this value cannot be stored in this column, or None."""
    kind = column.type
    if isinstance(kind, Boolean):
        return None if isinstance(value, bool) else "must be true or false"
    if isinstance(kind, (Integer, BigInteger)):
        if isinstance(value, bool) or not isinstance(value, int):
            return "must be a whole number"
        return None if -MAX_INT - 1 <= value <= MAX_INT else "is too large a number"
    if isinstance(kind, Float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) \
            and value == value and abs(value) != float("inf")
        return None if ok else "must be a number"
    if isinstance(kind, DateTime):
        return _parses(value, datetime.fromisoformat, "a date and time, like "
                       "2026-12-01T09:30:00+00:00")
    if isinstance(kind, Date):
        return _parses(value, date.fromisoformat, "a date, like 2026-12-01")
    if isinstance(kind, LargeBinary):
        if not isinstance(value, str):
            return "must be base64 text"
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return "must be base64 text"
        return None
    if isinstance(kind, (String, Text)):
        if not isinstance(value, str):
            return "must be text"
        if "\x00" in value:
            return "contains a NUL character"
        length = getattr(kind, "length", None)
        return None if length is None or len(value) <= length else \
            f"must be at most {length} characters (is {len(value)})"
    if isinstance(kind, JSON):
        return None
    return None


def _parses(value: Any, parse, what: str) -> str | None:
    if not isinstance(value, str):
        return f"must be {what}"
    try:
        parse(value)
    except ValueError:
        return f"must be {what}"
    return None


def _row_label(table: Table, index: int, row: dict) -> str:
    keys = [f"{column.name} {row.get(column.name)!r}" for column in table.primary_key.columns
            if isinstance(row, dict) and column.name in row]
    return f"table {table.name}, row {index + 1}" + (f" ({', '.join(keys)})" if keys else "")


def _value_problems(table: Table, row: dict) -> Iterator[tuple[str, str]]:
    known = {column.name for column in table.columns}
    for name in sorted(set(row) - known):
        yield name, "is not a column of this table"
    for column in table.columns:
        value = row.get(column.name)
        if value is None:
            required = not column.nullable and column.default is None \
                and column.server_default is None
            if required or column.primary_key:
                yield column.name, "is required"
            continue
        problem = _type_problem(column, value)
        if problem is None:
            problem = _domain_problem(table.name, column.name, value)
        if problem:
            yield column.name, problem


def _domain_problem(table: str, column: str, value: Any) -> str | None:
    choices = CHOICES.get((table, column))
    if choices is not None and value not in choices:
        return f"must be one of {', '.join(choices)}, not {str(value)[:40]!r}"
    if (table, column) in JSON_OBJECTS and not isinstance(value, dict):
        return "must be a JSON object"
    if (table, column) == ("users", "password_hash") and not (
            value.startswith(PASSWORD_METHODS) and value.count("$") == 2):
        return "is not a password hash this app makes (scrypt or pbkdf2)"
    return None


def _key(row: dict, columns) -> tuple | None:
    values = tuple(row.get(column.name) for column in columns)
    return None if any(value is None for value in values) else values


def problems(tables: dict[str, Any], limit: int = 500) -> list[str]:
    """Every problem in the backup's tables (at most ``limit``), each naming table, row
    and field; empty when the backup may be restored."""
    found: list[str] = []
    keys: dict[str, set] = {}
    metadata = list(db.metadata.sorted_tables)
    for table in metadata:
        rows = tables.get(table.name, [])
        if not isinstance(rows, list):
            found.append(f"table {table.name}: must be a list of rows")
            continue
        seen: set = set()
        uniques = [constraint for constraint in table.constraints
                   if constraint.__class__.__name__ == "UniqueConstraint"]
        unique_seen: dict[str, set] = {constraint.name or "": set() for constraint in uniques}
        for index, row in enumerate(rows):
            label = _row_label(table, index, row)
            if not isinstance(row, dict):
                found.append(f"{label}: must be an object of column values")
                continue
            found += [f"{label}, field {field}: {message}"
                      for field, message in _value_problems(table, row)]
            key = _key(row, table.primary_key.columns)
            if key is not None:
                if key in seen:
                    found.append(f"{label}: the same key as an earlier row")
                seen.add(key)
            for constraint in uniques:
                value = _key(row, constraint.columns)
                if value is not None:
                    if value in unique_seen[constraint.name or ""]:
                        names = ", ".join(column.name for column in constraint.columns)
                        found.append(f"{label}, field {names}: the same as an earlier row")
                    unique_seen[constraint.name or ""].add(value)
            for column in table.columns:
                if column.unique and row.get(column.name) is not None:
                    marker = ("unique", column.name, _hashable(row[column.name]))
                    if marker in seen:
                        found.append(f"{label}, field {column.name}: the same as an earlier row")
                    seen.add(marker)
        keys[table.name] = seen
    for table in metadata:
        rows = tables.get(table.name, [])
        if not isinstance(rows, list):
            continue
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                continue
            for foreign in table.foreign_keys:
                value = row.get(foreign.parent.name)
                target = foreign.column.table.name
                if value is not None and not isinstance(value, bool) \
                        and (_hashable(value),) not in keys.get(target, set()):
                    found.append(f"{_row_label(table, index, row)}, field {foreign.parent.name}: "
                                 f"refers to {target} {value!r}, which is not in the backup")
    return found[:limit] + ([f"… and {len(found) - limit} more"] if len(found) > limit else [])


def _hashable(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else repr(value)
