"""Hostile inputs, fourth round: rows that name no claim, claim ids given as bytes, and tables
whose index repeats a label (as a Dask partition's does after a shuffle by member)."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd
import pytest

from medspa_kit import preset
from medspa_kit.batch import evaluate_frame
from medspa_kit.cli import main
from medspa_kit.errors import MedspaError, ScenarioError
from medspa_kit.columns import CLAIM_RESULT_COLUMNS, RESULT_COLUMNS, scenarios_to_frame
from medspa_kit.members import ACCUMULATOR_COLUMNS, evaluate_members

from .builders import plain_rows

NEXT_TO_EMPTY = ("claim_id: a row next to this claim's rows names no claim (its claim_id is empty or no id) and may be one "
                 "of its lines: the claim was not evaluated without it")
EMPTY = "claim_id: empty (every row of a table of claims names its claim)"
COLUMNS = [*CLAIM_RESULT_COLUMNS, *RESULT_COLUMNS]


def _errors(out: pd.DataFrame) -> list[str]:
    return out["error"].astype(object).fillna("").tolist()


def _four_claims() -> pd.DataFrame:
    frame = scenarios_to_frame([preset(name) for name in ["migraine-claim-with-discarded-units",
                                                          "seven-actinic-keratoses", "add-on-code-alone",
                                                          "office-visit-on-procedure-day"]])
    assert frame["claim_id"].tolist() == [0, 0, 0, 1, 1, 2, 3, 3]
    frame["claim_id"] = frame["claim_id"].map(lambda c: f"C{c}").astype(object)
    return frame


def _third_line_nameless(frame: pd.DataFrame) -> pd.DataFrame:
    """Claim C0's third line (its discarded units, JW) with its claim_id left empty."""
    out = frame.copy()
    out.loc[2, "claim_id"] = ""
    return out


def test_a_row_with_no_claim_id_spoils_the_claims_on_both_sides_of_it():
    frame = _four_claims()
    out = evaluate_frame(_third_line_nameless(frame))
    # the row names no claim: it may be C0's third line or a line of C1, so neither is priced without it
    assert _errors(out) == [NEXT_TO_EMPTY, NEXT_TO_EMPTY, EMPTY, NEXT_TO_EMPTY, NEXT_TO_EMPTY, "", "", ""]
    for name in COLUMNS:
        if name != "error":
            assert out[name].iloc[:5].isna().all(), name
    # the claims that do not touch it are priced as they are alone
    assert plain_rows(out.iloc[5:], COLUMNS) == plain_rows(evaluate_frame(frame.iloc[5:]), COLUMNS)


def test_a_run_of_nameless_rows_at_the_start_spoils_the_first_claim_only():
    frame = _four_claims()
    frame.loc[[0, 1], "claim_id"] = [None, "  "]
    out = evaluate_frame(frame)
    assert _errors(out) == [EMPTY, EMPTY, NEXT_TO_EMPTY, "", "", "", "", ""]


@pytest.mark.parametrize("chunk", ["1", "2", "3", "1000"])
def test_the_batch_spoils_the_same_claims_in_any_chunks_and_either_engine(tmp_path, capsys, csv_engine, chunk):
    source = tmp_path / "claims.csv"
    _third_line_nameless(_four_claims()).to_csv(source, index=False)
    assert main(["batch", str(source), "-o", str(tmp_path / "out.csv"), "-q", "--chunk-size", chunk]) == 1
    out = pd.read_csv(tmp_path / "out.csv", dtype={"error": object}, keep_default_na=False)
    assert out["error"].tolist() == [NEXT_TO_EMPTY, NEXT_TO_EMPTY, EMPTY, NEXT_TO_EMPTY, NEXT_TO_EMPTY, "", "", ""]
    assert "line 4: claim_id: empty" in capsys.readouterr().err  # the nameless row is line 4 of the file


def test_by_member_the_spoiled_claims_are_in_no_plan_year_and_later_claims_say_so():
    frame = _third_line_nameless(_four_claims())
    frame["member_id"] = "M1"
    frame["date_of_service"] = ["2026-01-05"] * 3 + ["2026-02-01"] * 2 + ["2026-03-01"] + ["2026-04-01"] * 2
    out = evaluate_members(frame)
    assert _errors(out) == [NEXT_TO_EMPTY, NEXT_TO_EMPTY, EMPTY, NEXT_TO_EMPTY, NEXT_TO_EMPTY, "", "", ""]
    # C2 and C3 are priced without C0 and C1, and say so (C0, the earliest, is named)
    assert out["warning"].iloc[5:].astype(str).str.contains(
        r"an earlier claim of this member \(2026-01-05\) could not be read").all()
    # C0 and C1 add nothing to the member's year, which starts from its first claim's accumulator
    # cells (the nameless row's), as every member's year does
    later = frame.iloc[5:].copy()
    for name in (*ACCUMULATOR_COLUMNS, "accumulators.history"):
        later[name] = frame.at[2, name]
    alone = evaluate_members(later)
    assert plain_rows(out.iloc[5:], [c for c in COLUMNS if c != "warning"]) == \
        plain_rows(alone, [c for c in COLUMNS if c != "warning"])


def test_claim_ids_given_as_bytes_are_named_never_a_traceback():
    frame = _four_claims()
    frame["claim_id"] = [b"\xffC0"] * 3 + [b"C1"] * 2 + ["C2"] + ["C3"] * 2
    out = evaluate_frame(frame)
    # an id that is no text names a claim the kit cannot read: its rows are errors of their own,
    # and C2, just after them, may have lost a line to them (as next to an empty id); C3 is priced
    assert _errors(out) == ["claim_id: a bytes is no claim id (text or a number)"] * 5 + [NEXT_TO_EMPTY] + [""] * 2
    frame["member_id"] = "M1"
    by_member = evaluate_members(frame)
    assert _errors(by_member)[:5] == ["claim_id: a bytes is no claim id (text or a number)"] * 5


