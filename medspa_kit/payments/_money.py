"""Whole cents and exact half-up rounding for the payment arithmetic."""

from __future__ import annotations

from ..catalog import money_problem, rate_problem
from ..errors import MedspaError

MICRO = 1_000_000


class PaymentError(MedspaError):
    """A payment input is out of range; the message names the option and the value."""


def cents(name: str, dollars: float, positive: bool = False) -> int:
    if isinstance(dollars, bool) or not isinstance(dollars, (int, float)):
        raise PaymentError(f"{name}: {dollars!r} is not a number")
    problem = money_problem(float(dollars))
    if problem:
        raise PaymentError(f"{name}: {problem}")
    value = int(round(dollars * 100))
    if positive and value <= 0:
        raise PaymentError(f"{name}: {dollars:g} must be more than 0")
    return value


def micro(name: str, rate: float) -> int:
    """A rate (fraction 0–1, e.g. an APR of 0.2699) as integer millionths."""
    if isinstance(rate, bool) or not isinstance(rate, (int, float)):
        raise PaymentError(f"{name}: {rate!r} is not a number")
    problem = rate_problem(float(rate))
    if problem:
        raise PaymentError(f"{name}: {problem}")
    return int(round(rate * MICRO))


def months(name: str, value: int, most: int = 600) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
        raise PaymentError(f"{name}: {value!r} is not a whole number of months from 1 to {most}")
    return value


def monthly_interest(balance: int, apr_micro: int) -> int:
    """``balance × APR / 12`` in cents, rounded half-up (balances are never negative)."""
    divisor = 12 * MICRO
    return (balance * apr_micro + divisor // 2) // divisor


def dollars(amount: int) -> float:
    return amount / 100
