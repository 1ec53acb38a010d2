"""A claim id or a member id with spaces around it names the same claim or member as without
them, as every text field of a scenario is read: a trailing space from a biller's spreadsheet
never splits a claim (its drug line priced without its injection) or a member's plan year."""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest

from medspa_kit.batch import evaluate_frame
from medspa_kit.cli import main
from medspa_kit.members import evaluate_members

HEADER = ("claim_id,date_of_service,diagnoses,documentation.criteria_documented,documentation.prior_auth,"
          "provider.type,provider.npi,provider.credentialed,facility.kind,facility.place_of_service,"
          "facility.credentialed,facility.participating,plan.type,plan.deductible,plan.coinsurance,"
          "plan.copay,plan.oop_max,line.code,line.units,line.modifiers,member_id")
CLAIM = ("{id},{day},G43.719,true,true,DO,1482619370,true,medical_clinic,11,true,true,PPO,1000,0.2,0,1500,"
         "{code},{units},{modifiers},{member}")
LINES = [("64615", 1, ""), ("J0585", 155, ""), ("J0585", 45, "JW")]

# Chronic-migraine Botox (64615 + J0585 × 155 + 45 wasted, JW) on a PPO with a $1,000 deductible,
# 20 % and a $1,500 out-of-pocket maximum; each visit is allowed $1,472.00 of $2,450.00 charged.
#   first visit:  $1,000 deductible + 20 % of $472 = $94.40 → patient $1,094.40, plan $377.60
#   second visit of the same member: deductible met, 20 % of $1,472 = $294.40 → plan $1,177.60
FIRST_PLAN, FIRST_PATIENT, SECOND_PLAN = 377.60, 1094.40, 1177.60


def _table(ids: list[str], members: list[str] | None = None, day: str = "2026-01-05") -> str:
    members = members or ["M1"] * len(ids)
    rows = [CLAIM.format(id=i, day=day, code=c, units=u, modifiers=m, member=member)
            for i, member, (c, u, m) in zip(ids, members, LINES)]
    return HEADER + "\n" + "\n".join(rows) + "\n"


SPACED = ["C1", "C1 ", " C1"]


def test_a_claim_id_with_spaces_around_it_is_the_same_claim_in_evaluate_frame():
    out = evaluate_frame(pd.read_csv(io.StringIO(_table(SPACED)), dtype=str, keep_default_na=False))
    assert out["error"].isna().all(), out["error"].tolist()
    assert out["claim_decision"].tolist() == ["covered"] * 3
    assert round(out["plan_pays"].sum(), 2) == FIRST_PLAN
    assert round(out["patient_pays"].sum(), 2) == FIRST_PATIENT


def test_the_batch_prices_the_claim_whole_and_names_it_once_in_its_835(tmp_path, csv_engine, capsys):
    source, out, answer = tmp_path / "visits.csv", tmp_path / "out.csv", tmp_path / "out.835"
    source.write_text(_table(SPACED))
    assert main(["batch", str(source), "-o", str(out), "--remittance", str(answer), "-q"]) == 0
    capsys.readouterr()
    table = pd.read_csv(out, dtype={"claim_id": str})
    assert table["claim_id"].tolist() == ["C1"] * 3  # the id the claim was priced under
    assert round(table["plan_pays"].sum(), 2) == FIRST_PLAN
    claims = [s.strip().split("*")[:5] for s in answer.read_text().split("~") if s.strip().startswith("CLP*")]
    assert claims == [["CLP", "C1", "1", "2450.00", "377.60"]]


def test_a_spaced_claim_id_is_one_claim_across_chunks(tmp_path, csv_engine, capsys):
    # chunks of one row: the batch must still keep the three lines of C1 together
    source, out = tmp_path / "visits.csv", tmp_path / "out.csv"
    source.write_text(_table(SPACED))
    assert main(["batch", str(source), "-o", str(out), "--chunk-size", "1", "-q"]) == 0
    capsys.readouterr()
    assert round(pd.read_csv(out)["plan_pays"].sum(), 2) == FIRST_PLAN


