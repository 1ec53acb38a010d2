"""A plan year: a course of claims carrying the deductible, the out-of-pocket cap and the history.

The dollars are worked out by hand from docs/cost.md. The migraine claim has three lines:
64615 (charge $450, fee $170), J0585 × 155 (charge $1,550, fee 155 × $6.51 = $1,009.05) and
J0585-JW × 45 (charge $450, fee 45 × $6.51 = $292.95): charge $2,450, allowed $1,472.00, and
the clinic writes off $2,450 − $1,472 = $978.00 (CO 45) on every paid claim.
"""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medspa_kit.cli import main
from medspa_kit.errors import ScenarioError
from medspa_kit.year import (Cash, Course, compare_plans, course_names, denial_note, patient_options, plan_options,
                             preset_course, rank_options, run_year)

MIGRAINE_LINES = [{"code": "64615"}, {"code": "J0585", "units": 155}, {"code": "J0585", "units": 45, "modifiers": ["JW"]}]
PPO = {"type": "PPO", "covered_places_of_service": ["11"], "deductible": 1000.0, "coinsurance": 0.2, "copay": 0.0,
       "oop_max": 1500.0, "oon": None, "hsa_qualified": False}
# Every 12 weeks (84 days) from January 5, then a visit booked 80 days after September 14.
DATES = ["2026-01-05", "2026-03-30", "2026-06-22", "2026-09-14", "2026-12-03"]


def migraine_course(plan=PPO, dates=DATES, **scenario) -> dict:
    return {"version": 2, "plan_year_start": "2026-01-01", "dates": list(dates), "scenario": {
        "version": 2, "lines": copy.deepcopy(MIGRAINE_LINES), "diagnoses": ["G43.719"],
        "documentation": {"criteria_documented": True, "prior_auth": True},
        "provider": {"type": "DO", "npi": "1482619370", "credentialed": True},
        "facility": {"kind": "medical_clinic", "place_of_service": "11", "credentialed": True, "participating": True},
        "plan": copy.deepcopy(plan), **scenario}}


def dollars(year, name):
    return [getattr(c.outcome.cost, name) / 100 for c in year.claims]


def test_a_migraine_course_on_a_ppo_meets_the_deductible_then_the_cap_then_is_denied_for_frequency():
    year = run_year(Course.from_dict(migraine_course()))
    # Claim 1: deductible $1,000 = $170 (64615) + $830 of J0585; coinsurance 20 % of the rest:
    #   J0585 20 % × $179.05 = $35.81, JW 20 % × $292.95 = $58.59 → $1,000 + $94.40 = $1,094.40.
    # Claim 2: 20 % × ($170, $1,009.05, $292.95) = $34.00 + $201.81 + $58.59 = $294.40
    #   (out of pocket $1,388.80, under the $1,500 cap).
    # Claim 3: $111.20 left under the cap: $34.00, then $77.20 of J0585's $201.81, then $0 → $111.20.
    # Claim 4: the cap is reached: the plan pays the whole allowed $1,472.00.
    # Claim 5, 80 days after September 14 (the policy wants 84): CO 151, in network the clinic absorbs it.
    assert dollars(year, "deductible") == [1000.0, 0.0, 0.0, 0.0, 0.0]
    assert dollars(year, "patient_pays") == [1094.40, 294.40, 111.20, 0.0, 0.0]
    assert dollars(year, "plan_pays") == [377.60, 1177.60, 1360.80, 1472.00, 0.0]
    assert dollars(year, "provider_writeoff") == [978.0, 978.0, 978.0, 978.0, 2450.0]
    last = year.claims[-1].outcome
    assert (last.decision, last.primary_reason.label) == ("denied", "CO 151")
    assert [c.outcome.decision for c in year.claims[:4]] == ["covered"] * 4
    # Totals: patient $1,500.00 (the cap), plan $4,388.00, write-off 4 × $978 + $2,450 = $6,362.00;
    # 5 × $2,450 = $12,250 = $4,388 + $1,500 + $6,362.
    totals = year.totals.to_dict()
    assert (totals["patient_pays"], totals["plan_pays"], totals["provider_writeoff"], totals["charge"]) == (
        1500.0, 4388.0, 6362.0, 12250.0)
    table = year.table()
    assert list(table["patient_so_far"]) == [1094.40, 1388.80, 1500.0, 1500.0, 1500.0]
    assert list(table["oop_met"]) == [1094.40, 1388.80, 1500.0, 1500.0, 1500.0]
    assert list(table["deductible_met"]) == [1000.0] * 5


