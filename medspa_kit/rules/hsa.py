"""May an HSA or FSA pay for this service? The rules of IRS Publication 502, in order.

``hsa_rules.csv`` lists the rules in the order they are tried and the status each gives; the
first whose condition holds decides. :func:`hsa_conditions` states every condition once, for
one scenario or for whole columns:

* a cosmetic visit (Z41.x) that corrects a deformity from a congenital abnormality, an injury
  or a disfiguring disease is ``eligible``; any other cosmetic visit is ``not_eligible``;
* a service that treats a condition the payer's policy recognises is ``eligible`` (even when the
  claim was denied for paperwork);
* a dual-purpose service (massage, a weight-loss program) is ``eligible_with_lmn``;
* a cosmetic-only service is ``eligible`` when it corrects such a deformity, else ``not_eligible``;
* a medical service for a diagnosis the payer does not recognise is ``eligible_with_lmn``.

References
----------
.. [1] IRS Publication 502, "Medical and Dental Expenses" (cosmetic surgery; what medical care is).
.. [2] docs/checks.md, "HSA and FSA".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

if TYPE_CHECKING:
    from ..facts import Facts

HsaStatus = Literal["eligible", "eligible_with_lmn", "not_eligible"]


@dataclass(frozen=True)
class HsaFsa:
    status: HsaStatus
    reason: str
    source: str
    rule: str = ""
    references: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, str]:
        return {"status": self.status, "reason": self.reason}


def hsa_conditions(cosmetic_diagnosis: Any, hsa_exception: Any, has_policy: Any, dual_purpose: Any,
                   cosmetic_only: Any) -> dict[str, Any]:
    """The condition of every rule of ``hsa_rules.csv``, by rule id (bool, or arrays of bool).

    Parameters
    ----------
    cosmetic_diagnosis : a diagnosis is a cosmetic encounter (Z41.x)
    hsa_exception : a diagnosis is a congenital abnormality, an injury or a disfiguring disease
        (``hsa_exceptions.csv``)
    has_policy : a coverage-policy row matches the service and the diagnoses
    dual_purpose : ``procedures.csv`` marks the service dual-purpose
    cosmetic_only : ``procedures.csv`` marks the service cosmetic unless a covered condition is treated
    """
    return {
        "cosmetic_visit_correcting_deformity": cosmetic_diagnosis & hsa_exception,
        "cosmetic_visit": cosmetic_diagnosis,
        "covered_indication": has_policy,
        "dual_purpose": dual_purpose,
        "cosmetic_service_correcting_deformity": cosmetic_only & hsa_exception,
        "cosmetic_service": cosmetic_only,
        "unrecognised_diagnosis": np.ones_like(has_policy, dtype=bool) if isinstance(has_policy, np.ndarray)
        else True,
    }


def hsa_fsa_status(f: "Facts") -> HsaFsa:
    """The first rule of ``hsa_rules.csv`` that holds for this scenario, explained."""
    conditions = hsa_conditions(f.cosmetic_diagnosis, f.hsa_exception, f.has_policy, f.dual_purpose,
                                f.cosmetic_only)
    row = next(r for r in f.catalog.hsa_rules if conditions[r["rule"]])
    reason, where, sources = _reason(f, row["rule"])
    sources = (row["source"],) + sources
    source = f.catalog.cite((f"hsa_rules.csv row {row['_row']}",) + where, sources)
    return HsaFsa(row["status"], reason, source, row["rule"], sources)


def _reason(f: "Facts", rule: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The reason in words, and the rows read besides the rule's own."""
    diagnoses = ", ".join(f.diagnoses)
    lmn = " (an LMN is on file)" if f.scenario.documentation.lmn else ""
    if rule.endswith("correcting_deformity"):
        e = f.catalog.hsa_exception(f.diagnoses)
        return (f"cosmetic, but it corrects a deformity from {e['reason']} ({e['code']})",
                (f"hsa_exceptions.csv row {e['_row']}",), (e["source"],))
    if rule == "cosmetic_visit":
        return f"{f.cosmetic['code']} marks a cosmetic visit: cosmetic care is not a medical expense", (), ()
    if rule == "covered_indication":
        return (f"treats a diagnosed condition ({f.policy.diagnosis}) that the payer's policy recognises",
                (f.policy.where,), (f.policy.source,))
    if rule == "dual_purpose":
        return (f"dual-purpose service: eligible when a letter of medical necessity ties it to {diagnoses}{lmn}",
                (), ())
    if rule == "cosmetic_service":
        return (f"{f.procedure.name} does not treat {diagnoses}: cosmetic care is not a medical expense", (), ())
    return (f"treats {diagnoses}, which the payer's policy does not recognise for this service; an LMN documents "
            f"the need{lmn}", (), ())
