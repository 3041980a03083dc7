"""Uncertainty: a vectorised Monte Carlo over lines × draws.

Each activity line gets five independent triangular factors per draw
(sessions S, preparation hours P, travel fares T, attendance A, staff hours H;
the card's ``uncertainty`` section). Its cost in one draw is

    S × (A × (α + β·P + γ·T + δ·H) + ε + ζ·T + η·H)

where the coefficients (pounds, inflation included) split the line's
deterministic cost by what drives it:

- α per attendance, fixed: minimum-or-session fee hours, subsistence,
  overnight stays, catering or the digital allowance;
- β per attendance × prep: preparation fee hours;
- γ per attendance × fare: travel fares;
- δ per attendance × staff hours: support and payment admin;
- ε per session: venue, personal assistants' time, replacement care, BSL;
- ζ per session × fare: personal assistants' fares;
- η per session × staff hours: organising.

Plan-wide recruitment varies with its own staff-hours factor; induction and
easy read are fixed. With every factor at 1 the sum is the deterministic
total (before rounding to the penny).

A line draws a preparation factor only if it has preparation, and a fare
factor only if it has fares (an unused factor changes nothing).

Sampling is inverse-CDF: each factor is a 16-bit uniform index into a
65,536-point table of the triangular quantile function at probability
midpoints, so every draw is independent and the discretisation error is under
1/65,536 in probability. Random bits come from a ``numpy.random.Generator``
on the SFC64 bit generator (faster than the default PCG64, equally well
tested), seeded with ``options.seed``: the same seed gives the same numbers.
Draws are processed in a few chunks of about 150,000 line-draws, so buffers
stay in cache and memory stays bounded at 200,000 draws.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from .deterministic import (
    bsl_booking,
    inflation_factor,
    is_early_overnight,
    organising_hours,
    travel_fare,
    travels,
    year_of,
)
from .money import ZERO, float_to_pounds, pounds

if TYPE_CHECKING:
    from .inputs import Activity, Plan
    from .ratecard import RateCard, Triangle

FACTORS: tuple[str, ...] = ("sessions", "prep_hours", "travel_costs", "attendance",
                            "staff_hours")
TABLE_BITS = 16
PERCENTILES = (10, 50, 80, 90)
_CHUNK_ELEMENTS = 150_000  # lines × draws per chunk: the buffers stay in the CPU cache


@dataclass(frozen=True)
class Coefficients:
    """Per-line coefficient vectors (float32, one entry per activity line)."""

    alpha: np.ndarray
    beta: np.ndarray
    gamma: np.ndarray
    delta: np.ndarray
    epsilon: np.ndarray
    zeta: np.ndarray
    eta: np.ndarray
    recruitment: float  # varies with a plan-wide staff-hours factor
    fixed: float  # induction and easy read
    prep_rows: slice  # the lines with preparation (β ≠ 0)
    fare_rows: slice  # the lines with fares (γ or ζ ≠ 0)

    @property
    def lines(self) -> int:
        """How many activity lines."""
        return int(self.alpha.shape[0])

    def total_at_unit_factors(self) -> float:
        """The cost with every factor at 1: the deterministic total, unrounded."""
        columns = (self.alpha, self.beta, self.gamma, self.delta, self.epsilon, self.zeta,
                   self.eta)
        return float(sum(column.astype(np.float64).sum() for column in columns)
                     + self.recruitment + self.fixed)


def line_coefficients(activity: Activity, plan: Plan, card: RateCard) -> tuple[float, ...]:
    """(α, β, γ, δ, ε, ζ, η) of one activity line, in pounds (see the module doc)."""
    f = float(inflation_factor(card, year_of(activity.start_week)))
    rate = float(card.contributor_hourly * card.role_fee_multipliers[activity.role])
    hours, prep = activity.hours_per_session, float(activity.prep_hours_per_session)
    fare = float(travel_fare(activity, card))
    per_attendance = max(hours, card.minimum_paid_hours) * card.contributor_hourly \
        * card.role_fee_multipliers[activity.role]
    if travels(activity):
        per_attendance += card.subsistence
    if is_early_overnight(activity, card):
        per_attendance += card.overnight_stay
    per_attendance += card.catering if activity.in_person else card.digital_allowance
    needs = activity.needs
    per_session = needs.personal_assistants * hours * card.pa_hourly + \
        needs.carers_needing_replacement_care * (hours + card.replacement_care_travel_hours) \
        * card.replacement_care_hourly
    if needs.bsl:
        interpreters, day_rate, _ = bsl_booking(activity, card)
        per_session += interpreters * day_rate
    if activity.in_person:
        per_session += card.venue_per_session[plan.bid.scope]
    staff_hourly = float(card.staff_hourly)
    staff_per_attendance = float(card.support_hours_per_attendance
                                 + card.payment_admin_hours_per_attendance) * staff_hourly
    a, s = activity.attendances * f, activity.sessions * f
    return (a * float(per_attendance), a * prep * rate, a * fare, a * staff_per_attendance,
            s * float(per_session), s * needs.personal_assistants * fare,
            s * float(organising_hours(activity, card)) * staff_hourly)


def plan_coefficients(plan: Plan, card: RateCard, recruitment: Decimal,
                      fixed: Decimal) -> Coefficients:
    """Coefficient vectors for every activity line of ``plan``.

    Lines are reordered (a total does not depend on the order) so that the
    lines with preparation, and those with fares, are each a contiguous block:
    only those lines draw a prep or a fare factor.
    """
    rows = np.array([line_coefficients(a, plan, card) for a in plan.activities],
                    dtype=np.float64).reshape(-1, 7)
    prep = rows[:, 1] != 0
    fares = (rows[:, 2] != 0) | (rows[:, 5] != 0)
    # blocks: prep only | prep and fares | fares only | neither
    block = np.select([prep & ~fares, prep & fares, fares], [0, 1, 2], default=3)
    rows = rows[np.argsort(block, kind="stable")]
    counts = np.bincount(block, minlength=4)
    columns = [np.ascontiguousarray(rows[:, k], dtype=np.float32) for k in range(7)]
    return Coefficients(*columns, recruitment=float(recruitment), fixed=float(fixed),
                        prep_rows=slice(0, int(counts[0] + counts[1])),
                        fare_rows=slice(int(counts[0]), int(counts[:3].sum())))


@lru_cache(maxsize=64)
def quantile_table(low: float, mode: float, high: float) -> np.ndarray:
    """The triangular quantile function at 65,536 probability midpoints (float32)."""
    u = (np.arange(1 << TABLE_BITS, dtype=np.float64) + 0.5) / (1 << TABLE_BITS)
    width = high - low
    if width <= 0:
        table = np.full(u.shape, low)
    else:
        split = (mode - low) / width
        rising = low + np.sqrt(u * width * (mode - low))
        falling = high - np.sqrt((1.0 - u) * width * (high - mode))
        table = np.where(u < split, rising, falling)
    table = table.astype(np.float32)
    table.flags.writeable = False
    return table


def _tables(card: RateCard) -> list[np.ndarray]:
    triangles: list[Triangle] = [card.uncertainty[name] for name in FACTORS]
    return [quantile_table(t.low, t.mode, t.high) for t in triangles]


def _indices(rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` independent uniform 16-bit table indices from the generator."""
    raw = rng.bit_generator.random_raw((count + 3) // 4)
    return raw.view(np.uint16)[:count]


def _rows(block: slice) -> int:
    return block.stop - block.start


class _Workspace:
    """Float32 buffers for one chunk, reused across chunks (fewer page faults)."""

    def __init__(self, lines: int, draws: int):
        self.buffers = np.empty((7, lines * draws), dtype=np.float32)

    def matrix(self, number: int, rows: int, draws: int) -> np.ndarray:
        """Buffer ``number`` as a (rows, draws) matrix."""
        return self.buffers[number, :rows * draws].reshape(rows, draws)


def _draw_factors(coef: Coefficients, tables: list[np.ndarray], index: np.ndarray,
                  draws: int, workspace: _Workspace) -> list[np.ndarray]:
    """The factor matrices S, P, T, A, H; P and T only for the lines that use them."""
    rows = [coef.lines, _rows(coef.prep_rows), _rows(coef.fare_rows), coef.lines, coef.lines]
    factors, start = [], 0
    for kind, (table, count) in enumerate(zip(tables, rows, strict=True)):
        out = workspace.matrix(kind, count, draws)
        part = index[start:start + count * draws].reshape(count, draws)
        np.take(table, part, out=out, mode="clip")  # "clip": unbuffered; indices are in range
        factors.append(out)
        start += count * draws
    return factors


def _chunk_totals(coef: Coefficients, tables: list[np.ndarray], rng: np.random.Generator,
                  draws: int, workspace: _Workspace) -> np.ndarray:
    """Simulated totals for ``draws`` draws: lines × draws at once, no loop over draws."""
    lines, prep, fare = coef.lines, coef.prep_rows, coef.fare_rows
    used = (3 * lines + _rows(prep) + _rows(fare)) * draws
    index = _indices(rng, used + draws)
    plan_wide = tables[4].take(index[used:]).astype(np.float64)
    plan_wide *= coef.recruitment
    plan_wide += coef.fixed
    if lines == 0:
        return plan_wide
    sessions, preparation, fares, attendance, staff = _draw_factors(
        coef, tables, index, draws, workspace)
    cost, scratch = workspace.matrix(5, lines, draws), workspace.matrix(6, lines, draws)
    np.multiply(staff, coef.delta[:, None], out=cost)  # per attendance
    cost += coef.alpha[:, None]
    cost[prep] += np.multiply(preparation, coef.beta[prep, None], out=preparation)
    cost[fare] += np.multiply(fares, coef.gamma[fare, None], out=scratch[:_rows(fare)])
    cost *= attendance
    cost += coef.epsilon[:, None]  # per session
    cost += np.multiply(staff, coef.eta[:, None], out=staff)
    cost[fare] += np.multiply(fares, coef.zeta[fare, None], out=fares)
    cost *= sessions
    return cost.sum(axis=0, dtype=np.float64) + plan_wide


def simulate_totals(coef: Coefficients, card: RateCard, draws: int, seed: int) -> np.ndarray:
    """``draws`` simulated plan totals (float64 pounds), reproducible from ``seed``."""
    rng = np.random.Generator(np.random.SFC64(seed))
    tables = _tables(card)
    chunks = -(-draws * max(coef.lines, 1) // _CHUNK_ELEMENTS)
    size = -(-draws // chunks)
    workspace = _Workspace(coef.lines, size)
    totals = np.empty(draws, dtype=np.float64)
    for start in range(0, draws, size):
        stop = min(draws, start + size)
        totals[start:stop] = _chunk_totals(coef, tables, rng, stop - start, workspace)
    return totals


def summarise(totals: np.ndarray, deterministic_total: Decimal, seed: int) -> dict[str, Any]:
    """The contract's ``uncertainty`` object from simulated totals."""
    p10, p50, p80, p90 = (float_to_pounds(x) for x in np.percentile(totals, PERCENTILES))
    contingency = max(ZERO, p80 - deterministic_total)
    return {"draws": int(totals.shape[0]), "seed": seed,
            "mean": pounds(float_to_pounds(float(totals.mean()))),
            "p10": pounds(p10), "p50": pounds(p50), "p80": pounds(p80), "p90": pounds(p90),
            "recommended_contingency_gbp": pounds(contingency)}
