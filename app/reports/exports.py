"""The budget as a spreadsheet: CSV (one row per line) and XLSX (lines plus
SUMIF totals that reference them, and a bid summary sheet)."""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from app.charts.labels import (
    category_label,
    level_label,
    role_label,
    scope_label,
    stage_label,
    work_type_label,
)
from app.costing.money import round_pence, to_decimal
from app.reports.text import clean, one_line, spreadsheet_cell

CSV_COLUMNS = ("line", "category", "stage", "role", "description", "quantity", "unit",
               "unit_cost_gbp", "amount_gbp", "year", "justification")
MONEY_FORMAT = "£#,##0.00"
FIXED_TIME = datetime(2000, 1, 1)   # workbook timestamps when no date is given
HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
BOLD = Font(bold=True)
RIGHT = Alignment(horizontal="right")


def plain_money(amount: object) -> str:
    """'2640.00': pounds to the penny, no symbol or separators (for CSV)."""
    return f"{round_pence(to_decimal(amount)):.2f}"


def plain_number(value: object) -> str:
    """'96', '47.5': a quantity without trailing zeros or separators."""
    text = f"{to_decimal(value).normalize():f}" if value is not None else ""
    return text


def budget_csv(plan: Mapping, estimate: Mapping) -> bytes:
    """One row per budget line, UTF-8 with a byte-order mark (so spreadsheet
    programs show £ correctly) and a header row. Amounts are plain numbers;
    text that a spreadsheet would run as a formula is prefixed with '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for number, line in enumerate(estimate["lines"], start=1):
        writer.writerow([
            number, spreadsheet_cell(line.get("category")), spreadsheet_cell(line.get("stage")),
            spreadsheet_cell(line.get("role") or ""),
            spreadsheet_cell(one_line(line.get("description"))),
            plain_number(line.get("quantity")), spreadsheet_cell(line.get("unit")),
            plain_money(line.get("unit_cost_gbp", 0)), plain_money(line.get("amount_gbp", 0)),
            line.get("year", 1), spreadsheet_cell(one_line(line.get("justification"))),
        ])
    return buffer.getvalue().encode("utf-8-sig")


def budget_xlsx(plan: Mapping, estimate: Mapping, document_date: date | None = None) -> bytes:
    """A workbook: "Budget lines" (one row per line, SUMIF totals by category
    and stage, a grand total formula) and "Bid summary" (the bid, the level,
    the estimate's headline figures and the rate card). Same input, same bytes."""
    workbook = Workbook()
    lines_sheet = workbook.active
    lines_sheet.title = "Budget lines"
    _write_lines(lines_sheet, estimate)
    _write_summary(workbook.create_sheet("Bid summary"), plan, estimate)
    moment = datetime.combine(document_date, datetime.min.time()) if document_date else FIXED_TIME
    props = workbook.properties
    props.creator = props.lastModifiedBy = "Co-production Planner"
    props.title = one_line((plan.get("bid") or {}).get("title"))[:250] or "Budget"
    props.subject = "Co-production budget"
    props.created = props.modified = moment
    return _save(workbook)


LINE_HEADERS = ("Line", "Category", "Stage", "Role", "Description", "Quantity", "Unit",
                "Unit cost (GBP)", "Amount (GBP)", "Year", "Justification")
LINE_WIDTHS = (6, 34, 14, 30, 44, 10, 18, 15, 15, 6, 80)
AMOUNT_COLUMN = "I"
CATEGORY_COLUMN = "B"
STAGE_COLUMN = "C"


def _write_lines(sheet: Worksheet, estimate: Mapping) -> None:
    """Header, one row per line, then SUMIF blocks and the grand total."""
    sheet.append(LINE_HEADERS)
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for number, line in enumerate(estimate["lines"], start=1):
        sheet.append([
            number, category_label(line.get("category")), stage_label(line.get("stage")),
            spreadsheet_cell(role_label(line.get("role"))),
            spreadsheet_cell(one_line(line.get("description"))),
            float(to_decimal(line.get("quantity", 0))), spreadsheet_cell(line.get("unit")),
            float(round_pence(to_decimal(line.get("unit_cost_gbp", 0)))),
            float(round_pence(to_decimal(line.get("amount_gbp", 0)))),
            line.get("year", 1), spreadsheet_cell(one_line(line.get("justification")))])
    last = len(estimate["lines"]) + 1
    for row in sheet.iter_rows(min_row=2, max_row=last, min_col=8, max_col=9):
        for cell in row:
            cell.number_format = MONEY_FORMAT
    for index, width in enumerate(LINE_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:K{last}"
    row = _sumif_block(sheet, last + 2, "Totals by category", CATEGORY_COLUMN, last,
                       [category_label(key) for key in estimate["by_category"]])
    row = _sumif_block(sheet, row + 1, "Totals by stage", STAGE_COLUMN, last,
                       [stage_label(key) for key in estimate["by_stage"]])
    label = sheet.cell(row + 1, 8, "Total")
    label.font, label.alignment = BOLD, RIGHT
    total = sheet.cell(row + 1, 9, f"=SUM({AMOUNT_COLUMN}2:{AMOUNT_COLUMN}{last})"
                       if last >= 2 else 0)
    total.number_format, total.font = MONEY_FORMAT, BOLD


def _sumif_block(sheet: Worksheet, row: int, title: str, column: str, last: int,
                 labels: list[str]) -> int:
    """A titled block: each label with SUMIF over the line rows; returns the next row."""
    heading = sheet.cell(row, 8, title)
    heading.font, heading.alignment = BOLD, RIGHT
    for offset, label in enumerate(labels, start=1):
        sheet.cell(row + offset, 8, label).alignment = RIGHT  # overflows left, fully shown
        formula = (f"=SUMIF(${column}$2:${column}${last},H{row + offset},"
                   f"${AMOUNT_COLUMN}$2:${AMOUNT_COLUMN}${last})" if last >= 2 else 0)
        sheet.cell(row + offset, 9, formula).number_format = MONEY_FORMAT
    return row + len(labels) + 1


def _write_summary(sheet: Worksheet, plan: Mapping, estimate: Mapping) -> None:
    """The bid, the level and the headline figures, one per row."""
    bid, card = plan.get("bid") or {}, estimate.get("rate_card") or {}
    uncertainty, time = estimate["uncertainty"], estimate["time"]
    money = [
        ("Bid value", bid.get("value_gbp")),
        ("Co-production cost", estimate["total_gbp"]),
        ("Recommended contingency", uncertainty["recommended_contingency_gbp"]),
        ("P10", uncertainty["p10"]), ("P50", uncertainty["p50"]),
        ("P80", uncertainty["p80"]), ("P90", uncertainty["p90"]),
    ]
    facts = [
        ("Bid title", clean(bid.get("title"))), ("Client or funder", bid.get("client")),
        ("Bid reference", bid.get("reference")), ("Start date", bid.get("start_date")),
        ("Duration (months)", bid.get("duration_months")),
        ("Scope", scope_label(bid.get("scope"))), ("Kind of work", work_type_label(bid.get("work_type"))),
        ("Client requires co-production", "Yes" if bid.get("client_requires_coproduction") else "No"),
        ("Level chosen", level_label(plan.get("level"))),
        ("Recommended level", level_label((estimate.get("recommendation") or {}).get("level"))),
        ("Justification", clean(plan.get("justification"))),
        ("Percent of bid value", float(estimate["percent_of_bid"])),
        ("Time overhead (weeks)", time["overhead_weeks"]),
        ("Rate card", card.get("id")), ("Rate card name", card.get("label")),
        ("Rate card effective from", card.get("effective_from")),
    ]
    sheet.append(("Item", "Value"))
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for label, value in facts:
        sheet.append((label, spreadsheet_cell(value) if isinstance(value, str) or value is None
                      else value))
    for label, value in money:
        sheet.append((label, float(round_pence(to_decimal(value or 0)))))
        sheet.cell(sheet.max_row, 2).number_format = MONEY_FORMAT
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 70
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _save(workbook: Workbook) -> bytes:
    """Write the workbook with fixed ZIP timestamps, so the bytes are repeatable."""
    raw = io.BytesIO()
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(workbook, archive).save()   # not save_workbook: that stamps "now"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
