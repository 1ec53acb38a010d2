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
    assert "Aug\u00a02026" in x.months.value
    assert "Patient paid so far (running total)" in x.months.value


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


def test_the_verdict_never_names_a_plan_whose_claims_are_denied_as_cheapest():
    # With every plan chosen, the Local HMO and the point-of-service plan deny all 5 migraine claims (CO 288, no
    # referral): the patient's $0.00 there is the clinic's $12,250.00 write-off (5 × $2,450), not a price.
    x = PlanYearExplorer(charts=False)
    x.plan_picker.value = tuple(plan_id for _, plan_id in x.plan_picker.options)
    assert "<b>Local HMO</b>" not in x.verdict.value
    best = x.compared.iloc[0]
    assert best["denied"] == 0 and f"<b>{best['option']}</b>" in x.verdict.value
    assert "Local HMO: 5 of 5 claims denied (CO 288: No referral on file)" in x.verdict.value
    assert "clinic writes off $12,250.00" in x.verdict.value
    # the chart's and the month table's line for the HMO says why it stays at $0
    assert "Local HMO (5 of 5 claims denied)" in x.by_month.columns
    assert "CO\u00a0288" in x.table.value


def test_the_course_picker_shows_course_titles_not_file_ids():
    x = PlanYearExplorer(charts=False)
    labels = [label for label, _ in x.course_picker.options]
    assert "chronic-migraine-every-12-weeks" not in labels
    assert labels == [year.preset_course(name).title for _, name in x.course_picker.options]
    assert x.course_picker.value == "chronic-migraine-every-12-weeks"


@pytest.mark.parametrize("discount", [0.9, -1, float("nan"), "0.1", True])
def test_a_cash_discount_off_the_slider_is_refused_not_clamped(discount):
    with pytest.raises(ScenarioError, match=r"^cash_discount: .* is not a package discount from 0 to 0\.5 "):
        PlanYearExplorer(cash_discount=discount, charts=False)


def test_the_ends_of_the_cash_slider_are_used_as_given():
    assert PlanYearExplorer(cash_discount=0.5, charts=False).cash.value == 0.5
    assert PlanYearExplorer(cash_discount=0, charts=False).cash.value == 0.0


def test_plans_and_medicare_eligibility_are_refused_unless_given_as_their_types():
    import numpy as np

    from medspa_kit.ui.explorer import ScenarioExplorer

    for kwargs, message in [({"plans": None}, 'plans: expected a list of plan ids such as ["ppo-standard"], got None'),
                            ({"plans": "ppo-standard"}, 'plans: expected a list of plan ids such as ["ppo-standard"], '
                                                        "got 'ppo-standard'"),
                            ({"medicare_eligible": "no"}, "medicare_eligible: 'no' is not true or false (give True or False)")]:
        with pytest.raises(ScenarioError) as caught:
            PlanYearExplorer(charts=False, **kwargs)
        assert str(caught.value) == message
    assert "medicare-part-b" in PlanYearExplorer(charts=False, medicare_eligible=np.True_).options
    PlanYearExplorer(charts=False, cash_discount=np.float32(0.1))  # read as the 0.1 it holds
    with pytest.raises(ScenarioError, match=r"""^controls: expected a list of control names such as \["plan"\], got 'plan'$"""):
        ScenarioExplorer(controls="plan")
    with pytest.raises(ScenarioError, match=r"^controls: unknown control 'zzz'; choose from preset"):
        ScenarioExplorer(controls=["zzz"])
