"""Per-member batches: ``evaluate_members(df)``, the plan year of :mod:`medspa_kit.year` over a table.

A table of claims (the batch format of docs/scenario.md) whose rows also carry ``member_id``:
each member's claims, in order of their date of service, carry the plan year's state from claim
to claim exactly as :func:`~medspa_kit.year.run_year` does for a course — the deductible and
out-of-pocket met (in and out of network) grow by the covered lines' cost sharing, every line of
an earlier day's claim joins ``accumulators.history``, and the accumulators reset on each
anniversary of the member's ``plan_year_start`` (a column; default January 1; Original Medicare
by calendar year). The accumulator and history cells of a member's first claim are the state
before it; those of the member's later claims are replaced by the carried state.

Which lines a claim covers does not depend on the accumulators, but what the next claim's
deductible is depends on how the earlier claims were priced, line by line, with the out-of-pocket
cap in between. So the claims go through the unchanged :func:`~medspa_kit.batch.evaluate_frame`
in **ordered passes**: pass *k* evaluates every member's *k*-th claim at once (all members in one
vectorized call), and the state is then carried with per-member sums (``np.bincount``). A table
takes as many passes as the most claims one member has, whatever its number of members.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, TYPE_CHECKING

import numpy as np
import pandas as pd

from .batch import check_table, evaluate_frame, plain_cells
from .arguments import mapping
from .batch_cells import (CLAIM_APART, NEXT_TO_NAMELESS, id_key, id_kind, is_id_value, key_texts, nameless_ids,
                          next_to_nameless, read_numbers)
from .catalog import given_catalog
from .columns import is_empty
from .errors import ScenarioError, shown_value
from .fields import parse_iso_date, plain, read_history, write_history
from .money import format_dollars

if TYPE_CHECKING:
    from .catalog import Catalog

__all__ = ["evaluate_members"]

ACCUMULATOR_COLUMNS = ("accumulators.deductible_met", "accumulators.oop_met", "accumulators.oon_deductible_met",
                       "accumulators.oon_oop_met")
HISTORY = "accumulators.history"
MEMBER = "member_id"
NO_MEMBER_NOTE = (f"{MEMBER}: empty: this claim is priced on its own, from its own accumulator cells (no member's "
                  "plan year is carried to or from it)")
PLAN_YEAR_START = "plan_year_start"


def evaluate_members(df: pd.DataFrame, catalog: "Catalog | None" = None,
                     refused: Mapping[Any, str] | None = None) -> pd.DataFrame:
    """Adjudicate a table of claims member by member, carrying each member's plan year.

    Parameters
    ----------
    df : pandas.DataFrame
        The batch format of :func:`~medspa_kit.batch.evaluate_frame` (one claim per row, or one
        line per row with ``claim_id``), plus ``member_id`` (any text or number; an empty cell is a
        member of its own) and optionally ``plan_year_start`` (ISO date; default January 1). Rows
        may come in any order of members and dates; the lines of a claim stay adjacent.
    catalog : Catalog, optional
        The rule tables; the bundled ones by default.
    refused : mapping of claim id to message, optional
        Claims refused whatever their rows say (the Dask batch: a claim whose lines are in two
        files): every row of one gets the message, and it is in no plan year, as a claim whose
        rows are apart.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`~medspa_kit.batch.evaluate_frame`, one row per input row on the same
        index, each claim priced from the state its member's earlier claims left (dollars).
        ``result.attrs``: ``rows``, ``errors``, ``members`` and ``passes``.

    Raises
    ------
    ScenarioError
        The table itself is unusable: no ``member_id`` column (or what ``evaluate_frame`` refuses).
        A bad row is an ``error`` cell, never an exception; a claim whose date cannot be read is
        evaluated on its own cells. The member's claims after one that cannot be read (or every
        other claim, when its date cannot be read) are priced without it, with a ``warning``.

    References
    ----------
    .. [1] docs/plan-year.md; it agrees with :func:`medspa_kit.year.run_year` claim by claim
       (tests/test_members.py).
    """
    return priced_members(df, catalog, refused)[0]


def priced_members(df: pd.DataFrame, catalog: "Catalog | None" = None,
                   refused: Mapping[Any, str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`evaluate_members`'s results, and the input as it was priced: each member's later
    claims with the accumulator and history cells of the state carried to them (what an 835 of
    these claims must be written from), on the input's index."""
    check_table(df)
    df = plain_cells(df)
    if MEMBER not in df.columns:
        raise ScenarioError.one(MEMBER, "required column is missing from the table (one id per patient)")
    cat = given_catalog(catalog)
    n = len(df)
    claim = _claim_numbers(df)
    first_rows = np.flatnonzero(np.r_[True, claim[1:] != claim[:-1]]) if n else np.zeros(0, dtype=np.int64)
    n_claims = len(first_rows)
    days = _days(df["date_of_service"].to_numpy(dtype=object)[first_rows]) if "date_of_service" in df.columns \
        else np.full(n_claims, -1, dtype=np.int64)
    ids, id_problems = _member_ids(df[MEMBER].to_numpy(dtype=object), claim, first_rows)
    apart = _apart(df, claim, first_rows)
    refused = mapping(refused, "refused", "a dict of claim id → message")
    if refused and "claim_id" in df.columns:
        firsts = df["claim_id"].to_numpy(dtype=object)[first_rows]
        refused = {id_key(k): v for k, v in refused.items()}  # (ids compared as the claims they name)
        given = np.array([refused.get(id_key(c), "") if is_id_value(c) else "" for c in firsts], dtype=object)
        apart = np.where(given != "", given, apart)  # (the files are the first cause)
    member_codes, _ = pd.factorize(ids, use_na_sentinel=True)
    member = np.asarray(member_codes, dtype=np.int64)
    # no member id, no readable date, or rows apart (not priced): a member of its own
    alone = (member < 0) | (days < 0) | (apart != "")
    member = np.where(alone, member.max(initial=-1) + 1 + np.arange(n_claims), member)
    members = int(member.max(initial=-1)) + 1
    order = np.lexsort((np.arange(n_claims), days, member))
    rank = np.empty(n_claims, dtype=np.int64)
    sorted_member = member[order]
    starts = np.r_[True, sorted_member[1:] != sorted_member[:-1]] if n_claims else np.zeros(0, dtype=bool)
    group_start = np.maximum.accumulate(np.where(starts, np.arange(n_claims), 0)) if n_claims else starts
    rank[order] = np.arange(n_claims) - group_start
    start_day, start_why = _starts(df)  # every row's cell: any line of a claim may give its member's start
    year = _plan_years(df, first_rows, days, member, claim, start_day)

    state = _State(members)
    first_of_member = order[starts]  # each member's first claim: the state before it is its own cells
    state.start(member[first_of_member], _initial(df, first_rows[first_of_member]),
                year[first_of_member], _history_text(df, first_rows[first_of_member]))
    row_claim = claim
    codes = _line_codes(df)
    parts, priced = [], []
    passes = int(rank.max(initial=-1)) + 1
    notes = _left_out(ids, days, apart)  # per claim: why it is priced without another of its member's
    nameless = np.array([i is None for i in ids], dtype=bool) & (id_problems == "")
    notes = np.where(nameless & (notes == ""), NO_MEMBER_NOTE, notes)  # never silently out of every year
    left_out = np.full(members, "", dtype=object)  # per member: why its next claims are priced without one
    row_notes = np.full(n, "", dtype=object)  # per row: a later claim's accumulator cells that were replaced
    for k in range(passes):
        chosen = np.flatnonzero(rank == k)
        rows = np.flatnonzero(np.isin(row_claim, chosen))
        sub = df.iloc[rows]
        who = member[row_claim[rows]]
        day = days[row_claim[rows]]
        notes[chosen] = np.where(notes[chosen] != "", notes[chosen], left_out[member[chosen]])
        if k > 0:
            sub = sub.copy()
            state.new_day(member[chosen], days[chosen], year[chosen])
            for name, values in zip(ACCUMULATOR_COLUMNS, state.dollars(who)):
                if name in sub.columns:
                    _note_replaced(row_notes, rows, name, sub[name], values)
                sub[name] = values
            carried_history = state.history_cells(who)
            if HISTORY in sub.columns:
                _note_history_replaced(row_notes, rows, _history_text(sub, np.arange(len(sub))), carried_history)
            sub[HISTORY] = carried_history
        result = evaluate_frame(sub, cat)
        parts.append(result)
        priced.append(sub)
        state.add(who, day, result, codes[rows])
        for c in np.unique(row_claim[rows][result["error"].notna().to_numpy(dtype=bool)]):
            if days[c] >= 0 and not left_out[member[c]]:  # no date: a member of its own (its member's others say so)
                left_out[member[c]] = _unread_note(days[c])
    out = pd.concat(parts) if parts else evaluate_frame(df, cat)
    carried = pd.concat(priced) if priced else df
    if parts:
        positions = np.concatenate([np.flatnonzero(np.isin(row_claim, np.flatnonzero(rank == k)))
                                    for k in range(passes)])
        back = np.argsort(positions, kind="stable")
        out, carried = out.iloc[back], carried.iloc[back]
    problems = np.where(id_problems != "", id_problems, apart)
    problems = np.where(problems != "", problems, _start_problems(claim, member, days, start_day, start_why))
    refused = problems[claim] if n else np.zeros(0, dtype=object)
    if (refused != "").any():  # a member whose plan year cannot be known: none of its claims is priced
        rows = np.flatnonzero(refused != "")  # by position: the index may repeat a label
        out.iloc[rows, [i for i, c in enumerate(out.columns) if c != "error"]] = None
        out.iloc[rows, out.columns.get_loc("error")] = refused[rows]
    _add_warnings(out, _joined(notes[claim], row_notes) if n else np.zeros(0, dtype=object))
    out.attrs.update(rows=n, errors=int(out["error"].notna().sum()) if n else 0, members=members, passes=passes)
    return out, carried


