"""Packages and memberships: what a series or a subscription saves, and when it pays off."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..arguments import whole_value
from ..errors import shown_value
from ..money import format_dollars
from .amounts import PaymentError, cents, dollars, micro


@dataclass(frozen=True)
class PackageSavings:
    single_price: float
    sessions: int
    package_price: float
    savings: float
    """dollars saved against paying for each session singly (negative: the package costs more)"""
    savings_pct: float
    per_session: float

    def describe(self) -> str:
        """``6 sessions for $1,500.00: $300.00 saved (16.7%), $250.00 a session``."""
        return (f"{self.sessions} sessions for {format_dollars(self.package_price)}: {format_dollars(self.savings)} "
                f"saved ({self.savings_pct:.1%}), {format_dollars(self.per_session)} a session")


def package_savings(single_price: float, sessions: int, package_price: float) -> PackageSavings:
    """A package of ``sessions`` for ``package_price`` against ``sessions × single_price``."""
    single = cents("single_price", single_price, positive=True)
    count = whole_value(sessions)
    if count is None or not 1 <= count <= 1000:
        raise PaymentError(f"sessions: {shown_value(sessions)} is not a whole number of sessions from 1 to 1,000")
    sessions = count
    package = cents("package_price", package_price, positive=True)
    saved = single * sessions - package
    return PackageSavings(dollars(single), sessions, dollars(package), dollars(saved),
                          round(saved / (single * sessions), 4), dollars((2 * package + sessions) // (2 * sessions)))


@dataclass(frozen=True)
class Membership:
    monthly_fee: float
    monthly_credit: float
    discount: float
    break_even_spend: float | None
    """monthly spend (dollars, at regular prices) from which the membership costs less; None: never"""
    break_even_visits: int | None
    """visits a month at ``visit_price`` from which it costs less; None: never (or no visit price)"""
    explanation: str

    def describe(self) -> str:
        """``$150/month, $100 credit, 15% off: breaks even at …``."""
        return (f"{format_dollars(self.monthly_fee, 0)}/month, {format_dollars(self.monthly_credit, 0)} credit, "
                f"{self.discount:.0%} off: {self.explanation}")


def membership(monthly_fee: float, discount: float, monthly_credit: float = 0.0,
               visit_price: float | None = None) -> Membership:
    """A membership: ``monthly_fee`` buys ``monthly_credit`` of services and ``discount`` off the rest.

    A member spending ``S`` a month (at regular prices) pays ``fee + (S − credit)·(1 − discount)``
    once past the credit; a non-member pays ``S``. It breaks even where the two meet.
    """
    fee = cents("monthly_fee", monthly_fee)
    credit = cents("monthly_credit", monthly_credit)
    d = micro("discount", discount) / 1_000_000
    if credit >= fee:
        text = "the monthly credit is worth the whole fee: it pays off as long as the credit is used"
        return Membership(dollars(fee), dollars(credit), d, 0.0, 0 if visit_price is not None else None, text)
    if d == 0:
        text = (f"never breaks even: ${dollars(fee):,.2f} a month buys ${dollars(credit):,.2f} of credit and no "
                "discount, so every member month costs more than paying per visit")
        return Membership(dollars(fee), dollars(credit), d, None, None, text)
    spend_cents = math.ceil(credit + (fee - credit) / d)  # fee + (S − credit)(1 − d) = S
    visits = None
    if visit_price is not None:
        price = cents("visit_price", visit_price, positive=True)
        visits = math.ceil(spend_cents / price)
    text = (f"breaks even at ${dollars(spend_cents):,.2f} of services a month"
            + (f" ({visits} visit{'s' if visits != 1 else ''} at ${dollars(price):,.2f})" if visits else ""))
    return Membership(dollars(fee), dollars(credit), d, dollars(spend_cents), visits, text)


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