def test_a_member_table_whose_index_repeats_labels_is_evaluated_by_position():
    frame = _four_claims()
    frame["member_id"] = ["M1"] * 3 + ["M2"] * 2 + ["M1"] + ["M2"] * 2
    frame.loc[5, "claim_id"] = "C0"  # C0's rows apart: refused on every row
    expected = evaluate_members(frame)
    assert expected["error"].notna().tolist() == [True, True, True, False, False, True, False, False]
    repeated = frame.set_axis([0, 1, 2, 0, 1, 2, 0, 1])  # two files' rows after a shuffle
    out = evaluate_members(repeated)
    assert list(out.index) == [0, 1, 2, 0, 1, 2, 0, 1]
    assert plain_rows(out, COLUMNS) == plain_rows(expected, COLUMNS)


def test_the_rows_of_one_claim_hold_one_history():
    frame = _four_claims().iloc[:3].copy()
    frame["accumulators.history"] = ["64615 2026-01-01", "", ""]
    assert _errors(evaluate_frame(frame)) == ["accumulators.history: differs between the rows of one claim"] * 3
    # a history of as many entries as the claim has rows is no row of it (it was read as one)
    frame = _four_claims().iloc[6:].copy()
    frame["accumulators.history"] = "64615 2025-01-10; J0585 2025-01-10"
    assert _errors(evaluate_frame(frame)) == ["", ""]


@pytest.mark.parametrize("odd, kind", [(["x"], "list"), ({"a": 1}, "dict"), (True, "bool")])
def test_an_id_that_is_no_text_next_to_a_nameless_row_is_named_alike_by_member(odd, kind):
    frame = _four_claims().iloc[:6].copy()
    frame["claim_id"] = [odd, odd, "", "C1", "C1", "C2"]
    frame["member_id"] = "M1"
    said = [f"claim_id: a {kind} is no claim id (text or a number)"] * 2 + [EMPTY, NEXT_TO_EMPTY, NEXT_TO_EMPTY, ""]
    assert _errors(evaluate_frame(frame)) == said
    assert _errors(evaluate_members(frame)) == said


def test_widgets_show_a_value_from_code_they_cannot_use_and_keep_the_last_result():
    from medspa_kit.ui.clinic import ClinicDecision
    from medspa_kit.ui.explorer import ScenarioExplorer
    from medspa_kit.ui.year import PlanYearExplorer

    explorer = ScenarioExplorer("botox-underarm-sweating")
    before = explorer.state.outcome
    assert explorer.set("documentation.criteria", 5) is False  # was a TypeError: 'int' object is not iterable
    assert explorer.state.message == "The criteria in the chart: 5 should be a list"
    assert explorer.state.outcome is before
    year = PlanYearExplorer(charts=False)
    compared, verdict = year.compared, year.verdict.value
    year.cash.value = float("nan")  # a slider set from code: ipywidgets lets nan through
    assert year.verdict.value.startswith("<div style='color:#b3261e;font-weight:bold;margin:4px 0'>⚠ cash.discount: "
                                         "not a number — showing the last good result.</div>")
    assert year.verdict.value.endswith(verdict) and year.compared is compared
    year.cash.value = 0.1
    assert "⚠" not in year.verdict.value
    clinic = ClinicDecision(charts=False)
    result = clinic.result
    clinic.sliders["fee_schedule_scale"].value = float("nan")
    assert "⚠ fee_schedule_scale: nan is not a number from 0 to 1000 — showing the last good result." in \
        clinic.verdict.value
    assert clinic.result is result


def test_client_prices_name_any_service_the_kit_lists_and_refuse_odd_arguments():
    from medspa_kit.client_data import apply_plans, apply_prices
    from medspa_kit.errors import ScenarioError

    header = "service,cash_price,fee_schedule,source\n"
    # a drug per unit by its code (in either case), a line service by its id, a visit by its code
    cat = apply_prices(header + "j0585,12,7,a\nsweat-gland-injection-underarms,300,,b\n64650,1000,,c\n")
    assert (cat.procedures["onabotulinumtoxina"].cash_price, cat.procedures["onabotulinumtoxina"].fee_schedule) == \
        (12.0, 7.0)
    assert cat.procedures["sweat-gland-injection-underarms"].cash_price == 300.0
    assert cat.procedures["botox-underarm-sweating"].cash_price == 1000.0
    with pytest.raises(MedspaError, match=r"row 3, column service: 'J0585' repeats row 2 \('onabotulinumtoxina'\)"):
        apply_prices(header + "onabotulinumtoxina,1,,x\nJ0585,2,,y\n")
    for call in (lambda: apply_prices(header + "64650,1,,x\n", catalog=5), lambda: apply_plans("id\n", catalog=5)):
        with pytest.raises(ScenarioError, match="^catalog: expected a Catalog"):
            call()
    for name in (5, "", "a\nb", "x" * 201):
        with pytest.raises(ScenarioError, match=r"^name: .* is no file name \(1 to 200 printable characters"):
            apply_prices(header + "64650,1,,x\n", name=name)


