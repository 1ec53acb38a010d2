"""The adjudication checks of SPEC §4, one small function each, grouped by family.

Every check reads the resolved facts of a scenario (:class:`Facts`) and the rule tables, and
returns a :class:`Step`: what it checked, with which values, what it found and which dataset
row it read. The engine runs all of them in SPEC order; the first failure decides the claim.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ..catalog import Catalog, Policy, Procedure
    from ..model import Scenario

Group = Literal["CO", "PR"]
Status = Literal["pass", "fail", "not applicable"]


@dataclass(frozen=True)
class Step:
    """One line of the trace."""

    step: str
    title: str
    status: Status
    facts: dict[str, Any]
    source: str
    finding: str
    carc: str | None = None
    group: Group | None = None
    decisive: bool = False

    @classmethod
    def ok(cls, step: str, title: str, finding: str, facts: dict[str, Any], source: str) -> "Step":
        return cls(step, title, "pass", facts, source, finding)

    @classmethod
    def na(cls, step: str, title: str, finding: str, facts: dict[str, Any], source: str) -> "Step":
        return cls(step, title, "not applicable", facts, source, finding)

    @classmethod
    def fail(
        cls, step: str, title: str, finding: str, facts: dict[str, Any], source: str, carc: str, group: Group
    ) -> "Step":
        return cls(step, title, "fail", facts, source, finding, carc, group)

    @property
    def failed(self) -> bool:
        return self.status == "fail"


@dataclass(frozen=True)
class Facts:
    """A scenario with everything the checks share already looked up."""

    scenario: "Scenario"
    catalog: "Catalog"
    procedure: "Procedure"
    charge: int
    """cents"""
    fee_schedule: int | None
    """cents; None when neither the scenario nor the catalog gives one"""
    policy: "Policy | None"
    """the first coverage-policy row the procedure and diagnoses match (criteria aside)"""
    cosmetic: dict[str, Any] | None
    """the cosmetic-encounter diagnosis row (Z41.x) matched, if any"""
    in_network: bool
    place_of_service: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def waiver(self) -> bool:
        return self.scenario.documentation.waiver_signed

    @property
    def date(self) -> dt.date:
        return self.scenario.date_of_service


def medical_policy_group(in_network: bool, waiver_signed: bool) -> Group:
    """The liability rule (SPEC §4) for medical-policy denials (CARC 50, 151, 197).

    In network the contract holds the patient harmless (CO) unless they signed a specific
    pre-service waiver (PR); out of network there is no contract, so the patient owes it (PR).
    """
    if in_network and not waiver_signed:
        return "CO"
    return "PR"


def cents(dollars: float) -> int:
    """Whole cents of a dollar amount already checked to carry no fraction of a cent."""
    return int(round(dollars * 100))


def dollars(amount_cents: int) -> float:
    return amount_cents / 100
