"""A scenario as one row of a table, and back (the batch file format, docs/scenario.md).

A row names each scenario field by its dotted path (``service.code``, ``plan.oon.coinsurance``).
The two list fields, ``diagnoses`` and ``plan.covered_places_of_service``, are joined with ``;``
(a lone ``;`` is an empty list: a plan that covers no place of service).
An empty cell means the field is left out, so it takes the scenario's default (``charge`` and
``fee_schedule`` from the catalog, flags false, nothing met yet); when every ``plan.oon.*`` cell
is empty the plan has no out-of-network benefits.

Cells may be text (as read from a CSV file) or typed values (numbers, booleans, dates). Text is
read by :func:`medspa_kit.fields.read_text`, the same reader as every other face. Anything that
cannot be read is passed on as it is, so the scenario parser names the field and the value.

The columns, their kinds, which are required and their defaults are read off the scenario model
(:class:`medspa_kit.model.Scenario`): a field added there is a column here.

Columns without a dot that are not scenario fields (``visit_id``, ``insurer``, ``source``) are
carried along and never read; a dotted name that is not a scenario field is an error.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
import typing
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

from pydantic import BaseModel

from .errors import ScenarioError
from .fields import EMPTY_WORDS, OMITTED, Kind, KindName, plain, read_text, write_history
from .model import Line, OutOfNetwork, Scenario
from .vocabulary import COST_FIELDS

if TYPE_CHECKING:
    import pandas as pd

    from .outcome import Outcome


@dataclass(frozen=True)
class ColumnSpec:
    """One scenario field as a column: its dotted path, how a cell is read, whether it is
    required, and its default (``OMITTED`` when the field has none)."""

    path: str
    kind: KindName
    required: bool = False
    default: Any = OMITTED
    unit: str = ""
    """numbers: ``dollars`` or ``fraction``"""


def _kind(annotation: Any) -> Kind | None:
    """The :class:`~medspa_kit.fields.Kind` an annotation carries (enumerations are text)."""
    for item in getattr(annotation, "__metadata__", ()):
        if isinstance(item, Kind):
            return item
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return Kind("text")
    for arg in typing.get_args(annotation):
        found = _kind(arg)
        if found:
            return found
    return None


def _block(annotation: Any) -> type[BaseModel] | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _repeated(annotation: Any) -> bool:
    """A list of blocks (``lines``): one per row of a table, not a column."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is tuple and any(_block(a) for a in typing.get_args(candidate)):
            return True
    return False


def _walk(model: type[BaseModel], prefix: str, required: bool,
          required_blocks: tuple[str, ...] = ()) -> Iterator[ColumnSpec]:
    for name, info in model.model_fields.items():
        path = prefix + name
        marked = next((m for m in info.metadata if isinstance(m, Kind)), None)
        if _repeated(info.annotation) and marked is None:  # a list of blocks with no cell form (lines)
            continue
        block = _block(info.annotation)
        if block is not None:
            yield from _walk(block, path + ".", required and (info.is_required() or name in required_blocks))
            continue
        kind = next((m for m in info.metadata if isinstance(m, Kind)), None) or _kind(info.annotation)
        if kind is None:
            raise TypeError(f"{path}: the model gives no Kind for this field")
        default = OMITTED if info.is_required() or info.default is None else info.default
        yield ColumnSpec(path, kind.name, required and info.is_required(), default, kind.unit)


#: Every scenario field, in the order of the scenario file. ``plan.oon.*`` are required only
#: when the block is used.
COLUMNS: tuple[ColumnSpec, ...] = tuple(_walk(Scenario, "", True, ("service",)))
"""(a row of a version 1 table is a claim of one ``service``, which it must give)"""
SPECS: dict[str, ColumnSpec] = {c.path: c for c in COLUMNS}
SCENARIO_COLUMNS: tuple[str, ...] = tuple(SPECS)
OON_COLUMNS = tuple(path for path in SCENARIO_COLUMNS if path.startswith("plan.oon."))
OON_REQUIRED = tuple(c.path for c in _walk(OutOfNetwork, "plan.oon.", True) if c.required)
"""the out-of-network fields a row must fill once it fills any of them"""
LINE_COLUMNS: tuple[ColumnSpec, ...] = tuple(_walk(Line, "line.", True))
"""a claim line's fields, one row per line (version 2 tables: rows share a ``claim_id``)"""
LINE_SPECS: dict[str, ColumnSpec] = {c.path: c for c in LINE_COLUMNS}

#: What :func:`medspa_kit.batch.evaluate_frame` returns, one column per outcome field (dollars).
DOLLAR_COLUMNS = COST_FIELDS
CLAIM_RESULT_COLUMNS = ("claim_decision",)
"""the result column a table of claims adds before RESULT_COLUMNS (the claim's decision, on each line)"""
RESULT_COLUMNS = ("decision", "network", "reason_group", "reason_carc", "reason_text", "reason_rarc",
                  *DOLLAR_COLUMNS, "hsa_fsa", "warning", "error")


