"""A notebook saved in the lab (as autosave does) and opened again works after Run All."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import ROOT, run_all, shot

NOTEBOOK = "04_when_insurance_says_no.ipynb"


def _close_kernels(page, base: str) -> None:
    xsrf = next((c["value"] for c in page.context.cookies() if c["name"] == "_xsrf"), "")
    for session in page.request.get(f"{base}/api/sessions").json():
        page.request.delete(f"{base}/api/sessions/{session['id']}", headers={"X-XSRFToken": xsrf})


def test_a_notebook_reopened_after_a_save_shows_its_widgets_after_run_all(lab, lab_page):
    page = lab_page
    shipped = (ROOT / "notebooks" / NOTEBOOK).read_bytes()
    run_all(page, lab, NOTEBOOK)
    page.locator(".jp-NotebookPanel .jp-Notebook").first.click()
    page.keyboard.press("Control+s")  # what autosave does a couple of minutes in
    expect(page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")).to_have_count(0)
    _close_kernels(page, lab)  # the session ends: its widget models are gone
    run_all(page, lab, NOTEBOOK)  # reopened, then Run All
    shot(page, "lab-reopened-after-save")
    expect(page.locator(".medspa-quiz")).to_be_visible()
    assert page.get_by_text("model not found").count() == 0
    assert page.get_by_text("Error displaying widget").count() == 0
    # the save went to the working copy: the shipped notebook is untouched
    assert (ROOT / "notebooks" / NOTEBOOK).read_bytes() == shipped
