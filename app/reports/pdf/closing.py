"""The approval record and the easy read summary page."""
from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Flowable, PageBreak, Spacer

from app.charts.theme import Palette
from app.reports import easyread
from app.reports.pdf.context import PlanContext, long_date, number
from app.reports.pdf.sections import callout, heading, key_value_table, section_start
from app.reports.pdf.styles import Para, styles
from app.reports.text import markup
from app.reports.version import VersionInfo
from app.versions.statuses import status_label


def moment(value: datetime | None) -> str:
    """'1 April 2027 at 14:05 UTC' (the time zone only when it is known)."""
    if value is None:
        return "Not recorded"
    if not isinstance(value, datetime):
        return long_date(value)
    zone = f" {value.tzname()}" if value.tzinfo is not None else ""
    return f"{long_date(value.date())} at {value:%H:%M}{zone}"


def approval_pairs(version: VersionInfo) -> list[tuple[str, str]]:
    """Version, status, who prepared and approved it and when, review comments."""
    pairs = [("Version", str(version.number)), ("Status", status_label(version.status or "draft")),
             ("Prepared by", version.created_by or "Not recorded"),
             ("Prepared on", moment(version.created_at)),
             ("Approved by", version.approved_by or "Not approved"),
             ("Approved on", moment(version.approved_at) if version.approved_at else "Not approved")]
    if version.comments_count is not None:
        pairs.append(("Review comments", number(version.comments_count)))
    return pairs


def approval(ctx: PlanContext) -> list[Flowable]:
    """Version, status, who prepared and approved it, and when."""
    s, version = styles(), ctx.version
    story = section_start("Approval record")
    if version is None:
        return story + [callout([Para(
            "This document was produced from a plan that has not been saved as a version. "
            "It has not been reviewed or approved.", s.callout)],
            Palette.warning_fill, Palette.warning)]
    story.append(key_value_table(approval_pairs(version)))
    story.append(Spacer(1, 8))
    if version.approved_by:
        text = (f"Approved by <b>{markup(version.approved_by)}</b>. This version is locked: any "
                f"later change starts a new version, and this file's fingerprint was recorded "
                f"at approval.")
        return story + [callout([Para(text, s.callout)])]
    return story + [callout([Para(
        "<b>DRAFT.</b> This version has not been approved. It must be approved by someone other "
        "than its author before the bid is submitted.", s.callout)],
        Palette.warning_fill, Palette.warning)]


def easy_read(ctx: PlanContext) -> list[Flowable]:
    """Short sentences in large type, one idea per line (wording: app.reports.easyread)."""
    s = styles()
    story: list[Flowable] = [PageBreak(), heading("Easy read summary", s.easy_title)]
    return story + [Para(_markup(sentence), s.easy)
                    for sentence in easyread.sentences(ctx.plan, ctx.estimate)]


def _markup(sentence: easyread.Sentence) -> str:
    """The sentence as paragraph markup, its key words in bold."""
    return "".join(f"<b>{markup(text)}</b>" if bold else markup(text)
                   for text, bold in sentence.parts)
