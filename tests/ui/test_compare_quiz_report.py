"""Comparison, quiz, handout and client data, driven without a browser."""

from __future__ import annotations

import csv
from html import unescape
from pathlib import Path

import pytest

from medspa_kit import evaluate, preset
from medspa_kit.client_data import apply_plans, apply_prices
from medspa_kit.errors import DatasetError
from medspa_kit.catalog import default_catalog
from medspa_kit.ui.compare import CompareScenarios
from medspa_kit.ui.state import CompareState
from medspa_kit.ui.tools import ClientFiles
from medspa_kit.ui.questions import Question, engine_question
from medspa_kit.ui.quiz import Quiz


def test_compare_add_edit_duplicate_remove(tmp_path):
    c = CompareScenarios(["botox-forehead-lines", "botox-underarm-sweating"], handout_folder=tmp_path, chart=False)
    c.add_choice.value = "uncredentialed-np"
    c.add_button.click()
    assert [label for label, _ in c.state.columns][-1] == "Uncredentialed nurse practitioner"
    assert c.table.value.count("<th>") >= 3
    c.column.value = 1
    c.field.value = "diagnoses"
    c.value.value = "Z41.1"
    c.apply_button.click()
    assert c.outcomes[1][1].primary_reason.carc == "204"
    c.value.value = "L74.5"
    c.apply_button.click()  # bad: message, column unchanged
    assert "not billable" in c.state.message and c.outcomes[1][1].primary_reason.carc == "204"
    c.duplicate_button.click()
    assert len(c.state.columns) == 4
    c.remove_button.click()
    assert len(c.state.columns) == 3


def test_compare_limits():
    c = CompareScenarios(["botox-forehead-lines"], chart=False)
    assert c.remove_button.disabled
    for _ in range(5):
        c.add_button.click()
    assert len(c.state.columns) == 6 and c.add_button.disabled
    assert not c.state.add("botox-forehead-lines") and "at most 6" in c.state.message


def test_handout_opens_without_jupyter(tmp_path):
    c = CompareScenarios(["botox-forehead-lines", "out-of-network-ppo"], handout_folder=tmp_path, chart=False)
    html_path, csv_path = c.save()
    html = html_path.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "data:image/png;base64," in html
    assert "PR 204" in html and "Balance bill" in html
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["", "Botox for forehead lines", "PPO out of network"]  # preset titles, not ids
    patient = next(r for r in rows if r[0] == "Patient pays")
    # forehead lines: PR 204, the $480.00 cash price; OON PPO: 290.40 coinsurance + 374 balance bill.
    assert patient[1:] == ["$480.00", "$664.40"]


def test_quiz_answer_is_the_engines():
    q = engine_question("Who absorbs an uncredentialed NP's denied claim?", "uncredentialed-np", "who_absorbs",
                        ["the patient", "the clinic", "nobody: the claim is paid"])
    engine = evaluate(preset("uncredentialed-np"))
    assert engine.primary_reason.group == "CO"
    assert q.right_choice() == "the clinic"
    quiz = Quiz([q])
    quiz.radios[0].value = "the patient"
    assert "✗" in quiz.feedback[0].value and "the clinic" in quiz.feedback[0].value
    quiz.radios[0].value = "the clinic"
    assert "✓ Right" in quiz.feedback[0].value
    assert quiz.state.score == (1, 1)


def test_a_quiz_whose_answer_is_not_offered_fails_early():
    q = Question("?", ("a", "b"), answer=lambda: "c")
    with pytest.raises(ValueError, match="not among the choices"):
        Quiz([q])


def test_client_prices_flow_into_the_outcome(catalog):
    data = "service,cash_price,fee_schedule,source\n64650,950.00,780.00,illustrative\n"
    cat = apply_prices(data, catalog)
    outcome = evaluate(preset("botox-underarm-sweating", cat), cat)
    # allowed min(950, 780) = 780; ded 1500 - 1200 = 300; coins 0.2 x 480 = 96 -> $396.00
    assert outcome.cost.allowed == 780_00 and outcome.cost.patient_pays == 396_00


