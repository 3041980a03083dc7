"""Reports: the plan document (PDF) and the budget (CSV, XLSX), as bytes.

Views only send what these functions return::

    render_plan_pdf(plan, estimate, version=None, *, issued_on=None, cost_curve=None) -> bytes
    render_plan_docx(plan, estimate, version=None, *, issued_on=None, cost_curve=None) -> bytes
    budget_csv(plan, estimate) -> bytes
    budget_xlsx(plan, estimate, document_date=None, version=None) -> bytes
    plan_filename(reference, version, "pdf") / budget_filename(reference, version, "csv")

``plan`` is the costing contract's plan document and ``estimate`` the
engine's estimate of it (``app.costing.estimate``).
"""
from app.reports.exports import budget_csv, budget_xlsx
from app.reports.pdf import cost_curve_points, render_plan_pdf
from app.reports.text import budget_filename, markup, plan_filename
from app.reports.version import VersionInfo, is_draft
from app.reports.word import render_plan_docx

__all__ = ["VersionInfo", "budget_csv", "budget_filename", "budget_xlsx", "cost_curve_points",
           "is_draft", "markup", "plan_filename", "render_plan_docx", "render_plan_pdf"]
