"""Payers and programs: what the trace, the next steps and the errors say (the dollars are the
hand-worked cases of tests/cases/claims.yaml, run through both engines by tests/test_engine.py)."""

from __future__ import annotations

import pytest

from medspa_kit import evaluate, evaluate_frame
from medspa_kit.columns import scenarios_to_frame
from medspa_kit.errors import ScenarioError

from .builders import case

CHART = ["severe-sweating-6-months", "failed-topical-aluminium-chloride"]


def _step(outcome, name):
    return next(s for s in outcome.steps if s.step == name)


def test_the_stricter_blue_plan_names_the_missing_criterion():
    outcome = evaluate(case({"payer": "bcbs-north-dakota", "documentation.criteria": CHART}))
    step = _step(outcome, "necessity")
    assert step.decisive and step.facts["payer"] == "Blue Cross Blue Shield of North Dakota"
    assert step.facts["criteria_missing"] == ["medical-complication"]
    assert "A medical complication of the sweating" in step.finding
    assert "BCBS ND hyperhidrosis policy" in step.source  # the payer's document decided
    assert any("Blue Cross Blue Shield of North Dakota's policy needs" in s and "medical complication" in s
               for s in outcome.next_steps)


def test_a_payer_without_its_own_row_falls_back_and_the_trace_says_so():
    outcome = evaluate(case({"payer": "aetna", "service": {"code": "17000"}, "diagnoses": ["L57.0"]}))
    step = _step(outcome, "necessity")
    assert step.facts["payer_rows"] == "generic (*)"
    assert "Aetna has no row of its own for this service" in step.finding
    # a payer with its own rows says whose policy it is
    own = _step(evaluate(case({"payer": "aetna"})), "necessity")
    assert own.facts["payer_rows"] == "its own" and "Aetna's policy" in own.finding


def test_a_fifteen_or_more_chart_meets_the_more_than_ten_rule():
    # criteria.csv: ak-15-or-more implies ak-more-than-10
    outcome = evaluate(case({"payer": "independence-blue-cross",
                             "service": {"code": "15789", "charge": 900.0, "fee_schedule": 400.0},
                             "diagnoses": ["L57.0"],
                             "documentation.criteria": ["ak-15-or-more", "failed-topical-5fu-or-imiquimod"]}))
    assert outcome.decision == "covered"


def test_without_a_criteria_list_criteria_documented_means_all_of_them():
    assert evaluate(case({"payer": "bcbs-north-dakota"})).decision == "covered"
    denied = evaluate(case({"payer": "bcbs-north-dakota", "documentation.criteria_documented": False}))
    assert denied.primary_reason.label == "CO 50"


def test_advice_for_the_new_denials():
    referral = evaluate(case({"plan.type": "HMO", "plan.oon": None}))
    assert any("referral from the patient's primary care doctor" in s for s in referral.next_steps)
    acne = evaluate(case({"payer": "aetna", "service": {"code": "acne-light-therapy", "charge": 200.0},
                          "diagnoses": ["L70.0"]}))
    assert any("Aetna calls blue-light" in s and "waiver" in s for s in acne.next_steps)
    cosmetic = evaluate(case({"plan": {"type": "MEDICARE"}, "service": {"code": "botox-cosmetic"},
                              "diagnoses": ["Z41.1"]}))
    assert any("modifier GY" in s for s in cosmetic.next_steps)
    assert not any(s.startswith("Also fix") for s in cosmetic.next_steps)  # the exclusion is the whole story
    too_soon = evaluate(case({"plan": {"type": "MEDICARE"}, "accumulators.last_treatment": "2026-01-02"}))
    assert any("without an ABN" in s and "GZ" in s for s in too_soon.next_steps)
    nonpar = evaluate(case({"plan": {"type": "MEDICARE"}, "facility.participating": False}))
    assert any("limiting charge" in s and "$50.87" in s for s in nonpar.next_steps)


def test_the_trace_shows_how_medicare_priced_the_line():
    outcome = evaluate(case({"plan": {"type": "MEDICARE"}, "facility.participating": False}))
    cost = _step(outcome, "cost")
    assert "× 85% for an NP" in cost.finding and "× 95%" in cost.finding and "limiting charge" in cost.finding
    assert cost.facts["deductible"] == 283.0 and cost.facts["oop_max"] == "none (Original Medicare)"
    assert "Medicare Part B 2026 amounts" in cost.source


