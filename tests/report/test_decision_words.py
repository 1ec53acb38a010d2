""""Covered" is said with what it means for money."""

from __future__ import annotations

from medspa_kit import evaluate, preset
from medspa_kit.report.html import covered_meaning, decision_html


def test_covered_with_the_plan_paying_nothing_says_where_the_money_went():
    # Underarm Botox, PPO in network, deductible $1,500 not yet met: allowed $726.00 all goes to the
    # deductible (726 < 1,500), so the claim is covered and the plan pays $0.00.
    outcome = evaluate(preset("botox-underarm-sweating").with_changes({"accumulators.deductible_met": 0.0}))
    assert outcome.decision == "covered" and outcome.cost.plan_pays == 0 and outcome.cost.deductible == 72600
    assert covered_meaning(outcome) == " — applied to the deductible: plan pays $0.00"
    badge = decision_html(outcome)
    assert "Covered</b> — applied to the deductible: plan pays $0.00" in badge
    assert "plan pays <b>$0.00</b>" in badge and "patient pays <b>$726.00</b>" in badge


def test_covered_with_the_plan_paying_says_nothing_more_and_a_denial_never_says_covered():
    paid = evaluate(preset("botox-underarm-sweating"))  # deductible met: the plan pays $340.80
    assert paid.cost.plan_pays == 34080 and covered_meaning(paid) == ""
    assert "plan pays <b>$340.80</b>" in decision_html(paid)
    denied = evaluate(preset("botox-forehead-lines"))
    assert covered_meaning(denied) == ""


def test_the_ways_to_pay_read_as_words_and_dollars():
    from medspa_kit.payments import compare_payments
    from medspa_kit.payments.compare import PaymentOptions
    from medspa_kit.report import payments_display

    table = compare_payments(evaluate(preset("botox-forehead-lines")), PaymentOptions(monthly_budget=50))
    shown = payments_display(table)
    assert shown.index.name == "way to pay" and "pay cash now" in shown.index
    assert list(shown.columns) == ["a month", "months", "total paid", "interest", "tax saved", "net cost", "note"]
    # cosmetic Botox: PR 204, the $480.00 cash price paid at once
    assert shown.loc["pay cash now", "total paid"] == "$480.00" and shown.loc["pay cash now", "a month"] == "$480.00"
    assert len(shown) == int(table["available"].sum())  # ways that are not available are left out
