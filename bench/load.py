"""Load test: many users at once against gunicorn, on localhost only, bounded in time.

    .venv/bin/python bench/load.py                       # the full run (also `make bench`)
    .venv/bin/python bench/load.py --users 10 --seconds 10 --capacity-seconds 5  # smoke run
    .venv/bin/python bench/load.py --postgres --processes 2 --workers 1   # scale-out shape
    .venv/bin/python bench/load.py --database-url postgresql://user@host/db

It prepares its own database (a temp SQLite file, a throwaway PostgreSQL cluster
with --postgres, or the given URL, into which it only adds rows), seeds one account,
one bid and one draft plan per user with the app's own functions, starts gunicorn
(--processes servers, each with --workers sync workers, warmed up by
gunicorn.conf.py) on 127.0.0.1, and runs locust headless as a subprocess: each user
signs in, lists bids, recalculates the estimate, saves a line with a changed value,
downloads the plan PDF, and now and then signs out and in again, with CSRF tokens
scraped from the forms. With several servers every user's requests rotate over
them, so its session and CSRF token must work on each.

Three runs, one after the other, against the same servers:

1. people: the users with --wait think time between tasks (default 1-3 s), measured
   for --seconds once the last user has started (the ramp-up, users starting
   SPAWN_RATE a second and all signing in, is reported on its own line);
2. capacity: the same users with no think time, each sending its next request as
   soon as the last is answered, for --capacity-seconds: the most the app serves;
3. ceiling: a bare endpoint of the same app that does nothing (/healthz), with no
   think time, for --ceiling-seconds.

It prints requests per second and p50/p95/p99 per endpoint (from every response
time, not locust's buckets), the 5xx count, and whether every save the client saw
acknowledged is in the database (its value, and one `plan.saved` audit entry per
acknowledged save); then PASS or FAIL against the targets: latency from the people
run, throughput as capacity / ceiling, 5xx and lost saves from both. Nothing here
asserts: the figures are for reading. Locust runs on the same 2 cores as the
server: its CPU time is printed too.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import describe, load_average  # noqa: E402
from tests.processes import free_port, stop  # noqa: E402

BIN = Path(sys.executable).parent
PASSWORD = "load-test-password"
TARGETS = {"page_p95_ms": 150, "pdf_p95_ms": 300, "ratio": 0.40}
SPAWN_RATE = 10


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument("--seconds", type=int, default=60,
                        help="length of the people run, after the ramp-up (default 60)")
    parser.add_argument("--capacity-seconds", type=int, default=None,
                        help="length of the capacity run, no think time (default: as "
                             "--seconds, at most 30; 0 skips it)")
    parser.add_argument("--ceiling-seconds", type=int, default=None,
                        help="length of the bare /healthz run (default: as --capacity-seconds)")
    parser.add_argument("--wait", type=float, nargs=2, default=(1.0, 3.0),
                        metavar=("MIN", "MAX"),
                        help="think time between a user's tasks in the people run, in "
                             "seconds (default 1 3: people at a desk clicking quickly)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", help="an existing database (rows are only added)")
    where.add_argument("--postgres", action="store_true",
                       help="a throwaway PostgreSQL cluster (needs Debian's postgresql)")
    parser.add_argument("--processes", type=int, default=1,
                        help="gunicorn processes on separate ports sharing the database")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per process")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (above 1, gunicorn's gthread worker)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work folder (server and locust logs, raw results)")
    args = parser.parse_args(argv)
    if args.capacity_seconds is None:
        args.capacity_seconds = min(args.seconds, 30)
    if args.ceiling_seconds is None:
        args.ceiling_seconds = args.capacity_seconds or min(args.seconds, 30)
    if args.users < 1 or args.seconds < 1 or args.processes < 1 or args.workers < 1 \
            or args.ceiling_seconds < 1 or args.capacity_seconds < 0:
        parser.error("--users, --seconds, --ceiling-seconds, --processes and --workers must "
                     "be at least 1, --capacity-seconds at least 0")
    if not 0 <= args.wait[0] <= args.wait[1]:
        parser.error("--wait MIN MAX: 0 <= MIN <= MAX")
    return args


# --- the database ------------------------------------------------------------------------

@contextmanager
def database(args, workdir: Path) -> Iterator[str]:
    """A SQLAlchemy URL for this run's database."""
    from config import normalise_database_url

    if args.database_url:
        yield normalise_database_url(args.database_url)
    elif args.postgres:
        from tests.postgres import find_bindir, throwaway_cluster

        bindir = find_bindir()
        if bindir is None:
            raise SystemExit("--postgres needs PostgreSQL's server binaries (Debian's postgresql)")
        with throwaway_cluster(bindir) as url:
            yield url
    else:
        yield f"sqlite:///{workdir / 'load.db'}"


