"""`flask seed-portfolio --bids N`: synthetic bids and plan versions for demos and benchmarks.

Realistic spread: several financial years around today, log-uniform bid
values, clients, kinds of work, scopes, levels that change between versions,
1 to 5 versions per bid (3 on average), submitted bids with outcomes. The
engine costs one template per (level, kind of work, scope) at 100 draws; each
version stores that template's estimate scaled to its own duration, as a
compact estimate document (no per-line detail or timeline: re-costing the
version's inputs gives the full one). Rows go in with bulk INSERTs, with the
portfolio markers computed on the way, so 10,000 bids take seconds.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import click
from flask import current_app
from sqlalchemy import func, insert, select, text

from app.accounts import get_or_create_team
from app.costing import estimate, template_activities
from app.costing.money import format_gbp, format_number
from app.costing.ratecard import DEFAULT_CARD_ID, default_card
from app.costing.vocabulary import LEVELS, SCOPES, WORK_TYPES
from app.extensions import db
from app.models import Bid, PlanVersion
from app.portfolio.periods import FinancialYear, current_financial_year
from app.versions.counted import BELOW_REQUIREMENT, DISPROPORTIONATE, counted_version_id
from app.versions.engine import seed_rate_cards
from app.versions.statuses import is_locked

MAX_BIDS = 100_000
DEFAULT_TEAMS = ("Demo", "Research and evidence", "Training and guidance")
TEMPLATE_VALUE_GBP = 200_000
TEMPLATE_DRAWS = 100
NONE_JUSTIFICATION = ("A short desk review for an internal audience with no direct effect on "
                      "people who use services; co-production is not proportionate here.")
TOPICS = ("transitions to adult services", "carers' assessments", "hospital discharge",
          "direct payments", "safeguarding adults", "dementia care at home",
          "mental health crisis support", "learning disability housing", "autism diagnosis",
          "personal budgets", "end of life care", "loneliness in later life",
          "digital inclusion", "young carers", "reablement", "care home visiting",
          "strengths-based practice", "homelessness and health", "self-directed support",
          "supported employment", "advocacy", "care workforce wellbeing")
CLIENTS = ("Northshire County Council", "Westmoor City Council", "Eastbridge Borough Council",
           "NHS Southvale Integrated Care Board", "NHS Riverside ICB",
           "National Institute for Care Research", "Department for Health and Care",
           "The Carers' Foundation", "Lived Experience Trust", "Skills for Care Partnership",
           "Care Quality Network", "Midlands Research Alliance", "The Dunmore Trust",
           "Greater Harbour Combined Authority", "Office for Social Care Improvement",
           "Age Well Charity", "Mind the Gap Trust", "Coastal Councils Consortium",
           "University of Ashford", "Kingsgate Housing Association")
TITLE_FORMS = {
    "research": ("Evidence review: {topic}", "Study of {topic}", "Evaluation of {topic}"),
    "guidance": ("Guidance on {topic}", "Practice guide: {topic}"),
    "training": ("{Topic} training for frontline staff", "Training programme: {topic}"),
    "film": ("Films about {topic}", "Video resources on {topic}"),
    "consultancy": ("Advice on {topic}", "Service review: {topic}"),
    "events": ("Conference on {topic}", "Learning events: {topic}"),
}
DURATIONS = (3, 6, 9, 12, 12, 18, 24, 36)


@dataclass(frozen=True)
class Template:
    """A costed template: its plan inputs and compact estimate at the reference bid."""

    activities: list[dict[str, Any]]
    estimate: dict[str, Any]


def _reference_bid(work_type: str, scope: str) -> dict[str, Any]:
    return {"title": "Template", "client": "Template", "value_gbp": TEMPLATE_VALUE_GBP,
            "start_date": "2027-04-01", "duration_months": 12, "scope": scope,
            "work_type": work_type, "client_requires_coproduction": False}


def cost_templates() -> dict[tuple[str, str, str], Template]:
    """One engine run per (level, kind of work, scope), at 100 draws."""
    templates = {}
    for level in LEVELS:
        for work_type in WORK_TYPES:
            for scope in SCOPES:
                bid = _reference_bid(work_type, scope)
                activities = [] if level == "none" else template_activities(level, work_type, bid)
                plan = {"bid": bid, "level": level, "activities": activities,
                        "justification": NONE_JUSTIFICATION if level == "none" else None,
                        "existing_network": True,
                        "options": {"draws": TEMPLATE_DRAWS, "seed": 0}}
                templates[level, work_type, scope] = Template(activities, estimate(plan))
    return templates


def _pence(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _scaled(amounts: dict[str, float], factor: Decimal) -> dict[str, float]:
    return {key: float(_pence(Decimal(str(value)) * factor)) for key, value in amounts.items()}


def recommended_level(value_gbp: Decimal, requires: bool) -> str:
    """The engine's default policy: under 25,000 limited, under 500,000 good, else full."""
    level = "limited" if value_gbp < 25_000 else "good" if value_gbp < 500_000 else "full"
    return "good" if requires and level == "limited" else level


