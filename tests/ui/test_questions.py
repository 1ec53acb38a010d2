"""Quiz feedback explains the thing asked: the HSA rule, the arithmetic, or the check that decided."""

from __future__ import annotations

import pytest

from medspa_kit.ui.questions import deferred_question, engine_question

HSA = ["eligible", "eligible with a letter of medical necessity", "not eligible"]


def test_a_dollar_question_is_explained_by_the_arithmetic():
    q = engine_question("patient pays?", "botox-underarm-sweating", "patient_pays", ["$385.20", "$1,100.00"])
    why = q.explain()
    # allowed 726.00; deductible left 1,500 − 1,200 = 300.00; coinsurance 20 % × (726 − 300) = 85.20;
    # patient 300 + 85.20 = 385.20; plan 726 − 385.20 = 340.80; write-off 1,100 − 726 = 374.00
    assert "charge $1,100.00 = plan pays $340.80 + patient pays $385.20 + clinic writes off $374.00" in why
    assert "deductible $300.00 + coinsurance $85.20 + copay $0.00 = $385.20" in why
    assert "$726.00 − $385.20 = $340.80" in why


def test_an_hsa_question_is_explained_by_publication_502():
    q = engine_question("HSA?", "botox-forehead-lines", "hsa_fsa", HSA)
    assert q.right_choice() == "not eligible"
    assert q.explain() == ("HSA/FSA: not eligible — Z41.1 marks a cosmetic visit: cosmetic care is not a medical "
                           "expense. The rule: an HSA or FSA pays for medical care as IRS Publication 502 defines it; "
                           "the entry that decides here: IRS Publication 502 (Cosmetic Surgery: not a medical expense).")


def test_no_hsa_question_when_the_patient_owes_nothing():
    # CO B7: the clinic absorbs the charge, the patient owes $0 — "pay from an HSA?" has a false premise
    q = engine_question("HSA?", "uncredentialed-np", "hsa_fsa", HSA)
    with pytest.raises(ValueError, match="the patient owes nothing"):
        q.right_choice()


def test_a_decision_is_explained_by_the_check_that_decided_with_whole_sources():
    why = engine_question("who?", "uncredentialed-np", "who_absorbs", ["the patient", "the clinic"]).explain()
    assert "The check that decided: Rendering provider credentialed with the payer" in why
    assert "CO (contractual obligation): the clinic writes it off" in why
    why = engine_question("reason?", "botox-forehead-lines", "reason", ["PR 204"]).explain()
    assert why.endswith("Z41.1 is the cosmetic encounter code used for cosmetic intent).")  # the bracket closes


def test_a_covered_answer_is_explained_too():
    q = engine_question("decision?", "botox-underarm-sweating", "decision", ["covered", "denied"])
    _, feedback = q.check("covered")
    assert feedback.startswith("✓ Right. covered — every check passed: the plan pays $340.80")


def test_a_deferred_question_says_yes_or_no_and_the_interest():
    q = deferred_question("paid off?", amount=3000, apr=0.3299, promo_months=12, payment=240)
    # 3,000 / 12 = 250 a month clears it; 240 does not: the worked example adds 554.25 (test_payments)
    assert q.explain() == ("No: $240.00 a month leaves a balance when month 12 ends, so $554.25 of deferred interest "
                           "is added at once (clearing it in time takes $250.00 a month).")
