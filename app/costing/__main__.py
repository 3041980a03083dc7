"""Command line: ``python -m app.costing estimate|compare PLAN.json [--draws N] [--seed S]``
and ``python -m app.costing fit PLAN.json (--budget-gbp N | --budget-percent P)``
and ``python -m app.costing rate-card [ID]``.

Prints the result as JSON on stdout (exit 0). ``rate-card`` prints one of the
engine's cards (default ``uk-2026-12``) as the document ``RateCard.from_dict``
reads, its ``sources`` giving every value's label, unit, status (published,
derived or assumed), basis and checked date. Invalid input, an unreadable
file or a file that is not JSON prints ``{"errors": [{field, message, code}]}``
on stderr and exits 2, never with a traceback. With ``cli.py`` (the file reading
it shares with ``python -m app.reports``), the only part of the engine that
touches files.
"""
from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal, InvalidOperation
from typing import Any

from .checks import FieldErrors, read_number
from .cli import JsonErrorParser, errors_as_json, read_plan_file
from .compare import compare_levels
from .engine import estimate
from .errors import PlanError
from .fit import fit
from .inputs import DRAWS_MAX, DRAWS_MIN, SEED_MAX
from .ratecard import DEFAULT_CARD_ID, ENGINE_CARD_IDS, engine_card


def _parser() -> argparse.ArgumentParser:
    parser = JsonErrorParser(prog="python -m app.costing",
                     description="Cost a co-production plan (see docs/costing-model.md).")
    commands = parser.add_subparsers(dest="command", required=True,
                                     parser_class=JsonErrorParser)
    for name, text in (("estimate", "print the estimate of a plan"),
                       ("compare", "compare the four levels for the plan's bid")):
        command = commands.add_parser(name, help=text)
        command.add_argument("plan", metavar="PLAN.json", help="the plan document")
        command.add_argument("--draws", help=f"simulation draws ({DRAWS_MIN} to {DRAWS_MAX:,})")
        command.add_argument("--seed", help="random seed (a whole number, 0 or more)")
    fit = commands.add_parser("fit", help="trim the plan's people and sessions to a budget")
    fit.add_argument("plan", metavar="PLAN.json", help="the plan document")
    budget = fit.add_mutually_exclusive_group(required=True)
    budget.add_argument("--budget-gbp", metavar="N", help="the budget in pounds")
    budget.add_argument("--budget-percent", metavar="P", help="the budget as a percent of "
                        "the bid value")
    card = commands.add_parser("rate-card", help="print a rate card with every value's "
                               "status, basis and checked date")
    card.add_argument("card_id", metavar="ID", nargs="?", default=DEFAULT_CARD_ID,
                      help=f"the card ({', '.join(ENGINE_CARD_IDS)}; default {DEFAULT_CARD_ID})")
    return parser


def _budget(text: str | None) -> Any:
    """A --budget-* value as a number when it reads as one (else the text, reported later)."""
    if text is None:
        return None
    try:
        return Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        return text


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
    if args.command == "fit":
        return fit(read_plan_file(args.plan), budget_gbp=_budget(args.budget_gbp),
                   budget_percent=_budget(args.budget_percent))
    if args.command == "rate-card":
        return _rate_card(args.card_id)
    errors = FieldErrors()
    draws = _option(errors, args.draws, "--draws", DRAWS_MIN, DRAWS_MAX)
    seed = _option(errors, args.seed, "--seed", 0, SEED_MAX)
    errors.raise_if_any()
    plan = read_plan_file(args.plan)
    if args.command == "compare":
        if not isinstance(plan, dict):
            raise PlanError([{"field": "plan", "message": "must be an object (a plan document)",
                              "code": "wrong_type"}])
        return compare_levels(plan.get("bid"), plan, draws=draws, seed=seed)
    return estimate(_with_options(plan, draws, seed))


def _rate_card(card_id: str) -> dict[str, Any]:
    if card_id not in ENGINE_CARD_IDS:
        raise PlanError([{"field": "ID", "code": "unknown_value",
                          "message": f"'{card_id[:40]}' is not a rate card the engine holds; "
                                     f"use one of: {', '.join(ENGINE_CARD_IDS)}"}])
    return engine_card(card_id).to_dict()


def _with_options(plan: Any, draws: int | None, seed: int | None) -> Any:
    """The plan with --draws/--seed written into its options."""
    overrides = {k: v for k, v in (("draws", draws), ("seed", seed)) if v is not None}
    options = plan.get("options") if isinstance(plan, dict) else None
    if not overrides or not isinstance(options, (dict, type(None))):
        return plan  # nothing to change, or a bad plan the engine will report
    return {**plan, "options": {**(options or {}), **overrides}}


def main(argv: list[str] | None = None) -> int:
    """Entry point: print the result, or the errors, and return the exit status."""
    with errors_as_json():
        result = run(argv)
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
