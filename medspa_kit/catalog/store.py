"""The :class:`Catalog`: every rule table of one datasets folder, checked and indexed.

Each table is read once and kept as parsed rows: indexed in dicts and small frozen records for
the scalar path, and as pandas DataFrames (built on first use) for the batch path. Both paths
read these same rows. Loading does not import pandas, so a notebook's first answer comes fast.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ..arguments import choice, texts, truth, whole
from ..codes import normalize_icd
from ..errors import DatasetError, DatasetProblem, FileError, ScenarioError, shown_value
from ..files import check_file_name, shown
from .consistency import cross_check
from .citations import render
from .reading import read_table
from .records import Check, Policy, Procedure, ReasonCode
from .schema import TABLES

if TYPE_CHECKING:
    import pandas as pd

GENERIC_PAYER = "generic-commercial"
"""the payer of a scenario that names none (and is not Original Medicare)"""


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
    reasons: dict[str, ReasonCode] = field(repr=False)
    checks: tuple[Check, ...] = field(repr=False)
    """the checks in the order they run (``checks.csv``)"""
    hsa_rules: tuple[dict[str, Any], ...] = field(repr=False)
    """the HSA/FSA rules in the order they are tried (``hsa_rules.csv``)"""
    codes: dict[str, str] = field(repr=False)
    """Billing code → procedure id of a version 1 service (a visit), for codes naming exactly one."""
    line_codes: dict[str, str] = field(repr=False)
    """Billing code → procedure id of a claim line (version 2), for codes naming exactly one."""
    by_procedure: dict[tuple[str, str], tuple[Policy, ...]] = field(repr=False)
    """(payer or ``*``, procedure id) → its coverage-policy rows, in file order"""
    keyed: dict[str, dict[str, dict[str, Any]]] = field(repr=False)
    """table name → key → row, for the tables that have a key column"""
    _cited: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = field(default_factory=dict, repr=False,
                                                                      compare=False)

    def procedure(self, code_or_id: str) -> Procedure | None:
        """The service a version 1 scenario's ``service.code`` names: a procedure id or a billing code
        (in either case, as modifiers and ICD-10-CM codes are).

        A version 1 service is a whole visit billed under its main code (``64650`` is the injection
        and the toxin together, as a teaching simplification).
        """
        if not isinstance(code_or_id, str):
            return None
        found = self.procedures.get(code_or_id)
        if found is not None and found.billed_as != "line":
            return found
        found_id = self.codes.get(code_or_id) or self.codes.get(code_or_id.upper())  # j0585 is J0585
        return self.procedures[found_id] if found_id else None

    def line_procedure(self, code_or_id: str) -> Procedure | None:
        """The claim line a version 2 scenario's ``lines[].code`` names: a billing code (in either
        case) or a procedure id.

        A line is one billing code: ``64650`` is the injection only, the toxin is ``J0585`` per unit.
        """
        if not isinstance(code_or_id, str):
            return None
        found = self.procedures.get(code_or_id)
        if found is not None and found.billed_as != "visit":
            return found
        found_id = self.line_codes.get(code_or_id) or self.line_codes.get(code_or_id.upper())  # j0585 is J0585
        return self.procedures[found_id] if found_id else None

    def policies_for(self, procedure_id: str, payer: str = GENERIC_PAYER) -> tuple[Policy, ...]:
        """The coverage-policy rows that decide a procedure (its own, or those of ``policy_as``)
        for a payer: the payer's own rows, or the ``*`` rows when it has none for the procedure
        and takes them (``payers.csv``, ``generic_rows``; Original Medicare does not)."""
        proc = self.procedures.get(_text(procedure_id, "procedure_id"))
        key = proc.coverage_id if proc else procedure_id
        takes_generic = self._payer(payer)["generic_rows"]
        own = self.by_procedure.get((payer, key))
        if own or not takes_generic:
            return own or ()
        return self.by_procedure.get(("*", key), ())

    def payer_has_rows(self, procedure_id: str, payer: str) -> bool:
        """Does the payer have coverage-policy rows of its own for this procedure?"""
        proc = self.procedures.get(_text(procedure_id, "procedure_id"))
        return (_text(payer, "payer"), proc.coverage_id if proc else procedure_id) in self.by_procedure

    def matching_policy(self, procedure_id: str, diagnoses: Iterable[str], payer: str = GENERIC_PAYER) -> Policy | None:
        """The first policy row (file order) of this payer's rows for the procedure (the ``*``
        rows when it has none) that the diagnoses satisfy."""
        codes = tuple(texts(diagnoses, "diagnoses", "ICD-10-CM codes"))
        for policy in self.policies_for(procedure_id, payer):
            if policy.matches(codes):
                return policy
        return None

    def recognised_use(self, procedure_id: str, diagnoses: Iterable[str]) -> bool:
        """Does a coverage-policy row of any payer recognise the service for the diagnoses
        (not one that calls it experimental)? A medical use, whoever pays."""
        proc = self.procedures.get(_text(procedure_id, "procedure_id"))
        key = proc.coverage_id if proc else procedure_id
        codes = tuple(texts(diagnoses, "diagnoses", "ICD-10-CM codes"))
        return any(p.procedure == key and not p.experimental and p.matches(codes) for p in self.policies)

    def criteria_bits(self, documented: Iterable[str]) -> int:
        """The criteria a chart documents as one number, a bit per ``criteria.csv`` row, with the
        criteria each implies (``ak-15-or-more`` implies ``ak-more-than-10``)."""
        rows = self.keyed["criteria"]
        order = list(rows)
        bits = 0
        for criterion in texts(documented, "documented", "criteria ids"):
            if criterion not in rows:
                raise ScenarioError.one("documented", f"{shown_value(criterion)} is not a criterion in criteria.csv")
            for item in (criterion, *(rows[criterion]["implies"] or ())):
                bits |= 1 << order.index(item)
        return bits

    def criteria_groups(self, policy: Policy) -> tuple[int, ...]:
        """A policy row's criteria groups as bit masks: a group is met by any one of its bits."""
        _policy(policy)
        order = list(self.keyed["criteria"])
        return tuple(sum(1 << order.index(item) for item in group) for group in policy.criteria_ids)

    def missing_criteria(self, policy: Policy, documented: Iterable[str]) -> tuple[tuple[str, ...], ...]:
        """The criteria groups of ``policy`` that ``documented`` (criteria ids) does not meet
        (:func:`criteria_met`, group by group)."""
        _policy(policy)
        bits = self.criteria_bits(documented)
        return tuple(group for group, mask in zip(policy.criteria_ids, self.criteria_groups(policy))
                     if not criteria_met(bits, (mask,)))

    def criterion_name(self, criterion: str) -> str:
        row = self.keyed["criteria"].get(_text(criterion, "criterion"))
        return row["name"] if row else criterion

    def payer_kind(self, payer: str) -> str:
        """``commercial``, ``medicare`` or ``medicaid`` (``payers.csv``)."""
        return self._payer(payer)["kind"]

    def payer_plan(self, payer: str) -> str:
        """The plan id (``plans.csv``) a payer's member has when the kit moves a chart to that payer:
        Original Medicare Part B for Medicare, the Medi-Cal managed care plan (no cost sharing) for
        Medi-Cal, the Standard PPO for a commercial payer (``payers.csv``, ``plan``)."""
        return self._payer(payer)["plan"]

    def payer_name(self, payer: str) -> str:
        return self._payer(payer)["name"]

    def takes_generic_rows(self, payer: str) -> bool:
        """Does a payer without rows of its own for a service follow the ``*`` rows?"""
        return bool(self._payer(payer)["generic_rows"])

    def _payer(self, payer: str) -> dict[str, Any]:
        """A row of payers.csv; ScenarioError naming ``payer`` for an id not in it."""
        row = self.keyed["payers"].get(payer) if isinstance(payer, str) else None
        if row is None:
            raise ScenarioError.one("payer", f"{shown_value(payer)} is not a payer in payers.csv "
                                             f"({', '.join(self.keyed['payers'])})")
        return row

    def part_b(self, year: int) -> dict[str, Any] | None:
        """Original Medicare's Part B amounts for a calendar year (``medicare_part_b.csv``), if known."""
        return self.keyed["medicare_part_b"].get(str(whole(year, "year", 1, 9999)))

    def code_set_for(self, day: "dt.date") -> dict[str, Any] | None:
        """The ICD-10-CM code set in force on a date of service, if the kit carries it."""
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise ScenarioError.one("day", f"{shown_value(day)} is not a date (a datetime.date)")
        for row in self.rows["code_sets"]:
            if row["valid_from"] <= day <= row["valid_to"]:
                return row
        return None

    @property
    def known_diagnoses(self) -> frozenset[str]:
        return frozenset(self.keyed["diagnoses"])

    def diagnosis_name(self, code: str) -> str:
        row = self.keyed["diagnoses"].get(_text(code, "code"))
        return row["name"] if row else ""

    def table(self, name: str) -> "pd.DataFrame":
        """A dataset as a DataFrame (``procedures``, ``plans``, …: the files of ``datasets/``)."""
        return self.frames[choice(name, "name", self.frames)]

    def record(self, name: str, key: str) -> dict[str, Any] | None:
        """One row of a keyed table as a dict (plans, providers, facilities, …), or None."""
        return self.keyed[choice(name, "name", self.keyed)].get(_text(key, "key"))

    def records(self, name: str) -> dict[str, dict[str, Any]]:
        """The rows of a keyed table by key (``plans``, ``payers``, …)."""
        return dict(self.keyed[choice(name, "name", self.keyed)])

    def cosmetic_match(self, diagnoses: Iterable[str]) -> dict[str, Any] | None:
        """The cosmetic-encounter row (Z41.x) one of the diagnoses falls under, or None."""
        return _first_prefix(self.keyed["cosmetic_diagnoses"], texts(diagnoses, "diagnoses", "ICD-10-CM codes"))

    def hsa_exception(self, diagnoses: Iterable[str]) -> dict[str, Any] | None:
        """The IRS cosmetic-exception row (congenital, injury, disfiguring disease) that applies."""
        return _first_prefix(self.keyed["hsa_exceptions"], texts(diagnoses, "diagnoses", "ICD-10-CM codes"))

    @property
    def places_of_service(self) -> frozenset[str]:
        return frozenset(self.keyed["places_of_service"])

    def plan(self, plan_id: str) -> dict[str, Any]:
        """A row of plans.csv in the scenario's ``plan`` shape.

        Raises
        ------
        ScenarioError
            ``plan: 'x' is not a plan in plans.csv (…)`` for an unknown id.
        """
        row = self.keyed["plans"].get(plan_id) if isinstance(plan_id, str) else None
        if row is None:
            raise ScenarioError.one("plan", f"{shown_value(plan_id)} is not a plan in plans.csv ({', '.join(self.keyed['plans'])})")
        oon = None
        if row["oon_deductible"] is not None:
            oon = {"deductible": row["oon_deductible"], "coinsurance": row["oon_coinsurance"],
                   "oop_max": row["oon_oop_max"], "allowed_pct": row["oon_allowed_pct"]}
        return {"type": row["type"], "covered_places_of_service": list(row["covered_places_of_service"]),
                "deductible": row["deductible"], "coinsurance": row["coinsurance"], "copay": row["copay"],
                "oop_max": row["oop_max"], "oon": oon, "hsa_qualified": row["hsa_qualified"]}

    def adjustment_group(self, component: str, in_network: bool) -> str:
        """The group code (CO or PR) of a cost component's adjustment, in or out of network."""
        return self._adjustment(component)["in_network" if truth(in_network, "in_network") else "out_of_network"]

    def adjustment_carc(self, component: str) -> str:
        """The reason code (CARC) of a cost component's adjustment (``adjustments.csv``)."""
        return self._adjustment(component)["carc"]

    def _adjustment(self, component: str) -> dict[str, Any]:
        return self.keyed["adjustments"][choice(component, "component", self.keyed["adjustments"])]

    def cite(self, where: tuple[str, ...], sources: tuple[str, ...]) -> str:
        """A trace's source line: the rows read, then the documents they cite (made once each);
        ``where`` and ``sources`` are tuples of text."""
        if type(where) is not tuple or type(sources) is not tuple:
            raise ScenarioError.one("where" if type(where) is not tuple else "sources",
                                    "expected a tuple of texts (rows read; source keys)")
        if any(type(entry) is not str for entry in where + sources):  # (checked, and a subclass's text read plain)
            where = tuple(texts(where, "where", "rows read"))
            sources = tuple(texts(sources, "sources", "source keys"))
        key = (where, sources)
        line = self._cited.get(key)
        if line is None:
            rows = "; ".join(where)
            labels = self.source_labels
            cited = "; ".join(render(s, labels) for s in sources if s)
            line = (f"{rows}: {cited}" if cited else rows) if rows else cited
            self._cited[key] = line
        return line

    @property
    def source_labels(self) -> dict[str, str]:
        """Bibliography key → short label (``aetna-cpb-0113`` → ``Aetna CPB 0113``)."""
        return {key: row["label"] for key, row in self.keyed["sources"].items()}

    @property
    def emitted_carcs(self) -> frozenset[str]:
        """Every reason code an outcome can carry: the checks' and the cost components'."""
        return frozenset([c.carc for c in self.checks if c.carc] + [r["carc"] for r in self.rows["adjustments"]])


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


