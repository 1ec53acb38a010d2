"""Good Faith Estimate for an uninsured or self-pay patient (No Surprises Act, 45 CFR 149.610).

Who is owed one (45 CFR 149.610(a)(2)): a patient with no benefits for the service, or one who
has benefits but will not have a claim sent to the plan. The kit reads the first from the
engine's decision (every line denied as the patient's responsibility: an excluded service,
Medicare's statutory exclusion, no out-of-network benefit) and takes the second as the caller's
word (``self_pay=True``). A patient whose plan covers the service gets a cost estimate instead.

When it is due (45 CFR 149.610(b)(1)(vi), ``good_faith_estimate.csv``): within 1 business day of
booking a visit at least 3 business days ahead, within 3 business days of booking one at least
10 business days ahead, within 3 business days of a request; always before the visit.

Contents follow 45 CFR 149.610(c): the patient (left blank here: the kit holds no patient data),
the primary service and its date, each expected item with its service and diagnosis codes and
expected charge, the provider and facility with NPI, the disclaimers, and the right to dispute a
bill that comes in $400 or more above the estimate (45 CFR 149.620), within 120 calendar days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import numpy as np

from ..catalog import Catalog, given_catalog
from ..facts import resolve
from ..arguments import listed, truth, whole
from ..errors import shortened, shown_value
from ..fields import calendar_date, plain
from ..model import Scenario
from ..files import check_file_name, make_folder, write_text_file
from ..money import format_dollars
from ..outcome import Outcome
from .amounts import PaymentError, cents

CFR = "45 CFR 149.610"


@dataclass(frozen=True)
class GfeRules:
    """The numbers of 45 CFR 149.610 and 149.620, one row each of ``good_faith_estimate.csv``.

    Days are business days except ``dispute_days`` (calendar days); amounts are dollars.
    """

    booked_ahead_short: int
    issue_within_short: int
    booked_ahead_long: int
    issue_within_long: int
    issue_within_request: int
    dispute_threshold: float
    dispute_days: int
    dispute_fee: float
    in_force_year: int
    """the rules apply from January 1 of this year: no estimate under them is dated before"""
    read_year: int
    """the year the kit's copy of the rules was read: a later date is checked against it, with a note"""

    def later_note(self, field: str, day: dt.date) -> str:
        """A note when ``day`` falls after the year the rules were read (empty text otherwise)."""
        if not isinstance(field, str):
            raise PaymentError(f"field: {shown_value(field)} is not the name of a date (such as 'issued')")
        day = _day(day, field)
        if day.year <= self.read_year:
            return ""
        return (f"{field}: {day.isoformat()} is after {self.read_year}, the year the kit's copy of the rules "
                f"({CFR} and 149.620) was read: it is checked against them, but check they have not changed, "
                "and that the date is the one meant")

    @classmethod
    def from_catalog(cls, catalog: Catalog | None = None) -> "GfeRules":
        rows = given_catalog(catalog).keyed["good_faith_estimate"]
        money = {"dispute_threshold", "dispute_fee"}
        return cls(**{name: rows[name]["value"] if name in money else int(rows[name]["value"])
                      for name in cls.__dataclass_fields__})


def _day(value: Any, name: str) -> dt.date:
    """A date argument: a ``datetime.date`` or ISO text ``YYYY-MM-DD`` (any day on the calendar:
    the rules say what is too early or too late); PaymentError naming ``name`` otherwise."""
    try:
        return calendar_date(plain(value))
    except ValueError as err:
        raise PaymentError(f"{name}: {err}") from None


def _days(values: Any, name: str) -> tuple[dt.date, ...]:
    """A list of dates (``holidays``), each read by :func:`_day`."""
    return tuple(_day(value, f"{name}[{i}]") for i, value in enumerate(listed(values, name, "dates", PaymentError.named)))


def _shown_name(value: Any) -> str:
    """``facility_name`` as the estimate prints it: 1 to 200 characters of one line, none of them
    invisible (a right-to-left mark would reorder the page)."""
    import unicodedata

    if not isinstance(value, str) or not 1 <= len(value.strip()) <= 200:
        raise PaymentError(f"facility_name: {shortened(shown_value(value), 60)} is not a name of 1 to 200 characters")
    bad = next((c for c in value if unicodedata.category(c) in ("Cc", "Cf")), None)
    if bad is not None:
        raise PaymentError(f"facility_name: {shortened(shown_value(value), 60)} holds U+{ord(bad):04X} (a line break or an "
                           "invisible character); a name is one line of visible text")
    return value.strip()