def test_a_parquet_claim_id_with_spaces_is_the_same_claim(tmp_path, capsys):
    pytest.importorskip("pyarrow")
    source, out = tmp_path / "visits.parquet", tmp_path / "out.csv"
    pd.read_csv(io.StringIO(_table(SPACED)), dtype=str, keep_default_na=False).to_parquet(source, index=False)
    assert main(["batch", str(source), "-o", str(out), "-q"]) == 0
    capsys.readouterr()
    assert round(pd.read_csv(out)["plan_pays"].sum(), 2) == FIRST_PLAN


def _two_visits(member_ids: list[str]) -> str:
    first = _table(["C1"] * 3, member_ids[:3], "2026-01-05")
    second = _table(["C2"] * 3, member_ids[3:], "2026-03-30")
    return first + second.split("\n", 1)[1]


def test_a_member_id_with_spaces_around_it_is_the_same_member(tmp_path, capsys):
    members = ["M1", "M1", "M1", "M1 ", " M1", "M1 "]
    frame = pd.read_csv(io.StringIO(_two_visits(members)), dtype=str, keep_default_na=False)
    out = evaluate_members(frame)
    assert out["error"].isna().all(), out["error"].tolist()
    by_claim = out.groupby(frame["claim_id"])["plan_pays"].sum().round(2).to_dict()
    assert by_claim == {"C1": FIRST_PLAN, "C2": SECOND_PLAN}  # the deductible is met once
    source, table = tmp_path / "visits.csv", tmp_path / "out.csv"
    source.write_text(_two_visits(members))
    assert main(["batch", str(source), "-o", str(table), "--by-member", "-q"]) == 0
    capsys.readouterr()
    written = pd.read_csv(table)
    assert written.groupby("claim_id")["plan_pays"].sum().round(2).to_dict() == {"C1": FIRST_PLAN, "C2": SECOND_PLAN}


def _dask_by_member_plan_pays(tmp_path, capsys, first_ids: Any, second_ids: Any) -> dict[str, float]:
    """Each claim's plan payment from a Dask batch by member over two files: the first visit's
    rows (member ids ``first_ids``) in one, the second visit's (``second_ids``) in the other."""
    pytest.importorskip("distributed")
    folder = tmp_path / "in"
    folder.mkdir()
    frame = pd.read_csv(io.StringIO(_two_visits(["M"] * 6)), dtype=str, keep_default_na=False)
    first, second = frame.iloc[:3].copy(), frame.iloc[3:].copy()
    first["member_id"], second["member_id"] = first_ids, second_ids
    first.to_parquet(folder / "a.parquet", index=False)
    second.to_parquet(folder / "b.parquet", index=False)
    out = tmp_path / "out.parquet"
    assert main(["batch", str(folder), "-o", str(out), "--engine", "dask", "--by-member", "--workers", "1",
                 "-q"]) == 0
    capsys.readouterr()
    return pd.read_parquet(out).groupby("claim_id")["plan_pays"].sum().round(2).to_dict()


@pytest.mark.slow
def test_dask_moves_a_member_whose_ids_have_spaces_as_one_member(tmp_path, capsys):
    paid = _dask_by_member_plan_pays(tmp_path, capsys, ["M1", "M1", "M1"], ["M1 ", " M1", "M1 "])
    assert paid == {"C1": FIRST_PLAN, "C2": SECOND_PLAN}


def test_an_unreadable_line_naming_a_spaced_claim_spoils_that_claim_only(tmp_path, csv_engine, capsys):
    # C1's last line has one cell too many and names "C1 ": it is C1's line, so C1 is refused
    # whole and C2, the claim after it, is priced as usual
    first = _table(["C1", "C1", "C1 "]).splitlines()
    second = _table(["C2"] * 3, day="2026-03-30").splitlines()[1:]
    source, out = tmp_path / "visits.csv", tmp_path / "out.csv"
    source.write_text("\n".join([*first[:3], first[3] + ",extra", *second]) + "\n")
    assert main(["batch", str(source), "-o", str(out), "-q"]) == 1
    capsys.readouterr()
    table = pd.read_csv(out, dtype={"claim_id": str})
    assert table["error"].notna().tolist() == [True] * 3 + [False] * 3
    assert table["error"][0].startswith("claim_id: line 4 cannot be read and may be one of this claim's lines")
    assert round(table["plan_pays"].sum(), 2) == FIRST_PLAN  # C2 alone: its member's first visit