def test_a_folder_that_cannot_be_made_because_a_file_is_in_the_way_says_so(tmp_path):
    from medspa_kit.files import make_folder

    (tmp_path / "afile").write_text("x")
    with pytest.raises(MedspaError, match=r"cannot make the folder '.*afile': a file of that name \(or on its path\) "
                                          "is in the way"):
        make_folder(tmp_path / "afile")


def test_the_same_bad_record_on_each_row_of_a_claim_is_named_for_what_it_is():
    frame = _four_claims().iloc[:3].copy()
    frame["diagnoses"] = [[{"code": "G43.719"}]] * 3  # a Parquet list of structs, the same on every line
    assert _errors(evaluate_frame(frame)) == ["diagnoses[0]: {'code': 'G43.719'} is not text (and 1 more problem)"] * 3
    frame["diagnoses"] = [[{"code": "G43.719"}]] * 2 + [[{"code": "G43.709"}]]
    assert _errors(evaluate_frame(frame)) == ["diagnoses: differs between the rows of one claim"] * 3


def test_api_arguments_that_are_no_catalog_file_name_or_function_are_named(tmp_path):
    from medspa_kit.errors import FileError, ScenarioError
    from medspa_kit.model import save_scenario
    from medspa_kit.ui.tools import ClientFiles

    frame = _four_claims()
    frame["member_id"] = "M1"
    for call in (lambda: evaluate_frame(frame, "x"), lambda: evaluate_members(frame, 5)):
        with pytest.raises(ScenarioError, match="^catalog: expected a Catalog .*got (str|int)$"):
            call()
    with pytest.raises(ScenarioError, match="^scenario: expected a Scenario .*got NoneType$"):
        save_scenario(None, str(tmp_path / "n.json"))
    with pytest.raises(FileError, match=r"^file: 5 is not a file name \(give a str or a pathlib.Path\)$"):
        save_scenario(preset("botox-underarm-sweating"), 5)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ScenarioError, match="^on_catalog: expected a function that takes the new catalog, got NoneType"):
        ClientFiles(None)
    applied = []
    files = ClientFiles(applied.append)
    good = b"service,cash_price,fee_schedule,source\n64650,950,,x\n"
    with pytest.raises(ScenarioError, match="^kind: 'nope' is not 'prices' or 'plans'$"):
        files.load("x.csv", good, "nope")
    with pytest.raises(ScenarioError, match="^name: None is no file name"):
        files.load(None, good, "prices")
    assert applied == [] and files.load("x.csv", good, "prices") and len(applied) == 1


def test_a_workshop_keeps_an_idle_kernel_a_week_at_most(capsys):
    assert main(["workshop", "--cull-idle-minutes", "1" + "0" * 30]) == 2
    assert capsys.readouterr().err == ("medspa-kit: --cull-idle-minutes: 1" + "0" * 30 + " is not a number of minutes "
                                       "from 1 to 10,080 (a week)\n")


def test_a_line_break_in_a_quoted_column_name_is_said_in_words(tmp_path, capsys, csv_engine):
    source = tmp_path / "in.csv"
    source.write_text('"visit\nid",date_of_service\nV1,2026-01-01\n')
    assert main(["batch", str(source), "-o", str(tmp_path / "out.csv"), "-q"]) == 2
    assert capsys.readouterr().err.endswith("line 1 (the header) cannot be read: a quote opens a column name and does "
                                            "not close on line 1 (column names are one line each: a line break inside "
                                            "a quoted name is not read)\n")
    assert not (tmp_path / "out.csv").exists()


def test_x12_writers_gfe_dates_and_changes_name_an_argument_they_cannot_use():
    import datetime as dt

    from medspa_kit import evaluate
    from medspa_kit.edi import claim_837p, read_remittance, remittance_835
    from medspa_kit.errors import EdiError, ScenarioError
    from medspa_kit.payments.amounts import PaymentError
    from medspa_kit.payments.gfe import check_bill, issue_deadline

    outcome = evaluate(preset("botox-underarm-sweating"))
    for call, message in (
            (lambda: remittance_835(None), r"^claims: expected a list of \(claim id, Outcome\) pairs or one Outcome, got NoneType$"),
            (lambda: claim_837p(5), r"^claims: expected a list of \(claim id, Outcome\) pairs or one Outcome, got int$"),
            (lambda: claim_837p([("1", 5)]), r"^claims\[0\]: expected a \(claim id, Outcome\) pair, got \(str, int\)$"),
            (lambda: remittance_835(outcome, paid_on=dt.date(9999, 12, 31)),
             r"^paid_on: 9999-12-31 is outside the dates an X12 file of the kit carries \(1900-01-01 to 2200-12-31\)$"),
            (lambda: claim_837p(outcome, created=dt.date(1, 1, 1)), r"^created: 0001-01-01 is outside the dates"),
            (lambda: claim_837p(outcome, created="2026-01-01"), r"^created: expected a datetime.date, got str$"),
            # a time of day was dropped: 23:30 at UTC-5 was written as March 2, already March 3 in UTC
            (lambda: claim_837p(outcome, created=dt.datetime(2026, 3, 2, 23, 30,
                                                              tzinfo=dt.timezone(-dt.timedelta(hours=5)))),
             r"^created: 2026-03-02 23:30:00-05:00 is a date and time; give a date \(YYYY-MM-DD\)$"),
            (lambda: remittance_835(outcome, paid_on=dt.datetime(2026, 3, 2, 13, 30)),
             r"^paid_on: 2026-03-02 13:30:00 is a date and time; give a date \(YYYY-MM-DD\)$"),
            (lambda: claim_837p(outcome, control_number="x~y"),
             r"^control_number: 'x~y' is not 4 to 9 letters or digits \(such as '0001'\)$")):
        with pytest.raises(EdiError, match=message):
            call()
    # midnight with no time zone is its date, as everywhere in the kit: BPR16 20260302
    segments = remittance_835(outcome, paid_on=dt.datetime(2026, 3, 2)).replace("\n", "").split("~")
    assert next(s for s in segments if s.startswith("BPR*")).endswith("*20260302")
    # the last payment date the kit writes reads back
    assert read_remittance(remittance_835(outcome, paid_on=dt.date(2200, 12, 31)))[0].paid == outcome.cost.plan_pays
    with pytest.raises(PaymentError, match=r"^bill_date: 'x' is not an ISO date \(YYYY-MM-DD\)$"):
        check_bill(100, 600, "x")
    assert check_bill(100, 600, "2026-03-01").dispute_by == dt.date(2026, 6, 29)  # 2026-03-01 + 120 days
    with pytest.raises(PaymentError, match="^holidays: expected a list of dates, got int$"):
        issue_deadline(dt.date(2026, 1, 1), dt.date(2026, 2, 1), holidays=5)
    with pytest.raises(ScenarioError, match="^diagnoses.0.x: diagnoses.0 is 'L74.510', which has no fields to set$"):
        preset("botox-underarm-sweating").with_changes({"diagnoses.0.x": "y"})


