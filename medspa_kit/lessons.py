"""What the notebooks show, as functions: vary one fact, tabulate outcomes, test the myths.

Notebook cells call these and print or display the result, so a test can compute everything a
notebook shows by importing this module. Pure core: pandas only, no widgets or plotting.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from .arguments import instance, instances, listed, mapping, texts
from .catalog import Catalog, default_catalog, given_catalog
from .columns import LINE_SPECS, SPECS
from .engine import evaluate
from .errors import ScenarioError, shown_value
from .fields import plain, write_lines
from .model import Scenario
from .outcome import Outcome
from .presets import preset, preset_info
from .vocabulary import DECISION_WORDS, HSA_WORDS, money, wrap_words

__all__ = ["scenario_of", "outcome_row", "outcomes_table", "lines_table", "vary", "show_value", "headlines",
           "network_grid", "policy_table", "payers_table", "payer_scenario", "payers_compared", "presets_table",
           "cost_breakdown", "MythCheck", "myth_wrinkles", "myth_lifetime_limit", "myth_massage",
           "myth_comprehensive_policy", "myth_doctors_note", "myth_spa_supplies", "myth_initial_visit",
           "myth_diagnosis_shopping", "myths", "myths_summary", "presets_overview"]

def scenario_of(item: str | Scenario, catalog: Catalog | None = None) -> Scenario:
    """A preset by name, or the Scenario given (ScenarioError naming ``item`` otherwise)."""
    if isinstance(item, str):
        return preset(item, catalog)
    if not isinstance(item, Scenario):
        raise ScenarioError.one("item", f"expected a preset name or a Scenario, got {type(item).__name__}")
    return item


def _outcome(value: Any, name: str = "outcome") -> Outcome:
    if not isinstance(value, Outcome):
        raise ScenarioError.one(name, f"expected an Outcome (medspa_kit.evaluate gives one), got {type(value).__name__}")
    return value


MAX_ROWS = 1000
"""the most rows a lesson table takes (each row is a run of the engine)"""


def _listed(values: Any, name: str, what: str) -> list[Any]:
    """``values`` as a non-empty list (one text is not a list of ``what``; a table of nothing is
    no lesson)."""
    items = listed(values, name, what, most=MAX_ROWS)
    if not items:
        raise ScenarioError.one(name, f"the list of {what} is empty: give at least one")
    return items


def _chosen(frame: pd.DataFrame, columns: Sequence[str] | None) -> pd.DataFrame:
    """``frame``'s ``columns`` (all when None), naming a column it does not have."""
    if columns is None:
        return frame
    names = listed(columns, "columns", "column names")
    if not names:
        return frame
    unknown = [c for c in names if not isinstance(c, str) or c not in frame.columns]
    if unknown:
        raise ScenarioError.one("columns", f"{shown_value(unknown[0])} is not a column (one of: {', '.join(frame.columns)})")
    return frame[names]


def outcome_row(label: str, outcome: Outcome) -> dict[str, Any]:
    """One line of a lesson table: what was done, what the payer decided, who pays."""
    c = _outcome(outcome).cost
    reason = outcome.primary_reason
    return {
        "scenario": label,
        "service": outcome.billed,
        "diagnoses": ", ".join(outcome.scenario.diagnoses),
        "decision": DECISION_WORDS[outcome.decision],
        "reason": f"{reason.group} {reason.carc} {reason.text}" if reason else "",
        "network": outcome.network_words,
        "charge": money(c.charge),
        "plan pays": money(c.plan_pays),
        "patient pays": money(c.patient_pays),
        "clinic writes off": money(c.provider_writeoff),
        "HSA/FSA": HSA_WORDS[outcome.hsa_fsa.status],
    }


def outcomes_table(items: Iterable[str | Scenario | tuple[str, Scenario]], columns: Sequence[str] | None = None,
                   catalog: Catalog | None = None) -> pd.DataFrame:
    """A table of outcomes, one row per preset name, Scenario or (label, Scenario)."""
    rows = []
    for item in _listed(items, "items", "preset names or Scenarios"):
        if isinstance(item, tuple) and len(item) == 2:
            label, scenario = str(item[0]), scenario_of(item[1], catalog)
        elif isinstance(item, str):
            label, scenario = item, preset(item, catalog)
        else:
            scenario = scenario_of(item, catalog)
            label = scenario.service.code if scenario.service is not None else "claim"
        rows.append(outcome_row(label, evaluate(scenario, catalog)))
    return _chosen(pd.DataFrame(rows).set_index("scenario"), columns)


