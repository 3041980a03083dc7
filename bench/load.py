"""Load test: how many people can one 2-core machine serve? On localhost only, bounded.

    .venv/bin/python bench/load.py                       # the full run (also `make bench`)
    .venv/bin/python bench/load.py --steps 10,20 --seconds 10   # smoke run
    .venv/bin/python bench/load.py --postgres --processes 2 --workers 1   # scale-out shape
    .venv/bin/python bench/load.py --database-url postgresql://user@host/db

It prepares its own database (a temp SQLite file, a throwaway PostgreSQL cluster
with --postgres, or the given URL, into which it only adds rows), seeds one account,
one bid and one draft plan per user of the largest step with the app's own
functions, starts gunicorn (--processes servers, each with --workers sync workers,
warmed up by gunicorn.conf.py) on 127.0.0.1, and runs locust headless as a
subprocess: each user signs in, lists bids, recalculates the estimate, saves a line
with a changed value, downloads the plan PDF, and now and then signs out and in
again, with CSRF tokens scraped from the forms, thinking --wait seconds (default
1-3 s) between tasks. With several servers every user's requests rotate over them,
so its session and CSRF token must work on each.

The people are stepped up (--steps, default 25, 50, 100, 150, 200, 250): each step is a
locust run of that many users, measured for --seconds from SETTLE_S after the last
has signed in (the ramp-up, users starting SPAWN_RATE a second, is reported on its own
line). A step holds when every page's p95 is at most 150 ms and the PDF's at most 300 ms
(measured part), with zero 5xx and zero unanswered requests (ramp-up included) and
zero lost saves (every save the client saw acknowledged is in the database: its
value, and one `plan.saved` audit entry per acknowledged save). The stepping stops
at the first step that does not hold; the people capacity is the last step that
held, with PASS if it reaches the goal (150 people). A bare endpoint of the same app
that does nothing (/healthz, no think time) is measured last, printed as a
reference only. Nothing here asserts: the figures are for reading. Locust runs on
the same 2 cores as the server: each step prints where the machine's CPU went (the
servers, with their CPU per request; locust; and any other work on the machine, read
from /proc, which a step's latency also pays for), and the verdict says when other
work took a noticeable share, so a figure from a busy machine is not taken for one
from a quiet one.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import resource
import runpy
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
TARGETS = {"page_p95_ms": 150, "pdf_p95_ms": 300, "people": 150}
STEPS = (25, 50, 100, 150, 200, 250)
SPAWN_RATE = 10
OTHER_WORK_NOTICEABLE = 0.10  # of the machine's cores, during a step
SETTLE_S = 5  # after the last sign-in, before the measured part: the ramp-up's queue drains


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default=",".join(map(str, STEPS)),
                        help="people per step, ascending (default %(default)s)")
    parser.add_argument("--seconds", type=int, default=30,
                        help="length of each step, after its ramp-up (default 30)")
    parser.add_argument("--ceiling-seconds", type=int, default=10,
                        help="length of the bare /healthz reference run (default 10)")
    parser.add_argument("--ceiling-users", type=int, default=50,
                        help="users of the bare /healthz reference run (default 50)")
    parser.add_argument("--wait", type=float, nargs=2, default=(1.0, 3.0),
                        metavar=("MIN", "MAX"),
                        help="think time between a user's tasks, in seconds (default 1 3: "
                             "people at a desk clicking quickly)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", help="an existing database (rows are only added)")
    where.add_argument("--postgres", action="store_true",
                       help="a throwaway PostgreSQL cluster (needs Debian's postgresql)")
    parser.add_argument("--processes", type=int, default=1,
                        help="gunicorn processes on separate ports sharing the database")
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn workers per process (default: gunicorn.conf.py's, "
                             "two per core)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (above 1, gunicorn's gthread worker)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work folder (server and locust logs, raw results)")
    args = parser.parse_args(argv)
    try:
        args.steps = [int(step) for step in args.steps.split(",")]
    except ValueError:
        parser.error("--steps: whole numbers separated by commas, like 50,100,150")
    if not args.steps or args.steps != sorted(args.steps) or args.steps[0] < 1:
        parser.error("--steps: ascending numbers of people, at least 1")
    if args.workers is None:  # what a server started here runs
        args.workers = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]
    if args.seconds < 1 or args.processes < 1 or args.workers < 1 \
            or args.ceiling_seconds < 1 or args.ceiling_users < 1:
        parser.error("--seconds, --ceiling-seconds, --ceiling-users, --processes and "
                     "--workers must be at least 1")
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


# --- CPU accounting ------------------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()
    except OSError:  # gone, or not Linux
        return None


def server_cpu_s(pids: list[int]) -> float:
    """CPU seconds used so far by these gunicorn masters and everything under them
    (workers and their document renderers; a process that ended is counted in its
    parent's children's time)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry))  # parent id
    ticks, seen = 0, set()
    stack = list(pids)
    while stack:
        pid = stack.pop()
        if pid in seen or (fields := _stat(pid)) is None:
            continue
        seen.add(pid)
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
        if pid in pids:
            ticks += int(fields[13]) + int(fields[14])  # the master's ended children
        stack += children.get(pid, [])
    return ticks / TICKS


