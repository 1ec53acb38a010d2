"""One hand-worked case for every row of SPEC §4 and every branch of SPEC §5.

The base scenario is SPEC §7's example: Botox for underarm sweating (64650), charge $1,100.00,
fee schedule $420.00, diagnosis L74.510, criteria and prior authorization on file, a
credentialed NP at an in-network medical clinic (POS 11), a PPO with a $1,500 deductible, 20 %
coinsurance, no copay, $5,000 out-of-pocket maximum, and out-of-network terms of $3,000 / 40 % /
$10,000 / 100 % of the fee schedule. Nothing met yet this year.

Every expected dollar amount below is worked out by hand in the comment beside it, in cents.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from medspa_kit import evaluate
from medspa_kit.model import set_path

BASE: dict[str, Any] = {
    "version": 1,
    "date_of_service": "2026-03-02",
    "service": {"code": "64650", "charge": 1100.00, "fee_schedule": 420.00},
    "diagnoses": ["L74.510"],
    "documentation": {"criteria_documented": True, "prior_auth": True, "lmn": False, "referral": False,
                      "waiver_signed": False},
    "provider": {"type": "NP", "npi": "1593027489", "credentialed": True},
    "facility": {"kind": "medical_clinic", "place_of_service": "11", "credentialed": True, "participating": True},
    "plan": {"type": "PPO", "covered_places_of_service": ["11", "22"], "deductible": 1500, "coinsurance": 0.2,
             "copay": 0, "oop_max": 5000,
             "oon": {"deductible": 3000, "coinsurance": 0.4, "oop_max": 10000, "allowed_pct": 1.0},
             "hsa_qualified": False},
    "accumulators": {"deductible_met": 0, "oop_met": 0, "oon_deductible_met": 0, "oon_oop_met": 0,
                     "last_treatment": None},
}

OUT_OF_NETWORK = {"facility.participating": False}


def case(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for path, value in changes.items():
        set_path(data, path.replace("__", "."), value)
    return data


def run(changes: dict[str, Any]):
    data = copy.deepcopy(BASE)
    for path, value in changes.items():
        set_path(data, path, value)
    return evaluate(data)


def assert_balances(outcome) -> None:
    c = outcome.cost
    assert c.charge == c.plan_pays + sum(a.amount for a in outcome.adjustments)
    assert c.patient_pays == sum(a.amount for a in outcome.adjustments if a.group == "PR")
    assert c.provider_writeoff == sum(a.amount for a in outcome.adjustments if a.group == "CO")


# ---------------------------------------------------------------------------------------------
# SPEC §4: one row each. (decision, network, group, carc, patient pays, clinic writes off)

DENIALS = [
    # 2: an RN cannot bill -> not billable, cash pay, PR 170: patient owes the $1,100.00 charge.
    ("rn-cannot-bill", {"provider.type": "RN", "provider.credentialed": False},
     ("not_billable", "none", "PR", "170", 1100_00, 0)),
    # 2: an NP at a day spa -> the provider may bill, the site may not: PR 171, patient owes $1,100.00.
    ("day-spa-cannot-bill", {"facility.kind": "day_spa", "facility.place_of_service": "99"},
     ("not_billable", "none", "PR", "171", 1100_00, 0)),
    # 2: an aesthetician at a day spa: the provider check comes first -> 170.
    ("aesthetician-at-day-spa", {"provider.type": "aesthetician", "provider.npi": None,
                                 "facility.kind": "day_spa", "facility.place_of_service": "99"},
     ("not_billable", "none", "PR", "170", 1100_00, 0)),
    # 3: Z41.1 cosmetic encounter -> benefit exclusion PR 204, patient owes $1,100.00.
    ("cosmetic-z41", {"diagnoses": ["Z41.1"]}, ("denied", "in", "PR", "204", 1100_00, 0)),
    # 3: Z41.1 decides even beside a covered indication.
    ("cosmetic-z41-with-indication", {"diagnoses": ["L74.510", "Z41.1"]},
     ("denied", "in", "PR", "204", 1100_00, 0)),
    # 3: a cosmetic-only procedure (Botox for lines, cash $480.00 from the catalog) with no covered
    #    indication among the diagnoses -> 204 even with a medical-sounding code.
    ("cosmetic-procedure-no-indication", {"service": {"code": "botox-cosmetic"}},
     ("denied", "in", "PR", "204", 480_00, 0)),
    # 4: no policy for 64650 with chronic migraine -> CO 50 in network: patient $0, clinic $1,100.00.
    ("no-policy", {"diagnoses": ["G43.709"]}, ("denied", "in", "CO", "50", 0, 1100_00)),
    # 4: policy matches but criteria not documented -> CO 50 in network.
    ("criteria-missing", {"documentation.criteria_documented": False}, ("denied", "in", "CO", "50", 0, 1100_00)),
    # 4 + liability: a signed pre-service waiver makes it PR 50: patient owes $1,100.00.
    ("criteria-missing-waiver", {"documentation.criteria_documented": False, "documentation.waiver_signed": True},
     ("denied", "in", "PR", "50", 1100_00, 0)),
    # 4 + liability: out of network there is no contract -> PR 50.
    ("criteria-missing-oon", {"documentation.criteria_documented": False, **OUT_OF_NETWORK},
     ("denied", "out", "PR", "50", 1100_00, 0)),
    # 5: an office-only plan (POS 11) used at a hospital clinic (POS 22) -> PR 58.
    ("office-only", {"plan.covered_places_of_service": ["11"], "facility.place_of_service": "22"},
     ("denied", "in", "PR", "58", 1100_00, 0)),
    # 6: HMO, clinic not participating -> no out-of-network benefit: PR 242.
    ("hmo-oon", {"plan.type": "HMO", "plan.oon": None, **OUT_OF_NETWORK}, ("denied", "out", "PR", "242", 1100_00, 0)),
    # 6: an HMO pays nothing out of network even if an oon block is given.
    ("hmo-oon-block-ignored", {"plan.type": "HMO", **OUT_OF_NETWORK}, ("denied", "out", "PR", "242", 1100_00, 0)),
    # 6: EPO, clinic not credentialed -> PR 242.
    ("epo-oon", {"plan.type": "EPO", "plan.oon": None, "facility.credentialed": False, "facility.participating": False},
     ("denied", "out", "PR", "242", 1100_00, 0)),
    # 6: a PPO without an oon block has no out-of-network benefit either -> PR 242.
    ("ppo-without-oon", {"plan.oon": None, **OUT_OF_NETWORK}, ("denied", "out", "PR", "242", 1100_00, 0)),
    # 7: in network, NP not credentialed -> CO B7: patient $0, clinic absorbs $1,100.00.
    ("np-not-credentialed", {"provider.credentialed": False}, ("denied", "in", "CO", "B7", 0, 1100_00)),
    # 7: B7 is always CO, a waiver changes nothing.
    ("np-not-credentialed-waiver", {"provider.credentialed": False, "documentation.waiver_signed": True},
     ("denied", "in", "CO", "B7", 0, 1100_00)),
    # 8: the 64650 policy needs prior authorization -> CO 197 in network.
    ("no-prior-auth", {"documentation.prior_auth": False}, ("denied", "in", "CO", "197", 0, 1100_00)),
    # 8 + liability: waiver -> PR 197.
    ("no-prior-auth-waiver", {"documentation.prior_auth": False, "documentation.waiver_signed": True},
     ("denied", "in", "PR", "197", 1100_00, 0)),
    # 8 + liability: out of network -> PR 197.
    ("no-prior-auth-oon", {"documentation.prior_auth": False, **OUT_OF_NETWORK},
     ("denied", "out", "PR", "197", 1100_00, 0)),
    # 9: 84-day minimum; 2026-03-02 minus 2026-01-01 = 60 days -> CO 151.
    ("too-soon", {"accumulators.last_treatment": "2026-01-01"}, ("denied", "in", "CO", "151", 0, 1100_00)),
    # 9 + liability: out of network -> PR 151.
    ("too-soon-oon", {"accumulators.last_treatment": "2026-01-01", **OUT_OF_NETWORK},
     ("denied", "out", "PR", "151", 1100_00, 0)),
]


@pytest.mark.parametrize("name,changes,expected", DENIALS, ids=[d[0] for d in DENIALS])
def test_denials(name, changes, expected):
    decision, network, group, carc, patient, writeoff = expected
    outcome = run(changes)
    assert (outcome.decision, outcome.network) == (decision, network)
    assert (outcome.primary_reason.group, outcome.primary_reason.carc) == (group, carc)
    assert outcome.cost.patient_pays == patient
    assert outcome.cost.provider_writeoff == writeoff
    assert outcome.cost.plan_pays == 0
    assert [(a.group, a.carc) for a in outcome.adjustments] == [(group, carc)]
    assert_balances(outcome)


def test_frequency_boundary_exactly_84_days_passes():
    # 2026-03-02 minus 2025-12-08 = 23 (Dec 8..31) + 31 (Jan) + 28 (Feb) + 2 = 84 days: allowed.
    outcome = run({"accumulators.last_treatment": "2025-12-08"})
    assert outcome.decision == "covered"
    # one day fewer (83) is denied
    assert run({"accumulators.last_treatment": "2025-12-09"}).primary_reason.carc == "151"


def test_policy_without_prior_auth_needs_none():
    # 17000 for actinic keratosis: NCD 250.4 row, no prior authorization required.
    outcome = run({"service": {"code": "17000", "charge": 150.0}, "diagnoses": ["L57.0"],
                   "documentation.prior_auth": False})
    assert outcome.decision == "covered"


def test_cosmetic_by_default_procedure_with_its_indication_is_covered():
    # 17106 vascular laser is cosmetic by default, but a port-wine stain (Q82.5) is a covered indication.
    outcome = run({"service": {"code": "17106", "charge": 500.0}, "diagnoses": ["Q82.5"]})
    assert outcome.decision == "covered"


def test_with_diagnosis_policy_needs_both_codes():
    # NCD 250.5: filler for lipodystrophy is covered only with HIV (B20) coded too.
    both = run({"service": {"code": "G0429"}, "diagnoses": ["B20", "E88.14"]})
    only_one = run({"service": {"code": "G0429"}, "diagnoses": ["E88.14"]})
    assert both.decision == "covered"
    # G0429 is cosmetic by default, so without the pair it is a benefit exclusion.
    assert (only_one.primary_reason.group, only_one.primary_reason.carc) == ("PR", "204")


def test_out_of_network_uncredentialed_np_is_not_b7():
    # Check 7 applies in network only; out of network the PPO pays its OON benefit.
    outcome = run({"provider.credentialed": False, **OUT_OF_NETWORK})
    assert outcome.decision == "covered" and outcome.network == "out"


def test_credentialed_but_not_participating_is_out_of_network():
    outcome = run({"facility.credentialed": True, "facility.participating": False})
    assert outcome.network == "out"


# ---------------------------------------------------------------------------------------------
# SPEC §5: cost branches. (allowed, deductible, coinsurance, copay, plan pays, patient pays,
# clinic write-off, balance bill), all in cents.

COSTS = [
    # In network, nothing met: A = min(1100, 420) = 420; Dr = 1500 -> ded = 420, coins = 0.2 x 0 = 0;
    # plan 420 - 420 = 0; CO 45 = 1100 - 420 = 680.
    ("deductible-unmet", {}, (420_00, 420_00, 0, 0, 0, 420_00, 680_00, 0)),
    # Deductible partly met: Dr = 1500 - 1200 = 300 -> ded 300; coins = 0.2 x (420 - 300) = 24.00;
    # share 324.00; plan 420 - 324 = 96.00.
    ("deductible-partly-met", {"accumulators.deductible_met": 1200, "accumulators.oop_met": 1200},
     (420_00, 300_00, 24_00, 0, 96_00, 324_00, 680_00, 0)),
    # Deductible met: coins = 0.2 x 420 = 84.00; plan 336.00.
    ("deductible-met", {"accumulators.deductible_met": 1500, "accumulators.oop_met": 1500},
     (420_00, 0, 84_00, 0, 336_00, 84_00, 680_00, 0)),
    # Deductible met beyond the plan's deductible counts as met: Dr = max(0, 1500 - 2000) = 0.
    ("deductible-over-met", {"accumulators.deductible_met": 2000, "accumulators.oop_met": 2000},
     (420_00, 0, 84_00, 0, 336_00, 84_00, 680_00, 0)),
    # OOP cap binds on coinsurance: Or = 5000 - 4950 = 50; coins 84 -> 50; plan 420 - 50 = 370.
    ("oop-cap-coinsurance", {"accumulators.deductible_met": 1500, "accumulators.oop_met": 4950},
     (420_00, 0, 50_00, 0, 370_00, 50_00, 680_00, 0)),
    # OOP cap counts the deductible first: Dr = 200 -> ded 200, coins = 0.2 x 220 = 44;
    # Or = 5000 - 4780 = 220 -> ded 200, coins min(44, 220 - 200) = 20; share 220; plan 200.
    ("oop-cap-deductible-first", {"accumulators.deductible_met": 1300, "accumulators.oop_met": 4780},
     (420_00, 200_00, 20_00, 0, 200_00, 220_00, 680_00, 0)),
    # OOP already reached: Or = 0 -> patient 0, plan pays the whole allowed 420.
    ("oop-reached", {"accumulators.oop_met": 5000}, (420_00, 0, 0, 0, 420_00, 0, 680_00, 0)),
    # Copay plan ($40): share = min(40, 420) = 40, no deductible even though none is met; plan 380.
    ("copay", {"plan.copay": 40}, (420_00, 0, 0, 40_00, 380_00, 40_00, 680_00, 0)),
    # Copay above the allowed amount: fee $30 -> A = 30, copay min(40, 30) = 30, plan 0;
    # CO 45 = 1100 - 30 = 1070.
    ("copay-above-allowed", {"plan.copay": 40, "service.fee_schedule": 30.0},
     (30_00, 0, 0, 30_00, 0, 30_00, 1070_00, 0)),
    # Copay capped by the OOP remaining: Or = 5000 - 4990 = 10 -> copay 10; plan 410.
    ("copay-oop-cap", {"plan.copay": 40, "accumulators.oop_met": 4990},
     (420_00, 0, 0, 10_00, 410_00, 10_00, 680_00, 0)),
    # Charge below the fee schedule: A = min(300, 420) = 300, no write-off; ded 300.
    ("charge-below-fee", {"service.charge": 300.0}, (300_00, 300_00, 0, 0, 0, 300_00, 0, 0)),
    # Half-up rounding: fee 420.30, 15 % coinsurance, deductible met: 0.15 x 420.30 = 63.045 -> 63.05
    # (a binary float gives 63.04499…, and banker's rounding 63.04); plan 420.30 - 63.05 = 357.25;
    # CO 45 = 1100 - 420.30 = 679.70.
    ("half-up", {"service.fee_schedule": 420.30, "plan.coinsurance": 0.15, "accumulators.deductible_met": 1500,
                 "accumulators.oop_met": 1500}, (420_30, 0, 63_05, 0, 357_25, 63_05, 679_70, 0)),
    # Out of network, nothing met: A_oon = min(1100, 420 x 1.0) = 420; OON ded 3000 -> ded 420;
    # balance bill PR 45 = 1100 - 420 = 680; patient 420 + 680 = 1100; plan 0.
    ("oon-deductible", {**OUT_OF_NETWORK}, (420_00, 420_00, 0, 0, 0, 1100_00, 0, 680_00)),
    # Out of network, 80 % of the fee schedule, OON deductible met: A_oon = min(1100, 336) = 336;
    # coins 0.4 x 336 = 134.40; balance 1100 - 336 = 764; patient 134.40 + 764 = 898.40; plan 201.60.
    ("oon-allowed-pct", {**OUT_OF_NETWORK, "plan.oon.allowed_pct": 0.8, "accumulators.oon_deductible_met": 3000,
                         "accumulators.oon_oop_met": 3000},
     (336_00, 0, 134_40, 0, 201_60, 898_40, 0, 764_00)),
    # Copays apply in network only: the same with a $40 copay gives the same OON numbers.
    ("oon-ignores-copay", {**OUT_OF_NETWORK, "plan.copay": 40, "plan.oon.allowed_pct": 0.8,
                           "accumulators.oon_deductible_met": 3000, "accumulators.oon_oop_met": 3000},
     (336_00, 0, 134_40, 0, 201_60, 898_40, 0, 764_00)),
    # OON OOP cap: Or = 10000 - 9900 = 100 -> coins 134.40 -> 100; the balance bill is not capped:
    # patient 100 + 764 = 864; plan 336 - 100 = 236.
    ("oon-oop-cap", {**OUT_OF_NETWORK, "plan.oon.allowed_pct": 0.8, "accumulators.oon_deductible_met": 3000,
                     "accumulators.oon_oop_met": 9900}, (336_00, 0, 100_00, 0, 236_00, 864_00, 0, 764_00)),
    # The in-network accumulators do not count out of network: deductible met in network, OON unmet
    # -> OON ded = 420, patient 1100.
    ("oon-separate-accumulators", {**OUT_OF_NETWORK, "accumulators.deductible_met": 1500},
     (420_00, 420_00, 0, 0, 0, 1100_00, 0, 680_00)),
]


@pytest.mark.parametrize("name,changes,expected", COSTS, ids=[c[0] for c in COSTS])
def test_cost_sharing(name, changes, expected):
    outcome = run(changes)
    assert outcome.decision == "covered"
    c = outcome.cost
    got = (c.allowed, c.deductible, c.coinsurance, c.copay, c.plan_pays, c.patient_pays, c.provider_writeoff,
           c.balance_bill)
    assert got == expected
    assert_balances(outcome)


def test_covered_adjustments_read_like_an_835():
    # deductible partly met (case above): CO 45 680.00, PR 1 300.00, PR 2 24.00.
    outcome = run({"accumulators.deductible_met": 1200, "accumulators.oop_met": 1200})
    assert [(a.group, a.carc, a.amount) for a in outcome.adjustments] == [
        ("CO", "45", 680_00), ("PR", "1", 300_00), ("PR", "2", 24_00)]
    # out of network the amount above the allowed is the patient's: PR 45 (balance bill).
    oon = run({**OUT_OF_NETWORK})
    assert [(a.group, a.carc, a.amount) for a in oon.adjustments] == [("PR", "45", 680_00), ("PR", "1", 420_00)]


def test_catalog_defaults_for_charge_and_fee_schedule():
    # Omitted: charge = cash price $1,100.00 and fee schedule $726.00 from procedures.csv (64650).
    # A = 726, ded = 726 (nothing met), CO 45 = 374.
    outcome = run({"service": {"code": "64650"}})
    c = outcome.cost
    assert (c.charge, c.allowed, c.deductible, c.provider_writeoff) == (1100_00, 726_00, 726_00, 374_00)


def test_a_zero_charge_still_balances():
    outcome = run({"service.charge": 0.0})
    assert outcome.cost.charge == 0 and outcome.cost.patient_pays == 0
    assert_balances(outcome)