def _frame(ids: list, members: list | None = None) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(_table(["C"] * 3, members)), dtype=str, keep_default_na=False)
    frame["claim_id"] = pd.Series(ids, dtype=object)
    return frame


@pytest.mark.parametrize("ids", [[1, "1", " 1 "], ["1", "1", 1], [1.0, 1, "1"], [7, 7.0, "7"]])
def test_a_claim_id_that_is_a_number_on_some_rows_and_text_on_others_is_one_claim(ids):
    out = evaluate_frame(_frame(ids))
    assert out["error"].isna().all(), out["error"].tolist()
    assert round(out["plan_pays"].sum(), 2) == FIRST_PLAN  # not the injection alone and its drug denied CO 107


def test_different_numbers_are_different_claims():
    # 1.5 is no whole number: "1.5" and 1.5 are its claim (the two drug lines), apart from claim 1
    split = evaluate_frame(_frame([1, 1.5, "1.5"]))
    named = evaluate_frame(_frame(["A", "B", "B"]))
    pd.testing.assert_frame_equal(split, named)
    assert round(split["plan_pays"].sum(), 2) != FIRST_PLAN


def test_a_member_id_that_is_a_whole_number_written_two_ways_is_one_member():
    frame = pd.read_csv(io.StringIO(_two_visits(["M"] * 6)), dtype=str, keep_default_na=False)
    frame["member_id"] = pd.Series([1.0, 1.0, 1.0, 1, 1, "1"], dtype=object)
    out = evaluate_members(frame)
    assert out["error"].isna().all(), out["error"].tolist()
    assert out.groupby(frame["claim_id"])["plan_pays"].sum().round(2).to_dict() == {"C1": FIRST_PLAN,
                                                                                   "C2": SECOND_PLAN}


class _Unshowable:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")

    def __str__(self) -> str:
        raise RuntimeError("no str")


@pytest.mark.parametrize("evaluator", [evaluate_frame, evaluate_members])
def test_a_claim_id_cell_that_cannot_be_shown_is_a_row_error(evaluator):
    frame = _frame([_Unshowable(), "C2", "C2"])
    out = evaluator(frame)
    assert out["error"][0].startswith("claim_id: a _Unshowable is no claim id"), out["error"][0]


@pytest.mark.slow
def test_dask_refuses_a_claim_whose_id_is_a_number_in_one_file_and_text_in_the_other(tmp_path, capsys):
    pytest.importorskip("distributed")
    folder = tmp_path / "in"
    folder.mkdir()
    frame = _frame([1, 1, 1])
    numbers, texts = frame.iloc[:2].copy(), frame.iloc[2:].copy()
    numbers["claim_id"] = numbers["claim_id"].astype("int64")
    texts["claim_id"] = texts["claim_id"].astype(str)
    numbers.to_parquet(folder / "part0.parquet", index=False)
    texts.to_parquet(folder / "part1.parquet", index=False)
    out = tmp_path / "out.parquet"
    assert main(["batch", str(folder), "-o", str(out), "--engine", "dask", "--workers", "1", "-q"]) == 1
    capsys.readouterr()
    written = pd.read_parquet(out)
    assert written["error"].str.startswith("claim_id: the claim's lines are in part0.parquet and part1.parquet").all()
    assert written["plan_pays"].isna().all()  # no part of the claim is priced


def test_a_whole_number_claim_id_is_written_as_its_digits_in_the_835(tmp_path, capsys):
    # a Parquet column of floats: 1.0 is claim 1, as the CSV output shows it, not "1.0"
    pytest.importorskip("pyarrow")
    source, out, answer = tmp_path / "visits.parquet", tmp_path / "out.csv", tmp_path / "out.835"
    frame = _frame([1.0, 1.0, 1.0])
    frame["claim_id"] = frame["claim_id"].astype("float64")
    frame.to_parquet(source, index=False)
    assert main(["batch", str(source), "-o", str(out), "--remittance", str(answer), "-q"]) == 0
    capsys.readouterr()
    claims = [s.strip().split("*")[:5] for s in answer.read_text().split("~") if s.strip().startswith("CLP*")]
    assert claims == [["CLP", "1", "1", "2450.00", "377.60"]]


