"""The rule tables: ``datasets/*.csv`` loaded, checked and indexed.

Every table is read once, checked against its schema (each problem names file, spreadsheet row
and column), and kept as parsed rows: indexed in dicts and small frozen records for the scalar
path, and as pandas DataFrames (built on first use) for the vectorized batch path. Both paths
read these same rows. Loading does not import pandas, so a notebook's first answer comes fast.

Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

if TYPE_CHECKING:
    import pandas as pd

from .codes import icd_problem, normalize_icd, npi_problem
from .errors import DatasetError, DatasetProblem

PROVIDER_TYPES = ("MD", "DO", "NP", "PA", "RN", "aesthetician")
FACILITY_KINDS = ("medical_clinic", "med_spa", "day_spa")
PLAN_TYPES = ("HMO", "EPO", "PPO", "POS", "HDHP")
NO_OON_PLAN_TYPES = ("HMO", "EPO")
"""plan types that pay nothing out of network (FACTS §5.2)"""


# --------------------------------------------------------------------------------------------
# Cell parsers: each returns the parsed value or raises ValueError with a short reason.


def _text(cell: str) -> str:
    return cell


def _bool(cell: str) -> bool:
    low = cell.strip().lower()
    if low in ("true", "yes", "1"):
        return True
    if low in ("false", "no", "0"):
        return False
    raise ValueError(f"{cell!r} is not true or false")


def _checked_number(what: str, check: Callable[[float], str | None]) -> Callable[[str], float]:
    def parse(cell: str) -> float:
        try:
            value = float(cell)
        except ValueError:
            raise ValueError(f"{cell!r} is not {what}") from None
        problem = check(value)
        if problem:
            raise ValueError(problem)
        return value

    return parse


def _money(cell: str) -> float:
    return _checked_number("a dollar amount", money_problem)(cell)


def _rate(cell: str) -> float:
    return _checked_number("a rate", rate_problem)(cell)


def _days(cell: str) -> int:
    try:
        value = int(cell)
    except ValueError:
        raise ValueError(f"{cell!r} is not a whole number of days") from None
    if value < 0:
        raise ValueError(f"{value} is negative")
    return value


def _date(cell: str) -> dt.date:
    try:
        return dt.date.fromisoformat(cell.strip())
    except ValueError:
        raise ValueError(f"{cell!r} is not an ISO date (YYYY-MM-DD)") from None


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(cell: str) -> str:
        if cell not in allowed:
            raise ValueError(f"{cell!r} is not one of {', '.join(allowed)}")
        return cell

    return parse


def _npi(cell: str) -> str:
    problem = npi_problem(cell)
    if problem:
        raise ValueError(problem)
    return cell.strip()


def _pos_list(cell: str) -> tuple[str, ...]:
    items = tuple(p.strip() for p in cell.split(";") if p.strip())
    if not items:
        raise ValueError("no place of service listed")
    return items


def money_problem(value: float) -> str | None:
    """Why ``value`` is not a valid dollar amount (None when it is). Shared by every path."""
    if value != value or value in (float("inf"), float("-inf")):
        return f"{value} is not a number"
    if value < 0:
        return f"{value:g} is negative"
    if abs(value * 100 - round(value * 100)) > 1e-6:
        return f"{value!r} has a fraction of a cent"
    if value > 10_000_000:
        return f"{value:g} is more than $10,000,000"
    return None


def rate_problem(value: float) -> str | None:
    """Why ``value`` is not a rate between 0 and 1 (None when it is). Shared by every path."""
    if value != value:
        return "not a number"
    if not 0 <= value <= 1:
        return f"{value:g} is not a rate between 0 and 1 (write 20% as 0.2)"
    if abs(value * 1_000_000 - round(value * 1_000_000)) > 1e-3:
        return f"{value!r} has more than 6 decimal places"
    return None


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], Any] = _text
    required: bool = True


@dataclass(frozen=True)
class Table:
    file: str
    columns: tuple[Column, ...]
    key: str | None = None
    source_column: str | None = "source"


def _cols(*spec: Column) -> tuple[Column, ...]:
    return spec


TABLES: dict[str, Table] = {
    "procedures": Table(
        "procedures.csv",
        _cols(
            Column("id"),
            Column("name"),
            Column("code", required=False),
            Column("category"),
            Column("cosmetic_by_default", _bool),
            Column("dual_purpose", _bool),
            Column("cash_price", _money),
            Column("fee_schedule", _money, required=False),
            Column("description"),
            Column("source"),
            Column("price_source"),
        ),
        key="id",
    ),
    "diagnoses": Table(
        "diagnoses.csv",
        _cols(Column("code"), Column("name"), Column("group"), Column("source")),
        key="code",
    ),
    "coverage_policies": Table(
        "coverage_policies.csv",
        _cols(
            Column("procedure"),
            Column("diagnosis"),
            Column("with_diagnosis", required=False),
            Column("criteria"),
            Column("prior_auth", _bool),
            Column("min_interval_days", _days, required=False),
            Column("source"),
            Column("as_of", _date),
        ),
    ),
    "reason_codes": Table(
        "reason_codes.csv",
        _cols(Column("carc"), Column("name"), Column("plain"), Column("source")),
        key="carc",
    ),
    "plans": Table(
        "plans.csv",
        _cols(
            Column("id"),
            Column("name"),
            Column("type", _choice(*PLAN_TYPES)),
            Column("deductible", _money),
            Column("coinsurance", _rate),
            Column("copay", _money),
            Column("oop_max", _money),
            Column("covered_places_of_service", _pos_list),
            Column("oon_deductible", _money, required=False),
            Column("oon_coinsurance", _rate, required=False),
            Column("oon_oop_max", _money, required=False),
            Column("oon_allowed_pct", _rate, required=False),
            Column("hsa_qualified", _bool),
            Column("source"),
        ),
        key="id",
    ),
    "providers": Table(
        "providers.csv",
        _cols(
            Column("id"),
            Column("name"),
            Column("type", _choice(*PROVIDER_TYPES)),
            Column("npi", _npi, required=False),
            Column("credentialed", _bool),
            Column("specialty"),
            Column("source"),
        ),
        key="id",
    ),
    "facilities": Table(
        "facilities.csv",
        _cols(
            Column("id"),
            Column("name"),
            Column("kind", _choice(*FACILITY_KINDS)),
            Column("place_of_service"),
            Column("credentialed", _bool),
            Column("participating", _bool),
            Column("source"),
        ),
        key="id",
    ),
    "provider_types": Table(
        "provider_types.csv",
        _cols(Column("type", _choice(*PROVIDER_TYPES)), Column("name"), Column("can_bill", _bool), Column("source")),
        key="type",
    ),
    "facility_kinds": Table(
        "facility_kinds.csv",
        _cols(
            Column("kind", _choice(*FACILITY_KINDS)),
            Column("name"),
            Column("medical", _bool),
            Column("default_place_of_service"),
            Column("source"),
        ),
        key="kind",
    ),
    "places_of_service": Table(
        "places_of_service.csv",
        _cols(Column("code"), Column("name"), Column("rate", _choice("facility", "non-facility")), Column("source")),
        key="code",
    ),
    "cosmetic_diagnoses": Table(
        "cosmetic_diagnoses.csv", _cols(Column("prefix"), Column("name"), Column("source")), key="prefix"
    ),
    "hsa_exceptions": Table(
        "hsa_exceptions.csv", _cols(Column("prefix"), Column("reason"), Column("source")), key="prefix"
    ),
    "financing_offers": Table(
        "financing_offers.csv",
        _cols(
            Column("id"),
            Column("name"),
            Column("kind", _choice("deferred_interest", "installment")),
            Column("promo_months", _days),
            Column("apr", _rate),
            Column("min_purchase", _money),
            Column("min_payment", _money, required=False),
            Column("source"),
            Column("as_of", _date),
        ),
        key="id",
    ),
    "tax_limits": Table(
        "tax_limits.csv",
        _cols(
            Column("year", _days),
            Column("item", _choice("hsa_self", "hsa_family", "hsa_catch_up", "fsa", "fsa_carryover")),
            Column("amount", _money),
            Column("source"),
        ),
    ),
    "presets": Table(
        "presets.csv",
        _cols(Column("name"), Column("title"), Column("teaches"), Column("source")),
        key="name",
    ),
}


# --------------------------------------------------------------------------------------------
# Records used by the scalar path.


@dataclass(frozen=True)
class Procedure:
    id: str
    name: str
    code: str
    category: str
    cosmetic_by_default: bool
    dual_purpose: bool
    cash_price: float
    fee_schedule: float | None
    description: str
    source: str
    price_source: str
    row: int

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name


@dataclass(frozen=True)
class Policy:
    """One coverage policy row: this procedure is medically necessary for this diagnosis."""

    index: int
    procedure: str
    diagnosis: str
    with_diagnosis: str
    criteria: str
    prior_auth: bool
    min_interval_days: int | None
    source: str
    as_of: dt.date
    row: int

    def matches(self, diagnoses: Iterable[str]) -> bool:
        codes = tuple(diagnoses)
        if not any(code.startswith(self.diagnosis) for code in codes):
            return False
        return not self.with_diagnosis or any(code.startswith(self.with_diagnosis) for code in codes)

    @property
    def cite(self) -> str:
        return f"coverage_policies.csv row {self.row}: {self.source}"


@dataclass(frozen=True)
class Reason:
    carc: str
    name: str
    plain: str
    source: str


@dataclass(frozen=True)
class Catalog:
    """All rule tables of one datasets folder, checked and indexed."""

    folder: Path
    rows: dict[str, tuple[dict[str, Any], ...]] = field(repr=False)
    """table name → parsed rows (each with its spreadsheet row number under ``_row``)"""
    frames: "Frames" = field(repr=False)
    """table name → DataFrame of the same rows (built on first access)"""
    procedures: dict[str, Procedure] = field(repr=False)
    policies: tuple[Policy, ...] = field(repr=False)
    reasons: dict[str, Reason] = field(repr=False)
    codes: dict[str, str] = field(repr=False)
    """Billing code → procedure id, for codes that name exactly one procedure."""
    _by_procedure: dict[str, tuple[Policy, ...]] = field(repr=False)
    _records: dict[str, dict[str, dict[str, Any]]] = field(repr=False)

    def procedure(self, code_or_id: str) -> Procedure | None:
        """The procedure a scenario's ``service.code`` names: a procedure id or a billing code."""
        if code_or_id in self.procedures:
            return self.procedures[code_or_id]
        found = self.codes.get(code_or_id)
        return self.procedures[found] if found else None

    def policies_for(self, procedure_id: str) -> tuple[Policy, ...]:
        return self._by_procedure.get(procedure_id, ())

    def matching_policy(self, procedure_id: str, diagnoses: Iterable[str]) -> Policy | None:
        """The first policy row (file order) for this procedure that the diagnoses satisfy."""
        codes = tuple(diagnoses)
        for policy in self.policies_for(procedure_id):
            if policy.matches(codes):
                return policy
        return None

    @property
    def known_diagnoses(self) -> frozenset[str]:
        return frozenset(self._records["diagnoses"])

    def diagnosis_name(self, code: str) -> str:
        row = self._records["diagnoses"].get(code)
        return row["name"] if row else ""

    def table(self, name: str) -> "pd.DataFrame":
        return self.frames[name]

    def record(self, name: str, key: str) -> dict[str, Any] | None:
        """One row of a keyed table as a dict (plans, providers, facilities, …), or None."""
        return self._records[name].get(key)

    def records(self, name: str) -> dict[str, dict[str, Any]]:
        return dict(self._records[name])

    def can_bill(self, provider_type: str) -> bool:
        return bool(self._records["provider_types"][provider_type]["can_bill"])

    def is_medical_site(self, kind: str) -> bool:
        return bool(self._records["facility_kinds"][kind]["medical"])

    def cosmetic_match(self, diagnoses: Iterable[str]) -> dict[str, Any] | None:
        """The cosmetic-encounter row (Z41.x) one of the diagnoses falls under, or None."""
        return _first_prefix(self._records["cosmetic_diagnoses"], diagnoses)

    def hsa_exception(self, diagnoses: Iterable[str]) -> dict[str, Any] | None:
        """The IRS cosmetic-exception row (congenital, injury, disfiguring disease) that applies."""
        return _first_prefix(self._records["hsa_exceptions"], diagnoses)

    @property
    def places_of_service(self) -> frozenset[str]:
        return frozenset(self._records["places_of_service"])

    def plan(self, plan_id: str) -> dict[str, Any]:
        """A row of plans.csv in the scenario's ``plan`` shape (SPEC §7)."""
        row = self._records["plans"].get(plan_id)
        if row is None:
            raise KeyError(f"{plan_id!r} is not a plan in plans.csv")
        oon = None
        if row["oon_deductible"] is not None:
            oon = {"deductible": row["oon_deductible"], "coinsurance": row["oon_coinsurance"],
                   "oop_max": row["oon_oop_max"], "allowed_pct": row["oon_allowed_pct"]}
        plan = {"type": row["type"], "covered_places_of_service": list(row["covered_places_of_service"]),
                "deductible": row["deductible"], "coinsurance": row["coinsurance"], "copay": row["copay"],
                "oop_max": row["oop_max"], "oon": oon, "hsa_qualified": row["hsa_qualified"]}
        return plan


