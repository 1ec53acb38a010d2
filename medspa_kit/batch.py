"""``evaluate_frame(df)``: the checks and the pricing over a whole table of scenarios at once.

One scenario per row, columns named by their dotted paths (see :mod:`medspa_kit.columns`). The
rows go a block at a time through the same verdicts as the scalar ``evaluate``
(:mod:`medspa_kit.rules`, in the order of ``checks.csv``), read the same rule tables (the
catalog's frames) and are priced with the same :mod:`medspa_kit.cost` functions, called on
arrays. What is special here is only how cells are read and looked up fast. A test feeds the
same generated scenarios to both paths and compares every field of every row.

A row the scenario parser would reject gets that parser's own one-line message in ``error``
(field and value) and empty results; the rest of the table is evaluated as usual.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import cost as costing
from .batch_cells import BLOCK, Parsed, distinct_days, parse_frame
from .catalog import given_catalog
from .catalog.store import criteria_met
from .columns import (COLUMNS, DOLLAR_COLUMNS, LINE_COLUMNS, LINE_SPECS, RESULT_COLUMNS, SPECS, check_columns,
                      claim_to_dict, is_empty, outcome_to_row, row_to_dict)
from .errors import ScenarioError, subclassed_number, unwrapped
from .facts import code_set_warning, preventive_line, service_history
from .money import rate_micro, times_rate, to_cents
from .fields import FACILITY_KINDS, PLAN_TYPES, PROVIDER_TYPES
from .rules import RULES, liability_is_co, network_index
from .rules.hsa import hsa_conditions
from .rules.network import in_network, out_of_network_benefits
from .vocabulary import CLAIM_DECISIONS, DECISIONS, GROUPS, HSA_STATUSES, NETWORKS

if TYPE_CHECKING:
    from .catalog import Catalog

__all__ = ["evaluate_frame", "RESULT_COLUMNS"]


def check_table(df: Any) -> None:
    """Raise ScenarioError unless ``df`` is a pandas DataFrame with one header row, each column
    named once."""
    if not isinstance(df, pd.DataFrame):
        raise ScenarioError.one("table", f"expected a pandas DataFrame (one scenario per row), got {type(df).__name__}")
    if df.columns.nlevels > 1:
        raise ScenarioError.one("table", f"its columns have {df.columns.nlevels} header rows; the batch reads one "
                                         "(column names such as \"plan.deductible\")")
    twice = df.columns[df.columns.duplicated()]
    if len(twice):
        raise ScenarioError.one(str(twice[0]), "the column is given twice: a table names each column once")


def plain_cells(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every cell that is a number of a subclass of ``int``, ``float`` or a numpy
    number as the number it holds, read without any method of the subclass (its ``__int__``,
    ``__float__`` or ``repr`` may fail or say another number); ``df`` itself when it holds none.
    Only object columns are looked at, by the types of their cells (one pass in C)."""
    changed = {}
    for position in range(df.shape[1]):
        column = df.iloc[:, position]
        if column.dtype != object:
            continue
        values = column.to_numpy(dtype=object)
        odd = {kind for kind in set(map(type, values)) if subclassed_number(kind)}
        if odd:
            changed[position] = pd.Series([unwrapped(v) if type(v) in odd else v for v in values],
                                          index=df.index, dtype=object)
    if not changed:
        return df
    out = df.copy()
    for position, values in changed.items():
        out.isetitem(position, values)
    return out


