"""A scenario as one row of a table, and back (SPEC §7: the batch file format).

A row names each scenario field by its dotted path (``service.code``, ``plan.oon.coinsurance``).
The two list fields, ``diagnoses`` and ``plan.covered_places_of_service``, are joined with ``;``
(a lone ``;`` is an empty list: a plan that covers no place of service).
An empty cell means the field is left out, so it takes the scenario's default (``charge`` and
``fee_schedule`` from the catalog, flags false, nothing met yet); when every ``plan.oon.*`` cell
is empty the plan has no out-of-network benefits.

Cells may be text (as read from a CSV file) or typed values (numbers, booleans, dates). Text is
read the same way everywhere: numbers in plain decimal notation, flags as true/false, yes/no or
1/0. Anything else is passed on as it is, so the scenario parser names the field and the value.

Columns without a dot that are not scenario fields (``visit_id``, ``payer``, ``source``) are
carried along and never read; a dotted name that is not a scenario field is an error.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Literal, Mapping

if TYPE_CHECKING:
    import pandas as pd

    from .model import Scenario
    from .outcome import Outcome

Kind = Literal["number", "flag", "text", "list", "date"]


@dataclass(frozen=True)
class ColumnSpec:
    """One scenario field as a column: its dotted path, how a cell is read, and whether it is required."""

    path: str
    kind: Kind
    required: bool = False


def _spec(path: str, kind: Kind, required: bool = False) -> ColumnSpec:
    return ColumnSpec(path, kind, required)


#: Every scenario field, in SPEC §7 order. ``plan.oon.*`` are required only when the block is used.
COLUMNS: tuple[ColumnSpec, ...] = (
    _spec("version", "number"),
    _spec("date_of_service", "date", True),
    _spec("service.code", "text", True),
    _spec("service.charge", "number"),
    _spec("service.fee_schedule", "number"),
    _spec("diagnoses", "list", True),
    _spec("documentation.criteria_documented", "flag"),
    _spec("documentation.prior_auth", "flag"),
    _spec("documentation.lmn", "flag"),
    _spec("documentation.referral", "flag"),
    _spec("documentation.waiver_signed", "flag"),
    _spec("provider.type", "text", True),
    _spec("provider.npi", "text"),
    _spec("provider.credentialed", "flag", True),
    _spec("facility.kind", "text", True),
    _spec("facility.place_of_service", "text"),
    _spec("facility.credentialed", "flag", True),
    _spec("facility.participating", "flag", True),
    _spec("plan.type", "text", True),
    _spec("plan.covered_places_of_service", "list"),
    _spec("plan.deductible", "number", True),
    _spec("plan.coinsurance", "number", True),
    _spec("plan.copay", "number"),
    _spec("plan.oop_max", "number", True),
    _spec("plan.oon.deductible", "number"),
    _spec("plan.oon.coinsurance", "number"),
    _spec("plan.oon.oop_max", "number"),
    _spec("plan.oon.allowed_pct", "number"),
    _spec("plan.hsa_qualified", "flag"),
    _spec("accumulators.deductible_met", "number"),
    _spec("accumulators.oop_met", "number"),
    _spec("accumulators.oon_deductible_met", "number"),
    _spec("accumulators.oon_oop_met", "number"),
    _spec("accumulators.last_treatment", "date"),
)
SPECS: dict[str, ColumnSpec] = {c.path: c for c in COLUMNS}
SCENARIO_COLUMNS: tuple[str, ...] = tuple(SPECS)
OON_COLUMNS = ("plan.oon.deductible", "plan.oon.coinsurance", "plan.oon.oop_max", "plan.oon.allowed_pct")
OON_REQUIRED = OON_COLUMNS[:3]

#: What :func:`medspa_kit.batch.evaluate_frame` returns, one column per outcome field (dollars).
RESULT_COLUMNS = ("decision", "network", "reason_group", "reason_carc", "reason_text", "charge", "allowed",
                  "deductible", "coinsurance", "copay", "plan_pays", "patient_pays", "provider_writeoff",
                  "balance_bill", "hsa_fsa", "error")
DOLLAR_COLUMNS = RESULT_COLUMNS[5:14]

DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
FLAG_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


class _Omitted:
    def __repr__(self) -> str:
        return "OMITTED"


#: A cell that leaves its field out (empty text, None, NaN).
OMITTED: Any = _Omitted()


def is_empty(raw: Any) -> bool:
    """True for the cells that leave a field out: None, NaN, NaT, pandas NA, blank text."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, float):
        return math.isnan(raw)
    kind = type(raw).__name__
    return kind in ("NAType", "NaTType") or (kind.startswith("float") and raw != raw)


