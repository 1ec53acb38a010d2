"""A claim's facts, line by line: everything the checks read, looked up once from the rule tables.

``resolve`` gives one :class:`Facts` per line of the claim. The fields below the first line of
dashes are the parameters of the verdicts in :mod:`medspa_kit.rules`; the batch engine builds
columns of the same names (``batch.FACT_NAMES``), so one verdict serves both. Claim-level facts
(network, credentialing, place of service) are the same on every line.

A drug line (``drug_for`` in ``procedures.csv``) is decided as its administration line is: its
coverage facts (cosmetic, policy, criteria, authorization, frequency, HSA) are that line's.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .catalog import Catalog, Policy, Procedure
from .errors import ScenarioError
from .model import ClaimLine, Scenario
from .money import MICRO, rate_micro, times_rate, to_cents
from .vector import logical_not
from .rules.network import in_network as _in_network
from .rules.network import out_of_network_benefits

COVERAGE_FACTS = ("coverage", "diagnoses", "policy", "payer_has_rows", "missing_criteria", "cosmetic",
                  "cosmetic_diagnosis", "cosmetic_only", "dual_purpose", "hair_removal", "medical_use", "has_policy",
                  "hsa_exception", "experimental", "criteria_documented", "needs_prior_auth", "last_service",
                  "days_since_last", "min_interval_days", "count_in_year", "max_per_year")
"""the facts a drug line takes from its administration line"""


MODIFIERS_READ = ("25", "59", "GA", "GY", "GZ")
"""the modifiers the checks read by code (facts below, ``batch._facts``); each needs its row of
``modifiers.csv`` (its meaning and sources), which ``medspa-kit validate`` requires"""


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
    """the first coverage-policy row of the payer (else the ``*`` rows) the procedure and
    diagnoses match (criteria aside)"""
    payer: str
    """the ``payers.csv`` id whose rules apply"""
    warning: str
    """what the claim should be checked for by hand (a date outside the code set); empty: nothing"""
    payer_has_rows: bool
    """the payer has coverage-policy rows of its own for the service (else the ``*`` rows apply)"""
    missing_criteria: tuple[tuple[str, ...], ...]
    """the policy's criteria groups the chart's ``documentation.criteria`` does not meet"""
    last_service: "dt.date | None"
    """the latest earlier treatment of this service on record (``last_treatment`` or ``history``)"""
    participating: bool
    """the clinic participates (under Original Medicare: accepts assignment)"""
    limiting_micro: int
    """millionths of the fee schedule a non-participating Medicare clinic may bill above it (0: none)"""
    cost_sharing: bool
    """the patient shares the cost of this line (False: a preventive line with no cost sharing)"""
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
    modifier_GY: bool
    units: int
    max_units: float
    """units; NaN with no daily limit"""
    cosmetic_diagnosis: bool
    cosmetic_only: bool
    medicare: bool
    """Original Medicare decides (its statutory exclusions, the ABN as the waiver)"""
    dual_purpose: bool
    hair_removal: bool
    """IRS Publication 502 names the service (electrolysis or hair removal) as no medical expense"""
    medical_use: bool
    """a coverage-policy row of any payer recognises the service for the diagnoses"""
    has_policy: bool
    hsa_exception: bool
    experimental: bool
    criteria_documented: bool
    place_covered: bool
    in_network: bool
    oon_benefits: bool
    provider_credentialed: bool
    referral_required: bool
    referral: bool
    needs_prior_auth: bool
    prior_auth: bool
    days_since_last: float
    """days; NaN with no last treatment on record"""
    min_interval_days: float
    """days; NaN when no policy matches or it sets no interval"""
    count_in_year: int
    """earlier services of this code in the 12 months (365 days) before the date of service"""
    max_per_year: float
    """the policy's yearly count; NaN with none"""
    waiver_signed: bool
    """a pre-service waiver covers this line (under Original Medicare: an ABN, modifier GA)"""

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
    claim["history"] = _history(scenario, catalog)
    facts = [_line_facts(scenario, catalog, i, line, proc, codes, procedures, claim)
             for i, (line, proc) in enumerate(zip(lines, procedures))]
    for f in facts:  # a drug line is decided as the line that gives it
        if f.administration is not None:
            given_by = facts[f.administration]
            for name in COVERAGE_FACTS:
                setattr(f, name, getattr(given_by, name))
    for f in facts:
        f.cost_sharing = not preventive_line(f.policy is not None and f.policy.preventive, f.medicare, f.in_network,
                                             bool(scenario.plan.grandfathered))
    return tuple(facts)