def wait_until_idle(pids: list[int], limit_s: float = 90.0) -> None:
    """Until the servers have finished starting up (workers warmed, renderers warmed):
    less than 5% of a core over half a second, so the first step does not pay for it."""
    deadline = time.monotonic() + limit_s
    last = server_cpu_s(pids)
    while time.monotonic() < deadline:
        threading.Event().wait(0.5)
        now = server_cpu_s(pids)
        if now - last < 0.025:
            return
        last = now


def machine_busy_s() -> float:
    """CPU seconds every process on the machine has used so far (all cores)."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            values = [int(value) for value in stat.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle, iowait
    return (sum(values[:8]) - idle) / TICKS


# --- the servers ---------------------------------------------------------------------------

def healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def gunicorns(url: str, args, workdir: Path) -> Iterator[tuple[list[str], list[int]]]:
    """--processes gunicorns sharing the database and SECRET_KEY; yields their base URLs
    and their masters' process ids."""
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
        yield servers, [process.pid for process in processes]
    finally:
        for process in processes:
            stop(process)


# --- locust -------------------------------------------------------------------------------

def run_locust(name: str, mode: str, seconds: int, wait: tuple[float, float], users: int,
               servers: list[str], accounts: list[dict], workdir: Path,
               values: tuple[int, int] = (12, 500), server_pids: list[int] = ()) -> dict:
    """One headless locust run: the users start (SPAWN_RATE a second), then all of them
    work for `seconds`. Returns the client's counts, the stats of the measured part and
    the CPU seconds the servers, locust and the whole machine used during the run."""
    plan = workdir / "plan.json"
    plan.write_text(json.dumps({"servers": servers, "accounts": accounts}))
    results = workdir / f"results-{name}.json"
    env = dict(os.environ, LOAD_PLAN=str(plan), LOAD_MODE=mode, LOAD_RESULTS=str(results),
               LOAD_WAIT_MIN=str(wait[0]), LOAD_WAIT_MAX=str(wait[1]),
               LOAD_USERS=str(users), LOAD_VALUES=f"{values[0]},{values[1]}")
    ramp_up = math.ceil(users / SPAWN_RATE) + 2 + SETTLE_S  # starting, signing in, settling
    command = [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
               "-u", str(users), "-r", str(SPAWN_RATE), "-t", f"{ramp_up + seconds}s",
               "--host", servers[0], "--only-summary", "--loglevel", "WARNING",
               # at the end, let each user finish its task: a save cut off after the
               # server stored it would count as stored but never acknowledged
               "--stop-timeout", "30",
               "--exit-code-on-error", "0"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = (server_cpu_s(list(server_pids)), machine_busy_s())
    started = time.monotonic()
    with open(workdir / f"locust-{name}.log", "w") as log:
        done = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                              timeout=ramp_up + seconds + 150)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_after = (server_cpu_s(list(server_pids)), machine_busy_s())
    elapsed = time.monotonic() - started
    if done.returncode != 0 or not results.exists():
        raise SystemExit(f"locust failed (exit {done.returncode}): see {workdir}/locust-{name}.log")
    client = json.loads(results.read_text())
    if not client["steady_from"]:
        raise SystemExit(f"not every user signed in during the {name} run: see "
                         f"{workdir}/locust-{name}.log")
    steady_from = client["steady_from"] + (SETTLE_S if mode != "bare" else 0)
    first_sent = client["last_answer"] - client["window_s"]
    steady_s = max(0.0, client["last_answer"] - steady_from)
    # A request belongs to the part of the run in which it was sent.
    return {"name": name, "users": users, "wait": wait, "seconds": steady_s, "client": client,
            "stats": endpoint_stats(client["endpoints"], lambda sent: sent >= steady_from,
                                    steady_s),
            "ramp_up": endpoint_stats(client["endpoints"], lambda sent: sent < steady_from,
                                      max(0.0, steady_from - first_sent))["all"],
            "locust_cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "server_cpu_s": cpu_after[0] - cpu_before[0],
            "machine_cpu_s": cpu_after[1] - cpu_before[1],
            "requests": sum(len(row["ms"]) for row in client["endpoints"].values()),
            "wall_s": elapsed}


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


