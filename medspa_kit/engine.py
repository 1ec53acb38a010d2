"""``evaluate(scenario)``: run the checks in order, line by line, price the covered lines, explain.

Every check runs, so the trace shows each one. A check of the whole claim (``scope`` claim in
``checks.csv``: who billed, where, in or out of network) is decided once and holds for every line;
a line check is decided for each line. For each line, the first check that fails in the order
of ``checks.csv`` decides it. The verdicts are the functions of :mod:`medspa_kit.rules`, which
the batch engine calls too.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from . import cost as costing
from .catalog import Catalog, Check, given_catalog
from .errors import ScenarioError
from .facts import Facts, plan_terms, resolve
from .model import Scenario
from .money import rate_micro, to_cents
from .outcome import Adjustment, Cost, LineOutcome, Outcome, Reason, claim_decision
from .rules import RULES, Step, denial_is_co, network_index
from .rules.advice import next_steps
from .rules.hsa import hsa_fsa_status
from .vocabulary import NETWORKS

__all__ = ["evaluate"]


def evaluate(scenario: Scenario | Mapping[str, Any], catalog: Catalog | None = None) -> Outcome:
    """Adjudicate one claim: decision, reason codes, dollars line by line, HSA/FSA, next steps, trace.

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
        Money in cents (``outcome.cost``, ``outcome.lines[i].cost``); ``to_dict()`` gives dollars.

    Raises
    ------
    ScenarioError
        Bad input, naming the field and the value (nothing is adjudicated); a ``catalog`` that is
        not a :class:`Catalog`.

    References
    ----------
    .. [1] docs/checks.md (the order of checks, the liability rule, claims with lines).
    .. [2] docs/cost.md (pricing line by line, and the 835 balance).
    """
    cat = given_catalog(catalog)
    if not isinstance(scenario, Scenario):
        scenario = Scenario.from_dict(scenario, catalog=cat)
    facts = resolve(scenario, cat)
    steps, first = _checks(cat, facts)
    covered = [i for i, step in enumerate(first) if step is None]
    priced = dict(zip(covered, _priced([facts[i] for i in covered])))
    lines = []
    for i, f in enumerate(facts):
        step = first[i]
        if step is None:
            cost, adjustments = priced[i]
            decision, reason = "covered", None
        else:
            check = next(c for c in cat.checks if c.id == step.step)
            # a check of the whole claim is decided once, but who carries a liability denial is
            # each line's: under Original Medicare the ABN (modifier GA) is line by line
            group = "CO" if denial_is_co(check.group, f.in_network, f.waiver_signed, f.medicare) else "PR"
            cost, adjustments = _denied(f, group, step.carc)
            decision = check.decision
            reason = Reason(group, step.carc, cat.reasons[step.carc].name, check.rarc)
        steps.append(_cost_step(f, decision, cost, adjustments))
        lines.append(LineOutcome(i + 1, f.procedure.code, f.line.units, f.line.modifiers, decision, reason,
                                 tuple(adjustments), cost, hsa_fsa_status(f), f.procedure))
    decision = claim_decision(lines)
    network = NETWORKS[int(network_index(decision == "not_billable", facts[0].in_network))]
    reason = next((line.reason for line in lines if line.reason), None)
    total = sum((line.cost for line in lines), Cost(0))
    hsa = _claim_hsa(lines)
    return Outcome(
        decision=decision, network=network, primary_reason=reason, lines=tuple(lines),
        adjustments=_summed(lines), cost=total, hsa_fsa=hsa,
        next_steps=tuple(next_steps(facts, steps, total, network, hsa, lines)), steps=tuple(steps),
        scenario=scenario, procedure=facts[0].procedure, policy=facts[0].policy, catalog=cat,
        warnings=(facts[0].warning,) if facts[0].warning else (),
    )


def _checks(cat: Catalog, facts: tuple[Facts, ...]) -> tuple[list[Step], list[Step | None]]:
    """Every check in order (a claim check once, a line check per line); each line's first failure."""
    steps: list[Step] = []
    first: list[Step | None] = [None] * len(facts)
    for check in cat.checks:
        if check.scope == "claim":
            undecided = [i for i in range(len(facts)) if first[i] is None]
            step = _step(check, facts[0], decides=bool(undecided), line=None)
            if step.failed:
                for i in undecided:
                    first[i] = step
            steps.append(step)
            continue
        for i, f in enumerate(facts):
            step = _step(check, f, decides=first[i] is None, line=i + 1)
            if step.failed and first[i] is None:
                first[i] = step
            steps.append(step)
    return steps, first


