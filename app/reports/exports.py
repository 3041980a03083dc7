"""The budget as a spreadsheet: CSV (one row per line, then the contingency and
the budget to request) and XLSX ready to hand to finance.

The workbook is written with XlsxWriter because it stores each formula's
computed value next to the formula (``write_formula(..., value=)``): readers
that do not recalculate (previewers, mail clients, openpyxl's ``data_only``)
show the totals, and Excel or LibreOffice recalculating get the same figures.
openpyxl writes formulas without values.
"""
from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Mapping
from datetime import date, datetime

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from app.charts.labels import (
    category_label,
    level_label,
    role_label,
    scope_label,
    stage_label,
    work_type_label,
)
from app.costing.budget import budget_to_request_gbp
from app.costing.money import round_pence, to_decimal
from app.formatting import plain_money, plain_number
from app.reports.pdf.context import PlanContext, parse_date
from app.reports.text import clean, one_line, spreadsheet_cell, starts_formula
from app.reports.version import VersionInfo

CSV_COLUMNS = ("line", "category", "stage", "role", "description", "quantity", "unit",
               "unit_cost_gbp", "amount_gbp", "year", "justification")
MONEY_FORMAT = "£#,##0.00"
QUANTITY_FORMAT = "#,##0.00##########"   # every decimal a quantity has: 51.324 paid hours
PERCENT_FORMAT = "0.00%"
DATE_FORMAT = "d mmmm yyyy"
FIXED_TIME = datetime(2000, 1, 1)   # workbook metadata date when no date is given
A4 = 9                              # the paper size code for A4


def budget_csv(plan: Mapping, estimate: Mapping) -> bytes:
    """One row per budget line, then a contingency row and the budget to request
    (category ``contingency`` and ``budget_to_request``, no line number). UTF-8
    with a byte-order mark (so spreadsheet programs show £ correctly) and a header
    row. Amounts are plain numbers; text that a spreadsheet would run as a formula
    is prefixed with '."""
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
    for category, description, amount in _closing_rows(estimate):
        writer.writerow(["", category, "", "", description, "", "", "", plain_money(amount),
                         "", ""])
    return buffer.getvalue().encode("utf-8-sig")


CONTINGENCY_TEXT = "Recommended contingency (P80 minus the estimate)"
TO_REQUEST_TEXT = "Budget to request (total plus contingency)"


def _closing_rows(estimate: Mapping) -> list[tuple[str, str, object]]:
    """After the lines (no line number, so a sum of the lines leaves them out):
    the contingency and the budget to request, from the engine."""
    return [("contingency", CONTINGENCY_TEXT,
             estimate["uncertainty"]["recommended_contingency_gbp"]),
            ("budget_to_request", TO_REQUEST_TEXT, budget_to_request_gbp(estimate))]




LINE_HEADERS = ("Line", "Category", "Stage", "Role", "Description", "Quantity", "Unit",
                "Unit cost (GBP)", "Amount (GBP)", "Year", "Justification")
#: Widest a column grows to fit its content (characters); text past it wraps.
LINE_WIDTH_CAPS = (6, 30, 16, 26, 48, 10, 30, 15, 15, 6, 60)
WRAPPED_COLUMNS = frozenset({1, 3, 4, 10})
AMOUNT_COLUMN = "I"
CATEGORY_COLUMN = "B"
STAGE_COLUMN = "C"
YEAR_COLUMN = "J"
LINES_SHEET = "Budget lines"


