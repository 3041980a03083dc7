"""The portfolio's KPIs, filters and markers against a hand-counted portfolio.

Financial year 2026 is April 2026 to March 2027. Team Alpha's seven bids in it
(versions are status, level, cost in pounds and estimate warnings):

- A: deadline 1 Apr 2026, £100,000, won, client requires co-production.
  submitted limited £3,000; submitted good £8,000; a later draft full £20,000.
  Counts: version 2 (the latest submitted), good, £8,000 (8%).
- B: deadline 31 Mar 2027, £50,000, pending, requires. draft limited £2,000;
  in review limited £2,500 [below requirement]. Counts: version 2 (5%).
- C: deadline 15 Sep 2026, £20,000, lost. submitted full £4,000
  [disproportionate] (20%).
- D: deadline 1 Dec 2026, £30,000, pending, no plan: not considered.
- E: deadline 1 Jul 2026, £200,000, won, requires. submitted none £0
  [below requirement]: considered, costed at 0%.
- F: deadline 5 May 2026, £40,000, pending. a draft with no level yet: not
  considered, not costed.
- K: no deadline, created 31 Mar 2026 23:30 UTC (00:30 on 1 April in the UK),
  £60,000, won. submitted limited £1,200 (2%).

Outside Alpha's 2026: G (deadline 31 Mar 2026: year 2025, won, good £5,000),
L (no deadline, created 31 Mar 2026 22:30 UTC = 23:30 in the UK: year 2025,
no plan), H (deadline 1 Apr 2027: year 2027), I (archived, 2026, won) and
J (team Beta, 10 Oct 2026, won, good £50,000 on £500,000).
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.models import Bid, PlanVersion, User
from app.portfolio import queries
from app.portfolio.periods import FinancialYear, current_financial_year, financial_year_of
from app.portfolio.queries import NOT_CHOSEN, Scope, TableFilters
from app.portfolio.services import save_targets
from app.portfolio.summary import PortfolioSummary
from app.versions.counted import counted_version_id, refresh_counted_version, warning_flags
from tests.factories import make_bid

YEAR = 2026


def add_bid(title: str, team: str = "Alpha", *, deadline: date | None, value_gbp: int,
            outcome: str = "pending", requires: bool = False, versions=(),
            created_at: datetime | None = None, archived: bool = False, **fields):
    """A bid with versions given as (status, level, cost in pounds or None, warning codes)."""
    values = dict(title=title, deadline=deadline, value_pence=value_gbp * 100,
                  outcome=outcome, client_requires_coproduction=requires, **fields)
    if created_at is not None:
        values["created_at"] = created_at
    if archived:
        values["archived_at"] = datetime(2026, 11, 1, tzinfo=UTC)
    bid = make_bid(team, **values)
    for number, (status, level, cost, warnings) in enumerate(versions, start=1):
        estimate = None if cost is None else {
            "total_gbp": cost, "percent_of_bid": round(cost * 100 / value_gbp, 2),
            "warnings": [{"code": code, "kind": "warning", "message": code}
                         for code in warnings]}
        db.session.add(PlanVersion(bid=bid, number=number, status=status, level=level,
                                   inputs={}, estimate=estimate,
                                   total_pence=None if cost is None else cost * 100))
    db.session.flush()
    refresh_counted_version(bid)
    db.session.commit()
    return bid


def build_portfolio() -> dict[str, object]:
    """Create the bids described above; returns them by letter."""
    below, dispro = ["below_client_requirement"], ["disproportionate"]
    bids = {
        "A": add_bid("Bid A", deadline=date(2026, 4, 1), value_gbp=100_000, outcome="won",
                     requires=True, status="submitted",
                     versions=[("submitted", "limited", 3_000, []),
                               ("submitted", "good", 8_000, []),
                               ("draft", "full", 20_000, [])]),
        "B": add_bid("Bid B", deadline=date(2027, 3, 31), value_gbp=50_000, requires=True,
                     client="Northshire Council", status="in_review",
                     versions=[("draft", "limited", 2_000, []),
                               ("in_review", "limited", 2_500, below)]),
        "C": add_bid("Bid C", deadline=date(2026, 9, 15), value_gbp=20_000, outcome="lost",
                     status="submitted", work_type="research", scope="national",
                     versions=[("submitted", "full", 4_000, dispro)]),
        "D": add_bid("Bid D", deadline=date(2026, 12, 1), value_gbp=30_000),
        "E": add_bid("Bid E", deadline=date(2026, 7, 1), value_gbp=200_000, outcome="won",
                     requires=True, status="submitted",
                     versions=[("submitted", "none", 0, below)]),
        "F": add_bid("Bid F", deadline=date(2026, 5, 5), value_gbp=40_000,
                     versions=[("draft", None, None, [])]),
        "K": add_bid("Bid K", deadline=None, value_gbp=60_000, outcome="won",
                     status="submitted",
                     created_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
                     versions=[("submitted", "limited", 1_200, [])]),
        "G": add_bid("Bid G", deadline=date(2026, 3, 31), value_gbp=90_000, outcome="won",
                     status="submitted", versions=[("submitted", "good", 5_000, [])]),
        "L": add_bid("Bid L", deadline=None, value_gbp=70_000,
                     created_at=datetime(2026, 3, 31, 22, 30, tzinfo=UTC)),
        "H": add_bid("Bid H", deadline=date(2027, 4, 1), value_gbp=80_000,
                     versions=[("draft", "good", 6_000, [])]),
        "I": add_bid("Bid I", deadline=date(2026, 6, 1), value_gbp=75_000, outcome="won",
                     archived=True, versions=[("submitted", "good", 7_000, [])]),
        "J": add_bid("Secret Beta bid", "Beta", deadline=date(2026, 10, 10),
                     value_gbp=500_000, outcome="won", status="submitted",
                     client="Beta only client",
                     versions=[("submitted", "good", 50_000, [])]),
    }
    return bids


# --- The KPIs against the hand count -------------------------------------------------------


@pytest.fixture
def portfolio(app, make_user):
    """The hand-counted bids, an Alpha viewer and an admin (in no team)."""
    viewer = make_user("viewer@example.org", role="viewer", team="Alpha")
    admin = make_user("admin@example.org", role="admin", team="Admins")
    return build_portfolio(), viewer, admin


def scope(user: User, year: int | None = YEAR, team_id: int | None = None) -> Scope:
    return Scope(user, team_id, FinancialYear(year) if year is not None else None)


def test_every_kpi_matches_the_hand_count(portfolio):
    _, viewer, _ = portfolio
    kpis = queries.kpis(scope(viewer))
    assert kpis.bids == 7
    assert kpis.considered == 5  # A B C E K; D has no plan, F no level
    assert kpis.considered_percent == pytest.approx(500 / 7)
    assert kpis.by_level == {"none": 1, "limited": 2, "good": 1, "full": 1, None: 2}
    assert (kpis.submitted_bids, kpis.submitted_pence) == (4, 1_320_000)  # A C E K
    assert (kpis.won_bids, kpis.won_pence) == (3, 920_000)  # A E K
    assert kpis.costed_bids == 5
    assert kpis.average_share == pytest.approx(7.0)  # (8 + 5 + 20 + 0 + 2) / 5
    assert kpis.client_required == 3  # A B E
    assert (kpis.flagged_disproportionate, kpis.flagged_below_requirement,
            kpis.flagged_any) == (1, 2, 3)


def test_the_latest_submitted_version_counts_even_with_a_later_draft(portfolio):
    bids, viewer, _ = portfolio
    rows, _, _ = queries.table_page(scope(viewer), TableFilters(sort="title"), 1, 25)
    bid_a = next(row for row in rows if row.title == "Bid A")
    assert (bid_a.version_number, bid_a.level, bid_a.total_pence) == (2, "good", 800_000)
    numbers = {version.number: version.is_counted for version in bids["A"].versions}
    assert numbers == {1: False, 2: True, 3: False}


def test_a_bid_with_no_plan_counts_as_not_considered(portfolio):
    _, viewer, _ = portfolio
    rows, total, _ = queries.table_page(scope(viewer), TableFilters(level=NOT_CHOSEN,
                                                                    sort="title"), 1, 25)
    assert [row.title for row in rows] == ["Bid D", "Bid F"] and total == 2
    assert rows[0].version_number is None  # D: no plan at all


@pytest.mark.parametrize("year, expected", [(2025, {"Bid G", "Bid L"}),
                                            (2026, {"Bid A", "Bid B", "Bid C", "Bid D",
                                                    "Bid E", "Bid F", "Bid K"}),
                                            (2027, {"Bid H"})])
def test_financial_year_boundaries_31_march_and_1_april(portfolio, year, expected):
    _, viewer, _ = portfolio
    rows = queries.all_rows(scope(viewer, year), TableFilters())
    assert {row.title for row in rows} == expected


def test_financial_year_of_a_date():
    assert financial_year_of(date(2026, 3, 31)) == 2025
    assert financial_year_of(date(2026, 4, 1)) == 2026
    assert FinancialYear(2026).label == "2026 to 2027"
    assert current_financial_year(datetime(2027, 3, 31, 23, 30, tzinfo=UTC)) == 2027


def test_months_and_quarters(portfolio):
    _, viewer, _ = portfolio
    figures = queries.figures(scope(viewer))
    april, july = figures.months[0], figures.months[3]
    assert (april.won_bids, april.won_pence) == (2, 920_000)  # A and K
    assert (july.won_bids, july.won_pence) == (1, 0)  # E, level none
    assert sum(month.won_pence for month in figures.months) == figures.kpis.won_pence
    assert figures.months[11].bids_by_level["limited"] == 1  # B, 31 March 2027
    summary = PortfolioSummary.build(viewer, FinancialYear(YEAR), None, "Alpha")
    q1, q2, q3, q4 = summary.quarter_counts
    assert (q1["good"], q1["limited"], q1[None]) == (1, 1, 1)  # A, K, F
    assert (q2["none"], q2["full"], q3[None], q4["limited"]) == (1, 1, 1, 1)


def test_archived_bids_are_left_out(portfolio):
    bids, _, admin = portfolio
    all_titles = {row.title for row in queries.all_rows(scope(admin), TableFilters())}
    assert "Bid I" not in all_titles and "Secret Beta bid" in all_titles


def test_a_viewer_sees_only_their_team_and_an_admin_every_team(portfolio):
    _, viewer, admin = portfolio
    assert queries.kpis(scope(viewer)).won_pence == 920_000
    everyone = queries.kpis(scope(admin))
    assert (everyone.bids, everyone.won_pence) == (8, 920_000 + 5_000_000)
    beta = db.session.scalar(db.select(Bid).where(Bid.title == "Secret Beta bid")).team_id
    assert queries.kpis(scope(viewer, team_id=beta)).bids == 0
    assert queries.kpis(scope(admin, team_id=beta)).bids == 1


def test_targets_default_and_carry_forward(portfolio):
    _, _, admin = portfolio
    assert queries.targets_for(YEAR) == queries.Targets(100, 10_000_000, None)
    save_targets(2025, 90, Decimal("120000"), admin)
    assert queries.targets_for(YEAR) == queries.Targets(90, 12_000_000, 2025)
    save_targets(2027, 100, Decimal("150000.50"), admin)
    assert queries.targets_for(YEAR).income_pence == 12_000_000
    assert queries.targets_for(2030).income_pence == 15_000_050
    assert queries.targets_for(2024).set_for_year is None


def test_table_filters_and_sorting(portfolio):
    _, viewer, _ = portfolio
    def page(**filters):
        return [row.title for row in queries.all_rows(scope(viewer), TableFilters(**filters))]

    assert page(status="submitted", sort="title") == ["Bid A", "Bid C", "Bid E", "Bid K"]
    assert page(level="limited", sort="title") == ["Bid B", "Bid K"]
    assert page(client="northSHIRE") == ["Bid B"]
    assert page(client="100%_") == []  # like-wildcards are matched literally
    assert page(work_type="research", scope="national") == ["Bid C"]
    assert page(outcome="won", sort="value", descending=True) == ["Bid E", "Bid A", "Bid K"]
    assert page(sort="share", descending=True)[:3] == ["Bid C", "Bid A", "Bid B"]
    assert page(sort="share")[-2:] == ["Bid D", "Bid F"]  # no cost: last either way
    assert page(sort="deadline")[0] == "Bid A" and page(sort="deadline")[-1] == "Bid K"


# --- refresh_counted_version ---------------------------------------------------------------

def test_refresh_follows_status_changes_without_bumping_row_versions(portfolio):
    bids, viewer, _ = portfolio
    bid = bids["A"]
    draft = bid.versions[2]
    row_versions = [version.row_version for version in bid.versions]
    draft.status = "submitted"
    draft.estimate = {"total_gbp": 20_000, "warnings": [{"code": "disproportionate"}]}
    assert refresh_counted_version(bid) is draft  # reads the unflushed changes
    assert draft.is_counted and draft.flag_disproportionate  # loaded objects see the markers
    assert not bid.versions[1].is_counted
    db.session.commit()
    assert [v.row_version for v in bid.versions][:2] == row_versions[:2]
    kpis = queries.kpis(scope(viewer))
    assert (kpis.by_level["full"], kpis.by_level["good"]) == (2, 0)
    assert kpis.flagged_disproportionate == 2


def test_refresh_after_deleting_the_counted_version(portfolio):
    bids, viewer, _ = portfolio
    bid = bids["C"]
    db.session.delete(bid.versions[0])
    assert refresh_counted_version(bid.id) is None  # before the delete is flushed
    db.session.commit()
    assert queries.kpis(scope(viewer)).considered == 4
    bid_a = bids["A"]
    db.session.delete(bid_a.versions[1])
    db.session.flush()
    assert refresh_counted_version(bid_a) is bid_a.versions[0]  # after it is flushed
    db.session.commit()
    assert queries.kpis(scope(viewer)).by_level["limited"] == 3


def test_refresh_marks_a_new_version_before_it_is_saved(portfolio):
    bids, viewer, _ = portfolio
    bid = bids["D"]  # no plan yet
    version = PlanVersion(bid=bid, number=1, status="draft", level="good", inputs={},
                          estimate={"warnings": [{"code": "below_client_requirement"}]},
                          total_pence=1_000)
    db.session.add(version)
    assert refresh_counted_version(bid) is version
    assert version.id is None and version.is_counted and version.flag_below_requirement
    db.session.commit()
    kpis = queries.kpis(scope(viewer))
    assert (kpis.considered, kpis.flagged_below_requirement) == (6, 3)


def test_refresh_leaves_a_concurrent_edit_conflict_to_the_commit(portfolio):
    bids, _, _ = portfolio
    bid = bids["B"]
    version = bid.versions[1]
    db.session.execute(db.update(PlanVersion).where(PlanVersion.id == version.id)
                       .values(row_version=PlanVersion.row_version + 1)
                       .execution_options(synchronize_session=False))  # someone else saved
    version.status = "submitted"
    assert refresh_counted_version(bid) is version  # no flush here, so no error yet
    with pytest.raises(StaleDataError):
        db.session.commit()
    db.session.rollback()


def test_counted_version_and_flags_rules():
    assert counted_version_id([]) is None
    assert counted_version_id([(1, 1, "submitted"), (2, 2, "draft")]) == 1
    assert counted_version_id([(1, 1, "submitted"), (3, 3, "submitted"), (2, 2, "approved")]) == 3
    assert counted_version_id([(1, 1, "draft"), (2, 2, "in_review")]) == 2
    assert warning_flags(None) == (False, False)
    assert warning_flags({"warnings": [{"code": "below_client_requirement"}, "junk"]}) == \
        (False, True)
