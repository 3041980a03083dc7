"""Uncertainty: a vectorised Monte Carlo over lines × draws.

Each activity line gets five triangular factors per draw (sessions S,
preparation hours P, travel fares T, attendance A, staff hours H; the card's
``uncertainty`` section). Its cost in one draw is

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

Lines are correlated (the card's ``uncertainty.correlation`` ρ): for factor
kind k, draw d and line i, u = Φ(√ρ · z[k,d] + √(1−ρ) · z[k,i,d]) with z
standard normal and independent, and the factor is the triangle's quantile at
u (a Gaussian copula per factor kind; plan-wide recruitment is one more line of
the staff-hours kind). ρ = 0 gives independent lines, ρ = 1 one shared factor
per kind.

Sampling is inverse-CDF. With ρ = 0 each factor is a 16-bit uniform index into a
65,536-point table of the triangular quantile function at probability
midpoints, so every draw is independent and the discretisation error is under
1/65,536 in probability. With ρ > 0 each z is Φ⁻¹ at a 16-bit uniform index's
probability midpoint, held as a step count on a 65,536-point grid of x over
[-6.5, 6.5] (steps of 0.0002); a line's x is the sum of its plan-wide and its own
step counts (16-bit arithmetic modulo 65,536, exact because |x| < 6.2 always),
and the factor is read from a table of the triangle's quantile at Φ(x) on that
grid, so no Φ is evaluated per draw and the error in u is under 0.0001. Φ and
Φ⁻¹ on the grids come from the standard library's ``statistics.NormalDist``
(``math.erf`` and Wichura's AS241), computed once.

Random bits come from a ``numpy.random.Generator`` on the SFC64 bit generator
(faster than the default PCG64, equally well tested), seeded with
``options.seed``: the same seed gives the same numbers.
Draws are processed in a few chunks of about 150,000 line-draws, so buffers
stay in cache and memory stays bounded at 200,000 draws.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

import numpy as np

from .money import ZERO, float_to_pounds, pounds
from .quantities import (
    bsl_booking,
    inflation_factor,
    is_early_overnight,
    organising_hours,
    travel_fare,
    travels,
    year_of,
)

if TYPE_CHECKING:
    from .inputs import Activity, Plan
    from .ratecard import RateCard, Triangle

FACTORS: tuple[str, ...] = ("sessions", "prep_hours", "travel_costs", "attendance",
                            "staff_hours")
TABLE_BITS = 16
GRID_HALF_WIDTH = 6.5  # |x| <= √2 × 4.325 (the normal table's extremes) = 6.12 stays inside
GRID_POINTS = 1 << 16
GRID_STEP = 2 * GRID_HALF_WIDTH / (GRID_POINTS - 1)
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


def triangle_quantile(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    """The triangular distribution's quantile function at probabilities ``u`` (float64)."""
    width = high - low
    if width <= 0:
        return np.full(u.shape, low, dtype=np.float64)
    split = (mode - low) / width
    rising = low + np.sqrt(u * width * (mode - low))
    falling = high - np.sqrt(np.maximum(1.0 - u, 0.0) * width * (high - mode))
    return np.where(u < split, rising, falling)


def _frozen(table: np.ndarray, dtype: Any) -> np.ndarray:
    table = np.ascontiguousarray(table, dtype=dtype)
    table.flags.writeable = False
    return table


def _midpoints() -> np.ndarray:
    return (np.arange(1 << TABLE_BITS, dtype=np.float64) + 0.5) / (1 << TABLE_BITS)


@lru_cache(maxsize=64)
def quantile_table(low: float, mode: float, high: float) -> np.ndarray:
    """The triangular quantile function at 65,536 probability midpoints (float32)."""
    return _frozen(triangle_quantile(_midpoints(), low, mode, high), np.float32)


@lru_cache(maxsize=1)
def normal_table() -> np.ndarray:
    """Φ⁻¹ at the 65,536 probability midpoints (float64): 16-bit indices -> z."""
    inverse = NormalDist().inv_cdf
    return _frozen([inverse(p) for p in _midpoints()], np.float64)


@lru_cache(maxsize=1)
def grid_probabilities() -> np.ndarray:
    """Φ(x) on the grid of x from -6.5 to 6.5 (float64)."""
    cdf = NormalDist().cdf
    x = np.linspace(-GRID_HALF_WIDTH, GRID_HALF_WIDTH, GRID_POINTS)
    return _frozen([cdf(v) for v in x], np.float64)


@lru_cache(maxsize=64)
def copula_table(low: float, mode: float, high: float) -> np.ndarray:
    """The triangle's quantile at Φ(x) on the grid of x (float32)."""
    return _frozen(triangle_quantile(grid_probabilities(), low, mode, high), np.float32)


@lru_cache(maxsize=16)
def line_steps(correlation: float) -> np.ndarray:
    """√(1−ρ) · z for each 16-bit index, in grid steps modulo 65,536 (uint16)."""
    steps = np.rint(np.sqrt(1.0 - correlation) * normal_table() / GRID_STEP)
    return _frozen(np.mod(steps, GRID_POINTS), np.uint16)


