"""``medspa-kit batch IN -o OUT``: chunks, bad rows, summary, Parquet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
    assert "rows                      13" in captured.out and "errors                     3" in captured.out
    lines = captured.err.splitlines()
    # the header is line 1: the second scenario is on line 3, the seventh on line 8
    assert lines[0].startswith("medspa-kit: line 3: plan.coinsurance: 1.5 is not a rate")
    assert lines[1].startswith("medspa-kit: line 8: provider.npi: '1234567890' fails the NPI check digit")
    header = len(scenarios_to_frame([BASE]).columns) + 1  # the scenario's columns and visit_id
    unread = f"line 14 has {header + 1} cells, the header has {header}: the line was not read"
    assert lines[2] == "medspa-kit: " + unread
    result = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert len(result) == 13  # every line of IN is a row of OUT, the unreadable one in its place
    assert result["error"].iat[12] == unread
    assert (result.iloc[12, :header] == "").all()  # its cells are not guessed
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
    # The results of a run can be run again: the old result columns are kept under new names.
    assert main(["batch", str(target), "-o", str(tmp_path / "again.csv"), "-q"]) == 1
    again = pd.read_csv(tmp_path / "again.csv")
    assert list(again.columns).count("decision") == 1
    assert again["in_patient_pays"].tolist()[:3] == again["patient_pays"].tolist()[:3] == [420.0, 84.0, 1100.0]
    assert again["in_error"].iat[3].startswith("plan.coinsurance: 1.5")


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


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 100])
def test_a_claim_whose_rows_are_apart_is_refused_on_every_row_in_any_chunking(tmp_path, capsys, csv_engine,
                                                                               chunk_size):
    # Rows 0-2 are the migraine claim; its middle row moved to the end: M, M, K, K, A, O, O, M.
    # Every one of the migraine claim's three rows is refused (the first two may already have been
    # evaluated in an earlier chunk when the third appears); the other claims are answered as if
    # the migraine claim were not there.
    source, frame = _claims_file(tmp_path, order=[0, 2, 3, 4, 5, 6, 7, 1])
    target = tmp_path / "out.csv"
    assert main(["batch", str(source), "-o", str(target), "-q", "--chunk-size", str(chunk_size)]) == 1
    out = pd.read_csv(target, dtype={"reason_carc": str})
    apart = [0, 1, 7]
    assert out["error"].iloc[apart].str.startswith("claim_id: the claim's rows are not next to each other in the "
                                                   "file").all()
    assert out["decision"].iloc[apart].isna().all() and out["plan_pays"].iloc[apart].isna().all()
    assert out["error"].drop(index=apart).isna().all()
    # the same four claims as in the test above, less the migraine claim
    assert list(out["claim_decision"].drop(index=apart)) == ["covered"] * 2 + ["denied"] + ["partly_covered"] * 2
    assert "errors                     3" in capsys.readouterr().out


def test_a_claim_apart_does_not_reach_the_remittance(tmp_path, capsys):
    pytest.importorskip("x12sdk")
    source, _ = _claims_file(tmp_path, order=[0, 2, 3, 4, 5, 6, 7, 1])
    edi = tmp_path / "out.835"
    assert main(["batch", str(source), "-o", str(tmp_path / "out.csv"), "-q", "--chunk-size", "2",
                 "--remittance", str(edi)]) == 1
    # four claims less the migraine claim: three CLP loops
    assert edi.read_text().count("CLP*") == 3


# -- nothing lost, nothing false (issue: hostile inputs) -------------------------------------------

HOSTILE = Path(__file__).parent / "cases" / "hostile"


def _run(tmp_path, source, *extra, target="out.csv"):
    return main(["batch", str(source), "-o", str(tmp_path / target), "-q", *extra])


def test_a_line_with_one_cell_too_many_keeps_its_place(tmp_path, capsys, csv_engine):
    assert _run(tmp_path, HOSTILE / "11-batch-row-too-many-fields.csv") == 1
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert out["visit_id"].tolist() == ["V1", "", "V4"]
    assert out["error"].tolist()[1] == "line 3 has 14 cells, the header has 13: the line was not read"
    assert out["decision"].tolist()[0] != "" and out["decision"].tolist()[2] != ""
    assert "errors                     1" in capsys.readouterr().out


def test_a_quote_that_never_closes_loses_only_its_own_line(tmp_path, capsys, csv_engine):
    assert _run(tmp_path, HOSTILE / "19-batch-unbalanced-quote.csv") == 1
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert out["visit_id"].tolist() == ["", "V2", "V4"]
    assert out["error"].tolist() == ["line 2: a quoted cell opens and is never closed; the line was not read", "", ""]
    err = capsys.readouterr().err
    assert err == "medspa-kit: line 2: a quoted cell opens and is never closed; the line was not read\n"


@pytest.mark.parametrize("body,message", [
    ('"V1,2026-03-02\nV2,2026-03-02\n', "has no line that can be read as a row (line 2: a quoted cell opens and is "
                                        "never closed"),
    ("", "has no line that can be read as a row: it has a header and nothing under it"),
])
def test_a_file_with_no_readable_line_exits_2_and_writes_nothing(tmp_path, csv_engine, body, message):
    source = tmp_path / "in.csv"
    header = (HOSTILE / "11-batch-row-too-many-fields.csv").read_text(encoding="utf-8").splitlines()[0]
    source.write_text(header + "\n" + body, encoding="utf-8")
    (tmp_path / "out.csv").write_text("an earlier OUT\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "medspa_kit.cli", "batch", str(source), "-o", str(tmp_path / "out.csv"),
                           "-q"], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.startswith(f"medspa-kit: file: '{source}' {message}")
    assert len(proc.stderr.splitlines()) == 1
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "an earlier OUT\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_row_numbers_are_the_lines_of_the_file(tmp_path, capsys, csv_engine):
    frame = scenarios_to_frame([BASE, _case(**{"plan.coinsurance": 1.5})])
    frame.insert(0, "note", ["two\nlines", "x"])  # a quoted line break: the second row starts on line 4
    frame.to_csv(tmp_path / "in.csv", index=False)
    assert _run(tmp_path, tmp_path / "in.csv") == 1
    assert capsys.readouterr().err.startswith("medspa-kit: line 4: plan.coinsurance: 1.5 is not a rate")
    assert pd.read_csv(tmp_path / "out.csv")["note"].tolist() == ["two\nlines", "x"]


def test_columns_named_like_results_are_kept_under_new_names(tmp_path, capsys, csv_engine):
    frame = scenarios_to_frame(GOOD)
    frame.insert(0, "decision", ["mine"] * 3)
    frame.insert(1, "in_decision", ["taken"] * 3)
    frame["error"] = ["e1", "e2", "e3"]
    frame.to_csv(tmp_path / "in.csv", index=False)
    assert _run(tmp_path, tmp_path / "in.csv") == 0
    out = pd.read_csv(tmp_path / "out.csv")
    assert out["in_in_decision"].tolist() == ["mine"] * 3 and out["in_decision"].tolist() == ["taken"] * 3
    assert out["in_error"].tolist() == ["e1", "e2", "e3"] and out["error"].isna().all()
    assert out["decision"].tolist() == ["covered", "covered", "denied"]
    assert capsys.readouterr().err == ("medspa-kit: columns of in.csv named like results are written as "
                                       "decision → in_in_decision, error → in_error\n")


def test_an_unreadable_line_spoils_the_claim_it_may_belong_to(tmp_path, capsys, csv_engine):
    source, frame = _claims_file(tmp_path)  # claims 0-3 on rows 0-2, 3-4, 5, 6-7 (lines 2-4, 5-6, 7, 8-9)
    lines = source.read_text(encoding="utf-8").splitlines()
    lines[2] += ",one cell too many"  # line 3: the migraine claim's second line
    lines[7] = lines[7].replace(",", ";", 1)  # line 8: one cell fewer, claim 3's id gone with it
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _run(tmp_path, source, "--chunk-size", "2") == 1
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert len(out) == 8
    errors = out["error"].tolist()
    assert errors[1].startswith("line 3 has ")
    assert errors[0] == errors[2] == ("claim_id: line 3 cannot be read and may be one of this claim's lines: the "
                                      "claim was not evaluated without it")
    assert errors[3:5] == ["", ""] and "" not in out["decision"].tolist()[3:5]  # claim 1 is evaluated
    assert errors[6].startswith("line 8 has ")
    # line 8 sits between claim 2 (one line) and claim 3, and its cells name neither: it may be either's
    assert errors[5] == errors[7] == ("claim_id: line 8 cannot be read and may be one of this claim's lines: the "
                                      "claim was not evaluated without it")


def test_a_huge_amount_in_one_cell_is_that_row_s_error(tmp_path, capsys, csv_engine):
    rows = GOOD * 2
    rows[4] = _case(**{"service.charge": 1e308})
    assert _run(tmp_path, _write(tmp_path, rows), "--chunk-size", "2") == 1
    out = pd.read_csv(tmp_path / "out.csv")
    assert out["error"].iat[4] == "service.charge: 1e+308 is more than $10,000,000"
    assert out["decision"].notna().sum() == 5


def test_cells_a_spreadsheet_would_run_are_neutralised_and_numbers_stay(tmp_path, csv_engine):
    frame = scenarios_to_frame([BASE, BASE, _case(**{"plan.deductible": -5.0})])
    frame.insert(0, "visit_id", ['=HYPERLINK("http://evil","open")', "@SUM(1+1)", "-2+3"])
    frame.insert(1, "balance", ["-12.50", "+3", "\tx"])
    frame.to_csv(tmp_path / "in.csv", index=False)
    assert _run(tmp_path, tmp_path / "in.csv") == 1
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert out["visit_id"].tolist() == ["'=HYPERLINK(\"http://evil\",\"open\")", "'@SUM(1+1)", "'-2+3"]
    assert out["balance"].tolist() == ["-12.50", "+3", "'\tx"]
    assert out["plan.deductible"].tolist()[2] == "-5.0"  # a number stays a number, even a bad one
    assert out["error"].iat[2] == "plan.deductible: -5 is negative"


@pytest.mark.parametrize("how", ["hard link", "symbolic link"])
def test_an_output_that_is_the_input_is_refused_and_the_input_kept(tmp_path, how):
    source = _write(tmp_path, GOOD)
    before = source.read_bytes()
    out = tmp_path / "out.csv"
    os.link(source, out) if how == "hard link" else out.symlink_to(source)
    proc = subprocess.run([sys.executable, "-m", "medspa_kit.cli", "batch", str(source), "-o", str(out), "-q"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr == f"medspa-kit: --output: '{out}' is the input file; write to another file\n"
    assert source.read_bytes() == before


@pytest.mark.parametrize("target,why", [("missing/folder/OUT.parquet", "No such file or directory"),
                                        ("missing/folder/OUT.csv", "No such file or directory"),
                                        ("/dev/full", "it is not a regular file")])
def test_an_output_that_cannot_be_written_is_one_line(tmp_path, target, why):
    if target.endswith(".parquet"):
        pytest.importorskip("pyarrow")
    out = target if target.startswith("/") else str(tmp_path / target)
    source = _write(tmp_path, GOOD)
    proc = subprocess.run([sys.executable, "-m", "medspa_kit.cli", "batch", str(source), "-o", out, "-q"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr == f"medspa-kit: --output: cannot write '{out}': {why}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_full_disk_leaves_no_output_and_keeps_the_earlier_one(tmp_path, monkeypatch, csv_engine):
    from medspa_kit import batch_io

    source = _write(tmp_path, GOOD * 3)
    target = tmp_path / "out.csv"
    target.write_text("an earlier OUT\n", encoding="utf-8")
    calls = []

    def full_after_one_chunk(self, chunk, results, formulas):
        calls.append(len(chunk))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch_io.Writer, "_write", full_after_one_chunk)
    assert main(["batch", str(source), "-o", str(target), "-q", "--chunk-size", "4"]) == 2
    assert target.read_text(encoding="utf-8") == "an earlier OUT\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_an_input_found_unusable_late_leaves_the_earlier_output(tmp_path, capsys, csv_engine):
    source = _write(tmp_path, GOOD * 400)
    with open(source, "ab") as handle:
        handle.write(b"V\xfc," + b",".join([b"x"] * (len(scenarios_to_frame([BASE]).columns))) + b"\n")
    target = tmp_path / "out.csv"
    target.write_text("an earlier OUT\n", encoding="utf-8")
    assert main(["batch", str(source), "-o", str(target), "-q", "--chunk-size", "100"]) == 2
    assert capsys.readouterr().err.endswith("(byte 0xFC on line 1,202: Latin-1 or Windows-1252?); save it as UTF-8\n")
    assert target.read_text(encoding="utf-8") == "an earlier OUT\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_an_unreadable_input_is_one_line(tmp_path, monkeypatch, capsys):
    import errno

    source = _write(tmp_path, GOOD)
    real_open = os.open

    def refused(path, *args, **kwargs):  # what chmod 000 does for anyone but root
        if str(path) == str(source):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refused)
    assert main(["batch", str(source), "-o", str(tmp_path / "out.csv"), "-q"]) == 2
    assert capsys.readouterr().err == f"medspa-kit: file: cannot read '{source}': Permission denied\n"
    assert not (tmp_path / "out.csv").exists()


def test_a_broken_parquet_file_is_one_line(tmp_path):
    pytest.importorskip("pyarrow")
    source = tmp_path / "in.parquet"
    source.write_bytes(b"PAR1 not really parquet PAR1")
    proc = subprocess.run([sys.executable, "-m", "medspa_kit.cli", "batch", str(source), "-o",
                           str(tmp_path / "out.csv"), "-q"], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.startswith(f"medspa-kit: file: cannot read '{source}' as Parquet")
    assert len(proc.stderr.splitlines()) == 1 and not (tmp_path / "out.csv").exists()


def _big_input(tmp_path, rows=500_000):
    """The sample year repeated to ``rows`` rows (about 180 MB): a batch that runs for seconds."""
    from medspa_kit.catalog import default_catalog

    header, *lines = (default_catalog().folder / "sample_visits.csv").read_text(encoding="utf-8").splitlines()
    source = tmp_path / "big.csv"
    with open(source, "w", encoding="utf-8") as handle:
        handle.write(header + "\n")
        for start in range(0, rows, len(lines)):
            handle.write("\n".join(lines[: min(len(lines), rows - start)]) + "\n")
    return source


@pytest.mark.slow
@pytest.mark.parametrize("signal_name,earlier", [("SIGINT", False), ("SIGINT", True), ("SIGTERM", True)])
def test_ctrl_c_in_a_large_batch_leaves_no_output_and_keeps_the_earlier_one(tmp_path, signal_name, earlier):
    import signal
    import time

    source = _big_input(tmp_path)
    target = tmp_path / "OUT.csv"
    if earlier:
        target.write_text("an earlier OUT\n", encoding="utf-8")
    # its own process group, as a shell with job control starts a job: Ctrl-C goes to the group
    proc = subprocess.Popen([sys.executable, "-m", "medspa_kit.cli", "batch", str(source), "-o", str(target), "-q",
                             "--chunk-size", "20000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until some results are written (to the temporary file)
        parts = list(tmp_path.glob(".OUT.csv.*.part"))
        if parts and parts[0].stat().st_size > 1_000_000:
            break
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    os.killpg(proc.pid, getattr(signal, signal_name))
    out, err = proc.communicate(timeout=60)
    words = {"SIGINT": (130, "interrupted"), "SIGTERM": (143, "terminated")}[signal_name]
    assert (proc.returncode, err.decode()) == (words[0], f"medspa-kit: {words[1]}\n") and out == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == (["OUT.csv", "big.csv"] if earlier else ["big.csv"])
    if earlier:
        assert target.read_text(encoding="utf-8") == "an earlier OUT\n"


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("gap", [0.0, 0.002, 0.02])
def test_a_second_signal_while_the_batch_stops_is_ignored(tmp_path, signal_name, gap):
    # Ctrl-C pressed twice (or `timeout` passing a signal on to a group that got it too): the
    # second arrives while the first unwinds and removes the temporary file; it must not
    # interrupt that cleanup (a traceback, a .part file left behind)
    import signal
    import time

    source = _big_input(tmp_path, rows=120_000)
    target = tmp_path / "OUT.csv"
    target.write_text("an earlier OUT\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "medspa_kit.cli", "batch", str(source), "-o", str(target), "-q",
                             "--chunk-size", "5000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(tmp_path.glob(".OUT.csv.*.part")):
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.01)
    for _ in range(2):
        try:
            os.killpg(proc.pid, getattr(signal, signal_name))
        except ProcessLookupError:  # (it had already stopped: the second signal found no one)
            break
        time.sleep(gap)
    out, err = proc.communicate(timeout=60)
    words = {"SIGINT": (130, "interrupted"), "SIGTERM": (143, "terminated")}[signal_name]
    assert (proc.returncode, err.decode()) == (words[0], f"medspa-kit: {words[1]}\n") and out == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["OUT.csv", "big.csv"]
    assert target.read_text(encoding="utf-8") == "an earlier OUT\n"


def _stopped(tmp_path, script, before, words, *, out=None):
    """Run ``script`` (``python -c``; ``before`` its arguments ahead of the command's) on a batch
    of GOOD into OUT.csv, over an earlier OUT, in ``out`` (tmp_path by default), and check the
    command said only its stop's one line, left nothing beside OUT and kept the earlier OUT."""
    source = tmp_path / "in.csv"
    scenarios_to_frame(GOOD).to_csv(source, index=False)
    folder = out or tmp_path
    target = folder / "OUT.csv"
    target.write_text("an earlier OUT\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", script, *before, "batch", str(source), "-o", str(target), "-q"],
                          capture_output=True, timeout=120)
    assert (proc.returncode, proc.stderr.decode()) == (words[0], f"medspa-kit: {words[1]}\n") and proc.stdout == b""
    assert sorted(p.name for p in folder.iterdir()) == (["OUT.csv"] if out else ["OUT.csv", "in.csv"])
    assert target.read_text(encoding="utf-8") == "an earlier OUT\n"


