"""`medspa-kit finance …` and `medspa-kit gfe` ."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from medspa_kit.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "medspa_kit.cli", *args], capture_output=True, text=True)


def test_deferred_json(capsys):
    assert main(["finance", "deferred", "--amount", "3000", "--apr", "0.3299", "--promo-months", "12",
                 "--payment", "240", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # The worked deferred-interest example, interest rounded half-up each month (see test_payments)
    assert out["paid_off_in_promo"] is False and out["deferred_interest"] == 554.25
    assert out["months_to_payoff"] == 15 and out["total_paid"] == 3591.43


def test_installment_and_tax_savings_json(capsys):
    assert main(["finance", "installment", "--amount", "5000", "--apr", "0.149", "--months", "24", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["payment"] == 242.20 and out["total_interest"] > 0
    assert main(["finance", "tax-savings", "--amount", "4400", "--federal", "0.22", "--state", "0.05", "--payroll",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["savings"] == 1524.60


def test_readable_text(capsys):
    assert main(["finance", "deferred", "--amount", "3000", "--apr", "0.3299", "--promo-months", "12",
                 "--payment", "250"]) == 0
    assert "paid off inside the promotion" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args,start",
    [
        (["deferred", "--amount", "3000", "--apr", "32.99", "--promo-months", "12", "--payment", "250"],
         "medspa-kit: --apr: 32.99 is not a rate between 0 and 1"),
        (["deferred", "--amount", "abc", "--apr", "0.3", "--promo-months", "12", "--payment", "250"],
         "medspa-kit finance deferred: argument --amount: 'abc' is not a number"),
        (["installment", "--amount", "1000", "--apr", "0.1", "--months", "0"],
         "medspa-kit: --months: 0 is not a whole number of months"),
        (["tax-savings", "--amount", "-5", "--federal", "0.22", "--state", "0.05"],
         "medspa-kit: --amount: -5 is negative"),
        (["deferred", "--amount", "3000", "--apr", "0.3", "--promo-months", "12", "--payment", "5"],
         "medspa-kit: --payment: $5.00 a month never pays off"),
    ],
)
def test_bad_numbers_exit_2_naming_the_option(args, start):
    proc = run("finance", *args)
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith(start), proc.stderr


def test_gfe_html_and_markdown(tmp_path, capsys):
    html_path, md_path = tmp_path / "gfe.html", tmp_path / "gfe.md"
    assert main(["gfe", "--preset", "botox-forehead-lines", "-o", str(html_path), "--issued", "2026-02-20"]) == 0
    assert main(["gfe", "--preset", "laser-hair-removal", "-o", str(md_path), "--issued", "2026-02-20"]) == 0
    assert html_path.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert md_path.read_text(encoding="utf-8").startswith("# Good Faith Estimate")
    assert "total expected charges $480.00" in capsys.readouterr().out
    proc = run("gfe", "-o", str(tmp_path / "x.html"))
    assert proc.returncode == 2 and "give a scenario FILE or --preset NAME" in proc.stderr


def test_gfe_is_refused_for_an_insured_patient_and_after_the_visit(tmp_path):
    out = tmp_path / "gfe.html"
    proc = run("gfe", "--preset", "botox-underarm-sweating", "-o", str(out), "--issued", "2026-02-20")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1 and not out.exists()
    assert "insured for it" in proc.stderr and "cost estimate" in proc.stderr and "--self-pay" in proc.stderr
    proc = run("gfe", "--preset", "botox-forehead-lines", "-o", str(out), "--issued", "2026-03-05")
    assert proc.returncode == 2 and not out.exists()
    assert proc.stderr == ("medspa-kit: --issued: 2026-03-05 is after the visit on 2026-03-02: a Good Faith Estimate "
                           "is given before the visit (45 CFR 149.610(b)(1)(vi))\n")


@pytest.mark.parametrize("args,message", [
    # the visit of botox-forehead-lines is Mon 2 Mar 2026
    (["--booked", "9999-12-31"], "--booked: 9999-12-31 is after the visit on 2026-03-02"),
    (["--booked", "2026-03-03", "--issued", "2026-02-02"], "--booked: 2026-03-03 is after the visit on 2026-03-02"),
    (["--issued", "2026-03-03", "--booked", "2026-02-02"], "--issued: 2026-03-03 is after the visit on 2026-03-02"),
    (["--issued", "2021-12-31"], "--issued: 2021-12-31 is before 2022-01-01, when the Good Faith Estimate rules"),
    (["--booked", "2021-12-31"], "--booked: 2021-12-31 is before 2022-01-01, when the Good Faith Estimate rules"),
])
def test_gfe_date_errors_name_the_option_given(tmp_path, capsys, args, message):
    out = tmp_path / "g.html"
    assert main(["gfe", "--preset", "botox-forehead-lines", "-o", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"medspa-kit: {message}") and len(err.splitlines()) == 1, err
    assert not out.exists()


@pytest.mark.parametrize("args,message", [
    (["--estimate", "-1", "--billed", "900", "--bill-date", "2024-05-01"], "--estimate: -1 is negative"),
    (["--estimate", "100", "--billed", "-2", "--bill-date", "2024-05-01"], "--billed: -2 is negative"),
    (["--estimate", "100", "--billed", "900", "--bill-date", "2021-05-01"], "--bill-date: 2021-05-01 is before"),
    (["--estimate", "100", "--billed", "900", "--bill-date", "9999-12-30"], "--bill-date: 9999-12-30 is too late"),
])
def test_gfe_check_errors_name_the_option_given(capsys, args, message):
    assert main(["gfe-check", *args]) == 2
    assert capsys.readouterr().err.startswith(f"medspa-kit: {message}")


def test_an_estimate_issued_before_booking_is_one_given_on_request(tmp_path, capsys):
    out = tmp_path / "g.html"
    assert main(["gfe", "--preset", "botox-forehead-lines", "-o", str(out),
                 "--issued", "2026-01-01", "--booked", "2026-02-01"]) == 0
    text = capsys.readouterr().out
    assert ("on time as an estimate given on request: issued 2026-01-01, before the visit was booked on 2026-02-01, "
            "so not on scheduling but on the patient's request (45 CFR 149.610(b)(1)(vi)(C))") in text
    assert "due by" not in text  # no deadline after a booking that came later is claimed met


def test_gfe_says_for_whom_and_whether_on_time(tmp_path, capsys):
    out = tmp_path / "gfe.md"
    assert main(["gfe", "--preset", "botox-underarm-sweating", "--self-pay", "-o", str(out),
                 "--issued", "2026-02-10", "--booked", "2026-02-02"]) == 0
    text = capsys.readouterr().out
    # booked Mon 2 Feb for Mon 2 Mar (20 business days ahead): due Thu 5 Feb, issued Tue 10 Feb
    assert "self-pay" in text and "late: issued 2026-02-10, due by 2026-02-05" in text
    assert "booked 2026-02-02" in out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["gfe.md"]  # no partial file left beside it


def test_gfe_works_out_of_the_box_for_a_preset_whose_visit_is_past(tmp_path, capsys):
    """Without --issued the estimate was dated today, after every preset's visit (Mon 2 Mar 2026),
    and refused. Now it is dated 10 business days before the visit (Mon 16 Feb), as if booked then:
    due 3 business days later (Thu 19 Feb), so on time; a note names both dates and --issued."""
    from medspa_kit.payments.gfe import default_issue_date
    import datetime as dt

    out = tmp_path / "x.html"
    assert main(["gfe", "--preset", "botox-forehead-lines", "-o", str(out)]) == 0 and out.exists()
    text = capsys.readouterr().out
    assert "on time: issued 2026-02-16, due by 2026-02-19" in text
    note = next(line for line in text.splitlines() if "note:" in line)
    assert "2026-03-02" in note and "--issued" in note
    visit = dt.date(2026, 3, 2)
    assert default_issue_date(visit, dt.date(2026, 2, 1)) == (dt.date(2026, 2, 1), None)  # today, before it
    assert default_issue_date(visit, dt.date(2026, 12, 1), booked=dt.date(2026, 2, 20)) == (dt.date(2026, 2, 20), None)
    day, said = default_issue_date(visit, dt.date(2026, 12, 1))
    assert day == dt.date(2026, 2, 16) and "2026-12-01" in said and "2026-03-02" in said


def test_gfe_counts_one_business_day_in_the_singular_and_documents_its_inputs(tmp_path, capsys):
    """Booked Fri 27 Feb for Mon 2 Mar: 1 business day ahead (Fri), so "1 business day", not "days"."""
    out = tmp_path / "x.md"
    assert main(["gfe", "--preset", "botox-forehead-lines", "-o", str(out), "--booked", "2026-02-27",
                 "--issued", "2026-02-27"]) == 0
    text = capsys.readouterr().out
    assert "booked 1 business day ahead" in text and "1 business days" not in text
    helped = run("gfe", "--help").stdout
    assert "--preset NAME" in helped and "bundled scenario" in helped and "docs/scenario.md" in helped


def test_gfe_check(capsys):
    assert main(["gfe-check", "--estimate", "480", "--billed", "950", "--bill-date", "2026-03-10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # 950 − 480 = 470 ≥ 400; 2026-03-10 + 120 days = 2026-07-08
    assert out["above"] == 470.0 and out["may_dispute"] is True and out["dispute_by"] == "2026-07-08"
    proc = run("gfe-check", "--estimate", "480", "--billed", "-5", "--bill-date", "2026-03-10")
    assert proc.returncode == 2 and proc.stderr == "medspa-kit: --billed: -5 is negative\n"


def test_an_installment_that_only_pays_the_interest_is_rounded_up_and_pays_off(capsys):
    # $3,000 at 30 % over 480 months: $75.00 a month is the interest alone; $75.01 pays it off.
    assert main(["finance", "installment", "--amount", "3000", "--apr", "0.30", "--months", "480"]) == 0
    assert capsys.readouterr().out.splitlines()[1:3] == [
        "  payment:        $75.01 a month for 365 months (last $61.49)",
        "  (the payment, rounded up to the cent, pays it off in 365 months of the 480)"]
    assert main(["finance", "installment", "--amount", "10000000", "--apr", "1", "--months", "600", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["payment"] == 833_333.34 and out["last_payment"] <= out["payment"] and out["months_paid"] == 233
