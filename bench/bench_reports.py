"""Benchmark: the tagged plan PDF (charts included) for a 30-line full-level plan.

    .venv/bin/python bench/bench_reports.py [--runs 30]

Prints the machine, then the median time to render the tagged (PDF/UA-1) PDF
(the goal is at most 100 ms on a 2-core machine) beside the same PDF untagged,
its baseline in the same run, the load test's plan as a changed draft each time,
with the CSV and XLSX exports and the chart
drawings alone for context; and, as a baseline in the same run, headless
Chromium loading the app's own estimate page for the same plan and printing it.
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import reportlab  # noqa: E402

from app.charts import (  # noqa: E402
    cost_by_category_chart,
    cost_by_stage_chart,
    fixed_cost_curve_chart,
    timeline_chart,
)
from app.costing import estimate  # noqa: E402
from app.reports import budget_csv, budget_xlsx, cost_curve_points, render_plan_pdf  # noqa: E402
from bench.machine import describe, load_average  # noqa: E402
from tests.reports.plans import APPROVED, full_plan  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def machine() -> str:
    """One line about the machine, Python and reportlab."""
    try:
        import _rl_accel  # noqa: F401
        accel = "with"
    except ImportError:
        accel = "without"
    return (f"{describe()}, reportlab {reportlab.Version} ({accel} the rl_accel C "
            f"extension); load average {load_average()}")


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


def timed_pair(first: Callable[[], object], second: Callable[[], object], runs: int,
               warmup: int = 3):
    """``timed`` for two tasks run in turn, so the machine's load falls on both alike."""
    for _ in range(warmup):
        first()
        second()
    samples = ([], []), ([], [])
    for _ in range(runs):
        for task, (wall, cpu) in zip((first, second), samples, strict=True):
            start, start_cpu = time.perf_counter(), time.process_time()
            task()
            cpu.append(time.process_time() - start_cpu)
            wall.append(time.perf_counter() - start)
    return samples


def report(name: str, samples: tuple[list[float], list[float] | None]) -> float:
    """Print the median wall time (min, max) and median CPU time in ms; return the wall median."""
    wall, cpu = samples
    median = statistics.median(wall)
    cpu_text = f"CPU median {statistics.median(cpu) * 1000:.1f}" if cpu else "CPU in a child"
    print(f"  {name:<36} median {median * 1000:7.1f} ms  (min {min(wall) * 1000:.1f}, "
          f"max {max(wall) * 1000:.1f}; {cpu_text}; n={len(wall)})")
    return median


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]


def chromium_print_seconds(runs: int = 5) -> dict[str, list[float]] | str:
    """Headless Chromium printing the app's own estimate page for the same plan to PDF
    (what a user would otherwise do); a reason string if it cannot.

    Two figures: "warm", a browser already running and signed in, timing page load +
    print; and "cold", a fresh headless Chromium per document (as a server printing
    pages would run it), timing start + load + print + exit.
    """
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (Debian package chromium)"
    from playwright.sync_api import sync_playwright

    from app.demo import DEMO_PASSWORD
    from bench.webapp import WRITER, bench_app, served

    warm, cold = [], []
    with bench_app() as (app, bid_id), served(app) as base_url, sync_playwright() as driver:
        url = f"/bids/{bid_id}/plan/versions/1"
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=base_url)
        page.goto("/sign-in")
        page.fill("#email", WRITER)
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/bids/")
        signed_in = page.context.storage_state()
        for _ in range(runs):
            start = time.perf_counter()
            page.goto(url)
            page.pdf(format="A4")
            warm.append(time.perf_counter() - start)
        browser.close()
        for _ in range(runs):
            start = time.perf_counter()
            fresh = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            fresh_page = fresh.new_page(base_url=base_url, storage_state=signed_in)
            fresh_page.goto(url)
            fresh_page.pdf(format="A4")
            fresh.close()
            cold.append(time.perf_counter() - start)
    return {"warm": warm, "cold": cold}