def _policy(policy: Any) -> Policy:
    if not isinstance(policy, Policy):
        raise ScenarioError.one("policy", f"expected a coverage-policy row (Catalog.policies_for gives them), got "
                                          f"{type(policy).__name__}")
    return policy


def _text(value: Any, name: str) -> str:
    """``value`` when it is a text (an id, a code); ScenarioError naming ``name`` otherwise."""
    if not isinstance(value, str):
        raise ScenarioError.one(name, f"{shown_value(value)} is not a text (an id or a code)")
    return value


def criteria_met(documented: Any, groups: tuple[int, ...]) -> Any:
    """Does a chart meet every criteria group? ``documented`` is :meth:`Catalog.criteria_bits` (an
    int, or an array of them); each group mask is met by any one of its bits."""
    met = True
    for mask in groups:
        met = met & ((documented & mask) != 0)
    return met


def _first_prefix(rows: dict[str, dict[str, Any]], diagnoses: Iterable[str]) -> dict[str, Any] | None:
    for code in diagnoses:
        for prefix, row in rows.items():
            if code.startswith(prefix):
                return {**row, "code": code}
    return None


def _unique_codes(procedures: dict[str, Procedure], billed_as: tuple[str, ...]) -> dict[str, str]:
    """Billing code → procedure id among the procedures billed as one of ``billed_as``."""
    seen: dict[str, list[str]] = {}
    for proc in procedures.values():
        if proc.code and proc.billed_as in billed_as:
            seen.setdefault(proc.code, []).append(proc.id)
    return {code: ids[0] for code, ids in seen.items() if len(ids) == 1}


