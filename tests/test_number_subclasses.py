"""A number of a subclass of ``int`` or ``float`` is read as the plain number it holds in every
face, without any method of the subclass: its ``repr``, ``str``, ``__format__``, ``__int__``,
``__float__`` or ``__index__`` may fail or say another number (a test double, a units library,
a lying class). Before, claim and member ids were read through ``__int__`` (two claims merged,
other dollars, no error), messages through ``__format__`` (tracebacks), and a scenario refused a
good number whose ``repr`` fails."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from medspa_kit import clinic, edi, evaluate, lessons, preset
from medspa_kit.batch import evaluate_frame
from medspa_kit.members import evaluate_members
from medspa_kit.money import format_dollars
from medspa_kit.payments import limits_summary, membership


class Boom(float):
    """Every method that reads or shows it fails."""

    def __float__(self):
        raise RuntimeError("a method of the subclass was used")

    __repr__ = __str__ = __format__ = __int__ = __float__


class BoomInt(int):
    def __int__(self):
        raise RuntimeError("a method of the subclass was used")

    __repr__ = __str__ = __format__ = __float__ = __index__ = __int__


class LieInt(int):
    """Says 999 (or '42') whatever it holds."""

    def __int__(self):
        return 999

    __index__ = __int__

    def __str__(self):
        return "42"

    __repr__ = __str__


# Underarm sweating (64650), in network, PPO: allowed $420 (the fee schedule), $1,500 deductible
# with $1,200 met, 20 %: $300 of deductible + 20 % of $120 = $324.00 for the patient.
ROW = {"claim_id": "C1", "line.code": "64650", "line.charge": 1100.0, "line.fee_schedule": 420.0,
       "date_of_service": "2026-03-02", "diagnoses": "L74.510", "plan.type": "PPO", "plan.deductible": 1500,
       "plan.coinsurance": 0.2, "plan.oop_max": 5000, "accumulators.deductible_met": 1200,
       "accumulators.oop_met": 1200, "documentation.prior_auth": True, "documentation.criteria_documented": True,
       "provider.type": "NP", "provider.npi": "1593027489", "provider.credentialed": True,
       "facility.kind": "medical_clinic", "facility.credentialed": True, "facility.participating": True}


def _table(**cells) -> pd.DataFrame:
    rows = [dict(ROW, **{name: values[i] for name, values in cells.items()}) for i in range(len(next(iter(
        cells.values()))))]
    return pd.DataFrame(rows, dtype=object)


def test_claim_and_member_ids_are_the_numbers_they_hold():
    two = _table(claim_id=[LieInt(1), LieInt(2)])  # two claims, not one claim "999" of two lines
    assert evaluate_frame(two)["patient_pays"].tolist() == [324.0, 324.0]
    members = _table(claim_id=["A", "B"], member_id=[LieInt(1), LieInt(2)])  # two members: $1,200 met each
    assert evaluate_members(members)["patient_pays"].tolist() == [324.0, 324.0]
    for name, value in (("claim_id", BoomInt(7)), ("claim_id", Boom(5.0)), ("member_id", BoomInt(5))):
        table = _table(**{name: [value]})
        out = evaluate_members(table) if name == "member_id" else evaluate_frame(table)
        assert out["patient_pays"].tolist() == [324.0]


def test_amount_cells_are_the_numbers_they_hold():
    out = evaluate_frame(_table(**{"line.charge": [Boom(float("inf")), Boom(1100.0)]}, claim_id=["C1", "C2"]))
    assert out["error"].tolist()[0] == "lines[0].charge: inf is not a number"
    assert out["patient_pays"].tolist()[1] == 324.0


def test_a_history_list_holding_a_subclass_number_is_an_error_of_its_claim():
    first = _table(claim_id=["A", "B"], member_id=["m", "m"], date_of_service=["2026-03-02", "2026-05-04"])
    first["accumulators.history"] = pd.Series([[BoomInt(3)], ""], dtype=object)
    errors = evaluate_members(first)["error"].tolist()
    assert errors[0].startswith("accumulators.history[0]: 3 is not an earlier service")
    assert errors[1].startswith("accumulators.history[0]: ")  # B carries the history A gave: none can be read
    first["accumulators.history"] = pd.Series(["", [BoomInt(3)]], dtype=object)  # a later claim's: replaced
    out = evaluate_members(first)
    assert out["error"].isna().all()
    assert "accumulators.history: the cell's '<a list that cannot be shown>' is not read" in out["warning"].iat[1]


def test_scenarios_widgets_and_lessons_read_the_number_not_its_repr():
    from medspa_kit.ui import ScenarioExplorer

    data = preset("botox-underarm-sweating").model_dump(mode="json")
    data["service"]["charge"] = 1100.0
    expected = evaluate(data).to_dict()["cost"]
    data["service"]["charge"] = Boom(1100.0)
    assert evaluate(data).to_dict()["cost"] == expected
    explorer = ScenarioExplorer(show_trace=False)
    assert explorer.set("plan.coinsurance", Boom(0.3)) is True
    assert explorer.state.scenario.plan.coinsurance == 0.3
    table = lessons.vary(preset("botox-underarm-sweating"), "plan.coinsurance", [Boom(0.1), Boom(0.3)])
    assert list(table.index) == ["plan.coinsurance = 0.1", "plan.coinsurance = 0.3"]


def test_payments_money_and_clinic_write_the_number_they_read():
    # $99 a month with $50 of credit and 10 % off: breaks even where 99 + 0.9 (S − 50) = S, S = $540,
    # two visits at $300 (540 / 300 rounded up)
    assert membership(99.0, 0.1, 50.0, Boom(300.0)).explanation == \
        "breaks even at $540.00 of services a month (2 visits at $300.00)"
    assert limits_summary(LieInt(2026)) == limits_summary(2026)
    assert format_dollars(Boom(1234.5)) == "$1,234.50" and format_dollars(LieInt(5)) == "$5.00"
    visits, base = clinic.load_visits(), clinic.default_assumptions()
    for parameter, values, shown in (("cash_uptake", [Boom(0.1)], [0.1]), ("cash_uptake", [Fraction(1, 10)], [0.1]),
                                     ("lead_months", [BoomInt(3)], [3])):
        table = clinic.sensitivity(visits, parameter, values, base)
        assert sorted(set(table["value"])) == shown and {type(v) for v in table["value"]} == {type(shown[0])}


def test_an_835_names_the_claim_by_the_number_it_holds():
    outcome = evaluate(preset("botox-underarm-sweating"))
    text = edi.remittance_835([(LieInt(3), outcome)])
    assert [s.split("*")[1] for s in text.split("~") if s.strip().startswith("CLP")] == ["3"]
    assert "CLP*3*" in edi.remittance_835([(BoomInt(3), outcome)])


@pytest.mark.parametrize("value", [Boom(float("nan")), LieInt(1)], ids=["nan", "one"])
def test_unwrapped_reads_no_method_of_the_subclass(value):
    from medspa_kit.arguments import unwrapped

    plain = unwrapped(value)
    assert type(plain) in (int, float)
    assert plain != plain or plain == 1


def test_a_box_given_a_number_from_code_reads_the_number_not_its_str():
    from medspa_kit.ui.state import parse_field

    assert parse_field("service.charge", LieInt(1100)) == 1100  # not '42'
    assert parse_field("plan.coinsurance", Boom(0.3)) == 0.3


class NumpyItemLies(np.float64):
    """A numpy float whose own ``item``, ``repr`` and ``str`` say 7."""

    def item(self, *args):
        return 7.0

    def __repr__(self):
        return "7.0"

    __str__ = __repr__


class ReprLies(float):
    def __repr__(self):
        return "7.0"

    __str__ = __repr__

    def __mul__(self, other):
        return 0.0

    __round__ = __rmul__ = __mul__


def test_a_subclass_of_a_numpy_number_is_the_number_it_holds():
    table = _table(claim_id=[NumpyItemLies(1.0), NumpyItemLies(2.0)],
                   **{"plan.deductible": [NumpyItemLies(1500.0)] * 2, "line.charge": [NumpyItemLies(1100.0)] * 2})
    assert evaluate_frame(table)["patient_pays"].tolist() == [324.0, 324.0]  # two claims, $420 allowed each
    members = _table(claim_id=["A", "B"], member_id=[NumpyItemLies(1.0), NumpyItemLies(2.0)])
    assert evaluate_members(members)["patient_pays"].tolist() == [324.0, 324.0]
    assert format_dollars(NumpyItemLies(1234.5)) == "$1,234.50"
    from medspa_kit.payments import installment
    from medspa_kit.ui.state import parse_field

    assert parse_field("service.charge", NumpyItemLies(1100.0)) == 1100.0
    assert installment(NumpyItemLies(3000.0), 0.3, 480).payment == 75.01  # as docs/cost.md works it
    scenario = preset("botox-underarm-sweating").with_changes({"plan.coinsurance": NumpyItemLies(0.2)})
    assert scenario.plan.coinsurance == 0.2
    outcome = evaluate(preset("botox-underarm-sweating"))
    text = edi.remittance_835([(NumpyItemLies(1.0), outcome), (NumpyItemLies(2.0), outcome)])
    assert [s.split("*")[1] for s in text.split("~") if s.strip().startswith("CLP")] == ["1", "2"]


def test_lessons_and_tax_messages_show_the_number_not_the_subclass_s_words():
    from medspa_kit.payments import check_limit

    assert lessons.show_value("plan.coinsurance", ReprLies(0.5)) == "0.5"
    assert lessons.show_value("service.charge", ReprLies(1100.0)) == "$1,100.00"
    assert lessons.headlines(preset("botox-underarm-sweating"), "plan.coinsurance", [ReprLies(0.5)])[0].startswith(
        "0.5: ")
    assert check_limit(5000.0, "hsa", LieInt(2026)) == check_limit(5000.0, "hsa", 2026)
    assert "the 2026 HSA limit" in check_limit(5000.0, "hsa", LieInt(2026))


def test_a_question_whose_own_function_fails_names_it():
    from medspa_kit.errors import ScenarioError
    from medspa_kit.ui import Question, Quiz

    with pytest.raises(ScenarioError, match="^answer: calling it failed: ZeroDivisionError: division by zero$"):
        Quiz([Question("p", ("a", "b"), lambda: 1 / 0)])
    with pytest.raises(ScenarioError, match="^premise: calling it failed: KeyError: 'x'$"):
        Question("p", ("a", "b"), lambda: "a", premise=lambda: {}["x"]).right_choice()
    with pytest.raises(ScenarioError, match="^explain: expected a text, got int$"):
        Question("p", ("a", "b"), lambda: "a", explain=lambda: 5).check("a")


class DecimalLies(Decimal):
    def __str__(self):
        return "777"

    __repr__ = __str__

    def __float__(self):
        return 777.0

    def __int__(self):
        return 777


class FractionBoom(Fraction):
    @property
    def numerator(self):
        raise RuntimeError("a method of the subclass was used")

    def __float__(self):
        raise RuntimeError("a method of the subclass was used")


class TextBoom(str):
    def __eq__(self, other):
        raise RuntimeError("a method of the subclass was used")

    __hash__ = str.__hash__


def test_decimal_fraction_and_text_subclasses_are_what_they_hold():
    from medspa_kit.payments import tax_savings
    from medspa_kit.ui import Question, Quiz

    assert tax_savings(DecimalLies("1000"), 0.22, 0.05).savings == 270.0  # 1,000 × (0.22 + 0.05)
    assert format_dollars(DecimalLies("1234.5")) == "$1,234.50" and format_dollars(FractionBoom(5, 2)) == "$2.50"
    outcome = evaluate(preset("botox-underarm-sweating"))
    text = edi.remittance_835([(DecimalLies("42"), outcome)])
    assert [s.split("*")[1] for s in text.split("~") if s.strip().startswith("CLP")] == ["42"]
    table = _table(claim_id=[DecimalLies("1"), FractionBoom(2)])
    assert evaluate_frame(table)["patient_pays"].tolist() == [324.0, 324.0]
    members = _table(claim_id=["A", "B"], member_id=[FractionBoom(5), DecimalLies("6")])
    assert evaluate_members(members)["patient_pays"].tolist() == [324.0, 324.0]
    Quiz([Question("Which?", ("A", "B"), lambda: TextBoom("A"))])
    assert Question("Which?", (TextBoom("A"), "B"), lambda: "A").check(TextBoom("A"))[0] is True
