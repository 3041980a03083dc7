"""The co-production plan as a Word document: :func:`render_plan_docx`.

The same sections as the PDF, for bid writers who paste into a client's own
template and for public bodies that make documents accessible in Word: real
heading styles, tables whose header row repeats, charts as pictures with
alternative text, the easy read summary with its pictures, page numbers and
the approval record.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time

from app.charts.labels import level_label
from app.reports.pdf import cost_curve_points
from app.reports.pdf.context import PlanContext
from app.reports.text import one_line
from app.reports.version import VersionInfo
from app.reports.word import document as word
from app.reports.word import sections

FIXED_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)   # an unsaved plan's metadata date


def document_moment(version: VersionInfo | None, issued_on: date | None) -> datetime:
    """The version's approval (else saving) time; else the given date; never the clock."""
    moment = version and (version.approved_at or version.created_at)
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    day = moment or issued_on
    return datetime.combine(day, time(), UTC) if day else FIXED_MOMENT


def render_plan_docx(plan: Mapping, estimate: Mapping, version: VersionInfo | None = None,
                     *, issued_on: date | None = None,
                     cost_curve: Sequence[tuple[float, float]] | None = None) -> bytes:
    """The plan as .docx bytes; the same arguments give the same bytes."""
    ctx = PlanContext(plan, estimate, version, issued_on)
    curve = cost_curve if cost_curve is not None else cost_curve_points(estimate)
    document = word.new_document()
    reference = one_line(ctx.bid.get("reference"))
    word.header_and_footer(document, ctx.title, ctx.header_label,
                           "Co-production plan" + (f" · {reference}" if reference else ""),
                           ctx.draft)
    client = one_line(ctx.bid.get("client")) or "the client"
    word.set_metadata(
        document, title=f"Co-production plan: {ctx.title}"[:250],
        author=one_line(version.created_by if version and version.created_by
                        else "Co-production Planner"),
        subject=f"Co-production plan for {client[:200]}: {level_label(ctx.level).lower()} level",
        keywords=("co-production", "bid", "budget", ctx.level),
        moment=document_moment(version, issued_on))
    sections.cover(document, ctx)
    sections.summary(document, ctx)
    sections.people(document, ctx)
    pictures = word.Pictures(document)
    sections.timeline(document, ctx, pictures)
    sections.access(document, ctx)
    sections.budget(document, ctx, curve, pictures)
    sections.time_overhead(document, ctx)
    sections.uncertainty(document, ctx)
    sections.risks(document, ctx)
    sections.approval(document, ctx)
    sections.easy_read(document, ctx, pictures)
    return word.to_bytes(document)