def lines_table(item: str | Scenario, changes: Mapping[str, Any] | None = None,
                catalog: Catalog | None = None) -> pd.DataFrame:
    """A claim's lines as the remittance shows them: one row per line, dollars as text.

    ``item`` is a preset name or a Scenario; ``changes`` are dotted-path edits applied first.
    Columns: service, decision, reason, charge, allowed, plan pays, patient pays, clinic writes
    off; the index is the line as a biller writes it (``2 · J0585-JW ×45``).
    """
    scenario = scenario_of(item, catalog)
    changes = mapping(changes, "changes", "a dict of field → value")
    if changes:
        scenario = scenario.with_changes(changes, catalog=catalog)
    outcome = evaluate(scenario, catalog)
    rows = []
    for line in outcome.lines:
        c = line.cost
        rows.append({
            "line": f"{line.number} · {line.label}",
            "service": line.procedure.label,
            "decision": DECISION_WORDS[line.decision],
            "reason": f"{line.reason.group} {line.reason.carc} {line.reason.text}" if line.reason else "",
            "charge": money(c.charge),
            "allowed": money(c.allowed),
            "plan pays": money(c.plan_pays),
            "patient pays": money(c.patient_pays),
            "clinic writes off": money(c.provider_writeoff),
        })
    return pd.DataFrame(rows).set_index("line")


def vary(item: str | Scenario, path: str, values: Iterable[Any], columns: Sequence[str] | None = None,
         catalog: Catalog | None = None) -> pd.DataFrame:
    """Change one field through several values and tabulate the outcomes (one row per value)."""
    _path(path)
    base = scenario_of(item, catalog)
    rows = []
    for value in _listed(values, "values", f"values of {path}"):
        scenario = base.with_changes({path: value}, catalog=catalog)
        shown = ", ".join(str(plain(v)) for v in value) if isinstance(value, (list, tuple)) else plain(value)
        rows.append(outcome_row(f"{path} = {shown}", evaluate(scenario, catalog)))
    return _chosen(pd.DataFrame(rows).set_index("scenario"), columns)


def _path(path: Any) -> str:
    """``path`` when it is a text (a dotted field path such as ``service.charge``)."""
    return instance(path, str, "path", "a field's dotted path such as 'service.charge'")


DOLLAR_PATHS = frozenset(path for path, spec in {**SPECS, **LINE_SPECS}.items() if spec.unit == "dollars")
"""the fields whose values are dollars (shown as ``$1,500.00``)"""


def show_value(path: str, value: Any) -> str:
    """A field's value in plain words: ``yes``/``no``, ``none``, lists joined, dollars as ``$1,100.00``,
    claim lines as typed (``64615; J0585 x155``)."""
    _path(path)
    value = plain(value)  # (the number it holds: Decimal("800") is $800.00, a subclass never its own str)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "none"
    if path == "lines" and isinstance(value, (list, tuple)):
        return write_lines(value) or "none"
    if isinstance(value, (list, tuple)):
        return ", ".join(_words(v) for v in value)
    if isinstance(value, dict) and path == "plan":
        return str(value.get("type", "plan"))
    if isinstance(value, (int, float)) and math.isfinite(value * 100) and path in DOLLAR_PATHS:
        return money(round(value * 100))
    return _words(value)


def _words(value: Any) -> str:
    """``str(value)``, or the value as messages show it when its ``str`` fails."""
    try:
        return str(plain(value))
    except Exception:  # any object may be given; showing it must not fail
        return shown_value(value)


def headlines(item: str | Scenario, path: str, values: Iterable[Any], catalog: Catalog | None = None) -> list[str]:
    """``"<value>: <headline>"`` for each value of one field (for a printed comparison), the value
    in plain words (``yes``, not ``True``)."""
    _path(path)
    base = scenario_of(item, catalog)
    out = []
    for value in _listed(values, "values", f"values of {path}"):
        shown = show_value(path, value)
        out.append(f"{shown}: {evaluate(base.with_changes({path: value}, catalog=catalog), catalog).headline}")
    return out


