"""Property tests (hypothesis) of the SPEC §5 invariants over generated scenarios."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medspa_kit import evaluate

CODES = ["64650", "64615", "17000", "17106", "G0429", "botox-cosmetic", "acne-light-therapy", "97124",
         "weight-loss-program", "15789"]
DIAGNOSES = ["L74.510", "G43.709", "L57.0", "Q82.5", "Z41.1", "B20", "E88.14", "L70.0", "M54.50",
             "E66.811", "Z68.32"]

cents = st.integers(min_value=0, max_value=500_000).map(lambda c: c / 100)
rates = st.integers(min_value=0, max_value=100).map(lambda p: p / 100)


@st.composite
def scenarios(draw):
    deductible = draw(cents)
    oop_max = deductible + draw(cents)
    oon_deductible = draw(cents)
    has_oon = draw(st.booleans())
    last = draw(st.none() | st.dates(min_value=__import__("datetime").date(2025, 1, 1),
                                        max_value=__import__("datetime").date(2026, 3, 2)))
    return {
        "date_of_service": "2026-03-02",
        "service": {"code": draw(st.sampled_from(CODES)), "charge": draw(cents), "fee_schedule": draw(cents)},
        "diagnoses": draw(st.lists(st.sampled_from(DIAGNOSES), min_size=1, max_size=3, unique=True)),
        "documentation": {k: draw(st.booleans()) for k in
                          ("criteria_documented", "prior_auth", "lmn", "referral", "waiver_signed")},
        "provider": {"type": draw(st.sampled_from(["MD", "DO", "NP", "PA", "RN", "aesthetician"])),
                     "credentialed": draw(st.booleans())},
        "facility": {"kind": draw(st.sampled_from(["medical_clinic", "med_spa", "day_spa"])),
                     "place_of_service": draw(st.sampled_from(["11", "22", "49"])),
                     "credentialed": draw(st.booleans()), "participating": draw(st.booleans())},
        "plan": {
            "type": draw(st.sampled_from(["HMO", "EPO", "PPO", "POS", "HDHP"])),
            "covered_places_of_service": draw(st.sampled_from([["11"], ["11", "22", "49"]])),
            "deductible": deductible, "coinsurance": draw(rates),
            "copay": draw(st.sampled_from([0.0, 0.0, 25.0, 40.0])), "oop_max": oop_max,
            "oon": {"deductible": oon_deductible, "coinsurance": draw(rates),
                    "oop_max": oon_deductible + draw(cents), "allowed_pct": draw(rates)} if has_oon else None,
        },
        "accumulators": {"deductible_met": draw(cents), "oop_met": draw(cents),
                         "oon_deductible_met": draw(cents), "oon_oop_met": draw(cents),
                         "last_treatment": last.isoformat() if last else None},
    }


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
