"""The scenario: one service, one patient, one plan, one date (docs/scenario.md).

A scenario is parsed strictly: unknown fields are errors at every level, numbers must be
numbers, flags must be true/false, money is whole cents and at least zero, rates lie in [0, 1],
ICD-10-CM codes must be billable leaves, the NPI must pass its check digit, and the service must
be in the catalog. Every failure is a :class:`~medspa_kit.errors.ScenarioError` naming the field
(``plan.coinsurance``, ``diagnoses[1]``) and the bad value.
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from enum import Enum
from functools import cached_property
from typing import Annotated, Any, Callable, Literal, Mapping, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .arguments import pairs
from .catalog import Catalog, default_catalog, given_catalog
from .codes import icd_problem, normalize_icd, npi_problem
from .errors import ScenarioError, shown_value
from .files import SCENARIO_MAX_BYTES, decode, json_kind, load_json, not_empty, read_text_file, write_text_file
from .money import number_shown
from .fields import (
    FACILITY_KINDS,
    contradiction,
    misplaced,
    PLAN_TYPES,
    PROVIDER_TYPES,
    MAX_LINES,
    MAX_UNITS,
    VERSIONS,
    Kind,
    checked_money,
    checked_rate,
    deductible_above_oop_max,
    deductible_above_oop_max_message,
    parse_iso_date,
    earlier_not_before,
    earlier_not_before_message,
    plain_tree,
    rate_text_checked,
    treated_after_service,
    treated_after_service_message,
    whole_number_checked,
)

__all__ = ["Scenario", "load_scenario", "save_scenario", "ProviderType", "FacilityKind", "PlanType", "Service",
           "Line", "ClaimLine", "Documentation", "Provider", "Facility", "OutOfNetwork", "Plan", "EarlierService",
           "Accumulators", "SCENARIO_MAX_BYTES", "MAX_LINES", "MAX_UNITS"]


class ProviderType(str, Enum):
    MD = "MD"
    DO = "DO"
    NP = "NP"
    PA = "PA"
    RN = "RN"
    aesthetician = "aesthetician"


class FacilityKind(str, Enum):
    medical_clinic = "medical_clinic"
    med_spa = "med_spa"
    day_spa = "day_spa"


class PlanType(str, Enum):
    HMO = "HMO"
    EPO = "EPO"
    PPO = "PPO"
    POS = "POS"
    HDHP = "HDHP"
    MEDICARE = "MEDICARE"


assert tuple(m.value for m in ProviderType) == PROVIDER_TYPES
assert tuple(m.value for m in FacilityKind) == FACILITY_KINDS
assert tuple(m.value for m in PlanType) == PLAN_TYPES


def _npi(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not an NPI: write it as a string of 10 digits")
    problem = npi_problem(value)
    if problem:
        raise ValueError(problem)
    return value.strip()


def _text_choice(value: Any) -> Any:
    """A choice (provider type, plan type, facility kind) is text: bytes are not read as text."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise ValueError(f"{shown_value(value)} is not text")
    return value


# Each field type says how its value is typed in (``Kind``): the batch columns are read from it.
Money = Annotated[float, BeforeValidator(whole_number_checked), Strict(), AfterValidator(checked_money),
                  Kind("number", "dollars")]
Rate = Annotated[float, BeforeValidator(rate_text_checked), Strict(), AfterValidator(checked_rate), Kind("number", "fraction")]
Flag = Annotated[bool, Strict(), Kind("flag")]
IsoDate = Annotated[dt.date, BeforeValidator(parse_iso_date), Kind("date")]
Npi = Annotated[str, BeforeValidator(_npi), Kind("text")]
Text = Annotated[str, Strict(), Kind("text")]
Codes = Annotated[tuple[Annotated[str, Strict()], ...], Kind("list")]


