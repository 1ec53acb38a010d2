"""Next steps a front desk can act on, keyed by the check that decided the claim."""

from __future__ import annotations

from medspa_kit import evaluate, preset
from medspa_kit.rules.advice import ADVICE

from ..builders import run


def steps(name_or_changes) -> str:
    o = evaluate(preset(name_or_changes)) if isinstance(name_or_changes, str) else run(name_or_changes)
    return " ".join(o.next_steps)


def test_every_denying_check_has_advice(catalog):
    assert set(ADVICE) == {c.id for c in catalog.checks[1:]}


def test_next_steps_are_practical():
    assert "Good Faith Estimate" in steps("botox-forehead-lines")
    assert "Credential the NP" in steps("uncredentialed-np")
    assert "Do not bill the patient" in steps("uncredentialed-np")
    assert "prior authorization" in steps("migraine-no-prior-auth")
    assert "Schedule on or after 2026-04-14" in steps("migraine-too-soon")  # 2026-01-20 + 84 days
    assert "letter of medical necessity" in steps("weight-loss-program")
    assert "Document the policy's criteria" in steps({"documentation.criteria_documented": False})
    assert "waiver" in steps({"documentation.criteria_documented": False})
    assert "balance bill" in steps("out-of-network-ppo")
    assert "in-network clinic" in steps("hmo-out-of-network")
    assert "HSA and FSA money cannot pay" in steps("laser-hair-removal")


def test_who_can_bill_is_read_from_the_provider_types_table():
    # provider_types.csv says MD, DO, NP and PA can bill: the advice lists exactly those.
    assert "Only an MD, DO, NP or PA can bill a health plan" in steps({"provider.type": "RN"})


def test_later_failures_are_listed_to_fix_too():
    # Criteria missing decides (necessity); prior authorization missing fails later: fix both.
    text = steps({"documentation.criteria_documented": False, "documentation.prior_auth": False})
    assert "Also fix: the policy requires prior authorization and none is on file." in text
