"""The KPI summary for one financial year: figures, their targets, and the charts.

Built once from the aggregate queries and shown three ways: the summary page,
its charts (SVG with a table of the same numbers) and the one-page board PDF.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from app import access
from app.charts import network as network_charts
from app.charts import portfolio as charts
from app.charts import to_svg
from app.charts.tables import ChartTable
from app.costing.ratecard import default_card
from app.formatting import date_text, format_gbp, pence, pence_to_pounds, percent, share_of_bid
from app.membership import vocabulary as network_vocabulary
from app.membership.kpis import NetworkYear
from app.membership.services import NetworkKpis, network_kpis
from app.models import User
from app.portfolio import queries
from app.portfolio.periods import FinancialYear
from app.portfolio.queries import LEVEL_KEYS, Kpis, MonthFigures, Scope, Targets
from app.reports import board

#: How each figure is counted, in plain words (shown on the pages and in the PDF).
DEFINITIONS: tuple[str, ...] = (
    "A bid belongs to the financial year (April to March) of its submission deadline; "
    "a bid without a deadline belongs to the year it was created. Archived bids are left out.",
    "For each bid one plan version counts: its latest submitted version if it has one, "
    "otherwise its latest version.",
    "A bid recorded that co-production was considered when the version that counts has a "
    "level chosen, including “none” (which needs a written justification). A bid with no "
    "plan counts as not considered.",
    "Money budgeted in submitted bids adds up the submitted versions of bids that have one. "
    "Money in won bids adds up the version that counts of bids whose outcome is “won”.",
    "The average share is the mean, over bids with a costed plan, of the plan's cost as a "
    "percentage of the bid value.",
    "Every cost and sum of money here is a plan's total with every session as planned, "
    "before the recommended contingency; each bid's budget to request (its total plus the "
    "contingency, the P80 budget) is on its estimate page.",
    "A bid is flagged when the estimate of the version that counts warns that the cost is "
    "disproportionate (more than 15% of the bid value by default) or that the level is "
    "below what the client requires.",
)

#: How the network's figures are counted (shown to network coordinators with them).
NETWORK_DEFINITIONS: tuple[str, ...] = (
    "The network's figures cover the whole register, not one team. A member counts for a "
    "financial year if they joined by its end and had not left before its start, so a "
    "member who left mid-year counts for that year.",
    "A member took part when the coordinator recorded them as having taken part in a plan "
    "line on a day in the year. A meeting's attendance is the members who attended, out "
    "of the members on the day it was held; it is well attended at one third or more.",
    "Carers and people with hearing impairment are counted from the areas of lived "
    "experience (a tag with “carer”, “hearing” or “deaf”) and needs (replacement care; "
    "BSL or a hearing loop). Erased members keep their participation, not their mix.",
)

#: The same rules, shorter, for the one-page board PDF.
BOARD_NOTES = (
    "How the figures are counted: a bid belongs to the April-to-March year of its submission "
    "deadline (or of the day it was created, without one); archived bids are left out. Each "
    "bid counts its latest submitted plan version, else its latest version. Co-production "
    "was considered when that version has a level chosen, including “none”; a bid with no "
    "plan was not. Won means the bid's outcome is “won”. Flags come from that version's "
    "estimate warnings.",
)


def _of(part: int, whole: int) -> str:
    return f"{part} of {whole}" + (f" ({percent(Decimal(part) * 100 / whole)})" if whole else "")


def _meetings(count: int) -> str:
    return f"{count} meeting" + ("" if count == 1 else "s")


@dataclass(frozen=True)
class KpiRow:
    """One line of the KPI table: the figure, its target and how it compares."""

    name: str
    result: str
    target: str = ""
    status: str = ""   # "Target met", "Below target" or ""

    @property
    def met(self) -> bool | None:
        return {"Target met": True, "Below target": False}.get(self.status)


@dataclass(frozen=True)
class ChartFigure:
    """A chart ready for the page: accessible SVG and the table of its numbers."""

    chart_id: str
    title: str
    description: str
    svg: str
    table: ChartTable
    note: str = ""


def _figure(chart_id: str, title: str, description: str, drawing, table: ChartTable,
            note: str = "") -> ChartFigure:
    return ChartFigure(chart_id, title, description,
                       to_svg(drawing, title, description, chart_id), table, note)


@dataclass
class PortfolioSummary:
    """Everything the summary page and the board PDF show for one scope and year."""

    year: FinancialYear
    scope_label: str
    kpis: Kpis
    targets: Targets
    months: list[MonthFigures]
    points_pence: list[tuple[int, int]]
    threshold_percent: float
    network: NetworkKpis | None = None  # for network coordinators only

    @classmethod
    def build(cls, user: User, year: FinancialYear, team_id: int | None,
              scope_label: str) -> PortfolioSummary:
        """Run the queries: the figures (one GROUP BY), the chart's points, the targets."""
        scope = Scope(user, team_id, year)
        figures = queries.figures(scope)
        return cls(year=year, scope_label=scope_label, kpis=figures.kpis,
                   targets=queries.targets_for(year.start_year), months=figures.months,
                   points_pence=queries.share_points(scope),
                   threshold_percent=float(default_card().policy.disproportionate_percent),
                   network=network_kpis(year.start_year) if access.is_coordinator(user)
                   else None)

    @property
    def considered_met(self) -> bool:
        value = self.kpis.considered_percent
        return value is not None and value >= self.targets.considered_percent

    @property
    def income_share_of_target(self) -> float | None:
        if not self.targets.income_pence:
            return None
        return self.kpis.won_pence * 100 / self.targets.income_pence

    def kpi_rows(self) -> list[KpiRow]:
        """The KPI table, in the order of the board report."""
        k, t = self.kpis, self.targets
        considered_status = "" if not k.bids else (
            "Target met" if self.considered_met else "Below target")
        income_status = "Target met" if k.won_pence >= t.income_pence else "Below target"
        income_share = self.income_share_of_target
        won = f"{pence(k.won_pence or 0)} in {k.won_bids} won bid{'s' * (k.won_bids != 1)}"
        if income_share is not None:
            won += f" ({percent(income_share)} of the target)"
        flagged = (f"{k.flagged_any} ({k.flagged_disproportionate} disproportionate, "
                   f"{k.flagged_below_requirement} below the client's requirement)")
        return [
            KpiRow("Bids that recorded co-production was considered",
                   _of(k.considered, k.bids), f"{t.considered_percent}%", considered_status),
            KpiRow("Bids by level", "; ".join(f"{charts.series_label(level)} "
                                              f"{k.by_level.get(level, 0)}"
                                              for level in LEVEL_KEYS)),
            KpiRow("Co-production money budgeted in submitted bids",
                   f"{pence(k.submitted_pence or 0)} in {k.submitted_bids} "
                   f"submitted bid{'s' * (k.submitted_bids != 1)}"),
            KpiRow("Co-production money in won bids", won,
                   f"{pence(t.income_pence or 0)} a year", income_status),
            KpiRow("Average co-production share of bid value",
                   f"{percent(k.average_share, 2)} across {k.costed_bids} costed "
                   f"bid{'s' * (k.costed_bids != 1)}" if k.costed_bids else "No costed bids"),
            KpiRow("Bids where the client required co-production",
                   _of(k.client_required, k.bids)),
            KpiRow("Bids flagged disproportionate or below the client's requirement", flagged),
        ] + self.network_rows()

    def network_rows(self) -> list[KpiRow]:
        """The network's KPIs (coordinators only): participation, meetings, the mix."""
        if self.network is None:
            return []
        now, before = self.network.this_year, self.network.last_year
        meetings = "; ".join(f"{date_text(m.held_on)}: {_of(m.attended, m.network_size)}"
                             for m in now.meetings) or "None recorded"
        rows = [
            KpiRow("Network members who took part in the organisation's work",
                   _of(now.took_part, now.members) + (
                       f"; last year {_of(before.took_part, before.members)}"),
                   f"{network_vocabulary.PARTICIPATION_TARGET_PERCENT}%",
                   "" if not now.members else
                   "Target met" if now.participation_met else "Below target"),
            KpiRow("Network meetings held, and their attendance",
                   f"{len(now.meetings)} held, {now.well_attended_meetings} attended by a "
                   f"third or more. {meetings}",
                   f"{network_vocabulary.MEETINGS_TARGET} a year, each attended by a third",
                   "Target met" if now.meetings_met else "Below target"),
        ]
        for group, name in network_vocabulary.MIX_LABELS.items():
            this, last = now.mix.get(group, 0), before.mix.get(group, 0)
            rows.append(KpiRow(f"Membership mix: {name.lower()}",
                               f"{_of(this, now.members)}; last year {_of(last, before.members)}",
                               "More than last year",
                               "Target met" if this > last else "Below target"))
        return rows

    @cached_property
    def quarter_counts(self) -> list[dict[str | None, int]]:
        """Bids by level in each quarter, from the monthly figures."""
        quarters = [dict.fromkeys(LEVEL_KEYS, 0) for _ in range(4)]
        for index, month in enumerate(self.months):
            for level, count in month.bids_by_level.items():
                bucket = quarters[FinancialYear.quarter_of_month(index)]
                bucket[level] = bucket.get(level, 0) + count
        return quarters

    def level_chart(self) -> ChartFigure:
        names = [f"Q{number}" for number in range(1, 5)]
        long_names = self.year.quarter_labels()
        totals = [sum(quarter.values()) for quarter in self.quarter_counts]
        return _figure(
            "portfolio-levels", f"Bids by level and quarter, {self.year.label}",
            "Stacked columns, one per quarter, of bids by the level of the plan version that "
            "counts. Bids per quarter: "
            + ", ".join(f"Q{i + 1} {total}" for i, total in enumerate(totals))
            + ". The table gives every number.",
            charts.levels_by_quarter_chart(names, self.quarter_counts),
            charts.levels_by_quarter_table(long_names, self.quarter_counts))

    def income_chart_data(self) -> tuple[list[str], list[float], list[int], float]:
        won = [float(pence_to_pounds(month.won_pence)) for month in self.months]
        return (self.year.month_labels(), won, [month.won_bids for month in self.months],
                float(pence_to_pounds(self.targets.income_pence)))

    def income_description(self) -> str:
        """The income chart in words (its alternative text on the page and in the PDF)."""
        target = self.income_chart_data()[3]
        return ("Line chart of co-production money in won bids, added up month by month from "
                f"April, against a dashed target line rising evenly to {format_gbp(target)} by "
                f"March. Won in the year: {pence(self.kpis.won_pence or 0)}.")

    def income_chart(self) -> ChartFigure:
        names, won, bids, target = self.income_chart_data()
        return _figure(
            "portfolio-income",
            f"Co-production money won against the target, {self.year.label}",
            self.income_description(),
            charts.income_against_target_chart(names, won, target),
            charts.income_against_target_table(names, won, bids, target))

    def share_chart(self) -> ChartFigure:
        points = [(float(pence_to_pounds(value)), float(pence_to_pounds(total)),
                   float(share_of_bid(total, value)))
                  for value, total in self.points_pence if value]
        return _figure(
            "portfolio-share",
            f"Co-production share of bid value against bid value, {self.year.label}",
            f"Scatter chart of {len(points)} bids whose plan costs something (a plan at level "
            "none costs nothing and is not drawn, though the average share counts it): the "
            "co-production cost "
            "as a percentage of the bid value against the bid value on a logarithmic scale, "
            f"with a dashed line at {self.threshold_percent:g}%. Because co-production costs "
            "vary little with the size of a bid, the share falls as bids grow.",
            charts.share_scatter_chart([(value, share) for value, _, share in points],
                                       self.threshold_percent),
            charts.share_by_value_table(points),
            note="The table groups the chart's bids by value; every bid's value and share is "
                 "in the portfolio table and its CSV download.")

    def _network_figure(self) -> tuple[str, str, list[network_charts.ShareBar],
                                       tuple[str, str], ChartTable]:
        """The network chart's title, description, bars, year names and table
        (one definition for the page and the board PDF)."""
        now, before = self.network.this_year, self.network.last_year

        def share(part: float, year: NetworkYear) -> float | None:
            return part * 100 / year.members if year.members else None

        def attendance(year: NetworkYear) -> float | None:
            shares = [m.share for m in year.meetings if m.share is not None]
            return sum(shares) * 100 / len(shares) if shares else None

        def counts(part_now: int, part_before: int) -> tuple[str, str]:
            return f"{part_now} of {now.members}", f"{part_before} of {before.members}"

        low, high = network_vocabulary.ATTENDANCE_TARGET_FRACTION
        bars = [network_charts.ShareBar("Took part", share(now.took_part, now),
                                        share(before.took_part, before),
                                        network_vocabulary.PARTICIPATION_TARGET_PERCENT),
                network_charts.ShareBar("Meeting attendance", attendance(now),
                                        attendance(before), low * 100 / high)]
        rows = [counts(now.took_part, before.took_part),
                (_meetings(len(now.meetings)), _meetings(len(before.meetings)))]
        for group, name in network_vocabulary.MIX_SHORT_LABELS.items():
            bars.append(network_charts.ShareBar(name, share(now.mix.get(group, 0), now),
                                                share(before.mix.get(group, 0), before)))
            rows.append(counts(now.mix.get(group, 0), before.mix.get(group, 0)))
        years = (self.year.label, FinancialYear(self.year.start_year - 1).label)
        return (
            f"The co-production network, {self.year.label} and the year before",
            "Paired columns, last year then this year, of the share of network members who "
            "took part in the organisation's work (target 50%), the average attendance of "
            "network meetings (target one third), and the shares who are carers or have a "
            f"hearing impairment. This year {now.took_part} of {now.members} members took "
            "part. The table gives every number.",
            bars, years, network_charts.shares_table(bars, years, rows))

    def network_chart(self) -> ChartFigure:
        title, description, bars, years, table = self._network_figure()
        return _figure("portfolio-network", title, description,
                       network_charts.shares_chart(bars, years), table)

    def board_network(self) -> board.BoardFigure | None:
        """The network chart beside its table on the board PDF (coordinators only)."""
        if self.network is None:
            return None
        title, description, bars, years, table = self._network_figure()
        return board.BoardFigure(
            title, network_charts.shares_chart(bars, years, width=board.FIGURE_WIDTH,
                                               height=board.FIGURE_HEIGHT),
            description, table)

    def charts(self) -> list[ChartFigure]:
        figures = [self.level_chart(), self.income_chart(), self.share_chart()]
        return figures + ([self.network_chart()] if self.network is not None else [])

    def board_paper(self, issued_on: date) -> board.BoardPaper:
        """The one-page PDF's content: the KPI table, the income chart and, for network
        coordinators, the network chart beside its table."""
        names, won, _bids, target = self.income_chart_data()
        return board.BoardPaper(
            period_label=f"{self.year.label} ({self.year.long_label})",
            scope_label=self.scope_label, issued_on=issued_on,
            kpis=[board.KpiLine(row.name, row.result, row.target, row.status)
                  for row in self.kpi_rows()],
            chart=charts.income_against_target_chart(names, won, target,
                                                     width=board.CONTENT_WIDTH,
                                                     height=board.chart_height(self.network
                                                                               is not None)),
            chart_caption="Co-production money in won bids against the target",
            chart_alt=self.income_description(),
            network=self.board_network(),
            notes=BOARD_NOTES + (NETWORK_DEFINITIONS[:1] if self.network else ()))