class _Formats:
    """The workbook's cell formats, made once per workbook."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        top = {"valign": "top"}
        self.header = book.add_format({"bold": True, "font_color": "#FFFFFF",
                                       "bg_color": "#1F3A5F", "text_wrap": True,
                                       "valign": "vcenter"})
        self.text = book.add_format(top)
        self.wrap = book.add_format({**top, "text_wrap": True})
        self.integer = book.add_format({**top, "num_format": "0"})
        self.quantity = book.add_format({**top, "num_format": QUANTITY_FORMAT})
        self.money = book.add_format({**top, "num_format": MONEY_FORMAT})
        self.percent = book.add_format({**top, "num_format": PERCENT_FORMAT})
        self.date = book.add_format({**top, "num_format": DATE_FORMAT, "align": "left"})
        self.label = book.add_format({"bold": True, "align": "right"})
        self.right = book.add_format({"align": "right"})
        self.total = book.add_format({"bold": True, "num_format": MONEY_FORMAT})
        # text that would read as a formula if typed: shown as typed, kept as text
        # even when the cell is edited (Excel's and LibreOffice's quote prefix)
        self._quoted = {id(self.text): book.add_format({**top, "quote_prefix": True}),
                        id(self.wrap): book.add_format({**top, "text_wrap": True,
                                                        "quote_prefix": True})}

    def typed(self, text: object, cell_format):
        """User or engine text for a text cell, as typed, and the format that keeps it text."""
        value = clean(text)
        return value, self._quoted[id(cell_format)] if starts_formula(value) else cell_format


def _money(value: object) -> float:
    return float(round_pence(to_decimal(value or 0)))


def budget_xlsx(plan: Mapping, estimate: Mapping, document_date: date | None = None,
                version: VersionInfo | None = None) -> bytes:
    """A workbook ready to hand to finance: "Budget lines" (one row per line with
    its amount as a formula, SUMIF totals by category and stage, the total, the
    contingency and the budget to request), "Bid summary" (the bid, the level,
    the headline figures, the rate card) and, for a plan over more than one year,
    "By year". Every formula carries its computed value; each sheet prints on A4
    landscape, one page wide, the header row repeated, the bid and the page number
    in the header and footer. The metadata date is the version's (approval, else
    saving), else ``document_date``. Same input, same bytes."""
    context = PlanContext(plan, estimate, version, document_date)
    document_date = context.document_date
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    formats = _Formats(book)
    bid = plan.get("bid") or {}
    sheets = [book.add_worksheet(LINES_SHEET)]
    rows = _write_lines(sheets[0], estimate, formats)
    sheets.append(book.add_worksheet("Bid summary"))
    _write_summary(sheets[1], plan, estimate, formats, rows)
    if len(estimate.get("by_year") or {}) > 1:
        sheets.append(book.add_worksheet("By year"))
        _write_years(sheets[2], estimate, formats, rows["last"])
    for sheet in sheets:
        _print_setup(sheet, bid, context.header_label)
    moment = datetime.combine(document_date, datetime.min.time()) if document_date else FIXED_TIME
    book.set_properties({"title": one_line(bid.get("title"))[:250] or "Budget",
                         "subject": "Co-production budget", "author": "Co-production Planner",
                         "company": "", "created": moment})
    book.close()
    return buffer.getvalue()


def _header_text(text: str) -> str:
    """User text for a page header: one line, '&' doubled (it starts a code)."""
    return one_line(text).replace("&", "&&")


def _print_setup(sheet: Worksheet, bid: Mapping, version_label: str) -> None:
    """A4 landscape, one page wide, the header row on every page, the bid in the
    header and "Page N of M" in the footer."""
    sheet.set_paper(A4)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    title = one_line(bid.get("title")) or "Budget"
    title = title if len(title) <= 90 else title[:89] + "…"
    right = _header_text(version_label)
    sheet.set_header(f"&L{_header_text(title)}&R{right[:60]}")
    reference = one_line(bid.get("reference"))
    label = "Co-production budget" + (f" · {reference[:60]}" if reference else "")
    sheet.set_footer(f"&L{_header_text(label)}&C&A&RPage &P of &N")


def _write_lines(sheet: Worksheet, estimate: Mapping, formats: _Formats) -> dict[str, int]:
    """Header, one row per line, then SUMIF blocks, the total, the contingency and
    the budget to request; returns their row numbers (1-based, as in formulas)."""
    lines = estimate["lines"]
    last = len(lines) + 1
    widths = [len(max(header.split(), key=len)) for header in LINE_HEADERS]
    sheet.write_row(0, 0, LINE_HEADERS, formats.header)
    sheet.set_row(0, 2 * ROW_POINTS)   # "Unit cost (GBP)" wraps onto two lines
    for index, line in enumerate(lines, start=1):
        row = index + 1
        cells = [
            (index, formats.integer), (category_label(line.get("category")), formats.wrap),
            (stage_label(line.get("stage")), formats.text),
            formats.typed(role_label(line.get("role")), formats.wrap),
            formats.typed(one_line(line.get("description")), formats.wrap),
            (float(to_decimal(line.get("quantity", 0))), formats.quantity),
            formats.typed(line.get("unit"), formats.text),
            (_money(line.get("unit_cost_gbp")), formats.money), None,
            (int(line.get("year") or 1), formats.integer),
            formats.typed(one_line(line.get("justification")), formats.wrap)]
        for column, cell in enumerate(cells):
            if cell is None:   # the amount: quantity × unit cost, half-up to the penny
                sheet.write_formula(index, column, f"=ROUND(F{row}*H{row},2)", formats.money,
                                    _money(line.get("amount_gbp")))
                widths[column] = max(widths[column], len(f"£{_money(line.get('amount_gbp')):,.2f}"))
                continue
            value, cell_format = cell
            if isinstance(value, str):
                sheet.write_string(index, column, value, cell_format)
            else:
                sheet.write_number(index, column, value, cell_format)
            shown = f"£{value:,.2f}" if cell_format is formats.money else str(value)
            widths[column] = max(widths[column], len(shown))
    columns = [min(width, cap) + 2 for width, cap in zip(widths, LINE_WIDTH_CAPS, strict=True)]
    for column, width in enumerate(columns):
        sheet.set_column(column, column, width)
    for index, line in enumerate(lines, start=1):
        sheet.set_row(index, _row_height(line, columns))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(last - 1, 0), len(LINE_HEADERS) - 1)
    row = _sumif_block(sheet, last + 2, "Totals by category", CATEGORY_COLUMN, last,
                       [(category_label(k), v) for k, v in estimate["by_category"].items()],
                       formats)
    row = _sumif_block(sheet, row + 1, "Totals by stage", STAGE_COLUMN, last,
                       [(stage_label(k), v) for k, v in estimate["by_stage"].items()], formats)
    total, contingency, to_request = row + 1, row + 2, row + 3
    sheet.write_string(total - 1, 7, "Total", formats.label)
    _formula(sheet, total, f"=SUM({AMOUNT_COLUMN}2:{AMOUNT_COLUMN}{last})", last,
             estimate["total_gbp"], formats.total)
    sheet.write_string(contingency - 1, 7, CONTINGENCY_TEXT, formats.right)
    sheet.write_number(contingency - 1, 8,
                       _money(estimate["uncertainty"]["recommended_contingency_gbp"]),
                       formats.money)
    sheet.write_string(to_request - 1, 7, TO_REQUEST_TEXT, formats.label)
    sheet.write_formula(to_request - 1, 8, f"=I{total}+I{contingency}", formats.total,
                        _money(budget_to_request_gbp(estimate)))
    return {"last": last, "total": total, "contingency": contingency, "to_request": to_request}


ROW_POINTS = 15   # one line of 11 pt Calibri


def _row_height(line: Mapping, columns: list[int]) -> float:
    """Points for the wrapped columns' text (readers do not all grow rows to fit)."""
    texts = {1: category_label(line.get("category")), 3: role_label(line.get("role")),
             4: one_line(line.get("description")), 10: one_line(line.get("justification"))}
    lines = max(len(textwrap.wrap(text, max(columns[column] - 2, 1)) or [""])
                for column, text in texts.items())
    return ROW_POINTS * lines


