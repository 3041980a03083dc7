"""Budget exports: CSV totals equal the engine's; XLSX formulas reference the line rows."""
from __future__ import annotations

import csv
import io
import re
import subprocess
import zipfile
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest

from app.costing import CATEGORY_LABELS, STAGE_LABELS
from app.reports import budget_csv, budget_xlsx
from app.reports.exports import (
    CONTINGENCY_TEXT,
    CSV_COLUMNS,
    LINE_WIDTH_CAPS,
    PERCENT_FORMAT,
    QUANTITY_FORMAT,
    TO_REQUEST_TEXT,
)
from tests.reports import plans
from tests.reports.conftest import require_tool


def _rows(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")              # UTF-8 byte-order mark
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _pence(value) -> int:
    return int((Decimal(str(value)) * 100).to_integral_value())


def _lines(rows: list[dict]) -> list[dict]:
    """The line rows (numbered), without the contingency and budget-to-request rows."""
    return [row for row in rows if row["line"]]


@pytest.fixture(scope="module")
def all_csv_rows(full_plan, full_estimate) -> list[dict]:
    return _rows(budget_csv(full_plan, full_estimate))


@pytest.fixture(scope="module")
def csv_rows(all_csv_rows) -> list[dict]:
    return _lines(all_csv_rows)


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


def test_csv_ends_with_the_contingency_and_the_budget_to_request(all_csv_rows, full_estimate):
    closing = {row["category"]: row for row in all_csv_rows if not row["line"]}
    assert list(closing) == ["contingency", "budget_to_request"]
    assert all_csv_rows[-2:] == list(closing.values())
    assert _pence(closing["contingency"]["amount_gbp"]) == _pence(
        full_estimate["uncertainty"]["recommended_contingency_gbp"])
    assert _pence(closing["budget_to_request"]["amount_gbp"]) == _pence(
        full_estimate["budget_to_request_gbp"])
    assert "contingency" in closing["budget_to_request"]["description"]


def test_csv_worked_example():
    plan = plans.worked_example()
    from app.costing import estimate
    rows = _lines(_rows(budget_csv(plan, estimate(plan))))
    fees = next(r for r in rows if r["category"] == "fees")
    assert fees["amount_gbp"] == "2640.00"
    assert sum(_pence(r["amount_gbp"]) for r in rows) == 741900


def test_csv_guards_against_formula_injection(full_plan, full_estimate):
    hostile = {**full_estimate, "lines": [
        {**line, "description": "=HYPERLINK(\"http://evil\")", "justification": "@SUM(1)"}
        for line in full_estimate["lines"]]}
    rows = _lines(_rows(budget_csv(full_plan, hostile)))
    assert all(r["description"].startswith("'=") for r in rows)
    assert all(r["justification"].startswith("'@") for r in rows)


def test_none_plan_csv_has_no_lines_and_nothing_to_request(none_plan, none_estimate):
    rows = _rows(budget_csv(none_plan, none_estimate))
    assert _lines(rows) == []
    assert [(r["category"], r["amount_gbp"]) for r in rows] == [
        ("contingency", "0.00"), ("budget_to_request", "0.00")]


@pytest.fixture(scope="module")
def xlsx(full_plan, full_estimate) -> bytes:
    return budget_xlsx(full_plan, full_estimate)


@pytest.fixture(scope="module")
def workbook(xlsx):
    """The workbook's formulas."""
    return openpyxl.load_workbook(io.BytesIO(xlsx))


@pytest.fixture(scope="module")
def values(xlsx):
    """The workbook's values as a reader that does not recalculate sees them."""
    return openpyxl.load_workbook(io.BytesIO(xlsx), data_only=True)


def _sumif_rows(sheet):
    """(label, formula) pairs of the SUMIF blocks below the lines."""
    return [(sheet.cell(row, 8).value, sheet.cell(row, 9).value)
            for row in range(2, sheet.max_row + 1)
            if str(sheet.cell(row, 9).value or "").startswith("=SUMIF")]


def test_xlsx_has_lines_and_summary_sheets(values, full_estimate):
    assert values.sheetnames == ["Budget lines", "Bid summary", "By year"]
    sheet = values["Budget lines"]
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


def test_xlsx_sumif_blocks_evaluate_to_the_engine_totals(workbook, values, full_estimate):
    sheet = workbook["Budget lines"]
    last = len(full_estimate["lines"]) + 1
    lines = [(sheet.cell(r, 2).value, sheet.cell(r, 3).value,
              values["Budget lines"].cell(r, 9).value)
             for r in range(2, last + 1)]
    expected = {CATEGORY_LABELS[k]: v for k, v in full_estimate["by_category"].items()}
    expected.update({STAGE_LABELS[k]: v for k, v in full_estimate["by_stage"].items()})
    for label, formula in _sumif_rows(sheet):
        column = 0 if "$B$" in formula else 1
        total = sum(_pence(amount) for *keys, amount in lines if keys[column] == label)
        assert total == _pence(expected[label]), label


def test_xlsx_summary_and_rate_card(values, full_estimate):
    summary = {row[0]: row[1] for row in values["Bid summary"].iter_rows(values_only=True)}
    assert summary["Bid title"] == plans.TITLE
    assert summary["Rate card"] == full_estimate["rate_card"]["id"]
    assert _pence(summary["Co-production cost"]) == _pence(full_estimate["total_gbp"])


def test_xlsx_shows_formula_like_text_as_typed_and_keeps_it_text(full_plan, full_estimate):
    typed = {"title": "=cmd|' /C calc'!A0", "client": "@SUM(1+1)", "reference": "+44 20 7946"}
    plan = {**full_plan, "bid": {**full_plan["bid"], **typed}}
    hostile = {**full_estimate, "lines": [{**line, "description": "=HYPERLINK(\"http://evil\")"}
                                          for line in full_estimate["lines"]]}
    book = openpyxl.load_workbook(io.BytesIO(budget_xlsx(plan, hostile)))
    summary = {row[0].value: row[1] for row in book["Bid summary"].iter_rows()}
    lines = book["Budget lines"]
    cells = [summary["Bid title"], summary["Client or funder"], summary["Bid reference"],
             lines.cell(2, 5)]
    assert [cell.value for cell in cells] == [*typed.values(), "=HYPERLINK(\"http://evil\")"]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    assert not summary["Kind of work"].quotePrefix


def test_xlsx_is_repeatable(full_plan, full_estimate):
    assert budget_xlsx(full_plan, full_estimate) == budget_xlsx(full_plan, full_estimate)


def test_xlsx_of_a_none_plan_opens(none_plan, none_estimate):
    book = openpyxl.load_workbook(io.BytesIO(budget_xlsx(none_plan, none_estimate)))
    assert book["Budget lines"].cell(1, 1).value == "Line"


def _labelled(sheet) -> dict[str, object]:
    """Column H label -> column I value, for the blocks below the lines."""
    return {sheet.cell(row, 8).value: sheet.cell(row, 9).value
            for row in range(2, sheet.max_row + 1) if sheet.cell(row, 8).value}


def test_xlsx_totals_are_readable_without_recalculating(values, full_estimate):
    """openpyxl with data_only=True reads each formula's cached value: the engine's."""
    sheet = values["Budget lines"]
    blocks = _labelled(sheet)
    assert _pence(blocks["Total"]) == _pence(full_estimate["total_gbp"])
    assert _pence(blocks[CONTINGENCY_TEXT]) == _pence(
        full_estimate["uncertainty"]["recommended_contingency_gbp"])
    assert _pence(blocks[TO_REQUEST_TEXT]) == _pence(full_estimate["budget_to_request_gbp"])
    for key, amount in full_estimate["by_category"].items():
        assert _pence(blocks[CATEGORY_LABELS[key]]) == _pence(amount), key
    summary = {row[0]: row[1] for row in values["Bid summary"].iter_rows(values_only=True)}
    assert _pence(summary["Budget to request"]) == _pence(full_estimate["budget_to_request_gbp"])
    years = {row[0]: row[1] for row in values["By year"].iter_rows(min_row=2, values_only=True)}
    assert {str(k): _pence(v) for k, v in years.items() if k != "Total"} == {
        k: _pence(v) for k, v in full_estimate["by_year"].items()}
    assert _pence(years["Total"]) == _pence(full_estimate["total_gbp"])


def test_xlsx_formulas_have_no_blank_cached_values(xlsx):
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist()
                  if n.startswith("xl/worksheets/sheet")]
    cells = [cell for sheet in sheets for cell in re.findall(r"<c [^>]*>.*?</c>", sheet)
             if "<f>" in cell]
    assert len(cells) > 40
    assert all(re.search(r"<v>-?\d", cell) for cell in cells)