def cell_value(kind: Kind, raw: Any) -> Any:
    """The JSON value a cell stands for (``OMITTED`` for an empty cell).

    Text is stripped; numbers must be plain decimals (``1100``, ``0.2``, ``1e3``); flags are
    true/false, yes/no or 1/0 in any case; lists split on ``;``. Typed numbers become floats,
    and whole numbers in a text field become text (a CSV reader may have made ``11`` a number).
    A value that cannot be read stays as it is, for the parser to reject with its own message.
    """
    if is_empty(raw):
        return OMITTED
    if isinstance(raw, str):
        text = raw.strip()
        if kind == "number":
            return float(text) if DECIMAL.fullmatch(text) else text
        if kind == "flag":
            return FLAG_WORDS.get(text.lower(), text)
        if kind == "list":
            return [item.strip() for item in text.split(";") if item.strip()]
        return text
    if type(raw).__name__ in ("bool", "bool_"):
        return bool(raw)
    if _is_number(raw):
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
    if kind == "list" and isinstance(raw, (list, tuple)):
        return list(raw)
    return raw


def _is_number(raw: Any) -> bool:
    return isinstance(raw, (int, float)) or type(raw).__module__ == "numpy" and hasattr(raw, "dtype") and (
        raw.dtype.kind in "iuf")


def check_columns(names: Iterable[str]) -> None:
    """Raise :class:`~medspa_kit.errors.ScenarioError` for a dotted column that is no scenario field."""
    from .errors import ScenarioError

    for name in names:
        if isinstance(name, str) and "." in name and name not in SPECS:
            section = name.split(".")[0]
            allowed = [c for c in SCENARIO_COLUMNS if c.startswith(section + ".")] or list(SCENARIO_COLUMNS)
            raise ScenarioError.one(name, f"unknown column (allowed: {', '.join(allowed)})")


def row_to_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    """The SPEC §7 scenario dict one row stands for (``row`` a dict or a pandas Series).

    Carried columns (no dot, not a field) are left out; a dotted column that is not a field is
    kept, so the parser reports it as an unknown field.
    """
    data: dict[str, Any] = {}
    for name, raw in row.items():
        spec = SPECS.get(name)
        if spec is None:
            if isinstance(name, str) and "." in name and not is_empty(raw):
                _put(data, name, raw)
            continue
        value = cell_value(spec.kind, raw)
        if value is not OMITTED:
            _put(data, name, value)
    return data


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def scenario_to_row(scenario: "Scenario | Mapping[str, Any]") -> dict[str, Any]:
    """One row of dotted columns for a scenario (or a scenario-shaped dict, not validated)."""
    data = scenario.to_dict() if hasattr(scenario, "to_dict") else scenario
    row: dict[str, Any] = {}
    _flatten(data, "", row)
    return row


def _flatten(node: Mapping[str, Any], prefix: str, row: dict[str, Any]) -> None:
    for key, value in node.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            _flatten(value, path + ".", row)
        elif isinstance(value, (list, tuple)):
            row[path] = ";".join(str(item) for item in value) if value else ";"  # ";" is the empty list
        elif value is not None:
            row[path] = value


def scenarios_to_frame(scenarios: Iterable["Scenario | Mapping[str, Any]"]) -> "pd.DataFrame":
    """A table with one row per scenario and every scenario column (empty where left out).

    Flags become pandas' nullable ``boolean`` columns and amounts ``float64`` (NaN where left
    out), unless a column holds something else, which is then kept as it is.
    """
    import pandas as pd

    rows = [scenario_to_row(s) for s in scenarios]
    extra = sorted({name for row in rows for name in row} - set(SCENARIO_COLUMNS))
    frame = pd.DataFrame.from_records(rows, columns=list(SCENARIO_COLUMNS) + extra)
    for spec in COLUMNS:
        column = frame[spec.path]
        if spec.kind == "flag" and column.dtype == object and all(type(v) is bool or is_empty(v) for v in column):
            frame[spec.path] = column.astype("boolean")
        elif spec.kind == "number" and column.dtype == object and column.isna().all():
            frame[spec.path] = column.astype("float64")
    return frame


def outcome_to_row(outcome: "Outcome") -> dict[str, Any]:
    """The result columns of one outcome, as :func:`~medspa_kit.batch.evaluate_frame` writes them."""
    reason = outcome.primary_reason
    row: dict[str, Any] = {
        "decision": outcome.decision,
        "network": outcome.network,
        "reason_group": reason.group if reason else None,
        "reason_carc": reason.carc if reason else None,
        "reason_text": reason.text if reason else None,
    }
    row.update(outcome.cost.to_dict())
    row["hsa_fsa"] = outcome.hsa_fsa.status
    row["error"] = None
    return row
