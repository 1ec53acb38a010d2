"""The explorer driven programmatically: set a widget's value, read the state and the views."""

from __future__ import annotations

import html

from medspa_kit import evaluate, preset
from medspa_kit.ui.explorer import ScenarioExplorer


def test_flipping_the_diagnosis_flips_the_decision_and_the_dollars():
    ex = ScenarioExplorer(preset="botox-underarm-sweating")
    # Preset: 64650 charge $1,100, fee schedule $726, deductible $1,500 with $1,200 met, 20 %:
    # ded 300 + 0.2 x (726 - 300) = 85.20 -> the patient pays $385.20.
    assert ex.outcome.decision == "covered" and ex.outcome.cost.patient_pays == 385_20
    ex.controls["diagnoses"].value = "Z41.1"
    assert (ex.outcome.primary_reason.group, ex.outcome.primary_reason.carc) == ("PR", "204")
    assert ex.outcome.cost.patient_pays == 1100_00  # PR 204: the whole charge
    assert "Denied" in ex.decision.value and "PR 204" in ex.decision.value
    ex.controls["diagnoses"].value = "L74.510 — Excessive sweating of the underarms (primary)"
    assert ex.outcome.decision == "covered"
    # the explorer shows what the engine says for the same scenario
    expected = evaluate(preset("botox-underarm-sweating").with_changes({"diagnoses": ["L74.510"]}))
    assert ex.outcome.cost == expected.cost
    assert ex.state.changed == ("diagnosis Z41.1 → L74.510: denied PR 204 → covered, "
                                "patient pays $1,100.00 → $385.20")
    assert "$385.20" in ex.dollars.value and "Patient pays" in ex.dollars.value
    assert "denied PR 204 → covered" in ex.changed.value


def test_hmo_out_of_network_is_pr_242():
    ex = ScenarioExplorer(preset="botox-underarm-sweating")
    ex.controls["plan"].value = "hmo-local"
    # An HMO needs the primary care doctor's referral for a specialist: none on file is CO 288.
    assert (ex.outcome.decision, ex.outcome.primary_reason.label) == ("denied", "CO 288")
    ex.state.apply({"documentation.referral": True})
    assert ex.outcome.decision == "covered"
    ex.controls["facility.participating"].value = False
    assert (ex.outcome.primary_reason.group, ex.outcome.primary_reason.carc) == ("PR", "242")
    assert ex.outcome.network == "out"
    assert "PR 242" in ex.decision.value


def test_ppo_out_of_network_shows_a_balance_bill():
    ex = ScenarioExplorer(preset="botox-underarm-sweating")
    ex.controls["facility.participating"].value = False
    # OON: allowed = 726 x 1.0; balance bill 1100 - 726 = 374 (the OON deductible takes the rest).
    assert ex.outcome.network == "out" and ex.outcome.cost.balance_bill == 374_00
    assert "$374.00" in ex.dollars.value


def test_a_header_code_shows_an_inline_message_and_keeps_the_last_result():
    ex = ScenarioExplorer(preset="botox-underarm-sweating")
    before = ex.outcome
    ex.controls["diagnoses"].value = "L74.5"
    assert ex.outcome is before
    assert "not billable" in ex.state.message and "L74.5" in ex.state.message
    assert "not billable" in ex.message.value and "last good result" in ex.message.value
    ex.controls["diagnoses"].value = "L74.510"
    assert ex.state.message == "" and ex.message.value == ""


def test_a_negative_or_unreadable_price_shows_an_inline_message():
    ex = ScenarioExplorer(preset="botox-forehead-lines")
    ex.controls["service.charge"].value = "-5"
    assert ex.state.message == "The charge: -5 is negative"  # the field in plain words
    ex.controls["service.charge"].value = "five hundred"
    assert ex.state.message == "The charge: 'five hundred' is not a number"
    assert ex.outcome.cost.charge == 480_00
    ex.controls["service.charge"].value = "$500"
    assert ex.state.message == "" and ex.outcome.cost.patient_pays == 500_00


