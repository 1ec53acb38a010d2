"""Read one CSV table against its schema, reporting each bad cell with file, row and column.

Row numbers count the header as row 1, as a spreadsheet shows them. A bad row is reported and
left out; the caller decides whether any problem is fatal (the bundled catalog: yes). The file
must read whole as CSV: a quote that never closes, or stands where CSV allows none, is a
problem naming its row, and no row of the file is returned.
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from pathlib import Path
from typing import Any

from ..errors import DatasetProblem, FileError, csv_words
from ..files import RULE_TABLE_MAX_BYTES, read_text_file, reason
from .schema import Table, text_cell


def read_table(folder: Path, table: Table, problems: list[DatasetProblem]) -> list[dict[str, Any]]:
    """Parse ``folder/table.file``; a missing file, or one larger than :data:`RULE_TABLE_MAX_BYTES`,
    is one problem and no rows."""
    path = folder / table.file
    if not os.path.lexists(path):
        problems.append(DatasetProblem(table.file, None, None, "file is missing"))
        return []
    try:
        text = read_text_file(path, RULE_TABLE_MAX_BYTES)
    except FileError as err:
        problems.append(DatasetProblem(table.file, None, None, reason(err)))
        return []
    return parse_rows(text, table, problems)


def _records(reader: Any, text: str, header: list[str]) -> tuple[list[list[str]], tuple[str | None, str] | None]:
    """The records of a strict CSV reader, and what stopped it: (column, message), or None.

    The file must read whole: a quote that never closes would otherwise swallow every row
    after it into one cell, and the rows before it would be applied as if that were all.
    """
    records: list[list[str]] = []
    while True:
        first = reader.line_num + 1  # the physical line the next record starts on
        try:
            record = next(reader)
        except StopIteration:
            return records, None
        except csv.Error as err:
            if "unexpected end of data" in str(err):  # the quote opened the last cell of its first line
                lines = text.splitlines()
                cells = next(csv.reader([lines[first - 1] if first <= len(lines) else ""]), [])
                column = header[len(cells) - 1] if 0 < len(cells) <= len(header) else None
                return records, (column, "a quote opens this cell and is never closed, so nothing from here "
                                         "on can be read")
            if "field larger than field limit" in str(err):
                return records, (None, f"a cell is longer than {csv.field_size_limit():,} characters, so nothing "
                                       "from here on can be read")
            if "new-line character" in str(err):
                return records, (None, f"{csv_words(err)}, so nothing from here on can be read")
            return records, (None, f"a quote is not where CSV allows one ({err}), so nothing from here on "
                                   "can be read")
        records.append(record)


INVISIBLE = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
"""Unicode categories no cell of a rule table holds: control and format characters (a zero-width
space, a right-to-left mark), private-use, unassigned; a code holding one looks right and never
matches (a tab or a line break inside a quoted cell is allowed)"""


def invisible_problem(cell: str) -> None:
    """Raise ValueError naming the first invisible or format character of ``cell``, if any."""
    if cell.isascii() and cell.isprintable():
        return
    for ch in cell:
        if unicodedata.category(ch) in INVISIBLE and ch not in "\t\n\r":
            name = unicodedata.name(ch, "a control character")
            raise ValueError(f"{cell!r} holds an invisible character (U+{ord(ch):04X} {name}): retype it")


def parse_rows(text: str, table: Table, problems: list[DatasetProblem]) -> list[dict[str, Any]]:
    """Parse CSV text against a table's schema (also used for files a consultant uploads).

    Returns the good rows as dicts (parsed values, ``_row`` = spreadsheet row number); every
    problem found is appended to ``problems``.
    """
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = [cell.strip() for cell in next(reader, [])]
    except csv.Error as err:
        problems.append(DatasetProblem(table.file, 1, None, f"the header cannot be read as CSV ({csv_words(err)})"))
        return []
    records, broken = _records(reader, text, header)
    if broken is not None:
        problems.append(DatasetProblem(table.file, len(records) + 2, *broken))
        return []
    names = [c.name for c in table.columns]
    repeated = sorted({n for n in header if header.count(n) > 1}, key=header.index)
    for n in repeated:
        problems.append(DatasetProblem(table.file, 1, n, "the column is named twice in the header"))
    if repeated:
        return []
    missing = [n for n in names if n not in header]
    unknown = [n for n in header if n not in names]
    for n in missing:
        problems.append(DatasetProblem(table.file, 1, n, "column is missing"))
    for n in unknown:
        problems.append(DatasetProblem(table.file, 1, n, f"unknown column (expected: {', '.join(names)})"))
    if missing:
        return []
    position = {n: header.index(n) for n in names}
    out: list[dict[str, Any]] = []
    seen_keys: dict[str, int] = {}
    for i, record in enumerate(records):
        row = i + 2
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            problems.append(DatasetProblem(table.file, row, None,
                                           f"has {len(record)} cells, the header has {len(header)}"))
            continue
        good = True
        parsed: dict[str, Any] = {}
        for col in table.columns:
            cell = record[position[col.name]].strip()
            if cell == "":
                if col.required:
                    what = "no source given" if col.name == table.source_column else "empty"
                    problems.append(DatasetProblem(table.file, row, col.name, what))
                    good = False
                parsed[col.name] = None if col.parse is not text_cell else ""
                continue
            try:
                invisible_problem(cell)
                parsed[col.name] = col.parse(cell)
            except ValueError as err:
                problems.append(DatasetProblem(table.file, row, col.name, str(err)))
                good = False
        if table.key and good:
            key = parsed[table.key]
            if key in seen_keys:
                problems.append(
                    DatasetProblem(table.file, row, table.key, f"{key!r} repeats row {seen_keys[key]}")
                )
                good = False
            else:
                seen_keys[key] = row
        if good:
            parsed["_row"] = row
            out.append(parsed)
    return out