def test_the_same_course_on_an_hdhp_with_an_hsa_shows_the_tax_saving():
    hdhp = plan_options()["hdhp-hsa"]  # deductible $3,000, 20 %, out-of-pocket max $6,500, HSA-qualified
    course = Course.from_dict(migraine_course())
    year = run_year(course.with_plan(hdhp))
    # Claims 1 and 2: the whole $1,472.00 goes to the deductible ($2,944.00 met).
    # Claim 3: $56.00 of deductible on 64615, then 20 % × $114 = $22.80, J0585 $201.81, JW $58.59 → $339.20.
    # Claim 4: $294.40. Claim 5: CO 151, $0. Patient: $1,472 + $1,472 + $339.20 + $294.40 = $3,577.60.
    assert dollars(year, "patient_pays") == [1472.0, 1472.0, 339.20, 294.40, 0.0]
    assert dollars(year, "plan_pays") == [0.0, 0.0, 1132.80, 1177.60, 0.0]
    table = compare_plans(course, {"PPO": PPO, "HDHP with HSA": hdhp, "cash, 10 % package": Cash(discount=0.1)},
                          federal=0.22, state=0.05, payroll=True).set_index("option")
    # Through payroll the HSA saves 22 % + 5 % + 7.65 % = 34.65 %: $3,577.60 × 0.3465 = $1,239.6384 → $1,239.64,
    # so the year costs $3,577.60 − $1,239.64 = $2,337.96.
    assert table.loc["HDHP with HSA", "patient_pays"] == 3577.60
    assert table.loc["HDHP with HSA", "hsa_tax_saving"] == 1239.64
    assert table.loc["HDHP with HSA", "net_cost"] == 2337.96
    assert table.loc["PPO", "hsa_tax_saving"] == 0.0 and table.loc["PPO", "net_cost"] == 1500.0
    # Cash: 5 visits × $2,450 = $12,250, less 10 % = $11,025.00; the $1,225.00 off is a cash discount, not a
    # write-off (no claim was filed, so there is no CO 45).
    assert table.loc["cash, 10 % package", "patient_pays"] == 11025.0
    assert table.loc["cash, 10 % package", ["charge", "provider_writeoff", "cash_discount"]].tolist() == [
        12250.0, 0.0, 1225.0]
    # every option's charge is what plan, patient and clinic share between them
    assert ((table["plan_pays"] + table["patient_pays"] + table["provider_writeoff"] + table["cash_discount"]).round(2)
            == table["charge"]).all()
    assert list(table.loc["HDHP with HSA", ["claims", "covered", "denied"]]) == [5, 4, 1]


def test_the_accumulators_reset_on_the_anniversary_but_the_history_stays():
    # A plan year from July 1: the claims of 2026-06-22 and 2026-09-14 fall in different plan years.
    data = migraine_course(dates=["2026-03-30", "2026-06-22", "2026-09-14"])
    data["plan_year_start"] = "2025-07-01"
    year = run_year(Course.from_dict(data))
    assert [c.plan_year for c in year.claims] == [0, 0, 1]
    # March: $1,094.40 (as claim 1 above); June: $294.40; September: a new year, the deductible again.
    assert dollars(year, "patient_pays") == [1094.40, 294.40, 1094.40]
    assert year.claims[2].before.deductible_met == 0
    assert len(year.claims[2].before.history) == 6  # both earlier claims' three lines


def test_the_starting_accumulators_and_history_count():
    # $900 of the deductible met before the year's first claim, and a 64615 on 2025-12-01 (35 days before).
    data = migraine_course(dates=["2026-01-05", "2026-03-30"], accumulators={
        "deductible_met": 900.0, "oop_met": 900.0, "history": [{"code": "64615", "date": "2025-12-01"}]})
    year = run_year(Course.from_dict(data))
    assert [c.outcome.primary_reason.label if c.outcome.primary_reason else "" for c in year.claims] == ["CO 151", ""]
    # The denied first claim used none of the deductible: the second pays $100 of it on 64615, then 20 % of
    # $70 = $14.00, J0585 $201.81, JW $58.59 → $374.40.
    assert dollars(year, "patient_pays") == [0.0, 374.40]