def network_grid(item: str | Scenario, plans: Sequence[str], catalog: Catalog | None = None) -> pd.DataFrame:
    """Patient pays (and the reason, when denied) for each plan × clinic network status.

    The grid is about networks, so the referral an HMO or POS plan needs is taken as on file.
    """
    cat = given_catalog(catalog)
    base = scenario_of(item, cat).with_changes({"documentation.referral": True}, catalog=cat)
    statuses = {
        "in network (credentialed + contract)": {"facility.credentialed": True, "facility.participating": True},
        "credentialed, no contract": {"facility.credentialed": True, "facility.participating": False},
        "not credentialed": {"facility.credentialed": False, "facility.participating": False},
    }
    rows = []
    for plan_id in _listed(plans, "plans", "plan ids"):
        if not isinstance(plan_id, str) or plan_id not in cat.records("plans"):
            raise ScenarioError.one("plans", f"{shown_value(plan_id)} is not a plan (one of: {', '.join(cat.records('plans'))})")
        row: dict[str, Any] = {"plan": cat.records("plans")[plan_id]["name"]}
        for label, changes in statuses.items():
            outcome = evaluate(base.with_changes({"plan": cat.plan(plan_id), **changes}, catalog=cat), cat)
            reason = f" ({outcome.primary_reason.label})" if outcome.primary_reason else ""
            row[label] = f"{money(outcome.cost.patient_pays)}{reason}"
        rows.append(row)
    return pd.DataFrame(rows).set_index("plan")


def policy_table(procedures: Sequence[str] | None = None, catalog: Catalog | None = None) -> pd.DataFrame:
    """The coverage policies (what a payer needs documented), optionally for some procedures: one
    row per policy, indexed by the payer it belongs to (``any payer`` for the generic rows). A
    service no payer covers under any policy (cosmetic Botox), or an empty list, gives no rows."""
    cat = given_catalog(catalog)
    if procedures is not None:
        procedures = texts(procedures, "procedures", "service ids", most=MAX_ROWS)
        unknown = next((p for p in procedures if p not in cat.procedures), None)
        if unknown is not None:
            raise ScenarioError.one("procedures", f"{shown_value(unknown)} is not a service id (medspa-kit procedures lists them)")
    rows = []
    for p in cat.policies:
        if procedures is not None and p.procedure not in procedures:
            continue
        proc = cat.procedures[p.procedure]
        payer = cat.keyed["payers"].get(p.payer) if p.payer and p.payer != "*" else None
        rows.append({
            "payer": payer["name"] if payer else "any payer (the kit's generic row)",
            "service": proc.label,
            "diagnosis": p.diagnosis + (f" + {p.with_diagnosis}" if p.with_diagnosis else ""),
            "criteria to document": p.criteria,
            "prior auth": "yes" if p.prior_auth else "no",
            "min days between": "" if p.min_interval_days is None else p.min_interval_days,
            "source": cat.cite((), (p.source,)),
        })
    # (a service no payer writes a policy for, such as cosmetic Botox: no rows, the same columns)
    return pd.DataFrame(rows, columns=POLICY_COLUMNS).set_index("payer")


POLICY_COLUMNS = ("payer", "service", "diagnosis", "criteria to document", "prior auth", "min days between", "source")
"""the columns of :func:`policy_table` (``payer`` its index)"""


def payers_table(catalog: Catalog | None = None) -> pd.DataFrame:
    """The payers the kit knows, what kind each is, and how many coverage rows of its own it has."""
    cat = given_catalog(catalog)
    rows = []
    for payer_id, row in cat.records("payers").items():
        own = [p for p in cat.policies if p.payer == payer_id]
        rows.append({"payer": payer_id, "name": row["name"], "kind": row["kind"], "own policy rows": len(own),
                     "services with own rows": ", ".join(sorted({cat.procedures[p.procedure].name for p in own}))
                     or "none: the generic rows apply"})
    return pd.DataFrame(rows).set_index("payer")


