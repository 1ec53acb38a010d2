"""``evaluate(scenario)``: run the checks in order, price the line, explain every step.

Every check runs, so the trace shows each one; the first that fails decides the claim. The
order, and the reason code and group each check denies with, are the rows of ``checks.csv``;
the verdicts are the functions of :mod:`medspa_kit.rules`, which the batch engine calls too.
"""

from __future__ import annotations

from typing import Any, Mapping

from . import cost as costing
from .catalog import Catalog, Check, default_catalog
from .errors import ScenarioError
from .facts import Facts, resolve
from .model import Scenario
from .money import rate_micro, to_cents
from .outcome import Adjustment, Cost, Outcome, Reason
from .rules import RULES, Step, denial_is_co, network_index
from .rules.advice import next_steps
from .rules.hsa import hsa_fsa_status
from .vocabulary import NETWORKS


def evaluate(scenario: Scenario | Mapping[str, Any], catalog: Catalog | None = None) -> Outcome:
    """Adjudicate one claim: decision, reason code, dollars, HSA/FSA, next steps and trace.

    Parameters
    ----------
    scenario : Scenario or mapping
        A parsed :class:`~medspa_kit.model.Scenario`, or a dict of the scenario file's shape
        (docs/scenario.md), which is parsed first.
    catalog : Catalog, optional
        The rule tables; the bundled ones by default.

    Returns
    -------
    Outcome
        Money in cents (``outcome.cost``); ``outcome.to_dict()`` gives dollars.

    Raises
    ------
    ScenarioError
        Bad input, naming the field and the value (nothing is adjudicated).

    References
    ----------
    .. [1] docs/checks.md (the order of checks, the liability rule).
    .. [2] docs/cost.md (pricing and the 835 balance).
    """
    cat = catalog or default_catalog()
    if not isinstance(scenario, Scenario):
        scenario = Scenario.from_dict(scenario, catalog=cat)
    f = resolve(scenario, cat)
    steps: list[Step] = []
    first: Step | None = None  # the first check that fails decides the claim
    for check in cat.checks:
        steps.append(_step(check, f, decides=first is None))
        if first is None and steps[-1].failed:
            first, decision = steps[-1], check.decision
    if first is not None:
        reason = Reason(first.group, first.carc, cat.reasons[first.carc].name)
        cost, adjustments = _denied(f, first)
    else:
        decision, reason = "covered", None
        cost, adjustments = _priced(f)
    network = NETWORKS[int(network_index(decision == "not_billable", f.in_network))]
    steps.append(_cost_step(f, decision, cost, adjustments))
    hsa = hsa_fsa_status(f)
    return Outcome(
        decision=decision, network=network, primary_reason=reason, adjustments=tuple(adjustments), cost=cost,
        hsa_fsa=hsa, next_steps=tuple(next_steps(f, steps, cost, network, hsa)), steps=tuple(steps),
        scenario=scenario, procedure=f.procedure, policy=f.policy, catalog=cat,
    )


def _step(check: Check, f: Facts, decides: bool) -> Step:
    rule = RULES[check.id]
    failed = bool(rule.fails(f))
    explained = rule.explain(f, failed)
    # A check that reads no dataset row of its own cites its row of checks.csv.
    where, sources = (explained.where, explained.sources) if explained.where else ((check.where,), (check.source,))
    source = f.catalog.cite(where, sources)
    if failed:
        group = "CO" if denial_is_co(check.group, f.in_network, f.waiver_signed) else "PR"
        return Step(check.id, check.title, "fail", explained.facts, source, explained.finding, check.carc, group,
                    decisive=decides, references=sources)
    status = "pass" if explained.applies else "not applicable"
    return Step(check.id, check.title, status, explained.facts, source, explained.finding, references=sources)


def _denied(f: Facts, step: Step) -> tuple[Cost, list[Adjustment]]:
    """A denied or unbillable line carries its whole charge under the denial code."""
    split = costing.denied(f.charge, step.group == "CO")
    cost = Cost(charge=f.charge, patient_pays=int(split["patient_pays"]),
                provider_writeoff=int(split["provider_writeoff"]))
    return cost, [Adjustment(step.group, step.carc, f.charge)]


