"""Trainees meet the kit in a browser: run the notebooks in a real JupyterLab and flip widgets."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import ROOT, run_all, shot

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


def _first_explorer(page, lab, notebook: str):
    """Run every cell of the notebook; its first explorer, scrolled into view, and its decision line."""
    run_all(page, lab, notebook)
    explorer = page.locator(".medspa-explorer").first
    explorer.scroll_into_view_if_needed()
    return explorer, explorer.locator(".medspa-decision")


def test_notebook_01_diagnosis_flip(lab, lab_page):
    page = lab_page
    explorer, decision = _first_explorer(page, lab, "01_cosmetic_or_medical.ipynb")
    dollars = explorer.locator(".medspa-dollars")
    diagnosis = explorer.locator(".medspa-control-diagnoses input")
    expect(decision).to_contain_text("Covered")
    shot(page, "01-1-start-underarm-covered")

    diagnosis.fill("Z41.1")
    diagnosis.press("Enter")
    expect(decision).to_contain_text("Denied")
    expect(decision).to_contain_text("PR 204")
    expect(dollars).to_contain_text("$1,100.00")
    shot(page, "01-2-forehead-lines-z41-denied-204")

    # pick "underarm sweating" from the suggestions instead of the cosmetic code
    diagnosis.fill("L74.510 — Excessive sweating of the underarms (primary)")
    diagnosis.press("Enter")
    expect(decision).to_contain_text("Covered")
    expect(decision).not_to_contain_text("PR 204")
    expect(dollars).to_contain_text("$385.20")
    expect(explorer.locator(".medspa-changed")).to_contain_text("denied PR 204 → covered")
    shot(page, "01-3-underarm-sweating-covered")


def test_notebook_03_out_of_network(lab, lab_page):
    page = lab_page
    explorer, decision = _first_explorer(page, lab, "03_credentialing_and_networks.ipynb")
    dollars = explorer.locator(".medspa-dollars")
    expect(decision).to_contain_text("In network")
    shot(page, "03-1-ppo-in-network")

    explorer.locator(".medspa-control-facility-participating input").uncheck()
    expect(decision).to_contain_text("Out of network")
    # PPO out of network: allowed $726, the balance bill is $1,100 - $726 = $374
    expect(dollars).to_contain_text("Balance bill")
    expect(dollars).to_contain_text("$374.00")
    shot(page, "03-2-ppo-out-of-network-balance-bill")

    explorer.locator(".medspa-control-plan select").select_option(label="Local HMO (HMO)")
    expect(decision).to_contain_text("PR 242")
    expect(decision).to_contain_text("Denied")
    shot(page, "03-3-hmo-out-of-network-pr-242")


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_no_cell_shows_an_error(lab, lab_page, notebook):
    page = lab_page
    dashboard = notebook == "10_workshop_dashboard.ipynb"  # the projector view: no quiz
    run_all(page, lab, notebook, last=".medspa-compare" if dashboard else ".medspa-quiz")
    stem = notebook.removesuffix(".ipynb")
    shot(page, f"all-{stem}-end")
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.all_inner_texts()
    assert page.get_by_text("Loading widget").count() == 0
    assert page.get_by_text("Error displaying widget").count() == 0
    # No notebook has any math: typeset TeX means two dollar amounts were read as $…$
    math = page.locator(".jp-Cell:has(mjx-container)")
    assert math.count() == 0, math.all_inner_texts()
    assert page.locator(".medspa-quiz .widget-radio-box").count() >= (0 if dashboard else 3)


def test_notebook_08_payer_picker(lab, lab_page):
    page = lab_page
    explorer, decision = _first_explorer(page, lab, "08_same_service_different_payer.ipynb")
    expect(decision).to_contain_text("CO 50")  # the lesson's chart under the Blue plan
    shot(page, "08-1-blue-plan-co-50")

    # the chart shows failed aluminium chloride only: Aetna covers it, the stricter Blue plan does not
    criteria = explorer.locator(".medspa-control-documentation-criteria select")
    criteria.select_option(label=["Severe primary sweating (HDSS 3 or 4) for at least 6 months",
                                  "Topical aluminium chloride (20%) tried and did not control the sweating"])
    payer = explorer.locator(".medspa-control-payer select")
    payer.select_option(label="Aetna")
    expect(decision).to_contain_text("Covered")
    payer.select_option(label="Blue Cross Blue Shield of North Dakota")
    expect(decision).to_contain_text("CO 50")
    expect(explorer.locator(".medspa-changed")).to_contain_text("payer aetna → bcbs-north-dakota")
    expect(explorer).to_contain_text("medical complication")
    shot(page, "08-2-blue-plan-co-50")

    payer.select_option(label="Original Medicare (Part B)")
    expect(decision).to_contain_text("Covered")
    expect(explorer.locator(".medspa-control-plan select")).to_have_value("Original Medicare Part B (MEDICARE)")
    shot(page, "08-3-medicare-covered")
