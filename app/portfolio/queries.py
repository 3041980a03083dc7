"""Read-side SQL for the portfolio: the bid table and the KPI aggregates.

Every figure is computed by the database (GROUP BY and conditional sums over
the bids joined to their counted version); Python only receives at most one
row per month and level, one per table row on the page, or one per chart
point. The counted version and the warning flags are columns kept by
:func:`app.versions.counted.refresh_counted_version`, covered by the index
``ix_plan_versions_counted``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select

from app import access
from app.costing.vocabulary import LEVELS
from app.database import contains_pattern
from app.extensions import db
from app.formatting import london_date
from app.models import Bid, PlanVersion, PortfolioTarget, Team, User
from app.portfolio import periods
from app.portfolio.periods import FinancialYear

NOT_CHOSEN = "unset"  # the level filter's value for "no level chosen (or no plan)"
LEVEL_KEYS: tuple[str | None, ...] = (*LEVELS, None)


@dataclass(frozen=True)
class Scope:
    """Which bids a portfolio figure covers: the user's, one team, one financial year."""

    user: User
    team_id: int | None = None
    year: FinancialYear | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """WHERE conditions: visible to the user (app.access), not archived, team, year."""
        conditions = [Bid.archived_at.is_(None)]
        visible = access.visible_bids(self.user).whereclause
        if visible is not None:
            conditions.append(visible)
        if self.team_id is not None:
            conditions.append(Bid.team_id == self.team_id)
        if self.year is not None:
            conditions.append(periods.in_financial_year(self.year))
        return conditions


@dataclass(frozen=True)
class TableFilters:
    """The table's filters besides the scope (None means any)."""

    status: str | None = None
    level: str | None = None      # a level key, or NOT_CHOSEN
    client: str | None = None     # part of the client's name
    work_type: str | None = None
    scope: str | None = None
    outcome: str | None = None
    sort: str = "deadline"
    descending: bool = False


def _counted_join():
    """ON clause joining a bid to its counted version (at most one per bid)."""
    return and_(PlanVersion.bid_id == Bid.id, PlanVersion.is_counted)


def share_percent() -> ColumnElement[float]:
    """SQL: the counted version's cost as a percentage of the bid value."""
    return PlanVersion.total_pence * 100.0 / Bid.value_pence


def _level_rank() -> ColumnElement[int]:
    return case({level: rank for rank, level in enumerate(LEVELS)}, value=PlanVersion.level,
                else_=-1)


SORT_KEYS = {
    "title": lambda: func.lower(Bid.title),
    "client": lambda: func.lower(Bid.client),
    "team": lambda: Team.name,
    "status": lambda: Bid.status,
    "level": _level_rank,
    "value": lambda: Bid.value_pence,
    "cost": lambda: PlanVersion.total_pence,
    "share": share_percent,
    "deadline": lambda: Bid.deadline,
    "outcome": lambda: Bid.outcome,
}


def _filter_conditions(filters: TableFilters) -> list[ColumnElement[bool]]:
    conditions = []
    for column, value in ((Bid.status, filters.status), (Bid.work_type, filters.work_type),
                          (Bid.scope, filters.scope), (Bid.outcome, filters.outcome)):
        if value:
            conditions.append(column == value)
    if filters.client:
        conditions.append(Bid.client.ilike(contains_pattern(filters.client), escape="\\"))
    if filters.level == NOT_CHOSEN:
        conditions.append(PlanVersion.level.is_(None))
    elif filters.level:
        conditions.append(PlanVersion.level == filters.level)
    return conditions


def table_select(scope: Scope, filters: TableFilters) -> Select:
    """The portfolio table's rows: each bid with its counted version's figures."""
    order = SORT_KEYS.get(filters.sort, SORT_KEYS["deadline"])()
    order = (order.desc() if filters.descending else order.asc()).nulls_last()
    tie = Bid.id.desc() if filters.descending else Bid.id.asc()
    return (select(Bid.id, Bid.title, Bid.client, Bid.reference, Bid.status, Bid.outcome,
                   Bid.value_pence, Bid.deadline, Bid.created_at, Bid.work_type, Bid.scope,
                   Bid.client_requires_coproduction, Team.name.label("team"),
                   PlanVersion.number.label("version_number"),
                   PlanVersion.status.label("version_status"), PlanVersion.level,
                   PlanVersion.total_pence, PlanVersion.flag_disproportionate,
                   PlanVersion.flag_below_requirement)
            .join(Team, Team.id == Bid.team_id)
            .outerjoin(PlanVersion, _counted_join())
            .where(*scope.conditions(), *_filter_conditions(filters))
            .order_by(order, tie))