def test_a_price_file_that_prices_a_visit_says_its_claim_line_keeps_the_kit_s_price():
    from medspa_kit.client_data import apply_plans, apply_prices, lines_left_at_kit_prices, sample_folder
    from medspa_kit.ui.tools import applied_html

    cat = apply_prices("service,cash_price,fee_schedule,source\n64650,950,780,x\n")
    note = ("64650 priced the visit botox-underarm-sweating; the claim line sweat-gland-injection-underarms keeps the "
            "kit's price ($350.00): add a row for sweat-gland-injection-underarms to price claims with lines too")
    assert lines_left_at_kit_prices(cat) == [note]
    assert "Note:" in applied_html(cat) and "claim line sweat-gland-injection-underarms keeps" in applied_html(cat)
    both = apply_prices("service,cash_price,fee_schedule,source\n64650,950,780,x\nsweat-gland-injection-underarms,"
                        "400,,y\n")
    assert lines_left_at_kit_prices(both) == [] and "Note:" not in applied_html(both)
    plans = (sample_folder() / "sample_client_plans.csv").read_text().splitlines()
    header, row = plans[0].split(","), plans[1].split(",")
    row[header.index("name")] = "N" * 1_001
    with pytest.raises(MedspaError, match=r"row 2, column name: 'N{30}'… is 1,001 characters long; a cell holds at "
                                          r"most 1,000"):
        apply_plans(f"{plans[0]}\n{','.join(row)}\n")


def test_json_files_are_named_and_numbers_nearer_zero_than_a_float_are_not_read_as_zero(tmp_path, capsys):
    from medspa_kit.errors import ScenarioError
    from medspa_kit.model import Scenario

    cut = tmp_path / "cut.json"
    cut.write_text('{"version": 1, "service": {"code": "64650')
    empty = tmp_path / "course.json"
    empty.write_text("")
    for command, path, said in (("estimate", cut, f"file: '{cut}' is not valid JSON: Unterminated string starting at "
                                                  "(line 1, column 36)"),
                                ("year", empty, f"file: '{empty}' is empty: a course is a JSON object")):
        assert main([command, str(path)]) == 2
        assert capsys.readouterr().err == f"medspa-kit: {said}\n"
    text = preset("botox-underarm-sweating").to_json()
    data = preset("botox-underarm-sweating").to_dict()
    data["service"]["charge"] = 123.25
    text = Scenario.from_dict(data).to_json().replace("123.25", "1e-400")
    with pytest.raises(ScenarioError, match=r"^service.charge: 1e-400 has a fraction of a cent$"):
        Scenario.from_json(text)  # a float reads it as 0: no charge at all
    frame = scenarios_to_frame([preset("botox-underarm-sweating")])
    frame["plan.coinsurance"] = "1e-400"
    assert _errors(evaluate_frame(frame)) == ["plan.coinsurance: 1e-400 is too small to read (not 0)"]


@pytest.mark.parametrize("claim_id, said", [
    ("a~b", "holds the delimiter '~'"), ("a*b", "holds the delimiter '*'"), ("ISA:00", "holds the delimiter ':'"),
    ("a\u200fb", "holds U+200F, which is not printable ASCII"), ("x" * 39, "is 39 characters; X12 carries a claim id "
                                                                         "of 1 to 38 (CLM01, CLP01)")])
def test_a_claim_id_x12_cannot_carry_is_refused_by_both_writers_and_the_batch(claim_id, said, tmp_path, capsys):
    from medspa_kit import evaluate
    from medspa_kit.edi import claim_837p, remittance_835
    from medspa_kit.errors import EdiError

    outcome = evaluate(preset("add-on-code-alone"))
    for write in (claim_837p, remittance_835):
        with pytest.raises(EdiError, match=f"^claim_id: .* {re.escape(said)}"):
            write([(claim_id, outcome)])
    frame = _four_claims().iloc[5:6].assign(claim_id=claim_id)
    frame.to_csv(tmp_path / "in.csv", index=False)
    assert main(["batch", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), "--remittance",
                 str(tmp_path / "out.835"), "-q"]) == 2
    assert said in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "out.835").exists()