def compact_estimate(template: Template, factor: Decimal, value_gbp: Decimal, level: str,
                     requires: bool, limit_percent: Decimal) -> dict[str, Any]:
    """The template's estimate scaled by ``factor`` for one bid, with the warnings that
    depend on the bid (disproportionate, below the client's requirement) recomputed."""
    source = template.estimate
    by_category = _scaled(source["by_category"], factor)
    total = sum((Decimal(str(v)) for v in by_category.values()), Decimal(0))
    percent = _pence(total * 100 / value_gbp)
    warnings = [{key: item[key] for key in ("code", "kind", "message") if key in item}
                for item in source["warnings"]
                if item["code"] not in (DISPROPORTIONATE, BELOW_REQUIREMENT)]
    if total * 100 > limit_percent * value_gbp:
        warnings.append({"code": DISPROPORTIONATE, "kind": "warning", "message": (
            f"Co-production costs {format_gbp(total)}, {format_number(percent)}% of the bid "
            f"value, more than {format_number(limit_percent)}%.")})
    if requires and level in ("none", "limited"):
        warnings.append({"code": BELOW_REQUIREMENT, "kind": "warning", "message": (
            f"The client requires co-production but the plan's level is {level}.")})
    uncertainty = dict(source["uncertainty"])
    for key in ("mean", "p10", "p50", "p80", "p90", "recommended_contingency_gbp"):
        uncertainty[key] = float(_pence(Decimal(str(uncertainty[key])) * factor))
    budget = total + Decimal(str(uncertainty["recommended_contingency_gbp"]))
    return {"total_gbp": float(total), "budget_to_request_gbp": float(budget),
            "percent_of_bid": float(percent),
            "by_category": by_category, "by_stage": _scaled(source["by_stage"], factor),
            "lines": [], "time": source["time"], "duration_weeks": source["duration_weeks"],
            "timeline": [], "uncertainty": uncertainty,
            "recommendation": {"level": recommended_level(value_gbp, requires),
                               "reasons": ["Synthetic demo data."]},
            "warnings": warnings, "rate_card": source["rate_card"], "level": level,
            "contributors": source["contributors"], "synthetic": True}


