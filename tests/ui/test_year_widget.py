"""The plan-year widget: pick a course and plans, see the table and the months change."""

from __future__ import annotations

from medspa_kit.ui import PlanYearExplorer


def test_picking_a_course_and_plans_redraws_the_year():
    x = PlanYearExplorer(charts=False)
    assert list(x.compared["option"]) == ["ppo-standard", "hdhp-hsa", "medicare-part-b", "cash"]
    assert len(x.by_month) == 12  # January to December
    migraine_ppo = x.compared.set_index("option").loc["ppo-standard", "patient_pays"]
    x.course_picker.value = "underarm-sweating-twice-a-year"
    assert len(x.by_month) == 7  # February to August
    assert x.compared.set_index("option").loc["ppo-standard", "patient_pays"] != migraine_ppo
    assert "2 visits" in x.verdict.value
    x.plan_picker.value = ("ppo-copay",)
    assert list(x.compared["option"]) == ["ppo-copay", "cash"]
    x.cash.value = 0.0
    # 2 visits × $1,350 at the clinic's price, no discount
    assert x.compared.set_index("option").loc["cash", "patient_pays"] == 2700.0
    assert "Aug 2026" in x.months.value
