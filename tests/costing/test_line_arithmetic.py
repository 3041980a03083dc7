"""Numbers a funder can check: on every line of any plan (1 to 10 years), quantity × unit
cost rounded half-up to the penny is the amount, in the estimate, the CSV and the XLSX.

"round(quantity × unit_cost_gbp, 2)" is worked in exact decimals, half-up (Python's own
round() on floats rounds halves to even and sees binary fractions, so it is not the rule).
"""
from __future__ import annotations

import csv
import io
import math
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.costing import LEVELS, SCOPES, WORK_TYPES, estimate
from app.reports import budget_csv, budget_xlsx
from tests.costing.test_properties import activities

PENNY = Decimal("0.01")
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def exact(value) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def rounded(quantity, unit_cost) -> Decimal:
    return (exact(quantity) * exact(unit_cost)).quantize(PENNY, rounding=ROUND_HALF_UP)


@st.composite
def long_plans(draw):
    """A valid plan of 1 to 10 years whose lines start anywhere in it (so in any year)."""
    years = draw(st.integers(1, 10))
    months = draw(st.integers(max(1, 12 * years - 11), 12 * years))
    weeks = months * 52 // 12
    level = draw(st.sampled_from([level for level in LEVELS if level != "none"]))
    return {"bid": {"value_gbp": draw(st.integers(1_000, 10**8)), "duration_months": months,
                    "scope": draw(st.sampled_from(SCOPES)),
                    "work_type": draw(st.sampled_from(WORK_TYPES)),
                    "client_requires_coproduction": draw(st.booleans())},
            "rate_card": draw(st.sampled_from(["uk-2026", "uk-2026-12"])),
            "level": level, "existing_network": draw(st.booleans()),
            "activities": draw(st.lists(activities(weeks), min_size=1, max_size=6)),
            "accessible_formats": {"easy_read_pages": draw(st.integers(0, 40))},
            "options": {"draws": 100, "seed": draw(st.integers(0, 1000))}}


@SETTINGS
@given(long_plans())
def test_every_line_is_quantity_times_unit_cost_and_the_exports_agree(plan):
    result = estimate(plan)
    lines = result["lines"]
    for line in lines:
        assert rounded(line["quantity"], line["unit_cost_gbp"]) == exact(line["amount_gbp"])
    total = exact(result["total_gbp"])
    assert sum((exact(line["amount_gbp"]) for line in lines), Decimal(0)) == total
    assert sum((exact(v) for v in result["by_year"].values()), Decimal(0)) == total
    assert exact(result["budget_to_request_gbp"]) == total + exact(
        result["uncertainty"]["recommended_contingency_gbp"])

    rows = [row for row in csv.DictReader(io.StringIO(
        budget_csv(plan, result).decode("utf-8-sig"))) if row["line"]]
    assert len(rows) == len(lines)
    for row, line in zip(rows, lines, strict=True):
        assert exact(row["quantity"]) == exact(line["quantity"])
        assert exact(row["unit_cost_gbp"]) == exact(line["unit_cost_gbp"])
        assert exact(row["amount_gbp"]) == exact(line["amount_gbp"])
        assert rounded(row["quantity"], row["unit_cost_gbp"]) == exact(row["amount_gbp"])

    sheet = openpyxl.load_workbook(io.BytesIO(budget_xlsx(plan, result)), data_only=True)[
        "Budget lines"]
    for number, line in enumerate(lines, start=2):
        quantity, unit_cost, amount = (sheet.cell(number, column).value for column in (6, 8, 9))
        # a spreadsheet number holds 15 significant digits (hours typed with more lose them)
        assert math.isclose(quantity, line["quantity"], rel_tol=1e-14)
        assert exact(unit_cost) == exact(line["unit_cost_gbp"])
        assert exact(amount) == exact(line["amount_gbp"])  # the =ROUND(F*H,2) cell's value
        assert rounded(quantity, unit_cost) == exact(amount)