def payer_scenario(item: str | Scenario, payer: str, changes: Mapping[str, Any] | None = None,
                   catalog: Catalog | None = None) -> Scenario:
    """The chart ``item`` (a preset name or a Scenario, ``changes`` applied first) under ``payer``,
    exactly as :func:`payers_compared` shows it (a quiz about that table asks about this scenario).

    A payer of another kind than the chart's brings its own plan (``payers.csv``, ``plan``): Original
    Medicare Part B for ``medicare``, the Medi-Cal managed care plan (no cost sharing) for
    ``medi-cal``, the Standard PPO for a commercial payer. The comparison is about the
    payers' rules, so every payer starts the year afresh: nothing met of any deductible or
    out-of-pocket maximum (a patient has one plan, not five).

    Raises ScenarioError for an unknown preset, payer or change.
    """
    cat = given_catalog(catalog)
    fresh = {f"accumulators.{name}": 0.0 for name in ("deductible_met", "oop_met", "oon_deductible_met",
                                                       "oon_oop_met")}
    base = scenario_of(item, cat).with_changes({**fresh, **(mapping(changes, "changes", "a dict of field → value")
                                                            or {})}, catalog=cat)
    if not isinstance(payer, str) or payer not in cat.keyed["payers"]:
        raise ScenarioError.one("payer", f"{shown_value(payer)} is not a payer (one of: {', '.join(cat.keyed['payers'])})")
    edit: dict[str, Any] = {"payer": payer}
    if cat.payer_kind(payer) != cat.payer_kind(base.payer_id):
        edit["plan"] = cat.plan(cat.payer_plan(payer))  # Medicare and Medicaid bring their own plans
    return base.with_changes(edit, catalog=cat)


def payers_compared(item: str | Scenario, payers: Sequence[str], changes: Mapping[str, Any] | None = None,
                    catalog: Catalog | None = None) -> pd.DataFrame:
    """One chart under several payers, side by side: decision, reason, dollars, and what decided.

    ``item`` is a preset name or a Scenario; ``changes`` are dotted-path edits applied first. Each
    payer's scenario is :func:`payer_scenario` (Medicare's own plan; nothing met of the deductible).
    """
    cat = given_catalog(catalog)
    changes = mapping(changes, "changes", "a dict of field → value")  # (read once: every payer gets the same)
    rows = []
    for payer in _listed(payers, "payers", "payer ids"):
        outcome = evaluate(payer_scenario(item, payer, changes, cat), cat)
        step = outcome.decisive_step or next(s for s in outcome.steps if s.step == "necessity")
        c = outcome.cost
        reason = outcome.primary_reason
        rows.append({
            "payer": cat.payer_name(payer),
            "network": outcome.network_words,
            "decision": DECISION_WORDS[outcome.decision],
            "reason": f"{reason.group} {reason.carc} {reason.text}" if reason else "",
            "what decided": step.finding,
            "plan pays": money(c.plan_pays),
            "patient pays": money(c.patient_pays),
            "clinic writes off": money(c.provider_writeoff),
            "balance bill": money(c.balance_bill),
            "source": step.source.split(": ", 1)[-1],
        })
    return pd.DataFrame(rows).set_index("payer")


def presets_table(catalog: Catalog | None = None) -> pd.DataFrame:
    """Every bundled preset with its title and the lesson it teaches."""
    info = preset_info(catalog)
    return pd.DataFrame([{"preset": n, "title": r["title"], "teaches": r["teaches"]} for n, r in info.items()]
                        ).set_index("preset")


def cost_breakdown(outcome: Outcome) -> list[str]:
    """The cost arithmetic of a covered line (docs/cost.md), one printed line per step (dollars)."""
    c = _outcome(outcome).cost
    lines = [f"charge {money(c.charge)}; allowed by the plan {money(c.allowed)}"]
    if outcome.decision != "covered":
        return lines + [f"not paid: {outcome.primary_reason.label}, patient owes {money(c.patient_pays)}"]
    if outcome.network == "in" and c.balance_bill:
        lines.append(f"not on Medicare assignment: the patient may be billed up to the limiting charge, "
                     f"{money(c.balance_bill)} above the allowed amount (PR 45); the clinic writes off the rest, "
                     f"{money(c.provider_writeoff)} (CO 45)")
    elif outcome.network == "in":
        lines.append(f"clinic writes off charge − allowed = {money(c.provider_writeoff)} (CO 45)")
    else:
        lines.append(f"balance bill = charge − allowed = {money(c.balance_bill)} (PR 45, the patient owes it)")
    if c.copay:
        lines.append(f"copay {money(c.copay)}")
    lines.append(f"deductible {money(c.deductible)}; coinsurance {money(c.coinsurance)}")
    lines.append(f"plan pays {money(c.plan_pays)}; patient pays {money(c.patient_pays)}")
    return lines


