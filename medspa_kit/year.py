"""A plan year for one patient: a course of dated claims, run in date order (docs/plan-year.md).

A course is one claim repeated on several dates (chronic-migraine Botox every 12 weeks,
underarm sweating twice a year). Each claim is adjudicated by :func:`~medspa_kit.engine.evaluate`
from the state the earlier claims left:

* the **accumulators** — deductible and out-of-pocket met, in network and out of network — grow
  by what the patient paid toward them on the earlier claims of the same plan year: each covered
  line's deductible, and its deductible + coinsurance + copay toward the out-of-pocket maximum,
  on the accumulators of the line's network. A denied line, a balance bill and the part above
  Medicare's allowed amount count toward neither (they are not cost sharing);
* the **history** gains every line of every earlier claim (the service was given whether or not
  the plan paid for it), so the frequency rule (CARC 151) and the yearly limits (CARC 119) see
  the earlier visits; only claims on an earlier day count as earlier;
* on each anniversary of ``plan_year_start`` the accumulators go back to zero (Original Medicare's
  Part B deductible runs by calendar year, whatever ``plan_year_start`` says).

The course file (docs/plan-year.md)::

    {"version": 2, "plan_year_start": "2026-01-01",
     "scenario": {... a scenario: the claim; its accumulators are the state before the first date},
     "dates": ["2026-01-05", "2026-03-30", "2026-06-22", "2026-09-14"]}
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from .catalog import given_catalog
from .engine import evaluate
from .arguments import instance, listed, mapping, pairs, truth, whole, whole_value
from .errors import ScenarioError, shortened, shown_value
from .fields import DATES, parse_iso_date, plain
from .files import SCENARIO_MAX_BYTES, decode, json_kind, load_json, not_empty, read_text_file
from .model import Scenario
from .money import to_cents
from .outcome import Cost, Outcome
from .vocabulary import COST_FIELDS

__all__ = ["Course", "load_course", "course_names", "preset_course", "plan_year_index", "State", "YearClaim",
           "PlanYear", "run_year", "plan_year_start", "Cash", "compare_plans", "rank_options", "compare_by_month",
           "denial_note", "cash_label", "patient_options", "holdable_plans", "plan_options"]

if TYPE_CHECKING:
    from .catalog import Catalog

TITLE_MAX = 200
"""characters: the longest course title (one line heading the views)"""
COURSE_FIELDS = ("version", "title", "plan_year_start", "scenario", "dates")
MAX_DATES = 400
"""more claims than this in one course is a typing error, not a course of treatment"""
ACCUMULATOR_FIELDS = ("deductible_met", "oop_met", "oon_deductible_met", "oon_oop_met")


@dataclass(frozen=True)
class Course:
    """One claim repeated on several dates, from a starting state (the scenario's accumulators)."""

    scenario: Scenario
    """the claim; its ``accumulators`` are the state before the first date"""
    dates: tuple[dt.date, ...]
    """the dates of service, in order, each once"""
    plan_year_start: dt.date
    """the plan year starts on this date and on each anniversary of it"""
    title: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], catalog: "Catalog | None" = None) -> "Course":
        """Parse a course of the file's shape; raises ScenarioError naming the field and the value.

        ``plan_year_start`` defaults to January 1 of the first date's year. Each claim takes its
        date from ``dates``: the scenario's ``date_of_service`` is best left out; one that is not a
        date, or another day than the first date, is refused (it would not be read).
        """
        if not isinstance(data, Mapping):
            raise ScenarioError.one("course", f"expected a JSON object, got {type(data).__name__}")
        data = dict(pairs(data, "course", "a JSON object"))
        for name in data:
            if name not in COURSE_FIELDS:
                raise ScenarioError.one(str(name), f"unknown field {shown_value(name)} (allowed: {', '.join(COURSE_FIELDS)})")
        version = data.get("version", 2)
        if isinstance(version, bool) or not isinstance(version, (int, float)) or version != 2:
            raise ScenarioError.one("version", f"{shown_value(version)} is not supported (a course is version 2)")
        title = data.get("title", "")
        if not isinstance(title, str):
            raise ScenarioError.one("title", f"{shown_value(title)} is not text")
        if not title.isprintable() or len(title) > TITLE_MAX:  # it heads every view: no hidden or reordering marks
            raise ScenarioError.one("title", f"{shown_value(title)} is not a title: at most {TITLE_MAX} printable "
                                             "characters (no control, zero-width or direction marks)")
        dates = _dates(data.get("dates"))
        start = _date("plan_year_start", data["plan_year_start"]) if data.get("plan_year_start") is not None \
            else dt.date(dates[0].year, 1, 1)
        if start > dates[0]:
            raise ScenarioError.one("plan_year_start", f"{start.isoformat()} is after the first visit, "
                                                       f"{dates[0].isoformat()}: give the start of the plan year "
                                                       "that visit falls in (its anniversaries start the next ones)")
        raw = data.get("scenario")
        if not isinstance(raw, Mapping):
            raise ScenarioError.one("scenario", "required: the claim, as a scenario object" if raw is None
                                    else f"{shown_value(raw)} should be a scenario object")
        raw = dict(pairs(raw, "scenario", "a scenario object"))
        if raw.get("date_of_service") is not None:
            given = _date("scenario.date_of_service", raw["date_of_service"])
            if given != dates[0]:
                raise ScenarioError.one("scenario.date_of_service", f"{given.isoformat()} is not read: each visit gives "
                                        "its date (dates); leave it out")
        raw["date_of_service"] = dates[0].isoformat()
        try:
            scenario = Scenario.from_dict(raw, catalog=catalog)
        except ScenarioError as err:
            raise ScenarioError([(f"scenario.{f}", m) for f, m in err.problems]) from None
        return cls(scenario, dates, start, title)

    @classmethod
    def from_json(cls, text: str, catalog: "Catalog | None" = None) -> "Course":
        """Parse a course's JSON text, or UTF-8 bytes (limits: :func:`medspa_kit.files.load_json`)."""
        if isinstance(text, (bytes, bytearray)):
            text = decode(bytes(text), "the bytes given", "course")
        elif not isinstance(text, str):
            raise ScenarioError.one("course", f"expected JSON text (a str), got {json_kind(text)}")
        return cls.from_dict(load_json(text, "course"), catalog=catalog)

    def to_dict(self) -> dict[str, Any]:
        """The course file's JSON object."""
        out: dict[str, Any] = {"version": 2}
        if self.title:
            out["title"] = self.title
        scenario = self.scenario.to_dict()
        scenario.pop("date_of_service", None)  # each visit gives its date
        out.update(plan_year_start=self.plan_year_start.isoformat(), scenario=scenario,
                   dates=[d.isoformat() for d in self.dates])
        return out

    def with_plan(self, plan: Mapping[str, Any], payer: str | None = None,
                  catalog: "Catalog | None" = None) -> "Course":
        """The same course under another plan (a ``plan`` object of the scenario file; ``payer``
        the ``payers.csv`` id, default: the scenario's, or Medicare's for a Medicare plan).

        Raises ScenarioError (``plan``) when ``plan`` is not a mapping, and naming the field
        (``scenario.plan.…``) when it is no valid plan for the claim."""
        if not isinstance(plan, Mapping):
            raise ScenarioError.one("plan", _not_a_plan(plan))
        data = self.scenario.to_dict()
        data["plan"] = plan = dict(pairs(plan, "plan", "a plan object"))
        medicare = plan.get("type") == "MEDICARE"
        data.pop("payer", None)
        if payer is not None:
            data["payer"] = payer
        elif self.scenario.payer is not None and not medicare and self.scenario.plan.type.value != "MEDICARE":
            data["payer"] = self.scenario.payer
        accumulators = dict(data.get("accumulators", {}))
        for name in ACCUMULATOR_FIELDS:  # another plan: nothing met under it yet
            accumulators.pop(name, None)
        data["accumulators"] = accumulators
        try:
            scenario = Scenario.from_dict(data, catalog=catalog)
        except ScenarioError as err:
            raise ScenarioError([(f"scenario.{f}", m) for f, m in err.problems]) from None
        return Course(scenario, self.dates, self.plan_year_start, self.title)