@pytest.mark.parametrize("evaluator", [evaluate_frame, evaluate_members])
@pytest.mark.parametrize("bad", [["C1"], {"id": "C1"}, True])
def test_a_row_whose_claim_id_is_no_id_spoils_its_neighbours_as_an_empty_one_does(evaluator, bad):
    # the middle row has a list (a record, a truth value) for its id: it may be a line of C1 just
    # before it or of C2 just after it, so neither is priced without it
    frame = _frame(["C1", None, "C2"])
    frame["claim_id"] = pd.Series(["C1", bad, "C2"], dtype=object)
    out = evaluator(frame)
    assert out["error"][1].startswith(f"claim_id: a {type(bad).__name__} is no claim id"), out["error"][1]
    assert [out["error"][i].startswith("claim_id: a row next to this claim's rows names no claim") for i in (0, 2)] \
        == [True, True], out["error"].tolist()
    assert out["plan_pays"].isna().all()


@pytest.mark.parametrize("column", ["claim_id", "member_id"])
@pytest.mark.parametrize("big", [10 ** 5000, 10 ** 38, -10 ** 38, float("inf"), 1e300],
                         ids=["5001 digits", "39 digits", "-39 digits", "inf", "1e300"])
def test_a_number_id_of_39_digits_or_more_is_a_row_error_never_a_traceback(column, big):
    # (Python will not write an int of more than 4,300 digits as text; X12 carries 38 characters)
    frame = _frame(["C1"] * 3)
    frame[column] = pd.Series([big] * 3, dtype=object)
    out = evaluate_members(frame)
    what = "claim" if column == "claim_id" else "member"
    kind = "number that is not finite" if big == float("inf") else "number of more than 38 characters"
    assert out["error"].tolist() == [f"{column}: a {kind} is no {what} id (text or a number)"] * 3


@pytest.mark.parametrize("column", ["claim_id", "member_id"])
@pytest.mark.parametrize("cell, text", [(Decimal("9" * 38), "9" * 38), (Decimal("-" + "9" * 37), "-" + "9" * 37),
                                        (Decimal("1E-36"), "0." + "0" * 35 + "1"), (Decimal("0E-50"), "0")])
def test_a_decimal_written_in_38_characters_is_an_id(column, cell, text):
    # 38 nines (the most a Parquet decimal128(38, 0) holds) were refused as "more than 38
    # characters": abs() rounded them to Decimal's 28 digits, 1E+38
    frame = _frame(["C1"] * 3)
    frame[column] = pd.Series([cell, text, cell], dtype=object)  # (the Decimal and its text: one claim, one member)
    out = evaluate_members(frame)
    assert out["error"].isna().all(), out["error"].tolist()
    assert round(out["plan_pays"].sum(), 2) == FIRST_PLAN


def test_a_number_id_of_38_digits_names_its_claim():
    out = evaluate_frame(_frame([10 ** 38 - 1, str(10 ** 38 - 1), float(10 ** 37)]))
    assert out["error"].isna().all()
    assert out["claim_decision"].tolist()[:2] == ["covered"] * 2  # the injection and its drug, one claim


