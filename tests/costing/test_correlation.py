"""Correlated lines (the spec's Gaussian copula per factor kind, ρ = uncertainty.correlation)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from app.costing import RateCard, estimate
from app.costing.ratecard import rate_card_document
from app.costing.uncertainty import (
    FACTORS,
    GRID_HALF_WIDTH,
    GRID_POINTS,
    copula_table,
    line_steps,
    normal_table,
    triangle_quantile,
)
from tests.costing.conftest import activity, plan


def card(correlation: float, only: str | None = None) -> RateCard:
    """uk-2026-12 with the given correlation; with ``only``, every other factor fixed at 1."""
    document = rate_card_document("uk-2026-12")
    document["uncertainty"]["correlation"] = correlation
    if only:
        for name in FACTORS:
            if name != only:
                document["uncertainty"][name] = {"low": 1, "mode": 1, "high": 1}
    return RateCard.from_dict(document)


def many_lines(count: int = 40, draws: int = 20_000):
    lines = [activity(people=3, sessions=4, start_week=10 + i % 5) for i in range(count)]
    return plan(*lines, options={"draws": draws, "seed": 11})


def spread(result) -> float:
    """P10 to P90 as a share of the median of the activity lines (plan-wide lines left out)."""
    u = result["uncertainty"]
    plan_wide = sum(line["amount_gbp"] for line in result["lines"]
                    if line["activity_index"] is None)
    return (u["p90"] - u["p10"]) / (u["p50"] - plan_wide)


def test_correlation_zero_is_the_independent_model_of_uk_2026():
    document = many_lines(count=5, draws=2000)
    independent = estimate(document, card(0))["uncertainty"]
    assert independent == estimate(dict(document, rate_card="uk-2026"))["uncertainty"]


def test_correlated_lines_keep_a_wide_range_on_a_large_plan():
    document = many_lines()
    independent, correlated = (spread(estimate(document, card(rho))) for rho in (0, 0.5))
    assert correlated > 2 * independent


def test_one_shared_factor_makes_many_lines_vary_like_one():
    one = estimate(many_lines(count=1), card(1, only="sessions"))
    forty = estimate(many_lines(count=40), card(1, only="sessions"))
    assert spread(forty) == pytest.approx(spread(one), rel=0.02)
    assert spread(estimate(many_lines(count=40), card(0, only="sessions"))) < spread(one) / 3


def test_the_mean_is_unchanged_by_correlation():
    """Each factor keeps its triangle (only how lines move together changes)."""
    document = many_lines(count=20, draws=100_000)
    means = [estimate(document, card(rho))["uncertainty"]["mean"] for rho in (0, 0.5, 0.9)]
    assert means[1] == pytest.approx(means[0], rel=0.005)
    assert means[2] == pytest.approx(means[0], rel=0.005)


def test_the_copula_table_is_the_triangle_at_phi_of_x():
    x = np.linspace(-GRID_HALF_WIDTH, GRID_HALF_WIDTH, GRID_POINTS)
    picks = np.arange(0, GRID_POINTS, 997)
    phi = np.array([0.5 * math.erfc(-value / math.sqrt(2)) for value in x[picks]])
    expected = triangle_quantile(phi, 0.9, 1.0, 1.5)
    np.testing.assert_allclose(copula_table(0.9, 1.0, 1.5)[picks], expected, rtol=1e-6)


def test_step_sums_stay_inside_the_grid():
    """|√ρ z + √(1−ρ) z'| < 6.5 for the table's extreme z: 16-bit step sums never wrap."""
    z = float(np.abs(normal_table()).max())
    for rho in (0.01, 0.25, 0.5, 0.75, 0.99):
        assert (math.sqrt(rho) + math.sqrt(1 - rho)) * z < GRID_HALF_WIDTH
        steps = line_steps(rho).astype(np.int64)
        steps[steps >= GRID_POINTS // 2] -= GRID_POINTS  # back to signed step counts
        assert abs(steps.max() + steps.min()) <= 1  # symmetric around zero
