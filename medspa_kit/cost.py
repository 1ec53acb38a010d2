"""Cost sharing of a covered line: allowed amount, deductible, coinsurance, copay, out-of-pocket
cap, write-off and balance bill — and who carries each part.

All money is whole cents (integers) and every rate an integer number of millionths, so products
round exactly half-up to the cent. The functions use only numpy element-wise operations: called
with Python ints they price one line (the scalar path), called with integer arrays they price a
whole batch (the vectorized path). There is one copy of the arithmetic.

Per line, with charge ``C`` and fee-schedule amount ``F``:

* in network: ``A = min(C, F)``; the rest ``C − A`` is the clinic's write-off (CO 45). A copay
  plan (copay ``k > 0``) charges ``min(k, A)`` once per claim, on its first covered line, and no
  deductible; otherwise ``ded = min(A, Dr)`` and ``coins = r·(A − ded)``, with ``Dr`` the
  deductible remaining. The patient's share is capped at the out-of-pocket remaining ``Or``,
  deductible first.
* out of network: ``A = min(C, F·pct)``, deductible and coinsurance on the out-of-network
  terms, no copay; ``C − A`` is the balance bill the patient owes (PR 45).
* a non-participating clinic under Original Medicare may bill the patient above ``A`` up to the
  limiting charge: the part ``min(C − A, F·(limit − 1))`` is the patient's (PR 45), the rest is
  written off (CO 45). ``F`` is then already Medicare's non-participating amount.
* a preventive line (no cost sharing) has no deductible, coinsurance or copay, and does not use
  up the claim's copay or the deductible.

A claim's covered lines are priced in order: each line's deductible and out-of-pocket cap use
what the earlier lines of the claim left. The functions take ``earlier``, which gives for each
line the sum of a quantity over the claim's earlier lines (nothing for a claim of one line; a
cumulative sum for one claim's lines; a cumulative sum within each claim for a batch): the
running totals are ``min(Dr, Σ allowed)`` for the deductible and ``min(Or, Σ share)`` for the cap,
so one formula prices a line, a claim and a million claims.

Which group (CO or PR) and reason code each part carries is data (``adjustments.csv``).

References
----------
.. [1] docs/cost.md (the cost conventions, with worked examples).
.. [2] healthcare.gov glossary: allowed amount, deductible, coinsurance, copayment,
       out-of-pocket maximum, balance billing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping


import numpy as np

from .money import times_rate
from .vector import maximum, minimum, where

COMPONENTS = ("above_allowed", "limiting_charge", "deductible", "coinsurance", "copay")
"""the parts of a covered line's charge besides what the plan pays, in remittance order"""


@dataclass(frozen=True)
class Shares:
    """Cost sharing of one line (or of a batch, element-wise), in cents."""

    allowed: Any
    above_allowed: Any
    """C − A (less the limiting-charge part): the write-off in network, the balance bill out of network"""
    limiting_charge: Any
    """the part above the allowed amount a non-participating Medicare clinic may bill the patient"""
    deductible: Any
    coinsurance: Any
    copay: Any
    plan_pays: Any


def alone(value: Any) -> int:
    """``earlier`` for a claim of one line: nothing came before it."""
    return 0


def in_order(values: Any) -> Any:
    """``earlier`` for the covered lines of one claim, in order: the sum over the lines before each."""
    values = np.asarray(values, dtype=np.int64)
    return np.cumsum(values) - values


def by_claim(first: np.ndarray) -> Callable[[Any], Any]:
    """``earlier`` for the covered lines of many claims, each claim's lines adjacent and in order.

    ``first[i]`` is the position of the first covered line of line ``i``'s claim.
    """

    def earlier(values: Any) -> Any:
        values = np.broadcast_to(np.asarray(values, dtype=np.int64), first.shape)
        before = np.cumsum(values) - values  # over all lines so far, then less what came before the claim
        return before - before[first]

    return earlier


def _share(allowed, copay, deductible, deductible_met, coins_micro, oop_max, oop_met, earlier, cost_sharing=True):
    """(deductible, coinsurance, copay) of each line, capped at the out-of-pocket room left."""
    shared = allowed * cost_sharing  # a preventive line shares nothing and uses up nothing
    ded_left = maximum(0, deductible - deductible_met)
    ded = minimum(shared, maximum(0, ded_left - earlier(shared)))  # earlier lines took min(Dr, Σ allowed)
    coins = times_rate(shared - ded, coins_micro)
    on_copay = copay > 0
    sharing = allowed * 0 + cost_sharing  # 1 where the line shares the cost
    first = (earlier(sharing) == 0) & (sharing > 0)  # the claim's first covered line that shares the cost
    copay_share = where(on_copay & first, minimum(copay, allowed), 0)
    ded = where(on_copay, 0, ded)
    coins = where(on_copay, 0, coins)
    room = maximum(0, maximum(0, oop_max - oop_met) - earlier(ded + coins + copay_share))
    ded_capped = minimum(ded, room)
    coins_capped = minimum(coins, room - ded_capped)
    copay_capped = minimum(copay_share, room - ded_capped - coins_capped)
    return ded_capped, coins_capped, copay_capped