def test_changes_from_code_are_read_once_and_a_mapping_that_fails_is_a_message():
    # apply read the changes through items(), then asked the caller's object for its len() and
    # its first key: a Mapping whose __iter__ or __len__ raised let that exception out
    from collections.abc import Mapping

    class Changes(Mapping):
        def __init__(self, pairs, fails):
            self.pairs, self.fails = pairs, fails

        def items(self):
            if self.fails == "items":
                raise LookupError("items fail")
            return list(self.pairs.items())

        def __getitem__(self, key):
            return self.pairs[key]

        def __iter__(self):
            raise LookupError("iteration fails")

        def __len__(self):
            if self.fails == "len":
                raise LookupError("len fails")
            return len(self.pairs)

    ex = ScenarioExplorer(preset="botox-forehead-lines")
    for fails in ("iter", "len"):  # items() works: the change is made, as from a dict
        ex.state.reset(preset("botox-forehead-lines"))
        assert ex.state.apply(Changes({"service.charge": 500}, fails)) is True
        # (no charge given: the catalog price, $480.00, is the one it had)
        assert ex.state.changed.startswith("charge $480.00 → $500.00: still denied PR 204")
        assert ex.outcome.cost.charge == 500_00
    before = ex.outcome
    assert ex.state.apply(Changes({"service.charge": 600}, "items")) is False
    assert ex.outcome is before and "LookupError: items fail" in ex.state.message


def test_numbers_from_code_and_the_prices_the_catalog_gave_are_shown_as_used():
    # set() turned a number given from code into text: Fraction(2001, 2) was "'2001/2' is not a
    # number"; and "what changed" said "fee schedule none" when the catalog's $726.00 was used
    from decimal import Decimal
    from fractions import Fraction

    ex = ScenarioExplorer(preset="botox-underarm-sweating")
    assert ex.set("service.charge", Fraction(2001, 2)) and ex.outcome.cost.charge == 1000_50
    assert ex.state.changed.startswith("charge $1,100.00 → $1,000.50")
    assert ex.set("accumulators.deductible_met", Decimal("1200.50")) and ex.state.message == ""
    assert not ex.set("service.charge", float("nan")) and ex.state.message == "The charge: nan is not a number"
    ex.state.reset(preset("botox-underarm-sweating"))
    assert ex.set("service.fee_schedule", 100)
    # 64650's fee schedule, $726.00, allowed in full before (deductible $300 left, then 20 %)
    assert ex.state.changed.startswith("fee schedule $726.00 → $100.00: still covered, "
                                       "patient pays $385.20 → $100.00")
    ex.state.reset(preset("botox-forehead-lines"))  # a cash-only service: no fee schedule in the catalog
    assert ex.set("service.fee_schedule", 100) and ex.state.changed.startswith("fee schedule none → $100.00")


def test_picking_a_preset_syncs_every_control():
    ex = ScenarioExplorer(preset="botox-underarm-sweating")
    ex.controls["preset"].value = "uncredentialed-np"
    assert ex.controls["provider.credentialed"].value is False
    assert ex.outcome.primary_reason.carc == "B7"
    ex.controls["provider.credentialed"].value = True
    assert ex.outcome.decision == "covered"
    assert ex.state.changed.startswith("provider credentialed no → yes: denied CO B7 → covered")


def test_only_the_controls_asked_for_are_shown_and_classes_follow_the_contract():
    ex = ScenarioExplorer(preset="botox-forehead-lines", controls=["diagnoses", "facility.participating"])
    assert list(ex.controls) == ["diagnoses", "facility.participating"]
    assert "medspa-control-diagnoses" in ex.controls["diagnoses"]._dom_classes
    assert "medspa-control-facility-participating" in ex.controls["facility.participating"]._dom_classes
    assert "medspa-explorer" in ex._dom_classes
    assert repr(ex) == "ScenarioExplorer(preset='botox-forehead-lines')"