def is_empty(raw: Any) -> bool:
    """True for the cells that leave a field out: None, NaN, NaT, pandas NA, blank text."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return raw.strip().lower() in EMPTY_WORDS
    if isinstance(raw, float):
        return math.isnan(raw)
    kind = type(raw).__name__
    return kind in ("NAType", "NaTType") or (kind.startswith("float") and raw != raw)


def cell_value(kind: KindName, raw: Any) -> Any:
    """The JSON value a cell stands for (``OMITTED`` for an empty cell).

    Text is read by :func:`medspa_kit.fields.read_text`. Typed numbers become floats, and whole
    numbers in a text field become text (a CSV reader may have made ``11`` a number). A value
    that cannot be read stays as it is, for the parser to reject with its own message.
    """
    if isinstance(raw, str):
        return read_text(kind, raw)
    if kind not in ("list", "history") and type(raw).__module__ == "numpy" and getattr(raw, "ndim", 0):
        raw = raw.tolist()  # a Parquet list cell where one value goes: the list it holds, for the parser to name
    if is_empty(raw):
        return OMITTED
    if type(raw).__name__ in ("bool", "bool_"):
        return bool(raw)
    if isinstance(raw, Decimal):
        raw = plain(raw)  # a float, or an OutOfRange the parser names as written
        if not isinstance(raw, float):
            return raw
    if _is_number(raw):
        raw = plain(raw)
        if isinstance(raw, int) and abs(raw) > 2**53:
            return raw  # too large for a float: the parser refuses it by name
        value = float(raw)
        if kind == "flag" and value in (0.0, 1.0):
            return value == 1.0
        if kind == "text" and value.is_integer():
            return str(int(value))
        return value
    if kind == "date":
        if hasattr(raw, "to_pydatetime"):  # a pandas Timestamp
            raw = raw.to_pydatetime()
        if isinstance(raw, dt.datetime) and raw.time() == dt.time(0) and raw.tzinfo is None:
            return raw.date().isoformat()
        if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            return raw.isoformat()
    if kind in ("list", "history") and isinstance(raw, (list, tuple)):
        return list(raw) or OMITTED  # an empty list cell (Parquet writes them) is an empty cell
    return raw


def _is_number(raw: Any) -> bool:
    """A Python or numpy number (a numpy scalar: an array of numbers is a list of them, no number)."""
    return isinstance(raw, (int, float)) or type(raw).__module__ == "numpy" and hasattr(raw, "dtype") and (
        raw.dtype.kind in "iuf") and getattr(raw, "ndim", 0) == 0


SCENARIO_PARTS = frozenset({c.split(".")[0] for c in (*SCENARIO_COLUMNS, *LINE_SPECS) if "." in c} | {"lines"})
"""the scenario's parts (``plan``, ``service``, ``lines``, …): no column's name, since each is given
as the columns of its fields"""


def check_columns(names: Iterable[str], claims: bool = False) -> None:
    """Raise :class:`~medspa_kit.errors.ScenarioError` for a dotted column that is no field of the table.

    ``claims``: a table of claims with lines (``claim_id``): ``line.*`` columns, no ``service.*``.
    """
    names = list(names)
    for name in names:
        if isinstance(name, str) and name in SCENARIO_PARTS:  # carried silently, it would read as nothing
            prefix = "line." if name == "lines" else name + "."
            example = next(c for c in (*SCENARIO_COLUMNS, *LINE_SPECS) if c.startswith(prefix))
            raise ScenarioError.one(name, f"a part of the scenario, not one column: give each of its fields as a "
                                          f"column of its own, such as {example}"
                                          + (" (one row per line, with claim_id)" if name.startswith("line") else ""))
        if not isinstance(name, str) or "." not in name:
            continue
        if claims and name.startswith("service."):
            raise ScenarioError.one(name, "a table of claims (with claim_id) gives each line as line.* columns "
                                          "(line.code, line.units, …), not service.*")
        if not claims and name in LINE_SPECS:
            raise ScenarioError.one(name, "line.* columns need a claim_id column (one row per line of a claim)")
        if name not in SPECS and name not in LINE_SPECS:
            section = name.split(".")[0]
            fields = list(SCENARIO_COLUMNS) + list(LINE_SPECS)
            allowed = [c for c in fields if c.startswith(section + ".")] or fields
            raise ScenarioError.one(name, f"unknown column (allowed: {', '.join(allowed)})")


def row_to_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario dict one row stands for (``row`` a dict or a pandas Series).

    Carried columns (no dot, not a field) are left out; a dotted column that is not a field is
    kept, so the parser reports it as an unknown field.
    """
    data: dict[str, Any] = {}
    for name, raw in row.items():
        spec = SPECS.get(name)
        if spec is None:
            if isinstance(name, str) and "." in name and not is_empty(raw) and name not in LINE_SPECS:
                _put(data, name, raw)
            continue
        value = cell_value(spec.kind, raw)
        if value is not OMITTED:
            _put(data, name, value)
    return data


