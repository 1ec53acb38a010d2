"""The text summary of an outcome, in the outcome's own catalog's words."""

from __future__ import annotations

from medspa_kit import evaluate, preset
from medspa_kit.explain import summary


def test_summary_text_names_decision_reason_and_dollars():
    text = summary(evaluate(preset("botox-forehead-lines")))
    assert "Decision:  Denied (in network)" in text
    assert "PR 204 Not a covered benefit (patient responsibility)" in text
    assert "Patient pays" in text and "$480.00" in text


def test_summary_uses_the_outcomes_catalog(catalog):
    # A catalog whose diagnosis has another name: the summary shows that name, not the bundled one.
    from dataclasses import replace

    rows = {code: dict(row) for code, row in catalog.keyed["diagnoses"].items()}
    rows["Z41.1"]["name"] = "A renamed cosmetic visit"
    other = replace(catalog, keyed={**catalog.keyed, "diagnoses": rows})
    text = summary(evaluate(preset("botox-forehead-lines"), other))
    assert "Z41.1 A renamed cosmetic visit" in text


def test_a_claim_with_lines_shows_each_line_and_the_claims_dollars():
    from .builders import claim

    outcome = evaluate(claim([{"code": "64615"}, {"code": "J0585", "units": 155},
                              {"code": "J0585", "units": 45, "modifiers": ["JW"]}],
                             {"diagnoses": ["G43.719"], "plan.copay": 40}))
    text = summary(outcome)
    assert text.splitlines()[0].startswith("64615 + J0585 ×155 + J0585-JW ×45 · G43.719")
    assert "  J0585-JW ×45      covered" in text and "$292.95" in text
    # the claim's dollars are the sums of its lines': 170.00 + 1,009.05 + 292.95 = 1,472.00 allowed
    assert "Allowed by the plan    $1,472.00" in text and "Patient pays              $40.00" in text
