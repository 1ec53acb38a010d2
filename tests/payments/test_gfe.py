"""The Good Faith Estimate under 45 CFR 149.610 (who is owed one, when) and 149.620 (disputing a bill).

Dates are worked out on a February 2026 calendar: Monday the 2nd, 9th, 16th (Presidents' Day), 23rd;
the visit of most presets is Monday 2026-03-02.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medspa_kit import evaluate, preset
from medspa_kit.payments.amounts import PaymentError
from medspa_kit.payments.gfe import GfeRules, check_bill, good_faith_estimate, issue_deadline, self_pay_reason

D = dt.date
VISIT = D(2026, 3, 2)  # a Monday


@pytest.mark.parametrize("booked,ahead,due", [
    # Mon 2 Feb → Mon 2 Mar: four whole weeks = 20 business days, at least 10: 3 business days → Thu 5 Feb
    (D(2026, 2, 2), 20, D(2026, 2, 5)),
    # Mon 16 Feb: 16–20 and 23–27 = 10 business days, at least 10: 3 business days → Thu 19 Feb
    (D(2026, 2, 16), 10, D(2026, 2, 19)),
    # Tue 17 Feb: 9 business days, at least 3 but under 10: 1 business day → Wed 18 Feb
    (D(2026, 2, 17), 9, D(2026, 2, 18)),
    # Fri 20 Feb: 20 and 23–27 = 6: 1 business day → Mon 23 Feb (the weekend does not count)
    (D(2026, 2, 20), 6, D(2026, 2, 23)),
    # Sat 21 Feb: 23–27 = 5: counted from Friday, 1 business day → Mon 23 Feb
    (D(2026, 2, 21), 5, D(2026, 2, 23)),
    # Wed 25 Feb: 25, 26, 27 = 3 (exactly 3): 1 business day → Thu 26 Feb
    (D(2026, 2, 25), 3, D(2026, 2, 26)),
    # Thu 26 Feb: 26, 27 = 2, under 3: no deadline of its own, only "before the visit"
    (D(2026, 2, 26), 2, VISIT),
])
def test_the_deadline_follows_how_far_ahead_the_visit_was_booked(booked, ahead, due):
    d = issue_deadline(booked, VISIT)
    assert (d.business_days_ahead, d.due) == (ahead, due)


def test_a_request_is_due_in_three_business_days_and_closed_days_do_not_count():
    # asked Thu 19 Feb: Fri 20, Mon 23, Tue 24 → Tue 24 Feb
    assert issue_deadline(D(2026, 2, 19), VISIT, requested=True).due == D(2026, 2, 24)
    # booked Fri 13 Feb for Mon 23 Feb: 13, 17–20 = 5 business days with Presidents' Day closed
    # (6 without); 1 business day after Friday skips the holiday → Tue 17 Feb (Mon 16 Feb otherwise)
    assert issue_deadline(D(2026, 2, 13), D(2026, 2, 23)).due == D(2026, 2, 16)
    closed = issue_deadline(D(2026, 2, 13), D(2026, 2, 23), holidays=(D(2026, 2, 16),))
    assert (closed.business_days_ahead, closed.due) == (5, D(2026, 2, 17))


@given(booked=st.dates(D(2025, 1, 1), D(2027, 12, 31)), lead=st.integers(0, 60), requested=st.booleans())
def test_the_deadline_is_never_before_booking_nor_after_the_visit(booked, lead, requested):
    visit = booked + dt.timedelta(days=lead)
    d = issue_deadline(booked, visit, requested=requested)
    assert booked <= d.due <= visit
    assert d.check(d.due).startswith("on time") and d.check(booked).startswith("on time")
    if d.due < visit:
        assert d.check(d.due + dt.timedelta(days=1)).startswith("late")


def test_an_estimate_dated_after_the_visit_is_an_error_naming_both_dates():
    with pytest.raises(PaymentError, match=r"^issued: 2026-03-05 is after the visit on 2026-03-02"):
        good_faith_estimate(preset("botox-forehead-lines"), issued=D(2026, 3, 5))
    with pytest.raises(PaymentError, match=r"^booked: 2026-03-03 is after the visit on 2026-03-02$"):
        issue_deadline(D(2026, 3, 3), VISIT)


def test_an_estimate_issued_late_says_so():
    # booked Mon 2 Feb (20 business days ahead): due Thu 5 Feb; issued Tue 10 Feb
    g = good_faith_estimate(preset("botox-forehead-lines"), issued=D(2026, 2, 10), booked=D(2026, 2, 2))
    assert g.timing.startswith("late: issued 2026-02-10, due by 2026-02-05")
    assert "within 3 business days of booking" in g.timing


@pytest.mark.parametrize("name,reason", [
    ("botox-forehead-lines", "PR 204"),      # cosmetic: the plan excludes it
    ("medicare-wrinkle-botox", "PR 96"),     # Medicare's statutory exclusion
    ("hmo-out-of-network", "PR 242"),        # no out-of-network benefit
])
def test_a_patient_with_no_benefit_for_the_service_is_uninsured_for_it(name, reason):
    assert reason in self_pay_reason(evaluate(preset(name)))
    assert reason in good_faith_estimate(preset(name), issued=D(2026, 2, 20)).self_pay


@pytest.mark.parametrize("name", ["botox-underarm-sweating", "uncredentialed-np", "underarm-sweating-claim"])
def test_an_insured_patient_is_offered_the_cost_estimate_instead(name):
    # covered (the plan pays its share), or denied CO (the clinic absorbs it): the patient has benefits
    assert self_pay_reason(evaluate(preset(name))) is None
    with pytest.raises(PaymentError) as err:
        good_faith_estimate(preset(name), issued=D(2026, 2, 20))
    message = str(err.value)
    assert message.startswith("self_pay: the plan covers this service") and "\n" not in message
    assert "uninsured or self-pay" in message and "cost estimate" in message and "--self-pay" in message


def test_a_patient_who_will_not_use_the_plan_is_self_pay():
    g = good_faith_estimate(preset("botox-underarm-sweating"), issued=D(2026, 2, 20), self_pay=True)
    assert "self-pay" in g.self_pay
    assert g.total == 1100.00  # the scenario's charge, not the plan's allowed amount


@pytest.mark.parametrize("estimated,billed,above,may", [
    (480.00, 880.00, 400.00, True),    # 880 − 480 = 400: "at least $400"
    (480.00, 879.99, 399.99, False),   # one cent short
    (480.00, 300.00, 0.00, False),     # billed less than the estimate
])
def test_a_bill_at_least_400_above_the_estimate_may_be_disputed_within_120_days(estimated, billed, above, may):
    r = check_bill(estimated, billed, D(2026, 3, 10))
    assert (r.above, r.may_dispute) == (above, may)
    # 10 March + 120 days: 21 days left in March, 30 in April (51), 31 in May (82), 30 in June (112), 8 July (120)
    assert r.dispute_by == D(2026, 7, 8)
    assert ("dispute resolution by 2026-07-08" in r.describe()) is may


def test_bad_amounts_name_the_field():
    with pytest.raises(PaymentError, match=r"^billed: -5 is negative"):
        check_bill(480, -5, D(2026, 3, 10))


def test_the_rules_are_the_regulations_numbers():
    r = GfeRules.from_catalog()
    assert (r.booked_ahead_short, r.issue_within_short, r.booked_ahead_long, r.issue_within_long) == (3, 1, 10, 3)
    assert (r.issue_within_request, r.dispute_threshold, r.dispute_days, r.dispute_fee) == (3, 400.0, 120, 25.0)