# ---------------------------------------------------------------------------------------------
# Myths: four claims found online, each tested by running the engine.


@dataclass(frozen=True)
class MythCheck:
    claim: str
    verdict: str
    """'false' or 'true', decided from the outcomes below, not typed in"""
    reason: str
    evidence: pd.DataFrame
    sources: tuple[str, ...]
    """citations of the bibliography (``datasets/sources.csv``)"""
    scenarios: Mapping[str, Scenario] = field(default_factory=dict)
    """the scenario behind each evidence row, by the row's label (a quiz asks about the same visit)"""

    def report(self, catalog: Catalog | None = None) -> str:
        """Claim, verdict, why and sources, each labelled and wrapped at spaces to ``PRINT_WIDTH``
        characters (a code such as ``PR 204`` is never split; the evidence is a table)."""
        cited = given_catalog(catalog).cite((), self.sources)
        return wrap_words("\n".join([f"CLAIM:   {self.claim}", f"VERDICT: {self.verdict.upper()}",
                                     f"WHY:     {self.reason}", f"SOURCES: {cited}"]))


EVIDENCE = ["decision", "reason", "network", "charge", "plan pays", "patient pays", "clinic writes off"]
"""plan pays + patient pays + clinic writes off = charge on every row (a balance bill is part of what the patient pays)"""


def _with(name: str, changes: Mapping[str, Any]) -> tuple[str, Scenario]:
    return name, preset(name).with_changes(changes)


ADJUSTMENT_WORDS = {"1": "the deductible", "2": "coinsurance", "3": "the copay"}
"""what a patient-responsibility adjustment of a covered claim is, in plain words (X12 CARC 1, 2, 3)"""


def _who_owes_what(outcome: Outcome) -> str:
    """Who owes what on a covered claim, in plain words with each reason code (``CO 45``, ``PR 1``)."""
    c = outcome.cost
    said = [f"Of the {money(c.charge)} charge the plan allows {money(c.allowed)}"]
    for a in outcome.adjustments:
        if a.group == "CO" and a.carc == "45":
            said.append(f"the clinic writes off the {money(a.amount)} above it (CO 45)")
        elif a.group == "PR" and a.carc in ADJUSTMENT_WORDS:
            said.append(f"the patient owes {money(a.amount)} as {ADJUSTMENT_WORDS[a.carc]} (PR {a.carc})")
    said.append(f"the plan pays {money(c.plan_pays)}")
    text = "; ".join(said)
    if c.plan_pays == 0 and c.deductible:
        text += " — covered, but the allowed amount all goes to the deductible this time"
    return text + "."


def _labelled(items: Sequence[str | tuple[str, Scenario]]) -> list[tuple[str, Scenario]]:
    return [item if isinstance(item, tuple) else (item, preset(item)) for item in items]


def myth_wrinkles() -> MythCheck:
    claim = "Botox for wrinkles is more likely to be covered than Botox used elsewhere."
    rows = _labelled(["botox-forehead-lines", "botox-underarm-sweating", "botox-chronic-migraine"])
    table = outcomes_table(rows, EVIDENCE)
    wrinkles_covered = table.loc["botox-forehead-lines", "decision"] == "covered"
    others_covered = (table.drop(index="botox-forehead-lines")["decision"] == "covered").any()
    verdict = "true" if wrinkles_covered and not others_covered else "false"
    reason = ("Inverted: wrinkle treatment is a cosmetic benefit exclusion (PR 204, the patient pays all), while the "
              "same drug for underarm sweating or chronic migraine is covered when the policy's criteria and prior "
              "authorization are on file.")
    return MythCheck(claim, verdict, reason, table,
                     ("neocities-medspa-myths (the claim)", "ssa-1862a10", "aetna-cpb-0113", "aetna-cpb-0031",
                      "cms-lcd-l33458"), dict(rows))


MIGRAINE_YEAR_START = dt.date(2026, 1, 5)
"""myth 2: the first migraine session of the plan year (which starts January 1 with nothing met)"""


