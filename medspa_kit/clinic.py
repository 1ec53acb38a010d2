"""The clinic decision: stay cash-pay, or credential with the payers? (notebook 06)

The same year of visits is run through the batch engine twice, patient by patient when the
visits carry a ``patient_id`` (:func:`medspa_kit.members.evaluate_members`: a patient's second
visit sees the deductible and out-of-pocket the first one used):

* **cash pay** — the clinic files no claims. Every patient pays the clinic's price; a patient
  may send the plan a superbill and get back what it pays out of network.
* **credentialed** — the clinic and its billing clinicians join the payers' networks. For the
  first ``lead_months`` of the year the contracts are not in force yet: claims go out of
  network (``pending="out_of_network"``) or, when the clinic is contracted but its clinicians
  are not yet credentialed, are denied CO B7 (``pending="not_credentialed"``). Each claim filed
  costs ``admin_cost_per_claim``; services the plans exclude as cosmetic are sold for cash without
  a claim.

The visits are the year the clinic would see in network. A visit that the patient's plan would
cover in network happens only in part (``cash_uptake``) wherever the clinic is not in network
for it — some of those patients go to an in-network clinic instead. Everything else (cosmetic
care, services no plan covers) happens under either strategy.

Money the clinic keeps from a visit is its ``revenue`` (charge minus what it must write off),
less the admin cost. All results are tidy pandas frames in dollars (the engine's cents / 100),
weighted by ``weight`` (the share of the visit that happens under the strategy and the plan mix).

>>> from medspa_kit import clinic
>>> visits = clinic.load_visits()                         # the bundled sample year
>>> result = clinic.compare(visits, lead_months=6)        # any assumption may be changed here
>>> list(result.totals["strategy"])
['cash_pay', 'credentialed']

``result.totals``, ``result.by_month``, ``result.denials``, ``result.difference`` and
``clinic.sensitivity(visits, "lead_months", range(13))`` are ready to chart.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Literal, Mapping

import numpy as np
import pandas as pd

from .batch import check_table, evaluate_frame
from .members import evaluate_members
from .batch_csv import Rows
from .batch_cells import money_bad, read_numbers
from .catalog import Column, Table, given_catalog, parse_rows
from .money import rate_micro, rate_problem, times_rate, to_cents
from .arguments import choice, instance, listed, pairs, truth, type_name, whole_value
from .errors import DatasetError, DatasetProblem, FileError, ScenarioError, shown_value
from .fields import OutOfRange, plain
from .files import TABLE_MAX_BYTES, check_file_name, read_text_file, reason, shown

if TYPE_CHECKING:
    from .catalog import Catalog

__all__ = ["Assumptions", "default_assumptions", "assumption_sources", "describe_visits", "check_visits",
           "load_visits", "ClinicComparison", "Crossing", "crossing", "compare", "sensitivity", "fee_vs_cash",
           "fee_share_of_cash", "fee_cap_scale", "STRATEGIES", "MEASURES"]

Pending = Literal["out_of_network", "not_credentialed"]
STRATEGIES = ("cash_pay", "credentialed")
STRATEGY_LABELS = {"cash_pay": "stay cash-pay", "credentialed": "credential with payers"}
"""each strategy in the words a clinic owner uses"""
MEASURES = ("visits", "claims", "revenue", "write_off", "admin_cost", "net_revenue", "patient_oop", "plan_pays",
            "superbill_refund")
#: What each measure counts (for a table of definitions beside the charts).
MEANINGS = {
    "visits": "visits that happen (weighted: a share of a visit when some patients go elsewhere)",
    "claims": "claims the clinic files (cosmetic exclusions and cash-only clinicians file none)",
    "revenue": "dollars the clinic collects: the charge less what it must write off",
    "write_off": "dollars the clinic cannot collect: CO 45 above the allowed amount and CO denials",
    "admin_cost": "dollars the clinic spends on claims (claims × admin cost per claim, illustrative)",
    "net_revenue": "revenue less admin cost, in dollars",
    "patient_oop": "dollars patients pay out of pocket (under cash pay: the price less any superbill refund)",
    "plan_pays": "dollars the plans pay the clinic on the claims it files (none under cash pay: no claim is filed)",
    "superbill_refund": "dollars the plans pay back to patients who send them a superbill themselves (cash pay, "
                        "out of network)",
}
#: The two kinds of unpaid visit, in words a clinic owner uses.
NOT_BILLABLE = "not billable to insurance"
DENIED = "denied by the plan"
DENIAL_KINDS = {
    NOT_BILLABLE: "no claim is filed: the plan does not cover the service (PR 204, cosmetic care) or does not pay "
                  "this kind of provider (170); the patient pays the clinic's price under either strategy",
    DENIED: "a claim is filed and the plan refuses it: the clinic absorbs it (CO) or the patient owes it (PR)",
}

ASSUMPTIONS = Table(
    "clinic_assumptions.csv",
    (Column("name"), Column("value"), Column("unit"), Column("meaning"), Column("source")),
    key="name",
)


NUMBER_ASSUMPTIONS = ("lead_months", "admin_cost_per_claim", "cash_uptake", "fee_schedule_scale", "paperwork")
"""the assumptions that are numbers"""


@dataclass(frozen=True)
class Assumptions:
    """What the comparison assumes; defaults in ``datasets/clinic_assumptions.csv`` with sources."""

    lead_months: int
    """months (0–12) from January before the contracts and credentialing take effect"""
    admin_cost_per_claim: float
    """dollars per claim filed"""
    cash_uptake: float
    """fraction 0–1 of the in-network-covered visits that still happen at a cash-only clinic"""
    fee_schedule_scale: float
    """the payers' allowed amounts as a multiple of the fee schedule (1.0 = as listed)"""
    paperwork: float = 0.0
    """fraction 0–1 of the visits missing criteria or prior authorization that a credentialed
    clinic documents before treating (a prior-authorization workflow; 0 = as in the visits)"""
    pending: Pending = "out_of_network"
    """how claims fare during the lead time"""
    plan_mix: Mapping[str, float] | None = None
    """share of patients on each plan (``plan_id`` → weight, scaled to sum 1); None: as in the visits"""

    def __post_init__(self) -> None:
        for name in NUMBER_ASSUMPTIONS:  # each number as the plain one it holds (a Decimal, a long double: a float)
            object.__setattr__(self, name, plain(getattr(self, name)))
        if (months := whole_value(self.lead_months)) is not None:  # (6.0 from a number column or a sweep: 6)
            object.__setattr__(self, "lead_months", months)
        if isinstance(self.plan_mix, Mapping):  # (read once, here: the comparison uses the dict read)
            object.__setattr__(self, "plan_mix", {plan: plain(share) for plan, share in  # (Decimal, numpy: floats)
                                                  pairs(self.plan_mix, "plan_mix", "a dict of plan id → share")})
        for name, problem in _problems(self):
            raise ScenarioError.one(name, problem)

    def with_changes(self, **changes: Any) -> "Assumptions":
        known = {f.name for f in fields(self)}
        for name in changes:
            if name not in known:
                raise ScenarioError.one(name, f"unknown assumption (allowed: {', '.join(sorted(known))})")
        return replace(self, **{name: plain(value) for name, value in changes.items()})  # (a Mapping: __post_init__)


