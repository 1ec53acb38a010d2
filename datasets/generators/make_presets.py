"""Write datasets/presets/*.json in canonical form from the definitions below.

The presets are data; this script only keeps their JSON canonical (the same text that
``Scenario.to_json`` writes), so that loading and saving a preset changes no byte.
Run: python datasets/generators/make_presets.py
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PPO = {
    "type": "PPO", "covered_places_of_service": ["11", "19", "22", "24", "49"],
    "deductible": 1500.0, "coinsurance": 0.2, "copay": 0.0, "oop_max": 5000.0,
    "oon": {"deductible": 3000.0, "coinsurance": 0.4, "oop_max": 10000.0, "allowed_pct": 1.0},
    "hsa_qualified": False,
}
PPO_COPAY = {
    "type": "PPO", "covered_places_of_service": ["11", "19", "22", "24", "49"],
    "deductible": 1000.0, "coinsurance": 0.2, "copay": 40.0, "oop_max": 6000.0,
    "oon": {"deductible": 2500.0, "coinsurance": 0.4, "oop_max": 12000.0, "allowed_pct": 0.8},
    "hsa_qualified": False,
}
HMO = {
    "type": "HMO", "covered_places_of_service": ["11", "19", "22", "24", "49"],
    "deductible": 500.0, "coinsurance": 0.2, "copay": 30.0, "oop_max": 4000.0,
    "hsa_qualified": False,
}
HDHP = {
    "type": "HDHP", "covered_places_of_service": ["11", "19", "22", "24", "49"],
    "deductible": 3000.0, "coinsurance": 0.2, "copay": 0.0, "oop_max": 6500.0,
    "oon": {"deductible": 6000.0, "coinsurance": 0.4, "oop_max": 13000.0, "allowed_pct": 1.0},
    "hsa_qualified": True,
}
OFFICE_ONLY = {**PPO, "covered_places_of_service": ["11"]}
MEDICARE = {"type": "MEDICARE", "covered_places_of_service": ["11", "19", "22", "24", "49"]}

NP = {"type": "NP", "npi": "1593027489", "credentialed": True}
NP_NEW = {"type": "NP", "npi": "1203948579", "credentialed": False}
MD = {"type": "MD", "npi": "1749302851", "credentialed": True}
DO = {"type": "DO", "npi": "1482619370", "credentialed": True}
AESTHETICIAN = {"type": "aesthetician", "credentialed": False}

CLINIC = {"kind": "medical_clinic", "place_of_service": "11", "credentialed": True, "participating": True}
HOSPITAL_CLINIC = {"kind": "medical_clinic", "place_of_service": "22", "credentialed": True, "participating": True}
MEDSPA_OON = {"kind": "med_spa", "place_of_service": "11", "credentialed": True, "participating": False}
MEDSPA_NOT_ENROLLED = {"kind": "med_spa", "place_of_service": "11", "credentialed": False, "participating": False}
DAYSPA = {"kind": "day_spa", "place_of_service": "99", "credentialed": False, "participating": False}

NOTHING = {"criteria_documented": False, "prior_auth": False, "lmn": False, "referral": False,
           "waiver_signed": False}
DOCUMENTED = {**NOTHING, "criteria_documented": True}
DOCUMENTED_PA = {**DOCUMENTED, "prior_auth": True}

FRESH = {"deductible_met": 0.0, "oop_met": 0.0, "oon_deductible_met": 0.0, "oon_oop_met": 0.0}


def _visit(version, billed, diagnoses, documentation, provider, facility, plan, accumulators):
    return {
        "version": version,
        "date_of_service": "2026-03-02",
        **billed,
        "diagnoses": diagnoses,
        "documentation": documentation,
        "provider": provider,
        "facility": facility,
        "plan": plan,
        "accumulators": accumulators,
    }


def scenario(code, diagnoses, documentation, provider, facility, plan, accumulators=FRESH, **service):
    """A version 1 scenario: one service."""
    billed = {"service": {"code": code, **service}}
    return _visit(1, billed, diagnoses, documentation, provider, facility, plan, accumulators)


def claim(lines, diagnoses, documentation, provider, facility, plan, accumulators=FRESH):
    """A version 2 scenario: a claim with lines (code, units, modifiers; catalog prices)."""
    billed = {"lines": [dict(line) for line in lines]}
    return _visit(2, billed, diagnoses, documentation, provider, facility, plan, accumulators)


def paid_by(payer, data):
    """The scenario with the payer whose rules apply."""
    return {**data, "payer": payer}


SWEATING_CHART = {**DOCUMENTED_PA, "criteria": ["severe-sweating-6-months", "failed-topical-aluminium-chloride"]}
TWELVE_SPOTS_CHART = {**DOCUMENTED_PA, "lmn": True,
                      "criteria": ["ak-more-than-10", "failed-topical-5fu-or-imiquimod", "photographs-and-letter"]}
MEDSPA_NOT_ON_ASSIGNMENT = {**CLINIC, "participating": False}

LATE_IN_YEAR = {**FRESH, "deductible_met": 1200.0, "oop_met": 1200.0}
DEDUCTIBLE_MET = {**FRESH, "deductible_met": 1500.0, "oop_met": 1500.0}

PRESETS = {
    "botox-forehead-lines": scenario("botox-cosmetic", ["Z41.1"], NOTHING, NP, CLINIC, PPO),
    "botox-underarm-sweating": scenario("64650", ["L74.510"], DOCUMENTED_PA, NP, CLINIC, PPO, LATE_IN_YEAR),
    "botox-chronic-migraine": scenario(
        "64615", ["G43.709"], DOCUMENTED_PA, DO, CLINIC, PPO_COPAY,
        {**FRESH, "last_treatment": "2025-12-01"},
    ),
    "laser-port-wine-stain": scenario("17107", ["Q82.5"], {**DOCUMENTED, "referral": True}, MD, CLINIC, HMO),
    "peel-actinic-keratosis": scenario("15789", ["L57.0"], DOCUMENTED, MD, CLINIC, HDHP),
    "laser-hair-removal": scenario("laser-hair-removal", ["Z41.1"], NOTHING, NP, MEDSPA_NOT_ENROLLED, PPO),
    "weight-loss-program": scenario(
        "weight-loss-program", ["E66.811", "Z68.32"], DOCUMENTED, NP, MEDSPA_NOT_ENROLLED, PPO
    ),
    "weight-loss-counseling": scenario("G0447", ["E66.811", "Z68.32"], DOCUMENTED, NP, CLINIC, PPO_COPAY),
    "filler-hiv-lipodystrophy": scenario("G0429", ["B20", "E88.14"], DOCUMENTED, MD, CLINIC, PPO),
    "out-of-network-ppo": scenario(
        "64650", ["L74.510"], DOCUMENTED_PA, NP, MEDSPA_OON, PPO,
        {**FRESH, "oon_deductible_met": 3000.0, "oon_oop_met": 3000.0},
    ),
    "hmo-out-of-network": scenario("64650", ["L74.510"], DOCUMENTED_PA, NP, MEDSPA_OON, HMO),
    "uncredentialed-np": scenario("64650", ["L74.510"], DOCUMENTED_PA, NP_NEW, CLINIC, PPO, LATE_IN_YEAR),
    "acne-light-therapy": scenario("acne-light-therapy", ["L70.0"], DOCUMENTED, NP, CLINIC, PPO),
    "migraine-too-soon": scenario(
        "64615", ["G43.709"], DOCUMENTED_PA, DO, CLINIC, PPO_COPAY,
        {**FRESH, "last_treatment": "2026-01-20"},
    ),
    "migraine-no-prior-auth": scenario("64615", ["G43.709"], DOCUMENTED, DO, CLINIC, PPO_COPAY),
    "office-only-plan": scenario("17000", ["L57.0"], DOCUMENTED, MD, HOSPITAL_CLINIC, OFFICE_ONLY),
    "aesthetician-at-day-spa": scenario("microneedling", ["Z41.1"], NOTHING, AESTHETICIAN, DAYSPA, PPO),
    # Real claims, line by line (version 2).
    "underarm-sweating-claim": claim(
        [{"code": "64650"}, {"code": "J0585", "units": 100, "modifiers": ["JZ"]}],
        ["L74.510"], DOCUMENTED_PA, NP, CLINIC, PPO, LATE_IN_YEAR,
    ),
    "migraine-claim-with-discarded-units": claim(
        [{"code": "64615"}, {"code": "J0585", "units": 155}, {"code": "J0585", "units": 45, "modifiers": ["JW"]}],
        ["G43.719"], DOCUMENTED_PA, DO, CLINIC, PPO_COPAY, {**FRESH, "last_treatment": "2025-12-08"},
    ),
    "seven-actinic-keratoses": claim(
        [{"code": "17000"}, {"code": "17003", "units": 6}], ["L57.0"], DOCUMENTED, MD, CLINIC, PPO, DEDUCTIBLE_MET,
    ),
    "add-on-code-alone": claim([{"code": "17003", "units": 6}], ["L57.0"], DOCUMENTED, MD, CLINIC, PPO,
                               DEDUCTIBLE_MET),
    "photodynamic-therapy-by-staff": claim(
        [{"code": "96567"}, {"code": "J7308"}], ["L57.0"], DOCUMENTED, MD, CLINIC, PPO, DEDUCTIBLE_MET,
    ),
    # Payers and programs.
    "blue-plan-hyperhidrosis": paid_by("bcbs-north-dakota", scenario(
        "64650", ["L74.510"], SWEATING_CHART, NP, CLINIC, PPO, LATE_IN_YEAR)),
    "peel-twelve-spots-ibx": paid_by("independence-blue-cross", scenario(
        "15789", ["L57.0"], TWELVE_SPOTS_CHART, MD, CLINIC, PPO, DEDUCTIBLE_MET)),
    "aetna-acne-blue-light": paid_by("aetna", scenario("acne-light-therapy", ["L70.0"], DOCUMENTED, NP, CLINIC, PPO)),
    "hmo-without-referral": scenario("17000", ["L57.0"], DOCUMENTED, MD, CLINIC, HMO),
    "medicare-wrinkle-botox": scenario("botox-cosmetic", ["Z41.1"], NOTHING, MD, CLINIC, MEDICARE),
    "medicare-migraine-not-on-assignment": claim(
        [{"code": "64615"}, {"code": "J0585", "units": 155}, {"code": "J0585", "units": 45, "modifiers": ["JW"]}],
        ["G43.709"], DOCUMENTED, NP, MEDSPA_NOT_ON_ASSIGNMENT, MEDICARE,
        {**FRESH, "deductible_met": 283.0, "oop_met": 283.0, "last_treatment": "2025-12-01"}),
    "medicare-obesity-counselling": scenario("G0447", ["Z68.35"], DOCUMENTED, MD, CLINIC, MEDICARE),
    "office-visit-on-procedure-day": claim(
        [{"code": "99213"}, {"code": "17000"}], ["L57.0"], DOCUMENTED, MD, CLINIC, PPO, DEDUCTIBLE_MET,
    ),
}


def main() -> None:
    import sys

    sys.path.insert(0, str(ROOT))
    from medspa_kit.model import Scenario

    folder = ROOT / "datasets" / "presets"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in PRESETS.items():
        parsed = Scenario.from_dict(copy.deepcopy(data))
        (folder / f"{name}.json").write_text(parsed.to_json(), encoding="utf-8")
    print(f"wrote {len(PRESETS)} presets to {folder}")


if __name__ == "__main__":
    main()