def myth_lifetime_limit() -> MythCheck:
    claim = "Most policies have a $1,000 lifetime limit on treatments."
    # A year of covered migraine care (a $1,900 session every 12 weeks, 84 days, on the PPO with a
    # $40 specialist copay) and one very expensive covered line on the high-deductible plan: no
    # $1,000 cap appears anywhere. The plan year starts with nothing met; on a copay plan no
    # deductible applies (docs/cost.md), so each session costs the copay, carried on the
    # out-of-pocket met from one session to the next.
    dates = [MIGRAINE_YEAR_START + dt.timedelta(weeks=12 * i) for i in range(4)]
    base = preset("botox-chronic-migraine").with_changes({"accumulators.deductible_met": 0.0})
    copay = base.plan.copay or 0.0
    labelled = [
        (f"migraine session {i + 1} ({day.isoformat()}), copay PPO", base.with_changes({
            "date_of_service": day.isoformat(),
            "accumulators.last_treatment": (day - dt.timedelta(weeks=12)).isoformat(),
            "accumulators.oop_met": copay * i}))
        for i, day in enumerate(dates)
    ]
    labelled.append(("expensive covered line, HDHP", preset("peel-actinic-keratosis").with_changes(
        {"service.charge": 30000.0, "service.fee_schedule": 25000.0})))
    table = outcomes_table(labelled, EVIDENCE)
    plan_total = sum(evaluate(s).cost.plan_pays for _, s in labelled)
    verdict = "true" if plan_total <= 1000_00 else "false"
    reason = (f"False for covered essential health benefits: the ACA bans lifetime and annual dollar limits, so the "
              f"plan keeps paying ({money(plan_total)} across these lines) and the patient's share stops at the "
              f"out-of-pocket maximum. Cosmetic care has no 'limit' — it is excluded outright.")
    return MythCheck(claim, verdict, reason, table,
                     ("neocities-medspa-myths (the claim)", "healthcare-gov-limits"), dict(labelled))


def myth_massage() -> MythCheck:
    claim = "Massage not related to appearance is less likely to be covered."
    therapeutic = ("therapeutic massage, back pain", preset("acne-light-therapy").with_changes(
        {"service": {"code": "97124"}, "diagnoses": ["M54.50"], "documentation.criteria_documented": True,
         "accumulators.deductible_met": 1500.0, "accumulators.oop_met": 1500.0}))
    spa = ("spa or sculpting massage", preset("acne-light-therapy").with_changes(
        {"service": {"code": "massage-spa"}, "diagnoses": ["Z41.1"]}))
    table = outcomes_table([therapeutic, spa], EVIDENCE + ["HSA/FSA"])
    medical_covered = table.loc["therapeutic massage, back pain", "decision"] == "covered"
    looks_covered = table.loc["spa or sculpting massage", "decision"] == "covered"
    verdict = "true" if looks_covered and not medical_covered else "false"
    reason = ("Inverted: massage for appearance is never covered (PR 204), while therapeutic massage for a diagnosed "
              "condition inside a plan of care can be — and then it is an HSA/FSA expense too.")
    return MythCheck(claim, verdict, reason, table, ("neocities-medspa-myths (the claim)", "bestdayspas-insurance",
                                                     "spabatonrouge-hsa", "irs-pub-502"), dict([therapeutic, spa]))


COMPREHENSIVE = ("epo-basic", "ppo-standard")
"""myth 4: a basic plan and the fullest plan of ``plans.csv`` (a PPO that also pays out of network)"""


