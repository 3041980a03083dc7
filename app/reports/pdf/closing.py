"""The approval record and the easy read summary page."""
from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Flowable, PageBreak, Spacer

from app.charts.labels import level_label
from app.charts.theme import Palette
from app.costing import format_gbp
from app.reports.pdf.context import PlanContext, long_date, number, status_label
from app.reports.pdf.sections import callout, heading, key_value_table, section_start
from app.reports.pdf.styles import Para, styles
from app.reports.text import markup


def moment(value: datetime | None) -> str:
    """'1 April 2027 at 14:05 UTC' (the time zone only when it is known)."""
    if value is None:
        return "Not recorded"
    if not isinstance(value, datetime):
        return long_date(value)
    zone = f" {value.tzname()}" if value.tzinfo is not None else ""
    return f"{long_date(value.date())} at {value:%H:%M}{zone}"


def approval(ctx: PlanContext) -> list[Flowable]:
    """Version, status, who prepared and approved it, and when."""
    s, version = styles(), ctx.version
    story = section_start("Approval record")
    if version is None:
        return story + [callout([Para(
            "This document was produced from a plan that has not been saved as a version. "
            "It has not been reviewed or approved.", s.callout)],
            Palette.warning_fill, Palette.warning)]
    pairs = [("Version", str(version.number)), ("Status", status_label(version.status).capitalize()),
             ("Prepared by", version.created_by or "Not recorded"),
             ("Prepared on", moment(version.created_at)),
             ("Approved by", version.approved_by or "Not approved"),
             ("Approved on", moment(version.approved_at) if version.approved_at else "Not approved")]
    if version.comments_count is not None:
        pairs.append(("Review comments", number(version.comments_count)))
    story.append(key_value_table(pairs))
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
    """Short sentences in large type, one idea per line."""
    s, est = styles(), ctx.estimate
    lines = ["This is our plan to work with people who use services and carers.",
             f"The project is called: <b>{markup(ctx.title)}</b>"]
    if ctx.bid.get("client"):
        lines.append(f"The project is for: {markup(ctx.bid['client'])}")
    lines += _level_lines(ctx)
    if ctx.level != "none":
        lines += [f"Involving people will cost <b>{format_gbp(est['total_gbp'])}</b>.",
                  f"That is {format_gbp(est['percent_of_bid'])} in every "
                  f"{format_gbp(100)} of the project money.",
                  f"It adds about {number(est['time']['overhead_weeks'])} weeks to the project."]
        lines += _support_lines(ctx)
    lines.append("You can ask us for this plan in another format.")
    story: list[Flowable] = [PageBreak(), heading("Easy read summary", s.easy_title)]
    return story + [Para(line, s.easy) for line in lines]


def _level_lines(ctx: PlanContext) -> list[str]:
    """What level of involvement, in plain words."""
    if ctx.level == "none":
        return ["We thought about involving people in this project.",
                "This time, we will not involve people.",
                "We have written down why, in this plan."]
    people_count = ctx.plan.get("contributors") or max(
        (int(a.get("people") or 0) for a in ctx.activities), default=0)
    return [f"We will involve people at a <b>{markup(level_label(ctx.level).lower())}</b> level.",
            f"About {number(people_count)} people will take part.",
            "We will pay people for their time."]


def _support_lines(ctx: PlanContext) -> list[str]:
    """Support we pay for, one line each."""
    needs = [a.get("needs") or {} for a in ctx.activities]
    lines = []
    if any(n.get("bsl") for n in needs):
        lines.append("We will book British Sign Language interpreters.")
    if any(n.get("personal_assistants") for n in needs):
        lines.append("We will pay for personal assistants.")
    if any(n.get("carers_needing_replacement_care") for n in needs):
        lines.append("We will pay for care while carers take part.")
    if (ctx.plan.get("accessible_formats") or {}).get("easy_read_pages"):
        lines.append("We will make easy read papers.")
    if any(a.get("mode") == "remote" for a in ctx.activities):
        lines.append("You can take part online.")
    return lines
