"""Deferred-interest promotions and fixed-APR installment plans, month by month.

Money is whole cents; each month's interest is ``balance × APR / 12`` rounded half-up to the
cent (docs/cost.md, "Rounding"); a last payment is never more than what is owed.

Deferred interest ("no interest if paid in full"): in each promo month the interest on the
balance is accrued but deferred, then the payment is applied. If anything is left after the
last promo month, all the accrued interest is added at once and the rest is repaid at the APR.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..money import format_dollars
from .amounts import PaymentError, cents, dollars, micro, monthly_interest, months

MAX_MONTHS = 600


@dataclass(frozen=True)
class DeferredResult:
    """What a deferred-interest promotion costs with a fixed monthly payment (dollars)."""

    amount: float
    apr: float
    promo_months: int
    payment: float
    paid_off_in_promo: bool
    deferred_interest: float
    """the accrued interest added at once when the promo ended unpaid (0 when paid in time)"""
    interest_after_promo: float
    months_to_payoff: int
    total_paid: float
    schedule: pd.DataFrame
    """month, payment, balance (after the payment), interest accrued (deferred), interest charged"""

    @property
    def total_interest(self) -> float:
        return round(self.total_paid - self.amount, 2)

    def to_dict(self) -> dict[str, object]:
        return {"paid_off_in_promo": self.paid_off_in_promo, "deferred_interest": self.deferred_interest,
                "months_to_payoff": self.months_to_payoff, "total_paid": self.total_paid}

    def describe(self) -> str:
        """One line: the payment, whether the promotion is met, the interest posted, the total."""
        met = "yes" if self.paid_off_in_promo else "no"
        return (f"{format_dollars(self.payment, 0)} a month: paid off in the promotion: {met}; deferred interest "
                f"added {format_dollars(self.deferred_interest)}; {self.months_to_payoff} months; total paid "
                f"{format_dollars(self.total_paid)}")


def minimum_payment_to_clear(amount: float, promo_months: int) -> float:
    """The smallest fixed monthly payment (whole cents) that clears ``amount`` inside the promo."""
    total = cents("amount", amount, positive=True)
    n = months("promo_months", promo_months)
    return dollars(-(-total // n))


def deferred_interest(amount: float, apr: float, promo_months: int, payment: float) -> DeferredResult:
    """Schedule a deferred-interest promotion paid ``payment`` dollars a month."""
    balance = cents("amount", amount, positive=True)
    rate = micro("apr", apr)
    n = months("promo_months", promo_months)
    pay = cents("payment", payment, positive=True)
    rows = []
    accrued = 0
    month = 0
    while balance > 0 and month < n:
        month += 1
        interest = monthly_interest(balance, rate)
        accrued += interest
        paid = min(pay, balance)
        balance -= paid
        rows.append((month, paid, balance, interest, 0))
    posted = 0
    cleared = balance == 0
    if balance > 0:
        posted = accrued
        balance += posted
        rows[-1] = (*rows[-1][:2], balance, rows[-1][3], posted)
    after = 0
    while balance > 0:
        month += 1
        interest = monthly_interest(balance, rate)
        if pay <= interest:
            raise PaymentError(f"payment: ${dollars(pay):,.2f} a month never pays off the balance: the interest "
                               f"alone is ${dollars(interest):,.2f} a month once the promotion ends")
        if month - n > MAX_MONTHS:
            raise PaymentError(f"payment: ${dollars(pay):,.2f} a month takes more than {MAX_MONTHS} months")
        balance += interest
        after += interest
        paid = min(pay, balance)
        balance -= paid
        rows.append((month, paid, balance, 0, interest))
    schedule = pd.DataFrame(
        [(m, dollars(p), dollars(b), dollars(i), dollars(c)) for m, p, b, i, c in rows],
        columns=["month", "payment", "balance", "interest_accrued", "interest_charged"],
    )
    schedule["accrued_to_date"] = schedule["interest_accrued"].cumsum().round(2)
    total = sum(r[1] for r in rows)
    return DeferredResult(
        amount=dollars(cents("amount", amount)), apr=apr, promo_months=n, payment=dollars(pay),
        paid_off_in_promo=cleared, deferred_interest=dollars(posted), interest_after_promo=dollars(after),
        months_to_payoff=len(rows), total_paid=dollars(total), schedule=schedule,
    )


@dataclass(frozen=True)
class Installment:
    """A fixed-APR installment plan: equal payments, the last one trued up (dollars)."""

    amount: float
    apr: float
    months: int
    payment: float
    last_payment: float
    total_interest: float
    total_paid: float
    schedule: pd.DataFrame
    """month, payment, interest, principal, balance"""

    def to_dict(self) -> dict[str, object]:
        return {"payment": self.payment, "total_interest": self.total_interest}


def level_payment(principal: int, apr_micro: int, n: int) -> int:
    """``P·i / (1 − (1 + i)^−n)`` with ``i = APR/12`` (``P/n`` at 0 %), rounded half-up to the cent."""
    if apr_micro == 0:
        return (2 * principal + n) // (2 * n)
    i = apr_micro / 1_000_000 / 12
    exact = principal * i / (1 - (1 + i) ** -n)
    return int(math.floor(exact + 0.5))


def installment(amount: float, apr: float, months_: int) -> Installment:
    """Amortize ``amount`` over ``months_`` equal payments at ``apr`` (fraction, e.g. 0.149)."""
    principal = cents("amount", amount, positive=True)
    rate = micro("apr", apr)
    n = months("months", months_)
    pay = level_payment(principal, rate, n)
    balance, rows = principal, []
    for month in range(1, n + 1):
        interest = monthly_interest(balance, rate)
        paid = balance + interest if month == n else min(pay, balance + interest)
        balance = balance + interest - paid
        rows.append((month, paid, interest, paid - interest, balance))
        if balance == 0:
            break
    schedule = pd.DataFrame([(m, dollars(p), dollars(i), dollars(pr), dollars(b)) for m, p, i, pr, b in rows],
                            columns=["month", "payment", "interest", "principal", "balance"])
    interest_total = sum(r[2] for r in rows)
    return Installment(amount=dollars(principal), apr=apr, months=n, payment=dollars(pay),
                       last_payment=dollars(rows[-1][1]), total_interest=dollars(interest_total),
                       total_paid=dollars(principal + interest_total), schedule=schedule)
