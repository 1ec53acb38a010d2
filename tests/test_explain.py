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