def _business_days(start: dt.date, end: dt.date, holidays: tuple[dt.date, ...]) -> int:
    """Business days from ``start`` up to, not including, ``end`` (Monday to Friday, less ``holidays``)."""
    return int(np.busday_count(start, end, holidays=list(holidays)))


def _add_business_days(day: dt.date, n: int, holidays: tuple[dt.date, ...]) -> dt.date:
    """The ``n``-th business day after ``day`` (a weekend or holiday counts from the business day before it)."""
    return np.busday_offset(day, n, roll="backward", holidays=list(holidays)).astype(dt.date)


def _before_visit(issued: dt.date, visit: dt.date, rules: GfeRules | None = None) -> None:
    first = dt.date((rules or GfeRules.from_catalog()).in_force_year, 1, 1)
    if issued < first:
        raise PaymentError(f"issued: {issued.isoformat()} is before {first.isoformat()}, when the Good Faith "
                           f"Estimate rules ({CFR}) began to apply")
    if issued > visit:
        raise PaymentError(f"issued: {issued.isoformat()} is after the visit on {visit.isoformat()}: "
                           f"a Good Faith Estimate is given before the visit ({CFR}(b)(1)(vi))")


def _booked_before_visit(booked: dt.date, visit: dt.date) -> None:
    if booked > visit:
        raise PaymentError(f"booked: {booked.isoformat()} is after the visit on {visit.isoformat()}")


def business_days(n: int) -> str:
    """``1 business day``, ``3 business days``: a count (0 to 10,000) of business days in words."""
    n = whole(n, "n", 0, 10_000, error=PaymentError.named)
    return f"{n} business day" if n == 1 else f"{n} business days"


def default_issue_date(visit: dt.date, today: dt.date, booked: dt.date | None = None,
                       holidays: tuple[dt.date, ...] = (), catalog: Catalog | None = None) -> tuple[dt.date, str | None]:
    """The day to date an estimate when none is given, and a one-line note when it is not today.

    Parameters
    ----------
    visit : date
        The date of service.
    today : date
        The day the estimate is written.
    booked : date, optional
        The day the visit was booked: the estimate is dated that day (on time under every paragraph).

    Returns
    -------
    (date, str or None)
        ``booked`` if given; else ``today`` when the visit is today or later; else, for a visit
        already past, the day ``booked_ahead_long`` business days before it (as if booked and
        estimated then, on time), with a note naming the visit, today and ``--issued``. An estimate
        is never dated after the visit (45 CFR 149.610(b)(1)(vi)).
    """
    visit, today, holidays = _day(visit, "visit"), _day(today, "today"), _days(holidays, "holidays")
    booked = None if booked is None else _day(booked, "booked")
    if booked is not None:
        return booked, None
    if today <= visit:
        return today, None
    ahead = GfeRules.from_catalog(catalog).booked_ahead_long
    day = np.busday_offset(visit, -ahead, roll="forward", holidays=list(holidays)).astype(dt.date)
    if not isinstance(day, dt.date):  # before year 1: numpy's calendar goes on, Python's does not
        raise PaymentError(f"visit: {visit.isoformat()} is too early to count {business_days(ahead)} back from it")
    return day, (f"the visit ({visit.isoformat()}) is before today ({today.isoformat()}), and an estimate is never dated "
                 f"after the visit: dated {day.isoformat()}, {business_days(ahead)} before it, as if booked then; "
                 "give --issued (and --booked) to date it otherwise")


