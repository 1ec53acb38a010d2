"""Dollars for display: chart axes in readable units that never repeat a label, and tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from medspa_kit.report import dollar_ticks, dollars_table, sensitivity_figure


@pytest.mark.parametrize("values,labels", [
    # Under $10,000: whole dollars with thousands separators.
    ([0, 400, 800, 1200], ["$0", "$400", "$800", "$1,200"]),
    # $10,000 and up: thousands; a negative net revenue keeps its sign in front of the $.
    ([-20_000, 0, 20_000, 40_000], ["-$20k", "$0", "$20k", "$40k"]),
    # Millions in steps of $0.5M need one decimal.
    ([0, 500_000, 1_000_000, 1_500_000], ["$0", "$0.5M", "$1.0M", "$1.5M"]),
    # Steps of $10,000 around $2.1M need two decimals: $2.1M three times would say nothing.
    ([2_100_000, 2_110_000, 2_120_000], ["$2.10M", "$2.11M", "$2.12M"]),
    # Steps of $25,000 need three.
    ([2_100_000, 2_125_000, 2_150_000], ["$2.100M", "$2.125M", "$2.150M"]),
])
def test_dollar_ticks(values, labels):
    assert dollar_ticks(values) == labels


def test_a_narrow_sensitivity_chart_labels_every_tick_differently():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    # Net revenue between $2.10M and $2.16M: matplotlib puts ticks $10,000 apart.
    table = pd.DataFrame({
        "parameter": "fee_schedule_scale", "value": [1.0, 2.0, 1.0, 2.0],
        "strategy": ["cash_pay", "cash_pay", "credentialed", "credentialed"],
        "net_revenue": [2_100_000.0, 2_100_000.0, 2_105_000.0, 2_160_000.0]})
    fig = sensitivity_figure(table)
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels() if ax.get_ylim()[0] <= t.get_position()[1] <= ax.get_ylim()[1]]
    assert len(labels) >= 3
    assert len(set(labels)) == len(labels), labels
    # the axis starts at $0 (a gap drawn to scale), then whole millions' tenths
    assert labels[0] == "$0" and all(label.startswith("$") and label.endswith("M") for label in labels[1:]), labels


def test_dollars_table_writes_dollars_and_a_dash_for_every_empty_cell():
    frame = pd.DataFrame({"service": ["a", "b"], "cash_price": [1100.0, 480.0], "fee_schedule": [726.0, np.nan],
                          "fee_to_cash": [0.66, np.nan]})
    shown = dollars_table(frame, ["cash_price", "fee_schedule"])
    assert shown.to_dict("list") == {"service": ["a", "b"], "cash_price": ["$1,100", "$480"],
                                     "fee_schedule": ["$726", "—"], "fee_to_cash": [0.66, "—"]}


def test_the_who_pays_chart_writes_each_charge_above_its_bar_with_room_for_it():
    """Stacked bars add up to the charge: $1,100.00 for the underarm visit, $480.00 for forehead lines;
    the axis reaches past the tallest bar so its label is inside the chart."""
    from medspa_kit import evaluate, preset
    from medspa_kit.report import HEADROOM, who_pays_figure

    fig = who_pays_figure([("Botox for underarm sweating", evaluate(preset("botox-underarm-sweating"))),
                           ("Botox for forehead lines", evaluate(preset("botox-forehead-lines")))])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["$1,100.00", "$480.00"]
    assert ax.get_ylim()[1] >= 1100 * HEADROOM - 1e-6 > 1100
    label = ax.texts[0]
    assert label.get_position()[1] > 1100 and label.get_position()[1] < ax.get_ylim()[1]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Botox for\nunderarm\nsweating", "Botox for\nforehead lines"]


def test_the_sensitivity_chart_names_its_axis_as_the_slider_does_and_starts_at_zero():
    from medspa_kit.ui.clinic import ClinicDecision

    table = pd.DataFrame({
        "parameter": "fee_schedule_scale", "value": [1.0, 2.0, 1.0, 2.0],
        "strategy": ["cash_pay", "cash_pay", "credentialed", "credentialed"],
        "net_revenue": [2_100_000.0, 2_100_000.0, 2_105_000.0, 2_160_000.0]})
    ax = sensitivity_figure(table).axes[0]
    slider = ClinicDecision(charts=False).sliders["fee_schedule_scale"]
    assert ax.get_xlabel() == slider.description == "Payers allow (× fee schedule)"
    assert ax.get_ylim()[0] == 0  # a $55,000 gap on a $2.1M scale is drawn to scale, not magnified
