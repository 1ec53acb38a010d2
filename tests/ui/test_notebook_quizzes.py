"""Every quiz question of every notebook is about what it asks, and every answer is explained.

The notebooks' code cells run here in order (they are the project's own files, not user input),
with the Quiz widget recording the questions it is given; then every choice of every question
is answered and its feedback read.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

from medspa_kit.ui import quiz as quiz_module
from medspa_kit.vocabulary import HSA_WORDS

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def quiz_questions(path: Path, monkeypatch, tmp_path, namespace: dict | None = None) -> list:
    """Run the notebook's code cells (in ``namespace`` when given) and return the quiz questions asked."""
    asked: list = []
    real_init = quiz_module.Quiz.__init__

    def recording_init(self, questions, *args, **kwargs):
        real_init(self, questions, *args, **kwargs)
        asked.extend(self.state.questions)

    monkeypatch.setattr(quiz_module.Quiz, "__init__", recording_init)
    monkeypatch.chdir(tmp_path)  # files a notebook writes (handouts/) land here
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {"__name__": "__notebook__"} if namespace is None else namespace
    namespace.setdefault("__name__", "__notebook__")
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code" or "NBVAL_RAISES_EXCEPTION" in cell.source:
            continue
        code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith("%"))
        exec(compile(code, f"{path.name}", "exec"), namespace)  # noqa: S102 - the project's own notebook
    return asked


def dollars(text: str) -> set[str]:
    return set(re.findall(r"\$[\d,]+(?:\.\d\d)?", text))


def about_the_question(question, right: str, why: str) -> list[str]:
    """What is missing from an explanation for it to be about the thing asked."""
    missing = []
    if question.topic == "hsa_fsa":
        missing += [w for w in ("HSA", "Publication 502") if w not in why]
        if right not in HSA_WORDS.values() or right not in why:
            missing.append(f"the HSA status {right!r}")
    elif question.topic in ("patient_pays", "plan_pays"):
        if right not in dollars(why) or "=" not in why:
            missing.append(f"the arithmetic that gives {right}")
    elif question.topic in ("decision", "reason", "who_absorbs"):
        if "check" not in why:
            missing.append("the check that decided")
        if question.topic == "reason" and right != "none: it is covered" and right not in why:
            missing.append(f"the reason {right}")
        if question.topic == "decision" and right not in why:
            missing.append(f"the decision {right!r}")
        if question.topic == "who_absorbs" and right.split(":")[0].replace("the ", "") not in why:
            missing.append(f"who absorbs it ({right})")
    elif question.topic == "myth":
        if not why.lower().startswith(right) or "Sources:" not in why:
            missing.append(f"the verdict {right!r} and its sources")
    elif question.topic == "deferred":
        if not why.lower().startswith(right) or "interest" not in why:
            missing.append(f"{right!r} and the interest")
    elif right.lower() not in why.lower() and not dollars(right) & dollars(why):
        missing.append(f"the answer {right!r}")
    if "(" in why and why.count("(") != why.count(")"):
        missing.append("whole brackets (a source was cut)")
    return missing


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_quiz_question_is_explained_by_what_it_asks(path, monkeypatch, tmp_path):
    questions = quiz_questions(path, monkeypatch, tmp_path)
    if path.stem not in ("00_start_here", "10_workshop_dashboard"):  # the dashboard is for a room, not a lesson
        assert questions, f"{path.name} has no quiz"
    for q in questions:
        right = q.right_choice()  # raises when the premise is false
        why = q.explain()
        assert why.strip(), f"{path.name}: {q.prompt!r} has no explanation"
        missing = about_the_question(q, right, why)
        assert not missing, f"{path.name}: {q.prompt!r}: the explanation lacks {missing}: {why}"
        for choice in q.choices:
            correct, feedback = q.check(choice)
            assert correct is (choice == right)
            assert why in feedback, f"{path.name}: answering {choice!r} to {q.prompt!r} is not explained"


def stored_output_text(path: Path, source_has: str) -> str:
    """Everything stored as output of the cells whose code contains ``source_has``."""
    texts = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and source_has in cell.source:
            for output in cell.get("outputs", []):
                texts.append("".join(output.get("text", "")))
                texts += ["".join(v) for k, v in output.get("data", {}).items() if k.startswith("text/")]
    assert texts, f"{path.name}: no stored output of a cell with {source_has!r}"
    return "\n".join(texts)


