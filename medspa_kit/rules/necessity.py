"""Checks 4, 5, 9 and 10: the cosmetic exclusion, medical necessity, prior authorization and
frequency, all read from ``coverage_policies.csv`` and ``cosmetic_diagnoses.csv``.

References
----------
.. [1] docs/checks.md, checks 4, 5, 9 and 10, and the liability rule.
.. [2] ``coverage_policies.csv``: each row names the payer document it follows.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any


from ..vector import logical_not
from .base import Explained

if TYPE_CHECKING:
    from ..facts import Facts


def _payer_words(f: "Facts") -> str:
    """``Aetna's policy`` or, for a payer without rows of its own, what applies instead."""
    name = f.catalog.payer_name(f.payer)
    if f.payer_has_rows or f.payer == "generic-commercial":
        return "the policy" if f.payer == "generic-commercial" else f"{name}'s policy"
    if not f.catalog.takes_generic_rows(f.payer):
        return f"{name} (no coverage row of its own for this service in the kit)"
    return f"the generic policy ({name} has no row of its own for this service)"


def _policy_facts(f: "Facts") -> dict[str, Any]:
    rows = "its own" if f.payer_has_rows else "generic (*)" if f.catalog.takes_generic_rows(f.payer) else "none"
    payer = {"payer": f.catalog.payer_name(f.payer), "payer_rows": rows}
    if f.policy is None:
        return {**payer, "policy_row": None}
    return {**payer, "policy_row": f.policy.row, "policy_diagnosis": f.policy.diagnosis
            + (f" with {f.policy.with_diagnosis}" if f.policy.with_diagnosis else "")}


def _policy(f: "Facts") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The rows read: the matching policy row, or (no row matched) the procedure's own row."""
    if f.policy is not None:
        return (f.policy.where,), (f.policy.source,)
    payer = f.payer if f.payer_has_rows else "*"
    return (f"coverage_policies.csv: no {payer} row for {f.coverage.id} with {', '.join(f.diagnoses)}",), ()


def cosmetic_service(cosmetic_diagnosis: Any, cosmetic_only: Any, has_policy: Any) -> Any:
    """Is the line cosmetic: a cosmetic visit, or a cosmetic-only service with no covered indication?

    Parameters
    ----------
    cosmetic_diagnosis : bool or array of bool
        A diagnosis is a cosmetic encounter (``cosmetic_diagnoses.csv``: Z41.x).
    cosmetic_only : bool or array of bool
        ``procedures.csv`` marks the service cosmetic unless a covered condition is treated.
    has_policy : bool or array of bool
        A coverage-policy row matches the service and the diagnoses.
    """
    return cosmetic_diagnosis | (cosmetic_only & logical_not(has_policy))


def cosmetic(cosmetic_diagnosis: Any, cosmetic_only: Any, has_policy: Any, medicare: Any) -> Any:
    """The ``cosmetic`` check fails for a cosmetic line under a plan that excludes it as a benefit.

    Parameters
    ----------
    cosmetic_diagnosis, cosmetic_only, has_policy : bool or array of bool
        As for :func:`cosmetic_service`.
    medicare : bool or array of bool
        Original Medicare decides: its statutory exclusion answers instead (check
        ``statutory_exclusion``).

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 204 in ``checks.csv``, a benefit exclusion, PR).
    """
    return cosmetic_service(cosmetic_diagnosis, cosmetic_only, has_policy) & logical_not(medicare)


def statutorily_excluded(cosmetic_diagnosis: Any, cosmetic_only: Any, has_policy: Any, medicare: Any,
                         modifier_GY: Any) -> Any:
    """The ``statutory_exclusion`` check fails under Original Medicare for a line the law excludes.

    The Social Security Act excludes cosmetic surgery (§1862(a)(10)) and some kinds of service
    altogether (drugs for weight loss, §1860D-2(e)(2)(A)); such a line is denied CARC 96 with
    RARC N425, the patient owes the charge, and no ABN is needed. The clinic marks such a line
    with modifier GY, and Medicare denies a GY line as excluded whatever else it is.

    Parameters
    ----------
    cosmetic_diagnosis, cosmetic_only, has_policy : bool or array of bool
        As for :func:`cosmetic_service`.
    medicare : bool or array of bool
        Original Medicare decides.
    modifier_GY : bool or array of bool
        The line carries modifier GY (the clinic says Medicare excludes it by law).

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 96, RARC N425, PR).
    """
    return medicare & (cosmetic_service(cosmetic_diagnosis, cosmetic_only, has_policy) | modifier_GY)