def _not_a_plan(value: Any) -> str:
    """Why ``value`` is no plan option: what one is, and for a plan id where its plan object is."""
    hint = (f"; for the bundled plan {shown_value(value)}, give plan_options()[{shown_value(value)}]" if isinstance(value, str) else "")
    return (f"{shown_value(value)} is not a plan object (a dict such as {{\"type\": \"HDHP\", ...}}) "
            f"or Cash(...){hint}")


def _checked_options(options: Any) -> Mapping[str, Any]:
    """``options`` of :func:`compare_plans` when it maps labels to plan objects or :class:`Cash`;
    else ScenarioError naming ``options`` (or the option) and the value."""
    if not isinstance(options, Mapping):
        raise ScenarioError.one("options", f"expected a dict of label → plan object or Cash(...), "
                                           f"got {type(options).__name__}")
    options = dict(pairs(options, "options", "a dict of label → plan object or Cash(...)"))
    if len(options) > 100:  # each option is a plan year of claims
        raise ScenarioError.one("options", f"{len(options):,} options: compare at most 100")
    for label, option in options.items():
        if not isinstance(label, str) or not label.strip():  # (the label names the option's row and line)
            raise ScenarioError.one("options", f"{shortened(shown_value(label), 60)} is not an option's label (a text "
                                               "such as 'PPO' or 'Cash')")
        if not isinstance(option, (Mapping, Cash)):
            raise ScenarioError.one(f"options[{shown_value(label)}]", _not_a_plan(option))
        if isinstance(option, Mapping):  # (read once, here: a plan of the caller's that fails is named as its option)
            options[label] = dict(pairs(option, f"options[{shown_value(label)}]", "a plan object"))
    return options


