"""``evaluate(scenario)``: run the SPEC §4 checks in order, price the line (§5), explain it.

Every check runs, so the trace shows each one; the first that fails decides the claim.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

from . import cost as costing
from .catalog import Catalog, default_catalog
from .errors import ScenarioError
from .model import Scenario
from .outcome import Adjustment, Cost, Outcome, Reason
from .rules import Facts, Step, cents
from .rules.billing import check_billing_provider, check_inputs
from .rules.hsa import hsa_fsa_status
from .rules.necessity import check_cosmetic, check_frequency, check_necessity, check_prior_auth
from .rules.network import check_network, check_place_of_service, check_rendering_provider

CHECKS = (
    check_inputs,               # 1
    check_billing_provider,     # 2
    check_cosmetic,             # 3
    check_necessity,            # 4
    check_place_of_service,     # 5
    check_network,              # 6
    check_rendering_provider,   # 7
    check_prior_auth,           # 8
    check_frequency,            # 9
)


def resolve(scenario: Scenario, catalog: Catalog) -> Facts:
    """Look up, once, what every check needs: procedure, prices, policy row, network."""
    proc = catalog.procedure(scenario.service.code)
    if proc is None:  # the parser already checked this against the same catalog
        raise ScenarioError.one("service.code", f"{scenario.service.code!r} is not a service in the catalog")
    charge = scenario.service.charge if scenario.service.charge is not None else proc.cash_price
    fee = scenario.service.fee_schedule if scenario.service.fee_schedule is not None else proc.fee_schedule
    facility = scenario.facility
    pos = facility.place_of_service or catalog.record("facility_kinds", facility.kind.value)["default_place_of_service"]
    return Facts(
        scenario=scenario,
        catalog=catalog,
        procedure=proc,
        charge=cents(charge),
        fee_schedule=None if fee is None else cents(fee),
        policy=catalog.matching_policy(proc.id, scenario.diagnoses),
        cosmetic=catalog.cosmetic_match(scenario.diagnoses),
        in_network=facility.credentialed and facility.participating,
        place_of_service=pos,
    )


def evaluate(scenario: Scenario | Mapping[str, Any], catalog: Catalog | None = None) -> Outcome:
    """Adjudicate one scenario (a :class:`Scenario` or a dict of the SPEC §7 shape).

    Raises :class:`~medspa_kit.errors.ScenarioError` (naming the field and value) on bad input.
    """
    cat = catalog or default_catalog()
    if not isinstance(scenario, Scenario):
        scenario = Scenario.from_dict(scenario, catalog=cat)
    f = resolve(scenario, cat)
    steps = [check(f) for check in CHECKS]
    decisive = next((i for i, step in enumerate(steps) if step.failed), None)
    if decisive is not None:
        steps[decisive] = replace(steps[decisive], decisive=True)
        first = steps[decisive]
        decision = "not_billable" if first.step == "billing_provider" else "denied"
        network = "none" if decision == "not_billable" else ("in" if f.in_network else "out")
        reason = Reason(first.group, first.carc, cat.reasons[first.carc].name)
        cost, adjustments = _denied(f, first)
    else:
        decision, network, reason = "covered", ("in" if f.in_network else "out"), None
        cost, adjustments = _priced(f)
    steps.append(_cost_step(f, decision, cost, adjustments))
    hsa = hsa_fsa_status(f)
    from .explain import next_steps

    outcome = Outcome(
        decision=decision,
        network=network,
        primary_reason=reason,
        adjustments=tuple(adjustments),
        cost=cost,
        hsa_fsa=hsa,
        next_steps=(),
        steps=tuple(steps),
        scenario=scenario,
        procedure=f.procedure,
        policy=f.policy,
    )
    return replace(outcome, next_steps=tuple(next_steps(outcome, f)))


def _denied(f: Facts, step: Step) -> tuple[Cost, list[Adjustment]]:
    """A denied or unbillable line carries its whole charge under the denial code."""
    charge = f.charge
    patient = charge if step.group == "PR" else 0
    cost = Cost(charge=charge, patient_pays=patient, provider_writeoff=charge - patient)
    return cost, [Adjustment(step.group, step.carc, charge)]


def _priced(f: Facts) -> tuple[Cost, list[Adjustment]]:
    s = f.scenario
    plan, acc = s.plan, s.accumulators
    if f.fee_schedule is None:
        raise ScenarioError.one(
            "service.fee_schedule", f"required: the catalog has no fee schedule for {f.procedure.id!r}"
        )
    if f.in_network:
        shares = costing.in_network(
            f.charge, f.fee_schedule,
            deductible=cents(plan.deductible), deductible_met=cents(acc.deductible_met),
            coins_micro=costing.rate_micro(plan.coinsurance), copay=cents(plan.copay),
            oop_max=cents(plan.oop_max), oop_met=cents(acc.oop_met),
        )
    else:
        oon = plan.oon
        assert oon is not None  # the network check passed, so the plan pays out of network
        shares = costing.out_of_network(
            f.charge, f.fee_schedule, allowed_micro=costing.rate_micro(oon.allowed_pct),
            deductible=cents(oon.deductible), deductible_met=cents(acc.oon_deductible_met),
            coins_micro=costing.rate_micro(oon.coinsurance),
            oop_max=cents(oon.oop_max), oop_met=cents(acc.oon_oop_met),
        )
    allowed, above = int(shares.allowed), int(shares.above_allowed)
    ded, coins, copay = int(shares.deductible), int(shares.coinsurance), int(shares.copay)
    above_group = "CO" if f.in_network else "PR"
    adjustments = [
        Adjustment(group, carc, amount)
        for group, carc, amount in ((above_group, "45", above), ("PR", "1", ded), ("PR", "2", coins),
                                    ("PR", "3", copay))
        if amount > 0
    ]
    cost = Cost(
        charge=f.charge,
        allowed=allowed,
        deductible=ded,
        coinsurance=coins,
        copay=copay,
        plan_pays=int(shares.plan_pays),
        patient_pays=sum(a.amount for a in adjustments if a.group == "PR"),
        provider_writeoff=sum(a.amount for a in adjustments if a.group == "CO"),
        balance_bill=0 if f.in_network else above,
    )
    return cost, adjustments


def _cost_step(f: Facts, decision: str, cost: Cost, adjustments: list[Adjustment]) -> Step:
    title = "Price the line and share the cost"
    facts: dict[str, Any] = {name: cost.dollars(name) for name in ("charge", "allowed", "plan_pays", "patient_pays")}
    facts["adjustments"] = [f"{a.group} {a.carc} {a.amount / 100:.2f}" for a in adjustments]
    if decision != "covered":
        who = "the patient owes the charge" if cost.patient_pays else "the clinic absorbs the charge"
        return Step.na("cost", title, f"the claim is not paid: {who}", facts, "SPEC §5 (denied or not billed)")
    plan, acc = f.scenario.plan, f.scenario.accumulators
    if f.in_network:
        facts.update(fee_schedule=f.fee_schedule / 100, deductible=plan.deductible,
                     deductible_met=acc.deductible_met, coinsurance=plan.coinsurance, copay=plan.copay,
                     oop_max=plan.oop_max, oop_met=acc.oop_met)
        finding = "in network: allowed = min(charge, fee schedule); the difference is written off (CO 45)"
    else:
        oon = f.scenario.plan.oon
        facts.update(fee_schedule=f.fee_schedule / 100, allowed_pct=oon.allowed_pct, deductible=oon.deductible,
                     deductible_met=acc.oon_deductible_met, coinsurance=oon.coinsurance, oop_max=oon.oop_max,
                     oop_met=acc.oon_oop_met, balance_bill=cost.balance_bill / 100)
        finding = "out of network: allowed = min(charge, fee schedule × allowed %); the rest is balance-billed (PR 45)"
    source = f"procedures.csv row {f.procedure.row} (fee schedule: {f.procedure.price_source}); SPEC §5"
    return Step.ok("cost", title, finding, facts, source)