# --------------------------------------------------------------------------------------------
# Loading.


def datasets_folder() -> Path:
    """Where the bundled datasets live: inside the installed package, else beside it."""
    override = os.environ.get("MEDSPA_KIT_DATASETS")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent.parent
    inside = here / "datasets"
    if inside.is_dir():
        return inside
    return here.parent / "datasets"


def given_folder(folder: Any) -> Path:
    """The datasets folder a caller named, or the bundled one for None.

    Raises
    ------
    FileError
        ``folder`` is no file name (a number, a table), empty, or not an existing folder.
    """
    if folder is None:
        return datasets_folder()
    check_file_name(folder, "folder")
    if not os.fspath(folder):
        raise FileError("folder", "an empty folder name: give a datasets folder (or None for the bundled one)")
    if not os.path.isdir(folder):
        what = "is not a folder" if os.path.lexists(folder) else "does not exist"
        raise FileError("folder", f"{shown(folder)} {what}: give a datasets folder")
    return Path(folder)


def read_folder(folder: Path, problems: list[DatasetProblem]) -> Catalog:
    """Every table of a datasets folder, parsed; problems are appended, bad rows left out.

    Every table needs at least one row: a file that reads cleanly but holds none (a header
    alone) is a problem, put before the others, since everything that refers to its rows fails
    after it (a payers.csv with no rows makes every coverage policy name an unknown payer).
    """
    first = len(problems)
    empty: list[DatasetProblem] = []
    rows: dict[str, list[dict[str, Any]]] = {}
    for name, table in TABLES.items():
        before = len(problems)
        rows[name] = read_table(folder, table, problems)
        if not rows[name] and len(problems) == before:
            empty.append(DatasetProblem(table.file, None, None, "has no rows: every rule table needs at least one"))
    problems[first:first] = empty
    return assemble(folder, rows)