def _problems(a: Assumptions) -> Iterable[tuple[str, str]]:
    if not (isinstance(a.lead_months, (int, np.integer)) and not isinstance(a.lead_months, bool)
            and 0 <= a.lead_months <= 12):
        yield "lead_months", f"{shown_value(a.lead_months)} is not a whole number of months from 0 to 12"
    for name in ("admin_cost_per_claim", "fee_schedule_scale"):
        problem = _amount_problem(getattr(a, name))
        if problem:
            yield name, problem
    for name in ("cash_uptake", "paperwork"):
        value = plain(getattr(a, name))
        if isinstance(value, OutOfRange):  # (a Decimal no float holds)
            problem: str | None = value.problem("fraction")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            problem = rate_problem(value)
        else:
            problem = f"{shown_value(value)} is not a number"
        if problem:
            yield name, problem
    if a.pending not in ("out_of_network", "not_credentialed"):
        yield "pending", f"{shown_value(a.pending)} is not 'out_of_network' or 'not_credentialed'"
    if a.plan_mix is not None and not isinstance(a.plan_mix, Mapping):
        yield "plan_mix", f"expected a dict of plan id → share, got {type_name(a.plan_mix)}"
    elif a.plan_mix is not None:
        shares = list(a.plan_mix.values())  # (a dict of plain numbers: see __post_init__)
        if not shares or any(isinstance(s, bool) or not isinstance(s, (int, float)) or not 0 <= s <= sys.float_info.max
                             for s in shares) or max(shares) <= 0:
            yield "plan_mix", f"{shown_value(dict(a.plan_mix))} needs shares of at least 0 that add up to more than 0"


