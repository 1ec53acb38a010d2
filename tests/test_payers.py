"""Payers and programs: what the trace, the next steps and the errors say (the dollars are the
hand-worked cases of tests/cases/claims.yaml, run through both engines by tests/test_engine.py)."""

from __future__ import annotations

import pytest

from medspa_kit import evaluate, evaluate_frame
from medspa_kit.columns import scenarios_to_frame
from medspa_kit.errors import ScenarioError

from .builders import case, claim

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
                             "documentation.criteria": ["ak-15-or-more", "failed-topical-5fu-or-imiquimod",
                                                        "photographs-and-letter"]}))
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


def test_medicare_does_not_follow_the_commercial_rows():
    # Aetna takes the generic rows for a service it has no row for; Original Medicare does not:
    # Botox for an eyelid spasm under Medicare is read against Medicare's own LCD row, which needs
    # no prior authorization (the commercial row does).
    bleph = case({"plan": {"type": "MEDICARE"}, "service": {"code": "64612"}, "diagnoses": ["G24.5"],
                  "documentation.prior_auth": False})
    assert evaluate(bleph).decision == "covered"
    assert evaluate(case({"service": {"code": "64612"}, "diagnoses": ["G24.5"],
                          "documentation.prior_auth": False})).primary_reason.label == "CO 197"
    # a service Medicare has no row for is not covered as necessary, and the trace says why
    massage = evaluate(case({"plan": {"type": "MEDICARE"}, "service": {"code": "97124"}, "diagnoses": ["M54.50"]}))
    step = _step(massage, "necessity")
    assert massage.primary_reason.label == "CO 50" and step.facts["payer_rows"] == "none"
    assert "does not follow the commercial rows" in step.finding


def test_a_clinic_not_enrolled_with_medicare_is_told_to_enroll():
    outcome = evaluate(case({"plan": {"type": "MEDICARE"}, "facility.credentialed": False,
                             "facility.participating": False}))
    assert "not enrolled with Medicare" in _step(outcome, "network").finding
    assert any("CMS-855B" in s and "private contract" in s for s in outcome.next_steps)
    assert not any("HMO" in s or "in-network clinic" in s for s in outcome.next_steps)
    enrolled = _step(evaluate(case({"plan": {"type": "MEDICARE"}, "facility.participating": False})), "network")
    assert enrolled.finding.startswith("the clinic is enrolled with Medicare and does not accept assignment")


def test_medicare_denies_a_line_billed_with_gy():
    # The injection is covered, but the clinic marked the drug line GY (excluded by law): Medicare
    # denies that line PR 96 and pays the rest.
    outcome = evaluate(claim([{"code": "64650"}, {"code": "J0585", "units": 100, "modifiers": ["GY"]}],
                             {"plan": {"type": "MEDICARE"}}))
    assert [line.decision for line in outcome.lines] == ["covered", "denied"]
    assert outcome.lines[1].reason.label == "PR 96" and outcome.lines[1].reason.rarc == "N425"
    assert "modifier GY" in _step(outcome, "statutory_exclusion").finding or any(
        "modifier GY" in s.finding for s in outcome.steps if s.step == "statutory_exclusion")


def test_a_weight_loss_program_under_medicare_cites_its_own_exclusion():
    outcome = evaluate(case({"plan": {"type": "MEDICARE"}, "service": {"code": "weight-loss-program"},
                             "diagnoses": ["E66.811", "Z68.32"]}))
    step = _step(outcome, "statutory_exclusion")
    assert outcome.primary_reason.label == "PR 96"
    assert "SSA §1860D-2(e)(2)(A)" in step.finding and "§1862(a)(10)" not in step.finding


def test_one_waiver_sentence_for_the_whole_claim():
    # Three lines denied for frequency, a waiver signed: $450 + $1,550 + $450 = $2,450, said once.
    outcome = evaluate(claim([{"code": "64615"}, {"code": "J0585", "units": 155},
                              {"code": "J0585", "units": 45, "modifiers": ["JW"]}],
                             {"diagnoses": ["G43.719"], "accumulators.last_treatment": "2026-01-15",
                              "documentation.waiver_signed": True}))
    waivers = [s for s in outcome.next_steps if "waiver" in s]
    assert waivers == ["The signed waiver lets the clinic bill the patient the full charge of the lines it covers "
                       "($2,450.00)."]
    assert outcome.cost.patient_pays == 245000


def test_preventive_care_has_nothing_to_collect():
    outcome = evaluate(case({"service": {"code": "G0447"}, "diagnoses": ["E66.812", "Z68.35"], "plan.copay": 40}))
    assert outcome.next_steps[0] == "Nothing to collect from the patient: the plan pays $95.00."


@pytest.mark.parametrize("changes, message", [
    ({"plan": {"type": "MEDICARE", "referral_required": True}}, "plan.referral_required: Original Medicare needs no"),
    ({"plan": {"type": "MEDICARE", "grandfathered": True}}, "plan.grandfathered: grandfathering is a rule of"),
    ({"plan": {"type": "MEDICARE", "hsa_qualified": True}}, "plan.hsa_qualified: Original Medicare is not an HSA"),
    ({"accumulators.history": [{"code": "64650", "date": "2026-03-02"}]},
     "accumulators.history[0].date: 2026-03-02 is the date of service 2026-03-02: list only earlier services"),
])
def test_more_program_input_errors_name_the_field(changes, message):
    with pytest.raises(ScenarioError) as err:
        evaluate(case(changes))
    assert str(err.value).startswith(message)
    row = evaluate_frame(scenarios_to_frame([case(changes)])).iloc[0]
    assert row["error"] == str(err.value)


@pytest.mark.parametrize("history, message", [
    (["G0447 2026-01-05"], "accumulators.history[0]: 'G0447 2026-01-05' is not an earlier service: write "
                           '{"code": "64615", "date": "2026-01-05"} (in a table cell: CODE YYYY-MM-DD pairs joined'),
    ([{"code": "G0447", "date": "2026-01-05", "units": 2}],
     "accumulators.history[0].units: unknown field 'units' (allowed: code, date)"),
])
def test_a_history_in_json_is_a_list_of_code_and_date_objects(history, message):
    # (in a table the same history is text, "G0447 2026-01-05", which reads well)
    with pytest.raises(ScenarioError) as err:
        evaluate(case({"accumulators.history": history}))
    assert str(err.value).startswith(message)


def test_ga_and_gz_on_one_line_is_an_input_error():
    with pytest.raises(ScenarioError, match=r"^lines\[0\]\.modifiers\[1\]: GZ says no ABN was signed and GA"):
        evaluate(claim([{"code": "64650", "modifiers": ["GA", "GZ"]}], {"plan": {"type": "MEDICARE"}}))
