"""Quiz questions whose right answer is computed when asked, never typed in.

A :class:`Question` holds a prompt, the choices shown and a function that returns the right
choice; :func:`engine_question` builds one from a scenario, so the answer is whatever the engine
decides today. No widget imports: the Quiz widget and the tests both use these objects.
"""

from __future__ import annotations

from collections import abc
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from ..arguments import choice, failure, instance, instances, listed, mapping, texts, whole
from ..engine import evaluate
from ..errors import MedspaError, ScenarioError, shown_value, unwrapped
from ..fields import MAX_LINES
from ..model import Scenario
from ..outcome import Outcome
from ..presets import preset
from ..money import format_dollars
from ..vocabulary import DECISION_WORDS, HSA_WORDS, money


@dataclass(frozen=True)
class Question:
    prompt: str
    choices: tuple[str, ...]
    answer: Callable[[], str]
    """returns the right choice (one of ``choices``), computed when called"""
    explain: Callable[[], str] = field(default=lambda: "")
    """returns the explanation shown after an answer, right or wrong"""
    topic: str = ""
    """what is asked (``hsa_fsa``, ``patient_pays``, ``decision``, ``deferred``, …): the explanation is about it"""
    premise: Callable[[], str | None] = field(default=lambda: None)
    """returns why the question makes no sense for its scenario (None when it does)"""

    def __post_init__(self) -> None:
        instance(self.prompt, str, "prompt", "a text")
        object.__setattr__(self, "choices", tuple(unwrapped(c) for c in texts(self.choices, "choices", "answers")))
        for name in ("answer", "explain", "premise"):
            instance(getattr(self, name), abc.Callable, name, "a function")
        instance(self.topic, str, "topic", "a text")

    def right_choice(self) -> str:
        """The right choice; MedspaError (a ValueError) when the premise is false or the answer is not
        a choice."""
        problem = _called("premise", self.premise)
        if problem is not None and not isinstance(problem, str):
            raise ScenarioError.one("premise", f"expected a text or None, got {type(problem).__name__}")
        if problem:
            raise MedspaError(f"{self.prompt!r} asks about something that is not there: {problem}")
        right = unwrapped(_called("answer", self.answer))  # (text of a subclass: plain, so no method of its own)
        if not isinstance(right, str) or right not in self.choices:
            raise MedspaError(f"the computed answer {shown_value(right)} is not among the choices {self.choices!r}")
        return right

    def check(self, choice: str) -> tuple[bool, str]:
        """(correct?, feedback in plain words) for a chosen answer."""
        choice = unwrapped(instance(choice, str, "choice", "a text (one of the question's choices)"))
        right = self.right_choice()
        why = _called("explain", self.explain)
        if not isinstance(why, str):
            raise ScenarioError.one("explain", f"expected a text, got {type(why).__name__}")
        if choice == right:
            return True, f"✓ Right. {why}".strip()
        return False, f"✗ Not quite — the answer is “{right}”. {why}".strip()


def _called(name: str, function: Callable[[], Any]) -> Any:
    """What ``function`` (a question's own, given by its author) returns; its failure is a
    ScenarioError naming it (a MedspaError it raises is its own message)."""
    try:
        return function()
    except MedspaError:
        raise
    except Exception as err:  # (the caller's function failed)
        raise ScenarioError.one(name, f"calling it failed: {failure(err)}") from None


ASKS = ("decision", "reason", "patient_pays", "plan_pays", "hsa_fsa", "who_absorbs")


def _answer(outcome: Outcome, ask: str, number: int | None = None) -> str:
    """The right choice for ``ask``, about the claim or (``number``, from 1) one of its lines."""
    if number is None:
        item, reason = outcome, outcome.primary_reason
    elif 1 <= number <= len(outcome.lines):
        item = outcome.lines[number - 1]
        reason = item.reason
    else:
        raise MedspaError(f"line must be between 1 and {len(outcome.lines)}, not {shown_value(number)}")
    if ask == "decision":
        return DECISION_WORDS[item.decision]
    if ask == "reason":
        return reason.label if reason else "none: it is covered"
    if ask in ("patient_pays", "plan_pays"):
        return money(getattr(item.cost, ask))
    if ask == "hsa_fsa":
        return HSA_WORDS[item.hsa_fsa.status]
    if ask == "who_absorbs":
        if item.decision == "covered":
            return "nobody: the claim is paid"
        return "the patient" if reason.group == "PR" else "the clinic"
    raise ValueError(f"ask must be one of {', '.join(ASKS)}, not {ask!r}")