@pytest.mark.parametrize(
    "text,message",
    [
        ("service,cash_price,fee_schedule,source\n64650,-5,,x\n",
         "client_prices.csv, row 2, column cash_price: -5 is negative"),
        ("service,cash_price,fee_schedule,source\n64650,900,,x\nnope,10,,y\n",
         "client_prices.csv, row 3, column service: 'nope' is not a service in the catalog"),
        ("service,cash_price,source\n64650,900,x\n", "client_prices.csv, row 1, column fee_schedule: column is missing"),
        ("service,cash_price,fee_schedule,source\n64650,900,,\n", "client_prices.csv, row 2, column source: no source"),
    ],
)
def test_malformed_client_prices_name_row_and_column(text, message):
    with pytest.raises(DatasetError) as info:
        apply_prices(text)
    assert str(info.value).startswith(message)


def test_malformed_client_plans_name_row_and_column():
    header = ("id,name,type,deductible,coinsurance,copay,oop_max,covered_places_of_service,oon_deductible,"
              "oon_coinsurance,oon_oop_max,oon_allowed_pct,hsa_qualified,source\n")
    with pytest.raises(DatasetError, match=r"^client_plans\.csv, row 2, column coinsurance: 20 is not a rate"):
        apply_plans(header + "x,X,PPO,100,20,0,1000,11,,,,,false,s\n")
    with pytest.raises(DatasetError, match=r"^client_plans\.csv, row 2, column deductible: 5000 is above"):
        apply_plans(header + "x,X,PPO,5000,0.2,0,1000,11,,,,,false,s\n")
    # FF FE is UTF-16's byte-order mark: the file is named with what it seems to be
    with pytest.raises(DatasetError, match=r"^client_plans\.csv: is not UTF-8 text \(UTF-16\); save it as UTF-8$"):
        apply_plans(b"\xff\xfe\x00binary")


def test_sample_client_files_apply(catalog):
    folder = Path(catalog.folder)
    cat = apply_plans(folder / "sample_client_plans.csv", apply_prices(folder / "sample_client_prices.csv", catalog))
    assert "acme-employer-ppo" in cat.records("plans")
    assert cat.procedures["botox-cosmetic"].cash_price == 420.0


def test_a_column_is_always_selected_so_remove_and_duplicate_work():
    c = CompareScenarios(["botox-forehead-lines", "botox-underarm-sweating"], chart=False)
    assert c.column.value == 0
    c.remove_button.click()
    assert [label for label, _ in c.state.columns] == ["Botox for underarm sweating"]
    assert c.column.value == 0
    c.duplicate_button.click()
    assert len(c.state.columns) == 2


def test_a_deferred_interest_question_computes_its_answer():
    from medspa_kit.ui import deferred_question

    # 3,000 at 240 a month leaves 120 after 12 months: the accrued interest (554.25) posts at once.
    short = deferred_question("paid off?", 3000, 0.3299, 12, 240)
    assert short.right_choice() == "no" and "$554.25 of deferred interest" in short.explain()
    assert deferred_question("paid off?", 3000, 0.3299, 12, 250).right_choice() == "yes"  # 12 × 250 = 3,000


def test_a_clinic_question_computes_its_answer():
    from medspa_kit import clinic
    from medspa_kit.ui import clinic_question

    visits = clinic.load_visits()
    q = clinic_question("which wins?", visits, "winner", ["stay cash-pay", "credential with payers"])
    assert q.right_choice() == clinic.STRATEGY_LABELS[clinic.compare(visits).winner]
    with pytest.raises(ValueError):
        clinic_question("?", visits, "loser", ["a"])


def test_a_question_about_one_line_of_a_claim():
    # Office visit 99213 beside 17000 without modifier 25: line 1 is bundled (CO 97), line 2 paid.
    visit = engine_question("the visit line?", "office-visit-on-procedure-day", "reason", ["CO 97", "CO 107"], line=1)
    assert visit.right_choice() == "CO 97"
    spot = engine_question("the 17000 line?", "office-visit-on-procedure-day", "decision", ["covered", "denied"], line=2)
    assert spot.right_choice() == "covered"
    # 17000 allowed $66.31 with the deductible met: coinsurance 20 % = $13.262 -> $13.26; plan $53.05.
    pays = engine_question("plan pays?", "office-visit-on-procedure-day", "plan_pays", ["$53.05", "$66.31"], line=2)
    assert pays.right_choice() == "$53.05"


def test_a_line_question_names_what_it_cannot_ask():
    with pytest.raises(ValueError, match="^ask: 'units' is not one of 'decision', 'reason', .*'who_absorbs'$"):
        engine_question("?", "office-visit-on-procedure-day", "units", ["x"], line=1)
    absorbs = engine_question("?", "office-visit-on-procedure-day", "who_absorbs", ["the clinic", "the patient"], line=1)
    assert absorbs.right_choice() == "the clinic"  # CO 97: in network the clinic cannot bill the patient
    beyond = engine_question("?", "office-visit-on-procedure-day", "decision", ["covered"], line=3)
    with pytest.raises(ValueError, match="line must be between 1 and 2, not 3"):
        beyond.right_choice()


