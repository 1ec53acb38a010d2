"""Hostile inputs, fifth round: file names no file system can hold, values a message cannot show
on one line, a place of service listed twice, and the checks every public argument now shares
(tests/test_public_arguments.py calls every public function with each wrong kind)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from medspa_kit import evaluate_frame, preset
from medspa_kit.arguments import choice, listed, texts, truth, whole
from medspa_kit.catalog import load_catalog
from medspa_kit.cli import main
from medspa_kit.clinic import load_visits
from medspa_kit.errors import FileError, MedspaError, ScenarioError, shown_value
from medspa_kit.model import load_scenario, save_scenario
from medspa_kit.payments import business_days, installment
from medspa_kit.validation import validate_datasets


@pytest.mark.parametrize("name, said", [
    ("\ud800.json", "a file name cannot hold a lone surrogate character"),
    ("x" * 5000 + ".json", "File name too long"),
])
def test_file_names_no_file_system_can_hold_are_named(tmp_path, monkeypatch, name, said):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileError, match=said):
        load_scenario(name)
    with pytest.raises(FileError, match=said):
        save_scenario(preset("botox-forehead-lines"), name)
    with pytest.raises(MedspaError, match=said):
        load_visits(name)
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a temporary file


def test_a_value_whose_repr_spans_lines_is_named_by_its_type_on_one_line():
    assert shown_value(pd.DataFrame({"a": [1, 2]})) == "<a DataFrame of shape (2, 1)>"
    assert shown_value("a\nb") == "'a\\nb'"  # text keeps its escaped repr: one line already
    assert shown_value(np.float64(2.5)) == "2.5"


def test_a_datasets_folder_that_is_none_is_refused_by_every_face(tmp_path, capsys):
    for folder, said in [(5, "^folder: 5 is not a file name"), ("", "an empty folder name"),
                         (str(tmp_path / "nope"), "does not exist: give a datasets folder")]:
        with pytest.raises(FileError, match=said):
            validate_datasets(folder)
        with pytest.raises(FileError, match=said):
            load_catalog(folder)
    assert main(["validate", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_place_of_service_listed_twice_is_refused_alike_in_a_scenario_and_a_batch():
    scenario = preset("botox-underarm-sweating")
    with pytest.raises(ScenarioError, match=r"^plan.covered_places_of_service\[1\]: '11' is listed twice$"):
        scenario.with_changes({"plan.covered_places_of_service": ["11", "11"]})
    visits = load_visits().head(2).copy()
    visits["plan.covered_places_of_service"] = ["11;11", "11"]
    out = evaluate_frame(visits)
    assert out["error"].iloc[0] == "plan.covered_places_of_service[1]: '11' is listed twice"
    assert pd.isna(out["error"].iloc[1]) and out["decision"].iloc[1] in ("covered", "denied", "not_billable")


def test_business_days_counts_whole_days_only():
    assert business_days(1) == "1 business day"
    assert business_days(np.int64(3)) == "3 business days"
    for bad in (None, -1, True, 2.5):
        with pytest.raises(MedspaError, match="^n: .* is not a whole number from 0 to 10,000$"):
            business_days(bad)


def test_an_installment_that_rounding_ends_years_early_says_how_many_months():
    # $3,000 at 30 % APR: the month's interest is 3000 × 0.30 / 12 = $75.00, so $75.00 a month never
    # pays it down; rounded up, $75.01 pays it off, and the schedule says in how many months.
    plan = installment(3000, 0.30, 480)
    assert plan.payment == 75.01
    assert plan.months_paid < plan.months == 480
    assert plan.schedule["balance"].iloc[-1] == 0
    assert plan.last_payment <= plan.payment


def test_the_shared_argument_checks():
    assert truth(np.True_, "flag") is True
    for bad in ("no", 0, 1, None, pd.DataFrame()):
        with pytest.raises(ScenarioError, match="^flag: .* is not true or false"):
            truth(bad, "flag")
    assert whole(np.int64(4), "n", 0, 9) == 4
    assert whole(2.0, "n", 0, 9) == 2  # (a number whose value is whole, as a table's number column gives it)
    for bad in (2.5, True, "4", 10, None, np.timedelta64(4)):
        with pytest.raises(ScenarioError, match="^n: .* is not a whole number from 0 to 9$"):
            whole(bad, "n", 0, 9)
    assert choice("a", "kind", ("a", "b")) == "a"
    with pytest.raises(ScenarioError, match="^kind: 'c' is not one of 'a', 'b'$"):
        choice("c", "kind", ("a", "b"))
    with pytest.raises(ScenarioError, match="^kind: <a DataFrame of shape \\(0, 0\\)> is not one of"):
        choice(pd.DataFrame(), "kind", ("a", "b"))
    assert listed(("x", "y"), "ids", "ids") == ["x", "y"]
    for bad in ("x", b"x", {"x": 1}, 5, pd.DataFrame(), pd.Series(["x"])):
        with pytest.raises(ScenarioError, match="^ids: expected a list of ids, got "):
            listed(bad, "ids", "ids")
    with pytest.raises(ScenarioError, match=r"^ids\[1\]: expected a text \(ids\), got NoneType$"):
        texts(["a", None], "ids", "ids")


def test_lists_of_the_kit_s_results_name_the_first_entry_of_another_kind():
    from medspa_kit.lessons import myths_summary
    from medspa_kit.payments import deferred_interest
    from medspa_kit.report import deferred_figure
    from medspa_kit.validation import problem_lines

    with pytest.raises(ScenarioError, match=r"^problems: expected DatasetProblem items \(as validate_datasets "
                                            r"returns them\), got str$"):
        problem_lines(["procedures.csv: bad"])
    with pytest.raises(ScenarioError, match=r"^checks: expected MythCheck items .*, got NoneType$"):
        myths_summary([None])
    card = deferred_interest(3000, 0.3299, 12, 240)
    with pytest.raises(ScenarioError, match=r"^results: expected DeferredResult items .*, got int$"):
        deferred_figure([card, 5])
    with pytest.raises(ScenarioError, match=r"^results: expected DeferredResult items .*, got none$"):
        deferred_figure([])


def test_a_date_argument_before_any_calendar_the_kit_can_count_is_named():
    from medspa_kit.payments import default_issue_date

    with pytest.raises(MedspaError, match="^visit: 0001-01-0[1-9] is too early to count"):
        default_issue_date(dt.date(1, 1, 3), dt.date(2026, 1, 1))


def test_lists_that_would_run_the_engine_for_hours_are_refused_at_once():
    from medspa_kit.lessons import outcomes_table
    from medspa_kit.payments import deferred_interest
    from medspa_kit.report import deferred_figure

    never_ending = iter(lambda: "botox-forehead-lines", None)  # read no further than the limit
    with pytest.raises(ScenarioError, match="^items: more than 1,000 preset names or Scenarios: give at most 1,000$"):
        outcomes_table(never_ending)
    plans = [deferred_interest(1000, 0.27, 12, payment) for payment in (50, 60, 70, 80, 90)]
    with pytest.raises(ScenarioError, match="^results: more than 4 DeferredResult"):
        deferred_figure(plans)  # a fifth plan had no colour and was left off the chart without a word


def test_numbers_past_any_amount_and_text_no_file_can_hold_are_named(tmp_path):
    from medspa_kit.files import write_text_file
    from medspa_kit.money import format_dollars
    from medspa_kit.payments import package_savings

    assert format_dollars(-1234.5) == "−$1,234.50"
    with pytest.raises(ScenarioError, match=r"^dollars: 1000…?.* is beyond the dollars the kit shows"):
        format_dollars(10**400)
    with pytest.raises(MedspaError, match="^sessions: 1001 is not a whole number of sessions from 1 to 1,000$"):
        package_savings(100, 1001, 250)
    with pytest.raises(FileError, match="the text holds U\\+D800, a lone surrogate"):
        write_text_file(tmp_path / "x.txt", "a\ud800", "--output")
    assert list(tmp_path.iterdir()) == []


def test_a_client_plan_listing_a_place_twice_is_refused_as_a_scenario_would_refuse_it():
    from medspa_kit.catalog import datasets_folder
    from medspa_kit.client_data import apply_plans

    header, first = (datasets_folder() / "sample_client_plans.csv").read_text().splitlines()[:2]
    twice = first.replace("11;19;22;24;49", "11;11")
    with pytest.raises(MedspaError, match=r"covered_places_of_service: '11' is listed twice"):
        apply_plans(f"{header}\n{twice}\n", name="plans.csv")


def test_a_claim_without_a_member_id_says_it_is_priced_on_its_own():
    from medspa_kit.members import NO_MEMBER_NOTE, evaluate_members

    visits = load_visits().head(3).copy()
    visits["member_id"] = ["M1", "", None]
    out = evaluate_members(visits)
    assert out["warning"].astype(object).fillna("").tolist() == ["", NO_MEMBER_NOTE, NO_MEMBER_NOTE]
    assert out["error"].isna().all()


def test_icd_problem_refuses_known_codes_given_as_text():
    from medspa_kit.codes import icd_problem

    assert icd_problem("L74.510", frozenset({"L74.510"})) is None
    with pytest.raises(ScenarioError, match="^known: expected a set of ICD-10-CM codes"):
        icd_problem("L74", "L74.510")  # 'L74' in 'L74.510' would have passed a category as billable


def test_sweep_sentence_names_a_fee_share_that_is_no_fraction():
    from medspa_kit.clinic import sensitivity
    from medspa_kit.report import sweep_sentence

    table = sensitivity(load_visits().head(8), "fee_schedule_scale", [0.8, 1.2])
    assert "of the cash price" in sweep_sentence(table, fee_share=0.63)
    for bad in (-1.0, float("inf"), float("nan"), "0.6", 10**400):
        with pytest.raises(ScenarioError, match="^fee_share: .* is not a fraction of the cash prices above 0"):
            sweep_sentence(table, fee_share=bad)


def test_an_input_that_is_no_regular_file_is_one_line_before_any_progress_bar(tmp_path, capsys):
    import os

    fifo = tmp_path / "in.csv"
    os.mkfifo(fifo)
    assert main(["batch", str(fifo), "-o", str(tmp_path / "out.csv")]) == 2  # not quiet: a bar would show
    assert capsys.readouterr().err == f"medspa-kit: file: '{fifo}' is not a regular file\n"


def _datasets_copy(tmp_path):
    import shutil

    from medspa_kit.catalog import datasets_folder

    return shutil.copytree(datasets_folder(), tmp_path / "datasets")


def test_validate_reads_course_files_as_every_file_is_read(tmp_path):
    import os

    folder = _datasets_copy(tmp_path)
    migraine = folder / "courses" / "chronic-migraine-every-12-weeks.json"
    migraine.write_bytes(migraine.read_bytes().replace(b"Chronic", b"Chr\xf6nic", 1))
    (folder / "courses" / "zz.json").write_bytes(b"\xff\xfe\x00")
    sweating = folder / "courses" / "underarm-sweating-twice-a-year.json"
    sweating.unlink()
    os.mkfifo(sweating)  # read without waiting for a writer: refused, never a hang
    assert [str(p) for p in validate_datasets(folder)] == [
        "courses/chronic-migraine-every-12-weeks.json: is not UTF-8 text (byte 0xF6 on line 3: Latin-1 or "
        "Windows-1252?); save it as UTF-8",
        "courses/underarm-sweating-twice-a-year.json: is not a regular file",
        "courses/zz.json: is not UTF-8 text (UTF-16); save it as UTF-8",
    ]


def test_validate_requires_every_modifier_the_checks_read_and_checks_each_code(tmp_path):
    folder = _datasets_copy(tmp_path)
    modifiers = folder / "modifiers.csv"
    text = modifiers.read_text()
    modifiers.write_text(text.replace("\n25,", "\n=1+1,", 1))
    assert [str(p) for p in validate_datasets(folder)] == [
        "modifiers.csv, row 2, column code: '=1+1' is not a modifier (two capital letters or digits, such as '25' "
        "or 'JW')",
        "modifiers.csv, column code: no row for modifier 25, which the checks read (medspa_kit.facts.MODIFIERS_READ)",
    ]


@pytest.mark.parametrize("file", ["clinic_assumptions.csv", "sample_visits.csv", "sample_client_prices.csv"])
def test_validate_names_an_optional_file_that_is_no_regular_file_or_not_utf8(tmp_path, file):
    import os

    folder = _datasets_copy(tmp_path)
    (folder / file).unlink()
    os.mkfifo(folder / file)  # never skipped as if absent, never waited on
    assert [str(p) for p in validate_datasets(folder)] == [f"{file}: is not a regular file"]
    (folder / file).unlink()
    (folder / file).write_bytes(b"name,value\nx,\xf6\n")
    assert [str(p) for p in validate_datasets(folder)][0].startswith(f"{file}: is not UTF-8 text (byte 0xF6 on line 2")