def _item(outcome: Outcome, number: int | None):
    return outcome if number is None else outcome.lines[number - 1]


def _cited(outcome: Outcome, references: Sequence[str]) -> str:
    """Whole citations in words (a bracket is never cut)."""
    return outcome.catalog.cite((), tuple(references))


def _decisive(outcome: Outcome, number: int | None):
    if number is None:
        return outcome.decisive_step
    return next((s for s in outcome.steps if s.decisive and s.line == number), None)


GROUP_WORDS = {
    "PR": "PR (patient responsibility): the patient owes it",
    "CO": "CO (contractual obligation): the clinic writes it off and may not bill the patient for it",
}


def _arithmetic(outcome: Outcome, number: int | None) -> str:
    """The dollars of the claim (or a line), as sums a trainee can redo by hand."""
    item = _item(outcome, number)
    c = item.cost
    parts = [f"charge {money(c.charge)} = plan pays {money(c.plan_pays)} + patient pays {money(c.patient_pays)} "
             f"+ clinic writes off {money(c.provider_writeoff)}"]
    if item.decision != "covered":
        reason = item.reason if number is not None else outcome.primary_reason
        parts.append(f"not paid ({reason.label}): the plan pays nothing and "
                     + ("the patient owes the whole charge" if reason.group == "PR" else "the clinic absorbs it"))
        return "; ".join(parts) + "."
    share = [f"deductible {money(c.deductible)}", f"coinsurance {money(c.coinsurance)}", f"copay {money(c.copay)}"]
    if c.balance_bill:
        share.append(f"balance bill {money(c.balance_bill)}")
    parts.append(f"allowed by the plan {money(c.allowed)}")
    parts.append(f"patient pays {' + '.join(share)} = {money(c.patient_pays)}")
    own = c.deductible + c.coinsurance + c.copay
    parts.append(f"plan pays allowed − (deductible + coinsurance + copay) = {money(c.allowed)} − {money(own)} "
                 f"= {money(c.plan_pays)}")
    if c.plan_pays == 0:
        parts.append("covered, but applied to the deductible: the plan pays $0.00")
    return "; ".join(parts) + "."


def _hsa(outcome: Outcome, number: int | None) -> str:
    h = _item(outcome, number).hsa_fsa
    return (f"HSA/FSA: {HSA_WORDS[h.status]} — {h.reason}. The rule: an HSA or FSA pays for medical care as IRS "
            f"Publication 502 defines it; the entry that decides here: {_cited(outcome, h.references)}.")


def _check(outcome: Outcome, ask: str, number: int | None) -> str:
    item = _item(outcome, number)
    step = _decisive(outcome, number)
    where = "" if number is None else f"Line {number} ({item.code}): "
    if step is None:
        text = (f"{where}{DECISION_WORDS[item.decision]} — every check passed: the plan pays "
                f"{money(item.cost.plan_pays)} and the patient pays {money(item.cost.patient_pays)}")
        if item.cost.plan_pays == 0 and item.decision == "covered":
            text += " (covered, but applied to the deductible: the plan pays $0.00)"
        if ask == "who_absorbs":
            text += "; nobody absorbs the charge: the claim is paid"
        return text + "."
    reason = item.reason if number is not None else outcome.primary_reason
    text = (f"{where}{DECISION_WORDS[item.decision]}, {reason.label} {reason.text}. The check that decided: "
            f"{step.title} — {step.finding}.")
    if ask == "who_absorbs":
        text += f" {GROUP_WORDS.get(reason.group, reason.group)}."
    cited = _cited(outcome, step.references)
    return f"{text} Source: {cited}." if cited.strip() else text


def _explanation(outcome: Outcome, ask: str, number: int | None = None) -> str:
    """Why the answer is what it is, in the terms of the question asked."""
    if ask == "hsa_fsa":
        return _hsa(outcome, number)
    if ask in ("patient_pays", "plan_pays"):
        return _arithmetic(outcome, number)
    return _check(outcome, ask, number)


def _premise(outcome: Outcome, ask: str, number: int | None) -> str | None:
    """Why ``ask`` makes no sense for this outcome (None when it does)."""
    if number is not None and not 1 <= number <= len(outcome.lines):
        return None  # the answer names the lines the claim has
    if ask == "hsa_fsa" and _item(outcome, number).cost.patient_pays == 0:
        return "the patient owes nothing, so there is nothing to pay from an HSA or FSA"
    return None