def _amount_problem(value: Any) -> str | None:
    """Why ``value`` is not a number from 0 to 1000 (a dollar cost per claim or a fee schedule
    scale); None when it is."""
    value = plain(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1000 or value != value:
        return f"{shown_value(value)} is not a number from 0 to 1000"
    return None


def default_assumptions(catalog: "Catalog | None" = None) -> Assumptions:
    """The defaults of ``datasets/clinic_assumptions.csv`` (each row with its source)."""
    folder = given_catalog(catalog).folder
    problems: list[DatasetProblem] = []
    path = folder / ASSUMPTIONS.file
    try:
        text = read_text_file(path, TABLE_MAX_BYTES)
    except FileError as err:
        raise DatasetError([DatasetProblem(ASSUMPTIONS.file, None, None, reason(err))]) from None
    rows = {r["name"]: r for r in parse_rows(text, ASSUMPTIONS, problems)}
    values: dict[str, Any] = {}
    kinds = {"lead_months": int, "admin_cost_per_claim": float, "cash_uptake": float, "fee_schedule_scale": float,
             "paperwork": float}
    for name, kind in kinds.items():
        if name not in rows:
            problems.append(DatasetProblem(ASSUMPTIONS.file, None, "name", f"no row for {name!r}"))
            continue
        try:
            values[name] = kind(rows[name]["value"])
        except ValueError:
            problems.append(DatasetProblem(ASSUMPTIONS.file, rows[name]["_row"], "value",
                                           f"{rows[name]['value']!r} is not a {kind.__name__} for {name}"))
    if problems:
        raise DatasetError(problems)
    try:
        return Assumptions(**values)
    except ScenarioError as err:
        raise DatasetError([DatasetProblem(ASSUMPTIONS.file, rows[err.field]["_row"], "value", str(err))]) from None


def assumption_sources(catalog: "Catalog | None" = None, readable: bool = True) -> pd.DataFrame:
    """The assumptions table as shipped: name, value, unit, meaning, source.

    ``readable``: each source cited by its bibliography label (``CMS-855I``), not its key.
    """
    cat = given_catalog(catalog)
    readable = truth(readable, "readable")
    import io

    text = read_text_file(cat.folder / ASSUMPTIONS.file, TABLE_MAX_BYTES)  # bounded, a regular file, UTF-8
    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).set_index("name")
    if readable:
        table["source"] = [cat.cite((), (cell,)) for cell in table["source"]]
    return table


def describe_visits(visits: pd.DataFrame) -> str:
    """``5,631 visits, 1,204 patients, 4 insurers`` (patients and insurers when the columns exist:
    ``insurer``, a carried label, else the scenario's ``payer``)."""
    check_visits(visits)
    parts = [f"{len(visits):,} visits"]
    insurer = "insurer" if "insurer" in visits.columns else "payer"
    for column, word in (("patient_id", "patients"), (insurer, "insurers")):
        if column in visits.columns:
            parts.append(f"{visits[column].nunique():,} {word}")
    return ", ".join(parts)


def check_visits(visits: Any) -> None:
    """Raise :class:`~medspa_kit.errors.ScenarioError` unless ``visits`` is a table of visits: a
    pandas DataFrame with at least one row and a ``date_of_service`` column (one scenario per row,
    as :func:`load_visits` returns)."""
    if not isinstance(visits, pd.DataFrame):
        raise ScenarioError.one("visits", f"expected a table of visits (a pandas DataFrame, one scenario per row), "
                                          f"got {type(visits).__name__}")
    check_table(visits)  # one header row, each column once
    if "date_of_service" not in visits.columns:
        raise ScenarioError.one("visits", "the table has no date_of_service column: a year of visits needs each "
                                          "visit's date")
    if not len(visits):
        raise ScenarioError.one("visits", "the table has no visits")


def load_visits(path: str | Path | None = None, catalog: "Catalog | None" = None) -> pd.DataFrame:
    """A year of visits, one scenario per row (default: the bundled ``sample_visits.csv``), as text cells.

    The file is read as ``medspa-kit batch`` reads it (:mod:`medspa_kit.batch_csv`).

    Raises
    ------
    ScenarioError
        The file cannot be read, is no UTF-8 CSV, or a line of it cannot be read as a row
        (naming the first such line): a year with a visit missing would be a wrong year.
    """
    from .batch_io import reader

    if path is not None:
        check_file_name(path)
    target = Path(path) if path is not None else given_catalog(catalog).folder / "sample_visits.csv"
    try:
        found = target.exists()
    except OSError as err:  # a name too long for the file system
        raise ScenarioError.one("file", f"cannot read {shown(target)}: {err.strerror}") from None
    if not found:
        raise ScenarioError.one("file", f"cannot read {shown(target)}: no such file")
    pieces = list(reader(target, chunk_size=1_000_000))
    if not pieces:
        raise ScenarioError.one("file", f"{shown(target)} has no visits under its header")
    rows = Rows.concat(pieces)
    if rows.unreadable.any():
        raise ScenarioError.one("file", f"{target.name}: {rows.problems[rows.unreadable][0]}")
    return rows.frame.reset_index(drop=True)


# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClinicComparison:
    """Both strategies over the same visits. Frames in dollars; counts are weighted visits."""

    assumptions: Assumptions
    visits: pd.DataFrame
    """one row per strategy × visit: month, service, plan, decision, reason, weight and the measures"""
    by_month: pd.DataFrame
    """strategy × month (1–12) with every measure"""
    totals: pd.DataFrame
    """one row per strategy with every measure"""
    denials: pd.DataFrame
    """strategy × denial reason: its ``kind`` (:data:`NOT_BILLABLE` — no claim filed — or :data:`DENIED`),
    visits, dollars denied, and whether the clinic or the patient absorbs them"""
    errors: pd.DataFrame
    """visits that are not valid scenarios (left out of every figure): ``visit`` (the table's index),
    ``row`` (its place in the table, from 1) and the parser's message"""

    @property
    def difference(self) -> pd.Series:
        """Credentialed minus cash pay, per measure (dollars, or visits and claims)."""
        t = self.totals.set_index("strategy")
        return t.loc["credentialed", list(MEASURES)] - t.loc["cash_pay", list(MEASURES)]

    @property
    def winner(self) -> str:
        """The strategy that keeps more net revenue (``credentialed`` or ``cash_pay``; a tie is cash pay)."""
        return "credentialed" if self.difference["net_revenue"] > 0 else "cash_pay"

    def costliest_denial(self, strategy: str = "credentialed", group: str = "CO") -> str:
        """``CO 50``: the reason whose denials cost the most dollars, for the clinic (CO) or the patient (PR)."""
        d = self.denials
        if not isinstance(strategy, str) or strategy not in STRATEGIES:
            raise ScenarioError.one("strategy", f"{shown_value(strategy)} is not a strategy (one of: "
                                                f"{', '.join(STRATEGIES)})")
        if not isinstance(group, str) or group not in ("CO", "PR", "OA", "PI", "CR"):
            raise ScenarioError.one("group", f"{shown_value(group)} is not a claim adjustment group code (CO, PR, OA, "
                                             "PI or CR)")
        d = d[(d["strategy"] == strategy) & (d["reason_group"] == group)]
        if d.empty:
            return "none"
        measure = "clinic_absorbs" if group == "CO" else "patient_pays"
        top = d.sort_values(measure, kind="stable").iloc[-1]
        return f"{group} {top['reason_carc']}"


    def clinic_losses(self, catalog: "Catalog | None" = None) -> pd.DataFrame:
        """Every reason code that cost the credentialed clinic money, largest first.

        Built from the year's results, not a fixed list: ``CO 45`` (the contracted write-off on
        paid claims: charge above the allowed amount) and every ``CO`` denial the clinic absorbs
        (``CO 50``, ``CO 151``, ``CO 197``, …), each with the payers' words for it
        (``reason_codes.csv``, X12 CARC).

        Returns
        -------
        pandas.DataFrame
            Columns ``reason`` (``CO 151``), ``name``, ``visits`` (weighted), ``dollars`` (a year);
            only reasons of more than $0, sorted by dollars, largest first (ties: by reason).
        """
        cat = given_catalog(catalog)
        good = self.visits[self.visits["error"].isna() & (self.visits["strategy"] == "credentialed")]
        paid = good[good["decision"] == "covered"]
        rows = [{"reason": "CO 45", "visits": float((paid["weight"] * (paid["write_off"] > 0)).sum()),
                 "dollars": float((paid["write_off"] * paid["weight"]).sum())}]
        d = self.denials
        d = d[(d["strategy"] == "credentialed") & (d["reason_group"] == "CO")]
        for (group, carc), part in d.groupby(["reason_group", "reason_carc"], sort=True):
            rows.append({"reason": f"{group} {carc}", "visits": float(part["visits"].sum()),
                         "dollars": float(part["clinic_absorbs"].sum())})
        out = pd.DataFrame(rows, columns=["reason", "visits", "dollars"])
        out["dollars"] = out["dollars"].round(2)
        out = out[out["dollars"] > 0]
        out.insert(1, "name", [cat.reasons[r.split()[1]].name if r.split()[1] in cat.reasons else ""
                               for r in out["reason"]])
        return out.sort_values(["dollars", "reason"], ascending=[False, True], kind="stable", ignore_index=True)


