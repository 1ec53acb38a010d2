"""Checks 1–3: the inputs are valid, a provider type that can bill did the service, at a
medical site.

References
----------
.. [1] docs/checks.md, checks 1 to 3.
.. [2] ``provider_types.csv`` and ``facility_kinds.csv`` (which types can bill, with sources).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any


from ..vector import logical_not
from .base import Explained

if TYPE_CHECKING:
    from ..facts import Facts


def explain_inputs(f: "Facts", failed: bool) -> Explained:
    """Check 1 has no verdict: a scenario that fails it raises ScenarioError before any check runs."""
    s = f.scenario
    names = {code: f.catalog.diagnosis_name(code) or "(outside the bundled list; checked in the code set)"
             for code in s.diagnoses}
    facts = {
        "service": f.procedure.id,
        "billing_code": f.procedure.code or "none (cash-only service)",
        "diagnoses": names,
        "npi": s.provider.npi or "none given",
        "charge": f.charge / 100,
        "fee_schedule": None if f.fee_schedule is None else f.fee_schedule / 100,
    }
    if len(s.claim_lines) > 1:  # a claim with lines: each line as a biller writes it
        facts = {"lines": [f"{line.code} ×{line.units}" + "".join(f"-{m}" for m in line.modifiers)
                           for line in s.claim_lines], "diagnoses": names, "npi": facts["npi"]}
    if f.warning:
        code_set = f.catalog.rows["code_sets"][-1]
        return Explained(f"codes exist and are billable, amounts and rates in range; warning: {f.warning}", facts,
                         (f"procedures.csv row {f.procedure.row}", f"code_sets.csv row {code_set['_row']}"),
                         (f.procedure.source, code_set["source"]))
    return Explained("codes exist and are billable, amounts and rates in range", facts,
                     (f"procedures.csv row {f.procedure.row}",), (f.procedure.source,))


def provider_cannot_bill(can_bill: Any) -> Any:
    """Check 2 fails when the rendering provider's type cannot bill a health plan.

    Parameters
    ----------
    can_bill : bool or array of bool
        ``provider_types.csv`` says this type (MD, DO, NP, PA, RN, aesthetician) can bill.

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 170 in ``checks.csv``).
    """
    return logical_not(can_bill)


def explain_provider_type(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``provider_type`` check for one claim: finding, facts used, rows read.

    ``failed`` is the verdict's answer; the wording follows it and never decides again.
    """
    row = f.catalog.record("provider_types", f.scenario.provider.type.value)
    facts = {"provider_type": row["type"], "provider_can_bill": f.can_bill}
    name = row["name"].lower()
    finding = f"a {name} cannot bill a health plan" if failed else f"a {name} can bill a health plan"
    return Explained(finding, facts, (f"provider_types.csv row {row['_row']}",), (row["source"],))


def not_a_medical_site(medical_site: Any) -> Any:
    """Check 3 fails when the facility kind has no medical practice to bill from.

    Parameters
    ----------
    medical_site : bool or array of bool
        ``facility_kinds.csv`` says this kind (medical clinic, med spa under a medical director,
        day spa) is a medical site.

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 171 in ``checks.csv``).
    """
    return logical_not(medical_site)


def explain_facility_kind(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``facility_kind`` check for one claim: finding, facts used, rows read.

    ``failed`` is the verdict's answer; the wording follows it and never decides again.
    """
    row = f.catalog.record("facility_kinds", f.scenario.facility.kind.value)
    facts = {"facility_kind": row["kind"], "medical_site": f.medical_site}
    name = row["name"].lower()
    finding = (f"a {name} has no medical practice to bill from" if failed
               else f"a {name} is a medical site that can bill")
    return Explained(finding, facts, (f"facility_kinds.csv row {row['_row']}",), (row["source"],))
