"""Reading a CSV file of scenarios: every line is a row or an unreadable row, in both engines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from medspa_kit import batch_csv
from medspa_kit.batch_csv import CsvReader, Rows, read_lines
from medspa_kit.errors import FileError

ENGINES = ["arrow", "pandas"]
HEADER = "visit_id,service.code,plan.type"


def read(path, engine, chunk_size=100) -> Rows:
    pieces = list(CsvReader(path, chunk_size, engine))
    assert all(len(p) <= chunk_size for p in pieces)
    return Rows.concat(pieces) if pieces else None


def as_list(rows: Rows) -> list:
    """(line, cells or the problem) per row: what a test compares."""
    return [(int(line), problem if problem is not None else list(rows.frame.iloc[i]))
            for i, (line, problem) in enumerate(zip(rows.lines, rows.problems))]


@pytest.fixture(params=ENGINES)
def engine(request):
    if request.param == "arrow":
        pytest.importorskip("pyarrow")
    return request.param


def write(tmp_path, text: str | bytes, name="in.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


# Each file: lines 2.. after the header, and the rows expected (line, cells or message).
FILES = {
    "good": ("V1,64650,PPO\nV2,botox-cosmetic,HMO\n",
             [(2, ["V1", "64650", "PPO"]), (3, ["V2", "botox-cosmetic", "HMO"])]),
    "a cell too many": ("V1,64650,PPO\nV2,64650,PPO,extra\nV3,64650,PPO\n",
                        [(2, ["V1", "64650", "PPO"]),
                         (3, "line 3 has 4 cells, the header has 3: the line was not read"),
                         (4, ["V3", "64650", "PPO"])]),
    "a cell too few": ("V1,64650\nV2,64650,PPO\n",
                       [(2, "line 2 has 2 cells, the header has 3: the line was not read"),
                        (3, ["V2", "64650", "PPO"])]),
    "a quote never closed": ('"V1,64650,PPO\nV2,64650,PPO\nV3,64650,PPO\n',
                             [(2, "line 2: a quoted cell opens and is never closed; the line was not read"),
                              (3, ["V2", "64650", "PPO"]), (4, ["V3", "64650", "PPO"])]),
    "a quoted line break": ('V1,"6465\n0",PPO\nV2,64650,PPO\n',
                            [(2, ["V1", "6465\n0", "PPO"]), (4, ["V2", "64650", "PPO"])]),
    "a stray quote that would join two lines": (
        'V1,"64650,PPO\nV2,6465"0,PPO\nV3,64650,PPO\n',
        [(2, "line 2: a quoted cell runs over 2 lines and its quotes are not where CSV puts them (is a quote "
             "missing?); the line was not read"),
         (3, ["V2", '6465"0', "PPO"]),  # a quote inside a cell is a letter, as in every CSV reader
         (4, ["V3", "64650", "PPO"])]),
    "quotes that join lines into too many cells": (
        'V1,"64650\nV2",x,PPO\nV3,64650,PPO\n',
        [(2, "line 2: a quoted cell runs over 2 lines and the row has 4 cells, the header has 3 (is a quote "
             "missing?); the line was not read"),
         (3, ['V2"', "x", "PPO"]),
         (4, ["V3", "64650", "PPO"])]),
    "blank lines and CRLF": ("V1,64650,PPO\r\n\r\n\nV2,64650,PPO\r\n",
                             [(2, ["V1", "64650", "PPO"]), (5, ["V2", "64650", "PPO"])]),
    "a carriage return in a cell": ("V1,64\r650,PPO\nV2,64650,PPO\n",
                                    [(2, "line 2 cannot be read: a carriage return inside a cell that is not quoted"),
                                     (3, ["V2", "64650", "PPO"])]),
    "no final line end": ("V1,64650,PPO\nV2,64650,PPO", [(2, ["V1", "64650", "PPO"]), (3, ["V2", "64650", "PPO"])]),
    "a quote open at the very end": ('V1,64650,PPO\nV2,64650,"PPO',
                                     [(2, ["V1", "64650", "PPO"]),
                                      (3, "line 3: a quoted cell opens and is never closed; the line was not read")]),
    "quotes read leniently alike": ('V1,6"4650,PPO\n"V2"x,"a,""b",PPO\n',
                                    [(2, ["V1", '6"4650', "PPO"]), (3, ["V2x", 'a,"b', "PPO"])]),
    "a line of spaces": ("V1,64650,PPO\n   \n", [(2, ["V1", "64650", "PPO"]),
                                                 (3, "line 3 has 1 cell, the header has 3: the line was not read")]),
}


@pytest.mark.parametrize("name", list(FILES))
@pytest.mark.parametrize("chunk_size", [1, 2, 100])
def test_every_line_is_a_row_or_an_unreadable_row_in_both_engines(tmp_path, engine, name, chunk_size):
    body, expected = FILES[name]
    rows = read(write(tmp_path, HEADER + "\n" + body), engine, chunk_size)
    assert as_list(rows) == expected
    assert rows.frame.columns.tolist() == HEADER.split(",")


def test_an_unreadable_row_keeps_the_cells_it_could_split(tmp_path, engine):
    rows = read(write(tmp_path, HEADER + "\nV1,64650,PPO\nC7,64650,PPO,extra\n"), engine)
    assert rows.cells[0] is None and rows.cells[1] == frozenset({"C7", "64650", "PPO", "extra"})
    assert rows.frame.iloc[1].tolist() == ["", "", ""]  # cells are never guessed into columns


def test_read_lines_hands_back_a_row_still_open_at_the_end():
    records, consumed, left = read_lines(["V1,64650,PPO", 'V2,"x', "y"], 3, 2, final=False)
    assert records == [(2, ["V1", "64650", "PPO"], None, None)] and consumed == 1 and left == 'V2,"x\ny\n'


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of 64 bytes and rows of at most 40, so that rows straddle blocks in a small file."""
    monkeypatch.setattr(batch_csv, "BLOCK_MIN_BYTES", 64)
    monkeypatch.setattr(batch_csv, "MAX_ROW_BYTES", 40)
    monkeypatch.setattr(batch_csv, "SAMPLE_BYTES", 64)