def _explain_cosmetic_line(f: "Facts", failed: bool, excluder: str) -> Explained:
    facts = {"cosmetic_diagnosis": f.cosmetic["code"] if f.cosmetic else None,
             "cosmetic_by_default": f.procedure.cosmetic_by_default, "covered_indication": f.has_policy,
             **_policy_facts(f)}
    if f.cosmetic is not None:
        return Explained(f"{f.cosmetic['code']} marks a cosmetic visit: {excluder} excludes it", facts,
                         (f"cosmetic_diagnoses.csv row {f.cosmetic['_row']}",), (f.cosmetic["source"],))
    proc_row = (f"procedures.csv row {f.procedure.row}",), (f.procedure.source,)
    if failed:
        where, sources = _policy(f)
        return Explained(f"{f.procedure.name} is excluded unless a covered condition is treated, and none of "
                         f"{', '.join(f.diagnoses)} is one", facts, proc_row[0] + where,
                         proc_row[1] + sources)
    if f.policy is not None:
        return Explained(f"treats a covered condition ({f.policy.diagnosis})", facts, *_policy(f))
    return Explained(f"{f.procedure.name} is a medical service", facts, *proc_row)


def explain_cosmetic(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``cosmetic`` check for one line: finding, facts used, rows read.

    ``failed`` is the verdict's answer; the wording follows it and never decides again.
    """
    if f.medicare:
        return Explained("Original Medicare: its statutory exclusion decides cosmetic care (next check)",
                         {"payer": f.catalog.payer_name(f.payer)}, applies=False)
    return _explain_cosmetic_line(f, failed, "the plan")


def explain_statutory_exclusion(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``statutory_exclusion`` check for one line (Original Medicare only)."""
    if not f.medicare:
        return Explained("not Original Medicare: the plan's own benefit exclusions decide (previous check)",
                         {"payer": f.catalog.payer_name(f.payer)}, applies=False)
    excluded_by = f.coverage.medicare_exclusion or "ssa-1862a10 (cosmetic surgery)"
    if failed and f.cosmetic is None and f.modifier_GY and not (f.cosmetic_only and not f.has_policy):
        gy = f.catalog.keyed["modifiers"]["GY"]
        return Explained("billed with modifier GY: the clinic says Medicare excludes this service by law, so Medicare "
                         "denies the line", {"modifiers": list(f.line.modifiers)}, (f"modifiers.csv row {gy['_row']}",),
                         (gy["source"],))
    explained = _explain_cosmetic_line(f, failed, "Medicare law")
    if failed:
        label = f.catalog.cite((), (excluded_by,))
        return explained._replace(finding=f"{explained.finding}: excluded from Medicare by law ({label}); bill "
                                          "the line with modifier GY",
                                  where=explained.where + (f"procedures.csv row {f.coverage.row}",),
                                  sources=explained.sources + (excluded_by,))
    return explained


def experimental(experimental: Any) -> Any:
    """The ``experimental`` check fails when the payer's row calls the service experimental.

    Parameters
    ----------
    experimental : bool or array of bool
        The matching coverage-policy row (the payer's own, else ``*``) marks the service
        experimental or investigational for the diagnosis.

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 55; the group follows the liability rule).
    """
    return experimental


def explain_experimental(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``experimental`` check for one line."""
    facts = _policy_facts(f)
    if f.policy is None:
        return Explained("no policy row, so the payer has not ruled on it", facts, *_policy(f), applies=False)
    if failed:
        return Explained(f"{_payer_words(f)} calls {f.procedure.name} experimental or investigational for "
                         f"{f.policy.diagnosis}", facts, *_policy(f))
    return Explained(f"{_payer_words(f)} does not call it experimental", facts, *_policy(f))


def not_necessary(has_policy: Any, criteria_documented: Any) -> Any:
    """Check 5 fails when no policy covers the service for the diagnoses, or its criteria are
    not documented.

    Parameters
    ----------
    has_policy : bool or array of bool
        A coverage-policy row matches the service and the diagnoses.
    criteria_documented : bool or array of bool
        The chart documents the policy's criteria.

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 50; the group follows the liability rule).
    """
    return logical_not(has_policy) | logical_not(criteria_documented)


def missing_words(f: "Facts") -> str:
    """The criteria the chart lacks, in plain words (``"A; B or C"``); empty when none is named."""
    return "; ".join(" or ".join(f.catalog.criterion_name(c) for c in group) for group in f.missing_criteria)


def explain_necessity(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``necessity`` check for one line: finding, facts used, rows read.

    ``failed`` is the verdict's answer; the wording follows it and never decides again.
    """
    facts = {**_policy_facts(f), "criteria": f.policy.criteria if f.policy else None,
             "criteria_documented": f.criteria_documented}
    if f.scenario.documentation.criteria is not None:
        facts["criteria_on_file"] = list(f.scenario.documentation.criteria)
    if f.missing_criteria:
        facts["criteria_missing"] = [" or ".join(group) for group in f.missing_criteria]
    if f.policy is None:
        finding = f"no policy covers {f.procedure.name} for {', '.join(f.diagnoses)}"
        if not f.payer_has_rows and f.payer != "generic-commercial":
            name = f.catalog.payer_name(f.payer)
            finding += (f" ({name} has no row of its own; the generic rows were read)"
                        if f.catalog.takes_generic_rows(f.payer) else
                        f" ({name} has no coverage row of its own for it in the kit, and does not follow the "
                        "commercial rows)")
    elif failed and f.missing_criteria:
        finding = f"{_payer_words(f)} needs what the chart does not show: {missing_words(f)}"
    elif failed:
        finding = f"the criteria of {_payer_words(f)} are not documented"
    else:
        finding = f"a row of {_payer_words(f)} matches and its criteria are documented"
    return Explained(finding, facts, *_policy(f))


def no_prior_auth(needs_prior_auth: Any, prior_auth: Any) -> Any:
    """Check 9 fails when the matching policy needs prior authorization and none is on file.

    Parameters
    ----------
    needs_prior_auth : bool or array of bool
        The matching coverage-policy row requires prior authorization (False with no row).
    prior_auth : bool or array of bool
        An authorization is on file.

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 197; the group follows the liability rule).
    """
    return needs_prior_auth & logical_not(prior_auth)


def explain_prior_auth(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``prior_auth`` check for one claim: finding, facts used, rows read.

    ``failed`` is the verdict's answer; the wording follows it and never decides again.
    """
    on_file = f.prior_auth
    if f.policy is None:
        return Explained("no policy row, so no authorization rule applies",
                         {"prior_auth_required": None, "prior_auth_on_file": on_file}, *_policy(f), applies=False)
    facts = {"prior_auth_required": f.policy.prior_auth, "prior_auth_on_file": on_file}
    if failed:
        finding = "the policy requires prior authorization and none is on file"
    else:
        finding = "authorization on file" if f.policy.prior_auth else "the policy needs no prior authorization"
    return Explained(finding, facts, *_policy(f))


def too_soon(days_since_last: Any, min_interval_days: Any) -> Any:
    """Check 10 fails when fewer days than the policy's minimum passed since the last treatment.

    Parameters
    ----------
    days_since_last : float or array of float
        Days from the last treatment of this kind to the date of service; NaN when none is on
        record.
    min_interval_days : float or array of float
        The matching policy's minimum interval in days; NaN when no row matches or it sets none.

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 151; the group follows the liability rule). A NaN on
        either side never fails: there is nothing to compare.
    """
    return days_since_last < min_interval_days


def explain_frequency(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``frequency`` check for one claim: finding, facts used, rows read.

    ``failed`` is the verdict's answer; the wording follows it and never decides again.
    """
    last = f.last_service
    minimum = f.policy.min_interval_days if f.policy else None
    days = None if last is None else (f.scenario.date_of_service - last).days
    facts = {"min_interval_days": minimum, "last_treatment": last.isoformat() if last else None,
             "days_since_last": days}
    if f.policy is None:
        return Explained("no policy row, so no frequency limit applies", facts, *_policy(f), applies=False)
    if minimum is None:
        return Explained("the policy sets no minimum interval", facts, *_policy(f))
    if days is None:
        return Explained("no earlier treatment on record", facts, *_policy(f))
    if failed:
        due = (last + dt.timedelta(days=minimum)).isoformat()
        return Explained(f"{days} days since the last treatment; the policy needs {minimum} (due {due})", facts,
                         *_policy(f))
    return Explained(f"{days} days since the last treatment (at least {minimum})", facts, *_policy(f))


def over_yearly_limit(count_in_year: Any, max_per_year: Any) -> Any:
    """The ``annual_limit`` check fails when the year's count of the service is already used up.

    Parameters
    ----------
    count_in_year : int or array of int
        Earlier services of this code in the 365 days before the date of service (``history``).
    max_per_year : float or array of float
        The matching policy's yearly count; NaN when it sets none.

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 119, PR: the benefit for the period is used up). NaN
        never fails.
    """
    return count_in_year >= max_per_year


def explain_annual_limit(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``annual_limit`` check for one line."""
    limit = f.policy.max_per_year if f.policy else None
    facts = {"max_per_year": limit, "earlier_in_12_months": f.count_in_year}
    if limit is None:
        return Explained("the policy sets no yearly count" if f.policy else "no policy row, so no yearly count",
                         facts, *_policy(f), applies=False)
    if failed:
        return Explained(f"{f.count_in_year} already in the 12 months before; {_payer_words(f)} pays for {limit}",
                         facts, *_policy(f))
    return Explained(f"{f.count_in_year} in the 12 months before, of {limit} a year", facts, *_policy(f))
