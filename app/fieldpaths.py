"""One language for field paths, from the engine to the forms.

The engine names a bad value by its path in the document it read, such as
``activities[2].needs.bsl`` or ``rates.travel_return.local``. Forms are built
with the same names, nested the same way (a WTForms ``FormField`` for an
object, a ``FieldList`` for a list), so a path leads to its field by walking
the form: no table translates one name into another.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from wtforms import Field, FieldList, FormField

_PART = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")

PathPart = str | int


def parse_path(path: str) -> tuple[PathPart, ...] | None:
    """``"activities[2].needs.bsl"`` -> ``("activities", 2, "needs", "bsl")``.

    Keys are strings, list positions ints; None for anything that is not a path
    (an empty string included).
    """
    parts: list[PathPart] = []
    position = 0
    while position < len(path):
        match = _PART.match(path, position)
        if match is None or (match[0].startswith(".") and not parts):
            return None
        parts.append(match[1] if match[1] is not None else int(match[2]))
        position = match.end()
    return tuple(parts) or None


def value_at(document: Any, path: str) -> Any:
    """The value at ``path`` in a JSON document, or None where there is none."""
    value = document
    for part in parse_path(path) or ():
        if isinstance(part, int):
            value = value[part] if isinstance(value, list) and part < len(value) else None
        else:
            value = value.get(part) if isinstance(value, Mapping) else None
    return value


def html_id(path: str, separator: str = "-") -> str | None:
    """The id WTForms gives the field at ``path`` (its parts joined by the separator):
    ``activities[2].needs.bsl`` -> ``activities-2-needs-bsl``."""
    parts = parse_path(path)
    return None if parts is None else separator.join(str(part) for part in parts)


def field_at(form: Any, path: str) -> Field | None:
    """The field of ``form`` at ``path``, or None when the form has no such field.

    A path that ends at a group (a nested form or a line) gives the group's first
    input, where a message about the whole group is shown.
    """
    parts = parse_path(path or "")
    if parts is None:
        return None
    node: Any = form
    for part in parts:
        node = _child(node, part)
        if node is None:
            return None
    return _first_input(node)


def _child(node: Any, part: PathPart) -> Any:
    if isinstance(node, FormField):
        node = node.form
    if isinstance(node, FieldList):
        return node.entries[part] if isinstance(part, int) and part < len(node.entries) \
            else None
    if isinstance(part, int) or not hasattr(node, "_fields"):
        return None
    return node._fields.get(part)


def _first_input(node: Any) -> Field | None:
    while isinstance(node, (FormField, FieldList)):
        entries = list(node.form) if isinstance(node, FormField) else node.entries
        if not entries:
            return None
        node = entries[0]
    return node


def _field_name(field: Field, error: Mapping[str, Any]) -> str:
    return field.label.text


def attach_engine_errors(form: Any, errors: Iterable[Mapping[str, Any]], *,
                         name: Callable[[Field, Mapping[str, Any]], str] = _field_name,
                         unplaced: Callable[[Mapping[str, Any]], str] | None = None) -> None:
    """Put each engine error (``{"field", "message"}``) at the field its path leads to,
    as "<the field's name> <message>", unless that field already shows an error;
    an error no field of the form is about goes to ``form.form_errors`` (worded by
    ``unplaced``, by default "<path> <message>")."""
    for error in errors:
        field = field_at(form, error.get("field") or "")
        if field is None:
            form.form_errors.append(unplaced(error) if unplaced is not None else
                                    f"{error.get('field') or ''} {error['message']}".strip())
        elif not field.errors:
            field.errors = [*field.errors, f"{name(field, error)} {error['message']}"]
