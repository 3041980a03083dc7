"""Benchmark: the portfolio page and the KPI summary with 10,000 bids and 30,000 versions.

    .venv/bin/python bench/bench_portfolio.py [--bids 10000] [--runs 30]
        [--backend sqlite|postgresql|both] [--profile] [--show-queries]

Seeds a fresh database per backend with ``seed-portfolio`` (SQLite in a
temporary file; PostgreSQL from TEST_DATABASE_URL or a throwaway cluster,
as the test suite starts one), signs in an admin and a one-team viewer, and
requests each page through the Flask test client. Prints the machine (with
the load average: other work on a shared machine slows every figure), the
seed time, then for each page the median and 90th percentile wall time, the
median CPU time of this process (the app, and SQLite's work, but not the
PostgreSQL server's) and the number of SQL statements one request runs
(counted with a ``before_cursor_execute`` event, sign-in and page furniture
included: a count that does not grow with the data means no N+1 queries).
The goal: portfolio page and KPI summary each at most 100 ms median.
``--profile`` adds a cProfile of the KPI summary (top 25 by cumulative time).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Team, User  # noqa: E402
from app.portfolio.periods import current_financial_year  # noqa: E402
from app.portfolio.seed import DEFAULT_TEAMS, seed_synthetic_portfolio  # noqa: E402
from bench.machine import cpu_model, load_average  # noqa: E402
from config import TestingConfig  # noqa: E402
from tests.postgres import postgres_url  # noqa: E402

PASSWORD = "benchmark-password"
GOAL_MS = 100.0


def machine() -> list[str]:
    """Lines about the machine: CPU, cores (nproc), date, Python, databases."""
    cpu = cpu_model()
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() \
        or str(os.cpu_count())
    load = load_average()
    return [f"machine: {cpu}, nproc {nproc}, {platform.system()} {platform.release()}",
            f"date: {datetime.now(UTC):%Y-%m-%d %H:%M UTC}, load average {load} "
            "(other work on the machine slows every figure)",
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"]


class QueryCounter:
    """Counts (and keeps the text of) the SQL statements sent to the database."""

    def __init__(self, engine) -> None:
        self.count = 0
        self.statements: list[str] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _connection, _cursor, statement, *_args) -> None:
        self.count += 1
        self.statements.append(" ".join(statement.split()))

    def reset(self) -> None:
        self.count = 0
        self.statements.clear()


def pages(year: int) -> dict[str, str]:
    return {
        "portfolio page": "/portfolio/",
        "portfolio page, filtered, sorted by share, page 3":
            f"/portfolio/?year={year}&status=submitted&sort=share&order=desc&page=3",
        "portfolio page, all years, page 40": "/portfolio/?year=&page=40",
        "KPI summary": "/portfolio/summary",
        "KPI summary, previous year": f"/portfolio/summary?year={year - 1}",
        "CSV export (one year)": "/portfolio/export.csv",
        "board PDF": "/portfolio/summary.pdf",
    }


def make_users() -> None:
    admin = User(email="admin@bench.example", name="Admin", role="admin")
    viewer = User(email="viewer@bench.example", name="Viewer", role="viewer",
                  teams=[db.session.scalar(db.select(Team).where(Team.name == DEFAULT_TEAMS[0]))])
    for user in (admin, viewer):
        user.set_password(PASSWORD)
        db.session.add(user)
    db.session.commit()


def analyse(app) -> None:
    """Up-to-date planner statistics, as a database that has been running would have."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql"
                                else "ANALYZE"))


def time_page(client, url: str, runs: int, counter: QueryCounter, show_queries: bool = False
              ) -> tuple[float, float, float, int]:
    """(median ms, p90 ms, median CPU ms of this process, SQL statements per request)
    over ``runs`` requests after a warm-up."""
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    counter.reset()
    client.get(url)
    queries = counter.count
    if show_queries:
        for statement in counter.statements:
            print(f"      SQL: {statement[:150]}")
    timings, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    timings.sort()
    return (statistics.median(timings), timings[int(len(timings) * 0.9) - 1],
            statistics.median(cpu), queries)


def profile(client, url: str) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        client.get(url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print(out.getvalue())


def run_backend(name: str, url: str, bids: int, runs: int, want_profile: bool,
                show_queries: bool = False) -> bool:
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        _, versions = seed_synthetic_portfolio(bids, DEFAULT_TEAMS, seed=1)
        seeded = time.perf_counter() - started
        make_users()
        analyse(app)
        db.session.remove()
        counter = QueryCounter(db.engine)
    # Requests run outside any app context, as in production: each pushes its own, so
    # nothing (the signed-in user, the session's identity map) carries over between them.
    print(f"\n== {name}: {bids:,} bids, {versions:,} versions, seeded in {seeded:.1f} s")
    ok = True
    year = current_financial_year()
    for role in ("admin", "viewer"):
        client = app.test_client()
        response = client.post("/sign-in", data={"email": f"{role}@bench.example",
                                                 "password": PASSWORD})
        assert response.status_code == 302, f"{role} could not sign in"
        print(f"-- signed in as the {role}"
              + (" (sees every team)" if role == "admin" else " (one team of three)"))
        print(f"   {'page':<52} {'median':>8} {'p90':>8} {'cpu':>8} {'queries':>8}")
        for label, path in pages(year).items():
            median, p90, cpu, queries = time_page(client, path, runs, counter, show_queries)
            goal = label in ("portfolio page", "KPI summary")
            flag = ("  (goal ≤ 100 ms: " + ("met" if median <= GOAL_MS else "MISSED") + ")"
                    if goal else "")
            ok &= not goal or median <= GOAL_MS
            print(f"   {label:<52} {median:6.1f}ms {p90:6.1f}ms {cpu:6.1f}ms "
                  f"{queries:8d}{flag}")
        if want_profile and role == "admin":
            profile(client, "/portfolio/summary")
    with app.app_context():
        db.drop_all()
        db.engine.dispose()
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bids", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--show-queries", action="store_true",
                        help="print the SQL statements of one request to each page")
    args = parser.parse_args(argv)
    for line in machine():
        print(line)
    ok = True
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            ok &= run_backend("SQLite", f"sqlite:///{folder}/bench.db", args.bids, args.runs,
                              args.profile, args.show_queries)
    if args.backend in ("postgresql", "both"):
        with postgres_url() as url:
            if url is None:
                print("\n== PostgreSQL: not available (set TEST_DATABASE_URL or install it)")
                ok = False
            else:
                with create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url).app_context():
                    version = db.session.scalar(text("SHOW server_version"))
                    db.engine.dispose()
                print(f"\nPostgreSQL {version}")
                ok &= run_backend("PostgreSQL", url, args.bids, args.runs, args.profile,
                                  args.show_queries)
    print("\nAll goals met." if ok else "\nSome goals were missed (see above).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
