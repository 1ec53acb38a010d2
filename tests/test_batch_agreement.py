"""``evaluate_frame`` agrees with ``evaluate`` on every field of every row of a version 1 table.

20,000 seeded random scenarios plus 600 broken ones go through both paths. The test counts the
check and cost branches the scalar outcomes took and fails if any was never reached, so it
cannot pass by comparing easy cases only.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd
import pytest

from medspa_kit import evaluate
from medspa_kit.batch import evaluate_frame
from medspa_kit.catalog import default_catalog
from medspa_kit.columns import RESULT_COLUMNS, outcome_to_row, row_to_dict, scenarios_to_frame
from medspa_kit.errors import ScenarioError

from .scenario_factory import ScenarioFactory

VALID, INVALID = 20_000, 600


def _plain(value: Any) -> Any:
    """None for every kind of empty cell; dollars as whole cents; text as text."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float):
        return round(value * 100)
    return str(value)


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(_plain(v) for v in row) for row in frame[list(RESULT_COLUMNS)].astype(object).itertuples(
        index=False, name=None)]


def _branches(outcome, data: dict[str, Any]) -> set[str]:
    """Names of the branches (checks, groups, cost cases) this scalar outcome went through."""
    hit = {f"{step.step}:{step.status}" for step in outcome.steps}
    reason = outcome.primary_reason
    s, c = outcome.scenario, outcome.cost
    if reason:
        hit.add(f"{reason.group} {reason.carc}")
        if LIABILITY.get(reason.carc):
            hit.add(f"{reason.group} {reason.carc} {'waiver' if s.documentation.waiver_signed else 'no waiver'} "
                    f"{outcome.network}")
        if reason.carc == "242":
            hit.add("242 " + ("HMO/EPO" if s.plan.type.value in ("HMO", "EPO") else "no oon block"))
        if reason.carc == "204":
            hit.add("204 " + ("Z41" if any(d.startswith("Z41") for d in s.diagnoses) else "cosmetic service")
                    + (" beside a covered indication" if outcome.policy is not None else ""))
    else:
        hit.add(f"covered {outcome.network}")
        plan, acc = s.plan, s.accumulators
        if plan.type.value == "MEDICARE":
            hit.add("covered by Original Medicare" + (" with a limiting-charge balance" if c.balance_bill else ""))
        elif outcome.network == "in":
            fee = c.allowed  # in network the allowed amount is min(charge, fee)
            if plan.copay > 0:
                hit.add("copay plan")
            if c.charge < round((s.service.fee_schedule or outcome.procedure.fee_schedule) * 100):
                hit.add("charge below fee schedule")
            deductible_left = max(0, round(plan.deductible * 100) - round(acc.deductible_met * 100))
            oop_left = max(0, round(plan.oop_max * 100) - round(acc.oop_met * 100))
            if plan.copay == 0 and 0 < deductible_left < fee:
                hit.add("deductible partly met")
            uncapped = (min(round(plan.copay * 100), fee) if plan.copay > 0 else
                        min(fee, deductible_left) + round((fee - min(fee, deductible_left)) * plan.coinsurance))
            if uncapped > oop_left:
                hit.add("out-of-pocket cap binds")
        else:
            if s.plan.oon.allowed_pct < 1:
                hit.add("out-of-network allowed % below 1")
            if c.balance_bill > 0:
                hit.add("balance bill")
        if "charge" not in data.get("service", {}):
            hit.add("catalog charge")
        if "fee_schedule" not in data.get("service", {}):
            hit.add("catalog fee schedule")
    if outcome.policy is not None and outcome.policy.with_diagnosis:
        hit.add("policy with a second diagnosis: " + outcome.decision)
    if outcome.policy is not None and outcome.policy.min_interval_days:
        hit.add("frequency rule " + ("with" if s.accumulators.last_treatment else "without") + " a last treatment")
    hit.add("hsa " + outcome.hsa_fsa.status)
    return hit


# Every check of checks.csv must pass and fail, and deny with its group; a check under the liability
# rule must be met in network with and without a waiver and out of network. A new check is required
# here by adding its row; list a combination it can never reach in UNREACHABLE.
CHECKS = default_catalog().checks[1:]
LIABILITY = {c.carc: True for c in CHECKS if c.group == "liability"}
# A version 1 scenario is one line: the checks of how lines go together cannot fail (107 for an
# add-on alone can: 17003 is an add-on). They are required in tests/test_batch_claims.py.
UNREACHABLE = {"CO 236", "CO 97", "bundling:fail", "not_together:fail", "units:fail", "add_on:pass",
               "PR 288 no waiver out", "PR 288 waiver out"}  # a referral is asked for in network only
