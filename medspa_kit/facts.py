"""One scenario's facts: everything the checks read, looked up once from the rule tables.

The names of the fields below the line are the parameters of the verdicts in
:mod:`medspa_kit.rules`; the batch engine builds columns of the same names, so one verdict
serves both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .catalog import Catalog, Policy, Procedure
from .errors import ScenarioError
from .model import Scenario
from .money import to_cents
from .rules.network import in_network as _in_network
from .rules.network import out_of_network_benefits


@dataclass(slots=True)
class Facts:
    """A scenario with everything the checks share already looked up."""

    scenario: Scenario
    catalog: Catalog
    procedure: Procedure
    charge: int
    """cents: the scenario's charge, else the catalog's cash price"""
    fee_schedule: int | None
    """cents; None when neither the scenario nor the catalog gives one"""
    policy: Policy | None
    """the first coverage-policy row the procedure and diagnoses match (criteria aside)"""
    cosmetic: dict[str, Any] | None
    """the cosmetic-encounter diagnosis row (Z41.x) matched, if any"""
    place_of_service: str
    # -- the verdicts' inputs -------------------------------------------------------------
    can_bill: bool
    medical_site: bool
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


def resolve(scenario: Scenario, catalog: Catalog) -> Facts:
    """Look up, once, what every check needs: procedure, prices, policy row, network.

    Raises
    ------
    ScenarioError
        When the service is not in ``catalog`` (a scenario parsed against another catalog).
    """
    proc = catalog.procedure(scenario.service.code)
    if proc is None:
        raise ScenarioError.one("service.code", f"{scenario.service.code!r} is not a service in the catalog")
    service, facility, plan, docs = scenario.service, scenario.facility, scenario.plan, scenario.documentation
    charge = service.charge if service.charge is not None else proc.cash_price
    fee = service.fee_schedule if service.fee_schedule is not None else proc.fee_schedule
    place = facility.place_of_service or catalog.record("facility_kinds", facility.kind.value)[
        "default_place_of_service"]
    policy = catalog.matching_policy(proc.id, scenario.diagnoses)
    last = scenario.accumulators.last_treatment
    network = bool(_in_network(facility.credentialed, facility.participating))
    pays_oon = catalog.record("plan_types", plan.type.value)["out_of_network_benefits"]
    covered = plan.covered_places_of_service
    cosmetic = catalog.cosmetic_match(scenario.diagnoses)
    return Facts(
        scenario=scenario,
        catalog=catalog,
        procedure=proc,
        charge=to_cents(charge),
        fee_schedule=None if fee is None else to_cents(fee),
        policy=policy,
        cosmetic=cosmetic,
        place_of_service=place,
        can_bill=catalog.record("provider_types", scenario.provider.type.value)["can_bill"],
        medical_site=catalog.record("facility_kinds", facility.kind.value)["medical"],
        cosmetic_diagnosis=cosmetic is not None,
        cosmetic_only=proc.cosmetic_by_default,
        dual_purpose=proc.dual_purpose,
        has_policy=policy is not None,
        hsa_exception=catalog.hsa_exception(scenario.diagnoses) is not None,
        criteria_documented=docs.criteria_documented,
        place_covered=covered is None or place in covered,
        in_network=network,
        oon_benefits=bool(out_of_network_benefits(plan.oon is not None, pays_oon)),
        provider_credentialed=scenario.provider.credentialed,
        needs_prior_auth=policy is not None and policy.prior_auth,
        prior_auth=docs.prior_auth,
        days_since_last=math.nan if last is None else float((scenario.date_of_service - last).days),
        min_interval_days=math.nan if policy is None or policy.min_interval_days is None
        else float(policy.min_interval_days),
        waiver_signed=docs.waiver_signed,
    )