# Sends the signals to itself the moment pandas (or numpy) starts loading, then runs the command as
# `medspa-kit` does (medspa_kit.command), as a script importing medspa_kit.cli does, or as
# `python -m medspa_kit.cli` does (module): the signal arrives while the modules load, which took
# the first few tenths of a second of every command.
_SIGNAL_WHILE_LOADING = """
import os, signal, sys
SIGNALS = [getattr(signal, name) for name in sys.argv[1].split("+")]
WHEN = ("argparse",) if sys.argv[2] == "module" else ("pandas", "numpy")  # (argparse: cli.py's first import)
class Signal:
    def find_spec(self, name, path=None, target=None):
        if name in WHEN and not getattr(self, "sent", False):
            self.sent = True
            for signum in SIGNALS:
                os.kill(os.getpid(), signum)
        return None
sys.meta_path.insert(0, Signal())
sys.argv = ["medspa-kit", *sys.argv[2:]]
if sys.argv[1] == "command":
    del sys.argv[1]
    from medspa_kit.command import main
elif sys.argv[1] == "module":  # as `python -m medspa_kit.cli` runs it
    del sys.argv[1]
    import runpy
    runpy.run_module("medspa_kit.cli", run_name="__main__", alter_sys=True)
else:
    from medspa_kit.cli import main
sys.exit(main())
"""