def count_rows(scope: Scope, filters: TableFilters) -> int:
    query = select(func.count(Bid.id)).where(*scope.conditions(), *_filter_conditions(filters))
    if filters.level:
        query = query.outerjoin(PlanVersion, _counted_join())
    return db.session.scalar(query) or 0


def table_page(scope: Scope, filters: TableFilters, page: int, per_page: int
               ) -> tuple[list[Any], int, int]:
    """(rows, matching bids, page shown) in two queries; a page past the end shows the last."""
    total = count_rows(scope, filters)
    page = min(max(page, 1), max((total + per_page - 1) // per_page, 1))
    rows = db.session.execute(table_select(scope, filters).limit(per_page)
                              .offset((page - 1) * per_page)).all()
    return rows, total, page


def all_rows(scope: Scope, filters: TableFilters) -> list[Any]:
    """Every matching row (for the CSV export)."""
    return db.session.execute(table_select(scope, filters)).all()


def financial_years(user: User) -> list[int]:
    """Financial years from the earliest to the latest bid the user can see, and the current one."""
    conditions = Scope(user).conditions()
    undated = Bid.deadline.is_(None)
    row = db.session.execute(select(
        func.min(Bid.deadline), func.max(Bid.deadline),
        func.min(Bid.created_at).filter(undated), func.max(Bid.created_at).filter(undated),
    ).where(*conditions)).one()
    years = {periods.current_financial_year()}
    for value in row:
        if isinstance(value, datetime):
            value = london_date(value)
        if isinstance(value, date):
            years.add(periods.financial_year_of(value))
    return list(range(max(years), min(years) - 1, -1))


@dataclass
class Kpis:
    """The headline figures for a scope; counts are bids, money is pence."""

    bids: int = 0
    considered: int = 0
    by_level: dict[str | None, int] = field(
        default_factory=lambda: dict.fromkeys(LEVEL_KEYS, 0))
    submitted_bids: int = 0
    submitted_pence: int = 0
    won_bids: int = 0
    won_pence: int = 0
    costed_bids: int = 0
    share_sum: float = 0.0
    client_required: int = 0
    flagged_disproportionate: int = 0
    flagged_below_requirement: int = 0
    flagged_any: int = 0

    @property
    def considered_percent(self) -> float | None:
        return self.considered * 100 / self.bids if self.bids else None

    @property
    def average_share(self) -> float | None:
        """Mean co-production share of bid value (%) over bids with a costed plan."""
        return self.share_sum / self.costed_bids if self.costed_bids else None

    def add(self, level: str | None, group: dict[str, Any]) -> None:
        """Add one GROUP BY row's partial sums (all of these figures are additive)."""
        for name in ("bids", "submitted_bids", "submitted_pence", "won_bids", "won_pence",
                     "costed_bids", "client_required", "flagged_disproportionate",
                     "flagged_below_requirement", "flagged_any"):
            setattr(self, name, getattr(self, name) + int(group[name] or 0))
        self.share_sum += float(group["share_sum"] or 0)
        self.by_level[level] = self.by_level.get(level, 0) + int(group["bids"])
        if level is not None:
            self.considered += int(group["bids"])


@dataclass
class MonthFigures:
    """One month of the year: bids by level, and co-production money won."""

    bids_by_level: dict[str | None, int] = field(
        default_factory=lambda: dict.fromkeys(LEVEL_KEYS, 0))
    won_bids: int = 0
    won_pence: int = 0


@dataclass
class Figures:
    """The year's KPIs and its twelve months (empty without a year), from one query."""

    kpis: Kpis
    months: list[MonthFigures]


def _sum_if(condition, value=1) -> ColumnElement[int]:
    """SQL: the sum of ``value`` over rows where ``condition`` holds (NULL counts as not)."""
    return func.sum(case((condition, value), else_=0))


def figures(scope: Scope) -> Figures:
    """Every KPI, and bids by level and money won by month, in one query.

    The database groups the scope's bids (joined to their counted version) by
    month of the year and level, with conditional sums for each KPI; the year's
    KPIs are the sums of those at most 60 rows, which every KPI allows (the
    average share is carried as a sum and a count).
    """
    month = periods.month_of_year(scope.year) if scope.year else literal(0)
    pence = func.coalesce(PlanVersion.total_pence, 0)
    bids = (select(month.label("month"), PlanVersion.level.label("level"),
                   (PlanVersion.status == "submitted").label("submitted"),
                   (Bid.outcome == "won").label("won"), pence.label("pence"),
                   PlanVersion.total_pence.label("total_pence"),
                   share_percent().label("share"),
                   Bid.client_requires_coproduction.label("required"),
                   PlanVersion.flag_disproportionate.label("disproportionate"),
                   PlanVersion.flag_below_requirement.label("below"))
            .select_from(Bid).outerjoin(PlanVersion, _counted_join())
            .where(*scope.conditions()).subquery())
    c = bids.c
    rows = db.session.execute(
        select(c.month, c.level, func.count().label("bids"),
               _sum_if(c.submitted).label("submitted_bids"),
               _sum_if(c.submitted, c.pence).label("submitted_pence"),
               _sum_if(c.won).label("won_bids"),
               _sum_if(c.won, c.pence).label("won_pence"),
               func.count(c.total_pence).label("costed_bids"),
               func.sum(c.share).label("share_sum"),
               _sum_if(c.required).label("client_required"),
               _sum_if(c.disproportionate).label("flagged_disproportionate"),
               _sum_if(c.below).label("flagged_below_requirement"),
               _sum_if(c.disproportionate | c.below).label("flagged_any"))
        .group_by(c.month, c.level)).mappings().all()
    kpis = Kpis()
    months = [MonthFigures() for _ in range(12 if scope.year else 0)]
    for row in rows:
        kpis.add(row["level"], row)
        if scope.year:
            month_figures = months[int(row["month"])]
            month_figures.bids_by_level[row["level"]] = int(row["bids"])
            month_figures.won_bids += int(row["won_bids"] or 0)
            month_figures.won_pence += int(row["won_pence"] or 0)
    return Figures(kpis, months)


def kpis(scope: Scope) -> Kpis:
    """The KPIs of a scope (see :func:`figures`)."""
    return figures(scope).kpis


def share_points(scope: Scope) -> list[tuple[int, int]]:
    """(bid value, co-production cost) in pence for every bid with a costed plan above zero."""
    return [tuple(row) for row in db.session.execute(
        select(Bid.value_pence, PlanVersion.total_pence)
        .join(PlanVersion, _counted_join())
        .where(*scope.conditions(), PlanVersion.total_pence > 0))]


@dataclass(frozen=True)
class Targets:
    """KPI targets in force for a year, and the year they were set for (None: defaults)."""

    considered_percent: int
    income_pence: int
    set_for_year: int | None = None


def targets_for(year: int) -> Targets:
    """The targets set for ``year``, else for the latest earlier year, else the defaults."""
    row = db.session.scalar(select(PortfolioTarget)
                            .where(PortfolioTarget.financial_year <= year)
                            .order_by(PortfolioTarget.financial_year.desc()).limit(1))
    if row is None:
        return Targets(PortfolioTarget.DEFAULT_CONSIDERED_PERCENT,
                       PortfolioTarget.DEFAULT_INCOME_PENCE)
    return Targets(row.considered_percent, row.income_pence, row.financial_year)


def teams_for(user: User) -> Sequence[Team]:
    """Teams whose portfolio the user may pick: every team for admins, else their own."""
    if access.is_admin(user):
        return db.session.scalars(select(Team).order_by(Team.name)).all()
    return sorted(user.teams, key=lambda team: team.name)

