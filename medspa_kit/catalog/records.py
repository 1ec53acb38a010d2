"""Small frozen records for the rows the scalar path reads most: services, policies, checks, codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Procedure:
    """A service the clinic sells (a row of ``procedures.csv``); prices in dollars."""

    id: str
    name: str
    code: str
    category: str
    cosmetic_by_default: bool
    dual_purpose: bool
    cash_price: float
    fee_schedule: float | None
    description: str
    source: str
    price_source: str
    row: int

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name


@dataclass(frozen=True)
class Policy:
    """One coverage policy row: this procedure is medically necessary for this diagnosis."""

    index: int
    procedure: str
    diagnosis: str
    with_diagnosis: str
    criteria: str
    prior_auth: bool
    min_interval_days: int | None
    source: str
    as_of: dt.date
    row: int

    def matches(self, diagnoses: Iterable[str]) -> bool:
        codes = tuple(diagnoses)
        if not any(code.startswith(self.diagnosis) for code in codes):
            return False
        return not self.with_diagnosis or any(code.startswith(self.with_diagnosis) for code in codes)

    @property
    def where(self) -> str:
        return f"coverage_policies.csv row {self.row}"


@dataclass(frozen=True)
class ReasonCode:
    """A claim adjustment reason code (CARC) with the kit's own short name and plain explanation."""

    carc: str
    name: str
    plain: str
    source: str


@dataclass(frozen=True)
class Check:
    """One row of ``checks.csv``: a check, its place in the order, and how it denies.

    ``group`` is ``CO``, ``PR`` or ``liability`` (CO in network without a signed waiver, else
    PR); ``decision`` is ``denied`` or ``not_billable``. The first check (inputs) has neither:
    bad input is an error, not a denial.
    """

    order: int
    id: str
    title: str
    carc: str
    group: str
    decision: str
    source: str
    row: int

    @property
    def where(self) -> str:
        return f"checks.csv row {self.row} (check {self.order}, {self.id})"
