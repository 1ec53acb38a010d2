"""Who is on an 837P and an 835, and the X12 codes the kit's words become.

The parties are fictional: a teaching clinic with a made-up organization NPI (valid check
digit) and tax id, a made-up subscriber and member id, a made-up payer id and check number. The
rendering provider's NPI is the scenario's. Nothing here names a real person or account.

References
----------
.. [1] x12-837p: 2010AA billing provider (an organization with its NPI, a 9-digit ZIP and its
   tax id), 2310B rendering provider, SBR09 claim filing indicator, HI ICD-10-CM qualifiers
   ABK (principal) and ABF (other), SV101 up to four modifiers, SV107 up to four pointers.
.. [2] x12-835: CLP02 claim status (1 processed as primary, 4 denied), CLP06 claim filing
   indicator, BPR01 ``I`` (payment with remittance) or ``H`` (notification only, no money).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import EdiError, shortened, shown_value
from ..fields import DATES, calendar_date

if TYPE_CHECKING:
    from ..catalog import Catalog
    from ..model import Scenario
    from ..outcome import LineOutcome, Outcome

CLINIC_NAME = "MEDSPA KIT TEACHING CLINIC"
CLINIC_NPI = "1999999992"
"""fictional organization NPI (its check digit is valid, no clinic holds it)"""
CLINIC_TAX_ID = "990000001"
CLINIC_ADDRESS = ("100 TEACHING WAY", "SPRINGFIELD", "IL", "627010001")
CLINIC_PHONE = "8005550101"
SUBSCRIBER_ADDRESS = ("200 TEACHING WAY", "SPRINGFIELD", "IL", "627010001")
PAYER_ADDRESS = ("1 PAYER PLAZA", "SPRINGFIELD", "IL", "627020001")
PAYER_TAX_ID = "990000002"
PAYER_PHONE = "8005550100"
"""a 555-01xx number: reserved for fiction"""
SUBSCRIBER = ("PATIENT", "TEACHING", "19800101")
"""last name, first name, birth date (CCYYMMDD): a made-up person"""
SENDER, RECEIVER = "MEDSPAKIT", "TEACHINGPAYER"
"""ISA06/ISA08 interchange ids (made up)"""

MAX_LINES_837P = 50
MAX_DIAGNOSES = 12
MAX_MODIFIERS = 4
MAX_POINTERS = 4
PAYMENT_DAYS = 21
"""days from the date of service to the fictional payment date (BPR16) and the remittance"""

# SBR09 (837P) and CLP06 (835): which kind of plan pays. The 835's list has no "CI"
# (commercial), so a plan without a network code of its own is "ZZ" (mutually defined) there.
FILING_837P = {"HMO": "HM", "PPO": "12", "POS": "13", "EPO": "14", "HDHP": "CI", "MEDICARE": "MB"}
FILING_835 = {"HMO": "HM", "PPO": "12", "POS": "13", "EPO": "14", "HDHP": "ZZ", "MEDICARE": "MB"}
MEDICAID = "MC"

CLAIM_STATUS = {"covered": "1", "partly_covered": "1", "denied": "4", "not_billable": "4"}
"""CLP02: processed as primary (some money or cost sharing), or denied (nothing paid on any line)"""


def require_x12() -> Any:
    """The ``x12sdk`` package, or an EdiError saying how to install it."""
    try:
        import x12sdk
    except ModuleNotFoundError as err:
        if err.name not in ("x12sdk", "dotenv"):
            raise
        raise EdiError("EDI files need x12sdk: pip install 'medspa-kit[edi]'") from None
    return x12sdk


@dataclass(frozen=True)
class BilledLine:
    """One line as the 837P and 835 carry it (money in cents)."""

    number: int
    code: str
    modifiers: tuple[str, ...]
    units: int
    charge: int
    pointers: tuple[int, ...]
    """1-based positions of the line's diagnoses in the claim's HI segment"""
    description: str
    """SV101-7: the service in words, for a code without one of its own (an unlisted code)"""
    control: str
    """REF*6R line item control number, echoed in the 835: ties the answer to the line sent"""


def billed_lines(outcome: "Outcome", claim_id: str) -> tuple[BilledLine, ...]:
    """The outcome's lines as the claim sends them, or an EdiError naming what X12 cannot carry."""
    scenario, catalog = outcome.scenario, outcome.catalog
    diagnoses = list(scenario.diagnoses)
    if len(diagnoses) > MAX_DIAGNOSES:
        raise EdiError(f"diagnoses: {len(diagnoses)} codes; an 837P claim carries at most {MAX_DIAGNOSES}")
    if len(outcome.lines) > MAX_LINES_837P:
        raise EdiError(f"lines: {len(outcome.lines)} lines; an 837P claim carries at most {MAX_LINES_837P}")
    out = []
    for line, sent in zip(outcome.lines, scenario.claim_lines):
        where = "service" if sent.from_service else f"lines[{line.number - 1}]"
        if len(line.modifiers) > MAX_MODIFIERS:
            raise EdiError(f"{where}.modifiers: {len(line.modifiers)} modifiers; "
                           f"an 837P line carries at most {MAX_MODIFIERS}")
        code, description = line_code(line, catalog)
        pointers = tuple(diagnoses.index(code) + 1 for code in sent.diagnoses)[:MAX_POINTERS]
        out.append(BilledLine(line.number, code, line.modifiers, line.units, line.cost.charge, pointers,
                              description, f"{claim_id}-{line.number}"))
    return tuple(out)