def test_rows_straddling_blocks_are_read_whole(tmp_path, engine, small_blocks):
    lines = [f"V{i},64650,PPO" for i in range(40)]
    lines[10] = 'V10,"6465\n0",PPO'  # a quoted line break, somewhere across a block boundary
    lines[25] = '"V25,64650,PPO'  # a quote never closed: only its own line is lost
    lines[30] = "V30," + "x" * 100 + ",PPO"  # longer than a row may be
    rows = read(write(tmp_path, HEADER + "\n" + "\n".join(lines) + "\n"), engine, chunk_size=3)
    got = as_list(rows)
    assert len(got) == 40
    assert got[10] == (12, ["V10", "6465\n0", "PPO"])
    assert got[11] == (14, ["V11", "64650", "PPO"])  # the quoted line break took line 13
    assert got[25][0] == 28 and "never closed" in got[25][1]  # one line later: V10 took two
    assert got[30][0] == 33 and got[30][1].startswith("line 33 is longer than 40 bytes")
    assert [cells[0] for _, cells in got if isinstance(cells, list)] == [
        f"V{i}" for i in range(40) if i not in (25, 30)]


@pytest.mark.parametrize("data,message", [
    (b"", r"has no header on line 1"),
    (b"\n\nV1,64650,PPO\n", r"has no header on line 1"),
    (b"a,b,a\n1,2,3\n", r"the column 'a' appears twice in the header"),
    (b'a,"b\n1,2\n', r"line 1 \(the header\) cannot be read"),
    ((HEADER + "\nV1,64650,PPO\n").encode("utf-16"), r"is not UTF-8 text \(UTF-16\); save it as UTF-8"),
])
def test_a_file_whose_header_cannot_be_read_is_refused(tmp_path, engine, data, message):
    with pytest.raises(FileError, match=message):
        read(write(tmp_path, data), engine)


def test_a_byte_that_is_not_utf8_late_in_the_file_names_its_line(tmp_path, engine):
    body = "".join(f"V{i},64650,PPO\n" for i in range(2000)) + "V2000,64650,M\xfcller\n"
    path = write(tmp_path, (HEADER + "\n" + body).encode("latin-1"))
    with pytest.raises(FileError, match=r"^file: '.*in.csv' is not UTF-8 text \(byte 0xFC on line 2,002: "
                                        r"Latin-1 or Windows-1252\?\); save it as UTF-8$"):
        read(path, engine, chunk_size=500)


def test_a_nul_byte_is_binary_data(tmp_path, engine):
    with pytest.raises(FileError, match=r"a NUL byte on line 3"):
        read(write(tmp_path, HEADER + "\nV1,64650,PPO\nV2,\x00,PPO\n"), engine)