def test_a_decimal_claim_id_is_a_number_like_any_other(tmp_path, capsys):
    # a Parquet decimal column (or SQL NUMERIC read by pandas) gives Decimals: 1.00 is claim 1
    from decimal import Decimal

    from fractions import Fraction

    for ids in ([Decimal("1.00"), 1, "1"], [Fraction(2, 2), Decimal(1), 1.0]):
        out = evaluate_frame(_frame(ids))
        assert out["error"].isna().all(), out["error"].tolist()
        assert round(out["plan_pays"].sum(), 2) == FIRST_PLAN
    out = evaluate_frame(_frame([Decimal("Infinity")] * 3))
    assert out["error"].tolist() == ["claim_id: a number that is not finite is no claim id (text or a number)"] * 3
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    frame = _frame(["x"] * 3).drop(columns=["claim_id"])
    table = pa.Table.from_pandas(frame, preserve_index=False).append_column(
        "claim_id", pa.array([Decimal("1.00")] * 3, pa.decimal128(5, 2)))
    source, written, answer = tmp_path / "visits.parquet", tmp_path / "out.csv", tmp_path / "out.835"
    pq.write_table(table, source)
    assert main(["batch", str(source), "-o", str(written), "--remittance", str(answer), "-q"]) == 0
    capsys.readouterr()
    assert round(pd.read_csv(written)["plan_pays"].sum(), 2) == FIRST_PLAN
    claims = [s.strip().split("*")[:2] for s in answer.read_text().split("~") if s.strip().startswith("CLP*")]
    assert claims == [["CLP", "1"]]


def test_the_x12_writers_read_a_claim_id_as_the_batch_does():
    from medspa_kit import evaluate, preset
    from medspa_kit.edi import claim_837p, remittance_835
    from medspa_kit.errors import EdiError

    outcome = evaluate(preset("botox-chronic-migraine"))
    for write in (remittance_835, claim_837p):
        text = write([(" C1 ", outcome), (7, outcome)])
        assert "*C1*" in text and "* C1 *" not in text and "*7*" in text
        with pytest.raises(EdiError, match=r"^claims\[1\]: the claim id 'C1' is given twice"):
            write([(" C1 ", outcome), ("C1", outcome)])
        with pytest.raises(EdiError, match=r"^claim_id: a number of more than 38 characters is no claim id \(text, "
                                           r"such as 'C1', or a number written in at most 38 characters\)"):
            write([(10 ** 5000, outcome)])


def test_a_float32_id_reads_as_the_shortest_decimal_it_holds(tmp_path, capsys):
    # np.float32(0.2) holds 0.20000000298…: read as 0.2, as the kit reads float32 amounts
    out = evaluate_frame(_frame([np.float32(0.2), "0.2", 0.2]))
    assert out["error"].isna().all(), out["error"].tolist()
    assert round(out["plan_pays"].sum(), 2) == FIRST_PLAN
    frame = pd.read_csv(io.StringIO(_two_visits(["M"] * 6)), dtype=str, keep_default_na=False)
    frame["member_id"] = pd.Series([np.float32(0.2)] * 3 + ["0.2"] * 3, dtype=object)
    by_claim = evaluate_members(frame).groupby(frame["claim_id"])["plan_pays"].sum().round(2).to_dict()
    assert by_claim == {"C1": FIRST_PLAN, "C2": SECOND_PLAN}
    pytest.importorskip("pyarrow")
    source, written, answer = tmp_path / "visits.parquet", tmp_path / "out.csv", tmp_path / "out.835"
    parquet = _frame(["x"] * 3)
    parquet["claim_id"] = np.array([0.2] * 3, dtype=np.float32)
    parquet.to_parquet(source, index=False)
    assert main(["batch", str(source), "-o", str(written), "--remittance", str(answer), "-q"]) == 0
    capsys.readouterr()
    claims = [s.strip().split("*")[:2] for s in answer.read_text().split("~") if s.strip().startswith("CLP*")]
    assert claims == [["CLP", "0.2"]]


def test_a_decimal_of_more_than_38_digits_is_no_id():
    from decimal import Decimal

    long = Decimal("1." + "0" * 39 + "1")  # 41 digits: not claim 1, and more than X12 carries
    out = evaluate_frame(_frame([long, 1, 1]))
    assert out["error"][0] == "claim_id: a number of more than 38 characters is no claim id (text or a number)"
    assert out["plan_pays"].isna().all()  # claim 1 is next to a row that names no claim


def test_the_x12_writers_take_any_id_a_batch_takes_and_refuse_what_names_no_claim():
    from decimal import Decimal

    from medspa_kit import evaluate, preset
    from medspa_kit.edi import remittance_835
    from medspa_kit.errors import EdiError

    outcome = evaluate(preset("botox-chronic-migraine"))
    for given, written in ((np.int64(5), "5"), (7.0, "7"), (Decimal("8.00"), "8"), (np.float32(0.2), "0.2")):
        assert f"CLP*{written}*" in remittance_835([(given, outcome)])
    for empty in ("nan", "None", " "):
        with pytest.raises(EdiError, match=r"^claim_id: '.*' names no claim \(a batch reads it as an empty cell\)"):
            remittance_835([(empty, outcome)])
    with pytest.raises(EdiError, match=r"^claim_id: a list is no claim id"):
        remittance_835([([1], outcome)])


