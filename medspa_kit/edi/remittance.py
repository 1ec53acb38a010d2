"""The 835: the payer's answer to a claim, written from the outcome through x12sdk.

Each claim is one ``CLP`` loop: status, charge, payment and the patient's responsibility; each
line one ``SVC`` with its ``CAS`` adjustments grouped by group code (``CAS*CO*45*…``), the
allowed amount (``AMT*B6``) of a paid line, a remark code (``LQ*HE*N425``) where the engine
gives one, and the line item control number the 837P sent (``REF*6R``). The amounts are the
outcome's: x12sdk checks that each claim balances (charge − payment = Σ CAS), and a line that
does not is refused before that, naming it.

References
----------
.. [1] x12-835: the Health Care Claim Payment/Advice, 005010X221A1 (BPR, TRN, DTM*405, 1000A
   payer with PER*BL, 1000B payee, 2100 CLP, 2110 SVC; CAS carries up to six reasons of one group).
.. [2] stedi-line-control: REF*6R ties each answered line to the line sent.
.. [3] cgs-remittance-advice: how a remittance is read, line by line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterable

from ..errors import EdiError
from . import parties as p
from .claim import Claims, named_claims, cents

if TYPE_CHECKING:
    from ..outcome import LineOutcome, Outcome

CAS_REASONS = 6
"""reason, amount pairs one CAS segment holds"""


def remittance_835(claims: "Outcome | Claims", paid_on: dt.date | None = None,
                   control_number: str = "0001") -> str:
    """One 835 remittance (ISA through IEA) answering the claims, one ``CLP`` loop each.

    Parameters
    ----------
    claims : Outcome, or sequence of (claim id, Outcome)
        One outcome (claim id ``1``), or several with their claim ids (``CLP01``, as the 837P's
        ``CLM01``). The payer and the payee are the first claim's.
    paid_on : date, optional
        BPR16 (the check date) and DTM*405, on or after every claim's date of service; default 21
        days after the last.
    control_number : str
        ST02/SE02, at least four characters.

    Returns
    -------
    str
        The X12 text. BPR02 is the sum of the claims' payments (``BPR*H`` with ``NON`` when
        nothing is paid: a notification only).

    Raises
    ------
    EdiError
        x12sdk missing; a line whose amounts do not balance (charge − paid ≠ Σ adjustments);
        more than 99 lines on a claim; or what :func:`~medspa_kit.edi.claim_837p` refuses.

    References
    ----------
    .. [1] x12-835; the amounts are ``outcome.lines[i].cost`` and ``.adjustments`` (cents).
    """
    p.require_x12()
    named = named_claims(claims)
    writer = RemittanceWriter(named[0][1], paid_on, control_number)
    for claim_id, outcome in named:
        writer.add(claim_id, outcome)
    return writer.text()


class RemittanceWriter:
    """An 835 built claim by claim, so a batch of any size is written without holding its
    outcomes: :meth:`add` keeps each claim's finished text; :meth:`text` wraps them."""

    def __init__(self, first: "Outcome", paid_on: dt.date | None = None, control_number: str = "0001"):
        p.require_x12()
        _outcome(first, "first")
        self.scenario, self.catalog = first.scenario, first.catalog
        self.given = None if paid_on is None else p.file_date(paid_on, "paid_on")
        self.paid_on = self.given or p.payment_date(first.scenario)  # by default 21 days after the last visit
        self.control_number = p.control_number(control_number)
        self.claims: list[str] = []
        self.paid = 0
        self.segments = 0

    def add(self, claim_id: str, outcome: "Outcome") -> None:
        """Add one claim's CLP loop (``claim_id``: text, or a whole number, as CLP01 carries it)."""
        _outcome(outcome, "outcome")
        claim_id = p.claim_id_text(claim_id)
        day = outcome.scenario.date_of_service
        if self.given is not None and self.given < day:
            raise EdiError(f"paid_on: {self.given.isoformat()} is before the date of service of claim {claim_id} "
                           f"({day.isoformat()}): a payment follows the visit")
        if self.given is None:
            self.paid_on = max(self.paid_on, p.payment_date(outcome.scenario))
        text = _claim_loop(claim_id, outcome).x12()
        self.claims.append(text)
        self.paid += outcome.cost.plan_pays
        self.segments += text.count("~")

    def text(self) -> str:
        if not self.claims:
            raise EdiError("claims: no claim to answer")
        head = "\n".join(s.x12() for s in _header(self.scenario, self.catalog, self.paid, self.paid_on,
                                                   self.control_number))
        count = head.count("~") + self.segments + 1
        se = f"SE*{count}*{self.control_number}~"
        body = "\n".join([head, *self.claims, se])
        return p.envelope_head("835", self.paid_on) + body + "\n" + p.envelope_tail(1)


