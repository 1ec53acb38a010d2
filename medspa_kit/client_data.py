"""A consultant's own numbers: a clinic's prices and its patients' plans, from CSV files.

``client_prices.csv`` sets, per service (catalog id or billing code), the clinic's cash price and
optionally the fee schedule its payers allow (a billing code names the visit service billed under
it, else the claim line: ``64650`` is the visit of underarm Botox, ``J0585`` the drug per unit; the
id of a line service, ``sweat-gland-injection-underarms``, prices that line); ``client_plans.csv`` has the columns of
``datasets/plans.csv`` and adds or replaces plans. Every problem is reported with the file name,
the spreadsheet row and the column, and nothing is applied until the whole file is good: a
file must be UTF-8 text that reads whole as CSV (a quote that never closes is an error naming
its row, never a few rows applied and the rest swallowed into one cell).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalog import PLANS, Catalog, Column, Table, default_catalog, given_catalog, money_cell, parse_rows, with_rows
from .errors import DatasetError, DatasetProblem, FileError, ScenarioError, shortened, shown_value
from .files import RULE_TABLE_MAX_BYTES, decode, read_text_file, reason

__all__ = ["apply_prices", "apply_plans", "ClientFile", "client_files", "lines_left_at_kit_prices", "sample_folder",
           "checked_file_name"]

PRICES = Table(
    "client_prices.csv",
    (
        Column("service"),
        Column("cash_price", money_cell),
        Column("fee_schedule", money_cell, required=False),
        Column("source"),
    ),
    key="service",
)


def _text(data: str | bytes | Path, name: str) -> str:
    """The text of a file, an upload's bytes or text: UTF-8, at most ``RULE_TABLE_MAX_BYTES`` (a
    client's prices and plans are rule tables like the datasets: refused at once when larger,
    not read for a minute first)."""
    try:
        if isinstance(data, Path):
            return read_text_file(data, RULE_TABLE_MAX_BYTES)
        if isinstance(data, (bytes, bytearray, memoryview)):
            if len(data) > RULE_TABLE_MAX_BYTES:
                raise DatasetError([DatasetProblem(name, None, None, f"is larger than {RULE_TABLE_MAX_BYTES:,} "
                                                                     "bytes (a client's prices or plans are far smaller)")])
            return decode(bytes(data), name)
    except FileError as err:  # a path is named whole (a device, a folder), bytes by their name
        raise DatasetError([DatasetProblem(str(data) if isinstance(data, Path) else name, None, None,
                                           reason(err))]) from None
    if not isinstance(data, str):
        raise DatasetError([DatasetProblem(name, None, None, f"expected CSV text, bytes or a pathlib.Path, got "
                                                             f"{type(data).__name__}")])
    if len(data) > RULE_TABLE_MAX_BYTES:
        raise DatasetError([DatasetProblem(name, None, None, f"is longer than {RULE_TABLE_MAX_BYTES:,} characters "
                                                             "(a client's prices or plans are far smaller)")])
    if "," not in data and "\n" not in data.strip():  # a str is content, never a file name: say so
        raise DatasetError([DatasetProblem(name, None, None, f"the text given is not CSV with a header "
                                                             f"({shortened(repr(data), 80)}); to read a file "
                                                             "pass a pathlib.Path")])
    return data


def _file_name(name: Any, data: Any, default: str) -> str:
    """``name`` as messages show the file (:func:`checked_file_name`); when None, the path's own
    (``data`` given as a Path), else ``default``."""
    if name is None:
        return data.name if isinstance(data, Path) and data.name else default
    return checked_file_name(name)


def checked_file_name(name: Any) -> str:
    """``name``, a client file's name as messages show it: text of 1 to 200 characters, no control
    control or invisible characters (a right-to-left override would show ``\u202ecsv.exe`` as
    ``exe.vsc``); ScenarioError naming ``name`` otherwise."""
    if not isinstance(name, str) or not 1 <= len(name) <= 200 or not name.isprintable():
        raise ScenarioError.one("name", f"{shortened(shown_value(name), 60)} is no file name (1 to 200 printable "
                                        "characters, such as 'client_prices.csv')")
    return name


def _renamed(problems: list[DatasetProblem], name: str) -> list[DatasetProblem]:
    return [DatasetProblem(name, p.row, p.column, p.message) for p in problems]


def _rows(data: str | bytes | Path, name: str, table: Any, problems: list[DatasetProblem]) -> list[dict[str, Any]]:
    """The rows of a client file; a file with a header and no row is a problem (nothing to apply)."""
    rows = parse_rows(_text(data, name), table, problems)
    if not rows and not problems:
        problems.append(DatasetProblem(name, 2, None, "the file has a header and no rows under it: nothing to apply"))
    return rows


def apply_prices(data: str | bytes | Path, catalog: Catalog | None = None, name: str | None = None) -> Catalog:
    """A catalog whose cash prices (and fee schedules, where given) are the clinic's own.

    Raises
    ------
    DatasetError
        Naming the file, row and column of every problem: a cell that is no price, a service not
        in the catalog, or a service that an earlier row already prices (by the same text, or once
        by its id and once by its billing code); nothing is applied then.
    """
    cat = given_catalog(catalog)
    name = _file_name(name, data, "client_prices.csv")
    problems: list[DatasetProblem] = []
    rows = _rows(data, name, PRICES, problems)
    procedures = {r["id"]: dict(r) for r in cat.rows["procedures"]}
    priced: dict[str, dict[str, Any]] = {}  # service id → the row that prices it
    for row in rows:
        service = row["service"]
        proc = cat.procedures.get(service) or cat.procedure(service) or cat.line_procedure(service)
        if proc is None:
            problems.append(DatasetProblem(name, row["_row"], "service",
                                           f"{row['service']!r} is not a service in the catalog (use an id or code "
                                           "from `medspa-kit procedures`)"))
            continue
        first = priced.setdefault(proc.id, row)
        if first is not row:  # one service named twice, by its id and by its code: which price would hold?
            problems.append(DatasetProblem(name, row["_row"], "service",
                                           f"{row['service']!r} repeats row {first['_row']} ({first['service']!r}): "
                                           f"both are the service {proc.id}"))
            continue
        target = procedures[proc.id]
        target["cash_price"] = row["cash_price"]
        if row["fee_schedule"] is not None:
            target["fee_schedule"] = row["fee_schedule"]
        target["price_source"] = f"{name} row {row['_row']}: {row['source']}"
    if problems:
        raise DatasetError(_renamed(problems, name))
    return with_rows(cat, {"procedures": list(procedures.values())})


def apply_plans(data: str | bytes | Path, catalog: Catalog | None = None, name: str | None = None) -> Catalog:
    """A catalog with the clinic's plans added (a plan id already in plans.csv is replaced).
    ``name``: how messages and sources name the file (default: a path's file name, else
    ``client_plans.csv``)."""
    cat = given_catalog(catalog)
    name = _file_name(name, data, "client_plans.csv")
    problems: list[DatasetProblem] = []
    rows = _rows(data, name, PLANS, problems)
    if problems:
        raise DatasetError(_renamed(problems, name))
    plans: dict[str, dict[str, Any]] = {r["id"]: dict(r) for r in cat.rows["plans"]}
    # a plan a public program's payer brings (Original Medicare's, Medi-Cal's) keeps its type
    programs = {r["plan"]: r["name"] for r in cat.rows["payers"] if r["kind"] != "commercial"}
    for row in rows:
        kept = plans.get(row["id"])
        if row["id"] in programs and kept is not None and row["type"] != kept["type"]:
            problems.append(DatasetProblem(name, row["_row"], "type",
                                           f"{row['id']!r} is {programs[row['id']]}'s own plan ({kept['type']}); a "
                                           f"client plan of type {row['type']} cannot replace it: give it another id"))
        plans[row["id"]] = {**row, "source": f"{name} row {row['_row']}: {row['source']}"}
    if problems:
        raise DatasetError(_renamed(problems, name))
    try:
        return with_rows(cat, {"plans": list(plans.values())})
    except DatasetError as err:
        raise DatasetError(_renamed(err.problems, name)) from None


@dataclass(frozen=True)
class ClientFile:
    """A client's file that a catalog was built from: its kind, its name and how many of the
    catalog's rows come from it."""

    kind: str
    """``prices`` or ``plans``"""
    name: str
    rows: int

    def __str__(self) -> str:
        return f"{self.name} ({self.kind}, {self.rows} row{'s' if self.rows != 1 else ''})"


