"""The engine on hand-worked claims (tests/cases/claims.yaml), through both paths, and its trace.

Every case runs through ``evaluate`` (one claim, explained) and through ``evaluate_frame`` (the
same claims as rows of one table): both must give the decision, the reason and every dollar
worked out by hand in the case's ``why``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from medspa_kit import evaluate, preset
from medspa_kit.batch import evaluate_frame
from medspa_kit.columns import scenarios_to_frame

from .builders import assert_balances, case, claim, run

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "claims.yaml").read_text(encoding="utf-8"))
IDS = [c["name"] for c in CASES]


def cents(dollars: float) -> int:
    return round(dollars * 100)


@pytest.fixture(scope="module")
def batch():
    """Every case as one row of one table, evaluated together."""
    one = [c for c in CASES if "lines" not in c]
    lines = [c for c in CASES if "lines" in c]
    single = evaluate_frame(scenarios_to_frame([build(c) for c in one])).set_axis([c["name"] for c in one])
    frame = scenarios_to_frame([build(c) for c in lines])
    several = evaluate_frame(frame)
    several["case"] = [lines[i]["name"] for i in frame["claim_id"]]
    return single, several


def build(c: dict) -> dict:
    """The case's scenario: BASE with its changes, or a claim of its lines."""
    return claim(c["lines"], c.get("changes")) if "lines" in c else case(c["changes"])


def test_the_case_file_is_well_formed():
    assert len(IDS) == len(set(IDS)) >= 60
    for c in CASES:
        assert set(c) <= {"name", "changes", "lines", "decision", "network", "reason", "cost", "adjustments",
                          "line_results", "why"}, c["name"]
        assert c["why"].strip(), c["name"]
        assert ("reason" in c) == (c["decision"] != "covered"), c["name"]
        assert "line_results" not in c or len(c["line_results"]) == len(c["lines"]), c["name"]


@pytest.mark.parametrize("expected", CASES, ids=IDS)
def test_scalar_path(expected):
    outcome = evaluate(build(expected))
    assert (outcome.decision, outcome.network) == (expected["decision"], expected["network"])
    reason = outcome.primary_reason
    assert (f"{reason.group} {reason.carc}" if reason else None) == expected.get("reason")
    for name, dollars in expected.get("cost", {}).items():
        assert getattr(outcome.cost, name) == cents(dollars), name
    if "adjustments" in expected:
        assert [f"{a.group} {a.carc} {a.amount / 100:.2f}" for a in outcome.adjustments] == expected["adjustments"]
    assert_balances(outcome)
    if outcome.decision in ("denied", "not_billable") and len(outcome.lines) == 1:
        assert outcome.cost.plan_pays == 0
        assert [(a.group, a.carc) for a in outcome.adjustments] == [(reason.group, reason.carc)]
    for line, result in zip(outcome.lines, expected.get("line_results", ())):
        assert line.decision == result["decision"]
        assert (line.reason.label if line.reason else None) == result.get("reason")
        for name, dollars in result.get("cost", {}).items():
            assert getattr(line.cost, name) == cents(dollars), name
        c = line.cost  # every line balances like an 835 too
        assert c.charge == c.plan_pays + sum(a.amount for a in line.adjustments)


@pytest.mark.parametrize("expected", CASES, ids=IDS)
def test_batch_path(expected, batch):
    single, several = batch
    if "lines" not in expected:
        row = single.loc[expected["name"]]
        assert row["error"] is None
        assert (row["decision"], row["network"]) == (expected["decision"], expected["network"])
        reason = f"{row['reason_group']} {row['reason_carc']}" if row["decision"] != "covered" else None
        assert reason == expected.get("reason")
        for name, dollars in expected["cost"].items():
            assert cents(row[name]) == cents(dollars), name
        return
    rows = several[several["case"] == expected["name"]]
    assert rows["error"].isna().all()
    assert set(rows["claim_decision"]) == {expected["decision"]} and set(rows["network"]) == {expected["network"]}
    for name, dollars in expected.get("cost", {}).items():  # the claim's dollars are its lines' sums
        assert round(rows[name].sum() * 100) == cents(dollars), name
    for (_, row), result in zip(rows.iterrows(), expected.get("line_results", ())):
        assert row["decision"] == result["decision"]
        reason = f"{row['reason_group']} {row['reason_carc']}" if row["decision"] != "covered" else None
        assert reason == result.get("reason")
        for name, dollars in result.get("cost", {}).items():
            assert cents(row[name]) == cents(dollars), name


# --------------------------------------------------------------------------------------------
# The trace: every check, in the order of checks.csv, with the facts it used and its source.



