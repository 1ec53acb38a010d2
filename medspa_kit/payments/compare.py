"""``compare_payments``: every way to pay for the same service, in one table.

The amount is what the patient owes after the plan's decision (``outcome.cost.patient_pays``).
Tax savings apply only where an HSA or FSA may pay (``outcome.hsa_fsa``); an HSA or FSA cannot
prepay a package of future sessions (IRS Publication 502: amounts paid in advance for care
not yet received are not medical expenses).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..arguments import texts, truth
from ..catalog import Catalog, given_catalog
from ..outcome import Outcome
from .amounts import PaymentError, cents, dollars
from .financing import deferred_interest, installment, minimum_payment_to_clear
from .tax import tax_savings

COLUMNS = ["option", "available", "monthly_payment", "months", "total_paid", "interest", "tax_saving", "net_cost",
           "note", "deferred_interest", "payment_to_clear"]
"""``deferred_interest``: interest a deferred-interest promotion adds at once when the payments do
not clear the balance in time (dollars; 0 when it does, or for other ways to pay);
``payment_to_clear``: the smallest monthly payment that clears such a promotion in time (dollars;
NaN for other ways to pay)."""


@dataclass(frozen=True)
class PaymentOptions:
    """The patient's situation: marginal tax rates (fractions), payroll HSA/FSA, a monthly budget."""

    federal: float = 0.22
    state: float = 0.05
    payroll: bool = True
    monthly_budget: float | None = None
    """what the patient will pay a month on a card or plan (None: the payment that clears the promo)"""
    offers: tuple[str, ...] | None = None
    """financing_offers.csv ids to include (None: every offer the amount qualifies for)"""

    def __post_init__(self) -> None:
        # 'no' would read as true and a table as an error deep inside: say which option is wrong
        object.__setattr__(self, "payroll", truth(self.payroll, "payroll", error=PaymentError.named))
        if self.offers is not None:
            object.__setattr__(self, "offers", tuple(texts(self.offers, "offers", "financing offer ids",
                                                           error=PaymentError.named)))


def compare_payments(outcome: Outcome, options: PaymentOptions | None = None,
                     catalog: Catalog | None = None) -> pd.DataFrame:
    """What each way to pay costs in total and per month, after tax savings (dollars).

    The financing offers are the outcome's own catalog's unless ``catalog`` is given.
    """
    o = PaymentOptions() if options is None else options
    if not isinstance(o, PaymentOptions):
        raise PaymentError(f"options: expected PaymentOptions, got {type(o).__name__}")
    if not isinstance(outcome, Outcome):
        raise PaymentError(f"outcome: expected an Outcome (medspa_kit.evaluate gives one), got {type(outcome).__name__}")
    cat = outcome.catalog if catalog is None else given_catalog(catalog)
    amount = outcome.cost.patient_pays
    if amount <= 0:
        return pd.DataFrame([{"option": "nothing to pay", "available": True, "monthly_payment": 0.0, "months": 0,
                              "total_paid": 0.0, "interest": 0.0, "tax_saving": 0.0, "net_cost": 0.0,
                              "note": "the patient owes nothing for this service", "deferred_interest": 0.0,
                              "payment_to_clear": float("nan")}], columns=COLUMNS)
    budget = None if o.monthly_budget is None else cents("monthly payment", o.monthly_budget, positive=True)
    status = outcome.hsa_fsa.status
    rows = [_row("pay cash now", amount, 1, amount, 0, 0, "")]
    saving = cents("tax_saving", tax_savings(dollars(amount), o.federal, o.state, o.payroll).savings)
    for account in ("HSA", "FSA"):
        label = f"pay from an {account}" + (" (payroll)" if o.payroll else "")
        if status == "not_eligible":
            rows.append(_row(label, amount, 1, amount, 0, 0, outcome.hsa_fsa.reason, False))
        else:
            note = "needs a letter of medical necessity" if status == "eligible_with_lmn" else ""
            rows.append(_row(label, amount, 1, amount, 0, saving, note))
    offers = cat.rows["financing_offers"]
    for offer in offers:
        if o.offers is not None and offer["id"] not in o.offers:
            continue
        minimum = cents("min_purchase", offer["min_purchase"])
        if amount < minimum:
            rows.append(_row(offer["name"], 0, 0, 0, 0, 0, f"not offered under ${dollars(minimum):,.2f}", False))
            continue
        if offer["kind"] == "deferred_interest":
            floor = cents("min_payment", offer["min_payment"] or 0.0)
            clear = cents("clear", minimum_payment_to_clear(dollars(amount), offer["promo_months"]))
            suggested = max(clear, floor)
            pay = budget or suggested
            if pay < floor:
                rows.append(_row(offer["name"], 0, 0, 0, 0, 0, f"${dollars(pay):,.2f} a month is below the card's "
                                 f"minimum payment of ${dollars(floor):,.2f}", False, to_clear=clear))
                continue
            try:
                result = deferred_interest(dollars(amount), offer["apr"], offer["promo_months"], dollars(pay))
            except PaymentError as err:
                rows.append(_row(offer["name"], 0, 0, 0, 0, 0, str(err).split(": ", 1)[1], False))
                continue
            total = cents("total", result.total_paid)
            note = ("paid off inside the promotion: no interest" if result.paid_off_in_promo else
                    f"not paid off in {offer['promo_months']} months: ${result.deferred_interest:,.2f} of deferred "
                    "interest is added at once")
            rows.append(_row(offer["name"], pay, result.months_to_payoff, total, total - amount, 0, note,
                             deferred=cents("deferred_interest", result.deferred_interest), to_clear=clear))
        else:
            plan = installment(dollars(amount), offer["apr"], offer["promo_months"])
            total = cents("total", plan.total_paid)
            rows.append(_row(offer["name"], cents("payment", plan.payment), plan.months_paid, total, total - amount, 0,
                             f"{offer['apr']:.2%} APR, fixed payments"))
    return pd.DataFrame(rows, columns=COLUMNS)


def _row(option: str, monthly: int, months: int, total: int, interest: int, saving: int, note: str,
         available: bool = True, deferred: int = 0, to_clear: int | None = None) -> dict[str, object]:
    return {"option": option, "available": available, "monthly_payment": dollars(monthly), "months": months,
            "total_paid": dollars(total), "interest": dollars(interest), "tax_saving": dollars(saving),
            "net_cost": dollars(total - saving) if available else float("nan"), "note": note,
            "deferred_interest": dollars(deferred), "payment_to_clear": float("nan") if to_clear is None
            else dollars(to_clear)}


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