@dataclass(frozen=True)
class Crossing:
    """Where one swept assumption makes credentialing start (or stop) paying (:func:`crossing`)."""

    parameter: str
    low: float
    """the lowest value swept"""
    high: float
    """the highest value swept"""
    at: float | None
    """the value where the net-revenue gap changes sign (linear between the two swept values around
    it), or None when it keeps its sign over the whole range"""
    credentialing_wins_above: bool | None
    """at a crossing: True when credentialing wins above ``at``; None without a crossing"""
    winner: str
    """without a crossing: the strategy that wins over the whole range (``cash_pay`` on a tie)"""


def crossing(table: pd.DataFrame, measure: str = "net_revenue") -> Crossing:
    """From a :func:`sensitivity` table: does credentialing ever win in the range swept, and where?

    The gap is credentialed minus cash pay in ``measure`` at each value; a crossing is where it
    changes sign, placed by straight-line interpolation between the two values around it. A gap
    of exactly $0 counts as cash pay (as :attr:`ClinicComparison.winner`).

    Raises
    ------
    ScenarioError
        ``table``: not a sensitivity table of one parameter with both strategies.
    """
    instance(table, pd.DataFrame, "table", "clinic.sensitivity's table (a pandas DataFrame)")
    choice(measure, "measure", MEASURES)
    needed = {"parameter", "value", "strategy", measure}
    if not needed <= set(table.columns) or table["parameter"].nunique() != 1 or len(table) < 2:
        raise ScenarioError.one("table", "expected clinic.sensitivity's table of one parameter, both strategies")
    wide = table.pivot(index="value", columns="strategy", values=measure).sort_index()
    gap = (wide["credentialed"] - wide["cash_pay"]).to_numpy(dtype=float)
    values = wide.index.to_numpy(dtype=float)
    wins = gap > 0
    parameter = str(table["parameter"].iloc[0])
    for i in range(1, len(values)):
        if wins[i] != wins[i - 1]:
            span = gap[i] - gap[i - 1]
            at = values[i - 1] + (values[i] - values[i - 1]) * (-gap[i - 1] / span if span else 0.0)
            return Crossing(parameter, float(values[0]), float(values[-1]), float(at), bool(wins[i]), "")
    return Crossing(parameter, float(values[0]), float(values[-1]), None, None,
                    "credentialed" if wins[0] else "cash_pay")


def compare(visits: pd.DataFrame, assumptions: "Assumptions | Mapping[str, Any] | None" = None,
            catalog: "Catalog | None" = None,
            **changes: Any) -> ClinicComparison:
    """Run the year of ``visits`` as cash pay and as credentialed (``changes`` override assumptions;
    ``assumptions`` may also be a dict of changes to the defaults).

    Raises
    ------
    ScenarioError
        ``visits`` is no table of visits (:func:`check_visits`), or an assumption is bad.
    """
    check_visits(visits)
    cat = given_catalog(catalog)
    a = _assumptions(assumptions, changes, cat)
    frame = _with_fee_scale(visits, a.fee_schedule_scale, cat)
    month = pd.to_datetime(frame["date_of_service"], format="ISO8601", errors="coerce").dt.month.to_numpy()
    mix = _plan_weights(visits, a.plan_mix)
    everyone = _network(frame, in_network=True, provider_credentialed=True)
    covered_in_network = (_evaluate(everyone, cat)["decision"] == "covered").to_numpy()

    cash = _evaluate(_network(frame, in_network=False), cat)
    pending = np.nan_to_num(month, nan=0) <= a.lead_months
    if a.pending == "out_of_network":  # no contract yet: out of network (credentialing does not apply)
        waiting = _network(frame, in_network=~pending, provider_credentialed=True)
    else:  # the clinic is contracted, its clinicians not yet credentialed: CO B7
        waiting = _network(frame, in_network=True, provider_credentialed=~pending)
    credentialed = _evaluate(waiting, cat)

    def demand(results: pd.DataFrame) -> np.ndarray:
        # A visit the plan would cover in network happens in full only when the clinic is in network for it.
        away = covered_in_network & (results["network"] != "in").to_numpy()
        return mix * np.where(away, a.cash_uptake, 1.0)

    rows = [
        _measures("cash_pay", frame, month, cash, demand(cash), claims=np.zeros(len(frame)), admin=0.0),
        _measures("credentialed", frame, month, credentialed, demand(credentialed) * (1 - a.paperwork),
                  claims=_claims(credentialed), admin=a.admin_cost_per_claim),
    ]
    if a.paperwork > 0:
        # The same visits with the policy's criteria and prior authorization on file, weighted by
        # the share of missing paperwork the clinic's workflow catches.
        documented = waiting.assign(**{"documentation.criteria_documented": "true",
                                       "documentation.prior_auth": "true"})
        done = _evaluate(documented, cat)
        rows.append(_measures("credentialed", frame, month, done, demand(done) * a.paperwork, claims=_claims(done),
                              admin=a.admin_cost_per_claim))
    per_visit = pd.concat(rows, ignore_index=True)
    first = rows[1]  # the credentialed strategy's visits, in the table's order
    refused = np.flatnonzero(first["error"].notna().to_numpy())
    errors = first.iloc[refused].assign(row=refused + 1)
    if len(frame) and len(refused) == len(frame):  # no figure at all to compare
        raise ScenarioError.one("visits", f"none of the {len(frame):,} visits can be read (row 1: "
                                          f"{errors['error'].iat[0]})")
    good = per_visit[per_visit["error"].isna()]
    return ClinicComparison(
        assumptions=a,
        visits=per_visit,
        by_month=_weighted(good, ["strategy", "month"]),
        totals=_weighted(good, ["strategy"]),
        denials=_denials(good),
        errors=errors[["visit", "row", "error"]].reset_index(drop=True),
    )


