"""Who is involved (roles and people by stage) and access and support commitments."""
from __future__ import annotations

from collections.abc import Mapping

from reportlab.platypus import Flowable, Spacer

from app.charts.labels import (
    category_label,
    mode_label,
    role_label,
    stage_label,
    stages,
)
from app.costing import format_gbp
from app.reports.pdf.context import PlanContext, number
from app.reports.pdf.sections import bullets, section_start, subheading
from app.reports.pdf.styles import CONTENT_WIDTH, Para, cell, content_widths, styles, zebra_table
from app.reports.text import markup, one_line


def _stage_of(activity: Mapping) -> str:
    return str(activity.get("stage") or "")


def _ordered(activities: list[Mapping]) -> list[Mapping]:
    """Activities in stage order, then by start week."""
    order = {key: i for i, key in enumerate(stages())}
    return sorted(activities, key=lambda a: (order.get(_stage_of(a), 99),
                                             float(a.get("start_week") or 0)))


def _how(activity: Mapping) -> str:
    """'In person, 10:30' or 'Remote' (the caption says what remote means)."""
    mode = mode_label(activity.get("mode") or "in_person").split(" (")[0]
    start = activity.get("start_time")
    return f"{mode}, {one_line(start)}" if start else mode


def people(ctx: PlanContext) -> list[Flowable]:
    """A table of roles, people, sessions and hours, grouped by stage."""
    s = styles()
    story = section_start("Who is involved")
    if not ctx.activities:
        return story + [Para("No co-production activities are planned for this bid.", s.body)]
    contributors = ctx.contributor_count
    network = ("recruited from our existing network of people who use services and carers"
               if ctx.plan.get("existing_network") else "recruited for this project")
    story.append(Para(f"About <b>{number(contributors)}</b> people with lived experience "
                           f"take part, {network}. Everyone is paid for their time, "
                           f"including preparation.", s.body))
    header = ("Role", "Stage", "People", "Sessions", "Hours each", "How")
    texts = [(role_label(a.get("role")), stage_label(_stage_of(a)), number(a.get("people")),
              number(a.get("sessions")), _hours(a), _how(a)) for a in _ordered(ctx.activities)]
    widths = content_widths(header, texts, CONTENT_WIDTH, wrap=(0, 5))
    rows = [[cell(text, widths[i]) if i in (0, 1, 5) else text for i, text in enumerate(row)]
            for row in texts]
    story.append(zebra_table(header, rows, widths, right=(2, 3, 4)))
    story.append(Para("Hours each: hours per session, plus paid preparation hours. How: in "
                      "person with the meeting's start time, or "
                      f"{mode_label('remote')[0].lower() + mode_label('remote')[1:]}.",
                           s.caption))
    return story + _members(ctx) + _by_stage(ctx)


def _members(ctx: PlanContext) -> list[Flowable]:
    """The network members assigned to lines, as the register names them for documents
    (a pseudonym unless the member consented to be named), from the plan as saved: the
    engine's copy keeps only what it costs."""
    items = [f"{role_label(a.get('role'))}: {', '.join(map(str, a['members']))}"
             for a in ctx.plan.get("activities") or [] if a.get("members")]
    return [subheading("Network members taking part"), *bullets(items)] if items else []


def _hours(activity: Mapping) -> str:
    """'3 + 1 prep' or just '3' when there is no preparation."""
    hours = activity.get("hours_per_session")
    prep = activity.get("prep_hours_per_session")
    text = number(hours) if hours is not None else "-"
    return f"{text} + {number(prep)}" if prep else text


def _by_stage(ctx: PlanContext) -> list[Flowable]:
    """One bullet per stage listing its roles, so gaps in early stages show."""
    items = []
    for stage in stages():
        names = sorted({role_label(a.get("role")) for a in ctx.activities
                        if _stage_of(a) == stage})
        joined = ", ".join(names) if names else "no co-production activity"
        items.append(f"<b>{markup(stage_label(stage))}:</b> {markup(joined)}")
    return [subheading("Roles by stage")] + bullets(items, user_text=False)


