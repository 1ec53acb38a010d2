"""Each check's verdict: one small function that answers for one claim and for a whole column.

pvlib style: the same verdict is called with plain values, a numpy array and a pandas Series,
and must give the hand-made truth table each time. The registry and checks.csv name the same
checks, and every verdict documents its parameters and its result.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pandas as pd
import pytest

from medspa_kit import cost, engine
from medspa_kit.batch import evaluate_frame
from medspa_kit.rules import RULES, liability_is_co, network_index
from medspa_kit.rules.billing import not_a_medical_site, provider_cannot_bill
from medspa_kit.rules.coding import (billed_with_excluded_code, bundled_visit, missing_qualifying_service,
                                     too_many_units)
from medspa_kit.rules.necessity import (cosmetic, experimental, no_prior_auth, not_necessary, over_yearly_limit,
                                        statutorily_excluded, too_soon)
from medspa_kit.rules.network import (in_network, no_network_benefit, out_of_network_benefits, place_not_covered,
                                      referral_missing, rendering_not_credentialed)

T, F = True, False
NAN = math.nan

# verdict, then rows of (inputs..., expected: does the check fail?)
TRUTH = [
    (provider_cannot_bill, [(T, F), (F, T)]),
    (not_a_medical_site, [(T, F), (F, T)]),
    # missing_qualifying_service(add_on_without_base, drug_without_administration): either fails
    (missing_qualifying_service, [(F, F, F), (T, F, T), (F, T, T), (T, T, T)]),
    # bundled_visit(office_visit, procedure_on_claim, modifier_25): a visit with a procedure and no 25
    (bundled_visit, [(T, T, F, T), (T, T, T, F), (T, F, F, F), (F, T, F, F)]),
    # billed_with_excluded_code(excluded_code_on_claim, modifier_59): 59 marks a distinct procedure
    (billed_with_excluded_code, [(T, F, T), (T, T, F), (F, F, F), (F, T, F)]),
    # too_many_units(units, max_units): 14 lesions of 17003 (at most 13) fail; no limit never fails
    (too_many_units, [(14, 13.0, T), (13, 13.0, F), (1, 1.0, F), (155, NAN, F)]),
    # cosmetic(cosmetic_diagnosis, cosmetic_only, has_policy, medicare): Z41 always fails; a
    # cosmetic-only service fails unless a policy row (a covered indication) matches; under
    # Original Medicare the statutory exclusion answers instead, so this check passes.
    (cosmetic, [(T, F, F, F, T), (T, T, T, F, T), (F, T, F, F, T), (F, T, T, F, F), (F, F, F, F, F),
                (F, F, T, F, F), (T, F, F, T, F), (F, T, F, T, F)]),
    # statutorily_excluded(...same, medicare, modifier_GY): the same cosmetic lines, under Original
    # Medicare only; and any line Medicare gets with GY (the clinic says the law excludes it)
    (statutorily_excluded, [(T, F, F, T, F, T), (F, T, F, T, F, T), (F, T, T, T, F, F), (F, F, F, T, F, F),
                            (T, F, F, F, F, F), (F, T, F, F, F, F), (F, F, T, T, T, T), (F, F, T, F, T, F)]),
    # experimental(experimental): the payer's row says so
    (experimental, [(T, T), (F, F)]),
    # not_necessary(has_policy, criteria_documented)
    (not_necessary, [(T, T, F), (T, F, T), (F, T, T), (F, F, T)]),
    (place_not_covered, [(T, F), (F, T)]),
    # no_network_benefit(in_network, oon_benefits): only out of network without benefits fails
    (no_network_benefit, [(T, T, F), (T, F, F), (F, T, F), (F, F, T)]),
    # rendering_not_credentialed(in_network, provider_credentialed): in network only
    (rendering_not_credentialed, [(T, T, F), (T, F, T), (F, F, F), (F, T, F)]),
    # referral_missing(referral_required, in_network, referral): in network, required, none on file
    (referral_missing, [(T, T, F, T), (T, T, T, F), (T, F, F, F), (F, T, F, F)]),
    # no_prior_auth(needs_prior_auth, prior_auth)
    (no_prior_auth, [(T, T, F), (T, F, T), (F, F, F), (F, T, F)]),
    # too_soon(days_since_last, min_interval_days): 60 < 84 fails; 84 days pass; NaN never fails
    (too_soon, [(60.0, 84.0, T), (84.0, 84.0, F), (100.0, 84.0, F), (NAN, 84.0, F), (60.0, NAN, F), (NAN, NAN, F)]),
    # over_yearly_limit(count_in_year, max_per_year): the 23rd G0447 visit in 12 months fails (22 a
    # year: 22 earlier ones used them up); the 22nd passes; no limit never fails
    (over_yearly_limit, [(22, 22.0, T), (21, 22.0, F), (0, 22.0, F), (40, NAN, F)]),
]


@pytest.mark.parametrize("verdict,rows", TRUTH, ids=[v.__name__ for v, _ in TRUTH])
def test_one_value_an_array_and_a_series_give_the_same_truth_table(verdict, rows):
    expected = [row[-1] for row in rows]
    assert [bool(verdict(*row[:-1])) for row in rows] == expected
    columns = list(zip(*[row[:-1] for row in rows]))
    assert np.asarray(verdict(*[np.array(c) for c in columns])).tolist() == expected
    assert list(pd.Series(verdict(*[pd.Series(c) for c in columns])).astype(bool)) == expected


def test_the_facts_the_checks_rest_on():
    assert [bool(in_network(c, p)) for c, p in ((T, T), (T, F), (F, T), (F, F))] == [T, F, F, F]
    # Original Medicare: enrollment alone is "in network"; participating means accepting assignment
    assert [bool(in_network(c, p, T)) for c, p in ((T, T), (T, F), (F, T), (F, F))] == [T, T, F, F]
    assert [bool(out_of_network_benefits(b, p)) for b, p in ((T, T), (T, F), (F, T))] == [T, F, F]
    # CO in network without a waiver; PR with one, and PR out of network.
    assert [bool(liability_is_co(n, w)) for n, w in ((T, F), (T, T), (F, F), (F, T))] == [T, F, F, F]
    assert np.asarray(liability_is_co(np.array([T, T, F]), np.array([F, T, F]))).tolist() == [T, F, F]
    # 0 in network, 1 out of network, 2 none (not billable)
    assert [int(network_index(nb, n)) for nb, n in ((F, T), (F, F), (T, T), (T, F))] == [0, 1, 2, 2]


def test_the_registry_and_checks_csv_name_the_same_checks(catalog):
    assert {c.id for c in catalog.checks} == set(RULES)  # checks.csv gives the order
    assert RULES["inputs"].verdict is None
    assert {rule.verdict for rule in RULES.values() if rule.verdict} == {v for v, _ in TRUTH}


def test_every_verdict_reads_facts_both_engines_provide(catalog):
    from medspa_kit import batch
    from medspa_kit.batch_cells import parse_frame
    from medspa_kit.columns import scenarios_to_frame
    from medspa_kit.facts import Facts

    from ..builders import BASE

    parsed = parse_frame(scenarios_to_frame([BASE]), catalog)
    columns = batch._facts(parsed, slice(0, 1), batch._tables(parsed, catalog))
    assert set(batch.FACT_NAMES) <= set(columns)
    for rule in RULES.values():
        assert set(rule.inputs) <= set(Facts.__dataclass_fields__), rule.id
        assert set(rule.inputs) <= set(batch.FACT_NAMES), rule.id


@pytest.mark.parametrize("function", [v for v, _ in TRUTH] + [
    cost.in_network, cost.out_of_network, cost.settle, cost.denied, engine.evaluate, evaluate_frame,
    liability_is_co, in_network, out_of_network_benefits])
def test_rule_and_engine_functions_document_parameters_and_returns(function):
    doc = inspect.getdoc(function) or ""
    assert "Parameters" in doc and "Returns" in doc, function.__name__
    for name in inspect.signature(function).parameters:
        assert name in doc, f"{function.__name__}: parameter {name!r} is not documented"