def evaluate_frame(df: pd.DataFrame, catalog: "Catalog | None" = None) -> pd.DataFrame:
    """Adjudicate every row of ``df``: the checks and the pricing of ``evaluate``, over columns.

    Parameters
    ----------
    df : pandas.DataFrame
        One claim per row (version 1: ``service.*`` columns), or one **line** per row with a
        ``claim_id`` column (version 2: ``line.*`` columns, the lines of a claim on adjacent rows
        in order, the claim's fields repeated on each); other columns are named by dotted paths
        (``plan.oon.coinsurance``, …); cells typed or as text (docs/scenario.md, "the batch
        format"). Money in dollars, rates as fractions 0–1, dates ISO.
    catalog : Catalog, optional
        The rule tables; the bundled ones by default.

    Returns
    -------
    pandas.DataFrame
        One row per input row, on the same index (a line's results for a table of claims, with
        the claim's decision in ``claim_decision``): ``decision``, ``network``, ``reason_group``,
        ``reason_carc``, ``reason_text``, the nine cost fields in **dollars** (``charge`` …
        ``balance_bill``), ``hsa_fsa`` (status) and ``error`` (the parser's message for an
        invalid row, whose other columns are then empty). ``result.attrs`` holds ``rows``,
        ``errors`` and ``rechecked`` (rows the scalar path was asked about).

    Raises
    ------
    ScenarioError
        Only for a problem with the table itself: not a DataFrame, a required column missing, a
        column named twice, or a dotted column that is no scenario field. A bad row is an ``error`` cell, never an exception.

    References
    ----------
    .. [1] docs/checks.md and docs/cost.md: the same rules as :func:`medspa_kit.engine.evaluate`,
       which agrees with this function on every row (tests/test_batch_agreement.py).
    """
    check_table(df)
    df = plain_cells(df)
    cat = given_catalog(catalog)
    claims = "claim_id" in df.columns
    check_columns(df.columns, claims)
    for spec in [c for c in COLUMNS if not (claims and c.path.startswith("service."))] + list(
            LINE_COLUMNS if claims else ()):
        if spec.required and spec.path not in df.columns:
            raise ScenarioError.one(spec.path, "required column is missing from the table")
    parsed = parse_frame(df, cat, claims=claims)
    result, recheck = _adjudicate(parsed, cat)
    out = _frame(result, parsed, df.index, cat, claims)
    errors = _recheck(df, out, parsed, recheck, cat, claims)
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
    """Per distinct diagnosis list: a cosmetic code, an HSA exception; per payer, procedure and list,
    the first coverage-policy row matched (-1: none), the payer's own rows or else the ``*`` rows;
    per procedure and list, a recognised medical use (any payer's row, not an experimental one).
    Index them with the row's codes (-1: no list)."""
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
    policy_payer = policies["payer"].to_numpy()
    experimental = policies["experimental"].to_numpy(dtype=bool)
    ok = on_diagnosis & with_diagnosis  # lists × policy rows
    payers = list(cat.keyed["payers"])
    # Per payer, procedure and distinct diagnosis list: the first policy row, in file order, that they satisfy.
    first = np.full((len(payers), len(p.procedure_ids), len(keys)), -1, dtype=np.int32)
    medical_use = np.zeros((len(p.procedure_ids), len(keys)), dtype=bool)
    for procedure in np.unique(policy_procedure[policy_procedure >= 0]):
        mine = policy_procedure == procedure
        medical_use[procedure] = ok[:, mine & ~experimental].any(axis=1)
        generic = np.flatnonzero(mine & (policy_payer == "*"))
        for k, payer in enumerate(payers):
            rows = np.flatnonzero(mine & (policy_payer == payer))
            rows = rows if len(rows) or not cat.takes_generic_rows(payer) else generic
            if not len(rows):
                continue
            hit = ok[:, rows]
            first[k, procedure] = np.where(hit.any(axis=1), rows[hit.argmax(axis=1)], -1)
    return {"policy": first, "medical_use": medical_use, "cosmetic": any_prefix("cosmetic_diagnoses"),
            "exception": any_prefix("hsa_exceptions")}


def _criteria_table(p: Parsed, cat: "Catalog") -> np.ndarray:
    """policy rows (one more for "no row") × distinct criteria lists: does the list meet the row's criteria?"""
    bits = np.array([cat.criteria_bits(documented) for documented in p.criteria_lists], dtype=np.int64)
    table = np.ones((len(cat.policies) + 1, len(bits)), dtype=bool)
    for policy in cat.policies:
        if policy.criteria_ids:
            table[policy.index] = criteria_met(bits, cat.criteria_groups(policy))
    return table


