"""Money: exact Decimal arithmetic, half-up rounding to the penny, one formatter.

Every amount in the engine is a :class:`~decimal.Decimal` in pounds; each cost
line is rounded half-up to the penny and totals are sums of rounded lines.
JSON carries pounds as numbers with at most two decimals (see :func:`pounds`).
:func:`format_gbp` is the one place in the project that formats money.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

Amount = Decimal | int | float | str

PENNY = Decimal("0.01")
ZERO = Decimal(0)
# Enough digits that no product of plan figures and rates is ever rounded
# before the penny: the formulas multiply at most a handful of short decimals.
MONEY_PRECISION = 60
# The largest JSON number we emit; anything larger is clamped (only reachable
# with absurd ratios such as a bid worth a fraction of a penny).
_JSON_MAX = Decimal("1e300")


def money_context():
    """A context manager for the engine's exact Decimal arithmetic."""
    return localcontext(Context(prec=MONEY_PRECISION, rounding=ROUND_HALF_UP))


def to_decimal(value: Amount) -> Decimal:
    """``value`` as an exact Decimal; floats go through their shortest repr.

    ``27.5`` becomes ``Decimal("27.5")`` (not the binary expansion), which is
    what the JSON text said. Raises ValueError for bools, NaN, infinity and
    text that is not a number.
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise ValueError("a true/false value is not an amount of money")
    elif isinstance(value, int):
        return Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", "").replace("£", ""))
        except InvalidOperation:
            raise ValueError(f"{value!r} is not an amount of money") from None
    else:
        raise ValueError(f"{type(value).__name__} is not an amount of money")
    if not result.is_finite():
        raise ValueError("an amount of money must be finite")
    return result


_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}
_FAST = Context(prec=MONEY_PRECISION, rounding=ROUND_HALF_UP)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """``value`` rounded half-up to ``places`` decimals, whatever its size."""
    quantum = _QUANTA.get(places) or Decimal(1).scaleb(-places)
    if value.adjusted() + places < MONEY_PRECISION - 2:  # the usual case: no new context
        return value.quantize(quantum, context=_FAST)
    digits = value.adjusted() + places + 2
    return value.quantize(quantum, context=Context(prec=digits, rounding=ROUND_HALF_UP))


def round_pence(value: Decimal) -> Decimal:
    """``value`` rounded half-up to the penny."""
    try:
        return value.quantize(PENNY, context=_FAST)
    except InvalidOperation:  # more digits than the context holds: a huge number
        return round_half_up(value, 2)


def pounds(value: Decimal, places: int = 2) -> float:
    """A JSON number for ``value``, rounded half-up to ``places`` decimals."""
    rounded = round_pence(value) if places == 2 else round_half_up(value, places)
    if abs(rounded) > _JSON_MAX:
        rounded = _JSON_MAX.copy_sign(rounded)
    return float(rounded)


def float_to_pounds(value: float) -> Decimal:
    """A float (e.g. a simulated percentile) as Decimal pounds to the penny."""
    if not math.isfinite(value):
        raise ValueError("an amount of money must be finite")
    return round_pence(Decimal(repr(float(value))))


def share_of(part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as an exact percentage of ``whole``: the share of a bid's value is its
    co-production cost over the bid value (callers round it for their purpose)."""
    return part * 100 / whole


def format_gbp(amount: Amount) -> str:
    """``12345.675`` -> ``"£12,345.68"``; negative amounts as ``"-£1.00"``.

    Accepts Decimal, int, float or numeric text; rounds half-up to the penny.
    The ASCII hyphen is used for the minus sign so every PDF font has it.
    """
    value = round_pence(to_decimal(amount))
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def format_number(value: Decimal | int | float) -> str:
    """A plain number for sentences: ``4.0`` -> ``"4"``, ``3.50`` -> ``"3.5"``."""
    number = to_decimal(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"
