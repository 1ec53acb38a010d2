"""Notebook 06 never contradicts itself: the cash-pay column, the visit count, the two kinds of
unpaid visit, the reasons credentialing loses, the sweep's sentence and its table.

The sample year is run once per module (a few seconds); small tables are built by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from medspa_kit import clinic
from medspa_kit.report import (clinic_denials_table, clinic_losses_table, clinic_totals, clinic_visits_sentence,
                               clinic_visits_shown, fee_table, sweep_sentence, sweep_table)
from medspa_kit.ui.clinic import COMPUTING, ClinicDecision

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "06_clinic_decision.ipynb"


@pytest.fixture(scope="module")
def year():
    return clinic.compare(clinic.load_visits())


def _number(text: str) -> float:
    return float(text.replace("$", "").replace(",", "").replace("−", "-"))


def test_under_cash_pay_no_claim_is_filed_so_the_plan_pays_the_clinic_nothing(year):
    cash = year.visits[year.visits["strategy"] == "cash_pay"]
    assert cash["claims"].sum() == 0 and cash["plan_pays"].sum() == 0
    # what a patient's own superbill brings back is the patient's, shown on its own row;
    # the patient pays the price less that refund: price = patient pays + refund, visit by visit
    assert cash["superbill_refund"].sum() > 0
    assert ((cash["patient_oop"] + cash["superbill_refund"]) - cash["charge"]).abs().max() < 0.005
    table = clinic_totals(year)
    assert table.loc["of the revenue: plans pay the clinic", "stay cash-pay"] == "$0"
    assert table.loc["claims filed", "stay cash-pay"] == "0"


def test_superbill_refunds_are_a_note_not_clinic_revenue(year):
    # Under cash pay the clinic collects the whole price; what a patient's own plan later refunds is the
    # patient's money. The clinic's revenue is what patients and plans pay it, under both strategies.
    table = clinic_totals(year)
    rows = list(table.index)
    note = "note: patients' own refunds from their plans (not clinic income)"
    assert rows.index(note) > rows.index("net revenue") and "plans refund patients (superbills)" not in rows
    for strategy in ("stay cash-pay", "credential with payers"):
        revenue = _number(table.loc["revenue (what the clinic collects)", strategy])
        parts = (_number(table.loc["of the revenue: patients pay the clinic", strategy])
                 + _number(table.loc["of the revenue: plans pay the clinic", strategy]))
        assert abs(revenue - parts) <= 1, strategy  # each figure rounded to whole dollars on its own
    # cash pay: patients pay the clinic the price; their cost after the refund is the price less the refund
    cash = {row: _number(table.loc[row, "stay cash-pay"]) for row in rows}
    assert abs(cash["of the revenue: patients pay the clinic"] - cash[note]
               - cash["note: patients' cost after those refunds"]) <= 1
    # the refunds move with what payers allow; the cash clinic's revenue does not
    higher = clinic_totals(clinic.compare(clinic.load_visits(), fee_schedule_scale=2.0))
    assert higher.loc["revenue (what the clinic collects)", "stay cash-pay"] == table.loc[
        "revenue (what the clinic collects)", "stay cash-pay"]


def test_the_visits_sentence_says_why_fewer_visits_happen_than_the_file_has(year):
    # 5,631 visits in the file; cash-pay keeps 5,135 (60 % of the covered visits lost), credentialed 5,495
    # (covered visits of the 4 months before the contracts start): 5,631 − 5,135 = 496 and 5,631 − 5,495 = 136.
    text = clinic_visits_sentence(year)
    assert "The file has 5,631 visits" in text
    assert "Staying cash-pay, 5,135 do: 496 are lost" in text and "only 40 % still happen" in text
    assert "Credentialed, 5,495 do: 136 are lost in the first 4 months" in text


def test_every_difference_is_the_shown_figures_difference(year):
    table = clinic_totals(year)
    for row in table.index:
        cash, credentialed, difference = (_number(v) for v in table.loc[row])
        assert credentialed - cash == difference, row
    shown = clinic_visits_shown(year)
    # weighted visits 5,135.4 and 5,494.8 are shown as 5,135 and 5,495: the difference is 360, not 359.4 → 359
    assert table.loc["visits", "difference"] == f"{shown['credential with payers'] - shown['stay cash-pay']:,}"


def test_not_billable_visits_are_kept_apart_from_denials(year):
    d = year.denials
    not_billable = d[d["kind"] == clinic.NOT_BILLABLE]
    assert set(not_billable["reason_carc"]) == {"204", "170"}
    assert (d[d["reason_carc"].isin(["204", "170"])]["kind"] == clinic.NOT_BILLABLE).all()
    # no claim is filed for them, under either strategy
    per_visit = year.visits[year.visits["kind"] == clinic.NOT_BILLABLE]
    assert per_visit["claims"].sum() == 0
    table = clinic_denials_table(year)
    kinds = {k.split(" (")[0] for k in table.index.get_level_values("kind")}
    assert kinds == {clinic.NOT_BILLABLE, clinic.DENIED}
    assert "(no claim is filed)" in table.index.get_level_values("kind")[0]


def test_the_reasons_credentialing_loses_come_from_the_data_largest_first(year):
    losses = year.clinic_losses()
    assert list(losses["dollars"]) == sorted(losses["dollars"], reverse=True)
    assert "CO 151" in set(losses["reason"])  # units or visits above the payer's limit: it occurs, so it is listed
    d = year.denials
    co151 = d[(d["strategy"] == "credentialed") & (d["reason_group"] == "CO") & (d["reason_carc"] == "151")]
    assert losses.set_index("reason").loc["CO 151", "dollars"] == pytest.approx(co151["clinic_absorbs"].sum())
    # CO 45 and the CO denials are the whole write-off: nothing the clinic lost is left out
    write_off = year.totals.set_index("strategy").loc["credentialed", "write_off"]
    assert losses["dollars"].sum() == pytest.approx(write_off, abs=0.05)
    assert list(clinic_losses_table(year).columns) == ["in words", "visits", "dollars a year"]


def sweep(gaps, values=(1.0, 1.5, 2.0, 2.5), parameter="fee_schedule_scale"):
    rows = []
    for value, gap in zip(values, gaps):
        rows += [{"parameter": parameter, "value": value, "strategy": "cash_pay", "net_revenue": 1000.0},
                 {"parameter": parameter, "value": value, "strategy": "credentialed", "net_revenue": 1000.0 + gap}]
    return pd.DataFrame(rows)


def test_the_sweep_says_plainly_when_credentialing_never_wins():
    text = sweep_sentence(sweep([-300, -200, -100, -50]), fee_share=0.66)
    # 1 × 0.66 = 66 %; 2.5 × 0.66 would be 165 %, but the allowed amount is capped at the charge: 100 %
    assert text.startswith("Credentialing does not pay at any fee schedule from 1× to 2.5× the fee schedules "
                           "(66 % to 100 % of the cash price)")


def test_the_fee_sweep_says_where_the_allowed_amount_reaches_the_charge():
    visits = clinic.load_visits()
    # the last fee schedule to reach its cash price: freezing the first precancerous spot, $150 ÷ $66.31 = 2.26×
    assert clinic.fee_cap_scale(visits) == pytest.approx(150 / 66.31)
    assert clinic.fee_share_of_cash(visits, scale=3.0) == pytest.approx(1.0)  # every fee capped at its price
    assert clinic.fee_share_of_cash(visits, scale=2.5) <= 1.0
    text = sweep_sentence(sweep([-300, -200, -100, -50]), visits=visits)
    assert "from about 2.3× the fee schedules" in text and "changes nothing" in text
    # 2.5× is above 2.26×: every fee schedule is capped at its cash price, so payers allow 100 %, never 165 %
    assert "(66 % to 100 % of the cash price)" in text and "165 %" not in text


def test_the_sweep_says_where_it_crosses():
    # gap −100 at 1.5× and +300 at 2×: zero a quarter of the way, at 1.5 + 0.5 × 100 / 400 = 1.625 → 1.62×
    c = clinic.crossing(sweep([-300, -100, 300, 500]))
    assert c.at == pytest.approx(1.625) and c.credentialing_wins_above is True
    text = sweep_sentence(sweep([-300, -100, 300, 500]), fee_share=0.5)
    assert text.startswith("The answer changes at about 1.62× the fee schedules (81 % of the cash price): "
                           "credentialing keeps more net revenue above it")
    assert sweep_sentence(sweep([100, 200, 300, 400])).startswith("Credentialing pays at any fee schedule")


def test_the_sweep_table_reads_in_words():
    table = sweep_table(sweep([-300, -100, 300, 500]))
    assert table.index.name == "Payers allow" and list(table.index) == [
        "1× the fee schedules", "1.5× the fee schedules", "2× the fee schedules", "2.5× the fee schedules"]
    assert list(table.columns) == ["stay cash-pay: net revenue", "credential with payers: net revenue",
                                   "credentialing gains (− loses)"]
    assert list(table.iloc[:, 2]) == ["−$300", "−$100", "$300", "$500"]


def test_the_fee_table_reads_in_words():
    table = fee_table(clinic.fee_vs_cash(clinic.load_visits()))
    assert table.index.name == "service" and "_" not in "".join(table.columns)
    # underarm sweating: $726 of $1,100 = 66 %
    assert table.loc["Botox for underarm sweating", "fee schedule as % of cash price"] == "66 %"


def test_the_slider_verdict_says_computing_then_matches_the_slider():
    widget = ClinicDecision(charts=False)
    seen = []
    widget.verdict.observe(lambda change: seen.append(change["new"]), names="value")
    widget.sliders["fee_schedule_scale"].value = 2.0
    assert seen[0] == COMPUTING and seen[-1] != COMPUTING
    assert "payers allow 2× the fee schedules" in widget.verdict.value
    assert widget.result.assumptions.fee_schedule_scale == 2.0


def _html_tables(cell) -> list[str]:
    return ["".join(o["data"]["text/html"]) for o in cell.get("outputs", []) if "text/html" in o.get("data", {})]


def test_notebook_06_stored_outputs_agree():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    tables = [(i, html) for i, c in enumerate(cells) for html in _html_tables(c)]
    texts = "".join("".join(o.get("text", "")) for c in cells for o in c.get("outputs", []))
    totals = next(html for _, html in tables if "plans pay the clinic" in html)
    assert re.search(r"<th>of the revenue: plans pay the clinic</th>\s*<td>\$0</td>", totals)
    assert "not clinic income" in totals
    assert "The file has 5,631 visits" in texts
    # one visit count everywhere: the difference is the shown counts' difference
    cash, credentialed, difference = re.search(
        r"<th>visits</th>\s*<td>([\d,]+)</td>\s*<td>([\d,]+)</td>\s*<td>([\d,]+)</td>", totals).groups()
    assert _number(credentialed) - _number(cash) == _number(difference)
    assert any("not billable to insurance" in html and "denied by the plan" in html for _, html in tables)
    assert any("CO\u00a0151" in html and "dollars a year" in html for _, html in tables)  # never "CO" / "151"
    assert not any(re.search(r"<t[hd]>(CO|PR) \d", html) for _, html in tables)
    assert "Credentialing does not pay at any fee schedule from 1× to 2.5×" in texts
    assert "165 %" not in texts and "changes nothing" in texts
    for i, html in tables:  # headings in words, no row numbers
        head = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
        assert "_" not in head, f"cell {i}: raw heading"
        assert not re.search(r"<tbody>\s*<tr>\s*<th>0</th>", html), f"cell {i}: raw row numbers"