def word_plan(plan: dict, result: dict, runs: int) -> None:
    """The Word plan (goal: at most 150 ms median), with baselines timed in the same
    run: the PDF of the same plan, python-docx saving an empty document (the floor
    of any .docx it writes), and the four charts rasterised alone."""
    import docx

    from app.charts.raster import to_png
    from app.reports import render_plan_docx

    def blank() -> bytes:
        buffer = io.BytesIO()
        docx.Document().save(buffer)
        return buffer.getvalue()

    months = plan["bid"]["duration_months"]
    curve = cost_curve_points(result)
    print(f"\nWord plan: {len(render_plan_docx(plan, result, APPROVED)):,} bytes")
    samples = timed(lambda: render_plan_docx(plan, result, APPROVED), runs)
    word = report("render_plan_docx (charts included)", samples)
    word_cpu = statistics.median(samples[1])
    pdf = report("baseline: render_plan_pdf, same run",
                 timed(lambda: render_plan_pdf(plan, result, APPROVED), runs))
    report("baseline: python-docx empty document", timed(blank, runs))
    report("the four charts rasterised (PNG)", timed(lambda: [to_png(chart) for chart in (
        cost_by_category_chart(result, 482), cost_by_stage_chart(result, 482),
        timeline_chart(result, months, width=482),
        fixed_cost_curve_chart(curve, width=482))], runs))
    print(f"  ratio: the Word plan takes {word / pdf:.2f}x the PDF's time")
    print(f"Goal: Word plan median at most 150 ms -> {'met' if word <= 0.150 else 'NOT met'} "
          f"(CPU median {word_cpu * 1000:.1f} ms: {'met' if word_cpu <= 0.150 else 'NOT met'})")


def changed_drafts(count: int = 12) -> Callable[[], bytes]:
    """The tagged PDF of the load test's plan (the warm-up plan, 15 pages, as
    ``bench/load.py``'s people download it) with its first line's people changed before
    each download, as their saves change it: a new draft every time, so what the
    renderer keeps between documents (app/reports/pdf/paragraphs.py, embedding.py) is
    timed as a server meets it. Estimates are computed beforehand."""
    import copy
    import itertools

    from app.costing import template_activities
    from app.warmup import SAMPLE_BID

    base = {"bid": SAMPLE_BID, "level": "good", "existing_network": False,
            "activities": template_activities("good", "training", SAMPLE_BID),
            "accessible_formats": {"easy_read_pages": 0}}
    drafts = []
    for people in range(13, 13 + count):
        plan = copy.deepcopy(base)
        plan["activities"][0]["people"] = people
        drafts.append((plan, estimate(plan)))
    cycle = itertools.cycle(drafts)
    return lambda: render_plan_pdf(*next(cycle))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
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
    tagged, untagged = timed_pair(
        lambda: render_plan_pdf(plan, result, APPROVED),
        lambda: render_plan_pdf(plan, result, APPROVED, tagged=False), args.runs)
    pdf_median = report("render_plan_pdf, tagged PDF/UA-1", tagged)
    report("baseline: the same PDF, untagged (in turn)", untagged)
    print(f"  tagging costs {statistics.median(tagged[0]) / statistics.median(untagged[0]):.2f}x "
          f"wall, {statistics.median(tagged[1]) / statistics.median(untagged[1]):.2f}x CPU")
    cpu_median = statistics.median(tagged[1])
    report("the load test's plan, a changed draft", timed(changed_drafts(), args.runs))
    report("the four chart drawings alone", timed(lambda: (
        cost_by_category_chart(result), cost_by_stage_chart(result),
        timeline_chart(result, months), fixed_cost_curve_chart(curve)), args.runs))
    report("budget_csv", timed(lambda: budget_csv(plan, result), args.runs))
    report("budget_xlsx", timed(lambda: budget_xlsx(plan, result), args.runs))
    print(f"\nGoal: tagged PDF median at most 100 ms -> wall "
          f"{'met' if pdf_median <= 0.100 else 'NOT met'}, CPU "
          f"{'met' if cpu_median <= 0.100 else 'NOT met'}")
    word_plan(plan, result, args.runs)
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print("  (the machine is busy: other processes stretch wall-clock times; the CPU "
              "median is the steadier figure)")

    print("\nBaseline: headless Chromium loading the app's estimate page and printing it")
    chromium = chromium_print_seconds()
    if isinstance(chromium, str):
        print(f"  not measured: {chromium}")
        return 0
    warm = report("Chromium already running: load + print", (chromium["warm"], None))
    cold = report("fresh headless Chromium per document", (chromium["cold"], None))
    print(f"  ratio: reportlab is {warm / pdf_median:.1f}x faster than a running Chromium and "
          f"{cold / pdf_median:.1f}x faster than a fresh one (goal: at least 10x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
