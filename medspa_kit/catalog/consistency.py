"""Checks that span tables: every reference resolves, every limit holds, every code is real.

``deep`` adds the ICD-10-CM code-set look-ups, which import ``simple-icd-10-cm`` (about 2 s):
``medspa-kit validate`` and the tests run them, loading the catalog for a notebook does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..codes import check_icd, icd_problem
from ..errors import DatasetProblem
from ..money import number_shown
from ..fields import DATES, FACILITY_KINDS, PLAN_TYPES, PROVIDER_TYPES, deductible_above_oop_max
from .citations import unknown_keys
from .schema import GFE_RULES, GFE_UNITS, TABLES, TAX_ITEMS

if TYPE_CHECKING:
    from .store import Catalog


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def cross_check(cat: "Catalog", problems: list[DatasetProblem], deep: bool) -> None:
    """Append every problem that spans tables to ``problems``."""
    _procedures(cat, problems)
    _policies(cat, problems, deep)
    _plans(cat, problems)
    _places(cat, problems)
    _enumerations(cat, problems)
    _checks(cat, problems)
    _payments(cat, problems)
    _periods(cat, problems)
    if deep:
        _citations(cat, problems)
        for r in cat.rows["diagnoses"]:
            problem = icd_problem(r["code"])
            if problem:
                problems.append(DatasetProblem("diagnoses.csv", r["_row"], "code", problem))


def _citations(cat: "Catalog", problems: list[DatasetProblem]) -> None:
    """Every source cell cites the bibliography (``sources.csv``) in the form ``key (detail); …``."""
    labels = cat.source_labels
    for name, table in TABLES.items():
        if name == "sources":
            continue
        columns = [c.name for c in table.columns if c.name in ("source", "price_source", "medicare_exclusion")]
        for row in cat.rows[name]:
            for column in columns:
                if not row[column] and column == "medicare_exclusion":
                    continue
                unknown = unknown_keys(row[column], labels)
                if unknown is None:
                    problems.append(DatasetProblem(table.file, row["_row"], column,
                                                   f"{row[column]!r} is not a list of citations "
                                                   "('key (detail); key', keys from sources.csv)"))
                elif unknown:
                    problems.append(DatasetProblem(table.file, row["_row"], column,
                                                   f"{unknown[0]!r} is not a key of sources.csv"))


def _periods(cat: "Catalog", problems: list[DatasetProblem]) -> None:
    """Every period a table declares (``Table.periods``: first-day and last-day columns) ends on or
    after the day it starts; a period that ends first matches no date at all."""
    for name, table in TABLES.items():
        for start, end in table.periods:
            for r in cat.rows[name]:
                if r[start] is not None and r[end] is not None and r[end] < r[start]:
                    problems.append(DatasetProblem(table.file, r["_row"], end,
                                                   f"{r[end].isoformat()} is before {start} "
                                                   f"{r[start].isoformat()}: the period ends before it starts"))


def _procedures(cat: "Catalog", problems: list[DatasetProblem]) -> None:
    codes = {proc.code for proc in cat.procedures.values() if proc.code}
    for proc in cat.procedures.values():
        if proc.id in codes:
            problems.append(
                DatasetProblem("procedures.csv", proc.row, "id", f"{proc.id!r} is also a procedure's code")
            )
        if proc.policy_as and proc.policy_as not in cat.procedures:
            problems.append(DatasetProblem("procedures.csv", proc.row, "policy_as",
                                           f"{proc.policy_as!r} is not a procedure id"))
        for column in ("add_on_to", "drug_for", "not_with"):
            for code in getattr(proc, column):
                if code not in cat.line_codes:
                    problems.append(DatasetProblem("procedures.csv", proc.row, column,
                                                   f"{code!r} is not the code of exactly one claim line"))
        if proc.drug_for and proc.category != "drug":
            problems.append(DatasetProblem("procedures.csv", proc.row, "category",
                                           f"{proc.category!r}: a procedure with drug_for is a drug"))
        if proc.billed_as != "visit" and proc.code and proc.code not in cat.line_codes:
            problems.append(DatasetProblem("procedures.csv", proc.row, "code",
                                           f"{proc.code!r} names two claim lines (billed_as line or both)"))
        if proc.billed_as != "line" and proc.code and proc.code not in cat.codes:
            problems.append(DatasetProblem("procedures.csv", proc.row, "code",
                                           f"{proc.code!r} names two version 1 services (billed_as visit or both)"))
    for r in cat.rows["claim_codes"]:
        proc = cat.procedures.get(r["procedure"])
        if proc is None or proc.code:
            problems.append(DatasetProblem("claim_codes.csv", r["_row"], "procedure",
                                           f"{r['procedure']!r} is not a procedure without a billing code"))
    for proc in cat.procedures.values():
        if not proc.code and proc.id not in cat.keyed["claim_codes"]:
            problems.append(DatasetProblem("procedures.csv", proc.row, "code",
                                           f"{proc.id!r} has no billing code and no row in claim_codes.csv"))
    for r in cat.rows["modifiers"]:
        if r["read_by"] and r["read_by"] not in {c.id for c in cat.checks}:
            problems.append(DatasetProblem("modifiers.csv", r["_row"], "read_by", f"{r['read_by']!r} is no check"))
        if r["contradicts"] and r["contradicts"] not in cat.keyed["modifiers"]:
            problems.append(DatasetProblem("modifiers.csv", r["_row"], "contradicts",
                                           f"{r['contradicts']!r} is not a modifier in modifiers.csv"))
        if bool(r["contradicts"]) != bool(r["contradiction"]):
            problems.append(DatasetProblem("modifiers.csv", r["_row"], "contradiction",
                                           "give both the modifier contradicted and why, or neither"))
        if r["only_on"] and r["only_on"] not in {p.category for p in cat.procedures.values()}:
            problems.append(DatasetProblem("modifiers.csv", r["_row"], "only_on",
                                           f"{r['only_on']!r} is no procedure category in procedures.csv"))
        if bool(r["only_on"]) != bool(r["misplaced"]):
            problems.append(DatasetProblem("modifiers.csv", r["_row"], "misplaced",
                                           "give both the kind of line the modifier goes on and why, or neither"))


def _policies(cat: "Catalog", problems: list[DatasetProblem], deep: bool) -> None:
    known_dx = [r["code"] for r in cat.rows["diagnoses"]]
    payers = cat.keyed["payers"]
    criteria = cat.keyed["criteria"]
    if len(criteria) > 62:
        problems.append(DatasetProblem("criteria.csv", None, None, "more than 62 criteria do not fit the bit masks"))
    for r in cat.rows["criteria"]:
        for implied in r["implies"] or ():
            if implied not in criteria:
                problems.append(DatasetProblem("criteria.csv", r["_row"], "implies",
                                               f"{implied!r} is not a criterion id in criteria.csv"))
    # the payers a claim falls back on: one that names none (a commercial plan) or a Medicare plan
    for required in ("generic-commercial", "medicare") if cat.rows["payers"] else ():
        if required not in payers:
            problems.append(DatasetProblem("payers.csv", None, "id", f"no row for {required!r}: a claim that names no "
                                           "payer is read under it"))
    for r in cat.rows["payers"] if cat.keyed["plans"] else ():  # (an unreadable plans.csv is its own problem)
        if r["plan"] not in cat.keyed["plans"]:
            problems.append(DatasetProblem("payers.csv", r["_row"], "plan",
                                           f"{r['plan']!r} is not a plan id in plans.csv"))
    for policy in cat.policies:
        if policy.payer != "*" and policy.payer not in payers:
            problems.append(DatasetProblem("coverage_policies.csv", policy.row, "payer",
                                           f"{policy.payer!r} is not a payer id in payers.csv (or * for any payer)"))
        if policy.payer != "*" and not _cites_a_document(policy.source):
            problems.append(DatasetProblem("coverage_policies.csv", policy.row, "source",
                                           f"a row of {policy.payer!r} must cite that payer's document, "
                                           f"not only {policy.source!r}"))
        for group in policy.criteria_ids:
            for criterion in group:
                if criterion not in criteria:
                    problems.append(DatasetProblem("coverage_policies.csv", policy.row, "criteria_ids",
                                                   f"{criterion!r} is not a criterion id in criteria.csv"))
        proc = cat.procedures.get(policy.procedure)
        if proc is None:
            problems.append(DatasetProblem("coverage_policies.csv", policy.row, "procedure",
                                           f"{policy.procedure!r} is not a procedure id in procedures.csv"))
        elif proc.fee_schedule is None and not policy.experimental:  # an experimental row pays nothing
            problems.append(DatasetProblem("procedures.csv", proc.row, "fee_schedule",
                                           f"{proc.id!r} has a coverage policy (row {policy.row}) but no fee "
                                           "schedule"))
        for column in ("diagnosis", "with_diagnosis"):
            prefix = getattr(policy, column)
            if not prefix:
                continue
            if not any(code.startswith(prefix) for code in known_dx):
                problems.append(DatasetProblem("coverage_policies.csv", policy.row, column,
                                               f"{prefix!r} matches no diagnosis in diagnoses.csv"))
            elif deep and check_icd(prefix).status == "unknown":
                problems.append(DatasetProblem("coverage_policies.csv", policy.row, column,
                                               f"{prefix!r} is not an ICD-10-CM code or category"))


def _cites_a_document(source: str) -> bool:
    """Does a source cell cite something besides the kit's own notes and illustrative numbers?"""
    keys = [part.split("(")[0].strip() for part in source.split(";")]
    return any(key and key != "illustrative" and not key.startswith("docs-") for key in keys)


