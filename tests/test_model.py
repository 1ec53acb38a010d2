"""Check 1 (inputs) and the scenario file: scenario parsing is strict and every error names field and value."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from medspa_kit import ScenarioError, evaluate, preset, preset_names
from medspa_kit.catalog import default_catalog
from medspa_kit.model import Scenario, load_scenario, save_scenario, set_path

from .builders import BASE


def bad(**changes):
    data = copy.deepcopy(BASE)
    for path, value in changes.items():
        set_path(data, path, value)
    with pytest.raises(ScenarioError) as info:
        evaluate(data)
    return info.value


@pytest.mark.parametrize(
    "path,value,field,words",
    [
        ("plan.coinsurance", 1.5, "plan.coinsurance", "1.5 is not a rate between 0 and 1"),
        ("plan.oon.coinsurance", -0.1, "plan.oon.coinsurance", "-0.1 is not a rate"),
        ("plan.coinsurance", "20%", "plan.coinsurance", "'20%' is not a number"),
        ("plan.coinsurance", 0.1234567, "plan.coinsurance", "more than 6 decimal places"),
        ("service.charge", -5, "service.charge", "-5 is negative"),
        ("service.charge", 10.005, "service.charge", "fraction of a cent"),
        ("service.fee_schedule", True, "service.fee_schedule", "True is not a number"),
        ("accumulators.deductible_met", -1, "accumulators.deductible_met", "negative"),
        ("date_of_service", "03/02/2026", "date_of_service", "'03/02/2026' is not an ISO date"),
        ("accumulators.last_treatment", "2026-13-01", "accumulators.last_treatment", "not an ISO date"),
        ("provider.type", "LPN", "provider.type", "'LPN' is not one of"),
        ("facility.kind", "hospital", "facility.kind", "'hospital' is not one of"),
        ("plan.type", "PPOO", "plan.type", "'PPOO' is not one of"),
        ("provider.npi", "1234567890", "provider.npi", "fails the NPI check digit: the last digit should be 3"),
        ("provider.npi", "12345", "provider.npi", "exactly 10 digits"),
        ("provider.npi", 1593027489, "provider.npi", "string of 10 digits"),
        ("provider.credentialed", "yes", "provider.credentialed", "'yes' is not true or false"),
        ("service.code", "99999", "service.code", "'99999' is not a service in the catalog"),
        ("facility.place_of_service", "77", "facility.place_of_service", "'77' is not a place-of-service code"),
        ("version", 3, "version", "3 is not supported"),
        ("version", True, "version", "True is not supported (expected 1 or 2)"),
        ("version", 1.5, "version", "1.5 is not supported"),
        ("diagnoses", [], "diagnoses", "needs at least one entry"),
        ("diagnoses", "L74.510", "diagnoses", "should be a list of codes"),
    ],
)
def test_bad_values_name_field_and_value(path, value, field, words):
    err = bad(**{path: value})
    assert err.field == field
    assert words in str(err)
    assert str(err).startswith(f"{field}: ")
    assert "\n" not in str(err)


def test_version_one_may_come_as_a_table_number():
    # A CSV's number column holds 1.0; that is version 1 on every pydantic 2 release.
    data = copy.deepcopy(BASE)
    data["version"] = 1.0
    assert Scenario.from_dict(data).version == 1
    assert evaluate(data).decision == evaluate(BASE).decision


def test_non_billable_icd_header_is_rejected_with_suggestions():
    err = bad(diagnoses=["L74.510", "L74.5"])
    assert err.field == "diagnoses[1]"
    assert "'L74.5'" in str(err) and "not billable" in str(err) and "pick a more specific code" in str(err)
    assert "L74.510" in str(err)  # a suggestion


def test_unknown_icd_code_is_rejected():
    err = bad(diagnoses=["XYZ.12"])
    assert err.field == "diagnoses[0]"
    assert "'XYZ.12' is not an ICD-10-CM code" in str(err)


def test_icd_codes_are_normalised_case_space_and_dot():
    scenario = Scenario.from_dict({**copy.deepcopy(BASE), "diagnoses": [" l74510 "]})
    assert scenario.diagnoses == ("L74.510",)


def test_a_code_outside_the_bundled_list_is_checked_in_the_code_set():
    # L74.511 (face) is billable but L30.9 (dermatitis) is not in diagnoses.csv: still accepted.
    assert "L30.9" not in default_catalog().known_diagnoses
    outcome = evaluate({**copy.deepcopy(BASE), "diagnoses": ["L30.9"]})
    assert outcome.primary_reason.carc == "50"


def test_duplicate_diagnosis_is_an_error():
    err = bad(diagnoses=["L74.510", "l74.510"])
    assert err.field == "diagnoses[1]" and "listed twice" in str(err)


@pytest.mark.parametrize(
    "path,field",
    [
        ("colour", "colour"),
        ("service.units", "service.units"),
        ("plan.oon.ucr", "plan.oon.ucr"),
        ("documentation.abn", "documentation.abn"),
        ("provider.name", "provider.name"),
        ("facility.tin", "facility.tin"),
        ("accumulators.visits", "accumulators.visits"),
    ],
)
def test_unknown_fields_are_errors_at_every_level(path, field):
    err = bad(**{path: 1})
    assert err.field == field
    assert "unknown field" in str(err) and "allowed:" in str(err)


@pytest.mark.parametrize("path", ["date_of_service", "service.code", "provider.type", "provider.credentialed",
                                  "facility.kind", "facility.participating", "plan.deductible", "plan.oop_max",
                                  "plan.oon.coinsurance"])
def test_missing_required_fields_are_named(path):
    data = copy.deepcopy(BASE)
    *parents, leaf = path.split(".")
    node = data
    for part in parents:
        node = node[part]
    del node[leaf]
    with pytest.raises(ScenarioError) as info:
        evaluate(data)
    assert info.value.field == path
    assert "required field is missing" in str(info.value)


def test_last_treatment_after_date_of_service_is_an_error():
    err = bad(**{"accumulators.last_treatment": "2026-04-01"})
    assert err.field == "accumulators.last_treatment"
    assert "2026-04-01 is after the date of service 2026-03-02" in str(err)


def test_deductible_above_oop_max_is_an_error():
    err = bad(**{"plan.deductible": 6000})
    assert err.field == "plan" and "deductible 6000 is above the out-of-pocket maximum 5000" in str(err)


def test_several_problems_are_counted_in_one_line():
    err = bad(**{"plan.coinsurance": 2, "service.charge": -1})
    assert len(err.problems) == 2
    assert "(and 1 more problem)" in str(err)


def test_not_json_and_not_an_object():
    with pytest.raises(ScenarioError, match=r"^scenario: not valid JSON"):
        Scenario.from_json("{nope")
    with pytest.raises(ScenarioError, match=r"^scenario: expected a JSON object, got an array"):
        Scenario.from_dict([1, 2])  # type: ignore[arg-type]


@pytest.mark.parametrize("name", preset_names())
def test_presets_round_trip_byte_exact(name, tmp_path):
    path = default_catalog().folder / "presets" / f"{name}.json"
    text = path.read_text(encoding="utf-8")
    scenario = Scenario.from_json(text)
    assert scenario.to_json() == text
    copy_path = tmp_path / "copy.json"
    save_scenario(scenario, str(copy_path))
    assert load_scenario(str(copy_path)) == scenario
    assert copy_path.read_text(encoding="utf-8") == text


def test_round_trip_keeps_every_field():
    scenario = Scenario.from_dict(copy.deepcopy(BASE))
    again = Scenario.from_dict(json.loads(scenario.to_json()))
    assert again == scenario
    assert again.service.charge == 1100.0 and again.plan.oon.allowed_pct == 1.0


def test_with_changes_revalidates():
    scenario = preset("botox-underarm-sweating")
    hmo = scenario.with_changes({"plan.type": "HMO", "plan.oon": None})
    assert hmo.plan.type.value == "HMO" and hmo.plan.oon is None
    assert hmo.get("plan.type") == "HMO"
    with pytest.raises(ScenarioError, match=r"^plan\.coinsurance: "):
        scenario.with_changes({"plan.coinsurance": 3})


@pytest.mark.parametrize("cell", [np.timedelta64(5), np.timedelta64(1500, "D"), np.datetime64("20000-01-01")],
                         ids=["5 generic units", "1500 days", "year 20000"])
def test_a_numpy_length_of_time_is_no_amount(cell):
    # numpy counts a timedelta64 as an integer: np.timedelta64(5) was read as a $5 deductible
    data = copy.deepcopy(BASE)
    data["plan"]["deductible"] = cell
    with pytest.raises(ScenarioError, match=r"^plan\.deductible: np\.(timedelta|datetime)64\(.* is not a number$"):
        Scenario.from_dict(data)


def test_a_numpy_date_in_nanoseconds_is_its_date():
    # its .item() is an int of nanoseconds (1772409600000000000), which was "not an ISO date"
    data = copy.deepcopy(BASE)
    data["date_of_service"] = np.datetime64("2026-03-02T00:00:00.000000000")
    assert Scenario.from_dict(data).date_of_service.isoformat() == "2026-03-02"