def engine_question(prompt: str, scenario: Scenario | str | Mapping[str, Any], ask: str,
                    choices: Sequence[str], changes: Mapping[str, Any] | None = None,
                    line: int | None = None) -> Question:
    """A question about what the engine decides for a scenario (a preset name, dict or Scenario).

    ``ask`` is one of ``decision``, ``reason`` ("PR 204"), ``patient_pays`` and ``plan_pays``
    ("$480.00"), ``hsa_fsa`` and ``who_absorbs``; ``changes`` are dotted-path edits applied
    first. With ``line`` (from 1) the question is about that line of a claim.

    Raises MedspaError (a ValueError) naming the argument for an ``ask`` that is not one of these,
    ``choices`` that are not a list of texts, ``changes`` that are not a dict or a ``line`` that is
    not a whole number (and, when the answer is asked for, for a line the claim does not have).
    """
    instance(prompt, str, "prompt", "a text")
    choice(ask, "ask", ASKS)
    choices = texts(choices, "choices", "answers")
    changes = mapping(changes, "changes", "a dict of field → value")
    if line is not None:
        line = whole(line, "line", 1, MAX_LINES)  # (1.0 or Decimal("1"): line 1, an int)
    base = preset(scenario) if isinstance(scenario, str) else scenario
    if not isinstance(base, Scenario):
        base = Scenario.from_dict(base)
    final = base.with_changes(changes) if changes else base

    def outcome() -> Outcome:
        return evaluate(final)

    return Question(prompt, tuple(choices), lambda: _answer(outcome(), ask, line),
                    lambda: _explanation(outcome(), ask, line), topic=ask,
                    premise=lambda: _premise(outcome(), ask, line))


@dataclass
class QuizState:
    """Answers given so far; the widget shows it, tests drive it directly."""

    questions: Sequence[Question]
    given: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.questions = instances(listed(self.questions, "questions", "Question"), Question, "questions",
                                   "Question objects (medspa_kit.ui.questions)")
        if not self.questions:
            raise ScenarioError.one("questions", "no question given")

    def answer(self, index: int, choice: str) -> tuple[bool, str]:
        """(correct?, feedback) for ``choice`` given to question ``index`` (0 is the first)."""
        index = whole(index, "index", 0, len(self.questions) - 1)
        instance(choice, str, "choice", "a text (one of the question's choices)")
        self.given[index] = choice
        return self.questions[index].check(choice)

    @property
    def score(self) -> tuple[int, int]:
        right = sum(1 for i, choice in self.given.items() if self.questions[i].check(choice)[0])
        return right, len(self.questions)


def deferred_question(prompt: str, amount: float, apr: float, promo_months: int, payment: float) -> Question:
    """Is a deferred-interest balance paid off inside its promotion? ("yes" / "no", computed).

    Parameters are those of :func:`medspa_kit.payments.deferred_interest`: dollars, the APR as
    a fraction, months, and the fixed monthly payment in dollars.

    Raises :class:`~medspa_kit.errors.MedspaError` naming the argument, when the question is built
    (the plan is worked out then: a few months of arithmetic).
    """
    from ..payments.financing import deferred_interest, minimum_payment_to_clear

    instance(prompt, str, "prompt", "a text")
    r = deferred_interest(amount, apr, promo_months, payment)

    def explain() -> str:
        if r.paid_off_in_promo:
            return f"Yes: {format_dollars(r.payment)} a month pays it off in month {r.months_to_payoff}, so no interest is charged."
        clear = minimum_payment_to_clear(r.amount, r.promo_months)  # (the values read: 6.0 months is month 6)
        return (f"No: {format_dollars(r.payment)} a month leaves a balance when month {r.promo_months} ends, so "
                f"{format_dollars(r.deferred_interest)} of deferred interest is added at once (clearing it in time "
                f"takes {format_dollars(clear)} a month).")

    return Question(prompt, ("yes", "no"), lambda: "yes" if r.paid_off_in_promo else "no", explain,
                    topic="deferred")


CLINIC_ASKS = ("winner", "costliest_denial")


def clinic_question(prompt: str, visits: Any, ask: str, choices: Sequence[str], **assumptions: Any) -> Question:
    """A question about the clinic decision for a year of ``visits`` (answer computed when asked).

    ``ask`` is ``winner`` ("stay cash-pay" or "credential with payers") or ``costliest_denial``
    ("CO 50": the denial that costs the credentialed clinic the most); ``assumptions`` change the
    defaults of :func:`medspa_kit.clinic.compare`.
    """
    instance(prompt, str, "prompt", "a text")
    choice(ask, "ask", CLINIC_ASKS)
    choices = texts(choices, "choices", "answers")
    from .. import clinic
    from ..report import clinic_verdict

    def result():
        return clinic.compare(visits, **assumptions)

    def answer() -> str:
        r = result()
        return clinic.STRATEGY_LABELS[r.winner] if ask == "winner" else r.costliest_denial()

    def explain() -> str:
        if ask == "winner":
            return f"{answer().capitalize()} wins. {clinic_verdict(result())}"
        return (f"{answer()} costs the credentialed clinic the most: in network a denial for missing criteria or "
                "authorization is the clinic's loss (CO), which it may not bill the patient for.")

    return Question(prompt, tuple(choices), answer, explain, topic=ask)