def _priced(f: Facts) -> tuple[Cost, list[Adjustment]]:
    """A covered line: cost sharing, then one 835 adjustment per part that is not zero."""
    plan, acc = f.scenario.plan, f.scenario.accumulators
    if f.fee_schedule is None:
        raise ScenarioError.one(
            "service.fee_schedule", f"required: the catalog has no fee schedule for {f.procedure.id!r}"
        )
    if f.in_network:
        shares = costing.in_network(
            f.charge, f.fee_schedule,
            deductible=to_cents(plan.deductible), deductible_met=to_cents(acc.deductible_met),
            coins_micro=rate_micro(plan.coinsurance), copay=to_cents(plan.copay),
            oop_max=to_cents(plan.oop_max), oop_met=to_cents(acc.oop_met),
        )
    else:
        oon = plan.oon
        assert oon is not None  # the network check passed, so the plan pays out of network
        shares = costing.out_of_network(
            f.charge, f.fee_schedule, allowed_micro=rate_micro(oon.allowed_pct),
            deductible=to_cents(oon.deductible), deductible_met=to_cents(acc.oon_deductible_met),
            coins_micro=rate_micro(oon.coinsurance),
            oop_max=to_cents(oon.oop_max), oop_met=to_cents(acc.oon_oop_met),
        )
    groups = {name: f.catalog.adjustment_group(name, f.in_network) for name in costing.COMPONENTS}
    settled = costing.settle(shares, {name: group == "PR" for name, group in groups.items()})
    adjustments = [Adjustment(groups[name], f.catalog.adjustment_carc(name), int(amount))
                   for name in costing.COMPONENTS if (amount := getattr(shares, name)) > 0]
    cost = Cost(
        charge=f.charge, allowed=int(shares.allowed), deductible=int(shares.deductible),
        coinsurance=int(shares.coinsurance), copay=int(shares.copay), plan_pays=int(shares.plan_pays),
        patient_pays=int(settled["patient_pays"]), provider_writeoff=int(settled["provider_writeoff"]),
        balance_bill=int(settled["balance_bill"]),
    )
    return cost, adjustments


def _cost_step(f: Facts, decision: str, cost: Cost, adjustments: list[Adjustment]) -> Step:
    title = "Price the line and share the cost"
    facts: dict[str, Any] = {name: cost.dollars(name) for name in ("charge", "allowed", "plan_pays", "patient_pays")}
    facts["adjustments"] = [f"{a.group} {a.carc} {a.amount / 100:.2f}" for a in adjustments]
    rules = f.catalog.cite(("adjustments.csv",), ("docs-cost",))
    if decision != "covered":
        who = "the patient owes the charge" if cost.patient_pays else "the clinic absorbs the charge"
        return Step("cost", title, "not applicable", facts, rules, f"the claim is not paid: {who}",
                    references=("docs-cost",))
    plan, acc = f.scenario.plan, f.scenario.accumulators
    above = f"{f.catalog.adjustment_group('above_allowed', f.in_network)} {f.catalog.adjustment_carc('above_allowed')}"
    if f.in_network:
        facts.update(fee_schedule=f.fee_schedule / 100, deductible=plan.deductible,
                     deductible_met=acc.deductible_met, coinsurance=plan.coinsurance, copay=plan.copay,
                     oop_max=plan.oop_max, oop_met=acc.oop_met)
        finding = f"in network: allowed = min(charge, fee schedule); the difference is written off ({above})"
    else:
        oon = plan.oon
        facts.update(fee_schedule=f.fee_schedule / 100, allowed_pct=oon.allowed_pct, deductible=oon.deductible,
                     deductible_met=acc.oon_deductible_met, coinsurance=oon.coinsurance, oop_max=oon.oop_max,
                     oop_met=acc.oon_oop_met, balance_bill=cost.balance_bill / 100)
        finding = f"out of network: allowed = min(charge, fee schedule × allowed %); the rest is balance-billed ({above})"
    references = (f.procedure.price_source, "docs-cost")
    source = f.catalog.cite((f"procedures.csv row {f.procedure.row}", "adjustments.csv"), references)
    return Step("cost", title, "pass", facts, source, finding, references=references)