def _plans(cat: "Catalog", problems: list[DatasetProblem]) -> None:
    pos = cat.places_of_service
    for r in cat.rows["plans"]:
        if (r["type"] == "MEDICARE") != (r["oop_max"] is None):
            problems.append(DatasetProblem("plans.csv", r["_row"], "oop_max",
                                           "Original Medicare has no out-of-pocket maximum (leave it empty); "
                                           "every other plan has one"))
        for column in ("deductible", "coinsurance"):
            if r["type"] != "MEDICARE" and r[column] is None:
                problems.append(DatasetProblem("plans.csv", r["_row"], column,
                                               "empty: only Original Medicare takes the year's Part B amount"))
        for code in r["covered_places_of_service"]:
            if code not in pos:
                problems.append(DatasetProblem("plans.csv", r["_row"], "covered_places_of_service",
                                               f"{code!r} is not in places_of_service.csv"))
        if deductible_above_oop_max(r["deductible"], r["oop_max"]):
            problems.append(DatasetProblem("plans.csv", r["_row"], "deductible",
                                           f"{number_shown(r['deductible'])} is above the out-of-pocket maximum "
                                           f"{number_shown(r['oop_max'])}"))
        oon = [r[c] for c in ("oon_deductible", "oon_coinsurance", "oon_oop_max", "oon_allowed_pct")]
        if any(not _missing(v) for v in oon) and any(_missing(v) for v in oon):
            problems.append(DatasetProblem("plans.csv", r["_row"], "oon_deductible",
                                           "fill all four oon_ columns, or none (no out-of-network benefit)"))


