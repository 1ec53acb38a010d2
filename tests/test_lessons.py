"""What the notebooks show, computed by importing the library (hand-checked numbers)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from medspa_kit import lessons

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def test_every_claim_of_the_article_is_decided_on_the_evidence():
    checks = lessons.myths()
    assert len(checks) >= 8
    assert [c.verdict for c in checks] == ["false"] * 6 + ["true", "false"]
    for check in checks:
        assert check.sources[0] == "neocities-medspa-myths (the claim)" and len(check.sources) >= 2
        ev = check.evidence  # every row adds up: plan + patient + write-off = charge
        for _, row in ev.iterrows():
            cents = {k: round(float(row[k].replace("$", "").replace(",", "")) * 100)
                     for k in ("charge", "plan pays", "patient pays", "clinic writes off")}
            assert cents["plan pays"] + cents["patient pays"] + cents["clinic writes off"] == cents["charge"]
    wrinkles = checks[0].evidence
    assert wrinkles.loc["botox-forehead-lines", "decision"] == "denied"
    assert set(wrinkles.drop(index="botox-forehead-lines")["decision"]) == {"covered"}
    # Myth 2: four migraine sessions, each allowed $1,179.05 with a $40 copay -> plan $1,139.05 each;
    # the $25,000 allowed HDHP line: deductible $3,000 + 20 % of $22,000 = $7,400, capped at the
    # $6,500 OOP maximum -> plan pays $18,500. Total plan: 4 x 1,139.05 + 18,500 = $23,056.20.
    assert "$23,056.20" in checks[1].reason
    assert list(checks[1].evidence["patient pays"]) == ["$40.00"] * 4 + ["$6,500.00"]
    massage = checks[2].evidence
    assert massage.loc["therapeutic massage, back pain", "decision"] == "covered"
    assert massage.loc["spa or sculpting massage", "reason"] == "PR 204 Not a covered benefit"
    assert (checks[3].evidence["decision"] != "covered").all()
    # 5: a referral and a letter change nothing: PR 204, PR 171, PR 170
    assert list(checks[4].evidence["reason"].str[:6]) == ["PR 204", "PR 171", "PR 170"]
    # 6: the drug alone has no injection (a claim would be CO 107: a cash sale); at a day spa no claim (PR 171); with its injection at a med
    # spa billing as an office (POS 11) it is the underarm claim: plan $340.80, patient $385.20
    supplies = checks[5].evidence
    assert supplies["reason"].str.contains("CO 107").iloc[0] and list(supplies["reason"].str[:6])[1:] == ["PR 171", ""]
    assert supplies.iloc[2][["plan pays", "patient pays"]].tolist() == ["$340.80", "$385.20"]
    # 7: 99213 for L74.510: fee schedule $92 all to the deductible ($300 left), so covered with plan $0,
    # patient $92, write-off 140 − 92 = $48; the same visit for Z41.1: PR 204
    first = checks[6].evidence.iloc[0]
    assert first[["decision", "plan pays", "patient pays", "clinic writes off"]].tolist() == [
        "covered", "$0.00", "$92.00", "$48.00"]
    assert checks[6].evidence.iloc[1]["reason"].startswith("PR 204")
    # 8: Bell's palsy (G51.0) on wrinkle Botox is still PR 204; as 64612 the policy says CO 50
    assert list(checks[7].evidence["reason"].str[:6]) == ["PR 204", "PR 204", "CO 50 "]
    assert "fraud" in checks[7].reason and "usc-31-3729" in checks[7].sources


def test_network_grid_patient_pays():
    grid = lessons.network_grid("botox-underarm-sweating", ["ppo-standard", "pos-choice", "hmo-local", "epo-basic"])
    column = "in network (credentialed + contract)"
    # allowed $726; $1,200 met so far. PPO: ded 300 + 0.2 x 426 = 385.20. POS ($1,000 ded, met):
    # 0.2 x 726 = 145.20. HMO: $30 copay. EPO ($2,000 ded): 800 left -> the whole 726.
    assert list(grid[column]) == ["$385.20", "$145.20", "$30.00", "$726.00"]
    assert grid.loc["Local HMO", "not credentialed"] == "$1,100.00 (PR 242)"
    # PPO out of network: OON deductible unmet -> 726 + balance bill 374 = 1,100.
    assert grid.loc["Standard PPO", "credentialed, no contract"] == "$1,100.00"


def test_headlines_flip_on_the_diagnosis():
    lines = lessons.headlines("botox-underarm-sweating", "diagnoses", [["L74.510"], ["Z41.1"], ["G43.709"]])
    assert lines == [
        "L74.510: covered — patient pays $385.20",
        "Z41.1: denied — PR 204 Not a covered benefit — patient pays $1,100.00",
        "G43.709: denied — CO 50 Not medically necessary — patient pays $0.00",
    ]


def test_price_changes_lists_what_the_client_file_changed(catalog):
    from medspa_kit.client_data import apply_prices
    from medspa_kit.report import price_changes

    client = apply_prices("service,cash_price,fee_schedule,source\n64650,950,780,x\n", catalog)
    table = price_changes(client, catalog)
    assert list(table.index) == ["botox-underarm-sweating"]
    assert table.loc["botox-underarm-sweating", "client fee schedule"] == "$780.00"
    assert table.loc["botox-underarm-sweating", "fee schedule"] == "$726.00"


@pytest.mark.parametrize("name", ["00_start_here", "01_cosmetic_or_medical", "02_diagnosis_codes",
                                  "04_when_insurance_says_no",
                                  "03_credentialing_and_networks", "05_workshop_scenario_lab", "06_clinic_decision",
                                  "07_myths_and_facts", "08_same_service_different_payer", "09_a_year_of_treatment"])
def test_notebook_shape(name):
    nb = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    first_md = "".join(nb["cells"][0]["source"])
    assert "goals" in first_md.lower() or "by the end of this notebook" in first_md.lower()
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert code[0].startswith("%matplotlib inline")
    quiz = next(c for c in reversed(code) if "Quiz(" in c)
    assert quiz.count("_question(") + quiz.count("Question(") >= 3  # engine_, deferred_, clinic_ or hand-built
    for cell in code:  # narrative and wiring only: no functions, no dollar formatting of their own
        assert not re.search(r"^\s*def ", cell, re.M), (name, cell[:80])
        assert "${" not in cell and ":,.2f" not in cell, (name, cell[:80])
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", name
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {})


def test_lines_table_shows_the_drug_line_carrying_most_of_the_dollars():
    # 64650 allowed $75.00; J0585 $6.51 x 100 = $651.00. The Standard PPO's $1,500 deductible has
    # $300 left: line 1 pays $75 of it (plan $0); line 2 pays the last $225, then 20 % of $426 =
    # $85.20 -> patient $310.20, plan $651 - $310.20 = $340.80. Total patient $385.20, as for the
    # one-service version of the same visit ($726 allowed).
    table = lessons.lines_table("underarm-sweating-claim")
    assert list(table.index) == ["1 · 64650", "2 · J0585-JZ ×100"]
    assert list(table["allowed"]) == ["$75.00", "$651.00"]
    assert list(table["plan pays"]) == ["$0.00", "$340.80"]
    assert list(table["patient pays"]) == ["$75.00", "$310.20"]
    assert list(table["clinic writes off"]) == ["$275.00", "$349.00"]  # $350 - $75; $1,000 - $651


def test_lines_table_applies_changes_first():
    # Without prior authorization both lines are denied CO 197; in network the clinic absorbs each charge.
    table = lessons.lines_table("underarm-sweating-claim", {"documentation.prior_auth": False})
    assert list(table["reason"]) == ["CO 197 No prior authorization"] * 2
    assert list(table["clinic writes off"]) == ["$350.00", "$1,000.00"]


def test_outcome_tables_name_a_claim_by_its_lines():
    table = lessons.outcomes_table(["seven-actinic-keratoses", "botox-underarm-sweating"], ["service"])
    assert table.loc["seven-actinic-keratoses", "service"] == "17000 + 17003 ×6"
    assert table.loc["botox-underarm-sweating", "service"] == "Botox for underarm sweating (64650)"


def test_payers_compared_puts_the_same_chart_before_each_payer():
    table = lessons.payers_compared("peel-twelve-spots-ibx", ["independence-blue-cross", "aetna", "medicare"])
    assert list(table["decision"]) == ["covered", "denied", "covered"]
    assert table.loc["Aetna", "reason"] == "CO 50 Not medically necessary"
    assert "15 or more actinic keratoses" in table.loc["Aetna", "what decided"]
    assert table.loc["Independence Blue Cross", "source"].startswith("IBX 11.08.08h")
    # Every payer starts with nothing met: the PPO's $1,500 deductible takes all of the $520.78 fee;
    # Medicare: $283 Part B deductible, then 20 % of $237.78 = $47.556 -> $47.56: $330.56
    assert list(table["patient pays"]) == ["$520.78", "$0.00", "$330.56"]


def test_payers_table_counts_each_payers_own_rows():
    table = lessons.payers_table()
    assert table.loc["generic-commercial", "own policy rows"] == 0
    assert table.loc["bcbs-north-dakota", "services with own rows"] == "Botox for underarm sweating"


def test_myth_4_evidence_changes_only_the_policy():
    """Each pair is one visit billed the same way on a basic and on the fullest plan: nothing but the
    plan differs, and no row is decided by who bills or the network (no B7, no 242)."""
    check = lessons.myth_comprehensive_policy()
    scenarios = list(check.scenarios.values())
    assert len(scenarios) == len(check.evidence) == 6
    for basic, full in zip(scenarios[0::2], scenarios[1::2]):
        a, b = basic.to_dict(), full.to_dict()
        assert {k for k in a if a[k] != b[k]} == {"plan"}
        assert (basic.plan.type.value, full.plan.type.value) == ("EPO", "PPO")
    assert set(check.evidence["network"]) == {"in network"}
    assert not check.evidence["reason"].str.contains(r"B7|242|170|171").any()
    # the three visits are cosmetic: PR 204 on both plans, so 0 of 3 paid on the fullest plan
    assert set(check.evidence["reason"]) == {"PR 204 Not a covered benefit"}
    assert check.verdict == "false" and check.reason.startswith("0 of 3")


def test_myth_6_false_verdict_is_about_supplies_bought_and_says_why_the_paid_row_is_not_one():
    check = lessons.myth_spa_supplies()
    table = check.evidence
    bought = table[table.index.str.contains("bought")]
    assert len(bought) == 2 and (bought["decision"] != "covered").all()
    paid = table[table["decision"] == "covered"]
    # the one paid row is the contrast row, labelled as not a purchase, and the reason says why
    assert list(paid.index) == [lessons.SUPPLY_GIVEN] and lessons.SUPPLY_GIVEN.startswith("not a purchase")
    assert "not a purchase and does not contradict" in check.reason
    assert f"plan pays {paid.iloc[0]['plan pays']}" in check.reason  # $340.80, the table's own figure
    assert check.reason.startswith("False as stated: 0 of 2 supplies bought")


def test_myth_6_a_drug_bought_alone_is_a_cash_sale_the_patient_pays():
    """J0585 ×100 bought with no injection: $1,000 at the clinic's price. A claim would come back
    CO 107, so nothing is billed: plan $0 + patient $1,000 + write-off $0 = $1,000 (the table once
    said patient $0, clinic writes off $1,000, read as "the patient pays nothing")."""
    check = lessons.myth_spa_supplies()
    row = check.evidence.loc[lessons.SUPPLY_ALONE]
    assert row["decision"] == "not billable" and "CO 107" in row["reason"] and "cash" in row["reason"]
    assert (row["charge"], row["plan pays"], row["patient pays"], row["clinic writes off"]) == (
        "$1,000.00", "$0.00", "$1,000.00", "$0.00")
    assert "patient pays the $1,000.00 price in cash" in check.reason


def test_myth_7_says_who_owes_what_with_the_reason_codes():
    """99213 for L74.510 on the Standard PPO with $1,200 of the $1,500 deductible met: fee schedule $92,
    so the clinic writes off 140 − 92 = $48 (CO 45), the $92 goes to the $300 left of the deductible
    (PR 1) and the plan pays $0."""
    reason = lessons.myth_initial_visit().reason
    assert "plan's share" not in reason
    assert "the clinic writes off the $48.00 above it (CO 45)" in reason
    assert "the patient owes $92.00 as the deductible (PR 1)" in reason
    assert "the plan pays $0.00" in reason


def test_every_myth_is_printed_wrapped_at_spaces_with_codes_whole():
    from medspa_kit.catalog import default_catalog
    from medspa_kit.vocabulary import PRINT_WIDTH

    for check in lessons.myths():
        text = check.report()
        lines = text.splitlines()
        assert max(len(line) for line in lines) <= PRINT_WIDTH
        cited = default_catalog().cite((), check.sources)
        assert text.split() == f"CLAIM: {check.claim} VERDICT: {check.verdict.upper()} WHY: {check.reason} " \
                               f"SOURCES: {cited}".split()  # only spaces became line breaks
        for line, after in zip(lines, lines[1:]):  # no code ends one line and goes on in the next
            assert not (re.search(r"\b[A-Z]{2,5}$", line) and re.match(r"\s*[A-Z]?\d", after)), (line, after)


def test_wrap_words_breaks_only_at_spaces_and_keeps_codes_together():
    from medspa_kit.vocabulary import wrap_words

    text = "WHY:     " + " ".join(["the claim is denied PR 204 and the clinic writes off CO 45"] * 6)
    wrapped = wrap_words(text, width=40)
    lines = wrapped.splitlines()
    assert len(lines) > 1 and all(len(line) <= 40 for line in lines)
    assert all(line.startswith(" " * 9) for line in lines[1:])  # under the text, not under the label
    assert wrapped.split() == text.split()
    assert not any(re.search(r"\b(PR|CO)$", line) or re.match(r"\s*(204|45)\b", line) for line in lines)
    assert wrap_words("short line") == "short line"
    assert wrap_words("x" * 120, width=40) == "x" * 120  # a word longer than the width stays whole


def test_payer_scenario_is_the_scenario_of_the_payers_table():
    """A quiz about a row of payers_compared asks about payer_scenario: the same dollars. Underarm
    sweating under Aetna, nothing of the $1,500 deductible met: allowed $726 all to the deductible,
    so the patient pays $726.00 (the preset itself, $1,200 met, would give 300 + 20 % of 426 = $385.20)."""
    from medspa_kit import evaluate

    chart = {"documentation.criteria": ["severe-sweating-6-months", "failed-topical-aluminium-chloride"]}
    table = lessons.payers_compared("botox-underarm-sweating", ["aetna", "bcbs-north-dakota"], chart)
    for payer, name in (("aetna", "Aetna"), ("bcbs-north-dakota", "Blue Cross Blue Shield of North Dakota")):
        outcome = evaluate(lessons.payer_scenario("botox-underarm-sweating", payer, chart))
        assert lessons.money(outcome.cost.patient_pays) == table.loc[name, "patient pays"]
    assert table.loc["Aetna", "patient pays"] == "$726.00"


@pytest.mark.parametrize("participating,words", [
    (True, "participating provider (accepts assignment)"),
    (False, "non-participating provider (does not accept assignment)"),
])
def test_original_medicare_is_never_called_a_network(participating, words):
    """Medicare has no network: its rows say whether the clinic accepts assignment, in every table."""
    from medspa_kit import evaluate
    from medspa_kit.report import comparison_frame
    from medspa_kit.explain import summary
    from medspa_kit.report.html import decision_html

    scenario = lessons.payer_scenario("botox-underarm-sweating", "medicare",
                                      {"facility.participating": participating})
    outcome = evaluate(scenario)
    assert outcome.network_words == words
    assert lessons.outcomes_table([("m", scenario)]).loc["m", "network"] == words
    assert lessons.payers_compared("botox-underarm-sweating", ["medicare"],
                                   {"facility.participating": participating}).iloc[0]["network"] == words
    assert comparison_frame([("m", outcome)]).loc[:, "m"].str.contains("network").sum() == 0
    assert words.capitalize() in decision_html(outcome) and "network" not in decision_html(outcome).lower()
    assert f"({words})" in summary(outcome)
    # a commercial plan keeps its network words
    assert evaluate(lessons.payer_scenario("botox-underarm-sweating", "aetna")).network_words == "in network"


def test_myth_2_sessions_are_12_weeks_apart_from_a_plan_year_with_nothing_met():
    myth = lessons.myth_lifetime_limit()
    sessions = [s for label, s in myth.scenarios.items() if label.startswith("migraine session")]
    days = [s.date_of_service for s in sessions]
    assert [(b - a).days for a, b in zip(days, days[1:])] == [84, 84, 84]  # "12 weeks apart", as the text says
    first = sessions[0]
    assert (first.date_of_service.month, first.accumulators.deductible_met, first.accumulators.oop_met) == (1, 0, 0)
    # A copay plan charges the $40 copay and no deductible (docs/cost.md), so the first session of the year
    # costs $40 with nothing met; session 4 has $40 × 3 = $120 of out-of-pocket met before it.
    assert first.plan.copay == 40.0 and myth.evidence.iloc[0]["patient pays"] == "$40.00"
    assert sessions[3].accumulators.oop_met == 120.0


def test_notebook_07_myth_2_says_what_its_table_shows():
    nb = json.loads((NOTEBOOKS / "07_myths_and_facts.ipynb").read_text(encoding="utf-8"))
    text = next("".join(c["source"]) for c in nb["cells"] if "## Myth 2" in "".join(c["source"]))
    assert "12 weeks apart" in text and "nothing met" in text and "copay" in text
    stored = "".join("".join(o.get("data", {}).get("text/html", "")) for c in nb["cells"] for o in c.get("outputs", [])
                     if "migraine session" in "".join(o.get("data", {}).get("text/html", "")))
    dates = [date.fromisoformat(d) for d in re.findall(r"migraine session \d \((\d{4}-\d\d-\d\d)\)", stored)]
    assert len(dates) == 4 and all((b - a).days == 84 for a, b in zip(dates, dates[1:]))


def test_notebook_00_first_scenario_words_match_the_presets_date():
    # The preset's visit is on 2026-03-02, early in a plan year from January 1: the text must not call it late.
    from medspa_kit import preset

    scenario = preset("botox-underarm-sweating")
    nb = json.loads((NOTEBOOKS / "00_start_here.ipynb").read_text(encoding="utf-8"))
    text = next("".join(c["source"]) for c in nb["cells"] if "## Your first scenario" in "".join(c["source"]))
    day = scenario.date_of_service
    assert f"{day:%B} {day.day}, {day.year}" in text and "late in the year" not in text
    assert f"\\\\${scenario.accumulators.deductible_met:,.0f} of her \\\\${scenario.plan.deductible:,.0f} deductible" in text


def test_policy_table_of_a_service_no_payer_covers_is_an_empty_table():
    # cosmetic Botox (forehead lines) is excluded by every plan: no policy says what to document
    # (it was a pandas KeyError: no 'payer' column to index by)
    from medspa_kit.lessons import policy_table

    for services in (["botox-cosmetic"], []):
        table = policy_table(services)
        assert table.empty and table.index.name == "payer"
        assert list(table.columns) == ["service", "diagnosis", "criteria to document", "prior auth",
                                       "min days between", "source"]
    covered = policy_table(["botox-underarm-sweating"])  # a covered service keeps its rows
    assert len(covered) > 0 and set(covered["service"]) == {"Botox for underarm sweating (64650)"}