@pytest.mark.parametrize("entry", ["command", "cli", "module"])
@pytest.mark.parametrize("signals, words", [("SIGINT", (130, "interrupted")), ("SIGTERM", (143, "terminated")),
                                            ("SIGINT+SIGTERM", (130, "interrupted"))])
def test_a_signal_while_the_modules_load_is_one_line(tmp_path, entry, signals, words):
    # it was a KeyboardInterrupt traceback from inside numpy's import (SIGINT), or a death by
    # SIGTERM with nothing said (SIGINT and SIGTERM together); run as `python -m medspa_kit.cli`,
    # the same while cli.py's own imports load (argparse first)
    _stopped(tmp_path, _SIGNAL_WHILE_LOADING, [signals, entry], words)


# Sends SIGTERM to itself the moment the temporary file beside OUT is made (inside os.open, before
# the command has its name back), then runs the batch.
_SIGNAL_AS_THE_FILE_IS_MADE = """
import os, signal, sys
made = os.open
def open_and_signal(path, *args, **kwargs):
    fd = made(path, *args, **kwargs)
    if os.fsdecode(path).endswith(".part"):
        os.kill(os.getpid(), signal.SIGTERM)
    return fd
os.open = open_and_signal
from medspa_kit.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_signal_as_the_temporary_file_is_made_leaves_no_part_file(tmp_path):
    # the file was made by tempfile.mkstemp before the try that removes it: a .part file was left
    _stopped(tmp_path, _SIGNAL_AS_THE_FILE_IS_MADE, [], (143, "terminated"))


# Each sends a signal to itself at an unlucky moment, in the ways a signal's exception goes astray
# in real libraries, then runs the batch as `python -m medspa_kit.cli` does.
_ASTRAY_STOPS = """
import os, signal, sys, time
import medspa_kit.cli as cli
cli.STOP_GRACE_SECONDS = 1.0
how = sys.argv[1]