def _needs(activity: Mapping) -> Mapping:
    return activity.get("needs") or {}


def _roles_where(ctx: PlanContext, test) -> list[str]:
    """Role labels of the activities for which ``test(activity)`` is true."""
    return sorted({role_label(a.get("role")) for a in ctx.activities if test(a)})


def access_rows(ctx: PlanContext) -> list[tuple[str, str]]:
    """(commitment, what this plan provides) for BSL, assistants, care, easy read, times, remote."""
    bsl = _roles_where(ctx, lambda a: _needs(a).get("bsl"))
    assistants = sum(int(_needs(a).get("personal_assistants") or 0) for a in ctx.activities)
    carers = sum(int(_needs(a).get("carers_needing_replacement_care") or 0)
                 for a in ctx.activities)
    pages = int((ctx.plan.get("accessible_formats") or {}).get("easy_read_pages") or 0)
    remote = _roles_where(ctx, lambda a: a.get("mode") == "remote")
    times = sorted({one_line(a.get("start_time")) for a in ctx.activities
                    if a.get("start_time") and a.get("mode") != "remote"})
    early = [w for w in ctx.estimate.get("warnings") or [] if w.get("code") == "early_start_overnight"]
    if not ctx.activities:
        return [("Access support", "No co-production activities are planned, so no access "
                 "support is needed or costed.")]
    return [
        ("British Sign Language", f"Interpreters at every session of: {', '.join(bsl)}. Two "
         "interpreters co-work on sessions over an hour." if bsl else
         "No BSL need identified at bid stage; none is costed."),
        ("Personal assistants", f"Paid time and travel for {assistants} personal assistant "
         f"place(s) across the activities." if assistants else
         "No personal assistants identified at bid stage; none are costed."),
        ("Replacement care", f"Replacement care costed for {carers} carer place(s), including "
         "an hour's travel allowance per session." if carers else
         "No carers needing replacement care identified at bid stage."),
        ("Easy read", f"{pages} pages of easy read material, commissioned early because "
         "production takes several weeks." if pages else "No easy read pages are planned."),
        ("Meeting start times", _start_times(times, bool(early), len(remote) == len(
            _roles_where(ctx, lambda a: True)))),
        ("Remote options", _remote(ctx, remote)),
    ]


def _start_times(times: list[str], early: bool, all_remote: bool) -> str:
    """When in-person meetings start, and whether that forces early travel."""
    if all_remote:
        return "Every activity is remote, so no one travels to a meeting."
    if not times:
        return "Start times of in-person meetings are not yet set."
    return ("In-person meetings start at " + ", ".join(times) + "."
            + (" Some start early enough to need overnight stays; see the points to note."
               if early else " Times avoid early starts that exclude people or force "
                             "overnight stays."))


def _remote(ctx: PlanContext, remote: list[str]) -> str:
    """Which activities people can join remotely."""
    modes = {a.get("mode") or "in_person" for a in ctx.activities}
    if modes == {"remote"}:
        return "Every activity is remote (online or phone), with a digital allowance."
    if remote:
        return f"Remote participation, with a digital allowance, for: {', '.join(remote)}."
    return "All activities are in person."


def access(ctx: PlanContext) -> list[Flowable]:
    """BSL, personal assistants, replacement care, easy read, start times, remote."""
    s = styles()
    table = zebra_table(("Commitment", "What this plan provides"),
                        [[cell(k, 140), cell(v, 343)] for k, v in access_rows(ctx)], (140, 343))
    if not ctx.activities:
        return section_start("Access and support commitments") + [table]
    costs = ctx.estimate["by_category"]
    total_access = (f"Access support is budgeted at <b>{format_gbp(costs.get('access_support', 0))}</b>"
                    f" and {markup(category_label('accessible_formats').lower())} at "
                    f"<b>{format_gbp(costs.get('accessible_formats', 0))}</b>.")
    return section_start("Access and support commitments") + [
        Para("Access needs are planned and costed from the start, not added later.", s.body),
        table, Spacer(1, 6), Para(total_access, s.body)]
