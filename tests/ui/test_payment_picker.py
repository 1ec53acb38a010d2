"""The payment-option picker on scenarios the plan does not (fully) pay."""

from __future__ import annotations

from medspa_kit.ui.payments import PaymentPicker


def test_cosmetic_scenario_refuses_the_hsa_and_shows_the_card_math():
    picker = PaymentPicker("botox-forehead-lines")
    assert "$480.00" in picker.owed.value and "not eligible" in picker.owed.value
    options = [label for label, _ in picker.way.options]
    hsa = next(i for i, label in enumerate(options) if label.startswith("pay from an HSA"))
    picker.way.value = hsa
    assert "Not available" in picker.detail.value and "cosmetic" in picker.detail.value
    twelve = next(i for i, label in enumerate(options) if "12 months" in label)
    picker.way.value = twelve
    # $480 / 12 = $40 a month (above the card's $30 minimum), cleared inside the promotion
    assert "$40.00 a month for 12 months" in picker.detail.value and "no interest" in picker.detail.value


def test_covered_scenario_with_a_deductible_saves_tax_through_the_hsa():
    picker = PaymentPicker("peel-actinic-keratosis")
    # HDHP, deductible unmet: the patient owes the whole $520.78 allowed amount
    assert "$520.78" in picker.owed.value and "eligible" in picker.owed.value
    picker.way.value = 1  # pay from an HSA (payroll): 34.65 % x 520.78 = 180.4503 -> $180.45 saved
    assert "$180.45" in picker.detail.value and "$340.33" in picker.detail.value


def test_a_message_about_bad_input_goes_when_another_scenario_is_computed():
    picker = PaymentPicker("botox-forehead-lines")
    picker.budget.value = "forty"
    assert "monthly payment" in picker.message.value and "forty" in picker.message.value
    picker.scenario.value = "laser-hair-removal"  # a successful recompute
    assert picker.message.value == ""
    assert "$300.00" in picker.owed.value  # laser hair removal: PR 204, the whole $300 charge
    picker.budget.value = "$25"  # good input after bad also clears it
    assert picker.message.value == ""
