"""Claims from public billing guides (tests/cases/field/*.json), as written and as real claims.

Each file is a one-service scenario built from a public case; the test also sends the claim a
biller would send — the same visit with its real lines — and checks the answer the case's
sources give, worked by hand below.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medspa_kit import evaluate

FIELD = Path(__file__).resolve().parent / "cases" / "field"


def _claim(name: str, lines: list[dict], **accumulators) -> dict:
    data = json.loads((FIELD / f"{name}.json").read_text(encoding="utf-8"))
    del data["service"]
    data.update(version=2, lines=lines)
    data["accumulators"].update(accumulators)
    return data


def _lines(outcome):
    return [(line.label, line.decision, line.reason.label if line.reason else None) for line in outcome.lines]


def test_seven_actinic_keratoses_are_two_lines_and_both_are_paid():
    # Medical Coding Buff's worked example: 17000 x1 + 17003 x6 (L57.0), PPO, deductible met, 20 %.
    # 17000 allowed $66.31: coinsurance 20 % = $13.262 -> $13.26, plan $53.05, CO 45 $150 - $66.31 = $83.69.
    # 17003 x6 allowed 6 x $11.32 = $67.92: coinsurance $13.584 -> $13.58, plan $54.34, CO 45 $82.08.
    # Claim: allowed $134.23, patient $26.84 (each line rounded to the cent, as each 835 service line
    # is; 20 % of the claim total would be $26.846 -> $26.85), plan $107.39.
    outcome = evaluate(_claim("02-ak-seven-lesions-17003-alone",
                              [{"code": "17000", "charge": 150.0}, {"code": "17003", "units": 6, "charge": 150.0}]))
    assert _lines(outcome) == [("17000", "covered", None), ("17003 ×6", "covered", None)]
    c = outcome.cost
    assert (c.allowed, c.coinsurance, c.plan_pays, c.provider_writeoff) == (13423, 2684, 10739, 16577)
    assert [line.cost.patient_pays for line in outcome.lines] == [1326, 1358]


def test_the_add_on_sent_alone_is_denied_107_not_paid():
    # As the file has it: 17003 for six lesions with no 17000 on the claim. Aetna OfficeLink (Sept. 2019):
    # an add-on without its base code is denied; CO 107 in network, so the clinic writes off the $150.
    outcome = evaluate(json.loads((FIELD / "02-ak-seven-lesions-17003-alone.json").read_text(encoding="utf-8")))
    assert (outcome.decision, outcome.primary_reason.label) == ("denied", "CO 107")
    assert (outcome.cost.patient_pays, outcome.cost.provider_writeoff) == (0, 15000)


@pytest.mark.parametrize("last_treatment, decision", [("2026-02-02", "covered"), ("2026-02-06", "denied")])
def test_the_migraine_claim_reports_the_discarded_units(last_treatment, decision):
    # 64615 x1 ($170.00) + J0585 x155 (155 x $6.51 = $1,009.05) + J0585-JW x45 (45 x $6.51 = $292.95):
    # allowed $1,472.00, the $293 the one-line claim leaves out included. PPO with a $40 copay, taken once
    # on the first line: patient $40, plan $1,432.00. Charges $450 + $1,550 + $450 = $2,450, so CO 45 $978.
    # 2026-02-02 to the date of service 2026-04-27 is 84 days (12 weeks): paid. 80 days (2026-02-06):
    # every line denied for frequency, CO 151 in network.
    outcome = evaluate(_claim("08-migraine-botox-jw-wastage",
                              [{"code": "64615"}, {"code": "J0585", "units": 155},
                               {"code": "J0585", "units": 45, "modifiers": ["JW"]}],
                              last_treatment=last_treatment))
    assert outcome.decision == decision
    if decision == "covered":
        c = outcome.cost
        assert (c.allowed, c.copay, c.plan_pays, c.provider_writeoff) == (147200, 4000, 143200, 97800)
        assert [line.cost.allowed for line in outcome.lines] == [17000, 100905, 29295]
    else:
        assert {line.reason.label for line in outcome.lines} == {"CO 151"}
        assert outcome.cost.patient_pays == 0 and outcome.cost.provider_writeoff == 245000


def test_photodynamic_therapy_by_staff_is_96567_and_the_kerastick():
    # DUSA's coding guide: 96567 per session plus J7308 x1 per Kerastick. Allowed $120 + $330 = $450,
    # deductible met, 20 %: $24.00 + $66.00 = $90.00 patient, $360.00 plan.
    outcome = evaluate(_claim("13-pdt-levulan-96567", [{"code": "96567"}, {"code": "J7308"}]))
    assert _lines(outcome) == [("96567", "covered", None), ("J7308", "covered", None)]
    assert (outcome.cost.allowed, outcome.cost.patient_pays, outcome.cost.plan_pays) == (45000, 9000, 36000)


def test_an_office_visit_beside_photodynamic_therapy_needs_modifier_25():
    # DUSA: no same-day office visit with 96567 unless a separate problem was treated (-25).
    base = [{"code": "96567"}, {"code": "J7308"}]
    without = evaluate(_claim("13-pdt-levulan-96567", [{"code": "99213"}, *base]))
    assert _lines(without)[0] == ("99213", "denied", "CO 97") and without.decision == "partly_covered"
    with_25 = evaluate(_claim("13-pdt-levulan-96567", [{"code": "99213", "modifiers": ["25"]}, *base]))
    assert with_25.decision == "covered"
