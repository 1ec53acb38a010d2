"""The 837P and 835 the kit writes: hand-checked segments, pyx12's acceptance of every preset and
of generated claims reaching every decision and reason code, and each 835 read back by x12sdk
giving the outcome's amounts to the cent, line by line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("x12sdk")

from medspa_kit import evaluate, preset  # noqa: E402
from medspa_kit.catalog import default_catalog  # noqa: E402
from medspa_kit.edi import claim_837p, read_remittance, remittance_835, remittance_table  # noqa: E402
from medspa_kit.errors import EdiError, ScenarioError  # noqa: E402
from medspa_kit.presets import preset_names  # noqa: E402

from .scenario_factory import ScenarioFactory  # noqa: E402

X12VALID = Path(sys.executable).with_name("x12valid")
GENERATED = 600
PER_FILE = 100


def segments(text: str, start: str, end: str) -> list[str]:
    """The segments of ``text`` from the first one starting ``start`` up to the first ``end`` after it."""
    lines = [line.rstrip("~") for line in text.splitlines()]
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = next(i for i in range(first, len(lines)) if lines[i].startswith(end))
    return lines[first:last]


# --------------------------------------------------------------------------------------------
# Hand-checked: one covered, one partly covered, one denied claim


def test_a_covered_claim_by_hand():
    # 64650 (both underarms), charge $1,100.00, in-network fee schedule $726.00, PPO with a
    # $1,500 deductible of which $1,200 is met and 20 % coinsurance:
    #   allowed 726.00; CO 45 = 1,100.00 − 726.00 = 374.00
    #   deductible PR 1 = 1,500 − 1,200 = 300.00; coinsurance PR 2 = 20 % × (726 − 300) = 85.20
    #   paid = 726.00 − 300.00 − 85.20 = 340.80; the patient owes 300.00 + 85.20 = 385.20
    # BPR pays the 340.80 by check 21 days after the 2026-03-02 visit.
    text = remittance_835(evaluate(preset("botox-underarm-sweating")))
    assert segments(text, "BPR", "TRN") == ["BPR*I*340.80*C*CHK************20260323"]
    assert segments(text, "CLP", "SE") == [
        "CLP*1*1*1100.00*340.80*385.20*12*202603021*11*1",
        "NM1*QC*1*PATIENT*TEACHING****MI*MK1",
        "NM1*82*1*CLINICIAN*NP****XX*1593027489",
        "SVC*HC:64650*1100.00*340.80**1",
        "DTM*472*20260302",
        "CAS*CO*45*374.00",
        "CAS*PR*1*300.00**2*85.20",
        "REF*6R*1-1",
        "AMT*B6*726.00",
    ]
    claim = claim_837p(evaluate(preset("botox-underarm-sweating")))
    assert segments(claim, "CLM", "SE") == [
        "CLM*1*1100.00***11:B:1*Y*A*Y*Y",
        "HI*ABK:L74510",
        "NM1*82*1*CLINICIAN*NP****XX*1593027489",
        "LX*1",
        "SV1*HC:64650*1100.00*UN*1***1",
        "DTP*472*D8*20260302",
        "REF*6R*1-1",
    ]


def test_a_partly_covered_claim_by_hand():
    # 99213 ($140.00) on the day of 17000 ($150.00) without modifier 25: the visit is denied
    # CO 97 for its whole charge. 17000: fee schedule $66.31, deductible already met, 20 %:
    #   CO 45 = 150.00 − 66.31 = 83.69; PR 2 = 20 % × 66.31 = 13.262 → 13.26; paid 66.31 − 13.26 = 53.05
    # Claim: charge 140 + 150 = 290.00, paid 53.05, the patient owes 13.26.
    text = remittance_835(evaluate(preset("office-visit-on-procedure-day")))
    assert segments(text, "BPR", "TRN") == ["BPR*I*53.05*C*CHK************20260323"]
    assert segments(text, "CLP", "SE") == [
        "CLP*1*1*290.00*53.05*13.26*12*202603021*11*1",
        "NM1*QC*1*PATIENT*TEACHING****MI*MK1",
        "NM1*82*1*CLINICIAN*MD****XX*1749302851",
        "SVC*HC:99213*140.00*0.00**1",
        "DTM*472*20260302",
        "CAS*CO*97*140.00",
        "REF*6R*1-1",
        "SVC*HC:17000*150.00*53.05**1",
        "DTM*472*20260302",
        "CAS*CO*45*83.69",
        "CAS*PR*2*13.26",
        "REF*6R*1-2",
        "AMT*B6*66.31",
    ]


def test_a_denied_claim_by_hand():
    # The NP is not credentialed with the payer: CO B7 for the whole $1,100.00, nothing paid,
    # nothing owed by the patient (CO: the clinic absorbs it). No money moves: BPR*H, NON.
    text = remittance_835(evaluate(preset("uncredentialed-np")))
    assert segments(text, "BPR", "TRN") == ["BPR*H*0.00*C*NON************20260323"]
    assert segments(text, "CLP", "SE") == [
        "CLP*1*4*1100.00*0.00*0.00*12*202603021*11*1",
        "NM1*QC*1*PATIENT*TEACHING****MI*MK1",
        "NM1*82*1*CLINICIAN*NP****XX*1203948579",
        "SVC*HC:64650*1100.00*0.00**1",
        "DTM*472*20260302",
        "CAS*CO*B7*1100.00",
        "REF*6R*1-1",
    ]


def test_flipping_the_network_turns_co_45_into_pr_45():
    # In network the clinic writes off 1,100 − 726 = 374.00 (CO 45); out of network (allowed
    # 100 % of the same fee schedule) the patient may be balance-billed the same 374.00 (PR 45).
    inside = preset("botox-underarm-sweating")
    outside = inside.with_changes({"facility.participating": False})
    assert "CAS*CO*45*374.00" in remittance_table(remittance_835(evaluate(inside)))["segment"].tolist()
    assert "CAS*PR*45*374.00" in remittance_table(remittance_835(evaluate(outside)))["segment"].tolist()


def test_the_annotated_table_names_each_line_and_reason():
    table = remittance_table(remittance_835(evaluate(preset("office-visit-on-procedure-day"))))
    row = table[table["segment"] == "CAS*CO*97*140.00"].iloc[0]
    assert row["amount"] == "$140.00" and row["line"] == "claim 1, line 1"
    assert row["meaning"].startswith("CO 97: Included in another service")
    assert table[table["segment"] == "AMT*B6*66.31"].iloc[0]["line"] == "claim 1, line 2"


def test_a_service_without_a_code_goes_out_under_its_unlisted_code_with_words():
    # botox-cosmetic has no code of its own: claim_codes.csv sends it as 64999 with a description
    claim = claim_837p(evaluate(preset("botox-forehead-lines")))
    assert "SV1*HC:64999:::::TOXIN FOR FACIAL LINES (COSMETIC)*480.00*UN*1***1~" in claim
    assert "CAS*PR*204*480.00~" in remittance_835(evaluate(preset("botox-forehead-lines")))


def test_a_remark_code_travels_as_lq_he():
    text = remittance_835(evaluate(preset("medicare-wrinkle-botox")))
    assert "LQ*HE*N425~" in text and "CLP*1*4*" in text


def test_what_x12_cannot_carry_is_an_error_naming_why():
    from medspa_kit.catalog import default_catalog
    from medspa_kit.errors import ScenarioError

    data = preset("underarm-sweating-claim").to_dict()
    data["lines"] = [dict(data["lines"][0]) for _ in range(51)]
    with pytest.raises(ScenarioError, match="lines"):  # the scenario itself holds the 837P's 50 lines at most
        evaluate(data)
    data = preset("underarm-sweating-claim").to_dict()
    codes = [row["code"] for row in default_catalog().rows["diagnoses"] if row["code"] != "L74.510"]
    data["diagnoses"] = ["L74.510", *codes[:12]]  # 13 codes: the HI segment holds 12
    with pytest.raises(EdiError, match=r"^diagnoses: 13 codes; an 837P claim carries at most 12$"):
        claim_837p(evaluate(data))
    with pytest.raises(EdiError, match="not an X12 interchange"):
        read_remittance("CLP*1*1~")


# --------------------------------------------------------------------------------------------
# pyx12 accepts every file; x12sdk reads every 835 back to the cent


def x12valid(paths: list[Path]) -> dict[Path, list[str]]:
    """Run ``x12valid -J`` once on all ``paths``; each file's acknowledgement codes (interchange
    errors, then every group's and transaction's ack_code) from the JSON it writes beside it.
    Its exit code is not read: pyx12's 999 step fails on every 835 even when it accepts it."""
    subprocess.run([str(X12VALID), "-q", "-J", *map(str, paths)], capture_output=True, text=True, timeout=600)
    codes = {}
    for path in paths:
        report = json.loads(path.with_name(path.name + ".json").read_text())
        found = []
        for interchange in report["interchanges"]:
            found += [f"interchange error {e}" for e in interchange["errors"]]
            for group in interchange["groups"]:
                found.append(group["ack_code"])
                found += [t["ack_code"] for t in group["transactions"]]
        codes[path] = found
    return codes