def line_code(line: "LineOutcome", catalog: "Catalog") -> tuple[str, str]:
    """The line's CPT/HCPCS code and, for a service without one, the unlisted code and its words
    (``claim_codes.csv``)."""
    if line.procedure.code:
        return line.procedure.code, ""
    row = catalog.record("claim_codes", line.procedure.id)
    if row is None:
        raise EdiError(f"service.code: {line.procedure.id!r} has no billing code and no unlisted code "
                       "in claim_codes.csv, so no claim line can carry it")
    return row["code"], row["description"]


def filing_indicator(scenario: "Scenario", catalog: "Catalog", remittance: bool) -> str:
    """SBR09 (837P) or CLP06 (835) for the scenario's plan and payer."""
    payer = catalog.record("payers", scenario.payer_id)
    if payer is not None and payer["kind"] == "medicaid":
        return MEDICAID
    return (FILING_835 if remittance else FILING_837P)[scenario.plan.type.value]


def payer_name(scenario: "Scenario", catalog: "Catalog") -> str:
    payer = catalog.record("payers", scenario.payer_id)
    return (payer["name"] if payer else scenario.payer_id).upper()[:60]


def payer_id(scenario: "Scenario") -> str:
    """A made-up payer id from the kit's payer id (``GENERIC-COMMERCIAL``)."""
    return scenario.payer_id.upper()[:80]


CLAIM_ID_MAX = 38
"""characters: CLM01 (837P) and CLP01 (835), the patient control number, hold 1 to 38"""


def claim_id_text(claim_id: Any) -> str:
    """``claim_id`` as X12 can carry it in CLM01/CLP01: 1 to 38 printable ASCII characters, none
    of the file's delimiters (``*`` ``:`` ``^`` ``~``), which would end or split the element.
    The id is read as a batch reads a ``claim_id`` cell (:func:`medspa_kit.batch_cells.id_key`):
    text without the spaces around it, a number written in at most 38 characters (``' C1 '`` is
    claim ``C1``, ``7`` and ``7.0`` are ``'7'``); text a batch reads as an empty cell (``nan``)
    names no claim.

    Raises
    ------
    EdiError
        Naming the claim id and what is wrong with it.
    """
    from ..batch_cells import EMPTY_ID_TEXTS, id_key, id_kind, is_id_value

    if not is_id_value(claim_id):
        raise EdiError(f"claim_id: a {id_kind(claim_id)} is no claim id (text, such as 'C1', or a number written in at "
                       f"most {CLAIM_ID_MAX} characters)")
    claim_id = id_key(claim_id)
    if not isinstance(claim_id, str) or claim_id in EMPTY_ID_TEXTS:
        raise EdiError(f"claim_id: {shortened(shown_value(claim_id), 60)} names no claim (a batch reads it as an "
                       "empty cell); give each claim its id, such as 'C1'")
    shown = shortened(shown_value(claim_id), 60)
    if not 1 <= len(claim_id) <= CLAIM_ID_MAX:
        raise EdiError(f"claim_id: {shown} is {len(claim_id)} characters; X12 carries a claim id of 1 to "
                       f"{CLAIM_ID_MAX} (CLM01, CLP01)")
    bad = next((c for c in claim_id if not (" " <= c <= "~") or c in "*:^~"), None)
    if bad is not None:
        what = f"the delimiter {bad!r}" if bad in "*:^~" else f"U+{ord(bad):04X}, which is not printable ASCII"
        raise EdiError(f"claim_id: {shown} holds {what}; an X12 claim id is letters, digits, spaces and "
                       "punctuation other than * : ^ ~")
    return claim_id


