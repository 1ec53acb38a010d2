"""The faces trainees touch: widgets (ipywidgets 8) over plain state objects.

``state.py`` and ``questions.py`` import no widget library (the HTML comes from
:mod:`medspa_kit.report.html`); the widgets
(``ScenarioExplorer``, ``CompareScenarios``, ``Quiz``, ``CodeChecker``, ``ClientFiles``) are
loaded on first use.
"""

from __future__ import annotations

from .._lazy import lazy

_LAZY = {
    "ScenarioExplorer": ".explorer",
    "CompareScenarios": ".compare",
    "Quiz": ".quiz",
    "CodeChecker": ".tools",
    "ClientFiles": ".tools",
    "code_verdict": ".tools",
    "ClinicDecision": ".clinic",
    "RemittanceReader": ".remittance",
    "PlanYearExplorer": ".year",
    "PaymentPicker": ".payments",
    "Question": ".questions",
    "engine_question": ".questions",
    "deferred_question": ".questions",
    "clinic_question": ".questions",
    "year_question": ".questions",
    "myth_question": ".questions",
}

__all__ = list(_LAZY)


__getattr__ = lazy(__name__, _LAZY, globals())
