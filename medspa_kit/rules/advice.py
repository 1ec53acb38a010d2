"""Next steps a front desk can act on, from an outcome: what the decisive check asks for, who
may be billed, and how the patient can pay.

Keyed by check id (``checks.csv``), never re-deciding: everything here reads the outcome, its
trace and the facts the checks used.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Callable

from ..money import format_money as money
from ..vocabulary import in_sentence

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
    return [f"Bill at most {proc.max_units} billing units of {proc.code} (each {proc.unit}) on one day; if more were medically "
            "necessary, document why and appeal."]


def _cosmetic(f: "Facts", step: "Step") -> list[str]:
    out = [f"Quote the cash price ({money(f.charge)}) before treating and give a Good Faith Estimate: the plan "
           "excludes this service."]
    if f.cosmetic is None and f.procedure.cosmetic_by_default:
        out.append("Do not change the diagnosis to get it paid: the code must match why the patient was treated, "
                   "as the chart shows.")
    return out


def _statutory_exclusion(f: "Facts", step: "Step") -> list[str]:
    return [f"Medicare excludes cosmetic care by law: bill the line with modifier GY (no ABN is needed) so Medicare "
            f"denies it and the patient owes the cash price ({money(f.charge)}); tell them before treating.",
            "Do not change the diagnosis to get it paid: the code must match why the patient was treated, as the "
            "chart shows."]


def _payer(f: "Facts") -> str:
    return "The payer" if f.payer == "generic-commercial" else f.catalog.payer_name(f.payer)


def _experimental(f: "Facts", step: "Step") -> list[str]:
    return [f"{_payer(f)} calls {in_sentence(f.procedure.name)} experimental for {', '.join(f.diagnoses)}: offer a "
            "treatment the policy covers, or have the patient sign, before treating, a waiver naming this service "
            f"and its cost ({money(f.charge)}) so the clinic may bill them."]


def _necessity(f: "Facts", step: "Step") -> list[str]:
    if f.policy is None:
        return [f"{_payer(f)}'s policy does not cover {in_sentence(f.procedure.name)} for {', '.join(f.diagnoses)}: "
                "check that the diagnosis on the claim is the reason for treatment, or quote the cash price."]
    if f.missing_criteria:
        from .necessity import missing_words

        return [f"{_payer(f)}'s policy needs, documented in the chart before the visit: {missing_words(f)} "
                f"(its criteria: {f.policy.criteria})."]
    whose = "the policy's" if f.payer == "generic-commercial" else f"{_payer(f)}'s"
    return [f"Document {whose} criteria in the chart before the visit: {f.policy.criteria}."]


def _referral(f: "Facts", step: "Step") -> list[str]:
    return [f"Get a referral from the patient's primary care doctor before the visit (this "
            f"{f.scenario.plan.type.value} plan requires one for a specialist), or reschedule until it is on file."]


def _annual_limit(f: "Facts", step: "Step") -> list[str]:
    limit = f.policy.max_per_year if f.policy else None
    return [f"The plan has paid for {f.count_in_year} of these in the 12 months before this visit (its limit is "
            f"{limit}): the patient owes this one ({money(f.charge)}); tell them before treating, or wait until an "
            "earlier visit falls out of the 12 months."]


def _place_of_service(f: "Facts", step: "Step") -> list[str]:
    where = ", ".join(f.scenario.plan.covered_places_of_service or ())
    return [f"This plan covers the service only at place of service {where}: schedule it in the office, or quote "
            f"the cash price ({money(f.charge)})."]


def _network(f: "Facts", step: "Step") -> list[str]:
    if f.medicare:
        return ["The clinic is not enrolled with Medicare, so Medicare pays nothing: enroll it (CMS-855B, with each "
                "clinician on CMS-855I), or refer the patient to an enrolled clinic. A clinician who opted out of "
                "Medicare may treat the patient only under a private contract signed before the visit."]
    return [f"The clinic is out of network and the {f.scenario.plan.type.value} pays nothing out of network: refer "
            f"the patient to an in-network clinic, or quote the cash price ({money(f.charge)})."]


def _rendering_provider(f: "Facts", step: "Step") -> list[str]:
    if f.medicare:
        return [f"Enroll the {f.scenario.provider.type.value} with Medicare (PECOS or CMS-855I) and reassign the "
                "benefits to the clinic (CMS-855R), or have an enrolled clinician render the service."]
    return [f"Credential the {f.scenario.provider.type.value} with the payer (CAQH profile and enrollment take "
            "60–120 days), or have a credentialed clinician render the service."]


def _prior_auth(f: "Facts", step: "Step") -> list[str]:
    return ["Get prior authorization from the payer before the visit, or reschedule until it is approved."]


def _frequency(f: "Facts", step: "Step") -> list[str]:
    last = f.last_service
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
    "statutory_exclusion": _statutory_exclusion,
    "experimental": _experimental,
    "necessity": _necessity,
    "place_of_service": _place_of_service,
    "network": _network,
    "rendering_provider": _rendering_provider,
    "referral": _referral,
    "prior_auth": _prior_auth,
    "frequency": _frequency,
    "annual_limit": _annual_limit,
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
    waived: dict[int, int] = {}  # line index → charge the patient owes under a waiver or an ABN
    for step in decisive:
        f = facts[step.line - 1] if step.line else f0
        advice = ADVICE.get(step.step)
        for sentence in advice(f, step) if advice else [f"Fix what the payer found: {step.finding}."]:
            say(sentence)
        liable = groups[step.step] == "liability" or (groups[step.step] == "limit" and f.medicare)
        if step.group == "CO" and liable and f.medicare:
            say("Do not bill the patient: without an ABN signed before treatment (modifier GZ) Medicare's denial is "
                "the clinic's loss. Next time, give an ABN naming the service and its cost, and bill with GA.")
        elif step.group == "CO" and liable:
            say("Do not bill the patient: in network the contract holds them harmless unless they sign a waiver "
                "naming the service and its cost before treatment.")
        elif step.group == "CO" and f.medicare:
            say("Do not bill the patient: the clinic absorbs this denial.")
        elif step.group == "CO":
            say("Do not bill the patient: under the network contract the clinic absorbs this denial.")
        elif liable and f.in_network:
            for k, line in enumerate(lines):
                if (step.line in (None, k + 1)) and line.reason and line.reason.carc == step.carc \
                        and line.reason.group == "PR":
                    waived[k] = line.cost.charge
    if waived:
        what = "ABN signed before treatment (modifier GA)" if f0.medicare else "signed waiver"
        lines_word = "" if len(lines) == 1 else f" of the {'line' if len(waived) == 1 else 'lines'} it covers"
        say(f"The {what} lets the clinic bill the patient the full charge{lines_word} "
            f"({money(sum(waived.values()))}).")
    if decisive and network != "none" and not any(step.step in ("cosmetic", "statutory_exclusion")
                                                  for step in decisive):
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
        if c.patient_pays:
            say(f"Collect the patient's share of {money(c.patient_pays)}{detail}{which}; the plan pays "
                f"{money(c.plan_pays)}.")
        else:
            say(f"Nothing to collect from the patient{which}: the plan pays {money(c.plan_pays)}.")
        if network == "out":
            say(f"Tell the patient before treating: out of network they owe {money(c.balance_bill)} above what the "
                "plan allows (a balance bill), and elective office care is not protected by the No Surprises Act.")
        elif c.balance_bill:
            say(f"The clinic does not accept Medicare assignment: it may bill the patient up to the limiting charge, "
                f"{money(c.balance_bill)} above Medicare's amount, and no more.")
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