def preventive_line(preventive: Any, medicare: Any, in_network: Any, grandfathered: Any) -> Any:
    """Is the line preventive care with no cost sharing (bool, or arrays of bool)?

    A policy row marked ``preventive`` (a USPSTF A or B service) has no deductible, coinsurance
    or copay in network on a plan that is not grandfathered (45 CFR 147.130), and under Original
    Medicare for the services it waives them for (intensive behavioural therapy for obesity).
    """
    return preventive & (medicare | (in_network & logical_not(grandfathered)))


def _claim_facts(scenario: Scenario, catalog: Catalog) -> dict[str, Any]:
    facility, plan, docs = scenario.facility, scenario.plan, scenario.documentation
    place = facility.place_of_service or catalog.record("facility_kinds", facility.kind.value)[
        "default_place_of_service"]
    covered = plan.covered_places_of_service
    plan_type = catalog.record("plan_types", plan.type.value)
    payer = scenario.payer_id
    referral_required = plan.referral_required
    return {
        "payer": payer,
        "warning": code_set_warning(scenario.date_of_service, catalog),
        "medicare": catalog.payer_kind(payer) == "medicare",
        "place_of_service": place,
        "can_bill": catalog.record("provider_types", scenario.provider.type.value)["can_bill"],
        "medical_site": catalog.record("facility_kinds", facility.kind.value)["medical"],
        "place_covered": covered is None or place in covered,
        "in_network": bool(_in_network(facility.credentialed, facility.participating,
                                       plan_type["enrollment_is_network"])),
        "participating": facility.participating,
        "oon_benefits": bool(out_of_network_benefits(plan.oon is not None, plan_type["out_of_network_benefits"])),
        "provider_credentialed": scenario.provider.credentialed,
        "referral_required": plan_type["referral_required"] if referral_required is None else referral_required,
        "referral": docs.referral,
        "prior_auth": docs.prior_auth,
        "waiver_signed": docs.waiver_signed,
    }


def _history(scenario: Scenario, catalog: Catalog) -> list[tuple[str, int]]:
    """The earlier services on record as (billing code, day number): ``history``, each code as the
    catalog spells it."""
    out = []
    for earlier in scenario.accumulators.history or ():
        code = earlier.code.strip()
        proc = catalog.line_procedure(code) or catalog.procedure(code)
        out.append((proc.code or proc.id, earlier.date.toordinal()))
    return out


def service_history(entry_key: Any, entry_day: Any, query_key: Any, query_day: Any) -> tuple[Any, Any]:
    """The latest earlier service and the count in the 365 days before, for each query.

    Parameters
    ----------
    entry_key, entry_day : ndarray of int64
        Earlier services: a key (the code, or in a table the row and the code) and the day
        number (``date.toordinal()``).
    query_key, query_day : ndarray of int64
        What is asked: the same kind of key, and the date of service as a day number.

    Returns
    -------
    (latest, count) : ndarrays of int64
        Per query, the latest entry of its key on or before its day (-1: none), and how many of
        its entries fall in the 365 days up to and including that day (the yearly limits).

    Both engines call this one rule: the scalar path with one scenario's history, the batch
    with a whole table's.
    """
    order = np.lexsort((entry_day, entry_key))
    key, day = np.asarray(entry_key)[order], np.asarray(entry_day)[order]
    combined = key * DAY_SPAN + day
    asked = np.asarray(query_key) * DAY_SPAN + np.asarray(query_day)
    upto = np.searchsorted(combined, asked, side="right")  # the entries of the key up to the day
    count = upto - np.searchsorted(combined, asked - (YEAR_DAYS - 1), side="left")
    last = np.clip(upto - 1, 0, max(len(key) - 1, 0))
    found = (upto > 0) & (key[last] == query_key) if len(key) else np.zeros(len(asked), dtype=bool)
    latest = np.where(found, day[last] if len(key) else 0, -1)
    return latest.astype(np.int64), np.where(found, count, 0).astype(np.int64)