class Frames(Mapping):
    """Read-only mapping of table name → DataFrame, each built once from the parsed rows."""

    def __init__(self, rows: dict[str, tuple[dict[str, Any], ...]]):
        self._rows = rows
        self._built: dict[str, "pd.DataFrame"] = {}

    def __getitem__(self, name: str) -> "pd.DataFrame":
        if name not in self._built:
            import pandas as pd

            columns = [c.name for c in TABLES[name].columns] + ["_row"] if name in TABLES else None
            self._built[name] = pd.DataFrame(list(self._rows[name]), columns=columns)
        return self._built[name].copy()

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def _first_prefix(rows: dict[str, dict[str, Any]], diagnoses: Iterable[str]) -> dict[str, Any] | None:
    for code in diagnoses:
        for prefix, row in rows.items():
            if code.startswith(prefix):
                return {**row, "code": code}
    return None


def _unique_codes(procedures: dict[str, Procedure]) -> dict[str, str]:
    seen: dict[str, list[str]] = {}
    for proc in procedures.values():
        if proc.code:
            seen.setdefault(proc.code, []).append(proc.id)
    return {code: ids[0] for code, ids in seen.items() if len(ids) == 1}


# --------------------------------------------------------------------------------------------
# Loading and checking.


def datasets_folder() -> Path:
    """Where the bundled datasets live: inside the installed package, else beside it."""
    override = os.environ.get("MEDSPA_KIT_DATASETS")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    inside = here / "datasets"
    if inside.is_dir():
        return inside
    return here.parent / "datasets"


