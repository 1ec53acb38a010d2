"""One reader of typed-in text: a CSV cell, a batch cell, a dataset cell and a widget's text box
agree on what "1", "$1,100" or "yes" mean."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from medspa_kit.batch_cells import read_flags, read_numbers
from medspa_kit.catalog.schema import flag_cell, money_cell
from medspa_kit.columns import cell_value
from medspa_kit.fields import OMITTED, read_text
from medspa_kit.ui.state import parse_field

NUMBERS = [("1", 1.0), ("1100", 1100.0), ("1,100", 1100.0), ("$1,100.50", 1100.5), (" 0.2 ", 0.2), ("1e3", 1000.0),
           (".5", 0.5), ("$5", 5.0), ("1,10", None), ("12,34,567", None), ("abc", None), ("$", None), ("1.2.3", None)]
FLAGS = [("yes", True), ("TRUE", True), ("1", True), ("no", False), ("0", False), ("False", False), ("maybe", None)]
EMPTY = ["", "  ", "none", "NULL"]


@pytest.mark.parametrize("text,value", NUMBERS)
def test_every_face_reads_a_number_alike(text, value, catalog):
    read = read_text("number", text)
    assert (read if isinstance(read, float) else None) == value
    assert cell_value("number", text) == (value if value is not None else text.strip())
    typed = parse_field("accumulators.deductible_met", text, catalog)
    assert (typed if isinstance(typed, float) else None) == value
    if value is None:
        with pytest.raises(ValueError):
            money_cell(text)
    else:
        assert money_cell(text) == value
    numbers = read_numbers(pd.Series([text, text], dtype="string"))
    assert numbers.present.all()
    if value is None:
        assert numbers.text.all()
    else:
        assert not numbers.text.any() and np.allclose(numbers.value, value)


@pytest.mark.parametrize("text,value", FLAGS)
def test_every_face_reads_a_flag_alike(text, value, catalog):
    assert (read_text("flag", text) if value is not None else None) == value
    typed = parse_field("documentation.prior_auth", text, catalog)
    assert (typed if isinstance(typed, bool) else None) == value
    present, read, bad = read_flags(pd.Series([text], dtype=object))
    assert bool(bad[0]) == (value is None)
    if value is not None:
        assert flag_cell(text) is value and bool(read[0]) is value


@pytest.mark.parametrize("text", EMPTY)
def test_empty_words_leave_the_field_out_everywhere(text, catalog):
    assert read_text("number", text) is OMITTED and cell_value("flag", text) is OMITTED
    assert parse_field("accumulators.last_treatment", text, catalog) is None
    assert not read_numbers(pd.Series([text], dtype="string")).present.any()


def test_lists_split_on_semicolons_and_commas():
    assert read_text("list", "L74.510; G43.709, Z41.1") == ["L74.510", "G43.709", "Z41.1"]
    assert read_text("list", ";") == []


def test_claim_lines_read_as_a_biller_writes_them():
    from medspa_kit.fields import read_lines, write_lines

    lines = read_lines("64615; J0585 x155\nJ0585-JW ×45; 99213-25")
    assert lines == [{"code": "64615"}, {"code": "J0585", "units": 155},
                     {"code": "J0585", "units": 45, "modifiers": ["JW"]}, {"code": "99213", "modifiers": ["25"]}]
    assert write_lines(lines) == "64615; J0585 x155; J0585-JW x45; 99213-25"
    assert read_lines(write_lines(lines)) == lines
    for bad, message in (("", "no line"), ("64615 x1.5", "line 1: 'x1.5' is not a whole number of units"),
                         ("J0585 x1,000", "line 1: 'x1,000' is not a whole number of units"),
                         ("64615 x１", "line 1: 'x１' is not a whole number of units in digits 0-9"),
                         ("64615; J0585 x١٥٥", "line 2: 'x١٥٥' is not a whole number of units in digits 0-9"),
                         ("J0585 x5 x6", r"line 1: units given twice \(x5 and x6\)"),
                         ("64615; J0585 x-5", "line 2: 'x-5' is not a whole number of units in digits 0-9"),
                         ("J0585 x −5", "line 1: 'x−5' is not a whole number of units"),
                         ("J0585 x", "line 1: an x with no units after it"),
                         ("x5", "line 1: units with no billing code before them")):
        with pytest.raises(ValueError, match=message):
            read_lines(bad)
    # a word after the code that begins with X is a modifier unless it is x and digits: XS is one,
    # and XX, unknown, is left for the scenario parser to name as a modifier (not as units)
    assert read_lines("64615-XS; J0585-XX x5") == [{"code": "64615", "modifiers": ["XS"]},
                                                   {"code": "J0585", "units": 5, "modifiers": ["XX"]}]
    # units after a space or a dash, as billers also write them: never read as a modifier
    assert read_lines("J0585 x 10; J0585-JW-x5; J0585 X 45") == [
        {"code": "J0585", "units": 10}, {"code": "J0585", "units": 5, "modifiers": ["JW"]},
        {"code": "J0585", "units": 45}]


def test_sets_of_codes_are_refused_since_their_order_is_lost():
    from medspa_kit import evaluate, evaluate_frame, preset
    from medspa_kit.columns import scenarios_to_frame
    from medspa_kit.errors import ScenarioError

    data = preset("botox-underarm-sweating").to_dict()
    data["diagnoses"] = {"L74.510", "R61"}  # which one is the first diagnosis?
    with pytest.raises(ScenarioError, match=r"^diagnoses: a set \(.*\) has no order; give a list"):
        evaluate(data)
    frame = scenarios_to_frame([preset("botox-underarm-sweating")])
    frame["diagnoses"] = [{"L74.510", "R61"}]
    assert evaluate_frame(frame)["error"].iat[0].startswith("diagnoses: a set (")


def test_a_value_that_cannot_be_shown_is_still_an_error_naming_it():
    from medspa_kit import evaluate, preset
    from medspa_kit.errors import ScenarioError

    class Unshowable:
        def __repr__(self):
            raise RuntimeError("no")

    data = preset("botox-underarm-sweating").to_dict()
    data["provider"]["type"] = Unshowable()
    with pytest.raises(ScenarioError, match="a Unshowable value that cannot be shown"):
        evaluate(data)
    data["provider"]["type"] = "np\ud800"
    with pytest.raises(ScenarioError, match=r"^provider.type: 'np\\ud800' is not Unicode text"):
        evaluate(data)