@dataclass(frozen=True)
class IssueDeadline:
    """When a Good Faith Estimate is due (45 CFR 149.610(b)(1)(vi)).

    ``booked`` is the day the visit was scheduled (or the estimate requested), ``visit`` the day of
    service, ``business_days_ahead`` the business days from booking up to the visit, ``due`` the
    last day the estimate may be issued, ``rule`` the paragraph in words. ``due`` is the visit day
    itself when the visit was booked too late for a deadline of its own (under 3 business days).
    """

    booked: dt.date
    visit: dt.date
    business_days_ahead: int
    due: dt.date
    rule: str
    requested: bool = False

    def check(self, issued: dt.date) -> str:
        """``on time`` or why not; an estimate dated after the visit is an error (:class:`PaymentError`).

        An estimate issued before the visit was booked was not given on scheduling: it is one given
        on request (paragraph (C)), which it meets; the line says so rather than "on time" under the
        booking's paragraph, and names the duty to give a new one if the visit changed ((b)(1)(vii)).
        """
        issued = _day(issued, "issued")
        _before_visit(issued, self.visit)
        if issued < self.booked and not self.requested:
            return (f"on time as an estimate given on request: issued {issued.isoformat()}, before the visit was "
                    f"booked on {self.booked.isoformat()}, so not on scheduling but on the patient's request "
                    f"({CFR}(b)(1)(vi)(C)); if the visit booked differs from what it estimates, a new estimate is "
                    f"due before the visit ({CFR}(b)(1)(vii))")
        if issued > self.due:
            return (f"late: issued {issued.isoformat()}, due by {self.due.isoformat()} ({self.rule})")
        return f"on time: issued {issued.isoformat()}, due by {self.due.isoformat()} ({self.rule})"


def issue_deadline(booked: dt.date, visit: dt.date, requested: bool = False, holidays: tuple[dt.date, ...] = (),
                   catalog: Catalog | None = None) -> IssueDeadline:
    """The last day a Good Faith Estimate may be issued for a visit booked (or asked about) on ``booked``.

    Parameters
    ----------
    booked : date
        The day the visit was scheduled, or (``requested=True``) the day the patient asked for an estimate.
    visit : date
        The date of service.
    requested : bool
        The patient asked for an estimate (paragraph (C)) rather than booking a visit.
    holidays : tuple of date
        Days the clinic is closed; weekends never count. The rule does not define a business day.

    Returns
    -------
    IssueDeadline
        Booked at least 10 business days ahead: due 3 business days after booking; at least 3
        ahead: 1 business day after; a request: 3 business days after it; never after the visit.

    Raises
    ------
    PaymentError
        ``booked`` is after the visit (naming both dates).

    Source: 45 CFR 149.610(b)(1)(vi)(A)–(C), rows of ``good_faith_estimate.csv``.
    """
    booked, visit, holidays = _day(booked, "booked"), _day(visit, "visit"), _days(holidays, "holidays")
    requested = truth(requested, "requested", error=PaymentError.named)
    _booked_before_visit(booked, visit)
    r = GfeRules.from_catalog(catalog)
    ahead = _business_days(booked, visit, holidays)
    if requested:
        within, rule = r.issue_within_request, f"requested: within {business_days(r.issue_within_request)} of the request"
        return IssueDeadline(booked, visit, ahead, min(_add_business_days(booked, within, holidays), visit), rule,
                             requested=True)
    elif ahead >= r.booked_ahead_long:
        within, rule = r.issue_within_long, (f"booked {business_days(ahead)} ahead (at least {r.booked_ahead_long}): "
                                             f"within {business_days(r.issue_within_long)} of booking")
    elif ahead >= r.booked_ahead_short:
        within, rule = r.issue_within_short, (f"booked {business_days(ahead)} ahead (at least {r.booked_ahead_short}): "
                                              f"within {business_days(r.issue_within_short)} of booking")
    else:
        return IssueDeadline(booked, visit, ahead, visit, f"booked {business_days(ahead)} ahead (under "
                             f"{r.booked_ahead_short}): no deadline of its own, but before the visit")
    return IssueDeadline(booked, visit, ahead, min(_add_business_days(booked, within, holidays), visit), rule)


def self_pay_reason(outcome: Outcome) -> str | None:
    """Why the patient counts as uninsured for this service (45 CFR 149.610(a)(2)), or None.

    A patient is uninsured for a service the plan gives no benefit for: here, every line denied
    as the patient's responsibility (group PR: an excluded service, Medicare's statutory
    exclusion, no out-of-network benefit, a signed waiver). A covered or partly covered claim, or
    one the clinic must absorb (group CO), leaves the patient insured for it.
    """
    if not isinstance(outcome, Outcome):
        raise PaymentError(f"outcome: expected an Outcome (medspa_kit.evaluate gives one), got {type(outcome).__name__}")
    lines = outcome.lines
    if lines and all(line.reason is not None and line.reason.group == "PR" for line in lines):
        reason = outcome.primary_reason
        return f"the plan gives no benefit for it ({reason.group} {reason.carc} {reason.text})"
    return None