def test_lines_can_be_added_removed_and_changed():
    from medspa_kit.ui.explorer import ScenarioExplorer

    e = ScenarioExplorer("botox-underarm-sweating")
    # The one-service visit becomes a claim with lines: the injection and 100 units of the drug.
    # 300.00 of the deductible left: 75.00 on the injection, 225.00 + 20 % × 426.00 = 310.20 on the
    # drug: 385.20, what the one-line visit cost.
    assert e.set("lines", "64650; J0585 x100")
    assert [line.label for line in e.outcome.lines] == ["64650", "J0585 ×100"]
    assert e.outcome.cost.patient_pays == 385_20
    assert e.controls["service.code"].layout.display == "none"
    assert e.controls["service.charge"].layout.display == "none"  # each line is charged on its own
    assert "medspa-lines" in e.dollars.value
    # 1,000 units is more than the 400 a day: that line is denied CO 151, the injection alone is paid.
    assert e.set("lines", "64650; J0585 x1000")
    assert e.outcome.decision == "partly_covered" and e.outcome.lines[1].reason.label == "CO 151"
    assert "covered → partly covered CO 151" in e.state.changed
    # A line removed; bad text keeps the last good claim and says why.
    assert e.set("lines", "64650")
    assert len(e.outcome.lines) == 1
    assert not e.set("lines", "64650; J0585 x100 ZZ")
    assert e.state.message.startswith("Line 2's first modifier: 'ZZ' is not a modifier")
    assert len(e.outcome.lines) == 1


def test_the_payer_picker_changes_whose_rules_apply():
    ex = ScenarioExplorer(preset="botox-underarm-sweating")
    ex.controls["documentation.criteria"].value = ("severe-sweating-6-months", "failed-topical-aluminium-chloride")
    ex.controls["payer"].value = "aetna"
    assert ex.outcome.decision == "covered"
    ex.controls["payer"].value = "bcbs-north-dakota"
    assert ex.outcome.primary_reason.label == "CO 50"
    assert ex.state.changed.startswith("payer aetna → bcbs-north-dakota: covered → denied CO 50")
    # Original Medicare brings its own plan, and a commercial plan brings back the plan's own payer
    ex.controls["payer"].value = "medicare"
    assert ex.scenario.plan.type.value == "MEDICARE" and ex.controls["plan"].value == "medicare-part-b"
    ex.controls["plan"].value = "ppo-standard"
    assert ex.scenario.payer is None and ex.controls["payer"].value == "generic-commercial"


def test_no_criteria_picked_means_the_flag_decides():
    ex = ScenarioExplorer(preset="blue-plan-hyperhidrosis")
    assert ex.controls["documentation.criteria"].value == ("severe-sweating-6-months",
                                                           "failed-topical-aluminium-chloride")
    assert ex.outcome.primary_reason.label == "CO 50"
    ex.controls["documentation.criteria"].value = ()
    assert ex.scenario.documentation.criteria is None and ex.outcome.decision == "covered"


def test_messages_name_fields_in_plain_words():
    from medspa_kit.ui.state import plain_field, plain_message

    assert plain_field("diagnoses[0]") == "the first diagnosis"
    assert plain_field("lines[1].modifiers[0]") == "line 2's first modifier"
    assert plain_field("lines[0].units") == "line 1's units"
    assert plain_field("accumulators.history[2].date") == "earlier service 3's date"
    assert plain_field("service.charge") == "the charge"
    assert plain_message("diagnoses[0]: 'L74.5' (Focal hyperhidrosis) is a category, not billable") == \
        "The first diagnosis: 'L74.5' (Focal hyperhidrosis) is a category, not billable"
    assert plain_message("at most 6 scenarios side by side: remove one first") == \
        "at most 6 scenarios side by side: remove one first"  # names no field: unchanged


def test_the_service_dropdown_lists_each_code_once_under_one_name():
    """64650, 64615, 64612, 64616 and G0429 each name a whole visit and an injection-only claim line
    (procedures.csv); the dropdown offers the visit once, and every entry is a service it can pick."""
    from collections import Counter

    from medspa_kit.catalog import default_catalog

    cat = default_catalog()
    ex = ScenarioExplorer(preset="botox-underarm-sweating")
    options = list(ex.controls["service.code"].options)
    codes = Counter(label.split(" — ")[0] for label, _ in options if not label.startswith("no code"))
    assert [code for code, n in codes.items() if n > 1] == []
    assert len({label for label, _ in options}) == len(options)
    for code in ("64650", "64615", "64612", "64616", "G0429"):
        assert [label for label, value in options if value == code] == [
            f"{code} — {cat.procedure(code).name}"]
    for label, value in options:  # each entry is a whole visit the engine evaluates
        ex.controls["service.code"].value = value
        assert ex.message.value == "", (label, ex.message.value)
        assert cat.procedure(value) is not None and ex.state.scenario.service.code == value, label


