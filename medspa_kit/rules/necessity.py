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


def _policy_facts(f: "Facts") -> dict[str, Any]:
    if f.policy is None:
        return {"policy_row": None}
    return {"policy_row": f.policy.row, "policy_diagnosis": f.policy.diagnosis
            + (f" with {f.policy.with_diagnosis}" if f.policy.with_diagnosis else "")}


def _policy(f: "Facts") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The rows read: the matching policy row, or (no row matched) the procedure's own row."""
    if f.policy is not None:
        return (f.policy.where,), (f.policy.source,)
    return (f"coverage_policies.csv: no row for {f.coverage.id} with {', '.join(f.diagnoses)}",), ()


def cosmetic(cosmetic_diagnosis: Any, cosmetic_only: Any, has_policy: Any) -> Any:
    """Check 4 fails for a cosmetic visit, or a cosmetic-only service with no covered indication.

    Parameters
    ----------
    cosmetic_diagnosis : bool or array of bool
        A diagnosis is a cosmetic encounter (``cosmetic_diagnoses.csv``: Z41.x).
    cosmetic_only : bool or array of bool
        ``procedures.csv`` marks the service cosmetic unless a covered condition is treated.
    has_policy : bool or array of bool
        A coverage-policy row matches the service and the diagnoses.

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 204 in ``checks.csv``, a benefit exclusion).
    """
    return cosmetic_diagnosis | (cosmetic_only & logical_not(has_policy))


def explain_cosmetic(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``cosmetic`` check for one claim: finding, facts used, rows read.

    ``failed`` is the verdict's answer; the wording follows it and never decides again.
    """
    facts = {"cosmetic_diagnosis": f.cosmetic["code"] if f.cosmetic else None,
             "cosmetic_by_default": f.procedure.cosmetic_by_default, "covered_indication": f.has_policy,
             **_policy_facts(f)}
    if f.cosmetic is not None:
        return Explained(f"{f.cosmetic['code']} marks a cosmetic visit: the plan excludes it", facts,
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


def explain_necessity(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``necessity`` check for one claim: finding, facts used, rows read.

    ``failed`` is the verdict's answer; the wording follows it and never decides again.
    """
    facts = {**_policy_facts(f), "criteria": f.policy.criteria if f.policy else None,
             "criteria_documented": f.criteria_documented}
    if f.policy is None:
        finding = f"no policy covers {f.procedure.name} for {', '.join(f.diagnoses)}"
    elif failed:
        finding = "the policy's criteria are not documented"
    else:
        finding = "a policy row matches and its criteria are documented"
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
    last = f.scenario.accumulators.last_treatment
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
