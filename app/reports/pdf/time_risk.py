"""Time overhead, uncertainty and contingency, and risks with mitigations."""
from __future__ import annotations

from reportlab.platypus import Flowable, Table, TableStyle

from app.charts.theme import fonts
from app.costing import format_gbp
from app.formatting import percent
from app.reports.pdf.context import PlanContext, number
from app.reports.pdf.sections import key_value_table, section_start
from app.reports.pdf.styles import Para, cell, styles, zebra_table

WEEKS_PER_MONTH = 52 / 12


def _warning_codes(ctx: PlanContext) -> set[str]:
    return {str(w.get("code")) for w in ctx.estimate.get("warnings") or []}


def time_pairs(ctx: PlanContext) -> list[tuple[str, str]]:
    """Lead time, schedule delay, review weeks, overhead, staff and contributor hours."""
    time = ctx.estimate["time"]
    duration_weeks = float(ctx.bid.get("duration_months") or 0) * WEEKS_PER_MONTH
    share = (f" ({float(time['overhead_weeks']) / duration_weeks * 100:.0f}% of the bid's "
             f"{number(duration_weeks)} weeks)" if duration_weeks else "")
    return [
        ("Lead time before activities", f"{number(time['lead_time_weeks'])} weeks"),
        ("Delay to the schedule", f"{number(time['schedule_delay_weeks'])} weeks"),
        ("Review turnaround", f"{number(time['review_weeks'])} weeks"),
        ("Total time overhead", f"{number(time['overhead_weeks'])} weeks{share}"),
        ("Staff time", f"{number(time['staff_hours'])} hours"),
        ("Contributors' time", f"{number(time['contributor_hours'])} hours"),
    ]


TIME_INTRO = ("Co-production adds time as well as cost. Most of it can be mitigated by good "
              "planning: starting at the beginning and using the models and frameworks "
              "already developed.")


def network_note(ctx: PlanContext) -> str:
    """What recruiting does to the lead time."""
    if not ctx.activities:
        return "No one needs to be recruited: no co-production activities are planned."
    return ("Recruiting from our existing network and reusing our templates and frameworks "
            "keeps the lead time short." if ctx.plan.get("existing_network") else
            "Recruitment starts as soon as the bid is won; using an existing network and our "
            "templates would shorten it.")


def time_overhead(ctx: PlanContext) -> list[Flowable]:
    """The time overhead as a table, with what mitigates it."""
    s = styles()
    return section_start("Time overhead") + [
        Para(TIME_INTRO, s.body), key_value_table(time_pairs(ctx), 200),
        Para(network_note(ctx), s.body)]


def uncertainty(ctx: PlanContext) -> list[Flowable]:
    """The simulated range and the recommended contingency."""
    s, est = styles(), ctx.estimate
    u = est["uncertainty"]
    if not est["lines"]:
        return section_start("Uncertainty and contingency") + [Para(
            "With no co-production costs there is no cost range to plan for and no "
            "contingency is needed.", s.body)]
    return section_start("Uncertainty and contingency") + [
        Para(f"Real projects vary: sessions are added, preparation takes longer, travel "
                  f"costs change and not everyone attends. We simulated {number(u['draws'])} "
                  f"variations of this plan (random seed {u['seed']}) to show the likely "
                  f"range.", s.body),
        zebra_table(("Measure", "Amount"), uncertainty_rows(ctx), (333, 150), right=(1,),
                    total_rows=1),
        Para(f"We recommend holding <b>{format_gbp(u['recommended_contingency_gbp'])}</b> "
                  f"as contingency, so the co-production budget covers the P80 outcome.",
                  s.body)]


def uncertainty_rows(ctx: PlanContext) -> list[list[str]]:
    """(measure, amount) of the simulated range; the last row is the contingency."""
    est = ctx.estimate
    u = est["uncertainty"]
    return [["Estimate in this plan", format_gbp(est["total_gbp"])],
            ["Average of the simulations", format_gbp(u["mean"])],
            ["P10: 1 in 10 chance of costing less", format_gbp(u["p10"])],
            ["P50: the middle outcome", format_gbp(u["p50"])],
            ["P80: 4 in 5 chance of costing less", format_gbp(u["p80"])],
            ["P90: 9 in 10 chance of costing less", format_gbp(u["p90"])],
            ["Recommended contingency (P80 minus the estimate)",
             format_gbp(u["recommended_contingency_gbp"])]]


