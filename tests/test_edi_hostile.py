"""Broken or hostile 835 texts: each is an EdiError of one line naming the segment or element,
never a traceback, a message printed by x12sdk or a silent wrong reading; line breaks after
segment terminators and another element separator read the same as the plain file."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("x12sdk")

from medspa_kit import evaluate, preset  # noqa: E402
from medspa_kit.edi import read_remittance, remittance_835, remittance_table  # noqa: E402
from medspa_kit.errors import EdiError  # noqa: E402

G = remittance_835(evaluate(preset("migraine-claim-with-discarded-units")))
PLAIN = read_remittance(G)

BROKEN = {
    "ISA with another separator": (G.replace("ISA*", "ISA|", 1), r"^ISA: 1 of its 16 elements found separated by '\|'"),
    "ISA shorter than 106": (G.replace("MEDSPAKIT      ", "MEDSPAKIT", 1),
                             r"^ISA06 is 9 characters \('MEDSPAKIT'\); X12 fixes it at 15"),
    # numbers Python's Decimal would read, but no X12 number: refused, never read as 450.00
    "full-width digits": (G.replace("SVC*HC:64615*450.00", "SVC*HC:64615*４５０.00"),
                          r"^segment \d+ \(SVC\): SVC02 '４５０.00' is not a number \(ASCII digits and one point"),
    "underscore between digits": (G.replace("SVC*HC:64615*450.00", "SVC*HC:64615*4_50.00"),
                                  r"^segment \d+ \(SVC\): SVC02 '4_50.00' is not a number"),
    "plus sign": (G.replace("BPR*I*1432.00", "BPR*I*+1432.00"), r"^segment 4 \(BPR\): BPR02 '\+1432.00' is not a number"),
    # a fifth modifier and more: X12's C003 has four, then a description; nothing is dropped unread
    "SVC01 of eight components": (G.replace("SVC*HC:64615*", "SVC*HC:64615:25:59:GA:GY:GZ:JW*"),
                                  r"^segment \d+ \(SVC\): SVC01 'HC:64615:25:59:GA:GY:GZ:JW' has more than 7 components"),
    # ISA16 dropped from a file with line breaks: "~" would be taken for ISA16 and the line break
    # for the terminator; the message names the ISA, not the GS whose GS08 then ends in "~"
    "ISA16 missing": (G.replace("*T*:~", "*T*~", 1), r"^ISA: it ends '~' and a line break, as the next segment ends "
                                                      r"'~': ISA16, the component separator, is missing"),
    # CLP05 is the sum of the claim's PR amounts (here PR 1 $40.00)
    "CLP05 not the PR sum": (G.replace("CLP*1*1*2450.00*1432.00*40.00", "CLP*1*1*2450.00*1432.00*99.99"),
                             r"^remittance: CLP05 of claim 1 is \$99.99, but its patient-responsibility adjustments "
                             r"\(CAS\*PR\) add to \$40.00$"),
    # CLP02 4 is a denied claim: it pays nothing
    "denied claim that pays": (G.replace("CLP*1*1*2450.00", "CLP*1*4*2450.00"),
                               r"^remittance: CLP02 of claim 1 is 4 \(denied\), but CLP04 pays \$1,432.00"),
    "charge 1E400": (G.replace("SVC*HC:64615*450.00", "SVC*HC:64615*1E400"),
                     r"^remittance: SVC02 of claim 1, line 1: 1E\+400 is more than \$1,000,000,000,000$"),
    "BPR above the limit": (G.replace("BPR*I*1432.00", "BPR*I*1000000000001"),
                            r"^remittance: BPR02 of the payment: 1000000000001 is more than \$1,000,000,000,000$"),
    "negative check": (G.replace("BPR*I*1432.00", "BPR*I*-1432.00"), r"BPR02 of the payment: -1432.00 is negative"),
    "fraction of a cent": (G.replace("*130.00**1~", "*130.001**1~"), r"SVC03 of claim 1, line 1: 130.001 has a fraction"),
    "composite without a code": (G.replace("SVC*HC:64615*", "SVC*HC*"), r"^remittance: SVC01 of claim 1, line 1: 'HC' has no"),
    "composite with an empty code": (G.replace("SVC*HC:64615*", "SVC*HC:*"),
                                     r"^remittance: SVC01 of claim 1, line 1: 'HC:' has no"),  # quoted as written
    "an 837": (G.replace("ST*835*", "ST*837*"), r"^segment 3 \(ST\): not an 835 remittance \(ST01 is '837'\)$"),
    "unknown segment": (G.replace("LX*1~", "LX*1~ZZZ*1*2~"), r"^segment 16 \(ZZZ\): not a segment of an 835"),
    "0 units": (G.replace("**155~", "**0~"), r"^remittance: SVC05 of claim 1, line 2: 0 units; .* from 1 to 10,000$"),
    "1.5 units": (G.replace("**155~", "**1.5~"), r"SVC05 of claim 1, line 2: 1.5 units"),
    "10^30 units": (G.replace("**155~", "**" + "1" + "0" * 30 + "~"), r"SVC05 of claim 1, line 2: 1" + "0" * 30),
    "cut before IEA": (G[:G.index("IEA")], r"^IEA: the interchange has no IEA trailer \(it ends at segment 36 \(GE\)"),
    "no GE": (G.replace("GE*1*1~\n", ""), r"^segment 36 \(IEA\): the last group has no GE trailer$"),
    "no SE": (G.replace("SE*33*0001~\n", ""), r"^segment 35 \(GE\): the transaction at segment 3 has no SE trailer$"),
    "SE01 off by one": (G.replace("SE*33", "SE*32"), r"^segment 35 \(SE\): SE01 is '32' but .* number 33$"),
    "GE01 wrong": (G.replace("GE*1*1", "GE*2*1"), r"^segment 36 \(GE\): GE01 is '2' but .* number 1$"),
    "IEA01 wrong": (G.replace("IEA*1", "IEA*2"), r"^segment 37 \(IEA\): IEA01 is '2' but .* number 1$"),
    "IEA02 wrong": (G.replace("IEA*1*000000001", "IEA*1*000000002"), r"IEA02 '000000002' does not match ISA13"),
    # an envelope segment with an element too many was read, the extra element dropped unread
    "GE with an extra element": (G.replace("GE*1*1~", "GE*1*1*X~"), r"^segment 36 \(GE\): 3 elements; GE has 2$"),
    "IEA with an extra element": (G.replace("IEA*1*000000001~", "IEA*1*000000001*X*Y~"),
                                  r"^segment 37 \(IEA\): 4 elements; IEA has 2$"),
    "GS with an extra element": (G.replace("*005010X221A1~", "*005010X221A1*X~", 1), r"^segment 2 \(GS\): 9 elements; GS has 8$"),
    "empty": ("", r"not an X12 interchange"),
    "only the ISA": (G[:G.index("GS*")], r"^IEA: the interchange has no IEA trailer \(it ends at segment 1 \(ISA\)"),
    "no claim": (G.replace("CLP*1*1*2450.00*1432.00*40.00*12*202603021*11*1~\n", "").replace("SE*33", "SE*32"),
                 r"loop_2100 is missing or out of place"),
    "CLP amount not a number": (G.replace("CLP*1*1*2450.00", "CLP*1*1*abc"), r"CLP03 \(total_claim_charge_amount\).*'abc'"),
    "odd CAS group": (G.replace("CAS*CO*45*280.00", "CAS*XX*45*280.00"), r"CAS01 \(adjustment_group_code\).*: 'XX' is not one of CO, OA, PI or PR$"),
    "line not balanced": (G.replace("*130.00**1~", "*-130.00**1~"), r"SVC of claim 1, line 1 does not balance"),
    # 2450.00 charged, 1432.00 paid: the CAS amounts must adjust 1018.00; one of 280.00 made 281.00 adjusts 1019.00
    "claim not balanced": (G.replace("CAS*CO*45*280.00", "CAS*CO*45*281.00"),
                           r"the claim in loop 2000 #1, loop 2100 #1 does not balance: charge 2450\.00 \(CLP03\) minus "
                           r"paid 1432\.00 \(CLP04\) is not the 1019\.00 its CAS segments adjust$"),
    # x12sdk takes an amount of 0.00 for none: it said reason code, amount and quantity were all required
    "zero CAS amount": (G.replace("CAS*CO*45*280.00~", "CAS*CO*45*280.00~\nCAS*OA*23*0.00~").replace("SE*33", "SE*34"),
                        r"CAS .*: adjustment 1 has a reason code without an amount, an amount without a reason code, or "
                        r"an amount of 0\.00 \(which x12sdk, reading the 835, takes for none: leave an adjustment of "
                        r"\$0\.00 out\)$"),
    "NaN amount": (G.replace("CAS*CO*45*280.00", "CAS*CO*45*NaN"), r"CAS03 \(monetary_amount_1\).*: 'NaN' is not a "
                                                                   r"finite number$"),
    "comma in an amount": (G.replace("SVC*HC:64615*450.00", "SVC*HC:64615*1,450.00"),
                           r"SVC02 \(line_item_charge_amount\).*: '1,450\.00' is not a number \(digits and one point"),
    "claim without an id": (G.replace("CLP*1*", "CLP**", 1), r"CLP01 \(patient_control_number\).*: missing"),
    "30 February in GS04": (G.replace("*20260323*1200*1*", "*20260230*1200*1*", 1),
                            r"^segment 2 \(GS\): GS04 '20260230' is not a date \(CCYYMMDD\)$"),
    "30 February in ISA09": (G.replace("*260323*1200*", "*260230*1200*", 1),
                             r"^segment 1 \(ISA\): ISA09 '260230' is not a date \(YYMMDD\)$"),
    "31 February": (G.replace("DTM*472*20260302", "DTM*472*20260231", 1), r"DTM02 '20260231' is not a date"),
    "service in 9999": (G.replace("DTM*472*20260302", "DTM*472*99991231", 1),
                        r"DTM02 '99991231' is outside the dates the kit reads \(1900-01-01 to 2199-12-31\)$"),
    "paid in year 1": (G.replace("DTM*405*20260323", "DTM*405*00010101"), r"DTM02 '00010101' is outside the dates"),
    "check dated 1899": (G.replace("************20260323", "************18991231"), r"BPR16 '18991231' is outside"),
    "NUL byte": (G.replace("PATIENT", "PAT\0IENT"), r"^segment 17 \('NM1'\): a control character U\+0000 in element 3"),
    "right-to-left mark in a code": (G.replace("SVC*HC:64615", "SVC*HC:646\u200f15", 1),
                                     r"^segment \d+ \('SVC'\): an invisible format character U\+200F in element 1;"),
    "zero-width space": (G.replace("PATIENT", "PAT\u200bIENT"), r"^segment 17 \('NM1'\): an invisible format "
                                                                  r"character U\+200B in element 3"),
    "C1 control": (G.replace("PATIENT", "PAT\x85IENT"), r"^segment 17 \('NM1'\): a control character U\+0085"),
    "empty segment": (G.replace("LX*1~", "LX*1~~"), r"^segment 16: empty"),
    "no final terminator": (G.rstrip().rstrip("~"), r"ends without a segment terminator"),
    "lower-case id": (G.replace("SVC*HC", "svc*HC", 1), r"'svc' is not a segment id"),
    "too long": (G.replace("PATIENT", "P" * 64_000_001), r"the kit reads an 835 of at most 64,000,000"),
    "another version": (G.replace("005010X221A1", "004010X091A1"), r"GS08 is '004010X091A1'"),
}


@pytest.mark.parametrize("name", BROKEN)
@pytest.mark.parametrize("read", [read_remittance, remittance_table])
def test_a_broken_835_is_one_line_naming_what_is_wrong(name, read, capsys):
    text, message = BROKEN[name]
    with pytest.raises(EdiError, match=message) as caught:
        read(text)
    assert "\n" not in str(caught.value) and len(str(caught.value)) <= 500
    assert capsys.readouterr() == ("", "")  # x12sdk's logger printed nothing


@pytest.mark.parametrize("value, kind", [(G.encode(), "bytes"), (None, "NoneType"), (835, "int")])
def test_what_is_not_text_is_refused_naming_its_type(value, kind):
    with pytest.raises(EdiError, match=rf"^remittance: expected the 835 as text \(str\), got {kind}"):
        read_remittance(value)


def test_the_library_logger_is_left_as_it_was():
    with pytest.raises(EdiError):
        read_remittance(G.replace("LX*1~", "LX*1~ZZZ*1*2~"))
    assert not logging.getLogger("x12sdk").disabled


def test_line_breaks_after_terminators_and_a_pipe_separator_read_like_the_plain_file():
    one_line = G.replace("\n", "")
    for text in (one_line, one_line.replace("~", "~\r\n"), one_line.replace("~", "~\n"), G.replace("*", "|"),
                 "\ufeff" + G, G.replace("~\n", "\n")):
        assert read_remittance(text) == PLAIN
        assert remittance_table(text)["amount"].tolist() == remittance_table(G)["amount"].tolist()


def test_an_empty_units_element_is_one_unit_and_the_values_are_the_files():
    line = read_remittance(G.replace("*130.00**1~", "*130.00**~"))[0].lines[0]
    assert (line.code, line.charge, line.paid, line.units) == ("64615", 45000, 13000, 1)
    assert line.adjustments == (("CO", "45", 28000), ("PR", "3", 4000))  # 450.00 − 130.00 = 280.00 + 40.00


@settings(max_examples=30, deadline=None)
@given(separator=st.sampled_from("*|^!"), terminator=st.sampled_from("~'`"),
       after=st.sampled_from(["", "\n", "\r\n", "\r"]))
def test_any_delimiters_the_isa_declares_read_the_same(separator, terminator, after):
    component, repetition = ":", "^" if separator != "^" else "{"
    text = G.replace("\n", "").replace("^", repetition).replace("*", separator).replace(":", component)
    text = text.replace("~", terminator + after)
    assert read_remittance(text) == PLAIN


def test_an_835_the_kit_writes_for_claims_over_the_line_bound_reads_back(tmp_path):
    from medspa_kit.edi.claim import cents

    data = preset("seven-actinic-keratoses").to_dict()
    # 50 lines of $10,000,000 each (the bound of one amount): the claim's charge is $500,000,000
    data["lines"] = [{"code": "17000", "charge": 10_000_000}] + [
        {"code": "17003", "charge": 10_000_000, "fee_schedule": 10_000_000}] * 49
    data["plan"]["deductible"] = data["plan"]["oop_max"] = 10_000_000
    outcome = evaluate(data)
    assert outcome.cost.charge == 500_000_000_00  # cents
    paid = read_remittance(remittance_835(outcome))
    assert paid[0].charge == 500_000_000_00 and paid[0].paid == outcome.cost.plan_pays > 10_000_000_00
    # beyond what an X12 amount of the kit holds: refused, never a file its reader refuses
    with pytest.raises(EdiError, match=r"^an amount of \$1,000,000,000,000.01 is more than the \$1,000,000,000,000 "
                                       r"an X12 file of the kit holds \(split the batch\)$"):
        cents(1_000_000_000_000_01)


@pytest.mark.parametrize("written, read", [("  ", None), (" C1 ", "C1"), ("nan", None), ("None", None)])
def test_a_clp01_is_read_as_the_batch_reads_a_claim_id(written, read):
    # a CLP01 of spaces only was read as the claim id '  ' (the kit's writers refuse it: it names no
    # claim), and ' C1 ' kept its spaces, though ' C1 ' and 'C1' are one claim everywhere else
    text = remittance_835([("C1", evaluate(preset("botox-chronic-migraine")))]).replace("CLP*C1*", f"CLP*{written}*", 1)
    if read is None:
        with pytest.raises(EdiError, match=rf"^remittance: a claim's CLP01 \(its id\) is '{written}': every claim needs"):
            read_remittance(text)
    else:
        assert [claim.claim_id for claim in read_remittance(text)] == [read]