def test_choosing_medi_cal_brings_medi_cals_own_plan_and_no_ppo_cost_sharing():
    # Underarm Botox, criteria met: under the Standard PPO a fresh year costs the patient the
    # deductible and coinsurance; Medi-Cal members pay nothing for a covered service (plans.csv row
    # medi-cal-managed-care, DHCS member handbook), so the patient pays $0.00.
    ex = ScenarioExplorer(preset="botox-underarm-sweating")
    ex.controls["documentation.criteria"].value = ("severe-sweating-6-months", "failed-topical-aluminium-chloride")
    ex.controls["payer"].value = "medi-cal"
    assert ex.controls["plan"].value == "medi-cal-managed-care"
    assert ex.scenario.plan.deductible == 0 and ex.scenario.plan.coinsurance == 0
    assert ex.outcome.cost.patient_pays == 0.0
    # back to a commercial payer: the commercial plan returns
    ex.controls["payer"].value = "aetna"
    assert ex.controls["plan"].value == "ppo-standard"
    # picking the Medi-Cal plan brings its payer
    ex.controls["plan"].value = "medi-cal-managed-care"
    assert ex.scenario.payer == "medi-cal" and ex.controls["payer"].value == "medi-cal"


def test_dropping_the_jw_line_says_what_the_clinic_loses_and_units_read_as_words():
    """Migraine claim: 64615 ($130 plan + $40 copay), J0585 ×155 ($1,009.05) and J0585-JW ×45
    ($292.95): the clinic is paid 130 + 40 + 1,009.05 + 292.95 = $1,472.00. Dropping the JW line
    leaves the claim covered and the patient at $40.00, but the clinic at $1,179.05."""
    ex = ScenarioExplorer(preset="migraine-claim-with-discarded-units")
    ex.controls["lines"].value = "64615; J0585 x155"
    assert "still covered, patient still pays $40.00" in ex.state.changed
    assert "the clinic is paid $1,472.00 → $1,179.05" in ex.state.changed
    ex.controls["lines"].value = "64615; J0585 x500"
    units = next(s for s in ex.outcome.steps if s.step == "units" and s.status == "fail")
    assert "500 billing units, each 1 unit of onabotulinumtoxinA" in units.finding
    assert "units of 1 unit" not in units.finding


def test_every_control_shows_the_scenario_after_a_change_made_from_code():
    e = ScenarioExplorer(preset="botox-underarm-sweating")
    assert e.set("provider.type", "PA") and e.controls["provider.type"].value == "PA"
    assert e.set("documentation.criteria", ["severe-primary-sweating"])
    assert e.controls["documentation.criteria"].value == ("severe-primary-sweating",)
    assert e.set("provider.credentialed", False) and e.controls["provider.credentialed"].value is False
    assert e.set("plan.deductible", "$1,100")  # no control of its own: the plan is no longer a listed one
    assert e.controls["plan"].value == "scenario"
    assert e.set("accumulators.deductible_met", "$250") and e.controls["accumulators.deductible_met"].value == "250.00"
    # a refused value leaves the controls on the last good scenario and says why
    assert not e.set("provider.type", "XX") and e.controls["provider.type"].value == "PA"
    assert "'XX' is not one of" in e.state.message


def test_a_service_field_on_a_claim_with_lines_says_the_lines_hold_the_charge():
    e = ScenarioExplorer(preset="migraine-claim-with-discarded-units")
    before = e.outcome
    assert not e.set("service.charge", "$1,100.50")
    message = html.unescape(e.message.value)
    assert "The charge: '$1,100.50' not applied: this claim has lines (64615; J0585 x155; J0585-JW x45)" in message
    assert "the catalog's price per unit × its units" in message and "required field" not in message
    assert e.outcome is before  # the last result stays
    assert not e.set("service.code", "64650")
    assert "change the services in Claim lines" in html.unescape(e.message.value)
    assert e.outcome is before