def _header(scenario: Any, catalog: Any, paid: int, paid_on: dt.date, control_number: str) -> Iterable[Any]:
    """ST through LX: the payment, its trace number, the payer (with PER*BL) and the payee."""
    from x12sdk.v5010.segments import BprSegment, LxSegment, N3Segment, N4Segment
    from x12sdk.v5010.x12_835_005010X221A1 import segments as S

    paying = paid > 0
    street, city, state, zip9 = p.PAYER_ADDRESS
    yield S.HeaderStSegment(transaction_set_identifier_code="835", transaction_set_control_number=control_number)
    yield BprSegment(transaction_handling_code="I" if paying else "H", total_actual_provider_payment_amount=cents(paid),
                     credit_debit_flag_code="C", payment_method_code="CHK" if paying else "NON",
                     eft_effective_date=p.x12_date(paid_on))
    yield S.HeaderTrnSegment(trace_type_code="1", reference_identification_1=f"{p.x12_date(paid_on)}{control_number}",
                             originating_company_identifier="1" + p.PAYER_TAX_ID)
    yield S.HeaderDtmSegment(date_time_qualifier="405", production_date=p.x12_date(paid_on))
    yield S.Loop1000AN1Segment(entity_identifier_code="PR", name=p.payer_name(scenario, catalog))
    yield N3Segment(address_information_1=street)
    yield N4Segment(city_name=city, state_province_code=state, postal_code=zip9)
    yield S.Loop1000APerSegment(contact_function_code="BL", name="PROVIDER SERVICES",
                                communication_number_qualifier_1="TE", communication_number_1=p.PAYER_PHONE)
    street, city, state, zip9 = p.CLINIC_ADDRESS
    yield S.Loop1000BN1Segment(entity_identifier_code="PE", name=p.CLINIC_NAME, identification_code_qualifier="XX",
                               identification_code=p.CLINIC_NPI)
    yield N3Segment(address_information_1=street)
    yield N4Segment(city_name=city, state_province_code=state, postal_code=zip9)
    yield S.Loop1000BRefSegment(reference_identification_qualifier="TJ", reference_identification=p.CLINIC_TAX_ID)
    yield LxSegment(assigned_number="1")


def _claim_loop(claim_id: str, outcome: "Outcome") -> Any:
    from x12sdk.v5010.segments import ClpSegment, Nm1Segment
    from x12sdk.v5010.x12_835_005010X221A1 import loops as L

    scenario, catalog = outcome.scenario, outcome.catalog
    billed = p.billed_lines(outcome, claim_id)
    if len(billed) > 99:
        raise EdiError(f"lines: {len(billed)} lines; an 835 claim carries at most 99")
    last, first, _ = p.SUBSCRIBER
    names = [Nm1Segment(entity_identifier_code="QC", entity_type_qualifier="1", name_last_or_organization_name=last,
                        name_first=first, identification_code_qualifier="MI", identification_code=p.member_id(claim_id))]
    if scenario.provider.npi:
        names.append(Nm1Segment(entity_identifier_code="82", entity_type_qualifier="1",
                                name_last_or_organization_name="CLINICIAN", name_first=scenario.provider.type.value.upper(),
                                identification_code_qualifier="XX", identification_code=scenario.provider.npi))
    try:
        return L.Loop2100(
            clp_segment=ClpSegment(
                patient_control_number=claim_id, claim_status_code=p.CLAIM_STATUS[outcome.decision],
                total_claim_charge_amount=cents(outcome.cost.charge), claim_payment_amount=cents(outcome.cost.plan_pays),
                patient_responsibility_amount=cents(outcome.cost.patient_pays),
                claim_filing_indicator_code=p.filing_indicator(scenario, catalog, True),
                payer_claim_control_number=f"{p.x12_date(scenario.date_of_service)}{claim_id}"[:50],
                facility_type_code=p.place_of_service(scenario, catalog), claim_frequency_type_code="1"),
            nm1_segment=names,
            loop_2110=[_service(line, sent, scenario.date_of_service) for line, sent in zip(outcome.lines, billed)],
        )
    except ValueError as err:  # x12sdk's own balance check: cannot happen after _balanced, kept as a guard
        raise EdiError(f"claim {claim_id}: x12sdk refused the 835 claim: {' '.join(str(err).split())[:200]}") from None


