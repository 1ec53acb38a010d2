"""The explorer's state, with no widget in sight: a scenario, its outcome, the last error.

Widgets only read and write this object, so every behaviour a trainee sees (a flip, an inline
error, the "what changed" line) can be tested without ipywidgets or a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ..arguments import instance, listed, mapping, readable
from ..catalog import Catalog, default_catalog, given_catalog
from ..engine import evaluate
from ..columns import SPECS
from ..errors import MedspaError, ScenarioError, shortened, shown_value
from ..fields import OMITTED, plain, read_text
from ..model import Scenario
from ..outcome import Outcome
from ..lessons import show_value
from ..presets import preset, preset_title
from ..vocabulary import money

#: Plain names of the fields a trainee flips, for the "what changed" line.
FIELD_LABELS = {
    "service.code": "service",
    "lines": "lines",
    "diagnoses": "diagnosis",
    "provider.type": "provider",
    "provider.credentialed": "provider credentialed",
    "facility.kind": "site",
    "facility.credentialed": "clinic credentialed",
    "facility.participating": "clinic has a contract",
    "facility.place_of_service": "place of service",
    "payer": "payer",
    "plan": "plan",
    "plan.type": "plan type",
    "documentation.criteria": "criteria in the chart",
    "documentation.referral": "referral",
    "documentation.criteria_documented": "criteria documented",
    "documentation.prior_auth": "prior authorization",
    "documentation.lmn": "letter of medical necessity",
    "documentation.waiver_signed": "waiver signed",
    "accumulators.deductible_met": "deductible met",
    "accumulators.oop_met": "out-of-pocket met",
    "accumulators.last_treatment": "last treatment",
    "service.charge": "charge",
    "service.fee_schedule": "fee schedule",
}


PATH = "a field's dotted name (such as \"plan.type\")"
OUTCOME = "an Outcome (medspa_kit.evaluate gives one)"

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def plain_field(path: str) -> str:
    """A field path as people say it: ``diagnoses[0]`` → ``the first diagnosis``, ``lines[1].units``
    → ``line 2's units``, ``service.charge`` → ``the charge``."""
    import re

    instance(path, str, "path", PATH)
    found = re.fullmatch(r"(diagnoses|lines|accumulators\.history)\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?)?", path)
    if found:
        kind, number, rest, item = found.group(1), int(found.group(2)), found.group(3), found.group(4)
        if kind == "diagnoses":
            return f"the {ORDINALS[number]} diagnosis" if number < len(ORDINALS) else f"diagnosis {number + 1}"
        where = f"line {number + 1}" if kind == "lines" else f"earlier service {number + 1}"
        if rest and item is not None:
            one = {"modifiers": "modifier", "diagnoses": "diagnosis"}.get(rest, rest)
            return f"{where}'s {ORDINALS[int(item)] if int(item) < len(ORDINALS) else int(item) + 1} {one}"
        return f"{where}'s {rest.replace('_', ' ')}" if rest else where
    label = FIELD_LABELS.get(path)
    return f"the {label}" if label else path


def problem_html(message: str) -> str:
    """A widget's inline message for input it cannot use (the last good result stays below it)."""
    from html import escape

    instance(message, str, "message", "a text")
    return (f"<div style='color:#b3261e;font-weight:bold;margin:4px 0'>⚠ {escape(message)} — showing the last "
            "good result.</div>")


def plain_message(message: str) -> str:
    """An error message with its field path in plain words: ``diagnoses[0]: 'L74.5' …`` →
    ``the first diagnosis, 'L74.5' …``; a message that names no field is unchanged."""
    instance(message, str, "message", "a text")
    path, sep, rest = message.partition(": ")
    if not sep or " " in path:
        return message
    said = plain_field(path)
    return message if said == path else f"{said[:1].upper()}{said[1:]}: {rest}"


