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

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..errors import EdiError
from ..money import format_money
from ..vocabulary import GROUP_NAMES
from .parties import require_x12

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


def _cents(amount: Decimal | None) -> int:
    return int((amount or Decimal(0)) * 100)


def _transactions(text: str) -> list[Any]:
    require_x12()
    from x12sdk.io import X12ModelReader

    if not text.lstrip().startswith("ISA"):
        raise EdiError("remittance: not an X12 interchange (it does not begin with ISA)")
    try:
        with X12ModelReader(text) as reader:
            found = list(reader.models())
    except (ValueError, KeyError, IndexError) as err:
        raise EdiError(f"remittance: x12sdk cannot read it: {' '.join(str(err).split())[:200]}") from None
    if not found or any(type(t).__name__ != "HealthCareClaimPayment" for t in found):
        raise EdiError("remittance: not an 835 (Health Care Claim Payment/Advice)")
    return found


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
        for header in transaction.loop_2000:
            for loop in header.loop_2100:
                clp = loop.clp_segment
                lines = tuple(_line(service) for service in loop.loop_2110 or ())
                claims.append(PaidClaim(clp.patient_control_number, clp.claim_status_code,
                                        _cents(clp.total_claim_charge_amount), _cents(clp.claim_payment_amount),
                                        _cents(clp.patient_responsibility_amount), lines))
    return claims


def _line(service: Any) -> PaidLine:
    svc = service.svc_segment
    parts = _composite(svc.composite_medical_procedure_identifier_1)
    adjustments = []
    for cas in service.cas_segment or ():
        for i in range(1, 7):
            carc = getattr(cas, f"adjustment_reason_code_{i}")
            if carc:
                adjustments.append((cas.adjustment_group_code, carc, _cents(getattr(cas, f"monetary_amount_{i}"))))
    control = next((r.reference_identification for r in service.ref_segment or ()
                    if r.reference_identification_qualifier == "6R"), "")
    allowed = next((_cents(a.monetary_amount) for a in service.amt_segment or () if a.amount_qualifier_code == "B6"),
                   None)
    remarks = tuple(lq.form_identifier for lq in service.lq_segment or ())
    units = int(svc.units_of_service_paid_count or 1)
    return PaidLine(parts[1], tuple(m for m in parts[2:6] if m), _cents(svc.line_item_charge_amount),
                    _cents(svc.line_item_provider_payment_amount), units, control, allowed, tuple(adjustments), remarks)


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

    from ..catalog import default_catalog

    cat = catalog or default_catalog()
    rows: list[tuple[str, str, str, str]] = []
    for transaction in _transactions(text):
        h = transaction.header
        bpr = h.bpr_segment
        if bpr.transaction_handling_code == "H":
            rows.append((bpr.x12(), "the payment: none, a notification only", _money(bpr.total_actual_provider_payment_amount), ""))
        else:
            rows.append((bpr.x12(), f"the payment: by check dated {_date(bpr.eft_effective_date)}",
                         _money(bpr.total_actual_provider_payment_amount), ""))
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
    claim = f"claim {clp.patient_control_number}"
    rows = [(clp.x12(), f"the claim: {STATUS_WORDS.get(clp.claim_status_code, clp.claim_status_code)}; charged "
                        f"{_money(clp.total_claim_charge_amount)}, paid {_money(clp.claim_payment_amount)}, the patient "
                        f"owes {_money(clp.patient_responsibility_amount)}", _money(clp.claim_payment_amount), claim)]
    for name in loop.nm1_segment:
        who = {"QC": "the patient and member id", "82": "the rendering provider and NPI"}.get(
            name.entity_identifier_code, "a party to the claim")
        rows.append((name.x12(), who, "", claim))
    for number, service in enumerate(loop.loop_2110 or (), start=1):
        line = _line(service)
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
                rows.append((text, f"{group} {carc}: {words} — {GROUP_WORDS.get(group, group)}", _money(amount), at))
        for ref in service.ref_segment or ():
            if ref.reference_identification_qualifier == "6R":
                rows.append((ref.x12(), "the line item control number the claim sent: which line this answers", "", at))
        for amt in service.amt_segment or ():
            if amt.amount_qualifier_code == "B6":
                rows.append((amt.x12(), "the allowed amount for the line", _money(amt.monetary_amount), at))
        for lq in service.lq_segment or ():
            remark = cat.record("remark_codes", lq.form_identifier)
            words = remark["name"] if remark else "a remark code the kit has no words for"
            rows.append((lq.x12(), f"remark {lq.form_identifier}: {words}", "", at))
    return rows


def _money(amount: Any) -> str:
    return format_money(_cents(Decimal(str(amount)) if amount is not None else None))


def _date(value: Any) -> str:
    text = value.strftime("%Y%m%d") if hasattr(value, "strftime") else str(value)
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}"