def test_decimals_are_read_as_the_numbers_they_hold_in_every_face():
    from decimal import Decimal

    from medspa_kit import evaluate
    from medspa_kit.errors import ScenarioError

    data = preset("migraine-claim-with-discarded-units").to_dict()
    data["lines"][0]["charge"] = Decimal("2012.50")
    assert evaluate(data).lines[0].cost.charge == 201250
    for value, said in ((Decimal("1e400"), "1E+400 is more than $10,000,000"),
                        (Decimal("1e-400"), "1E-400 has a fraction of a cent")):
        data["lines"][0]["charge"] = value
        with pytest.raises(ScenarioError, match=f"^lines\\[0\\].charge: {re.escape(said)}$"):
            evaluate(data)
        frame = _four_claims().iloc[:3].copy()
        frame["line.charge"] = [value, None, None]
        assert _errors(evaluate_frame(frame))[0] == f"lines[0].charge: {said}"


def test_fractions_are_read_as_the_numbers_they_hold_as_decimals_are():
    # payments called Fraction(3000) "not a number" while evaluate read it as $3,000; and a
    # Fraction of 10**400 dollars was "not a number" in evaluate too, not more than the limit
    from fractions import Fraction

    from medspa_kit import evaluate
    from medspa_kit.errors import ScenarioError
    from medspa_kit.payments import installment, tax_savings
    from medspa_kit.payments.amounts import PaymentError

    data = preset("migraine-claim-with-discarded-units").to_dict()
    data["lines"][0]["charge"] = Fraction(4025, 2)  # $2,012.50
    assert evaluate(data).lines[0].cost.charge == 201250
    for value, said in ((Fraction(10**400), "1.00000e+400 is more than $10,000,000"),  # as the int 10**400
                        (Fraction(1, 10**400), "1E-400 has a fraction of a cent"),
                        (Fraction(1, 3), "0.3333333333333333 has a fraction of a cent")):
        data["lines"][0]["charge"] = value
        with pytest.raises(ScenarioError, match=f"^lines\\[0\\].charge: {re.escape(said)}$"):
            evaluate(data)
    # $3,000 at 30 % over 480 months, as with 3000 and 0.3: $75.01 a month (75.00 is the interest alone)
    plan = installment(Fraction(3000), Fraction(3, 10), 480)
    assert (plan.amount, plan.apr, plan.payment) == (3000.0, 0.3, 75.01)
    assert tax_savings(Fraction(100), Fraction(1, 5), 0.05).savings == 25.0  # 100 × (0.20 + 0.05)
    with pytest.raises(PaymentError, match=r"^apr: 1.00000e\+400 is not a rate between 0 and 1"):
        installment(3000, Fraction(10**400), 12)
    from medspa_kit.money import format_dollars  # (it called every Fraction "not a number of dollars")

    assert [format_dollars(v) for v in (Fraction(1, 3), Fraction(1, 200), Fraction(-1, 200), Fraction(5))] == \
        ["$0.33", "$0.01", "−$0.01", "$5.00"]  # half-up, as for a Decimal: 0.005 is $0.01
    with pytest.raises(ScenarioError, match=r"^dollars: .*E\+399'\) is beyond the dollars the kit shows"):
        format_dollars(Fraction(10**400, 3))


def test_gfe_reads_a_scenario_from_standard_input_as_estimate_does(tmp_path, monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(preset("botox-forehead-lines").to_json()))
    out = tmp_path / "gfe.html"
    assert main(["gfe", "-", "-o", str(out), "--issued", "2026-01-05"]) == 0
    assert "Good Faith Estimate" in out.read_text()


def test_more_arguments_from_code_are_read_as_numbers_or_named(tmp_path):
    import datetime as dt
    from decimal import Decimal
    from pathlib import Path

    import numpy as np

    from medspa_kit import year
    from medspa_kit.client_data import apply_prices
    from medspa_kit.errors import DatasetError, ScenarioError
    from medspa_kit.payments.amounts import PaymentError
    from medspa_kit.payments.gfe import good_faith_estimate
    from medspa_kit.payments.tax import check_limit
    from medspa_kit.ui.quiz import Quiz
    from medspa_kit.ui.tools import CodeChecker

    assert year.Cash(discount=Decimal("0.1"), months=np.int64(12)) == year.Cash(discount=0.1, months=12)
    course = year.preset_course(year.course_names()[0])
    with pytest.raises(PaymentError, match=r"^year: '2026' is not a year \(a whole number, such as 2026\)$"):
        check_limit(1000, "hsa", "2026")
    assert check_limit(5000, "hsa", np.int64(2026)).startswith("$5,000.00 is more than the 2026 HSA limit")
    for name, said in (("A\n# Total: $0.00", "holds U+000A"), (5, "5 is not a name of 1 to 200 characters")):
        with pytest.raises(PaymentError, match=f"^facility_name: .*{re.escape(said)}"):
            good_faith_estimate(preset("botox-forehead-lines"), issued=dt.date(2026, 2, 1), facility_name=name)
    for bad, said in (("abc", "expected a list of Question, got str"), ([], "no question given"),
                      (["abc"], "expected Question objects (medspa_kit.ui.questions), got str")):
        with pytest.raises(ScenarioError, match=f"^questions: {re.escape(said)}$"):
            Quiz(bad)
    with pytest.raises(ScenarioError, match="^value: expected a code as text, such as 'L74.5', got int$"):
        CodeChecker(value=5)
    with pytest.raises(DatasetError, match="^/dev/zero: is not a regular file$"):
        apply_prices(Path("/dev/zero"))
    prices = tmp_path / "my_prices.csv"
    prices.write_text("service,cash_price,fee_schedule,source\n64650,950,,x\n")
    assert apply_prices(prices).procedures["botox-underarm-sweating"].price_source == "my_prices.csv row 2: x"
    with pytest.raises(PaymentError, match="^federal: 1.5 is not a rate between 0 and 1"):
        year.compare_plans(course, {"cash": year.Cash()}, federal=1.5)  # no HSA option uses the rate: still checked


