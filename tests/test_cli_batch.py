"""``medspa-kit batch IN -o OUT``: chunks, bad rows, summary, Parquet."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from medspa_kit.cli import main
from medspa_kit.columns import RESULT_COLUMNS, scenarios_to_frame

from .builders import BASE
from .builders import case as _case


# BASE: patient 420.00 (all deductible), plan 0. Deductible met: patient 84.00 (20 % of 420), plan 336.00.
# Z41.1: PR 204, patient 1,100.00. Totals: patient 1,604.00, plan 336.00.
GOOD = [BASE, _case(**{"accumulators.deductible_met": 1500.0}), _case(diagnoses=["Z41.1"])]


def _write(tmp_path, rows, name="in.csv"):
    frame = scenarios_to_frame(rows)
    frame.insert(0, "visit_id", [f"V{i}" for i in range(len(frame))])
    path = tmp_path / name
    if name.endswith(".parquet"):
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)
    return path


def test_a_small_file_is_summarised(tmp_path, capsys, csv_engine):
    source = _write(tmp_path, GOOD)
    assert main(["batch", str(source), "-o", str(tmp_path / "out.csv"), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "rows                       3" in out
    assert "covered                    2" in out and "denied                     1" in out
    assert "errors                     0" in out
    assert "$1,604.00" in out and "$336.00" in out
    result = pd.read_csv(tmp_path / "out.csv")
    assert list(result.columns[-len(RESULT_COLUMNS):]) == list(RESULT_COLUMNS)
    assert result["visit_id"].tolist() == ["V0", "V1", "V2"]
    assert result["patient_pays"].tolist() == [420.0, 84.0, 1100.0]


@pytest.fixture(params=["arrow", "pandas"])
def csv_engine(request, monkeypatch):
    """Run a test with Arrow's CSV reader and writer, and again with pandas' (no pyarrow)."""
    from medspa_kit import batch_io

    if request.param == "arrow":
        pytest.importorskip("pyarrow")
    else:
        monkeypatch.setattr(batch_io, "arrow", lambda: None)
    return request.param


def test_bad_rows_are_reported_and_no_good_row_is_lost(tmp_path, capsys, csv_engine):
    rows = GOOD * 4
    rows[1] = _case(**{"plan.coinsurance": 1.5})
    rows[6] = _case(**{"provider.npi": "1234567890"})
    source = _write(tmp_path, rows)
    with open(source, "a", encoding="utf-8") as handle:  # a line with one cell too many cannot be read
        handle.write("V99," + ",".join(["x"] * (len(scenarios_to_frame([BASE]).columns) + 1)) + "\n")
    target = tmp_path / "out.csv"
    assert main(["batch", str(source), "-o", str(target), "--chunk-size", "5", "-q"]) == 1
    captured = capsys.readouterr()
    assert "errors                     3" in captured.out
    lines = captured.err.splitlines()
    assert lines[0].startswith("medspa-kit: row 3: plan.coinsurance: 1.5 is not a rate")
    assert lines[1].startswith("medspa-kit: row 8: provider.npi: '1234567890' fails the NPI check digit")
    header = len(scenarios_to_frame([BASE]).columns) + 1  # the scenario's columns and visit_id
    assert f"{header + 1} cells (the header has {header})" in lines[2] and "not evaluated" in lines[2]
    if csv_engine == "pandas":
        assert lines[2] == f"medspa-kit: line 14 has {header + 1} cells (the header has {header}) and was not evaluated"
    result = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert len(result) == 12
    good = result[result["error"] == ""]
    assert len(good) == 10 and (good["decision"] != "").all()
    assert result.loc[result["visit_id"] == "V1", "decision"].item() == ""


def test_many_errors_are_counted_by_field(tmp_path, capsys):
    # Twelve rows: dates written the US way in eight, one bad NPI, one category code in the
    # second diagnosis, two good rows. Five errors are shown; the count by field says the rest.
    rows = [_case(date_of_service="03/02/2026") for _ in range(8)]
    rows += [_case(**{"provider.npi": "1234567890"}), _case(diagnoses=["L74.510", "L74.5"]), BASE, BASE]
    source = _write(tmp_path, rows)
    assert main(["batch", str(source), "-o", str(tmp_path / "out.csv"), "-q"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[5].startswith("medspa-kit: … and 5 more rows with errors (see the error column of ")
    assert err[6] == "medspa-kit: rows with errors, by field: date_of_service 8, diagnoses 1, provider.npi 1"


def test_progress_goes_to_stderr_and_the_summary_to_stdout(tmp_path):
    source = _write(tmp_path, GOOD)
    proc = subprocess.run([sys.executable, "-m", "medspa_kit.cli", "batch", str(source), "-o",
                           str(tmp_path / "out.csv")], capture_output=True, text=True)
    assert proc.returncode == 0
    assert "batch: 100%" in proc.stderr and "rows=3" in proc.stderr
    assert proc.stdout.startswith("rows ")


@pytest.mark.parametrize("argv_tail,message", [
    (["missing.csv", "-o", "out.csv"], "medspa-kit: file: cannot read 'missing.csv': no such file"),
    (["{src}", "-o", "{src}"], "medspa-kit: --output:"),
    (["{src}", "-o", "out.csv", "--chunk-size", "0"], "medspa-kit: --chunk-size: 0 is not a positive number"),
])
def test_unusable_arguments_exit_2_with_one_line(tmp_path, argv_tail, message):
    source = _write(tmp_path, GOOD)
    argv = [a.replace("{src}", str(source)) for a in argv_tail]
    proc = subprocess.run([sys.executable, "-m", "medspa_kit.cli", "batch", *argv, "-q"], capture_output=True,
                          text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [proc.stderr.strip()] and proc.stderr.startswith(message)


def test_a_table_without_a_required_column_exits_2(tmp_path):
    source = tmp_path / "in.csv"
    scenarios_to_frame(GOOD).drop(columns=["plan.type"]).to_csv(source, index=False)
    proc = subprocess.run([sys.executable, "-m", "medspa_kit.cli", "batch", str(source), "-o",
                           str(tmp_path / "out.csv"), "-q"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr == "medspa-kit: plan.type: required column is missing from the table\n"


def test_parquet_in_and_out(tmp_path, capsys):
    pytest.importorskip("pyarrow")
    source = _write(tmp_path, GOOD + [_case(**{"plan.coinsurance": 1.5})], name="in.parquet")
    target = tmp_path / "out.parquet"
    assert main(["batch", str(source), "-o", str(target), "-q", "--chunk-size", "2"]) == 1
    assert "$1,604.00" in capsys.readouterr().out
    result = pd.read_parquet(target)
    assert result["patient_pays"].tolist()[:3] == [420.0, 84.0, 1100.0]
    assert result["error"].iloc[:3].isna().all()
    assert result["error"].iloc[3].startswith("plan.coinsurance: 1.5")
    # The results of a run can be run again: the old result columns are replaced.
    assert main(["batch", str(target), "-o", str(tmp_path / "again.csv"), "-q"]) == 1
    again = pd.read_csv(tmp_path / "again.csv")
    assert list(again.columns).count("decision") == 1


def _claims_file(tmp_path, order=None):
    from medspa_kit import preset

    names = ["migraine-claim-with-discarded-units", "seven-actinic-keratoses", "add-on-code-alone",
             "office-visit-on-procedure-day"]
    frame = scenarios_to_frame([preset(n) for n in names])  # 3 + 2 + 1 + 2 = 8 rows, claims 0-3
    if order is not None:
        frame = frame.iloc[order]
    path = tmp_path / "claims.csv"
    frame.to_csv(path, index=False)
    return path, frame


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 100])
def test_a_claim_is_never_split_between_chunks(tmp_path, capsys, chunk_size):
    from medspa_kit import evaluate_frame

    source, frame = _claims_file(tmp_path)
    target = tmp_path / "out.csv"
    assert main(["batch", str(source), "-o", str(target), "-q", "--chunk-size", str(chunk_size)]) == 0
    out = pd.read_csv(target, dtype={"reason_carc": str})
    whole = evaluate_frame(frame.reset_index(drop=True))
    assert list(out["claim_decision"]) == list(whole["claim_decision"].astype(str))
    assert list(out["claim_decision"]) == ["covered"] * 5 + ["denied"] + ["partly_covered"] * 2
    assert list(out["reason_carc"].fillna("")) == ["", "", "", "", "", "107", "97", ""]
    assert out["plan_pays"].sum() == pytest.approx(whole["plan_pays"].sum())


def test_a_claim_whose_rows_are_apart_across_chunks_is_an_error_not_a_silent_answer(tmp_path, capsys):
    # Rows 0-2 are the migraine claim; its last row moved to the end lands in a later chunk.
    source, _ = _claims_file(tmp_path, order=[0, 1, 3, 4, 5, 6, 7, 2])
    target = tmp_path / "out.csv"
    assert main(["batch", str(source), "-o", str(target), "-q", "--chunk-size", "3"]) == 1
    out = pd.read_csv(target)
    assert out["error"].iat[-1].startswith("claim_id: the claim's rows are not next to each other")
    assert pd.isna(out["decision"].iat[-1])
    assert "errors                     1" in capsys.readouterr().out