def _tables(p: Parsed, cat: "Catalog") -> dict[str, Any]:
    """The rule tables as arrays indexed by the parsed codes (procedure, provider type, ...)."""
    procs = cat.frames["procedures"]
    catalog_fee = procs["fee_schedule"].to_numpy(dtype=float, na_value=np.nan)
    kinds = cat.frames["facility_kinds"]
    policies = cat.frames["coverage_policies"]
    checks = cat.checks[1:]  # the first check (inputs) is the parser's: invalid rows are flagged apart
    adjustments = cat.keyed["adjustments"]
    hsa = cat.hsa_rules
    records = [cat.procedures[i] for i in p.procedure_ids]
    ids = {code: i for i, code in enumerate(p.procedure_ids)}
    line_codes = {code: ids[cat.line_codes[code]] for code in cat.line_codes}

    def codes_mask(attribute: str) -> tuple[np.ndarray, np.ndarray]:
        """Each procedure's ``attribute`` codes as procedure numbers: (where each procedure's run
        starts, one more at the end; the runs, concatenated)."""
        runs = [[line_codes[code] for code in getattr(proc, attribute) if code in line_codes] for proc in records]
        starts = np.concatenate([[0], np.cumsum([len(run) for run in runs])]).astype(np.int64)
        return starts, np.array([code for run in runs for code in run], dtype=np.int64)

    category = np.array([proc.category for proc in records])
    return {
        "cash": to_cents(procs["cash_price"].to_numpy(dtype=float)),
        "has_catalog_fee": ~np.isnan(catalog_fee),
        "catalog_fee": to_cents(np.nan_to_num(catalog_fee)),
        "cosmetic_only": procs["cosmetic_by_default"].to_numpy(dtype=bool),
        "dual_purpose": procs["dual_purpose"].to_numpy(dtype=bool),
        "coverage": np.array([ids[proc.coverage_id] for proc in records]),
        "max_units": np.array([np.nan if proc.max_units is None else proc.max_units for proc in records]),
        "add_on_to": codes_mask("add_on_to"),
        "drug_for": codes_mask("drug_for"),
        "not_with": codes_mask("not_with"),
        "is_add_on": np.array([bool(proc.add_on_to) for proc in records]),
        "is_drug": np.array([bool(proc.drug_for) for proc in records]),
        "has_not_with": np.array([bool(proc.not_with) for proc in records]),
        "office_visit": category == "office_visit",
        "a_procedure": ~np.isin(category, ["office_visit", "drug"]),
        "drug": category == "drug",
        # each procedure's code among the history's codes (one past the end: not in any history)
        "history_code": np.array([p.history_codes.index(proc.code or proc.id) if (proc.code or proc.id) in
                                  p.history_codes else len(p.history_codes) for proc in records], dtype=np.int64),
        "hair_removal": np.array([proc.hsa_entry == "hair_removal" for proc in records]),
        "can_bill": _by(cat.frames["provider_types"], "type", "can_bill", PROVIDER_TYPES),
        "medicare_fee_micro": rate_micro(_by(cat.frames["provider_types"], "type", "medicare_fee_pct",
                                             PROVIDER_TYPES).astype(float)),
        "medical": _by(kinds, "kind", "medical", FACILITY_KINDS),
        "default_place": np.array([p.places.index(x)
                                   for x in _by(kinds, "kind", "default_place_of_service", FACILITY_KINDS)]),
        "pays_oon": _by(cat.frames["plan_types"], "type", "out_of_network_benefits", PLAN_TYPES).astype(bool),
        "enrollment_network": _by(cat.frames["plan_types"], "type", "enrollment_is_network", PLAN_TYPES).astype(bool),
        "referral_default": _by(cat.frames["plan_types"], "type", "referral_required", PLAN_TYPES).astype(bool),
        "payer_medicare": np.array([cat.payer_kind(payer) == "medicare" for payer in cat.keyed["payers"]]),
        # a policy row's columns, with one more entry for "no policy" (index -1)
        "needs_auth": np.append(policies["prior_auth"].to_numpy(dtype=bool), False),
        "needs_criteria": np.append(policies["criteria_required"].to_numpy(dtype=bool), False),
        "has_criteria_ids": np.append([bool(policy.criteria_ids) for policy in cat.policies], False),
        "criteria_met": _criteria_table(p, cat),
        "experimental": np.append(policies["experimental"].to_numpy(dtype=bool), False),
        "preventive": np.append(policies["preventive"].to_numpy(dtype=bool), False),
        "min_days": np.append(policies["min_interval_days"].to_numpy(dtype=float, na_value=np.nan), np.nan),
        "max_year": np.append(policies["max_per_year"].to_numpy(dtype=float, na_value=np.nan), np.nan),
        "covered_lists": np.array([[code in covered for code in p.places] for covered in p.covered_lists],
                                  dtype=bool).reshape(len(p.covered_lists), len(p.places)),
        # checks.csv, in order, and one more entry for "covered"
        "checks": checks,
        "decision": np.array([DECISIONS.index(c.decision) for c in checks] + [DECISIONS.index("covered")]),
        "fixed_co": np.array([c.group == "CO" for c in checks] + [False]),
        "by_liability": np.array([c.group == "liability" for c in checks] + [False]),
        "by_limit": np.array([c.group == "limit" for c in checks] + [False]),
        "hsa": hsa,
        "hsa_status": np.array([HSA_STATUSES.index(r["status"]) for r in hsa], dtype=np.int8),
        # adjustments.csv: does the patient owe each cost component, out of network and in network?
        "patient_owes": {name: np.array([row["out_of_network"] == "PR", row["in_network"] == "PR"])
                         for name, row in adjustments.items()},
        **_diagnosis_tables(p, cat),
    }


