"""A second run of hostile inputs: what it found broken, kept fixed through every face it reaches.

Tracebacks (cells that no hash table holds, columns named twice, wrong argument types), the
claim of thousands of lines, numbers and dates that were read when they should not be, and
messages that contradicted themselves. Batch cases run with both CSV engines (``csv_engine``).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from medspa_kit import evaluate, evaluate_frame
from medspa_kit.cli import main
from medspa_kit.columns import scenarios_to_frame
from medspa_kit.errors import MedspaError, ScenarioError
from medspa_kit.fields import parse_iso_date, read_text
from medspa_kit.model import Scenario, load_scenario

from .builders import BASE, case
from .test_hostile_inputs import one_line, run


def frame_with(path: str, *cells) -> pd.DataFrame:
    """BASE as a table, one row per cell given, ``path`` holding that cell (object column)."""
    frame = scenarios_to_frame([BASE] * len(cells))
    frame[path] = pd.Series(list(cells), dtype=object)
    return frame


def batch(tmp_path, frame: pd.DataFrame, name: str = "in.csv") -> tuple[int, pd.DataFrame, str]:
    source = tmp_path / name
    if name.endswith(".parquet"):
        frame.to_parquet(source, index=False)
    else:
        frame.to_csv(source, index=False)
    target = tmp_path / "out.csv"
    code = main(["batch", str(source), "-o", str(target), "-q"])
    return code, pd.read_csv(target, dtype=str, keep_default_na=False) if target.exists() else None, ""


# -- cells no hash table holds -----------------------------------------------------------------


@pytest.mark.parametrize("path, cell, error", [
    ("plan.deductible", {"a": 1}, "plan.deductible: {'a': 1} is not a number"),
    ("service.charge", [1], "service.charge: [1] is not a number"),
    ("accumulators.history", [{"code": 1}], "accumulators.history[0].code: 1 is not text"),
])
def test_a_dict_or_a_list_where_none_belongs_is_a_row_error_naming_the_column(path, cell, error):
    result = evaluate_frame(frame_with(path, cell, BASE_CELL[path]))
    assert result["error"].iloc[0].startswith(error)
    assert pd.isna(result["error"].iloc[1]) and result["decision"].iloc[1] == "covered"


BASE_CELL = {"plan.deductible": 1500.0, "service.charge": 1100.0, "accumulators.history": None}


@pytest.mark.parametrize("path, cell", [
    ("diagnoses", np.array(["L74.510"])),  # a Parquet list column: read as the list it holds
    ("plan.covered_places_of_service", {"11", "22"}),
    ("accumulators.history", [{"code": "64650", "date": "2025-06-01"}]),
])
def test_arrays_sets_and_lists_of_dicts_are_read_as_evaluate_reads_them(path, cell):
    data = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[part]
    node[last] = cell
    expected = evaluate(data)
    result = evaluate_frame(frame_with(path, cell))
    assert pd.isna(result["error"].iloc[0])
    assert result["decision"].iloc[0] == expected.decision
    assert round(result["patient_pays"].iloc[0] * 100) == expected.cost.patient_pays


def test_parquet_list_and_struct_columns_are_rows_not_a_traceback(tmp_path):
    pytest.importorskip("pyarrow")
    frame = scenarios_to_frame([BASE] * 3)
    frame["diagnoses"] = [["L74.510"]] * 3
    frame["plan.deductible"] = [{"a": 1}, {"a": 2}, {"a": 3}]
    code, out, _ = batch(tmp_path, frame, "in.parquet")
    assert code == 1
    assert out["error"].str.startswith("plan.deductible: ").all()


def test_a_parquet_list_of_diagnoses_is_read_as_a_list(tmp_path):
    pytest.importorskip("pyarrow")
    frame = scenarios_to_frame([BASE] * 2)
    frame["diagnoses"] = [["L74.510"]] * 2
    code, out, _ = batch(tmp_path, frame, "in.parquet")
    assert code == 0
    # BASE: $420.00 fee schedule, nothing of the $1,500 deductible met: the patient pays all of it
    assert out["patient_pays"].astype(float).tolist() == [420.0, 420.0]


@pytest.mark.parametrize("path, kind, cells, error", [
    ("diagnoses", "list<string>", [["L74.510"], ["L74.510"]], None),
    ("diagnoses", "struct", [{"a": "L74.510"}] * 2, "diagnoses: {'a': 'L74.510'} should be a list"),
    ("diagnoses", "list<list>", [[["L74.510"]]] * 2, "diagnoses[0]: ['L74.510'] is not text"),
    ("plan.copay", "duration", [1, 1], "plan.copay: Timedelta('0 days 00:00:01') is not a number"),
])
def test_stale_pandas_metadata_does_not_decide_how_a_parquet_column_is_read(tmp_path, capsys, path, kind,
                                                                             cells, error):
    # pandas metadata written for a text column, the column then replaced by another Arrow type:
    # the file is read by its Arrow types (as the same file without that metadata)
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    types = {"list<string>": pa.list_(pa.string()), "struct": pa.struct([("a", pa.string())]),
             "list<list>": pa.list_(pa.list_(pa.string())), "duration": pa.duration("s")}
    frame = scenarios_to_frame([BASE] * 2)
    frame[path] = frame[path].astype(str)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.set_column(table.column_names.index(path), path, pa.array(cells, type=types[kind]))
    assert b"pandas" in table.schema.metadata
    pq.write_table(table, tmp_path / "in.parquet")
    code = main(["batch", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "out.csv"), "-q"])
    err = capsys.readouterr().err
    assert "Unsupported cast" not in err and "Traceback" not in err
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    if error is None:  # the list is the diagnoses: BASE's $420.00, nothing of the deductible met
        assert code == 0 and out["patient_pays"].astype(float).tolist() == [420.0, 420.0]
    else:  # a row error naming the column; a duration is never read as dollars
        assert code == 1 and out["error"].str.startswith(error).all(), out["error"].tolist()
        assert (out["decision"] == "").all() and (out["patient_pays"] == "").all()


def test_a_column_named_twice_is_refused_naming_it():
    frame = scenarios_to_frame([BASE])
    with pytest.raises(ScenarioError, match=r"^version: the column is given twice"):
        evaluate_frame(pd.concat([frame, frame], axis=1))


# -- wrong argument types --------------------------------------------------------------------------


@pytest.mark.parametrize("text, message", [
    (None, "scenario: expected JSON text (a str), got null"),
    ([1], "scenario: expected JSON text (a str), got an array"),
    (12, "scenario: expected JSON text (a str), got a number"),
])
def test_from_json_names_a_value_that_is_no_text(text, message):
    with pytest.raises(ScenarioError) as caught:
        Scenario.from_json(text)
    assert str(caught.value) == message


def test_from_json_reads_utf8_bytes_and_names_other_encodings():
    assert Scenario.from_json(json.dumps(BASE).encode("utf-8")).service.code == "64650"
    with pytest.raises(ScenarioError, match=r"not UTF-8 text \(UTF-16\)"):
        Scenario.from_json(json.dumps(BASE).encode("utf-16"))


@pytest.mark.parametrize("path, message", [
    ("a\x00b.json", "file: cannot read 'a\\x00b.json': a file name cannot hold a NUL character"),
    (0, "file: 0 is not a file name (give a str or a pathlib.Path)"),
    (None, "file: None is not a file name (give a str or a pathlib.Path)"),
])
def test_load_scenario_names_a_path_that_is_no_file_name(path, message):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value) == message


def test_cli_main_with_a_nul_in_a_path_is_one_line(capsys):
    assert main(["estimate", "a\x00b.json"]) == 2
    err = capsys.readouterr().err
    assert err == "medspa-kit: file: cannot read 'a\\x00b.json': a file name cannot hold a NUL character\n"
    for args in (["batch", "a\x00b.csv", "-o", "o.csv"], ["gfe", "a\x00b.json", "-o", "g.html"],
                 ["validate", "a\x00b"]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and len(err.splitlines()) == 1, err


# -- the explorer keeps bad input inline ------------------------------------------------------------


# the explorer names fields in plain words ("The charge"), the API by their path
@pytest.mark.parametrize("path, value, message", [
    ("preset", "no-such-preset", "preset: 'no-such-preset' is not a preset"),
    ("plan", "no-such-plan", "The plan: 'no-such-plan' is not a plan in plans.csv"),
    ("payer", "acme", "The payer: 'acme' is not a payer the kit knows"),
    ("service.charge", "1_100", "The charge: '1_100' is not a number"),
    ("service.charge", "１１００", "The charge: '１１００' is not a number"),
    ("service.charge", "١١٠٠", "The charge: '١١٠٠' is not a number"),
    ("service.charge", "1e999", "The charge: 1e999 is more than $10,000,000"),
    ("service.charge", "10000000.01", "The charge: 10000000.01 is more than $10,000,000"),
    ("plan.coinsurance", "1.5", "plan.coinsurance: 1.5 is not a rate between 0 and 1"),
])
def test_the_explorer_shows_bad_input_inline_and_keeps_the_last_result(path, value, message):
    from medspa_kit.ui.explorer import ScenarioExplorer

    ex = ScenarioExplorer(preset="botox-underarm-sweating")
    before = ex.outcome
    assert ex.set(path, value) is False
    assert ex.state.message.startswith(message)
    assert ex.outcome is before


def test_the_explorer_reads_a_charge_as_every_face_does():
    from medspa_kit.ui.explorer import ScenarioExplorer

    ex = ScenarioExplorer(preset="botox-underarm-sweating")
    assert ex.set("service.charge", "$1,250.50") is True
    assert ex.state.scenario.service.charge == 1250.50
    assert ex.set("plan.coinsurance", "0.3") is True
    assert ex.state.scenario.plan.coinsurance == 0.3


# -- numbers and dates as every face reads them ------------------------------------------------------


@pytest.mark.parametrize("text", ["１１００", "١١٠٠", "1_100", "1,10", "٣.5"])
def test_only_ascii_digits_make_a_number(text):
    assert read_text("number", text) == text  # unread: the parser names it


@pytest.mark.parametrize("text", ["20260302", "2026-W10-1", "2026-3-2", "２０２６-03-02", "2026-03-02T00:00",
                                  "2026-061", " 2026-03-02x"])
def test_a_date_is_yyyy_mm_dd_only_on_every_python(text):
    with pytest.raises(ValueError, match="is not an ISO date"):
        parse_iso_date(text)


def test_bad_numbers_and_dates_in_a_batch_file_are_row_errors_in_both_engines(tmp_path, csv_engine):
    frame = scenarios_to_frame([BASE] * 7).astype({"service.charge": object, "date_of_service": object})
    frame.loc[0, "service.charge"] = "１１００"
    frame.loc[1, "service.charge"] = "١١٠٠"
    frame.loc[2, "service.charge"] = "1_100"
    frame.loc[3, "service.charge"] = "5e-324"
    frame.loc[4, "date_of_service"] = "20260302"
    frame.loc[5, "date_of_service"] = "2026-W10-1"
    frame.loc[6, "service.charge"] = "1e999"
    code, out, _ = batch(tmp_path, frame)
    assert code == 1
    assert out["error"].tolist() == [
        "service.charge: '１１００' is not a number",
        "service.charge: '١١٠٠' is not a number",
        "service.charge: '1_100' is not a number",
        "service.charge: 5e-324 has a fraction of a cent",
        "date_of_service: '20260302' is not an ISO date (YYYY-MM-DD)",
        "date_of_service: '2026-W10-1' is not an ISO date (YYYY-MM-DD)",
        "service.charge: 1e999 is more than $10,000,000",
    ]


@pytest.mark.parametrize("amount", [5e-324, 1e-10, 0.001, 0.004])
def test_an_amount_below_a_cent_is_a_fraction_of_a_cent_in_every_face(amount):
    with pytest.raises(ScenarioError, match=r"^service\.charge: .* has a fraction of a cent$"):
        evaluate(case(**{"service.charge": amount}))
    result = evaluate_frame(scenarios_to_frame([case(**{"service.charge": amount})]))
    assert result["error"].iloc[0].endswith("has a fraction of a cent")


def test_a_rate_below_half_a_millionth_has_too_many_decimals_in_every_face():
    with pytest.raises(ScenarioError, match=r"more than 6 decimal places"):
        evaluate(case(**{"plan.coinsurance": 1e-300}))
    result = evaluate_frame(scenarios_to_frame([case(**{"plan.coinsurance": 1e-300})]))
    assert "more than 6 decimal places" in result["error"].iloc[0]


def test_a_parquet_amount_of_5e_324_is_refused(tmp_path):
    pytest.importorskip("pyarrow")
    frame = scenarios_to_frame([BASE] * 2)
    frame["service.charge"] = [5e-324, 1100.0]
    code, out, _ = batch(tmp_path, frame, "in.parquet")
    assert code == 1
    assert out["error"].tolist() == ["service.charge: 5e-324 has a fraction of a cent", ""]


def test_a_timestamp_at_midnight_is_its_date_in_evaluate_and_evaluate_frame():
    data = case(date_of_service=pd.Timestamp("2026-03-02"))
    assert evaluate(data).decision == evaluate(BASE).decision
    frame = frame_with("date_of_service", pd.Timestamp("2026-03-02"), pd.Timestamp("2026-03-02 10:00"))
    result = evaluate_frame(frame)
    assert pd.isna(result["error"].iloc[0])
    assert result["error"].iloc[1].startswith("date_of_service: ") and "is a date and time" in result["error"].iloc[1]
    with pytest.raises(ScenarioError, match="is a date and time"):
        evaluate(case(date_of_service=pd.Timestamp("2026-03-02 10:00")))
    with pytest.raises(ScenarioError, match="is a date and time"):
        evaluate(case(date_of_service=dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)))


@pytest.mark.parametrize("value", [np.float32(1100.1), np.float32(0.2)])
def test_a_float32_is_read_as_the_decimal_it_shows_in_evaluate_and_evaluate_frame(value):
    """docs/scenario.md: a float32 is read as the shortest decimal it holds (1100.1, 0.2), in
    both paths alike."""
    path = "service.charge" if value > 1 else "plan.coinsurance"
    expected = evaluate(case(**{path: value}))
    result = evaluate_frame(frame_with(path, value))
    assert pd.isna(result["error"].iloc[0])
    assert round(result["patient_pays"].iloc[0] * 100) == expected.cost.patient_pays


def test_a_row_longer_than_1_mb_is_an_unreadable_line_in_both_engines(tmp_path, csv_engine):
    frame = scenarios_to_frame([BASE] * 3)
    frame.insert(0, "visit_id", ["a", "v" * 1_100_000, "c"])
    code, out, _ = batch(tmp_path, frame)
    assert code == 1
    assert out["visit_id"].tolist()[0::2] == ["a", "c"]
    assert out["error"].tolist() == ["", "line 3 cannot be read: a cell is longer than 1,000,000 bytes", ""]


def test_a_row_of_many_cells_longer_than_1_mb_is_an_unreadable_line():
    from medspa_kit.batch_csv import read_lines

    cell = "x" * 400_000
    records, consumed, left = read_lines(["a,b,c", f"{cell},{cell},{cell}", "d,e,f"], 3, 1)
    assert [problem for _, _, problem, _ in records] == [
        None, "line 2 is longer than 1,000,000 bytes and was not read", None]


# -- messages that say what was typed --------------------------------------------------------------


@pytest.mark.parametrize("path, value, message", [
    ("service.charge", 10000000.01, "service.charge: 10000000.01 is more than $10,000,000"),
    ("plan.coinsurance", 1.0000001, "plan.coinsurance: 1.0000001 is not a rate between 0 and 1 (write 20% as 0.2)"),
    ("service.charge", -5.0, "service.charge: -5 is negative"),
])
def test_a_number_in_a_message_never_contradicts_the_limit(path, value, message):
    with pytest.raises(ScenarioError) as caught:
        evaluate(case(**{path: value}))
    assert str(caught.value) == message


@pytest.mark.parametrize("args, message", [
    (["finance", "installment", "--amount", "10000000.01", "--apr", "0.1", "--months", "12"],
     "medspa-kit: --amount: 10000000.01 is more than $10,000,000"),
    (["finance", "installment", "--amount", "1000", "--apr", "1.0000001", "--months", "12"],
     "medspa-kit: --apr: 1.0000001 is not a rate between 0 and 1 (write 20% as 0.2)"),
])
def test_finance_options_show_the_number_as_typed(args, message):
    proc = run(*args)
    assert proc.returncode == 2
    assert one_line(proc) == message


def test_a_field_name_with_a_line_break_is_printed_on_one_line():
    data = {**BASE, "ba\nd": 1}
    with pytest.raises(ScenarioError) as caught:
        Scenario.from_dict(data)
    assert str(caught.value).startswith("ba\\nd: unknown field 'ba\\nd'")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("content, message", [
    (b"", "medspa-kit: file: '{path}' is empty: a scenario is a JSON object"),
    (b"  \n\n", "medspa-kit: file: '{path}' is empty (only white space): a scenario is a JSON object"),
    (b"null", "medspa-kit: scenario: expected a JSON object, got null"),
    (b"[1]", "medspa-kit: scenario: expected a JSON object, got an array"),
    (b"true", "medspa-kit: scenario: expected a JSON object, got true"),
])
def test_empty_input_says_it_is_empty_and_json_values_are_named_in_json_words(tmp_path, content, message):
    path = tmp_path / "s.json"
    path.write_bytes(content)
    proc = run("estimate", str(path))
    assert proc.returncode == 2
    assert one_line(proc) == message.format(path=path)


def test_empty_standard_input_is_named():
    proc = run("estimate", "-", stdin=b"")
    assert proc.returncode == 2
    assert one_line(proc) == "medspa-kit: file: standard input is empty: a scenario is a JSON object"


# -- a claim of thousands of lines ----------------------------------------------------------------

V2 = {**{k: v for k, v in BASE.items() if k != "service"}, "version": 2, "diagnoses": ["G43.719"],
      "lines": [{"code": "64615"}, {"code": "J0585", "units": 155}, {"code": "J0585", "units": 45, "modifiers": ["JW"]}]}


def test_a_claim_holds_at_most_50_lines_in_every_face(tmp_path):
    fifty = {**V2, "lines": [{"code": "64615"}] + [{"code": "J0585", "units": 1}] * 49}
    assert len(evaluate(fifty).lines) == 50
    many = {**V2, "lines": [{"code": "64615"}] + [{"code": "J0585", "units": 1}] * 4999}
    with pytest.raises(ScenarioError) as caught:
        evaluate(many)
    assert str(caught.value).startswith("lines: 5,000 lines is more than 50, the most one claim holds")
    path = tmp_path / "many.json"
    path.write_text(json.dumps(many), encoding="utf-8")
    proc = run("estimate", "--json", str(path))  # was minutes (the explanation grew with lines²)
    assert proc.returncode == 2
    assert one_line(proc).startswith("medspa-kit: lines: 5,000 lines is more than 50")


def test_claim_lines_are_made_once_per_scenario():
    scenario = Scenario.from_dict(V2)
    assert scenario.claim_lines is scenario.claim_lines
    assert Scenario.from_dict(V2) == scenario


def test_a_table_claim_of_51_lines_is_an_error_on_each_of_its_rows(tmp_path, csv_engine):
    from medspa_kit.columns import scenario_to_rows

    many = {**V2, "lines": [{"code": "64615"}] + [{"code": "J0585", "units": 1}] * 50}
    frame = pd.DataFrame(scenario_to_rows(many, "A") + scenario_to_rows(V2, "B"))
    code, out, _ = batch(tmp_path, frame)
    assert code == 1
    assert (out["error"].iloc[:51] == out["error"].iloc[0]).all()
    assert out["error"].iloc[0].startswith("lines: 51 lines is more than 50")
    assert (out["error"].iloc[51:] == "").all() and (out["claim_decision"].iloc[51:] != "").all()


# -- batch output, validate, uploads ------------------------------------------------------------------


def test_batch_refuses_an_output_that_is_neither_csv_nor_parquet(tmp_path, capsys):
    source = tmp_path / "in.csv"
    scenarios_to_frame([BASE]).to_csv(source, index=False)
    assert main(["batch", str(source), "-o", str(tmp_path / "out.xlsx"), "-q"]) == 2
    assert capsys.readouterr().err == (f"medspa-kit: --output: '{tmp_path / 'out.xlsx'}': the batch writes .csv or "
                                       "'.parquet, not '.xlsx' (name OUT with one of those)\n").replace("'.parquet", ".parquet")
    assert not (tmp_path / "out.xlsx").exists()


def test_a_parquet_text_cell_that_is_not_utf8_names_its_row_and_column(tmp_path, capsys):
    pytest.importorskip("pyarrow")
    frame = scenarios_to_frame([BASE] * 3)
    frame["service.code"] = [b"64650", b"\xff\xfe", b"64650"]
    source = tmp_path / "in.parquet"
    frame.to_parquet(source, index=False)
    assert main(["batch", str(source), "-o", str(tmp_path / "out.csv"), "-q"]) == 2
    assert capsys.readouterr().err == (f"medspa-kit: file: '{source}', row 2, column 'service.code': not UTF-8 "
                                       "text (byte 0xFF); save text as UTF-8\n")
    assert not (tmp_path / "out.csv").exists()


def copy_of_datasets(tmp_path, catalog):
    import shutil

    folder = tmp_path / "ds"
    shutil.copytree(catalog.folder, folder)
    return folder


def test_validate_refuses_a_code_with_an_invisible_character(tmp_path, catalog):
    folder = copy_of_datasets(tmp_path, catalog)
    path = folder / "modifiers.csv"
    text = path.read_text(encoding="utf-8")
    assert "\n25," in text
    path.write_text(text.replace("\n25,", "\n2\u200b5,", 1), encoding="utf-8")
    proc = run("validate", str(folder))
    assert proc.returncode == 1
    assert ("modifiers.csv, row 2, column code: '2\\u200b5' holds an invisible character (U+200B ZERO WIDTH "
            "SPACE): retype it") in proc.stderr.decode()


@pytest.mark.parametrize("make, message", [
    (lambda p: None, "does not exist: give a datasets folder"),
    (lambda p: p.write_text("x"), "is not a folder: give a datasets folder"),
])
def test_validate_on_a_missing_folder_or_a_file_is_one_line(tmp_path, make, message):
    target = tmp_path / "x"
    make(target)
    proc = run("validate", str(target))
    assert proc.returncode == 2
    assert one_line(proc) == f"medspa-kit: folder: '{target}' {message}"


def test_a_folder_named_like_a_dataset_is_not_a_regular_file(tmp_path, catalog):
    import os

    folder = copy_of_datasets(tmp_path, catalog)
    (folder / "procedures.csv").unlink()
    (folder / "procedures.csv").mkdir()
    (folder / "diagnoses.csv").unlink()
    os.mkfifo(folder / "diagnoses.csv")
    err = run("validate", str(folder)).stderr.decode()
    assert "medspa-kit: procedures.csv: is not a regular file" in err
    assert "medspa-kit: diagnoses.csv: is not a regular file" in err
    assert "file is missing" not in err


def test_an_over_long_dataset_cell_says_the_cell_is_too_long(tmp_path, catalog):
    folder = copy_of_datasets(tmp_path, catalog)
    path = folder / "diagnoses.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(1, "L74.511," + "x" * 2_000_000 + ",a,b")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = run("validate", str(folder)).stderr.decode()
    assert "diagnoses.csv, row 2: a cell is longer than 131,072 characters" in err
    assert "quote" not in err.splitlines()[0]


def test_an_upload_naming_a_column_twice_says_so(catalog):
    from medspa_kit.client_data import apply_prices
    from medspa_kit.errors import DatasetError

    with pytest.raises(DatasetError) as caught:
        apply_prices("service,cash_price,cash_price,source\n64650,900,900,clinic list\n", catalog)
    assert str(caught.value) == "client_prices.csv, row 1, column cash_price: the column is named twice in the header"


def test_a_path_given_as_a_str_to_apply_prices_is_told_to_be_a_path(tmp_path, catalog):
    from medspa_kit.client_data import apply_plans, apply_prices
    from medspa_kit.errors import DatasetError

    for apply, name in ((apply_prices, "client_prices.csv"), (apply_plans, "client_plans.csv")):
        with pytest.raises(DatasetError) as caught:
            apply(str(tmp_path), catalog)
        assert str(caught.value) == (f"{name}: the text given is not CSV with a header ({str(tmp_path)!r}); to read "
                                     "a file pass a pathlib.Path")


@pytest.mark.parametrize("how", ["same path", "symbolic link", "hard link"])
@pytest.mark.parametrize("option", ["--claim", "--remittance"])
def test_edi_never_writes_over_its_scenario(tmp_path, how, option):
    import os

    from medspa_kit.cli import main
    from medspa_kit.model import save_scenario
    from medspa_kit.presets import preset

    scenario = tmp_path / "s.json"
    save_scenario(preset("botox-underarm-sweating"), str(scenario))
    before = scenario.read_bytes()
    target = {"same path": scenario, "symbolic link": tmp_path / "l.835", "hard link": tmp_path / "h.835"}[how]
    if how == "symbolic link":
        target.symlink_to(scenario)
    elif how == "hard link":
        os.link(scenario, target)
    assert main(["edi", str(scenario), option, str(target)]) == 2
    assert scenario.read_bytes() == before


def test_a_carriage_return_in_a_cell_is_quoted_by_both_csv_writers(tmp_path, csv_engine):
    import csv

    from medspa_kit.cli import main
    from medspa_kit.columns import scenarios_to_frame
    from medspa_kit.presets import preset

    frame = scenarios_to_frame([preset("botox-underarm-sweating")] * 2)
    frame.insert(0, "visit_id", ["\rcmd", "a\rb"])
    source = tmp_path / "in.csv"
    frame.to_csv(source, index=False, quoting=csv.QUOTE_ALL)
    assert main(["batch", "-q", str(source), "-o", str(tmp_path / "out.csv")]) == 0
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))  # strict CSV: an unquoted carriage return would not read
    assert len(rows) == 3 and rows[2][0] == "a\rb" and rows[1][0].endswith("\rcmd")


def test_a_json_number_of_thousands_of_digits_is_one_line(tmp_path, capsys):
    from medspa_kit.cli import main
    from medspa_kit.model import save_scenario
    from medspa_kit.presets import preset

    path = tmp_path / "s.json"
    save_scenario(preset("botox-forehead-lines"), str(path))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"version": 1', '"version": 1' + "0" * 5000, 1), encoding="utf-8")
    assert main(["estimate", str(path)]) == 2
    assert "has more digits than any amount could" in capsys.readouterr().err


def test_a_bill_dated_at_the_end_of_the_calendar_is_one_line(capsys):
    from medspa_kit.cli import main

    assert main(["gfe-check", "--estimate", "480", "--billed", "950", "--bill-date", "9999-12-31"]) == 2
    assert capsys.readouterr().err.strip().endswith("9999-12-31 is too late in the calendar to count 120 days from")


def test_outputs_are_named_with_what_they_hold(tmp_path, capsys):
    from medspa_kit.cli import main

    good = Path(__file__).parent / "cases" / "hostile" / "11-batch-row-too-many-fields.csv"
    assert main(["batch", "-q", str(good), "-o", str(tmp_path / "out")]) == 2
    assert main(["gfe", "--preset", "botox-forehead-lines", "-o", str(tmp_path / "e.pdf"), "--issued", "2026-02-10"]) == 2
    err = capsys.readouterr().err
    assert "not 'a file with no extension'" in err and "not '.pdf'" in err
    assert list(tmp_path.iterdir()) == []


def test_finance_reads_numbers_as_every_face_does(capsys):
    from medspa_kit.cli import main

    assert main(["finance", "tax-savings", "--amount", "1_000", "--federal", "0.2", "--state", "0.05"]) == 2
    assert main(["finance", "tax-savings", "--amount", "$1,000", "--federal", "0.2", "--state", "0.05"]) == 0
    assert "savings:  $250.00" in capsys.readouterr().out  # $1,000 × (20 % + 5 %)


def test_a_terminal_that_is_not_utf8_gets_no_traceback():
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run([sys.executable, "-m", "medspa_kit.cli", "estimate", "--preset", "botox-forehead-lines"],
                          capture_output=True, text=True, env=env, encoding="ascii", errors="replace")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr and "Patient pays" in proc.stdout


def test_a_message_on_a_terminal_that_is_not_utf8_keeps_the_value_it_names(tmp_path):
    import json
    import os
    import subprocess
    import sys

    from medspa_kit.presets import preset

    data = preset("botox-forehead-lines").to_dict()
    data["date_of_service"] = "\uff12\uff10\uff12\uff16-03-02"  # fullwidth digits: no ISO date
    source = tmp_path / "s.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    proc = subprocess.run([sys.executable, "-m", "medspa_kit.cli", "estimate", str(source)],
                          capture_output=True, text=True, env=env, encoding="latin-1")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("medspa-kit: date_of_service: '\\uff12\\uff10\\uff12\\uff16-03-02' is not an "
                                   "ISO date (YYYY-MM-DD)")


def test_jw_and_jz_on_one_line_are_refused_by_both_engines():
    from medspa_kit import evaluate_frame
    from medspa_kit.columns import scenarios_to_frame
    from medspa_kit.presets import preset

    data = preset("underarm-sweating-claim").to_dict()
    data["lines"][1]["modifiers"] = ["JW", "JZ"]  # "some drug discarded" and "none discarded"
    with pytest.raises(ScenarioError, match=r"^lines\[1\]\.modifiers\[1\]: JZ says no drug was discarded"):
        evaluate(data)
    frame = scenarios_to_frame([preset("underarm-sweating-claim")])
    frame.loc[1, "line.modifiers"] = "JW;JZ"
    errors = evaluate_frame(frame)["error"]
    assert (errors != "").all() and "JZ says no drug was discarded" in errors.iat[1]


def test_api_misuse_is_named_in_the_kit_s_words():
    from medspa_kit.presets import preset
    from medspa_kit.ui.state import CompareState

    with pytest.raises(ScenarioError, match="^catalog: expected a Catalog .*, got str$"):
        evaluate(preset("botox-forehead-lines"), catalog="nope")
    state = CompareState([("a", preset("botox-forehead-lines"))])
    assert state.edit(99, "service.charge", "5") is False and state.message.startswith("there is no column 99")


def test_dates_that_are_not_dates_are_said_plainly():
    from medspa_kit.presets import preset

    data = preset("botox-forehead-lines").to_dict()
    for value, said in [(pd.NaT, "date_of_service: the date is missing"),
                        (dt.datetime(2026, 3, 2, 13, 0), "date_of_service: 2026-03-02 13:00:00 is a date and time")]:
        data["date_of_service"] = value
        with pytest.raises(ScenarioError, match="^" + re.escape(said)):
            evaluate(data)
