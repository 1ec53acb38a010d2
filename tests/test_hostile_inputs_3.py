"""A third run of hostile inputs: what it found, kept fixed.

Numbers typed in other digits or with underscores, a huge argument echoed whole, files whose
lines end in a carriage return alone, a client file with no rows, a version 2 scenario that
still names one service, and the CLI's messages in plain words. Batch cases run with both CSV
engines (``csv_engine``).
"""

from __future__ import annotations

import pandas as pd
import pytest

from medspa_kit import evaluate, preset
from medspa_kit.cli import main
from medspa_kit.client_data import apply_prices, sample_folder
from medspa_kit.errors import MedspaError, ScenarioError

from .test_hostile_inputs import one_line, run

# -- numbers on the command line ---------------------------------------------------------------------


@pytest.mark.parametrize("months", ["1_2", "١٢", "１２", "12.0", "-12"])
def test_months_are_whole_numbers_in_ascii_digits(capsys, months):
    # int() reads all of these as 12 (or -12); a month count typed so is refused like --amount 1_000
    assert main(["finance", "installment", "--amount", "1000", "--apr", "0.1", "--months", months]) == 2
    assert "--months: " in capsys.readouterr().err


def test_a_huge_argument_is_not_echoed_whole():
    proc = run("finance", "deferred", "--amount", "9" * 100_000 + "x", "--apr", "0.3", "--promo-months", "12",
               "--payment", "240")
    assert proc.returncode == 2
    line = one_line(proc)
    assert len(line) < 700 and "--amount" in line and "characters left out" in line


# -- carriage returns alone, and files with no rows ----------------------------------------------------


def test_a_csv_whose_lines_end_in_cr_alone_is_refused_in_words(tmp_path, capsys, csv_engine):
    source = tmp_path / "mac.csv"
    source.write_bytes(b"service.code,diagnoses\r64650,L74.510\r")
    assert main(["batch", str(source), "-o", str(tmp_path / "out.csv"), "-q"]) == 2
    err = capsys.readouterr().err
    assert "line 1 (the header) cannot be read: a carriage return (CR) outside quotes" in err
    assert "new-line character" not in err and not (tmp_path / "out.csv").exists()


def test_client_files_with_cr_alone_or_no_rows_are_not_applied():
    text = (sample_folder() / "sample_client_prices.csv").read_text(encoding="utf-8")
    with pytest.raises(MedspaError, match="carriage return") as err:
        apply_prices(text.replace("\n", "\r"))
    assert "new-line character" not in str(err.value)
    with pytest.raises(MedspaError, match="row 2: the file has a header and no rows under it"):
        apply_prices(text.splitlines()[0] + "\n")


# -- scenarios -----------------------------------------------------------------------------------------


def test_version_2_lists_lines_not_one_service():
    data = preset("botox-underarm-sweating").to_dict()
    data["version"] = 2
    with pytest.raises(ScenarioError, match=r'^service: version 2 lists the claim\'s lines: write "lines": '
                                            r'\[\{"code": "64650"\}\]'):
        evaluate(data)


def test_a_good_faith_estimate_is_not_dated_before_the_rules_began(tmp_path, capsys):
    # 45 CFR 149.610 applies from 2022-01-01 (good_faith_estimate.csv, in_force_year)
    target = tmp_path / "gfe.html"
    assert main(["gfe", "--preset", "botox-forehead-lines", "--issued", "0001-01-01", "-o", str(target)]) == 2
    assert not target.exists()
    assert "issued: 0001-01-01 is before 2022-01-01, when the Good Faith Estimate rules" in capsys.readouterr().err


def test_a_plan_year_may_not_start_after_the_course(tmp_path, capsys):
    import json

    from medspa_kit.year import Course, preset_course

    data = preset_course("chronic-migraine-every-12-weeks").to_dict()
    data["plan_year_start"] = "2027-01-01"  # every date of the course is in 2026
    with pytest.raises(ScenarioError, match=r"^plan_year_start: 2027-01-01 is after the first visit, 2026-"):
        Course.from_dict(data)
    path = tmp_path / "course.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["year", str(path)]) == 2