def _read(folder: Path, table: Table, problems: list[DatasetProblem]) -> list[dict[str, Any]]:
    """Parse one CSV of a datasets folder against its schema; bad rows are reported, left out."""
    path = folder / table.file
    if not path.is_file():
        problems.append(DatasetProblem(table.file, None, None, "file is missing"))
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return parse_rows(handle.read(), table, problems)


def parse_rows(text: str, table: Table, problems: list[DatasetProblem]) -> list[dict[str, Any]]:
    """Parse CSV text against a table's schema (also used for files a consultant uploads)."""
    import io

    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [cell.strip() for cell in next(reader, [])]
    records = list(reader)
    names = [c.name for c in table.columns]
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
                parsed[col.name] = None if col.parse is not _text else ""
                continue
            try:
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


def _build(folder: Path, problems: list[DatasetProblem]) -> Catalog:
    rows = {name: _read(folder, table, problems) for name, table in TABLES.items()}
    return _assemble(folder, rows)


def _assemble(folder: Path, rows: dict[str, list[dict[str, Any]]]) -> Catalog:
    rows = {name: [dict(r) for r in table] for name, table in rows.items()}
    for r in rows["diagnoses"]:
        r["code"] = normalize_icd(r["code"])
    for r in rows["coverage_policies"]:
        r["diagnosis"] = normalize_icd(r["diagnosis"])
        r["with_diagnosis"] = normalize_icd(r["with_diagnosis"]) if r["with_diagnosis"] else ""
    procedures = {
        r["id"]: Procedure(
            id=r["id"],
            name=r["name"],
            code=r["code"] or "",
            category=r["category"],
            cosmetic_by_default=bool(r["cosmetic_by_default"]),
            dual_purpose=bool(r["dual_purpose"]),
            cash_price=float(r["cash_price"]),
            fee_schedule=None if r["fee_schedule"] is None else float(r["fee_schedule"]),
            description=r["description"],
            source=r["source"],
            price_source=r["price_source"],
            row=r["_row"],
        )
        for r in rows["procedures"]
    }
    policies = tuple(
        Policy(
            index=i,
            procedure=r["procedure"],
            diagnosis=r["diagnosis"],
            with_diagnosis=r["with_diagnosis"],
            criteria=r["criteria"],
            prior_auth=bool(r["prior_auth"]),
            min_interval_days=r["min_interval_days"],
            source=r["source"],
            as_of=r["as_of"],
            row=r["_row"],
        )
        for i, r in enumerate(rows["coverage_policies"])
    )
    reasons = {r["carc"]: Reason(r["carc"], r["name"], r["plain"], r["source"]) for r in rows["reason_codes"]}
    by_procedure: dict[str, list[Policy]] = {}
    for policy in policies:
        by_procedure.setdefault(policy.procedure, []).append(policy)
    frozen = {name: tuple(table) for name, table in rows.items()}
    records = {
        name: {str(row[TABLES[name].key]): row for row in table}
        for name, table in frozen.items()
        if TABLES[name].key
    }
    return Catalog(
        folder=folder,
        rows=frozen,
        frames=Frames(frozen),
        procedures=procedures,
        policies=policies,
        reasons=reasons,
        codes=_unique_codes(procedures),
        _by_procedure={k: tuple(v) for k, v in by_procedure.items()},
        _records=records,
    )


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _cross_check(cat: Catalog, problems: list[DatasetProblem], deep: bool) -> None:
    """Checks that span tables; ``deep`` adds the ICD-10-CM code-set look-ups (slow import)."""
    codes: dict[str, int] = {}
    for proc in cat.procedures.values():
        if proc.code:
            codes.setdefault(proc.code, 0)
            codes[proc.code] += 1
        if proc.id in cat.codes:
            problems.append(
                DatasetProblem("procedures.csv", proc.row, "id", f"{proc.id!r} is also another procedure's code")
            )
    known_dx = [r["code"] for r in cat.rows["diagnoses"]]
    if deep:
        for r in cat.rows["diagnoses"]:
            problem = icd_problem(r["code"])
            if problem:
                problems.append(DatasetProblem("diagnoses.csv", r["_row"], "code", problem))
    for policy in cat.policies:
        proc = cat.procedures.get(policy.procedure)
        if proc is None:
            problems.append(
                DatasetProblem(
                    "coverage_policies.csv", policy.row, "procedure",
                    f"{policy.procedure!r} is not a procedure id in procedures.csv",
                )
            )
        elif proc.fee_schedule is None:
            problems.append(
                DatasetProblem(
                    "procedures.csv", proc.row, "fee_schedule",
                    f"{proc.id!r} has a coverage policy (row {policy.row}) but no fee schedule",
                )
            )
        for column in ("diagnosis", "with_diagnosis"):
            prefix = getattr(policy, column)
            if not prefix:
                continue
            if not any(code.startswith(prefix) for code in known_dx):
                problems.append(
                    DatasetProblem(
                        "coverage_policies.csv", policy.row, column,
                        f"{prefix!r} matches no diagnosis in diagnoses.csv",
                    )
                )
            elif deep:
                from .codes import check_icd

                if check_icd(prefix).status == "unknown":
                    problems.append(
                        DatasetProblem(
                            "coverage_policies.csv", policy.row, column,
                            f"{prefix!r} is not an ICD-10-CM code or category",
                        )
                    )
    pos = cat.places_of_service
    for r in cat.rows["plans"]:
        for code in r["covered_places_of_service"]:
            if code not in pos:
                problems.append(
                    DatasetProblem("plans.csv", r["_row"], "covered_places_of_service",
                                   f"{code!r} is not in places_of_service.csv")
                )
        if r["deductible"] > r["oop_max"]:
            problems.append(
                DatasetProblem("plans.csv", r["_row"], "deductible",
                               f"{r['deductible']:g} is above the out-of-pocket maximum {r['oop_max']:g}")
            )
        oon = [r[c] for c in ("oon_deductible", "oon_coinsurance", "oon_oop_max", "oon_allowed_pct")]
        if any(not _missing(v) for v in oon) and any(_missing(v) for v in oon):
            problems.append(
                DatasetProblem("plans.csv", r["_row"], "oon_deductible",
                               "fill all four oon_ columns, or none (no out-of-network benefit)")
            )
    for r in cat.rows["facilities"]:
        if r["place_of_service"] not in pos:
            problems.append(
                DatasetProblem("facilities.csv", r["_row"], "place_of_service",
                               f"{r['place_of_service']!r} is not in places_of_service.csv")
            )
    for r in cat.rows["facility_kinds"]:
        if r["default_place_of_service"] not in pos:
            problems.append(
                DatasetProblem("facility_kinds.csv", r["_row"], "default_place_of_service",
                               f"{r['default_place_of_service']!r} is not in places_of_service.csv")
            )
    for name, table in (("provider_types", "provider_types.csv"), ("facility_kinds", "facility_kinds.csv")):
        key = TABLES[name].key
        have = {r[key] for r in cat.rows[name]}
        wanted = PROVIDER_TYPES if name == "provider_types" else FACILITY_KINDS
        for value in wanted:
            if value not in have:
                problems.append(DatasetProblem(table, None, key, f"{value!r} has no row"))
    seen_limits: dict[tuple[int, str], int] = {}
    for r in cat.rows["tax_limits"]:
        key = (r["year"], r["item"])
        if key in seen_limits:
            problems.append(DatasetProblem("tax_limits.csv", r["_row"], "item",
                                           f"{r['item']} for {r['year']} repeats row {seen_limits[key]}"))
        seen_limits.setdefault(key, r["_row"])
    for r in cat.rows["financing_offers"]:
        if r["promo_months"] < 1:
            problems.append(DatasetProblem("financing_offers.csv", r["_row"], "promo_months", "must be at least 1"))
    emitted = {"1", "2", "3", "45", "50", "58", "151", "170", "171", "197", "204", "242", "B7"}
    for carc in sorted(emitted - set(cat.reasons)):
        problems.append(DatasetProblem("reason_codes.csv", None, "carc", f"CARC {carc} is emitted but has no row"))


