"""``evaluate_frame`` on a table of claims with lines agrees with ``evaluate`` on every line.

20,000 seeded claims of 1 to 6 lines (injections and their drug lines, discarded units, add-ons,
office visits, code pairs, diagnosis pointers) and 600 broken ones go through both paths. The
test counts the checks and cost branches the scalar lines took and fails if any was never
reached, so it cannot pass by comparing easy claims only.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd
import pytest

from medspa_kit import evaluate
from medspa_kit.batch import evaluate_frame
from medspa_kit.catalog import default_catalog
from medspa_kit.columns import RESULT_COLUMNS, claim_to_dict, outcome_to_row, scenarios_to_frame
from medspa_kit.errors import ScenarioError

from .scenario_factory import ScenarioFactory

VALID, INVALID = 20_000, 600
CHECKS = default_catalog().checks[1:]
LINE_CHECKS = [c for c in CHECKS if c.scope == "line"]
COLUMNS = ["claim_decision", *RESULT_COLUMNS]


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float):
        return round(value * 100)
    return str(value)


def _branches(outcome) -> set[str]:
    hit = {f"{step.step}:{step.status}" for step in outcome.steps}
    hit.add(f"claim {outcome.decision}")
    hit.add(f"lines {min(len(outcome.lines), 4)}")
    drugs = {i for i, line in enumerate(outcome.lines) if line.procedure.drug_for}
    for i, line in enumerate(outcome.lines):
        if line.reason:
            hit.add(f"{line.reason.group} {line.reason.carc}")
            check = next(s for s in outcome.steps if s.decisive and (s.line in (i + 1, None)))
            if next(c for c in CHECKS if c.id == check.step).group == "liability":
                waiver = "waiver" if outcome.scenario.documentation.waiver_signed else "no waiver"
                hit.add(f"{line.reason.group} {line.reason.carc} {waiver} {outcome.network}")
        else:
            c = line.cost
            hit.add(f"covered line {outcome.network}")
            if i in drugs:
                hit.add("drug line covered" + (" JW" if "JW" in line.modifiers else ""))
            if line.units > 1:
                hit.add("several units covered")
            if c.copay:
                hit.add("copay on a line")
            if i > 0 and c.deductible and any(other.cost.deductible for other in outcome.lines[:i]):
                hit.add("deductible shared by lines")
            if i > 0 and outcome.scenario.plan.copay > 0 and not c.copay and outcome.network == "in":
                hit.add("copay plan, a later line")
        if i in drugs and line.reason and line.reason.carc != "107":
            hit.add("drug line denied as its injection")
    if outcome.scenario.lines and any(line.diagnoses for line in outcome.scenario.lines):
        hit.add("diagnosis pointers")
    for step in outcome.steps:
        if step.step == "cost" and step.status == "pass":
            if "preventive service" in step.finding:
                hit.add("preventive line")
            if "Original Medicare" in step.finding:
                hit.add("Medicare line" + (" at 85%" if "× 85%" in step.finding else "")
                        + (" not on assignment" if "× 95%" in step.finding else ""))
    if any(line.cost.balance_bill for line in outcome.lines) and outcome.network == "in":
        hit.add("limiting charge billed")
    if outcome.warnings:
        hit.add("date outside the code set")
    return hit


REQUIRED = {
    *(f"{c.id}:{status}" for c in CHECKS for status in ("pass", "fail")),
    *(f"{c.group} {c.carc}" for c in CHECKS if c.group not in ("liability", "limit")),
    # a used-up benefit is PR, but under Original Medicare it follows the liability rule (the ABN)
    *(f"{group} {c.carc}" for c in CHECKS if c.group == "limit" for group in ("PR", "CO")),
    *(f"{group} {c.carc} {waiver} {network}" for c in CHECKS if c.group == "liability"
      for group, waiver, network in (("CO", "no waiver", "in"), ("PR", "waiver", "in"), ("PR", "no waiver", "out"))),
    "claim covered", "claim partly_covered", "claim denied", "claim not_billable", "lines 1", "lines 2", "lines 3",
    "lines 4", "covered line in", "covered line out", "drug line covered", "drug line covered JW",
    "several units covered", "copay on a line", "deductible shared by lines", "copay plan, a later line",
    "drug line denied as its injection", "diagnosis pointers", "preventive line", "Medicare line",
    "Medicare line at 85%", "Medicare line not on assignment", "Medicare line at 85% not on assignment",
    "limiting charge billed", "date outside the code set",
} - {"PR 288 no waiver out"}  # a referral is asked for in network only: out of network the network check decides


@pytest.fixture(scope="module")
def generated():
    items = ScenarioFactory(seed=2027).claims(VALID, INVALID)
    frame = scenarios_to_frame(items)
    return items, frame, evaluate_frame(frame)


def test_every_line_agrees_with_the_scalar_path(generated):
    items, frame, batch = generated
    got = [tuple(_plain(v) for v in row) for row in batch[COLUMNS].astype(object).itertuples(index=False, name=None)]
    claim_rows: dict[int, list[int]] = {}
    for position, claim in enumerate(frame["claim_id"]):
        claim_rows.setdefault(int(claim), []).append(position)
    records = frame.to_dict("records")
    branches: Counter[str] = Counter()
    invalid = 0
    for i, data in enumerate(items):
        rows = claim_rows[i]
        try:
            outcome = evaluate(data)
        except ScenarioError:
            invalid += 1
            with pytest.raises(ScenarioError) as err:  # the parser's own message, on every line
                evaluate(claim_to_dict([records[r] for r in rows]))
            for r in rows:
                assert got[r] == (None,) * (len(COLUMNS) - 1) + (str(err.value),), f"claim {i}: {data}"
            continue
        branches.update(_branches(outcome))
        assert len(rows) == len(outcome.lines)
        for k, r in enumerate(rows):
            expected = (outcome.decision, *(_plain(v) for v in outcome_to_row(outcome, k).values()))
            assert got[r] == expected, f"claim {i} line {k}: {data}"
    assert invalid == len({int(frame['claim_id'].iat[r]) for r in np.flatnonzero(batch['error'].notna())})
    assert invalid >= INVALID * 0.9
    missing = REQUIRED - set(branches)
    assert not missing, f"branches never reached: {sorted(missing)}"
    assert min(branches[b] for b in REQUIRED) >= 5, sorted((branches[b], b) for b in REQUIRED)[:5]


def test_a_claim_read_back_from_csv_gives_the_same_results(generated):
    import io

    items, frame, batch = generated
    text = frame.to_csv(index=False)
    again = evaluate_frame(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False))
    ok = batch["error"].isna().to_numpy()
    for name in COLUMNS[:-1]:
        assert again[name].astype(object).to_numpy()[ok].tolist() == batch[name].astype(object).to_numpy()[ok].tolist()


def test_blocks_never_split_a_claim(generated, monkeypatch):
    # The rows go a block at a time; a claim straddling a block edge must price as one claim.
    from medspa_kit import batch_cells

    items, frame, batch = generated
    monkeypatch.setattr(batch_cells, "BLOCK", 7)
    import medspa_kit.batch as engine

    monkeypatch.setattr(engine, "BLOCK", 7)
    small = frame.iloc[:400]
    assert evaluate_frame(small)[COLUMNS[:-1]].astype(object).equals(batch.iloc[:400][COLUMNS[:-1]].astype(object))


def test_a_claims_rows_must_agree_and_sit_together():
    items = ScenarioFactory(seed=3).claims(3, 0)
    frame = scenarios_to_frame(items)
    first = frame.index[frame["claim_id"] == 0]
    if len(first) > 1:
        frame.loc[first[-1], "plan.deductible"] = 1.0
        out = evaluate_frame(frame)
        assert out.loc[first, "error"].str.startswith("plan.deductible: differs between the rows of one claim").all()
    moved = pd.concat([frame[frame["claim_id"] == 1], frame[frame["claim_id"] == 2],
                       frame[frame["claim_id"] == 1]], ignore_index=True)
    out = evaluate_frame(moved)
    assert out["error"][moved["claim_id"] == 1].str.startswith("claim_id: the claim's rows are not next to").all()
    assert out["error"][moved["claim_id"] == 2].isna().all()
