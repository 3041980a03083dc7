"""Benchmark: server time of the plan pages for a 30-line full-level plan (10,000 draws).

    .venv/bin/python bench/bench_pages.py [--runs 30]

Times the estimate page (goal: at most 50 ms median), the live recalculation
(htmx preview: a full estimate with 10,000 draws), the activities page, the
level page and the PDF download, through the whole WSGI stack with Flask's test
client, on SQLite: first with kept results off (the work itself, every time),
then with them on, asking for the same content again (app/cache.py), so the
second column against the first is what the cache saves in the same run.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_reports import machine  # noqa: E402
from bench.webapp import bench_app, signed_in_client  # noqa: E402
from tests.html import form_fields  # noqa: E402

ESTIMATE_PAGE = "estimate page (stored snapshot, 4 SVG charts)"


def median_ms(request, runs: int) -> tuple[float, float]:
    """(median, p90) wall milliseconds of `request()`, which must answer 200."""
    for _ in range(3):
        request()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = request()
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1]


def page_times(cache_type: str, runs: int) -> dict[str, tuple[float, float]]:
    """(median, p90) ms of each page, with kept results off ("NullCache") or on."""
    with bench_app(cache_type) as (app, bid_id):
        client = signed_in_client(app)
        base = f"/bids/{bid_id}/plan"
        activities_page = client.get(f"{base}/activities").get_data(as_text=True)
        form = form_fields(activities_page, "plan-form")
        assert "summary-total" in client.post(f"{base}/preview", data=form).get_data(as_text=True)
        pages = {
            ESTIMATE_PAGE: lambda: client.get(f"{base}/versions/1"),
            "recalculation (preview, 10,000 draws)": lambda: client.post(f"{base}/preview",
                                                                         data=form),
            "activities page (30 lines)": lambda: client.get(f"{base}/activities"),
            "level page (four levels costed)": lambda: client.get(f"{base}/level"),
            "plan PDF download": lambda: client.get(f"{base}/versions/1/pdf"),
        }
        return {name: median_ms(request, runs) for name, request in pages.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    computed = page_times("NullCache", args.runs)
    kept = page_times("SimpleCache", args.runs)
    print(f"\n  {'page':<46} {'computed each time':>26} {'kept (same content again)':>28}")
    for name, (median, p90) in computed.items():
        kept_median, kept_p90 = kept[name]
        print(f"  {name:<46} {median:7.1f} ms (p90 {p90:6.1f}) {kept_median:9.1f} ms "
              f"(p90 {kept_p90:6.1f})  {median / kept_median:5.1f}x")
    estimate_median = computed[ESTIMATE_PAGE][0]
    verdict = "met" if estimate_median <= 50 else "NOT met"
    print(f"\nGoal: estimate page at most 50 ms median, computed each time -> {verdict}")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print("  (the machine is busy: other processes stretch wall-clock times)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
