"""The 837P: the claim the clinic sends, written from a scenario's outcome through x12sdk.

References
----------
.. [1] x12-837p: the Health Care Claim: Professional, 005010X222A1 (loops 1000A/B, 2000A
   billing provider, 2000B subscriber and payer, 2300 claim, 2310B rendering provider, 2400 lines).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Sequence

from ..arguments import listed
from . import parties as p
from ..errors import EdiError, shortened
from ..money import X12_AMOUNT_MAX, format_money

if TYPE_CHECKING:
    from ..outcome import Outcome

Claims = Sequence[tuple[str, "Outcome"]]


def cents(amount: int) -> Decimal:
    """Cents as an exact decimal number of dollars (what X12 amounts are).

    Raises
    ------
    EdiError
        The amount is beyond :data:`~medspa_kit.money.X12_AMOUNT_MAX` dollars either way: the kit
        writes no file its own reader refuses.
    """
    if abs(amount) > X12_AMOUNT_MAX * 100:
        raise EdiError(f"an amount of {format_money(int(amount))} is more than the ${X12_AMOUNT_MAX:,.0f} an X12 file "
                       "of the kit holds (split the batch)")
    return (Decimal(amount) / 100).quantize(Decimal("0.01"))


def claim_837p(claims: "Outcome | Claims", created: dt.date | None = None, control_number: str = "0001") -> str:
    """One 837P interchange holding the claims (ISA through IEA).

    Parameters
    ----------
    claims : Outcome, or sequence of (claim id, Outcome)
        One outcome (claim id ``1``), or several with their claim ids (``CLM01``: 1 to 38 printable
        ASCII characters, none of ``* : ^ ~``, each its own; a batch's ``claim_id``).
    created : date, optional
        BHT04 and the envelope date; default the first claim's date of service (so the file is
        the same on every run).
    control_number : str
        ST02/SE02, at least four characters.

    Returns
    -------
    str
        The X12 text, one segment per line, ``~`` terminated, ``*`` and ``:`` separators.

    Raises
    ------
    EdiError
        x12sdk missing, or a claim X12 cannot carry (more than 12 diagnoses, 50 lines or four
        modifiers on a line; a service with no billing code and no unlisted code).

    References
    ----------
    .. [1] x12-837p; the charges, units and modifiers are the outcome's lines.
    """
    p.require_x12()
    named = named_claims(claims)
    created = named[0][1].scenario.date_of_service if created is None else p.file_date(created, "created")
    body = _transaction(named, created, p.control_number(control_number)).x12()
    return p.envelope_head("837", created) + body + "\n" + p.envelope_tail(1)


def named_claims(claims: "Outcome | Claims") -> list[tuple[str, "Outcome"]]:
    """(claim id, outcome) pairs: one outcome is claim ``1``; an empty sequence is an EdiError."""
    from ..model import Scenario
    from ..outcome import Outcome

    if isinstance(claims, Outcome):
        return [("1", claims)]
    if isinstance(claims, Scenario):  # (a model iterates as its fields: not a list of claims)
        raise EdiError("claims: expected an Outcome or (claim id, Outcome) pairs, got a Scenario: evaluate it first "
                       "(medspa_kit.evaluate(scenario))")
    items = listed(claims, "claims", "(claim id, Outcome) pairs or one Outcome", EdiError.named)
    named: list[tuple[str, "Outcome"]] = []
    for item in items:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Outcome)):
            kind = (f"({', '.join(type(x).__name__ for x in item)})" if isinstance(item, tuple)
                    else type(item).__name__)
            raise EdiError(f"claims[{len(named)}]: expected a (claim id, Outcome) pair, got {shortened(kind, 60)}")
        claim_id = p.claim_id_text(item[0])
        if any(claim_id == earlier for earlier, _ in named):
            raise EdiError(f"claims[{len(named)}]: the claim id {claim_id!r} is given twice; each claim of a file "
                           "needs its own (CLM01, CLP01)")
        named.append((claim_id, item[1]))
    if not named:
        raise EdiError("claims: no claim to write")
    return named


def _transaction(named: list[tuple[str, "Outcome"]], created: dt.date, control_number: str) -> Any:
    from x12sdk.support import count_segments
    from x12sdk.v5010.segments import N3Segment, N4Segment, SeSegment
    from x12sdk.v5010.x12_837_005010X222A2 import loops as L
    from x12sdk.v5010.x12_837_005010X222A2 import segments as S
    from x12sdk.v5010.x12_837_005010X222A2.transaction_set import HealthCareClaimProfessional

    street, city, state, zip9 = p.CLINIC_ADDRESS
    first = named[0][1]
    structure: dict[str, Any] = {
        "header": L.Header(
            st_segment=S.HeaderStSegment(transaction_set_identifier_code="837",
                                         transaction_set_control_number=control_number,
                                         implementation_convention_reference="005010X222A1"),
            bht_segment=S.HeaderBhtSegment(hierarchical_structure_code="0019", transaction_set_purpose_code="00",
                                           submitter_transactional_identifier=f"MK{control_number}",
                                           transaction_set_creation_date=p.x12_date(created),
                                           transaction_set_creation_time="1200", transaction_type_code="CH"),
        ),
        "loop_1000a": L.Loop1000A(
            nm1_segment=S.Loop1000ANm1Segment(entity_identifier_code="41", entity_type_qualifier="2",
                                              name_last_or_organization_name=p.CLINIC_NAME,
                                              identification_code_qualifier="46",
                                              identification_code=p.CLINIC_TAX_ID),
            per_segment=[S.Loop1000APerSegment(contact_function_code="IC", name="BILLING OFFICE",
                                               communication_number_qualifier_1="TE",
                                               communication_number_1=p.CLINIC_PHONE)],
        ),
        "loop_1000b": L.Loop1000B(
            nm1_segment=S.Loop1000BNm1Segment(entity_identifier_code="40", entity_type_qualifier="2",
                                              name_last_or_organization_name=p.payer_name(first.scenario, first.catalog),
                                              identification_code_qualifier="46",
                                              identification_code=p.payer_id(first.scenario)),
        ),
        "loop_2000a": [L.Loop2000A(
            hl_segment=S.Loop2000AHlSegment(hierarchical_id_number="1", hierarchical_level_code="20",
                                            hierarchical_child_code="1"),
            loop_2010aa=L.Loop2010Aa(
                nm1_segment=S.Loop2010AaNm1Segment(entity_identifier_code="85", entity_type_qualifier="2",
                                                   name_last_or_organization_name=p.CLINIC_NAME,
                                                   identification_code_qualifier="XX",
                                                   identification_code=p.CLINIC_NPI),
                n3_segment=N3Segment(address_information_1=street),
                n4_segment=N4Segment(city_name=city, state_province_code=state, postal_code=zip9),
                ref_segment=[S.Loop2010AaRefSegment(reference_identification_qualifier="EI",
                                                    reference_identification=p.CLINIC_TAX_ID)],
            ),
            loop_2000b=[_subscriber(claim_id, outcome, hl + 2) for hl, (claim_id, outcome) in enumerate(named)],
        )],
    }
    placeholder = dict(structure, footer={"se_segment": {"transaction_segment_count": 1,
                                                         "transaction_set_control_number": control_number}})
    structure["footer"] = L.Footer(se_segment=SeSegment(transaction_segment_count=count_segments(placeholder),
                                                        transaction_set_control_number=control_number))
    return HealthCareClaimProfessional(**structure)


def _subscriber(claim_id: str, outcome: "Outcome", hl_id: int) -> Any:
    from x12sdk.v5010.segments import DmgSegment, N3Segment, N4Segment
    from x12sdk.v5010.x12_837_005010X222A2 import loops as L
    from x12sdk.v5010.x12_837_005010X222A2 import segments as S

    scenario, catalog = outcome.scenario, outcome.catalog
    last, first, born = p.SUBSCRIBER
    street, city, state, zip9 = p.PAYER_ADDRESS
    return L.Loop2000B(
        hl_segment=S.Loop2000BHlSegment(hierarchical_id_number=str(hl_id), hierarchical_parent_id_number="1",
                                        hierarchical_level_code="22", hierarchical_child_code="0"),
        sbr_segment=S.Loop2000BSbrSegment(payer_responsibility_code="P", individual_relationship_code="18",
                                          claim_filing_indicator_code=p.filing_indicator(scenario, catalog, False)),
        loop_2010ba=L.Loop2010Ba(
            nm1_segment=S.Loop2010BaNm1Segment(entity_identifier_code="IL", entity_type_qualifier="1",
                                               name_last_or_organization_name=last, name_first=first,
                                               identification_code_qualifier="MI",
                                               identification_code=p.member_id(claim_id)),
            n3_segment=N3Segment(address_information_1=p.SUBSCRIBER_ADDRESS[0]),
            n4_segment=N4Segment(city_name=p.SUBSCRIBER_ADDRESS[1], state_province_code=p.SUBSCRIBER_ADDRESS[2],
                                 postal_code=p.SUBSCRIBER_ADDRESS[3]),
            dmg_segment=DmgSegment(date_time_period_format_qualifier="D8", date_time_period=born, gender_code="F"),
        ),
        loop_2010bb=L.Loop2010Bb(
            nm1_segment=S.Loop2010BbNm1Segment(entity_identifier_code="PR", entity_type_qualifier="2",
                                               name_last_or_organization_name=p.payer_name(scenario, catalog),
                                               identification_code_qualifier="PI",
                                               identification_code=p.payer_id(scenario)),
            n3_segment=N3Segment(address_information_1=street),
            n4_segment=N4Segment(city_name=city, state_province_code=state, postal_code=zip9),
        ),
        loop_2300=[_claim(claim_id, outcome)],
    )


def _claim(claim_id: str, outcome: "Outcome") -> Any:
    from x12sdk.v5010.segments import ClmSegment, HiSegment
    from x12sdk.v5010.x12_837_005010X222A2 import loops as L

    scenario, catalog = outcome.scenario, outcome.catalog
    lines = p.billed_lines(outcome, claim_id)
    codes = [p.undotted(code) for code in scenario.diagnoses]
    hi = {f"health_care_code_{i + 1}": ["ABK" if i == 0 else "ABF", code] for i, code in enumerate(codes)}
    # CLM07: "C" (not assigned) for a clinic that does not accept Original Medicare's assignment
    assignment = "C" if scenario.plan.type.value == "MEDICARE" and not scenario.facility.participating else "A"
    return L.Loop2300(
        clm_segment=ClmSegment(
            patient_control_number=claim_id,
            total_claim_charge_amount=cents(sum(line.charge for line in lines)),
            health_care_service_location_information=f"{p.place_of_service(scenario, catalog)}:B:1",
            provider_or_supplier_signature_indicator="Y", provider_accept_assignment_code=assignment,
            benefit_assignment_certification_indicator="Y", release_of_information_code="Y"),
        hi_segment=[HiSegment(**hi)],
        loop_2310b=_rendering(outcome),
        loop_2400=[_line(line, scenario.date_of_service) for line in lines],
    )


def _rendering(outcome: "Outcome") -> Any:
    """2310B: the clinician who gave the service, when they have an NPI (an aesthetician has none)."""
    from x12sdk.v5010.x12_837_005010X222A2 import loops as L
    from x12sdk.v5010.x12_837_005010X222A2 import segments as S

    provider = outcome.scenario.provider
    if not provider.npi:
        return None
    return L.Loop2310B(nm1_segment=S.Loop2310BNm1Segment(
        entity_identifier_code="82", entity_type_qualifier="1", name_last_or_organization_name="CLINICIAN",
        name_first=provider.type.value.upper(), identification_code_qualifier="XX", identification_code=provider.npi))


def _line(line: p.BilledLine, day: dt.date) -> Any:
    from x12sdk.v5010.segments import Sv1Segment
    from x12sdk.v5010.x12_837_005010X222A2 import loops as L
    from x12sdk.v5010.x12_837_005010X222A2 import segments as S

    procedure = ":".join(["HC", line.code, *line.modifiers])
    if line.description:  # SV101-7 follows the four modifier places
        procedure = ":".join(["HC", line.code, *line.modifiers, *[""] * (4 - len(line.modifiers)), line.description])
    return L.Loop2400(
        lx_segment={"assigned_number": str(line.number)},
        sv1_segment=Sv1Segment(product_service_id_qualifier=procedure, line_item_charge_amount=cents(line.charge),
                               unit_basis_measurement_code="UN", service_unit_count=Decimal(line.units),
                               composite_diagnosis_code_pointer=":".join(str(i) for i in line.pointers)),
        dtp_segment=[S.Loop2400DtpSegment(date_time_qualifier="472", date_time_period_format_qualifier="D8",
                                          date_time_period=p.x12_date(day))],
        ref_segment=[S.Loop2400RefSegment(reference_identification_qualifier="6R",
                                          reference_identification=line.control)],
    )


from .._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