def myth_comprehensive_policy() -> MythCheck:
    claim = "A comprehensive policy will most likely cover a med-spa visit."
    # Each typical visit twice, billed the same way (a credentialed clinic with a contract, so in
    # network on both plans): the only difference between a pair is the policy, the fact the claim is about.
    cat = default_catalog()
    names = {plan_id: cat.records("plans")[plan_id]["name"] for plan_id in COMPREHENSIVE}
    titles = preset_info(cat)
    in_network = {"facility.credentialed": True, "facility.participating": True}
    rows = [
        (f"{titles[visit]['title']}, {names[plan_id]}",
         preset(visit, cat).with_changes({**in_network, "plan": cat.plan(plan_id)}, catalog=cat))
        for visit in ("botox-forehead-lines", "laser-hair-removal", "weight-loss-program")
        for plan_id in COMPREHENSIVE
    ]
    table = outcomes_table(rows, EVIDENCE)
    on_full = table.iloc[1::2]
    covered = int((on_full["decision"] == "covered").sum())
    same = list(table.iloc[0::2]["decision"]) == list(on_full["decision"])
    verdict = "true" if covered > len(on_full) / 2 else "false"
    reason = (f"{covered} of {len(on_full)} typical med-spa visits are paid on the fullest plan here ({names[COMPREHENSIVE[1]]}), "
              + (f"the same decisions as on a basic plan ({names[COMPREHENSIVE[0]]})" if same else "unlike on a basic plan")
              + ": each pair is the same visit at the same in-network clinic, only the policy differs. Cosmetic "
              "care is a benefit exclusion in every policy; coverage turns on the service and the diagnosis, not on "
              "how 'comprehensive' the policy is.")
    return MythCheck(claim, verdict, reason, table, ("neocities-medspa-myths (the claim)", "aetna-cpb-0031",
                                                     "medspot-aesthetics-guide"), dict(rows))


def myth_doctors_note() -> MythCheck:
    claim = "A doctor's referral or note makes a spa visit covered."
    paper = {"documentation.referral": True, "documentation.lmn": True}
    rows = [
        _with("botox-forehead-lines", paper),
        ("the same, done at a day spa", preset("botox-forehead-lines").with_changes(
            {**paper, "facility.kind": "day_spa"})),
        _with("aesthetician-at-day-spa", paper),
    ]
    table = outcomes_table(rows, EVIDENCE)
    covered = int((table["decision"] == "covered").sum())
    verdict = "true" if covered else "false"
    reason = (f"{covered} of {len(rows)} visits with a referral and a letter of medical necessity on file are paid. "
              "Paperwork does not change what the service is: cosmetic care stays excluded (PR 204), and a day spa "
              "or an aesthetician cannot bill a plan at all (171, 170). A referral matters only for a covered "
              "service on a plan that requires one (288).")
    return MythCheck(claim, verdict, reason, table, ("neocities-medspa-myths (the claim)", "aetna-cpb-0031",
                                                     "x12-carc (204, 170, 171, 288)"), dict(rows))


SUPPLY_ALONE = "the drug bought alone at a med spa"
"""myth 6: the drug bought over the counter, with no injection: a cash sale, not a claim"""
SUPPLY_GIVEN = "not a purchase: the drug given with its injection at a med spa billing as a medical office"
"""myth 6: the row shown for contrast — a covered treatment whose drug is paid, not a supply bought"""


def myth_spa_supplies() -> MythCheck:
    claim = "Insurance may reimburse medical supplies bought at a spa."
    drug_alone = {"lines": [{"code": "J0585", "units": 100}]}
    rows = [
        (SUPPLY_ALONE, preset("underarm-sweating-claim").with_changes(
            {**drug_alone, "facility.kind": "med_spa"})),
        ("the drug and its injection bought at a day spa", preset("underarm-sweating-claim").with_changes(
            {"facility.kind": "day_spa"})),
        (SUPPLY_GIVEN, preset("underarm-sweating-claim").with_changes({"facility.kind": "med_spa"})),
    ]
    table = outcomes_table(rows, EVIDENCE + ["HSA/FSA"])
    # a drug bought over the counter is not a claim: sent to the plan it would come back CO 107
    # (which, in network, the clinic would write off); bought, the patient pays the price in cash
    alone = table.loc[SUPPLY_ALONE]
    table.loc[SUPPLY_ALONE, ["decision", "reason", "network", "plan pays", "patient pays", "clinic writes off"]] = [
        DECISION_WORDS["not_billable"], f"cash sale: a claim would come back {alone['reason']}", "no claim (cash sale)",
        money(0.0), alone["charge"], money(0.0)]
    bought = table.drop(index=SUPPLY_GIVEN)
    paid = int((bought["decision"] == "covered").sum())
    verdict = "true" if paid else "false"
    given = table.loc[SUPPLY_GIVEN]
    reason = (f"False as stated: {paid} of {len(bought)} supplies bought at a spa are reimbursed — bought on its own "
              "the drug has no qualifying service, so a claim for it is refused (CO 107) and the patient pays the "
              f"{alone['charge']} price in cash; and a day spa cannot bill a plan at all (PR 171). The last "
              f"row is not a purchase and does not contradict this: there the drug is part of a covered treatment "
              f"(its injection, for a diagnosed condition) billed by a medical practice, so it is paid as that "
              f"treatment ({'plan pays ' + given['plan pays'] if given['decision'] == 'covered' else given['decision']}). "
              "What the article may mean is an HSA or FSA: supplies that treat a diagnosed condition are medical "
              "expenses.")
    return MythCheck(claim, verdict, reason, table, ("neocities-medspa-myths (the claim)", "x12-carc (107, 171)",
                                                     "irs-pub-502"), dict(rows))


