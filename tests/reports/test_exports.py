"""Budget exports: CSV totals equal the engine's; XLSX formulas reference the line rows."""
from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest

from app.costing import CATEGORY_LABELS, STAGE_LABELS
from app.reports import budget_csv, budget_xlsx
from app.reports.exports import CSV_COLUMNS
from tests.reports import plans


def _rows(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")              # UTF-8 byte-order mark
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _pence(value) -> int:
    return int((Decimal(str(value)) * 100).to_integral_value())


@pytest.fixture(scope="module")
def csv_rows(full_plan, full_estimate) -> list[dict]:
    return _rows(budget_csv(full_plan, full_estimate))


def test_csv_header_and_one_row_per_line(csv_rows, full_estimate):
    assert tuple(csv_rows[0].keys()) == CSV_COLUMNS
    assert len(csv_rows) == len(full_estimate["lines"]) == 30


def test_csv_amounts_are_plain_numbers(csv_rows):
    for row in csv_rows:
        assert re.fullmatch(r"\d+\.\d\d", row["amount_gbp"]), row["amount_gbp"]
        assert re.fullmatch(r"\d+\.\d\d", row["unit_cost_gbp"])


def test_csv_total_equals_the_engine_to_the_penny(csv_rows, full_estimate):
    assert sum(_pence(r["amount_gbp"]) for r in csv_rows) == _pence(full_estimate["total_gbp"])
    for category, amount in full_estimate["by_category"].items():
        in_category = sum(_pence(r["amount_gbp"]) for r in csv_rows if r["category"] == category)
        assert in_category == _pence(amount), category


def test_csv_worked_example():
    plan = plans.worked_example()
    from app.costing import estimate
    rows = _rows(budget_csv(plan, estimate(plan)))
    fees = next(r for r in rows if r["category"] == "fees")
    assert fees["amount_gbp"] == "2640.00"
    assert sum(_pence(r["amount_gbp"]) for r in rows) == 741900


def test_csv_guards_against_formula_injection(full_plan, full_estimate):
    hostile = {**full_estimate, "lines": [
        {**line, "description": "=HYPERLINK(\"http://evil\")", "justification": "@SUM(1)"}
        for line in full_estimate["lines"]]}
    rows = _rows(budget_csv(full_plan, hostile))
    assert all(r["description"].startswith("'=") for r in rows)
    assert all(r["justification"].startswith("'@") for r in rows)


def test_none_plan_csv_has_only_a_header(none_plan, none_estimate):
    assert _rows(budget_csv(none_plan, none_estimate)) == []


@pytest.fixture(scope="module")
def workbook(full_plan, full_estimate):
    return openpyxl.load_workbook(io.BytesIO(budget_xlsx(full_plan, full_estimate)))


def _sumif_rows(sheet):
    """(label, formula) pairs of the SUMIF blocks below the lines."""
    return [(sheet.cell(row, 8).value, sheet.cell(row, 9).value)
            for row in range(2, sheet.max_row + 1)
            if str(sheet.cell(row, 9).value or "").startswith("=SUMIF")]


def test_xlsx_has_lines_and_summary_sheets(workbook, full_estimate):
    assert workbook.sheetnames == ["Budget lines", "Bid summary"]
    sheet = workbook["Budget lines"]
    assert sheet.freeze_panes == "A2"
    assert sheet.cell(1, 9).value == "Amount (GBP)"
    amounts = [sheet.cell(row, 9).value for row in range(2, 32)]
    assert [_pence(a) for a in amounts] == [_pence(line["amount_gbp"]) for line in full_estimate["lines"]]
    assert sheet.cell(2, 9).number_format == "£#,##0.00"


def test_xlsx_formulas_reference_the_line_rows(workbook, full_estimate):
    sheet = workbook["Budget lines"]
    last = len(full_estimate["lines"]) + 1
    blocks = _sumif_rows(sheet)
    assert len(blocks) == len(CATEGORY_LABELS) + len(STAGE_LABELS)
    for label, formula in blocks:
        match = re.fullmatch(r"=SUMIF\(\$([BC])\$2:\$\1\$(\d+),H(\d+),\$I\$2:\$I\$(\d+)\)", formula)
        assert match, formula
        assert int(match.group(2)) == last and int(match.group(4)) == last
        assert sheet.cell(int(match.group(3)), 8).value == label
    totals = [row for row in range(2, sheet.max_row + 1)
              if sheet.cell(row, 9).value == f"=SUM(I2:I{last})"]
    assert len(totals) == 1


def test_xlsx_sumif_blocks_evaluate_to_the_engine_totals(workbook, full_estimate):
    sheet = workbook["Budget lines"]
    last = len(full_estimate["lines"]) + 1
    lines = [(sheet.cell(r, 2).value, sheet.cell(r, 3).value, sheet.cell(r, 9).value)
             for r in range(2, last + 1)]
    expected = {CATEGORY_LABELS[k]: v for k, v in full_estimate["by_category"].items()}
    expected.update({STAGE_LABELS[k]: v for k, v in full_estimate["by_stage"].items()})
    for label, formula in _sumif_rows(sheet):
        column = 0 if "$B$" in formula else 1
        total = sum(_pence(amount) for *keys, amount in lines if keys[column] == label)
        assert total == _pence(expected[label]), label


def test_xlsx_summary_and_rate_card(workbook, full_estimate):
    summary = {row[0]: row[1] for row in workbook["Bid summary"].iter_rows(values_only=True)}
    assert summary["Bid title"] == plans.TITLE
    assert summary["Rate card"] == full_estimate["rate_card"]["id"]
    assert _pence(summary["Co-production cost"]) == _pence(full_estimate["total_gbp"])


def test_xlsx_is_repeatable(full_plan, full_estimate):
    assert budget_xlsx(full_plan, full_estimate) == budget_xlsx(full_plan, full_estimate)


def test_xlsx_of_a_none_plan_opens(none_plan, none_estimate):
    book = openpyxl.load_workbook(io.BytesIO(budget_xlsx(none_plan, none_estimate)))
    assert book["Budget lines"].cell(1, 1).value == "Line"
