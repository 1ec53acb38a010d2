"""The clinic decision model, on visits small enough to work out by hand.

The medical visit: Botox for underarm sweating (64650) on 2 March 2026 at a med spa (POS 11),
catalog charge $1,100.00 and fee schedule $726.00, a credentialed NP, the Standard PPO
(deductible $1,500 with $1,200 met, 20 % coinsurance, OOP max $5,000 with $1,200 met; out of
network $3,000 deductible, nothing met, 40 %, 100 % of the fee schedule).
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from medspa_kit import clinic
from medspa_kit.catalog import default_catalog, load_catalog
from medspa_kit.clinic import Assumptions, compare, default_assumptions, fee_share_of_cash, sensitivity
from medspa_kit.columns import scenarios_to_frame
from medspa_kit.errors import DatasetError, ScenarioError

BASE = Assumptions(lead_months=0, admin_cost_per_claim=12.0, cash_uptake=0.5, fee_schedule_scale=1.0)


def visit(code="64650", diagnoses=("L74.510",), plan_id="ppo-standard", **service):
    return {
        "date_of_service": "2026-03-02",
        "service": {"code": code, **service},
        "diagnoses": list(diagnoses),
        "documentation": {"criteria_documented": True, "prior_auth": True},
        "provider": {"type": "NP", "npi": "1593027489", "credentialed": True},
        "facility": {"kind": "med_spa", "place_of_service": "11", "credentialed": False, "participating": False},
        "plan": default_catalog().plan(plan_id),
        "accumulators": {"deductible_met": 1200.0, "oop_met": 1200.0},
    }


def visits(*items, plans=None):
    frame = scenarios_to_frame(items)
    frame["plan_id"] = plans or ["ppo-standard"] * len(items)
    return frame


def total(result, strategy, measure):
    t = result.totals.set_index("strategy")
    return t.loc[strategy, measure]


def test_credentialed_in_network_against_cash_pay():
    r = compare(visits(visit()), BASE)
    # In network: allowed 726.00; deductible left 300.00; coinsurance 20 % of 426.00 = 85.20; the clinic
    # writes off 1,100.00 - 726.00 = 374.00 and keeps 726.00, less 12.00 for the claim = 714.00.
    assert total(r, "credentialed", "revenue") == 726.00
    assert total(r, "credentialed", "write_off") == 374.00
    assert total(r, "credentialed", "patient_oop") == 385.20
    assert total(r, "credentialed", "plan_pays") == 340.80
    assert total(r, "credentialed", "net_revenue") == 714.00
    # Cash: the patient pays 1,100.00; a superbill brings back nothing (726.00 all goes to the unmet
    # $3,000 out-of-network deductible). The plan would cover it in network, so half the visit happens
    # (cash_uptake 0.5): revenue 550.00, visits 0.5.
    assert total(r, "cash_pay", "revenue") == 550.00
    assert total(r, "cash_pay", "patient_oop") == 550.00
    assert total(r, "cash_pay", "visits") == 0.5 and total(r, "cash_pay", "claims") == 0
    assert r.difference["net_revenue"] == 164.00  # 714.00 - 550.00


def test_during_the_lead_time_claims_go_out_of_network():
    r = compare(visits(visit()), BASE.with_changes(lead_months=3))
    # March is within the first 3 months: out of network, so like cash pay (half the visit, 550.00), but the
    # clinic files the claim: half a claim at 12.00 = 6.00.
    assert total(r, "credentialed", "revenue") == 550.00
    assert total(r, "credentialed", "admin_cost") == 6.00
    assert total(r, "credentialed", "net_revenue") == 544.00
    assert r.by_month.query("strategy == 'credentialed'")["month"].tolist() == [3]


def test_an_uncredentialed_clinician_during_the_lead_time_is_co_b7():
    r = compare(visits(visit()), BASE.with_changes(lead_months=3, pending="not_credentialed"))
    # In network but the NP is not credentialed yet: CO B7, the clinic absorbs the whole 1,100.00.
    assert total(r, "credentialed", "revenue") == 0
    assert total(r, "credentialed", "write_off") == 1100.00
    assert total(r, "credentialed", "net_revenue") == -12.00
    assert total(r, "credentialed", "patient_oop") == 0
    denial = r.denials.query("strategy == 'credentialed'").iloc[0]
    assert (denial.reason_group, denial.reason_carc, denial.visits, denial.clinic_absorbs) == ("CO", "B7", 1.0, 1100.0)


def test_cosmetic_care_is_the_same_under_both_and_files_no_claim():
    r = compare(visits(visit("botox-cosmetic", ("Z41.1",))), BASE)
    # PR 204: the patient pays the catalog's 480.00 either way; no claim, no admin cost.
    for strategy in ("cash_pay", "credentialed"):
        assert total(r, strategy, "revenue") == 480.00
        assert total(r, strategy, "claims") == 0 and total(r, strategy, "visits") == 1


def test_the_fee_schedule_scale_changes_what_the_plan_allows():
    r = compare(visits(visit()), BASE.with_changes(fee_schedule_scale=0.5))
    # Fee schedule 726.00 × 0.5 = 363.00: deductible 300.00, coinsurance 20 % of 63.00 = 12.60, the plan pays
    # 50.40 and the clinic keeps 363.00.
    assert total(r, "credentialed", "revenue") == 363.00
    assert total(r, "credentialed", "patient_oop") == 312.60
    assert total(r, "credentialed", "plan_pays") == 50.40


def test_the_plan_mix_reweights_the_visits():
    items = (visit("botox-cosmetic", ("Z41.1",)), visit("botox-cosmetic", ("Z41.1",), plan_id="hmo-local",
                                                        charge=200.0))
    frame = visits(*items, plans=["ppo-standard", "hmo-local"])
    r = compare(frame, BASE.with_changes(plan_mix={"ppo-standard": 3, "hmo-local": 1}))
    # Seen 1:1, wanted 3:1 -> weights 1.5 and 0.5: revenue 1.5 × 480.00 + 0.5 × 200.00 = 820.00.
    assert total(r, "cash_pay", "revenue") == 820.00 and total(r, "cash_pay", "visits") == 2.0
    with pytest.raises(ScenarioError, match="^plan_mix: no visits on plan 'epo-basic'"):
        compare(frame, BASE.with_changes(plan_mix={"epo-basic": 1}))


def test_sensitivity_over_the_lead_time():
    table = sensitivity(visits(visit()), "lead_months", [0, 3], BASE)
    credentialed = table.query("strategy == 'credentialed'")
    assert credentialed["net_revenue"].tolist() == [714.00, 544.00]  # the two cases worked out above
    assert table.query("strategy == 'cash_pay'")["net_revenue"].tolist() == [550.00, 550.00]
    assert list(table.columns[:3]) == ["parameter", "value", "strategy"]


def test_invalid_visits_are_listed_and_left_out():
    bad = visit()
    bad["plan"] = {**bad["plan"], "coinsurance": 1.5}
    r = compare(visits(visit(), bad), BASE)
    assert r.errors["visit"].tolist() == [1]
    assert r.errors["error"].iloc[0].startswith("plan.coinsurance: 1.5 is not a rate")
    assert total(r, "credentialed", "revenue") == 726.00
    assert r.errors["row"].tolist() == [2]
    from medspa_kit.report import clinic_verdict

    assert clinic_verdict(r).endswith(" 1 of 2 visits could not be read and are left out of every figure (row 2 of "
                                      "the visits: " + r.errors["error"].iloc[0] + ").")
    with pytest.raises(ScenarioError, match=r"^visits: none of the 2 visits can be read \(row 1: plan.coinsurance: 1.5"):
        compare(visits(bad, bad), BASE)
    from medspa_kit.ui.clinic import ClinicDecision

    with pytest.raises(ScenarioError, match="^visits: none of the 2 visits can be read"):
        ClinicDecision(visits(bad, bad), charts=False)
    assert "1 of 2 visits could not be read" in ClinicDecision(visits(visit(), bad), charts=False).verdict.value


def test_default_assumptions_come_from_the_dataset_with_sources():
    a = default_assumptions()
    assert (a.lead_months, a.pending, a.plan_mix) == (4, "out_of_network", None)
    sources = clinic.assumption_sources()
    assert set(sources.index) == {"lead_months", "admin_cost_per_claim", "cash_uptake", "fee_schedule_scale",
                                  "paperwork"}
    assert a.paperwork == 0.0
    assert sources["source"].str.len().min() > 0
    assert sources.loc["lead_months", "source"].startswith("Midwest Credentialing Consultants (commercial credentialing")


def test_a_bad_assumptions_file_names_file_row_and_column(tmp_path):
    folder = tmp_path / "datasets"
    shutil.copytree(default_catalog().folder, folder, ignore=shutil.ignore_patterns("sample_visits.csv"))
    path = folder / "clinic_assumptions.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("lead_months,4,", "lead_months,15,"), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"^clinic_assumptions.csv, row 2, column value: lead_months: 15 is not"):
        default_assumptions(load_catalog(folder))


@pytest.mark.parametrize("changes,message", [
    ({"lead_months": 13}, "lead_months: 13 is not a whole number of months from 0 to 12"),
    ({"cash_uptake": 1.5}, "cash_uptake: 1.5 is not a rate between 0 and 1"),
    ({"pending": "soon"}, "pending: 'soon' is not 'out_of_network' or 'not_credentialed'"),
    ({"colour": 1}, "colour: unknown assumption"),
])
def test_bad_assumptions_name_the_field(changes, message):
    with pytest.raises(ScenarioError, match="^" + message):
        BASE.with_changes(**changes)


def test_the_sample_year_runs_without_errors():
    r = compare(clinic.load_visits())
    assert r.errors.empty
    assert set(r.by_month["month"]) == set(range(1, 13))
    assert (r.totals["visits"] > 5000).all()


def test_the_batch_path_and_the_clinic_model_stay_in_the_pure_core():
    import subprocess
    import sys

    script = ("import medspa_kit.batch, medspa_kit.clinic, medspa_kit.cli_batch, sys\n"
              "print(' '.join(m for m in ('ipywidgets', 'matplotlib', 'simple_icd_10_cm') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd="/")
    assert out.stdout.split() == []


def test_every_measure_has_a_meaning():
    assert set(clinic.MEANINGS) == set(clinic.MEASURES)
    assert all("dollars" in clinic.MEANINGS[m] for m in clinic.MEASURES if m not in ("visits", "claims"))


def test_paperwork_turns_missing_documentation_denials_into_paid_claims():
    """A prior-authorization workflow: the same visits with criteria and authorization on file."""
    visits = clinic.load_visits()
    as_is = compare(visits, paperwork=0.0)
    caught = compare(visits, paperwork=1.0)

    def absorbed(result, carc):
        d = result.denials
        rows = d[(d["strategy"] == "credentialed") & (d["reason_carc"] == carc) & (d["reason_group"] == "CO")]
        return float(rows["clinic_absorbs"].sum())

    assert absorbed(as_is, "197") > 0 and absorbed(caught, "197") == 0
    # Frequency is not paperwork: no frequency denial goes away, and visits that used to stop at the
    # criteria or authorization check (necessity, prior_auth) now reach the frequency check and may fail it.
    assert absorbed(caught, "151") >= absorbed(as_is, "151") > 0
    # Cash pay does not depend on the credentialed clinic's paperwork.
    assert caught.totals.iloc[0]["net_revenue"] == as_is.totals.iloc[0]["net_revenue"]
    assert caught.totals.iloc[1]["net_revenue"] > as_is.totals.iloc[1]["net_revenue"]
    with pytest.raises(ScenarioError, match=r"^paperwork: 1.5 is not a rate"):
        compare(visits, paperwork=1.5)


def test_the_winner_and_the_costliest_denial():
    # One covered visit: credentialed keeps 714.00 against 550.00 cash (worked above): credential.
    assert compare(visits(visit()), BASE).winner == "credentialed"
    # At 4 months' lead time the March visit goes out of network (544.00, worked above) while cash
    # keeps 550.00: stay cash-pay.
    assert compare(visits(visit()), BASE.with_changes(lead_months=3)).winner == "cash_pay"
    # Two visits in network without prior authorization (CO 197, 1,100.00) and one without criteria
    # documented (CO 50, 1,100.00 + 1,100.00): the clinic absorbs most under CO 50.
    no_auth = visit()
    no_auth["documentation"] = {"criteria_documented": True, "prior_auth": False}
    no_criteria = visit()
    no_criteria["documentation"] = {"criteria_documented": False, "prior_auth": True}
    r = compare(visits(no_auth, no_criteria, no_criteria), BASE)
    assert r.costliest_denial() == "CO 50"
    assert r.costliest_denial(group="PR") == "none"


def test_describe_visits_counts_visits_patients_and_insurers():
    frame = visits(visit(), visit(), visit())
    frame["patient_id"] = ["p1", "p1", "p2"]
    frame["insurer"] = ["Cascade Mutual", "Cascade Mutual", "Cascade Mutual"]
    assert clinic.describe_visits(frame) == "3 visits, 2 patients, 1 insurers"


def test_assumptions_may_be_a_dict_of_changes_and_nothing_else():
    few = visits(visit())
    assert compare(few, {"lead_months": 6}).assumptions.lead_months == 6
    with pytest.raises(ScenarioError, match=r"^x: unknown assumption \(allowed: admin_cost_per_claim"):
        compare(few, {"x": 1})
    with pytest.raises(ScenarioError, match=r"^assumptions: expected Assumptions .* got int$"):
        compare(few, 5)


@pytest.mark.parametrize("values, words", [([], "is empty"), ((v for v in ()), "is empty"), ("0.5", "expected a list"),
                                           (0.5, "expected a list")])
def test_sensitivity_needs_a_list_of_values(values, words):
    with pytest.raises(ScenarioError, match=words) as err:
        sensitivity(visits(visit()), "cash_uptake", values, BASE)
    assert err.value.field == "values"


@pytest.mark.parametrize("value", [float("nan"), "half", None, 1.5])
def test_sensitivity_refuses_a_value_that_is_no_value_of_the_parameter(value):
    with pytest.raises(ScenarioError) as err:
        sensitivity(visits(visit()), "cash_uptake", [0.5, value], BASE)
    assert err.value.field == "cash_uptake"


@pytest.mark.parametrize("scale", [-1, float("nan"), float("inf"), 1001, "1", True, None])
def test_fee_share_of_cash_refuses_a_scale_that_is_no_multiple(scale):
    with pytest.raises(ScenarioError, match="not a number from 0 to 1000") as err:
        fee_share_of_cash(visits(visit()), scale=scale)
    assert err.value.field == "scale"


def test_fee_share_of_cash_reads_a_numpy_scale_as_the_number():
    # 64650: fee schedule 726.00 (allowed in network above), cash price 1,100.00
    assert fee_share_of_cash(visits(visit()), scale=np.float64(0.5)) == pytest.approx(363 / 1100)
    assert fee_share_of_cash(visits(visit()), scale=0) == 0.0
