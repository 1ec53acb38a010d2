"""Hostile inputs, sixth round: money shown the way the kit rounds it, a plan year that started a
century before the visits, and list arguments a notebook might pass that are no lists (a 0-d
numpy array; an iterable far too long to read). tests/test_public_arguments.py gives every
public argument these wrong kinds as well."""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pytest

from medspa_kit import clinic, evaluate, payments, preset
from medspa_kit.catalog import datasets_folder
from medspa_kit.cli import main
from medspa_kit.errors import EdiError, MedspaError, ScenarioError
from medspa_kit.money import format_dollars
from medspa_kit.year import load_course, plan_year_start, run_year


@pytest.mark.parametrize("dollars, decimals, shown", [
    (1234.5, 0, "$1,235"),        # half-up, as the docstring and docs/cost.md say (not half-even $1,234)
    (2.5, 0, "$3"),
    (0.125, 2, "$0.13"),          # 0.125 is exact in binary: half a cent rounds up
    (2.675, 2, "$2.68"),          # as written, though the float is 2.67499999…
    (-1234.5, 0, "−$1,235"),      # half away from zero for a negative amount
    (-0.001, 2, "$0.00"),         # an amount that rounds to zero has no sign
    (-0.005, 2, "−$0.01"),
    (Decimal("1.005"), 2, "$1.01"),
    (np.float32(0.1), 2, "$0.10"),
    (Decimal("NaN"), 2, "—"),
    (Decimal("sNaN"), 2, "—"),    # a signalling NaN cannot even be compared: it is an empty value too
])
def test_format_dollars_rounds_half_up_from_the_number_as_written(dollars, decimals, shown):
    assert format_dollars(dollars, decimals) == shown


def _course_file(tmp_path, start):
    course = json.loads((datasets_folder() / "courses" / "chronic-migraine-every-12-weeks.json").read_text())
    course["plan_year_start"] = start
    path = tmp_path / "course.json"
    path.write_text(json.dumps(course))
    return path


def test_a_plan_year_that_started_a_century_before_the_visits_runs_in_every_face(tmp_path, capsys):
    # the plan year starts each January 1 (anniversaries of 1925-01-01); the first visit,
    # 2026-01-05, falls in the plan year of 2026-01-01, the 101st anniversary
    path = _course_file(tmp_path, "1925-01-01")
    table = run_year(load_course(path)).table()
    assert list(table["plan_year"])[:1] == [101]
    assert str(table["plan_year_start"].iloc[0]) == "2026-01-01"
    assert main(["year", str(path)]) == 0
    assert "Plan year from 1925-01-01" in capsys.readouterr().out
    course = load_course(path)
    assert str(plan_year_start(course, 299)) == "2224-01-01"  # 1900 to 2199: at most 299 anniversaries
    with pytest.raises(ScenarioError, match="^index: 300 is not a whole number from 0 to 299$"):
        plan_year_start(course, 300)


def test_the_same_course_from_its_first_plan_year_costs_the_same(tmp_path):
    # a start 101 years earlier on the same day of the year is the same plan year: same dollars
    early = run_year(load_course(_course_file(tmp_path, "1925-01-01"))).totals
    late = run_year(load_course(_course_file(tmp_path, "2026-01-01"))).totals
    assert early == late


def test_list_arguments_that_are_no_lists_are_named():
    from medspa_kit.edi import claim_837p
    from medspa_kit.lessons import policy_table
    from medspa_kit.payments import default_issue_date
    from medspa_kit.year import denial_note, patient_options

    with pytest.raises(ScenarioError, match=r"^plan_ids: expected a list of plan ids .*got ndarray$"):
        patient_options(np.array(5.0))
    with pytest.raises(EdiError, match=r"^claims: expected a list of \(claim id, Outcome\) pairs or one Outcome, "
                                       r"got ndarray$"):
        claim_837p(np.array(5.0))
    with pytest.raises(ScenarioError, match="^procedures: more than 1,000 service ids: give at most 1,000$"):
        policy_table(range(10**12))  # refused at its bound, never listed whole
    with pytest.raises(MedspaError, match="^holidays: more than 1,000,000 dates: give at most 1,000,000$"):
        day = preset("botox-forehead-lines").date_of_service
        default_issue_date(day, day, holidays=iter(range(10**12)))
    with pytest.raises(ScenarioError, match="^row: expected a row of compare_plans, got range$"):
        denial_note(range(10**12))  # `"denied" in range(…)` would count through it


