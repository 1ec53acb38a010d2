"""Checked inputs for the payment arithmetic: dollars to whole cents, rates to millionths.

Each function names the option it checks in its error, so a widget or the CLI can show
``apr: 1.5 is not a rate between 0 and 1`` as it is.
"""

from __future__ import annotations

from ..arguments import whole_value
from ..errors import MedspaError, shown_value
from ..fields import OutOfRange, plain
from ..money import MICRO, money_problem, rate_micro, rate_problem, to_cents, to_dollars


class PaymentError(MedspaError):
    """A payment input is out of range; the message names the option and the value."""


def cents(name: str, dollars: float, positive: bool = False) -> int:
    """A dollar amount checked and turned into whole cents; ``positive``: must be above 0.

    A numpy number counts as the Python number it holds; the limit is checked before any
    arithmetic (``money.MONEY_MAX``)."""
    dollars = plain(dollars)
    if isinstance(dollars, OutOfRange):  # (a Decimal no float holds: 1E+400, or 1E-400, a fraction of a cent)
        raise PaymentError(f"{name}: {dollars.problem('dollars')}")
    if isinstance(dollars, bool) or not isinstance(dollars, (int, float)):
        raise PaymentError(f"{name}: {shown_value(dollars)} is not a number")
    problem = money_problem(dollars)
    if problem:
        raise PaymentError(f"{name}: {problem}")
    value = to_cents(float(dollars))
    if positive and value <= 0:
        raise PaymentError(f"{name}: {dollars:g} must be more than 0")
    return value


def micro(name: str, rate: float) -> int:
    """A rate (fraction 0–1, e.g. an APR of 0.2699) as integer millionths."""
    rate = plain(rate)
    if isinstance(rate, OutOfRange):
        raise PaymentError(f"{name}: {rate.problem('fraction')}")
    if isinstance(rate, bool) or not isinstance(rate, (int, float)):
        raise PaymentError(f"{name}: {shown_value(rate)} is not a number")
    problem = rate_problem(rate)
    if problem:
        raise PaymentError(f"{name}: {problem}")
    return rate_micro(float(rate))


def months(name: str, value: int, most: int = 600) -> int:
    """A whole number of months from 1 to ``most``."""
    number = whole_value(value)
    if number is None or not 1 <= number <= most:
        raise PaymentError(f"{name}: {shown_value(value)} is not a whole number of months from 1 to {most}")
    return number


def monthly_interest(balance: int, apr_micro: int) -> int:
    """``balance × APR / 12`` in cents, rounded half-up (balances are never negative)."""
    divisor = 12 * MICRO
    return (balance * apr_micro + divisor // 2) // divisor


dollars = to_dollars
"""cents → dollars"""


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