def _left_out(ids: np.ndarray, days: np.ndarray, apart: np.ndarray) -> np.ndarray:
    """Per claim, a note when another claim of its member is in no plan year: one with no readable
    date (a note on every other claim of the member), or one whose rows are apart (a note on the
    member's claims from its date on); "" otherwise."""
    notes = np.full(len(ids), "", dtype=object)
    named = np.array([i is not None for i in ids], dtype=bool)
    for c in np.flatnonzero(named & ((days < 0) | (apart != ""))):
        others = np.flatnonzero((ids == ids[c]) & (days >= 0) & (apart == "") & (notes == ""))
        if days[c] < 0:
            notes[others] = ("a claim of this member has no readable date_of_service: it is in no plan year, "
                             "and this claim is priced without it")
        else:
            notes[others[days[others] >= days[c]]] = _unread_note(days[c])
    return notes


def _note_replaced(row_notes: np.ndarray, rows: np.ndarray, name: str, cells: pd.Series, carried: np.ndarray) -> None:
    """Note on ``row_notes[rows]`` each accumulator cell of a later claim that says something else
    than the ``carried`` dollars that replace it (an unreadable cell included): it is not read."""
    given = read_numbers(cells.reset_index(drop=True))
    with np.errstate(invalid="ignore"):
        differs = given.present & ~(np.abs(given.value - carried) < 0.005)
    for r in np.flatnonzero(differs):
        note = (f"{name}: the cell's {shown_value(cells.iat[r])} is not read; this member's earlier claims "
                f"carry {format_dollars(float(carried[r]))}")
        row_notes[rows[r]] = f"{row_notes[rows[r]]}; {note}" if row_notes[rows[r]] else note