def signal_self(signum):
    os.kill(os.getpid(), signum)
    time.sleep(0.05)  # (the handler runs here)

class Lost:  # a destructor: Python prints the exception raised in it ("Exception ignored in") and drops it
    def __del__(self):
        signal_self(signal.SIGINT)

def hang_after_a_lost_stop():  # lost, as in importlib's lock callback, which then leaves its lock held
    try:
        signal_self(signal.SIGTERM)
    except BaseException:
        pass
    while True:
        time.sleep(1)

made = os.chmod
def chmod(path, *args, **kwargs):  # (the temporary file beside OUT is written whole, not yet in place)
    if how == "hangs writing" and os.fsdecode(path).endswith(".part"):
        hang_after_a_lost_stop()
    return made(path, *args, **kwargs)
os.chmod = chmod

class Meddle:
    def find_spec(self, name, path=None, target=None):
        if name == "pandas" and not getattr(self, "done", False):
            self.done = True
            if how == "wrapped":  # as pydantic-core wraps it in a SchemaError, building a model
                try:
                    signal_self(signal.SIGINT)
                except KeyboardInterrupt as err:
                    raise RuntimeError("Error building validator") from err
            if how == "lost":
                Lost()
            if how == "hangs":
                hang_after_a_lost_stop()
            if how == "late":
                signal_self(signal.SIGINT)
        return None
