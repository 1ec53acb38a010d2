"""A readable text summary of an outcome: decision, reason in plain words, dollars, next steps.

Everything here reads the outcome, its trace and its own catalog; nothing recomputes the decision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .arguments import instance
from .vocabulary import (COST_FIELDS, COST_LABELS, DECISION_WORDS, GROUP_NAMES, HSA_WORDS, capitalized,
                         money)

if TYPE_CHECKING:
    from .outcome import Outcome

__all__ = ["summary"]


def summary(outcome: "Outcome") -> str:
    """A readable text summary: decision, reason in plain words, dollars, next steps."""
    from .outcome import Outcome

    instance(outcome, Outcome, "outcome", "an Outcome (medspa_kit.evaluate gives one)")
    c = outcome.cost
    cat = outcome.catalog
    diagnoses = "; ".join(f"{code} {cat.diagnosis_name(code)}".strip() for code in outcome.scenario.diagnoses)
    what = outcome.billed
    payer = outcome.scenario.payer_id
    medicare = cat.payer_kind(payer) == "medicare"
    network = outcome.network_words
    lines = [
        f"{what} · {diagnoses} · {outcome.scenario.date_of_service}",
        f"Payer:     {cat.payer_name(payer)} ({payer})"
        + ("" if medicare else f", {outcome.scenario.plan.type.value} plan"),
        *(f"Warning:   {warning}" for warning in outcome.warnings),
        "",
        f"Decision:  {capitalized(outcome.decision.replace('_', ' '))} ({network})",
    ]
    if outcome.primary_reason:
        r = outcome.primary_reason
        plain = cat.reasons[r.carc].plain if r.carc in cat.reasons else ""
        who = GROUP_NAMES[r.group]
        lines.append(f"Reason:    {r.group} {r.carc} {r.text} ({who})")
        if plain:
            lines.append(f"           {plain}")
        if r.rarc:
            remark = cat.keyed["remark_codes"].get(r.rarc)
            lines.append(f"Remark:    {r.rarc} {remark['name'] if remark else ''}".rstrip())
        step = outcome.decisive_step
        if step is not None:
            lines.append(f"Why:       {step.finding}")
    if outcome.scenario.lines is not None:
        lines += ["", "Lines", f"  {'line':<18}{'decision':<16}{'reason':<10}{'allowed':>12}{'plan pays':>12}"
                               f"{'patient pays':>14}"]
        for line in outcome.lines:
            lc = line.cost
            lines.append(f"  {line.label:<18}{DECISION_WORDS[line.decision]:<16}"
                         f"{line.reason.label if line.reason else '':<10}{money(lc.allowed):>12}"
                         f"{money(lc.plan_pays):>12}{money(lc.patient_pays):>14}")
    lines += ["", "Dollars" if outcome.scenario.lines is None else "Dollars (the claim)"]
    for name in COST_FIELDS:
        lines.append(f"  {COST_LABELS[name]:<20}{money(getattr(c, name)):>12}")
    adjustments = ", ".join(f"{a.group} {a.carc} {money(a.amount)}" for a in outcome.adjustments) or "none"
    lines += ["", f"Adjustments (835): {adjustments}",
              f"HSA/FSA:   {HSA_WORDS[outcome.hsa_fsa.status]} ({outcome.hsa_fsa.reason})", "", "Next steps"]
    lines += [f"  - {step}" for step in outcome.next_steps]
    return "\n".join(lines)


from ._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
