"""Benchmark: the plan PDF (charts included) for a 30-line full-level plan.

    .venv/bin/python bench/bench_reports.py [--runs 30] [--estimate-url URL]

Prints the machine, then the median time to render the PDF (the goal is at
most 100 ms on a 2-core machine), with the CSV and XLSX exports and the chart
drawings alone for context. With ``--estimate-url`` (or COPRO_ESTIMATE_URL)
pointing at the app's own estimate page for the same plan, it also times
headless Chromium printing that page to PDF, as a baseline in the same run.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import reportlab  # noqa: E402

from app.charts import (cost_by_category_chart, cost_by_stage_chart,  # noqa: E402
                        fixed_cost_curve_chart, timeline_chart)
from app.costing import estimate  # noqa: E402
from app.reports import (budget_csv, budget_xlsx, cost_curve_points,  # noqa: E402
                         render_plan_pdf)
from tests.reports.plans import APPROVED, full_plan  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def machine() -> str:
    """One line about the machine, Python and reportlab."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        import _rl_accel  # noqa: F401
        accel = "with"
    except ImportError:
        accel = "without"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, reportlab {reportlab.Version} "
            f"({accel} the rl_accel C extension); load average {load}")


def timed(task: Callable[[], object], runs: int, warmup: int = 3
          ) -> tuple[list[float], list[float]]:
    """(wall-clock, CPU) seconds of ``runs`` calls of ``task`` after ``warmup`` calls.

    CPU time is shown beside wall time because other work on a shared
    machine stretches wall time but not (much) the process's own CPU time.
    """
    for _ in range(warmup):
        task()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        task()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return wall, cpu


def report(name: str, samples: tuple[list[float], list[float] | None]) -> float:
    """Print the median wall time (min, max) and median CPU time in ms; return the wall median."""
    wall, cpu = samples
    median = statistics.median(wall)
    cpu_text = f"CPU median {statistics.median(cpu) * 1000:.1f}" if cpu else "CPU in a child"
    print(f"  {name:<36} median {median * 1000:7.1f} ms  (min {min(wall) * 1000:.1f}, "
          f"max {max(wall) * 1000:.1f}; {cpu_text}; n={len(wall)})")
    return median


def chromium_print_seconds(url: str, runs: int = 5) -> list[float] | str:
    """Times headless Chromium printing ``url`` to PDF; a reason string if it cannot."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (Debian package chromium)"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            if response.status != 200:
                return f"{url} answered HTTP {response.status}"
    except (urllib.error.URLError, OSError, ValueError) as problem:
        return f"{url} is not available ({problem})"
    samples = []
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "page.pdf"
        for _ in range(runs):
            start = time.perf_counter()
            done = subprocess.run(
                [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--no-first-run",
                 f"--user-data-dir={folder}/profile", f"--print-to-pdf={target}", url],
                capture_output=True, timeout=120)
            samples.append(time.perf_counter() - start)
            if done.returncode != 0 or not target.exists():
                return f"chromium failed: {done.stderr.decode(errors='replace')[-300:]}"
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--estimate-url", default=os.environ.get("COPRO_ESTIMATE_URL"),
                        help="the app's estimate page for the same plan (for the Chromium baseline)")
    args = parser.parse_args()

    plan = full_plan()
    result = estimate(plan)
    curve = cost_curve_points(result)
    months = plan["bid"]["duration_months"]
    print(f"Machine: {machine()}")
    print(f"Plan: level {plan['level']}, {len(plan['activities'])} activities, "
          f"{len(result['lines'])} budget lines, {months} months")
    pdf = render_plan_pdf(plan, result, APPROVED)
    print(f"PDF: {len(pdf):,} bytes\n")

    print("Timings (estimate computed once, outside the timings):")
    pdf_median = report("render_plan_pdf (charts included)",
                        timed(lambda: render_plan_pdf(plan, result, APPROVED), args.runs))
    report("the four chart drawings alone", timed(lambda: (
        cost_by_category_chart(result), cost_by_stage_chart(result),
        timeline_chart(result, months), fixed_cost_curve_chart(curve)), args.runs))
    report("budget_csv", timed(lambda: budget_csv(plan, result), args.runs))
    report("budget_xlsx", timed(lambda: budget_xlsx(plan, result), args.runs))
    print(f"\nGoal: PDF median at most 100 ms -> {'met' if pdf_median <= 0.100 else 'NOT met'}")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print("  (the machine is busy: other processes stretch wall-clock times; the CPU "
              "median is the steadier figure)")

    print("\nBaseline: headless Chromium printing the app's estimate page to PDF")
    if not args.estimate_url:
        print("  not measured: no estimate page URL given (the web estimate page is not wired "
              "up yet); run with --estimate-url http://127.0.0.1:PORT/... once it exists")
        return 0
    chromium = chromium_print_seconds(args.estimate_url)
    if isinstance(chromium, str):
        print(f"  not measured: {chromium}")
        return 0
    chromium_median = report("chromium --print-to-pdf", (chromium, None))
    print(f"  ratio: Chromium takes {chromium_median / pdf_median:.1f}x as long as reportlab")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