REQUIRED_BRANCHES = {
    *(f"{c.id}:{status}" for c in CHECKS for status in ("pass", "fail")),
    *(f"{c.group} {c.carc}" for c in CHECKS if c.group not in ("liability", "limit")),
    # a used-up benefit is PR, but under Original Medicare it follows the liability rule (the ABN)
    *(f"{group} {c.carc}" for c in CHECKS if c.group == "limit" for group in ("PR", "CO")),
    *(f"{group} {c.carc} {waiver} {network}" for c in CHECKS if c.group == "liability"
      for group, waiver, network in (("CO", "no waiver", "in"), ("PR", "waiver", "in"), ("PR", "no waiver", "out"),
                                     ("PR", "waiver", "out"))),
    "242 HMO/EPO", "242 no oon block", "204 Z41", "204 Z41 beside a covered indication", "204 cosmetic service",
    "covered in", "covered out", "copay plan", "charge below fee schedule", "deductible partly met",
    "out-of-pocket cap binds", "out-of-network allowed % below 1", "balance bill", "catalog charge",
    "catalog fee schedule", "policy with a second diagnosis: covered", "policy with a second diagnosis: denied",
    "frequency rule with a last treatment", "frequency rule without a last treatment",
    "hsa eligible", "hsa eligible_with_lmn", "hsa not_eligible",
    "covered by Original Medicare", "covered by Original Medicare with a limiting-charge balance",
} - UNREACHABLE


@pytest.fixture(scope="module")
def generated():
    items = ScenarioFactory(seed=2026).batch(VALID, INVALID)
    frame = scenarios_to_frame(items)
    return items, frame, evaluate_frame(frame)


def test_every_row_agrees_with_the_scalar_path(generated):
    items, frame, batch = generated
    got = _rows(batch)
    records = frame.to_dict("records")
    branches: Counter[str] = Counter()
    invalid = 0
    for i, data in enumerate(items):
        try:
            outcome = evaluate(data)
        except ScenarioError:
            invalid += 1
            # The row's error is exactly what the parser says of the same row.
            with pytest.raises(ScenarioError) as err:
                evaluate(row_to_dict(records[i]))
            expected = tuple(None for _ in RESULT_COLUMNS[:-1]) + (str(err.value),)
            assert got[i] == expected, f"row {i}: {data}"
            continue
        branches.update(_branches(outcome, data))
        expected = tuple(_plain(v) for v in outcome_to_row(outcome).values())
        assert got[i] == expected, f"row {i}: {data}"
    assert invalid == batch.attrs["errors"] >= INVALID * 0.9
    assert batch.attrs["rechecked"] == invalid  # the vector checks flagged exactly the invalid rows
    missing = REQUIRED_BRANCHES - set(branches)
    assert not missing, f"branches never reached: {sorted(missing)}"
    rare = sorted((branches[b], b) for b in REQUIRED_BRANCHES if branches[b] < 5)
    assert not rare, rare


def test_the_same_table_read_back_from_csv_gives_the_same_results(generated):
    items, frame, batch = generated
    text = frame.to_csv(index=False)
    again = evaluate_frame(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False))
    got, want = _rows(again), _rows(batch)
    records = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).to_dict("records")
    for i, (a, b) in enumerate(zip(got, want)):
        if b[-1] is None:
            assert a == b, f"row {i}"
        else:  # a text cell may read differently from a typed one ('True' v. True): ask the parser
            with pytest.raises(ScenarioError) as err:
                evaluate(row_to_dict(records[i]))
            assert a[-1] == str(err.value)


def test_a_table_of_several_blocks_gives_each_row_its_own_result(generated):
    # Rows go through the rules a block at a time: a table over two block edges, in an order
    # unlike the original, must give every row the same result as the table of distinct rows.
    from medspa_kit import batch as batch_module

    items, frame, batch = generated
    order = np.random.default_rng(5).integers(0, len(frame), 2 * batch_module.BLOCK + 11)
    again = evaluate_frame(frame.iloc[order].reset_index(drop=True))
    rows = _rows(batch)
    assert _rows(again) == [rows[i] for i in order]
    assert again.attrs["errors"] == int(batch["error"].notna().to_numpy()[order].sum())