def test_validate_needs_every_tax_limit_for_every_year(tmp_path):
    import shutil

    from medspa_kit.catalog import default_catalog
    from medspa_kit.validation import validate_datasets

    folder = tmp_path / "datasets"
    shutil.copytree(default_catalog().folder, folder)
    limits = folder / "tax_limits.csv"
    lines = limits.read_text(encoding="utf-8").splitlines(keepends=True)
    limits.write_text("".join(line for line in lines if not line.startswith("2025,hsa_self")), encoding="utf-8")
    assert [str(p) for p in validate_datasets(folder)] == [
        "tax_limits.csv, column item: 2025 has no row for hsa_self (every year needs each limit)"]


def test_helpers_of_the_lessons_year_clinic_and_writers_name_what_they_cannot_use(tmp_path):
    import datetime as dt

    import numpy as np

    from medspa_kit import clinic, evaluate, lessons, presets, year
    from medspa_kit.client_data import apply_plans, sample_folder
    from medspa_kit.edi import claim_837p, remittance_835
    from medspa_kit.errors import DatasetError, EdiError, FileError, ScenarioError
    from medspa_kit.files import write_text_file
    from medspa_kit.payments.plans import package_savings

    for call, field in ((lambda: lessons.vary("botox-forehead-lines", "plan.deductible", 5), "values"),
                        (lambda: lessons.outcomes_table([5]), "item"),
                        (lambda: lessons.outcomes_table(["botox-forehead-lines"], columns=["zzz"]), "columns"),
                        (lambda: lessons.network_grid("botox-underarm-sweating", "ppo-standard"), "plans"),
                        (lambda: lessons.network_grid("botox-underarm-sweating", ["nope"]), "plans"),
                        (lambda: lessons.policy_table(["nope"]), "procedures"),
                        (lambda: lessons.cost_breakdown("x"), "outcome"),
                        (lambda: lessons.myths_summary([5]), "checks"),
                        (lambda: presets.preset_title(5), "name"),
                        (lambda: year.Course.from_json(5), "course"),
                        (lambda: year.plan_year_index(dt.date(2026, 1, 1), "x"), "start"),
                        (lambda: year.denial_note(5), "row"),
                        (lambda: year.holdable_plans("no"), "medicare_eligible"),
                        (lambda: year.cash_label(-1), "cash.discount"),
                        (lambda: clinic.describe_visits(5), "visits"),
                        (lambda: clinic.fee_vs_cash("x"), "visits")):
        with pytest.raises(ScenarioError) as caught:
            call()
        assert caught.value.field == field
    assert year.plan_year_index("2026-03-01", "2026-01-01") == 0
    assert package_savings(100, np.int64(6), 500).sessions == 6
    outcome = evaluate(preset("botox-underarm-sweating"))
    with pytest.raises(EdiError, match=r"^claims\[1\]: the claim id '1' is given twice"):
        claim_837p([("1", outcome), ("1", outcome)])
    with pytest.raises(EdiError, match=r"^paid_on: 2020-01-01 is before the date of service of claim 1 \(2026-03-02\)"):
        remittance_835(outcome, paid_on=dt.date(2020, 1, 1))
    with pytest.raises(FileError, match="a name ending in / is a folder; name the file$"):
        write_text_file(str(tmp_path / "out.csv") + "/", "x")
    assert not (tmp_path / "out.csv").exists()
    plans = (sample_folder() / "sample_client_plans.csv").read_text().splitlines()
    header, row = plans[0].split(","), plans[1].split(",")
    row[header.index("id")] = "medicare-part-b"
    with pytest.raises(DatasetError, match=r"column type: 'medicare-part-b' is Original Medicare .* own plan "
                                           r"\(MEDICARE\); a client plan of type \w+ cannot replace it"):
        apply_plans(f"{plans[0]}\n{','.join(row)}\n")


def test_a_batch_output_named_with_a_trailing_slash_is_refused(tmp_path, capsys):
    source = tmp_path / "in.csv"
    scenarios_to_frame([preset("botox-underarm-sweating")]).to_csv(source, index=False)
    assert main(["batch", str(source), "-o", str(tmp_path / "out.csv") + "/", "-q"]) == 2
    assert "ends in /: give the output's name without the /" in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("out", ["out.csv", "out.parquet"])
def test_a_parquet_map_column_is_an_error_of_its_rows_and_written_as_text(tmp_path, capsys, out):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    frame = scenarios_to_frame([preset("botox-underarm-sweating")] * 2)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    where = table.column_names.index("plan.deductible")
    table = table.set_column(where, "plan.deductible", pa.array([[("a", 1)], [("b", 2)]],
                                                                pa.map_(pa.string(), pa.int64())))
    pq.write_table(table, tmp_path / "in.parquet")
    assert main(["batch", str(tmp_path / "in.parquet"), "-o", str(tmp_path / out), "-q"]) == 1
    written = pd.read_csv(tmp_path / out) if out.endswith(".csv") else pd.read_parquet(tmp_path / out)
    assert written["plan.deductible"].tolist() == ["a; 1", "b; 2"]  # was: cannot write: Expected bytes, got int
    assert written["error"].tolist() == ["plan.deductible: [('a', 1)] is not a number",
                                         "plan.deductible: [('b', 2)] is not a number"]