sys.meta_path.insert(0, Meddle())
code = cli.main(sys.argv[2:])
class Late:  # what CPython reports of a signal that found its handler already set to "ignore"
    def __del__(self):
        raise OSError("Signal 2 ignored due to race condition")
Late()
sys.exit(code)
"""


@pytest.mark.parametrize("how, words", [("wrapped", (130, "interrupted")), ("lost", (130, "interrupted")),
                                        ("hangs", (143, "terminated")), ("hangs writing", (143, "terminated")),
                                        ("late", (130, "interrupted"))])
def test_a_stop_whose_exception_goes_astray_still_ends_the_command_in_one_line(tmp_path, how, words):
    # wrapped: a traceback ending in pydantic-core's SchemaError, exit 1; lost: "Exception ignored
    # in …" on stderr; hangs (while loading, or with OUT written whole beside its name): no exit at
    # all (the import lock held, every later signal ignored), and a .part file left;
    # late: a second signal delivered to another thread printed "OSError: Signal 2 ignored due to
    # race condition" after the one line
    _stopped(tmp_path, _ASTRAY_STOPS, [how], words)


# A stop lost while pandas loads; the watchdog (after 0.3 s) ends the command while the command,
# still running, makes the temporary file beside OUT: its one line is held back until that file
# exists (or 5 s), then the process ends at once.
_ENDED_AS_THE_FILE_IS_MADE = """
import os, signal, sys, threading, time
import medspa_kit.cli as cli
cli.STOP_GRACE_SECONDS = 0.3
written, folder = os.write, os.path.dirname(sys.argv[-2])
def write(fd, data):
    if threading.current_thread() is not threading.main_thread():
        waited = time.monotonic()
        while time.monotonic() - waited < 5 and not any(n.endswith(".part") for n in os.listdir(folder)):
            time.sleep(0.01)
    return written(fd, data)
