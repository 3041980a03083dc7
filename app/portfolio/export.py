"""The portfolio table as CSV: UTF-8, a header row, plain numbers, no formulas."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from app.costing.vocabulary import LEVEL_LABELS, SCOPE_LABELS, WORK_TYPE_LABELS
from app.formatting import label, percent, plain_pounds, share_of_bid
from app.portfolio.periods import FinancialYear, bid_financial_year
from app.reports.text import spreadsheet_cell
from app.versions.statuses import status_label

COLUMNS = ("Bid ID", "Title", "Client or funder", "Reference", "Team", "Financial year",
           "Submission deadline", "Status", "Outcome", "Level", "Bid value (GBP)",
           "Co-production cost (GBP)", "Co-production share of bid value (%)",
           "Client requires co-production", "Kind of work", "Scope", "Disproportionate",
           "Below client requirement", "Version that counts", "Status of that version")


def _share(total_pence: int | None, value_pence: int) -> str:
    """The share of the bid's value, two decimals, no % sign: '2.20'."""
    share = share_of_bid(total_pence, value_pence)
    return "" if share is None else percent(share, places=2).rstrip("%")


def _yes_no(flag: bool | None) -> str:
    return "" if flag is None else ("yes" if flag else "no")


def csv_row(row: Any) -> list[str]:
    """One table row as CSV cells; text a user typed is guarded against formulas."""
    start_year = bid_financial_year(row.deadline, row.created_at)
    has_version = row.version_number is not None
    return [str(row.id), spreadsheet_cell(row.title), spreadsheet_cell(row.client),
            spreadsheet_cell(row.reference), spreadsheet_cell(row.team),
            FinancialYear(start_year).label if start_year is not None else "",
            row.deadline.isoformat() if row.deadline else "",
            status_label(row.status), label(row.outcome, missing=""),
            label(row.level, LEVEL_LABELS, missing=""),
            plain_pounds(row.value_pence), plain_pounds(row.total_pence),
            _share(row.total_pence, row.value_pence), _yes_no(row.client_requires_coproduction),
            label(row.work_type, WORK_TYPE_LABELS, missing=""),
            label(row.scope, SCOPE_LABELS, missing=""),
            _yes_no(row.flag_disproportionate if has_version else None),
            _yes_no(row.flag_below_requirement if has_version else None),
            str(row.version_number) if has_version else "", status_label(row.version_status)]


def portfolio_csv(rows: Iterable[Any]) -> str:
    """The CSV text for the given table rows (see app.portfolio.queries.table_select)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(csv_row(row) for row in rows)
    return buffer.getvalue()