SAME_SCENARIO = [
    # (notebook, words of the prompt, code of the cell whose table the question is about)
    ("07_myths_and_facts", "Therapeutic massage", "myth_massage()"),
    ("08_same_service_different_payer", "The same chart under Aetna", 'payers_compared("botox-underarm-sweating"'),
]


@pytest.mark.parametrize("stem,prompt,cell", SAME_SCENARIO, ids=[s for s, _, _ in SAME_SCENARIO])
def test_a_quiz_about_a_table_uses_the_tables_scenario(stem, prompt, cell, monkeypatch, tmp_path):
    """The dollars a question's explanation gives are the dollars of the table it follows
    (07 once showed $6/$24 in the table and $30 in the quiz; 08 $726.00 against $385.20)."""
    path = next(p for p in NOTEBOOKS if p.stem == stem)
    question = next(q for q in quiz_questions(path, monkeypatch, tmp_path) if prompt in q.prompt)
    shown = dollars(stored_output_text(path, cell))
    said = dollars(question.explain())
    assert said, f"{question.prompt!r}: the explanation gives no dollars to compare"
    assert said <= shown, f"{question.prompt!r} says {sorted(said - shown)}, which its table does not show"


def test_the_abn_lesson_is_a_migraine_botox_claim_for_a_medicare_patient(monkeypatch, tmp_path):
    """08 teaches the ABN on migraine Botox under Medicare; its scenario must be that, not another
    preset (obesity counselling) with its service swapped."""
    from medspa_kit import evaluate, preset

    path = next(p for p in NOTEBOOKS if p.stem == "08_same_service_different_payer")
    namespace: dict = {}
    quiz_questions(path, monkeypatch, tmp_path, namespace)
    cell = next(c.source for c in nbformat.read(path, as_version=4).cells if "ABN signed" in c.source)
    assert "obesity" not in cell
    too_soon = namespace["too_soon"]
    migraine = preset("botox-chronic-migraine")
    assert too_soon.payer_id == "medicare" and too_soon.plan.type.value == "MEDICARE"
    assert (too_soon.service.code, too_soon.diagnoses) == (migraine.service.code, migraine.diagnoses)
    assert (too_soon.date_of_service - too_soon.accumulators.last_treatment).days == 59  # under 12 weeks
    assert evaluate(too_soon).primary_reason.label == "CO 151"


def test_02_add_on_feedback_describes_the_claim_asked_about(monkeypatch, tmp_path):
    """Question 4 of 02 asks about 17003 ×6 sent without 17000: the feedback must say 17000 is
    missing, never that 17003 (which is on the claim) is not."""
    from medspa_kit import preset

    path = next(p for p in NOTEBOOKS if p.stem == "02_diagnosis_codes")
    question = next(q for q in quiz_questions(path, monkeypatch, tmp_path) if q.prompt.startswith("17003"))
    why = question.explain()
    on_claim = {line.code for line in preset("add-on-code-alone").lines}
    assert on_claim == {"17003"}
    said_missing = set(re.findall(r"(\w+) is not on the claim", why))
    for group in re.findall(r"none of ([\w, ]+) is on the claim", why):
        said_missing |= set(group.split(", "))
    assert said_missing == {"17000"}, why
    assert "neither" not in why


CHARTED = [p for p in NOTEBOOKS if p.stem[:2] in ("01", "02", "03", "04", "05", "07", "08")]


@pytest.mark.parametrize("path", CHARTED, ids=[p.stem for p in CHARTED])
def test_chart_labels_are_plain_words_not_preset_ids(path, monkeypatch, tmp_path):
    from medspa_kit import report
    from medspa_kit.presets import preset_names

    labels: list[str] = []
    real = report.who_pays_figure

    def recording(named, *args, **kwargs):
        named = list(named)
        if sys._getframe(1).f_code.co_filename == path.name:  # a chart the lesson draws, not a widget's
            labels.extend(label for label, _ in named)
        return real(named, *args, **kwargs)

    monkeypatch.setattr(report, "who_pays_figure", recording)
    quiz_questions(path, monkeypatch, tmp_path)
    ids = set(preset_names())
    assert not [label for label in labels if label in ids], f"{path.name}: a chart is labelled with preset ids"
    if path.stem.startswith("03"):
        assert labels and "PPO out of network" in labels


