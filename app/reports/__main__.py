"""Command line, for scripting and checks without a database::

    python -m app.reports plan-pdf PLAN.json -o OUT.pdf [--date YYYY-MM-DD]
    python -m app.reports plan-docx PLAN.json -o OUT.docx [--date YYYY-MM-DD]
    python -m app.reports budget-csv PLAN.json -o OUT.csv
    python -m app.reports budget-xlsx PLAN.json -o OUT.xlsx

PLAN.json is the costing contract's plan document; the engine costs it and
the report is written to OUT (or to standard output without ``-o``). Bad
input, an unreadable file or a file that is not JSON prints
``{"errors": [...]}`` on stderr and exits 2, never with a traceback.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date

from app.costing import estimate
from app.costing.cli import JsonErrorParser, errors_as_json, fail, read_plan_file
from app.reports.exports import budget_csv, budget_xlsx
from app.reports.pdf import render_plan_pdf
from app.reports.word import render_plan_docx

COMMANDS = {"plan-pdf": "the co-production plan as PDF",
            "plan-docx": "the co-production plan as a Word document",
            "budget-csv": "the budget lines as CSV",
            "budget-xlsx": "the budget as an Excel workbook"}


def _parser() -> argparse.ArgumentParser:
    parser = JsonErrorParser(prog="python -m app.reports",
                     description="Write a plan's PDF or budget (see docs/costing-model.md).")
    commands = parser.add_subparsers(dest="command", required=True,
                                     parser_class=JsonErrorParser)
    for name, text in COMMANDS.items():
        command = commands.add_parser(name, help=text)
        command.add_argument("plan", metavar="PLAN.json", help="the plan document")
        command.add_argument("-o", "--output", help="file to write (default: standard output)")
        command.add_argument("--date", help="date for the cover / workbook (YYYY-MM-DD)")
    return parser


def _date(text: str | None) -> date | None:
    """The --date option; exits 2 when it is not an ISO date."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail([{"field": "--date", "message": "must be a date like 2027-04-01",
                "code": "invalid_date"}])


def render(argv: list[str] | None = None) -> tuple[bytes, str | None]:
    """Parse ``argv``, cost the plan and render; returns (bytes, output path)."""
    args = _parser().parse_args(argv)
    day = _date(args.date)
    plan = read_plan_file(args.plan)
    result = estimate(plan)
    if args.command == "plan-pdf":
        return render_plan_pdf(plan, result, issued_on=day), args.output
    if args.command == "plan-docx":
        return render_plan_docx(plan, result, issued_on=day), args.output
    if args.command == "budget-csv":
        return budget_csv(plan, result), args.output
    return budget_xlsx(plan, result, document_date=day), args.output


def _write(content: bytes, path: str | None) -> None:
    """Write to ``path``, or to standard output; exits 2 if it cannot."""
    if path is None:
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    try:
        with open(path, "wb") as handle:
            handle.write(content)
    except OSError as problem:
        fail([{"field": "output", "message": f"cannot write {path}: {problem.strerror}",
                "code": "unwritable"}])


def main(argv: list[str] | None = None) -> int:
    """Entry point: write the report, or print the errors; returns the exit status."""
    with errors_as_json():
        content, path = render(argv)
        _write(content, path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
