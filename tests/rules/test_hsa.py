"""HSA/FSA status, from the engine's outcome (IRS Publication 502 logic)."""

from __future__ import annotations

import pytest

from medspa_kit import evaluate, preset

from ..builders import run


@pytest.mark.parametrize(
    "name,status",
    [
        ("botox-underarm-sweating", "eligible"),      # covered indication
        ("migraine-no-prior-auth", "eligible"),       # denied for paperwork, indication still covered
        ("botox-forehead-lines", "not_eligible"),     # Z41.1 cosmetic
        ("laser-hair-removal", "not_eligible"),       # IRS names hair removal
        ("weight-loss-program", "eligible_with_lmn"), # dual purpose with an obesity diagnosis
        ("acne-light-therapy", "eligible"),           # treats acne, a disease, though payers call it experimental
        ("aesthetician-at-day-spa", "not_eligible"),  # cosmetic microneedling
    ],
)
def test_presets(name, status):
    assert evaluate(preset(name)).hsa_fsa.status == status


def test_cosmetic_exception_for_a_congenital_abnormality():
    # A cosmetic visit (Z41.1) that treats a port-wine stain (Q82.5, congenital) is an exception.
    outcome = run({"service": {"code": "17106", "charge": 500.0}, "diagnoses": ["Z41.1", "Q82.5"]})
    assert outcome.decision == "denied"  # the plan still excludes it
    assert outcome.hsa_fsa.status == "eligible"
    assert "congenital abnormality" in outcome.hsa_fsa.reason


def test_lmn_on_file_is_acknowledged():
    outcome = run({"service": {"code": "weight-loss-program"}, "diagnoses": ["E66.811", "Z68.32"],
                   "documentation.lmn": True})
    assert outcome.hsa_fsa.status == "eligible_with_lmn"
    assert "LMN is on file" in outcome.hsa_fsa.reason