def assemble(folder: Path, rows: Mapping[str, list[dict[str, Any]]]) -> Catalog:
    """A catalog from parsed rows (as :func:`~medspa_kit.catalog.reading.parse_rows` gives them)."""
    rows = {name: [dict(r) for r in table] for name, table in rows.items()}
    for r in rows["diagnoses"]:
        r["code"] = normalize_icd(r["code"])
    for r in rows["coverage_policies"]:
        # "*" is any diagnosis: an empty prefix, which every code starts with
        r["diagnosis"] = "" if r["diagnosis"] == "*" else normalize_icd(r["diagnosis"])
        r["with_diagnosis"] = normalize_icd(r["with_diagnosis"]) if r["with_diagnosis"] else ""
    procedures = {
        r["id"]: Procedure(
            id=r["id"], name=r["name"], code=r["code"] or "", category=r["category"],
            cosmetic_by_default=bool(r["cosmetic_by_default"]), dual_purpose=bool(r["dual_purpose"]),
            cash_price=float(r["cash_price"]),
            fee_schedule=None if r["fee_schedule"] is None else float(r["fee_schedule"]),
            description=r["description"], source=r["source"], price_source=r["price_source"], row=r["_row"],
            billed_as=r["billed_as"], policy_as=r["policy_as"] or "", unit=r["unit"], max_units=r["max_units"],
            add_on_to=r["add_on_to"] or (), drug_for=r["drug_for"] or (), not_with=r["not_with"] or (),
            hsa_entry=r["hsa_entry"] or "", medicare_exclusion=r["medicare_exclusion"] or "",
        )
        for r in rows["procedures"]
    }
    policies = tuple(
        Policy(
            index=i, procedure=r["procedure"], diagnosis=r["diagnosis"], with_diagnosis=r["with_diagnosis"],
            criteria=r["criteria"], prior_auth=bool(r["prior_auth"]), min_interval_days=r["min_interval_days"],
            source=r["source"], as_of=r["as_of"], row=r["_row"], criteria_required=bool(r["criteria_required"]),
            payer=r["payer"], criteria_ids=r["criteria_ids"] or (), max_per_year=r["max_per_year"],
            experimental=bool(r["experimental"]), preventive=bool(r["preventive"]),
        )
        for i, r in enumerate(rows["coverage_policies"])
    )
    reasons = {r["carc"]: ReasonCode(r["carc"], r["name"], r["plain"], r["source"]) for r in rows["reason_codes"]}
    checks = tuple(
        Check(order=r["order"], id=r["check"], title=r["title"], carc=r["carc"] or "", group=r["group"] or "",
              decision=r["decision"] or "", source=r["source"], row=r["_row"], scope=r["scope"], rarc=r["rarc"] or "")
        for r in sorted(rows["checks"], key=lambda r: r["order"])
    )
    by_procedure: dict[tuple[str, str], list[Policy]] = {}
    for policy in policies:
        by_procedure.setdefault((policy.payer, policy.procedure), []).append(policy)
    frozen = {name: tuple(table) for name, table in rows.items()}
    keyed = {
        name: {str(row[TABLES[name].key]): row for row in table}
        for name, table in frozen.items()
        if TABLES[name].key
    }
    return Catalog(
        folder=folder, rows=frozen, frames=Frames(frozen), procedures=procedures, policies=policies,
        reasons=reasons, checks=checks, hsa_rules=tuple(sorted(frozen["hsa_rules"], key=lambda r: r["order"])),
        codes=_unique_codes(procedures, ("visit", "both")), line_codes=_unique_codes(procedures, ("line", "both")),
        by_procedure={k: tuple(v) for k, v in by_procedure.items()}, keyed=keyed,
    )


