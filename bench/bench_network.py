"""Benchmark: the network register at scale.

    .venv/bin/python bench/bench_network.py [--members 5000] [--bids 10000] [--runs 30]
        [--backend sqlite|postgresql|both]

Seeds a fresh database per backend (SQLite in a temporary file; PostgreSQL from
TEST_DATABASE_URL or a throwaway cluster, as the tests start one) with the synthetic
portfolio (``seed-portfolio``: 10,000 bids) and a register of 5,000 members (needs and
lived experience encrypted, as stored), and times, as medians after a warm-up:

- matching for one plan line against every member: the pure function alone
  (app.membership.matching.suggest, goal at most 50 ms), the register's read of the
  candidates (one query) plus matching and the needs counts (decrypting the fitting
  members' needs), and the line page a coordinator opens;
- the register list (page 1, and page 40 of 100) as a coordinator: goal at most 100 ms;
- the KPI summary as a coordinator (with the network KPIs, over a network of
  ``--kpi-members`` members: each member's needs and lived experience are decrypted)
  against the same page for a reviewer of the same teams (without them): goal at most
  100 ms on PostgreSQL.

Each figure is printed with its ratio to a baseline measured in the same run, so noise
from other work on the machine shows in both.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.membership import crypto, matching  # noqa: E402
from app.membership import services as register  # noqa: E402
from app.membership.kpis import year_bounds  # noqa: E402
from app.membership.lines import matches  # noqa: E402
from app.membership.models import Consent, Member  # noqa: E402
from app.membership.vocabulary import NEEDS, REGIONS, ROLE_CHOICES  # noqa: E402
from app.models import Bid, Team, User  # noqa: E402
from app.portfolio.seed import DEFAULT_TEAMS, seed_synthetic_portfolio  # noqa: E402
from app.versions import store  # noqa: E402
from bench.bench_portfolio import analyse, machine  # noqa: E402
from config import TestingConfig  # noqa: E402
from tests.postgres import postgres_url  # noqa: E402

PASSWORD = "benchmark-password"
ROLE = "advisory_group_member"
TAGS = ("carer", "deaf", "mental health", "learning disability", "older person")


def seed_members(count: int, rng: random.Random) -> None:
    """``count`` members as the register stores them (bulk, with their consent)."""
    keys = crypto.keys()
    roles = [key for key, _ in ROLE_CHOICES]
    members = [Member(kind="person" if n % 3 else "organisation", display_name=f"Member {n}",
                      organisation_name="" if n % 3 else f"Organisation {n}",
                      organisation_type="" if n % 3 else "equality_group",
                      region=REGIONS[n % len(REGIONS)], roles=rng.sample(roles, 3),
                      payment_preference="paid", status="active" if n % 20 else "paused",
                      joined_on=date(2020 + n % 6, 1 + n % 12, 1),
                      needs_cipher=keys.encrypt(rng.sample(NEEDS, n % 3)),
                      lived_experience_cipher=keys.encrypt(rng.sample(TAGS, 1 + n % 2)))
               for n in range(count)]
    db.session.add_all(members)
    db.session.flush()
    db.session.add_all(Consent(member_id=m.id, purpose="bid_work", given_on=date(2024, 1, 1))
                       for m in members if m.id % 10)
    db.session.commit()


CPU: dict[float, float] = {}  # median wall ms -> median CPU ms of this process, same runs


def timed(function, runs: int) -> float:
    """Median milliseconds of ``function()`` over ``runs`` calls after two warm-ups (the
    median CPU time of this process is kept in CPU: PostgreSQL's own work is not in it)."""
    function()
    function()
    timings, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        function()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    median = statistics.median(timings)
    CPU[median] = statistics.median(cpu)
    return median


def page(client, url: str):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return get


def signed_in(app, email: str):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, f"{email} could not sign in"
    return client


def report(name: str, median: float, baseline: float, goal: float | None = None) -> bool:
    met = goal is None or median <= goal
    flag = f"  (goal ≤ {goal:g} ms: {'met' if met else 'MISSED'})" if goal else ""
    cpu = CPU.get(median)
    print(f"   {name:<62} {median:7.1f} ms (CPU {cpu:6.1f})  {median / baseline:6.2f}× "
          f"baseline{flag}")
    return met


def run_backend(name: str, url: str, members: int, kpi_members: int, bids: int,
                runs: int) -> bool:
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    rng = random.Random(5)
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed_synthetic_portfolio(bids, DEFAULT_TEAMS, seed=1)
        teams = list(db.session.scalars(db.select(Team).order_by(Team.id)))
        team = teams[0]
        # Two reviewers of every team, alike but for the coordinator flag: the KPI summary
        # they see covers the same bids, so the difference is the network KPIs.
        for email, flag in (("coordinator@bench.example", True),
                            ("reviewer@bench.example", False)):
            user = User(email=email, name=email, role="reviewer", teams=teams,
                        network_coordinator=flag)
            user.set_password(PASSWORD)
            db.session.add(user)
        bid = Bid(team=team, title="Line bench", client="A council", value_pence=12_000_000,
                  start_date=date(2027, 4, 1), duration_months=12, scope="national",
                  work_type="training")
        db.session.add(bid)
        db.session.commit()
        writer = db.session.scalar(db.select(User).where(User.network_coordinator))
        store.save_plan(bid, {"level": "limited", "activities": [
            {"role": ROLE, "people": 8, "sessions": 4}]}, writer, None)
        started = time.perf_counter()
        seed_members(members, rng)
        seeded = time.perf_counter() - started
        analyse(app)
        bid_id = bid.id
        year = year_bounds(date.today())
        print(f"\n== {name}: {bids:,} bids, {members:,} members (seeded in {seeded:.1f} s)")
        ok = True
        candidates = register.candidates(*year)
        plain = [(c.member_id, c.involvements_this_year) for c in candidates]
        baseline = timed(lambda: sorted(plain, key=lambda pair: pair[1]), runs)
        print(f"-- matching one line (baseline: sorting {len(plain):,} plain pairs, "
              f"{baseline:.2f} ms)")
        pure = timed(lambda: matching.suggest(candidates, ROLE, None), runs)
        ok &= report(f"matching.suggest over {len(candidates):,} members (pure)", pure,
                     baseline, 50)
        fits = len(matching.suggest(candidates, ROLE, None))
        line_bid = db.session.get(Bid, bid_id)
        read = timed(lambda: register.candidates(*year, role=ROLE), runs)
        report("register.candidates (the one query, wanting the role)", read, baseline)
        full = timed(lambda: matches(line_bid, 0, True), runs)
        report(f"lines.matches: query, match, decrypt {fits} fitting members' needs", full,
               baseline)
        db.session.remove()
    coordinator = signed_in(app, "coordinator@bench.example")
    reviewer = signed_in(app, "reviewer@bench.example")
    health = timed(page(coordinator, "/healthz"), runs)
    print(f"-- pages (baseline: /healthz, {health:.2f} ms)")
    report("line page as the coordinator", timed(page(coordinator,
                                                      f"/network/bids/{bid_id}/lines/0"),
                                                 runs), health)
    ok &= report("register list, page 1 of 5,000 members", timed(
        page(coordinator, "/network/"), runs), health, 100)
    ok &= report("register list, page 4, filtered by region", timed(
        page(coordinator, "/network/?page=4&region=london"), runs), health, 100)
    with app.app_context():  # the KPIs read the whole network: a realistic one
        db.session.execute(text("DELETE FROM network_consents"))
        db.session.execute(db.delete(Member).where(Member.id > kpi_members))
        db.session.commit()
    without = timed(page(reviewer, "/portfolio/summary"), runs)
    print(f"-- KPI summary over {bids:,} bids (baseline: a reviewer's, the same bids without "
          f"the network KPIs, {without:.1f} ms)")
    ok &= report(f"KPI summary with the network KPIs ({kpi_members} members)",
                 timed(page(coordinator, "/portfolio/summary"), runs), without,
                 100 if name == "PostgreSQL" else None)
    with app.app_context():
        db.drop_all()
        db.engine.dispose()
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--kpi-members", type=int, default=64,
                        help="network size for the KPI summary (the report's is 64)")
    parser.add_argument("--bids", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args(argv)
    for line in machine():
        print(line)
    ok = True
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            ok &= run_backend("SQLite", f"sqlite:///{folder}/bench.db", args.members,
                              args.kpi_members, args.bids, args.runs)
    if args.backend in ("postgresql", "both"):
        with postgres_url() as url:
            if url is None:
                print("\n== PostgreSQL: not available (set TEST_DATABASE_URL or install it)")
                ok = False
            else:
                ok &= run_backend("PostgreSQL", url, args.members, args.kpi_members,
                                  args.bids, args.runs)
    print("\nAll goals met." if ok else "\nSome goals were missed (see above).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
