"""What every table in ``datasets/`` holds: its columns and how each cell is read and checked.

A cell parser returns the parsed value or raises ``ValueError`` with a few words on what is
wrong; the reader adds the file, row and column. Numbers and flags are read with the same text
rules as scenario fields (:func:`medspa_kit.fields.read_text`) and checked with the same limits
(:mod:`medspa_kit.money`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable

from ..codes import npi_problem
from ..fields import (FACILITY_KINDS, PLAN_TYPES, PROVIDER_TYPES, OutOfRange, checked_money, checked_rate, iso_date,
                      read_text)
from ..vocabulary import GROUPS, HSA_STATUSES, PAYER_KINDS
from .citations import KEY


TAX_ITEMS = ("hsa_self", "hsa_family", "hsa_catch_up", "fsa", "fsa_carryover")
"""the limits ``tax_limits.csv`` gives for every year it lists"""

GFE_RULES = ("booked_ahead_short", "issue_within_short", "booked_ahead_long", "issue_within_long",
             "issue_within_request", "dispute_threshold", "dispute_days", "dispute_fee", "in_force_year",
             "read_year")
"""the rows of ``good_faith_estimate.csv`` (45 CFR 149.610 and 149.620), each needed once"""

GFE_UNITS = {"dispute_threshold": "dollars", "dispute_fee": "dollars", "dispute_days": "calendar days",
             "in_force_year": "year", "read_year": "year"}
"""each rule's unit in ``good_faith_estimate.csv`` (any other rule counts business days)"""


TEXT_CELL_MAX = 1_000
"""characters: the longest text cell of a table (the longest bundled one, a source's section, is
under 400); a longer one is refused, not shown whole in every widget and handout"""


def text_cell(cell: str) -> str:
    if len(cell) > TEXT_CELL_MAX:
        raise ValueError(f"{cell[:30]!r}… is {len(cell):,} characters long; a cell holds at most {TEXT_CELL_MAX:,}")
    return cell


def flag_cell(cell: str) -> bool:
    value = read_text("flag", cell)
    if not isinstance(value, bool):
        raise ValueError(f"{cell!r} is not true or false")
    return value


def _number(cell: str, what: str) -> float:
    value = read_text("number", cell)
    if isinstance(value, OutOfRange):
        raise ValueError(value.problem("fraction" if what == "a rate" else "dollars"))
    if not isinstance(value, float):
        raise ValueError(f"{cell!r} is not {what}")
    return value


def money_cell(cell: str) -> float:
    """Dollars: a number of whole cents from 0 to the money limit."""
    return checked_money(_number(cell, "a dollar amount"))


def rate_cell(cell: str) -> float:
    """A rate: a fraction from 0 to 1."""
    return checked_rate(_number(cell, "a rate"))


def days_cell(cell: str) -> int:
    try:
        value = int(cell)
    except ValueError:
        raise ValueError(f"{cell!r} is not a whole number") from None
    if value < 0:
        raise ValueError(f"{value} is negative")
    return value


def date_cell(cell: str) -> dt.date:
    found = iso_date(cell.strip())
    if found is None:
        raise ValueError(f"{cell!r} is not an ISO date (YYYY-MM-DD)")
    return found


def choice_cell(*allowed: str) -> Callable[[str], str]:
    def parse(cell: str) -> str:
        if cell not in allowed:
            raise ValueError(f"{cell!r} is not one of {', '.join(allowed)}")
        return cell

    return parse


def npi_cell(cell: str) -> str:
    problem = npi_problem(cell)
    if problem:
        raise ValueError(problem)
    return cell.strip()


def key_cell(cell: str) -> str:
    if not KEY.fullmatch(cell):
        raise ValueError(f"{cell!r} is not a key (lower-case letters, digits, '-' and '.')")
    return cell