@dataclass(frozen=True)
class BillCheck:
    """A bill set against the Good Faith Estimate of the same provider or facility (45 CFR 149.620).

    Dollars: ``estimated`` (the estimate's total), ``billed`` (the bill's total), ``above`` (billed
    minus estimated, 0 when lower). ``may_dispute``: at least the threshold above;
    ``dispute_by``: the last day to start patient-provider dispute resolution.
    """

    estimated: float
    billed: float
    bill_date: dt.date
    above: float
    threshold: float
    may_dispute: bool
    dispute_by: dt.date
    fee: float
    note: str = ""
    """what to check by hand: a bill dated after the year the rules were read (empty: nothing)"""

    def describe(self) -> str:
        return self._verdict() + (f"\nnote: {self.note}" if self.note else "")

    def _verdict(self) -> str:
        if self.may_dispute:
            return (f"billed {format_dollars(self.billed)}, {format_dollars(self.above)} above the estimate of "
                    f"{format_dollars(self.estimated)} (at least {format_dollars(self.threshold, 0)}): the patient may "
                    f"start patient-provider dispute resolution by {self.dispute_by.isoformat()} (fee "
                    f"{format_dollars(self.fee, 0)})")
        return (f"billed {format_dollars(self.billed)}, {format_dollars(self.above)} above the estimate of "
                f"{format_dollars(self.estimated)}: under {format_dollars(self.threshold, 0)}, so no "
                "patient-provider dispute")


def check_bill(estimated: float, billed: float, bill_date: dt.date, catalog: Catalog | None = None) -> BillCheck:
    """Can a self-pay patient dispute this bill against the estimate (45 CFR 149.620)?

    Parameters
    ----------
    estimated : float
        Dollars: the estimate's total expected charges for this provider or facility.
    billed : float
        Dollars: the total billed charges of the same provider or facility.
    bill_date : date
        The date on the initial bill; the 120 calendar days run from it.

    Returns
    -------
    BillCheck
        ``may_dispute`` when billed − estimated ≥ $400; ``dispute_by`` = bill date + 120 days;
        ``note`` when the bill is dated after the year the kit's copy of the rules was read.

    Raises
    ------
    PaymentError
        A negative or non-numeric amount, naming it (``billed: -5 is negative``); a bill date
        before the rules applied (2022) or too late in the calendar to count the 120 days from.

    Source: 45 CFR 149.620(a)(2)(ii) and (c); CMS's page on bill disagreements ($25 fee).
    """
    r = GfeRules.from_catalog(catalog)
    bill_date = _day(bill_date, "bill_date")
    if bill_date < dt.date(r.in_force_year, 1, 1):
        raise PaymentError(f"bill_date: {bill_date.isoformat()} is before {r.in_force_year}-01-01, when the "
                           f"patient-provider dispute rules (45 CFR 149.620) began to apply")
    est, bill = cents("estimated", estimated), cents("billed", billed)
    above = max(0, bill - est)
    try:
        dispute_by = bill_date + dt.timedelta(days=r.dispute_days)
    except OverflowError:
        raise PaymentError(f"bill_date: {bill_date.isoformat()} is too late in the calendar to count "
                           f"{r.dispute_days} days from") from None
    return BillCheck(est / 100, bill / 100, bill_date, above / 100, r.dispute_threshold,
                     above >= round(r.dispute_threshold * 100), dispute_by, r.dispute_fee,
                     r.later_note("bill_date", bill_date))


@dataclass(frozen=True)
class GfeItem:
    description: str
    service_code: str
    diagnosis_codes: str
    expected_charge: float


# A line to write on. Styled inline: a notebook shows the estimate without the page's <style>.
BLANK = "<span style='display:inline-block;min-width:180px;border-bottom:1px solid #333'>&nbsp;</span>"


