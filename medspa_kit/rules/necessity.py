"""SPEC §4 checks 3, 4, 8 and 9: cosmetic exclusion, medical necessity, prior authorization
and frequency, all read from ``coverage_policies.csv`` and ``cosmetic_diagnoses.csv``."""

from __future__ import annotations

import datetime as dt

from . import Facts, Step, medical_policy_group


def _policy_facts(f: Facts) -> dict:
    if f.policy is None:
        return {"policy_row": None}
    return {"policy_row": f.policy.row, "policy_diagnosis": f.policy.diagnosis
            + (f" with {f.policy.with_diagnosis}" if f.policy.with_diagnosis else "")}


def _no_policy_source(f: Facts) -> str:
    return (f"coverage_policies.csv: no row for {f.procedure.id} with "
            f"{', '.join(f.scenario.diagnoses)}")


def check_cosmetic(f: Facts) -> Step:
    title = "Not a cosmetic or excluded service"
    facts = {
        "cosmetic_diagnosis": f.cosmetic["code"] if f.cosmetic else None,
        "cosmetic_by_default": f.procedure.cosmetic_by_default,
        "covered_indication": f.policy is not None,
        **_policy_facts(f),
    }
    if f.cosmetic is not None:
        source = f"cosmetic_diagnoses.csv row {f.cosmetic['_row']}: {f.cosmetic['source']}"
        return Step.fail("cosmetic", title,
                         f"{f.cosmetic['code']} marks a cosmetic visit: the plan excludes it", facts, source,
                         "204", "PR")
    if f.procedure.cosmetic_by_default and f.policy is None:
        source = f"procedures.csv row {f.procedure.row}: {f.procedure.source}; {_no_policy_source(f)}"
        return Step.fail("cosmetic", title,
                         f"{f.procedure.name} is excluded unless a covered condition is treated, and none of "
                         f"{', '.join(f.scenario.diagnoses)} is one", facts, source, "204", "PR")
    if f.policy is not None:
        return Step.ok("cosmetic", title, f"treats a covered condition ({f.policy.diagnosis})", facts, f.policy.cite)
    return Step.ok("cosmetic", title, f"{f.procedure.name} is a medical service", facts,
                   f"procedures.csv row {f.procedure.row}: {f.procedure.source}")


def check_necessity(f: Facts) -> Step:
    title = "Medically necessary under the payer's policy"
    documented = f.scenario.documentation.criteria_documented
    facts = {**_policy_facts(f), "criteria": f.policy.criteria if f.policy else None,
             "criteria_documented": documented}
    group = medical_policy_group(f.in_network, f.waiver)
    if f.policy is None:
        return Step.fail("necessity", title,
                         f"no policy covers {f.procedure.name} for {', '.join(f.scenario.diagnoses)}",
                         facts, _no_policy_source(f), "50", group)
    if not documented:
        return Step.fail("necessity", title, "the policy's criteria are not documented", facts, f.policy.cite,
                         "50", group)
    return Step.ok("necessity", title, "a policy row matches and its criteria are documented", facts,
                   f.policy.cite)


def check_prior_auth(f: Facts) -> Step:
    title = "Prior authorization on file where required"
    on_file = f.scenario.documentation.prior_auth
    if f.policy is None:
        return Step.na("prior_auth", title, "no policy row, so no authorization rule applies",
                       {"prior_auth_required": None, "prior_auth_on_file": on_file}, _no_policy_source(f))
    facts = {"prior_auth_required": f.policy.prior_auth, "prior_auth_on_file": on_file}
    if f.policy.prior_auth and not on_file:
        return Step.fail("prior_auth", title, "the policy requires prior authorization and none is on file",
                         facts, f.policy.cite, "197", medical_policy_group(f.in_network, f.waiver))
    finding = "authorization on file" if f.policy.prior_auth else "the policy needs no prior authorization"
    return Step.ok("prior_auth", title, finding, facts, f.policy.cite)


def days_since_last(f: Facts) -> int | None:
    last = f.scenario.accumulators.last_treatment
    return None if last is None else (f.date - last).days


def check_frequency(f: Facts) -> Step:
    title = "Enough time since the last treatment"
    last = f.scenario.accumulators.last_treatment
    days = days_since_last(f)
    minimum = f.policy.min_interval_days if f.policy else None
    facts = {"min_interval_days": minimum, "last_treatment": last.isoformat() if last else None,
             "days_since_last": days}
    if f.policy is None:
        return Step.na("frequency", title, "no policy row, so no frequency limit applies", facts,
                       _no_policy_source(f))
    if minimum is None:
        return Step.ok("frequency", title, "the policy sets no minimum interval", facts, f.policy.cite)
    if days is None:
        return Step.ok("frequency", title, "no earlier treatment on record", facts, f.policy.cite)
    if days < minimum:
        due = (last + dt.timedelta(days=minimum)).isoformat()
        return Step.fail("frequency", title,
                         f"{days} days since the last treatment; the policy needs {minimum} (due {due})",
                         facts, f.policy.cite, "151", medical_policy_group(f.in_network, f.waiver))
    return Step.ok("frequency", title, f"{days} days since the last treatment (at least {minimum})", facts,
                   f.policy.cite)
