"""Money and rates: whole cents, integer millionths, exact half-up rounding, and their limits.

Every amount the kit computes is an integer number of cents and every rate an integer number of
millionths, so a product rounds half-up to the cent exactly, the same way in the scalar path
(Python ints) and the batch path (numpy arrays). This module is the only place that turns
dollars into cents, says what a valid amount or rate is, and writes an amount for people.

References
----------
.. [1] docs/cost.md, "Rounding" (the project's cost conventions).
"""

from __future__ import annotations

import math
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any

import numpy as np

from .arguments import unwrapped, whole
from .errors import ScenarioError, shown_value

__all__ = ["format_dollars", "MONEY_MAX"]

MICRO = 1_000_000
"""millionths in one: a rate of 0.2 is 200,000 millionths"""

MONEY_MAX = 10_000_000.0
"""dollars: the largest amount any input may hold (no med-spa line comes near it)"""

X12_AMOUNT_MAX = 1_000_000_000_000.0
"""dollars: the largest amount the kit writes into an X12 file or reads from one. An 835's totals
are sums (a claim's charge over up to 50 lines, each at most ``MONEY_MAX`` × its units; a
payment's over every claim of a batch), so they may pass ``MONEY_MAX``; in cents this is still
exact in a float"""

CENT_TOLERANCE = 1e-6
"""cents: how far ``dollars × 100`` may sit from a whole number and still be whole cents"""

RATE_TOLERANCE = 1e-3
"""millionths: how far ``rate × 10⁶`` may sit from a whole number (at most 6 decimals)"""


def money_problem(value: float) -> str | None:
    """Why ``value`` (dollars) is not a valid amount, in a few words; None when it is.

    Valid: a finite number from 0 to ``MONEY_MAX`` dollars holding whole cents (an amount above
    zero but below half a cent, ``1e-10``, is a fraction of a cent however small). The scenario
    parser, the batch reader, the dataset loader and the payment calculators all ask this.
    """
    if value != value or value in (math.inf, -math.inf):
        return f"{value} is not a number"
    if value < 0:
        return f"{number_shown(value)} is negative"
    if value > MONEY_MAX:
        return f"{number_shown(value)} is more than ${MONEY_MAX:,.0f}"
    cents = round(value * 100)
    if abs(value * 100 - cents) > CENT_TOLERANCE or (cents == 0 and value > 0):
        return f"{value!r} has a fraction of a cent"
    return None


def rate_problem(value: float) -> str | None:
    """Why ``value`` is not a rate (a fraction 0–1 with at most 6 decimals); None when it is.

    A rate above zero but below half a millionth (``1e-300``) has more than 6 decimals, however
    small, as an amount below half a cent is a fraction of a cent."""
    if value != value:
        return "not a number"
    if not 0 <= value <= 1:
        return f"{number_shown(value)} is not a rate between 0 and 1 (write 20% as 0.2)"
    micro = round(value * MICRO)
    if abs(value * MICRO - micro) > RATE_TOLERANCE or (micro == 0 and value > 0):
        return f"{value!r} has more than 6 decimal places"
    return None


def number_shown(value: Any) -> str:
    """A number as a message shows it: short (``1e+308``, ``-5``) when that is the same number,
    else every digit it holds (``10000000.01``, never ``1e+07``, which would contradict the
    limit); a whole number too large for a float is written ``1.00000e+400``."""
    try:
        short = f"{value:g}"
    except OverflowError:
        return f"{Decimal(value):.6g}"
    return short if float(short) == value else repr(float(value)) if isinstance(value, float) else str(value)


def to_cents(dollars: Any) -> Any:
    """Dollars (already checked to hold whole cents) as integer cents.

    Parameters
    ----------
    dollars : float or array of float
        An amount in dollars, or an array of them.

    Returns
    -------
    int or ndarray of int64
        Cents: a Python int for a scalar, an int64 array for an array.
    """
    if isinstance(dollars, (int, float)):
        return int(round(dollars * 100))
    return np.rint(np.asarray(dollars, dtype=float) * 100).astype(np.int64)


def to_dollars(cents: Any) -> Any:
    """Cents (int or array) as dollars (float or float array)."""
    return cents / 100


def rate_micro(rate: Any) -> Any:
    """A rate (fraction 0–1, at most 6 decimals, already checked) as integer millionths."""
    if isinstance(rate, (int, float)):
        return int(round(rate * MICRO))
    return np.rint(np.asarray(rate, dtype=float) * MICRO).astype(np.int64)


def times_rate(amount_cents: Any, micro: Any) -> Any:
    """``amount × rate`` rounded half-up to the cent.

    Parameters
    ----------
    amount_cents : int or ndarray of int64
        Cents, never negative.
    micro : int or ndarray of int64
        The rate in millionths.

    Returns
    -------
    int or ndarray of int64
        Cents. Exact: integer arithmetic, ``(a·m + 500,000) // 1,000,000``.
    """
    if isinstance(amount_cents, (int, np.integer)) and isinstance(micro, (int, np.integer)):
        return (int(amount_cents) * int(micro) + MICRO // 2) // MICRO
    return (np.asarray(amount_cents, dtype=np.int64) * micro + MICRO // 2) // MICRO


def format_money(cents: int | float) -> str:
    """``$1,234.50`` for 123450 cents; ``−$12.00`` for a negative amount."""
    sign = "−" if cents < 0 else ""
    return f"{sign}${abs(cents) / 100:,.2f}"


def fraction_decimal(value: Fraction) -> Decimal:
    """A ``Fraction`` as a ``Decimal`` of 40 significant digits (``Fraction(1, 3)`` is
    ``0.3333…``; no Fraction is beyond its range, ``Fraction(10**400, 3)`` is ``3.33…E+399``)."""
    with localcontext() as context:
        context.prec, context.Emax, context.Emin = 40, MAX_EMAX, MIN_EMIN
        return Decimal(value.numerator) / Decimal(value.denominator)


def format_dollars(dollars: float, decimals: int = 2) -> str:
    """``$1,234.50`` for 1234.5 dollars (``decimals=0``: ``$1,235``); ``—`` for an empty value
    (None or NaN). ScenarioError for a value that is no number or ``decimals`` not 0 to 6."""
    if type(decimals) is not int or not 0 <= decimals <= 6:
        decimals = whole(decimals, "decimals", 0, 6)
    if dollars is None:
        return "—"
    dollars = unwrapped(dollars)  # (a number of a subclass of int or float: the plain one it holds)
    if isinstance(dollars, Fraction):  # (read as the number it holds, as a Decimal is)
        dollars = fraction_decimal(dollars)
    if isinstance(dollars, (bool, np.bool_, np.timedelta64)) or \
            not isinstance(dollars, (int, float, np.integer, np.floating, Decimal)):
        raise ScenarioError.one("dollars", f"{shown_value(dollars)} is not a number of dollars")
    if dollars.is_nan() if isinstance(dollars, Decimal) else dollars != dollars:  # a signalling NaN too
        return "—"
    if not -1e15 < dollars < 1e15:  # past any amount the kit computes (and float's exact cents)
        raise ScenarioError.one("dollars", f"{shown_value(dollars)} is beyond the dollars the kit shows (±$1e15)")
    # half-up from the number as written (1234.5 → $1,235; 2.675 → $2.68), as the kit rounds money;
    # an amount that rounds to zero has no sign (−0.001 is $0.00)
    shown = (dollars if isinstance(dollars, Decimal) else Decimal(str(dollars))).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "−" if shown < 0 else ""
    return f"{sign}${abs(shown):,.{decimals}f}"


from ._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
