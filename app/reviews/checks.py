"""Completeness checks run before a plan version may be submitted for review.

Each problem names what is missing and links to the page (and field) that
fixes it. The estimate is re-run on the version's inputs with the bid as it
stands now and the version's rate card, so a plan whose bid changed since it
was costed is caught too. Nothing here writes anything.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for

from app import costing, fieldpaths
from app.models import Bid, PlanVersion
from app.versions import engine

CHECKS = ("level", "justification", "activities", "estimate", "bid")
PLAN_SETTINGS = {"accessible_formats.easy_read_pages": "Easy read pages",
                 "existing_network": "Existing network", "contributors": "Distinct contributors"}
BID_FIELDS = {"client": "client", "value_gbp": "value_gbp", "start_date": "start_date",
              "duration_months": "duration_months", "title": "title", "scope": "scope",
              "work_type": "work_type"}


@dataclass(frozen=True)
class Problem:
    """One failed check: which check, what to do, and where to do it."""

    check: str
    message: str
    href: str


def completeness_problems(bid: Bid, version: PlanVersion) -> list[Problem]:
    """Every reason this version cannot go for review yet, in the order of the journey."""
    inputs = version.inputs or {}
    problems = _level_problems(bid, inputs) + _bid_problems(bid)
    problems += _engine_problems(bid, version, {problem.check for problem in problems},
                                 {problem.href for problem in problems})
    return sorted(problems, key=lambda problem: CHECKS.index(problem.check))


def _level_problems(bid: Bid, inputs: dict[str, Any]) -> list[Problem]:
    level = inputs.get("level")
    if not level:
        return [Problem("level", "Choose a level of co-production",
                        url_for("plans.level", bid_id=bid.id, _anchor="level"))]
    if level == "none" and not (inputs.get("justification") or "").strip():
        return [Problem("justification",
                        "Write why co-production is not proportionate: level “none” needs "
                        "a justification", _justification_href(bid))]
    return []


def _bid_problems(bid: Bid) -> list[Problem]:
    missing = [("client", not (bid.client or "").strip(), "Enter the bid's client or funder"),
               ("value_gbp", not bid.value_pence or bid.value_pence <= 0,
                "Enter the bid's value"),
               ("start_date", bid.start_date is None, "Enter the bid's start date"),
               ("deadline", bid.deadline is None, "Enter the bid's submission deadline")]
    return [Problem("bid", message, _bid_href(bid, field))
            for field, is_missing, message in missing if is_missing]


def _engine_problems(bid: Bid, version: PlanVersion, failed: set[str],
                     links: set[str]) -> list[Problem]:
    """Re-cost the version; every engine error becomes a problem of the check it belongs to."""
    if bid.start_date is None or bid.value_pence is None:
        return []  # the bid cannot be costed at all; its own check already says what to fill in
    card = version.rate_card or engine.default_rate_card()
    document = engine.plan_document(bid, version.inputs or {}, card)
    try:
        fresh = engine.cost(document, card)
    except costing.PlanError as error:
        problems = [_problem_for(bid, version.inputs or {}, item) for item in error.errors]
        return [problem for problem in problems
                if problem.check not in failed.intersection({"level", "justification"})
                and problem.href not in links]
    if not _same_costs(fresh, version.estimate):
        return [Problem("estimate", "The estimate is out of date: the bid changed after the "
                        "plan was costed. Open the plan and save it again",
                        _plan_href(bid, version.inputs or {}))]
    return []


def _same_costs(fresh: dict[str, Any], stored: dict[str, Any] | None) -> bool:
    return bool(stored) and fresh["total_gbp"] == stored.get("total_gbp") and \
        fresh["by_category"] == stored.get("by_category")


def _problem_for(bid: Bid, inputs: dict[str, Any], error: dict[str, Any]) -> Problem:
    field, message = error.get("field") or "", error["message"]
    if field == "level":
        return Problem("level", f"Level of co-production {message}",
                       url_for("plans.level", bid_id=bid.id, _anchor="level"))
    if field == "justification":
        return Problem("justification", f"Justification {message}", _justification_href(bid))
    if field == "activities":
        return Problem("activities", "Add at least one activity line, or choose the level "
                       "“none” with a reason", url_for("plans.activities", bid_id=bid.id))
    parts = fieldpaths.parse_path(field) or ()
    if len(parts) > 1 and parts[0] == "activities" and isinstance(parts[1], int):
        return _line_problem(bid, inputs, field, parts[1], parts[2:], message)
    if field.startswith("bid."):
        name = field[4:]
        return Problem("bid", f"The bid's {name.replace('_', ' ')} {message}",
                       _bid_href(bid, BID_FIELDS.get(name, "")))
    words = field.replace("_", " ").replace(".", " ").capitalize()
    anchor = fieldpaths.html_id(field) if field in PLAN_SETTINGS else ""
    return Problem("estimate", f"{PLAN_SETTINGS.get(field, words)} {message}".strip(),
                   _plan_href(bid, inputs, anchor))


def _line_problem(bid: Bid, inputs: dict[str, Any], field: str, index: int,
                  within: tuple, message: str) -> Problem:
    """'activities[2].needs.bsl' -> 'Line 3 (Co-trainer): BSL interpreters needed …'."""
    key = ".".join(str(part) for part in within)
    activities = inputs.get("activities") or []
    role = activities[index].get("role") if index < len(activities) and \
        isinstance(activities[index], dict) else None
    label = costing.vocabulary.ACTIVITY_FIELD_LABELS.get(key)
    anchor = fieldpaths.html_id(field) if label else f"line-{index}"
    role_label = costing.ROLE_LABELS.get(role, "unknown role")
    text = label or (str(within[-1]) if within else "line").replace("_", " ")
    return Problem("activities", f"Line {index + 1} ({role_label}): {text} {message}",
                   url_for("plans.activities", bid_id=bid.id, _anchor=anchor))


def _justification_href(bid: Bid) -> str:
    return url_for("plans.level", bid_id=bid.id, _anchor="justification")


def _bid_href(bid: Bid, field: str) -> str:
    return url_for("bids.edit", bid_id=bid.id, _anchor=field or None)


def _plan_href(bid: Bid, inputs: dict[str, Any], anchor: str = "") -> str:
    if inputs.get("level") in (None, "none"):
        return url_for("plans.level", bid_id=bid.id)
    return url_for("plans.activities", bid_id=bid.id, _anchor=anchor or None)