def test_xlsx_print_setup(workbook, full_plan):
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and int(setup.paperSize) == 9, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)   # 1 wide is the default
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.freeze_panes == "A2"
        assert "Transition <resources> && films" in sheet.oddHeader.left.text
        assert "&P" in sheet.oddFooter.right.text and "&N" in sheet.oddFooter.right.text
        assert full_plan["bid"]["reference"] in sheet.oddFooter.left.text


def test_xlsx_formats_widths_and_wrapping(workbook, values, full_estimate):
    sheet = workbook["Budget lines"]
    assert sheet.cell(2, 6).number_format == QUANTITY_FORMAT
    assert sheet.cell(2, 5).alignment.wrap_text and sheet.cell(2, 11).alignment.wrap_text
    for index, cap in enumerate(LINE_WIDTH_CAPS, start=1):
        width = sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width
        assert width <= cap + 3
    for column, key in (("C", "stage"), ("G", "unit")):   # text that does not wrap fits
        longest = max(len(str(sheet.cell(r, 3 if key == "stage" else 7).value))
                      for r in range(2, len(full_estimate["lines"]) + 2))
        assert sheet.column_dimensions[column].width >= longest, column
    summary = {row[0].value: row[1] for row in values["Bid summary"].iter_rows()}
    assert summary["Start date"].value == datetime(2027, 4, 1)
    assert summary["Start date"].is_date
    assert summary["Percent of bid value"].number_format == PERCENT_FORMAT
    assert summary["Percent of bid value"].value == pytest.approx(
        full_estimate["percent_of_bid"] / 100)


