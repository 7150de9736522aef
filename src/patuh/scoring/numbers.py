"""Patuh's one rounding policy.

All arithmetic is done in :class:`decimal.Decimal` with 28 significant digits and no
rounding inside a computation. A score is rounded **half-up** to the instrument's number of
decimals (2 for every instrument Patuh ships) only when it is presented and right before it
is placed in a band, so ``87.995`` is shown as ``88.00`` and classified A, exactly as a
published score of 88.00 would be.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

DECIMAL_CONTEXT = Context(prec=28)
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


def to_decimal(value: object) -> Decimal:
    """Turn an int, float, str or Decimal into an exact Decimal (floats via their repr)."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        return Decimal(value.strip().replace(",", "."))
    raise TypeError(f"not a number: {value!r}")


def quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


_QUANTA = {decimals: quantum(decimals) for decimals in range(10)}


def round_half_up(value: Decimal, decimals: int = 2) -> Decimal:
    """Round half-up to ``decimals`` places: the only rounding Patuh does."""
    step = _QUANTA.get(decimals)
    return value.quantize(
        quantum(decimals) if step is None else step, rounding=ROUND_HALF_UP, context=DECIMAL_CONTEXT
    )


def format_score(value: Decimal | None, decimals: int = 2) -> str:
    """``Decimal('93.275') -> '93.28'``; ``None -> '–'``."""
    if value is None:
        return "–"
    return f"{round_half_up(value, decimals):.{decimals}f}"


def mean(values: list[Decimal]) -> Decimal:
    with localcontext(DECIMAL_CONTEXT):
        return sum(values, ZERO) / len(values)