@pytest.mark.parametrize("by_member", [False, True])
def test_a_parquet_claim_id_column_of_lists_is_a_row_error_on_every_row(tmp_path, capsys, by_member):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    frame = _frame(["x"] * 3).drop(columns=["claim_id"])
    table = pa.Table.from_pandas(frame, preserve_index=False).append_column("claim_id", pa.array([[1], [1], [1]]))
    source, written = tmp_path / "visits.parquet", tmp_path / "out.csv"
    pq.write_table(table, source)
    assert main(["batch", str(source), "-o", str(written), "-q", *(["--by-member"] if by_member else [])]) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert pd.read_csv(written)["error"].str.startswith("claim_id: a list is no claim id").all()


def test_a_whole_float_id_is_the_decimal_it_is_written_as():
    # 1e23 is 1 and 23 zeros (its binary value is 99999999999999991611392): the int 10**23 is the same claim
    out = evaluate_frame(_frame([1e23, 10 ** 23, "100000000000000000000000"]))
    assert out["error"].isna().all(), out["error"].tolist()
    assert round(out["plan_pays"].sum(), 2) == FIRST_PLAN


@pytest.mark.slow
def test_dask_moves_a_float32_member_and_its_text_twin_as_one_member(tmp_path, capsys):
    paid = _dask_by_member_plan_pays(tmp_path, capsys, np.array([0.2] * 3, dtype=np.float32), "0.2")
    assert paid == {"C1": FIRST_PLAN, "C2": SECOND_PLAN}


def _claims_paid(first: Any, second: Any) -> float:
    """What the plan pays on two three-line claims whose ids are ``first`` and ``second``: $755.20
    when they are two claims (each a first visit, $377.60), $1,555.20 when read as one claim of
    six lines (the deductible met once)."""
    frame = pd.concat([_frame([first] * 3), _frame([second] * 3)], ignore_index=True)
    return round(evaluate_frame(frame)["plan_pays"].sum(), 2)


@pytest.mark.parametrize("first, second, one", [
    (Fraction(1, 3), Fraction(3333333333333333, 10 ** 16), False),  # two numbers: no float merges them
    (Decimal("0.12345678901234567890"), Decimal("0.1234567890123456789"), True),  # one number, trailing zero
    (Decimal("0.20"), 0.2, True),
    (Fraction(1, 10), Decimal("0.1"), True),  # a decimal that ends: 0.1, not "1/10" (a claim split in two)
    (Fraction(1, 10), 0.1, True),
    (Fraction(7, 8), "0.875", True),
    (np.longdouble("0.10000000000000001"), 0.1, np.longdouble("0.10000000000000001") == np.longdouble(0.1)),
])
def test_two_numbers_are_one_id_exactly_when_they_are_one_number(first, second, one):
    assert _claims_paid(first, second) == (1555.20 if one else 755.20)


@pytest.mark.parametrize("big", [1e38, -10 ** 37, Decimal(-10 ** 37), 1.2345678901234567e-30, Decimal("1E-37"),
                                 Decimal("-" + "9" * 38), Decimal("1E-99999999999999"), Decimal("1E+99999999999999"),
                                 Fraction(1, 10 ** 5000 + 1), Fraction(1, 10 ** 37)])
def test_a_number_written_in_more_than_38_characters_is_no_id(big):
    # 1e38 is 1 and 38 zeros; -10**37 is a sign and 38 digits; 1.23…e-30 is 0. and 46 more digits;
    # 1E-37 (and 1/10**37) is 0. and 37 digits. A Decimal of 10**14 places was written out in full to
    # be measured (a MemoryError), and 1/(10**5000 + 1) as p/q (Python's int-to-text ValueError):
    # both are counted, never written.
    out = evaluate_frame(_frame([big] * 3))
    assert out["error"].tolist() == ["claim_id: a number of more than 38 characters is no claim id (text or a "
                                     "number)"] * 3