def describe_change(path: str, before: Scenario, before_outcome: Outcome, after: Scenario,
                    after_outcome: Outcome, label: str | None = None) -> str:
    """``diagnosis Z41.1 → L74.510: denied PR 204 → covered, patient pays $1,100.00 → $420.00``."""
    instance(path, str, "path", PATH)
    instance(before, Scenario, "before", "a Scenario")
    instance(after, Scenario, "after", "a Scenario")
    instance(before_outcome, Outcome, "before_outcome", OUTCOME)
    instance(after_outcome, Outcome, "after_outcome", OUTCOME)
    if label is not None:
        instance(label, str, "label", "a text or None")
    name = label or FIELD_LABELS.get(path, path)
    old, new = _value(before, path), _value(after, path)
    if path in ("service.charge", "service.fee_schedule") and not before.lines and not after.lines:
        old, new = (_used(path, v, o) for v, o in ((old, before_outcome), (new, after_outcome)))
    text = f"{name} {show_value(path, old)} → {show_value(path, new)}: "
    was, now = before_outcome.label, after_outcome.label
    text += f"{was} → {now}" if was != now else f"still {now}"
    paid_before, paid_after = before_outcome.cost.patient_pays, after_outcome.cost.patient_pays
    if paid_before != paid_after:
        text += f", patient pays {money(paid_before)} → {money(paid_after)}"
    else:
        text += f", patient still pays {money(paid_after)}"
    clinic_before, clinic_after = (o.cost.plan_pays + o.cost.patient_pays for o in (before_outcome, after_outcome))
    if was == now and clinic_before != clinic_after:  # "still covered" can hide a line the clinic is no longer paid
        text += f"; the clinic is paid {money(clinic_before)} → {money(clinic_after)} (plan + patient)"
    return text


def _used(path: str, given: Any, outcome: Outcome) -> Any:
    """A visit's charge or fee schedule as the outcome used it: ``given``, or when none was given the
    catalog's (the price, the fee schedule; none when the catalog lists none), as its inputs say."""
    if given is not None:
        return given
    inputs = next((step.facts for step in outcome.steps if step.step == "inputs"), {})
    return inputs.get(path.removeprefix("service."))


def _value(scenario: Scenario, path: str) -> Any:
    if path == "plan":
        return scenario.to_dict()["plan"]
    if path == "payer":
        return scenario.payer_id
    if path == "lines":
        return scenario.claim_lines
    return scenario.get(path)


