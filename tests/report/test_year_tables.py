"""The plan year's tables for people: headings in words, running totals named, dollars with cents.

Notebook 09 shows these tables; the checks on its stored outputs are at the end.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from medspa_kit.report import months_table, totals_table, year_claims_table, year_table
from medspa_kit.year import (Course, compare_by_month, compare_plans, patient_options, plan_year_start,
                             preset_course, run_year)

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "09_a_year_of_treatment.ipynb"
CENTS = re.compile(r"^−?\$\d{1,3}(,\d{3})*\.\d\d$")


def migraine(dates=None, start=None) -> Course:
    course = preset_course("chronic-migraine-every-12-weeks")
    data = course.to_dict()
    if dates:
        data["dates"] = dates
    if start:
        data["plan_year_start"] = start
    return Course.from_dict(data)


def test_the_claims_table_names_running_totals_and_shows_cents_with_no_row_numbers():
    table = year_claims_table(run_year(migraine()).table(), ["decision", "charge", "patient_pays", "patient_so_far",
                                                              "deductible_met"])
    assert list(table.columns) == ["Decision", "Charge", "Patient pays", "Patient paid so far (running total)",
                                   "Deductible met so far (running total)"]
    assert table.index.name == "Date of service" and table.index[0] == "2026-01-05"
    assert all(CENTS.match(v) for column in table.columns[1:] for v in table[column])
    # the first claim's allowed $1,472.00 all goes to the deductible; the second pays the last $28.00 of the
    # $1,500 and 20 % × $1,444 = $288.80: $316.80, so far $1,472.00 + $316.80 = $1,788.80
    assert list(table["Patient paid so far (running total)"][:2]) == ["$1,472.00", "$1,788.80"]


def test_the_month_table_labels_each_column_as_a_running_total():
    course = migraine()
    options = patient_options(("ppo-standard",), cash_discount=None)
    table = months_table(compare_by_month(course, options))
    assert list(table.columns) == ["Standard PPO"]
    assert table.columns.name == "Patient paid so far (running total)"
    assert table.index.name == "Month" and table.index[0] == "Jan\u00a02026"  # never wraps to "Jan" / "2026"
    assert table.iloc[0, 0] == "$1,472.00" and table.iloc[-1, 0] == "$2,672.00"  # 1,472 + 316.80 + 3 × 294.40


def test_the_cash_option_shows_a_cash_discount_and_no_claim_not_a_write_off():
    course = migraine()
    table = year_table(compare_plans(course, patient_options(("ppo-standard",), cash_discount=0.1)))
    cash = table.loc["cash, 10 % package"]
    # 5 visits × $2,450 = $12,250; 10 % off = $1,225.00, a discount (no claim, so no CO 45 write-off)
    assert (cash["cash discount"], cash["clinic writes off"]) == ("$1,225.00", "$0.00")
    assert list(cash[["claims", "covered", "denied"]]) == ["no claim"] * 3
    assert table.loc["Standard PPO", "claims"] == "5"


def test_totals_show_cents_under_words():
    table = totals_table(run_year(migraine()).totals, "the year")
    assert "Clinic writes off" in table.columns and "provider_writeoff" not in table.columns
    assert table.loc["the year", "Patient pays"] == "$2,672.00"


def test_a_plan_year_starting_july_first_makes_the_patient_pay_the_deductible_again():
    # Plan year from July 1: May 4 falls in the year from 2025-07-01, July 27 in the next one.
    # Each claim's allowed $1,472.00 is under the $1,500 deductible, so after the reset the second
    # claim pays all $1,472.00 to the deductible again (without a reset it would pay $28.00 + 20 % × $1,444).
    year = run_year(migraine(["2026-05-04", "2026-07-27"], start="2025-07-01"))
    table = year_claims_table(year.table(), ["plan_year_start", "deductible", "plan_pays", "deductible_met"])
    assert list(table["Plan year from"]) == ["2025-07-01", "2026-07-01"]
    assert list(table["Deductible"]) == ["$1,472.00", "$1,472.00"]
    assert list(table["Deductible met so far (running total)"]) == ["$1,472.00", "$1,472.00"]
    assert plan_year_start(year.course, 1).isoformat() == "2026-07-01"


def _tables(cell) -> list[str]:
    return ["".join(o["data"]["text/html"]) for o in cell.get("outputs", []) if "text/html" in o.get("data", {})]


def test_notebook_09_teaches_the_reset_with_the_deductible_paid_again():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "## A new plan year" in text
    reset = [html for c in cells for html in _tables(c) if "Plan year from" in html]
    assert len(reset) == 1, "one table shows the course crossing the plan year's start"
    row = re.search(r"<th>2027-03-15</th>(.*?)</tr>", reset[0], re.S).group(1)
    cells_ = re.findall(r"<td>(.*?)</td>", row)
    # plan year from 2027-01-01, charge $2,450.00, deductible $1,472.00 (all of the allowed amount), coinsurance $0.00
    assert cells_[:4] == ["2027-01-01", "$2,450.00", "$1,472.00", "$0.00"]


def test_notebook_09_tables_have_words_for_headings_and_cents_for_dollars():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    for number, cell in enumerate(cells):
        for html in _tables(cell):
            headings = re.findall(r"<th[^>]*>(.*?)</th>", html)
            assert not [h for h in headings if "_" in h], f"cell {number}: raw headings"
            values = re.findall(r"<td>(.*?)</td>", html)
            dollars = [v for v in values if v.startswith(("$", "−$"))]
            assert all(CENTS.match(v) for v in dollars), f"cell {number}: dollars without cents"
            if "so far" in html:
                assert "running total" in html, f"cell {number}: a cumulative column not named as one"
