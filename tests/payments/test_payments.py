"""The payment arithmetic, worked by hand in the comments (interest rounds half-up per month)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medspa_kit import evaluate, preset
from medspa_kit.payments import (check_limit, compare_payments, deferred_interest, good_faith_estimate, installment,
                                 membership, minimum_payment_to_clear, package_savings, tax_savings)
from medspa_kit.payments.amounts import PaymentError
from medspa_kit.payments.compare import PaymentOptions

# ---------------------------------------------------------------------------------------------
# Deferred interest


def test_promo_paid_off_exactly_in_the_last_month():
    # $3,000 / 12 = $250.00 exactly: the 12th payment leaves 0, so no deferred interest posts.
    r = deferred_interest(3000, 0.3299, 12, 250)
    assert r.paid_off_in_promo and r.deferred_interest == 0
    assert r.months_to_payoff == 12 and r.total_paid == 3000.00
    assert r.schedule["balance"].iloc[-1] == 0
    assert minimum_payment_to_clear(3000, 12) == 250.00


def test_promo_missed_by_a_cent_posts_all_the_interest():
    # $3,000.01 at $250: after 12 payments $0.01 is left. Monthly interest at 32.99 %/12 = 2.7491667 %
    # on the balance before each payment, rounded half-up:
    #   3000.01→82.48  2750.01→75.60  2500.01→68.73  2250.01→61.86  2000.01→54.98  1750.01→48.11
    #   1500.01→41.24  1250.01→34.36  1000.01→27.49   750.01→20.62   500.01→13.75   250.01→6.87
    # sum = 536.09, added at once: balance 0.01 + 536.09 = 536.10.
    # Month 13: +14.74 (536.10 × 2.7491667 %) = 550.84 − 250 = 300.84
    # Month 14: +8.27 = 309.11 − 250 = 59.11;  month 15: +1.63 = 60.74, paid in full.
    r = deferred_interest(3000.01, 0.3299, 12, 250)
    assert not r.paid_off_in_promo
    assert r.deferred_interest == 536.09
    assert r.interest_after_promo == 24.64  # 14.74 + 8.27 + 1.63
    assert r.months_to_payoff == 15
    assert r.total_paid == 3560.74  # 14 × 250 + 60.74
    assert list(r.schedule["payment"].tail(3)) == [250.00, 250.00, 60.74]
    assert minimum_payment_to_clear(3000.01, 12) == 250.01  # 300001 cents / 12, rounded up


def test_the_facts_example_240_against_250():
    # $3,000, 12 months, 32.99 %, $240 a month leaves $120 and posts ≈ $554.
    # Unrounded: Σ balances = 12 × 3000 − 240 × (0 + … + 11) = 20,160 → × 2.7491667 % = 554.23;
    # rounding each month half-up gives 554.25.
    r = deferred_interest(3000, 0.3299, 12, 240)
    assert r.schedule["balance"].iloc[11] == pytest.approx(120 + 554.25)
    assert r.deferred_interest == 554.25
    assert deferred_interest(3000, 0.3299, 12, 250).deferred_interest == 0


def test_a_payment_below_the_interest_never_pays_off():
    with pytest.raises(PaymentError, match=r"^payment: \$5\.00 a month never pays off"):
        deferred_interest(3000, 0.30, 12, 5)


@pytest.mark.parametrize("args,field", [((-1, 0.3, 12, 100), "amount"), ((100, 1.3, 12, 100), "apr"),
                                        ((100, 0.3, 0, 100), "promo_months"), ((100, 0.3, 12, 0), "payment")])
def test_bad_inputs_name_the_field(args, field):
    with pytest.raises(PaymentError, match=rf"^{field}: "):
        deferred_interest(*args)


@settings(max_examples=200, deadline=None)
@given(amount=st.integers(20_000, 1_000_000), apr=st.integers(0, 3599), months=st.integers(1, 24),
       payment=st.integers(1_000, 200_000))
def test_deferred_schedule_properties(amount, apr, months, payment):
    try:
        r = deferred_interest(amount / 100, apr / 10_000, months, payment / 100)
    except PaymentError:
        return  # a payment that never pays off is refused, tested above
    s = r.schedule
    assert round(s["payment"].sum(), 2) == r.total_paid
    assert (s["interest_accrued"] >= 0).all() and (s["interest_charged"] >= 0).all()
    assert r.deferred_interest >= 0 and r.total_paid >= r.amount
    assert r.paid_off_in_promo == (r.months_to_payoff <= months)
    # a larger monthly payment never increases the total paid
    bigger = deferred_interest(amount / 100, apr / 10_000, months, (payment + 1_000) / 100)
    assert bigger.total_paid <= r.total_paid


# ---------------------------------------------------------------------------------------------
# Installments


def test_installment_matches_the_facts_example():
    # $5,000, 24 months, 14.90 %: i = 0.0124167; P·i/(1 − (1+i)^−24) = 242.1958 → rounded up, $242.20;
    # the 24th payment is what is left, $242.08.
    plan = installment(5000, 0.149, 24)
    assert (plan.payment, plan.last_payment, plan.months_paid) == (242.20, 242.08, 24)
    assert len(plan.schedule) == 24 and plan.schedule["balance"].iloc[-1] == 0
    assert plan.total_paid == round(5000 + plan.total_interest, 2)
    assert plan.total_paid == round(23 * 242.20 + plan.last_payment, 2)
    # 60 months at 17.90 %: $126.70 a month.
    assert installment(5000, 0.179, 60).payment == 126.70


def test_zero_apr_installment():
    # $1,000 / 3 = 333.333… → rounded up, $333.34 twice, and the last payment is the rest, $333.32.
    plan = installment(1000, 0.0, 3)
    assert (plan.payment, plan.last_payment, plan.total_interest, plan.total_paid) == (333.34, 333.32, 0.0, 1000.0)


def test_an_installment_pays_the_loan_off_instead_of_ending_in_a_balloon():
    # $3,000 at 30 % over 480 months: i = 0.025, the interest alone is $75.00 a month and the exact
    # payment 3000·0.025/(1 − 1.025^−480) = $75.0000534. Rounded down it never pays the loan off
    # (a $3,075 last payment); rounded up, $75.01 repays 1 cent of principal the first month,
    # growing 2.5 % a month: paid off after 365 payments, the last $61.49.
    plan = installment(3000, 0.30, 480)
    assert (plan.payment, plan.months_paid, plan.last_payment) == (75.01, 365, 61.49)
    assert plan.schedule["principal"].iloc[0] == 0.01 and plan.schedule["balance"].iloc[-1] == 0
    # $10,000,000 at 100 % over 600 months: the interest is $833,333.33 a month; $833,333.34 pays it off.
    big = installment(10_000_000, 1.0, 600)
    assert big.payment == 833_333.34 and big.last_payment <= big.payment and big.months_paid == 233


@settings(max_examples=200, deadline=None)
@given(amount=st.integers(1, 10_000_000_00), apr=st.integers(0, 1_000_000), months=st.integers(1, 600))
def test_a_level_payment_is_the_smallest_that_pays_the_loan_off_in_time(amount, apr, months):
    from medspa_kit.payments.financing import _last_payment, level_payment

    pay = level_payment(amount, apr, months)
    plan = installment(amount / 100, apr / 1_000_000, months)
    assert plan.payment == pay / 100 and plan.schedule["balance"].iloc[-1] == 0
    assert plan.months_paid <= months and plan.last_payment <= plan.payment
    assert pay > (amount * apr + 6_000_000) // 12_000_000  # more than the first month's interest
    assert pay == 1 or _last_payment(amount, apr, months, pay - 1) > pay - 1  # a cent less ends in a balloon


# ---------------------------------------------------------------------------------------------
# Tax savings and limits (worked examples)


def test_tax_savings_examples():
    # $4,400 payroll HSA at 22 % + 5 % + 7.65 % = 34.65 % → $1,524.60; direct: 27 % → $1,188.00;
    # $3,400 payroll FSA → 34.65 % × 3,400 = $1,178.10.
    assert tax_savings(4400, 0.22, 0.05, payroll=True).savings == 1524.60
    assert tax_savings(4400, 0.22, 0.05, payroll=False).savings == 1188.00
    assert tax_savings(3400, 0.22, 0.05, payroll=True).savings == 1178.10


def test_hsa_over_the_2026_limit_warns():
    # 2026 self-only HSA limit $4,400 (Rev. Proc. 2025-19): $4,500 is $100 over.
    warning = check_limit(4500, "hsa", 2026)
    assert warning.startswith("$4,500.00 is more than the 2026 HSA limit (self-only) of $4,400.00")
    assert check_limit(4400, "hsa", 2026) is None
    # family $8,750 + $1,000 catch-up = $9,750
    assert check_limit(9750, "hsa", 2026, family=True, age_55_or_older=True) is None
    assert "only $400.00 more" in check_limit(500, "fsa", 2026, already=3000)  # FSA limit $3,400


# ---------------------------------------------------------------------------------------------
# Packages and memberships


def test_package_savings():
    # 6 laser sessions at $300 = $1,800 against a $1,500 package: $300 saved (16.67 %), $250 a session.
    p = package_savings(300, 6, 1500)
    assert (p.savings, p.savings_pct, p.per_session) == (300.0, 0.1667, 250.0)


def test_membership_that_never_breaks_even():
    # $99 a month, no credit, no discount: member cost is always $99 more than paying per visit.
    m = membership(99, 0.0)
    assert m.break_even_spend is None and m.break_even_visits is None
    assert m.explanation.startswith("never breaks even")


def test_membership_break_even():
    # $150 a month with a $100 credit and 15 % off the rest: 150 + (S − 100) × 0.85 = S
    # → 0.15 S = 150 − 85 = 65 → S = $433.33…, rounded up to $433.34; two $250 visits ($500) pass it.
    m = membership(150, 0.15, monthly_credit=100, visit_price=250)
    assert (m.break_even_spend, m.break_even_visits) == (433.34, 2)


# ---------------------------------------------------------------------------------------------
# Comparison and Good Faith Estimate


def test_compare_payments_respects_hsa_status_and_promo_math():
    cosmetic = compare_payments(evaluate(preset("botox-forehead-lines")))
    hsa = cosmetic[cosmetic["option"].str.startswith("pay from an HSA")].iloc[0]
    assert not hsa["available"] and "cosmetic" in hsa["note"]
    card = cosmetic[cosmetic["option"].str.contains("12 months")].iloc[0]
    # $480 over 12 months: max($480 / 12 = $40, the $30 minimum) = $40, cleared inside the promo.
    assert (card["monthly_payment"], card["total_paid"], card["interest"]) == (40.0, 480.0, 0.0)

    # Migraine Botox denied for missing prior authorization with a signed waiver: PR 197, the
    # patient owes the $1,900 charge; the indication is covered, so an HSA may pay.
    denied = preset("migraine-no-prior-auth").with_changes({"documentation.waiver_signed": True})
    table = compare_payments(evaluate(denied), PaymentOptions(federal=0.22, state=0.05, payroll=True))
    hsa = table[table["option"].str.startswith("pay from an HSA")].iloc[0]
    # 34.65 % × 1,900 = 658.35 saved → net $1,241.65
    assert hsa["available"] and (hsa["tax_saving"], hsa["net_cost"]) == (658.35, 1241.65)


def test_compare_with_a_budget_that_misses_the_promo():
    table = compare_payments(evaluate(preset("botox-forehead-lines")), PaymentOptions(monthly_budget=30))
    six = table[table["option"].str.contains("6 months")].iloc[0]
    # $480 at $30 a month cannot clear in 6 months: deferred interest posts, total > $480.
    assert six["total_paid"] > 480 and "deferred interest" in six["note"]


def test_nothing_to_pay():
    table = compare_payments(evaluate(preset("uncredentialed-np")))
    assert list(table["option"]) == ["nothing to pay"]


def test_good_faith_estimate_items():
    g = good_faith_estimate(preset("botox-forehead-lines"), issued=dt.date(2026, 2, 20))
    html, md = g.html(), g.markdown()
    assert g.total == 480.00
    for text in (html, md.replace("\\$", "$")):
        assert "Good Faith Estimate" in text and "Jordan Reyes, NP" in text and "1593027489" in text
        assert "$400" in text and "120 calendar days" in text and "2026-03-02" in text and "Z41.1" in text
    # Markdown renderers that typeset TeX (JupyterLab, GitHub) would read "$400 … $25" as math.
    assert "\\$400" in md and "$" not in md.replace("\\$", "")
    assert html.startswith("<!doctype html>") and "<script" not in html


def test_results_describe_themselves_in_one_line():
    from medspa_kit.payments import deferred_interest, limits_summary, membership, package_savings, tax_savings

    # 4,400 × (22 % + 5 % + 7.65 % FICA) = 4,400 × 0.3465 = 1,524.60.
    assert tax_savings(4400, 0.22, 0.05, payroll=True).describe() == (
        "$4,400.00 into an HSA or FSA through payroll saves $1,524.60 (34.65%)")
    # 3,000 at 250 a month clears in 12 months exactly: no interest.
    assert deferred_interest(3000, 0.3299, 12, 250).describe() == (
        "$250 a month: paid off in the promotion: yes; deferred interest added $0.00; 12 months; total paid $3,000.00")
    # 6 × 300 = 1,800 against 1,500: 300 saved, 300 / 1,800 = 16.7 %, 1,500 / 6 = 250 a session.
    assert package_savings(300, 6, 1500).describe() == "6 sessions for $1,500.00: $300.00 saved (16.7%), $250.00 a session"
    # 150 + (S − 100) × 0.85 = S  ⇒  S = 65 / 0.15 = 433.33…, rounded up to the cent 433.34; 2 visits at 250.
    assert membership(150, 0.15, 100, 250).describe() == (
        "$150/month, $100 credit, 15% off: breaks even at $433.34 of services a month (2 visits at $250.00)")
    # Rev. Proc. 2025-19 (HSA 2026: 4,400 self-only, 8,750 family); Rev. Proc. 2025-32 (health FSA 2026: 3,400).
    assert limits_summary(2026) == "2026 limits: HSA self-only $4,400, family $8,750; health FSA $3,400"


def test_a_good_faith_estimate_saves_itself(tmp_path):
    import datetime as dt

    from medspa_kit import preset
    from medspa_kit.payments import good_faith_estimate

    estimate = good_faith_estimate(preset("botox-forehead-lines"), issued=dt.date(2026, 2, 20))
    line = estimate.save(tmp_path / "handouts" / "gfe.html")
    assert line.endswith("total expected charges $480.00")  # the catalog's cash price for cosmetic Botox
    assert (tmp_path / "handouts" / "gfe.html").read_text(encoding="utf-8").startswith("<!doctype html>")


def test_a_good_faith_estimate_itemizes_a_claims_lines():
    from medspa_kit.payments import good_faith_estimate

    from ..builders import claim

    estimate = good_faith_estimate(claim([{"code": "64615"}, {"code": "J0585", "units": 155},
                                          {"code": "J0585", "units": 45, "modifiers": ["JW"]}],
                                         {"diagnoses": ["G43.719"]}),
                                   issued=dt.date(2026, 2, 20), self_pay=True)  # covered: self-pay by choice
    assert [i.service_code for i in estimate.items] == ["64615", "J0585", "J0585-JW"]
    assert estimate.items[1].description.endswith("(155 × 1 unit of onabotulinumtoxinA)")
    # cash prices: 450.00 for 64615, then 155 and 45 units at 10.00 a unit
    assert estimate.total == 450.0 + 1550.0 + 450.0


def test_the_payment_picker_shows_the_deferred_interest_trap_spring():
    import re

    from medspa_kit.ui.payments import PaymentPicker

    picker = PaymentPicker("peel-actinic-keratosis")
    owed = picker.outcome.cost.patient_pays / 100
    twelve = next(i for i, (label, _) in enumerate(picker.way.options) if "paid in full in 12 months" in label)
    picker.way.value = twelve
    clear = -(-round(owed * 100) // 12) / 100  # the smallest payment that clears it in 12 months, rounded up
    assert f"Pay less than ${clear:,.2f} a month" in picker.detail.value
    picker.budget.value = "$35"  # typed the way people write money; above the card's $30 minimum, below $43.40
    text = re.sub("<[^>]+>", "", picker.detail.value)
    assert picker.way.value == twelve and "The trap springs" in text and f"Paying ${clear:,.2f} a month" in text
    row = picker.table.iloc[twelve]
    # what is added at once is the interest of the 12 months, more than zero, and part of the interest paid
    assert 0 < row["deferred_interest"] < row["interest"] and row["monthly_payment"] == 35.0
    picker.budget.value = "$20"  # below the card's minimum payment: the card is not an option at that payment
    assert "below the card's minimum payment of $30.00" in picker.detail.value.replace("&#x27;", "'")
    picker.budget.value = "abc"  # bad input: said inline, the last table kept
    assert "monthly payment: 'abc' is not a dollar amount" in picker.message.value.replace("&#x27;", "'")
    assert "minimum payment" in picker.detail.value
    picker.budget.value = "0"
    assert "monthly payment: 0 must be more than 0" in picker.message.value
    picker.budget.value = ""  # empty: back to the payment that clears the promotion
    assert picker.message.value == "" and "Paid off inside the promotion" in picker.detail.value