def test_headings_and_the_plan_row_follow_edits():
    from medspa_kit.catalog import default_catalog

    client = apply_plans(default_catalog().folder / "sample_client_plans.csv")
    c = CompareScenarios(["botox-underarm-sweating"], catalog=client, chart=False)
    assert "<td>Standard PPO</td>" in c.table.value  # the preset's plan by its catalog name
    c.field.value, c.value.value = "plan", "acme-employer-ppo"
    c.apply_button.click()
    assert c.state.columns[0][0] == "Botox for underarm sweating · plan Acme employer PPO"
    assert "<td>Acme employer PPO</td>" in c.table.value and "Standard PPO" not in c.table.value
    c.field.value, c.value.value = "service.charge", "$1,200"  # money typed the way people write it
    c.apply_button.click()
    c.field.value, c.value.value = "plan", "ppo-standard"  # the same field again replaces its part
    c.apply_button.click()
    assert c.state.columns[0][0] == "Botox for underarm sweating · plan Standard PPO, charge $1,200.00"
    c.duplicate_button.click()  # a copy keeps the heading, made unique, and edits on its own
    assert [label for label, _ in c.state.columns][1] == "Botox for underarm sweating · plan Standard PPO, charge $1,200.00 (2)"
    c.column.value, c.field.value, c.value.value = 1, "diagnoses", "Z41.1"
    c.apply_button.click()
    assert c.state.columns[1][0] == "Botox for underarm sweating · plan Standard PPO, charge $1,200.00 (2) · diagnosis Z41.1"


def test_a_plan_of_no_catalog_is_shown_by_its_terms():
    from medspa_kit.report import plan_words

    custom = preset("botox-underarm-sweating").with_changes({"plan.deductible": 750.0, "plan.copay": 25.0})
    assert plan_words(custom) == "PPO: $750.00 deductible, 20 %, $25.00 copay"


def test_export_offers_the_table_as_it_is_and_withdraws_it_after_a_change(tmp_path):
    import base64
    import re

    c = CompareScenarios(["botox-forehead-lines", "out-of-network-ppo"], handout_folder=tmp_path, chart=False)
    assert c.exported.value == ""  # nothing said before anyone asks
    files = c.export()
    assert sorted(files) == ["handout.csv", "handout.html"]
    assert list(tmp_path.iterdir()) == []  # nothing written on the server
    links = dict(re.findall(r"download='([^']+)' href='data:[^;]+;charset=utf-8;base64,([^']+)'", c.exported.value))
    assert base64.b64decode(links["handout.csv"]).decode("utf-8") == files["handout.csv"]
    rows = list(csv.reader(files["handout.csv"].splitlines()))
    # forehead lines: PR 204, the $480.00 cash price; OON PPO: 290.40 coinsurance + 374 balance bill.
    assert next(r for r in rows if r[0] == "Patient pays")[1:] == ["$480.00", "$664.40"]
    c.add_button.click()
    assert c.exported.value == ""  # the links would no longer match the table


def test_the_field_list_shows_plain_names_and_keeps_paths_inside():
    c = CompareScenarios(["botox-forehead-lines"], chart=False)
    labels = [label for label, _ in c.field.options]
    assert "Charge" in labels and "Diagnosis" in labels and not [x for x in labels if "." in x or "_" in x]
    c.field.label = "Charge"
    assert c.field.value == "service.charge"


def test_an_edit_marks_the_heading_only_when_the_value_changed():
    state = CompareState([("botox-forehead-lines", preset("botox-forehead-lines"))])
    charge = state.columns[0][1].get("service.charge")
    assert not state.edit(0, "service.charge", f"{charge}")  # the same charge typed again
    assert state.columns[0][0] == "botox-forehead-lines" and "nothing changed" in state.message
    assert state.edit(0, "service.charge", "$999")
    assert state.columns[0][0] == "botox-forehead-lines · charge $999.00"
    assert not state.edit(0, "service.charge", "999")  # $999 again, typed another way
    assert state.columns[0][0] == "botox-forehead-lines · charge $999.00"


