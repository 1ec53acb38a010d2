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


WRAPPED = tuple(p.stem for p in NOTEBOOKS)


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


LESSONS = [p for p in NOTEBOOKS if p.stem[:2] in ("01", "02", "03", "04", "05", "07", "08")]
RAW_VALUES = ("not_eligible", "eligible_with_lmn", "not_billable", "partly_covered", "medical_clinic", "day_spa")


def _stored(cell) -> str:
    return "".join("".join(o.get("text", "")) + "".join("".join(v) for k, v in o.get("data", {}).items()
                                                        if k in ("text/plain", "text/html"))
                   for o in cell.get("outputs", []))


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_outputs_say_values_in_words_and_tables_have_no_row_numbers(path):
    """No raw value (``not_eligible``) and no table whose rows are numbered 0, 1, 2… in the stored outputs."""
    import re

    nb = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(nb["cells"]):
        text = _stored(cell)
        raw = [value for value in RAW_VALUES if value in text]
        assert not raw, f"{path.name}, cell {number} shows {raw}: say it in words"
        for table in re.findall(r"<tbody>(.*?)</tbody>", text, re.S):
            first = re.findall(r"<tr>\s*<th>(.*?)</th>", table, re.S)
            assert first[:1] != ["0"], f"{path.name}, cell {number}: a table shows its raw row index"


def test_01_writes_brand_names_with_their_capital():
    """The next steps of a CO 50 on the underarm claim name the service as written, ``Botox``."""
    from medspa_kit import evaluate, preset
    from medspa_kit.vocabulary import in_sentence

    steps = evaluate(preset("botox-underarm-sweating").with_changes({"diagnoses": ["G43.709"]})).next_steps
    assert "does not cover Botox for underarm sweating for G43.709" in steps[0]
    assert [in_sentence(n) for n in ("Laser hair removal", "GLP-1 weight-loss program", "Botox for facial lines")] == [
        "laser hair removal", "GLP-1 weight-loss program", "Botox for facial lines"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_cell_drives_a_widget_an_earlier_cell_shows(path):
    """A widget shown to the learner (a cell ending in its bare name) is left as the learner leaves it:
    a later cell that flips it from code would change what is on screen before anyone touched it."""
    import re

    nb = json.loads(path.read_text(encoding="utf-8"))
    shown: set[str] = set()
    for number, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for name in shown:
            assert not re.search(rf"\b{re.escape(name)}(\.\w+)*\.set\(", source), (
                f"{path.stem}, cell {number} drives {name!r}, a widget shown above")
        lines = [line for line in source.strip().splitlines() if line.strip()]
        if lines and re.fullmatch(r"[A-Za-z_]\w*", lines[-1].strip()):
            shown.add(lines[-1].strip())
