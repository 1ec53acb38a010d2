"""Quiz: multiple-choice questions with instant feedback from the engine's own explanation."""

from __future__ import annotations

from html import escape
from typing import Sequence

import ipywidgets as w

from ..arguments import instance
from .questions import Question, QuizState


class Quiz(w.VBox):
    """Pick an answer, get told at once whether it is right and why (from the trace)."""

    def __init__(self, questions: Sequence[Question], title: str = "Check your understanding"):
        self.state = QuizState(questions)  # (a list of Question objects, or an error naming questions)
        instance(title, str, "title", "a text")
        for question in self.state.questions:
            question.right_choice()  # fail early if a computed answer is not among the choices
        self.radios: list[w.RadioButtons] = []
        self.feedback: list[w.HTML] = []
        boxes = []
        for index, question in enumerate(self.state.questions):
            radio = w.RadioButtons(options=list(question.choices), value=None, layout=w.Layout(width="auto"))
            note = w.HTML().add_class("medspa-quiz-feedback")
            radio.observe(self._on_answer(index), names="value")
            prompt = w.HTML(f"<b>{index + 1}. {escape(question.prompt)}</b>")
            box = w.VBox([prompt, radio, note], layout=w.Layout(margin="0 0 10px 0"))
            box.add_class("medspa-quiz-question")
            boxes.append(box)
            self.radios.append(radio)
            self.feedback.append(note)
        self.score = w.HTML()
        super().__init__([w.HTML(f"<h4 style='margin:4px 0'>{escape(title)}</h4>"), *boxes, self.score])
        self.add_class("medspa-quiz")

    def __repr__(self) -> str:
        return f"Quiz({len(self.state.questions)} questions)"

    def _on_answer(self, index: int):
        def handler(change) -> None:
            if change["new"] is None:
                return
            correct, text = self.state.answer(index, change["new"])
            colour = "#1e7b34" if correct else "#b3261e"
            self.feedback[index].value = f"<div style='color:{colour}'>{escape(text)}</div>"
            right, total = self.state.score
            answered = len(self.state.given)
            self.score.value = f"<i>{right} of {answered} answered right ({total} questions)</i>"

        return handler


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