def assert_read_back(text: str, named: list) -> None:
    """Every claim of the 835, parsed by x12sdk, has its outcome's amounts, line by line."""
    claims = read_remittance(text)
    assert [c.claim_id for c in claims] == [claim_id for claim_id, _ in named]
    for claim, (claim_id, outcome) in zip(claims, named):
        where = f"claim {claim_id}"
        assert (claim.charge, claim.paid, claim.patient_responsibility) == (
            outcome.cost.charge, outcome.cost.plan_pays, outcome.cost.patient_pays), where
        assert claim.status == ("4" if outcome.cost.plan_pays == 0 and outcome.decision in ("denied", "not_billable")
                                else "1"), where
        assert len(claim.lines) == len(outcome.lines), where
        for paid, line in zip(claim.lines, outcome.lines):
            assert (paid.charge, paid.paid, paid.units, paid.modifiers) == (
                line.cost.charge, line.cost.plan_pays, line.units, line.modifiers), f"{where} line {line.number}"
            assert sorted(paid.adjustments) == sorted((a.group, a.carc, a.amount) for a in line.adjustments), \
                f"{where} line {line.number}"
            assert paid.control == f"{claim_id}-{line.number}"
            assert paid.remarks == ((line.reason.rarc,) if line.reason and line.reason.rarc else ())


