"""Small frozen records for the rows the scalar path reads most: services, policies, checks, codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from ..arguments import texts


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
    billed_as: str = "both"
    """``visit`` (a version 1 service: a visit billed under its main code, drug included),
    ``line`` (a claim line of a version 2 scenario) or ``both``"""
    policy_as: str = ""
    """the procedure whose coverage-policy rows decide this one (empty: its own)"""
    unit: str = "one service"
    """what one unit is, in words ("1 unit of onabotulinumtoxinA"); prices are per unit"""
    max_units: int | None = None
    """the most units a day the payer allows on one line (medically unlikely edit); None: no limit"""
    add_on_to: tuple[str, ...] = ()
    """an add-on code: paid only with one of these base codes on the claim"""
    drug_for: tuple[str, ...] = ()
    """a drug line: given by one of these administration codes, and decided as that line is"""
    not_with: tuple[str, ...] = ()
    """codes this one is never billed with on the same day (a code-pair edit)"""
    hsa_entry: str = ""
    """an IRS Publication 502 entry that names the service as no medical expense (``hair_removal``)"""
    medicare_exclusion: str = ""
    """the law that excludes the service from Medicare, as a citation, when it is not the cosmetic
    exclusion (SSA §1862(a)(10))"""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name

    @property
    def coverage_id(self) -> str:
        """The procedure id whose coverage-policy rows apply to this one."""
        return self.policy_as or self.id


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
    criteria_required: bool = True
    """False for a row whose only criterion is the diagnosis itself (an office visit)"""
    payer: str = "*"
    """the payer whose document this row follows (``payers.csv`` id); ``*``: any payer without its own rows"""
    criteria_ids: tuple[tuple[str, ...], ...] = ()
    """the criteria (``criteria.csv`` ids) a chart must document: each group needs one of its ids"""
    max_per_year: int | None = None
    """at most this many of the service in the 12 months up to the date of service (None: no limit)"""
    experimental: bool = False
    """the payer calls the service experimental or investigational for this diagnosis (CARC 55)"""
    preventive: bool = False
    """a preventive service: no cost sharing in network on a non-grandfathered plan, or under Medicare"""

    def matches(self, diagnoses: Iterable[str]) -> bool:
        """Do the diagnoses (ICD-10-CM codes) satisfy this row (its diagnosis, and its second one)?"""
        codes = diagnoses if type(diagnoses) is tuple else tuple(texts(diagnoses, "diagnoses", "ICD-10-CM codes"))
        if any(type(code) is not str for code in codes):
            codes = tuple(texts(codes, "diagnoses", "ICD-10-CM codes"))
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
    scope: str = "claim"
    """``claim``: decided once for the whole claim; ``line``: decided for each line"""
    rarc: str = ""
    """the remark code (RARC) that goes with the reason code, if any (N425 with 96)"""

    @property
    def where(self) -> str:
        return f"checks.csv row {self.row} (check {self.order}, {self.id})"