def partial_date_cell(cell: str) -> str:
    """A document's date: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""
    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", cell):
        raise ValueError(f"{cell!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    return cell


def modifier_cell(cell: str) -> str:
    """One CPT or HCPCS modifier: two capital letters or digits (``25``, ``JW``)."""
    if not re.fullmatch(r"[A-Z0-9]{2}", cell):
        raise ValueError(f"{cell!r} is not a modifier (two capital letters or digits, such as '25' or 'JW')")
    return cell


def billing_code_cell(cell: str) -> str:
    """One CPT or HCPCS code: five letters or digits (``17999``, ``J0585``)."""
    if not re.fullmatch(r"[A-Z0-9]{5}", cell):
        raise ValueError(f"{cell!r} is not a CPT or HCPCS code (five capital letters or digits)")
    return cell


def codes_cell(cell: str) -> tuple[str, ...]:
    """Billing codes separated by ``;``."""
    return tuple(c.strip() for c in cell.split(";") if c.strip())


def criteria_cell(cell: str) -> tuple[tuple[str, ...], ...]:
    """Criterion ids a policy row requires: ``a; b|c`` is a, and b or c (each a criteria.csv id)."""
    groups = []
    for part in cell.split(";"):
        options = tuple(item.strip() for item in part.split("|") if item.strip())
        if not options:
            raise ValueError(f"{cell!r} has an empty criterion (write 'a; b|c')")
        for item in options:
            key_cell(item)
        groups.append(options)
    return tuple(groups)


def ratio_cell(cell: str) -> float:
    """A multiplier such as 1.15: a number from 1 to 2."""
    value = _number(cell, "a ratio")
    if not 1 <= value <= 2:
        raise ValueError(f"{cell!r} is not a ratio from 1 to 2")
    return value


def places_cell(cell: str) -> tuple[str, ...]:
    items = tuple(p.strip() for p in cell.split(";") if p.strip())
    if not items:
        raise ValueError("no place of service listed")
    twice = next((p for i, p in enumerate(items) if p in items[:i]), None)
    if twice is not None:  # as a scenario's plan: each place once
        raise ValueError(f"{twice!r} is listed twice")
    return items


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], Any] = text_cell
    required: bool = True


@dataclass(frozen=True)
class Table:
    file: str
    columns: tuple[Column, ...]
    key: str | None = None
    source_column: str | None = "source"
    periods: tuple[tuple[str, str], ...] = ()
    """pairs of date columns (first day, last day) that bound one period: the last day may not
    come before the first"""


def _cols(*spec: Column) -> tuple[Column, ...]:
    return spec


def _code_list(file: str, key: str) -> Table:
    """A list of X12 codes (reason or remark codes) with the kit's own short name and plain words."""
    return Table(file, _cols(Column(key), Column("name"), Column("plain"), Column("source")), key=key)


PLANS = Table(
    "plans.csv",
    _cols(
        Column("id"),
        Column("name"),
        Column("type", choice_cell(*PLAN_TYPES)),
        Column("deductible", money_cell, required=False),
        Column("coinsurance", rate_cell, required=False),
        Column("copay", money_cell),
        Column("oop_max", money_cell, required=False),
        Column("covered_places_of_service", places_cell),
        Column("oon_deductible", money_cell, required=False),
        Column("oon_coinsurance", rate_cell, required=False),
        Column("oon_oop_max", money_cell, required=False),
        Column("oon_allowed_pct", rate_cell, required=False),
        Column("hsa_qualified", flag_cell),
        Column("source"),
    ),
    key="id",
)