def test_a_missing_date_for_an_x12_file_is_named():
    import pandas as pd
    from medspa_kit.edi import claim_837p, remittance_835

    outcome = evaluate(preset("botox-underarm-sweating"))
    with pytest.raises(EdiError, match=r"^created: the date is missing \(NaT\)"):
        claim_837p(outcome, pd.NaT)
    with pytest.raises(EdiError, match=r"^paid_on: the date is missing \(NaT\)"):
        remittance_835(outcome, pd.NaT)


def test_a_batch_by_member_answers_each_claim_in_its_835_as_it_was_priced(tmp_path, capsys):
    # One member, two visits of chronic-migraine Botox (64615 + J0585 × 155 + 45 wasted, JW) on a
    # PPO with a $1,000 deductible, 20 % and a $1,500 out-of-pocket maximum; each visit is
    # allowed $1,472.00 of $2,450.00 charged.
    #   C1: $1,000 deductible + 20 % of $472 = $94.40 → patient $1,094.40, plan $377.60
    #   C2: deductible met, 20 % of $1,472 = $294.40 (out-of-pocket $1,388.80 < $1,500)
    #       → patient $294.40, plan $1,177.60; the payment is $377.60 + $1,177.60 = $1,555.20
    # (priced from its own cells, C2 would pay the deductible again: plan $377.60, payment $755.20)
    claim = ("{id},{day},G43.719,true,true,DO,1482619370,true,medical_clinic,11,true,true,PPO,1000,0.2,0,1500,"
             "{code},{units},{modifiers},M1")
    lines = [("64615", 1, ""), ("J0585", 155, ""), ("J0585", 45, "JW")]
    rows = [claim.format(id=i, day=d, code=c, units=u, modifiers=m)
            for i, d in (("C1", "2026-01-05"), ("C2", "2026-03-30")) for c, u, m in lines]
    source = tmp_path / "visits.csv"
    source.write_text("claim_id,date_of_service,diagnoses,documentation.criteria_documented,documentation.prior_auth,"
                      "provider.type,provider.npi,provider.credentialed,facility.kind,facility.place_of_service,"
                      "facility.credentialed,facility.participating,plan.type,plan.deductible,plan.coinsurance,"
                      "plan.copay,plan.oop_max,line.code,line.units,line.modifiers,member_id\n" + "\n".join(rows) + "\n")
    out, answer = tmp_path / "out.csv", tmp_path / "out.835"
    assert main(["batch", str(source), "-o", str(out), "--by-member", "--remittance", str(answer), "-q"]) == 0
    capsys.readouterr()
    segments = answer.read_text().split("~")
    claims = [s.strip().split("*")[:5] for s in segments if s.strip().startswith("CLP*")]
    assert claims == [["CLP", "C1", "1", "2450.00", "377.60"], ["CLP", "C2", "1", "2450.00", "1177.60"]]
    assert [s.strip().split("*")[5] for s in segments if s.strip().startswith("CLP*")] == ["1094.40", "294.40"]
    assert [s.strip().split("*")[2] for s in segments if s.strip().startswith("BPR*")] == ["1555.20"]
    import pandas as pd
    table = pd.read_csv(out).groupby("claim_id")["plan_pays"].sum().round(2).to_dict()
    assert table == {"C1": 377.6, "C2": 1177.6}  # the output and the 835 say the same


