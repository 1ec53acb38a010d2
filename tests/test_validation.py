"""`medspa-kit validate`: the shipped datasets pass, and each kind of corruption is named with
file, row and column."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from medspa_kit.catalog import datasets_folder, load_catalog
from medspa_kit.catalog.schema import TABLES
from medspa_kit.validation import validate_datasets
from medspa_kit.cli import main
from medspa_kit.errors import DatasetError


def test_shipped_datasets_pass():
    assert validate_datasets() == []


def test_every_row_has_a_source():
    cat = load_catalog()
    for name, frame in cat.frames.items():
        if "source" in frame.columns:
            assert (frame["source"].str.strip() != "").all(), name


@pytest.fixture
def copy_of_datasets(tmp_path) -> Path:
    target = tmp_path / "datasets"
    shutil.copytree(datasets_folder(), target, ignore=shutil.ignore_patterns("generators"))
    return target


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CORRUPTIONS = [
    # (file, old text, new text, expected message start)
    ("diagnoses.csv", "R61,Excessive sweating all over the body,sweating,icd-10-cm-fy2026",
     "R61,Excessive sweating all over the body,sweating,",
     "diagnoses.csv, row 10, column source: no source given"),
    ("diagnoses.csv", "R61,Excessive sweating all over the body,sweating,icd-10-cm-fy2026",
     "R61,Excessive sweating all over the body,sweating,icd-10-cm-fy2099",
     "diagnoses.csv, row 10, column source: 'icd-10-cm-fy2099' is not a key of sources.csv"),
    ("diagnoses.csv", "R61,Excessive sweating all over the body,sweating,icd-10-cm-fy2026",
     "R61,Excessive sweating all over the body,sweating,ICD-10-CM FY2026",
     "diagnoses.csv, row 10, column source: 'ICD-10-CM FY2026' is not a list of citations"),
    ("checks.csv", "16,prior_auth,", "16,prior_authorization,",
     "checks.csv, row 17, column check: 'prior_authorization' has no rule in medspa_kit.rules"),
    ("checks.csv", ",151,,liability,denied,", ",152,,liability,denied,",
     "reason_codes.csv, column carc: CARC 152 is emitted but has no row"),
    ("diagnoses.csv", "L74.510,", "L74.5,", "diagnoses.csv, row 4, column code: 'L74.5' (Focal hyperhidrosis) is a "
                                            "category, not billable"),
    ("providers.csv", "1749302851", "1749302852",
     "providers.csv, row 2, column npi: '1749302852' fails the NPI check digit"),
    ("procedures.csv", ",true,false,480.00,,", ",true,false,-480.00,,",
     "procedures.csv, row 2, column cash_price: -480 is negative"),
    ("coverage_policies.csv", "botox-palm-sweating,L74.512", "botox-palms,L74.512",
     "coverage_policies.csv, row 3, column procedure: 'botox-palms' is not a procedure id in procedures.csv"),
    ("coverage_policies.csv", "botox-palm-sweating,L74.512", "botox-palm-sweating,L99.99",
     "coverage_policies.csv, row 3, column diagnosis: 'L99.99' matches no diagnosis in diagnoses.csv"),
    ("plans.csv", "ppo-standard,Standard PPO,PPO,1500,0.20", "ppo-standard,Standard PPO,PPO,1500,20",
     "plans.csv, row 2, column coinsurance: 20 is not a rate between 0 and 1"),
    ("sample_visits.csv", "weight-loss-counseling,,,E66.811;Z68.32,true,,true,false,false,false,MD,1749302851",
     "weight-loss-counseling,,,E66.811;Z68.3,true,,true,false,false,false,MD,1749302851",
     "sample_visits.csv, row 6, column diagnoses[1]: 'Z68.3' (Body mass index [BMI] 30-39, adult) is a category"),
    ("coverage_policies.csv", "independence-blue-cross,peel-actinic-keratosis", "ibc,peel-actinic-keratosis",
     "coverage_policies.csv, row 37, column payer: 'ibc' is not a payer id in payers.csv (or * for any payer)"),
    ("coverage_policies.csv", '"uhc-cs069ky.01 (light and laser therapy unproven for acne vulgaris; the Community Plan '
                              'text, which refers to the commercial policy of the same title)"', "illustrative",
     "coverage_policies.csv, row 38, column source: a row of 'unitedhealthcare' must cite that payer's document"),
    ("coverage_policies.csv", "ak-15-or-more; failed-topical-5fu-or-imiquimod,true,false",
     "ak-fifteen; failed-topical-5fu-or-imiquimod,true,false",
     "coverage_policies.csv, row 16, column criteria_ids: 'ak-fifteen' is not a criterion id in criteria.csv"),
    ("plans.csv", "ppo-standard,Standard PPO,PPO,1500,0.20,0,5000,", "ppo-standard,Standard PPO,PPO,1500,0.20,0,,",
     "plans.csv, row 2, column oop_max: Original Medicare has no out-of-pocket maximum"),
    ("clinic_assumptions.csv", "cash_uptake,0.40,", "cash_uptake,1.40,",
     "clinic_assumptions.csv, row 4, column value: cash_uptake: 1.4 is not a rate"),
    ("facilities.csv", "riverside-derm,Riverside Dermatology & Laser,medical_clinic",
     "riverside-derm,Riverside Dermatology & Laser,hospital",
     "facilities.csv, row 2, column kind: 'hospital' is not one of medical_clinic, med_spa, day_spa"),
]


@pytest.mark.parametrize("file,old,new,message", CORRUPTIONS, ids=[c[3].split(":")[0] for c in CORRUPTIONS])
def test_corruption_is_named(copy_of_datasets, file, old, new, message):
    edit(copy_of_datasets, file, old, new)
    problems = [str(p) for p in validate_datasets(copy_of_datasets)]
    assert any(p.startswith(message) for p in problems), problems


def test_cli_validate_exits_1_and_names_the_cell(copy_of_datasets, capsys):
    edit(copy_of_datasets, "providers.csv", "1749302851", "1749302852")
    assert main(["validate", str(copy_of_datasets)]) == 1
    err = capsys.readouterr().err
    assert "providers.csv, row 2, column npi" in err
    assert "1 problem in" in err


def test_load_catalog_refuses_a_broken_folder(copy_of_datasets):
    edit(copy_of_datasets, "procedures.csv", ",true,false,480.00,,", ",true,false,abc,,")
    with pytest.raises(DatasetError, match=r"procedures\.csv, row 2, column cash_price: 'abc' is not a dollar amount"):
        load_catalog(copy_of_datasets)


def test_a_broken_preset_is_named(copy_of_datasets):
    edit(copy_of_datasets, "presets/uncredentialed-np.json", '"credentialed": false', '"credentialed": "no"')
    problems = [str(p) for p in validate_datasets(copy_of_datasets)]
    assert any(p.startswith("presets/uncredentialed-np.json, column provider.credentialed: ") for p in problems)


def test_unknown_and_missing_columns(copy_of_datasets):
    edit(copy_of_datasets, "reason_codes.csv", "carc,name,plain,source", "carc,name,plain,source_url")
    problems = [str(p) for p in validate_datasets(copy_of_datasets)]
    assert "reason_codes.csv, row 1, column source: column is missing" in problems


def test_a_period_that_ends_before_it_starts_is_named(copy_of_datasets, capsys):
    edit(copy_of_datasets, "code_sets.csv", "FY2026,2025-10-01,2026-09-30", "FY2026,2026-10-01,2025-09-30")
    problems = [str(p) for p in validate_datasets(copy_of_datasets)]
    assert ("code_sets.csv, row 2, column valid_to: 2025-09-30 is before valid_from 2026-10-01: the period ends "
            "before it starts") in problems
    assert main(["validate", str(copy_of_datasets)]) == 1
    out, err = capsys.readouterr()
    assert "datasets OK" not in out
    assert "code_sets.csv, row 2, column valid_to: 2025-09-30 is before valid_from 2026-10-01" in err


def test_every_pair_of_period_columns_is_checked():
    """A table with a first-day and a last-day date column declares them as a period, so the one
    period check covers it (a new from/to pair cannot be added unchecked)."""
    from medspa_kit.catalog.schema import date_cell

    starts, ends = ("_from", "_start", "start"), ("_to", "_end", "end", "_until")
    for table in TABLES.values():
        dates = [c.name for c in table.columns if c.parse is date_cell]
        declared = {column for pair in table.periods for column in pair}
        for name in dates:
            if name.endswith(starts) or name.endswith(ends):
                assert name in declared, (table.file, name)


def test_a_rule_table_over_the_size_limit_is_refused_unread(copy_of_datasets, capsys):
    with open(copy_of_datasets / "procedures.csv", "a", encoding="utf-8") as handle:
        handle.write("junk\n" * 2_200_000)  # 11 MB of junk rows, over the 10 MB limit
    problems = [str(p) for p in validate_datasets(copy_of_datasets)]
    assert "procedures.csv: is larger than 10 MB" in problems
    assert main(["validate", str(copy_of_datasets)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert "medspa-kit: procedures.csv: is larger than 10 MB" in err
    assert len(err) < 100  # one line for the file, and the knock-on ones, not one per junk row


def test_the_problems_printed_are_capped_per_file(copy_of_datasets, capsys):
    with open(copy_of_datasets / "procedures.csv", "a", encoding="utf-8") as handle:
        handle.write("junk\n" * 250)
    assert main(["validate", str(copy_of_datasets)]) == 1
    err = capsys.readouterr().err.splitlines()
    rows = [line for line in err if line.startswith("medspa-kit: procedures.csv, row ")]
    assert len(rows) == 100
    assert rows[0].startswith("medspa-kit: procedures.csv, row ") and rows[0].endswith("has 1 cells, the header has 20")
    assert "medspa-kit: … and 150 more in procedures.csv" in err
    assert err[-1].startswith("250 problems in ")


def test_a_table_with_no_rows_is_named_first(copy_of_datasets, capsys):
    path = copy_of_datasets / "payers.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    problems = [str(p) for p in validate_datasets(copy_of_datasets)]
    assert problems[0] == "payers.csv: has no rows: every rule table needs at least one"
    assert main(["validate", str(copy_of_datasets)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "medspa-kit: payers.csv: has no rows: every rule table needs at least one"


@pytest.mark.parametrize("file", sorted(t.file for t in TABLES.values()))
def test_any_table_with_only_its_header_is_named_first(copy_of_datasets, file):
    path = copy_of_datasets / file
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    problems = [str(p) for p in validate_datasets(copy_of_datasets)]
    assert problems[0] == f"{file}: has no rows: every rule table needs at least one"


@pytest.mark.parametrize("payer", ["generic-commercial", "medicare"])
def test_a_payers_file_without_a_payer_claims_fall_back_on_is_one_problem(tmp_path, payer):
    # without generic-commercial, validate was a ValueError traceback from the sample visits
    import shutil

    from medspa_kit.catalog import datasets_folder

    folder = tmp_path / "ds"
    shutil.copytree(datasets_folder(), folder)
    path = folder / "payers.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith(f"{payer},")), encoding="utf-8")
    said = [str(p) for p in validate_datasets(folder)]  # (with medicare, its policies name it too)
    assert f"payers.csv, column id: no row for {payer!r}: a claim that names no payer is read under it" in said


@pytest.mark.parametrize("rule, value, said", [
    ("read_year", "0", "read_year: 0 is not a year from 1900 to 2199"),
    ("read_year", "2021", "read_year: 2021 is before in_force_year (2022): the rules were read after they took force"),
    ("in_force_year", "2022.5", "in_force_year: 2022.5 is not a year from 1900 to 2199"),
    ("booked_ahead_short", "3.5", "booked_ahead_short: 3.5 is not a whole number of business days from 1 to 1,000"),
    ("issue_within_short", "0", "issue_within_short: 0 is not a whole number of business days from 1 to 1,000"),
    ("dispute_days", "100000", "dispute_days: 100000 is not a whole number of calendar days from 1 to 1,000"),
    ("booked_ahead_short", "10", "booked_ahead_short: must be fewer days than booked_ahead_long (the longer booking "
                                 "window)"),
])
def test_a_good_faith_estimate_rule_outside_its_unit_is_a_problem(copy_of_datasets, rule, value, said):
    # read_year 0 was "datasets OK" (every estimate's note then said its date was after year 0), and
    # 3.5 business days was read as 3
    path = copy_of_datasets / "good_faith_estimate.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(re.sub(r"^([a-z_]+),[^,]+,", lambda m: f"{m[1]},{value}," if m[1] == rule else m[0], line)
                            for line in lines), encoding="utf-8")
    row = next(i for i, line in enumerate(lines, start=1) if line.startswith(f"{rule},"))
    assert [str(p) for p in validate_datasets(copy_of_datasets)] == [f"good_faith_estimate.csv, row {row}, column "
                                                                     f"value: {said}"]


def test_a_good_faith_estimate_rule_in_another_unit_is_a_problem(copy_of_datasets):
    path = copy_of_datasets / "good_faith_estimate.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("dispute_days,120,calendar days,",
                                                             "dispute_days,120,business days,"), encoding="utf-8")
    assert [str(p) for p in validate_datasets(copy_of_datasets)] == [
        "good_faith_estimate.csv, row 8, column unit: dispute_days: 'business days' is not its unit ('calendar days')"]


@pytest.mark.parametrize("folder", ["", "  "])
def test_validate_given_an_empty_folder_name_refuses_it(capsys, folder):
    # '' was read as no folder: the kit's own datasets were checked and "datasets OK" said
    assert main(["validate", folder]) == 2
    assert capsys.readouterr().err == (f"medspa-kit: folder: {folder!r} names no folder: give the datasets folder, "
                                       "or none for the kit's own\n")
