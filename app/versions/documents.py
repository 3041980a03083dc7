"""The plan document and budget files of a stored version, as (bytes, name, type).

An approved or submitted version is served from the PDF stored at approval,
byte for byte, so its SHA-256 always matches the approval record.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass

from app import reports
from app.cache import remembered
from app.models import Bid, PlanVersion
from app.rendering import render

PDF = "application/pdf"
CSV = "text/csv"  # Werkzeug adds "; charset=utf-8" itself
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Download:
    content: bytes
    filename: str
    mimetype: str


def version_info(version: PlanVersion) -> reports.VersionInfo:
    return reports.VersionInfo(
        number=version.number, status=version.status,
        created_by=version.created_by.display_name if version.created_by else None,
        created_at=version.created_at,
        approved_by=version.approved_by.display_name if version.approved_by else None,
        approved_at=version.approved_at, comments_count=len(version.comments))


def render_pdf(version: PlanVersion) -> bytes:
    """The version's plan document: deterministic, so rendered once per content."""
    info = version_info(version)
    return remembered("plan-pdf", (version.inputs, version.estimate, asdict(info)),
                      lambda: render(reports.render_plan_pdf, version.inputs, version.estimate, info))


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def plan_pdf(bid: Bid, version: PlanVersion) -> Download:
    stored = version.document
    content = stored.pdf if version.locked and stored is not None else render_pdf(version)
    return Download(content, reports.plan_filename(bid.reference or f"bid-{bid.id}",
                                                   version.number, "pdf"), PDF)


def plan_docx(bid: Bid, version: PlanVersion) -> Download:
    """The plan as a Word document: deterministic, so rendered once per content."""
    info = version_info(version)
    content = remembered("plan-docx", (version.inputs, version.estimate, asdict(info)),
                         lambda: render(reports.render_plan_docx, version.inputs, version.estimate, info))
    return Download(content, reports.plan_filename(bid.reference or f"bid-{bid.id}",
                                                   version.number, "docx"), DOCX)


def plan_document(bid: Bid, version: PlanVersion, kind: str) -> Download:
    """The plan (pdf, docx) or the budget (csv, xlsx) of one version."""
    if kind == "pdf":
        return plan_pdf(bid, version)
    if kind == "docx":
        return plan_docx(bid, version)
    return budget(bid, version, kind)


def budget(bid: Bid, version: PlanVersion, kind: str) -> Download:
    name = reports.budget_filename(bid.reference or f"bid-{bid.id}", version.number, kind)
    if kind == "csv":
        return Download(reports.budget_csv(version.inputs, version.estimate), name, CSV)
    info = version_info(version)
    content = remembered("budget-xlsx", (version.inputs, version.estimate, asdict(info)),
                         lambda: reports.budget_xlsx(version.inputs, version.estimate,
                                                     version=info))
    return Download(content, name, XLSX)
