"""ScenarioExplorer: flip one fact at a time and watch the decision, the reason and the dollars.

Widgets here only read and write an :class:`~medspa_kit.ui.state.ExplorerState`; callbacks set
widget values (never ``print``), so the explorer behaves the same in JupyterLab, Voila, nbval
and plain pytest. Every control carries the CSS class ``medspa-control-<dotted-path>``.
"""

from __future__ import annotations

from html import escape
from numbers import Number
from typing import Any, Callable, Iterable

import ipywidgets as w
import numpy as np

from ..arguments import instance, readable, texts, truth, unwrapped
from ..catalog import Catalog, Procedure, given_catalog
from ..columns import SPECS
from ..errors import MedspaError, ScenarioError, shortened, shown_value
from ..fields import OMITTED, read_lines, read_text, write_lines
from ..model import Plan
from ..presets import preset, preset_info
from ..report import html as render
from .state import ExplorerState

SEP = " — "

#: Controls shown by default, in the order a front desk thinks about a visit.
ALL_CONTROLS = (
    "preset",
    "service.code",
    "lines",
    "diagnoses",
    "diagnoses.second",
    "provider.type",
    "provider.credentialed",
    "facility.kind",
    "facility.place_of_service",
    "facility.credentialed",
    "facility.participating",
    "payer",
    "plan",
    "documentation.criteria_documented",
    "documentation.criteria",
    "documentation.prior_auth",
    "documentation.referral",
    "documentation.lmn",
    "documentation.waiver_signed",
    "service.charge",
    "accumulators.deductible_met",
    "accumulators.oop_met",
    "accumulators.last_treatment",
)

LABELS = {
    "preset": "Start from",
    "service.code": "Service",
    "lines": "Claim lines",
    "diagnoses": "Diagnosis",
    "diagnoses.second": "2nd diagnosis",
    "provider.type": "Provider",
    "provider.credentialed": "Provider credentialed with the payer",
    "facility.kind": "Site",
    "facility.place_of_service": "Place of service",
    "facility.credentialed": "Clinic credentialed with the payer",
    "facility.participating": "Clinic has a signed contract",
    "payer": "Payer",
    "plan": "Plan",
    "documentation.criteria_documented": "Policy criteria documented",
    "documentation.criteria": "Criteria in the chart",
    "documentation.prior_auth": "Prior authorization on file",
    "documentation.referral": "Referral on file",
    "documentation.lmn": "Letter of medical necessity",
    "documentation.waiver_signed": "Patient signed a waiver",
    "service.charge": "Charge ($)",
    "accumulators.deductible_met": "Deductible met ($)",
    "accumulators.oop_met": "Out-of-pocket met ($)",
    "accumulators.last_treatment": "Last treatment",
}

FLAGS = {path for path in ALL_CONTROLS if path.startswith("documentation.") and path != "documentation.criteria"
         or path.endswith("credentialed") or path.endswith("participating")}
MONEY = {"service.charge", "accumulators.deductible_met", "accumulators.oop_met"}
DESCRIPTION = {"description_width": "150px"}


def css_class(path: str) -> str:
    instance(path, str, "path", "a field's dotted name (such as \"plan.type\")")
    return "medspa-control-" + path.replace(".", "-")


def diagnosis_label(code: str, catalog: Catalog | None = None) -> str:
    instance(code, str, "code", "a diagnosis code (such as \"L74.510\")")
    name = given_catalog(catalog).diagnosis_name(code)
    return f"{code}{SEP}{name}" if name else code


def code_from_text(text: str) -> str:
    """``L74.510 — Excessive sweating…`` → ``L74.510``; a bare code is kept as typed."""
    instance(text, str, "text", "a text (a diagnosis code, such as \"L74.510\")")
    return text.split(SEP, 1)[0].strip()


def service_key(proc: Procedure, catalog: Catalog | None = None) -> str:
    """The dropdown value of a procedure: its billing code when the code names it, else its id."""
    instance(proc, Procedure, "proc", "a Procedure (catalog.procedure(code) gives one)")
    catalog = given_catalog(catalog)
    return proc.code if proc.code and catalog.codes.get(proc.code) == proc.id else proc.id