@lru_cache(maxsize=16)
def plan_step_table(correlation: float) -> np.ndarray:
    """The grid origin plus √ρ · z for each 16-bit index, in grid steps (uint16)."""
    shift = (np.sqrt(correlation) * normal_table() + GRID_HALF_WIDTH) / GRID_STEP
    return _frozen(np.rint(shift), np.uint16)


def plan_steps(correlation: float, index: np.ndarray) -> np.ndarray:
    """The grid origin plus √ρ · z for each plan-wide 16-bit index, in grid steps (uint16)."""
    return plan_step_table(correlation).take(index)


def _tables(card: RateCard) -> list[np.ndarray]:
    triangles: list[Triangle] = [card.uncertainty[name] for name in FACTORS]
    table = copula_table if card.correlation > 0 else quantile_table
    return [table(t.low, t.mode, t.high) for t in triangles]


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

    def steps(self, rows: int, draws: int) -> np.ndarray:
        """The last buffer as a (rows, draws) uint16 matrix of grid steps."""
        return self.buffers[6].view(np.uint16)[:rows * draws].reshape(rows, draws)


class _Sampler:
    """Factor tables and how indices become factors: independent or correlated lines."""

    def __init__(self, card: RateCard):
        self.tables = _tables(card)
        self.correlation = card.correlation
        self.steps = line_steps(self.correlation) if self.correlation > 0 else None

    def extra_indices(self, draws: int) -> int:
        """Indices a chunk needs beyond the lines': recruitment and, if correlated, the
        plan-wide part of each factor kind."""
        return draws * (1 + (len(FACTORS) if self.steps is not None else 0))

    def factors(self, coef: Coefficients, index: np.ndarray, used: int, draws: int,
                workspace: _Workspace) -> tuple[list[np.ndarray], np.ndarray]:
        """The factor matrices S, P, T, A, H (P and T only for the lines that use them),
        and the plan-wide recruitment's staff-hours factor."""
        rows = [coef.lines, _rows(coef.prep_rows), _rows(coef.fare_rows), coef.lines,
                coef.lines]
        recruitment = index[used:used + draws]
        if self.steps is None:
            shared = None
            staff = self.tables[4].take(recruitment)
        else:
            shared = plan_steps(self.correlation, index[used + draws:].reshape(-1, draws))
            staff = self.tables[4].take(self.steps.take(recruitment) + shared[4])
        factors, start = [], 0
        for kind, (table, count) in enumerate(zip(self.tables, rows, strict=True)):
            out = workspace.matrix(kind, count, draws)
            part = index[start:start + count * draws].reshape(count, draws)
            if shared is None:
                np.take(table, part, out=out, mode="clip")  # "clip": unbuffered; in range
            else:
                steps = workspace.steps(count, draws)
                np.take(self.steps, part, out=steps, mode="clip")
                np.add(steps, shared[kind], out=steps)  # modulo 65,536: see the module doc
                np.take(table, steps, out=out, mode="clip")  # "clip": unbuffered; in range
            factors.append(out)
            start += count * draws
        return factors, staff


def _chunk_totals(coef: Coefficients, sampler: _Sampler, rng: np.random.Generator,
                  draws: int, workspace: _Workspace) -> np.ndarray:
    """Simulated totals for ``draws`` draws: lines × draws at once, no loop over draws."""
    lines, prep, fare = coef.lines, coef.prep_rows, coef.fare_rows
    used = (3 * lines + _rows(prep) + _rows(fare)) * draws
    index = _indices(rng, used + sampler.extra_indices(draws))
    (sessions, preparation, fares, attendance, staff), recruitment = sampler.factors(
        coef, index, used, draws, workspace)
    plan_wide = recruitment.astype(np.float64)
    plan_wide *= coef.recruitment
    plan_wide += coef.fixed
    if lines == 0:
        return plan_wide
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
    sampler = _Sampler(card)
    chunks = -(-draws * max(coef.lines, 1) // _CHUNK_ELEMENTS)
    size = -(-draws // chunks)
    workspace = _Workspace(coef.lines, size)
    totals = np.empty(draws, dtype=np.float64)
    for start in range(0, draws, size):
        stop = min(draws, start + size)
        totals[start:stop] = _chunk_totals(coef, sampler, rng, stop - start, workspace)
    return totals


def summarise(totals: np.ndarray, deterministic_total: Decimal, seed: int) -> dict[str, Any]:
    """The contract's ``uncertainty`` object from simulated totals."""
    p10, p50, p80, p90 = (float_to_pounds(x) for x in np.percentile(totals, PERCENTILES))
    contingency = max(ZERO, p80 - deterministic_total)
    return {"draws": int(totals.shape[0]), "seed": seed,
            "mean": pounds(float_to_pounds(float(totals.mean()))),
            "p10": pounds(p10), "p50": pounds(p50), "p80": pounds(p80), "p90": pounds(p90),
            "recommended_contingency_gbp": pounds(contingency)}
