"""ICD-10-CM look-ups (real code set) and the NPI check digit (CMS Luhn with prefix 80840)."""

from __future__ import annotations

import pytest

from medspa_kit.codes import check_icd, icd_problem, normalize_icd, npi_check_digit, npi_problem


@pytest.mark.parametrize("npi", ["1234567893", "2468135795", "1000000004", "2000000002"])
def test_valid_npis(npi):
    # The CMS worked example 123456789 -> check digit 3, and three computed examples.
    assert npi_problem(npi) is None


def test_cms_worked_example_check_digit():
    # 80840123456789: doubling every other digit of the base from the right,
    # 9->18->9, 7->14->5, 5->10->1, 3->6, 1->2 = 23; undoubled 8+6+4+2 = 20; +24 = 67; (10 - 7) % 10 = 3.
    assert npi_check_digit("123456789") == 3


@pytest.mark.parametrize(
    "npi,words",
    [("1234567890", "the last digit should be 3"), ("123456789", "exactly 10 digits"),
     ("3234567893", "starts with 1"), ("12345678a3", "exactly 10 digits")],
)
def test_invalid_npis(npi, words):
    assert words in npi_problem(npi)


def test_normalize():
    assert normalize_icd(" l74510 ") == "L74.510"
    assert normalize_icd("B20") == "B20"
    assert normalize_icd("z41.1") == "Z41.1"


def test_billable_header_unknown():
    assert check_icd("L74.510").status == "billable"
    header = check_icd("L74.5")
    assert header.status == "header"
    assert {"L74.510", "L74.512", "L74.52"} <= set(header.suggestions)
    assert check_icd("XYZ.12").status == "unknown"
    # a block range reports as a leaf in the package, but is not a code
    assert check_icd("C00-C96").status == "unknown"


def test_known_codes_skip_the_lookup():
    assert icd_problem("L74.510", known=frozenset({"L74.510"})) is None
    assert "not billable" in icd_problem("E88.1")


@pytest.mark.parametrize("written", ["\u202eG43.709", "G43\u200b709", "l74ß", "L74-510", "Ｌ74510"])
def test_normalize_icd_moves_no_dot_in_text_that_is_no_code(written):
    # A dot placed by counting an invisible mark showed '\u202eG4.3709': a code the user never wrote. Such text is
    # quoted back as written (spaces removed) and is unknown to the code set.
    assert normalize_icd(written) == written
    assert check_icd(written).status == "unknown"
