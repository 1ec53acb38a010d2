"""Checks 6–8: place of service, network status and the rendering provider's credentialing,
and the two facts they rest on: is the clinic in network, and does the plan pay out of network.

References
----------
.. [1] docs/checks.md, checks 6 to 8.
.. [2] ``plan_types.csv`` (which plan types pay out of network) and ``places_of_service.csv``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any


from ..vector import logical_not
from .base import Explained

if TYPE_CHECKING:
    from ..facts import Facts


def in_network(facility_credentialed: Any, facility_participating: Any, enrollment_is_network: Any = False) -> Any:
    """In network: the clinic is credentialed with the payer **and** has a signed contract.

    Under Original Medicare there is no network: an enrolled (credentialed) clinic may bill it,
    whether or not it participates (accepts assignment on every claim).

    Parameters
    ----------
    facility_credentialed, facility_participating : bool or array of bool
    enrollment_is_network : bool or array of bool
        ``plan_types.csv``: enrollment alone puts the clinic "in network" (Original Medicare).

    Returns
    -------
    bool or array of bool
    """
    return facility_credentialed & (facility_participating | enrollment_is_network)


def out_of_network_benefits(oon_block: Any, plan_type_pays_out_of_network: Any) -> Any:
    """The plan pays out of network: it has an ``oon`` block and its type pays out of network.

    Parameters
    ----------
    oon_block : bool or array of bool
        The scenario's plan carries out-of-network terms (``plan.oon``).
    plan_type_pays_out_of_network : bool or array of bool
        ``plan_types.csv`` says the plan type pays out of network (HMO and EPO do not).

    Returns
    -------
    bool or array of bool
    """
    return oon_block & plan_type_pays_out_of_network


def place_not_covered(place_covered: Any) -> Any:
    """Check 6 fails when the plan covers the service only at other places of service.

    Parameters
    ----------
    place_covered : bool or array of bool
        The place of service is in the plan's list (a plan without a list covers any place).

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 58 in ``checks.csv``).
    """
    return logical_not(place_covered)


def explain_place_of_service(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``place_of_service`` check for one claim: finding, facts used, rows read.

    ``failed`` is the verdict's answer; the wording follows it and never decides again.
    """
    covered = f.scenario.plan.covered_places_of_service
    row = f.catalog.record("places_of_service", f.place_of_service)
    facts = {"place_of_service": f"{f.place_of_service} ({row['name']})",
             "covered_places_of_service": list(covered) if covered is not None else "any"}
    if failed:
        finding = (f"the plan covers this service only at place of service {', '.join(covered)}, not at "
                   f"{f.place_of_service} ({row['name'].lower()})")
    else:
        finding = f"{row['name'].lower()} is covered"
    return Explained(finding, facts, ("the scenario's plan", f"places_of_service.csv row {row['_row']}"),
                     (row["source"],))


def no_network_benefit(in_network: Any, oon_benefits: Any) -> Any:
    """Check 7 fails out of network when the plan pays nothing out of network.

    Parameters
    ----------
    in_network : bool or array of bool
    oon_benefits : bool or array of bool
        See :func:`out_of_network_benefits`.

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 242 in ``checks.csv``).
    """
    return logical_not(in_network) & logical_not(oon_benefits)


def explain_network(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``network`` check for one claim: finding, facts used, rows read.

    ``failed`` is the verdict's answer; the wording follows it and never decides again.
    """
    s = f.scenario
    plan_type = f.catalog.record("plan_types", s.plan.type.value)
    facts = {"facility_credentialed": s.facility.credentialed, "facility_participating": s.facility.participating,
             "in_network": f.in_network, "plan_type": plan_type["type"], "out_of_network_benefits": f.oon_benefits}
    where, sources = (f"plan_types.csv row {plan_type['_row']}",), (plan_type["source"],)
    if plan_type["enrollment_is_network"]:  # Original Medicare: enrollment, not a contract
        if f.in_network:
            assignment = ("accepts assignment" if s.facility.participating else
                          "does not accept assignment: Medicare pays 95 % and the limiting charge applies")
            return Explained(f"the clinic is enrolled with Medicare and {assignment}", facts, where, sources)
        return Explained("the clinic is not enrolled with Medicare, so Medicare pays nothing on its claims", facts,
                         where, sources)
    if f.in_network:
        return Explained("the clinic is credentialed and has a signed contract: in network", facts, where, sources)
    why = "the clinic is not credentialed" if not s.facility.credentialed else "the clinic has no signed contract"
    if failed:
        plan_says = (f"an {plan_type['type']} pays nothing out of network" if not plan_type["out_of_network_benefits"]
                     else "this plan has no out-of-network benefit")
        return Explained(f"{why}: out of network, and {plan_says}", facts, where, sources)
    return Explained(f"{why}: out of network, paid at the plan's out-of-network benefit", facts, where, sources)


def rendering_not_credentialed(in_network: Any, provider_credentialed: Any) -> Any:
    """Check 8 fails in network when the rendering provider is not credentialed with the payer.

    Parameters
    ----------
    in_network : bool or array of bool
    provider_credentialed : bool or array of bool

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC B7 in ``checks.csv``; out of network it never applies).
    """
    return in_network & logical_not(provider_credentialed)


def explain_rendering_provider(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``rendering_provider`` check for one claim: finding, facts used, rows read.

    ``failed`` is the verdict's answer; the wording follows it and never decides again.
    """
    s = f.scenario
    facts = {"in_network": f.in_network, "provider_credentialed": s.provider.credentialed}
    if not f.in_network:
        return Explained("out of network: no network credentialing applies", facts, applies=False)
    payer = "Medicare (enrolled, with benefits reassigned to the clinic)" if f.medicare else "the payer"
    if failed:
        return Explained(f"the {s.provider.type.value} is not credentialed with {payer}", facts)
    return Explained(f"the {s.provider.type.value} is credentialed with {payer}", facts)


def referral_missing(referral_required: Any, in_network: Any, referral: Any) -> Any:
    """The ``referral`` check fails when the plan needs a referral to the clinic and none is on file.

    Parameters
    ----------
    referral_required : bool or array of bool
        The plan needs the primary care doctor's referral for a specialist (``plan.referral_required``,
        by default from ``plan_types.csv``: HMO and POS).
    in_network : bool or array of bool
        The clinic is in network (out of network, the network check decides first).
    referral : bool or array of bool
        A referral is on file (``documentation.referral``).

    Returns
    -------
    bool or array of bool
        True where the check fails (CARC 288; the group follows the liability rule).
    """
    return referral_required & in_network & logical_not(referral)


def explain_referral(f: "Facts", failed: bool) -> Explained:
    """The trace of the ``referral`` check for the claim."""
    plan = f.scenario.plan
    facts = {"plan_type": plan.type.value, "referral_required": f.referral_required, "referral_on_file": f.referral}
    row = (f"plan_types.csv row {f.catalog.record('plan_types', plan.type.value)['_row']}",)
    source = (f.catalog.record("plan_types", plan.type.value)["source"],)
    if not f.referral_required:
        return Explained(f"the plan ({plan.type.value}) needs no referral", facts, row, source, applies=False)
    if failed:
        return Explained(f"the plan ({plan.type.value}) needs a referral from the primary care doctor and none is "
                         "on file", facts, row, source)
    if not f.in_network:
        return Explained("out of network: the network check decides", facts, row, source, applies=False)
    return Explained("referral on file", facts, row, source)