# -- the Python API names what is wrong -----------------------------------------------------------------


def test_api_misuse_is_a_scenario_error_naming_it():
    from medspa_kit import evaluate_frame

    scenario = preset("migraine-claim-with-discarded-units")  # three lines: 64615, J0585, J0585-JW
    cases = [
        (lambda: scenario.with_changes({5: 1}), 'field: 5 is not a dotted field name such as "plan.type"'),
        (lambda: scenario.get("plan.nope"), "plan.nope: no such field in a scenario"),
        (lambda: scenario.get(5), "field: 5 is not a dotted field name"),
        (lambda: scenario.with_changes({"lines.99999.units": 1}), "lines: there is no entry 99999 (the list has 3"),
        (lambda: evaluate_frame({"a": [1]}), "table: expected a pandas DataFrame (one scenario per row), got dict"),
        (lambda: evaluate_frame(None), "table: expected a pandas DataFrame (one scenario per row), got NoneType"),
    ]
    for call, message in cases:
        with pytest.raises(ScenarioError) as err:
            call()
        assert str(err.value).startswith(message), str(err.value)
    # a position in a list of lines is a path too: the second line's units
    assert scenario.with_changes({"lines.1.units": 7}).lines[1].units == 7


def test_wrong_shapes_are_said_in_the_kits_words():
    data = preset("botox-underarm-sweating").to_dict()
    data["accumulators"]["history"] = {"code": "G0447"}
    with pytest.raises(ScenarioError, match=r"^accumulators.history: \{'code': 'G0447'\} should be a list$"):
        evaluate(data)


def test_a_value_that_cannot_be_shown_is_named_by_its_field():
    from medspa_kit import evaluate_frame
    from medspa_kit.columns import scenarios_to_frame

    class Unshowable:
        def __repr__(self):
            raise RuntimeError("no")

    data = preset("botox-underarm-sweating").to_dict()
    data["diagnoses"] = ["L74.510", Unshowable()]
    with pytest.raises(ScenarioError, match=r"^diagnoses\[1\]: a Unshowable value that cannot be shown"):
        evaluate(data)
    frame = scenarios_to_frame([preset("botox-underarm-sweating")])
    frame["service.charge"] = pd.Series([Unshowable()], dtype=object)
    assert evaluate_frame(frame)["error"].iat[0].startswith("service.charge: a Unshowable value")
    with pytest.raises(ScenarioError, match="^preset: <a Unshowable that cannot be shown> is not a preset"):
        preset(Unshowable())


# -- widgets built or driven from code -----------------------------------------------------------------


def test_widgets_refuse_what_they_cannot_show_with_a_kit_error():
    from medspa_kit.ui import ClinicDecision
    from medspa_kit.ui.year import PlanYearExplorer

    for build, message in [
        (lambda: ClinicDecision(visits=pd.DataFrame(), charts=False), "visits: the table has no date_of_service"),
        (lambda: ClinicDecision(visits="x", charts=False), "visits: expected a table of visits"),
        (lambda: PlanYearExplorer(course="nope"), "course: 'nope' is not a course"),
        (lambda: PlanYearExplorer(plans=("nope",)), "plans: 'nope' is not a plan this patient could hold"),
    ]:
        with pytest.raises(ScenarioError) as err:
            build()
        assert str(err.value).startswith(message)


def test_compare_columns_are_positions_not_truth_values():
    from medspa_kit.ui import CompareScenarios

    state = CompareScenarios(["botox-forehead-lines", "botox-underarm-sweating"]).state
    before = list(state.columns)
    # True == 1 to Python, but it names no column; 99 and None name none either
    for call in (lambda: state.edit(True, "diagnoses", "Z41.1"), lambda: state.remove(99),
                 lambda: state.duplicate(99), lambda: state.remove(None)):
        assert call() is False
        assert state.message.startswith("there is no column ")
    assert state.columns == before