YEAR_ASKS = ("patient_pays", "cheapest", "deductible_met_on")


def year_question(prompt: str, course: str, ask: str, choices: Sequence[str],
                  options: Mapping[str, Any] | None = None) -> Question:
    """A question about a bundled course's plan year (answer computed when asked).

    ``ask``: ``patient_pays`` (the course's total, "$1,500.00"), ``deductible_met_on`` (the date of
    the claim after which the in-network deductible is met, ISO) or ``cheapest`` (the label of
    ``options`` — plan objects or :class:`~medspa_kit.year.Cash` — with the lowest net cost, row 0 of
    :func:`~medspa_kit.year.rank_options`, the ranking the plan-year widget's verdict reads).

    Raises :class:`~medspa_kit.errors.MedspaError` naming the argument when the question is built
    (a course that is no preset, or ``cheapest`` with no options, included); what each option holds
    is checked when the answer is asked for.
    """
    instance(prompt, str, "prompt", "a text")
    instance(course, str, "course", "a course's name (medspa_kit.year.course_names() lists them)")
    choice(ask, "ask", YEAR_ASKS)
    choices = texts(choices, "choices", "answers")
    options = mapping(options, "options", "a dict of label → plan or Cash")
    from .. import year

    c = year.preset_course(course)  # (read once: the answer and its explanation use it)
    if ask == "cheapest" and not options:
        raise ScenarioError.one("options", "nothing to rank: the cheapest option needs a dict of label → plan "
                                           "or Cash (medspa_kit.year.Cash), such as "
                                           "medspa_kit.year.patient_options(('ppo-standard', 'hdhp-hsa'))")

    def answer() -> str:
        if ask == "cheapest":
            return str(year.rank_options(c, options or {}).iloc[0]["option"])
        run = year.run_year(c)
        if ask == "patient_pays":
            return money(run.totals.patient_pays)
        deductible = c.scenario.plan.deductible
        table = run.table()
        met = table[table["deductible_met"] >= (deductible or 0)]
        return met["date_of_service"].iloc[0].isoformat() if len(met) else "never"

    def explain() -> str:
        if ask == "cheapest":
            table = year.rank_options(c, options or {})
            costs = "; ".join(f"{row.option} {format_dollars(row.net_cost)}" for row in table.itertuples())
            return f"{answer()} costs least over the year, after any HSA tax saving: {costs}."
        run = year.run_year(c)
        if ask == "patient_pays":
            parts = " + ".join(money(claim.outcome.cost.patient_pays) for claim in run.claims)
            return (f"The patient's share of each claim, in date order, the deductible and out-of-pocket carried from "
                    f"one to the next: {parts} = {money(run.totals.patient_pays)}.")
        deductible = c.scenario.plan.deductible
        return (f"The in-network deductible is {format_dollars(deductible or 0)}; after the claim of {answer()} the "
                "amounts the patient paid toward it reach it, so later claims pay only coinsurance or copays.")

    return Question(prompt, tuple(choices), answer, explain, topic="patient_pays" if ask == "patient_pays" else "year")


def myth_question(prompt: str, check: Callable[[], Any]) -> Question:
    """Is a claim found online true or false? ``check`` returns a :class:`medspa_kit.lessons.MythCheck`,
    whose verdict the engine decided; the explanation gives the verdict, why, and the sources."""
    instance(prompt, str, "prompt", "a text")
    instance(check, abc.Callable, "check", "a function returning a MythCheck (medspa_kit.lessons)")

    def checked() -> Any:  # (called when the answer is asked for: what it returns is checked then)
        from ..lessons import MythCheck

        found = _called("check", check)
        return instance(found, MythCheck, "check", "check() to return a MythCheck (medspa_kit.lessons)")

    def explain() -> str:
        m = checked()
        from ..catalog import default_catalog

        return f"{m.verdict.capitalize()}: {m.reason} Sources: {default_catalog().cite((), m.sources)}."

    return Question(prompt, ("true", "false"), lambda: checked().verdict, explain, topic="myth")


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
