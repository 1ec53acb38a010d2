"""SPEC §4 checks 1–2: the inputs are valid, and someone who can bill a plan did the service."""

from __future__ import annotations

from . import Facts, Step


def check_inputs(f: Facts) -> Step:
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
    source = (
        f"procedures.csv row {f.procedure.row}; ICD-10-CM FY2026 (simple-icd-10-cm); "
        "CMS NPI check digit (45 CFR 162.406)"
    )
    return Step.ok("inputs", "Inputs are valid", "codes exist and are billable, amounts and rates in range",
                   facts, source)


def check_billing_provider(f: Facts) -> Step:
    s = f.scenario
    provider_type = s.provider.type.value
    kind = s.facility.kind.value
    can_bill = f.catalog.can_bill(provider_type)
    medical = f.catalog.is_medical_site(kind)
    provider_row = f.catalog.record("provider_types", provider_type)
    kind_row = f.catalog.record("facility_kinds", kind)
    facts = {
        "provider_type": provider_type,
        "provider_can_bill": can_bill,
        "facility_kind": kind,
        "medical_site": medical,
    }
    title = "A billing provider at a medical site"
    if not can_bill:
        source = f"provider_types.csv row {provider_row['_row']}: {provider_row['source']}"
        return Step.fail("billing_provider", title,
                         f"a {provider_row['name'].lower()} cannot bill a health plan", facts, source, "170", "PR")
    if not medical:
        source = f"facility_kinds.csv row {kind_row['_row']}: {kind_row['source']}"
        return Step.fail("billing_provider", title,
                         f"a {kind_row['name'].lower()} has no medical practice to bill from", facts, source,
                         "171", "PR")
    source = (f"provider_types.csv row {provider_row['_row']}; facility_kinds.csv row {kind_row['_row']}: "
              f"{provider_row['source']}")
    return Step.ok("billing_provider", title,
                   f"a {provider_row['name'].lower()} at a {kind_row['name'].lower()} can bill", facts, source)