def seed(url: str, users: int, tag: str) -> list[dict]:
    """One writer, one bid and one saved draft plan (level good) per simulated user,
    through the app's own functions. Returns the accounts for the locustfile."""
    from app import create_app
    from app.extensions import db
    from app.models import Bid, Team, User
    from app.versions import engine, store
    from app.versions.engine import seed_rate_cards
    from config import DevelopmentConfig

    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url, CACHE_TYPE="NullCache",
                     CACHE_NO_NULL_WARNING=True)
    accounts = []
    with app.app_context():
        db.create_all()  # the schema the models describe; safe on a database that has it
        seed_rate_cards()
        team = Team(name=f"Load test {tag}")
        db.session.add(team)
        for index in range(users):
            user = User(email=f"load-{tag}-{index:03d}@example.org", name=f"Load user {index}",
                        role="writer", teams=[team])
            user.set_password(PASSWORD)
            bid = Bid(team=team, created_by=user, title=f"Load test bid {index}",
                      client="A county council", reference=f"LOAD-{tag}-{index:03d}",
                      value_pence=12_000_000, start_date=date(2027, 4, 1), duration_months=12,
                      scope="local", work_type="training", client_requires_coproduction=True)
            db.session.add_all([user, bid])
            db.session.commit()
            start = engine.starting_inputs(store.latest_version(bid))
            inputs = engine.with_level(start, bid, "good", None)
            version = store.save_plan(bid, inputs, user, None)
            accounts.append({"email": user.email, "password": PASSWORD, "bid_id": bid.id,
                             "version": version.number,
                             "seeded": version.inputs["activities"][0]["people"]})
        db.session.remove()
        db.engine.dispose()
    return accounts


def merge_acknowledged(runs: list[dict]) -> dict:
    """Saves acknowledged per bid over several runs, in order: counts add up and the
    last value is the last run's that saved that bid."""
    merged: dict[str, dict] = {}
    for run in runs:
        for bid_id, seen in run["client"]["acknowledged"].items():
            row = merged.setdefault(bid_id, {"saves": 0, "last": None})
            row["saves"] += seen["saves"]
            row["last"] = seen["last"] if seen["last"] is not None else row["last"]
    return merged


def check_saves(url: str, accounts: list[dict], acknowledged: dict) -> dict:
    """Compare what the client saw acknowledged with what the database holds."""
    from sqlalchemy import func, select

    from app import create_app
    from app.extensions import db
    from app.models import AuditEvent, PlanVersion
    from config import DevelopmentConfig

    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url, CACHE_TYPE="NullCache",
                     CACHE_NO_NULL_WARNING=True)
    result = {"acknowledged": 0, "audited": 0, "lost": 0, "wrong_value": 0, "unacknowledged": 0}
    with app.app_context():
        for account in accounts:
            bid_id = account["bid_id"]
            seen = acknowledged.get(str(bid_id), {"saves": 0, "last": None})
            audited = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.bid_id == bid_id, AuditEvent.action == "plan.saved")) - 1  # seed's
            version = db.session.scalar(select(PlanVersion).where(
                PlanVersion.bid_id == bid_id, PlanVersion.number == account["version"]))
            stored = version.inputs["activities"][0]["people"]
            result["acknowledged"] += seen["saves"]
            result["audited"] += audited
            result["lost"] += max(0, seen["saves"] - audited)
            result["unacknowledged"] += max(0, audited - seen["saves"])
            if seen["last"] is not None and stored != seen["last"] and audited == seen["saves"]:
                result["wrong_value"] += 1
        db.session.remove()
        db.engine.dispose()
    return result