def _note_history_replaced(row_notes: np.ndarray, rows: np.ndarray, given: np.ndarray, carried: np.ndarray) -> None:
    """Note on ``row_notes[rows]`` each history cell of a later claim (``given``: as text) that
    names a service the ``carried`` history (which replaces it) does not hold: it is not read."""
    for r in np.flatnonzero(given != ""):
        if not _services(given[r]) <= _services(carried[r]):
            shown = shown_value(carried[r]) if carried[r] else "no earlier service"
            note = (f"{HISTORY}: the cell's {shown_value(given[r])} is not read; this member's earlier claims "
                    f"carry {shown}")
            row_notes[rows[r]] = f"{row_notes[rows[r]]}; {note}" if row_notes[rows[r]] else note


def _services(text: str) -> set[Any]:
    """The (code, date) entries of a history cell's text, as :func:`~medspa_kit.fields.read_history` reads them."""
    return {(str(i["code"]).upper(), str(i["date"])) if isinstance(i, dict) else i for i in read_history(text)}


def _unread_note(day: int) -> str:
    return (f"an earlier claim of this member ({_iso(day)}) could not be read: this claim is priced without it "
            "(its deductible, out-of-pocket and history are not carried)")


def _add_warnings(out: pd.DataFrame, notes: np.ndarray) -> None:
    """Join ``notes`` (per row; "" for none) onto the ``warning`` cells of the rows that were priced."""
    rows = (notes != "") & out["error"].isna().to_numpy(dtype=bool)
    if not rows.any():
        return
    cells = out["warning"].astype(object).to_numpy(copy=True)
    cells[rows] = [f"{w}; {note}" if isinstance(w, str) and w else note for w, note in zip(cells[rows], notes[rows])]
    out["warning"] = pd.Categorical(cells)


