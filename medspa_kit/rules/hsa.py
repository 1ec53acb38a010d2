"""May an HSA or FSA pay for this service? The rules of IRS Publication 502, in order.

``hsa_rules.csv`` lists the rules in the order they are tried and the status each gives; the
first whose condition holds decides. Publication 502's own entries come first, then the
diagnosis rule; whether a payer covers the service plays no part. :func:`hsa_conditions` states
every condition once, for one scenario or for whole columns:

* electrolysis and hair removal are ``not_eligible`` (the entry "Electrolysis or Hair Removal");
* a cosmetic visit (Z41.x) that improves a deformity from a congenital abnormality, an accident
  or a disfiguring disease is ``eligible``; any other cosmetic visit is ``not_eligible``
  ("Cosmetic Surgery");
* a cosmetic-only service with no recognised medical use for the diagnoses is ``eligible`` when
  it improves such a deformity; a dual-purpose one (a weight-loss program, massage) is
  ``eligible_with_lmn``; any other is ``not_eligible``;
* everything else treats a diagnosed condition and is ``eligible`` ("What Are Medical
  Expenses?"), even when the claim was denied for paperwork.

A *recognised medical use* is a coverage-policy row of any payer (not one that calls the service
experimental) for the service and the diagnoses: a peel for 15 actinic keratoses treats a
disease, the same peel for fine lines does not.

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


def hsa_conditions(hair_removal: Any, cosmetic_diagnosis: Any, hsa_exception: Any, medical_use: Any,
                   dual_purpose: Any, cosmetic_only: Any) -> dict[str, Any]:
    """The condition of every rule of ``hsa_rules.csv``, by rule id (bool, or arrays of bool).

    Parameters
    ----------
    hair_removal : ``procedures.csv`` names the service under Publication 502's "Electrolysis or
        Hair Removal" entry (``hsa_entry``)
    cosmetic_diagnosis : a diagnosis is a cosmetic encounter (Z41.x)
    hsa_exception : a diagnosis is a congenital abnormality, an injury or a disfiguring disease
        (``hsa_exceptions.csv``)
    medical_use : a coverage-policy row of any payer (not an experimental one) recognises the
        service for the diagnoses
    dual_purpose : ``procedures.csv`` marks the service dual-purpose
    cosmetic_only : ``procedures.csv`` marks the service cosmetic unless a medical condition is treated
    """
    cosmetic_service = cosmetic_only & ~np.asarray(medical_use) if isinstance(medical_use, np.ndarray) else (
        cosmetic_only and not medical_use)
    return {
        "hair_removal": hair_removal,
        "cosmetic_visit_correcting_deformity": cosmetic_diagnosis & hsa_exception,
        "cosmetic_visit": cosmetic_diagnosis,
        "cosmetic_service_correcting_deformity": cosmetic_service & hsa_exception,
        "dual_purpose": cosmetic_service & dual_purpose,
        "cosmetic_service": cosmetic_service,
        "diagnosed_condition": np.ones_like(cosmetic_only, dtype=bool) if isinstance(cosmetic_only, np.ndarray)
        else True,
    }


def hsa_fsa_status(f: "Facts") -> HsaFsa:
    """The first rule of ``hsa_rules.csv`` that holds for this line, explained."""
    conditions = hsa_conditions(f.hair_removal, f.cosmetic_diagnosis, f.hsa_exception, f.medical_use,
                                f.dual_purpose, f.cosmetic_only)
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
    if rule == "hair_removal":
        return (f"{f.procedure.name}: IRS Publication 502 lists electrolysis and hair removal as no medical "
                "expense, whatever the reason", (f"procedures.csv row {f.procedure.row}",), ())
    if rule == "cosmetic_visit":
        return f"{f.cosmetic['code']} marks a cosmetic visit: cosmetic care is not a medical expense", (), ()
    if rule == "dual_purpose":
        return (f"dual-purpose service: eligible when a letter of medical necessity ties it to {diagnoses}{lmn}",
                (), ())
    if rule == "cosmetic_service":
        return (f"{f.procedure.name} does not treat {diagnoses}: cosmetic care is not a medical expense", (), ())
    return (f"treats a diagnosed condition ({diagnoses}): medical care under IRS Publication 502", (), ())