def test_compare_columns_taken_from_numpy_are_the_positions_they_hold():
    import numpy as np

    from medspa_kit.ui import CompareScenarios

    state = CompareScenarios(["botox-forehead-lines", "botox-underarm-sweating"]).state
    first, second = (label for label, _ in state.columns)
    assert state.edit(np.int64(0), "service.charge", "$250") is True, state.message
    assert state.columns[0][1].service.charge == 250.0 and state.columns[1][0] == second
    assert state.duplicate(np.int32(1)) is True
    assert [label for label, _ in state.columns][1:] == [second, f"{second} (2)"]
    assert state.remove(np.uint8(2)) is True and len(state.columns) == 2
    for index in (np.True_, np.float64(0.0), np.int64(2)):  # numpy's bool and float name no column either
        assert state.remove(index) is False and state.message.startswith("there is no column ")
    assert len(state.columns) == 2


def test_one_criterion_given_as_text_is_one_criterion():
    from medspa_kit.ui.explorer import ScenarioExplorer

    explorer = ScenarioExplorer(preset="botox-underarm-sweating")
    assert explorer.set("documentation.criteria", "failed-topical-aluminium-chloride") is True
    assert explorer.state.scenario.documentation.criteria == ("failed-topical-aluminium-chloride",)


# -- a fourth run --------------------------------------------------------------------------------------


def test_a_table_of_services_is_version_1_like_a_scenario(tmp_path, csv_engine):
    from medspa_kit import evaluate_frame
    from medspa_kit.columns import scenarios_to_frame

    frame = scenarios_to_frame([preset("botox-underarm-sweating")])
    frame["version"] = 2  # version 2 lists lines; evaluate() refuses the same dict
    assert evaluate_frame(frame)["error"].iat[0].startswith("service: version 2 lists the claim's lines")
    source = tmp_path / "v2.csv"
    frame.to_csv(source, index=False)
    assert main(["batch", str(source), "-o", str(tmp_path / "out.csv"), "-q"]) == 1


def test_more_misuse_from_code_is_named():
    from medspa_kit.payments.gfe import check_bill
    from medspa_kit.payments.amounts import PaymentError
    from medspa_kit.ui.explorer import ScenarioExplorer
    from medspa_kit.ui.payments import PaymentPicker
    import datetime as dt

    with pytest.raises(ScenarioError, match="^changes: expected a dict"):
        preset("botox-underarm-sweating").with_changes(None)
    with pytest.raises(ScenarioError, match="^preset: 'nope' is not one of the picker's scenarios"):
        PaymentPicker("nope")
    with pytest.raises(PaymentError, match="^bill_date: 0001-01-01 is before 2022-01-01"):
        check_bill(480, 950, dt.date(1, 1, 1))
    explorer = ScenarioExplorer(preset="botox-underarm-sweating")
    assert explorer.set("documentation.criteria", None) is True  # none chosen

    class Unshowable:
        def __repr__(self):
            raise RuntimeError("no")

        __str__ = __repr__

    assert explorer.set("service.charge", Unshowable()) is False
    assert "cannot be shown" in explorer.state.message


def test_a_port_is_a_port(capsys):
    assert main(["workshop", "--port", "99999"]) == 2
    assert "99999 is not a port (1 to 65535)" in capsys.readouterr().err


def test_a_fifth_run_s_three():
    from medspa_kit import evaluate_frame
    from medspa_kit.columns import scenarios_to_frame
    from medspa_kit.ui.explorer import ScenarioExplorer

    class Unshowable:
        def __repr__(self):
            raise RuntimeError("no")

        __str__ = __repr__

    frame = scenarios_to_frame([preset("botox-underarm-sweating")])
    frame["date_of_service"] = pd.Series([Unshowable()], dtype=object)
    assert evaluate_frame(frame)["error"].iat[0] == "date_of_service: a Unshowable value that cannot be shown or read"
    explorer = ScenarioExplorer(preset="botox-chronic-migraine")
    assert explorer.set("diagnoses", {"G43.709"}) is False
    assert "type a diagnosis code" in explorer.state.message