def test_a_visits_table_naming_a_column_twice_is_refused_by_the_clinic_decision_as_by_the_batch():
    import pandas as pd
    from medspa_kit import evaluate_frame
    from medspa_kit.clinic import compare, load_visits

    visits = load_visits().head(5)
    twice = pd.concat([visits, visits[["service.code"]]], axis=1)
    for face in (compare, evaluate_frame):
        with pytest.raises(ScenarioError, match="^service.code: the column is given twice: a table names each "
                                                "column once$"):
            face(twice)


def test_rank_options_takes_the_tax_rates_compare_plans_takes():
    from medspa_kit.year import patient_options, preset_course, rank_options

    course = preset_course("chronic-migraine-every-12-weeks")
    options = patient_options(("hdhp-hsa",), None)
    # the HSA's saving grows with the tax rates: a higher federal rate, a lower net cost
    low = rank_options(course, options, federal=0.10)["net_cost"].iloc[0]
    high = rank_options(course, options, federal=0.32)["net_cost"].iloc[0]
    assert high < low
    with pytest.raises(MedspaError, match="^federal: .no. is not a number$"):
        rank_options(course, options, federal="no")


@pytest.mark.parametrize("column, example", [("plan", "plan.type"), ("service", "service.code"),
                                             ("accumulators", "accumulators.deductible_met"),
                                             ("lines", "line.code"), ("documentation", "documentation.")])
def test_a_column_named_like_a_part_of_the_scenario_is_refused_not_carried(column, example):
    # a column "plan" holding "hdhp-hsa" was carried like visit_id and read by no rule: the rows
    # were priced on the plan.* columns without a word
    from medspa_kit import evaluate_frame
    from medspa_kit.clinic import load_visits

    visits = load_visits().head(2).assign(**{column: "hdhp-hsa"})
    with pytest.raises(ScenarioError, match=f"^{column}: a part of the scenario, not one column: .*such as "
                                            f"{example}"):
        evaluate_frame(visits)


def test_a_client_file_name_with_a_direction_override_is_refused():
    from medspa_kit.client_data import checked_file_name

    assert checked_file_name("client prices (2026).csv") == "client prices (2026).csv"
    with pytest.raises(ScenarioError, match=r"^name: .* is no file name \(1 to 200 printable characters"):
        checked_file_name("\u202ecsv.exe")  # shown reversed: "exe.vsc"


def test_a_client_file_larger_than_any_rule_table_is_refused_at_once():
    from medspa_kit.client_data import apply_prices
    from medspa_kit.errors import DatasetError

    header = (datasets_folder() / "sample_client_prices.csv").read_text().splitlines()[0]
    huge = (header + "\n" + "x" * 10_000_001).encode()  # one byte past 10,000,000: refused by its size
    for data in (huge, huge.decode()):
        with pytest.raises(DatasetError, match="is (larger|longer) than 10,000,000"):
            apply_prices(data, name="client_prices.csv")


@pytest.mark.parametrize("call, message", [
    (lambda d: payments.installment(d, 0.1, 12), "amount: 1E-400 has a fraction of a cent"),
    (lambda d: payments.installment(1000, d, 12), "apr: 1E-400 is too small to read (not 0)"),
    (lambda d: clinic.default_assumptions().with_changes(cash_uptake=d),
     "cash_uptake: 1E-400 is too small to read (not 0)"),
])
def test_a_decimal_too_small_for_a_float_is_named_for_what_it_is(call, message):
    # Decimal("1E-400") is a number, though no float holds it: it was called "not a number"
    with pytest.raises(MedspaError) as caught:
        call(Decimal("1E-400"))
    assert str(caught.value) == message


def test_a_date_inside_a_0d_array_is_shown_as_the_array_it_is():
    # the message showed the date it held and called it no date: "datetime.date(2026, 3, 1) is not an ISO date"
    with pytest.raises(payments.PaymentError) as caught:
        payments.check_bill(500, 1000, np.array(np.datetime64("2026-03-01")))
    assert str(caught.value) == "bill_date: array('2026-03-01', dtype='datetime64[D]') is not an ISO date (YYYY-MM-DD)"