def _adjudicate(p: Parsed, cat: "Catalog") -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every row's first failing check, group, network, HSA status and dollars.

    The rule tables are built once; the rows go a block at a time (a block never splits a claim),
    and each block's cents are written straight into the one float block of dollars the result
    frame is made of.
    """
    t = _tables(p, cat)
    out = {"check": np.empty(p.n, dtype=np.int8), "co": np.empty(p.n, dtype=bool),
           "network": np.empty(p.n, dtype=np.int8), "hsa": np.empty(p.n, dtype=np.int8),
           "dollars": np.empty((len(DOLLAR_COLUMNS), p.n))}
    recheck = np.empty(p.n, dtype=bool)
    starts = np.flatnonzero(np.r_[True, p.claim[1:] != p.claim[:-1]]) if p.n else np.zeros(0, dtype=np.int64)
    start = 0
    while start < p.n:
        # the first claim start at or after start + BLOCK ends the block
        stop = p.n if start + BLOCK >= p.n else int(starts[np.searchsorted(starts, start + BLOCK)]) if (
            starts[-1] >= start + BLOCK) else p.n
        rows = slice(start, stop)
        block = _block(p, rows, t)
        for name in ("check", "co", "network", "hsa"):
            out[name][rows] = block[name]
        for i, name in enumerate(DOLLAR_COLUMNS):
            np.divide(block[name], 100, out=out["dollars"][i, rows])
        recheck[rows] = block["recheck"]
        start = stop
    return out, recheck


FACT_NAMES = ("can_bill", "medical_site", "add_on_without_base", "drug_without_administration", "office_visit",
              "procedure_on_claim", "modifier_25", "excluded_code_on_claim", "modifier_59", "modifier_GY", "units",
              "max_units",
              "cosmetic_diagnosis", "cosmetic_only", "medicare", "dual_purpose", "hair_removal", "medical_use",
              "has_policy", "hsa_exception", "experimental", "criteria_documented", "place_covered", "in_network",
              "oon_benefits", "provider_credentialed", "referral_required", "referral", "needs_prior_auth",
              "prior_auth", "days_since_last", "min_interval_days", "count_in_year", "max_per_year",
              "waiver_signed")
"""the verdicts' inputs this engine builds as columns (a test checks it is what ``_facts`` returns)"""

COVERAGE = ("cosmetic_diagnosis", "cosmetic_only", "dual_purpose", "hair_removal", "medical_use", "has_policy",
            "hsa_exception", "experimental", "criteria_documented", "needs_prior_auth", "days_since_last",
            "min_interval_days", "count_in_year", "max_per_year")
"""the facts a drug line takes from the line that gives it (as :data:`medspa_kit.facts.COVERAGE_FACTS`)"""