def _check_presets(cat: Catalog, problems: list[DatasetProblem]) -> None:
    from .model import Scenario
    from .errors import ScenarioError

    folder = cat.folder / "presets"
    listed = {r["name"] for r in cat.rows["presets"]}
    for r in cat.rows["presets"]:
        path = folder / f"{r['name']}.json"
        if not path.is_file():
            problems.append(DatasetProblem("presets.csv", r["_row"], "name", f"presets/{r['name']}.json is missing"))
            continue
        try:
            Scenario.from_json(path.read_text(encoding="utf-8"), catalog=cat)
        except ScenarioError as err:
            problems.append(DatasetProblem(f"presets/{r['name']}.json", None, err.field, str(err)))
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            if path.stem not in listed:
                problems.append(DatasetProblem(f"presets/{path.name}", None, None, "not listed in presets.csv"))


def validate_datasets(folder: str | Path | None = None) -> list[DatasetProblem]:
    """Every problem in a datasets folder: schemas, sources, ICD codes, NPIs, references, presets."""
    problems: list[DatasetProblem] = []
    cat = _build(Path(folder) if folder else datasets_folder(), problems)
    _cross_check(cat, problems, deep=True)
    if not problems:
        _check_presets(cat, problems)
        _check_samples(cat, problems)
    return problems