@dataclass(frozen=True)
class GoodFaithEstimate:
    issued: dt.date
    scheduled: dt.date
    provider: str
    provider_npi: str
    facility: str
    place_of_service: str
    items: tuple[GfeItem, ...]
    booked: dt.date
    """the day the visit was booked (or the estimate requested)"""
    timing: str
    """``on time: …`` or ``late: …`` against 45 CFR 149.610(b)(1)(vi)"""
    self_pay: str
    """why the patient is owed an estimate (uninsured for the service, or not using the plan)"""
    rules: GfeRules

    @property
    def total(self) -> float:
        return round(sum(item.expected_charge for item in self.items), 2)

    def save(self, path: str | Path) -> str:
        """Write the estimate as a standalone HTML page (Markdown for ``.md``); returns where and the total."""
        check_file_name(path, "file", "write")
        target = Path(path)
        make_folder(target.parent)
        text = self.markdown() if target.suffix.lower() in (".md", ".markdown") else self.html()
        write_text_file(target, text, field="file")  # never a half-written estimate under the real name
        return f"saved {target}: total expected charges {format_dollars(self.total)}"

    def _notes(self) -> list[str]:
        return [
            "This Good Faith Estimate shows the costs of items and services that are reasonably expected for "
            "your health care needs. The estimate is based on information known at the time it was created.",
            "It does not include unknown or unexpected costs that may arise during treatment. You could be "
            "charged more if complications or special circumstances occur.",
            "This estimate is not a contract and does not require you to obtain the items or services listed.",
            f"If you are billed ${self.rules.dispute_threshold:,.0f} or more above this estimate for any provider or "
            f"facility, you have the right to dispute the bill. Start the patient-provider dispute resolution process "
            f"within {self.rules.dispute_days} calendar days of the date on the original bill (the administrative fee "
            f"is ${self.rules.dispute_fee:,.0f}); the provider may not send the bill to collections while the dispute "
            "is pending.",
            "Keep a copy of this estimate: it is part of your record.",
        ]

    def markdown(self) -> str:
        lines = [
            "# Good Faith Estimate",
            "",
            f"Issued {self.issued.isoformat()} · booked {self.booked.isoformat()} · scheduled for "
            f"{self.scheduled.isoformat()}",
            "",
            "**Patient:** ____________________  **Date of birth:** ____________",
            "",
            f"**Provider:** {self.provider} (NPI {self.provider_npi}) · **Facility:** {self.facility} "
            f"(place of service {self.place_of_service}) · TIN: ____________",
            "",
            "| item or service | service code | diagnosis codes | expected charge |",
            "|---|---|---|---:|",
        ]
        lines += [f"| {i.description} | {i.service_code} | {i.diagnosis_codes} | ${i.expected_charge:,.2f} |"
                  for i in self.items]
        lines += [f"| **total expected charges** | | | **${self.total:,.2f}** |", ""]
        lines += [f"- {note}" for note in self._notes()]
        # Dollar amounts, not math: renderers that typeset TeX (JupyterLab, GitHub) read $…$ as math.
        return "\n".join(lines).replace("$", "\\$") + "\n"

    def html(self) -> str:
        rows = "".join(
            f"<tr><td>{escape(i.description)}</td><td>{escape(i.service_code)}</td>"
            f"<td>{escape(i.diagnosis_codes)}</td><td style='text-align:right'>${i.expected_charge:,.2f}</td></tr>"
            for i in self.items
        )
        notes = "".join(f"<li>{escape(note)}</li>" for note in self._notes())
        return (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Good Faith Estimate</title>"
            "<style>body{font-family:system-ui,sans-serif;max-width:860px;margin:24px auto;padding:0 16px}"
            "table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:4px 8px;text-align:left}"
            "</style></head><body>"
            # mathjax_ignore: JupyterLab would typeset the text between two dollar amounts as TeX
            f"<div class='mathjax_ignore'><h1>Good Faith Estimate</h1><p>Issued {self.issued.isoformat()} · booked "
            f"{self.booked.isoformat()} · scheduled for {self.scheduled.isoformat()}</p>"
            f"<p><b>Patient:</b> {BLANK} <b>Date of birth:</b> {BLANK}</p>"
            f"<p><b>Provider:</b> {escape(self.provider)} (NPI {escape(self.provider_npi)}) · <b>Facility:</b> "
            f"{escape(self.facility)} (place of service {escape(self.place_of_service)}) · <b>TIN:</b> "
            f"{BLANK}</p>"
            "<table><tr><th>item or service</th><th>service code</th><th>diagnosis codes</th>"
            f"<th>expected charge</th></tr>{rows}<tr><td colspan='3'><b>total expected charges</b></td>"
            f"<td style='text-align:right'><b>${self.total:,.2f}</b></td></tr></table>"
            f"<ul>{notes}</ul></div></body></html>"
        )