def _facts(p: Parsed, rows: slice, t: dict[str, Any]) -> dict[str, np.ndarray]:
    """The verdicts' inputs for the rows of one block, named as in :class:`medspa_kit.facts.Facts`."""

    def col(name: str) -> np.ndarray:
        return p[name][rows]

    proc = col("line.code")
    n = len(proc)
    place = np.where(col("facility.place_of_service:present"), col("facility.place_of_service"),
                     t["default_place"][col("facility.kind")])
    dx = col("line.diagnoses")
    payer = col("payer")
    medicare = t["payer_medicare"][payer]
    coverage = t["coverage"][proc]
    policy = t["policy"][payer, coverage, dx]
    plan_type = col("plan.type")
    network = in_network(col("facility.credentialed"), col("facility.participating"),
                         t["enrollment_network"][plan_type])
    latest, count = _service_history(p, rows, t["history_code"][proc])
    days = (col("date_of_service") - latest).astype(float)
    crit_given = col("documentation.criteria:present")
    waiver = col("documentation.waiver_signed")
    f = {
        "procedure": proc,
        "policy": policy,
        "can_bill": t["can_bill"][col("provider.type")],
        "medical_site": t["medical"][col("facility.kind")],
        **_claim_context(p.claim[rows], proc, t),
        "office_visit": t["office_visit"][proc],
        "modifier_25": col("line.modifier_25"),
        "modifier_59": col("line.modifier_59"),
        "modifier_GY": col("line.modifier_GY"),
        "units": col("line.units"),
        "max_units": t["max_units"][proc],
        "cosmetic_diagnosis": t["cosmetic"][dx],
        "cosmetic_only": t["cosmetic_only"][proc],
        "medicare": medicare,
        "dual_purpose": t["dual_purpose"][proc],
        "hair_removal": t["hair_removal"][proc],
        "medical_use": t["medical_use"][coverage, dx],
        "has_policy": policy >= 0,
        "hsa_exception": t["exception"][dx],
        "experimental": t["experimental"][policy],
        "criteria_documented": ~t["needs_criteria"][policy] | np.where(
            crit_given & t["has_criteria_ids"][policy],
            t["criteria_met"][policy, col("documentation.criteria")], col("documentation.criteria_documented")),
        "place_covered": (np.logical_not(col("plan.covered_places_of_service:present"))
                          | t["covered_lists"][col("plan.covered_places_of_service"), place]),
        "in_network": network,
        "oon_benefits": out_of_network_benefits(col("plan.oon:present"), t["pays_oon"][plan_type]),
        "provider_credentialed": col("provider.credentialed"),
        "referral_required": np.where(col("plan.referral_required:present"), col("plan.referral_required"),
                                      t["referral_default"][plan_type]),
        "referral": col("documentation.referral"),
        "needs_prior_auth": t["needs_auth"][policy],
        "prior_auth": col("documentation.prior_auth"),
        "days_since_last": np.where(latest >= 0, days, np.nan),
        "min_interval_days": t["min_days"][policy],
        "count_in_year": count,
        "max_per_year": t["max_year"][policy],
        # under Original Medicare the ABN is the waiver: GA on the line says one is on file, GZ that none is
        "waiver_signed": np.where(medicare, col("line.modifier_GA") | (waiver & ~col("line.modifier_GZ")), waiver),
    }
    given = f.pop("administration")
    if (given >= 0).any():  # a drug line is decided as the line that gives it
        source = np.where(given >= 0, given, np.arange(n))
        for name in COVERAGE + ("policy",):
            f[name] = f[name][source]
    return f


