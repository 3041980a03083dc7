"""The Monte Carlo: reproducible, ordered, consistent with the deterministic total."""
from __future__ import annotations

import numpy as np
import numpy.testing as npt
import pytest

from app.costing import RateCard, default_rate_card, estimate
from app.costing.deterministic import cost_plan
from app.costing.inputs import parse_plan
from app.costing.money import money_context
from app.costing.ratecard import default_card
from app.costing.uncertainty import FACTORS, plan_coefficients, quantile_table
from tests.costing.conftest import activity, gbp, plan, worked_example


def varied_plan(**options):
    lines = [activity(people=4, sessions=3, travel="national", start_time="09:00"),
             activity(role="peer_researcher", people=2, sessions=6, stage="development",
                      start_week=30, prep_hours_per_session=2,
                      needs={"personal_assistants": 1, "bsl": True}),
             activity(role="editor_reviewer", mode="remote", sessions=2, start_week=60)]
    return plan(*lines, options={"draws": 2000, "seed": 7, **options})


def test_same_seed_same_numbers():
    assert estimate(varied_plan())["uncertainty"] == estimate(varied_plan())["uncertainty"]


def test_another_seed_other_numbers():
    first = estimate(varied_plan(seed=1))["uncertainty"]
    second = estimate(varied_plan(seed=2))["uncertainty"]
    assert first["p50"] != second["p50"]


def test_draws_and_seed_are_reported_and_default():
    document = varied_plan()
    del document["options"]
    uncertainty = estimate(document)["uncertainty"]
    assert (uncertainty["draws"], uncertainty["seed"]) == (10_000, 0)


def test_percentiles_are_ordered_and_contingency_is_p80_over_total():
    result = estimate(varied_plan())
    u = result["uncertainty"]
    assert u["p10"] < u["p50"] < u["p80"] < u["p90"]
    expected = max(gbp(0), gbp(u["p80"]) - gbp(result["total_gbp"]))
    assert gbp(u["recommended_contingency_gbp"]) == expected


def test_fixed_factors_reproduce_the_deterministic_total():
    card = default_rate_card()
    for name in FACTORS:
        card["uncertainty"][name] = {"low": 1.0, "mode": 1.0, "high": 1.0}
    result = estimate(varied_plan(), RateCard.from_dict(card))
    u = result["uncertainty"]
    for key in ("mean", "p10", "p50", "p80", "p90"):
        assert u[key] == pytest.approx(result["total_gbp"], abs=0.05)
    assert u["recommended_contingency_gbp"] <= 0.05


def test_attendance_alone_only_lowers_costs():
    card = default_rate_card()
    for name in FACTORS:
        if name != "attendance":
            card["uncertainty"][name] = {"low": 1.0, "mode": 1.0, "high": 1.0}
    result = estimate(varied_plan(), card)
    assert result["uncertainty"]["p90"] < result["total_gbp"]
    assert result["uncertainty"]["recommended_contingency_gbp"] == 0


def test_mean_matches_the_model_expectation():
    """Factors of different kinds are independent (lines of one kind are correlated), so
    the mean is the total at each factor's mean."""
    card = default_rate_card()
    means = {k: (t["low"] + t["mode"] + t["high"]) / 3 for k, t in card["uncertainty"].items()
             if k in FACTORS}
    line = activity(people=5, sessions=4, prep_hours_per_session=2, travel="regional")
    result = estimate(plan(line, options={"draws": 200_000, "seed": 3}))
    s, p, t, a, h = (means[k] for k in ("sessions", "prep_hours", "travel_costs", "attendance",
                                        "staff_hours"))
    # fees 20 × (3 + 2p) × 27.50; travel 20 × (40t + 10); venue 150 + 20 × 9 per-attendance
    per_attendance = 20 * (3 * 27.5 + 10 + 9) + 20 * 2 * 27.5 * p + 20 * 40 * t \
        + 20 * 0.75 * 48 * h
    per_session = 4 * 150 + 4 * 4 * 48 * h
    recruitment = 5 * 48 * h
    expected = s * (a * per_attendance + per_session) + recruitment
    assert result["uncertainty"]["mean"] == pytest.approx(expected, rel=0.003)


def test_a_plan_without_lines_has_no_spread():
    document = plan(level="none", activities=[], accessible_formats={"easy_read_pages": 2},
                    justification="No people who use services are affected by this desk audit.")
    u = estimate(document)["uncertainty"]
    assert u["p10"] == u["p90"] == u["mean"] == 120.00


def test_many_draws_are_processed_in_chunks():
    u = estimate(varied_plan(draws=200_000))["uncertainty"]
    assert u["draws"] == 200_000
    assert u["p10"] < u["p90"]


def test_quantile_table_matches_the_triangular_distribution():
    table = quantile_table(0.9, 1.0, 1.5)
    assert table.dtype == np.float32 and table.shape == (65536,)
    assert np.all(np.diff(table) >= 0)
    assert 0.9 < table[0] < table[-1] < 1.5
    npt.assert_allclose(table.mean(dtype=np.float64), (0.9 + 1.0 + 1.5) / 3, rtol=1e-5)
    # the CDF at the mode is (mode - low) / (high - low) = 1/6
    npt.assert_allclose(np.searchsorted(table, 1.0) / table.size, 1 / 6, atol=1e-4)


def test_degenerate_triangle_is_a_constant():
    npt.assert_array_equal(quantile_table(1.0, 1.0, 1.0), np.float32(1.0))


def test_worked_example_range_is_plausible():
    u = estimate(worked_example())["uncertainty"]
    # sessions and prep tend to grow, attendance to shrink: P80 is above the total
    assert 7419 < u["p80"] < 7419 * 1.5
    assert u["p10"] < 7419 < u["p90"]


@pytest.mark.parametrize("document", [
    worked_example(), varied_plan(),
    plan(activity(people=3, sessions=5, mode="remote", start_week=100,
                  needs={"personal_assistants": 2, "carers_needing_replacement_care": 1,
                         "bsl": True}),
         activity(role="co_lead", hours_per_session=0.5, travel="local", start_week=60,
                  needs={"personal_assistants": 1}), level="full"),
])
def test_coefficients_split_the_deterministic_cost_exactly(document):
    card = default_card()
    parsed = parse_plan(document)
    with money_context():
        costing = cost_plan(parsed, card)
    wide = [line for line in costing.lines if line.activity_index is None]
    recruitment = sum(line.amount for line in wide if line.category == "staff_coordination")
    fixed = sum(line.amount for line in wide if line.category != "staff_coordination")
    coefficients = plan_coefficients(parsed, card, recruitment, fixed)
    # each unit cost and each line is rounded to the penny (half a penny per unit, and
    # per line); float32 coefficients add a little more
    tolerance = sum(0.005 * (float(line.quantity) + 1) for line in costing.lines) \
        + 1e-6 * float(costing.total)
    assert coefficients.total_at_unit_factors() == pytest.approx(float(costing.total),
                                                                 abs=tolerance)
