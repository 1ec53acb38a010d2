"""The adjudication checks, one :class:`~medspa_kit.rules.base.Rule` each, grouped by family.

``RULES`` maps each check id of ``datasets/checks.csv`` to its rule. The order the checks run in,
the reason code (CARC) each denies with and its group (CO, PR or the liability rule) are the
rows of that file; the verdicts live here, once, and both engines call them:

=====================  =================================  ======================================
check                  verdict                            module
=====================  =================================  ======================================
inputs                 (none: bad input raises an error)  :mod:`~medspa_kit.rules.billing`
provider_type          :func:`provider_cannot_bill`       :mod:`~medspa_kit.rules.billing`
facility_kind          :func:`not_a_medical_site`         :mod:`~medspa_kit.rules.billing`
add_on                 :func:`missing_qualifying_service` :mod:`~medspa_kit.rules.coding`
bundling               :func:`bundled_visit`              :mod:`~medspa_kit.rules.coding`
not_together           :func:`billed_with_excluded_code`  :mod:`~medspa_kit.rules.coding`
units                  :func:`too_many_units`             :mod:`~medspa_kit.rules.coding`
cosmetic               :func:`cosmetic`                   :mod:`~medspa_kit.rules.necessity`
statutory_exclusion    :func:`statutorily_excluded`       :mod:`~medspa_kit.rules.necessity`
experimental           :func:`experimental`               :mod:`~medspa_kit.rules.necessity`
necessity              :func:`not_necessary`              :mod:`~medspa_kit.rules.necessity`
place_of_service       :func:`place_not_covered`          :mod:`~medspa_kit.rules.network`
network                :func:`no_network_benefit`         :mod:`~medspa_kit.rules.network`
rendering_provider     :func:`rendering_not_credentialed` :mod:`~medspa_kit.rules.network`
referral               :func:`referral_missing`           :mod:`~medspa_kit.rules.network`
prior_auth             :func:`no_prior_auth`              :mod:`~medspa_kit.rules.necessity`
frequency              :func:`too_soon`                   :mod:`~medspa_kit.rules.necessity`
annual_limit           :func:`over_yearly_limit`          :mod:`~medspa_kit.rules.necessity`
=====================  =================================  ======================================
"""

from __future__ import annotations

from . import billing, coding, necessity, network
from .base import Explained, Rule, Step, denial_is_co, liability_is_co, network_index

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("inputs", billing.explain_inputs),
        Rule("provider_type", billing.explain_provider_type, billing.provider_cannot_bill),
        Rule("facility_kind", billing.explain_facility_kind, billing.not_a_medical_site),
        Rule("add_on", coding.explain_add_on, coding.missing_qualifying_service),
        Rule("bundling", coding.explain_bundling, coding.bundled_visit),
        Rule("not_together", coding.explain_not_together, coding.billed_with_excluded_code),
        Rule("units", coding.explain_units, coding.too_many_units),
        Rule("cosmetic", necessity.explain_cosmetic, necessity.cosmetic),
        Rule("statutory_exclusion", necessity.explain_statutory_exclusion, necessity.statutorily_excluded),
        Rule("experimental", necessity.explain_experimental, necessity.experimental),
        Rule("necessity", necessity.explain_necessity, necessity.not_necessary),
        Rule("place_of_service", network.explain_place_of_service, network.place_not_covered),
        Rule("network", network.explain_network, network.no_network_benefit),
        Rule("rendering_provider", network.explain_rendering_provider, network.rendering_not_credentialed),
        Rule("referral", network.explain_referral, network.referral_missing),
        Rule("prior_auth", necessity.explain_prior_auth, necessity.no_prior_auth),
        Rule("frequency", necessity.explain_frequency, necessity.too_soon),
        Rule("annual_limit", necessity.explain_annual_limit, necessity.over_yearly_limit),
    )
}

__all__ = ["RULES", "Explained", "Rule", "Step", "denial_is_co", "liability_is_co", "network_index"]