def test_out_of_network_claims_use_the_out_of_network_accumulators():
    plan = dict(PPO, oon={"deductible": 2000.0, "coinsurance": 0.4, "oop_max": 4000.0, "allowed_pct": 1.0})
    data = migraine_course(plan=plan, dates=["2026-01-05", "2026-03-30"])
    data["scenario"]["facility"]["participating"] = False
    year = run_year(Course.from_dict(data))
    # Allowed $1,472 out of network; claim 1: all deductible; claim 2: $528 deductible, then 40 % of
    # $944 = $377.60 ($68 on 64615's last $170 − $0 ... per line: 64615 $170 ded; J0585 $358 ded + 40 % × $651.05
    # = $260.42; JW 40 % × $292.95 = $117.18) → $528 + $260.42 + $117.18 = $905.60. Balance bill $978 each.
    assert dollars(year, "deductible") == [1472.0, 528.0]
    assert dollars(year, "patient_pays") == [1472.0 + 978.0, 905.60 + 978.0]
    assert year.claims[1].before.oon_deductible_met == 147200 and year.claims[1].before.deductible_met == 0


def test_the_json_of_the_year_command(capsys):
    assert main(["year", "--preset", "underarm-sweating-twice-a-year", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [c["date_of_service"] for c in out["claims"]] == ["2026-02-02", "2026-08-03"]
    assert set(out["totals"]) == {"charge", "allowed", "deductible", "coinsurance", "copay", "plan_pays",
                                  "patient_pays", "provider_writeoff", "balance_bill"}
    assert out["totals"]["patient_pays"] == sum(c["cost"]["patient_pays"] for c in out["claims"])
    assert main(["year", "--preset", "underarm-sweating-twice-a-year"]) == 0
    assert "Patient pays" in capsys.readouterr().out


@pytest.mark.parametrize("change,field", [
    ({"dates": []}, "dates"),
    ({"dates": ["2026-01-05", "2026-01-05"]}, "dates[1]"),
    ({"dates": ["2026-13-01"]}, "dates[0]"),
    ({"plan_year_start": "soon"}, "plan_year_start"),
    ({"colour": "blue"}, "colour"),
    ({"version": 1}, "version"),
    ({"scenario": "none"}, "scenario"),
])
def test_a_bad_course_is_one_clear_error(change, field, tmp_path, capsys):
    data = dict(migraine_course(), **change)
    with pytest.raises(ScenarioError) as err:
        Course.from_dict(data)
    assert err.value.field == field
    path = tmp_path / "course.json"
    path.write_text(json.dumps(data))
    assert main(["year", str(path)]) == 2
    line = capsys.readouterr().err
    assert line.startswith(f"medspa-kit: {field}:") and line.count("\n") == 1


@pytest.mark.parametrize("date,message", [
    ("2026-02-31", "scenario.date_of_service: '2026-02-31' is not an ISO date"),
    ("2026-05-01", "scenario.date_of_service: 2026-05-01 is not read: each visit gives its date (dates); leave it out"),
])
def test_a_scenario_date_in_a_course_is_refused_not_ignored(date, message, tmp_path, capsys):
    path = tmp_path / "course.json"
    path.write_text(json.dumps(migraine_course(date_of_service=date)))
    assert main(["year", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"medspa-kit: {message}") and err.count("\n") == 1


def test_a_scenario_date_equal_to_the_first_visit_is_accepted_and_not_written_back():
    course = Course.from_dict(migraine_course(date_of_service="2026-01-05"))
    assert course.dates[0].isoformat() == "2026-01-05"
    assert "date_of_service" not in course.to_dict()["scenario"]


def test_the_text_view_of_a_year_shows_the_code_set_warning_once_per_date(tmp_path, capsys):
    # the bundled ICD-10-CM code set is FY2026 (2025-10-01 to 2026-09-30): 2026-09-14 is inside, 2026-12-03 not
    path = tmp_path / "course.json"
    path.write_text(json.dumps(migraine_course(dates=["2026-09-14", "2026-12-03"])))
    assert main(["year", str(path)]) == 0
    warnings = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Warning: ")]
    assert warnings == ["Warning: the date of service 2026-12-03 is outside the ICD-10-CM code set the kit carries "
                        "(FY2026: 2025-10-01 to 2026-09-30); the codes were checked against FY2026, and a code may "
                        "have changed since: check the current code set"]


def test_a_bad_claim_in_the_course_names_the_scenario_field():
    data = migraine_course()
    data["scenario"]["plan"]["coinsurance"] = 1.5
    with pytest.raises(ScenarioError) as err:
        Course.from_dict(data)
    assert err.value.field == "scenario.plan.coinsurance"
    data = migraine_course(accumulators={"history": [{"code": "64615", "date": "2026-02-01"}]})
    with pytest.raises(ScenarioError, match="accumulators.history"):
        Course.from_dict(data)


def test_the_bundled_courses_run_and_round_trip():
    assert course_names() == ["chronic-migraine-every-12-weeks", "underarm-sweating-twice-a-year"]
    for name in course_names():
        course = preset_course(name)
        assert Course.from_dict(course.to_dict()) == course
        assert run_year(course).totals.patient_pays > 0
    with pytest.raises(ScenarioError, match="not a course"):
        preset_course("nope")


def test_a_plan_that_denies_every_claim_is_not_ranked_cheapest():
    # The Local HMO pays a specialist only with a referral; the migraine course has none, so each of the
    # 5 claims is denied CO 288 and the clinic absorbs 5 × $2,450 = $12,250: the patient's $0 is no price.
    course = preset_course("chronic-migraine-every-12-weeks")
    options = patient_options(("hmo-local", "ppo-standard"), cash_discount=0.1)
    ranked = rank_options(course, options)
    hmo = ranked.set_index("option").loc["Local HMO"]
    assert (hmo["claims"], hmo["denied"], hmo["net_cost"], hmo["provider_writeoff"]) == (5, 5, 0.0, 12250.0)
    assert hmo["denial_reasons"] == "CO 288: No referral on file"
    # The PPO's year: $1,472 + $316.80 + 3 × $294.40 = $2,672.00, below cash's $11,025.00: it ranks first,
    # and the HMO, though $0, ranks last.
    assert list(ranked["option"]) == ["Standard PPO", "cash, 10 % package", "Local HMO"]
    assert denial_note(hmo) == "5 of 5 claims denied (CO 288: No referral on file)"
    assert denial_note(ranked.iloc[0]) == ""


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(["hmo-local", "pos-choice", "ppo-standard", "hdhp-hsa", "epo-basic"]), min_size=1,
                max_size=4, unique=True), st.sampled_from([None, 0.0, 0.3]))
def test_no_option_with_denied_claims_ranks_above_one_without(plans, discount):
    ranked = rank_options(preset_course("chronic-migraine-every-12-weeks"), patient_options(plans, discount))
    denies = list(ranked["denied"] > 0)
    assert denies == sorted(denies)  # False (pays) before True (denies)


@pytest.mark.parametrize("title", ["=HYPERLINK()\u202e\u0000", "two\nlines", "zero\u200bwidth", "x" * 201])
def test_a_course_title_with_hidden_marks_or_too_long_is_refused(title):
    data = {**migraine_course(), "title": title}
    with pytest.raises(ScenarioError, match=r"^title: .* is not a title: at most 200 printable characters"):
        Course.from_dict(data)


@pytest.mark.parametrize("course", [{"dates": []}, None, "chronic-migraine-every-12-weeks"])
def test_run_year_refuses_anything_but_a_course(course):
    with pytest.raises(ScenarioError, match=f"expected a Course .*got {type(course).__name__}$") as err:
        run_year(course)
    assert err.value.field == "course"


@pytest.mark.parametrize("label", [None, 5, b"x", " "])
def test_an_option_whose_label_is_no_text_is_refused(label):
    # it was taken: an option named None, 5 or b'x' in the table (and one whose repr fails broke printing it)
    course = preset_course("chronic-migraine-every-12-weeks")
    with pytest.raises(ScenarioError, match=r"is not an option's label \(a text such as 'PPO' or 'Cash'\)$") as err:
        compare_plans(course, {"PPO": plan_options()["ppo-standard"], label: Cash()})
    assert err.value.field == "options"


def test_an_option_named_by_plan_id_is_refused_with_where_its_plan_object_is():
    course = preset_course("chronic-migraine-every-12-weeks")
    with pytest.raises(ScenarioError) as err:
        compare_plans(course, {"x": "ppo-standard"})
    assert err.value.field == "options['x']"
    assert "'ppo-standard' is not a plan object" in str(err.value) and "plan_options()['ppo-standard']" in str(err.value)
    # what the message points to is accepted
    assert list(compare_plans(course, {"x": plan_options()["ppo-standard"]})["option"]) == ["x"]


@pytest.mark.parametrize("options, field", [(["ppo-standard"], "options"), ({"cash": 0.1}, "options['cash']"),
                                            ({"x": None}, "options['x']")])
def test_options_that_are_no_plans_are_refused_before_any_claim_is_run(options, field):
    with pytest.raises(ScenarioError) as err:
        rank_options(preset_course("chronic-migraine-every-12-weeks"), options)
    assert err.value.field == field


def test_with_plan_refuses_a_plan_that_is_no_mapping():
    with pytest.raises(ScenarioError, match="^plan: 'ppo-standard' is not a plan object") as err:
        preset_course("chronic-migraine-every-12-weeks").with_plan("ppo-standard")
    assert err.value.field == "plan"
