"""Plain words for an outcome: next steps a front desk can act on, and a readable summary.

Everything here reads the outcome and its trace; nothing recomputes the decision.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .outcome import Outcome
    from .rules import Facts

DECISION_WORDS = {"covered": "Covered", "denied": "Denied", "not_billable": "Not billable"}
NETWORK_WORDS = {"in": "in network", "out": "out of network", "none": "no network (cannot bill a plan)"}
HSA_WORDS = {"eligible": "eligible", "eligible_with_lmn": "eligible with a letter of medical necessity",
             "not_eligible": "not eligible"}


def money(amount_cents: int) -> str:
    """``$1,234.50`` (negative amounts never occur in an outcome)."""
    return f"${amount_cents / 100:,.2f}"


def next_steps(outcome: "Outcome", f: "Facts") -> list[str]:
    """Practical sentences, most important first."""
    s = f.scenario
    steps: list[str] = []
    decisive = outcome.decisive_step
    failed = {step.step: step for step in outcome.steps if step.failed}
    cash = money(f.charge)

    if decisive is not None:
        carc = decisive.carc
        if carc == "170":
            steps.append(f"Only an MD, DO, NP or PA can bill a health plan: quote the cash price ({cash}) with a "
                         "Good Faith Estimate, or book the patient with a billing clinician.")
        elif carc == "171":
            steps.append(f"A {s.facility.kind.value.replace('_', ' ')} cannot bill a health plan: quote the cash "
                         f"price ({cash}) with a Good Faith Estimate, or treat at the medical practice.")
        elif carc == "204":
            steps.append(f"Quote the cash price ({cash}) before treating and give a Good Faith Estimate: the plan "
                         "excludes this service.")
            if f.cosmetic is None and f.procedure.cosmetic_by_default:
                steps.append("Do not change the diagnosis to get it paid: the code must match why the patient was "
                             "treated, as the chart shows.")
        elif carc == "50" and f.policy is None:
            steps.append(f"The payer's policy does not cover {f.procedure.name.lower()} for "
                         f"{', '.join(s.diagnoses)}: check that the diagnosis on the claim is the reason for "
                         "treatment, or quote the cash price.")
        elif carc == "50":
            steps.append(f"Document the policy's criteria in the chart before the visit: {f.policy.criteria}.")
        elif carc == "58":
            where = ", ".join(s.plan.covered_places_of_service or ())
            steps.append(f"This plan covers the service only at place of service {where}: schedule it in the "
                         f"office, or quote the cash price ({cash}).")
        elif carc == "242":
            steps.append(f"The clinic is out of network and the {s.plan.type.value} pays nothing out of network: "
                         f"refer the patient to an in-network clinic, or quote the cash price ({cash}).")
        elif carc == "B7":
            steps.append(f"Credential the {s.provider.type.value} with the payer (CAQH profile and enrollment "
                         "take 60–120 days), or have a credentialed clinician render the service.")
        elif carc == "197":
            steps.append("Get prior authorization from the payer before the visit, or reschedule until it is "
                         "approved.")
        elif carc == "151":
            last = s.accumulators.last_treatment
            due = last + dt.timedelta(days=f.policy.min_interval_days) if last and f.policy else None
            steps.append(f"Schedule on or after {due.isoformat()}: the policy allows this service every "
                         f"{f.policy.min_interval_days} days." if due else "Check the payer's frequency limit.")
        if carc in ("50", "151", "197", "B7") and decisive.group == "CO":
            if carc == "B7":
                steps.append("Do not bill the patient: under the network contract the clinic absorbs this denial.")
            else:
                steps.append("Do not bill the patient: in network the contract holds them harmless unless they "
                             "sign a waiver naming the service and its cost before treatment.")
        elif carc in ("50", "151", "197") and decisive.group == "PR" and f.in_network:
            steps.append(f"The signed waiver lets the clinic bill the patient the full charge ({cash}).")
        for name in ("necessity", "prior_auth", "frequency", "rendering_provider"):
            extra = failed.get(name)
            if extra is not None and not extra.decisive and decisive.step not in ("billing_provider", "cosmetic"):
                steps.append(f"Also fix: {extra.finding}.")
    else:
        c = outcome.cost
        parts = [(label, amount) for label, amount in (("deductible", c.deductible), ("coinsurance", c.coinsurance),
                                                       ("copay", c.copay), ("balance bill", c.balance_bill))
                 if amount]
        detail = f" ({', '.join(f'{label} {money(amount)}' for label, amount in parts)})" if parts else ""
        steps.append(f"Collect the patient's share of {money(c.patient_pays)}{detail}; the plan pays "
                     f"{money(c.plan_pays)}.")
        if outcome.network == "out":
            steps.append(f"Tell the patient before treating: out of network they owe {money(c.balance_bill)} above "
                         "what the plan allows (a balance bill), and elective office care is not protected by the "
                         "No Surprises Act.")

    status = outcome.hsa_fsa.status
    owes = outcome.cost.patient_pays > 0
    if status == "eligible" and owes:
        steps.append("The patient may pay their share from an HSA or FSA.")
    elif status == "eligible_with_lmn" and owes:
        if s.documentation.lmn:
            steps.append("An LMN is on file: the patient may pay from an HSA or FSA; keep the letter with the "
                         "receipt.")
        else:
            steps.append("Ask the prescriber for a letter of medical necessity (condition, treatment, frequency, "
                         "duration) so the patient can pay from an HSA or FSA.")
    elif status == "not_eligible" and owes:
        steps.append("HSA and FSA money cannot pay for this: offer the cash price, a package or a payment plan, "
                     "and explain deferred-interest cards before the patient signs.")
    return steps


def summary(outcome: "Outcome") -> str:
    """A readable text summary: decision, reason in plain words, dollars, next steps."""
    from .catalog import default_catalog

    c = outcome.cost
    proc = outcome.procedure
    cat = default_catalog()
    diagnoses = "; ".join(f"{code} {cat.diagnosis_name(code)}".strip() for code in outcome.scenario.diagnoses)
    lines = [
        f"{proc.label} · {diagnoses} · {outcome.scenario.date_of_service}",
        "",
        f"Decision:  {DECISION_WORDS[outcome.decision]} ({NETWORK_WORDS[outcome.network]})",
    ]
    if outcome.primary_reason:
        r = outcome.primary_reason
        reasons = cat.reasons
        plain = reasons[r.carc].plain if r.carc in reasons else ""
        who = "patient responsibility" if r.group == "PR" else "clinic absorbs it"
        lines.append(f"Reason:    {r.group} {r.carc} {r.text} ({who})")
        if plain:
            lines.append(f"           {plain}")
        step = outcome.decisive_step
        if step is not None:
            lines.append(f"Why:       {step.finding}")
    lines += ["", "Dollars"]
    rows = [("Charge", c.charge), ("Allowed", c.allowed), ("Deductible", c.deductible),
            ("Coinsurance", c.coinsurance), ("Copay", c.copay), ("Plan pays", c.plan_pays),
            ("Patient pays", c.patient_pays), ("Clinic writes off", c.provider_writeoff),
            ("Balance bill", c.balance_bill)]
    for label, amount in rows:
        lines.append(f"  {label:<18}{money(amount):>12}")
    adjustments = ", ".join(f"{a.group} {a.carc} {money(a.amount)}" for a in outcome.adjustments) or "none"
    lines += ["", f"Adjustments (835): {adjustments}",
              f"HSA/FSA:   {HSA_WORDS[outcome.hsa_fsa.status]} ({outcome.hsa_fsa.reason})", "", "Next steps"]
    lines += [f"  - {step}" for step in outcome.next_steps]
    return "\n".join(lines)