os.write = write
class Lost:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
class Meddle:
    def find_spec(self, name, path=None, target=None):
        if name == "pandas" and not getattr(self, "done", False):
            self.done = True
            Lost()
        return None
sys.meta_path.insert(0, Meddle())
sys.exit(cli.main(sys.argv[1:]))
"""


def test_a_command_ended_at_once_leaves_no_temporary_file_made_meanwhile(tmp_path):
    # the command ended at once removed the temporary files it knew of, then a file made meanwhile
    # by the command (still running) was left beside OUT: '.OUT.csv.633461d79dd8.part'
    (tmp_path / "out").mkdir()
    _stopped(tmp_path, _ENDED_AS_THE_FILE_IS_MADE, [], (130, "interrupted"), out=tmp_path / "out")


_SIGNAL_WHILE_PUTTING_IN_PLACE = """
import os, signal, sys, time
import medspa_kit.cli as cli
when = sys.argv[1]
made, sent = os.replace, []
def replace(*args, **kwargs):  # the 835 is put in place first, then OUT
    if when == "between" and not sent:
        sent.append(os.kill(os.getpid(), signal.SIGTERM))
        time.sleep(0.05)
    return made(*args, **kwargs)
os.replace = replace
code = cli.main(sys.argv[2:], final=True)
if when == "after":  # the command has ended: the process is on its way out
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.05)
sys.exit(code)
"""


@pytest.mark.parametrize("when", ["between", "after"])
def test_a_signal_once_the_outputs_are_put_in_place_changes_nothing(tmp_path, when):
    # between: the 835 was replaced, OUT kept, and the command said "terminated" (exit 143): the two
    # files no longer matched, and the exit said the run failed; after: the summary printed and
    # both files new, then death by the signal with nothing said. Past the point of no return the
    # command ends as it would have: exit 0, both outputs new.
    source = tmp_path / "in.csv"
    scenarios_to_frame(GOOD).to_csv(source, index=False)
    target, answer = tmp_path / "OUT.csv", tmp_path / "OUT.835"
    target.write_text("an earlier OUT\n", encoding="utf-8")
    answer.write_text("an earlier 835\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", _SIGNAL_WHILE_PUTTING_IN_PLACE, when, "batch", str(source), "-o",
                           str(target), "--remittance", str(answer), "-q"], capture_output=True, timeout=120)
    assert (proc.returncode, proc.stderr.decode()) == (0, "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["OUT.835", "OUT.csv", "in.csv"]
    assert target.read_text(encoding="utf-8").startswith('"version","date_of_service",')
    assert answer.read_text(encoding="utf-8").startswith("ISA*")


def test_a_parquet_file_repeating_a_column_is_refused(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    source = tmp_path / "in.parquet"
    pq.write_table(pa.table([pa.array(["V1"]), pa.array(["V2"])], names=["visit_id", "visit_id"]), source)
    proc = subprocess.run([sys.executable, "-m", "medspa_kit.cli", "batch", str(source), "-o",
                           str(tmp_path / "out.csv"), "-q"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr == f"medspa-kit: file: '{source}': the column 'visit_id' appears twice\n"


def test_a_full_disk_is_said_in_the_system_s_words_whoever_wrapped_it():
    from medspa_kit.batch_io import os_words

    assert os_words(OSError(28, "No space left on device")) == "No space left on device"
    # what Arrow's writers raise on a full tmpfs
    assert os_words(OSError("Error writing bytes to file. Detail: [errno 28] No space left on device")) == \
        "No space left on device"
    assert os_words(ValueError("bad  value\nhere")) == "bad value here"


# Sends the signal to itself as the command ends (`finished.set()` in main's finally), or as it
# writes the one line of its error, then runs the command as `python -m medspa_kit.cli` does.
_SIGNAL_AS_THE_COMMAND_ENDS = """
import os, signal, sys, threading, time
import medspa_kit.cli as cli
signum = getattr(signal, sys.argv[1])
def signal_self():
    os.kill(os.getpid(), signum)
    time.sleep(0.05)  # (the handler runs here)