DAY_SPAN = 1 << 22
"""day numbers (``date.toordinal()``, about 740,000 today) fit below this, so key × span + day is one
sortable number"""
def code_set_warning(day: "dt.date", catalog: Catalog) -> str:
    """A warning when the date of service falls outside every ICD-10-CM code set the kit carries
    (the codes are then checked against the nearest one); empty text inside one."""
    if catalog.code_set_for(day) is not None:
        return ""
    sets = sorted(catalog.rows["code_sets"], key=lambda r: r["valid_from"])
    nearest = sets[-1] if day > sets[-1]["valid_to"] else sets[0]
    return (f"the date of service {day.isoformat()} is outside the {nearest['code_set']} code set the kit carries "
            f"({nearest['version']}: {nearest['valid_from'].isoformat()} to {nearest['valid_to'].isoformat()}); "
            f"the codes were checked against {nearest['version']}, and a code may have changed since: check the "
            "current code set")


YEAR_DAYS = 365
"""a yearly limit counts the services in the 365 days before the date of service"""


def plan_terms(scenario: Scenario, catalog: Catalog) -> dict[str, int]:
    """The plan's in-network terms in cents and millionths, with Original Medicare's defaults:
    the year's Part B deductible and coinsurance, and no out-of-pocket cap."""
    plan = scenario.plan
    part_b = catalog.part_b(scenario.date_of_service.year) if plan.type.value == "MEDICARE" else None
    deductible = plan.deductible if plan.deductible is not None else part_b["deductible"]
    coinsurance = plan.coinsurance if plan.coinsurance is not None else part_b["coinsurance"]
    return {"deductible": to_cents(deductible), "coins_micro": rate_micro(coinsurance), "copay": to_cents(plan.copay),
            "oop_max": NO_CAP if plan.oop_max is None else to_cents(plan.oop_max)}


NO_CAP = 10 ** 15
"""cents: the out-of-pocket "maximum" of a plan without one (Original Medicare)"""