@pytest.fixture(scope="module")
def pyx12_ready():
    if not X12VALID.exists() and shutil.which("x12valid") is None:
        pytest.skip("pyx12's x12valid is not installed (the edi extra)")


def test_every_preset_is_accepted_by_pyx12_and_reads_back(tmp_path, pyx12_ready):
    files, named = [], {}
    for name in preset_names():
        outcome = evaluate(preset(name))
        (tmp_path / f"{name}.837").write_text(claim_837p(outcome))
        (tmp_path / f"{name}.835").write_text(remittance_835(outcome))
        files += [tmp_path / f"{name}.837", tmp_path / f"{name}.835"]
        named[name] = outcome
    codes = x12valid(files)
    refused = {path.name: found for path, found in codes.items() if set(found) != {"A"}}
    assert refused == {}
    for name, outcome in named.items():
        assert_read_back((tmp_path / f"{name}.835").read_text(), [("1", outcome)])


@pytest.mark.slow
def test_generated_claims_reach_every_decision_and_code_and_pyx12_accepts_them(tmp_path, pyx12_ready):
    factory = ScenarioFactory(seed=14)
    outcomes = []
    drawn = 0
    while len(outcomes) < GENERATED:
        drawn += 1
        data = factory.claim() if drawn % 2 else factory.scenario()
        try:
            outcome = evaluate(data)
        except ScenarioError:  # the factory also draws scenarios the parser refuses (tested elsewhere)
            continue
        if any(line.decision != "covered" and line.cost.charge == 0 for line in outcome.lines):
            with pytest.raises(EdiError, match=r"a \$0.00 line denied .*x12sdk refuses an adjustment of \$0.00"):
                remittance_835(outcome)
            continue
        outcomes.append((str(len(outcomes) + 1), outcome))
    # coverage: every decision, and every reason code the checks and the cost components give
    decisions = {o.decision for _, o in outcomes}
    assert decisions == {"covered", "partly_covered", "denied", "not_billable"}
    cat = default_catalog()
    emitted = {(a.group, a.carc) for _, o in outcomes for line in o.lines for a in line.adjustments}
    carcs = {carc for _, carc in emitted}
    expected = {c.carc for c in cat.checks if c.carc} | {cat.adjustment_carc(n) for n in
                                                        ("above_allowed", "deductible", "coinsurance", "copay")}
    assert expected - carcs == set()
    assert {("CO", "45"), ("PR", "45"), ("PR", "1"), ("PR", "2"), ("PR", "3")} <= emitted
    files = []
    started = time.perf_counter()
    for start in range(0, GENERATED, PER_FILE):
        part = outcomes[start:start + PER_FILE]
        for suffix, write in (("837", claim_837p), ("835", remittance_835)):
            path = tmp_path / f"claims-{start:04d}.{suffix}"
            path.write_text(write(part))
            files.append(path)
    codes = x12valid(files)
    elapsed = time.perf_counter() - started
    refused = {path.name: found for path, found in codes.items() if set(found) != {"A"}}
    assert refused == {}
    for start in range(0, GENERATED, PER_FILE):
        assert_read_back((tmp_path / f"claims-{start:04d}.835").read_text(), outcomes[start:start + PER_FILE])
    print(f"{GENERATED} claims: written and validated by pyx12 in {elapsed:.1f} s")