def _member_ids(cells: np.ndarray, claim: np.ndarray, first_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per claim, its member id (None: a member of its own) and why it cannot be read ("" when it
    can): a cell that is no text or number (a list, a record), or two ids in the rows of one claim."""
    problems = np.full(len(first_rows), "", dtype=object)
    readable = np.array([is_id_value(c) or is_empty(c) for c in cells], dtype=bool)
    keys = np.array([id_key(c) if ok and not is_empty(c) else "" for c, ok in zip(cells, readable)], dtype=object)
    for row in np.flatnonzero(~readable):
        if not problems[claim[row]]:
            problems[claim[row]] = f"{MEMBER}: a {id_kind(cells[row])} is no member id (text or a number)"
    differs = np.flatnonzero(keys != keys[first_rows][claim])
    for row in differs:
        if not problems[claim[row]]:
            problems[claim[row]] = (f"{MEMBER}: the rows of one claim give {shown_value(keys[first_rows][claim[row]])} "
                                    f"and {shown_value(keys[row])} (a claim is one member's)")
    ids = np.where((keys[first_rows] == "") | (problems != ""), None, keys[first_rows])
    return ids, problems


def _starts(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the day number of its ``plan_year_start`` cell (-1: empty, unreadable or no such
    column) and why the cell cannot be read ("" when it can or is empty): :func:`_date_cells`."""
    if PLAN_YEAR_START not in df.columns:
        return np.full(len(df), -1, dtype=np.int64), np.full(len(df), "", dtype=object)
    return _date_cells(df[PLAN_YEAR_START].to_numpy(dtype=object), PLAN_YEAR_START)


def _start_problems(claim: np.ndarray, member: np.ndarray, days: np.ndarray, start_day: np.ndarray,
                    start_why: np.ndarray) -> np.ndarray:
    """Per claim, why its member's ``plan_year_start`` cannot be known ("" when it can), from every
    row's cell (``claim``: each row's claim; ``member``, ``days``: each claim's; ``start_day``,
    ``start_why``: each row's, from :func:`_starts`): a cell that is not an ISO date, two rows of
    one member giving different starts (an empty cell takes the start the member's other rows
    give), or a start after the member's first claim (as ``medspa-kit year`` refuses it: the start
    of the plan year that claim falls in). Every claim of such a member gets a problem."""
    problems = np.full(len(member), "", dtype=object)
    bad_rows = np.flatnonzero(start_why != "")
    bad_claims, first_bad = np.unique(claim[bad_rows], return_index=True)  # a claim's first unreadable cell
    problems[bad_claims] = start_why[bad_rows[first_bad]]
    who = member[claim]  # each row's member
    given = np.flatnonzero(start_day > 0)
    pairs = pd.DataFrame({"member": who[given], "day": start_day[given]}).drop_duplicates()
    pairs = pairs.sort_values(["member", "day"], kind="stable")
    count = np.bincount(pairs["member"].to_numpy(dtype=np.int64), minlength=int(member.max(initial=-1)) + 1)
    start = np.full(len(count), -1, dtype=np.int64)  # a member's one start (when it gives one)
    start[pairs["member"].to_numpy(dtype=np.int64)] = pairs["day"].to_numpy(dtype=np.int64)
    first = np.full(len(count), np.iinfo(np.int64).max, dtype=np.int64)  # a member's first day of service
    np.minimum.at(first, member[days > 0], days[days > 0])
    late = np.flatnonzero((problems == "") & (count[member] == 1) & (start[member] > first[member]))
    problems[late] = [f"{PLAN_YEAR_START}: {_iso(start[m])} is after this member's first claim, {_iso(first[m])}: "
                      "give the start of the plan year that claim falls in" for m in member[late]]
    several = np.flatnonzero((problems == "") & (count[member] > 1))
    if len(several):
        shown = pairs[count[pairs["member"].to_numpy(dtype=np.int64)] > 1].groupby("member")["day"].agg(
            lambda d: " and ".join(_iso(day) for day in d)).to_dict()
        problems[several] = [f"{PLAN_YEAR_START}: this member's rows give {shown[m]} (a member has one plan year: "
                             "give the same start on every row, or leave it empty)" for m in member[several]]
    # one claim's unreadable start leaves the member's year unknown
    others = (problems == "") & np.isin(member, member[problems != ""])
    problems[others] = f"{PLAN_YEAR_START}: another row of this member gives a start that cannot be read"
    return problems


class _State:
    """Per member: cents met this plan year, the plan year, and the history text (done, and the
    entries of the last day, which a later claim of the same day does not see yet)."""

    def __init__(self, members: int):
        self.met = np.zeros((4, members), dtype=np.int64)
        self.year = np.zeros(members, dtype=np.int64)
        self.day = np.full(members, -1, dtype=np.int64)
        self.done = np.full(members, "", dtype=object)
        self.pending = np.full(members, "", dtype=object)

    def start(self, member: np.ndarray, met: np.ndarray, year: np.ndarray, history: np.ndarray) -> None:
        self.met[:, member] = met
        self.year[member] = year
        self.done[member] = history

    def new_day(self, member: np.ndarray, day: np.ndarray, year: np.ndarray) -> None:
        """Before a member's next claim: a later day sees the last day's lines; a new plan year resets."""
        later = day > self.day[member]
        moved = member[later]
        self.done[moved] = _joined(self.done[moved], self.pending[moved])
        self.pending[moved] = ""
        reset = member[year != self.year[member]]
        self.met[:, reset] = 0
        self.year[member] = year

    def dollars(self, who: np.ndarray) -> list[np.ndarray]:
        return [self.met[i, who] / 100 for i in range(4)]

    def history_cells(self, who: np.ndarray) -> np.ndarray:
        return self.done[who]

    def add(self, who: np.ndarray, day: np.ndarray, result: pd.DataFrame, codes: np.ndarray) -> None:
        """A claim's covered lines' cost sharing onto its network's accumulators; its lines to the history."""
        covered = (result["decision"] == "covered").to_numpy(dtype=bool)
        inside = (result["network"] == "in").to_numpy(dtype=bool)

        def cents(name: str) -> np.ndarray:
            return np.round(result[name].to_numpy(dtype=float, na_value=0.0) * 100).astype(np.int64) * covered

        ded = cents("deductible")
        shared = ded + cents("coinsurance") + cents("copay")
        size = self.met.shape[1]
        for i, (amount, network) in enumerate(((ded, inside), (shared, inside), (ded, ~inside), (shared, ~inside))):
            self.met[i] += np.bincount(who, weights=amount * network, minlength=size).astype(np.int64)
        valid = result["error"].isna().to_numpy(dtype=bool) & (day > 0)  # a refused row is no service on record
        entries = pd.Series(codes[valid] + " " + pd.Series(day[valid]).map(_iso).to_numpy(dtype=object))
        per_member = entries.groupby(who[valid], sort=False).agg("; ".join)
        ids = per_member.index.to_numpy(dtype=np.int64)
        self.pending[ids] = _joined(self.pending[ids], per_member.to_numpy(dtype=object))
        self.day[who] = day


def _joined(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise ``a; b`` of history texts, either of which may be empty."""
    both = (a != "") & (b != "")
    return np.where(both, a + "; " + b, a + b)


def _iso(day: int) -> str:
    return dt.date.fromordinal(int(day)).isoformat()


def _claim_numbers(df: pd.DataFrame) -> np.ndarray:
    """Per row, its claim's number (0, 1, …): adjacent rows with the same ``claim_id``, else each row."""
    if "claim_id" not in df.columns:
        return np.arange(len(df), dtype=np.int64)
    ids = key_texts(df["claim_id"])
    return np.cumsum(np.r_[True, ids[1:] != ids[:-1]]).astype(np.int64) - 1 if len(ids) else np.zeros(0, np.int64)


def _apart(df: pd.DataFrame, claim: np.ndarray, first_rows: np.ndarray) -> np.ndarray:
    """Per claim, :data:`~medspa_kit.batch_cells.CLAIM_APART` when its ``claim_id`` begins another
    block of rows too, or :data:`~medspa_kit.batch_cells.NEXT_TO_NAMELESS` when it is just before or
    after rows with no claim id (the passes evaluate each claim apart from its neighbours, so the
    whole table must say it), else "". An empty id is ``evaluate_frame``'s to name."""
    problems = np.full(len(first_rows), "", dtype=object)
    if "claim_id" not in df.columns or not len(first_rows):
        return problems
    cells = df["claim_id"].to_numpy(dtype=object)
    nameless = nameless_ids(cells)
    near = np.unique(claim[next_to_nameless(nameless)])
    # (a claim whose id is no text or number is an error of its own, evaluate_frame's to name)
    problems[near[[is_id_value(v) for v in cells[first_rows[near]]]]] = NEXT_TO_NAMELESS
    ids = pd.Series(key_texts(pd.Series(cells[first_rows], dtype=object)))
    repeated = ids.duplicated(keep=False) & ~nameless[first_rows]
    problems[repeated.to_numpy(dtype=bool)] = CLAIM_APART
    return problems


def _date_cells(values: np.ndarray, name: str = "date_of_service") -> tuple[np.ndarray, np.ndarray]:
    """Per cell, its day number (-1: empty or unreadable) and why it cannot be read, naming
    ``name`` ("" when it can or is empty); each distinct cell read once, as the batch reads a date
    (a np.datetime64 too)."""
    try:
        codes, distinct = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    except TypeError:  # a list or a record among the cells: no hash table holds it, so read each
        codes, distinct = np.arange(len(values)), values
    read = [_date_cell(v, name) for v in distinct] + [(-1, "")]  # (the last: a missing cell)
    return (np.array([day for day, _ in read], dtype=np.int64)[codes],
            np.array([why for _, why in read], dtype=object)[codes])


def _date_cell(value: Any, name: str) -> tuple[int, str]:
    if is_empty(value):
        return -1, ""
    try:
        return parse_iso_date(plain(value)).toordinal(), ""
    except (TypeError, ValueError) as err:  # any cell: a list or a record is no date either
        return -1, f"{name}: {err}"


def _days(values: np.ndarray) -> np.ndarray:
    """Day numbers of date cells (-1: empty or unreadable): :func:`_date_cells`."""
    return _date_cells(values)[0]


def _plan_years(df: pd.DataFrame, first_rows: np.ndarray, days: np.ndarray, member: np.ndarray,
                claim: np.ndarray, start_day: np.ndarray) -> np.ndarray:
    """Per claim, its plan year (the number of anniversaries of the start since year 1), as
    :func:`medspa_kit.year.plan_year_index` counts them; Original Medicare by calendar year. The
    member's start is the one any of its rows gives (``start_day``: per row; ``claim``: each row's
    claim); a member whose rows give none starts on January 1."""
    dates = [dt.date.fromordinal(int(d)) if d > 0 else dt.date(1, 1, 1) for d in days]
    member_day = np.full(int(member.max(initial=-1)) + 1, -1, dtype=np.int64)
    np.maximum.at(member_day, member[claim], start_day)  # (two starts: the member is refused)
    starts = [dt.date.fromordinal(int(d)) if d > 0 else dt.date(1, 1, 1) for d in member_day[member]]
    if "plan.type" in df.columns:
        medicare = pd.Series(df["plan.type"].to_numpy(dtype=object)[first_rows]).astype(str).str.strip() == "MEDICARE"
        starts = [dt.date(1, 1, 1) if m else s for s, m in zip(starts, medicare)]
    return np.array([d.year - s.year - ((d.month, d.day) < (s.month, s.day)) for d, s in zip(dates, starts)],
                    dtype=np.int64)


def _initial(df: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """The accumulator cells of the given rows in cents (an empty or unreadable cell: 0)."""
    out = np.zeros((4, len(rows)), dtype=np.int64)
    for i, name in enumerate(ACCUMULATOR_COLUMNS):
        if name in df.columns:
            values = read_numbers(df[name].iloc[rows].reset_index(drop=True)).value  # as the parser reads the cell
            out[i] = np.round(np.nan_to_num(values.astype(float)) * 100).astype(np.int64)
    return out


def _history_text(df: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """The history cells of the given rows as text (lists written as the cell format)."""
    if HISTORY not in df.columns:
        return np.full(len(rows), "", dtype=object)
    return np.array([_history_cell_text(c) for c in df[HISTORY].to_numpy(dtype=object)[rows]], dtype=object)


def _history_cell_text(cell: Any) -> str:
    """A history cell as text: a list (or array) of entries in the cell format; a list with an item
    that is no entry as Python writes it, which no claim reads either (the parser names the item
    on the claim that holds it, and a later claim carrying it cannot be priced)."""
    if isinstance(cell, np.ndarray):
        cell = cell.tolist()
    if isinstance(cell, (list, tuple)):
        try:
            return write_history(cell)
        except Exception:  # an item that is no {"code", "date"} entry (or one that cannot be written)
            return _shown_list(cell)
    return "" if is_empty(cell) else str(cell).strip()


def _shown_list(cell: list | tuple) -> str:
    """A list as Python writes it, or as :func:`~medspa_kit.errors.shown_value` names it when an
    item cannot be shown: text no claim reads as a history."""
    try:
        return str(cell)
    except Exception:  # (any object may be in a cell given from code)
        return shown_value(cell)


def _line_codes(df: pd.DataFrame) -> np.ndarray:
    """Each row's billing code as the history records it (``line.code``, or ``service.code``)."""
    column = "line.code" if "claim_id" in df.columns else "service.code"
    if column not in df.columns:
        return np.full(len(df), "", dtype=object)
    return pd.Series(df[column].to_numpy(dtype=object)).astype(str).str.strip().to_numpy(dtype=object)


from ._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