def service_options(catalog: Catalog | None = None) -> list[tuple[str, str]]:
    """The services a one-service visit can be, one entry per billing code (``64650 — Botox for
    underarm sweating``) plus those with no code. A claim line that shares a code (the injection of
    64650 without its drug, ``billed_as`` ``line`` in ``procedures.csv``) and a drug alone are lines
    of a claim, typed in the claim-lines box, not services of their own here."""
    catalog = given_catalog(catalog)
    return [(f"{proc.code or 'no code'}{SEP}{proc.name}", service_key(proc, catalog))
            for proc in catalog.procedures.values() if proc.billed_as != "line"]


def payer_options(catalog: Catalog | None = None) -> list[tuple[str, str]]:
    catalog = given_catalog(catalog)
    return [(row["name"], payer_id) for payer_id, row in catalog.records("payers").items()]


def plan_payer(plan_id: str, catalog: Catalog | None = None) -> str | None:
    """The Medicare or Medicaid payer whose own plan ``plan_id`` is (``payers.csv``, ``plan``), or
    None for a commercial plan."""
    instance(plan_id, str, "plan_id", "a plan id (such as \"ppo-standard\")")
    catalog = given_catalog(catalog)
    return next((payer for payer, row in catalog.records("payers").items()
                 if row["kind"] != "commercial" and row["plan"] == plan_id), None)


def plan_options(catalog: Catalog | None = None) -> list[tuple[str, str]]:
    catalog = given_catalog(catalog)
    return [(f"{row['name']} ({row['type']})", plan_id) for plan_id, row in catalog.records("plans").items()]


def matching_plan(plan: Plan, catalog: Catalog | None = None) -> str | None:
    instance(plan, Plan, "plan", "a Plan (a scenario's plan)")
    catalog = given_catalog(catalog)
    for plan_id in catalog.records("plans"):
        if Plan.model_validate(catalog.plan(plan_id), context={"catalog": catalog}) == plan:
            return plan_id
    return None


