"""HSA/FSA tax savings and the year's contribution limits (IRS; ``tax_limits.csv``).

Paying through payroll (a Section 125 cafeteria plan) saves federal and state income tax and
FICA (7.65 %); a direct HSA contribution is deducted from income tax but not from FICA.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..arguments import truth, whole_value
from ..catalog import Catalog, given_catalog
from ..errors import shortened, shown_value
from ..fields import plain
from ..money import MICRO, format_dollars, times_rate
from .amounts import PaymentError, cents, dollars, micro

FICA = 0.0765
"""Social Security 6.2 % + Medicare 1.45 % (IRS Publication 15, "Social Security and Medicare Taxes")"""

Account = Literal["hsa", "fsa"]


@dataclass(frozen=True)
class TaxSavings:
    amount: float
    rate: float
    """the combined marginal rate applied (fraction)"""
    savings: float
    net_cost: float
    payroll: bool = False
    """paid through payroll (FICA saved too)"""

    def to_dict(self) -> dict[str, float]:
        return {"savings": self.savings, "rate": self.rate, "net_cost": self.net_cost}

    def describe(self) -> str:
        """``$4,400.00 into an HSA or FSA through payroll saves $1,524.60 (34.65%)``."""
        how = "through payroll" if self.payroll else "directly"
        return f"{format_dollars(self.amount)} into an HSA or FSA {how} saves {format_dollars(self.savings)} " \
               f"({self.rate:.2%})"


def tax_savings(amount: float, federal: float, state: float, payroll: bool = False) -> TaxSavings:
    """``amount × (federal + state [+ 7.65 % FICA through payroll])``, rounded half-up to the cent."""
    total = cents("amount", amount)
    if not isinstance(plain(payroll), bool):
        raise PaymentError(f"payroll: {shortened(shown_value(payroll), 40)} is not true or false")
    rate = micro("federal", federal) + micro("state", state) + (micro("fica", FICA) if payroll else 0)
    if rate > MICRO:
        raise PaymentError(f"federal + state: {federal + state:g} is more than 100 %")
    saved = times_rate(total, rate)
    return TaxSavings(dollars(total), rate / MICRO, dollars(saved), dollars(total - saved), payroll)


def annual_limit(account: Account, year: int, family: bool = False, age_55_or_older: bool = False,
                 catalog: Catalog | None = None) -> float:
    """The year's contribution limit in dollars (HSA self or family, plus catch-up; health FSA)."""
    rows = {(r["year"], r["item"]): r for r in given_catalog(catalog).rows["tax_limits"]}
    years = sorted({y for y, _ in rows})
    number = whole_value(year)
    if number is None:
        raise PaymentError(f"year: {shortened(shown_value(year), 40)} is not a year (a whole number, such as 2026)")
    year = number
    if year not in years:
        raise PaymentError(f"year: {year} has no limits in tax_limits.csv (years: {', '.join(map(str, years))})")
    if not isinstance(account, str) or account not in ("hsa", "fsa"):
        raise PaymentError(f"account: {shown_value(account)} is not 'hsa' or 'fsa'")
    family = truth(family, "family", error=PaymentError.named)
    age_55_or_older = truth(age_55_or_older, "age_55_or_older", error=PaymentError.named)
    if account == "fsa":
        return float(rows[(year, "fsa")]["amount"])
    limit = rows[(year, "hsa_family" if family else "hsa_self")]["amount"]
    if age_55_or_older:
        limit += rows[(year, "hsa_catch_up")]["amount"]
    return float(limit)


def limits_summary(year: int, catalog: Catalog | None = None) -> str:
    """``2026 limits: HSA self-only $4,400, family $8,750; health FSA $3,400``."""
    def show(value: float) -> str:
        return format_dollars(value, 0)

    annual_limit("fsa", year, catalog=catalog)  # the year checked before it is written
    year = whole_value(year)  # (the int it holds: 2026.0 and a subclass's own str are never written)

    return (f"{year} limits: HSA self-only {show(annual_limit('hsa', year, catalog=catalog))}, family "
            f"{show(annual_limit('hsa', year, family=True, catalog=catalog))}; health FSA "
            f"{show(annual_limit('fsa', year, catalog=catalog))}")


def check_limit(amount: float, account: Account, year: int, family: bool = False, age_55_or_older: bool = False,
                already: float = 0.0, catalog: Catalog | None = None) -> str | None:
    """A warning in plain words when ``already + amount`` passes the year's limit, else None."""
    limit = cents("limit", annual_limit(account, year, family, age_55_or_older, catalog))
    year = whole_value(year)  # (checked above: the int it holds, never 2026.0 or a subclass's own str)
    total = cents("already", already) + cents("amount", amount)
    if total <= limit:
        return None
    who = ("family" if family else "self-only") + (" with the 55+ catch-up" if age_55_or_older else "")
    label = f"{year} HSA limit ({who})" if account == "hsa" else f"{year} health FSA limit"
    return (f"${dollars(total):,.2f} is more than the {label} of ${dollars(limit):,.2f}: "
            f"only ${max(0.0, dollars(limit - cents('already', already))):,.2f} more can go in this year")


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