def _service_history(p: Parsed, rows: slice, code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # code: per row, its line's code among ``p.history_codes``
    """Per row of the block, the latest earlier treatment of its code (day number, the last
    treatment included; -1: none on record) and the count in the 365 days before the date of
    service, by :func:`medspa_kit.facts.service_history` over the block's history entries."""
    dos = p["date_of_service"][rows]
    last = np.where(p["accumulators.last_treatment:present"][rows], p["accumulators.last_treatment"][rows], -1)
    entry_row = p["history.row"]
    lo, hi = np.searchsorted(entry_row, [rows.start, rows.stop])
    if lo == hi:
        return last, np.zeros(len(dos), dtype=np.int64)
    width = len(p.history_codes) + 1
    latest, count = service_history((entry_row[lo:hi] - rows.start) * width + p["history.code"][lo:hi],
                                    p["history.day"][lo:hi], np.arange(len(dos)) * width + code, dos)
    return np.maximum(latest, last), count


def _claim_context(claim: np.ndarray, proc: np.ndarray, t: dict[str, Any]) -> dict[str, np.ndarray]:
    """What a line's claim holds besides it: base codes, administrations, excluded codes, procedures.

    In a table of one-line claims nothing else is on any claim. In a table of claims, each line
    that needs to know (an add-on, a drug, a code with a code-pair edit) looks up its few codes
    among the claim's (claim, code) pairs; no claims × codes matrix is built.
    """
    n = len(proc)
    add_on, drug, excluded = t["is_add_on"][proc], t["is_drug"][proc], t["has_not_with"][proc]
    out = {"add_on_without_base": add_on.copy(), "drug_without_administration": drug.copy(),
           "excluded_code_on_claim": np.zeros(n, dtype=bool), "procedure_on_claim": np.zeros(n, dtype=bool),
           "administration": np.full(n, -1, dtype=np.int64)}
    if n == 0 or claim[-1] - claim[0] + 1 == n:  # every claim of the block has one line
        return out
    local = claim - claim[0]
    a_procedure = t["a_procedure"][proc]
    procedures = np.bincount(local, weights=a_procedure, minlength=local[-1] + 1)
    out["procedure_on_claim"] = procedures[local] - a_procedure > 0
    needy = np.flatnonzero(add_on | drug | excluded)
    if not len(needy):
        return out
    width = t["a_procedure"].shape[0]
    keys, first = np.unique(local * width + proc, return_index=True)  # the claim's codes, each first row
    for name, found_name in (("add_on_to", "add_on_without_base"), ("drug_for", "drug_without_administration"),
                             ("not_with", "excluded_code_on_claim")):
        starts, runs = t[name]  # each line's candidate codes: its procedure's run
        lengths = starts[proc[needy] + 1] - starts[proc[needy]]
        if not lengths.any():
            continue
        rows = np.repeat(np.arange(len(needy)), lengths)
        codes = runs[np.arange(len(rows)) + np.repeat(starts[proc[needy]] - np.cumsum(lengths) + lengths, lengths)]
        wanted = local[needy[rows]] * width + codes
        at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        present = keys[at] == wanted
        any_present = np.bincount(rows, weights=present, minlength=len(needy)) > 0
        if name == "not_with":
            out[found_name][needy] = any_present
        else:
            out[found_name][needy] &= ~any_present
        if name == "drug_for":  # the line that gives the drug: the claim's first line of those codes
            given = np.where(present, first[at], n)
            row = np.full(len(needy), n, dtype=np.int64)
            np.minimum.at(row, rows, given)
            out["administration"][needy] = np.where(drug[needy] & (row < n), row, -1)
    return out


def _block(p: Parsed, rows: slice, t: dict[str, Any]) -> dict[str, np.ndarray]:
    """The checks (in ``checks.csv`` order) and the pricing for the rows of one block."""
    f = _facts(p, rows, t)
    proc = f["procedure"]
    n = len(proc)
    units = f["units"]
    charge = np.where(p["line.charge:present"][rows], p["line.charge"][rows], t["cash"][proc] * units)
    fee = np.where(p["line.fee_schedule:present"][rows], p["line.fee_schedule"][rows], t["catalog_fee"][proc]) * units
    has_fee = p["line.fee_schedule:present"][rows] | t["has_catalog_fee"][proc]
    # Original Medicare: an NP or PA gets 85 %, a clinic that does not accept assignment 95 % of
    # that and may bill up to the limiting charge; a drug is paid on assignment at its payment limit.
    medicare_service = f["medicare"] & ~t["drug"][proc]
    nonpar = medicare_service & ~p["facility.participating"][rows]
    if medicare_service.any():
        fee = np.where(medicare_service, times_rate(fee, t["medicare_fee_micro"][p["provider.type"][rows]]), fee)
        fee = np.where(nonpar, times_rate(fee, p["medicare.nonpar_micro"][rows]), fee)
    limiting = np.where(nonpar, p["medicare.limiting_micro"][rows], 0)
    cost_sharing = ~preventive_line(t["preventive"][f["policy"]], f["medicare"], f["in_network"],
                                    p["plan.grandfathered"][rows])

    with np.errstate(invalid="ignore"):  # NaN days, intervals or limits never fail a check
        failing = [RULES[check.id].fails(f) for check in t["checks"]]
    covered_index = len(failing)
    first = _first_true(failing, covered_index)
    liable = t["by_liability"][first] | (t["by_limit"][first] & f["medicare"])  # as rules.denial_is_co says
    co = np.where(liable, liability_is_co(f["in_network"], f["waiver_signed"]), t["fixed_co"][first])

    covered = first == covered_index
    lines = np.flatnonzero(covered)
    denied = costing.denied(charge, co)
    result = {"check": first, "co": co,
              "network": network_index(t["decision"][first] == DECISIONS.index("not_billable"), f["in_network"]),
              "charge": charge, **denied}
    shares, settled = _price(p, rows, lines, charge[lines], fee[lines], f["in_network"][lines], t,
                             limiting[lines], cost_sharing[lines])
    for name in ("allowed", "deductible", "coinsurance", "copay", "plan_pays"):
        result[name] = np.zeros(n, dtype=np.int64)
        result[name][lines] = getattr(shares, name)
    result["balance_bill"] = np.zeros(n, dtype=np.int64)
    for name in ("patient_pays", "provider_writeoff", "balance_bill"):
        result[name][lines] = settled[name]
    conditions = hsa_conditions(f["hair_removal"], f["cosmetic_diagnosis"], f["hsa_exception"], f["medical_use"],
                                f["dual_purpose"], f["cosmetic_only"])
    hsa_rules = [conditions[r["rule"]] for r in t["hsa"]]
    result["hsa"] = t["hsa_status"][_first_true(hsa_rules, len(hsa_rules) - 1)]
    # A covered line needs a fee schedule; the engine says so with its own message (ask it).
    result["recheck"] = p.invalid[rows] | (covered & ~has_fee)
    return result


def _first_true(conditions: list[np.ndarray], default: int) -> np.ndarray:
    """Per row, the index of the first condition that holds (``default`` when none does), as int8.

    What ``np.select`` would give with choices 0, 1, 2, …: the conditions become the bits of one
    number per row, and a table of 2**len(conditions) entries gives the lowest bit set.
    """
    if len(conditions) > 15:  # more than a uint16 holds: the first 15, then the rest
        head = _first_true(conditions[:15], 15)
        tail = _first_true(conditions[15:], default - 15)
        return np.where(head < 15, head, tail + 15).astype(np.int8)
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
           in_network: np.ndarray, t: dict[str, Any], limiting: np.ndarray,
           cost_sharing: np.ndarray) -> tuple[costing.Shares, dict[str, np.ndarray]]:
    """Cost sharing of the covered ``lines`` of a block, in or out of network, with the engine's own functions."""

    def terms(name: str) -> np.ndarray:
        return p[name][rows][lines]

    claim = p.claim[rows][lines]
    if len(claim) > 1 and (claim[1:] == claim[:-1]).any():  # some claims have several covered lines
        starts = np.r_[True, claim[1:] != claim[:-1]]
        earlier = costing.by_claim(np.maximum.accumulate(np.where(starts, np.arange(len(claim)), 0)))
    else:
        earlier = costing.alone
    inside = costing.in_network(
        charge, fee, deductible=terms("plan.deductible"), deductible_met=terms("accumulators.deductible_met"),
        coins_micro=terms("plan.coinsurance"), copay=terms("plan.copay"), oop_max=terms("plan.oop_max"),
        oop_met=terms("accumulators.oop_met"), earlier=earlier, limiting_micro=limiting, cost_sharing=cost_sharing)
    outside = costing.out_of_network(
        charge, fee, allowed_micro=terms("plan.oon.allowed_pct"), deductible=terms("plan.oon.deductible"),
        deductible_met=terms("accumulators.oon_deductible_met"), coins_micro=terms("plan.oon.coinsurance"),
        oop_max=terms("plan.oon.oop_max"), oop_met=terms("accumulators.oon_oop_met"), earlier=earlier)
    shares = costing.Shares(*(np.where(in_network, getattr(inside, name), getattr(outside, name))
                              for name in ("allowed", "above_allowed", "limiting_charge", "deductible",
                                           "coinsurance", "copay", "plan_pays")))
    owes = {name: table[in_network.astype(np.int8)] for name, table in t["patient_owes"].items()}
    return shares, costing.settle(shares, owes)


