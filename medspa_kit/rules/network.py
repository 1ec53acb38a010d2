"""SPEC §4 checks 5–7: place of service, network status and the rendering provider's
credentialing."""

from __future__ import annotations

from ..catalog import NO_OON_PLAN_TYPES
from . import Facts, Step


def check_place_of_service(f: Facts) -> Step:
    title = "Place of service covered by the plan"
    covered = f.scenario.plan.covered_places_of_service
    pos_row = f.catalog.record("places_of_service", f.place_of_service)
    facts = {"place_of_service": f"{f.place_of_service} ({pos_row['name']})",
             "covered_places_of_service": list(covered) if covered is not None else "any"}
    source = f"scenario plan; places_of_service.csv row {pos_row['_row']}: {pos_row['source']}"
    if covered is not None and f.place_of_service not in covered:
        return Step.fail("place_of_service", title,
                         f"the plan covers this service only at place of service {', '.join(covered)}, not at "
                         f"{f.place_of_service} ({pos_row['name'].lower()})", facts, source, "58", "PR")
    return Step.ok("place_of_service", title, f"{pos_row['name'].lower()} is covered", facts, source)


def check_network(f: Facts) -> Step:
    title = "Network: in network, or out of network with benefits"
    s = f.scenario
    plan = s.plan
    facts = {
        "facility_credentialed": s.facility.credentialed,
        "facility_participating": s.facility.participating,
        "in_network": f.in_network,
        "plan_type": plan.type.value,
        "out_of_network_benefits": plan.has_oon_benefits,
    }
    source = "FACTS §5.2 (HMO and EPO: no out-of-network benefit); §6.1 (credentialing and contracting)"
    if f.in_network:
        return Step.ok("network", title, "the clinic is credentialed and has a signed contract: in network",
                       facts, source)
    why = ("the clinic is not credentialed" if not s.facility.credentialed
           else "the clinic has no signed contract")
    if not plan.has_oon_benefits:
        if plan.type.value in NO_OON_PLAN_TYPES:
            plan_says = f"an {plan.type.value} pays nothing out of network"
        else:
            plan_says = "this plan has no out-of-network benefit"
        return Step.fail("network", title, f"{why}: out of network, and {plan_says}", facts, source, "242", "PR")
    return Step.ok("network", title, f"{why}: out of network, paid at the plan's out-of-network benefit",
                   facts, source)


def check_rendering_provider(f: Facts) -> Step:
    title = "Rendering provider credentialed with the payer"
    s = f.scenario
    facts = {"in_network": f.in_network, "provider_credentialed": s.provider.credentialed}
    source = "FACTS §6.1 (credentialing and enrollment before in-network billing); X12 CARC B7"
    if not f.in_network:
        return Step.na("rendering_provider", title, "out of network: no network credentialing applies", facts,
                       source)
    if not s.provider.credentialed:
        return Step.fail("rendering_provider", title,
                         f"the {s.provider.type.value} is not credentialed with the payer", facts, source,
                         "B7", "CO")
    return Step.ok("rendering_provider", title, f"the {s.provider.type.value} is credentialed", facts, source)
