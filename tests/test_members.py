"""Per-member batches agree with the plan year run claim by claim.

2,000+ generated members, each a claim repeated on 1 to 8 dates (every plan type, in and out of
network, copays, Medicare, histories, yearly limits), go through ``evaluate_members`` as one table
with the members' rows shuffled, and through :func:`medspa_kit.year.run_year` one course at a
time; every result column of every row must agree.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from medspa_kit.columns import RESULT_COLUMNS, outcome_to_row, scenarios_to_frame
from medspa_kit.errors import ScenarioError
from medspa_kit.members import evaluate_members
from medspa_kit.batch import evaluate_frame
from medspa_kit.presets import preset
from medspa_kit.year import Course, run_year

from .builders import plain, plain_rows
from .scenario_factory import ScenarioFactory

MEMBERS = 2_000
# Underarm sweating in network: allowed $726 (the fee schedule), a $1,000 deductible, 20 %.
SWEATING = {"date_of_service": "2026-02-02", "service": {"code": "64650", "charge": 1100.0, "fee_schedule": 726.0},
            "diagnoses": ["L74.510"], "documentation": {"criteria_documented": True, "prior_auth": True},
            "provider": {"type": "MD", "credentialed": True},
            "facility": {"kind": "medical_clinic", "credentialed": True, "participating": True},
            "plan": {"type": "PPO", "deductible": 1000.0, "coinsurance": 0.2, "oop_max": 5000.0}}




def _courses(count: int, seed: int, claims: bool):
    factory = ScenarioFactory(seed=seed, histories="rare")
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        base = factory.claim() if claims else factory.scenario()
        first = dt.date.fromisoformat(base["date_of_service"])
        n = rng.randint(1, 8)
        # visits 1 to 120 days apart, some at the 84-day interval exactly, some too soon
        gaps = [rng.choice([rng.randint(1, 120), 84, 83, 90, 7]) for _ in range(n - 1)]
        dates = [first]
        for gap in gaps:
            dates.append(dates[-1] + dt.timedelta(days=gap))
        start = dt.date(first.year - 1, rng.choice([1, 1, 4, 7, 10]), 1)
        data = {"version": 2, "plan_year_start": start.isoformat(), "scenario": base,
                "dates": [d.isoformat() for d in dates]}
        try:
            year = run_year(Course.from_dict(data))
        except ScenarioError:  # e.g. a Medicare claim in a year without Part B amounts
            continue
        out.append((base, dates, start, year))
    return out


def _table(courses, claims: bool):
    records, members, starts, expected = [], [], [], []
    for m, (base, dates, start, year) in enumerate(courses):
        for d, claim in zip(dates, year.claims):
            data = copy.deepcopy(base)
            data["date_of_service"] = d.isoformat()
            if d != min(dates):  # a later claim's amounts met are carried: its cells are left empty
                data["accumulators"] = {k: v for k, v in (data.get("accumulators") or {}).items()
                                        if not k.endswith("_met")}
            records.append(data)
            members.append(f"M{m:05d}")
            starts.append(start.isoformat())
            o = claim.outcome
            expected.append([outcome_to_row(o, i) for i in range(len(o.lines))] if claims else [outcome_to_row(o)])
    rng = random.Random(7)
    order = list(range(len(records)))
    rng.shuffle(order)  # members interleaved, each member's claims out of date order
    frame = scenarios_to_frame([records[i] for i in order])
    if claims:
        claim_of_row = frame["claim_id"].to_numpy()
        frame["member_id"] = [members[order[c]] for c in claim_of_row]
        frame["plan_year_start"] = [starts[order[c]] for c in claim_of_row]
        rows = [row for i in order for row in expected[i]]
    else:
        frame["member_id"] = [members[i] for i in order]
        frame["plan_year_start"] = [starts[i] for i in order]
        rows = [expected[i][0] for i in order]
    return frame, rows


@pytest.mark.slow
@pytest.mark.parametrize("claims", [True, False], ids=["claims-with-lines", "one-line-claims"])
def test_per_member_batch_equals_the_claim_by_claim_plan_year(claims):
    courses = _courses(MEMBERS if claims else MEMBERS // 2, seed=15 if claims else 16, claims=claims)
    frame, expected = _table(courses, claims)
    result = evaluate_members(frame)
    got = plain_rows(result, RESULT_COLUMNS)
    want = [tuple(plain(row.get(c)) for c in RESULT_COLUMNS) for row in expected]
    mismatched = [i for i, (a, b) in enumerate(zip(got, want)) if a != b]
    assert not mismatched, (len(mismatched), got[mismatched[0]], want[mismatched[0]])
    assert len(got) == len(want)
    assert result.attrs["members"] == len(courses) and result.attrs["passes"] == 8
    # the test reaches what it is about: carried deductibles, capped years, frequency denials, resets
    plan_types = Counter(c[3].course.scenario.plan.type.value for c in courses)
    assert set(plan_types) == {"HMO", "EPO", "PPO", "POS", "HDHP", "MEDICARE"}
    claims_seen = [c for course in courses for c in course[3].claims]
    assert Counter(len(c[1]) for c in courses).keys() == set(range(1, 9))
    assert sum(1 for c in claims_seen if c.before.deductible_met > 0 and c.outcome.cost.deductible > 0) > 50
    assert sum(1 for c in claims_seen if c.outcome.primary_reason and c.outcome.primary_reason.carc == "151") > 20
    assert sum(1 for course in courses for a, b in zip(course[3].claims, course[3].claims[1:])
               if a.plan_year != b.plan_year) > 50


def test_a_members_second_visit_sees_the_deductible_the_first_used():
    base = copy.deepcopy(SWEATING)
    second = dict(copy.deepcopy(base), date_of_service="2026-08-03")
    frame = scenarios_to_frame([second, base, base])
    frame["member_id"] = ["ann", "ann", "bob"]
    out = evaluate_members(frame)
    # Ann in February: allowed $726, all deductible. In August: $274 of deductible left, then 20 % of
    # $452 = $90.40 → $364.40. Bob's February visit is his first: $726.
    assert list(out["patient_pays"]) == [364.40, 726.0, 726.0]
    assert list(out["deductible"]) == [274.0, 726.0, 726.0]


def test_text_cells_as_read_from_a_csv_file_carry_the_same_way():
    base = copy.deepcopy(SWEATING)
    frame = scenarios_to_frame([base, dict(copy.deepcopy(base), date_of_service="2026-08-03")])
    frame = frame.astype(object).where(frame.notna(), "").astype(str).astype("string")
    frame["accumulators.deductible_met"] = ["$900.00", "$0"]
    frame["accumulators.oop_met"] = ["900", ""]
    frame["member_id"] = ["ann", "ann"]
    out = evaluate_members(frame)
    # February: $100 of deductible left, then 20 % of $626 = $125.20 → $225.20 (out of pocket $1,125.20).
    # August: deductible met; 20 % of $726 = $145.20.
    assert list(out["patient_pays"]) == [225.20, 145.20]


def test_a_table_without_member_ids_is_refused():
    with pytest.raises(ScenarioError, match="member_id"):
        evaluate_members(pd.DataFrame({"date_of_service": ["2026-01-01"]}))


def test_a_plan_year_start_that_cannot_be_read_refuses_the_member_s_claims_in_every_face(tmp_path, capsys):
    from medspa_kit import preset
    from medspa_kit.cli import main

    visit = preset("botox-underarm-sweating")
    dates = ["2026-03-01", "2026-05-01", "2026-08-01", "2026-03-01", "2026-04-01", "2026-03-02", "2026-09-01"]
    frame = scenarios_to_frame([visit.with_changes({"date_of_service": d}) for d in dates]).astype(object)
    frame["member_id"] = ["A", "A", "A", "B", "B", "C", "C"]
    frame["plan_year_start"] = ["2026-01-01", "2026-07-01", "", "2026-13-01", "", "2025-07-01", ""]
    errors = evaluate_members(frame)["error"].tolist()
    two_starts = ("plan_year_start: this member's rows give 2026-01-01 and 2026-07-01 (a member has one plan "
                  "year: give the same start on every row, or leave it empty)")
    assert errors[:3] == [two_starts] * 3  # A: two starts, so no claim of A is priced
    assert errors[3] == "plan_year_start: '2026-13-01' is not an ISO date (YYYY-MM-DD)"
    assert errors[4] == "plan_year_start: another row of this member gives a start that cannot be read"
    assert pd.isna(errors[5]) and pd.isna(errors[6])  # C: the empty cell takes the member's 2025-07-01
    source, out = tmp_path / "members.csv", tmp_path / "out.csv"
    frame.to_csv(source, index=False)
    assert main(["batch", str(source), "-o", str(out), "-q", "--by-member"]) == 1
    assert pd.read_csv(out)["error"].notna().tolist() == [True] * 5 + [False] * 2
    capsys.readouterr()


def test_an_empty_plan_year_start_takes_the_one_the_member_s_other_rows_give():
    from medspa_kit import preset

    # a PPO with a $1,500 deductible, $1,400 met, allowed $726 a visit; the plan year starts on July 1.
    # Visit 1 (2026-05-01) pays the last $100 of the deductible. Visit 2 (2026-08-01) is in a new plan
    # year (from 2026-07-01): nothing met, so all $726 allowed go to the deductible. Were the empty cell read as
    # January 1, both visits would be in one year and visit 2 would pay $0 of deductible.
    visit = preset("botox-underarm-sweating").with_changes({"accumulators.deductible_met": 1400})
    frame = scenarios_to_frame([visit.with_changes({"date_of_service": d}) for d in ["2026-05-01", "2026-08-01"]])
    frame = frame.astype(object)
    frame["member_id"] = ["A", "A"]
    frame["plan_year_start"] = ["", "2025-07-01"]  # plan years from July 1: 2025-07-01, then 2026-07-01
    given = evaluate_members(frame)
    assert given["deductible"].tolist() == [100.0, 726.0]
    frame["plan_year_start"] = ["2025-07-01", "2025-07-01"]
    assert evaluate_members(frame)["deductible"].tolist() == [100.0, 726.0]


def test_member_ids_that_cannot_be_read_are_row_errors_and_a_claim_is_one_member_s():
    from medspa_kit import preset

    claim = preset("office-visit-on-procedure-day")  # two lines: 99213-25 and 17000
    frame = scenarios_to_frame([claim, claim]).astype(object)
    frame["member_id"] = ["m1", "m2", "m3", "m3"]
    errors = evaluate_members(frame)["error"].tolist()
    assert errors[:2] == ["member_id: the rows of one claim give 'm1' and 'm2' (a claim is one member's)"] * 2
    assert pd.isna(errors[2]) and pd.isna(errors[3])
    visits = scenarios_to_frame([preset("botox-underarm-sweating")] * 3).astype(object)
    visits["member_id"] = [{"a": 1}, [1], "x"]
    assert evaluate_members(visits)["error"].tolist()[:2] == ["member_id: a dict is no member id (text or a number)",
                                                               "member_id: a list is no member id (text or a number)"]
    with pytest.raises(ScenarioError, match="^table: expected a pandas DataFrame"):
        evaluate_members(None)


def test_list_and_record_cells_in_claim_id_and_dates_are_row_errors():
    from medspa_kit import evaluate_frame, preset
    from medspa_kit.columns import scenario_to_rows

    claim = pd.DataFrame(scenario_to_rows(preset("migraine-claim-with-discarded-units"), "C1"))  # three lines
    for cells, kind in [([{"a": 1}] * 3, "dict"), ([["x"]] * 3, "list")]:
        table = claim.assign(claim_id=cells, member_id="M1")
        expected = [f"claim_id: a {kind} is no claim id (text or a number)"] * 3
        assert evaluate_frame(table)["error"].tolist() == expected
        assert evaluate_members(table)["error"].tolist() == expected
    member = claim.assign(member_id="M1")
    assert evaluate_members(member.assign(plan_year_start=[{"d": 1}] * 3))["error"].tolist() == [
        "plan_year_start: {'d': 1} is not an ISO date (YYYY-MM-DD)"] * 3
    assert evaluate_members(member.assign(date_of_service=[{"a": 1}] * 3))["error"].tolist() == [
        "date_of_service: {'a': 1} is not an ISO date (YYYY-MM-DD)"] * 3


def test_a_plan_year_start_after_the_member_s_first_claim_is_refused_as_year_refuses_it():
    from medspa_kit import preset

    visit = preset("botox-underarm-sweating")
    frame = scenarios_to_frame([visit.with_changes({"date_of_service": d}) for d in ["2026-03-01", "2026-09-01"]])
    frame = frame.astype(object).assign(member_id="A", plan_year_start="2026-06-01")
    expected = ("plan_year_start: 2026-06-01 is after this member's first claim, 2026-03-01: give the start of the "
                "plan year that claim falls in")
    assert evaluate_members(frame)["error"].tolist() == [expected] * 2


def test_a_claim_that_cannot_be_read_is_named_on_the_member_s_later_claims():
    base = copy.deepcopy(SWEATING)
    frame = scenarios_to_frame([base, dict(copy.deepcopy(base), date_of_service="2026-05-03"),
                                dict(copy.deepcopy(base), date_of_service="2026-08-03"), base])
    frame["member_id"] = ["ann", "ann", "ann", "bob"]
    frame["plan.coinsurance"] = frame["plan.coinsurance"].astype(object)
    frame.loc[1, "plan.coinsurance"] = "abc"
    out = evaluate_members(frame)
    # Ann's May claim cannot be read, so August is priced as if it had not happened: February took
    # $726 of the $1,000 deductible, then $274 + 20 % of $452 = $364.40, and the row says so.
    assert list(out["patient_pays"].fillna(-1)) == [726.0, -1, 364.40, 726.0]
    assert out["error"].iat[1] == "plan.coinsurance: 'abc' is not a number"
    assert out["warning"].iat[2].startswith("an earlier claim of this member (2026-05-03) could not be read")
    assert out["warning"].isna().tolist() == [True, True, False, True]  # February came before; Bob is not Ann
    # a claim with no readable date is in no plan year: every other claim of the member says so
    frame.loc[1, "plan.coinsurance"] = 0.2
    frame["date_of_service"] = frame["date_of_service"].astype(object)
    frame.loc[1, "date_of_service"] = "2026-02-30"
    out = evaluate_members(frame)
    assert out["error"].iat[1].startswith("date_of_service: '2026-02-30' is not an ISO date")
    assert [str(w).startswith("a claim of this member has no readable date_of_service") for w in out["warning"]] == \
        [True, False, True, False]


def test_a_claim_whose_rows_are_apart_is_refused_by_member_as_in_any_batch():
    from medspa_kit.batch_cells import CLAIM_APART

    claims = scenarios_to_frame([preset(name).to_dict() for name in ("migraine-claim-with-discarded-units",
                                                                   "add-on-code-alone")])
    assert list(claims["claim_id"]) == [0, 0, 0, 1]
    frame = claims.iloc[[0, 1, 3, 2]].reset_index(drop=True).astype(object)  # claim 0's third line last
    frame["member_id"] = "M1"
    frame.loc[2, "date_of_service"] = "2026-05-04"
    out = evaluate_members(frame)
    # claim 0 is priced nowhere (in any batch its rows apart are refused), and claim 1 after it says
    # it was priced without it
    assert [e == CLAIM_APART for e in out["error"].fillna("")] == [True, True, False, True]
    assert out["claim_decision"].isna().tolist() == [True, True, False, True]
    assert str(out["warning"].iat[2]).startswith("an earlier claim of this member (2026-03-02) could not be read")
    plain = evaluate_frame(frame.drop(columns="member_id"))
    assert list(plain["error"].fillna("")) == list(out["error"].fillna(""))


def test_a_later_claim_s_accumulator_cell_that_says_otherwise_is_named_not_read():
    base = copy.deepcopy(SWEATING)
    frame = scenarios_to_frame([base, dict(copy.deepcopy(base), date_of_service="2026-05-20"),
                                dict(copy.deepcopy(base), date_of_service="2026-08-20")])
    frame["member_id"] = "ann"
    frame["accumulators.deductible_met"] = pd.Series([None, -1, 1000], dtype=object)
    out = evaluate_members(frame)
    # February took $726 of the deductible: May's -1 is not read (carried $726.00 instead), and
    # August's 1000 is what the year carries ($726 + $274), so it says nothing
    assert out["warning"].iat[1] == ("accumulators.deductible_met: the cell's -1 is not read; this member's "
                                     "earlier claims carry $726.00")
    assert out["warning"].isna().tolist() == [True, False, True]
    assert list(out["patient_pays"]) == [726.0, 364.40, 145.20]  # August: 20 % of $726


def test_a_later_claim_s_history_cell_naming_another_service_is_named_not_read():
    base = copy.deepcopy(SWEATING)  # 64650 on 2026-02-02, then on 2026-05-20 and 2026-08-20
    frame = scenarios_to_frame([base, dict(copy.deepcopy(base), date_of_service="2026-05-20"),
                                dict(copy.deepcopy(base), date_of_service="2026-08-20")])
    frame["member_id"] = "ann"
    # May repeats what the year carries (February's 64650): nothing to say. August names a 64650
    # on 2026-07-01 that no claim of this table holds: the carried history replaces it, and says so
    frame["accumulators.history"] = ["", "64650 2026-02-02", "64650 2026-02-02; 64650 2026-07-01"]
    out = evaluate_members(frame)
    assert out["warning"].isna().tolist()[:2] == [True, True]
    assert out["warning"].iat[2] == ("accumulators.history: the cell's '64650 2026-02-02; 64650 2026-07-01' is not "
                                     "read; this member's earlier claims carry '64650 2026-02-02; 64650 2026-05-20'")


@pytest.mark.parametrize("cell", [[5], ("x",), [None], np.array([7], dtype=object)])
def test_a_history_list_with_an_item_that_is_no_entry_is_named_on_any_claim(cell):
    base = copy.deepcopy(SWEATING)  # 64650 on 2026-02-02, then on 2026-05-20
    frame = scenarios_to_frame([base, dict(copy.deepcopy(base), date_of_service="2026-05-20")])
    frame["member_id"] = "ann"
    frame["accumulators.history"] = pd.Series([cell, ""], dtype=object)  # the first claim's: the state before it
    errors = evaluate_members(frame)["error"].tolist()
    assert errors[0].startswith("accumulators.history[0]: ") and "is not an earlier service" in errors[0]
    # the member's history before the year cannot be read: May, which would carry it, is not priced either
    assert errors[1].startswith("accumulators.history[0]: ") and "is not an earlier service" in errors[1]
    frame["accumulators.history"] = pd.Series(["", cell], dtype=object)  # a later claim's: replaced, and named
    out = evaluate_members(frame)
    assert out["error"].isna().all()
    assert out["warning"].iat[1].startswith("accumulators.history: the cell's ")
    assert out["warning"].iat[1].endswith("is not read; this member's earlier claims carry '64650 2026-02-02'")