def _frame(r: dict[str, np.ndarray], p: Parsed, index: pd.Index, cat: "Catalog", claims: bool) -> pd.DataFrame:
    check = r["check"]
    checks = cat.checks[1:]
    carcs = list(dict.fromkeys(c.carc for c in checks))  # one category per reason code (151 twice)
    carc_of_check = np.array([carcs.index(c.carc) for c in checks] + [-1])
    decision = np.array([DECISIONS.index(c.decision) for c in checks] + [DECISIONS.index("covered")])[check]
    denied = check < len(checks)
    rarc_of_check = np.array([c.rarc for c in checks] + [""], dtype=object)
    rarcs = sorted({c.rarc for c in checks if c.rarc})
    rarc_index = np.array([rarcs.index(c.rarc) if c.rarc else -1 for c in checks] + [-1])
    codes = {
        "decision": pd.Categorical.from_codes(decision, DECISIONS),
        "network": pd.Categorical.from_codes(r["network"], NETWORKS),
        "reason_group": pd.Categorical.from_codes(np.where(denied, np.where(r["co"], GROUPS.index("CO"),
                                                                            GROUPS.index("PR")), -1), GROUPS),
        "reason_carc": pd.Categorical.from_codes(carc_of_check[check], carcs),
        "reason_text": pd.Categorical.from_codes(carc_of_check[check], [cat.reasons[c].name for c in carcs]),
        "reason_rarc": pd.Categorical.from_codes(np.where(rarc_of_check[check] != "", rarc_index[check], -1),
                                                 rarcs),
        "hsa_fsa": pd.Categorical.from_codes(r["hsa"], HSA_STATUSES),
        "warning": _warnings(p, cat),
        "error": np.full(len(check), None, dtype=object),
    }
    # One block of dollars, filled in place: pandas takes it as it is instead of stacking nine columns.
    out = pd.DataFrame(r["dollars"].T, index=index, columns=list(DOLLAR_COLUMNS), copy=False)
    for name, values in codes.items():
        out.insert(RESULT_COLUMNS.index(name), name, values)
    if claims:
        out.insert(0, "claim_decision", pd.Categorical.from_codes(_claim_decisions(decision, p.claim),
                                                                  CLAIM_DECISIONS))
    return out