def step_checks(run: dict, saves: dict) -> list[tuple[str, bool]]:
    """Whether one step holds: latency of its measured part, 5xx and unanswered requests
    of all of it, and the saves lost so far."""
    stats = dict(run["stats"])
    stats.pop("all")
    pdf_names = [name for name in stats if "PDF" in name]
    pages = {name: row["p95"] for name, row in stats.items() if name not in pdf_names}
    worst_page = max(pages, key=pages.get) if pages else "none"
    pdf_p95 = max((stats[name]["p95"] for name in pdf_names), default=0.0)
    stored = sum(seen["saves"] for seen in run["client"]["acknowledged"].values())
    errors = run["stats"]["all"]["5xx"] + run["ramp_up"]["5xx"]
    unanswered = run["stats"]["all"]["unanswered"] + run["ramp_up"]["unanswered"]
    return [
        (f"page p95 <= {TARGETS['page_p95_ms']} ms (worst {pages.get(worst_page, 0):.0f} ms, "
         f"{worst_page})", bool(pages) and pages[worst_page] <= TARGETS["page_p95_ms"]),
        (f"PDF p95 <= {TARGETS['pdf_p95_ms']} ms ({pdf_p95:.0f} ms)",
         bool(pdf_names) and pdf_p95 <= TARGETS["pdf_p95_ms"]),
        (f"zero 5xx ({errors}) and unanswered ({unanswered})", errors == 0 and unanswered == 0),
        (f"zero lost saves so far (lost {saves['lost']}, wrong value {saves['wrong_value']})",
         saves["lost"] == 0 and saves["wrong_value"] == 0),
        (f"the step's saves were stored ({stored} acknowledged)", stored > 0),
    ]


def other_share(run: dict) -> float:
    """The share of the machine's cores that work other than this test used in a run."""
    other = run["machine_cpu_s"] - run["server_cpu_s"] - run["locust_cpu_s"]
    return max(0.0, other) / run["wall_s"] / (os.cpu_count() or 1)


def cpu_line(run: dict) -> str:
    """Where the machine's CPU went during one run: the servers (per request), locust,
    and everything else on the machine (other work competing with the servers)."""
    wall, cores = run["wall_s"], os.cpu_count() or 1
    server, locust = run["server_cpu_s"], run["locust_cpu_s"]
    other = other_share(run) * wall * cores
    per_request = 1000 * server / run["requests"] if run["requests"] else 0.0
    return (f"CPU over the run's {wall:.0f} s: servers {server:.1f} s "
            f"({100 * server / wall / cores:.0f}% of {cores} cores, {per_request:.1f} ms a "
            f"request), locust {locust:.1f} s ({100 * locust / wall / cores:.0f}%), other work "
            f"on the machine {other:.1f} s ({100 * other / wall / cores:.0f}%)")


