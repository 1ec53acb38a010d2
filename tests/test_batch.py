"""``evaluate_frame``: hand-worked rows, invalid rows, the table's own problems, kinds of columns."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medspa_kit import evaluate, evaluate_frame
from medspa_kit.columns import RESULT_COLUMNS, outcome_to_row, scenario_to_row, scenarios_to_frame
from medspa_kit.errors import ScenarioError

from .builders import BASE
from .builders import case as _case
from .builders import scenarios


def test_three_hand_worked_rows():
    frame = scenarios_to_frame([
        BASE,
        _case(**{"accumulators.deductible_met": 1500.0}),
        _case(diagnoses=["Z41.1"]),
    ])
    out = evaluate_frame(frame)
    assert list(out.columns) == list(RESULT_COLUMNS)
    # The worked example: allowed min(1100, 420) = 420, all of it deductible (nothing met); CO 45 = 680.
    assert out.loc[0, ["allowed", "deductible", "plan_pays", "patient_pays", "provider_writeoff"]].tolist() == [
        420.0, 420.0, 0.0, 420.0, 680.0]
    # Deductible met: coinsurance 20 % × 420 = 84.00; the plan pays 336.00.
    assert out.loc[1, ["deductible", "coinsurance", "plan_pays", "patient_pays"]].tolist() == [0.0, 84.0, 336.0, 84.0]
    # Z41.1: PR 204, the patient owes the whole 1,100.00.
    row = out.loc[2]
    assert (row.decision, row.network, row.reason_group, row.reason_carc) == ("denied", "in", "PR", "204")
    assert (row.reason_text, row.patient_pays, row.plan_pays) == ("Not a covered benefit", 1100.0, 0.0)
    assert out["error"].isna().all() and out.attrs["errors"] == 0


def test_invalid_rows_get_the_parsers_message_and_empty_results():
    rows = [BASE, _case(**{"plan.coinsurance": 1.5}), BASE, _case(diagnoses=["L74.5"])]
    out = evaluate_frame(scenarios_to_frame(rows), )
    assert out.attrs == {"rows": 4, "errors": 2, "rechecked": 2}
    assert out.loc[1, "error"].startswith("plan.coinsurance: 1.5 is not a rate between 0 and 1")
    assert out.loc[3, "error"].startswith("diagnoses[0]: 'L74.5' (Focal hyperhidrosis) is a category")
    assert out.loc[[1, 3], list(RESULT_COLUMNS[:-1])].isna().all().all()
    assert out.loc[[0, 2], "patient_pays"].tolist() == [420.0, 420.0]  # no good row lost


def test_the_version_column_is_read_as_the_parser_reads_it():
    frame = scenarios_to_frame([BASE, BASE, BASE, BASE])
    frame["version"] = pd.Series([1.0, None, 3.0, True], dtype=object)
    out = evaluate_frame(frame)
    assert out["error"].isna().tolist() == [True, True, False, False]
    assert out.loc[2, "error"].startswith("version: 3 is not supported (expected 1 or 2)")
    assert out.loc[3, "error"].startswith("version: True is not supported (expected 1 or 2)")


def test_true_is_no_number_even_next_to_one_in_a_column_of_objects():
    # True == 1.0 and both hash alike: read once per distinct cell, they must still stay apart.
    frame = scenarios_to_frame([BASE, BASE, BASE])
    frame["plan.deductible"] = pd.Series([1.0, True, 0], dtype=object)
    out = evaluate_frame(frame)
    assert out["error"].isna().tolist() == [True, False, True]
    assert out.loc[1, "error"].startswith("plan.deductible: True is not a number")
    # Allowed 420.00. A 1.00 deductible: 1.00, then 20 % × 419.00 = 83.80. None: 20 % × 420.00 = 84.00.
    assert out.loc[0, ["deductible", "coinsurance"]].tolist() == [1.0, 83.8]
    assert out.loc[2, ["deductible", "coinsurance"]].tolist() == [0.0, 84.0]


def test_the_index_is_kept_and_carried_columns_are_not_read():
    frame = scenarios_to_frame([BASE, BASE])
    frame.index = ["a", "b"]
    frame["visit_id"] = ["V1", "V2"]
    frame["source"] = "illustrative"
    out = evaluate_frame(frame)
    assert list(out.index) == ["a", "b"] and out["decision"].tolist() == ["covered", "covered"]


def test_problems_with_the_table_itself_raise_one_line():
    frame = scenarios_to_frame([BASE])
    with pytest.raises(ScenarioError, match=r"^provider\.type: required column is missing from the table$"):
        evaluate_frame(frame.drop(columns=["provider.type"]))
    with pytest.raises(ScenarioError, match=r"^plan\.colour: unknown column"):
        evaluate_frame(frame.assign(**{"plan.colour": "red"}))


def test_an_empty_table_gives_an_empty_result():
    out = evaluate_frame(scenarios_to_frame([BASE]).iloc[:0])
    assert list(out.columns) == list(RESULT_COLUMNS) and len(out) == 0


def test_optional_columns_may_be_left_out_of_the_table():
    frame = scenarios_to_frame([BASE])[["date_of_service", "service.code", "diagnoses", "provider.type",
                                        "provider.credentialed", "facility.kind", "facility.credentialed",
                                        "facility.participating", "plan.type", "plan.deductible",
                                        "plan.coinsurance", "plan.oop_max"]]
    row = evaluate_frame(frame).iloc[0]
    # No fee_schedule or charge: the catalog's 64650 (1,100.00 charge, 726.00 fee schedule); no OON block,
    # documentation all false -> CO 50 in network (criteria not documented).
    assert (row.decision, row.reason_group, row.reason_carc, row.charge) == ("denied", "CO", "50", 1100.0)


def test_typed_columns_of_other_kinds_read_like_text():
    frame = scenarios_to_frame([BASE, _case(**{"provider.npi": None})])
    typed = frame.assign(**{
        "provider.npi": pd.array([1593027489, None], dtype="Int64"),       # a CSV reader's integers
        "facility.place_of_service": [11, 11],
        "date_of_service": pd.to_datetime(frame["date_of_service"]),
        "plan.type": pd.Categorical(frame["plan.type"]),
        "plan.deductible": pd.array([1500, 1500], dtype="Int64"),
        "documentation.lmn": pd.array([False, None], dtype="boolean"),
    })
    assert evaluate_frame(typed)[list(RESULT_COLUMNS)].equals(evaluate_frame(frame)[list(RESULT_COLUMNS)])


def test_text_cells_read_from_csv_give_the_same_results():
    frame = scenarios_to_frame([BASE, _case(diagnoses=["Z41.1"]), _case(**{"plan.oon": None})])
    text = pd.read_csv(io.StringIO(frame.to_csv(index=False)), dtype=str, keep_default_na=False)
    assert evaluate_frame(text).equals(evaluate_frame(frame))


def test_identical_invalid_rows_are_asked_about_once(monkeypatch):
    from medspa_kit import batch

    calls = []
    real = batch._scalar
    monkeypatch.setattr(batch, "_scalar", lambda records, cat, claims: calls.append(1) or real(records, cat, claims))
    bad = _case(**{"plan.coinsurance": 1.5})
    out = evaluate_frame(scenarios_to_frame([bad] * 50))
    assert out.attrs["errors"] == 50 and len(calls) == 1


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(scenarios(), min_size=1, max_size=8))
def test_batches_of_generated_scenarios_agree_with_evaluate(items):
    out = evaluate_frame(scenarios_to_frame(items))
    for i, data in enumerate(items):
        expected = outcome_to_row(evaluate(data))
        got = out.iloc[i].to_dict()
        for name, value in expected.items():
            if name in ("charge", "allowed", "deductible", "coinsurance", "copay", "plan_pays", "patient_pays",
                        "provider_writeoff", "balance_bill"):
                assert round(got[name] * 100) == round(value * 100), name
            elif value is None:
                assert pd.isna(got[name]), name
            else:
                assert got[name] == value, name


def test_a_plan_that_covers_no_place_of_service_survives_the_row_format():
    data = _case(**{"plan.covered_places_of_service": []})
    assert scenario_to_row(data)["plan.covered_places_of_service"] == ";"
    row = evaluate_frame(scenarios_to_frame([data])).iloc[0]
    # Covered nowhere: 58 in both paths; in network without a waiver the clinic absorbs the 1,100.00.
    assert (row.reason_group, row.reason_carc, row.patient_pays, row.provider_writeoff) == ("CO", "58", 0.0, 1100.0)
    assert evaluate(data).primary_reason.carc == "58"



@given(st.lists(st.lists(st.booleans(), min_size=6, max_size=6), min_size=1, max_size=9))
def test_first_true_is_np_select_over_the_condition_numbers(columns):
    from medspa_kit.batch import _first_true

    conditions = [np.array(c) for c in columns]
    expected = np.select(conditions, list(range(len(conditions))), default=len(conditions))
    assert _first_true(conditions, len(conditions)).tolist() == expected.tolist()


ODD_CELLS = {
    "out of range and empty": [np.nan, np.inf, -np.inf, -0.01, 0.005, "frac", "top+1", 1e-9, -1e-9, 0.0, "top"],
    "in range, some empty": [np.nan, 0.005, "frac", 1e-9, 0.0, "top"],  # no range test needed
    "in range, all present": [0.005, "frac", 1e-9, 0.0, "top"],
}


@pytest.mark.parametrize("odd", ODD_CELLS)
@pytest.mark.parametrize("check,problem,scale", [("money", "money_problem", 100), ("rate", "rate_problem", 1_000_000)])
def test_number_checks_over_several_blocks_match_the_parsers_rule_per_cell(check, problem, scale, odd):
    # The column is checked a block of rows at a time; odd cells sit on and around block edges.
    from medspa_kit import batch_cells, money

    rng = np.random.default_rng(3)
    size = 2 * batch_cells.BLOCK + 7
    top = 10_000_000 if check == "money" else 1
    values = np.round(rng.random(size) * top, 2 if check == "money" else 6)
    # "frac" is half a unit past a whole one: rounded it would be 2 units, but it is bad (0 units).
    named = {"top+1": top + 1, "top": top, "frac": 0.015 if check == "money" else 0.0000015}
    cells = [named.get(v, v) if isinstance(v, str) else v for v in ODD_CELLS[odd]]
    for edge in (0, batch_cells.BLOCK - 1, batch_cells.BLOCK, 2 * batch_cells.BLOCK, size - 1):
        for offset, value in enumerate(cells):
            values[min(edge + offset, size - 1)] = value
    present = ~np.isnan(values)
    none = np.zeros(size, dtype=bool)
    bad, units = getattr(batch_cells, f"{check}_cells")(batch_cells.Numbers(present, values, none, none))
    rule = getattr(money, problem)
    expected_bad = [p and rule(float(v)) is not None for p, v in zip(present, values)]
    assert bad.tolist() == expected_bad
    expected_units = [0 if b or not p else round(float(v) * scale) for b, p, v in zip(expected_bad, present, values)]
    assert units.tolist() == expected_units


@given(st.lists(st.booleans(), min_size=1, max_size=5).flatmap(
    lambda flags: st.tuples(st.just(flags), st.lists(st.integers(-1, len(flags) - 2), max_size=30))))
def test_spread_is_the_lookup_per_row(case):
    # A flag per distinct cell (the last for empty cells, code -1), spread to the rows.
    from medspa_kit.batch_cells import _spread

    flags, codes = case
    per_value, rows = np.array(flags), np.array(codes, dtype=np.int64)
    assert _spread(per_value, rows).tolist() == per_value[rows].tolist()


def test_numbers_read_cell_by_cell_or_by_column_agree(monkeypatch):
    # A text column with few distinct cells is read by the scalar rule cell by cell; with many, by
    # whole-column regexes. Both readings must be the same, cell for cell.
    from medspa_kit import batch_cells

    cells = ["1100", " $1,100.50 ", "1_100", "１１００", "", "None", "null", " NULL ", "1e999", "-1e999", "-0",
             ".5", "5.", "$", "-", "1,00", "1,000,000", "+3e2", "abc", "0x10", None, "12 ", "\t7\n"]
    series = pd.Series(cells, dtype="string")
    few = batch_cells.read_numbers(series)
    monkeypatch.setattr(batch_cells, "FEW_DISTINCT", 0)
    many = batch_cells.read_numbers(series)
    for name in ("present", "value", "wrong_type", "text"):
        a, b = getattr(few, name), getattr(many, name)
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), (name, a, b)
    # and by hand: "$1,100.50" is 1100.5, "1_100" and full-width digits are text, not numbers
    assert few.value[1] == 1100.5 and few.text[2] and few.text[3] and not few.present[4]