def _formula(sheet: Worksheet, row: int, formula: str, last: int, value: object,
             cell_format) -> None:
    """A formula over the line rows with its value cached; 0 when there are no lines."""
    if last >= 2:
        sheet.write_formula(row - 1, 8, formula, cell_format, _money(value))
    else:
        sheet.write_number(row - 1, 8, 0, cell_format)


def _sumif_block(sheet: Worksheet, row: int, title: str, column: str, last: int,
                 totals: list[tuple[str, object]], formats: _Formats) -> int:
    """A titled block: each label with SUMIF over the line rows and the engine's
    figure as its cached value; returns the next row."""
    sheet.write_string(row - 1, 7, title, formats.label)
    for offset, (label, value) in enumerate(totals, start=1):
        sheet.write_string(row + offset - 1, 7, label, formats.right)  # overflows left
        _formula(sheet, row + offset,
                 f"=SUMIF(${column}$2:${column}${last},H{row + offset},"
                 f"${AMOUNT_COLUMN}$2:${AMOUNT_COLUMN}${last})", last, value, formats.money)
    return row + len(totals) + 1


def _write_summary(sheet: Worksheet, plan: Mapping, estimate: Mapping, formats: _Formats,
                   rows: Mapping[str, int]) -> None:
    """The bid, the level and the headline figures, one per row; dates as dates,
    the percentage as a percentage, the totals linked to the lines sheet."""
    bid, card = plan.get("bid") or {}, estimate.get("rate_card") or {}
    uncertainty, time = estimate["uncertainty"], estimate["time"]
    facts = [
        ("Bid title", clean(bid.get("title"))), ("Client or funder", bid.get("client")),
        ("Bid reference", bid.get("reference")), ("Start date", parse_date(bid.get("start_date"))),
        ("Duration (months)", bid.get("duration_months")),
        ("Scope", scope_label(bid.get("scope"))), ("Kind of work", work_type_label(bid.get("work_type"))),
        ("Client requires co-production", "Yes" if bid.get("client_requires_coproduction") else "No"),
        ("Level chosen", level_label(plan.get("level"))),
        ("Recommended level", level_label((estimate.get("recommendation") or {}).get("level"))),
        ("Justification", clean(plan.get("justification"))),
        ("Percent of bid value", float(estimate["percent_of_bid"]) / 100),
        ("Time overhead (weeks)", time["overhead_weeks"]),
        ("Rate card", card.get("id")), ("Rate card name", card.get("label")),
        ("Rate card effective from", parse_date(card.get("effective_from"))),
    ]
    sheet.write_row(0, 0, ("Item", "Value"), formats.header)
    row = 1
    for label, value in facts:
        sheet.write_string(row, 0, label, formats.text)
        if isinstance(value, date):
            sheet.write_datetime(row, 1, datetime.combine(value, datetime.min.time()),
                                 formats.date)
        elif label == "Percent of bid value":
            sheet.write_number(row, 1, value, formats.percent)
        elif isinstance(value, int | float):
            sheet.write_number(row, 1, value, formats.integer if isinstance(value, int)
                               else formats.quantity)
        else:
            sheet.write_string(row, 1, *formats.typed(value, formats.wrap))
        row += 1
    linked = [("Co-production cost", "total", estimate["total_gbp"]),
              ("Recommended contingency", "contingency",
               uncertainty["recommended_contingency_gbp"]),
              ("Budget to request", "to_request", budget_to_request_gbp(estimate))]
    sheet.write_string(row, 0, "Bid value", formats.text)
    sheet.write_number(row, 1, _money(bid.get("value_gbp")), formats.money)
    for label, key, value in linked:
        row += 1
        sheet.write_string(row, 0, label, formats.text)
        sheet.write_formula(row, 1, f"='{LINES_SHEET}'!I{rows[key]}", formats.money,
                            _money(value))
    for label in ("p10", "p50", "p80", "p90"):
        row += 1
        sheet.write_string(row, 0, label.upper(), formats.text)
        sheet.write_number(row, 1, _money(uncertainty[label]), formats.money)
    sheet.set_column(0, 0, 32)
    sheet.set_column(1, 1, 70)
    sheet.freeze_panes(1, 0)


