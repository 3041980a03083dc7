"""Refuse text that no database column can hold, before any view sees it.

PostgreSQL text cannot contain NUL, and a lone surrogate (possible in JSON as
"\\ud800") cannot be encoded at all; JSON nested thousands deep exhausts the
parser. Each gets a 400 naming the field, instead of a 500 from deep inside.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Flask, request

from app.errors import render_error


def _unstorable(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _json_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) for every key and string in a JSON document."""
    if isinstance(value, str):
        yield path or "body", value
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, str(key)
            yield from _json_strings(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}[{index}]")


def _submitted_text() -> Iterator[tuple[str, str]]:
    """(field, text) for every name and value in the URL, query, form and JSON body."""
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str):
            yield name, value
    for source in (request.args, request.form):
        for name, value in source.items(multi=True):
            yield name, name
            yield name, value
    if request.is_json:
        yield from _json_strings(request.get_json(silent=True))


def check_request():
    """before_request: 400 for unstorable characters or JSON too deep to read."""
    try:
        for field, text in _submitted_text():
            if _unstorable(text):
                return render_error(400, f"“{field[:60]}” contains a character that cannot "
                                         "be stored (a NUL or a broken Unicode character). "
                                         "Remove it and try again.", field=field)
    except RecursionError:
        return render_error(400, "The JSON body is nested too deeply to read.", field="body")
    return None


def init_app(app: Flask) -> None:
    app.before_request(check_request)