def _evaluate(frame: pd.DataFrame, cat: "Catalog") -> pd.DataFrame:
    """The batch over the visits; with a ``patient_id`` column, patient by patient through the plan
    year (:func:`medspa_kit.members.evaluate_members`), so a patient's second visit sees the
    deductible and out-of-pocket the first one used."""
    if "patient_id" not in frame.columns:
        return evaluate_frame(frame, cat)
    return evaluate_members(frame.assign(member_id=frame["patient_id"]), cat)


def _assumptions(assumptions: Any, changes: Mapping[str, Any], cat: "Catalog") -> Assumptions:
    """The assumptions given (or the catalog's defaults for None) with ``changes``; a dict given as
    ``assumptions`` is changes to the defaults (``{"lead_months": 6}``)."""
    if isinstance(assumptions, Mapping):
        assumptions, changes = None, {**dict(pairs(assumptions, "assumptions", "a dict of changes")), **changes}
    if assumptions is not None and not isinstance(assumptions, Assumptions):
        raise ScenarioError.one("assumptions", "expected Assumptions (clinic.default_assumptions()) or a dict of "
                                               f"changes, got {type_name(assumptions)}")
    return (default_assumptions(cat) if assumptions is None else assumptions).with_changes(**changes)


def sensitivity(visits: pd.DataFrame, parameter: str, values: Iterable[Any], assumptions: Assumptions | None = None,
                catalog: "Catalog | None" = None, **changes: Any) -> pd.DataFrame:
    """Totals of both strategies for each value of one assumption: parameter, value, strategy, measures.

    Raises
    ------
    ScenarioError
        ``values`` is not a non-empty list (or other iterable) of values, ``parameter`` is no
        assumption or one of the values is not a valid value of it (named by the parameter), or
        ``visits`` is no table of visits (:func:`compare`).
    """
    known = [f.name for f in fields(Assumptions)]
    choice(parameter, "parameter", known)
    values = listed(values, "values", f"values of {parameter!r}", most=100)  # each value is a year of visits
    if not values:
        raise ScenarioError.one("values", f"the list of values of {parameter!r} is empty: give at least one value")
    cat = given_catalog(catalog)
    base = _assumptions(assumptions, changes, cat)
    frames = []
    for value in values:
        result = compare(visits, base.with_changes(**{parameter: value}), cat)
        used = getattr(result.assumptions, parameter) if parameter in NUMBER_ASSUMPTIONS else value  # (as read)
        frames.append(result.totals.assign(parameter=parameter, value=used))
    out = pd.concat(frames, ignore_index=True)
    return out[["parameter", "value", "strategy", *MEASURES]]


def fee_vs_cash(visits: pd.DataFrame, catalog: "Catalog | None" = None) -> pd.DataFrame:
    """Per service in the visits: how many, the cash price and the fee schedule (dollars) and their ratio."""
    cat = given_catalog(catalog)
    check_visits(visits)
    if "service.code" not in visits.columns:
        raise ScenarioError.one("visits", "the table has no service.code column: the services are what is compared")
    codes = visits["service.code"].astype(str).str.strip()
    rows = []
    for code, count in codes.value_counts().items():
        proc = cat.procedure(code)
        if proc is None:
            continue
        fee = proc.fee_schedule
        rows.append({"service": proc.id, "name": proc.name, "visits": int(count), "cash_price": proc.cash_price,
                     "fee_schedule": fee, "fee_to_cash": None if fee is None else round(fee / proc.cash_price, 3)})
    return pd.DataFrame(rows)


