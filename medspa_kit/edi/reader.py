"""An 835 read back (through x12sdk's parser) and annotated for people.

:func:`read_remittance` gives each claim's and line's amounts as the file says them (cents);
:func:`remittance_table` lays the file out segment by segment: the segment, what it means in
words, its amount and the line of the outcome it answers (from ``REF*6R``, the line item
control number the claim sent).

References
----------
.. [1] x12-835 (the segments); cgs-remittance-advice (reading a remittance line by line);
   x12-carc, x12-rarc, x12-group-codes (the codes, in the kit's own words from reason_codes.csv
   and remark_codes.csv).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..batch_cells import EMPTY_ID_TEXTS
from ..errors import EdiError, shortened, shown_value
from ..fields import MAX_UNITS
from ..money import X12_AMOUNT_MAX, format_money
from ..vocabulary import GROUP_NAMES
from .envelope import read_interchange
from .parties import claim_id_text, require_x12

if TYPE_CHECKING:
    import pandas as pd

    from ..catalog import Catalog

STATUS_WORDS = {"1": "processed as primary", "2": "processed as secondary", "4": "denied", "22": "reversal"}
GROUP_WORDS = {**GROUP_NAMES, "OA": "other adjustment", "PI": "payer-initiated reduction"}


@dataclass(frozen=True)
class PaidLine:
    """One SVC loop as the file says it; money in cents."""

    code: str
    modifiers: tuple[str, ...]
    charge: int
    paid: int
    units: int
    control: str
    allowed: int | None
    adjustments: tuple[tuple[str, str, int], ...]
    """(group, CARC, cents) in the order of the file"""
    remarks: tuple[str, ...]


@dataclass(frozen=True)
class PaidClaim:
    """One CLP loop as the file says it; money in cents."""

    claim_id: str
    status: str
    charge: int
    paid: int
    patient_responsibility: int
    lines: tuple[PaidLine, ...]


def _cents(amount: Decimal | None, element: str, where: str, negative: bool = True) -> int:
    """An amount of the file (dollars) as cents; EdiError naming ``element`` when it is not one.

    An 835 may carry negative amounts (a reversal, a negative adjustment), never more than
    :data:`~medspa_kit.money.X12_AMOUNT_MAX` dollars either way (what the kit writes: a batch's
    payment passes one claim's bound) nor a fraction of a cent.
    """
    if amount is None:
        return 0
    cents = amount * 100
    if abs(amount) > Decimal(X12_AMOUNT_MAX):
        problem = (f"{amount} is more than ${X12_AMOUNT_MAX:,.0f}" if amount > 0 else
                   f"{amount} is below −${X12_AMOUNT_MAX:,.0f}")
    elif cents != cents.to_integral_value():
        problem = f"{amount} has a fraction of a cent"
    elif amount < 0 and not negative:
        problem = f"{amount} is negative"
    else:
        return int(cents)
    raise EdiError(f"remittance: {element} of {where}: {problem}")


def _balanced(line: PaidLine, where: str) -> PaidLine:
    """An 835 line balances: SVC02 − SVC03 = the sum of its CAS amounts [x12-835]."""
    adjusted = sum(cents for _, _, cents in line.adjustments)
    if line.charge - line.paid != adjusted:
        raise EdiError(f"remittance: SVC of {where} does not balance: charged {format_money(line.charge)} − paid "
                       f"{format_money(line.paid)} ≠ adjustments (CAS) {format_money(adjusted)}")
    return line


def _units(count: Decimal | None, where: str) -> int:
    """SVC05, the units paid: a whole number 1 to MAX_UNITS; empty is 1 (X12's default)."""
    if count is None:
        return 1
    if count != count.to_integral_value() or not 1 <= count <= MAX_UNITS:
        raise EdiError(f"remittance: SVC05 of {where}: {count} units; a line has a whole number of units "
                       f"from 1 to {MAX_UNITS:,}")
    return int(count)


@contextmanager
def _library_quiet() -> Iterator[None]:
    """x12sdk logs a traceback for a segment it cannot place; the kit reports the error itself."""
    library = logging.getLogger("x12sdk")
    before = library.disabled
    library.disabled = True
    try:
        yield
    finally:
        library.disabled = before


def _transactions(text: str) -> list[Any]:
    require_x12()
    from pydantic import ValidationError
    from x12sdk.io import X12ModelReader
    from x12sdk.parsing import X12ParseException

    interchange = read_interchange(text)
    try:
        with _library_quiet(), X12ModelReader(interchange.text) as reader:
            found = list(reader.models())
    except ValidationError as err:
        raise EdiError(f"remittance: {_validation_words(err)}") from None
    except X12ParseException as err:  # a segment with more elements than its kind has
        raise EdiError(f"remittance: x12sdk cannot read a segment: {shortened(' '.join(str(err).split()), 120)}") \
            from None
    except (ValueError, LookupError) as err:  # what x12sdk raises for a loop it cannot build
        missing = getattr(err.args[0], "value", err.args[0]) if err.args else ""
        raise EdiError(f"remittance: x12sdk cannot build the 835's loops: {str(missing)[:100]} is missing or out of "
                       f"place (a claim needs LX, CLP; a line SVC)") from None
    if len(found) != interchange.transactions or any(type(t).__name__ != "HealthCareClaimPayment" for t in found):
        raise EdiError("remittance: not an 835 (Health Care Claim Payment/Advice)")
    return found


def _validation_words(err: Any) -> str:
    """pydantic's first complaint as ``SVC02 (line_item_charge_amount) in loop 2110 …: why, got 'x'``."""
    first = err.errors()[0]
    loc = [str(part) for part in first["loc"]]
    where, element = [], "the transaction"
    for i, part in enumerate(loc):
        if part.startswith("loop_"):
            number = f" #{int(loc[i + 1]) + 1}" if i + 1 < len(loc) and loc[i + 1].isdigit() else ""
            where.append(f"loop {part[5:].upper()}{number}")
        elif part.endswith("_segment"):
            element = part[:-8].upper()
            field = next((f for f in loc[i + 1:] if not f.isdigit()), None)
            if field:
                element = _element_name(err.title, part, field, element)
    place = f" in {', '.join(where)}" if where else ""
    value = first.get("input")
    if value is None or first["type"] == "missing":
        return f"{element}{place}: missing (the element is required)"
    why = _PLAIN_WORDS.get(first["type"])
    if first["type"] in ("literal_error", "enum"):
        why = f"is not one of {first.get('ctx', {}).get('expected', '').replace(chr(39), '')}"
    cas_set = _CAS_SET.search(first["msg"])
    if cas_set:  # x12sdk's CAS check, which takes an amount of 0.00 for none
        return (f"{element}{place}: adjustment {cas_set.group(1)} has a reason code without an amount, an amount "
                f"without a reason code, or an amount of 0.00 (which x12sdk, reading the 835, takes for none: leave "
                f"an adjustment of $0.00 out)")
    balance = _UNBALANCED.search(first["msg"])
    if balance:  # x12sdk's claim balance: CLP03 - CLP04 = the CAS amounts
        charge, paid, adjusted = balance.groups()
        return (f"the claim{place} does not balance: charge {charge} (CLP03) minus paid {paid} (CLP04) is not the "
                f"{adjusted} its CAS segments adjust")
    shown = "" if isinstance(value, (dict, list, tuple)) else f" {shown_value(value)}"
    if why:
        return f"{element}{place}:{shown} {why}"
    return f"{element}{place}: {first['msg'].removeprefix('Value error, ')}{', got' + shown if shown else ''}"


_PLAIN_WORDS = {
    "finite_number": "is not a finite number",
    "decimal_parsing": "is not a number (digits and one point, no commas: 1550.00)",
    "decimal_type": "is not a number",
    "float_parsing": "is not a number",
    "int_parsing": "is not a whole number",
    "string_type": "is not text",
    "date_from_datetime_parsing": "is not a date (CCYYMMDD)",
    "date_parsing": "is not a date (CCYYMMDD)",
}
"""pydantic's error types as the kit says them (x12sdk's models are pydantic models)"""
_CAS_SET = re.compile(r"Adjustment set (\d) is required to have a reason code, amount, and quantity")
_UNBALANCED = re.compile(r"Unable to balance charge amount (\S+) paid amount (\S+) against adjustments (\S+)")


def _element_name(title: str, segment: str, field: str, fallback: str) -> str:
    """``CLP03 (total_claim_charge_amount)``: the element's position from x12sdk's model order."""
    from x12sdk.v5010 import segments as models

    model = getattr(models, segment[:-8].capitalize() + "Segment", None)
    names = [n for n in getattr(model, "model_fields", {}) if n not in ("delimiters", "segment_name")]
    if field in names:
        return f"{fallback}{names.index(field) + 1:02d} ({field})"
    return f"{fallback} ({field})"


def read_remittance(text: str) -> list[PaidClaim]:
    """The claims of an 835, parsed by x12sdk, in the order of the file.

    Parameters
    ----------
    text : str
        An 835 interchange (ISA … IEA).

    Returns
    -------
    list of PaidClaim
        Each claim's id, status, charge, payment and patient responsibility, and its lines with
        code, modifiers, charge, payment, units, control number, allowed amount, adjustments
        (group, CARC, cents) and remark codes.

    Raises
    ------
    EdiError
        The text is not an 835 x12sdk can read.
    """
    claims = []
    for transaction in _transactions(text):
        _payment(transaction)
        for header in transaction.loop_2000:
            claims.extend(_claim(loop) for loop in header.loop_2100)
    return claims


def _payment(transaction: Any) -> int:
    """BPR02, the check's amount, in cents (never negative: a payer's debit is a PLB, not a check)."""
    return _cents(transaction.header.bpr_segment.total_actual_provider_payment_amount, "BPR02", "the payment",
                  negative=False)


def _claim(loop: Any) -> PaidClaim:
    clp = loop.clp_segment
    # (an id as the kit's writers and its batch read one: without the spaces around it; one of
    # spaces only names no claim, as X12 allows no element of spaces only)
    claim_id = (clp.patient_control_number or "").strip()
    if claim_id in EMPTY_ID_TEXTS:  # ('nan', 'None': what a batch reads as an empty cell, as the writers refuse)
        raise EdiError(f"remittance: a claim's CLP01 (its id) is {clp.patient_control_number!r}: every claim needs an id")
    try:  # (the id the writers would take: no delimiter, '1:2' is a component separator split, 1 to 38 characters)
        claim_id_text(claim_id)
    except EdiError as err:
        raise EdiError(f"remittance: a claim's CLP01 {str(err).removeprefix('claim_id: ')}") from None
    where = f"claim {claim_id}"
    lines = tuple(_line(service, f"{where}, line {n}") for n, service in enumerate(loop.loop_2110 or (), start=1))
    claim = PaidClaim(claim_id, clp.claim_status_code,
                      _cents(clp.total_claim_charge_amount, "CLP03", where),
                      _cents(clp.claim_payment_amount, "CLP04", where),
                      _cents(clp.patient_responsibility_amount, "CLP05", where), lines)
    # CLP05 is the sum of the claim's PR amounts, claim-level and line-level [x12-835]
    patient = sum(cents for adjustments in (*(line.adjustments for line in lines), _adjustments(loop.cas_segment, where))
                  for group, _, cents in adjustments if group == "PR")
    if claim.status == "4" and claim.paid:  # CLP02 4: denied
        raise EdiError(f"remittance: CLP02 of {where} is 4 (denied), but CLP04 pays {format_money(claim.paid)}: a "
                       "denied claim pays nothing")
    if claim.patient_responsibility != patient:
        raise EdiError(f"remittance: CLP05 of {where} is {format_money(claim.patient_responsibility)}, but its "
                       f"patient-responsibility adjustments (CAS*PR) add to {format_money(patient)}")
    return claim


def _adjustments(segments: Any, where: str) -> tuple[tuple[str, str, int], ...]:
    """(group, CARC, cents) of each adjustment of ``segments`` (CAS: up to six per segment)."""
    return tuple((cas.adjustment_group_code, carc, _cents(getattr(cas, f"monetary_amount_{i}"), f"CAS{3 * i:02d}", where))
                 for cas in segments or () for i in range(1, 7)
                 if (carc := getattr(cas, f"adjustment_reason_code_{i}")))


def _line(service: Any, where: str) -> PaidLine:
    svc = service.svc_segment
    parts = _composite(svc.composite_medical_procedure_identifier_1)
    if len(parts) < 2 or not parts[1].strip():
        raise EdiError(f"remittance: SVC01 of {where}: {':'.join(parts)!r} has no procedure code (write it "
                       f"qualifier, code and modifiers, such as HC:64615)")
    adjustments = _adjustments(service.cas_segment, where)
    control = next((r.reference_identification for r in service.ref_segment or ()
                    if r.reference_identification_qualifier == "6R"), "")
    allowed = next((_cents(a.monetary_amount, "AMT02", where) for a in service.amt_segment or ()
                    if a.amount_qualifier_code == "B6"), None)
    remarks = tuple(lq.form_identifier for lq in service.lq_segment or ())
    units = _units(svc.units_of_service_paid_count, where)
    return _balanced(PaidLine(parts[1], tuple(m for m in parts[2:6] if m),
                              _cents(svc.line_item_charge_amount, "SVC02", where),
                              _cents(svc.line_item_provider_payment_amount, "SVC03", where), units, control, allowed,
                              adjustments, remarks), where)


def _composite(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return str(value).split(":")


def remittance_table(text: str, catalog: "Catalog | None" = None) -> "pd.DataFrame":
    """The 835 annotated for people: one row per segment (one per reason of a CAS segment).

    Parameters
    ----------
    text : str
        An 835 interchange, such as :func:`~medspa_kit.edi.remittance_835` writes.
    catalog : Catalog, optional
        For the reason and remark codes' words; the bundled one by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``segment`` (the X12 text, ``CAS*CO*45*680.00``), ``meaning`` (in words),
        ``amount`` (``$680.00``, empty when the segment carries none) and ``line`` (the claim
        and outcome line it answers, ``claim 1, line 2``; empty for the payment and the parties).

    Raises
    ------
    EdiError
        The text is not an 835 x12sdk can read.
    """
    import pandas as pd

    from ..catalog import given_catalog

    cat = given_catalog(catalog)
    rows: list[tuple[str, str, str, str]] = []
    for transaction in _transactions(text):
        h = transaction.header
        bpr = h.bpr_segment
        payment = format_money(_payment(transaction))
        if bpr.transaction_handling_code == "H":
            rows.append((bpr.x12(), "the payment: none, a notification only", payment, ""))
        else:
            rows.append((bpr.x12(), f"the payment: by check dated {_date(bpr.eft_effective_date)}", payment, ""))
        rows.append((h.trn_segment.x12(), "the check's trace number: the clinic matches the deposit with it", "", ""))
        rows.append((transaction.loop_1000a.n1_segment.x12(), "who pays: the payer", "", ""))
        for per in transaction.loop_1000a.per_segment or ():
            rows.append((per.x12(), "the payer's contact for billing questions", "", ""))
        rows.append((transaction.loop_1000b.n1_segment.x12(), "who is paid: the clinic (payee) and its NPI", "", ""))
        for header in transaction.loop_2000:
            for loop in header.loop_2100:
                rows.extend(_claim_rows(loop, cat))
    frame = pd.DataFrame(rows, columns=["segment", "meaning", "amount", "line"])
    frame["segment"] = frame["segment"].str.rstrip("~")
    return frame


def _claim_rows(loop: Any, cat: "Catalog") -> list[tuple[str, str, str, str]]:
    clp = loop.clp_segment
    read = _claim(loop)
    claim = f"claim {clp.patient_control_number}"
    rows = [(clp.x12(), f"the claim: {STATUS_WORDS.get(clp.claim_status_code, clp.claim_status_code)}; charged "
                        f"{format_money(read.charge)}, paid {format_money(read.paid)}, the patient "
                        f"owes {format_money(read.patient_responsibility)}", format_money(read.paid), claim)]
    for name in loop.nm1_segment:
        who = {"QC": "the patient and member id", "82": "the rendering provider and NPI"}.get(
            name.entity_identifier_code, "a party to the claim")
        rows.append((name.x12(), who, "", claim))
    for number, (service, line) in enumerate(zip(loop.loop_2110 or (), read.lines), start=1):
        at = f"{claim}, line {line.control.rsplit('-', 1)[-1] if line.control else number}"
        label = "-".join([line.code, *line.modifiers]) + (f" ×{line.units}" if line.units != 1 else "")
        rows.append((service.svc_segment.x12(), f"the line {label}: charged {format_money(line.charge)}, "
                                                f"paid {format_money(line.paid)}", format_money(line.paid), at))
        for cas in service.cas_segment or ():
            for i in range(1, 7):
                carc = getattr(cas, f"adjustment_reason_code_{i}")
                if not carc:
                    continue
                amount = getattr(cas, f"monetary_amount_{i}")
                reason = cat.reasons.get(carc)
                words = reason.name if reason else "a reason code the kit has no words for"
                group = cas.adjustment_group_code
                text = f"CAS*{group}*{carc}*{amount}"
                cents = _cents(amount, f"CAS{3 * i:02d}", at)
                rows.append((text, f"{group} {carc}: {words} — {GROUP_WORDS.get(group, group)}", format_money(cents), at))
        for ref in service.ref_segment or ():
            if ref.reference_identification_qualifier == "6R":
                rows.append((ref.x12(), "the line item control number the claim sent: which line this answers", "", at))
        for amt in service.amt_segment or ():
            if amt.amount_qualifier_code == "B6":
                rows.append((amt.x12(), "the allowed amount for the line", format_money(line.allowed or 0), at))
        for lq in service.lq_segment or ():
            remark = cat.record("remark_codes", lq.form_identifier)
            words = remark["name"] if remark else "a remark code the kit has no words for"
            rows.append((lq.x12(), f"remark {lq.form_identifier}: {words}", "", at))
    return rows


def _date(value: Any) -> str:
    """BPR16 as ``2026-03-23``; EdiError when it is not a date of the calendar."""
    text = value.strftime("%Y%m%d") if hasattr(value, "strftime") else str(value)
    try:
        return datetime.strptime(text, "%Y%m%d").date().isoformat()
    except ValueError:
        raise EdiError(f"remittance: BPR16 {text[:20]!r} is not a date (CCYYMMDD)") from None


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