# --------------------------------------------------------------------------------------------
# The command line


def test_the_edi_command_writes_both_files_whole(tmp_path, capsys):
    from medspa_kit.cli import main

    claim, answer = tmp_path / "c.837", tmp_path / "r.835"
    assert main(["edi", "--preset", "uncredentialed-np", "--claim", str(claim), "--remittance", str(answer)]) == 0
    assert claim.read_text() == claim_837p(evaluate(preset("uncredentialed-np")))
    assert answer.read_text() == remittance_835(evaluate(preset("uncredentialed-np")))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


@pytest.mark.parametrize("failing", ["--remittance", "--claim"])
def test_the_edi_command_writes_both_files_or_neither(tmp_path, capsys, failing):
    # the claim was put in place, then the remittance failed (a missing folder): exit 2 with the
    # earlier 837 replaced and no 835 beside it
    from medspa_kit.cli import main

    claim, answer = tmp_path / "c.837", tmp_path / "r.835"
    claim.write_text("an earlier 837\n", encoding="utf-8")
    answer.write_text("an earlier 835\n", encoding="utf-8")
    missing = tmp_path / "missing" / "x"
    argv = ["edi", "--preset", "laser-hair-removal", "--claim", str(missing if failing == "--claim" else claim),
            "--remittance", str(missing if failing == "--remittance" else answer)]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"medspa-kit: {failing}: cannot write '{missing}': No such file or "
                                                "directory\n")
    assert claim.read_text(encoding="utf-8") == "an earlier 837\n"
    assert answer.read_text(encoding="utf-8") == "an earlier 835\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.837", "r.835"]


@pytest.mark.parametrize("how", ["same path", "symbolic link", "hard link"])
def test_a_claim_and_remittance_that_are_one_file_are_refused_naming_the_claim(tmp_path, capsys, how):
    # a link from --claim to --remittance was "is the input file" (there was none: a preset); and
    # write_edi_files with one path twice wrote the first text and dropped the second without a word
    import os

    from medspa_kit.cli import main
    from medspa_kit.edi import write_edi_files
    from medspa_kit.errors import FileError

    answer = tmp_path / "r.835"
    answer.write_text("an earlier 835\n", encoding="utf-8")
    claim = {"same path": answer, "symbolic link": tmp_path / "c.837", "hard link": tmp_path / "h.837"}[how]
    if how == "symbolic link":
        claim.symlink_to(answer)
    elif how == "hard link":
        os.link(answer, claim)
    assert main(["edi", "--preset", "laser-hair-removal", "--claim", str(claim), "--remittance", str(answer)]) == 2
    assert capsys.readouterr().err == (f"medspa-kit: --remittance: '{answer}' is also --claim; write them to two "
                                       "files\n")
    with pytest.raises(FileError, match=r"^remittance: '.*r\.835' is also claim; write them to two files$"):
        write_edi_files([(claim, "A", "claim"), (answer, "B", "remittance")])
    assert answer.read_text(encoding="utf-8") == "an earlier 835\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({"r.835", claim.name})


def test_a_handout_is_written_both_files_or_neither(tmp_path):
    from medspa_kit.errors import FileError
    from medspa_kit.report import write_handout

    (tmp_path / "handout.html").write_text("an earlier handout\n", encoding="utf-8")
    (tmp_path / "handout.csv").mkdir()  # (the CSV cannot be written: a folder has its name)
    named = [("Forehead", evaluate(preset("botox-forehead-lines")))]
    with pytest.raises(FileError, match=r"^file: cannot write '.*handout.csv': it is not a regular file$"):
        write_handout(named, tmp_path)
    assert (tmp_path / "handout.html").read_text(encoding="utf-8") == "an earlier handout\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handout.csv", "handout.html"]