def risks(ctx: PlanContext) -> list[Flowable]:
    """The hindering factors, each tailored to this plan, with its mitigation."""
    s = styles()
    widths = (104, 183, 196)
    rows = [[cell(name, widths[0], s.cell_bold), cell(risk, widths[1]),
             cell(mitigation, widths[2])] for name, risk, mitigation in risk_rows(ctx)]
    return section_start("Risks and mitigations") + [
        _bold_first_column(zebra_table(("Risk", "What it means for this plan", "Mitigation"),
                                       rows, widths))]


def _bold_first_column(table: Table) -> Table:
    """Risk names in bold (the plain-string cells take the table's font)."""
    table.setStyle(TableStyle([("FONTNAME", (0, 1), (0, -1), fonts().bold)]))
    return table


def risk_rows(ctx: PlanContext) -> list[tuple[str, str, str]]:
    """(risk, what it means here, mitigation) for costs, time, approaches and clients."""
    est, codes = ctx.estimate, _warning_codes(ctx)
    roles = {str(a.get("role")) for a in ctx.activities}
    cost = (f"Co-production adds {format_gbp(est['total_gbp'])}, "
            f"{percent(est['percent_of_bid'], 2)} of the bid value." if est["lines"] else
            "No co-production costs are budgeted, so none can overrun; adding co-production "
            "later would need new budget.")
    if "co_trainer" in roles:
        cost += " Co-training pairs a user trainer with a staff trainer, which costs more than one."
    if "early_start_overnight" in codes:
        cost += " Early meeting starts add overnight stays for people and their supporters."
    time = (f"It adds {number(est['time']['overhead_weeks'])} weeks to the schedule. Short "
            f"timelines stop people having full input into planning." if ctx.activities else
            "No co-production time is in the schedule; co-production added later would start "
            "late, and short timelines stop people having full input into planning.")
    if "tight_timeline" in codes:
        time += " The overhead is large for this bid's duration."
    approaches = ("Partners, the client and contributors may understand co-production "
                  "differently, or expect different say in decisions.")
    local = " Partner with a local user-led organisation." if "local_partner" in codes else ""
    required = bool(ctx.bid.get("client_requires_coproduction"))
    client = ("The client requires co-production; a lower level than it expects could weaken "
              "the bid." if required else
              "The client does not ask for co-production, so its cost may be questioned.")
    if "below_client_requirement" in codes:
        client += " This plan is below the level the client requires."
    modes = {a.get("mode") or "in_person" for a in ctx.activities}
    meetings = []
    if "in_person" in modes:
        meetings.append("meetings avoid early starts that force overnight stays")
    if "remote" in modes:
        meetings.append("remote activities have a digital allowance")
    cost_mitigation = (
        f"Every line is costed from the rate card with its working; a contingency of "
        f"{format_gbp(est['uncertainty']['recommended_contingency_gbp'])} covers the P80 outcome"
        + "".join(f"; {m}" for m in meetings) + "." if est["lines"] else
        "Cost any co-production added later with the rate card, line by line, before agreeing it.")
    recruit = ("recruit from our existing network" if ctx.plan.get("existing_network") else
               "start recruiting as soon as the bid is won")
    time_mitigation = (f"Start co-production at the beginning of the project, {recruit}, reuse "
                       f"our templates and frameworks, and commission easy read materials early."
                       if ctx.activities else
                       "If co-production is added later, start it at the beginning of a stage "
                       "and cost its lead time before agreeing it.")
    return [
        ("Costs", cost, cost_mitigation),
        ("Time", time, time_mitigation),
        ("Differing approaches", approaches, "Agree roles, decision-making, payment and expenses "
         "in writing at set-up, and review them with contributors at each stage." + local),
        ("Clients not requiring co-production", client,
         "Show co-production as a separate, proportionate budget line with its benefits, and "
         "keep the written record that co-production was considered at every level, "
         "including none."),
    ]