def test_a_cell_holding_an_array_is_the_list_it_holds_never_a_traceback(tmp_path, capsys):
    import numpy as np

    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    frame = scenarios_to_frame([preset("botox-underarm-sweating")] * 2)
    frame["member_id"] = "M1"
    for column, cell, said in (("plan.deductible", np.array([1000]), "plan.deductible: [1000] is not a number"),
                               ("diagnoses", np.array([1]), "diagnoses[0]: 1 is not text (and 1 more problem)"),
                               ("diagnoses", np.array(["L74.510"]), "")):
        table = frame.assign(**{column: [cell, cell]})
        assert _errors(evaluate_frame(table)) == [said] * 2  # was: only 0-dimensional arrays can be converted
        assert _errors(evaluate_members(table)) == [said] * 2
    pq.write_table(pa.Table.from_pandas(frame.assign(**{"plan.deductible": [[1000], [1000]]}), preserve_index=False),
                   tmp_path / "in.parquet")
    assert main(["batch", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "out.csv"), "-q"]) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert pd.read_csv(tmp_path / "out.csv")["error"].tolist() == ["plan.deductible: [1000] is not a number"] * 2


def test_a_dictionary_encoded_text_column_is_made_spreadsheet_safe_and_odd_arguments_are_named(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from medspa_kit.payments.amounts import PaymentError
    from medspa_kit.payments.compare import compare_payments
    from medspa_kit.payments.tax import tax_savings
    from medspa_kit.ui.explorer import ScenarioExplorer

    frame = scenarios_to_frame([preset("botox-underarm-sweating")] * 2)
    frame.insert(0, "visit_id", ["=1+1", "V2"])
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.set_column(0, "visit_id", table.column("visit_id").dictionary_encode())
    pq.write_table(table, tmp_path / "in.parquet")
    assert main(["batch", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "out.csv"), "-q"]) == 0
    assert (tmp_path / "out.csv").read_text().splitlines()[1].startswith('"\'=1+1",')  # was =1+1, a live formula
    explorer = ScenarioExplorer("botox-underarm-sweating")
    assert explorer.set(5, "5") is False and explorer.state.message == '5 is not a field\'s dotted name (such as "plan.type")'
    with pytest.raises(PaymentError, match="^outcome: expected an Outcome"):
        compare_payments(None)
    with pytest.raises(PaymentError, match="^payroll: 'no' is not true or false$"):
        tax_savings(1000, 0.2, 0.05, payroll="no")


def test_handout_folder_code_checker_and_payment_options_from_code_are_named():
    from medspa_kit import evaluate
    from medspa_kit.errors import ScenarioError
    from medspa_kit.payments.amounts import PaymentError
    from medspa_kit.payments.compare import compare_payments
    from medspa_kit.ui.compare import CompareScenarios
    from medspa_kit.ui.tools import code_verdict

    compare = CompareScenarios(["botox-forehead-lines"], chart=False)
    assert compare.save(5) is None and "folder: 5 is not a file name" in compare.exported.value
    with pytest.raises(ScenarioError, match="^code: expected a code as text, such as 'L74.5', got NoneType$"):
        code_verdict(None)
    with pytest.raises(PaymentError, match="^options: expected PaymentOptions, got int$"):
        compare_payments(evaluate(preset("botox-forehead-lines")), 5)


class _Shifting(Mapping):
    """A Mapping whose items() give ``first`` when first read and ``later`` after, while its
    __iter__ and __len__ fail: a function that reads an argument once answers as for ``first``."""

    def __init__(self, first, later):
        self.first, self.later, self.reads = first, later, 0

    def items(self):
        self.reads += 1
        return list((self.first if self.reads == 1 else self.later).items())

    def __getitem__(self, key):
        raise KeyError(key)

    def __iter__(self):
        raise LookupError("iteration")

    def __len__(self):
        raise LookupError("len")


def test_a_mapping_argument_is_read_once_and_only_what_was_read_is_used():
    # clinic.Assumptions kept the caller's plan_mix and compare read it again (other dollars, no
    # error); payers_compared read its changes once per payer (two rows of one payer differed)
    from dataclasses import replace

    from medspa_kit import clinic, lessons

    visits = clinic.load_visits()
    defaults = clinic.default_assumptions()
    mix, other = {"epo-basic": 0.9, "hdhp-hsa": 0.1}, {"epo-basic": 0.1, "hdhp-hsa": 0.9}
    shifting = _Shifting(mix, other)
    read = replace(defaults, plan_mix=shifting)
    assert read.plan_mix == mix and shifting.reads == 1
    expected = clinic.compare(visits, assumptions=replace(defaults, plan_mix=mix)).totals
    pd.testing.assert_frame_equal(clinic.compare(visits, assumptions=read).totals, expected)
    assert shifting.reads == 1
    # one chart under one payer twice: the same row twice, with the deductible met as first read
    changes = _Shifting({"accumulators.deductible_met": 1500}, {"accumulators.deductible_met": 0})
    table = lessons.payers_compared("botox-underarm-sweating", ["aetna", "aetna"], changes)
    assert changes.reads == 1 and table.iloc[0].equals(table.iloc[1])
    alike = lessons.payers_compared("botox-underarm-sweating", ["aetna"], {"accumulators.deductible_met": 1500})
    assert table.iloc[0].equals(alike.iloc[0])