def myth_initial_visit() -> MythCheck:
    claim = "An initial visit may be covered before ongoing treatment."
    rows = [
        ("first visit for underarm sweating (99213, L74.510)", preset("botox-underarm-sweating").with_changes(
            {"service": {"code": "99213"}})),
        ("first visit about wrinkles (99213, Z41.1)", preset("botox-underarm-sweating").with_changes(
            {"service": {"code": "99213"}, "diagnoses": ["Z41.1"]})),
        _with("botox-forehead-lines", {}),
    ]
    table = outcomes_table(rows, EVIDENCE)
    medical_visit = table.iloc[0]["decision"] == "covered"
    verdict = "true" if medical_visit else "false"
    reason = (f"True, with a condition: an office visit that evaluates a medical problem is covered like any doctor's "
              f"visit. {_who_owes_what(evaluate(rows[0][1]))} A consultation about a cosmetic treatment is not "
              "covered (PR 204: the patient owes the whole charge), and a covered first visit says nothing about the "
              "treatment after it — wrinkle Botox stays excluded.")
    return MythCheck(claim, verdict, reason, table, ("neocities-medspa-myths (the claim)", "ama-cpt (99213)",
                                                     "x12-carc (1, 45, 204)"), dict(rows))


def myth_diagnosis_shopping() -> MythCheck:
    claim = "Choosing a diagnosis such as Bell's palsy for wrinkle Botox raises the chance of coverage."
    rows = [
        _with("botox-forehead-lines", {}),
        ("wrinkle Botox coded G51.0 Bell's palsy", preset("botox-forehead-lines").with_changes(
            {"diagnoses": ["G51.0"]})),
        ("billed as facial-nerve injections (64612) with G51.0", preset("botox-forehead-lines").with_changes(
            {"service": {"code": "64612"}, "diagnoses": ["G51.0"]})),
    ]
    table = outcomes_table(rows, EVIDENCE)
    verdict = "true" if (table["decision"] == "covered").any() else "false"
    reason = ("False, and it would be fraud: the service is still wrinkle Botox (PR 204), and billed as a nerve "
              "injection the payer's policy does not cover Bell's palsy with it (CO 50). A diagnosis must describe "
              "the condition actually treated; choosing one to get paid is miscoding, and knowingly sending such a "
              "claim is a false claim.")
    return MythCheck(claim, verdict, reason, table, ("neocities-medspa-myths (the claim)", "icd-10-cm-fy2026",
                                                     "usc-31-3729"), dict(rows))


def myths() -> list[MythCheck]:
    """Every testable claim of the article notebook 07 answers, each decided by running the engine."""
    return [myth_wrinkles(), myth_lifetime_limit(), myth_massage(), myth_comprehensive_policy(), myth_doctors_note(),
            myth_spa_supplies(), myth_initial_visit(), myth_diagnosis_shopping()]


def myths_summary(checks: Sequence[MythCheck] | None = None, catalog: Catalog | None = None) -> pd.DataFrame:
    """One row per claim: the claim, the engine's verdict and the sources it rests on."""
    cat = given_catalog(catalog)
    checks = myths() if checks is None else instances(_listed(checks, "checks", "MythCheck"), MythCheck, "checks",
                                                      "MythCheck items (medspa_kit.lessons.myths())")
    rows = [{"claim": m.claim, "verdict": m.verdict, "sources": cat.cite((), m.sources)} for m in checks]
    return pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="#"))


def presets_overview() -> pd.DataFrame:
    """Every preset's outcome in one table (a map of what the kit shows)."""
    return outcomes_table(list(preset_info()), ["service", "decision", "reason", "patient pays"])


from ._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
