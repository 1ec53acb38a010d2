"""The workshop view: the dashboard (notebook 10) as an app with no code, served by Voila.

Every page load starts a kernel of its own; a handout downloads to the browser that asked for it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import expect

from .conftest import shot

LOAD = 120_000  # ms: a page load starts a kernel and runs the dashboard


def _open(page, url):
    page.goto(url)
    compare = page.locator(".medspa-compare")
    expect(compare).to_be_visible(timeout=LOAD)
    return compare


def _live_table(compare) -> list[list[str]]:
    """The comparison as shown: the heading row, then one row per line of the table."""
    table = compare.locator(".medspa-compare-table table")
    head = [cell.strip() for cell in table.locator("thead th").all_inner_texts()]
    rows = []
    for row in table.locator("tbody tr").all():
        rows.append([cell.strip() for cell in row.locator("th, td").all_inner_texts()])
    return [head, *rows]


def _download_csv(page, compare) -> list[list[str]]:
    compare.locator(".medspa-compare-export").click()
    link = compare.locator(".medspa-compare-exported a", has_text="handout.csv")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "handout.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_workshop_adds_a_scenario_and_shows_no_code(workshop, page):
    compare = _open(page, workshop)
    table = compare.locator(".medspa-compare-table table")
    header = table.locator("thead th")
    expect(header).to_have_count(4)  # the row labels plus three scenarios
    compare.scroll_into_view_if_needed()  # the screenshot shows the comparison, not the page top
    shot(page, "workshop-1-three-scenarios")

    compare.locator(".medspa-compare-add").click()
    expect(header).to_have_count(5)
    expect(table).to_contain_text("Botox for forehead lines (2)")
    table.scroll_into_view_if_needed()
    shot(page, "workshop-2-fourth-scenario-added")

    # a dashboard, not a notebook: no code, no learning goals, no quiz, no demo error, no raw CSV
    body = page.locator("body").inner_text()
    assert "Your clinic's numbers, side by side" in body
    for text in ("from medspa_kit", "CompareScenarios(", "ClientFiles(", "Learning goals", "Check your understanding",
                 "is negative", "Patient pays,$"):
        assert text not in body, text
    assert page.locator("mjx-container, .MathJax").count() == 0  # no dollar amounts typeset as TeX
    # nothing says "saved" or "ready" before anyone asks for a handout
    assert compare.locator(".medspa-compare-exported").inner_text().strip() == ""


def test_the_handout_downloads_what_the_table_shows_and_follows_edits(workshop, page):
    compare = _open(page, workshop)
    compare.locator(".medspa-compare-add").click()  # a fourth column
    # edit the first column's diagnosis: its heading says so, and the handout follows
    compare.locator(".widget-dropdown", has_text="Field").locator("select").select_option(label="Diagnosis")
    compare.locator(".widget-text input").fill("L74.510")
    compare.locator(".medspa-compare-apply").click()
    heading = "Botox for forehead lines · diagnosis L74.510"
    expect(compare.locator(".medspa-compare-table thead")).to_contain_text(heading)
    # the field list reads in plain names; the paths stay inside
    options = compare.locator(".widget-dropdown", has_text="Field").locator("option").all_inner_texts()
    assert "Charge" in options and not [o for o in options if "." in o]
    live = _live_table(compare)
    rows = _download_csv(page, compare)
    shot(page, "workshop-3-handout-ready")
    assert rows[0][1:] == live[0][1:] and len(rows[0]) == 5  # the four headings, as shown
    assert rows[1:] == live[1:]  # every row and every dollar, as shown
    # a change after the export withdraws the links: they would no longer match the table
    compare.locator(".medspa-compare-remove").click()
    expect(compare.locator(".medspa-compare-exported a")).to_have_count(0)


def test_two_visitors_each_keep_their_own_table_and_handout(workshop, browser):
    first_context, second_context = browser.new_context(), browser.new_context()
    try:
        first, second = first_context.new_page(), second_context.new_page()
        first_compare = _open(first, workshop)
        first_compare.locator(".medspa-compare-add").click()
        expect(first_compare.locator(".medspa-compare-table thead th")).to_have_count(5)
        second_compare = _open(second, workshop)  # a second participant arrives
        expect(second_compare.locator(".medspa-compare-table thead th")).to_have_count(4)
        # the first participant's table and handout are still their four scenarios
        expect(first_compare.locator(".medspa-compare-table thead th")).to_have_count(5)
        assert len(_download_csv(first, first_compare)[0]) == 5
        assert len(_download_csv(second, second_compare)[0]) == 4
    finally:
        first_context.close()
        second_context.close()