@pytest.mark.parametrize("tail,message", [
    (["--claim", "{tmp}/missing/c.837"], "medspa-kit: --claim: cannot write '{tmp}/missing/c.837': No such file or directory"),
    (["--remittance", "{tmp}"], "medspa-kit: --remittance: cannot write '{tmp}': it is not a regular file"),
    ([], "medspa-kit: --claim: say what to write: --claim OUT.837, --remittance OUT.835 or --table"),
])
def test_the_edi_command_refuses_in_one_line(tmp_path, capsys, tail, message):
    from medspa_kit.cli import main

    argv = ["edi", "--preset", "botox-underarm-sweating", *[t.format(tmp=tmp_path) for t in tail]]
    assert main(argv) == 2
    assert capsys.readouterr().err == message.format(tmp=tmp_path) + "\n"


def test_an_invalid_scenario_is_one_line_and_no_file(tmp_path, capsys):
    from medspa_kit.cli import main

    bad = tmp_path / "bad.json"
    data = preset("botox-underarm-sweating").to_dict()
    data["plan"]["coinsurance"] = 1.5
    bad.write_text(json.dumps(data))
    assert main(["edi", str(bad), "--claim", str(tmp_path / "c.837")]) == 2
    assert capsys.readouterr().err.startswith("medspa-kit: plan.coinsurance: 1.5 is not a rate")
    assert not (tmp_path / "c.837").exists()


def test_batch_writes_one_remittance_for_the_whole_batch(tmp_path, capsys, pyx12_ready):
    from medspa_kit.cli import main
    from medspa_kit.columns import scenarios_to_frame

    names = ["migraine-claim-with-discarded-units", "add-on-code-alone", "office-visit-on-procedure-day"]
    frame = scenarios_to_frame([preset(n) for n in names])
    source = tmp_path / "claims.csv"
    frame.to_csv(source, index=False)
    answer = tmp_path / "batch.835"
    assert main(["batch", str(source), "-o", str(tmp_path / "out.csv"), "-q", "--chunk-size", "2",
                 "--remittance", str(answer)]) == 0
    ids = [str(i) for i in frame["claim_id"].unique()]
    named = list(zip(ids, [evaluate(preset(n)) for n in names]))
    text = answer.read_text()
    assert text == remittance_835(named)  # one CLP per claim, whatever the chunks
    assert text.count("\nCLP*") == 3
    assert x12valid([answer]) == {answer: ["A", "A"]}


def test_a_segment_with_an_element_too_many_is_an_edi_error():
    # x12sdk's own X12ParseException escaped read_remittance
    from medspa_kit.errors import EdiError

    answer = remittance_835([("C1", evaluate(preset("botox-underarm-sweating")))])
    with pytest.raises(EdiError, match=r"^remittance: x12sdk cannot read a segment: Error parsing BPR segment field "):
        read_remittance(answer.replace("BPR*I*", "BPR*I*1.00*X", 1))


@pytest.mark.parametrize("write", [claim_837p, remittance_835])
def test_a_scenario_given_for_claims_is_named_as_a_scenario(write):
    # it was iterated as its fields: "claims[0]: expected a (claim id, Outcome) pair, got (str, int)"
    from medspa_kit.errors import EdiError

    with pytest.raises(EdiError, match=r"^claims: expected an Outcome or \(claim id, Outcome\) pairs, got a Scenario: "
                                       r"evaluate it first \(medspa_kit.evaluate\(scenario\)\)$"):
        write(preset("botox-underarm-sweating"))


@pytest.mark.parametrize("option", ["--claim", "--remittance"])
def test_an_empty_output_name_is_refused_not_read_as_no_output(tmp_path, capsys, option):
    # --claim '' wrote no claim and exited 0, as if --claim had not been given
    from medspa_kit.cli import main

    other = "--remittance" if option == "--claim" else "--claim"
    assert main(["edi", "--preset", "botox-underarm-sweating", option, "", other, str(tmp_path / "x")]) == 2
    assert capsys.readouterr().err.startswith(f"medspa-kit edi: argument {option}: an empty name: give the output's "
                                              "file name")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("clp01", ["1:2", "1^2"])
def test_a_clp01_holding_a_delimiter_is_refused_as_the_writers_refuse_it(clp01):
    # read as claim '1:2' (a component separator inside a simple element), which no writer of the kit takes
    answer = remittance_835([("1", evaluate(preset("botox-chronic-migraine")))])
    with pytest.raises(EdiError, match=rf"^remittance: a claim's CLP01 '{re.escape(clp01)}' holds the delimiter "):
        read_remittance(answer.replace("CLP*1*", f"CLP*{clp01}*", 1))
