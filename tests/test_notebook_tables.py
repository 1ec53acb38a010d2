"""Every dollar table stored in a notebook adds up: plan pays + patient pays + clinic writes off = charge.

A table that shows what the plan and the patient pay also shows the charge and the write-off, so a
trainee never meets numbers that seem to lose money. (A balance bill is part of what the patient pays.)
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
PARTS = ("plan pays", "patient pays", "clinic writes off")


class _Tables(HTMLParser):
    """The text of every table in an HTML output: a list of rows of cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[-1].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _cents(text: str) -> int:
    return round(float(text.replace("$", "").replace(",", "").replace("−", "-")) * 100)


def dollar_tables(path: Path):
    """(cell index, header, rows) of every stored table with a plan-pays and a patient-pays column."""
    for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        for output in cell.get("outputs", []):
            html = "".join(output.get("data", {}).get("text/html", []))
            if "<table" not in html:
                continue
            parser = _Tables()
            parser.feed(html)
            for table in parser.tables:
                header = [h.lower() for h in table[0]] if table else []
                if "plan pays" in header and "patient pays" in header:
                    # the index's own header row ("scenario", then blanks) holds no dollars
                    yield index, header, [r for r in table[1:] if len(r) == len(header) and "$" in "".join(r)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_dollar_table_adds_up_to_the_charge(path):
    for index, header, rows in dollar_tables(path):
        where = f"{path.name}, cell {index}"
        missing = [c for c in ("charge", *PARTS) if c not in header]
        assert not missing, f"{where}: the table shows plan and patient but not {missing}"
        for row in rows:
            value = dict(zip(header, row))
            # a cash price's discount is no write-off: it is its own column where a table has one
            parts = sum(_cents(value[c]) for c in (*PARTS, "cash discount") if c in value)
            assert parts == _cents(value["charge"]), f"{where}: {row} does not add up to the charge"


def test_the_tables_are_found():
    assert sum(1 for p in NOTEBOOKS for _ in dollar_tables(p)) >= 10
