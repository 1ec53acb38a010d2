"""The clinic-decision widget and its report helpers, driven without a browser."""

from __future__ import annotations

from medspa_kit import clinic
from medspa_kit.report import clinic_totals, clinic_verdict
from medspa_kit.ui.clinic import ClinicDecision


def test_sliders_recompute_the_verdict():
    widget = ClinicDecision(charts=False)
    first = widget.result
    assert "Staying cash-pay keeps" in widget.verdict.value
    widget.sliders["paperwork"].value = 1.0
    assert widget.result is not first and widget.result.assumptions.paperwork == 1.0
    # catching missing paperwork turns CO denials into paid claims: the gap narrows
    assert widget.result.difference["net_revenue"] > first.difference["net_revenue"]
    assert "100 % of missing paperwork caught" in widget.verdict.value


def test_verdict_and_totals_read_the_comparison():
    result = clinic.compare(clinic.load_visits())
    gap = result.difference["net_revenue"]
    assert gap < 0
    assert clinic_verdict(result).startswith(f"Staying cash-pay keeps ${-gap:,.0f} more net revenue a year")
    table = clinic_totals(result)
    assert list(table.columns) == ["stay cash-pay", "credential with payers", "difference"]
    assert table.loc["net revenue", "difference"] == f"−${-gap:,.0f}"
