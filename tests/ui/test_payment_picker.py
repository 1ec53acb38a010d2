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


def test_a_scenario_switch_puts_back_the_last_good_monthly_payment():
    """The box kept a rejected "-5" after a switch while its message was cleared: the table was
    computed with the last good $25, so the box must say $25 again."""
    picker = PaymentPicker("botox-forehead-lines")
    picker.budget.value = "$25"
    assert picker.message.value == ""
    picker.budget.value = "-5"
    assert picker.message.value  # refused, and the $25 table kept
    picker.scenario.value = "laser-hair-removal"
    assert picker.message.value == "" and picker.budget.value == "$25"
    assert picker.options.monthly_budget == 25.0


def test_a_patient_who_owes_nothing_is_told_so_without_a_payment_table():
    """acne-light-therapy: CO 50 in network, the clinic writes it off and the patient owes $0.00;
    no "$0.00 a month for 0 months" table and no way-to-pay controls."""
    picker = PaymentPicker("acne-light-therapy")
    assert picker.outcome.cost.patient_pays == 0
    assert "owes nothing" in picker.detail.value and "<table>" not in picker.detail.value
    assert "0 months" not in picker.detail.value
    assert picker.way.layout.display == "none" and picker.budget.layout.display == "none"
    picker.scenario.value = "botox-forehead-lines"  # $480 owed: the controls come back
    assert picker.way.layout.display is None and "$480.00 once" in picker.detail.value