def test_an_add_on_code_alone_is_explained_by_the_add_on_rule_not_a_coverage_ncd(monkeypatch, tmp_path):
    """02 Q4 (17003 without 17000, CO 107) once cited CMS NCD 250.4, which says actinic keratoses are
    covered; what decided is the coding rule that an add-on is paid only with its base code."""
    path = next(p for p in NOTEBOOKS if p.stem == "02_diagnosis_codes")
    question = next(q for q in quiz_questions(path, monkeypatch, tmp_path) if "without 17000" in q.prompt)
    why = question.explain()
    assert "CO 107" in why and "add-on" in why
    assert "250.4" not in why, why
    assert "Aetna OfficeLink" in why and "add-on code without its base code is denied" in why


def test_the_filler_pair_runs_under_the_payer_whose_rule_the_text_cites(monkeypatch, tmp_path):
    """02 cites Medicare's NCD 250.5 for filler with B20 + E88.14; its numbers must be Medicare's:
    allowed $850, Part B deductible 2026 $283, 20 % of $567 = $113.40, patient $396.40 (not the
    commercial PPO's $850 to the deductible). Without B20 Medicare excludes it by law: PR 96, $1,400."""
    path = next(p for p in NOTEBOOKS if p.stem == "02_diagnosis_codes")
    shown = stored_output_text(path, "filler-hiv-lipodystrophy")
    assert "B20, E88.14: covered — patient pays $396.40" in shown
    assert "E88.14: denied — PR 96" in shown and "$1,400.00" in shown
    question = next(q for q in quiz_questions(path, monkeypatch, tmp_path) if "no B20" in q.prompt)
    assert "Medicare" in question.prompt and "PR 96" in question.explain()


def test_migraine_codes_are_described_as_the_code_set_describes_them():
    """02 once called G43.909 "an episodic migraine"; ICD-10-CM says it is migraine, unspecified."""
    simple_icd = pytest.importorskip("simple_icd_10_cm")
    path = next(p for p in NOTEBOOKS if p.stem == "02_diagnosis_codes")
    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    assert simple_icd.get_description("G43.909").lower() in text.lower()
    for sentence in re.split(r"(?<=[.:?])\s", text):
        if "G43.909" in sentence:
            assert "episodic" not in sentence, sentence


def test_every_try_this_question_in_07_is_answered():
    """07's closing Try-this asked whether a change to the forehead-lines visit would be honest and
    left it open; a lesson about miscoding must say that changing the diagnosis is miscoding."""
    path = next(p for p in NOTEBOOKS if p.stem == "07_myths_and_facts")
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown" and "honest?" in cell.source:
            assert "<summary>Answer</summary>" in cell.source and "miscoding" in cell.source


def test_01_explains_why_the_same_underarm_visit_has_two_charges():
    """The one-line preset charges $1,100 (write-off $374) and the claim with lines $350 + $1,000 =
    $1,350 (write-off $275 + $349 = $624): the text after the lines table must give both, and the
    figures must be the stored tables' own."""
    path = next(p for p in NOTEBOOKS if p.stem == "01_cosmetic_or_medical")
    cells = nbformat.read(path, as_version=4).cells
    at = next(i for i, c in enumerate(cells) if c.cell_type == "code" and 'lines_table("underarm-sweating-claim")' in c.source)
    words = next(c.source for c in cells[at + 1:] if c.cell_type == "markdown").replace("\\\\$", "$")
    said = dollars(words)
    assert {"$1,100", "$1,350", "$374", "$624", "$340.80", "$385.20"} <= said, words
    shown = {d.split(".")[0] for d in dollars(stored_output_text(path, "outcomes_table") +
                                            stored_output_text(path, 'lines_table("underarm-sweating-claim")'))}
    assert {"$1,100", "$374", "$275", "$349", "$1,000", "$350"} <= shown  # $1,350 is their sum


def test_09_the_cheapest_question_names_the_options_it_ranks(monkeypatch, tmp_path):
    # "the explorer's plans" means nothing to a reader: the question names each option, and they are the
    # very options the answer is ranked among (its choices).
    path = next(p for p in NOTEBOOKS if p.stem.startswith("09"))
    cheapest = [q for q in quiz_questions(path, monkeypatch, tmp_path) if q.topic == "year" and "least" in q.prompt]
    assert cheapest
    for question in cheapest:
        assert all(option in question.prompt for option in question.choices), question.prompt
        assert "explorer's plans" not in question.prompt