def _checked_course(course: Any) -> Course:
    """``course`` when it is a :class:`Course`; else ScenarioError naming ``course`` and its type."""
    if not isinstance(course, Course):
        raise ScenarioError.one("course", f"expected a Course (load_course, preset_course or Course.from_dict "
                                          f"for a dict of the file's shape), got {type(course).__name__}")
    return course


def _date(name: str, value: Any) -> dt.date:
    try:
        return parse_iso_date(value)
    except ValueError as err:
        raise ScenarioError.one(name, str(err)) from None


def _dates(value: Any) -> tuple[dt.date, ...]:
    if value is None:
        raise ScenarioError.one("dates", "required: the dates of service, such as [\"2026-01-05\", \"2026-03-30\"]")
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ScenarioError.one("dates", f"{shown_value(value)} should be a list of dates, such as [\"2026-01-05\"]")
    if not value:
        raise ScenarioError.one("dates", "needs at least one date")
    if len(value) > MAX_DATES:
        raise ScenarioError.one("dates", f"{len(value)} dates is more than {MAX_DATES}")
    dates = [_date(f"dates[{i}]", v) for i, v in enumerate(value)]
    seen: dict[dt.date, int] = {}
    for i, d in enumerate(dates):
        if d in seen:
            raise ScenarioError.one(f"dates[{i}]", f"{d.isoformat()} is listed twice (also dates[{seen[d]}])")
        seen[d] = i
    return tuple(sorted(dates))


def load_course(path: str | Path, catalog: "Catalog | None" = None) -> Course:
    """Read a course file (docs/plan-year.md): a regular UTF-8 file of at most 1 MB.

    Raises
    ------
    MedspaError
        Naming the file (missing, not a regular file, too large, not UTF-8, not JSON) or the field.
    """
    text = not_empty(read_text_file(path, SCENARIO_MAX_BYTES), path, what="course")
    return Course.from_dict(load_json(text, "course", name=path), catalog=catalog)


def course_names(catalog: "Catalog | None" = None) -> list[str]:
    """The bundled courses (``datasets/courses/*.json``)."""
    folder = given_catalog(catalog).folder / "courses"
    return sorted(p.stem for p in folder.glob("*.json"))


def preset_course(name: str, catalog: "Catalog | None" = None) -> Course:
    """The bundled course called ``name`` (``chronic-migraine-every-12-weeks``, …)."""
    cat = given_catalog(catalog)
    names = course_names(cat)
    if not isinstance(name, str) or name not in names:
        raise ScenarioError.one("course", f"{shown_value(name)} is not a course (try one of: {', '.join(names)})")
    return load_course(cat.folder / "courses" / f"{name}.json", catalog=cat)


# -- the plan year ---------------------------------------------------------------------------


def _date_argument(value: Any, name: str) -> dt.date:
    try:
        return parse_iso_date(plain(value))
    except ValueError as err:
        raise ScenarioError.one(name, str(err)) from None


def plan_year_index(day: dt.date, start: dt.date) -> int:
    """Which plan year ``day`` falls in: 0 for the year from ``start``, 1 from its first
    anniversary, −1 for the year before (a plan year starting on February 29 starts on March 1
    in other years). ``day`` and ``start``: dates (or ISO text), else a ScenarioError naming them."""
    day, start = _date_argument(day, "day"), _date_argument(start, "start")
    before = (day.month, day.day) < (start.month, start.day)
    return day.year - start.year - int(before)