def claim_to_dict(rows: list[Mapping[str, Any]]) -> dict[str, Any]:
    """The version 2 scenario dict the rows of one claim stand for (one row per line, in order).

    The claim's fields are read from its first row (the table's reader checks that its rows
    agree); each row's ``line.*`` cells make one line. The version is 2 unless a cell says so.
    """
    data = row_to_dict(rows[0])
    data.setdefault("version", 2)
    lines = []
    for row in rows:
        line: dict[str, Any] = {}
        for name, raw in row.items():
            spec = LINE_SPECS.get(name)
            if spec is not None:
                value = cell_value(spec.kind, raw)
                if value is not OMITTED:
                    line[name[len("line."):]] = value
        lines.append(line)
    data["lines"] = lines
    return data


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def scenario_to_row(scenario: "Scenario | Mapping[str, Any]") -> dict[str, Any]:
    """One row of dotted columns for a version 1 scenario (or a scenario-shaped dict, not validated)."""
    data = scenario.to_dict() if hasattr(scenario, "to_dict") else scenario
    row: dict[str, Any] = {}
    _flatten(data, "", row)
    return row


def scenario_to_rows(scenario: "Scenario | Mapping[str, Any]", claim_id: Any) -> list[dict[str, Any]]:
    """One row per line of a version 2 scenario: the claim's columns repeated, then ``line.*``."""
    data = dict(scenario.to_dict() if hasattr(scenario, "to_dict") else scenario)
    lines = data.pop("lines", None) or []
    claim = {"claim_id": claim_id, **scenario_to_row(data)}
    rows = []
    for line in lines:
        row = dict(claim)
        _flatten(line, "line.", row)
        rows.append(row)
    return rows


def _flatten(node: Mapping[str, Any], prefix: str, row: dict[str, Any]) -> None:
    for key, value in node.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            _flatten(value, path + ".", row)
        elif isinstance(value, (list, tuple)) and value and isinstance(value[0], Mapping):  # a history
            row[path] = write_history(value)
        elif isinstance(value, (list, tuple)):
            row[path] = ";".join(str(item) for item in value) if value else ";"  # ";" is the empty list
        elif value is not None:
            row[path] = value


def scenarios_to_frame(scenarios: Iterable["Scenario | Mapping[str, Any]"]) -> "pd.DataFrame":
    """A table of scenarios, every scenario column present (empty where left out).

    Version 1 scenarios give one row each. When any scenario has ``lines``, the table is one of
    claims: a ``claim_id`` column (0, 1, …) and one row per line (``line.*`` columns). Flags become
    pandas' nullable ``boolean`` columns and amounts ``float64`` (NaN where left out), unless a
    column holds something else, which is then kept as it is.
    """
    import pandas as pd

    items = list(scenarios)
    data = [s.to_dict() if hasattr(s, "to_dict") else s for s in items]
    claims = any("lines" in d for d in data)
    if claims:
        if any("service" in d for d in data):
            raise ScenarioError.one("service", "a table of claims with lines cannot hold a version 1 service: "
                                               "give that scenario as lines")
        rows = [row for i, d in enumerate(data) for row in scenario_to_rows(d, i)]
        fields = ["claim_id"] + [c for c in SCENARIO_COLUMNS if not c.startswith("service.")] + list(LINE_SPECS)
    else:
        rows = [scenario_to_row(d) for d in data]
        fields = list(SCENARIO_COLUMNS)
    extra = sorted({name for row in rows for name in row} - set(fields))
    frame = pd.DataFrame.from_records(rows, columns=fields + extra)
    for spec in COLUMNS + LINE_COLUMNS:
        if spec.path not in frame.columns:
            continue
        column = frame[spec.path]
        if spec.kind == "flag" and column.dtype == object and all(type(v) is bool or is_empty(v) for v in column):
            frame[spec.path] = column.astype("boolean")
        elif spec.kind == "number" and column.dtype == object and column.isna().all():
            frame[spec.path] = column.astype("float64")
    return frame


def outcome_to_row(outcome: "Outcome", line: int | None = None) -> dict[str, Any]:
    """The result columns of one outcome, as :func:`~medspa_kit.batch.evaluate_frame` writes them.

    ``line``: the results of that line of the claim (from 0), for a table of claims with lines.
    """
    if line is not None:
        part = outcome.lines[line]
        reason, decision, cost, hsa = part.reason, part.decision, part.cost, part.hsa_fsa
    else:
        reason, decision, cost, hsa = outcome.primary_reason, outcome.decision, outcome.cost, outcome.hsa_fsa
    row: dict[str, Any] = {
        "decision": decision,
        "network": outcome.network,
        "reason_group": reason.group if reason else None,
        "reason_carc": reason.carc if reason else None,
        "reason_text": reason.text if reason else None,
        "reason_rarc": reason.rarc if reason and reason.rarc else None,
    }
    row.update(cost.to_dict())
    row["hsa_fsa"] = hsa.status
    row["warning"] = "; ".join(outcome.warnings) or None
    row["error"] = None
    return row