TABLES: dict[str, Table] = {
    "sources": Table(
        "sources.csv",
        _cols(
            Column("key", key_cell),
            Column("label"),
            Column("title"),
            Column("issuer"),
            Column("section", required=False),
            Column("address", required=False),
            Column("date", partial_date_cell, required=False),
            Column("source"),
        ),
        key="key",
    ),
    "procedures": Table(
        "procedures.csv",
        _cols(
            Column("id"),
            Column("name"),
            Column("code", required=False),
            Column("category"),
            Column("cosmetic_by_default", flag_cell),
            Column("dual_purpose", flag_cell),
            Column("cash_price", money_cell),
            Column("fee_schedule", money_cell, required=False),
            Column("description"),
            Column("billed_as", choice_cell("visit", "line", "both")),
            Column("policy_as", required=False),
            Column("unit"),
            Column("max_units", days_cell, required=False),
            Column("add_on_to", codes_cell, required=False),
            Column("drug_for", codes_cell, required=False),
            Column("not_with", codes_cell, required=False),
            Column("hsa_entry", choice_cell("hair_removal"), required=False),
            Column("medicare_exclusion", required=False),
            Column("source"),
            Column("price_source"),
        ),
        key="id",
    ),
    "modifiers": Table(
        "modifiers.csv",
        _cols(Column("code", modifier_cell), Column("name"), Column("meaning"), Column("read_by", required=False),
              Column("contradicts", required=False), Column("contradiction", required=False),
              Column("only_on", required=False), Column("misplaced", required=False), Column("source")),
        key="code",
    ),
    "diagnoses": Table(
        "diagnoses.csv",
        _cols(Column("code"), Column("name"), Column("group"), Column("source")),
        key="code",
    ),
    "coverage_policies": Table(
        "coverage_policies.csv",
        _cols(
            Column("payer"),
            Column("procedure"),
            Column("diagnosis"),
            Column("with_diagnosis", required=False),
            Column("criteria"),
            Column("criteria_ids", criteria_cell, required=False),
            Column("criteria_required", flag_cell),
            Column("prior_auth", flag_cell),
            Column("min_interval_days", days_cell, required=False),
            Column("max_per_year", days_cell, required=False),
            Column("experimental", flag_cell),
            Column("preventive", flag_cell),
            Column("source"),
            Column("as_of", date_cell),
        ),
    ),
    "payers": Table(
        "payers.csv",
        _cols(Column("id", key_cell), Column("name"), Column("kind", choice_cell(*PAYER_KINDS)),
              Column("generic_rows", flag_cell), Column("plan", key_cell), Column("source")),
        key="id",
    ),
    "criteria": Table(
        "criteria.csv",
        _cols(Column("id", key_cell), Column("name"), Column("implies", codes_cell, required=False), Column("source")),
        key="id",
    ),
    "medicare_part_b": Table(
        "medicare_part_b.csv",
        _cols(
            Column("year", days_cell),
            Column("deductible", money_cell),
            Column("coinsurance", rate_cell),
            Column("nonpar_fee_pct", rate_cell),
            Column("limiting_charge_pct", ratio_cell),
            Column("source"),
        ),
        key="year",
    ),
    "code_sets": Table(
        "code_sets.csv",
        _cols(Column("code_set"), Column("version"), Column("valid_from", date_cell), Column("valid_to", date_cell),
              Column("source")),
        key="version",
        periods=(("valid_from", "valid_to"),),
    ),
    "remark_codes": _code_list("remark_codes.csv", "rarc"),
    "checks": Table(
        "checks.csv",
        _cols(
            Column("order", days_cell),
            Column("check"),
            Column("scope", choice_cell("claim", "line")),
            Column("title"),
            Column("carc", required=False),
            Column("rarc", required=False),
            Column("group", choice_cell(*GROUPS, "liability", "limit"), required=False),
            Column("decision", choice_cell("denied", "not_billable"), required=False),
            Column("source"),
        ),
        key="check",
    ),
    "adjustments": Table(
        "adjustments.csv",
        _cols(
            Column("component", choice_cell("above_allowed", "limiting_charge", "deductible", "coinsurance", "copay")),
            Column("carc"),
            Column("in_network", choice_cell(*GROUPS)),
            Column("out_of_network", choice_cell(*GROUPS)),
            Column("source"),
        ),
        key="component",
    ),
    "hsa_rules": Table(
        "hsa_rules.csv",
        _cols(Column("order", days_cell), Column("rule"), Column("status", choice_cell(*HSA_STATUSES)),
              Column("source")),
        key="rule",
    ),
    "reason_codes": _code_list("reason_codes.csv", "carc"),
    "plan_types": Table(
        "plan_types.csv",
        _cols(Column("type", choice_cell(*PLAN_TYPES)), Column("name"), Column("out_of_network_benefits", flag_cell),
              Column("referral_required", flag_cell), Column("enrollment_is_network", flag_cell), Column("source")),
        key="type",
    ),
    "plans": PLANS,
    "providers": Table(
        "providers.csv",
        _cols(
            Column("id"),
            Column("name"),
            Column("type", choice_cell(*PROVIDER_TYPES)),
            Column("npi", npi_cell, required=False),
            Column("credentialed", flag_cell),
            Column("specialty"),
            Column("source"),
        ),
        key="id",
    ),
    "facilities": Table(
        "facilities.csv",
        _cols(
            Column("id"),
            Column("name"),
            Column("kind", choice_cell(*FACILITY_KINDS)),
            Column("place_of_service"),
            Column("credentialed", flag_cell),
            Column("participating", flag_cell),
            Column("source"),
        ),
        key="id",
    ),
    "provider_types": Table(
        "provider_types.csv",
        _cols(Column("type", choice_cell(*PROVIDER_TYPES)), Column("name"), Column("can_bill", flag_cell),
              Column("medicare_fee_pct", rate_cell), Column("source")),
        key="type",
    ),
    "facility_kinds": Table(
        "facility_kinds.csv",
        _cols(
            Column("kind", choice_cell(*FACILITY_KINDS)),
            Column("name"),
            Column("medical", flag_cell),
            Column("default_place_of_service"),
            Column("source"),
        ),
        key="kind",
    ),
    "places_of_service": Table(
        "places_of_service.csv",
        _cols(Column("code"), Column("name"), Column("rate", choice_cell("facility", "non-facility")),
              Column("source")),
        key="code",
    ),
    "cosmetic_diagnoses": Table(
        "cosmetic_diagnoses.csv", _cols(Column("prefix"), Column("name"), Column("source")), key="prefix"
    ),
    "hsa_exceptions": Table(
        "hsa_exceptions.csv", _cols(Column("prefix"), Column("reason"), Column("source")), key="prefix"
    ),
    "financing_offers": Table(
        "financing_offers.csv",
        _cols(
            Column("id"),
            Column("name"),
            Column("kind", choice_cell("deferred_interest", "installment")),
            Column("promo_months", days_cell),
            Column("apr", rate_cell),
            Column("min_purchase", money_cell),
            Column("min_payment", money_cell, required=False),
            Column("source"),
            Column("as_of", date_cell),
        ),
        key="id",
    ),
    "tax_limits": Table(
        "tax_limits.csv",
        _cols(
            Column("year", days_cell),
            Column("item", choice_cell(*TAX_ITEMS)),
            Column("amount", money_cell),
            Column("source"),
        ),
    ),
    "claim_codes": Table(
        "claim_codes.csv",
        _cols(Column("procedure"), Column("code", billing_code_cell), Column("description"), Column("source")),
        key="procedure",
    ),
    "good_faith_estimate": Table(
        "good_faith_estimate.csv",
        _cols(
            Column("rule", choice_cell(*GFE_RULES)),
            Column("value", money_cell),
            Column("unit", choice_cell("dollars", "business days", "calendar days", "year")),
            Column("source"),
        ),
        key="rule",
    ),
    "presets": Table(
        "presets.csv",
        _cols(Column("name"), Column("title"), Column("teaches"), Column("source")),
        key="name",
    ),
}