def test_a_utf8_bom_is_dropped(tmp_path, engine):
    rows = read(write(tmp_path, "\ufeff" + HEADER + "\nV1,64650,PPO\n"), engine)
    assert rows.frame.columns.tolist() == HEADER.split(",") and as_list(rows) == [(2, ["V1", "64650", "PPO"])]


def test_both_engines_give_the_same_text_cells(tmp_path):
    pytest.importorskip("pyarrow")
    path = write(tmp_path, HEADER + '\nV1, 64650 ,"PPO"\n"",,\nV3,"a ""b""",x\n')
    arrow, pandas = read(path, "arrow"), read(path, "pandas")
    assert arrow.frame.equals(pandas.frame) and as_list(arrow) == as_list(pandas)
    assert as_list(arrow) == [(2, ["V1", " 64650 ", "PPO"]), (3, ["", "", ""]), (4, ["V3", 'a "b"', "x"])]


def test_cells_that_may_begin_a_formula_are_flagged_by_column(tmp_path):
    pytest.importorskip("pyarrow")
    rows = read(write(tmp_path, HEADER + "\nV1,64650,PPO\n=cmd,-5,PPO\n"), "arrow")
    assert rows.formulas == frozenset({"visit_id", "service.code"})
    assert read(write(tmp_path, HEADER + "\nV1,64650,PPO\n", "b.csv"), "arrow").formulas == frozenset()
    # not looked for when no CSV is written from the rows (Parquet out): not known, then
    unlooked = list(CsvReader(tmp_path / "in.csv", 10, "arrow", formulas=False))
    assert len(unlooked) == 1 and unlooked[0].formulas is None
    assert np.array_equal(rows.lines, [2, 3])
    assert list(pd.Series(rows.problems).isna()) == [True, True]


# -- claims whose rows are apart ---------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _pieces(ids, size):
    frame = pd.DataFrame({"claim_id": ids})
    return [Rows.read(frame.iloc[i:i + size].reset_index(drop=True), 2 + i) for i in range(0, len(ids), size)]


def test_scattered_claims_are_those_with_two_runs_whatever_the_chunks():
    from medspa_kit.batch_io import scattered_claims

    ids = ["C1", "C2", "C2", "C1", "C3", "C3", "", "C4", "C3"]
    # C1 runs at rows 1 and 4; C3 at 5-6 and 9 (the blank id is no claim); C2 and C4 are together.
    for size in (1, 2, 3, 4, 9):
        assert scattered_claims(_pieces(ids, size)) == {"C1", "C3"}
    assert scattered_claims([Rows.read(pd.DataFrame({"x": ["1"]}), 2)]) == set()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=30), st.integers(1, 8))
def test_scattered_claims_property(ids, size):
    from medspa_kit.batch_io import scattered_claims

    # a claim is apart when some other claim's row lies between two of its rows
    expected = {c for c in set(ids)
                if len(set(ids[ids.index(c):len(ids) - ids[::-1].index(c)])) > 1}
    assert scattered_claims(_pieces(ids, size)) == expected


@pytest.mark.parametrize("text", ['{"version": 1, "diagnoses": ["L74.510"]}\n', '\ufeff[{"version": 1}]\n'])
def test_a_json_file_handed_to_the_batch_is_named_as_json(tmp_path, engine, text):
    path = write(tmp_path, text, name="scenario.json")
    with pytest.raises(FileError, match=r"^file: '.*scenario\.json' is JSON, not a table: one scenario goes to "
                                        r"`medspa-kit estimate`"):
        list(CsvReader(path, 10, engine=engine))


def test_a_row_arrow_cannot_split_that_is_not_utf8_prints_nothing_but_the_message(tmp_path, capfd):
    from pathlib import Path

    from medspa_kit.cli import main

    sample = Path(__file__).resolve().parent.parent / "datasets" / "sample_visits.csv"
    header_and_row = "\n".join(sample.read_text(encoding="utf-8").splitlines()[:2])
    path = write(tmp_path, header_and_row.encode() + b"\n\xff\n")  # one cell where the header has many
    assert main(["batch", str(path), "-o", str(tmp_path / "o.csv"), "-q"]) == 2
    err = capfd.readouterr().err
    assert "Exception ignored" not in err and "Traceback" not in err
    assert "is not UTF-8 text (byte 0xFF on line 3" in err
