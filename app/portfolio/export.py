"""The portfolio table as CSV: UTF-8, a header row, plain numbers, no formulas."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from app.costing.vocabulary import LEVEL_LABELS, SCOPE_LABELS, WORK_TYPE_LABELS
from app.portfolio.periods import FinancialYear, bid_financial_year
from app.reports.text import spreadsheet_cell

COLUMNS = ("Bid ID", "Title", "Client or funder", "Reference", "Team", "Financial year",
           "Submission deadline", "Status", "Outcome", "Level", "Bid value (GBP)",
           "Co-production cost (GBP)", "Co-production share of bid value (%)",
           "Client requires co-production", "Kind of work", "Scope", "Disproportionate",
           "Below client requirement", "Version that counts", "Status of that version")


def _pounds(pence: int | None) -> str:
    """A plain number of pounds with two decimals, e.g. 120000.00 (no £, no commas)."""
    return "" if pence is None else f"{Decimal(pence) / 100:.2f}"


def _share(total: int | None, value: int) -> str:
    return "" if total is None or not value else f"{Decimal(total) * 100 / value:.2f}"


def _yes_no(flag: bool | None) -> str:
    return "" if flag is None else ("yes" if flag else "no")


def _label(key: str | None, labels: dict[str, str] | None = None) -> str:
    if not key:
        return ""
    return (labels or {}).get(key) or key.replace("_", " ").capitalize()


def csv_row(row: Any) -> list[str]:
    """One table row as CSV cells; text a user typed is guarded against formulas."""
    start_year = bid_financial_year(row.deadline, row.created_at)
    has_version = row.version_number is not None
    return [str(row.id), spreadsheet_cell(row.title), spreadsheet_cell(row.client),
            spreadsheet_cell(row.reference), spreadsheet_cell(row.team),
            FinancialYear(start_year).label if start_year is not None else "",
            row.deadline.isoformat() if row.deadline else "",
            _label(row.status), _label(row.outcome), _label(row.level, LEVEL_LABELS),
            _pounds(row.value_pence), _pounds(row.total_pence),
            _share(row.total_pence, row.value_pence), _yes_no(row.client_requires_coproduction),
            _label(row.work_type, WORK_TYPE_LABELS), _label(row.scope, SCOPE_LABELS),
            _yes_no(row.flag_disproportionate if has_version else None),
            _yes_no(row.flag_below_requirement if has_version else None),
            str(row.version_number) if has_version else "", _label(row.version_status)]


def portfolio_csv(rows: Iterable[Any]) -> str:
    """The CSV text for the given table rows (see app.portfolio.queries.table_select)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(csv_row(row) for row in rows)
    return buffer.getvalue()
