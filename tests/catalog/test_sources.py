"""The bibliography: every source a dataset row or a trace names is an entry of
``datasets/sources.csv`` (a real document, the project's docs, or ``illustrative``), and nothing
the product ships or prints cites a document outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medspa_kit import evaluate, preset, preset_names
from medspa_kit.catalog import citations
from medspa_kit.explain import summary

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = re.compile(r"\b(SPEC|FACTS)\s*§")


def test_citations_parse_and_render():
    cell = "aetna-cpb-0113 (hyperhidrosis; precertification); illustrative"
    assert citations.parse(cell) == [("aetna-cpb-0113", "hyperhidrosis; precertification"), ("illustrative", "")]
    labels = {"aetna-cpb-0113": "Aetna CPB 0113", "illustrative": "illustrative"}
    assert citations.render(cell, labels) == "Aetna CPB 0113 (hyperhidrosis; precertification); illustrative"
    assert citations.parse("Aetna CPB 0113; Health Net protocol") is None  # free text is no citation
    assert citations.unknown_keys("aetna-cpb-9999", labels) == ["aetna-cpb-9999"]


def test_every_bibliography_entry_names_its_document(catalog):
    for key, row in catalog.keyed["sources"].items():
        assert row["title"] and row["issuer"] and row["label"], key
        if not key.startswith(("illustrative", "docs-")):
            assert row["address"] or "address" in row["source"], f"{key}: no address and no word on why"
        else:
            assert not row["address"] or (ROOT / row["address"]).is_file(), f"{key}: {row['address']} is missing"


def test_every_cited_key_is_used_or_meant_for_code(catalog):
    from medspa_kit.clinic import assumption_sources

    cells = [row[column] for table in catalog.rows.values() for row in table for column in ("source", "price_source")
             if column in row] + list(assumption_sources(catalog, readable=False)["source"])
    cited = {key for cell in cells for key, _ in (citations.parse(cell) or [])}
    unused = set(catalog.keyed["sources"]) - cited
    # entries cited only by code (myths, docs) rather than by a dataset row
    assert unused <= {"docs-architecture", "docs-scenario", "x12-835", "x12-837p", "healthcare-gov-limits",
                      "neocities-medspa-myths", "docs-cost", "cfpb-medical-credit-2023", "bestdayspas-insurance",
                      "spabatonrouge-hsa", "medspot-aesthetics-guide", "usc-31-3729",
                      "stedi-line-control", "cgs-remittance-advice"}, unused  # the last two: docs/edi.md and edi/


@pytest.mark.parametrize("name", preset_names())
def test_every_trace_source_of_every_preset_is_in_the_bibliography(name, catalog):
    outcome = evaluate(preset(name))
    references = [ref for step in outcome.steps for ref in step.references] + list(outcome.hsa_fsa.references)
    assert references
    for ref in references:
        assert citations.unknown_keys(ref, catalog.source_labels) == [], (name, ref)
    shown = outcome.to_json() + summary(outcome) + outcome.hsa_fsa.source
    assert not OUTSIDE.search(shown)


def test_nothing_shipped_cites_a_document_outside_the_repository():
    files = [p for folder in ("medspa_kit", "datasets", "notebooks") for p in (ROOT / folder).rglob("*")
             if p.is_file() and p.suffix in (".py", ".csv", ".json", ".ipynb", ".md")]
    assert len(files) > 50
    offenders = [str(p.relative_to(ROOT)) for p in files if OUTSIDE.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_docs_sources_md_is_the_bibliography(catalog):
    from medspa_kit.catalog.citations import bibliography_markdown

    page = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    assert page == bibliography_markdown(list(catalog.rows["sources"])), "run `make docs`"


def test_docs_checks_md_lists_the_checks_in_their_order(catalog):
    page = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    positions = [page.index(f"| `{check.id}` |") for check in catalog.checks]
    assert positions == sorted(positions)
    for check in catalog.checks[1:]:
        assert f"| `{check.id}` |" in page and f"| {check.carc} |" in page


def test_every_myth_cites_the_bibliography(catalog):
    from medspa_kit.lessons import myths

    for myth in myths():
        assert myth.sources
        for cell in myth.sources:
            assert citations.unknown_keys(cell, catalog.source_labels) == [], cell
        assert "SOURCES: " in myth.report() and "neocities" in myth.report()
