"""Shared scenario builders for the tests (no tests here).

``BASE`` is the worked example of docs/scenario.md: Botox for underarm sweating (64650), charge
$1,100.00, fee schedule $420.00, diagnosis L74.510, criteria and prior authorization on file, a
credentialed NP at an in-network medical clinic (POS 11), a PPO with a $1,500 deductible, 20 %
coinsurance, no copay, a $5,000 out-of-pocket maximum, and out-of-network terms of $3,000 / 40 % /
$10,000 / 100 % of the fee schedule. Nothing met yet this year.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import strategies as st

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


def case(changes: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    """``BASE`` with dotted fields replaced (``{"plan.copay": 40}``, or ``plan__copay=40``)."""
    data = copy.deepcopy(BASE)
    for path, value in {**(changes or {}), **{k.replace("__", "."): v for k, v in more.items()}}.items():
        set_path(data, path, value)
    return data


def run(changes: dict[str, Any]):
    """The outcome of ``BASE`` with ``changes``."""
    return evaluate(case(changes))


def assert_balances(outcome) -> None:
    """An outcome balances like an 835: charge = plan + Σ adjustments; patient = Σ PR; clinic = Σ CO."""
    c = outcome.cost
    assert c.charge == c.plan_pays + sum(a.amount for a in outcome.adjustments)
    assert c.patient_pays == sum(a.amount for a in outcome.adjustments if a.group == "PR")
    assert c.provider_writeoff == sum(a.amount for a in outcome.adjustments if a.group == "CO")


# --------------------------------------------------------------------------------------------
# A hypothesis strategy of valid scenarios that reach every check and every cost branch.

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
    last = draw(st.none() | st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 3, 2)))
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


def claim(lines: list[dict[str, Any]], changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """``BASE`` as a version 2 claim with these ``lines`` (its service gone), then ``changes``."""
    data = case(changes)
    data.pop("service")
    data["version"] = 2
    data["lines"] = copy.deepcopy(lines)
    return data


LINE_CODES = ["64650", "J0585", "64615", "17000", "17003", "17004", "99213", "96567", "J7308", "17106", "G0447"]
LINE_MODIFIERS = {"99213": [[], ["25"], ["59"]], "J0585": [[], ["JW"], ["JZ"]], "J7308": [[], ["JW"], ["JZ"]]}
"""the modifiers a line of each code may carry (JW and JZ on a drug's line, 25 on an office visit)"""


@st.composite
def claims(draw):
    """A version 2 claim of 1 to 4 lines drawn from ``LINE_CODES`` (valid; any decision)."""
    data = draw(scenarios())
    data.pop("service")
    data["version"] = 2
    data["lines"] = [
        {"code": (code := draw(st.sampled_from(LINE_CODES))), "units": draw(st.integers(1, 20)),
         "modifiers": draw(st.sampled_from(LINE_MODIFIERS.get(code, [[], [], ["59"]]))),
         "charge": draw(cents), "fee_schedule": draw(st.integers(0, 50_000).map(lambda c: c / 100))}
        for _ in range(draw(st.integers(1, 4)))
    ]
    return data


def plain(value: Any) -> Any:
    """A result cell compared across engines: None for every empty cell, dollars as whole cents, text as text."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float):
        return round(value * 100)
    return str(value)


def plain_rows(frame: Any, columns: Any) -> list[tuple]:
    """The ``columns`` of every row of a result frame, each cell :func:`plain`."""
    return [tuple(plain(v) for v in row) for row in frame[list(columns)].astype(object).itertuples(
        index=False, name=None)]