def _warnings(p: Parsed, cat: "Catalog") -> pd.Categorical:
    """Per row, what to check by hand (a date of service outside the code set), one text per date."""
    days, at = distinct_days(p["date_of_service"])
    texts = [code_set_warning(dt.date.fromordinal(int(day)), cat) if day > 0 else "" for day in days]
    categories = sorted({text for text in texts if text})
    codes = np.array([categories.index(text) if text else -1 for text in texts] + [-1])
    return pd.Categorical.from_codes(codes[at] if len(at) else np.zeros(0, dtype=int), categories)


def _claim_decisions(decision: np.ndarray, claim: np.ndarray) -> np.ndarray:
    """Per row, its claim's decision: as its lines if they all fare alike, else partly covered or denied."""
    if not len(claim):
        return np.zeros(0, dtype=np.int8)
    n_claims = claim[-1] + 1
    kinds = np.zeros((n_claims, len(DECISIONS)), dtype=bool)
    kinds[claim, decision] = True
    alike = kinds.sum(axis=1) == 1
    covered = kinds[:, DECISIONS.index("covered")]
    per_claim = np.where(alike, kinds.argmax(axis=1),
                         np.where(covered, CLAIM_DECISIONS.index("partly_covered"), DECISIONS.index("denied")))
    return per_claim[claim].astype(np.int8)


def _recheck(df: pd.DataFrame, out: pd.DataFrame, p: Parsed, rows: np.ndarray, cat: "Catalog", claims: bool) -> int:
    """Ask the scalar path about the flagged rows: the parser's message (or, never expected, an outcome).

    A claim is asked whole, once (identical one-row claims are asked once too). Returns the number
    of rows that got an error.
    """
    positions = np.flatnonzero(rows)
    if not len(positions):
        return 0
    columns = [c for c in df.columns if c in SPECS or (claims and c in LINE_SPECS)]
    answers: dict[Any, Any] = {}
    errors = np.full(len(out), None, dtype=object)
    outcomes: dict[int, Any] = {}
    records = df.iloc[positions][columns].to_dict("records")
    by_claim: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for position, record in zip(positions, records):
        by_claim.setdefault(int(p.claim[position]), []).append((int(position), record))
    for members in by_claim.values():
        reason = p.reasons[members[0][0]]
        if reason:  # the table spoils the claim (rows that disagree, not adjacent): no parser sees it
            answer: Any = reason
        else:
            key = tuple(tuple(None if is_empty(v) else v for v in record.values()) for _, record in members)
            answer = answers.get(key) if _hashable(key) else None
            if answer is None:
                answer = _scalar([record for _, record in members], cat, claims)
                if _hashable(key):
                    answers[key] = answer
        for k, (position, _) in enumerate(members):
            if isinstance(answer, str):
                errors[position] = answer
            else:
                outcomes[position] = (answer, k)
    failed = errors != None  # noqa: E711 (an element-wise test on an object array)
    for name in out.columns:
        if name != "error":
            out[name] = out[name].mask(failed)
    out["error"] = errors
    for position, (outcome, k) in outcomes.items():
        for name, value in outcome_to_row(outcome, k).items():
            out.iat[position, out.columns.get_loc(name)] = value
        if claims:
            out.iat[position, out.columns.get_loc("claim_decision")] = outcome.decision
    return int(failed.sum())


def _hashable(key: tuple) -> bool:
    try:
        hash(key)
    except TypeError:
        return False
    return True


def _scalar(records: list[dict[str, Any]], cat: "Catalog", claims: bool) -> Any:
    """The scalar path's answer for one claim (its rows): its error message, or its outcome."""
    from .engine import evaluate

    try:
        return evaluate(claim_to_dict(records) if claims else row_to_dict(records[0]), cat)
    except ScenarioError as err:
        return str(err)


from ._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
