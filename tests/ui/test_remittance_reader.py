"""The 835 beside the explorer follows it: flip the network and CO 45 becomes PR 45."""

from __future__ import annotations

import pytest

pytest.importorskip("x12sdk")

from medspa_kit.ui import RemittanceReader  # noqa: E402


def test_leaving_the_network_turns_the_write_off_into_a_balance_bill():
    reader = RemittanceReader(preset="botox-underarm-sweating")
    # in network: 1,100 − 726 = 374.00 written off (CO 45); deductible 300.00 and 20 % of 426 = 85.20
    assert reader.adjustments() == ["CAS*CO*45*374.00", "CAS*PR*1*300.00**2*85.20"]
    assert "CAS*CO*45*374.00" in reader.table.value
    reader.explorer.controls["facility.participating"].value = False
    # out of network the same 374.00 may be billed to the patient (PR 45); the out-of-network
    # deductible ($3,000, none met) takes the whole allowed 726.00 (PR 1)
    assert reader.adjustments() == ["CAS*PR*45*374.00**1*726.00"]
    assert "CAS*PR*45*374.00" in reader.table.value and "CAS*CO*45" not in reader.table.value


def test_an_outcome_without_an_835_shows_why():
    reader = RemittanceReader(preset="botox-underarm-sweating")
    data = reader.explorer.scenario.to_dict()
    data["service"]["charge"] = 0.0
    data["diagnoses"] = ["Z41.1"]
    from medspa_kit.model import Scenario

    reader.explorer.state.reset(Scenario.from_dict(data), note="a $0 cosmetic line")
    assert reader.text == ""
    assert "No 835:" in reader.table.value and "$0.00 line denied" in reader.table.value
