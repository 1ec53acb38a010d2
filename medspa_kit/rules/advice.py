"""Next steps a front desk can act on, from an outcome: what the decisive check asks for, who
may be billed, and how the patient can pay.

Keyed by check id (``checks.csv``), never re-deciding: everything here reads the outcome, its
trace and the facts the checks used.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Callable

from ..money import format_money as money

if TYPE_CHECKING:
    from ..facts import Facts
    from ..outcome import Cost, LineOutcome
    from .base import Step
    from .hsa import HsaFsa

def _provider_type(f: "Facts", step: "Step") -> list[str]:
    billing = [t for t, row in f.catalog.records("provider_types").items() if row["can_bill"]]
    who = ", ".join(billing[:-1]) + " or " + billing[-1] if len(billing) > 1 else "".join(billing)
    return [f"Only an {who} can bill a health plan: quote the cash price ({money(f.charge)}) with a Good Faith "
            "Estimate, or book the patient with a billing clinician."]


def _facility_kind(f: "Facts", step: "Step") -> list[str]:
    kind = f.scenario.facility.kind.value.replace("_", " ")
    return [f"A {kind} cannot bill a health plan: quote the cash price ({money(f.charge)}) with a Good Faith "
            "Estimate, or treat at the medical practice."]


def _add_on(f: "Facts", step: "Step") -> list[str]:
    proc = f.procedure
    if f.drug_without_administration:
        return [f"Bill the drug {proc.code} on the same claim as the injection that gives it "
                f"({' or '.join(proc.drug_for)}): a drug line is paid only with its administration."]
    return [f"Bill {proc.code} with its base code {' or '.join(proc.add_on_to)} on the same claim: an add-on code is "
            "never paid on its own."]


def _bundling(f: "Facts", step: "Step") -> list[str]:
    return ["Bill the office visit with modifier 25 only when it treated a separate problem, documented apart from "
            "the procedure; otherwise the visit is part of the procedure's payment."]


def _not_together(f: "Facts", step: "Step") -> list[str]:
    proc = f.procedure
    return [f"Do not bill {proc.code} with {' or '.join(proc.not_with)} on the same day: bill the one code that "
            "describes the whole service, and use modifier 59 only for a truly separate site or session."]


def _units(f: "Facts", step: "Step") -> list[str]:
    proc = f.procedure
    return [f"Bill at most {proc.max_units} units of {proc.unit} for {proc.code} on one day; if more were medically "
            "necessary, document why and appeal."]


def _cosmetic(f: "Facts", step: "Step") -> list[str]:
    out = [f"Quote the cash price ({money(f.charge)}) before treating and give a Good Faith Estimate: the plan "
           "excludes this service."]
    if f.cosmetic is None and f.procedure.cosmetic_by_default:
        out.append("Do not change the diagnosis to get it paid: the code must match why the patient was treated, "
                   "as the chart shows.")
    return out


def _necessity(f: "Facts", step: "Step") -> list[str]:
    if f.policy is None:
        return [f"The payer's policy does not cover {f.procedure.name.lower()} for {', '.join(f.diagnoses)}: "
                "check that the diagnosis on the claim is the reason for treatment, or quote the cash price."]
    return [f"Document the policy's criteria in the chart before the visit: {f.policy.criteria}."]


def _place_of_service(f: "Facts", step: "Step") -> list[str]:
    where = ", ".join(f.scenario.plan.covered_places_of_service or ())
    return [f"This plan covers the service only at place of service {where}: schedule it in the office, or quote "
            f"the cash price ({money(f.charge)})."]


def _network(f: "Facts", step: "Step") -> list[str]:
    return [f"The clinic is out of network and the {f.scenario.plan.type.value} pays nothing out of network: refer "
            f"the patient to an in-network clinic, or quote the cash price ({money(f.charge)})."]


def _rendering_provider(f: "Facts", step: "Step") -> list[str]:
    return [f"Credential the {f.scenario.provider.type.value} with the payer (CAQH profile and enrollment take "
            "60–120 days), or have a credentialed clinician render the service."]


def _prior_auth(f: "Facts", step: "Step") -> list[str]:
    return ["Get prior authorization from the payer before the visit, or reschedule until it is approved."]


def _frequency(f: "Facts", step: "Step") -> list[str]:
    last = f.scenario.accumulators.last_treatment
    minimum = f.policy.min_interval_days if f.policy else None
    if last is None or minimum is None:
        return ["Check the payer's frequency limit."]
    due = last + dt.timedelta(days=minimum)
    return [f"Schedule on or after {due.isoformat()}: the policy allows this service every {minimum} days."]


ADVICE: dict[str, Callable[["Facts", "Step"], list[str]]] = {
    "provider_type": _provider_type,
    "facility_kind": _facility_kind,
    "add_on": _add_on,
    "bundling": _bundling,
    "not_together": _not_together,
    "units": _units,
    "cosmetic": _cosmetic,
    "necessity": _necessity,
    "place_of_service": _place_of_service,
    "network": _network,
    "rendering_provider": _rendering_provider,
    "prior_auth": _prior_auth,
    "frequency": _frequency,
}
"""what to do when this check decides the claim, by check id"""


def next_steps(facts: "tuple[Facts, ...]", trace: "list[Step]", cost: "Cost", network: str, hsa: "HsaFsa",
               lines: "list[LineOutcome]") -> list[str]:
    """Practical sentences, most important first, from a claim's trace, lines, dollars and HSA status."""
    f0 = facts[0]
    steps: list[str] = []

    def say(sentence: str) -> None:
        if sentence not in steps:  # the same advice for several lines is said once
            steps.append(sentence)

    # How a check denies is data (checks.csv): the liability rule, or a fixed CO or PR group.
    groups = {check.id: check.group for check in f0.catalog.checks}
    fixable = {name for name, group in groups.items() if group in ("liability", "CO")}
    decisive = [step for step in trace if step.decisive]
    for step in decisive:
        f = facts[step.line - 1] if step.line else f0
        advice = ADVICE.get(step.step)
        for sentence in advice(f, step) if advice else [f"Fix what the payer found: {step.finding}."]:
            say(sentence)
        if step.group == "CO" and groups[step.step] == "liability":
            say("Do not bill the patient: in network the contract holds them harmless unless they sign a waiver "
                "naming the service and its cost before treatment.")
        elif step.group == "CO":
            say("Do not bill the patient: under the network contract the clinic absorbs this denial.")
        elif groups[step.step] == "liability" and f.in_network:
            say(f"The signed waiver lets the clinic bill the patient the full charge ({money(f.charge)}).")
    if decisive and network != "none" and not any(step.step == "cosmetic" for step in decisive):
        for step in trace:
            if step.failed and not step.decisive and step.step in fixable:
                say(f"Also fix: {step.finding}.")
    paid = [line for line in lines if line.decision == "covered"]
    if paid:
        c = sum((line.cost for line in paid[1:]), paid[0].cost)
        parts = [(label, amount) for label, amount in (("deductible", c.deductible), ("coinsurance", c.coinsurance),
                                                       ("copay", c.copay), ("balance bill", c.balance_bill))
                 if amount]
        detail = f" ({', '.join(f'{label} {money(amount)}' for label, amount in parts)})" if parts else ""
        which = "" if len(paid) == len(lines) else " on the paid lines"
        say(f"Collect the patient's share of {money(c.patient_pays)}{detail}{which}; the plan pays "
            f"{money(c.plan_pays)}.")
        if network == "out":
            say(f"Tell the patient before treating: out of network they owe {money(c.balance_bill)} above what the "
                "plan allows (a balance bill), and elective office care is not protected by the No Surprises Act.")
    steps += _paying(f0, cost, hsa)
    return steps


def _paying(f: "Facts", cost: "Cost", hsa: "HsaFsa") -> list[str]:
    status = hsa.status
    if cost.patient_pays <= 0:
        return []
    if status == "eligible":
        return ["The patient may pay their share from an HSA or FSA."]
    if status == "eligible_with_lmn":
        if f.scenario.documentation.lmn:
            return ["An LMN is on file: the patient may pay from an HSA or FSA; keep the letter with the receipt."]
        return ["Ask the prescriber for a letter of medical necessity (condition, treatment, frequency, duration) so "
                "the patient can pay from an HSA or FSA."]
    return ["HSA and FSA money cannot pay for this: offer the cash price, a package or a payment plan, and explain "
            "deferred-interest cards before the patient signs."]