def fee_share_of_cash(visits: pd.DataFrame, catalog: "Catalog | None" = None, scale: float = 1.0) -> float:
    """What the fee schedules, times ``scale``, come to as a fraction of the cash prices, over the
    visits whose service has a fee schedule (Σ min(scale × fee schedule, cash price) ÷ Σ cash
    price, one term per visit): 0.63 means a payer allowing 1× the fee schedules pays 63 % of the
    clinic's price. Each term stops at the cash price, because the allowed amount is capped at the
    charge (docs/cost.md): the share is never above 1. Raises ScenarioError (``scale``) when
    ``scale`` is not a number from 0 to 1000 (as ``fee_schedule_scale``), and (``visits``) when no
    visit's service has a fee schedule."""
    problem = _amount_problem(scale)
    if problem:
        raise ScenarioError.one("scale", problem)
    scale = plain(scale)
    fees = fee_vs_cash(visits, catalog)
    fees = fees[fees["fee_schedule"].notna()]
    if fees.empty:
        raise ScenarioError.one("visits", "no visit is for a service with a fee schedule")
    allowed = np.minimum(fees["fee_schedule"] * scale, fees["cash_price"])
    return float((allowed * fees["visits"]).sum() / (fees["cash_price"] * fees["visits"]).sum())


def fee_cap_scale(visits: pd.DataFrame, catalog: "Catalog | None" = None) -> float:
    """The fee schedule scale (multiple, as ``fee_schedule_scale``) at which every service's fee
    schedule reaches its cash price: the largest cash price ÷ fee schedule over the visits'
    services that have one. The allowed amount is capped at the charge (docs/cost.md), so above
    this scale a payer allowing 100 % of the fee schedule allows the clinic's own price and
    raising the fee schedules changes nothing more for those lines. Raises ScenarioError
    (``visits``) when no visit's service has a fee schedule."""
    fees = fee_vs_cash(visits, catalog)
    fees = fees[fees["fee_schedule"].notna() & (fees["fee_schedule"] > 0)]
    if fees.empty:
        raise ScenarioError.one("visits", "no visit is for a service with a fee schedule")
    return float((fees["cash_price"] / fees["fee_schedule"]).max())


# --------------------------------------------------------------------------------------------


def _network(frame: pd.DataFrame, in_network: Any, provider_credentialed: Any = None) -> pd.DataFrame:
    """The visits with the clinic in or out of network (a flag, or one per visit)."""
    out = frame.copy()
    out["facility.credentialed"] = in_network
    out["facility.participating"] = in_network
    if provider_credentialed is not None:
        out["provider.credentialed"] = provider_credentialed
    return out


def _with_fee_scale(visits: pd.DataFrame, scale: float, cat: "Catalog") -> pd.DataFrame:
    """The visits with every fee schedule (the row's own, else the catalog's) times ``scale``, to the cent."""
    if scale == 1:
        return visits
    fees = read_numbers(visits["service.fee_schedule"] if "service.fee_schedule" in visits else
                        pd.Series([None] * len(visits), dtype=object, index=visits.index))
    catalog_fee = {}
    for code in pd.unique(visits["service.code"].astype(str)):
        proc = cat.procedure(code.strip())
        catalog_fee[code] = np.nan if proc is None or proc.fee_schedule is None else proc.fee_schedule
    own = fees.present & ~money_bad(fees)
    fee = np.where(own, fees.value, visits["service.code"].astype(str).map(catalog_fee).to_numpy(dtype=float))
    scaled = times_rate(to_cents(np.nan_to_num(fee)), rate_micro(scale)) / 100
    use = ~np.isnan(fee) & ~(fees.present & ~own)  # a bad cell stays as it is, for the parser to report
    column = np.full(len(visits), None, dtype=object)
    if "service.fee_schedule" in visits.columns:
        column[:] = visits["service.fee_schedule"].to_numpy(dtype=object)
    column[use] = scaled[use]
    out = visits.copy()
    out["service.fee_schedule"] = column
    return out


