"""Benchmark of fitting to a budget and of the level comparison with sized plans.
Run: ``.venv/bin/python bench/bench_proportion.py``.

- ``fit`` of the 30-line plan of ``bench_costing.py`` to half its cost: the
  deterministic search (parse, trim, the trimmed plan's figures; goal <= 50 ms
  median), and the whole call with the final estimate's 10,000 Monte Carlo
  draws. Baseline in the same run: the same search with every candidate costed
  afresh by the engine (no line costs kept between candidates).
- ``compare_levels`` for the issue's bid (local research, £85,000, 18 months,
  co-production required), 10,000 draws per level, sized plans included (goal
  <= 30 ms median): with a card document as the web app passes it (the sized
  plans computed each time) and with the card kept (sized plans remembered).
  Baseline in the same run: the comparison as it was, three estimates of the
  unsized templates.

The machine and its load are printed: other work on the machine slows every
figure, so compare the ratios, measured in the same run.
"""
from __future__ import annotations

import datetime
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_costing import thirty_line_plan, timed_ms
from machine import describe, load_average

from app.costing import compare_levels, default_rate_card, estimate, fit
from app.costing.engine import resolve_rate_card
from app.costing.inputs import parse_plan
from app.costing.money import money_context
from app.costing.templates import template_activities
from app.costing.trimming import LineCosts, trim

BID = {"value_gbp": 85_000, "duration_months": 18, "scope": "local", "work_type": "research",
       "client_requires_coproduction": True}


class FreshCosts(LineCosts):
    """The baseline: the same search, but every candidate line costed again."""

    def line(self, index: int, people: int, sessions: int) -> Decimal:
        self._lines.clear()
        return super().line(index, people, sessions)

    def plan_wide(self, largest_people: int) -> Decimal:
        self._wide.clear()
        return super().plan_wide(largest_people)


def fit_search(plan: dict, budget: Decimal, costs_class: type[LineCosts] = LineCosts):
    """Everything ``fit`` does but the final estimate: parse, trim."""
    card = resolve_rate_card(plan)
    parsed = parse_plan(plan)
    with money_context():
        return trim(parsed, card, budget, costs_class(parsed, card))


def old_compare(bid: dict) -> list[dict]:
    """The comparison before sized plans: each level's template, costed whole."""
    return [estimate({"bid": bid, "level": level,
                      "activities": template_activities(level, bid["work_type"], bid)})
            for level in ("limited", "good", "full")]


def main() -> None:
    print(f"bench_proportion.py, {datetime.datetime.now():%Y-%m-%d %H:%M}")
    print(f"machine: {describe()} | load {load_average()}")
    plan = thirty_line_plan()
    total = Decimal(repr(estimate(plan)["total_gbp"]))
    budget = (total / 2).quantize(Decimal("0.01"))
    result = fit(plan, budget_gbp=float(budget))
    print(f"fit: {len(plan['activities'])} lines, £{total:,} to a £{budget:,} budget -> "
          f"£{result['estimate']['total_gbp']:,.2f}, bound {result['bound']}, "
          f"{len(result['changes'])} changes")
    assert fit_search(plan, budget) == fit_search(plan, budget, FreshCosts)
    search = timed_ms(lambda: fit_search(plan, budget), repeats=31)
    whole = timed_ms(lambda: fit(plan, budget_gbp=float(budget)), repeats=21)
    fresh = timed_ms(lambda: fit_search(plan, budget, FreshCosts), repeats=5, warmup=1)
    card_document = default_rate_card()
    sized_fresh = timed_ms(lambda: compare_levels(BID, rate_card=card_document), repeats=21)
    sized_kept = timed_ms(lambda: compare_levels(BID), repeats=21)
    old = timed_ms(lambda: old_compare(BID), repeats=21)
    print("                                            median wall   fastest wall   median CPU")
    rows = [
        ("fit search, 30 lines (goal <= 50 ms)", search),
        ("fit, whole call with 10,000 draws", whole),
        ("baseline: same search, nothing kept", fresh),
        ("compare, sized each call (goal <= 30 ms)", sized_fresh),
        ("compare, sized plans kept", sized_kept),
        ("baseline: compare of unsized templates", old),
    ]
    for name, (median, fastest, cpu) in rows:
        print(f"{name:42} {median:9.2f} ms {fastest:11.2f} ms {cpu:9.2f} ms")
    print(f"fit search: {fresh[0] / search[0]:.1f}x faster than costing every candidate afresh")
    print(f"compare with sizing: {sized_fresh[0] / old[0]:.2f}x the old comparison's time "
          f"({sized_kept[0] / old[0]:.2f}x with sized plans kept)")
    print(f"machine load after timing: {load_average()}")


if __name__ == "__main__":
    main()