class PortfolioGenerator:
    """Builds the rows of N synthetic bids and their versions (pure Python, seeded)."""

    def __init__(self, team_ids: list[int], seed: int, now: datetime) -> None:
        self.rng = random.Random(seed)
        self.team_ids = team_ids
        self.now = now
        self.today = now.date()
        this_year = current_financial_year(now)
        self.first_day = FinancialYear(this_year - 3).start
        self.last_day = FinancialYear(this_year + 1).end - timedelta(days=1)
        self.templates = cost_templates()
        self.limit_percent = default_card().policy.disproportionate_percent

    def version_counts(self, bids: int) -> list[int]:
        """1 to 5 versions per bid, exactly 3 per bid on average."""
        counts = [self.rng.randint(1, 5) for _ in range(bids)]
        surplus = sum(counts) - 3 * bids
        while surplus:
            index = self.rng.randrange(bids)
            step = 1 if surplus < 0 else -1
            if 1 <= counts[index] + step <= 5:
                counts[index] += step
                surplus += step
        return counts

    def _moment(self, day: date) -> datetime:
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
            minutes=self.rng.randint(8 * 60, 18 * 60))
        return min(moment, self.now - timedelta(minutes=self.rng.randint(1, 600)))

    def bid_row(self, bid_id: int) -> dict[str, Any]:
        rng = self.rng
        work_type = rng.choice(WORK_TYPES)
        topic = rng.choice(TOPICS)
        title = rng.choice(TITLE_FORMS[work_type]).format(topic=topic, Topic=topic.capitalize())
        deadline = self.first_day + timedelta(
            days=rng.randint(0, (self.last_day - self.first_day).days))
        created = deadline - timedelta(days=rng.randint(20, 150))
        value_gbp = min(max(10 ** rng.gauss(5.35, 0.42), 8_000), 5_000_000)
        value_pence = int(round(value_gbp, -2)) * 100
        return {"id": bid_id, "team_id": rng.choice(self.team_ids), "title": title,
                "client": rng.choice(CLIENTS), "reference": f"PF-{bid_id:06d}",
                "value_pence": value_pence, "start_date": deadline + timedelta(days=60),
                "duration_months": rng.choice(DURATIONS),
                "scope": rng.choices(SCOPES, weights=(4, 3, 3))[0], "work_type": work_type,
                "client_requires_coproduction": rng.random() < 0.35,
                "deadline": None if rng.random() < 0.06 else deadline,
                "status": "draft", "outcome": "pending", "archived_at": None,
                "created_by_id": None, "created_at": self._moment(created),
                "updated_at": self._moment(min(deadline, self.today)), "row_version": 1,
                "_day": deadline}

    def _statuses(self, bid: dict[str, Any], count: int) -> list[str]:
        """Version statuses, oldest first, and the bid's status and outcome from them."""
        rng, past = self.rng, bid["_day"] < self.today
        submitted = rng.random() < (0.85 if past else 0.1)
        earlier = [rng.choice(("approved", "changes_requested", "submitted"
                               if submitted and rng.random() < 0.1 else "approved"))
                   for _ in range(count - 1)]
        if submitted:
            statuses = earlier + ["submitted"]
            if count > 1 and rng.random() < 0.1:  # a draft started after submitting
                statuses = earlier[:-1] + ["submitted", "draft"]
            if past:
                bid["outcome"] = rng.choices(("won", "lost", "withdrawn", "pending"),
                                             weights=(35, 45, 5, 15))[0]
        else:
            last = rng.choices(("draft", "in_review", "changes_requested", "approved"),
                               weights=(45, 25, 10, 20))[0]
            statuses = earlier + [last]
            if past:
                bid["outcome"] = rng.choice(("withdrawn", "pending"))
        bid["status"] = statuses[-1]  # a bid's status is its latest version's, as in the app
        return statuses

    def _first_level(self, bid: dict[str, Any]) -> str | None:
        rng = self.rng
        if rng.random() < 0.04:
            return "none"
        value = Decimal(bid["value_pence"]) / 100
        level = recommended_level(value, bid["client_requires_coproduction"])
        if rng.random() < 0.35:  # not everyone follows the recommendation
            level = LEVELS[min(3, max(1, LEVELS.index(level) + rng.choice((-1, 1))))]
        return level

    def versions(self, bid: dict[str, Any], first_id: int, count: int) -> list[dict[str, Any]]:
        rng = self.rng
        statuses = self._statuses(bid, count)
        level = self._first_level(bid)
        value = Decimal(bid["value_pence"]) / 100
        # Plans grow a little with duration and bid size, far less than the bid value does.
        factor_base = ((Decimal(bid["duration_months"]) / 12) ** Decimal("0.6")
                       * min(max((value / 150_000) ** Decimal("0.5"), Decimal("0.2")),
                             Decimal("2")))
        rows, moment = [], bid["created_at"]
        for number, status in enumerate(statuses, start=1):
            if number > 1 and level not in (None, "none") and rng.random() < 0.2:
                level = LEVELS[min(3, max(1, LEVELS.index(level) + rng.choice((-1, 1))))]
            chosen = None if (count == 1 and status == "draft" and rng.random() < 0.3) \
                else level
            moment = min(moment + timedelta(days=rng.randint(1, 20)), self.now)
            rows.append(self._version(bid, first_id + number - 1, number, status, chosen,
                                      value, factor_base, moment))
        return rows

    def _version(self, bid, version_id, number, status, level, value, factor_base, moment):
        inputs = {"bid": {"title": bid["title"], "client": bid["client"],
                          "value_gbp": float(value),
                          "start_date": bid["start_date"].isoformat(),
                          "duration_months": bid["duration_months"], "scope": bid["scope"],
                          "work_type": bid["work_type"],
                          "client_requires_coproduction": bid["client_requires_coproduction"]},
                  "level": level, "rate_card": DEFAULT_CARD_ID, "existing_network": True,
                  "options": {"draws": TEMPLATE_DRAWS, "seed": 0}}
        document, total_pence = None, None
        if level is not None:
            template = self.templates[level, bid["work_type"], bid["scope"]]
            factor = factor_base * Decimal(str(round(self.rng.uniform(0.85, 1.2), 3)))
            document = compact_estimate(template, factor, value, level,
                                        bid["client_requires_coproduction"],
                                        self.limit_percent)
            total_pence = int(_pence(Decimal(str(document["total_gbp"]))) * 100)
            inputs["activities"] = template.activities
            inputs["justification"] = NONE_JUSTIFICATION if level == "none" else None
        codes = {item["code"] for item in (document or {}).get("warnings", ())}
        reviewed = is_locked(status)
        return {"id": version_id, "bid_id": bid["id"], "number": number, "status": status,
                "level": level, "inputs": inputs, "estimate": document,
                "total_pence": total_pence, "rate_card_id": DEFAULT_CARD_ID, "created_by_id": None,
                "created_at": moment, "updated_at": moment,
                "submitted_at": moment if status == "submitted" else None,
                "approved_by_id": None, "approved_at": moment if reviewed else None,
                "pdf_sha256": None, "row_version": 1, "is_counted": False,
                "flag_disproportionate": DISPROPORTIONATE in codes,
                "flag_below_requirement": BELOW_REQUIREMENT in codes}


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _reset_sequences() -> None:
    """PostgreSQL hands out ids from sequences; move them past the ids written here."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("bids", "plan_versions"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT MAX(id) FROM {table}))"))


def seed_synthetic_portfolio(bid_count: int, team_names: tuple[str, ...], seed: int = 0,
                             chunk: int = 2000) -> tuple[int, int]:
    """Insert ``bid_count`` synthetic bids with their versions; returns (bids, versions)."""
    if not 1 <= bid_count <= MAX_BIDS:
        raise ValueError(f"the number of bids must be from 1 to {MAX_BIDS:,}")
    seed_rate_cards()
    teams = [get_or_create_team(name) for name in team_names]
    db.session.flush()
    generator = PortfolioGenerator([team.id for team in teams], seed,
                                   datetime.now(UTC))
    counts = generator.version_counts(bid_count)
    bid_id, version_id, versions_written = _next_id(Bid), _next_id(PlanVersion), 0
    for start in range(0, bid_count, chunk):
        bid_rows, version_rows = [], []
        for count in counts[start:start + chunk]:
            bid = generator.bid_row(bid_id)
            versions = generator.versions(bid, version_id, count)
            counted = counted_version_id((v["id"], v["number"], v["status"]) for v in versions)
            for version in versions:
                version["is_counted"] = version["id"] == counted
            bid.pop("_day")
            bid_rows.append(bid)
            version_rows += versions
            bid_id, version_id = bid_id + 1, version_id + count
        db.session.execute(insert(Bid.__table__), bid_rows)
        db.session.execute(insert(PlanVersion.__table__), version_rows)
        versions_written += len(version_rows)
    _reset_sequences()
    db.session.commit()
    return bid_count, versions_written


def _bid_count(_context, _parameter, value: int) -> int:
    if not 1 <= value <= MAX_BIDS:
        raise click.BadParameter(f"must be a whole number from 1 to {MAX_BIDS:,}, not {value}")
    return value


@click.command("seed-portfolio")
@click.option("--bids", "bid_count", type=int, default=1000, callback=_bid_count,
              show_default=True, help=f"How many synthetic bids to add (1 to {MAX_BIDS:,}).")
@click.option("--team", "teams", multiple=True,
              help="Team to spread the bids across (repeat for several); created if new. "
                   f"Default: {', '.join(DEFAULT_TEAMS)}.")
@click.option("--seed", "random_seed", type=int, default=0, show_default=True,
              help="Random seed: the same seed and count give the same bids.")
def seed_portfolio(bid_count: int, teams: tuple[str, ...], random_seed: int) -> None:
    """Add synthetic bids and plan versions for demos and benchmarks (never in production)."""
    if not current_app.config.get("SEED_DEMO_ALLOWED"):
        raise click.ClickException("synthetic portfolio data is never seeded in production")
    names = tuple(name.strip() for name in teams) or DEFAULT_TEAMS
    if any(not name or len(name) > 120 for name in names):
        raise click.ClickException("--team must be a name of 1 to 120 characters")
    started = time.perf_counter()
    bids, versions = seed_synthetic_portfolio(bid_count, names, random_seed)
    click.echo(f"Added {bids:,} bids and {versions:,} plan versions to "
               f"{', '.join(names)} in {time.perf_counter() - started:.1f} s.")
