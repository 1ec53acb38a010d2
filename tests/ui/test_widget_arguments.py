"""The widgets' public helpers, given a wrong kind of argument from Python (None, a number, ``'no'``
for a truth value, a DataFrame, an object whose repr and str raise), name the argument in one
line of the kit's own error family: never an AttributeError, a TypeError or a KeyError from deep
inside, never a value silently read as something else."""

from __future__ import annotations

import re
from functools import cache

import pandas as pd
import pytest

from medspa_kit import evaluate, year
from medspa_kit.catalog import default_catalog
from medspa_kit.errors import MedspaError
from medspa_kit.presets import preset
from medspa_kit.report import html as render
from medspa_kit.ui import explorer, questions, state
from medspa_kit.ui.clinic import ClinicDecision
from medspa_kit.ui.compare import CompareScenarios
from medspa_kit.ui.payments import PaymentPicker
from medspa_kit.ui.quiz import Quiz
from medspa_kit.ui.tools import ClientFiles, applied_html
from medspa_kit.ui.year import verdict_html


class Unshowable:
    """An object whose repr and str raise: a message about it must still be written."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr")

    def __str__(self) -> str:
        raise RuntimeError("no str")


FRAME = pd.DataFrame({"a": [1, 2]})
NOT_TEXT = [None, 5, FRAME, Unshowable()]
NOT_TRUTH = ["no", 0.5, None, FRAME, Unshowable()]
NOT_OUTCOME = [None, 5, "x", FRAME, Unshowable()]


@cache
def scenario():
    return preset("botox-underarm-sweating")


@cache
def outcome():
    return evaluate(scenario())


@cache
def course():
    return year.preset_course(year.course_names()[0])


@cache
def ranked():
    return year.rank_options(course(), year.patient_options(("ppo-standard", "hdhp-hsa")))


def question():
    return questions.engine_question("Who pays?", "botox-underarm-sweating", "decision", ["covered", "denied"])


RENDERERS = [render.decision_html, render.covered_meaning, render.dollars_html, render.lines_html, render.hsa_html,
             render.next_steps_html, render.trace_html, render.outcome_html]

CASES = [
    *[(f"{f.__name__}-outcome", f, "outcome", NOT_OUTCOME) for f in RENDERERS],
    ("css_class-path", explorer.css_class, "path", NOT_TEXT),
    ("code_from_text-text", explorer.code_from_text, "text", NOT_TEXT),
    ("diagnosis_label-code", lambda bad: explorer.diagnosis_label(bad, default_catalog()), "code", NOT_TEXT),
    ("diagnosis_label-catalog", lambda bad: explorer.diagnosis_label("L74.510", bad), "catalog", [5, "x", FRAME]),
    ("service_options-catalog", explorer.service_options, "catalog", [5, "x", FRAME]),
    ("payer_options-catalog", explorer.payer_options, "catalog", [5, "x", FRAME]),
    ("plan_options-catalog", explorer.plan_options, "catalog", [5, "x", FRAME]),
    ("plan_payer-catalog", lambda bad: explorer.plan_payer("ppo-standard", bad), "catalog", [5, "x", FRAME]),
    ("plan_payer-plan_id", lambda bad: explorer.plan_payer(bad, default_catalog()), "plan_id", NOT_TEXT),
    ("matching_plan-plan", lambda bad: explorer.matching_plan(bad, default_catalog()), "plan", NOT_OUTCOME),
    ("service_key-proc", lambda bad: explorer.service_key(bad, default_catalog()), "proc", NOT_OUTCOME),
    ("ScenarioExplorer-show_trace", lambda bad: explorer.ScenarioExplorer(show_trace=bad), "show_trace", NOT_TRUTH),
    ("plain_field-path", state.plain_field, "path", NOT_TEXT),
    ("plain_message-message", state.plain_message, "message", NOT_TEXT),
    ("problem_html-message", state.problem_html, "message", NOT_TEXT),
    ("fail-message", lambda bad: state.ExplorerState(scenario()).fail(bad), "message", NOT_TEXT),
    ("ExplorerState-scenario", lambda bad: state.ExplorerState(bad), "scenario", NOT_OUTCOME),
    ("reset-scenario", lambda bad: state.ExplorerState(scenario()).reset(bad), "scenario", NOT_OUTCOME),
    ("describe_change-path", lambda bad: state.describe_change(bad, scenario(), outcome(), scenario(), outcome()),
     "path", NOT_TEXT),
    ("describe_change-before", lambda bad: state.describe_change("plan", bad, outcome(), scenario(), outcome()),
     "before", NOT_OUTCOME),
    ("describe_change-after", lambda bad: state.describe_change("plan", scenario(), outcome(), bad, outcome()),
     "after", NOT_OUTCOME),
    ("describe_change-before_outcome",
     lambda bad: state.describe_change("plan", scenario(), bad, scenario(), outcome()), "before_outcome", NOT_OUTCOME),
    ("describe_change-after_outcome",
     lambda bad: state.describe_change("plan", scenario(), outcome(), scenario(), bad), "after_outcome", NOT_OUTCOME),
    ("describe_change-label",
     lambda bad: state.describe_change("plan", scenario(), outcome(), scenario(), outcome(), bad), "label",
     [5, FRAME, Unshowable()]),
    ("parse_field-path", lambda bad: state.parse_field(bad, "yes", default_catalog()), "path", NOT_TEXT),
    ("parse_field-text", lambda bad: state.parse_field("service.charge", bad, default_catalog()), "text",
     [Unshowable()]),
    ("parse_field-catalog", lambda bad: state.parse_field("service.charge", "100", bad), "catalog", [5, "x", FRAME]),
    ("CompareState-columns", lambda bad: state.CompareState(bad), "columns", [None, 5, "x", FRAME, [5]]),
    ("engine_question-ask", lambda bad: questions.engine_question("?", "botox-underarm-sweating", bad, ["x"]), "ask",
     [None, 5, "units", FRAME, Unshowable()]),
    ("engine_question-choices",
     lambda bad: questions.engine_question("?", "botox-underarm-sweating", "decision", bad), "choices",
     [None, 5, "covered", FRAME, [5], {"covered": 1}]),
    ("engine_question-changes",
     lambda bad: questions.engine_question("?", "botox-underarm-sweating", "decision", ["covered"], changes=bad),
     "changes", [5, "x", FRAME, ["plan"]]),
    ("engine_question-line",
     lambda bad: questions.engine_question("?", "botox-underarm-sweating", "decision", ["covered"], line=bad),
     "line", ["1", 0, 1.5, True, FRAME]),
    ("engine_question-prompt",
     lambda bad: questions.engine_question(bad, "botox-underarm-sweating", "decision", ["covered"]), "prompt",
     NOT_TEXT),
    ("clinic_question-ask", lambda bad: questions.clinic_question("?", None, bad, ["x"]), "ask", [None, 5, FRAME]),
    ("year_question-ask", lambda bad: questions.year_question("?", "x", bad, ["x"]), "ask", [None, 5, FRAME]),
    ("year_question-course", lambda bad: questions.year_question("?", bad, "cheapest", ["x"]), "course", NOT_TEXT),
    ("year_question-options", lambda bad: questions.year_question("?", "x", "cheapest", ["x"], options=bad),
     "options", [5, "x", FRAME]),
    ("myth_question-check", lambda bad: questions.myth_question("?", bad), "check", NOT_TEXT),
    ("QuizState.answer-index", lambda bad: questions.QuizState([question()]).answer(bad, "covered"), "index",
     [None, "0", 1, -1, 0.5, True, FRAME]),
    ("QuizState.answer-choice", lambda bad: questions.QuizState([question()]).answer(0, bad), "choice", NOT_TEXT),
    ("Question.check-choice", lambda bad: question().check(bad), "choice", NOT_TEXT),
    ("Quiz-title", lambda bad: Quiz([question()], title=bad), "title", NOT_TEXT),
    ("Quiz-questions", lambda bad: Quiz(bad), "questions", [None, 5, "x", FRAME, [5], {"q": question()}]),
    ("verdict_html-course", lambda bad: verdict_html(bad, ranked()), "course", NOT_OUTCOME),
    ("verdict_html-ranked", lambda bad: verdict_html(course(), bad), "ranked", [*NOT_OUTCOME, ranked().iloc[0:0]]),
    ("verdict_html-medicare_eligible", lambda bad: verdict_html(course(), ranked(), bad), "medicare_eligible",
     NOT_TRUTH),
    ("applied_html-catalog", applied_html, "catalog", [5, "x", FRAME]),
    ("applied_html-heading", lambda bad: applied_html(default_catalog(), bad), "heading", NOT_TEXT),
    ("ClientFiles.load-kind", lambda bad: ClientFiles(lambda cat: None).load("p.csv", b"", bad), "kind",
     [None, 5, "x", FRAME, Unshowable()]),
    ("ClientFiles.load-name", lambda bad: ClientFiles(lambda cat: None).load(bad, b"", "prices"), "name",
     [None, 5, FRAME, Unshowable()]),
    ("CompareScenarios-chart", lambda bad: CompareScenarios(["botox-forehead-lines"], chart=bad), "chart", NOT_TRUTH),
    ("CompareScenarios-handout_folder",
     lambda bad: CompareScenarios(["botox-forehead-lines"], chart=False, handout_folder=bad), "handout_folder",
     [None, 0, "", FRAME, Unshowable()]),
    ("CompareScenarios.use_catalog-catalog",
     lambda bad: CompareScenarios(["botox-forehead-lines"], chart=False).use_catalog(bad), "catalog", [5, "x", FRAME]),
    ("ClinicDecision-charts", lambda bad: ClinicDecision(charts=bad), "charts", NOT_TRUTH),
    ("PlanYearExplorer-plans", lambda bad: __import__("medspa_kit.ui.year").ui.year.PlanYearExplorer(plans=bad,
                                                                                                   charts=False),
     "plans", [None, "ppo-standard", FRAME, [FRAME], [5]]),
    ("ScenarioExplorer-controls", lambda bad: explorer.ScenarioExplorer(controls=bad), "controls",
     [5, "plan", FRAME, [FRAME], [None]]),
    ("CompareScenarios-scenarios", lambda bad: CompareScenarios(bad, chart=False), "scenarios",
     [None, 5, "botox-forehead-lines", FRAME, {"a": 1}, [FRAME], [(Unshowable(), scenario())]]),
    ("Question-choices", lambda bad: questions.Question("?", bad, lambda: "x"), "choices", [None, 5, "x", FRAME, [5]]),
    ("Question-prompt", lambda bad: questions.Question(bad, ("x",), lambda: "x"), "prompt", NOT_TEXT),
    ("Question-answer", lambda bad: questions.Question("?", ("x",), bad), "answer", [None, "x", FRAME]),
    ("QuizState-questions", lambda bad: questions.QuizState(bad), "questions", [None, 5, "x", FRAME, [], [5]]),
    # (refused when the question is built, before anything asks for its answer)
    ("deferred_question-amount", lambda bad: questions.deferred_question("?", bad, 0.2, 12, 50),
     "amount", [None, "x", FRAME, Unshowable(), -5]),
    ("deferred_question-payment", lambda bad: questions.deferred_question("?", 1000, 0.2, 12, bad),
     "payment", [None, "x", -1]),
    ("year_question-course", lambda bad: questions.year_question("?", bad, "patient_pays", ["$1"]),
     "course", [None, 5, "no-such-course"]),
    ("year_question-options", lambda bad: questions.year_question("?", "chronic-migraine-every-12-weeks", "cheapest",
                                                                  ["PPO"], options=bad), "options", [None, {}]),
    ("PaymentPicker-preset_name", lambda bad: PaymentPicker(preset_name=bad), "preset", [None, 5, FRAME, Unshowable()]),
]


@pytest.mark.parametrize("call,name,bad", [pytest.param(call, name, bad, id=f"{label}-{type(bad).__name__}-{i}")
                                           for label, call, name, bads in CASES for i, bad in enumerate(bads)])
def test_a_wrong_argument_is_named_in_one_line(call, name, bad):
    with pytest.raises(MedspaError, match=rf"^{re.escape(name)}(\[\d+\])?: ") as caught:
        call(bad)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("bad", ["no", 1, FRAME])
def test_the_year_widget_refuses_a_charts_flag_that_is_no_truth_value(bad):
    from medspa_kit.ui.year import PlanYearExplorer

    with pytest.raises(MedspaError, match="^charts: "):
        PlanYearExplorer(charts=bad)


@pytest.mark.parametrize("label,path", [(FRAME, None), (5, None), (None, 5), (None, FRAME), (Unshowable(), None)])
def test_explorer_state_apply_keeps_the_last_result_and_names_a_wrong_label_or_path(label, path):
    explored = state.ExplorerState(scenario())
    before = explored.outcome
    assert explored.apply({"documentation.prior_auth": True}, label=label, path=path) is False
    assert explored.message.startswith("label: " if label is not None else "path: ")
    assert explored.outcome is before


@pytest.mark.parametrize("changes,path,message", [
    ({}, None, "changes: no field to change"),                       # nothing to change is said, not raised
    ({"documentation.prior_auth": True}, "no.such", "no.such: "),    # a path that names no field
])
def test_explorer_state_apply_reports_what_it_cannot_do_and_keeps_the_last_result(changes, path, message):
    explored = state.ExplorerState(scenario())
    before, changed = explored.outcome, explored.changed
    assert explored.apply(changes, path=path) is False
    assert explored.message.startswith(message), explored.message
    assert explored.outcome is before and explored.changed == changed


def test_a_change_of_a_dollar_field_is_shown_in_dollars():
    explored = state.ExplorerState.from_preset("botox-underarm-sweating")
    assert explored.apply({"plan.deductible": 10})
    # the preset's PPO deductible is $1,500; the charge is well above $10, so the deductible is met
    assert explored.changed.startswith("plan.deductible $1,500.00 → $10.00: still covered"), explored.changed


@pytest.mark.parametrize("path", ["plan", "payer", "documentation.lmn", "service.code", "preset"])
@pytest.mark.parametrize("value", [FRAME, Unshowable(), "maybe"])
def test_explorer_set_shows_a_value_of_the_wrong_kind_inline(path, value):
    shown = explorer.ScenarioExplorer()
    before = shown.outcome
    assert shown.set(path, value) is False
    assert shown.state.message and "\n" not in shown.state.message
    assert "showing the last good result" in shown.message.value
    assert shown.outcome is before


@pytest.mark.parametrize("path,text,named", [(5, "yes", "path"), (FRAME, "yes", "path"), (None, "yes", "path"),
                                             ("service.charge", Unshowable(), "text")])
def test_compare_state_edit_names_a_wrong_path_or_text_in_its_message(path, text, named):
    compared = state.CompareState([("one", scenario())])
    assert compared.edit(0, path, text) is False
    assert f"{named}: " in compared.message
    assert compared.columns[0][1] is scenario()


@pytest.mark.parametrize("folder,said", [(0, "folder: 0 is not a file name"), ("", "folder: an empty folder name"),
                                         (FRAME, "folder: "), (False, "folder: False is not a file name")])
def test_save_refuses_a_folder_that_is_not_one_instead_of_using_the_default(tmp_path, folder, said):
    compare = CompareScenarios(["botox-forehead-lines"], chart=False, handout_folder=tmp_path / "default")
    assert compare.save(folder) is None
    assert said in compare.exported.value
    assert not (tmp_path / "default").exists()


def test_good_arguments_still_work(tmp_path):
    o = outcome()
    for render_one in RENDERERS:
        assert isinstance(render_one(o), str)
    assert o.decision in render.outcome_html(o) or "Covered" in render.outcome_html(o)
    assert explorer.css_class("plan.type") == "medspa-control-plan-type"
    assert explorer.code_from_text("L74.510 — Excessive sweating") == "L74.510"
    assert explorer.diagnosis_label("L74.510", None).startswith("L74.510 — ")
    plans = dict((plan_id, label) for label, plan_id in explorer.plan_options())
    assert "ppo-standard" in plans
    assert explorer.plan_payer("ppo-standard") is None  # a commercial plan brings no payer
    payers = {payer_id for _, payer_id in explorer.payer_options()}
    medicare_plans = [row["plan"] for payer, row in default_catalog().records("payers").items()
                      if row["kind"] != "commercial" and row["plan"]]
    assert medicare_plans and explorer.plan_payer(medicare_plans[0]) in payers
    assert explorer.matching_plan(o.scenario.plan) in plans or explorer.matching_plan(o.scenario.plan) is None
    assert explorer.ScenarioExplorer(show_trace=False).children
    assert state.plain_field("diagnoses[0]") == "the first diagnosis"
    assert state.plain_message("diagnoses[0]: bad").startswith("The first diagnosis: ")
    assert "showing the last good result" in state.problem_html("bad")
    assert state.parse_field("service.charge", 250, None) == 250
    explored = state.ExplorerState(scenario())
    assert explored.apply({"documentation.prior_auth": True}, label="prior authorization", path="documentation.prior_auth")
    assert explored.changed.startswith("prior authorization ")
    explored.fail("plan: no such plan")
    assert explored.message == "The plan: no such plan"
    quiz = questions.QuizState([question()])
    right = question().right_choice()
    assert quiz.answer(0, right)[0] is True
    assert quiz.answer(0, "covered" if right != "covered" else "denied")[0] is False
    assert Quiz([question()], title="Check").children
    assert course().title in verdict_html(course(), ranked(), False)
    assert "No client files uploaded" in applied_html(None)
    compare = CompareScenarios(["botox-forehead-lines"], chart=False, handout_folder=tmp_path / "handouts")
    saved = compare.save()
    assert saved is not None and all(path.parent == tmp_path / "handouts" and path.is_file() for path in saved)
    other = compare.save(tmp_path / "elsewhere")
    assert other is not None and other[0].parent == tmp_path / "elsewhere"