def _places(cat: "Catalog", problems: list[DatasetProblem]) -> None:
    pos = cat.places_of_service
    for file, table, column in (("facilities.csv", "facilities", "place_of_service"),
                                ("facility_kinds.csv", "facility_kinds", "default_place_of_service")):
        for r in cat.rows[table]:
            if r[column] not in pos:
                problems.append(DatasetProblem(file, r["_row"], column, f"{r[column]!r} is not in "
                                                                        "places_of_service.csv"))


def _enumerations(cat: "Catalog", problems: list[DatasetProblem]) -> None:
    """Each enumeration value of a scenario field has its row (what it can bill, where, …)."""
    for name, wanted in (("provider_types", PROVIDER_TYPES), ("facility_kinds", FACILITY_KINDS),
                         ("plan_types", PLAN_TYPES)):
        for value in wanted:
            if value not in cat.keyed[name]:
                problems.append(DatasetProblem(f"{name}.csv", None, None, f"{value!r} has no row"))


def _checks(cat: "Catalog", problems: list[DatasetProblem]) -> None:
    """Every reason code an outcome can carry has a row; every check but the first denies somehow."""
    for carc in sorted(cat.emitted_carcs - set(cat.reasons)):
        problems.append(DatasetProblem("reason_codes.csv", None, "carc", f"CARC {carc} is emitted but has no row"))
    orders = [c.order for c in cat.checks]
    if len(set(orders)) != len(orders):
        problems.append(DatasetProblem("checks.csv", None, "order", "two checks share a place in the order"))
    for check in cat.checks:
        if check.rarc and check.rarc not in cat.keyed["remark_codes"]:
            problems.append(DatasetProblem("checks.csv", check.row, "rarc",
                                           f"RARC {check.rarc} has no row in remark_codes.csv"))
    for check in cat.checks[1:]:
        for column in ("carc", "group", "decision"):
            if not getattr(check, column):
                problems.append(DatasetProblem("checks.csv", check.row, column,
                                               f"empty: {check.id!r} must say how it denies"))