def test_the_remittance_is_not_the_results_file(tmp_path, capsys):
    from medspa_kit.columns import scenarios_to_frame

    source = tmp_path / "in.csv"
    scenarios_to_frame([preset("botox-underarm-sweating")]).to_csv(source, index=False)
    out = tmp_path / "r.csv"
    assert main(["batch", str(source), "-o", str(out), "-q", "--remittance", str(out)]) == 2
    assert "is also the results file (-o)" in capsys.readouterr().err


def test_a_tree_that_contains_itself_or_nests_for_ever_is_refused_naming_where():
    data = preset("botox-underarm-sweating").to_dict()
    data["service"] = dict(data["service"])
    data["service"]["me"] = data["service"]
    with pytest.raises(ScenarioError, match=r"^service\.me: a dict that contains itself$"):
        evaluate(data)
    looped: list = []
    looped.append(looped)
    with pytest.raises(ScenarioError, match=r"^diagnoses\[0\]: a list that contains itself$"):
        evaluate({**preset("botox-underarm-sweating").to_dict(), "diagnoses": looped})
    deep: list = []
    node = deep
    for _ in range(10_000):  # far past Python's recursion limit
        node.append([])
        node = node[0]
    with pytest.raises(ScenarioError, match=r"^diagnoses\[0\]\[0\].*: nested too deeply \(more than 32 levels\)$"):
        evaluate({**preset("botox-underarm-sweating").to_dict(), "diagnoses": deep})


def test_a_choice_given_as_bytes_is_refused_like_other_text_fields():
    from medspa_kit.columns import scenarios_to_frame
    from medspa_kit import evaluate_frame

    base = preset("botox-underarm-sweating")
    for path, value in [("provider.type", b"NP"), ("plan.type", bytearray(b"PPO")), ("facility.kind", b"med_spa")]:
        with pytest.raises(ScenarioError, match=rf"^{path}: .*b'.*'\)? is not text$"):
            base.with_changes({path: value})
    frame = scenarios_to_frame([base])
    frame["provider.type"] = pd.Series([b"NP"], dtype=object)
    assert evaluate_frame(frame)["error"].iat[0] == "provider.type: b'NP' is not text"


def test_get_reads_list_entries_by_position_and_refuses_ones_not_there():
    one = preset("botox-underarm-sweating")  # version 1: no lines
    two = preset("underarm-sweating-claim")  # version 2: 64650 then J0585 x100
    assert two.get("lines.0.code") == "64650"
    assert two.get("lines.1.units") == 100
    assert one.get("diagnoses.0") == one.diagnoses[0]
    assert one.get("lines") is None  # a version 1 scenario lists no lines
    for scenario, path, message in [
        (one, "lines.99.code", "lines: there is no entry 99 (the list is empty)"),
        (one, "lines.-1.units", "lines: '-1' is not a position in the list (0 is the first)"),
        (two, "lines.99.code", "lines: there is no entry 99 (the list has 2, from 0)"),
        (two, "lines.0.nope", "lines.0.nope: no such field in a scenario (see docs/scenario.md)"),
        (one, "accumulators.history.0.code", "accumulators.history: there is no entry 0 (the list is empty)"),
    ]:
        with pytest.raises(ScenarioError) as caught:
            scenario.get(path)
        assert str(caught.value) == message


