"""Two versions side by side: what changed in the inputs, and the cost difference.

Lines are matched by position (line 1 with line 1). Cost differences come from
the two stored estimates, as exact Decimals; money is formatted only by
app.costing.format_gbp (the ``gbp`` filter in the template).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app import costing, fieldpaths
from app.costing.budget import line_rounding_change
from app.costing.money import format_number, to_decimal
from app.models import PlanVersion

LINE_LABELS = {path: label for path, label in costing.vocabulary.ACTIVITY_FIELD_LABELS.items()
               if path != "needs"}  # the needs are compared one by one
VOCABULARIES = {"role": costing.ROLE_LABELS, "stage": costing.STAGE_LABELS,
                "mode": costing.MODE_LABELS, "travel": costing.TRAVEL_LABELS,
                "level": costing.LEVEL_LABELS, "scope": costing.SCOPE_LABELS,
                "work_type": costing.WORK_TYPE_LABELS}
PLAN_SETTINGS = (("level", "Level of co-production"), ("justification", "Justification for none"),
                 ("existing_network", "Contributors come from an existing network"),
                 ("contributors", "Distinct contributors"),
                 ("accessible_formats.easy_read_pages", "Easy read pages"),
                 ("rate_card", "Rate card"))
BID_SETTINGS = (("bid.value_gbp", "Bid value"), ("bid.start_date", "Start date"),
                ("bid.duration_months", "Duration in months"), ("bid.scope", "Scope"),
                ("bid.work_type", "Kind of work"),
                ("bid.client_requires_coproduction", "Client requires co-production"))


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class LineChange:
    """One line position: added, removed, or changed field by field."""

    number: int
    kind: str
    role: str
    changes: list[FieldChange] = field(default_factory=list)
    summary: str = ""


@dataclass(frozen=True)
class CostRow:
    label: str
    before: Decimal
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    older: PlanVersion
    newer: PlanVersion
    settings: list[FieldChange]
    lines: list[LineChange]
    categories: list[CostRow]
    total: CostRow
    rounding: Decimal = Decimal(0)  # of the total's difference, from the line rounding rule

    @property
    def inputs_changed(self) -> bool:
        return bool(self.settings or self.lines)


def compare_versions(older: PlanVersion, newer: PlanVersion) -> Comparison:
    """Every input that differs between two versions and the costs of each."""
    before, after = older.inputs or {}, newer.inputs or {}
    settings = [change for path, label in (*PLAN_SETTINGS, *BID_SETTINGS)
                if (change := _change(label, path, before, after))]
    lines = line_changes(_costed_lines(older), _costed_lines(newer))
    old_costs, new_costs = older.estimate or {}, newer.estimate or {}
    categories = [CostRow(costing.CATEGORY_LABELS[key], _money(old_costs, "by_category", key),
                          _money(new_costs, "by_category", key))
                  for key in costing.CATEGORIES]
    total = CostRow("Total", _money(old_costs, "total_gbp"), _money(new_costs, "total_gbp"))
    rounding = Decimal(0)
    if "by_year" in new_costs:  # the newer one follows the line rule; the older may not
        rounding = line_rounding_change(old_costs)
    return Comparison(older, newer, settings, lines, categories, total, rounding)


def _costed_lines(version: PlanVersion) -> list[dict[str, Any]]:
    """The version's lines as the engine costed them (every default filled in)."""
    costed = (version.estimate or {}).get("inputs") or version.inputs or {}
    return costed.get("activities") or []


def line_changes(before: list[dict], after: list[dict]) -> list[LineChange]:
    """Lines matched by position: added at the end, removed from the end, or changed."""
    changes = []
    for index in range(max(len(before), len(after))):
        old = before[index] if index < len(before) else None
        new = after[index] if index < len(after) else None
        if old is None or new is None:
            line = new if old is None else old
            changes.append(LineChange(index + 1, "added" if old is None else "removed",
                                      _show("role", line.get("role")),
                                      summary=line_summary(line)))
            continue
        fields = [change for path, label in LINE_LABELS.items()
                  if (change := _change(label, path, old, new))]
        if fields:
            changes.append(LineChange(index + 1, "changed", _show("role", new.get("role")),
                                      fields))
    return changes


def line_summary(line: dict[str, Any]) -> str:
    """'6 people × 4 sessions of 3 hours, scoping': a line in one phrase."""
    people, sessions = line.get("people") or 0, line.get("sessions") or 0
    return (f"{format_number(people)} {'person' if people == 1 else 'people'} × "
            f"{format_number(sessions)} {'session' if sessions == 1 else 'sessions'} of "
            f"{format_number(line.get('hours_per_session') or 0)} hours, "
            f"{_show('stage', line.get('stage')).lower()}")


def _change(label: str, path: str, before: dict, after: dict) -> FieldChange | None:
    old, new = fieldpaths.value_at(before, path), fieldpaths.value_at(after, path)
    if old == new:
        return None
    key = str((fieldpaths.parse_path(path) or ("",))[-1])
    return FieldChange(label, _show(key, old), _show(key, new))


def _show(key: str, value: Any) -> str:
    """A stored value as words: labels for vocabulary keys, Yes/No, money, plain numbers."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key in VOCABULARIES:
        return VOCABULARIES[key].get(value, str(value))
    if key == "value_gbp":
        return costing.format_gbp(value)
    if isinstance(value, (int, float)):
        return format_number(value)
    return str(value)


def _money(estimate: dict, key: str, category: str | None = None) -> Decimal:
    value = estimate.get(key) or {}
    value = value.get(category, 0) if category is not None else value
    return to_decimal(value or 0)
