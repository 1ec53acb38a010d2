"""Property tests (hypothesis) of the cost conventions over generated scenarios (docs/cost.md)."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medspa_kit import evaluate

from .builders import cents, claims, scenarios

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scenarios())
def test_every_outcome_balances_like_an_835(data):
    o = evaluate(data)
    c = o.cost
    assert c.charge == c.plan_pays + sum(a.amount for a in o.adjustments)
    assert c.patient_pays == sum(a.amount for a in o.adjustments if a.group == "PR")
    assert c.provider_writeoff == sum(a.amount for a in o.adjustments if a.group == "CO")
    assert all(a.amount >= 0 for a in o.adjustments)
    assert 0 <= c.plan_pays <= c.charge


@SETTINGS
@given(scenarios())
def test_in_network_share_is_bounded(data):
    o = evaluate(data)
    c = o.cost
    if o.network == "in":
        assert 0 <= c.patient_pays <= c.charge
    if o.decision == "covered" and o.network == "in":
        plan, acc = o.scenario.plan, o.scenario.accumulators
        oop_remaining = max(0, round(plan.oop_max * 100) - round(acc.oop_met * 100))
        assert c.deductible + c.coinsurance + c.copay <= oop_remaining
        assert c.balance_bill == 0


@SETTINGS
@given(scenarios(), cents)
def test_more_deductible_met_never_raises_patient_pays(data, extra):
    before = evaluate(data)
    more = {**data, "accumulators": {**data["accumulators"],
                                     "deductible_met": data["accumulators"]["deductible_met"] + extra,
                                     "oon_deductible_met": data["accumulators"]["oon_deductible_met"] + extra}}
    after = evaluate(more)
    assert after.cost.patient_pays <= before.cost.patient_pays


@SETTINGS
@given(scenarios())
def test_denied_lines_follow_their_group(data):
    o = evaluate(data)
    if o.decision != "covered":
        assert o.cost.plan_pays == 0
        expected = o.cost.charge if o.primary_reason.group == "PR" else 0
        assert o.cost.patient_pays == expected
    else:
        assert o.primary_reason is None


def test_settle_one_line_and_many_alike():
    # A covered in-network line, all in cents: charge 1100.00, allowed 420.00 (CO 45 680.00),
    # deductible 300.00, coinsurance 24.00 (PR 1, PR 2): the patient owes 324.00, the clinic 680.00.
    import numpy as np

    from medspa_kit.cost import Shares, settle

    owes = {"above_allowed": False, "limiting_charge": True, "deductible": True, "coinsurance": True, "copay": True}
    one = settle(Shares(42000, 68000, 0, 30000, 2400, 0, 9600), owes)
    assert one == {"patient_pays": 32400, "provider_writeoff": 68000, "balance_bill": 0}
    # The same line out of network: the 680.00 above the allowed amount is the patient's (PR 45).
    many = settle(Shares(*(np.array([v, v]) for v in (42000, 68000, 0, 30000, 2400, 0, 9600))),
                  {**owes, "above_allowed": np.array([False, True])})
    assert many["patient_pays"].tolist() == [32400, 32400 + 68000]
    assert many["provider_writeoff"].tolist() == [68000, 0]
    assert many["balance_bill"].tolist() == [0, 68000]


def test_a_denied_line_goes_whole_to_one_side():
    import numpy as np

    from medspa_kit.cost import denied

    # CO: the clinic absorbs all 1100.00; PR: the patient owes all of it.
    assert denied(110000, True) == {"patient_pays": 0, "provider_writeoff": 110000}
    split = denied(np.array([110000, 110000]), np.array([True, False]))
    assert split["patient_pays"].tolist() == [0, 110000]
    assert split["provider_writeoff"].tolist() == [110000, 0]


# Claims with lines: every line and the claim balance; the deductible never works backwards; the
# order of the lines moves cost sharing between them but never the claim's allowed amount.


def _balanced(cost, adjustments) -> None:
    assert cost.charge == cost.plan_pays + sum(a.amount for a in adjustments)
    assert cost.patient_pays == sum(a.amount for a in adjustments if a.group == "PR")
    assert cost.provider_writeoff == sum(a.amount for a in adjustments if a.group == "CO")


@SETTINGS
@given(claims())
def test_every_line_and_the_claim_balance_like_an_835(data):
    o = evaluate(data)
    for line in o.lines:
        _balanced(line.cost, line.adjustments)
        assert all(a.amount > 0 for a in line.adjustments) or line.cost.charge == 0
    _balanced(o.cost, o.adjustments)
    assert o.cost.charge == sum(line.cost.charge for line in o.lines)


@SETTINGS
@given(claims(), cents)
def test_more_deductible_met_never_raises_what_the_claim_costs_the_patient(data, extra):
    before = evaluate(data).cost.patient_pays
    more = copy.deepcopy(data)
    acc = more["accumulators"]
    acc["deductible_met"] = round(acc["deductible_met"] + extra, 2)
    assert evaluate(more).cost.patient_pays <= before


@SETTINGS
@given(claims(), st.randoms(use_true_random=False))
def test_the_order_of_the_lines_never_changes_the_claims_allowed_amount(data, rng):
    shuffled = copy.deepcopy(data)
    rng.shuffle(shuffled["lines"])
    a, b = evaluate(data), evaluate(shuffled)
    assert a.cost.allowed == b.cost.allowed and a.cost.charge == b.cost.charge
    assert sorted(line.decision for line in a.lines) == sorted(line.decision for line in b.lines)
