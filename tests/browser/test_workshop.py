"""The workshop view: notebook 05 as an app with no code, served by Voila."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import shot


def test_workshop_adds_a_scenario_and_shows_no_code(workshop, page):
    page.goto(workshop)
    compare = page.locator(".medspa-compare")
    expect(compare).to_be_visible(timeout=120_000)
    table = compare.locator(".medspa-compare-table table")
    header = table.locator("thead th")
    expect(header).to_have_count(4)  # the row labels plus three scenarios
    compare.scroll_into_view_if_needed()  # the screenshot shows the comparison, not the page top
    shot(page, "workshop-1-three-scenarios")

    compare.locator(".medspa-compare-add").click()
    expect(header).to_have_count(5)
    expect(table).to_contain_text("botox-forehead-lines (2)")
    table.scroll_into_view_if_needed()
    shot(page, "workshop-2-fourth-scenario-added")

    # an app, not a notebook: the narrative and widgets show, the code does not
    body = page.locator("body").inner_text()
    assert "Workshop scenario lab" in body
    for code in ("from medspa_kit", "apply_prices(", "CompareScenarios(", "lab.export()"):
        assert code not in body, code
    assert page.locator("mjx-container, .MathJax").count() == 0  # no dollar amounts typeset as TeX
