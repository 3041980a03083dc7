"""Command line: ``python -m app.costing estimate|compare PLAN.json [--draws N] [--seed S]``.

Prints the result as JSON on stdout (exit 0). Invalid input, an unreadable
file or a file that is not JSON prints ``{"errors": [{field, message, code}]}``
on stderr and exits 2, never with a traceback. This is the only module of the
engine that reads files.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, NoReturn

from .checks import FieldErrors, read_number
from .compare import compare_levels
from .engine import estimate
from .errors import PlanError
from .inputs import DRAWS_MAX, DRAWS_MIN, SEED_MAX

EXIT_INVALID = 2
EXIT_INTERNAL = 1


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage mistakes as JSON errors (exit 2)."""

    def error(self, message: str) -> NoReturn:
        """Report a usage mistake as ``{"errors": [...]}`` and exit 2."""
        _fail([{"field": "arguments", "message": message, "code": "usage"}])


def _fail(errors: list[dict[str, Any]], status: int = EXIT_INVALID) -> NoReturn:
    sys.stderr.write(json.dumps({"errors": errors}, indent=2) + "\n")
    raise SystemExit(status)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m app.costing",
                     description="Cost a co-production plan (see docs/costing-model.md).")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, text in (("estimate", "print the estimate of a plan"),
                       ("compare", "compare the four levels for the plan's bid")):
        command = commands.add_parser(name, help=text)
        command.add_argument("plan", metavar="PLAN.json", help="the plan document")
        command.add_argument("--draws", help=f"simulation draws ({DRAWS_MIN} to {DRAWS_MAX:,})")
        command.add_argument("--seed", help="random seed (a whole number, 0 or more)")
    return parser


def _read_plan(path: str) -> Any:
    """The JSON document in ``path``; exits 2 if unreadable or not JSON."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as problem:
        reason = problem.strerror if isinstance(problem, OSError) else "not UTF-8 text"
        _fail([{"field": "file", "message": f"cannot read {path}: {reason}",
                "code": "unreadable"}])
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as problem:
        _fail([{"field": "file", "message": f"{path} is not valid JSON: {problem}",
                "code": "not_json"}])


def _option(errors: FieldErrors, text: str | None, name: str, low: int, high: int) -> int | None:
    """A --draws/--seed value, checked against the same bounds as the plan's options."""
    if text is None:
        return None
    try:
        value: Any = int(text.strip())
    except ValueError:
        value = text
    return read_number(errors, {name: value}, name, "", low=low, high=high, whole=True)


def run(argv: list[str] | None = None) -> dict[str, Any]:
    """Parse ``argv``, run the command, return its JSON-able result (or exit 2)."""
    args = _parser().parse_args(argv)
    errors = FieldErrors()
    draws = _option(errors, args.draws, "--draws", DRAWS_MIN, DRAWS_MAX)
    seed = _option(errors, args.seed, "--seed", 0, SEED_MAX)
    errors.raise_if_any()
    plan = _read_plan(args.plan)
    if args.command == "compare":
        if not isinstance(plan, dict):
            raise PlanError([{"field": "plan", "message": "must be an object (a plan document)",
                              "code": "wrong_type"}])
        return compare_levels(plan.get("bid"), plan, draws=draws, seed=seed)
    return estimate(_with_options(plan, draws, seed))


def _with_options(plan: Any, draws: int | None, seed: int | None) -> Any:
    """The plan with --draws/--seed written into its options."""
    overrides = {k: v for k, v in (("draws", draws), ("seed", seed)) if v is not None}
    options = plan.get("options") if isinstance(plan, dict) else None
    if not overrides or not isinstance(options, (dict, type(None))):
        return plan  # nothing to change, or a bad plan the engine will report
    return {**plan, "options": {**(options or {}), **overrides}}


def main(argv: list[str] | None = None) -> int:
    """Entry point: print the result, or the errors, and return the exit status."""
    try:
        result = run(argv)
    except PlanError as problem:
        _fail(problem.errors)
    except SystemExit:
        raise
    except Exception as problem:  # never a traceback on the command line
        _fail([{"field": None, "message": f"internal error: {type(problem).__name__}: "
                f"{problem}", "code": "internal"}], EXIT_INTERNAL)
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