_FROM_FILE = re.compile(r"^(?P<name>.+?) row \d+: ")


def client_files(catalog: Catalog) -> list[ClientFile]:
    """The client files ``catalog`` was built from (:func:`apply_prices`, :func:`apply_plans`), in
    the order first applied: every file some price or plan still comes from, with the number of
    services or plans it set. Read from the rows' own sources (``<file> row <n>: …``), so a file
    whose every row a later file replaced is no longer listed. ``[]`` for the kit's own catalog."""
    catalog = given_catalog(catalog)
    found: dict[tuple[str, str], int] = {}
    for kind, table, column in (("prices", "procedures", "price_source"), ("plans", "plans", "source")):
        for row in catalog.rows[table]:
            match = _FROM_FILE.match(str(row.get(column) or ""))
            if match:
                key = (kind, match.group("name"))
                found[key] = found.get(key, 0) + 1
    return [ClientFile(kind, name, rows) for (kind, name), rows in found.items()]


def lines_left_at_kit_prices(catalog: Catalog) -> list[str]:
    """A note for each visit service a client file priced whose billing code also bills a claim
    line the file left at the kit's price (``64650`` prices the visit of underarm Botox, injection
    and drug together; the injection line alone, ``sweat-gland-injection-underarms``, is priced
    by its own id): a claim with lines is priced line by line, so it would not see the price."""
    catalog = given_catalog(catalog)
    notes = []
    for proc in catalog.procedures.values():
        if proc.billed_as != "visit" or not _FROM_FILE.match(proc.price_source or "") or not proc.code:
            continue
        line = catalog.procedures.get(catalog.line_codes.get(proc.code, ""))
        if line is not None and line.id != proc.id and not _FROM_FILE.match(line.price_source or ""):
            notes.append(f"{proc.code} priced the visit {proc.id}; the claim line {line.id} keeps the kit's price "
                         f"(${line.cash_price:,.2f}): add a row for {line.id} to price claims with lines too")
    return notes


def sample_folder() -> Path:
    """Where the sample client files ship (the datasets folder)."""
    return default_catalog().folder


from ._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
