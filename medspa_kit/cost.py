"""SPEC §5: allowed amount, deductible, coinsurance, copay, out-of-pocket cap, balance bill.

All money is whole cents (integers) and every rate is an integer number of millionths, so
products round exactly half-up to the cent. The functions use only ``numpy`` element-wise
operations: called with Python ints they price one line (the scalar path), called with integer
arrays they price a whole batch (the vectorized path). There is one copy of the arithmetic.

Conventions (SPEC §5), per line with charge ``C`` and fee-schedule amount ``F``:

* in network: ``A = min(C, F)``, write-off (CO 45) ``C − A``; a copay plan (``k > 0``) charges
  ``min(k, A)`` with no deductible; otherwise ``ded = min(A, Dr)`` and ``coins = r·(A − ded)``;
  the share is capped at the out-of-pocket remaining ``Or``, deductible first.
* out of network: ``A = min(C, F·pct)``, deductible and coinsurance on the out-of-network terms,
  no copay; the balance bill ``C − A`` is owed by the patient (PR 45).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

MICRO = 1_000_000


def rate_micro(rate: Any) -> Any:
    """A rate (fraction 0–1, at most 6 decimals, already checked) as integer millionths."""
    return np.rint(np.asarray(rate, dtype=float) * MICRO).astype(np.int64)


def to_cents(dollars: Any) -> Any:
    """Dollars (already checked to hold whole cents) as integer cents."""
    return np.rint(np.asarray(dollars, dtype=float) * 100).astype(np.int64)


def times_rate(amount_cents: Any, micro: Any) -> Any:
    """``amount × rate`` rounded half-up to the cent (amounts are never negative)."""
    return (np.asarray(amount_cents, dtype=np.int64) * micro + MICRO // 2) // MICRO


@dataclass(frozen=True)
class Shares:
    """Cost sharing of one line (or of a batch, element-wise), in cents."""

    allowed: Any
    above_allowed: Any
    """C − A: the CO 45 write-off in network, the PR 45 balance bill out of network"""
    deductible: Any
    coinsurance: Any
    copay: Any
    plan_pays: Any

    @property
    def cost_share(self) -> Any:
        return self.deductible + self.coinsurance + self.copay


def _deductible_and_coinsurance(allowed, deductible, deductible_met, coins_micro, oop_remaining):
    ded_remaining = np.maximum(0, deductible - deductible_met)
    ded = np.minimum(allowed, ded_remaining)
    coins = times_rate(allowed - ded, coins_micro)
    ded_capped = np.minimum(ded, oop_remaining)
    coins_capped = np.minimum(coins, oop_remaining - ded_capped)
    return ded_capped, coins_capped


def in_network(charge, fee, *, deductible, deductible_met, coins_micro, copay, oop_max, oop_met) -> Shares:
    """In-network cost sharing (all money in cents, ``coins_micro`` in millionths)."""
    allowed = np.minimum(charge, fee)
    oop_remaining = np.maximum(0, oop_max - oop_met)
    ded, coins = _deductible_and_coinsurance(allowed, deductible, deductible_met, coins_micro, oop_remaining)
    on_copay = copay > 0
    copay_share = np.minimum(np.minimum(copay, allowed), oop_remaining)
    ded = np.where(on_copay, 0, ded)
    coins = np.where(on_copay, 0, coins)
    copay_share = np.where(on_copay, copay_share, 0)
    plan_pays = allowed - ded - coins - copay_share
    return Shares(allowed, charge - allowed, ded, coins, copay_share, plan_pays)


def out_of_network(charge, fee, *, allowed_micro, deductible, deductible_met, coins_micro, oop_max, oop_met) -> Shares:
    """Out-of-network cost sharing: the plan's allowed amount is ``fee × allowed_pct``."""
    allowed = np.minimum(charge, times_rate(fee, allowed_micro))
    oop_remaining = np.maximum(0, oop_max - oop_met)
    ded, coins = _deductible_and_coinsurance(allowed, deductible, deductible_met, coins_micro, oop_remaining)
    zero = np.zeros_like(allowed)
    plan_pays = allowed - ded - coins
    return Shares(allowed, charge - allowed, ded, coins, zero, plan_pays)
