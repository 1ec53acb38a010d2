"""SPEC §6: may an HSA or FSA pay for this service? (IRS Publication 502 logic)

* ``eligible``: the service treats a diagnosed condition — a covered indication in the policy
  table, even when the claim was denied for paperwork — or is cosmetic but corrects a deformity
  from a congenital abnormality, an injury or a disfiguring disease;
* ``eligible_with_lmn``: a dual-purpose service (massage, a weight-loss program) or a medical
  service for a diagnosis the payer does not recognise — plan administrators ask for a letter
  of medical necessity;
* ``not_eligible``: cosmetic or general-wellness care.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from . import Facts

HsaStatus = Literal["eligible", "eligible_with_lmn", "not_eligible"]
PUB_502 = "IRS Publication 502"


@dataclass(frozen=True)
class HsaFsa:
    status: HsaStatus
    reason: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"status": self.status, "reason": self.reason}


def hsa_fsa_status(f: Facts) -> HsaFsa:
    proc = f.procedure
    exception = f.catalog.hsa_exception(f.scenario.diagnoses)
    lmn = " (an LMN is on file)" if f.scenario.documentation.lmn else ""

    def cosmetic_case(what: str) -> HsaFsa:
        if exception is not None:
            return HsaFsa("eligible",
                          f"cosmetic, but it corrects a deformity from {exception['reason']} ({exception['code']})",
                          f"hsa_exceptions.csv row {exception['_row']}: {exception['source']}")
        return HsaFsa("not_eligible", f"{what}: cosmetic care is not a medical expense", PUB_502)

    if f.cosmetic is not None:
        return cosmetic_case(f"{f.cosmetic['code']} marks a cosmetic visit")
    if f.policy is not None:
        return HsaFsa("eligible", f"treats a diagnosed condition ({f.policy.diagnosis}) that the payer's "
                                  "policy recognises", f"{PUB_502}; {f.policy.cite}")
    if proc.dual_purpose:
        return HsaFsa("eligible_with_lmn", f"dual-purpose service: eligible when a letter of medical necessity "
                                           f"ties it to {', '.join(f.scenario.diagnoses)}{lmn}",
                      f"{PUB_502}; FACTS §8.1 (LMN for dual-purpose services)")
    if proc.cosmetic_by_default:
        return cosmetic_case(f"{proc.name} does not treat {', '.join(f.scenario.diagnoses)}")
    return HsaFsa("eligible_with_lmn", f"treats {', '.join(f.scenario.diagnoses)}, which the payer's policy does "
                                       f"not recognise for this service; an LMN documents the need{lmn}",
                  f"{PUB_502}; FACTS §8.1")
