"""The notebooks look like a lesson, not a programmer's file: wiring code collapsed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medspa_kit._notebooks import is_wiring

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("source,wiring", [
    ("%matplotlib inline\nfrom medspa_kit import evaluate, preset\n\npd.set_option('display.max_colwidth', None)", True),
    ('ScenarioExplorer(preset="botox-underarm-sweating",\n                 controls=["plan"])', True),
    ("lab = CompareScenarios([\"botox-forehead-lines\"])\nuploads = ClientFiles(on_catalog=lab.use_catalog)\nuploads", True),
    ("Quiz([\n    engine_question('?', 'botox-forehead-lines', 'reason', ['PR 204']),\n])", True),
    ("lab", True),
    ('for line in headlines("uncredentialed-np", "facility.participating", [True, False]):\n    print(line)', False),
    ("table = compare_payments(evaluate(preset('peel-actinic-keratosis')))\npayments_display(table)", False),
    ("from medspa_kit import evaluate\nevaluate(preset('botox-forehead-lines'))", False),
    ("# only a comment", False),
    # a quiz built from a scenario named first (05's quiz cell) is wiring; naming things for a lesson is not
    ("from medspa_kit import preset\nunderarm = preset('botox-underarm-sweating')\nQuiz([\n    engine_question('?',\n"
     "        underarm.with_changes({'service.charge': 950.0}), 'patient_pays', ['$396.00']),\n])", True),
    ("too_soon = preset('botox-chronic-migraine')\nfor line in headlines(too_soon, 'x', [1]):\n    print(line)", False),
    ("chart = {'documentation.criteria': ['a']}\npayers_compared('botox-underarm-sweating', ['aetna'], chart)", False),
    ("quiz = Quiz([])\nprint(quiz)", False),
])
def test_wiring_is_imports_settings_and_widgets(source, wiring):
    assert is_wiring(source) is wiring


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_wiring_code_is_collapsed_and_lesson_code_is_open(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        hidden = cell["metadata"].get("jupyter", {}).get("source_hidden", False)
        assert hidden is is_wiring("".join(cell["source"])), f"cell {number}: run `make notebooks`"


WRAPPED = ("07_myths_and_facts", "08_same_service_different_payer")


@pytest.mark.parametrize("stem", WRAPPED)
def test_printed_reports_are_wrapped_at_spaces(stem):
    """JupyterLab breaks an output line wider than the page anywhere, even inside a word or a code
    (``PR 2`` / ``04``): printed text comes already wrapped, at spaces, within PRINT_WIDTH."""
    from medspa_kit.vocabulary import PRINT_WIDTH

    nb = json.loads((NOTEBOOKS[0].parent / f"{stem}.ipynb").read_text(encoding="utf-8"))
    for number, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            for line in "".join(output.get("text", "")).splitlines():
                assert len(line) <= PRINT_WIDTH, f"{stem}, cell {number}: {line!r}"
