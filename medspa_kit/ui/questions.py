"""Quiz questions whose right answer is computed when asked, never typed in.

A :class:`Question` holds a prompt, the choices shown and a function that returns the right
choice; :func:`engine_question` builds one from a scenario, so the answer is whatever the engine
decides today. No widget imports: the Quiz widget and the tests both use these objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from ..engine import evaluate
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
    """returns the explanation shown after an answer"""

    def right_choice(self) -> str:
        right = self.answer()
        if right not in self.choices:
            raise ValueError(f"the computed answer {right!r} is not among the choices {self.choices!r}")
        return right

    def check(self, choice: str) -> tuple[bool, str]:
        """(correct?, feedback in plain words) for a chosen answer."""
        right = self.right_choice()
        why = self.explain()
        if choice == right:
            return True, f"✓ Right. {why}".strip()
        return False, f"✗ Not quite — the answer is “{right}”. {why}".strip()


ASKS = ("decision", "reason", "patient_pays", "plan_pays", "hsa_fsa", "who_absorbs")


def _answer(outcome: Outcome, ask: str, number: int | None = None) -> str:
    """The right choice for ``ask``, about the claim or (``number``, from 1) one of its lines."""
    if number is None:
        item, reason = outcome, outcome.primary_reason
    elif 1 <= number <= len(outcome.lines):
        item = outcome.lines[number - 1]
        reason = item.reason
    else:
        raise ValueError(f"line must be between 1 and {len(outcome.lines)}, not {number!r}")
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


def _explanation(outcome: Outcome) -> str:
    step = outcome.decisive_step
    headline = outcome.headline
    if step is None:
        return f"The engine says: {headline}."
    return f"The engine says: {headline}. Why: {step.finding} (source: {step.source.split(':')[0]})."


def engine_question(prompt: str, scenario: Scenario | str | Mapping[str, Any], ask: str,
                    choices: Sequence[str], changes: Mapping[str, Any] | None = None,
                    line: int | None = None) -> Question:
    """A question about what the engine decides for a scenario (a preset name, dict or Scenario).

    ``ask`` is one of ``decision``, ``reason`` ("PR 204"), ``patient_pays`` and ``plan_pays``
    ("$480.00"), ``hsa_fsa`` and ``who_absorbs``; ``changes`` are dotted-path edits applied
    first. With ``line`` (from 1) the question is about that line of a claim.

    Raises ValueError for an ``ask`` that is not one of these (and, when the answer is asked
    for, for a line the claim does not have).
    """
    if ask not in ASKS:
        raise ValueError(f"ask must be one of {', '.join(ASKS)}, not {ask!r}")
    base = preset(scenario) if isinstance(scenario, str) else scenario
    if not isinstance(base, Scenario):
        base = Scenario.from_dict(base)
    final = base.with_changes(changes) if changes else base

    def outcome() -> Outcome:
        return evaluate(final)

    return Question(prompt, tuple(choices), lambda: _answer(outcome(), ask, line), lambda: _explanation(outcome()))


@dataclass
class QuizState:
    """Answers given so far; the widget shows it, tests drive it directly."""

    questions: Sequence[Question]
    given: dict[int, str] = field(default_factory=dict)

    def answer(self, index: int, choice: str) -> tuple[bool, str]:
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
    """
    from ..payments.financing import deferred_interest

    def result():
        return deferred_interest(amount, apr, promo_months, payment)

    def explain() -> str:
        r = result()
        if r.paid_off_in_promo:
            return f"Paid off in month {r.months_to_payoff}: no interest is charged."
        return (f"{format_dollars(r.deferred_interest)} of deferred interest is added when month {promo_months} "
                "ends.")

    return Question(prompt, ("yes", "no"), lambda: "yes" if result().paid_off_in_promo else "no", explain)


CLINIC_ASKS = ("winner", "costliest_denial")


def clinic_question(prompt: str, visits: Any, ask: str, choices: Sequence[str], **assumptions: Any) -> Question:
    """A question about the clinic decision for a year of ``visits`` (answer computed when asked).

    ``ask`` is ``winner`` ("stay cash-pay" or "credential with payers") or ``costliest_denial``
    ("CO 50": the denial that costs the credentialed clinic the most); ``assumptions`` change the
    defaults of :func:`medspa_kit.clinic.compare`.
    """
    if ask not in CLINIC_ASKS:
        raise ValueError(f"ask must be one of {', '.join(CLINIC_ASKS)}, not {ask!r}")
    from .. import clinic
    from ..report import clinic_verdict

    def result():
        return clinic.compare(visits, **assumptions)

    def answer() -> str:
        r = result()
        return clinic.STRATEGY_LABELS[r.winner] if ask == "winner" else r.costliest_denial()

    def explain() -> str:
        if ask == "winner":
            return clinic_verdict(result())
        return "In network a denial for missing criteria or authorization is the clinic's loss (CO)."

    return Question(prompt, tuple(choices), answer, explain)


YEAR_ASKS = ("patient_pays", "cheapest", "deductible_met_on")


def year_question(prompt: str, course: str, ask: str, choices: Sequence[str],
                  options: Mapping[str, Any] | None = None) -> Question:
    """A question about a bundled course's plan year (answer computed when asked).

    ``ask``: ``patient_pays`` (the course's total, "$1,500.00"), ``deductible_met_on`` (the date of
    the claim after which the in-network deductible is met, ISO) or ``cheapest`` (the label of
    ``options`` — plan objects or :class:`~medspa_kit.year.Cash` — with the lowest net cost).
    """
    if ask not in YEAR_ASKS:
        raise ValueError(f"ask must be one of {', '.join(YEAR_ASKS)}, not {ask!r}")
    from .. import year

    def answer() -> str:
        c = year.preset_course(course)
        if ask == "cheapest":
            table = year.compare_plans(c, options or {})
            return str(table.sort_values("net_cost", kind="stable").iloc[0]["option"])
        run = year.run_year(c)
        if ask == "patient_pays":
            return money(run.totals.patient_pays)
        deductible = c.scenario.plan.deductible
        table = run.table()
        met = table[table["deductible_met"] >= (deductible or 0)]
        return met["date_of_service"].iloc[0].isoformat() if len(met) else "never"

    return Question(prompt, tuple(choices), answer)