def in_network(charge: Any, fee: Any, *, deductible: Any, deductible_met: Any, coins_micro: Any, copay: Any,
               oop_max: Any, oop_met: Any, earlier: Callable[[Any], Any] = alone, limiting_micro: Any = 0,
               cost_sharing: Any = True) -> Shares:
    """In-network cost sharing of a covered line.

    Parameters
    ----------
    charge, fee : int or ndarray of int64
        The line's charge and the plan's fee-schedule amount, cents.
    deductible, deductible_met : int or ndarray
        The plan's in-network deductible and what the patient has met this year, cents.
    coins_micro : int or ndarray
        Coinsurance, millionths (a fraction 0–1 times 10⁶).
    copay : int or ndarray
        The copay, cents; above 0 it replaces deductible and coinsurance.
    oop_max, oop_met : int or ndarray
        The out-of-pocket maximum and what the patient has paid toward it before the claim, cents.
    earlier : callable, optional
        For a claim of several covered lines: ``earlier(x)`` is, per line, the sum of ``x`` over
        the claim's earlier covered lines (see the module docstring). Default: one line.
    limiting_micro : int or ndarray, optional
        A non-participating Medicare clinic: the share of ``fee`` (millionths, 150,000 for the
        115 % limiting charge) it may bill the patient above the allowed amount. Default 0.
    cost_sharing : bool or ndarray of bool, optional
        False for a preventive line: no deductible, coinsurance or copay. Default True.

    Returns
    -------
    Shares
        Cents, element-wise. ``allowed = plan_pays + deductible + coinsurance + copay``.

    References
    ----------
    .. [1] docs/cost.md, "In network" and "A claim of several lines".
    .. [2] 42 CFR 414.48 (the limiting charge); 45 CFR 147.130 (preventive care without cost sharing).
    """
    allowed = minimum(charge, fee)
    ded, coins, copay_share = _share(allowed, copay, deductible, deductible_met, coins_micro, oop_max, oop_met,
                                     earlier, cost_sharing)
    plan_pays = allowed - ded - coins - copay_share
    limiting = minimum(charge - allowed, times_rate(fee, limiting_micro))
    return Shares(allowed, charge - allowed - limiting, limiting, ded, coins, copay_share, plan_pays)


def out_of_network(charge: Any, fee: Any, *, allowed_micro: Any, deductible: Any, deductible_met: Any,
                   coins_micro: Any, oop_max: Any, oop_met: Any, earlier: Callable[[Any], Any] = alone) -> Shares:
    """Out-of-network cost sharing: the plan allows ``fee × allowed_pct``; no copay.

    Parameters
    ----------
    charge, fee : int or ndarray of int64
        Cents.
    allowed_micro : int or ndarray
        The share of the fee schedule the plan allows out of network, millionths.
    deductible, deductible_met, oop_max, oop_met : int or ndarray
        The out-of-network terms and accumulators, cents.
    coins_micro : int or ndarray
        Out-of-network coinsurance, millionths.
    earlier : callable, optional
        As for :func:`in_network`.

    Returns
    -------
    Shares
        Cents; ``above_allowed`` is the balance bill.

    References
    ----------
    .. [1] docs/cost.md, "Out of network".
    """
    allowed = minimum(charge, times_rate(fee, allowed_micro))
    ded, coins, copay = _share(allowed, 0, deductible, deductible_met, coins_micro, oop_max, oop_met, earlier)
    plan_pays = allowed - ded - coins
    return Shares(allowed, charge - allowed, allowed * 0, ded, coins, copay, plan_pays)


def settle(shares: Shares, patient_owes: Mapping[str, Any]) -> dict[str, Any]:
    """Who pays what of a covered line: the patient (PR parts), the clinic (CO parts), the plan.

    Parameters
    ----------
    shares : Shares
        Cents, scalar or element-wise.
    patient_owes : mapping of component → bool (or array of bool)
        For each of :data:`COMPONENTS`, whether its group is PR (the patient's) for this line's
        network; from ``adjustments.csv``.

    Returns
    -------
    dict
        ``patient_pays``, ``provider_writeoff`` and ``balance_bill`` (the part above the allowed
        amount the patient owes: out of network, or up to Medicare's limiting charge), cents.
        ``charge = plan_pays + patient_pays + provider_writeoff``.
    """
    # amount × flag is the vector form of "if": it keeps a Python int a Python int (fast for one line)
    patient = 0
    clinic = 0
    for name in COMPONENTS:
        amount, owes = getattr(shares, name), patient_owes[name]
        patient = patient + amount * owes
        clinic = clinic + amount * (1 - owes)
    return {"patient_pays": patient, "provider_writeoff": clinic,
            "balance_bill": shares.above_allowed * patient_owes["above_allowed"]
            + shares.limiting_charge * patient_owes["limiting_charge"]}


def denied(charge: Any, clinic_absorbs: Any) -> dict[str, Any]:
    """A denied or unbilled line carries its whole charge: the clinic's when CO, else the patient's.

    Parameters
    ----------
    charge : int or ndarray
        Cents.
    clinic_absorbs : bool or ndarray of bool
        The denial's group is CO.

    Returns
    -------
    dict
        ``patient_pays`` and ``provider_writeoff``, cents.
    """
    patient = charge * (1 - clinic_absorbs)
    return {"patient_pays": patient, "provider_writeoff": charge - patient}