def _money_text(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _lines_not_service(path: str, value: Any, lines: Any) -> str:
    """Why ``path`` (a ``service.*`` field) cannot be set on a claim with lines: where that is given."""
    given = f"{path}: {shown_value(value)} not applied: this claim has lines ({shortened(write_lines(lines), 80)})"
    if path == "service.charge":
        return (f"{given}, each charged on its own (the catalog's price per unit × its units, or the line's "
                "charge in the scenario file), not one service charge")
    if path == "service.code":
        return f"{given}: change the services in Claim lines"
    return f"{given}: set it on its lines in the scenario file"


class ScenarioExplorer(w.VBox):
    """An interactive scenario: controls on top, the outcome underneath.

    ``ScenarioExplorer(preset="botox-underarm-sweating")`` starts from a preset; ``controls``
    picks which controls to show (dotted paths, see ``ALL_CONTROLS``).
    """

    def __init__(self, preset: str = "botox-underarm-sweating", controls: Iterable[str] | None = None,
                 catalog: Catalog | None = None, show_trace: bool = True):
        self.catalog = given_catalog(catalog)
        show_trace = truth(show_trace, "show_trace")
        if isinstance(controls, (str, bytes)) or not (controls is None or isinstance(controls, (list, tuple))):
            raise ScenarioError.one("controls", f"expected a list of control names such as [\"plan\"], got "
                                                f"{shown_value(controls)}")
        self.state = ExplorerState.from_preset(preset, self.catalog)
        self._preset_name = preset
        self._syncing = False
        self.controls: dict[str, w.Widget] = {}
        shown = tuple(texts(controls, "controls", "control names")) if controls is not None else ALL_CONTROLS
        for path in shown:
            if path not in LABELS:
                raise ScenarioError.one("controls", f"unknown control {shown_value(path)}; choose from "
                                                    f"{', '.join(ALL_CONTROLS)}")
            self.controls[path] = self._make_control(path)
        self.decision = w.HTML().add_class("medspa-decision")
        self.changed = w.HTML().add_class("medspa-changed")
        self.message = w.HTML().add_class("medspa-message")
        self.dollars = w.HTML().add_class("medspa-dollars")
        self.advice = w.HTML(layout=w.Layout(max_width="560px"))
        self.trace = w.HTML()
        accordion = w.Accordion(children=[self.trace], titles=("Every check, with the facts and sources it used",))
        accordion.selected_index = None
        accordion.add_class("medspa-trace")
        if not show_trace:
            accordion.layout.display = "none"
        self.state.listeners.append(self._show)
        self._sync_controls()
        self._show(self.state)
        grid = w.GridBox(list(self.controls.values()),
                         layout=w.Layout(grid_template_columns="repeat(auto-fill, minmax(330px, 1fr))",
                                         grid_gap="2px 16px"))
        self.dollars.layout.margin = "0 32px 8px 0"
        results = w.HBox([self.dollars, self.advice], layout=w.Layout(flex_flow="row wrap"))
        super().__init__([grid, self.message, self.decision, self.changed, results, accordion])
        self.add_class("medspa-explorer")

    def __repr__(self) -> str:  # the plain-text view notebooks store: short and stable
        return f"ScenarioExplorer(preset={self._preset_name!r})"

    # -- controls -----------------------------------------------------------------------------
    def _make_control(self, path: str) -> w.Widget:
        cat = self.catalog
        label = LABELS[path]
        if path == "preset":
            info = preset_info(cat)
            widget = w.Dropdown(options=[(f"{name}{SEP}{row['title']}", name) for name, row in info.items()],
                                description=label, style=DESCRIPTION)
        elif path == "service.code":
            widget = w.Dropdown(options=service_options(cat), description=label, style=DESCRIPTION)
        elif path in ("diagnoses", "diagnoses.second"):
            codes = [r["code"] for r in cat.rows["diagnoses"]]
            widget = w.Combobox(options=[diagnosis_label(c, cat) for c in codes], ensure_option=False,
                                continuous_update=False, description=label, style=DESCRIPTION,
                                placeholder="type a code or a word" if path == "diagnoses" else "optional")
        elif path == "provider.type":
            widget = w.Dropdown(options=[(f"{r['type']}{SEP}{r['name']}", r["type"]) for r in cat.rows["provider_types"]],
                                description=label, style=DESCRIPTION)
        elif path == "facility.kind":
            widget = w.Dropdown(options=[(r["name"], r["kind"]) for r in cat.rows["facility_kinds"]],
                                description=label, style=DESCRIPTION)
        elif path == "facility.place_of_service":
            widget = w.Dropdown(options=[(f"{r['code']}{SEP}{r['name']}", r["code"]) for r in cat.rows["places_of_service"]],
                                description=label, style=DESCRIPTION)
        elif path == "plan":
            widget = w.Dropdown(options=plan_options(cat), description=label, style=DESCRIPTION)
        elif path == "payer":
            widget = w.Dropdown(options=payer_options(cat), description=label, style=DESCRIPTION)
        elif path == "documentation.criteria":
            widget = w.SelectMultiple(options=[(row["name"], key) for key, row in cat.records("criteria").items()],
                                      rows=4, description=label, style=DESCRIPTION,
                                      tooltip="none picked: 'Policy criteria documented' decides")
        elif path in FLAGS:
            widget = w.Checkbox(description=label, indent=False)
        elif path == "accumulators.last_treatment":
            widget = w.Text(description=label, placeholder="YYYY-MM-DD or empty", continuous_update=False,
                            style=DESCRIPTION)
        elif path == "lines":
            widget = w.Text(description=label, placeholder="64615; J0585 x155; J0585-JW x45", continuous_update=False,
                            style=DESCRIPTION)
        else:
            widget = w.Text(description=label, continuous_update=False, style=DESCRIPTION,
                            placeholder="catalog price" if path == "service.charge" else "0.00")
        if not isinstance(widget, w.Checkbox):
            widget.layout.width = "98%"  # fill the grid cell so long labels stay readable
        widget.add_class(css_class(path))
        widget.observe(self._on_change(path), names="value")
        return widget

    def _on_change(self, path: str) -> Callable[[dict[str, Any]], None]:
        def handler(change: dict[str, Any]) -> None:
            if self._syncing:
                return
            self.set(path, change["new"])

        return handler

    def set(self, path: str, value: Any) -> bool:
        """What a control does when it changes (also handy from code and tests).

        Bad input (an unknown preset or plan, text that is no number) is shown inline in
        ``message`` and the last good result stays; returns whether the change was applied.
        """
        if not isinstance(path, str):
            self.state.fail(f"{shown_value(path)} is not a field's dotted name (such as \"plan.type\")")
            return False
        value = unwrapped(value)  # (a number of a subclass of int or float: the plain one it holds)
        try:
            readable(value, path)
            done = self._set(path, value)
        except MedspaError as err:
            self.state.fail(str(err))
            return False
        if done:  # every control shows the scenario now evaluated, however the change came
            self._sync_controls()
        return done

    def _set(self, path: str, value: Any) -> bool:
        if path == "preset":
            scenario = preset(value, self.catalog)
            self._preset_name = value
            self.state.reset(scenario, note=f"started from the preset {value}")
            return True
        if path in ("diagnoses", "diagnoses.second"):
            first = self.controls["diagnoses"].value if "diagnoses" in self.controls else self.state.scenario.diagnoses[0]
            second = self.controls["diagnoses.second"].value if "diagnoses.second" in self.controls else ""
            if not isinstance(value, str):
                self.state.fail(f"{path}: type a diagnosis code, such as L74.510 (got {type(value).__name__})")
                return False
            if path == "diagnoses":
                first = value
            else:
                second = value
            codes = [code_from_text(t) for t in (first, second) if code_from_text(t)]
            if not codes:
                self.state.fail("diagnoses: enter at least one diagnosis code")
                return False
            return self.state.apply({"diagnoses": codes})
        if path.startswith("service.") and self.state.scenario.lines is not None:
            self.state.fail(_lines_not_service(path, value, self.state.scenario.lines))
            return False
        if path == "service.code":
            return self.state.apply({"service": {"code": value}}, label="service")
        if path == "lines":
            try:
                lines = read_lines(str(value))
            except ValueError as err:
                self.state.fail(f"lines: {err}")
                return False
            changes: dict[str, Any] = {"lines": lines}
            if self.state.scenario.lines is None:  # a visit of one service becomes a claim with lines
                changes = {"service": None, "version": 2, **changes}
            return self.state.apply(changes, label="lines", path="lines")
        if path in ("plan", "payer") and not isinstance(value, str):
            return self.state.apply({path: value})  # the parser names what it is (a plan id is text)
        if path == "plan":
            if value == "scenario":  # the preset's own plan, already in place
                return True
            changes = {"plan": self.catalog.plan(value)}
            owner = plan_payer(value, self.catalog)
            if owner is not None:  # Original Medicare's or Medi-Cal's own plan brings its payer
                changes["payer"] = owner
            elif self.catalog.payer_kind(self.state.scenario.payer_id) != "commercial":
                changes["payer"] = None  # a commercial plan: the generic commercial payer
            return self.state.apply(changes, path="plan")
        if path == "payer":
            if value not in self.catalog.keyed["payers"]:  # the parser names it
                return self.state.apply({"payer": value})
            changes = {"payer": value}
            if self.catalog.payer_kind(value) != self.catalog.payer_kind(self.state.scenario.payer_id):
                # Medicare and Medicaid bring their own plan (no PPO deductible under Medi-Cal)
                changes["plan"] = self.catalog.plan(self.catalog.payer_plan(value))
            return self.state.apply(changes, path="payer")
        if path == "documentation.criteria":
            if not (value is None or isinstance(value, (str, list, tuple))):
                return self.state.apply({path: value})  # the parser names what it is (a number is no list)
            chosen = [value] if isinstance(value, str) else list(value or ())  # one id is one, not its letters
            return self.state.apply({path: chosen or None})
        if path in MONEY:
            if isinstance(value, Number) and not isinstance(value, (bool, np.bool_)):  # from code: the parser reads
                return self.state.apply({path: value})  # any number (a Fraction, a Decimal), as evaluate does
            number = read_text("number", str(value))  # the rule of every face: $1,100 yes, 1_100 no
            if number is OMITTED:
                return self.state.apply({path: None if path == "service.charge" else 0.0})
            if isinstance(number, str):
                self.state.fail(f"{path}: {str(value)!r} is not a number")
                return False
            return self.state.apply({path: number})
        if path == "accumulators.last_treatment":
            text = str(value).strip()
            return self.state.apply({path: text or None})
        spec = SPECS.get(path)
        if isinstance(value, str) and spec is not None and spec.kind == "number":  # a rate typed in
            number = read_text("number", value)
            return self.state.apply({path: None if number is OMITTED else number})
        return self.state.apply({path: value})

    def _sync_controls(self) -> None:
        """Show the scenario's values in the controls (after any change applied, from a control or code)."""
        s = self.state.scenario
        cat = self.catalog
        self._syncing = True
        try:
            for path, widget in self.controls.items():
                if path == "preset":
                    widget.value = self._preset_name
                elif path == "service.code":
                    widget.layout.display = "none" if s.service is None else None
                    if s.service is not None:
                        proc = cat.procedure(s.service.code)
                        widget.value = service_key(proc, cat)
                elif path == "lines":
                    widget.value = write_lines(s.lines) if s.lines is not None else ""
                elif path == "diagnoses":
                    widget.value = diagnosis_label(s.diagnoses[0], cat)
                elif path == "diagnoses.second":
                    widget.value = diagnosis_label(s.diagnoses[1], cat) if len(s.diagnoses) > 1 else ""
                elif path == "payer":
                    widget.value = s.payer_id
                elif path == "documentation.criteria":
                    widget.value = tuple(s.documentation.criteria or ())
                elif path == "plan":
                    found = matching_plan(s.plan, cat)
                    options = plan_options(cat)
                    if found is None:
                        found = "scenario"
                        options = [(f"as in the scenario ({s.plan.type.value})", "scenario"), *options]
                    widget.options = options
                    widget.value = found
                elif path in MONEY:
                    if path == "service.charge":  # a claim with lines charges each line: no one charge
                        widget.layout.display = "none" if s.service is None else None
                    widget.value = _money_text(s.get(path))
                elif path == "accumulators.last_treatment":
                    last = s.accumulators.last_treatment
                    widget.value = last.isoformat() if last else ""
                elif path == "facility.place_of_service":
                    widget.value = s.facility.place_of_service or cat.record(
                        "facility_kinds", s.facility.kind.value)["default_place_of_service"]
                else:
                    widget.value = s.get(path)
        finally:
            self._syncing = False

    # -- results ------------------------------------------------------------------------------
    def _show(self, state: ExplorerState) -> None:
        outcome = state.outcome
        self.decision.value = render.decision_html(outcome)
        self.changed.value = (f"<div style='margin:4px 0;font-style:italic'>{escape(state.changed)}</div>"
                              if state.changed else "")
        self.message.value = (f"<div style='color:#b3261e;font-weight:bold;margin:4px 0'>⚠ "
                              f"{escape(state.message)} — showing the last good result.</div>"
                              if state.message else "")
        lines = render.lines_html(outcome) if outcome.scenario.lines is not None else ""
        self.dollars.value = lines + render.dollars_html(outcome)
        self.advice.value = render.hsa_html(outcome) + render.next_steps_html(outcome)
        self.trace.value = render.trace_html(outcome)

    @property
    def outcome(self):
        return self.state.outcome

    @property
    def scenario(self):
        return self.state.scenario


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