def member_id(claim_id: str) -> str:
    return f"MK{claim_id}"[:80]


def place_of_service(scenario: "Scenario", catalog: "Catalog") -> str:
    """The facility's place of service, else its kind's default (as the engine reads it)."""
    facility = scenario.facility
    return facility.place_of_service or catalog.record("facility_kinds", facility.kind.value)[
        "default_place_of_service"]


FILE_DATES = (DATES[0], DATES[1].replace(year=DATES[1].year + 1))
"""the dates an X12 file of the kit may carry for its making or a payment: a visit on the last
date of service the kit reads (2199-12-31) is paid the next year"""


def file_date(value: Any, name: str) -> dt.date:
    """``value`` as the date of a file or a payment the kit writes (``created``, ``paid_on``).

    Raises
    ------
    EdiError
        Naming ``name``: no ``datetime.date``, a date and time other than midnight without a time
        zone, or outside :data:`FILE_DATES`.
    """
    if not isinstance(value, dt.date):
        raise EdiError(f"{name}: expected a datetime.date, got {type(value).__name__}")
    if value != value:  # pandas' NaT is a datetime that is no day
        raise EdiError(f"{name}: the date is missing (NaT); give a datetime.date")
    try:  # (a date and time is a date only at midnight with no time zone, as every date the kit reads)
        day = calendar_date(value)
    except ValueError as err:
        raise EdiError(f"{name}: {err}") from None
    if not FILE_DATES[0] <= day <= FILE_DATES[1]:
        raise EdiError(f"{name}: {day.isoformat()} is outside the dates an X12 file of the kit carries "
                       f"({FILE_DATES[0].isoformat()} to {FILE_DATES[1].isoformat()})")
    return day


def control_number(value: Any) -> str:
    """ST02/SE02 as given: 4 to 9 letters or digits (X12's AN 4/9, nothing that could end a segment).

    Raises
    ------
    EdiError
        Naming ``control_number`` and the value.
    """
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9]{4,9}", value):
        raise EdiError(f"control_number: {shortened(shown_value(value), 40)} is not 4 to 9 letters or digits (such as '0001')")
    return value


def payment_date(scenario: "Scenario") -> dt.date:
    return scenario.date_of_service + dt.timedelta(days=PAYMENT_DAYS)


def x12_date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def undotted(icd: str) -> str:
    """ICD-10-CM as X12 carries it: without the dot (``L74.510`` → ``L74510``)."""
    return icd.replace(".", "")


VERSIONS = {"837": ("HC", "005010X222A1"), "835": ("HP", "005010X221A1")}
"""GS01 and GS08/ST03 per transaction: the versions HIPAA names (45 CFR 162), which pyx12's maps
carry (x12sdk's 837P models follow the later A2 errata, whose segments are the same here)."""


def envelope_head(code: str, created: dt.date) -> str:
    """ISA and GS for one functional group of ``code`` (``837`` or ``835``) transactions."""
    from x12sdk.v5010.segments import GsSegment, IsaSegment

    functional, version = VERSIONS[code]
    isa = IsaSegment(
        authorization_information_qualifier="00", authorization_information=" " * 10,
        security_information_qualifier="00", security_information=" " * 10,
        interchange_sender_qualifier="30", interchange_sender_id=SENDER.ljust(15),
        interchange_receiver_qualifier="30", interchange_receiver_id=RECEIVER.ljust(15),
        interchange_date=created.strftime("%y%m%d"), interchange_time="1200", repetition_separator="^",
        interchange_control_version_number="00501", interchange_control_number="000000001",
        acknowledgment_requested="0", interchange_usage_indicator="T", component_element_separator=":")
    gs = GsSegment(functional_identifier_code=functional, application_sender_code=SENDER,
                   application_receiver_code=RECEIVER, functional_group_creation_date=x12_date(created),
                   functional_group_creation_time="1200", group_control_number="1", responsible_agency_code="X",
                   version_identifier_code=version)
    return isa.x12() + "\n" + gs.x12() + "\n"


def envelope_tail(transactions: int) -> str:
    """GE and IEA closing the group of :func:`envelope_head` with ``transactions`` ST…SE sets."""
    from x12sdk.v5010.segments import GeSegment, IeaSegment

    ge = GeSegment(number_of_transaction_sets_included=transactions, group_control_number="1")
    iea = IeaSegment(number_of_included_functional_groups=1, interchange_control_number="000000001")
    return ge.x12() + "\n" + iea.x12() + "\n"


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