def load_catalog(folder: str | Path | None = None) -> Catalog:
    """Load and check a datasets folder.

    The ICD-10-CM code-set look-ups of :func:`medspa_kit.validation.validate_datasets` are skipped
    here so that loading stays fast; ``medspa-kit validate`` and the test suite run them.

    Raises
    ------
    DatasetError
        Naming the file, row and column of every problem found.
    FileError
        ``folder`` is not an existing folder (:func:`given_folder`).
    """
    problems: list[DatasetProblem] = []
    cat = read_folder(given_folder(folder), problems)
    cross_check(cat, problems, deep=False)
    if problems:
        raise DatasetError(problems)
    return cat


def with_rows(catalog: Catalog, replacements: dict[str, list[dict[str, Any]]]) -> Catalog:
    """A new catalog with some tables' rows replaced (already parsed), checked like a folder."""
    rows = {name: list(table) for name, table in catalog.rows.items()}
    rows.update(replacements)
    problems: list[DatasetProblem] = []
    cat = assemble(catalog.folder, rows)
    cross_check(cat, problems, deep=False)
    if problems:
        raise DatasetError(problems)
    return cat


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The bundled catalog, loaded once."""
    return load_catalog()


def given_catalog(catalog: Any) -> Catalog:
    """The catalog a caller gave, or the bundled one for None.

    Raises
    ------
    ScenarioError
        ``catalog`` is neither None nor a :class:`Catalog` (a number, a folder's path, a frame),
        naming its type, instead of an AttributeError at first use.
    """
    if catalog is None:
        return default_catalog()
    if not isinstance(catalog, Catalog):
        raise ScenarioError.one("catalog", f"expected a Catalog (load one with medspa_kit.catalog.load_catalog, or "
                                           f"leave it out), got {type(catalog).__name__}")
    return catalog
