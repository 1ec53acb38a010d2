"""A member's ``plan_year_start`` may be given on any line of any of its claims, and every cell
is read: a date on a claim's third line starts the member's plan year as it would on the first,
and a cell that is no date, or a second start, on a later line leaves the member unpriced (the
plan year, so every deductible, cannot be known) in every face of the per-member batch."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from medspa_kit.cli import main
from medspa_kit.members import evaluate_members

from .test_claim_ids import FIRST_PLAN, SECOND_PLAN, _two_visits

# Two visits of one member, each a three-line chronic-migraine claim (64615 + J0585 × 155 + 45 JW)
# allowed $1,472.00 on a PPO with a $1,000 deductible and 20 %: C1 on 2026-01-05, C2 on 2026-03-30.
# One plan year (January 1): C1's plan pays $377.60, C2's $1,177.60 (the deductible met in C1).
# Plan years from March 1 (2025-03-01): 2026-03-01 starts a new year between the visits, so C2
# pays the $1,000 deductible again: $1,000 + 20 % of $472 = $1,094.40, and the plan $377.60.
NEW_YEAR_FOR_C2 = {"C1": FIRST_PLAN, "C2": FIRST_PLAN}
ONE_YEAR = {"C1": FIRST_PLAN, "C2": SECOND_PLAN}
#              C1 lines 1–3                C2 lines 1–3
ON_A_LAST_LINE = ["", "", "", "", "", "2025-03-01"]
NO_DATE_ON_A_SECOND_LINE = ["2026-01-01", "2026-02-30", "", "", "", ""]
TWO_STARTS_IN_ONE_CLAIM = ["2026-01-01", "", "2025-03-01", "", "", ""]
NO_DATE = "plan_year_start: '2026-02-30' is not an ISO date (YYYY-MM-DD)"
OTHER_ROW = "plan_year_start: another row of this member gives a start that cannot be read"
TWO_STARTS = ("plan_year_start: this member's rows give 2025-03-01 and 2026-01-01 (a member has one plan year: give "
              "the same start on every row, or leave it empty)")


def _frame(starts: list[str]) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(_two_visits(["M1"] * 6)), dtype=str, keep_default_na=False)
    return frame.assign(plan_year_start=starts)


def _plan_pays(table: pd.DataFrame, claim_ids: pd.Series) -> dict[str, float]:
    assert table["error"].isna().all(), table["error"].tolist()
    return table.groupby(claim_ids.to_numpy())["plan_pays"].sum().round(2).to_dict()


def test_a_start_on_a_claim_s_last_line_starts_the_member_s_plan_year():
    frame = _frame(ON_A_LAST_LINE)
    assert _plan_pays(evaluate_members(frame), frame["claim_id"]) == NEW_YEAR_FOR_C2
    assert _plan_pays(evaluate_members(frame.assign(plan_year_start="")), frame["claim_id"]) == ONE_YEAR


def test_a_start_that_cannot_be_read_on_a_later_line_refuses_the_member():
    assert evaluate_members(_frame(NO_DATE_ON_A_SECOND_LINE))["error"].tolist() == [NO_DATE] * 3 + [OTHER_ROW] * 3
    assert evaluate_members(_frame(TWO_STARTS_IN_ONE_CLAIM))["error"].tolist() == [TWO_STARTS] * 6


def _batch(tmp_path, capsys, starts: list[str], *options: str) -> tuple[int, pd.DataFrame]:
    source, out = tmp_path / "visits.csv", tmp_path / "out.csv"
    _frame(starts).to_csv(source, index=False)
    code = main(["batch", str(source), "-o", str(out), "--by-member", "-q", *options])
    capsys.readouterr()
    return code, pd.read_csv(out, dtype={"claim_id": str})


@pytest.mark.parametrize("chunk", ["100", "1"])
def test_the_batch_reads_every_line_s_start(tmp_path, csv_engine, capsys, chunk):
    code, table = _batch(tmp_path, capsys, ON_A_LAST_LINE, "--chunk-size", chunk)
    assert code == 0 and _plan_pays(table, table["claim_id"]) == NEW_YEAR_FOR_C2
    code, table = _batch(tmp_path, capsys, NO_DATE_ON_A_SECOND_LINE, "--chunk-size", chunk)
    assert code == 1 and table["error"].tolist() == [NO_DATE] * 3 + [OTHER_ROW] * 3
    code, table = _batch(tmp_path, capsys, TWO_STARTS_IN_ONE_CLAIM, "--chunk-size", chunk)
    assert code == 1 and table["error"].tolist() == [TWO_STARTS] * 6


@pytest.mark.slow
def test_the_dask_batch_reads_every_line_s_start(tmp_path, capsys):
    pytest.importorskip("distributed")
    answers = {}
    for name, starts in [("last", ON_A_LAST_LINE), ("no date", NO_DATE_ON_A_SECOND_LINE),
                         ("two", TWO_STARTS_IN_ONE_CLAIM)]:
        folder = tmp_path / name
        folder.mkdir()
        frame = _frame(starts)
        frame.iloc[:3].to_parquet(folder / "a.parquet", index=False)  # a claim in each file
        frame.iloc[3:].to_parquet(folder / "b.parquet", index=False)
        out = tmp_path / f"{name}.parquet"
        code = main(["batch", str(folder), "-o", str(out), "--engine", "dask", "--by-member", "--workers", "1", "-q"])
        capsys.readouterr()
        answers[name] = code, pd.read_parquet(out)
    code, table = answers["last"]
    assert code == 0 and _plan_pays(table, table["claim_id"]) == NEW_YEAR_FOR_C2
    code, table = answers["no date"]
    assert code == 1 and table["error"].tolist() == [NO_DATE] * 3 + [OTHER_ROW] * 3
    code, table = answers["two"]
    assert code == 1 and table["error"].tolist() == [TWO_STARTS] * 6


def test_numpy_dates_are_read_by_member_as_the_batch_reads_them():
    # a np.datetime64 in an object column: the batch priced the claims while the per-member pass
    # read no date (ValueError from the history of a day it had no number for), and a start given
    # as one was "not an ISO date"
    import numpy as np

    frame = _frame([""] * 6)
    frame["date_of_service"] = pd.Series([np.datetime64("2026-01-05")] * 3 + [np.datetime64("2026-03-30")] * 3,
                                         dtype=object)
    assert _plan_pays(evaluate_members(frame), frame["claim_id"]) == ONE_YEAR
    frame["plan_year_start"] = pd.Series([None] * 5 + [np.datetime64("2025-03-01")], dtype=object)
    assert _plan_pays(evaluate_members(frame), frame["claim_id"]) == NEW_YEAR_FOR_C2
    frame["plan_year_start"] = pd.Series([None] * 5 + [np.datetime64("2025-03-01T10:00")], dtype=object)
    assert evaluate_members(frame)["error"].tolist() == [OTHER_ROW] * 3 + [
        "plan_year_start: 2025-03-01 10:00:00 is a date and time; give a date (YYYY-MM-DD)"] * 3
