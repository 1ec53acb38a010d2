"""``evaluate_frame(df)``: SPEC §4 and §5 over a whole table of scenarios at once.

One scenario per row, columns named by their dotted paths (see :mod:`medspa_kit.columns`). The
checks run in SPEC §4 order over whole columns, reading the same rule tables as the scalar
``evaluate`` (the catalog's frames: procedures, coverage policies, cosmetic diagnoses, HSA
exceptions, provider types, facility kinds, places of service, reason codes) and pricing with
the same :mod:`medspa_kit.cost` functions, called on arrays. A test feeds the same generated
scenarios to both paths and compares every field of every row.

A row the scenario parser would reject gets that parser's own one-line message in ``error``
(field and value) and empty results; the rest of the table is evaluated as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import cost as costing
from .batch_cells import Parsed, parse_frame
from .catalog import FACILITY_KINDS, PLAN_TYPES, PROVIDER_TYPES, default_catalog
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


def _diagnosis_matches(p: Parsed, cat: "Catalog", proc: np.ndarray) -> dict[str, np.ndarray]:
    """Per row: the first coverage-policy row matched (-1: none), a cosmetic code, an HSA exception."""
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
    dx = p["diagnoses"]  # -1, an empty cell, is the last list: ()
    return {"policy": first[proc, dx], "cosmetic": any_prefix("cosmetic_diagnoses")[dx],
            "exception": any_prefix("hsa_exceptions")[dx]}


def _adjudicate(p: Parsed, cat: "Catalog") -> tuple[dict[str, np.ndarray], np.ndarray]:
    procs = cat.frames["procedures"]
    proc = p["service.code"]
    cash = costing.to_cents(procs["cash_price"].to_numpy(dtype=float))[proc]
    catalog_fee = procs["fee_schedule"].to_numpy(dtype=float, na_value=np.nan)
    has_fee = np.where(p["service.fee_schedule:present"], True, ~np.isnan(catalog_fee)[proc])
    charge = np.where(p["service.charge:present"], p["service.charge"], cash)
    fee = np.where(p["service.fee_schedule:present"], p["service.fee_schedule"],
                   costing.to_cents(np.nan_to_num(catalog_fee))[proc])

    can_bill = _by(cat.frames["provider_types"], "type", "can_bill", PROVIDER_TYPES)[p["provider.type"]]
    kinds = cat.frames["facility_kinds"]
    medical = _by(kinds, "kind", "medical", FACILITY_KINDS)[p["facility.kind"]]
    default_place = np.array([p.places.index(x) for x in _by(kinds, "kind", "default_place_of_service",
                                                              FACILITY_KINDS)])
    place = np.where(p["facility.place_of_service:present"], p["facility.place_of_service"],
                     default_place[p["facility.kind"]])
    in_network = p["facility.credentialed"] & p["facility.participating"]
    no_oon_type = np.array([t in ("HMO", "EPO") for t in PLAN_TYPES])[p["plan.type"]]
    oon_benefits = p["plan.oon:present"] & ~no_oon_type

    found = _diagnosis_matches(p, cat, proc)
    policy = found["policy"]
    has_policy = policy >= 0
    policies = cat.frames["coverage_policies"]
    needs_auth = np.append(policies["prior_auth"].to_numpy(dtype=bool), False)[policy]
    min_days = np.append(policies["min_interval_days"].to_numpy(dtype=float, na_value=np.nan), np.nan)[policy]
    cosmetic_only = procs["cosmetic_by_default"].to_numpy(dtype=bool)[proc]
    dual_purpose = procs["dual_purpose"].to_numpy(dtype=bool)[proc]

    covered_lists = np.array([[code in covered for code in p.places] for covered in p.covered_lists], dtype=bool)
    place_ok = ~p["plan.covered_places_of_service:present"] | covered_lists[p["plan.covered_places_of_service"],
                                                                            place]
    days = p["date_of_service"] - p["accumulators.last_treatment"]
    with np.errstate(invalid="ignore"):
        too_soon = has_policy & p["accumulators.last_treatment:present"] & (days < min_days)

    failing = [
        ~can_bill,
        ~medical,
        found["cosmetic"] | (cosmetic_only & ~has_policy),
        ~has_policy | ~p["documentation.criteria_documented"],
        ~place_ok,
        ~in_network & ~oon_benefits,
        in_network & ~p["provider.credentialed"],
        has_policy & needs_auth & ~p["documentation.prior_auth"],
        too_soon,
    ]
    first = _first_true(failing, COVERED)
    liability_co = in_network & ~p["documentation.waiver_signed"]  # SPEC §4 liability rule
    fixed_co = np.array([group == "CO" for _, group in CHECKS] + [False])
    by_liability = np.array([group is None for _, group in CHECKS] + [False])
    co = np.where(by_liability[first], liability_co, fixed_co[first])

    covered = first == COVERED
    lines = np.flatnonzero(covered)
    shares = _price(p, lines, charge[lines], fee[lines], in_network[lines])
    # A denied line carries its whole charge: the patient's when PR, the clinic's when CO.
    patient = np.where(co, 0, charge)
    writeoff = charge - patient
    result = {"check": first, "co": co, "network": np.where(first <= 1, 2, np.where(in_network, 0, 1)),
              "charge": charge, "patient_pays": patient, "provider_writeoff": writeoff}
    for name in ("allowed", "deductible", "coinsurance", "copay", "plan_pays", "balance_bill"):
        result[name] = np.zeros(p.n, dtype=np.int64)
        result[name][lines] = shares[name]
    patient[lines] = shares["deductible"] + shares["coinsurance"] + shares["copay"] + shares["balance_bill"]
    writeoff[lines] = shares["above"] - shares["balance_bill"]
    rules = [found["cosmetic"] & found["exception"], found["cosmetic"], has_policy, dual_purpose,
             cosmetic_only & found["exception"], cosmetic_only]
    result["hsa"] = np.array([0, 2, 0, 1, 0, 2, 1], dtype=np.int8)[_first_true(rules, len(rules))]
    # A covered line needs a fee schedule; the engine says so with its own message (ask it).
    recheck = p.invalid | (covered & ~has_fee)
    return result, recheck


def _first_true(conditions: list[np.ndarray], default: int) -> np.ndarray:
    """Per row, the index of the first condition that holds (``default`` when none does), as int8.

    What ``np.select`` would give with choices 0, 1, 2, …: the conditions become the bits of one
    number per row, and a table of 2**len(conditions) entries gives the lowest bit set.
    """
    if len(conditions) > 15:
        raise ValueError("at most 15 conditions fit in the bits of a uint16")
    lowest = np.array([(m & -m).bit_length() - 1 if m else default for m in range(1 << len(conditions))],
                      dtype=np.int8)
    bits = conditions[0].astype(np.uint16)
    scratch = np.empty(len(bits), dtype=np.uint16)
    for i, condition in enumerate(conditions[1:], start=1):
        np.left_shift(condition, i, out=scratch, dtype=np.uint16, casting="unsafe")
        bits |= scratch
    return lowest[bits]


def _price(p: Parsed, lines: np.ndarray, charge: np.ndarray, fee: np.ndarray,
           in_network: np.ndarray) -> dict[str, np.ndarray]:
    """SPEC §5 for the covered ``lines``, in or out of network, with the engine's own cost functions."""

    def terms(name: str) -> np.ndarray:
        return p[name][lines]

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
    # One block of dollars, written in place: pandas takes it as it is instead of stacking nine columns.
    dollars = np.empty((len(DOLLAR_COLUMNS), len(check)))
    for i, name in enumerate(DOLLAR_COLUMNS):
        np.divide(r[name], 100, out=dollars[i])
    out = pd.DataFrame(dollars.T, index=index, columns=list(DOLLAR_COLUMNS), copy=False)
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
