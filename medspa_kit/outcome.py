"""The outcome of one claim: decision, reason, its lines, 835-style adjustments, dollars, trace."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .arguments import whole_value
from .errors import MedspaError, shown_value
from .rules.base import Step
from .rules.hsa import HsaFsa
from .vocabulary import COST_FIELDS, DECISION_WORDS, money, network_words

if TYPE_CHECKING:
    from .catalog import Catalog, Policy, Procedure
    from .model import Scenario

__all__ = ["Outcome", "LineOutcome", "Cost", "Reason", "Adjustment", "COST_FIELDS"]

Decision = Literal["covered", "partly_covered", "denied", "not_billable"]
LineDecision = Literal["covered", "denied", "not_billable"]
Network = Literal["in", "out", "none"]


@dataclass(frozen=True)
class Reason:
    """A reason: group code, reason code (CARC) and its short name."""

    group: str
    carc: str
    text: str
    rarc: str = ""
    """a remark code (RARC) the payer adds, such as N425 with 96 (empty: none)"""

    def to_dict(self) -> dict[str, str]:
        out = {"group": self.group, "carc": self.carc, "text": self.text}
        if self.rarc:
            out["rarc"] = self.rarc
        return out

    @property
    def label(self) -> str:
        return f"{self.group} {self.carc}"


@dataclass(frozen=True)
class Adjustment:
    """One CAS entry of an 835 remittance: group, reason code and amount (cents)."""

    group: str
    carc: str
    amount: int

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "carc": self.carc, "amount": self.amount / 100}


@dataclass(frozen=True)
class Cost:
    """The dollars of a line or a claim, **in cents**. ``charge = plan_pays + Σ adjustments``."""

    charge: int
    allowed: int = 0
    deductible: int = 0
    coinsurance: int = 0
    copay: int = 0
    plan_pays: int = 0
    patient_pays: int = 0
    provider_writeoff: int = 0
    balance_bill: int = 0

    def to_dict(self) -> dict[str, float]:
        """Dollars, by field name (the public JSON)."""
        return {name: getattr(self, name) / 100 for name in COST_FIELDS}

    def dollars(self, name: str) -> float:
        """One amount in dollars: ``name`` is one of :data:`COST_FIELDS` (``"allowed"``,
        ``"patient_pays"``, …); another name is a MedspaError naming it."""
        if not isinstance(name, str) or name not in COST_FIELDS:
            raise MedspaError(f"name: {shown_value(name)} is no amount of a cost; one of {', '.join(COST_FIELDS)}")
        return getattr(self, name) / 100

    def __add__(self, other: "Cost") -> "Cost":
        return Cost(**{name: getattr(self, name) + getattr(other, name) for name in COST_FIELDS})


@dataclass(frozen=True)
class LineOutcome:
    """What happens to one line of the claim: its decision, reason, adjustments and dollars."""

    number: int
    """the line's place on the claim, from 1"""
    code: str
    units: int
    modifiers: tuple[str, ...]
    decision: LineDecision
    reason: Reason | None
    adjustments: tuple[Adjustment, ...]
    cost: Cost
    hsa_fsa: HsaFsa = field(repr=False, compare=False)
    procedure: "Procedure" = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "units": self.units, "modifiers": list(self.modifiers), "decision": self.decision,
                "reason": self.reason.to_dict() if self.reason else None,
                "adjustments": [a.to_dict() for a in self.adjustments], "cost": self.cost.to_dict()}

    @property
    def label(self) -> str:
        """``J0585-JW ×45``: the line as a biller writes it."""
        units = f" ×{self.units}" if self.units != 1 else ""
        return (self.code or self.procedure.id) + "".join(f"-{m}" for m in self.modifiers) + units