def report(args, backend: str, steps: list[dict], bare: dict, loads: dict) -> bool:
    print(f"\nLoad test, {datetime.now():%Y-%m-%d %H:%M}: {describe()}")
    print(f"  {backend}; {args.processes} gunicorn process(es) x {args.workers} workers x "
          f"{args.threads} thread(s); people stepped up {', '.join(map(str, args.steps))}, "
          f"started {SPAWN_RATE} a second")
    print(f"  load average (1, 5, 15 min) before: {loads['before']}; after: {loads['after']}"
          "  (other work on this machine competes too)")
    for step in steps:
        run = step["run"]
        print_table(f"{run['users']} people, {describe_run(run)}", run["stats"],
                    [("(ramp-up, not counted above)", run["ramp_up"])])
        saves = step["saves"]
        print(f"  saves acknowledged so far: {saves['acknowledged']}; plan.saved entries: "
              f"{saves['audited']}; lost: {saves['lost']}; wrong value: "
              f"{saves['wrong_value']}; stored but not acknowledged (cut off at the end): "
              f"{saves['unacknowledged']}")
        print(f"  {cpu_line(run)}")
        for text, ok in step["checks"]:
            print(f"  {verdict(ok)}  {text}")
    print_table(f"reference only: GET /healthz (does nothing), {bare['users']} users, no think "
                f"time, {bare['seconds']:.0f} s", bare["stats"])
    held = [step["run"]["users"] for step in steps if step["held"]]
    capacity = held[-1] if held else 0
    limit = next((step for step in steps if not step["held"]), None)
    why = "" if limit is None else (
        f"; {limit['run']['users']} did not hold: "
        + "; ".join(text for text, ok in limit["checks"] if not ok))
    if limit is None:
        why += f" (every step held: the capacity is at least {capacity})"
    ok = capacity >= TARGETS["people"]
    busiest = max((other_share(step["run"]) for step in steps), default=0.0)
    if busiest > OTHER_WORK_NOTICEABLE:
        print(f"\n  NOTE: other work on this machine used up to {100 * busiest:.0f}% of its cores "
              "during a step: this capacity is of a busy machine, not a quiet one")
    print(f"\n  people capacity: {capacity} people at {args.wait[0]:g}-{args.wait[1]:g} s think "
          f"time (page p95 <= {TARGETS['page_p95_ms']} ms, PDF p95 <= "
          f"{TARGETS['pdf_p95_ms']} ms, zero 5xx, zero lost saves){why}")
    print(f"  {verdict(ok)}  people capacity >= {TARGETS['people']} (got {capacity})")
    return ok


def out_of_time(_signal, _frame) -> None:
    raise TimeoutError("the load test ran past its time budget")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for tool in ("gunicorn", "locust"):
        if not (BIN / tool).exists():
            raise SystemExit(f"{tool} is not installed: pip install -r requirements-dev.txt")
    # A hard bound on the whole run, whatever hangs.
    ramps = sum(math.ceil(users / SPAWN_RATE) + 2 + SETTLE_S for users in args.steps)
    budget = len(args.steps) * (args.seconds + 60) + ramps + args.ceiling_seconds + 600
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(budget)
    workdir = Path(tempfile.mkdtemp(prefix="coproduction-load-"))
    tag = secrets.token_hex(3)
    most = args.steps[-1]
    try:
        with database(args, workdir) as url:
            backend = url.split(":", 1)[0].split("+")[0]
            print(f"Seeding {most} users, bids and plans on {backend} ...", flush=True)
            accounts = seed(url, most, tag)
            with gunicorns(url, args, workdir) as (servers, server_pids):
                wait_until_idle(server_pids)
                loads = {"before": load_average()}
                steps, runs = [], []
                for index, users in enumerate(args.steps):
                    print(f"Step {index + 1}: {users} people, think time {args.wait[0]:g}-"
                          f"{args.wait[1]:g} s, {args.seconds} s after the ramp-up ...",
                          flush=True)
                    # Each step saves its own range of values, so consecutive saves of a
                    # bid always change it (one audit entry per acknowledged save).
                    # (all of them valid people counts: 12 to PEOPLE_MAX, 500).
                    width = (500 - 12) // len(args.steps)
                    low = 12 + width * index
                    run = run_locust(f"step-{users}", "mixed", args.seconds, tuple(args.wait),
                                     users, servers, accounts[:users], workdir,
                                     values=(low, low + width), server_pids=server_pids)
                    runs.append(run)
                    saves = check_saves(url, accounts, merge_acknowledged(runs))
                    checks = step_checks(run, saves)
                    held = all(ok for _, ok in checks)
                    steps.append({"run": run, "saves": saves, "checks": checks, "held": held})
                    if not held:
                        break  # more people would not hold either
                print(f"Reference: /healthz, {args.ceiling_users} users with no think time, "
                      f"{args.ceiling_seconds} s ...", flush=True)
                bare = run_locust("ceiling", "bare", args.ceiling_seconds, (0, 0),
                                  args.ceiling_users, servers, accounts, workdir)
                loads["after"] = load_average()
            report(args, backend, steps, bare, loads)
    finally:
        signal.alarm(0)
        if args.keep:
            print(f"\nLogs and CSV kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