if sys.argv[2] == "ending":
    class Event(threading.Event):
        def set(self):
            if sys._getframe(1).f_code.co_name == "main":  # (main's finally: the command has ended)
                signal_self()
            super().set()
    cli.threading.Event = Event
else:
    fail = cli._fail
    def failing(message):
        signal_self()
        return fail(message)
    cli._fail = failing
sys.exit(cli.main(sys.argv[3:], final=True))
"""


@pytest.mark.parametrize("signum", ["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("when", ["ending", "answering"])
def test_a_signal_as_the_command_ends_is_too_late_and_never_a_traceback(tmp_path, signum, when):
    # it was a _Terminated traceback from `finished.set()` in main's finally, after the command's
    # listing or its error line: the command has its answer, so it ends as it would have
    words = ["presets"] if when == "ending" else ["gfe", str(tmp_path / "missing.json"), "-o", "out.html"]
    proc = subprocess.run([sys.executable, "-c", _SIGNAL_AS_THE_COMMAND_ENDS, signum, when, *words],
                          capture_output=True, timeout=120, cwd=tmp_path)
    err = proc.stderr.decode()
    if when == "ending":
        assert (proc.returncode, err) == (0, "") and b"botox-forehead-lines" in proc.stdout
    else:
        assert proc.returncode == 2 and err.startswith("medspa-kit: ") and "missing.json" in err
        assert err.count("\n") == 1 and "Traceback" not in err and not (tmp_path / "out.html").exists()