def _payments(cat: "Catalog", problems: list[DatasetProblem]) -> None:
    seen: dict[tuple[int, str], int] = {}
    for r in cat.rows["tax_limits"]:
        key = (r["year"], r["item"])
        if key in seen:
            problems.append(DatasetProblem("tax_limits.csv", r["_row"], "item",
                                           f"{r['item']} for {r['year']} repeats row {seen[key]}"))
        seen.setdefault(key, r["_row"])
    for year in sorted({y for y, _ in seen}):
        absent = [item for item in TAX_ITEMS if (year, item) not in seen]
        if absent:
            problems.append(DatasetProblem("tax_limits.csv", None, "item",
                                           f"{year} has no row for {', '.join(absent)} (every year needs each limit)"))
        if not DATES[0].year <= year <= DATES[1].year:
            problems.append(DatasetProblem("tax_limits.csv", seen[(year, next(i for y, i in seen if y == year))],
                                           "year", f"{year} is not a year from {DATES[0].year} to {DATES[1].year}"))
    missing = [rule for rule in GFE_RULES if rule not in cat.keyed["good_faith_estimate"]]
    if missing:
        problems.append(DatasetProblem("good_faith_estimate.csv", None, "rule", f"no row for {', '.join(missing)}"))
    problems += _gfe_rules(cat.keyed["good_faith_estimate"])
    for r in cat.rows["financing_offers"]:
        if r["promo_months"] < 1:
            problems.append(DatasetProblem("financing_offers.csv", r["_row"], "promo_months", "must be at least 1"))


GFE_DAYS_MOST = 1000
"""the most days a rule of ``good_faith_estimate.csv`` may count (the rules count 1 to 120)"""


def _gfe_rules(rules: dict[str, dict[str, Any]]) -> list[DatasetProblem]:
    """Each rule of ``good_faith_estimate.csv`` in its own unit: days a whole number from 1 to
    :data:`GFE_DAYS_MOST`, years whole and in the kit's range of dates (the rules read no earlier
    than they took force); the shorter booking window before the longer one."""
    problems = []

    def problem(rule: str, message: str) -> None:
        problems.append(DatasetProblem("good_faith_estimate.csv", rules[rule]["_row"], "value", f"{rule}: {message}"))

    for rule, row in rules.items():
        unit, value = GFE_UNITS.get(rule, "business days"), row["value"]
        if row["unit"] != unit:
            problems.append(DatasetProblem("good_faith_estimate.csv", row["_row"], "unit",
                                           f"{rule}: {row['unit']!r} is not its unit ({unit!r})"))
        elif unit.endswith("days") and (value != int(value) or not 1 <= value <= GFE_DAYS_MOST):
            problem(rule, f"{number_shown(value)} is not a whole number of {unit} from 1 to {GFE_DAYS_MOST:,}")
        elif unit == "year" and (value != int(value) or not DATES[0].year <= value <= DATES[1].year):
            problem(rule, f"{number_shown(value)} is not a year from {DATES[0].year} to {DATES[1].year}")
    if problems:
        return problems
    if {"in_force_year", "read_year"} <= rules.keys() and rules["read_year"]["value"] < rules["in_force_year"]["value"]:
        problem("read_year", f"{int(rules['read_year']['value'])} is before in_force_year "
                             f"({int(rules['in_force_year']['value'])}): the rules were read after they took force")
    if {"booked_ahead_short", "booked_ahead_long"} <= rules.keys() \
            and rules["booked_ahead_short"]["value"] >= rules["booked_ahead_long"]["value"]:
        problem("booked_ahead_short", "must be fewer days than booked_ahead_long (the longer booking window)")
    return problems