# --- the servers ---------------------------------------------------------------------------

def healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def gunicorns(url: str, args, workdir: Path) -> Iterator[list[str]]:
    """--processes gunicorns sharing the database and SECRET_KEY; yields their base URLs."""
    env = dict(os.environ, DATABASE_URL=url, APP_ENV="development", LOG_LEVEL="WARNING",
               SECRET_KEY=secrets.token_hex(32), CACHE_DIR=str(workdir / "cache"))
    processes, servers = [], []
    try:
        for _ in range(args.processes):
            port = free_port()
            with open(workdir / f"gunicorn-{port}.log", "w") as log:
                processes.append(subprocess.Popen(
                    [str(BIN / "gunicorn"), "--workers", str(args.workers),
                     "--threads", str(args.threads), "--bind", f"127.0.0.1:{port}", "--timeout", "60",
                     "--graceful-timeout", "5", "wsgi:app"],
                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
            servers.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 60
        for server, process in zip(servers, processes, strict=True):
            while not healthy(server):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn at {server} did not start: see {workdir}")
                threading.Event().wait(0.1)
        yield servers
    finally:
        for process in processes:
            stop(process)


# --- locust -------------------------------------------------------------------------------

def run_locust(name: str, mode: str, seconds: int, wait: tuple[float, float], args,
               servers: list[str], accounts: list[dict], workdir: Path,
               values: tuple[int, int] = (12, 500)) -> dict:
    """One headless locust run: the users start (SPAWN_RATE a second), then all of them
    work for `seconds`. Returns the client's counts and the stats of the measured part."""
    plan = workdir / "plan.json"
    plan.write_text(json.dumps({"servers": servers, "accounts": accounts}))
    results = workdir / f"results-{name}.json"
    env = dict(os.environ, LOAD_PLAN=str(plan), LOAD_MODE=mode, LOAD_RESULTS=str(results),
               LOAD_WAIT_MIN=str(wait[0]), LOAD_WAIT_MAX=str(wait[1]),
               LOAD_USERS=str(args.users), LOAD_VALUES=f"{values[0]},{values[1]}")
    ramp_up = math.ceil(args.users / SPAWN_RATE) + 2  # starting, then the last sign-ins
    command = [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
               "-u", str(args.users), "-r", str(SPAWN_RATE), "-t", f"{ramp_up + seconds}s",
               "--host", servers[0], "--only-summary", "--loglevel", "WARNING",
               # at the end, let each user finish its task: a save cut off after the
               # server stored it would count as stored but never acknowledged
               "--stop-timeout", "30",
               "--exit-code-on-error", "0"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(workdir / f"locust-{name}.log", "w") as log:
        done = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                              timeout=ramp_up + seconds + 150)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0 or not results.exists():
        raise SystemExit(f"locust failed (exit {done.returncode}): see {workdir}/locust-{name}.log")
    client = json.loads(results.read_text())
    if not client["steady_from"]:
        raise SystemExit(f"not every user signed in during the {name} run: see "
                         f"{workdir}/locust-{name}.log")
    steady_from = client["steady_from"]
    first_sent = client["last_answer"] - client["window_s"]
    steady_s = max(0.0, client["last_answer"] - steady_from)
    # A request belongs to the part of the run in which it was sent.
    return {"name": name, "wait": wait, "seconds": steady_s, "client": client,
            "stats": endpoint_stats(client["endpoints"], lambda sent: sent >= steady_from,
                                    steady_s),
            "ramp_up": endpoint_stats(client["endpoints"], lambda sent: sent < steady_from,
                                      max(0.0, steady_from - first_sent))["all"],
            "locust_cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "wall_s": ramp_up + seconds}


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list (0 for none)."""
    if not ordered:
        return 0.0
    return ordered[max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))]


def endpoint_stats(endpoints: dict[str, dict], counted: Callable[[float], bool],
                   window_s: float) -> dict[str, dict]:
    """Requests, requests per second over `window_s`, p50/p95/p99, 5xx and unanswered,
    per endpoint and for all of them ('all'), of the requests whose sending time (epoch
    seconds) is `counted`."""
    def summary(samples: list[tuple[float, str]]) -> dict:
        ordered = sorted(ms for ms, _status in samples)
        statuses = [status for _ms, status in samples]
        return {"requests": len(ordered), "rps": len(ordered) / window_s if window_s else 0.0,
                "p50": percentile(ordered, 0.50), "p95": percentile(ordered, 0.95),
                "p99": percentile(ordered, 0.99),
                "5xx": sum(1 for status in statuses if status.startswith("5")),
                "unanswered": statuses.count("0")}
    samples = {name: [(ms, status) for ms, at, status in
                      zip(row["ms"], row["at"], row["statuses"], strict=True)
                      if counted(at - ms / 1000)]
               for name, row in endpoints.items()}
    stats = {name: summary(rows) for name, rows in samples.items() if rows}
    stats["all"] = summary([sample for rows in samples.values() for sample in rows])
    return stats


# --- the report ---------------------------------------------------------------------------

def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_table(title: str, stats: dict, extra_rows: list[tuple[str, dict]] = ()) -> None:
    print(f"\n  {title}")
    print(f"  {'endpoint':<44} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'5xx':>5}")
    rows = dict(stats)
    total = rows.pop("all")
    for name, row in [*sorted(rows.items()), ("all", total), *extra_rows]:
        print(f"  {name:<44} {row['requests']:>8} {row['rps']:>7.1f} {row['p50']:>7.0f} "
              f"{row['p95']:>7.0f} {row['p99']:>7.0f} {row['5xx']:>5}")


def describe_run(run: dict) -> str:
    wait = run["wait"]
    pace = f"think time {wait[0]:g}-{wait[1]:g} s" if wait[1] > 0 else "no think time"
    return f"{pace}, {run['seconds']:.0f} s measured after the ramp-up"


def report(args, backend: str, people: dict, capacity: dict | None, bare: dict, saves: dict,
           loads: dict) -> bool:
    print(f"\nLoad test, {datetime.now():%Y-%m-%d %H:%M}: {describe()}")
    print(f"  {backend}; {args.processes} gunicorn process(es) x {args.workers} workers x "
          f"{args.threads} thread(s); {args.users} users, started {SPAWN_RATE} a second")
    print(f"  load average (1, 5, 15 min) before: {loads['before']}; after: {loads['after']}"
          "  (other work on this machine competes too)")
    runs = [run for run in (people, capacity) if run is not None]
    for run in runs:
        ramp = run["ramp_up"]
        print_table(f"{run['name']} run: {args.users} users, {describe_run(run)}",
                    run["stats"], [("(ramp-up, not counted above)", ramp)])
    print_table(f"ceiling: GET /healthz (does nothing), {args.users} users, no think time, "
                f"{bare['seconds']:.0f} s", bare["stats"])

    statuses: dict[str, int] = {}
    problems: dict[str, int] = {}
    for run in runs:
        for status, count in run["client"]["status_counts"].items():
            statuses[status] = statuses.get(status, 0) + count
        for problem, count in run["client"]["problems"].items():
            problems[problem] = problems.get(problem, 0) + count
    print(f"\n  status codes seen by the client, ramp-ups included: {dict(sorted(statuses.items()))}"
          " (0: no answer)")
    if problems:
        print(f"  problems: {problems}")
    print(f"  saves acknowledged (302): {saves['acknowledged']}; plan.saved audit entries: "
          f"{saves['audited']}; lost: {saves['lost']}; stored value not the last "
          f"acknowledged: {saves['wrong_value']}; saved but not acknowledged (cut off at the "
          f"end): {saves['unacknowledged']}")
    for run in [*runs, bare]:
        print(f"  locust's own CPU in the {run['name']} run: {run['locust_cpu_s']:.1f} s "
              f"({100 * run['locust_cpu_s'] / run['wall_s']:.0f}% of one core)")
    print("  (locust runs on the same cores as the server)")

    stats = dict(people["stats"])
    stats.pop("all")
    pdf_names = [name for name in stats if "PDF" in name]
    pages = {name: row["p95"] for name, row in stats.items() if name not in pdf_names}
    worst_page = max(pages, key=pages.get) if pages else "none"
    pdf_p95 = max((stats[name]["p95"] for name in pdf_names), default=0.0)
    every = [run[part]["all"] if part == "stats" else run[part]
             for run in [*runs, bare] for part in ("stats", "ramp_up")]
    errors = sum(row["5xx"] for row in every)
    unanswered = sum(row["unanswered"] for row in every)
    checks = [
        (f"zero 5xx in every run, ramp-ups and the ceiling included (got {errors}; "
         f"{unanswered} not answered)",
         errors == 0 and unanswered == 0),
        (f"zero lost saves (lost {saves['lost']}, wrong value {saves['wrong_value']})",
         saves["lost"] == 0 and saves["wrong_value"] == 0),
        (f"p95 of every page <= {TARGETS['page_p95_ms']} ms, people run (worst "
         f"{pages.get(worst_page, 0):.0f} ms, {worst_page})",
         bool(pages) and pages[worst_page] <= TARGETS["page_p95_ms"]),
        (f"p95 of PDF downloads <= {TARGETS['pdf_p95_ms']} ms, people run (got {pdf_p95:.0f} ms)",
         bool(pdf_names) and pdf_p95 <= TARGETS["pdf_p95_ms"]),
    ]
    if capacity is not None:
        served, ceiling = capacity["stats"]["all"]["rps"], bare["stats"]["all"]["rps"]
        ratio = served / ceiling if ceiling else 0.0
        checks.append((f"throughput >= {TARGETS['ratio']:.0%} of the bare endpoint's, both with "
                       f"no think time ({served:.1f} / {ceiling:.1f} req/s = {ratio:.1%})",
                       ratio >= TARGETS["ratio"]))
    print()
    for text, ok in checks:
        print(f"  {verdict(ok)}  {text}")
    return all(ok for _, ok in checks)


def out_of_time(_signal, _frame) -> None:
    raise TimeoutError("the load test ran past its time budget")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for tool in ("gunicorn", "locust"):
        if not (BIN / tool).exists():
            raise SystemExit(f"{tool} is not installed: pip install -r requirements-dev.txt")
    # A hard bound on the whole run, whatever hangs.
    budget = args.seconds + args.capacity_seconds + args.ceiling_seconds + 900
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(budget)
    workdir = Path(tempfile.mkdtemp(prefix="coproduction-load-"))
    tag = secrets.token_hex(3)
    try:
        with database(args, workdir) as url:
            backend = url.split(":", 1)[0].split("+")[0]
            print(f"Seeding {args.users} users, bids and plans on {backend} ...", flush=True)
            accounts = seed(url, args.users, tag)
            with gunicorns(url, args, workdir) as servers:
                loads = {"before": load_average()}
                print(f"People run: {args.users} users, think time {args.wait[0]:g}-"
                      f"{args.wait[1]:g} s, {args.seconds} s after the ramp-up, against "
                      f"{', '.join(servers)} ...", flush=True)
                people = run_locust("people", "mixed", args.seconds, tuple(args.wait), args,
                                    servers, accounts, workdir, values=(12, 250))
                capacity = None
                if args.capacity_seconds:
                    print(f"Capacity run: the same users with no think time, "
                          f"{args.capacity_seconds} s ...", flush=True)
                    capacity = run_locust("capacity", "mixed", args.capacity_seconds, (0, 0),
                                          args, servers, accounts, workdir, values=(251, 500))
                print(f"Ceiling: /healthz, {args.users} users with no think time, "
                      f"{args.ceiling_seconds} s ...", flush=True)
                bare = run_locust("ceiling", "bare", args.ceiling_seconds, (0, 0), args,
                                  servers, accounts, workdir)
                loads["after"] = load_average()
            runs = [run for run in (people, capacity) if run is not None]
            saves = check_saves(url, accounts, merge_acknowledged(runs))
            report(args, backend, people, capacity, bare, saves, loads)
    finally:
        signal.alarm(0)
        if args.keep:
            print(f"\nLogs and CSV kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
