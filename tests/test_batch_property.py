"""A property of ``medspa-kit batch``: every line of IN is one row of OUT, in its place, and every
row that could be read has exactly the result ``evaluate`` gives for it.

Files are made of seeded scenarios (valid and broken ones, tests/scenario_factory.py) written as
CSV lines, among generated malformed lines: a cell too many, a cell too few, a quote opened and
never closed, a quote inside a cell, a blank line. Both CSV engines, small and large chunks,
and blocks small enough that rows straddle them.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medspa_kit import batch_csv, evaluate
from medspa_kit.cli import main
from medspa_kit.columns import RESULT_COLUMNS, outcome_to_row, row_to_dict, scenarios_to_frame
from medspa_kit.errors import ScenarioError

from .scenario_factory import ScenarioFactory

_FRAME = scenarios_to_frame(ScenarioFactory(seed=11).batch(24, 8))
_FRAME.insert(0, "visit_id", [f"V{i}" for i in range(len(_FRAME))])
HEADER = ",".join(_FRAME.columns)
GOOD = _FRAME.to_csv(index=False, header=False, lineterminator="\n").splitlines()
COLUMNS = len(_FRAME.columns)
assert all('"' not in line for line in GOOD)  # the malformed lines below bring the only quotes


def expected(cells: list[str]) -> dict:
    """The result columns ``evaluate`` gives for the row these cells make."""
    try:
        row = outcome_to_row(evaluate(row_to_dict(dict(zip(_FRAME.columns, cells)))))
    except ScenarioError as err:
        row = {name: None for name in RESULT_COLUMNS}
        row["error"] = str(err)
    return row


@st.composite
def lines(draw):
    """(line, kind): a line of the file and whether it is ``read`` (a row), ``unreadable`` or ``blank``."""
    good = draw(st.sampled_from(GOOD))
    cells = good.split(",")
    kind = draw(st.sampled_from(["good", "good", "good", "extra", "fewer", "open quote", "inner quote", "blank"]))
    if kind == "good":
        return good, "read"
    if kind == "extra":
        at = draw(st.integers(0, COLUMNS))
        return ",".join(cells[:at] + [draw(st.sampled_from(["x", "", "V9"]))] + cells[at:]), "unreadable"
    if kind == "fewer":
        at = draw(st.integers(0, COLUMNS - 1))
        return ",".join(cells[:at] + cells[at + 1:]), "unreadable"
    if kind == "open quote":  # before a cell that is not empty: a quote that never closes
        at = draw(st.sampled_from([i for i, cell in enumerate(cells) if cell]))
        return ",".join(cells[:at] + ['"' + cells[at]] + cells[at + 1:]), "unreadable"
    if kind == "inner quote":  # inside a cell: a letter, as every CSV reader reads it
        at = draw(st.sampled_from([i for i, cell in enumerate(cells) if len(cell) > 1]))
        cell = cells[at]
        return ",".join(cells[:at] + [cell[:1] + '"' + cell[1:]] + cells[at + 1:]), "read"
    return "", "blank"


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(lines(), min_size=1, max_size=25), chunk_size=st.sampled_from([1, 2, 3, 7, 100]),
       small_blocks=st.booleans(), crlf=st.booleans())
def test_every_line_is_one_row_and_every_read_row_is_what_evaluate_says(tmp_path_factory, csv_engine, body,
                                                                       chunk_size, small_blocks, crlf):
    folder = tmp_path_factory.mktemp("batch")
    end = "\r\n" if crlf else "\n"
    (folder / "in.csv").write_bytes((HEADER + end + "".join(line + end for line, _ in body)).encode("utf-8"))
    sizes = {"BLOCK_MIN_BYTES": 2_000, "MAX_ROW_BYTES": 1_000, "SAMPLE_BYTES": 2_000} if small_blocks else {}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in sizes.items():
            patch.setattr(batch_csv, name, value)
        code = main(["batch", str(folder / "in.csv"), "-o", str(folder / "out.csv"), "-q",
                     "--chunk-size", str(chunk_size)])

    rows = [(number, line, kind) for number, (line, kind) in enumerate(body, start=2) if kind != "blank"]
    if not any(kind == "read" for _, _, kind in rows):
        assert code == 2 and not (folder / "out.csv").exists()  # nothing to evaluate: no output at all
        return
    out = pd.read_csv(folder / "out.csv", dtype=str, keep_default_na=False)
    assert len(out) == len(rows)  # one row per line, blank lines aside
    errors = 0
    for position, (number, line, kind) in enumerate(rows):
        got = out.iloc[position]
        if kind == "unreadable":
            assert got["error"].startswith(f"line {number:,}") and got["decision"] == "" and got["visit_id"] == ""
            errors += 1
            continue
        cells = next(csv.reader(io.StringIO(line)))
        want = expected(cells)
        assert got["visit_id"] == cells[0]
        for name in RESULT_COLUMNS:
            value = want[name]
            if isinstance(value, float):
                assert float(got[name]) == pytest.approx(value, abs=0.001), (number, name)
            else:
                assert got[name] == ("" if value is None else str(value)), (number, name, line)
        errors += want["error"] is not None
    assert code == (1 if errors else 0)