def test_plan_mix_shares_of_any_number_kind_weigh_as_the_numbers_they_are():
    # Decimal + float shares were a TypeError in the sum; shares of 1e308 each summed to inf and
    # every total was 0.0 with no error
    from decimal import Decimal
    from fractions import Fraction

    from medspa_kit import clinic

    visits = clinic.load_visits()
    even = clinic.compare(visits, plan_mix={"epo-basic": 1, "ppo-standard": 1}).totals
    assert even["visits"].gt(0).all()
    for mix in ({"epo-basic": Decimal("1"), "ppo-standard": 1.0}, {"epo-basic": 1e308, "ppo-standard": 1e308},
                {"epo-basic": Fraction(1, 3), "ppo-standard": Decimal(1) / 3}):  # (one third twice: 1:1 to 1e-16)
        pd.testing.assert_frame_equal(clinic.compare(visits, plan_mix=mix).totals, even, rtol=1e-9)
    with pytest.raises(ScenarioError, match=r"^plan_mix: .* needs shares of at least 0 that add up to more than 0"):
        clinic.compare(visits, plan_mix={"epo-basic": 10**400})  # (no float holds it)


def test_a_myth_question_whose_check_gives_no_myth_check_names_check():
    from medspa_kit.ui import myth_question

    for check, said in ((lambda: None, "got NoneType"), (lambda: 5, "got int"),
                        (lambda: 1 / 0, "calling it failed: ZeroDivisionError: division by zero")):
        question = myth_question("Is it true?", check)
        for ask in (question.right_choice, lambda: question.check("true")):
            with pytest.raises(ScenarioError, match=f"^check: .*{re.escape(said)}$"):
                ask()


def test_a_numpy_long_double_is_read_as_the_number_it_holds():
    # np.longdouble(1200).item() is still a long double: payments called it "not a number", and
    # plan_mix shares of 1.0 "need shares of at least 0"
    import numpy as np

    from medspa_kit import clinic
    from medspa_kit.fields import OutOfRange, plain
    from medspa_kit.payments import installment

    assert plain(np.longdouble(1200)) == 1200.0 and type(plain(np.longdouble(1200))) is float
    assert isinstance(plain(np.longdouble("1e4000")), OutOfRange)  # (no float holds it: named as written)
    assert installment(np.longdouble(1200), 0.1, 12).payment == installment(1200, 0.1, 12).payment
    mix = clinic.default_assumptions().with_changes(plan_mix={"epo-basic": np.longdouble(1), "hdhp-hsa": 1})
    assert mix.plan_mix == {"epo-basic": 1.0, "hdhp-hsa": 1}


def test_clinic_assumptions_built_directly_hold_each_number_as_the_float_it_is():
    # Assumptions(...) kept a long double or a Decimal as given, and compare() died inside pandas
    # (No matching signature found; float * Decimal); with_changes and a dict of changes read them
    from decimal import Decimal
    from fractions import Fraction

    import numpy as np

    from medspa_kit import clinic

    visits = clinic.load_visits()
    expected = clinic.compare(visits, clinic.Assumptions(4, 12.0, 0.4, 1.0, paperwork=0.5))
    for uptake, paperwork in ((np.longdouble("0.4"), 0.5), (Decimal("0.4"), Decimal("0.5")),
                              (Fraction(2, 5), np.longdouble("0.5"))):
        given = clinic.Assumptions(np.int64(4), np.longdouble(12), uptake, Decimal(1), paperwork=paperwork)
        assert (given.lead_months, given.admin_cost_per_claim, given.cash_uptake, given.fee_schedule_scale,
                given.paperwork) == (4, 12.0, 0.4, 1.0, 0.5)
        assert type(given.cash_uptake) is float and type(given.lead_months) is int
        answer = clinic.compare(visits, given)
        for table in ("by_month", "totals", "denials"):
            pd.testing.assert_frame_equal(getattr(answer, table), getattr(expected, table))


def test_a_number_of_a_float_or_int_subclass_is_the_number_it_holds():
    # a float subclass whose repr fails, holding NaN or infinity, was a RuntimeError from the
    # message about it in payments; it is read as the float it holds, and named as that float
    from medspa_kit.fields import plain
    from medspa_kit.payments import installment, tax_savings
    from medspa_kit.payments.amounts import PaymentError

    class Unshowable(float):
        def __repr__(self):
            raise RuntimeError("no")

        __str__ = __repr__

    class Odd(int):
        def __add__(self, other):
            raise RuntimeError("no")

    assert type(plain(Unshowable(2.5))) is float and plain(Unshowable(2.5)) == 2.5
    assert type(plain(Odd(3))) is int and plain(Odd(3)) == 3 and plain(True) is True
    with pytest.raises(PaymentError, match="^amount: nan is not a number$"):
        tax_savings(Unshowable("nan"), 0.2, 0.05)
    with pytest.raises(PaymentError, match="^amount: inf is not a number$"):
        installment(Unshowable("inf"), 0.1, 12)
    # $1,200 at 10 % over 12 months, as with the plain numbers
    assert installment(Unshowable(1200), Unshowable(0.1), Odd(12)).payment == installment(1200, 0.1, 12).payment


def test_deferred_interest_echoes_the_rate_it_used():
    # it gave the apr back as passed (a Decimal, a long double), unlike installment and tax_savings
    from decimal import Decimal

    import numpy as np

    from medspa_kit.payments import deferred_interest

    plan = deferred_interest(np.longdouble(1200), Decimal("0.2699"), np.int64(12), np.longdouble(150))
    assert (plan.amount, plan.apr, plan.promo_months, plan.payment) == (1200.0, 0.2699, 12, 150.0)
    assert type(plan.apr) is float and type(plan.amount) is float