def test_a_signalling_nan_or_a_huge_long_double_is_no_id_named_for_what_it_is():
    from medspa_kit import evaluate, preset
    from medspa_kit.edi import remittance_835
    from medspa_kit.errors import EdiError

    out = evaluate_frame(_frame([Decimal("sNaN"), "C1", "C1"]))  # (comparing it raises in Python)
    assert out["error"][0] == "claim_id: a number that is not finite is no claim id (text or a number)"
    outcome = evaluate(preset("botox-chronic-migraine"))
    with pytest.raises(EdiError, match=r"^claim_id: a number that is not finite is no claim id"):
        remittance_835([(Decimal("sNaN"), outcome)])
    with pytest.raises(EdiError, match=r"^claim_id: a number of more than 38 characters is no claim id"):
        remittance_835([(np.longdouble("1e4000"), outcome)])  # finite, though no float holds it


@pytest.mark.parametrize("kind, cell, named", [("float64", 1e20, "100000000000000000000"),
                                               ("decimal", Decimal("1.50"), "1.5"),
                                               ("float64", 1.5e-30, "0.0000000000000000000000000000015")])
def test_out_names_a_number_claim_as_its_835_does(tmp_path, capsys, kind, cell, named):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    frame = _frame(["x"] * 3).drop(columns=["claim_id"])
    column = pa.array([cell] * 3, pa.decimal128(5, 2) if kind == "decimal" else pa.float64())
    source, written, answer = tmp_path / "visits.parquet", tmp_path / "out.csv", tmp_path / "out.835"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False).append_column("claim_id", column), source)
    assert main(["batch", str(source), "-o", str(written), "--remittance", str(answer), "-q"]) == 0
    capsys.readouterr()
    assert pd.read_csv(written, dtype={"claim_id": str})["claim_id"].tolist() == [named] * 3
    claims = [s.strip().split("*")[:2] for s in answer.read_text().split("~") if s.strip().startswith("CLP*")]
    assert claims == [["CLP", named]]


@pytest.mark.parametrize("evaluator", [evaluate_frame, evaluate_members])
@pytest.mark.parametrize("column", ["claim_id", "member_id"])
@pytest.mark.parametrize("cell", [np.timedelta64(5, "D"), np.datetime64("2026-01-05")],
                         ids=["timedelta64", "datetime64"])
def test_a_numpy_duration_or_date_is_no_id(evaluator, column, cell):
    # numpy counts a timedelta64 as an integer; read as a number id it was int()'s TypeError in evaluate_members
    frame = _frame(["C1"] * 3)
    frame[column] = pd.Series([cell] * 3, dtype=object)
    out = evaluator(frame)
    if column == "member_id" and evaluator is evaluate_frame:
        assert out["error"].isna().all()  # (one claim: evaluate_frame carries member_id and reads no plan year)
        return
    what = "claim" if column == "claim_id" else "member"
    assert out["error"].tolist() == [f"{column}: a {type(cell).__name__} is no {what} id (text or a number)"] * 3
    assert out["plan_pays"].isna().all()


@pytest.mark.parametrize("engine, out_name", [("pandas", "out.csv"), ("pandas", "out.parquet"),
                                              ("dask", "out.parquet")])
