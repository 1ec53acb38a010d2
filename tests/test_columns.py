"""A scenario as a row of dotted columns, and back (the batch format of docs/scenario.md)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from medspa_kit import preset, preset_names
from medspa_kit.columns import (
    COLUMNS,
    OMITTED,
    SCENARIO_COLUMNS,
    cell_value,
    claim_to_dict,
    check_columns,
    row_to_dict,
    scenario_to_row,
    scenario_to_rows,
    scenarios_to_frame,
)
from medspa_kit.errors import ScenarioError
from medspa_kit.model import Scenario

from .builders import BASE


def _leaf_paths(model, prefix=""):
    from pydantic import BaseModel

    for name, info in model.model_fields.items():
        inner = [a for a in getattr(info.annotation, "__args__", (info.annotation,))
                 if isinstance(a, type) and issubclass(a, BaseModel)]
        if inner:
            yield from _leaf_paths(inner[0], f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


def test_the_columns_are_exactly_the_scenario_fields():
    from medspa_kit.columns import LINE_COLUMNS
    from medspa_kit.model import Line

    # a claim's lines are rows of a table of claims, not columns
    assert list(SCENARIO_COLUMNS) == [path for path in _leaf_paths(Scenario) if path != "lines"]
    assert [c.path for c in LINE_COLUMNS] == [f"line.{path}" for path in _leaf_paths(Line)]


def test_required_columns_are_the_required_fields():
    required = {c.path for c in COLUMNS if c.required}
    # plan.deductible, plan.coinsurance and plan.oop_max are required of every plan but Original
    # Medicare's (the year's Part B amounts, no cap): a row without them is an error, not the table
    assert required == {"date_of_service", "service.code", "diagnoses", "provider.type", "provider.credentialed",
                        "facility.kind", "facility.credentialed", "facility.participating", "plan.type"}


@pytest.mark.parametrize("kind,raw,expected", [
    ("number", " 1100.50 ", 1100.5),
    ("number", "1e3", 1000.0),
    ("number", "1,100", 1100.0),           # thousands in groups of three, as typed everywhere
    ("number", "$1,100.50", 1100.5),
    ("number", "1,10", "1,10"),            # not a number: the parser will say so
    ("number", "$", "$"),
    ("number", "nan", "nan"),
    ("number", np.int64(3), 3.0),
    ("number", True, True),               # a flag is no number; left for the parser to reject
    ("flag", "TRUE", True), ("flag", "no", False), ("flag", "1", True), ("flag", 0.0, False),
    ("flag", "maybe", "maybe"),
    ("flag", np.bool_(True), True),
    ("text", " NP ", "NP"),
    ("text", 11.0, "11"),                 # a CSV reader may have turned a code into a number
    ("list", "L74.510; G43.709;", ["L74.510", "G43.709"]),
    ("date", pd.Timestamp("2026-03-02"), "2026-03-02"),
    ("date", dt.date(2026, 3, 2), "2026-03-02"),
])
def test_cell_rules(kind, raw, expected):
    value = cell_value(kind, raw)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("raw", [None, "", "   ", " none ", "NULL", float("nan"), np.nan, pd.NA, pd.NaT])
def test_empty_cells_leave_the_field_out(raw):
    assert cell_value("number", raw) is OMITTED


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_survives_a_round_trip_through_a_row(name):
    scenario = preset(name)
    if scenario.lines:
        rows = scenario_to_rows(scenario, "C1")
        assert len(rows) == len(scenario.lines)
        assert Scenario.from_dict(claim_to_dict(rows)) == scenario
    else:
        assert Scenario.from_dict(row_to_dict(scenario_to_row(scenario))) == scenario


def test_a_row_of_text_cells_reads_as_the_spec_example():
    text = {k: str(v) if not isinstance(v, bool) else str(v).lower() for k, v in scenario_to_row(BASE).items()}
    assert text["diagnoses"] == "L74.510" and text["plan.covered_places_of_service"] == "11;22"
    assert Scenario.from_dict(row_to_dict(text)) == Scenario.from_dict(BASE)


def test_empty_oon_cells_mean_no_out_of_network_benefits():
    row = scenario_to_row(BASE)
    for column in ("plan.oon.deductible", "plan.oon.coinsurance", "plan.oon.oop_max", "plan.oon.allowed_pct"):
        row[column] = ""
    assert Scenario.from_dict(row_to_dict(row)).plan.oon is None


def test_carried_columns_are_ignored_and_unknown_dotted_columns_reach_the_parser():
    row = {**scenario_to_row(BASE), "visit_id": "V1", "source": "illustrative"}
    assert "visit_id" not in row_to_dict(row)
    row["plan.colour"] = "red"
    with pytest.raises(ScenarioError, match=r"^plan.colour: unknown field 'colour'"):
        Scenario.from_dict(row_to_dict(row))


def test_check_columns_names_the_unknown_dotted_column():
    check_columns(["visit_id", "service.code"])
    with pytest.raises(ScenarioError, match=r"^plan\.coinsurence: unknown column \(allowed: plan\.type"):
        check_columns(["plan.coinsurence"])


def test_a_frame_has_every_scenario_column_in_order():
    frame = scenarios_to_frame([preset("botox-forehead-lines"), {**BASE, "service": {"code": "64650"}}])
    assert list(frame.columns) == list(SCENARIO_COLUMNS)
    assert frame.loc[0, "diagnoses"] == "Z41.1"
    assert pd.isna(frame.loc[1, "service.charge"])  # left to the catalog