def _write_years(sheet: Worksheet, estimate: Mapping, formats: _Formats, last: int) -> None:
    """One row per year of the plan: SUMIF over the lines' year, its share, the total."""
    years = sorted(estimate["by_year"].items(), key=lambda item: int(item[0]))
    total = float(estimate["total_gbp"])
    sheet.write_row(0, 0, ("Year", "Amount (GBP)", "Share of the total"), formats.header)
    for index, (year, amount) in enumerate(years, start=1):
        row = index + 1
        sheet.write_number(index, 0, int(year), formats.integer)
        sheet.write_formula(
            index, 1, f"=SUMIF('{LINES_SHEET}'!${YEAR_COLUMN}$2:${YEAR_COLUMN}${last},A{row},"
                      f"'{LINES_SHEET}'!${AMOUNT_COLUMN}$2:${AMOUNT_COLUMN}${last})",
            formats.money, _money(amount))
        sheet.write_formula(index, 2, f"=IF(B{len(years) + 2}=0,0,B{row}/B{len(years) + 2})",
                            formats.percent, float(amount) / total if total else 0)
    end = len(years) + 1
    sheet.write_string(end, 0, "Total", formats.label)
    sheet.write_formula(end, 1, f"=SUM(B2:B{end})", formats.total, _money(total))
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 2, 20)
    sheet.freeze_panes(1, 0)