def _plan_weights(visits: pd.DataFrame, plan_mix: Mapping[str, float] | None) -> np.ndarray:
    """Re-weight visits so each plan's share of them matches ``plan_mix`` (1.0 each when None)."""
    if plan_mix is None:
        return np.ones(len(visits))
    if "plan_id" not in visits.columns:
        raise ScenarioError.one("plan_mix", "the visits have no plan_id column to re-weight by")
    plans = visits["plan_id"].astype(str)
    seen = plans.value_counts(normalize=True)
    unknown = [p for p, share in plan_mix.items() if share > 0 and p not in seen.index]
    if unknown:
        raise ScenarioError.one("plan_mix", f"no visits on plan {unknown[0]!r} (plans in the visits: "
                                            f"{', '.join(sorted(seen.index))})")
    top = max(float(share) for share in plan_mix.values())  # (shares of 1e308 each: their sum is no float)
    total = sum(float(share) / top for share in plan_mix.values())
    target = {p: float(share) / top / total for p, share in plan_mix.items()}
    return plans.map(lambda p: target.get(p, 0.0) / seen[p]).to_numpy(dtype=float)


def _not_billable(results: pd.DataFrame) -> np.ndarray:
    """Visits no claim is filed for: a provider the plan does not pay (``not_billable``, CARC 170)
    or a service the plan excludes (CARC 204, cosmetic care)."""
    return ((results["decision"] == "not_billable") | (results["reason_carc"] == "204")).to_numpy()


def _claims(results: pd.DataFrame) -> np.ndarray:
    """Claims the clinic files: every visit except the ones not billable to insurance."""
    return (~_not_billable(results)).astype(float)


def _measures(strategy: str, frame: pd.DataFrame, month: np.ndarray, r: pd.DataFrame, weight: np.ndarray,
              claims: np.ndarray, admin: float) -> pd.DataFrame:
    charge = r["charge"].to_numpy()
    if strategy == "cash_pay":  # no claim: the patient pays the price; a superbill of their own may bring some back
        write_off = np.zeros(len(r))
        refund = r["plan_pays"].to_numpy()
        plan_pays = np.zeros(len(r))
        patient = charge - refund
    else:
        write_off = r["provider_writeoff"].to_numpy()
        refund = np.zeros(len(r))
        plan_pays = r["plan_pays"].to_numpy()
        patient = r["patient_pays"].to_numpy()
    revenue = charge - write_off
    admin_cost = claims * admin
    extra = {c: frame[c].to_numpy() for c in ("plan_id", "insurer", "payer") if c in frame.columns}
    return pd.DataFrame({
        "strategy": strategy, "visit": frame.index, "month": month, "service": frame["service.code"].to_numpy(),
        **extra,
        "decision": r["decision"].astype(object).to_numpy(), "network": r["network"].astype(object).to_numpy(),
        "reason_group": r["reason_group"].astype(object).to_numpy(),
        "reason_carc": r["reason_carc"].astype(object).to_numpy(),
        "reason_text": r["reason_text"].astype(object).to_numpy(),
        "kind": np.where(_not_billable(r), NOT_BILLABLE, DENIED),
        "weight": weight, "visits": 1.0, "claims": claims, "charge": charge, "revenue": revenue,
        "write_off": write_off, "admin_cost": admin_cost, "net_revenue": revenue - admin_cost,
        "patient_oop": patient, "plan_pays": plan_pays, "superbill_refund": refund, "error": r["error"].to_numpy(),
    })


def _weighted(per_visit: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    values = per_visit[list(MEASURES)].mul(per_visit["weight"], axis=0)
    out = values.groupby([per_visit[c] for c in by], sort=True).sum().reset_index()
    out[list(MEASURES)] = out[list(MEASURES)].round(2)
    if by == ["strategy"]:
        out = out.set_index("strategy").reindex(list(STRATEGIES), fill_value=0.0).reset_index()
    return out


def _denials(per_visit: pd.DataFrame) -> pd.DataFrame:
    denied = per_visit[per_visit["decision"] != "covered"]
    keys = ["strategy", "kind", "decision", "reason_group", "reason_carc", "reason_text"]
    w = denied["weight"]
    out = pd.DataFrame({**{k: denied[k] for k in keys}, "visits": w, "charge": denied["charge"] * w,
                        "clinic_absorbs": denied["write_off"] * w, "patient_pays": denied["patient_oop"] * w})
    out = out.groupby(keys, sort=True).sum().reset_index()
    out[["visits", "charge", "clinic_absorbs", "patient_pays"]] = out[
        ["visits", "charge", "clinic_absorbs", "patient_pays"]].round(2)
    return out.sort_values(["strategy", "visits"], ascending=[True, False], ignore_index=True)


from ._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
