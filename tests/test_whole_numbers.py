"""A whole number given from Python as any number whose value is whole.

A number column of a table, a sum in a notebook or a Decimal from a price list gives ``6.0``,
``Decimal("6")`` or ``Fraction(12, 2)`` where a count goes: each is the count 6 in every payment,
clinic and lesson function; ``6.5`` and ``True`` stay refused, naming the argument.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from medspa_kit.clinic import Assumptions
from medspa_kit.errors import MedspaError
from medspa_kit.payments import check_limit, installment, limits_summary, package_savings
from medspa_kit.payments.gfe import business_days

SIX = (6, 6.0, Decimal("6"), Decimal("6.00"), Fraction(12, 2), np.float64(6.0), np.int16(6), np.longdouble(6))


@pytest.mark.parametrize("sessions", SIX, ids=repr)
def test_package_sessions_read_as_the_count_they_hold(sessions):
    # 6 sessions at $300.00 = $1,800.00; the package is $1,500.00: $300.00 saved, 300 / 1800 = 16.67 %,
    # $1,500.00 / 6 = $250.00 a session.
    deal = package_savings(300, sessions, 1500)
    assert (deal.sessions, deal.savings, deal.savings_pct, deal.per_session) == (6, 300.0, 0.1667, 250.0)
    assert type(deal.sessions) is int
    assert deal.describe() == "6 sessions for $1,500.00: $300.00 saved (16.7%), $250.00 a session"


@pytest.mark.parametrize("months", (12.0, Decimal("12"), Fraction(24, 2), np.float32(12)), ids=repr)
def test_installment_months_read_as_the_count_they_hold(months):
    # $1,200.00 at 0 % over 12 months: $1,200.00 / 12 = $100.00 a month, 12 payments.
    plan = installment(1200, 0.0, months)
    assert (plan.months, plan.payment, plan.last_payment, len(plan.schedule)) == (12, 100.0, 100.0, 12)


def test_a_year_given_as_a_whole_float_is_written_as_the_year():
    # The 2026 limits (IRS Rev. Proc. 2025-19 for the HSA; the 2026 health FSA limit): never "2026.0 limits".
    text = "2026 limits: HSA self-only $4,400, family $8,750; health FSA $3,400"
    assert limits_summary(2026.0) == limits_summary(Decimal("2026")) == limits_summary(Fraction(2026)) == text
    # $5,000.00 into a self-only HSA whose limit is $4,400.00: $600.00 too much, all $4,400.00 still open.
    assert check_limit(5000, "hsa", 2026.0) == ("$5,000.00 is more than the 2026 HSA limit (self-only) of $4,400.00: "
                                                "only $4,400.00 more can go in this year")


def test_business_days_and_lead_months_take_whole_numbers_of_any_kind():
    assert business_days(3.0) == business_days(Decimal("3")) == "3 business days"
    a = Assumptions(lead_months=6.0, admin_cost_per_claim=12.0, cash_uptake=0.5, fee_schedule_scale=1.0)
    assert a.lead_months == 6 and type(a.lead_months) is int
    assert a.with_changes(lead_months=Decimal("3")).lead_months == 3


@pytest.mark.parametrize("bad", (6.5, Decimal("6.5"), Fraction(13, 2), True, np.True_, float("nan"), "6"), ids=repr)
def test_a_number_that_is_not_whole_is_still_refused_by_name(bad):
    with pytest.raises(MedspaError, match=r"^sessions: .* is not a whole number of sessions from 1 to 1,000$"):
        package_savings(300, bad, 1500)
    with pytest.raises(MedspaError, match=r"^months: .* is not a whole number of months from 1 to 600$"):
        installment(1200, 0.0, bad)
    with pytest.raises(MedspaError, match=r"^year: .* is not a year \(a whole number, such as 2026\)$"):
        limits_summary(bad)
    with pytest.raises(MedspaError, match=r"^lead_months: .* is not a whole number of months from 0 to 12$"):
        Assumptions(lead_months=bad, admin_cost_per_claim=12.0, cash_uptake=0.5, fee_schedule_scale=1.0)


def test_an_outcome_s_json_indent_takes_a_whole_number_of_any_kind():
    from medspa_kit import evaluate, preset

    outcome = evaluate(preset("botox-underarm-sweating"))
    assert outcome.to_json(2.0) == outcome.to_json(Decimal("2")) == outcome.to_json(2)
    assert outcome.to_json(2).startswith('{\n  "decision"')  # (two spaces a level)
    with pytest.raises(MedspaError, match=r"^indent: 2\.5 is not a number of spaces from 0 to 16 \(or None\)$"):
        outcome.to_json(2.5)


def test_questions_read_a_whole_number_of_any_kind_as_the_int():
    from medspa_kit import ui

    # $1,000.00 at 26.99 % with $100.00 a month: $600.00 paid in 6 months, a balance is left: "month 6", never "6.0".
    words = ui.deferred_question("q", 1000, 0.2699, 6, 100).explain()
    assert "when month 6 ends" in words
    for months in (6.0, Decimal("6"), np.float32(6)):
        assert ui.deferred_question("q", 1000, 0.2699, months, 100).explain() == words
    # line 1.0 is line 1 (was a TypeError: tuple indices must be integers)
    plain = ui.engine_question("q", "migraine-claim-with-discarded-units", "decision", ["covered", "denied"], line=1)
    for line in (1.0, Decimal("1"), Fraction(2, 2)):
        question = ui.engine_question("q", "migraine-claim-with-discarded-units", "decision", ["covered", "denied"],
                                      line=line)
        assert (question.answer(), question.explain()) == (plain.answer(), plain.explain())
