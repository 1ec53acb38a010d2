"""``evaluate_frame(df)``: SPEC §4 and §5 over a whole table of scenarios at once.

One scenario per row, columns named by their dotted paths (see :mod:`medspa_kit.columns`). The
checks run in SPEC §4 order over columns, a block of rows at a time, reading the same rule
tables as the scalar ``evaluate`` (the catalog's frames: procedures, coverage policies, cosmetic
diagnoses, HSA exceptions, provider types, facility kinds, places of service, reason codes) and
pricing with the same :mod:`medspa_kit.cost` functions, called on arrays. A test feeds the same generated
scenarios to both paths and compares every field of every row.

A row the scenario parser would reject gets that parser's own one-line message in ``error``
(field and value) and empty results; the rest of the table is evaluated as usual.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import cost as costing
from .batch_cells import BLOCK, Parsed, parse_frame
from .catalog import FACILITY_KINDS, NO_OON_PLAN_TYPES, PLAN_TYPES, PROVIDER_TYPES, default_catalog
from .columns import (COLUMNS, DOLLAR_COLUMNS, RESULT_COLUMNS, SPECS, check_columns, is_empty, outcome_to_row,
                      row_to_dict)
from .errors import ScenarioError

if TYPE_CHECKING:
    from .catalog import Catalog

DECISIONS = ("covered", "denied", "not_billable")
NETWORKS = ("in", "out", "none")
GROUPS = ("CO", "PR")
HSA_STATUSES = ("eligible", "eligible_with_lmn", "not_eligible")

# SPEC §4 checks 2–9 in order: the CARC each one denies with, and its group (None: liability rule).
CHECKS = (("170", "PR"), ("171", "PR"), ("204", "PR"), ("50", None), ("58", "PR"), ("242", "PR"), ("B7", "CO"),
          ("197", None), ("151", None))
COVERED = len(CHECKS)
FIXED_CO = np.array([group == "CO" for _, group in CHECKS] + [False])
"""per check (and 'covered'): denied with a fixed group CO"""
BY_LIABILITY = np.array([group is None for _, group in CHECKS] + [False])
"""per check: the group follows the liability rule (CO in network without a waiver, else PR)"""
HSA_BY_RULE = np.array([0, 2, 0, 1, 0, 2, 1], dtype=np.int8)
"""the HSA status (index into HSA_STATUSES) of the first HSA rule that holds in ``_block``, or of none"""


def evaluate_frame(df: pd.DataFrame, catalog: "Catalog | None" = None) -> pd.DataFrame:
    """Adjudicate every row of ``df``; one result row per input row, on the same index.

    Columns: ``decision``, ``network``, ``reason_group``, ``reason_carc``, ``reason_text``, the
    nine cost fields in dollars (``charge`` … ``balance_bill``), ``hsa_fsa`` (status) and
    ``error`` (the parser's message for an invalid row, whose other columns are then empty).
    ``result.attrs`` holds ``rows``, ``errors`` and ``rechecked`` (rows the scalar path was asked
    about). Raises :class:`~medspa_kit.errors.ScenarioError` only for a problem with the table
    itself: a required column missing, or a dotted column that is no scenario field.
    """
    cat = catalog or default_catalog()
    check_columns(df.columns)
    for spec in COLUMNS:
        if spec.required and spec.path not in df.columns:
            raise ScenarioError.one(spec.path, "required column is missing from the table")
    parsed = parse_frame(df, cat)
    result, recheck = _adjudicate(parsed, cat)
    out = _frame(result, df.index, cat)
    errors = _recheck(df, out, recheck, cat)
    out.attrs.update(rows=len(df), errors=errors, rechecked=int(recheck.sum()))
    return out


# --------------------------------------------------------------------------------------------


def _by(frame: pd.DataFrame, key: str, column: str, order: tuple[str, ...]) -> np.ndarray:
    """A rule-table column as an array indexed like ``order`` (the enumeration's codes)."""
    lookup = dict(zip(frame[key], frame[column]))
    return np.array([lookup[k] for k in order])


def _prefix_hits(codes: np.ndarray, prefixes: list[str]) -> np.ndarray:
    """codes × prefixes: does the code start with the prefix? (an empty prefix always matches)"""
    if not len(codes) or not prefixes:
        return np.zeros((len(codes), len(prefixes)), dtype=bool)
    return np.char.startswith(codes[:, None], np.array(prefixes, dtype=str)[None, :])


def _diagnosis_tables(p: Parsed, cat: "Catalog") -> dict[str, np.ndarray]:
    """Per distinct diagnosis list: a cosmetic code, an HSA exception; per procedure and list, the
    first coverage-policy row matched (-1: none). Index them with the row's codes (-1: no list)."""
    keys = p.diagnoses
    distinct_codes = sorted({code for key in keys for code in key})
    index = {code: i for i, code in enumerate(distinct_codes)}
    has = np.zeros((len(keys), len(distinct_codes)), dtype=np.int64)
    for k, key in enumerate(keys):
        has[k, [index[c] for c in key]] = 1
    codes = np.array(distinct_codes, dtype=str)

    def any_prefix(table: str) -> np.ndarray:
        hits = _prefix_hits(codes, list(cat.frames[table]["prefix"])).any(axis=1)
        return (has @ hits.astype(np.int64)) > 0

    policies = cat.frames["coverage_policies"]
    on_diagnosis = (has @ _prefix_hits(codes, list(policies["diagnosis"])).astype(np.int64)) > 0
    with_diagnosis = (has @ _prefix_hits(codes, list(policies["with_diagnosis"])).astype(np.int64)) > 0
    policy_procedure = np.array([p.procedure_ids.index(x) if x in p.procedure_ids else -1
                                 for x in policies["procedure"]])
    # Per procedure and distinct diagnosis list: the first policy row, in file order, that they satisfy.
    ok = on_diagnosis & with_diagnosis
    first = np.full((len(p.procedure_ids), len(keys)), -1, dtype=np.int32)
    for procedure in np.unique(policy_procedure[policy_procedure >= 0]):
        rows = np.flatnonzero(policy_procedure == procedure)
        hit = ok[:, rows]
        first[procedure] = np.where(hit.any(axis=1), rows[hit.argmax(axis=1)], -1)
    return {"policy": first, "cosmetic": any_prefix("cosmetic_diagnoses"), "exception": any_prefix("hsa_exceptions")}


def _tables(p: Parsed, cat: "Catalog") -> dict[str, np.ndarray]:
    """The rule tables as arrays indexed by the parsed codes (procedure, provider type, ...)."""
    procs = cat.frames["procedures"]
    catalog_fee = procs["fee_schedule"].to_numpy(dtype=float, na_value=np.nan)
    kinds = cat.frames["facility_kinds"]
    policies = cat.frames["coverage_policies"]
    return {
        "cash": costing.to_cents(procs["cash_price"].to_numpy(dtype=float)),
        "has_catalog_fee": ~np.isnan(catalog_fee),
        "catalog_fee": costing.to_cents(np.nan_to_num(catalog_fee)),
        "cosmetic_only": procs["cosmetic_by_default"].to_numpy(dtype=bool),
        "dual_purpose": procs["dual_purpose"].to_numpy(dtype=bool),
        "can_bill": _by(cat.frames["provider_types"], "type", "can_bill", PROVIDER_TYPES),
        "medical": _by(kinds, "kind", "medical", FACILITY_KINDS),
        "default_place": np.array([p.places.index(x)
                                   for x in _by(kinds, "kind", "default_place_of_service", FACILITY_KINDS)]),
        "no_oon_type": np.array([t in NO_OON_PLAN_TYPES for t in PLAN_TYPES]),
        # a policy row's columns, with one more entry for "no policy" (index -1)
        "needs_auth": np.append(policies["prior_auth"].to_numpy(dtype=bool), False),
        "min_days": np.append(policies["min_interval_days"].to_numpy(dtype=float, na_value=np.nan), np.nan),
        "covered_lists": np.array([[code in covered for code in p.places] for covered in p.covered_lists],
                                  dtype=bool).reshape(len(p.covered_lists), len(p.places)),
        **_diagnosis_tables(p, cat),
    }


def _adjudicate(p: Parsed, cat: "Catalog") -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every row's first failing check (SPEC §4), group, network, HSA status and dollars (§5).

    The rule tables are built once; the rows go a block at a time, and each block's cents are
    written straight into the one float block of dollars the result frame is made of.
    """
    t = _tables(p, cat)
    out = {"check": np.empty(p.n, dtype=np.int8), "co": np.empty(p.n, dtype=bool),
           "network": np.empty(p.n, dtype=np.int8), "hsa": np.empty(p.n, dtype=np.int8),
           "dollars": np.empty((len(DOLLAR_COLUMNS), p.n))}
    recheck = np.empty(p.n, dtype=bool)
    for start in range(0, p.n, BLOCK):
        rows = slice(start, min(start + BLOCK, p.n))
        block = _block(p, rows, t)
        for name in ("check", "co", "network", "hsa"):
            out[name][rows] = block[name]
        for i, name in enumerate(DOLLAR_COLUMNS):
            np.divide(block[name], 100, out=out["dollars"][i, rows])
        recheck[rows] = block["recheck"]
    return out, recheck


def _block(p: Parsed, rows: slice, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """SPEC §4 and §5 for the rows of one block."""

    def col(name: str) -> np.ndarray:
        return p[name][rows]

    proc = col("service.code")
    n = len(proc)
    charge = np.where(col("service.charge:present"), col("service.charge"), t["cash"][proc])
    fee = np.where(col("service.fee_schedule:present"), col("service.fee_schedule"), t["catalog_fee"][proc])
    has_fee = col("service.fee_schedule:present") | t["has_catalog_fee"][proc]

    can_bill = t["can_bill"][col("provider.type")]
    medical = t["medical"][col("facility.kind")]
    place = np.where(col("facility.place_of_service:present"), col("facility.place_of_service"),
                     t["default_place"][col("facility.kind")])
    in_network = col("facility.credentialed") & col("facility.participating")
    oon_benefits = col("plan.oon:present") & ~t["no_oon_type"][col("plan.type")]

    dx = col("diagnoses")  # -1, an empty cell, is the last list: ()
    policy = t["policy"][proc, dx]
    cosmetic_code, exception = t["cosmetic"][dx], t["exception"][dx]
    has_policy = policy >= 0
    cosmetic_only = t["cosmetic_only"][proc]

    covered_lists = col("plan.covered_places_of_service")
    place_ok = ~col("plan.covered_places_of_service:present") | t["covered_lists"][covered_lists, place]
    days = col("date_of_service") - col("accumulators.last_treatment")
    with np.errstate(invalid="ignore"):
        too_soon = has_policy & col("accumulators.last_treatment:present") & (days < t["min_days"][policy])

    failing = [
        ~can_bill,
        ~medical,
        cosmetic_code | (cosmetic_only & ~has_policy),
        ~has_policy | ~col("documentation.criteria_documented"),
        ~place_ok,
        ~in_network & ~oon_benefits,
        in_network & ~col("provider.credentialed"),
        has_policy & t["needs_auth"][policy] & ~col("documentation.prior_auth"),
        too_soon,
    ]
    first = _first_true(failing, COVERED)
    liability_co = in_network & ~col("documentation.waiver_signed")  # SPEC §4 liability rule
    co = np.where(BY_LIABILITY[first], liability_co, FIXED_CO[first])

    covered = first == COVERED
    lines = np.flatnonzero(covered)
    shares = _price(p, rows, lines, charge[lines], fee[lines], in_network[lines])
    # A denied line carries its whole charge: the patient's when PR, the clinic's when CO.
    patient = np.where(co, 0, charge)
    writeoff = charge - patient
    result = {"check": first, "co": co, "network": np.where(first <= 1, 2, np.where(in_network, 0, 1)),
              "charge": charge, "patient_pays": patient, "provider_writeoff": writeoff}
    for name in ("allowed", "deductible", "coinsurance", "copay", "plan_pays", "balance_bill"):
        result[name] = np.zeros(n, dtype=np.int64)
        result[name][lines] = shares[name]
    patient[lines] = shares["deductible"] + shares["coinsurance"] + shares["copay"] + shares["balance_bill"]
    writeoff[lines] = shares["above"] - shares["balance_bill"]
    hsa_rules = [cosmetic_code & exception, cosmetic_code, has_policy, t["dual_purpose"][proc],
                 cosmetic_only & exception, cosmetic_only]
    result["hsa"] = HSA_BY_RULE[_first_true(hsa_rules, len(hsa_rules))]
    # A covered line needs a fee schedule; the engine says so with its own message (ask it).
    result["recheck"] = p.invalid[rows] | (covered & ~has_fee)
    return result


def _first_true(conditions: list[np.ndarray], default: int) -> np.ndarray:
    """Per row, the index of the first condition that holds (``default`` when none does), as int8.

    What ``np.select`` would give with choices 0, 1, 2, …: the conditions become the bits of one
    number per row, and a table of 2**len(conditions) entries gives the lowest bit set.
    """
    lowest = _lowest_bit(len(conditions), default)
    bits = conditions[0].astype(np.uint16)
    scratch = np.empty(len(bits), dtype=np.uint16)
    for i, condition in enumerate(conditions[1:], start=1):
        np.left_shift(condition, i, out=scratch, dtype=np.uint16, casting="unsafe")
        bits |= scratch
    return lowest[bits]


@lru_cache(maxsize=None)
def _lowest_bit(count: int, default: int) -> np.ndarray:
    """For every number of ``count`` bits, the index of its lowest set bit (``default`` for 0)."""
    if count > 15:
        raise ValueError("at most 15 conditions fit in the bits of a uint16")
    return np.array([(m & -m).bit_length() - 1 if m else default for m in range(1 << count)], dtype=np.int8)


def _price(p: Parsed, rows: slice, lines: np.ndarray, charge: np.ndarray, fee: np.ndarray,
           in_network: np.ndarray) -> dict[str, np.ndarray]:
    """SPEC §5 for the covered ``lines`` of a block, in or out of network, with the engine's own cost functions."""

    def terms(name: str) -> np.ndarray:
        return p[name][rows][lines]

    inside = costing.in_network(
        charge, fee, deductible=terms("plan.deductible"), deductible_met=terms("accumulators.deductible_met"),
        coins_micro=terms("plan.coinsurance"), copay=terms("plan.copay"), oop_max=terms("plan.oop_max"),
        oop_met=terms("accumulators.oop_met"))
    outside = costing.out_of_network(
        charge, fee, allowed_micro=terms("plan.oon.allowed_pct"), deductible=terms("plan.oon.deductible"),
        deductible_met=terms("accumulators.oon_deductible_met"), coins_micro=terms("plan.oon.coinsurance"),
        oop_max=terms("plan.oon.oop_max"), oop_met=terms("accumulators.oon_oop_met"))
    out = {name: np.where(in_network, getattr(inside, name), getattr(outside, name))
           for name in ("allowed", "deductible", "coinsurance", "copay", "plan_pays")}
    out["above"] = charge - out["allowed"]  # CO 45 in network, the PR 45 balance bill out of network
    out["balance_bill"] = np.where(in_network, 0, out["above"])
    return out


def _frame(r: dict[str, np.ndarray], index: pd.Index, cat: "Catalog") -> pd.DataFrame:
    check = r["check"]
    carcs = [carc for carc, _ in CHECKS]
    decision = np.where(check == COVERED, 0, np.where(check <= 1, 2, 1))
    denied = check < COVERED
    codes = {
        "decision": pd.Categorical.from_codes(decision, DECISIONS),
        "network": pd.Categorical.from_codes(r["network"], NETWORKS),
        "reason_group": pd.Categorical.from_codes(np.where(denied, np.where(r["co"], 0, 1), -1), GROUPS),
        "reason_carc": pd.Categorical.from_codes(np.where(denied, check, -1), carcs),
        "reason_text": pd.Categorical.from_codes(np.where(denied, check, -1),
                                                 [cat.reasons[c].name for c in carcs]),
        "hsa_fsa": pd.Categorical.from_codes(r["hsa"], HSA_STATUSES),
        "error": np.full(len(check), None, dtype=object),
    }
    # One block of dollars, filled in place: pandas takes it as it is instead of stacking nine columns.
    out = pd.DataFrame(r["dollars"].T, index=index, columns=list(DOLLAR_COLUMNS), copy=False)
    for name, values in codes.items():
        out.insert(RESULT_COLUMNS.index(name), name, values)
    return out


def _recheck(df: pd.DataFrame, out: pd.DataFrame, rows: np.ndarray, cat: "Catalog") -> int:
    """Ask the scalar path about the flagged rows: the parser's message (or, never expected, an outcome).

    Identical rows are asked once. Returns the number of rows that got an error.
    """
    positions = np.flatnonzero(rows)
    if not len(positions):
        return 0
    columns = [c for c in df.columns if c in SPECS]
    answers: dict[Any, Any] = {}
    errors = np.full(len(out), None, dtype=object)
    outcomes = {}
    for position, record in zip(positions, df.iloc[positions][columns].to_dict("records")):
        key = tuple(None if is_empty(v) else v for v in record.values())  # NaN is not equal to NaN
        answer = answers.get(key) if _hashable(key) else None
        if answer is None:
            answer = _scalar(record, cat)
            if _hashable(key):
                answers[key] = answer
        if isinstance(answer, str):
            errors[position] = answer
        else:
            outcomes[position] = answer
    failed = errors != None  # noqa: E711 (an element-wise test on an object array)
    for name in RESULT_COLUMNS[:-1]:
        out[name] = out[name].mask(failed)
    out["error"] = errors
    for position, outcome in outcomes.items():
        for name, value in outcome_to_row(outcome).items():
            out.iat[position, out.columns.get_loc(name)] = value
    return int(failed.sum())


def _hashable(key: tuple) -> bool:
    try:
        hash(key)
    except TypeError:
        return False
    return True


def _scalar(record: dict[str, Any], cat: "Catalog") -> Any:
    """The scalar path's answer for one row: its error message, or its outcome."""
    from .engine import evaluate

    try:
        return evaluate(row_to_dict(record), cat)
    except ScenarioError as err:
        return str(err)
