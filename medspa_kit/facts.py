"""A claim's facts, line by line: everything the checks read, looked up once from the rule tables.

``resolve`` gives one :class:`Facts` per line of the claim. The fields below the first line of
dashes are the parameters of the verdicts in :mod:`medspa_kit.rules`; the batch engine builds
columns of the same names (``batch.FACT_NAMES``), so one verdict serves both. Claim-level facts
(network, credentialing, place of service) are the same on every line.

A drug line (``drug_for`` in ``procedures.csv``) is decided as its administration line is: its
coverage facts (cosmetic, policy, criteria, authorization, frequency, HSA) are that line's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .catalog import Catalog, Policy, Procedure
from .errors import ScenarioError
from .model import ClaimLine, Scenario
from .money import to_cents
from .rules.network import in_network as _in_network
from .rules.network import out_of_network_benefits

COVERAGE_FACTS = ("coverage", "diagnoses", "policy", "cosmetic", "cosmetic_diagnosis", "cosmetic_only", "dual_purpose",
                  "has_policy", "hsa_exception", "criteria_documented", "needs_prior_auth", "min_interval_days")
"""the facts a drug line takes from its administration line"""


@dataclass(slots=True)
class Facts:
    """One line of a claim with everything the checks share already looked up."""

    scenario: Scenario
    catalog: Catalog
    line: ClaimLine
    index: int
    """the line's place on the claim, from 0"""
    procedure: Procedure
    """the line's own billing code"""
    coverage: Procedure
    """the procedure whose coverage decides the line (a drug line's: its administration line's)"""
    diagnoses: tuple[str, ...]
    """the diagnoses the coverage rules read: the line's (a drug line's: its administration line's)"""
    charge: int
    """cents: the line's charge, else the catalog's cash price per unit × units"""
    fee_schedule: int | None
    """cents for the whole line (per unit × units); None when neither scenario nor catalog gives one"""
    policy: Policy | None
    """the first coverage-policy row the procedure and diagnoses match (criteria aside)"""
    cosmetic: dict[str, Any] | None
    """the cosmetic-encounter diagnosis row (Z41.x) matched, if any"""
    place_of_service: str
    administration: int | None
    """a drug line: the index of the line that gives the drug (None: none on the claim)"""
    # -- the verdicts' inputs -------------------------------------------------------------
    can_bill: bool
    medical_site: bool
    add_on_without_base: bool
    drug_without_administration: bool
    office_visit: bool
    procedure_on_claim: bool
    modifier_25: bool
    excluded_code_on_claim: bool
    modifier_59: bool
    units: int
    max_units: float
    """units; NaN with no daily limit"""
    cosmetic_diagnosis: bool
    cosmetic_only: bool
    dual_purpose: bool
    has_policy: bool
    hsa_exception: bool
    criteria_documented: bool
    place_covered: bool
    in_network: bool
    oon_benefits: bool
    provider_credentialed: bool
    needs_prior_auth: bool
    prior_auth: bool
    days_since_last: float
    """days; NaN with no last treatment on record"""
    min_interval_days: float
    """days; NaN when no policy matches or it sets no interval"""
    waiver_signed: bool

    @property
    def label(self) -> str:
        """``J0585-JW ×45`` — the line as a biller writes it."""
        units = f" ×{self.line.units}" if self.line.units != 1 else ""
        return (self.procedure.code or self.procedure.id) + "".join(f"-{m}" for m in self.line.modifiers) + units


def resolve(scenario: Scenario, catalog: Catalog) -> tuple[Facts, ...]:
    """Look up, once, what every check needs for each line: procedure, prices, policy, network.

    Returns
    -------
    tuple of Facts
        One per line of the claim, in order.

    Raises
    ------
    ScenarioError
        When a code is not in ``catalog`` (a scenario parsed against another catalog).
    """
    lines = scenario.claim_lines
    procedures = []
    for i, line in enumerate(lines):
        proc = catalog.procedure(line.code) if line.from_service else catalog.line_procedure(line.code)
        if proc is None:
            field = "service.code" if line.from_service else f"lines[{i}].code"
            raise ScenarioError.one(field, f"{line.code!r} is not a service in the catalog")
        procedures.append(proc)
    codes = [proc.code for proc in procedures]
    claim = _claim_facts(scenario, catalog)
    facts = [_line_facts(scenario, catalog, i, line, proc, codes, procedures, claim)
             for i, (line, proc) in enumerate(zip(lines, procedures))]
    for f in facts:  # a drug line is decided as the line that gives it
        if f.administration is not None:
            given_by = facts[f.administration]
            for name in COVERAGE_FACTS:
                setattr(f, name, getattr(given_by, name))
    return tuple(facts)


