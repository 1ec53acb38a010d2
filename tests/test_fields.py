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
    for bad, message in (("", "no line"), ("64615 xq", "line 1: 'xq' is not a number of units")):
        with pytest.raises(ValueError, match=message):
            read_lines(bad)
