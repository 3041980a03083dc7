"""The KPI summary for one financial year: figures, their targets, and the charts.

Built once from the aggregate queries and shown three ways: the summary page,
its charts (SVG with a table of the same numbers) and the one-page board PDF.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from app.charts import portfolio as charts
from app.charts import to_svg
from app.charts.tables import ChartTable
from app.costing import format_gbp
from app.costing.ratecard import default_card
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
    "A bid is flagged when the estimate of the version that counts warns that the cost is "
    "disproportionate (more than 15% of the bid value by default) or that the level is "
    "below what the client requires.",
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


def gbp_from_pence(pence: int | None) -> str:
    """Integer pence as money text (formatted by the one money formatter)."""
    return format_gbp(Decimal(pence or 0) / 100)


def percent(value: float | None, places: int = 1) -> str:
    return "–" if value is None else f"{value:.{places}f}%"


def _of(part: int, whole: int) -> str:
    return f"{part} of {whole}" + (f" ({part * 100 / whole:.1f}%)" if whole else "")


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

    @classmethod
    def build(cls, user: User, year: FinancialYear, team_id: int | None,
              scope_label: str) -> PortfolioSummary:
        """Run the queries: the figures (one GROUP BY), the chart's points, the targets."""
        scope = Scope(user, team_id, year)
        figures = queries.figures(scope)
        return cls(year=year, scope_label=scope_label, kpis=figures.kpis,
                   targets=queries.targets_for(year.start_year), months=figures.months,
                   points_pence=queries.share_points(scope),
                   threshold_percent=float(default_card().policy.disproportionate_percent))

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
        won = f"{gbp_from_pence(k.won_pence)} in {k.won_bids} won bid{'s' * (k.won_bids != 1)}"
        if income_share is not None:
            won += f" ({income_share:.1f}% of the target)"
        flagged = (f"{k.flagged_any} ({k.flagged_disproportionate} disproportionate, "
                   f"{k.flagged_below_requirement} below the client's requirement)")
        return [
            KpiRow("Bids that recorded co-production was considered",
                   _of(k.considered, k.bids), f"{t.considered_percent}%", considered_status),
            KpiRow("Bids by level", "; ".join(f"{charts.series_label(level)} "
                                              f"{k.by_level.get(level, 0)}"
                                              for level in LEVEL_KEYS)),
            KpiRow("Co-production money budgeted in submitted bids",
                   f"{gbp_from_pence(k.submitted_pence)} in {k.submitted_bids} "
                   f"submitted bid{'s' * (k.submitted_bids != 1)}"),
            KpiRow("Co-production money in won bids", won,
                   f"{gbp_from_pence(t.income_pence)} a year", income_status),
            KpiRow("Average co-production share of bid value",
                   f"{percent(k.average_share, 2)} across {k.costed_bids} costed "
                   f"bid{'s' * (k.costed_bids != 1)}" if k.costed_bids else "No costed bids"),
            KpiRow("Bids where the client required co-production",
                   _of(k.client_required, k.bids)),
            KpiRow("Bids flagged disproportionate or below the client's requirement", flagged),
        ]

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
        won = [float(Decimal(month.won_pence) / 100) for month in self.months]
        return (self.year.month_labels(), won, [month.won_bids for month in self.months],
                float(Decimal(self.targets.income_pence) / 100))

    def income_chart(self) -> ChartFigure:
        names, won, bids, target = self.income_chart_data()
        return _figure(
            "portfolio-income",
            f"Co-production money won against the target, {self.year.label}",
            "Line chart of co-production money in won bids, added up month by month from "
            f"April, against a dashed target line rising evenly to {format_gbp(target)} by "
            f"March. Won in the year: {gbp_from_pence(self.kpis.won_pence)}.",
            charts.income_against_target_chart(names, won, target),
            charts.income_against_target_table(names, won, bids, target))

    def share_chart(self) -> ChartFigure:
        points = [(value / 100, total / 100, total * 100 / value)
                  for value, total in self.points_pence if value]
        return _figure(
            "portfolio-share",
            f"Co-production share of bid value against bid value, {self.year.label}",
            f"Scatter chart of {len(points)} bids with a costed plan: the co-production cost "
            "as a percentage of the bid value against the bid value on a logarithmic scale, "
            f"with a dashed line at {self.threshold_percent:g}%. Because co-production costs "
            "vary little with the size of a bid, the share falls as bids grow.",
            charts.share_scatter_chart([(value, share) for value, _, share in points],
                                       self.threshold_percent),
            charts.share_by_value_table(points),
            note="The table groups the chart's bids by value; every bid's value and share is "
                 "in the portfolio table and its CSV download.")

    def charts(self) -> list[ChartFigure]:
        return [self.level_chart(), self.income_chart(), self.share_chart()]

    def board_paper(self, issued_on: date) -> board.BoardPaper:
        """The one-page PDF's content: the KPI table and the income chart."""
        names, won, _bids, target = self.income_chart_data()
        return board.BoardPaper(
            period_label=f"{self.year.label} ({self.year.long_label})",
            scope_label=self.scope_label, issued_on=issued_on,
            kpis=[board.KpiLine(row.name, row.result, row.target, row.status)
                  for row in self.kpi_rows()],
            chart=charts.income_against_target_chart(names, won, target,
                                                     width=board.CONTENT_WIDTH, height=175),
            chart_caption="Co-production money in won bids against the target",
            notes=BOARD_NOTES)
