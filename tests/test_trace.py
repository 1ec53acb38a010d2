"""The outcome explains itself: every check in the trace, the SPEC §7 JSON shape, next steps."""

from __future__ import annotations

import json

from medspa_kit import evaluate, preset

from .test_adjudication import run

STEPS = ["inputs", "billing_provider", "cosmetic", "necessity", "place_of_service", "network",
         "rendering_provider", "prior_auth", "frequency", "cost"]


def test_to_dict_is_exactly_the_spec_shape():
    d = evaluate(preset("botox-underarm-sweating")).to_dict()
    assert list(d) == ["decision", "network", "primary_reason", "adjustments", "cost", "hsa_fsa", "next_steps",
                       "trace"]
    assert d["primary_reason"] is None
    assert list(d["cost"]) == ["charge", "allowed", "deductible", "coinsurance", "copay", "plan_pays",
                               "patient_pays", "provider_writeoff", "balance_bill"]
    assert set(d["hsa_fsa"]) == {"status", "reason"}
    assert all(set(a) == {"group", "carc", "amount"} for a in d["adjustments"])
    assert all(set(t) == {"step", "facts", "result", "source"} for t in d["trace"])
    json.dumps(d)  # serializable as is
    denied = evaluate(preset("botox-forehead-lines")).to_dict()
    assert denied["primary_reason"] == {"group": "PR", "carc": "204", "text": "Not a covered benefit"}


def test_trace_lists_every_check_in_spec_order_with_sources():
    outcome = evaluate(preset("botox-underarm-sweating"))
    assert [s.step for s in outcome.steps] == STEPS
    for entry in outcome.trace:
        assert entry["source"], entry
        assert entry["result"].startswith(("pass", "fail", "not applicable"))
    necessity = outcome.trace[3]
    # the policy row that was read is named with its file and row number
    assert necessity["source"].startswith("coverage_policies.csv row 2: Aetna CPB 0113")
    assert necessity["facts"]["criteria_documented"] is True


def test_later_failures_are_still_shown_but_not_decisive():
    # cosmetic (decides) and an uncredentialed NP (would also fail)
    outcome = run({"diagnoses": ["Z41.1"], "provider.credentialed": False})
    assert outcome.primary_reason.carc == "204"
    by_step = {s.step: s for s in outcome.steps}
    assert by_step["cosmetic"].decisive and by_step["cosmetic"].status == "fail"
    assert by_step["rendering_provider"].status == "fail" and not by_step["rendering_provider"].decisive
    assert "also fails" in outcome.trace[6]["result"]
    # only the decisive denial is an adjustment
    assert [(a.group, a.carc) for a in outcome.adjustments] == [("PR", "204")]


def test_not_applicable_steps_when_no_policy_matches():
    outcome = run({"diagnoses": ["G43.709"]})
    by_step = {s.step: s for s in outcome.steps}
    assert by_step["prior_auth"].status == "not applicable"
    assert by_step["frequency"].status == "not applicable"


def test_next_steps_are_practical():
    def steps(name_or_changes):
        o = evaluate(preset(name_or_changes)) if isinstance(name_or_changes, str) else run(name_or_changes)
        return " ".join(o.next_steps)

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


def test_summary_text_names_decision_reason_and_dollars():
    from medspa_kit.explain import summary

    text = summary(evaluate(preset("botox-forehead-lines")))
    assert "Decision:  Denied (in network)" in text
    assert "PR 204 Not a covered benefit (patient responsibility)" in text
    assert "Patient pays" in text and "$480.00" in text