def _check_samples(cat: Catalog, problems: list[DatasetProblem]) -> None:
    """The sample client files that ship for workshops must apply cleanly."""
    from .client_data import apply_plans, apply_prices

    for file, apply in (("sample_client_prices.csv", apply_prices), ("sample_client_plans.csv", apply_plans)):
        path = cat.folder / file
        if path.is_file():
            try:
                apply(path, cat, name=file)
            except DatasetError as err:
                problems.extend(err.problems)
    if (cat.folder / "clinic_assumptions.csv").is_file():
        from .clinic import default_assumptions

        try:
            default_assumptions(cat)
        except DatasetError as err:
            problems.extend(err.problems)
    if (cat.folder / "sample_visits.csv").is_file():
        from .batch import evaluate_frame
        from .clinic import load_visits

        visits = load_visits(catalog=cat)
        results = evaluate_frame(visits, cat)
        for index, message in results["error"].dropna().items():
            field, _, text = message.partition(": ")
            problems.append(DatasetProblem("sample_visits.csv", int(index) + 2, field, text))


def load_catalog(folder: str | Path | None = None) -> Catalog:
    """Load and check a datasets folder (raises DatasetError naming file, row and column).

    The ICD-10-CM look-ups of ``validate_datasets`` are skipped here so that loading stays fast;
    ``medspa-kit validate`` and the test suite run them.
    """
    problems: list[DatasetProblem] = []
    cat = _build(Path(folder) if folder else datasets_folder(), problems)
    _cross_check(cat, problems, deep=False)
    if problems:
        raise DatasetError(problems)
    return cat


def with_rows(catalog: Catalog, replacements: dict[str, list[dict[str, Any]]]) -> Catalog:
    """A new catalog with some tables' rows replaced (already parsed), checked like a folder."""
    rows = {name: list(table) for name, table in catalog.rows.items()}
    rows.update(replacements)
    problems: list[DatasetProblem] = []
    cat = _assemble(catalog.folder, rows)
    _cross_check(cat, problems, deep=False)
    if problems:
        raise DatasetError(problems)
    return cat


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The bundled catalog, loaded once."""
    return load_catalog()
