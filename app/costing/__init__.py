"""The costing engine: plan + rate card -> estimate. Pure Python + numpy.

No Flask, no database, no file I/O (only ``__main__`` reads files). Same
input, same output. The contract is ``docs/costing-model.md``.

Public API::

    estimate(plan, rate_card=None) -> dict          # the estimate document
    fit(plan, budget_gbp=None, budget_percent=None, card=None) -> dict  # trimmed to a budget
    compare_levels(bid, plan=None, rate_card=None, *, draws=None, seed=None) -> dict
    template_activities(level, work_type, bid=None) -> list[dict]
    starting_activities(level, bid, plan=None, rate_card=None) -> list[dict]  # sized plan
    new_line(role, bid) -> dict                     # a new line with the role's defaults
    line_totals(estimate) -> list[float]            # each activity line's cost, in pounds
    default_rate_card() -> dict                     # the uk-2026 card document
    RateCard.from_dict(document) / RateCard.to_dict()
    vocabulary_document() -> dict                   # every key with its label
    format_gbp(amount) -> "£12,345.67"
    PlanError                                       # .errors: [{field, message, code}]

Conventions: unknown keys in plans and rate cards are ignored everywhere;
missing optional fields take the role's, bid's or card's defaults; every
other problem is a PlanError listing all bad fields at once.
"""
from __future__ import annotations

from . import vocabulary
from .compare import compare_levels, starting_activities
from .costed import costed_inputs, line_totals, new_line
from .engine import estimate, resolve_rate_card
from .errors import PlanError
from .fit import fit
from .money import format_gbp
from .ratecard import DEFAULT_CARD_ID, RateCard, default_rate_card
from .ratecard_fields import default_sources
from .templates import template_activities
from .vocabulary import (
                         CATEGORIES,
                         CATEGORY_LABELS,
                         LEVEL_DESCRIPTIONS,
                         LEVEL_LABELS,
                         LEVELS,
                         MODE_LABELS,
                         MODES,
                         ROLE_LABELS,
                         ROLES,
                         SCOPE_LABELS,
                         SCOPES,
                         STAGE_LABELS,
                         STAGES,
                         TRAVEL,
                         TRAVEL_LABELS,
                         WORK_TYPE_LABELS,
                         WORK_TYPES,
                         vocabulary_document,
)

__all__ = [
    "CATEGORIES", "CATEGORY_LABELS", "DEFAULT_CARD_ID", "LEVELS", "LEVEL_DESCRIPTIONS",
    "LEVEL_LABELS", "MODES", "MODE_LABELS", "PlanError", "ROLES", "ROLE_LABELS", "RateCard",
    "SCOPES", "SCOPE_LABELS", "STAGES", "STAGE_LABELS", "TRAVEL", "TRAVEL_LABELS",
    "WORK_TYPES", "WORK_TYPE_LABELS", "compare_levels", "costed_inputs", "default_rate_card",
    "default_sources", "estimate", "fit", "format_gbp", "line_totals", "new_line", "resolve_rate_card",
    "starting_activities",
    "template_activities",
    "vocabulary", "vocabulary_document",
]