@dataclass(frozen=True)
class Outcome:
    """What happens to one claim. ``to_dict()`` is the public JSON (docs/scenario.md)."""

    decision: Decision
    network: Network
    primary_reason: Reason | None
    """the first denied line's reason (None when every line is covered)"""
    lines: tuple[LineOutcome, ...]
    adjustments: tuple[Adjustment, ...]
    """every line's adjustments, summed by group and reason code"""
    cost: Cost
    """the sums of the lines' dollars"""
    hsa_fsa: HsaFsa
    next_steps: tuple[str, ...]
    steps: tuple[Step, ...]
    scenario: "Scenario" = field(repr=False, compare=False)
    procedure: "Procedure" = field(repr=False, compare=False)
    """the first line's procedure"""
    policy: "Policy | None" = field(repr=False, compare=False)
    """the coverage-policy row the first line matched"""
    catalog: "Catalog" = field(repr=False, compare=False)
    """the rule tables this outcome was decided with (for wording and sources)"""
    warnings: tuple[str, ...] = ()
    """what to check by hand (a date of service outside the code set the kit carries)"""

    @property
    def trace(self) -> list[dict[str, Any]]:
        several = len(self.lines) > 1
        return [trace_entry(step, several) for step in self.steps]

    @property
    def decisive_step(self) -> Step | None:
        return next((s for s in self.steps if s.decisive), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "network": self.network,
            "primary_reason": self.primary_reason.to_dict() if self.primary_reason else None,
            "lines": [line.to_dict() for line in self.lines],
            "adjustments": [a.to_dict() for a in self.adjustments],
            "cost": self.cost.to_dict(),
            "hsa_fsa": self.hsa_fsa.to_dict(),
            "next_steps": list(self.next_steps),
            "warnings": list(self.warnings),
            "trace": self.trace,
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The outcome as JSON text; ``indent``: spaces per level (0 to 16), or None for one line."""
        if indent is not None:
            spaces = whole_value(indent)  # (any number whose value is whole: 2, np.int64(2), 2.0)
            if spaces is None or not 0 <= spaces <= 16:
                raise MedspaError(f"indent: {shown_value(indent)} is not a number of spaces from 0 to 16 (or None)")
            indent = spaces
        return json.dumps(self.to_dict(), indent=indent)

    @property
    def billed(self) -> str:
        """What was billed: the service's name, or a claim's lines (``64615 + J0585 ×155``)."""
        if self.scenario.lines is None:
            return self.procedure.label
        return " + ".join(line.label for line in self.lines)

    @property
    def network_words(self) -> str:
        """The network status in words: ``in network``, or under Original Medicare (no network)
        ``participating provider (accepts assignment)`` and its opposite."""
        medicare = self.catalog.payer_kind(self.scenario.payer_id) == "medicare"
        return network_words(self.network, medicare, bool(self.scenario.facility.participating))

    @property
    def label(self) -> str:
        """``denied PR 204`` or ``covered``."""
        reason = f" {self.primary_reason.label}" if self.primary_reason else ""
        return DECISION_WORDS[self.decision] + reason

    @property
    def headline(self) -> str:
        """One line: ``denied — PR 204 Not a covered benefit — patient pays $480.00``."""
        parts = [DECISION_WORDS[self.decision]]
        if self.primary_reason:
            parts.append(f"{self.primary_reason.label} {self.primary_reason.text}")
        parts.append(f"patient pays {money(self.cost.patient_pays)}")
        return " — ".join(parts)


def claim_decision(lines: tuple[LineOutcome, ...] | list[LineOutcome]) -> Decision:
    """covered (every line paid), not_billable or denied (no line paid, alike), else partly_covered."""
    if not isinstance(lines, (tuple, list)) or not lines or not all(isinstance(x, LineOutcome) for x in lines):
        raise MedspaError(f"lines: expected a claim's LineOutcome objects (at least one), got {shown_value(lines)}")
    decisions = {line.decision for line in lines}
    if len(decisions) == 1:
        return next(iter(decisions))
    return "partly_covered" if "covered" in decisions else "denied"


def trace_entry(step: Step, several_lines: bool = False) -> dict[str, Any]:
    """One trace entry of the public JSON: step, facts, result, source."""
    if step.status == "fail":
        result = f"fail: {step.group} {step.carc} — {step.finding}"
        if not step.decisive:
            result += " (also fails; an earlier check decided the line)"
    elif step.status == "not applicable":
        result = f"not applicable: {step.finding}"
    else:
        result = f"pass: {step.finding}"
    name = f"{step.step} (line {step.line})" if several_lines and step.line else step.step
    return {"step": f"{name}: {step.title}", "facts": step.facts, "result": result, "source": step.source}


from ._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