@pytest.mark.parametrize("code, modifier", [("64615", "JW"), ("17000", "JZ"), ("99213", "JW"), ("64650", "25")])
def test_a_modifier_on_a_line_of_the_wrong_kind_is_refused_in_evaluate_and_frames(code, modifier):
    from medspa_kit import evaluate_frame
    from medspa_kit.columns import scenarios_to_frame

    claim = preset("underarm-sweating-claim")  # lines: 64650, then J0585 x100 JZ
    good = claim.with_changes({"lines.1.modifiers": ["JW"]})  # JW on the drug's line: fine
    assert good.get("lines.1.modifiers") == ("JW",)
    data = claim.to_dict()
    data["lines"][0] = {"code": code, "modifiers": [modifier]}
    with pytest.raises(ScenarioError, match=rf"^lines\[0\]\.modifiers\[0\]: {modifier} .* not on {code}$"):
        evaluate(data)
    frame = scenarios_to_frame([claim, good])
    frame.loc[0, ["line.code", "line.modifiers"]] = [code, modifier]
    errors = evaluate_frame(frame)["error"].tolist()
    assert errors[0] == errors[1] and f"not on {code}" in errors[0]  # the claim's two lines refused together
    assert pd.isna(errors[2]) and pd.isna(errors[3])


def test_a_sixth_run_s_api_inputs():
    from medspa_kit import evaluate_frame
    from medspa_kit.columns import scenarios_to_frame

    frame = scenarios_to_frame([preset("botox-underarm-sweating")])
    frame.columns = pd.MultiIndex.from_tuples([(name, "x") for name in frame.columns])
    with pytest.raises(ScenarioError, match=r"^table: its columns have 2 header rows; the batch reads one"):
        evaluate_frame(frame)
    claim = preset("underarm-sweating-claim").to_dict()
    claim["lines"][1]["units"] = 10**5000  # Python will not write this number out in decimal
    with pytest.raises(ScenarioError, match=r"^lines\[1\]\.units: 1\.00000e\+5000 units is more than 10,000$"):
        evaluate(claim)
    claim["lines"][1]["units"] = 20_000
    with pytest.raises(ScenarioError, match=r"^lines\[1\]\.units: 20,000 units is more than 10,000$"):
        evaluate(claim)
    claim["lines"][1]["units"] = 100
    claim["lines"][0]["diagnoses"] = []  # points the line at no diagnosis
    with pytest.raises(ScenarioError, match=r"^lines\[0\]\.diagnoses: an empty list points the line at no diagnosis"):
        evaluate(claim)
    table = scenarios_to_frame([preset("underarm-sweating-claim")]).astype(object)
    table.at[0, "line.diagnoses"] = []  # in a table (a Parquet list column) an empty list is an empty cell
    assert evaluate_frame(table)["error"].isna().all()


def test_billing_codes_are_read_in_either_case_like_modifiers_and_diagnoses():
    from medspa_kit import evaluate_frame
    from medspa_kit.columns import scenarios_to_frame

    claim = preset("underarm-sweating-claim")  # 64650, then J0585 x100 JZ
    typed = claim.with_changes({"lines.1.code": "j0585", "lines.1.modifiers": ["jz"]})
    assert typed.get("lines.1.code") == "J0585" and typed.get("lines.1.modifiers") == ("JZ",)
    assert evaluate(typed).to_dict() == evaluate(claim).to_dict()
    table = scenarios_to_frame([claim]).astype(object)
    table.at[1, "line.code"] = "j0585"
    assert evaluate_frame(table).equals(evaluate_frame(scenarios_to_frame([claim])))
    earlier = [{"code": "j0585", "date": "2026-01-05"}, {"code": "64650", "date": "2026-01-05"}]
    with_history = claim.with_changes({"accumulators.history": earlier})
    both = scenarios_to_frame([with_history])
    assert evaluate_frame(both)["claim_decision"].tolist() == [evaluate(with_history).decision] * 2