def _zero_cached_values(xlsx: bytes) -> bytes:
    """The workbook with every formula's cached value set to 0, so only a real
    recalculation can give the engine's figures back."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"(<f>[^<]*</f>)<v>[^<]*</v>", rb"\1<v>0</v>", data)
            target.writestr(info, data)
    return out.getvalue()


RECALCULATE_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def test_libreoffice_recalculates_every_formula_to_the_engines_figures(xlsx, values, tmp_path):
    soffice = require_tool("soffice", "libreoffice-calc-nogui",
                           "it recalculates the workbook as a spreadsheet program would")
    profile = tmp_path / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE_ON_LOAD)
    source = tmp_path / "in" / "budget.xlsx"
    source.parent.mkdir()
    source.write_bytes(_zero_cached_values(xlsx))
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path), str(source)],
        capture_output=True, timeout=180)
    assert result.returncode == 0, result.stderr
    recalculated = openpyxl.load_workbook(tmp_path / "budget.xlsx", data_only=True)
    formulas = openpyxl.load_workbook(io.BytesIO(xlsx))
    checked = 0
    for sheet in formulas.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    expected = values[sheet.title][cell.coordinate].value
                    got = recalculated[sheet.title][cell.coordinate].value
                    assert got == pytest.approx(expected, abs=0.004), (sheet.title, cell.value)
                    checked += 1
    assert checked > 40


def test_xlsx_of_a_version_carries_its_label_and_date(full_plan, full_estimate):
    content = budget_xlsx(full_plan, full_estimate, version=plans.APPROVED)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert "Version 3 (approved)" in book["Budget lines"].oddHeader.right.text
    assert book.properties.created.date() == plans.APPROVED.approved_at.date()
    assert content == budget_xlsx(full_plan, full_estimate, version=plans.APPROVED)


def test_a_one_year_plan_has_no_year_sheet(none_plan, none_estimate):
    book = openpyxl.load_workbook(io.BytesIO(budget_xlsx(none_plan, none_estimate)),
                                  data_only=True)
    assert book.sheetnames == ["Budget lines", "Bid summary"]
    blocks = _labelled(book["Budget lines"])
    assert blocks["Total"] == 0 and blocks[TO_REQUEST_TEXT] == 0


def test_an_estimate_stored_before_the_budget_to_request_still_exports(full_plan, full_estimate):
    old = {key: value for key, value in full_estimate.items() if key != "budget_to_request_gbp"}
    book = openpyxl.load_workbook(io.BytesIO(budget_xlsx(full_plan, old)), data_only=True)
    assert _pence(_labelled(book["Budget lines"])[TO_REQUEST_TEXT]) == _pence(
        full_estimate["budget_to_request_gbp"])
    rows = _rows(budget_csv(full_plan, old))
    assert _pence(rows[-1]["amount_gbp"]) == _pence(full_estimate["budget_to_request_gbp"])