def _provider_name(s: Scenario, cat: Catalog) -> str:
    for row in cat.rows["providers"]:
        if s.provider.npi and row["npi"] == s.provider.npi:
            return f"{row['name']}, {row['type']}"
    return f"the treating {s.provider.type.value}"


def good_faith_estimate(scenario: Scenario | dict[str, Any], issued: dt.date | None = None,
                        booked: dt.date | None = None, self_pay: bool = False, requested: bool = False,
                        holidays: tuple[dt.date, ...] = (), facility_name: str | None = None,
                        catalog: Catalog | None = None) -> GoodFaithEstimate:
    """The estimate an uninsured or self-pay patient is owed before the visit: one item per line.

    Parameters
    ----------
    scenario : Scenario or dict
        The visit; its ``date_of_service`` is the day the service is scheduled for.
    issued : date, optional
        The day the estimate is given (default: today).
    booked : date, optional
        The day the visit was booked, or the estimate requested (default: ``issued``).
    self_pay : bool
        The patient has benefits but will not have a claim sent to the plan.
    requested, holidays
        As in :func:`issue_deadline`.

    Returns
    -------
    GoodFaithEstimate
        Each item gives the service in words (with its units), its billing code and modifiers, the
        diagnoses it treats and its expected charge (dollars, the charge on the scenario); ``timing``
        says whether it was issued on time.

    Raises
    ------
    PaymentError
        The patient is insured for the service and not self-pay (the message offers the cost
        estimate instead); the estimate is dated after the visit, or the visit booked after it
        (both dates named).

    Source: 45 CFR 149.610(a)(2), (b)(1)(vi) and (c); 45 CFR 149.620 for the dispute notice.
    """
    from ..engine import evaluate

    cat = given_catalog(catalog)
    s = scenario if isinstance(scenario, Scenario) else Scenario.from_dict(scenario, catalog=cat)
    outcome = evaluate(s, cat)
    self_pay = truth(self_pay, "self_pay", error=PaymentError.named)
    why = "the patient will not use their plan for it (self-pay)" if self_pay else self_pay_reason(outcome)
    if why is None:
        raise PaymentError(
            f"self_pay: the plan covers this service ({outcome.headline}), so the patient is insured for it: a Good "
            f"Faith Estimate is for uninsured or self-pay patients ({CFR}(a)(2)); give the cost estimate instead "
            "(medspa-kit estimate), or, if the patient will not use the plan, mark them self-pay (--self-pay)")
    issued = dt.date.today() if issued is None else _day(issued, "issued")
    booked, holidays = (None if booked is None else _day(booked, "booked")), _days(holidays, "holidays")
    if booked is not None:  # checked first: the issue date defaults to it
        _booked_before_visit(booked, s.date_of_service)
    _before_visit(issued, s.date_of_service, GfeRules.from_catalog(cat))
    deadline = issue_deadline(booked or issued, s.date_of_service, requested, holidays, cat)
    timing = deadline.check(issued)
    facts = resolve(s, cat)
    items = []
    for f in facts:
        proc, line = f.procedure, f.line
        units = f" ({line.units} × {proc.unit})" if line.units != 1 else ""
        code = (proc.code + "".join(f"-{m}" for m in line.modifiers)) if proc.code else "none (no billing code)"
        names = "; ".join(f"{c} {cat.diagnosis_name(c)}".strip() for c in line.diagnoses)
        items.append(GfeItem(proc.name + units, code, names, f.charge / 100))
    facility = _shown_name(facility_name) if facility_name is not None else \
        cat.record("facility_kinds", s.facility.kind.value)["name"]
    return GoodFaithEstimate(
        issued=issued, scheduled=s.date_of_service, provider=_provider_name(s, cat),
        provider_npi=s.provider.npi or "none", facility=facility, place_of_service=facts[0].place_of_service,
        items=tuple(items), booked=booked or issued, timing=timing, self_pay=why, rules=GfeRules.from_catalog(cat),
    )


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