def _step(check: Check, f: Facts, decides: bool, line: int | None) -> Step:
    rule = RULES[check.id]
    failed = bool(rule.fails(f))
    explained = rule.explain(f, failed)
    # A check that reads no dataset row of its own cites its row of checks.csv.
    where, sources = (explained.where, explained.sources) if explained.where else ((check.where,), (check.source,))
    source = f.catalog.cite(where, sources)
    if failed:
        group = "CO" if denial_is_co(check.group, f.in_network, f.waiver_signed, f.medicare) else "PR"
        return Step(check.id, check.title, "fail", explained.facts, source, explained.finding, check.carc, group,
                    decisive=decides, references=sources, line=line)
    status = "pass" if explained.applies else "not applicable"
    return Step(check.id, check.title, status, explained.facts, source, explained.finding, references=sources,
                line=line)


def _denied(f: Facts, group: str, carc: str) -> tuple[Cost, list[Adjustment]]:
    """A denied or unbillable line carries its whole charge under the denial code."""
    split = costing.denied(f.charge, group == "CO")
    cost = Cost(charge=f.charge, patient_pays=int(split["patient_pays"]),
                provider_writeoff=int(split["provider_writeoff"]))
    return cost, [Adjustment(group, carc, f.charge)]


def _priced(covered: list[Facts]) -> list[tuple[Cost, list[Adjustment]]]:
    """The claim's covered lines, in order: cost sharing, then one 835 adjustment per part above 0."""
    if not covered:
        return []
    for f in covered:
        if f.fee_schedule is None:
            field = "service.fee_schedule" if f.line.from_service else f"lines[{f.index}].fee_schedule"
            raise ScenarioError.one(field, f"required: the catalog has no fee schedule for {f.procedure.id!r}")
    f0 = covered[0]
    plan, acc, cat = f0.scenario.plan, f0.scenario.accumulators, f0.catalog
    one = len(covered) == 1

    def each(name: str, dtype: Any = np.int64) -> Any:
        return getattr(covered[0], name) if one else np.array([getattr(f, name) for f in covered], dtype=dtype)

    charge, fee = each("charge"), each("fee_schedule")
    earlier = costing.alone if one else costing.in_order
    if f0.in_network:
        terms = plan_terms(f0.scenario, cat)
        shares = costing.in_network(
            charge, fee, deductible=terms["deductible"], deductible_met=to_cents(acc.deductible_met),
            coins_micro=terms["coins_micro"], copay=terms["copay"], oop_max=terms["oop_max"],
            oop_met=to_cents(acc.oop_met), earlier=earlier, limiting_micro=each("limiting_micro"),
            cost_sharing=each("cost_sharing", bool))
    else:
        oon = plan.oon
        assert oon is not None  # the network check passed, so the plan pays out of network
        shares = costing.out_of_network(
            charge, fee, allowed_micro=rate_micro(oon.allowed_pct), deductible=to_cents(oon.deductible),
            deductible_met=to_cents(acc.oon_deductible_met), coins_micro=rate_micro(oon.coinsurance),
            oop_max=to_cents(oon.oop_max), oop_met=to_cents(acc.oon_oop_met), earlier=earlier)
    groups = {name: cat.adjustment_group(name, f0.in_network) for name in costing.COMPONENTS}
    settled = costing.settle(shares, {name: group == "PR" for name, group in groups.items()})
    out = []
    for k, f in enumerate(covered):
        def at(value: Any) -> int:
            return int(value if one else np.asarray(value)[k])

        parts = {name: at(getattr(shares, name)) for name in costing.COMPONENTS}
        adjustments = [Adjustment(groups[name], cat.adjustment_carc(name), amount)
                       for name, amount in parts.items() if amount > 0]
        cost = Cost(charge=f.charge, allowed=at(shares.allowed), deductible=parts["deductible"],
                    coinsurance=parts["coinsurance"], copay=parts["copay"], plan_pays=at(shares.plan_pays),
                    patient_pays=at(settled["patient_pays"]), provider_writeoff=at(settled["provider_writeoff"]),
                    balance_bill=at(settled["balance_bill"]))
        out.append((cost, adjustments))
    return out


def _summed(lines: list[LineOutcome]) -> tuple[Adjustment, ...]:
    """Every line's adjustments summed by (group, reason code), in the order they first appear."""
    totals: dict[tuple[str, str], int] = {}
    for line in lines:
        for a in line.adjustments:
            totals[(a.group, a.carc)] = totals.get((a.group, a.carc), 0) + a.amount
    return tuple(Adjustment(group, carc, amount) for (group, carc), amount in totals.items())