def test_to_dict_is_exactly_the_public_shape():
    d = evaluate(preset("botox-underarm-sweating")).to_dict()
    assert list(d) == ["decision", "network", "primary_reason", "lines", "adjustments", "cost", "hsa_fsa",
                       "next_steps", "warnings", "trace"]
    assert d["warnings"] == []  # 2026-03-02 lies inside the FY2026 code set
    # a version 1 scenario is a claim of one line, whose dollars are the claim's
    assert [line["code"] for line in d["lines"]] == ["64650"] and d["lines"][0]["cost"] == d["cost"]
    assert d["primary_reason"] is None
    assert list(d["cost"]) == ["charge", "allowed", "deductible", "coinsurance", "copay", "plan_pays",
                               "patient_pays", "provider_writeoff", "balance_bill"]
    assert set(d["hsa_fsa"]) == {"status", "reason"}
    assert all(set(a) == {"group", "carc", "amount"} for a in d["adjustments"])
    assert all(set(t) == {"step", "facts", "result", "source"} for t in d["trace"])
    json.dumps(d)  # serializable as is
    denied = evaluate(preset("botox-forehead-lines")).to_dict()
    assert denied["primary_reason"] == {"group": "PR", "carc": "204", "text": "Not a covered benefit"}
    # a remark code appears when the payer adds one: Medicare's statutory exclusion of cosmetic care
    medicare = evaluate(preset("botox-forehead-lines").with_changes({"plan": {"type": "MEDICARE"}})).to_dict()
    assert medicare["primary_reason"] == {"group": "PR", "carc": "96", "text": "Not covered (statutory exclusion)",
                                          "rarc": "N425"}


def steps(catalog) -> list[str]:
    """Every check of checks.csv in its order, then the pricing."""
    return [c.id for c in catalog.checks] + ["cost"]


def test_trace_lists_every_check_in_order_with_sources(catalog):
    outcome = evaluate(preset("botox-underarm-sweating"))
    assert [s.step for s in outcome.steps] == steps(catalog)
    assert outcome.steps[0].step == "inputs" and outcome.steps[-1].step == "cost"
    for entry in outcome.trace:
        assert entry["source"], entry
        assert entry["result"].startswith(("pass", "fail", "not applicable"))
    necessity = outcome.trace[steps(catalog).index("necessity")]
    # the policy row that was read is named with its file and row number, then its document
    assert necessity["source"].startswith("coverage_policies.csv row 2: Aetna CPB 0113")
    assert necessity["facts"]["criteria_documented"] is True


def test_later_failures_are_still_shown_but_not_decisive(catalog):
    # cosmetic (decides) and an uncredentialed NP (would also fail)
    outcome = run({"diagnoses": ["Z41.1"], "provider.credentialed": False})
    assert outcome.primary_reason.carc == "204"
    by_step = {s.step: s for s in outcome.steps}
    assert by_step["cosmetic"].decisive and by_step["cosmetic"].status == "fail"
    assert by_step["rendering_provider"].status == "fail" and not by_step["rendering_provider"].decisive
    assert "also fails" in outcome.trace[steps(catalog).index("rendering_provider")]["result"]
    # only the decisive denial is an adjustment
    assert [(a.group, a.carc) for a in outcome.adjustments] == [("PR", "204")]


def test_not_applicable_steps_when_no_policy_matches():
    outcome = run({"diagnoses": ["G43.709"]})
    by_step = {s.step: s for s in outcome.steps}
    assert by_step["prior_auth"].status == "not applicable"
    assert by_step["frequency"].status == "not applicable"


def test_a_denial_reads_its_code_and_group_from_the_checks_table(catalog, tmp_path):
    # One edit of checks.csv changes what both engines say: place of service denied as CO.
    import shutil

    from medspa_kit.catalog import load_catalog

    folder = tmp_path / "datasets"
    shutil.copytree(catalog.folder, folder, ignore=shutil.ignore_patterns("generators", "presets"))
    text = (folder / "checks.csv").read_text(encoding="utf-8")
    (folder / "checks.csv").write_text(text.replace(",58,PR,denied,", ",58,CO,denied,"), encoding="utf-8")
    edited = load_catalog(folder)
    changes = {"plan.covered_places_of_service": ["11"], "facility.place_of_service": "22"}
    outcome = evaluate(case(changes), edited)
    assert (outcome.primary_reason.label, outcome.cost.patient_pays, outcome.cost.provider_writeoff) == (
        "CO 58", 0, 1100_00)
    row = evaluate_frame(scenarios_to_frame([case(changes)]), edited).iloc[0]
    assert (row["reason_group"], row["reason_carc"], row["patient_pays"]) == ("CO", "58", 0.0)
