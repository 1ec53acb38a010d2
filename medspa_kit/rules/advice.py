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
    from ..outcome import Cost
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


def _cosmetic(f: "Facts", step: "Step") -> list[str]:
    out = [f"Quote the cash price ({money(f.charge)}) before treating and give a Good Faith Estimate: the plan "
           "excludes this service."]
    if f.cosmetic is None and f.procedure.cosmetic_by_default:
        out.append("Do not change the diagnosis to get it paid: the code must match why the patient was treated, "
                   "as the chart shows.")
    return out


def _necessity(f: "Facts", step: "Step") -> list[str]:
    if f.policy is None:
        return [f"The payer's policy does not cover {f.procedure.name.lower()} for {', '.join(f.scenario.diagnoses)}: "
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
    "cosmetic": _cosmetic,
    "necessity": _necessity,
    "place_of_service": _place_of_service,
    "network": _network,
    "rendering_provider": _rendering_provider,
    "prior_auth": _prior_auth,
    "frequency": _frequency,
}
"""what to do when this check decides the claim, by check id"""


def next_steps(f: "Facts", trace: "list[Step]", cost: "Cost", network: str, hsa: "HsaFsa") -> list[str]:
    """Practical sentences, most important first, from a claim's trace, dollars, network and HSA status."""
    steps: list[str] = []
    decisive = next((step for step in trace if step.decisive), None)
    if decisive is not None:
        # How a check denies is data (checks.csv): the liability rule, or a fixed CO or PR group.
        groups = {check.id: check.group for check in f.catalog.checks}
        fixable = {name for name, group in groups.items() if group in ("liability", "CO")}
        advice = ADVICE.get(decisive.step)
        steps += advice(f, decisive) if advice else [f"Fix what the payer found: {decisive.finding}."]
        if decisive.group == "CO" and groups[decisive.step] == "liability":
            steps.append("Do not bill the patient: in network the contract holds them harmless unless they sign "
                         "a waiver naming the service and its cost before treatment.")
        elif decisive.group == "CO":
            steps.append("Do not bill the patient: under the network contract the clinic absorbs this denial.")
        elif groups[decisive.step] == "liability" and f.in_network:
            steps.append(f"The signed waiver lets the clinic bill the patient the full charge ({money(f.charge)}).")
        if network != "none" and decisive.step != "cosmetic":
            for step in trace:
                if step.failed and not step.decisive and step.step in fixable:
                    steps.append(f"Also fix: {step.finding}.")
    else:
        c = cost
        parts = [(label, amount) for label, amount in (("deductible", c.deductible), ("coinsurance", c.coinsurance),
                                                       ("copay", c.copay), ("balance bill", c.balance_bill))
                 if amount]
        detail = f" ({', '.join(f'{label} {money(amount)}' for label, amount in parts)})" if parts else ""
        steps.append(f"Collect the patient's share of {money(c.patient_pays)}{detail}; the plan pays "
                     f"{money(c.plan_pays)}.")
        if network == "out":
            steps.append(f"Tell the patient before treating: out of network they owe {money(c.balance_bill)} above "
                         "what the plan allows (a balance bill), and elective office care is not protected by the "
                         "No Surprises Act.")
    steps += _paying(f, cost, hsa)
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
