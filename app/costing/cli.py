"""What the engine's and the reports' command lines share: reading a plan file and
reporting every problem as ``{"errors": [...]}`` on stderr with exit status 2.

With ``__main__``, the only part of the engine that touches files.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from .errors import PlanError

EXIT_INVALID = 2
EXIT_INTERNAL = 1


def fail(errors: list[dict[str, Any]], status: int = EXIT_INVALID) -> NoReturn:
    """Print ``{"errors": [...]}`` on stderr and exit."""
    sys.stderr.write(json.dumps({"errors": errors}, indent=2) + "\n")
    raise SystemExit(status)


class JsonErrorParser(argparse.ArgumentParser):
    """argparse that reports usage mistakes as JSON errors (exit 2)."""

    def error(self, message: str) -> NoReturn:
        """Report a usage mistake as ``{"errors": [...]}`` and exit 2."""
        fail([{"field": "arguments", "message": message, "code": "usage"}])


def read_plan_file(path: str) -> Any:
    """The JSON document in ``path``; exits 2 if unreadable or not JSON."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as problem:
        reason = problem.strerror if isinstance(problem, OSError) else "not UTF-8 text"
        fail([{"field": "file", "message": f"cannot read {path}: {reason}",
               "code": "unreadable"}])
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as problem:
        fail([{"field": "file", "message": f"{path} is not valid JSON: {problem}",
               "code": "not_json"}])


@contextmanager
def errors_as_json() -> Iterator[None]:
    """Report the engine's field errors, and anything unexpected, as JSON on stderr
    with the exit status: never a traceback on the command line."""
    try:
        yield
    except PlanError as problem:
        fail(problem.errors)
    except SystemExit:
        raise
    except Exception as problem:
        fail([{"field": None, "message": f"internal error: {type(problem).__name__}: "
               f"{problem}", "code": "internal"}], EXIT_INTERNAL)