def test_a_preventive_line_says_why_it_costs_nothing():
    outcome = evaluate(case({"service": {"code": "G0447"}, "diagnoses": ["E66.812", "Z68.35"], "plan.copay": 40}))
    assert "a preventive service: no deductible, coinsurance or copay" in _step(outcome, "cost").finding


@pytest.mark.parametrize("day, warned", [("2026-09-30", False), ("2026-10-01", True), ("2025-09-30", True)])
def test_a_date_outside_the_code_set_is_checked_with_a_warning(day, warned):
    data = case({"date_of_service": day, "accumulators.last_treatment": None})
    outcome = evaluate(data)
    assert bool(outcome.warnings) == warned
    assert ("warning:" in outcome.steps[0].finding) == warned
    row = evaluate_frame(scenarios_to_frame([data])).iloc[0]
    assert (row["warning"] == outcome.warnings[0]) if warned else row["warning"] != row["warning"]  # NaN: none
    if warned:
        assert "FY2026: 2025-10-01 to 2026-09-30" in outcome.warnings[0]


def test_hair_removal_a_plan_covers_is_still_no_hsa_expense():
    outcome = evaluate(case({"service": {"code": "laser-hair-removal", "charge": 300.0}, "diagnoses": ["F64.0"]}))
    assert outcome.decision == "covered"  # gender dysphoria: the generic row, criteria and authorization on file
    assert outcome.hsa_fsa.status == "not_eligible"
    assert "Publication 502 lists electrolysis and hair removal" in outcome.hsa_fsa.reason


@pytest.mark.parametrize("changes, message", [
    ({"payer": "acme"}, "payer: 'acme' is not a payer the kit knows"),
    ({"payer": "medicare"}, "payer: 'medicare' goes with plan.type MEDICARE and only with it"),
    ({"plan": {"type": "MEDICARE"}, "payer": "aetna"}, "payer: 'aetna' is not Original Medicare"),
    ({"plan": {"type": "MEDICARE", "oop_max": 5000}}, "plan.oop_max: Original Medicare has no out-of-pocket maximum"),
    ({"plan": {"type": "MEDICARE", "copay": 20}}, "plan.copay: Original Medicare Part B charges coinsurance"),
    ({"plan": {"type": "MEDICARE"}, "date_of_service": "2027-02-01", "accumulators.last_treatment": None},
     "plan.deductible: the kit has Part B amounts for 2025, 2026, not 2027"),
    ({"plan": {"type": "PPO", "deductible": 500, "coinsurance": 0.2}}, "plan.oop_max: required field is missing"),
    ({"documentation.criteria": ["ak-more-than-ten"]}, "documentation.criteria[0]: 'ak-more-than-ten' is not a "
                                                        "criterion the kit knows"),
    ({"accumulators.history": [{"code": "64650", "date": "2026-03-09"}]},
     "accumulators.history[0].date: 2026-03-09 is after the date of service 2026-03-02"),
    ({"accumulators.history": [{"code": "11111", "date": "2026-01-09"}]},
     "accumulators.history[0].code: '11111' is not a billing code in the catalog"),
])
def test_bad_payer_and_program_input_is_an_error_naming_the_field(changes, message):
    with pytest.raises(ScenarioError, match="^" + message.replace("(", r"\(").replace(")", r"\)")
                       .replace(".", r"\.").replace("[", r"\[").replace("]", r"\]")):
        evaluate(case(changes))
    # the batch names the same field in the row's error cell
    row = evaluate_frame(scenarios_to_frame([case(changes)])).iloc[0]
    assert row["error"].startswith(message.split(":")[0])


def test_medicare_years_come_from_the_part_b_table():
    # 2025: deductible $257. A physician, charge 1,100, fee 420: 257 + 20 % of 163 = 32.60.
    outcome = evaluate(case({"plan": {"type": "MEDICARE"}, "provider.type": "MD", "provider.npi": "1749302851",
                             "date_of_service": "2025-11-03", "accumulators.last_treatment": None}))
    assert (outcome.cost.deductible, outcome.cost.coinsurance) == (25700, 3260)