def _claim_facts(scenario: Scenario, catalog: Catalog) -> dict[str, Any]:
    facility, plan, docs = scenario.facility, scenario.plan, scenario.documentation
    place = facility.place_of_service or catalog.record("facility_kinds", facility.kind.value)[
        "default_place_of_service"]
    covered = plan.covered_places_of_service
    last = scenario.accumulators.last_treatment
    return {
        "place_of_service": place,
        "can_bill": catalog.record("provider_types", scenario.provider.type.value)["can_bill"],
        "medical_site": catalog.record("facility_kinds", facility.kind.value)["medical"],
        "place_covered": covered is None or place in covered,
        "in_network": bool(_in_network(facility.credentialed, facility.participating)),
        "oon_benefits": bool(out_of_network_benefits(
            plan.oon is not None, catalog.record("plan_types", plan.type.value)["out_of_network_benefits"])),
        "provider_credentialed": scenario.provider.credentialed,
        "prior_auth": docs.prior_auth,
        "waiver_signed": docs.waiver_signed,
        "days_since_last": math.nan if last is None else float((scenario.date_of_service - last).days),
    }


def _line_facts(scenario: Scenario, catalog: Catalog, i: int, line: ClaimLine, proc: Procedure, codes: list[str],
                procedures: list[Procedure], claim: dict[str, Any]) -> Facts:
    others = codes[:i] + codes[i + 1:]
    charge = line.charge if line.charge is not None else proc.cash_price * line.units
    fee = line.fee_schedule if line.fee_schedule is not None else proc.fee_schedule
    policy = catalog.matching_policy(proc.id, line.diagnoses)
    cosmetic = catalog.cosmetic_match(line.diagnoses)
    administration = next((j for j, code in enumerate(codes) if j != i and code in proc.drug_for), None)
    return Facts(
        scenario=scenario, catalog=catalog, line=line, index=i, procedure=proc,
        coverage=catalog.procedures[proc.coverage_id] if proc.coverage_id in catalog.procedures else proc,
        diagnoses=line.diagnoses,
        charge=to_cents(charge),
        fee_schedule=None if fee is None else to_cents(fee) * line.units,
        policy=policy, cosmetic=cosmetic, place_of_service=claim["place_of_service"], administration=administration,
        can_bill=claim["can_bill"], medical_site=claim["medical_site"],
        add_on_without_base=bool(proc.add_on_to) and not any(code in proc.add_on_to for code in others),
        drug_without_administration=bool(proc.drug_for) and administration is None,
        office_visit=proc.category == "office_visit",
        procedure_on_claim=any(p.category not in ("office_visit", "drug") for j, p in enumerate(procedures) if j != i),
        modifier_25="25" in line.modifiers,
        excluded_code_on_claim=any(code in proc.not_with for code in others),
        modifier_59="59" in line.modifiers,
        units=line.units,
        max_units=math.nan if proc.max_units is None else float(proc.max_units),
        cosmetic_diagnosis=cosmetic is not None,
        cosmetic_only=proc.cosmetic_by_default,
        dual_purpose=proc.dual_purpose,
        has_policy=policy is not None,
        hsa_exception=catalog.hsa_exception(line.diagnoses) is not None,
        criteria_documented=scenario.documentation.criteria_documented or (
            policy is not None and not policy.criteria_required),
        place_covered=claim["place_covered"], in_network=claim["in_network"], oon_benefits=claim["oon_benefits"],
        provider_credentialed=claim["provider_credentialed"],
        needs_prior_auth=policy is not None and policy.prior_auth,
        prior_auth=claim["prior_auth"],
        days_since_last=claim["days_since_last"],
        min_interval_days=math.nan if policy is None or policy.min_interval_days is None
        else float(policy.min_interval_days),
        waiver_signed=claim["waiver_signed"],
    )