@dataclass
class ExplorerState:
    """One scenario being explored: apply a change, keep the last good result on bad input."""

    scenario: Scenario
    catalog: Catalog = field(default_factory=default_catalog)
    outcome: Outcome = field(init=False)
    message: str = ""
    """the last validation error, one line naming field and value ('' when the input is good)"""
    changed: str = ""
    """what the last successful change did, in one line"""
    listeners: list[Callable[["ExplorerState"], None]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        instance(self.scenario, Scenario, "scenario", "a Scenario (medspa_kit.preset gives one)")
        self.catalog = given_catalog(self.catalog)
        self.outcome = evaluate(self.scenario, self.catalog)

    @classmethod
    def from_preset(cls, name: str, catalog: Catalog | None = None) -> "ExplorerState":
        cat = given_catalog(catalog)
        return cls(preset(name, cat), cat)

    def apply(self, changes: Mapping[str, Any], label: str | None = None, path: str | None = None) -> bool:
        """Apply dotted-path changes; on bad input keep the last good result and set ``message``.

        ``path``: the field the "what changed" line names (default: the changed paths).
        """
        try:
            for name, given in (("label", label), ("path", path)):
                if given is not None:
                    instance(given, str, name, "a text or None")
            changes = mapping(changes, "changes", "a dict of field → value", optional=False)  # (read once)
            scenario = self.scenario.with_changes(changes, catalog=self.catalog)
            if not changes:
                raise ScenarioError.one("changes", "no field to change: give a dotted path and its value, "
                                                   "such as {'plan.type': 'PPO'}")
            outcome = evaluate(scenario, self.catalog)
            path = path or (next(iter(changes)) if len(changes) == 1 else ", ".join(changes))
            changed = describe_change(path, self.scenario, self.outcome, scenario, outcome, label)
        except MedspaError as err:
            self.message = plain_message(str(err))
            self._notify()
            return False
        self.changed = changed
        self.scenario, self.outcome, self.message = scenario, outcome, ""
        self._notify()
        return True

    def reset(self, scenario: Scenario, note: str = "") -> None:
        """Replace the whole scenario (a preset was picked)."""
        instance(scenario, Scenario, "scenario", "a Scenario (medspa_kit.preset gives one)")
        instance(note, str, "note", "a text")
        self.scenario = scenario
        self.outcome = evaluate(scenario, self.catalog)
        self.message, self.changed = "", note
        self._notify()

    def fail(self, message: str) -> None:
        """Report input that could not even be read (a text box with letters in a price); a huge
        value pasted in is shortened in the message."""
        instance(message, str, "message", "a text")
        self.message = plain_message(shortened(message))
        self._notify()

    def _notify(self) -> None:
        for listener in self.listeners:
            listener(self)


#: Fields a workshop edits most, for the comparison's "edit one field" control.
EDITABLE_FIELDS = (
    "diagnoses",
    "service.code",
    "service.charge",
    "service.fee_schedule",
    "plan",
    "provider.type",
    "provider.credentialed",
    "facility.kind",
    "facility.credentialed",
    "facility.participating",
    "documentation.criteria_documented",
    "documentation.prior_auth",
    "documentation.waiver_signed",
    "accumulators.deductible_met",
    "accumulators.oop_met",
)

MAX_COLUMNS = 6


def field_choices(paths: "tuple[str, ...]" = EDITABLE_FIELDS) -> list[tuple[str, str]]:
    """``(plain name, path)`` pairs for a field picker: ``("Charge", "service.charge")``; the
    path stays internal, people read the name (:data:`FIELD_LABELS`)."""
    out = []
    for path in paths:
        label = FIELD_LABELS.get(path, path.rsplit(".", 1)[-1].replace("_", " "))
        out.append((label[:1].upper() + label[1:], path))
    return out


def parse_field(path: str, text: str, catalog: Catalog | None = None) -> Any:
    """Read a value typed into a text box for a dotted path (the model then validates it).

    Text reads as everywhere else (:func:`medspa_kit.fields.read_text`): ``$1,100`` is a
    number, ``yes`` and ``1`` are true, an empty box (or ``none``) clears the field.
    """
    instance(path, str, "path", PATH)
    catalog = given_catalog(catalog)
    raw = readable(text, "text").strip()
    if path == "plan":
        if raw not in catalog.records("plans"):
            raise MedspaError(f"plan: {raw!r} is not a plan id (one of {', '.join(catalog.records('plans'))})")
        return catalog.plan(raw)
    if path == "service.code":
        return {"code": raw}
    spec = SPECS.get(path)
    value = read_text(spec.kind, raw) if spec else raw
    return None if value is OMITTED else value


@dataclass
class CompareState:
    """Scenarios side by side (1 to 6 columns), each with its outcome.

    A column's heading is the preset's title and follows its edits: ``Botox for forehead lines ·
    diagnosis L74.510`` after the diagnosis of that column was changed; changing the same field again
    replaces that part of the heading. A value typed that is the same as the column's changes
    nothing and adds no mark.
    """

    columns: list[tuple[str, Scenario]]
    catalog: Catalog = field(default_factory=default_catalog)
    message: str = ""
    edits: list[dict[str, str]] = field(init=False, repr=False)
    """per column, the edits its heading names: field label → value shown"""
    bases: list[str] = field(init=False, repr=False)
    """per column, its heading before any edit (a preset's name)"""

    def __post_init__(self) -> None:
        self.columns = listed(self.columns, "columns", "(label, Scenario) pairs")
        for i, column in enumerate(self.columns):
            if not (isinstance(column, tuple) and len(column) == 2 and isinstance(column[0], str)
                    and isinstance(column[1], Scenario)):
                raise ScenarioError.one(f"columns[{i}]", f"expected a (label, Scenario) pair, got {shown_value(column)}")
        self.catalog = given_catalog(self.catalog)
        if not 1 <= len(self.columns) <= MAX_COLUMNS:
            raise MedspaError(f"compare between 1 and {MAX_COLUMNS} scenarios, not {len(self.columns)}")
        self.edits = [{} for _ in self.columns]
        self.bases = [label for label, _ in self.columns]

    @property
    def outcomes(self) -> list[tuple[str, Outcome]]:
        return [(label, evaluate(s, self.catalog)) for label, s in self.columns]

    def _unique(self, label: str, skip: int | None = None) -> str:
        taken = {name for i, (name, _) in enumerate(self.columns) if i != skip}
        if label not in taken:
            return label
        n = 2
        while f"{label} ({n})" in taken:
            n += 1
        return f"{label} ({n})"

    def _full(self) -> bool:
        if len(self.columns) >= MAX_COLUMNS:
            self.message = f"at most {MAX_COLUMNS} scenarios side by side: remove one first"
            return True
        return False

    def add(self, name: str) -> bool:
        if self._full():
            return False
        scenario = preset(name, self.catalog)  # (an unknown name is refused before it names a column)
        label = self._unique(preset_title(name, self.catalog))
        self.columns.append((label, scenario))
        self.edits.append({})
        self.bases.append(label)
        self.message = ""
        return True

    def _column(self, index: Any) -> int | None:
        """``index`` as a column's position (0 is the first; a numpy integer is the int it holds, a
        bool is no position); None, said in ``message``, when it is none."""
        number = plain(index)
        if isinstance(number, int) and not isinstance(number, bool) and 0 <= number < len(self.columns):
            return number
        self.message = (f"there is no column {shown_value(index)}: pick one of the {len(self.columns)} columns "
                        "(0 is the first)")
        return None

    def duplicate(self, index: int) -> bool:
        at = self._column(index)
        if at is None or self._full():
            return False
        label, scenario = self.columns[at]
        copy = self._unique(label)
        self.columns.insert(at + 1, (copy, scenario))
        self.edits.insert(at + 1, {})
        self.bases.insert(at + 1, copy)
        self.message = ""
        return True

    def remove(self, index: int) -> bool:
        at = self._column(index)
        if at is None:
            return False
        if len(self.columns) <= 1:
            self.message = "keep at least one scenario"
            return False
        del self.columns[at], self.edits[at], self.bases[at]
        self.message = ""
        return True

    def edit(self, index: int, path: str, text: str) -> bool:
        """Change one field of one column; bad input leaves the column as it was."""
        at = self._column(index)
        if at is None:
            return False
        label, scenario = self.columns[at]
        try:
            value = parse_field(path, text, self.catalog)
            changed = scenario.with_changes({("service" if path == "service.code" else path): value},
                                            catalog=self.catalog)
            evaluate(changed, self.catalog)
        except MedspaError as err:
            self.message = f"{label}: {plain_message(str(err))}"
            return False
        if _value(changed, path) == _value(scenario, path):  # the same value again: nothing changed, no mark
            name = FIELD_LABELS.get(path, path)
            self.message = f"{label}: the {name} is already {show_value(path, _value(scenario, path))}; nothing changed"
            return False
        shown = (self.catalog.keyed["plans"][str(text).strip()]["name"] if path == "plan"
                 else show_value(path, _value(changed, path)))
        self.edits[at][FIELD_LABELS.get(path, path)] = str(shown)
        heading = self.bases[at] + " · " + ", ".join(f"{k} {v}" for k, v in self.edits[at].items())
        self.columns[at] = (self._unique(heading, skip=at), changed)
        self.message = ""
        return True
