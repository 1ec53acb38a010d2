"""The presets named in the core-engine acceptance list behave as the rules say."""

from medspa_kit import evaluate, preset, preset_names


def test_at_least_ten_presets_including_the_named_ones():
    names = set(preset_names())
    required = {
        "botox-forehead-lines", "botox-underarm-sweating", "botox-chronic-migraine", "laser-port-wine-stain",
        "peel-actinic-keratosis", "laser-hair-removal", "weight-loss-program", "filler-hiv-lipodystrophy",
        "out-of-network-ppo", "uncredentialed-np",
    }
    assert required <= names
    assert len(names) >= 10


def test_forehead_lines_is_a_cosmetic_exclusion():
    outcome = evaluate(preset("botox-forehead-lines"))
    assert outcome.decision == "denied"
    assert (outcome.primary_reason.group, outcome.primary_reason.carc) == ("PR", "204")
    # Denied PR: the patient owes the whole charge, the catalog's cash price of $480.00.
    assert outcome.cost.patient_pays == 480_00


def test_underarm_sweating_is_covered():
    outcome = evaluate(preset("botox-underarm-sweating"))
    assert outcome.decision == "covered"
    assert outcome.primary_reason is None


def test_uncredentialed_np_is_co_b7_and_patient_owes_nothing():
    outcome = evaluate(preset("uncredentialed-np"))
    assert outcome.decision == "denied"
    assert (outcome.primary_reason.group, outcome.primary_reason.carc) == ("CO", "B7")
    assert outcome.cost.patient_pays == 0
    # CO: the clinic absorbs the whole $1,100.00 charge.
    assert outcome.cost.provider_writeoff == 1100_00