def _catalog(info: ValidationInfo) -> "Catalog":
    if info.context and "catalog" in info.context:
        return info.context["catalog"]
    return default_catalog()


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Service(_Part):
    """The service line: what was done and what it costs (dollars)."""

    code: Text
    charge: Money | None = None
    fee_schedule: Money | None = None

    @field_validator("code")
    @classmethod
    def _known(cls, value: str, info: ValidationInfo) -> str:
        value = value.strip()
        cat = _catalog(info)
        if cat.procedure(value) is None:
            raise ValueError(
                f"{value!r} is not a service in the catalog (see `medspa-kit procedures`, "
                "or use a procedure id such as 'botox-cosmetic')"
            )
        return value


def _whole_units(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{value!r} is not a whole number of units")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"{value!r} is not a whole number of units")
    # a whole number of thousands of digits is shown short (Python will not write it out)
    shown = f"{int(value):,}" if abs(value) < 1e18 else number_shown(value)
    if value < 1:
        raise ValueError(f"{shown} units: a line has at least 1")
    if value > MAX_UNITS:
        raise ValueError(f"{shown} units is more than {MAX_UNITS:,}")
    return int(value)


Units = Annotated[int, BeforeValidator(_whole_units), Kind("number", "units")]
Modifiers = Annotated[tuple[Annotated[str, Strict()], ...], Kind("list")]


class Line(_Part):
    """One claim line: a billing code, its units and modifiers, and what it costs (dollars)."""

    code: Text
    units: Units = 1
    modifiers: Modifiers = ()
    charge: Money | None = None
    """the line's whole charge (dollars); default: the catalog's cash price per unit × units"""
    fee_schedule: Money | None = None
    """the plan's in-network allowed amount **per unit** (dollars); default: the catalog's"""
    diagnoses: Codes | None = None
    """the claim's diagnoses this line treats (the claim's diagnosis pointer); default: all"""

    @field_validator("code")
    @classmethod
    def _known(cls, value: str, info: ValidationInfo) -> str:
        value = value.strip()
        found = _catalog(info).line_procedure(value)
        if found is None:
            raise ValueError(f"{value!r} is not a billing code in the catalog (see `medspa-kit procedures`)")
        return found.code if value.upper() == found.code else value  # a code as HCPCS spells it: J0585

    @field_validator("modifiers", "diagnoses", mode="before")
    @classmethod
    def _as_list(cls, value: Any) -> Any:
        return _ordered_list(value, '["25"]')

    @field_validator("modifiers")
    @classmethod
    def _modifiers_known(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        known = _catalog(info).keyed["modifiers"]
        codes = _known_items(value, known, "a modifier the kit reads", str.upper)
        found = contradiction(codes, known)
        if found:
            raise _ItemError(*found)
        procedure = _catalog(info).line_procedure(info.data["code"]) if "code" in info.data else None
        found = misplaced(codes, known, procedure.category) if procedure else None
        if found:
            position, why = found
            raise _ItemError(position, f"{why}, not on {info.data['code']}")
        return codes

    @field_validator("diagnoses")
    @classmethod
    def _normalized(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None and not value:  # [] would point the line at no diagnosis at all
            raise ValueError("an empty list points the line at no diagnosis: list the claim's diagnoses this "
                             "line treats, or leave the field out for all of them")
        return None if value is None else tuple(normalize_icd(code) for code in value)


def _ordered_list(value: Any, example: str) -> Any:
    """``value`` when it may be read as a list; a text or an unordered collection (a set: its
    order, which says which diagnosis is the first and which modifier prices, is not kept) is an
    error."""
    if isinstance(value, str):
        raise ValueError(f"{value!r} should be a list of codes, such as {example}")
    if isinstance(value, (set, frozenset)):
        raise ValueError(f"a set ({shown_value(value)}) has no order; give a list, such as {example}, "
                         "the first code first")
    return value


def _known_items(value: tuple[str, ...], known: Any, what: str, normal: Any = str) -> tuple[str, ...]:
    """Each item stripped (and ``normal``-ised), known and listed once; else an error naming the item."""
    out: list[str] = []
    for i, raw in enumerate(value):
        item = normal(raw.strip())
        if item not in known:
            raise _ItemError(i, f"{raw!r} is not {what} ({', '.join(known)})")
        if item in out:
            raise _ItemError(i, f"{item!r} is listed twice")
        out.append(item)
    return tuple(out)


def _a_list(what: str, example: str) -> Any:
    """A before-validator: text where a list belongs is refused with an example of the list."""

    def check(value: Any) -> Any:
        if isinstance(value, str):
            shown = example if example.startswith("{") else f'"{example}"'
            raise ValueError(f"{value!r} should be a list of {what}, such as [{shown}]")
        return value

    return check


class ClaimLine(NamedTuple):
    """A line as the engine reads it, whether the scenario gave ``lines`` or one ``service``."""

    code: str
    units: int
    modifiers: tuple[str, ...]
    charge: float | None
    fee_schedule: float | None
    diagnoses: tuple[str, ...]
    from_service: bool
    """a version 1 ``service``: looked up as a visit (``Catalog.procedure``), not a line"""


class Documentation(_Part):
    """What is on file before the visit."""

    criteria_documented: Flag = False
    """the chart documents the policy's criteria (all of them, when ``criteria`` is not given)"""
    criteria: Annotated[Codes, BeforeValidator(_a_list("criterion ids", "ak-more-than-10"))] | None = None
    """the clinical criteria the chart documents (``criteria.csv`` ids); given, they decide"""
    prior_auth: Flag = False
    lmn: Flag = False
    referral: Flag = False
    """a referral from the primary care doctor is on file"""
    waiver_signed: Flag = False
    """a specific pre-service waiver was signed (under Original Medicare: an ABN)"""

    @field_validator("criteria")
    @classmethod
    def _criteria_known(cls, value: tuple[str, ...] | None, info: ValidationInfo) -> tuple[str, ...] | None:
        if value is None:
            return None
        return _known_items(value, _catalog(info).keyed["criteria"], "a criterion the kit knows")


class Provider(_Part):
    """The rendering clinician."""

    type: Annotated[ProviderType, BeforeValidator(_text_choice)]
    npi: Npi | None = None
    credentialed: Flag


class Facility(_Part):
    """Where the service is done."""

    kind: Annotated[FacilityKind, BeforeValidator(_text_choice)]
    place_of_service: Text | None = None
    credentialed: Flag
    participating: Flag

    @field_validator("place_of_service")
    @classmethod
    def _pos(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        value = value.strip()
        known = _catalog(info).places_of_service
        if value not in known:
            raise ValueError(
                f"{value!r} is not a place-of-service code we know ({', '.join(sorted(known))})"
            )
        return value


class OutOfNetwork(_Part):
    """Out-of-network benefits (PPO, POS, HDHP); absent for HMO/EPO."""

    deductible: Money
    coinsurance: Rate
    oop_max: Money
    allowed_pct: Rate = 1.0

    @model_validator(mode="after")
    def _limits(self) -> "OutOfNetwork":
        if deductible_above_oop_max(self.deductible, self.oop_max):
            raise ValueError(deductible_above_oop_max_message(self.deductible, self.oop_max))
        return self


class Plan(_Part):
    """The patient's health plan (dollars; rates are fractions 0–1).

    For Original Medicare (``MEDICARE``) the deductible and coinsurance default to the year's
    Part B amounts (``medicare_part_b.csv``), there is no out-of-pocket maximum, no copay and no
    out-of-network block, and ``facility.participating`` means the clinic accepts assignment.
    """

    type: Annotated[PlanType, BeforeValidator(_text_choice)]
    covered_places_of_service: Codes | None = None
    deductible: Money | None = None
    """required, except under Original Medicare (the year's Part B deductible)"""
    coinsurance: Rate | None = None
    """required, except under Original Medicare (the year's Part B coinsurance)"""
    copay: Money = 0.0
    oop_max: Money | None = None
    """required, except under Original Medicare (which has none)"""
    oon: OutOfNetwork | None = None
    hsa_qualified: Flag = False
    referral_required: Flag | None = None
    """a specialist visit needs the primary care doctor's referral; default by plan type
    (``plan_types.csv``: HMO and POS yes)"""
    grandfathered: Flag | None = None
    """a plan from before March 23, 2010 that kept its old terms: it need not waive cost sharing
    for preventive care"""

    @field_validator("covered_places_of_service", mode="before")
    @classmethod
    def _list(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise ValueError(f"{value!r} should be a list of place-of-service codes, such as [\"11\"]")
        return value

    @field_validator("covered_places_of_service")
    @classmethod
    def _pos_known(cls, value: tuple[str, ...] | None, info: ValidationInfo) -> tuple[str, ...] | None:
        if value is None:
            return None
        known = _catalog(info).places_of_service
        codes: list[str] = []
        for i, code in enumerate(value):
            if code.strip() not in known:
                raise ValueError(f"{code!r} is not a place-of-service code we know")
            if code.strip() in codes:
                raise _ItemError(i, f"{code.strip()!r} is listed twice")
            codes.append(code.strip())
        return tuple(codes)

    @model_validator(mode="after")
    def _limits(self) -> "Plan":
        if self.type is PlanType.MEDICARE:
            for name, why in (("oop_max", "Original Medicare has no out-of-pocket maximum"),
                              ("oon", "Original Medicare has no network: any enrolled clinic may bill it"),
                              ("copay", "Original Medicare Part B charges coinsurance, not a copay"),
                              ("referral_required", "Original Medicare needs no referral to see a specialist"),
                              ("grandfathered", "grandfathering is a rule of private plans, not of Medicare"),
                              ("hsa_qualified", "Original Medicare is not an HSA-qualified plan")):
                if getattr(self, name):
                    raise _FieldError(f"plan.{name}", f"{why}; leave it out")
            return self
        for name in ("deductible", "coinsurance", "oop_max"):
            if getattr(self, name) is None:
                raise _FieldError(f"plan.{name}", "required field is missing")
        if deductible_above_oop_max(self.deductible, self.oop_max):
            raise ValueError(deductible_above_oop_max_message(self.deductible, self.oop_max))
        return self


class EarlierService(_Part):
    """A service the patient had before (for frequency and yearly limits)."""

    code: Text
    date: IsoDate

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            raise ValueError(f"{value!r} is not an earlier service: write " '{"code": "64615", "date": "2026-01-05"}'
                             " (in a table cell: CODE YYYY-MM-DD pairs joined with ;)")
        return value


History = Annotated[tuple[EarlierService, ...], Kind("history")]


class Accumulators(_Part):
    """What the patient has already paid this plan year (dollars), and the last treatment.

    An amount met above the deductible or the out-of-pocket maximum counts as met in full (a
    member moved mid-year to a plan with a lower deductible carries more credit than it)."""

    deductible_met: Money = 0.0
    oop_met: Money = 0.0
    oon_deductible_met: Money = 0.0
    oon_oop_met: Money = 0.0
    last_treatment: IsoDate | None = None
    """the last treatment of this service (any code)"""
    history: Annotated[History, BeforeValidator(_a_list("earlier services", '{"code": "64615", "date": "2026-01-05"}'))
                       ] | None = None
    """earlier services by billing code and date: the frequency rule reads the latest of the
    line's code, the yearly limits count those in the 12 months before the date of service"""


class Scenario(_Part):
    """One service for one patient on one date (the scenario file, docs/scenario.md).

    Build one with :meth:`from_dict`, :meth:`from_json` or :func:`load_scenario`: a bad value is
    then a :class:`~medspa_kit.errors.ScenarioError` naming the field. pydantic's own
    ``Scenario(**fields)`` and ``model_validate`` raise pydantic's ``ValidationError`` (a
    ``ValueError`` too), with pydantic's wording.
    """

    version: Annotated[Literal[VERSIONS], Kind("number")] = 1
    date_of_service: IsoDate
    payer: Text | None = None
    """``payers.csv`` id; default: ``medicare`` under Original Medicare, else ``generic-commercial``"""
    service: Service | None = None
    """version 1: the one service of the claim (a visit billed under its main code)"""
    lines: tuple[Line, ...] | None = None
    """version 2: the claim's lines, in order"""
    diagnoses: Codes = Field(min_length=1)
    documentation: Documentation = Documentation()
    provider: Provider
    facility: Facility
    plan: Plan
    accumulators: Accumulators = Accumulators()

    @field_validator("version", mode="before")
    @classmethod
    def _whole(cls, value: Any) -> Any:
        # A table's number column holds 1.0: that is version 1. True is no number here. (Stated
        # here, not left to the pydantic release: older ones refuse 1.0, newer ones take True.)
        expected = " or ".join(str(v) for v in VERSIONS)
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is not supported (expected {expected})")
        if isinstance(value, float) and value in VERSIONS:
            return int(value)
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:  # a cell "3" read as 3.0
            raise ValueError(f"{int(value)} is not supported (expected {expected})")
        return value

    @field_validator("diagnoses", mode="before")
    @classmethod
    def _as_list(cls, value: Any) -> Any:
        return _ordered_list(value, '["L74.510"]')

    @field_validator("diagnoses")
    @classmethod
    def _billable(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        known = _catalog(info).known_diagnoses
        codes = []
        for i, raw in enumerate(value):
            problem = icd_problem(raw, known)
            if problem:
                raise _ItemError(i, problem)
            code = normalize_icd(raw)
            if code in codes:
                raise _ItemError(i, f"{code!r} is listed twice")
            codes.append(code)
        return tuple(codes)

    @model_validator(mode="after")
    def _one_kind_of_line(self) -> "Scenario":
        if self.service is not None and self.lines is not None:
            raise _FieldError("lines", "give either service (one line) or lines, not both")
        if self.service is None and self.lines is None:
            raise _FieldError("lines", "required: lines (version 2), or service (version 1)")
        if self.lines is not None and not self.lines:
            raise _FieldError("lines", "needs at least one line")
        if self.lines is not None and len(self.lines) > MAX_LINES:
            raise _FieldError("lines", f"{len(self.lines):,} lines is more than {MAX_LINES}, the most one claim "
                                       "holds (an 837P claim has at most 50 service lines): split the claim")
        if self.service is not None and self.version >= 2:
            raise _FieldError("service", f"version {self.version} lists the claim's lines: write \"lines\": "
                                         f"[{{\"code\": \"{self.service.code}\"}}] instead of service, or \"version\": 1")
        if self.lines is not None and self.version < 2:
            raise _FieldError("version", f"{self.version} does not have lines: write \"version\": 2")
        for i, line in enumerate(self.lines or ()):
            for j, code in enumerate(line.diagnoses or ()):
                if code not in self.diagnoses:
                    raise _FieldError(f"lines[{i}].diagnoses[{j}]",
                                      f"{code!r} is not one of the claim's diagnoses ({', '.join(self.diagnoses)})")
        return self

    @cached_property
    def claim_lines(self) -> tuple[ClaimLine, ...]:
        """The claim's lines in order: ``lines``, or the ``service`` as one line (made once per
        scenario: every line's checks and explanations read it)."""
        if self.lines is None:
            s = self.service
            return (ClaimLine(s.code, 1, (), s.charge, s.fee_schedule, self.diagnoses, True),)
        return tuple(ClaimLine(line.code, line.units, line.modifiers, line.charge, line.fee_schedule,
                               line.diagnoses or self.diagnoses, False) for line in self.lines)

    @model_validator(mode="after")
    def _dates(self, info: ValidationInfo) -> "Scenario":
        last = self.accumulators.last_treatment
        if last is not None and treated_after_service(last, self.date_of_service):
            raise _FieldError("accumulators.last_treatment",
                              treated_after_service_message(last, self.date_of_service))
        cat = _catalog(info)
        for i, earlier in enumerate(self.accumulators.history or ()):
            if cat.line_procedure(earlier.code.strip()) is None and cat.procedure(earlier.code.strip()) is None:
                raise _FieldError(f"accumulators.history[{i}].code",
                                  f"{earlier.code!r} is not a billing code in the catalog")
            if earlier_not_before(earlier.date, self.date_of_service):
                raise _FieldError(f"accumulators.history[{i}].date",
                                  earlier_not_before_message(earlier.date, self.date_of_service))
        return self

    @model_validator(mode="after")
    def _payer(self, info: ValidationInfo) -> "Scenario":
        cat = _catalog(info)
        medicare = self.plan.type is PlanType.MEDICARE
        if self.payer is not None:
            if self.payer not in cat.keyed["payers"]:
                raise _FieldError("payer", f"{self.payer!r} is not a payer the kit knows "
                                           f"({', '.join(cat.keyed['payers'])})")
            if (cat.payer_kind(self.payer) == "medicare") != medicare:
                raise _FieldError("payer", f"{self.payer!r} goes with plan.type MEDICARE and only with it"
                                  if cat.payer_kind(self.payer) == "medicare" else
                                  f"{self.payer!r} is not Original Medicare: plan.type MEDICARE needs "
                                  "payer 'medicare' (or none)")
        if medicare and (self.plan.deductible is None or self.plan.coinsurance is None):
            if cat.part_b(self.date_of_service.year) is None:
                years = ", ".join(cat.keyed["medicare_part_b"])
                raise _FieldError("plan.deductible",
                                  f"the kit has Part B amounts for {years}, not {self.date_of_service.year}: "
                                  "give plan.deductible and plan.coinsurance")
        return self

    @property
    def payer_id(self) -> str:
        """The payer whose rules apply: ``payer``, else ``medicare`` under Original Medicare, else
        ``generic-commercial``."""
        if self.payer is not None:
            return self.payer
        return "medicare" if self.plan.type is PlanType.MEDICARE else "generic-commercial"

    # -- construction and export -----------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any], catalog: "Catalog | None" = None) -> "Scenario":
        """Parse a dict of the scenario file's shape; raises ScenarioError naming the field.

        numpy values (``np.True_``, ``np.float32(0.2)``) are read as the Python values they hold.
        """
        if not isinstance(data, Mapping):
            raise ScenarioError.one("scenario", f"expected a JSON object, got {json_kind(data)}")
        context = {"catalog": given_catalog(catalog)} if catalog is not None else None
        data = plain_tree(data)  # (a new dict, any Mapping read once)
        try:
            return cls.model_validate(data, context=context)
        except ValidationError as err:
            raise ScenarioError(_problems(err, data)) from None

    @classmethod
    def from_json(cls, text: str, catalog: "Catalog | None" = None) -> "Scenario":
        """Parse a scenario's JSON text (limits: :func:`medspa_kit.files.load_json`).

        ``text``: a str, or bytes of UTF-8 text (a byte-order mark is dropped).

        Raises
        ------
        ScenarioError
            Not text (``scenario: expected JSON text (a str), got null``), bytes that are not
            UTF-8, not JSON, or a field (named).
        """
        if isinstance(text, (bytes, bytearray)):
            text = decode(bytes(text), "the bytes given", "scenario")
        elif not isinstance(text, str):
            raise ScenarioError.one("scenario", f"expected JSON text (a str), got {json_kind(text)}")
        return cls.from_dict(load_json(text, "scenario"), catalog=catalog)

    def to_dict(self) -> dict[str, Any]:
        """The scenario file's JSON object (fields left to catalog defaults stay out)."""
        return self.model_dump(mode="json", exclude_none=True)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    def with_changes(self, changes: Mapping[str, Any], catalog: "Catalog | None" = None) -> "Scenario":
        """A new scenario with dotted fields replaced (``{"plan.type": "HMO"}``), re-validated."""
        if not isinstance(changes, Mapping):
            raise ScenarioError.one("changes", f"expected a dict of field → value, got {type(changes).__name__}")
        data = self.to_dict()
        for path, value in pairs(changes, "changes", "a dict of field → value"):
            _field_name(path)
            set_path(data, path, value)
        return Scenario.from_dict(data, catalog=catalog)

    def get(self, path: str) -> Any:
        """The value at a dotted path (``"plan.oon.coinsurance"``, ``"lines.1.units"`` for the
        second line); raises ScenarioError for a path that names no field or no entry of a list."""
        node: Any = self
        annotation: Any = type(self)
        parts = _field_name(path).split(".")
        for depth, part in enumerate(parts):
            if isinstance(node, tuple) or (node is None and _holds_tuple(annotation)):
                # "lines.1.units", "diagnoses.0": an entry by its position (a list not given is empty)
                node = node[_list_index(list(node or ()), part, ".".join(parts[:depth]))]
                annotation = typing.get_args(_tuple_in(annotation))[0]
                continue
            model = type(node) if isinstance(node, BaseModel) else _inner_model(annotation) if node is None else None
            if model is None or part not in model.model_fields:
                raise ScenarioError.one(path, "no such field in a scenario (see docs/scenario.md)")
            annotation = model.model_fields[part].annotation
            node = getattr(node, part) if node is not None else None  # a part not given: None below it
        return node.value if isinstance(node, Enum) else node


def _field_name(path: Any) -> str:
    if not isinstance(path, str) or not path:
        raise ScenarioError.one("field", f"{shown_value(path)} is not a dotted field name such as \"plan.type\"")
    return path


def _holds_fields(node: Any, path: str, above: list[str]) -> None:
    """ScenarioError unless ``node`` (at ``above`` in ``path``) is a group of fields."""
    if not isinstance(node, dict):
        raise ScenarioError.one(path, f"{'.'.join(above)} is {shown_value(node)}, which has no fields to set")


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``data["a"]["b"]`` for ``"a.b"``; ``None`` removes the key (back to its default)."""
    if not isinstance(data, dict):
        raise ScenarioError.one("data", f"expected a scenario as a dict (Scenario.to_dict()), got {type(data).__name__}")
    parts = _field_name(path).split(".")
    node: Any = data
    for depth, part in enumerate(parts[:-1]):
        if isinstance(node, list):  # "lines.1.units": the second line
            node = node[_list_index(node, part, ".".join(parts[:depth]))]
            continue
        _holds_fields(node, path, parts[:depth])
        child = node.get(part)
        if not isinstance(child, (dict, list)):
            child = {}
            node[part] = child
        node = child
    if isinstance(node, list):
        node[_list_index(node, parts[-1], ".".join(parts[:-1]))] = value
        return
    _holds_fields(node, path, parts[:-1])
    if value is None:
        node.pop(parts[-1], None)
        if parts[-1] in ("oon", "last_treatment", "charge", "fee_schedule"):
            node[parts[-1]] = None
    else:
        node[parts[-1]] = value


def _list_index(items: list[Any], part: str, name: str) -> int:
    """The position ``part`` (``"0"``, ``"1"``…) names in the list at ``name``; ScenarioError if none."""
    if not part.isascii() or not part.isdigit():
        raise ScenarioError.one(name, f"{part!r} is not a position in the list (0 is the first)")
    if int(part) >= len(items):
        held = f"has {len(items)}, from 0" if items else "is empty"
        raise ScenarioError.one(name, f"there is no entry {part} (the list {held})")
    return int(part)


class _ItemError(ValueError):
    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index


class _FieldError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _problems(err: ValidationError, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for item in err.errors(include_url=False):
        loc = [str(p) for p in item["loc"]]
        kind = item["type"]
        ctx_error = (item.get("ctx") or {}).get("error")
        if isinstance(ctx_error, _ItemError):
            loc.append(str(ctx_error.index))
        if isinstance(ctx_error, _FieldError):
            field, message = ctx_error.field, str(ctx_error)
            problems.append((field, message))
            continue
        field = _dotted(loc)
        value = item.get("input")
        if kind == "extra_forbidden":
            message = f"unknown field {loc[-1]!r} (allowed: {', '.join(_allowed(loc[:-1]))})"
        elif kind == "missing":
            message = "required field is missing"
        elif kind in ("value_error", "assertion_error"):
            message = str(ctx_error) if ctx_error is not None else item["msg"]
        elif kind == "enum":
            message = f"{shown_value(value)} is not one of {item['ctx']['expected']}"
        elif kind == "literal_error":
            message = f"{shown_value(value)} is not supported (expected {item['ctx']['expected']})"
        elif kind in ("float_type", "int_type"):
            message = f"{shown_value(value)} is not a number"
            if isinstance(value, str) and value.strip().endswith("%"):
                message += " (write a rate as a fraction: 20% is 0.2)"
        elif kind == "bool_type":
            message = f"{shown_value(value)} is not true or false"
        elif kind == "string_type":
            message = f"{shown_value(value)} is not text"
        elif kind in ("tuple_type", "list_type", "iterable_type"):
            message = f"{shown_value(value)} should be a list"
        elif kind == "string_unicode":
            message = f"{shown_value(value)} is not Unicode text (it holds half of a surrogate pair)"
        elif kind == "too_short":
            message = "needs at least one entry"
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            message = f"{shown_value(value)} should be an object with fields"
        else:
            message = f"{item['msg']} (got {shown_value(value)})"
        problems.append((field, message))
    return problems


def _dotted(loc: list[str]) -> str:
    out = ""
    for part in loc:
        if part.isdigit():
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "scenario"


def _allowed(loc: list[str]) -> list[str]:
    model: type[BaseModel] = Scenario
    for part in loc:
        if part.isdigit():
            continue
        info = model.model_fields.get(part)
        if info is None:
            return []
        inner = _inner_model(info.annotation)
        if inner is not None:
            model = inner
    return list(model.model_fields)


def _held(annotation: Any, wanted: Callable[[Any], bool]) -> Any:
    """The first type in a field's annotation, however wrapped (optional, a tuple of,
    annotated), that is ``wanted``; None if none is."""
    if wanted(annotation):
        return annotation
    for arg in typing.get_args(annotation):
        found = _held(arg, wanted)
        if found is not None:
            return found
    return None


def _tuple_in(annotation: Any) -> Any:
    """The ``tuple[X, ...]`` a field's annotation holds, or None."""
    return _held(annotation, lambda kind: typing.get_origin(kind) is tuple)


def _holds_tuple(annotation: Any) -> bool:
    return _tuple_in(annotation) is not None


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model a field's annotation holds, or None."""
    return _held(annotation, lambda kind: isinstance(kind, type) and issubclass(kind, BaseModel))


def load_scenario(path: str, catalog: "Catalog | None" = None) -> Scenario:
    """Read a scenario JSON file (docs/scenario.md): a regular UTF-8 file of at most 1 MB.

    Raises
    ------
    ScenarioError
        Naming the file (missing, not a regular file, too large, not UTF-8, not JSON) or the field.
    """
    text = not_empty(read_text_file(path, SCENARIO_MAX_BYTES), path)
    return Scenario.from_dict(load_json(text, "scenario", name=path), catalog=catalog)


def save_scenario(scenario: Scenario, path: str) -> None:
    """Write the scenario's JSON to ``path`` (whole or not at all).

    Raises
    ------
    ScenarioError
        ``scenario`` is no :class:`Scenario` (a dict: ``Scenario.from_dict`` it first), or ``path``
        is no file name or cannot be written (naming it).
    """
    if not isinstance(scenario, Scenario):
        raise ScenarioError.one("scenario", f"expected a Scenario (Scenario.from_dict or load_scenario makes one), "
                                            f"got {type(scenario).__name__}")
    write_text_file(path, scenario.to_json(), field="file")


from ._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