def _balanced(line: "LineOutcome", where: str) -> None:
    """A line an 835 can carry: charge − paid = Σ adjustments, nothing negative."""
    if line.decision != "covered" and line.cost.charge == 0:
        raise EdiError(f"{where}: a $0.00 line denied {line.reason.label if line.reason else ''}: an 835 gives a "
                       "denial as an adjustment amount, and x12sdk refuses an adjustment of $0.00")
    adjusted = sum(a.amount for a in line.adjustments)
    if line.cost.charge - line.cost.plan_pays != adjusted or any(a.amount < 0 for a in line.adjustments):
        raise EdiError(f"{where}: charge {cents(line.cost.charge)} − paid {cents(line.cost.plan_pays)} is not the sum "
                       f"of its adjustments ({cents(adjusted)}): an 835 line must balance")


def _service(line: "LineOutcome", sent: p.BilledLine, day: dt.date) -> Any:
    from x12sdk.v5010.segments import SvcSegment
    from x12sdk.v5010.x12_835_005010X221A1 import loops as L
    from x12sdk.v5010.x12_835_005010X221A1 import segments as S

    _balanced(line, f"line {line.number} ({line.label})")
    procedure = ":".join(["HC", sent.code, *sent.modifiers])  # SVC01-7 (a description) is not used in an 835
    amounts = []
    if line.decision == "covered":
        amounts.append(S.Loop2110AmtSegment(amount_qualifier_code="B6", monetary_amount=cents(line.cost.allowed)))
    remarks = [S.Loop2110LqSegment(code_list_qualifier_code="HE", form_identifier=line.reason.rarc)] \
        if line.reason and line.reason.rarc else None
    return L.Loop2110(
        svc_segment=SvcSegment(composite_medical_procedure_identifier_1=procedure,
                               line_item_charge_amount=cents(line.cost.charge),
                               line_item_provider_payment_amount=cents(line.cost.plan_pays),
                               units_of_service_paid_count=Decimal(line.units)),
        dtm_segment=[S.Loop2110DtmSegment(date_time_qualifier="472", production_date=p.x12_date(day))],
        cas_segment=_cas(line) or None,
        ref_segment=[S.Loop2110RefSegment(reference_identification_qualifier="6R", reference_identification=sent.control)],
        amt_segment=amounts or None,
        lq_segment=remarks,
    )


def _cas(line: "LineOutcome") -> list[Any]:
    """The line's adjustments as CAS segments: one per group code, in the order the groups first
    appear, up to six reasons each (a seventh starts another segment of the same group)."""
    from x12sdk.v5010.x12_835_005010X221A1 import segments as S

    by_group: dict[str, list[Any]] = {}
    for adjustment in line.adjustments:
        by_group.setdefault(adjustment.group, []).append(adjustment)
    out = []
    for group, items in by_group.items():
        for start in range(0, len(items), CAS_REASONS):
            fields: dict[str, Any] = {"adjustment_group_code": group}
            for i, a in enumerate(items[start:start + CAS_REASONS], start=1):
                fields[f"adjustment_reason_code_{i}"] = a.carc
                fields[f"monetary_amount_{i}"] = cents(a.amount)
            out.append(S.Loop2110CasSegment(**fields))
    return out


def _outcome(value: Any, name: str) -> None:
    from ..outcome import Outcome

    if not isinstance(value, Outcome):
        raise EdiError(f"{name}: expected an Outcome (medspa_kit.evaluate gives one), got {type(value).__name__}")


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
