"""HTML for an outcome: decision badge, dollar table, HSA/FSA line, next steps, trace.

Plain strings with inline styles, so the same markup works in JupyterLab, Voila, nbval and a
handout opened without Jupyter. No widget imports here.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ..arguments import instance
from ..outcome import Outcome
from ..vocabulary import (COST_FIELDS, COST_LABELS, DECISION_WORDS, GROUP_WHO, HSA_WORDS, capitalized,
                          money)

__all__ = ["outcome_html", "decision_html", "covered_meaning", "dollars_html", "lines_html", "hsa_html",
           "next_steps_html", "trace_html"]

COLOURS = {
    "covered": ("#e6f4ea", "#1e7b34"),
    "denied_PR": ("#fdecea", "#b3261e"),
    "denied_CO": ("#fff4e5", "#8a5300"),
    "not_billable": ("#f1f3f4", "#3c4043"),
}


def _outcome(outcome: Any) -> Outcome:
    """``outcome`` when it is an Outcome; else an error naming it (not an AttributeError)."""
    return instance(outcome, Outcome, "outcome", "an Outcome (medspa_kit.evaluate gives one)")


def _palette(outcome: Outcome) -> tuple[str, str]:
    if outcome.decision == "covered":
        return COLOURS["covered"]
    if outcome.decision == "not_billable":
        return COLOURS["not_billable"]
    return COLOURS[f"denied_{outcome.primary_reason.group}"]


def decision_html(outcome: Outcome) -> str:
    """The badge: decision word, reason code with its group in words, network, who pays."""
    _outcome(outcome)
    background, ink = _palette(outcome)
    word = capitalized(DECISION_WORDS[outcome.decision])
    reason = ""
    if outcome.primary_reason:
        r = outcome.primary_reason
        reason = (f" — <b>{escape(r.group)} {escape(r.carc)}</b> {escape(r.text)} "
                  f"<span style='opacity:.8'>({GROUP_WHO[r.group]})</span>")
    step = outcome.decisive_step
    why = f"<div style='margin-top:4px'>{escape(step.finding[:1].upper() + step.finding[1:])}.</div>" if step else ""
    return (
        f"<div style='background:{background};color:{ink};border-left:6px solid {ink};padding:8px 12px;"
        f"border-radius:4px;font-size:1.05em'>"
        f"<b style='font-size:1.15em'>{word}</b>{escape(covered_meaning(outcome))}{reason}"
        f"<div style='margin-top:2px;opacity:.85'>{escape(capitalized(outcome.network_words))} · "
        f"plan pays <b>{money(outcome.cost.plan_pays)}</b> · "
        f"patient pays <b>{money(outcome.cost.patient_pays)}</b></div>{why}</div>"
    )


def covered_meaning(outcome: Outcome) -> str:
    """What "covered" means for money when the plan pays nothing this time: `` — applied to the
    deductible: plan pays $0.00`` (a covered claim is one the plan accepts; the allowed amount can
    still go wholly to the patient's deductible, copay or coinsurance). Empty otherwise."""
    _outcome(outcome)
    cost = outcome.cost
    if outcome.decision not in ("covered", "partly_covered") or cost.plan_pays != 0:
        return ""
    parts = [name for name in ("deductible", "copay", "coinsurance") if getattr(cost, name)]
    went = " and ".join(f"the {name}" if name != "copay" else "the copay" for name in parts) or "the patient's share"
    return f" — applied to {went}: plan pays {money(0)}"


def dollars_html(outcome: Outcome) -> str:
    """The dollar table (the nine cost fields), with the 835 adjustments underneath."""
    _outcome(outcome)
    cells = []
    for name in COST_FIELDS:
        label = COST_LABELS[name]
        amount = getattr(outcome.cost, name)
        strong = name in ("plan_pays", "patient_pays")
        style = "font-weight:bold;" if strong else ("opacity:.55;" if amount == 0 else "")
        cells.append(f"<tr style='{style}'><td style='padding:1px 14px 1px 0'>{label}</td>"
                     f"<td style='text-align:right;font-family:monospace'>{money(amount)}</td></tr>")
    adjustments = ", ".join(f"{a.group} {a.carc} {money(a.amount)}" for a in outcome.adjustments) or "none"
    return (f"<table style='border-collapse:collapse'>{''.join(cells)}</table>"
            f"<div style='margin-top:4px;font-size:.9em;opacity:.8'>835 adjustments: {escape(adjustments)}</div>")


def lines_html(outcome: Outcome) -> str:
    """The claim's lines: code, units and modifiers, decision, reason, allowed, plan and patient."""
    _outcome(outcome)
    head = "".join(f"<th style='text-align:left;padding:1px 8px'>{h}</th>"
                   for h in ("line", "decision", "reason", "allowed", "plan pays", "patient pays"))
    rows = []
    for line in outcome.lines:
        c = line.cost
        reason = f"{line.reason.label} {line.reason.text}" if line.reason else ""
        cells = [escape(line.label), DECISION_WORDS[line.decision], escape(reason)]
        money_cells = "".join(f"<td style='text-align:right;font-family:monospace;padding:1px 8px'>{money(v)}</td>"
                              for v in (c.allowed, c.plan_pays, c.patient_pays))
        rows.append("<tr>" + "".join(f"<td style='padding:1px 8px'>{cell}</td>" for cell in cells) + money_cells
                    + "</tr>")
    return (f"<table class='medspa-lines' style='border-collapse:collapse;margin-bottom:6px'><tr>{head}</tr>"
            f"{''.join(rows)}</table>")


def hsa_html(outcome: Outcome) -> str:
    _outcome(outcome)
    h = outcome.hsa_fsa
    return f"<div><b>HSA/FSA:</b> {escape(HSA_WORDS[h.status])} — {escape(h.reason)}</div>"


def next_steps_html(outcome: Outcome) -> str:
    _outcome(outcome)
    items = "".join(f"<li>{escape(step)}</li>" for step in outcome.next_steps)
    return f"<div><b>Next steps</b><ul style='margin:2px 0 0 0'>{items}</ul></div>"


def _facts(facts: dict[str, Any]) -> str:
    parts = []
    for key, value in facts.items():
        if isinstance(value, dict):
            value = "; ".join(f"{k} {v}" for k, v in value.items())
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{escape(key)} = {escape(str(value))}")
    return "<br>".join(parts)


def trace_html(outcome: Outcome) -> str:
    """Every check in order: what was checked, the facts it used, the result and its source."""
    _outcome(outcome)
    marks = {"pass": "✓", "fail": "✗", "not applicable": "–"}
    rows = []
    for number, (step, entry) in enumerate(zip(outcome.steps, outcome.trace), start=1):
        weight = "font-weight:bold;" if step.decisive else ""
        rows.append(
            f"<tr style='vertical-align:top;{weight}'>"
            f"<td style='padding:2px 6px'>{number}</td>"
            f"<td style='padding:2px 6px'>{marks[step.status]} {escape(step.title)}</td>"
            f"<td style='padding:2px 6px'>{escape(entry['result'])}</td>"
            f"<td style='padding:2px 6px;font-size:.85em'>{_facts(step.facts)}</td>"
            f"<td style='padding:2px 6px;font-size:.85em;opacity:.8'>{escape(step.source)}</td></tr>"
        )
    head = "".join(f"<th style='text-align:left;padding:2px 6px'>{h}</th>"
                   for h in ("#", "check", "result", "facts used", "source"))
    return f"<table style='border-collapse:collapse'><tr>{head}</tr>{''.join(rows)}</table>"


def outcome_html(outcome: Outcome) -> str:
    """Badge, lines, dollars, HSA/FSA and next steps together (for a handout or a static display)."""
    _outcome(outcome)
    lines = lines_html(outcome) if outcome.scenario.lines is not None else ""
    return (f"{decision_html(outcome)}{lines}<div style='display:flex;gap:32px;margin-top:8px;flex-wrap:wrap'>"
            f"<div>{dollars_html(outcome)}</div><div style='max-width:560px'>{hsa_html(outcome)}"
            f"{next_steps_html(outcome)}</div></div>")


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