def _claim_hsa(lines: list[LineOutcome]):
    """The claim's HSA/FSA answer: its first line's (the service; a drug line follows its injection)."""
    return lines[0].hsa_fsa


def _cost_step(f: Facts, decision: str, cost: Cost, adjustments: list[Adjustment]) -> Step:
    title = "Price the line and share the cost"
    line = f.index + 1
    facts: dict[str, Any] = {name: cost.dollars(name) for name in ("charge", "allowed", "plan_pays", "patient_pays")}
    facts["adjustments"] = [f"{a.group} {a.carc} {a.amount / 100:.2f}" for a in adjustments]
    rules = f.catalog.cite(("adjustments.csv",), ("docs-cost",))
    if decision != "covered":
        who = "the patient owes the charge" if cost.patient_pays else "the clinic absorbs the charge"
        return Step("cost", title, "not applicable", facts, rules, f"the line is not paid: {who}",
                    references=("docs-cost",), line=line)
    plan, acc = f.scenario.plan, f.scenario.accumulators
    above = f"{f.catalog.adjustment_group('above_allowed', f.in_network)} {f.catalog.adjustment_carc('above_allowed')}"
    references = (f.procedure.price_source, "docs-cost")
    where = (f"procedures.csv row {f.procedure.row}", "adjustments.csv")
    if f.in_network:
        terms = plan_terms(f.scenario, f.catalog)
        facts.update(fee_schedule=f.fee_schedule / 100, deductible=terms["deductible"] / 100,
                     deductible_met=acc.deductible_met, coinsurance=terms["coins_micro"] / 1_000_000,
                     copay=plan.copay, oop_max=plan.oop_max, oop_met=acc.oop_met)
        finding = f"in network: allowed = min(charge, fee schedule); the difference is written off ({above})"
        if f.medicare:
            finding = _medicare_finding(f, cost, facts)
            part_b = f.catalog.part_b(f.scenario.date_of_service.year)
            if part_b is not None and (plan.deductible is None or plan.coinsurance is None):
                where += (f"medicare_part_b.csv row {part_b['_row']}",)
                references += (part_b["source"],)
        if not f.cost_sharing:
            finding += ("; a preventive service: no deductible, coinsurance or copay"
                        + ("" if f.medicare else " in network on a plan that is not grandfathered"))
            where += (f.policy.where,)
            references += (f.policy.source,)
    else:
        oon = plan.oon
        facts.update(fee_schedule=f.fee_schedule / 100, allowed_pct=oon.allowed_pct, deductible=oon.deductible,
                     deductible_met=acc.oon_deductible_met, coinsurance=oon.coinsurance, oop_max=oon.oop_max,
                     oop_met=acc.oon_oop_met, balance_bill=cost.balance_bill / 100)
        finding = f"out of network: allowed = min(charge, fee schedule × allowed %); the rest is balance-billed ({above})"
    if f.line.units != 1:
        facts["units"] = f.line.units
        finding = finding.replace("fee schedule", "fee schedule × units", 1)
    if f.index > 0:
        finding += "; deductible and out-of-pocket as the earlier lines left them"
    source = f.catalog.cite(where, references)
    return Step("cost", title, "pass", facts, source, finding, references=references, line=line)


def _medicare_finding(f: Facts, cost: Cost, facts: dict[str, Any]) -> str:
    """How Original Medicare priced the line: the NP/PA rate, non-participation, the limiting charge."""
    parts = ["Original Medicare: allowed = min(charge, fee schedule"]
    provider = f.scenario.provider.type.value
    if f.procedure.category == "drug":
        parts.append(") — a drug is paid on assignment at its payment limit")
    else:
        pct = f.catalog.record("provider_types", provider)["medicare_fee_pct"]
        if pct != 1:
            parts.append(f" × {pct:.0%} for an {provider}")
        if not f.participating:
            parts.append(" × 95% for a clinic that does not accept assignment")
        parts.append(")")
    facts["oop_max"] = "none (Original Medicare)"
    finding = "".join(parts)
    if cost.balance_bill:
        facts["limiting_charge_balance"] = cost.balance_bill / 100
        finding += "; the patient may be billed up to the limiting charge (PR 45), the rest is written off (CO 45)"
    else:
        finding += "; the difference is written off (CO 45)"
    return finding


from ._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
