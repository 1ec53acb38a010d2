"""The plan-year widget: pick a course and plans, see the table and the months change."""

from __future__ import annotations

import pytest

from medspa_kit import year
from medspa_kit.errors import ScenarioError
from medspa_kit.ui import PlanYearExplorer, year_question


def test_picking_a_course_and_plans_redraws_the_year():
    x = PlanYearExplorer(charts=False)
    assert set(x.compared["option"]) == {"Standard PPO", "HSA-qualified high-deductible plan", "cash, 10 % package"}
    assert len(x.by_month) == 12  # January to December
    migraine_ppo = x.compared.set_index("option").loc["Standard PPO", "patient_pays"]
    x.course_picker.value = "underarm-sweating-twice-a-year"
    assert len(x.by_month) == 7  # February to August
    assert x.compared.set_index("option").loc["Standard PPO", "patient_pays"] != migraine_ppo
    assert "2 visits" in x.verdict.value
    x.plan_picker.value = ("ppo-copay",)
    assert list(x.compared["option"]) == ["PPO with specialist copay", "cash, 10 % package"]
    x.cash.value = 0.0
    # 2 visits × $1,350 at the clinic's price, no discount
    assert x.compared.set_index("option").loc["cash, no discount", "patient_pays"] == 2700.0
    assert "Aug 2026" in x.months.value
    assert "patient paid so far (running total)" in x.months.value


def test_a_working_age_patient_is_not_offered_original_medicare():
    x = PlanYearExplorer(charts=False)
    assert "medicare-part-b" not in x.plan_picker.options[-1]  # (label, id) pairs
    assert all(plan_id != "medicare-part-b" for _, plan_id in x.plan_picker.options)
    with pytest.raises(ScenarioError, match="plans: 'medicare-part-b' is Original Medicare"):
        year.patient_options(("medicare-part-b",))
    older = PlanYearExplorer(charts=False, medicare_eligible=True, plans=("ppo-standard", "medicare-part-b"))
    assert "Original Medicare Part B" in set(older.compared["option"])


@pytest.mark.parametrize("course", ["chronic-migraine-every-12-weeks", "underarm-sweating-twice-a-year"])
def test_the_widget_verdict_and_the_quiz_answer_name_the_same_cheapest_option(course):
    # The notebook's quiz asks about the widget's own default set: the PPO, the HDHP and cash at 10 % off.
    x = PlanYearExplorer(course=course, charts=False)
    options = year.patient_options(("ppo-standard", "hdhp-hsa"), 0.1)
    question = year_question("Which costs the patient least?", course, "cheapest", list(options), options=options)
    answer = question.answer()
    assert f"<b>{answer}</b>" in x.verdict.value
    # and it is really the lowest net cost of the widget's table
    assert x.compared.set_index("option")["net_cost"].idxmin() == answer