@dataclass(frozen=True)
class State:
    """What the patient has met in the plan year (cents) and the services on record."""

    deductible_met: int
    oop_met: int
    oon_deductible_met: int
    oon_oop_met: int
    history: tuple[tuple[str, dt.date], ...]

    def after(self, outcome: Outcome) -> "State":
        """The state after a claim: its covered lines' cost sharing added on their network's
        accumulators, its lines added to the history."""
        instance(outcome, Outcome, "outcome", "an Outcome (medspa_kit.evaluate gives one)")
        ded = sum(line.cost.deductible for line in outcome.lines if line.decision == "covered")
        shared = sum(line.cost.deductible + line.cost.coinsurance + line.cost.copay
                     for line in outcome.lines if line.decision == "covered")
        inside = outcome.network == "in"
        day = outcome.scenario.date_of_service
        return State(self.deductible_met + ded * inside, self.oop_met + shared * inside,
                     self.oon_deductible_met + ded * (not inside), self.oon_oop_met + shared * (not inside),
                     self.history + tuple((line.code or line.procedure.id, day) for line in outcome.lines))

    def reset(self) -> "State":
        """A new plan year: nothing met, the history kept."""
        return State(0, 0, 0, 0, self.history)

    def accumulators(self, template: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
        """The scenario's ``accumulators`` object for a claim on ``day`` (history strictly before it)."""
        out = dict(mapping(template, "template", "the scenario's accumulators object (a dict)", optional=False))
        day = _date_argument(day, "day")
        out.update({name: getattr(self, name) / 100 for name in ACCUMULATOR_FIELDS})
        history = [{"code": code, "date": d.isoformat()} for code, d in self.history if d < day]
        if history:
            out["history"] = history
        return out


@dataclass(frozen=True)
class YearClaim:
    """One claim of the course: its date, plan year, the state it started from, its outcome."""

    date: dt.date
    plan_year: int
    before: State
    outcome: Outcome = field(repr=False)


@dataclass(frozen=True)
class PlanYear:
    """A course run claim by claim: each claim's outcome, running totals, totals (cents)."""

    course: Course
    claims: tuple[YearClaim, ...]

    @property
    def totals(self) -> Cost:
        """The nine cost fields summed over the course (cents)."""
        return sum((c.outcome.cost for c in self.claims), Cost(0))

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``medspa-kit year --json``: each claim's outcome with its date, and the totals."""
        return {"claims": [{"date_of_service": c.date.isoformat(), **c.outcome.to_dict()} for c in self.claims],
                "totals": self.totals.to_dict()}

    def table(self) -> "Any":
        """A pandas frame, one row per claim: date, plan year (its index and the date it started), decision and reason, the nine cost
        fields in dollars, the running patient and plan totals of the plan year, and the
        deductible and out-of-pocket met after the claim (in network; dollars)."""
        import pandas as pd

        rows = []
        running: dict[int, list[int]] = {}
        for c in self.claims:
            o = c.outcome
            paid = running.setdefault(c.plan_year, [0, 0])
            paid[0] += o.cost.patient_pays
            paid[1] += o.cost.plan_pays
            after = c.before.after(o)
            rows.append({"date_of_service": c.date, "plan_year": c.plan_year,
                         "plan_year_start": plan_year_start(self.course, c.plan_year), "decision": o.decision,
                         "reason": o.primary_reason.label if o.primary_reason else "",
                         **{name: getattr(o.cost, name) / 100 for name in COST_FIELDS},
                         "patient_so_far": paid[0] / 100, "plan_so_far": paid[1] / 100,
                         "deductible_met": after.deductible_met / 100, "oop_met": after.oop_met / 100})
        return pd.DataFrame(rows)

    def by_month(self) -> "Any":
        """A pandas frame of the course month by month (every month from the first date's to the
        last's): claims, patient pays, plan pays, clinic writes off (dollars) and the patient's
        running total over the course."""
        import pandas as pd

        first, last = self.claims[0].date, self.claims[-1].date
        months = pd.period_range(pd.Period(first, "M"), pd.Period(last, "M"), freq="M")
        out = pd.DataFrame(0.0, index=months, columns=["patient_pays", "plan_pays", "provider_writeoff"])
        out.insert(0, "claims", 0)
        for c in self.claims:
            month = pd.Period(c.date, "M")
            out.loc[month, "claims"] += 1
            for name in ("patient_pays", "plan_pays", "provider_writeoff"):
                out.loc[month, name] += getattr(c.outcome.cost, name) / 100
        out["patient_so_far"] = out["patient_pays"].cumsum().round(2)
        out.index.name = "month"
        return out


def run_year(course: Course, catalog: "Catalog | None" = None) -> PlanYear:
    """Adjudicate a course claim by claim, in date order, carrying the plan year's state.

    Parameters
    ----------
    course : Course
        The claim, its dates and the plan year's start (:func:`load_course`, :func:`preset_course`).
    catalog : Catalog, optional
        The rule tables; the bundled ones by default.

    Returns
    -------
    PlanYear
        Each claim's :class:`~medspa_kit.outcome.Outcome` (cents) with the state it started from;
        ``totals`` over the course; ``table()`` and ``by_month()`` in dollars.

    Raises
    ------
    ScenarioError
        A claim the scenario parser rejects (a history entry on or after the first date, …),
        naming the field and the date; ``course`` when it is not a :class:`Course`.

    References
    ----------
    .. [1] docs/plan-year.md (accumulators, history and the plan year); docs/cost.md.
    """
    _checked_course(course)
    cat = given_catalog(catalog)
    base = course.scenario.to_dict()
    template = {k: v for k, v in base.get("accumulators", {}).items() if k not in ACCUMULATOR_FIELDS + ("history",)}
    acc = course.scenario.accumulators
    state = State(*(to_cents(getattr(acc, name)) for name in ACCUMULATOR_FIELDS),
                  tuple((e.code.strip(), e.date) for e in acc.history or ()))
    start = _year_start(course)
    claims = []
    year = plan_year_index(course.dates[0], start)
    for day in course.dates:
        index = plan_year_index(day, start)
        if index != year:
            state, year = state.reset(), index
        data = dict(base, date_of_service=day.isoformat(), accumulators=state.accumulators(template, day))
        try:
            outcome = evaluate(Scenario.from_dict(data, catalog=cat), cat)
        except ScenarioError as err:
            raise ScenarioError([(f"scenario.{f} (claim of {day.isoformat()})", m) for f, m in err.problems]) from None
        claims.append(YearClaim(day, index, state, outcome))
        state = state.after(outcome)
    return PlanYear(course, tuple(claims))


def plan_year_start(course: Course, index: int) -> dt.date:
    """The first day of plan year ``index`` of ``course`` (0: the year the course's plan year
    starts; Original Medicare: January 1, its Part B deductible runs by calendar year). A start on
    February 29 falls on March 1 in other years. ``index``: 0 to 299 (the kit's dates span 1900 to
    2199, so a course's visits fall at most 299 anniversaries after its start)."""
    start = _year_start(_checked_course(course))
    index = whole(index, "index", 0, DATES[1].year - DATES[0].year)
    try:
        return start.replace(year=start.year + index)
    except ValueError:  # February 29 in a year that has none
        return dt.date(start.year + index, 3, 1)


def _year_start(course: Course) -> dt.date:
    """The plan year's start; Original Medicare's Part B deductible runs by calendar year."""
    if course.scenario.plan.type.value == "MEDICARE":
        return dt.date(course.plan_year_start.year, 1, 1)
    return course.plan_year_start


# -- the same course under several plans -----------------------------------------------------

DENIED = ("denied", "not_billable")
"""the decisions of a claim the plan does not pay for"""


@dataclass(frozen=True)
class Cash:
    """Paying the clinic's price with no claim: a package or member price, and a membership fee.

    ``discount`` (fraction 0–1) comes off every visit's charge (a package or a member price);
    ``membership_fee`` (dollars a month) is paid for ``months`` months whatever the visits.
    """

    discount: float = 0.0
    membership_fee: float = 0.0
    months: int = 12

    def __post_init__(self) -> None:
        from .money import rate_problem

        for name in ("discount", "membership_fee", "months"):  # numpy's numbers and Decimals are numbers
            object.__setattr__(self, name, plain(getattr(self, name)))
        if (months := whole_value(self.months)) is not None:  # (12.0 from a number column: 12 months)
            object.__setattr__(self, "months", months)
        problem = rate_problem(self.discount) if isinstance(self.discount, (int, float)) and not isinstance(
            self.discount, bool) else f"{shown_value(self.discount)} is not a number"
        if problem:
            raise ScenarioError.one("cash.discount", problem)
        if isinstance(self.membership_fee, bool) or not isinstance(self.membership_fee, (int, float)) or not (
                0 <= self.membership_fee <= 100_000):
            raise ScenarioError.one("cash.membership_fee", f"{shown_value(self.membership_fee)} is not dollars from 0 to 100,000")
        if isinstance(self.months, bool) or not isinstance(self.months, int) or not 0 <= self.months <= 120:
            raise ScenarioError.one("cash.months", f"{shown_value(self.months)} is not a whole number of months from 0 to 120")


COMPARE_COLUMNS = ("option", "claims", "covered", "denied", "denial_reasons", "charge", "patient_pays", "plan_pays",
                   "provider_writeoff", "cash_discount", "balance_bill", "hsa_tax_saving", "net_cost")
"""the columns of :func:`compare_plans` (dollars from ``charge`` on; charge = plan pays + patient
pays + clinic writes off + cash discount, the balance bill being part of what the patient pays)"""


def compare_plans(course: Course, options: Mapping[str, "Mapping[str, Any] | Cash"], federal: float = 0.22,
                  state: float = 0.05, payroll: bool = True, catalog: "Catalog | None" = None) -> "Any":
    """The same course under several plans, and for cash, in one table (dollars).

    Parameters
    ----------
    course : Course
        The claim and its dates; its plan is replaced by each option's.
    options : mapping of label → plan object or :class:`Cash`
        A ``plan`` object of the scenario file (``{"type": "HDHP", ...}``; a Medicare plan takes
        the payer ``medicare``), or ``Cash(...)``: the clinic's price for every visit, less the
        discount, plus the membership fee.
    federal, state : float
        Marginal income-tax rates (fractions 0–1) for the HSA's tax saving.
    payroll : bool
        HSA contributions through payroll (FICA saved too).

    Returns
    -------
    pandas.DataFrame
        One row per option (:data:`COMPARE_COLUMNS`): claims, covered and denied claims (a cash
        option files none: 0, 0, 0), the denied claims' reasons (``CO 288: No referral on file``;
        empty: none), and the course's charges (for cash: the visits' prices plus the membership fees), patient pays, plan pays, clinic write-off, the cash option's discount off the
        clinic's price (not a write-off: no claim, no CO 45), balance bill, the HSA tax saving (an
        HSA-qualified plan: what the patient pays for HSA-eligible claims × the combined rate,
        IRS Publication 969) and the net cost (patient pays − tax saving).

    Raises
    ------
    ScenarioError
        An option that is no valid plan for the claim, naming the field; ``options`` when it is
        not a mapping, ``options['label']`` when an option is neither a mapping nor ``Cash``
        (a plan id such as ``'ppo-standard'``: its plan object is ``plan_options()['ppo-standard']``);
        ``course`` when it is not a :class:`Course`.
    """
    import pandas as pd

    from .payments.tax import tax_savings

    _checked_course(course)
    options = _checked_options(options)  # (a new dict, each option read once)
    tax_savings(0.0, federal, state, payroll)  # the rates are checked whether or not an option uses them
    cat = given_catalog(catalog)
    own = run_year(course, cat)
    rows = []
    for label, option in options.items():
        if isinstance(option, Cash):
            charges = sum(c.outcome.cost.charge for c in own.claims)
            discount = round(charges * option.discount)
            paid = (charges - discount + to_cents(option.membership_fee) * option.months) / 100
            rows.append({"option": label, "claims": 0, "covered": 0, "denied": 0, "denial_reasons": "",
                         "charge": (charges + to_cents(option.membership_fee) * option.months) / 100, "patient_pays": paid,
                         "plan_pays": 0.0, "provider_writeoff": 0.0, "cash_discount": discount / 100,
                         "balance_bill": 0.0, "hsa_tax_saving": 0.0, "net_cost": paid})
            continue
        year = run_year(course.with_plan(option, catalog=cat), cat)
        totals = year.totals
        saving = 0.0
        if year.course.scenario.plan.hsa_qualified:
            eligible = sum(c.outcome.cost.patient_pays for c in year.claims
                           if c.outcome.hsa_fsa.status == "eligible"
                           or (c.outcome.hsa_fsa.status == "eligible_with_lmn"
                               and course.scenario.documentation.lmn))
            saving = tax_savings(eligible / 100, federal, state, payroll).savings
        decisions = [c.outcome.decision for c in year.claims]
        refused = [c.outcome for c in year.claims if c.outcome.decision in DENIED]
        reasons = dict.fromkeys(f"{o.primary_reason.label}: {o.primary_reason.text}" if o.primary_reason
                                else o.decision.replace("_", " ") for o in refused)
        rows.append({"option": label, "claims": len(decisions),
                     "covered": sum(d in ("covered", "partly_covered") for d in decisions),
                     "denied": len(refused), "denial_reasons": "; ".join(reasons),
                     **{name: getattr(totals, name) / 100 for name in ("charge", "patient_pays", "plan_pays",
                                                                        "provider_writeoff")},
                     "cash_discount": 0.0, "balance_bill": totals.balance_bill / 100,
                     "hsa_tax_saving": saving, "net_cost": round(totals.patient_pays / 100 - saving, 2)})
    return pd.DataFrame(rows, columns=list(COMPARE_COLUMNS))


def rank_options(course: Course, options: Mapping[str, "Mapping[str, Any] | Cash"], catalog: "Catalog | None" = None,
                 federal: float = 0.22, state: float = 0.05, payroll: bool = True) -> "Any":
    """:func:`compare_plans` with the cheapest option that pays for the care first: the options
    under which no claim is denied (and cash) sorted by net cost (after any HSA tax saving), then
    the options under which claims are denied, by net cost; ties kept in the order given. The one
    ranking that every "which costs least?" — a widget's verdict, a quiz's answer — is read from.

    A plan that denies the claims costs the patient nothing only because the clinic absorbs the
    charge (in network, ``CO``: the patient is held harmless); it is no way to pay for the care,
    so it is never ranked above an option that pays. ``federal``, ``state`` and ``payroll``: the
    tax rates of an HSA's saving, as :func:`compare_plans` takes them.

    Returns
    -------
    pandas.DataFrame
        As :func:`compare_plans` (dollars), rows sorted, index 0, 1, …; row 0 is the cheapest
        option that covers the care (when every option denies claims, the cheapest of them:
        its ``denied`` says so, see :func:`denial_note`).

    Raises
    ------
    ScenarioError
        As :func:`compare_plans`.
    """
    table = compare_plans(course, options, federal, state, payroll, catalog)
    table["_denies"] = table["denied"] > 0
    ranked = table.sort_values(["_denies", "net_cost"], kind="stable").drop(columns="_denies")
    return ranked.reset_index(drop=True)


def denial_note(row: Mapping[str, Any]) -> str:
    """``5 of 5 claims denied (CO 288: No referral on file)``: what a row of :func:`compare_plans`
    says about its denied claims (empty when none is denied)."""
    if not (isinstance(row, Mapping) or type(row).__name__ == "Series"):  # a dict, or a row of the table
        raise ScenarioError.one("row", f"expected a row of compare_plans, got {type(row).__name__}")
    missing = [name for name in ("denied", "claims", "denial_reasons") if name not in row]
    if missing:
        raise ScenarioError.one("row", f"expected a row of compare_plans; this one has no {missing[0]!r}")
    if not row["denied"]:
        return ""
    return f"{row['denied']} of {row['claims']} claims denied ({row['denial_reasons']})"


def cash_label(discount: float) -> str:
    """``cash, 10 % package``: the cash option's label for a package discount (fraction 0–1;
    ScenarioError naming ``cash.discount`` otherwise)."""
    discount = Cash(discount=discount).discount
    return f"cash, {round(discount * 100, 2):g} % package" if discount else "cash, no discount"


def patient_options(plan_ids: "tuple[str, ...] | list[str]", cash_discount: float | None = 0.1,
                    medicare_eligible: bool = False, catalog: "Catalog | None" = None) -> dict[str, Any]:
    """The options one patient could choose between, labelled by plan name (``plans.csv``), plus
    cash with a package discount (``cash_discount``, fraction 0–1; None: no cash option).

    Original Medicare is an option only for a patient entitled to it (``medicare_eligible``: 65
    or older, or under 65 with a qualifying disability or end-stage renal disease: 42 U.S.C. 426, 1395o);
    a working-age patient with employer or marketplace coverage cannot choose it.

    Raises
    ------
    ScenarioError
        ``plans``: an id not in ``plans.csv``, or Original Medicare for a patient not entitled to it.
    """
    cat = given_catalog(catalog)
    medicare_eligible = truth(medicare_eligible, "medicare_eligible")
    plans = plan_options(cat)
    out: dict[str, Any] = {}
    for plan_id in listed(plan_ids, "plan_ids", 'plan ids such as ["ppo-standard"]', most=100):
        if not isinstance(plan_id, str):
            raise ScenarioError.one("plans", f"{shown_value(plan_id)} is not a plan id (one of: {', '.join(plans)})")
        if plan_id not in plans:
            raise ScenarioError.one("plans", f"{shown_value(plan_id)} is not a plan (one of: {', '.join(plans)})")
        if plans[plan_id]["type"] == "MEDICARE" and not medicare_eligible:
            raise ScenarioError.one("plans", f"{shown_value(plan_id)} is Original Medicare, which this patient cannot hold "
                                             "(not 65 or older and not entitled by disability: 42 U.S.C. 1395o)")
        out[str(cat.keyed["plans"][plan_id]["name"])] = plans[plan_id]
    if cash_discount is not None:
        cash = Cash(discount=cash_discount)
        out[cash_label(cash.discount)] = cash
    return out


def holdable_plans(medicare_eligible: bool = False, catalog: "Catalog | None" = None) -> list[str]:
    """The ids of the bundled plans a patient can hold: every plan but Original Medicare unless
    ``medicare_eligible`` (see :func:`patient_options`), and never a Medicaid program's own plan
    (``payers.csv``, ``plan``: Medi-Cal is by income, not a plan one picks against a PPO)."""
    cat = given_catalog(catalog)
    if not isinstance(plain(medicare_eligible), bool):
        raise ScenarioError.one("medicare_eligible", f"{shown_value(medicare_eligible)} is not true or false")
    medicaid = {row["plan"] for row in cat.rows["payers"] if row["kind"] == "medicaid"}
    return [plan_id for plan_id, plan in plan_options(cat).items()
            if (medicare_eligible or plan["type"] != "MEDICARE") and plan_id not in medicaid]


def plan_options(catalog: "Catalog | None" = None) -> dict[str, dict[str, Any]]:
    """The bundled plans (``plans.csv``) as ``plan`` objects of the scenario file, by id."""
    cat = given_catalog(catalog)
    out = {}
    for r in cat.rows["plans"]:
        plan: dict[str, Any] = {"type": r["type"], "covered_places_of_service": list(r["covered_places_of_service"])}
        if r["type"] != "MEDICARE":
            plan.update(deductible=r["deductible"], coinsurance=r["coinsurance"], copay=r["copay"],
                        oop_max=r["oop_max"], hsa_qualified=r["hsa_qualified"])
            if r["oon_deductible"] is not None:
                plan["oon"] = {"deductible": r["oon_deductible"], "coinsurance": r["oon_coinsurance"],
                               "oop_max": r["oon_oop_max"], "allowed_pct": r["oon_allowed_pct"]}
        out[r["id"]] = plan
    return out


def compare_by_month(course: Course, options: Mapping[str, "Mapping[str, Any] | Cash"],
                     catalog: "Catalog | None" = None) -> "Any":
    """What the patient has paid so far, month by month, under each option (dollars).

    Parameters
    ----------
    course, options
        As for :func:`compare_plans`.

    Returns
    -------
    pandas.DataFrame
        Index: every month from the first date's to the last's (``pandas.Period``); one column per
        option: the patient's running total at the end of the month (a membership fee is paid
        monthly from the first month, for ``months`` months).

    Raises
    ------
    ScenarioError
        As :func:`compare_plans`.
    """
    import pandas as pd

    _checked_course(course)
    options = _checked_options(options)  # (a new dict, each option read once)
    cat = given_catalog(catalog)
    own = run_year(course, cat)
    months = pd.period_range(pd.Period(own.claims[0].date, "M"), pd.Period(own.claims[-1].date, "M"), freq="M")
    out = pd.DataFrame(index=months)
    for label, option in options.items():
        paid = pd.Series(0, index=months, dtype="int64")
        if isinstance(option, Cash):
            for c in own.claims:
                charge = c.outcome.cost.charge
                paid[pd.Period(c.date, "M")] += charge - round(charge * option.discount)
            paid.iloc[:option.months] += to_cents(option.membership_fee)
        else:
            for c in run_year(course.with_plan(option, catalog=cat), cat).claims:
                paid[pd.Period(c.date, "M")] += c.outcome.cost.patient_pays
        out[label] = paid.cumsum() / 100
    out.index.name = "month"
    return out


from ._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
