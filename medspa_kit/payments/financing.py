"""Deferred-interest promotions and fixed-APR installment plans, month by month.

Money is whole cents; each month's interest is ``balance × APR / 12`` rounded half-up to the
cent (docs/cost.md, "Rounding"); a last payment is never more than what is owed. An
installment's level payment is rounded **up** to the cent, so it pays the loan off with a last
payment no larger than the others; a payment that can never pay a balance off is an error.

Deferred interest ("no interest if paid in full"): in each promo month the interest on the
balance is accrued but deferred, then the payment is applied. If anything is left after the
last promo month, all the accrued interest is added at once and the rest is repaid at the APR.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..arguments import whole
from ..money import MICRO, MONEY_MAX, format_dollars
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
        amount=dollars(cents("amount", amount)), apr=rate / MICRO, promo_months=n, payment=dollars(pay),
        paid_off_in_promo=cleared, deferred_interest=dollars(posted), interest_after_promo=dollars(after),
        months_to_payoff=len(rows), total_paid=dollars(total), schedule=schedule,
    )


@dataclass(frozen=True)
class Installment:
    """A fixed-APR installment plan: level payments, the last one no more than the others (dollars)."""

    amount: float
    apr: float
    months: int
    """the term asked for"""
    payment: float
    last_payment: float
    total_interest: float
    total_paid: float
    schedule: pd.DataFrame
    """month, payment, interest, principal, balance"""

    @property
    def months_paid(self) -> int:
        """How many payments it takes: ``months``, or fewer when the whole-cent payment (rounded up)
        pays the loan off sooner (a very long, dear loan whose exact payment is barely above the
        interest: $3,000 at 30 % over 480 months is $75.01 for 361 months)."""
        return len(self.schedule)

    def to_dict(self) -> dict[str, object]:
        return {"payment": self.payment, "total_interest": self.total_interest, "months_paid": self.months_paid}


def level_payment(principal: int, apr_micro: int, n: int) -> int:
    """The level monthly payment, in cents, that pays ``principal`` cents off in at most ``n`` months.

    ``P·i / (1 − (1 + i)^−n)`` with ``i = APR/12`` (``P/n`` at 0 %), **rounded up** to the cent,
    then the smallest whole-cent payment for which the last payment, with the interest of each
    month rounded half-up, is no more than the others. Rounding down instead can leave a payment
    that only pays the interest and a balloon at the end ($3,000 at 30 % over 480 months: $75.00 =
    the interest, then $3,075.00).

    Parameters
    ----------
    principal : int
        Cents, more than 0.
    apr_micro : int
        The APR in millionths (0 for none).
    n : int
        Months, at least 1.

    Returns
    -------
    int
        Cents: more than the first month's interest, so each payment pays the balance down.

    Raises
    ------
    PaymentError
        An argument that is no whole number in its range (naming it).
    """
    principal = whole(principal, "principal", 1, round(MONEY_MAX * 100), error=PaymentError.named)
    apr_micro = whole(apr_micro, "apr_micro", 0, MICRO, error=PaymentError.named)
    n = whole(n, "n", 1, 600, error=PaymentError.named)
    if apr_micro == 0:
        return -(-principal // n)
    i = apr_micro / 1_000_000 / 12
    exact = principal * i / (1 - (1 + i) ** -n)
    pay = max(math.floor(exact) - 1, monthly_interest(principal, apr_micro) + 1)  # below it, for float error
    while _last_payment(principal, apr_micro, n, pay) > pay:
        pay += 1
    return pay


def _last_payment(principal: int, apr_micro: int, n: int, pay: int) -> int:
    """Cents: what the ``n``-th payment must be after ``n − 1`` payments of ``pay`` (0: paid off sooner)."""
    balance = principal
    for _ in range(n - 1):
        balance += monthly_interest(balance, apr_micro) - pay
        if balance <= 0:
            return 0
    return balance + monthly_interest(balance, apr_micro)


def installment(amount: float, apr: float, months_: int) -> Installment:
    """Amortize ``amount`` (dollars) over at most ``months_`` level payments at ``apr``.

    Parameters
    ----------
    amount : float
        Dollars financed, more than 0 and at most the money limit.
    apr : float
        Fraction, e.g. 0.149 (0 for none).
    months_ : int
        The term, 1 to 600 months.

    Returns
    -------
    Installment
        The payment (:func:`level_payment`: rounded up, so the loan is paid off), the last
        payment (no more than the others), the interest and the month-by-month schedule.
        Rounding up may end the loan early (``months_paid`` < ``months``): usually by a month, but
        by years where the exact payment is a fraction of a cent above the month's interest
        ($3,000 at 30 % over 480 months: $75.01 pays it off in 365 months, while $75.00, the
        interest alone, never would); the schedule and every face say how many months it takes.

    Raises
    ------
    PaymentError
        Naming the input that is out of range.
    """
    principal = cents("amount", amount, positive=True)
    rate = micro("apr", apr)
    n = months("months", months_)
    pay = level_payment(principal, rate, n)
    balance, rows = principal, []
    for month in range(1, n + 1):
        interest = monthly_interest(balance, rate)
        paid = min(pay, balance + interest)
        balance = balance + interest - paid
        rows.append((month, paid, interest, paid - interest, balance))
        if balance == 0:
            break
    if balance:  # level_payment guarantees this never happens: say so rather than hide a balloon
        raise PaymentError(f"months: ${dollars(pay):,.2f} a month does not pay ${dollars(principal):,.2f} off in "
                           f"{n} months")
    schedule = pd.DataFrame([(m, dollars(p), dollars(i), dollars(pr), dollars(b)) for m, p, i, pr, b in rows],
                            columns=["month", "payment", "interest", "principal", "balance"])
    interest_total = sum(r[2] for r in rows)
    return Installment(amount=dollars(principal), apr=rate / MICRO, months=n, payment=dollars(pay),
                       last_payment=dollars(rows[-1][1]), total_interest=dollars(interest_total),
                       total_paid=dollars(principal + interest_total), schedule=schedule)


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