def test_a_file_name_too_long_for_the_system_is_named_short_with_its_option(tmp_path, capsys):
    from medspa_kit.columns import scenarios_to_frame

    source = tmp_path / "in.csv"
    scenarios_to_frame([preset("botox-underarm-sweating")]).to_csv(source, index=False)
    long = tmp_path / ("y" * 300 + ".csv")  # a name of 304 bytes: more than the 255 a folder entry holds
    assert main(["batch", str(source), "-o", str(long), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("medspa-kit: --output: cannot write '") and err.endswith(".csv': File name too long\n")
    assert "characters left out" in err and len(err) < 250  # the name shown in about 120 characters
    assert main(["batch", str(long), "-o", str(tmp_path / "o.csv"), "-q"]) == 2
    assert capsys.readouterr().err.startswith("medspa-kit: file: cannot read '")


def test_a_version_cell_is_echoed_as_typed(tmp_path, capsys):
    from medspa_kit.columns import scenarios_to_frame

    frame = scenarios_to_frame([preset("botox-underarm-sweating")] * 2)
    frame.loc[0, "version"] = 3  # the cell "3", read by the CSV reader as a number
    source = tmp_path / "in.csv"
    frame.to_csv(source, index=False)
    assert main(["batch", str(source), "-o", str(tmp_path / "o.csv"), "-q"]) == 1
    assert "line 2: version: 3 is not supported (expected 1 or 2)" in capsys.readouterr().err


def test_json_numbers_beyond_any_float_are_shown_as_typed_and_a_bom_is_dropped():
    import json

    from medspa_kit import Scenario

    text = json.dumps(preset("botox-underarm-sweating").to_dict())
    for typed, message in [("1e400", "plan.deductible: 1e400 is more than $10,000,000"),
                           ("-1e400", "plan.deductible: -1e400 is negative")]:
        with pytest.raises(ScenarioError) as caught:
            Scenario.from_json(text.replace('"deductible": 1500.0', f'"deductible": {typed}'))
        assert str(caught.value) == message
    assert Scenario.from_json("\ufeff" + text) == Scenario.from_json(text)


def test_a_line_typed_with_a_dash_first_is_named_as_typed():
    from medspa_kit.fields import read_lines
    from medspa_kit.ui.explorer import ScenarioExplorer

    # '-5' is no code with modifier 5: the dash is shown as typed, not dropped
    with pytest.raises(ValueError, match=r"^line 2: '-5' begins with a dash"):
        read_lines("64650; -5")
    explorer = ScenarioExplorer("botox-underarm-sweating")
    assert not explorer.set("lines", "-5")
    assert "'-5' begins with a dash" in explorer.state.message
    assert read_lines("99213-25") == [{"code": "99213", "modifiers": ["25"]}]


def test_a_bill_dated_after_the_rules_were_read_is_checked_with_a_note(capsys):
    from medspa_kit.payments.gfe import check_bill
    import datetime as dt

    # good_faith_estimate.csv: read_year 2026. $950 − $480 = $470 ≥ $400: may dispute either way;
    # 2999-01-01 + 120 days = 2999-05-01 (Jan 31 + Feb 28 + Mar 31 + Apr 30 = 120)
    later = check_bill(480, 950, dt.date(2999, 1, 1))
    assert later.may_dispute and later.dispute_by == dt.date(2999, 5, 1)
    assert later.note.startswith("bill_date: 2999-01-01 is after 2026, the year the kit's copy of the rules")
    assert check_bill(480, 950, dt.date(2026, 12, 31)).note == ""
    assert main(["gfe-check", "--estimate", "480", "--billed", "950", "--bill-date", "2999-01-01"]) == 0
    out = capsys.readouterr().out
    assert "dispute resolution by 2999-05-01" in out and "note: --bill-date: 2999-01-01 is after 2026" in out



@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31"])
def test_dates_at_the_calendar_s_ends_are_refused_in_every_face(day, tmp_path, capsys):
    import json
    import re

    from medspa_kit.batch import evaluate_frame
    from medspa_kit.columns import scenarios_to_frame

    # 9999-12-31 with a treatment the day before overflowed the frequency rule's next due date and
    # the 835's payment date; 0001-01-01 wrote a three-digit year into X12
    data = preset("botox-underarm-sweating").to_dict()
    data["date_of_service"] = day
    said = f"date_of_service: {day} is outside the dates the kit reads (1900-01-01 to 2199-12-31)"
    with pytest.raises(ScenarioError, match="^" + re.escape(said)):
        evaluate(data)
    source = tmp_path / "s.json"
    source.write_text(json.dumps(data))
    for argv in (["estimate", str(source)], ["gfe", str(source), "--self-pay", "-o", str(tmp_path / "g.html")],
                 ["edi", str(source), "--claim", str(tmp_path / "c.837"), "--remittance", str(tmp_path / "r.835")]):
        assert main(argv) == 2, argv
        assert said in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]
    good = preset("botox-underarm-sweating").to_dict()
    frame = scenarios_to_frame([good, good]).astype(object)
    frame.loc[1, "date_of_service"] = day
    out = evaluate_frame(frame)
    assert out["error"].isna().iat[0] and out["error"].iat[1] == said


def test_dates_at_the_kit_s_ends_are_counted_from_without_overflow(tmp_path):
    import json

    from medspa_kit.edi import read_remittance

    # a treatment on 2199-12-30, the visit the next day: the next due date falls in 2200, still a date
    data = preset("botox-underarm-sweating").to_dict()
    data["date_of_service"] = "2199-12-31"
    data["accumulators"]["last_treatment"] = "2199-12-30"
    assert evaluate(data).primary_reason.carc == "151"  # frequency: 151, the one CARC for too soon
    data["accumulators"]["last_treatment"] = None
    for day in ("1900-01-01", "2199-12-31"):
        data["date_of_service"] = day
        source = tmp_path / "s.json"
        source.write_text(json.dumps(data))
        assert main(["edi", str(source), "--claim", str(tmp_path / "c.837"),
                     "--remittance", str(tmp_path / "r.835")]) == 0
        remittance = read_remittance((tmp_path / "r.835").read_text())  # the kit's own reader takes it
        assert remittance is not None


@pytest.mark.parametrize("first, second", [("botox-underarm-sweating", "64650"), ("64650", "botox-underarm-sweating")])
def test_a_price_file_naming_one_service_by_id_and_by_code_is_refused(first, second):
    # 64650 is the billing code of botox-underarm-sweating: two prices for one service, none applied
    text = f"service,cash_price,fee_schedule,source\n{first},1,,x\n{second},2,,y\n"
    with pytest.raises(MedspaError) as err:
        apply_prices(text)
    assert str(err.value) == (f"client_prices.csv, row 3, column service: {second!r} repeats row 2 ({first!r}): "
                              "both are the service botox-underarm-sweating")


def test_a_price_file_with_two_services_applies_each_price():
    cat = apply_prices("service,cash_price,fee_schedule,source\nbotox-underarm-sweating,1,,x\n64615,2,,y\n")
    assert cat.procedure("64650").cash_price == 1.0 and cat.procedure("64615").cash_price == 2.0


def test_a_claim_id_column_with_no_id_at_all_is_an_error_on_every_row(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from medspa_kit.batch import evaluate_frame
    from medspa_kit.columns import scenarios_to_frame

    frame = scenarios_to_frame([preset("migraine-claim-with-discarded-units")])
    frame["claim_id"] = pd.Series([None] * len(frame), dtype=object)
    out = evaluate_frame(frame)
    assert (out["error"] == "claim_id: empty (every row of a table of claims names its claim)").all()
    table = pa.Table.from_pandas(frame.astype({"claim_id": "string"}), preserve_index=False)
    pq.write_table(table, tmp_path / "in.parquet")
    assert main(["batch", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "out.csv"), "-q"]) == 1
    assert len(pd.read_csv(tmp_path / "out.csv")) == 3