def test_the_upload_status_and_the_handout_name_every_client_file():
    folder = default_catalog().folder
    seen = []
    files = ClientFiles(on_catalog=seen.append)
    assert files.load("acme_prices.csv", (folder / "sample_client_prices.csv").read_bytes(), "prices")
    assert files.load("acme_plans.csv", (folder / "sample_client_plans.csv").read_bytes(), "plans")
    # sample_client_prices.csv sets 7 services, sample_client_plans.csv adds 2 plans
    assert "acme_prices.csv (prices, 7 rows)" in files.status.value
    assert "acme_plans.csv (plans, 2 rows)" in files.status.value
    lab = CompareScenarios(["botox-underarm-sweating"], catalog=seen[-1], chart=False)
    html = unescape(lab.export()["handout.html"])
    assert "Built from the client's files: acme_prices.csv (prices, 7 rows); acme_plans.csv (plans, 2 rows)." in html
    own = CompareScenarios(["botox-underarm-sweating"], chart=False).export()["handout.html"]
    assert "Built from the kit's own prices and plans" in unescape(own)


def test_a_refused_upload_keeps_the_list_of_client_files_still_in_effect():
    """After a bad prices file the status once showed only "bad_prices.csv was not applied": the
    files applied before are still in effect and the status says which."""
    folder = default_catalog().folder
    files = ClientFiles(on_catalog=lambda catalog: None)
    assert files.load("acme_prices.csv", (folder / "sample_client_prices.csv").read_bytes(), "prices")
    assert not files.load("bad_prices.csv", b"service,charge\nbotox-underarm-sweating,-420\n", "prices")
    status = files.status.value
    assert "bad_prices.csv was not applied" in status
    assert "Still in effect" in status and "acme_prices.csv (prices, 7 rows)" in status
    assert status.index("was not applied") < status.index("acme_prices.csv")


def test_the_workshop_and_its_handout_show_preset_titles_and_plain_sources():
    """Raw ids (botox-forehead-lines), check ids (rendering_provider), "no * row for botox-cosmetic"
    and "adjustments.csv: docs/cost.md" once reached the room; the Add list, the headings, the
    handout's sections and its sources now read in words, and only the checks that decided."""
    c = CompareScenarios(["botox-forehead-lines", "botox-underarm-sweating"], chart=False)
    assert ("Botox for forehead lines", "botox-forehead-lines") in c.add_choice.options
    assert [label for label, _ in c.state.columns] == ["Botox for forehead lines", "Botox for underarm sweating"]
    assert "false" not in c.value.placeholder and "yes or no" in c.value.placeholder
    html = unescape(c.export()["handout.html"])
    assert "<h2>Botox for forehead lines</h2>" in html and "botox-forehead-lines" not in html
    sources = html[html.index("Sources used"):]
    for internal in ("_", "no * row", "docs/", ".csv"):
        assert internal not in sources.split("</details>")[0], internal
    # forehead lines: decided by the cosmetic check (Z41.1, ICD-10-CM), not by the network or the NPI
    assert "Not a cosmetic or excluded service: ICD-10-CM FY2026" in sources
    assert "Health Net" not in sources.split("</details>")[0] and "PPO" not in sources.split("</details>")[0]


def test_compare_scenarios_refuses_what_is_no_list_of_presets_or_pairs():
    from medspa_kit.errors import ScenarioError

    for given, message in [(None, "scenarios: expected a list of preset names or (label, Scenario) pairs, got NoneType"),
                           ("botox-forehead-lines", "scenarios: expected a list of preset names or (label, Scenario) "
                                                    "pairs, got str"),
                           ([5], "scenarios[0]: expected a preset name or a (label, Scenario) pair, got 5"),
                           ([("x", 5)], "scenarios[0]: expected a preset name or a (label, Scenario) pair, got ('x', 5)")]:
        with pytest.raises(ScenarioError) as caught:
            CompareScenarios(given, chart=False)
        assert str(caught.value) == message


def test_a_column_label_with_hidden_marks_is_refused():
    from medspa_kit import preset
    from medspa_kit.errors import ScenarioError

    for label in ["\u202e" * 5 + "=cmd", "", "a\nb", "x" * 81]:
        with pytest.raises(ScenarioError, match=r"^scenarios\[0\]: .* is not a column label: 1 to 80 printable"):
            CompareScenarios([(label, preset("botox-forehead-lines"))], chart=False)
    assert CompareScenarios([("Mine: Botox ✓", preset("botox-forehead-lines"))], chart=False).state.columns[0][0] == \
        "Mine: Botox ✓"