@pytest.mark.parametrize("column", ["claim_id", "member_id"])
def test_a_parquet_id_column_of_good_and_bad_numbers_keeps_every_row(tmp_path, capsys, engine, out_name, column):
    # a float column of 1.0 (an id) and 1e38 (no id: a row error) was text and floats in OUT, which
    # Arrow could not write: exit 2 "cannot write" and no row at all (a traceback on Dask)
    pytest.importorskip("pyarrow")
    folder = tmp_path / "in"
    folder.mkdir()
    frame = pd.concat([_frame(["C1"] * 3), _frame(["C2"] * 3)], ignore_index=True)
    frame[column] = np.array([1.0] * 3 + [1e38] * 3)
    frame.to_parquet(folder / "visits.parquet", index=False)
    target = tmp_path / out_name
    argv = ["batch", str(folder if engine == "dask" else folder / "visits.parquet"), "-o", str(target), "-q"]
    if engine == "dask":
        argv += ["--engine", "dask", "--workers", "1"]
    if column == "member_id":
        argv += ["--by-member"]
    assert main(argv) == 1
    capsys.readouterr()
    out = pd.read_parquet(target) if out_name.endswith(".parquet") else pd.read_csv(target, dtype=str)
    assert out[column].tolist() == ["1"] * 3 + ["1e+38"] * 3
    what = "claim" if column == "claim_id" else "member"
    assert out["error"].tolist()[3:] == [f"{column}: a number of more than 38 characters is no {what} id (text or a "
                                         "number)"] * 3
    if column == "member_id":  # (member 1's claim is its own)
        assert out["error"][:3].isna().all()


def test_a_parquet_claim_id_column_of_truth_values_keeps_every_row(tmp_path, capsys):
    # [True, True, None, False]: typed boolean by Arrow from the rows as read, then written as text:
    # exit 2 "cannot write" and every row lost
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    frame = _frame(["C1"] * 3)
    frame = pd.concat([frame, frame.iloc[:1]], ignore_index=True)
    table = pa.Table.from_pandas(frame.drop(columns=["claim_id"]), preserve_index=False)
    pq.write_table(table.append_column("claim_id", pa.array([True, True, None, False])), tmp_path / "in.parquet")
    assert main(["batch", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "out.csv"), "-q"]) == 1
    capsys.readouterr()
    out = pd.read_csv(tmp_path / "out.csv", dtype=str)
    assert len(out) == 4 and out["error"].notna().all()
    assert out["error"][0] == "claim_id: a bool is no claim id (text or a number)"


@pytest.mark.parametrize("engine", ["pandas", "dask"])
@pytest.mark.parametrize("column", ["claim_id", "member_id"])
def test_a_parquet_column_of_whole_number_ids_with_a_null_keeps_each_id_exact(tmp_path, capsys, engine, column):
    # an int64 column with a null became floats: 2**60 + 1 and 2**60 + 2 were both 1152921504606847000,
    # one claim of six lines in OUT and in the 835 (or one member, the second visit carrying the
    # first one's deductible to another patient)
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    big = 2 ** 60 + 1
    frame = pd.concat([_frame([f"C{i}"] * 3) for i in range(1, 5)], ignore_index=True)
    ids = [big] * 3 + [big + 1] * 3 + [7] * 3 + [None] * 3  # (claim 7 is next to the empty ones: refused)
    table = pa.Table.from_pandas(frame.drop(columns=[column]), preserve_index=False)
    folder = tmp_path / "in"
    folder.mkdir()
    pq.write_table(table.append_column(column, pa.array(ids, pa.int64())), folder / "visits.parquet")
    target, answer = tmp_path / "out.csv", tmp_path / "out.835"
    if engine == "dask":
        target = target.with_suffix(".parquet")
        argv = ["batch", str(folder), "-o", str(target), "-q", "--engine", "dask", "--workers", "1"]
    else:
        argv = ["batch", str(folder / "visits.parquet"), "-o", str(target), "-q", "--remittance", str(answer)]
    if column == "member_id":
        argv += ["--by-member"]
    assert main(argv) == (0 if column == "member_id" else 1)  # (member 7 and the empty ones: claims of their own)
    capsys.readouterr()
    out = pd.read_parquet(target) if engine == "dask" else pd.read_csv(target, dtype={column: str})
    assert out[column].tolist()[:6] == [str(big)] * 3 + [str(big + 1)] * 3
    paid = out.iloc[:6].groupby(out[column][:6], sort=False)["plan_pays"].sum().round(2).tolist()
    assert paid == [FIRST_PLAN, FIRST_PLAN]  # each the first visit of a claim (and of a member) of its own
    if engine == "pandas":
        claims = [s.split("*")[1] for s in answer.read_text().split("~") if s.strip().startswith("CLP*")]
        assert claims == (["C1", "C2", "C3", "C4"] if column == "member_id" else [str(big), str(big + 1)])