def _line_facts(scenario: Scenario, catalog: Catalog, i: int, line: ClaimLine, proc: Procedure, codes: list[str],
                procedures: list[Procedure], claim: dict[str, Any]) -> Facts:
    others = codes[:i] + codes[i + 1:]
    charge = line.charge if line.charge is not None else proc.cash_price * line.units
    fee = line.fee_schedule if line.fee_schedule is not None else proc.fee_schedule
    payer, medicare = claim["payer"], claim["medicare"]
    policy = catalog.matching_policy(proc.id, line.diagnoses, payer)
    cosmetic = catalog.cosmetic_match(line.diagnoses)
    administration = next((j for j, code in enumerate(codes) if j != i and code in proc.drug_for), None)
    docs = scenario.documentation
    missing = () if policy is None or docs.criteria is None else catalog.missing_criteria(policy, docs.criteria)
    if policy is None or not policy.criteria_required:
        documented = True
    elif docs.criteria is not None and policy.criteria_ids:
        documented = not missing
    else:
        documented = docs.criteria_documented
    last_treatment = scenario.accumulators.last_treatment
    codes_seen = list(dict.fromkeys(code for code, _ in claim["history"]))
    mine = proc.code or proc.id
    latest, count = (int(v[0]) for v in service_history(
        np.array([codes_seen.index(code) for code, _ in claim["history"]], dtype=np.int64),
        np.array([day for _, day in claim["history"]], dtype=np.int64),
        np.array([codes_seen.index(mine) if mine in codes_seen else -1]),
        np.array([scenario.date_of_service.toordinal()])))
    days = [d for d in (latest, None if last_treatment is None else last_treatment.toordinal()) if d is not None
            and d >= 0]
    last_service = dt.date.fromordinal(max(days)) if days else None
    fee_cents = None if fee is None else to_cents(fee) * line.units
    limiting = 0
    if medicare and fee_cents is not None and proc.category != "drug":
        # Medicare pays an NP or PA 85 % of the fee schedule, a non-participating clinic 95 % of
        # that, which it may bill up to the limiting charge; drugs are paid on assignment at ASP.
        fee_cents = times_rate(fee_cents, rate_micro(catalog.record("provider_types",
                                                                    scenario.provider.type.value)["medicare_fee_pct"]))
        if not claim["participating"]:
            part_b = catalog.part_b(scenario.date_of_service.year) or catalog.rows["medicare_part_b"][-1]
            fee_cents = times_rate(fee_cents, rate_micro(part_b["nonpar_fee_pct"]))
            limiting = round((part_b["limiting_charge_pct"] - 1) * MICRO)
    waiver = docs.waiver_signed
    if medicare:  # the ABN: GA on the line says one is on file, GZ that none is
        waiver = "GA" in line.modifiers or (waiver and "GZ" not in line.modifiers)
    return Facts(
        scenario=scenario, catalog=catalog, line=line, index=i, procedure=proc,
        coverage=catalog.procedures[proc.coverage_id] if proc.coverage_id in catalog.procedures else proc,
        diagnoses=line.diagnoses,
        charge=to_cents(charge),
        fee_schedule=fee_cents,
        policy=policy, payer=payer, warning=claim["warning"], payer_has_rows=catalog.payer_has_rows(proc.id, payer),
        missing_criteria=missing,
        last_service=last_service, participating=claim["participating"], limiting_micro=limiting,
        cost_sharing=True,
        cosmetic=cosmetic, place_of_service=claim["place_of_service"], administration=administration,
        can_bill=claim["can_bill"], medical_site=claim["medical_site"],
        add_on_without_base=bool(proc.add_on_to) and not any(code in proc.add_on_to for code in others),
        drug_without_administration=bool(proc.drug_for) and administration is None,
        office_visit=proc.category == "office_visit",
        procedure_on_claim=any(p.category not in ("office_visit", "drug") for j, p in enumerate(procedures) if j != i),
        modifier_25="25" in line.modifiers,
        excluded_code_on_claim=any(code in proc.not_with for code in others),
        modifier_59="59" in line.modifiers,
        modifier_GY="GY" in line.modifiers,
        units=line.units,
        max_units=math.nan if proc.max_units is None else float(proc.max_units),
        cosmetic_diagnosis=cosmetic is not None,
        cosmetic_only=proc.cosmetic_by_default,
        medicare=medicare,
        dual_purpose=proc.dual_purpose,
        hair_removal=proc.hsa_entry == "hair_removal",
        medical_use=catalog.recognised_use(proc.id, line.diagnoses),
        has_policy=policy is not None,
        hsa_exception=catalog.hsa_exception(line.diagnoses) is not None,
        experimental=policy is not None and policy.experimental,
        criteria_documented=documented,
        place_covered=claim["place_covered"], in_network=claim["in_network"], oon_benefits=claim["oon_benefits"],
        provider_credentialed=claim["provider_credentialed"],
        referral_required=claim["referral_required"], referral=claim["referral"],
        needs_prior_auth=policy is not None and policy.prior_auth,
        prior_auth=claim["prior_auth"],
        days_since_last=math.nan if last_service is None else float((scenario.date_of_service - last_service).days),
        min_interval_days=math.nan if policy is None or policy.min_interval_days is None
        else float(policy.min_interval_days),
        count_in_year=count,
        max_per_year=math.nan if policy is None or policy.max_per_year is None else float(policy.max_per_year),
        waiver_signed=waiver,
    )
