"""Every public function and method reads text and numbers of a subclass as the plain value they hold.

docs/api.md promises it: an argument that is an instance of a subclass of ``str``, ``int`` or
``float`` is read as the text or number it holds, never through a method of the subclass (its
``strip``, ``__str__``, ``__len__`` or ``__eq__`` may fail or say something else). Each public
callable's valid call (tests/test_public_arguments.py) is made again with each text and number
argument swapped for an instance of a subclass holding the same value whose every method fails:
the call must give the same answer, and what it returns must not keep the subclass (its ``repr``
must still work).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from .test_public_arguments import all_specs, specs  # noqa: F401 - (the fixture)

# What Python itself needs of an object; every other method and attribute of the subclass fails.
_NEEDED = {"__new__", "__init__", "__class__", "__getattribute__", "__setattr__", "__delattr__", "__init_subclass__",
           "__subclasshook__", "__reduce__", "__reduce_ex__", "__getnewargs__", "__sizeof__", "__dir__",
           "__getstate__", "__doc__"}


def _fails(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("a method of the subclass was used")


def _hostile(base: type) -> type:
    namespace = {name: _fails if callable(getattr(base, name)) else property(_fails)
                 for name in dir(base) if name not in _NEEDED}
    return type(f"Hostile{base.__name__.title()}", (base,), namespace)


HOSTILE = {kind: _hostile(kind) for kind in (str, int, float)}

# the public callables whose valid call has a text or number argument
NAMES = sorted(name for name, (_, valid) in specs(Path(tempfile.mkdtemp(prefix="specs"))).items()
               if any(type(value) in HOSTILE for value in valid.values()))


def _answer(result: Any) -> str:
    """What the call answered, as text (a function it holds named without its address)."""
    shown = repr(result.to_dict()) if hasattr(result, "to_dict") and not hasattr(result, "columns") else repr(result)
    return re.sub(r" at 0x[0-9a-f]+>", ">", shown)


@pytest.mark.parametrize("name", NAMES)
def test_text_and_numbers_of_a_subclass_are_the_values_they_hold(name: str, all_specs: dict, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a text given as a file name writes here, never into the repository
    fn, valid = all_specs[name]
    swapped = [p for p, v in valid.items() if type(v) in HOSTILE]
    expected = _answer(fn(**valid))
    for parameter in swapped:
        value = HOSTILE[type(valid[parameter])](valid[parameter])
        try:
            got = _answer(fn(**{**valid, parameter: value}))
        except Exception as err:  # noqa: BLE001 - the point: the same answer as the plain value gives
            pytest.fail(f"{name}({parameter}=<a subclass holding {valid[parameter]!r}>): {type(err).__name__}: {err}")
        assert got == expected, (name, parameter)


def test_the_sweep_reaches_the_public_callables_with_text_or_numbers():
    # 107 public callables had a text or number argument in their valid call when this was written
    assert len(NAMES) >= 100


def test_entries_of_lists_and_dicts_of_a_subclass_are_the_values_they_hold():
    from medspa_kit import preset, year

    text, number = HOSTILE[str], HOSTILE[int]
    plain = year.patient_options(["ppo-standard", "hdhp-hsa"])
    assert repr(year.patient_options([text("ppo-standard"), text("hdhp-hsa")])) == repr(plain)
    scenario = preset("botox-underarm-sweating")
    key = type("HostileKey", (text,), {"__hash__": str.__hash__, "__eq__": str.__eq__})  # (a dict must hash it)
    changed = scenario.with_changes({key("service.charge"): number(900)})
    assert changed.to_json() == scenario.with_changes({"service.charge": 900}).to_json()


def test_items_of_tuples_in_list_arguments_are_the_values_they_hold(tmp_path):
    from medspa_kit import default_catalog, evaluate, preset
    from medspa_kit.edi import claim_837p, write_edi_files
    from medspa_kit.lessons import outcomes_table
    from medspa_kit.ui import PlanYearExplorer

    text = HOSTILE[str]
    scenario = preset("botox-underarm-sweating")
    assert repr(outcomes_table([(text("A"), scenario)])) == repr(outcomes_table([("A", scenario)]))
    claim = claim_837p(evaluate(scenario))
    write_edi_files([(text(str(tmp_path / "a.837")), text(claim), text("--claim"))])
    assert (tmp_path / "a.837").read_text(encoding="utf-8") == claim
    explorer = PlanYearExplorer(plans=(text("ppo-standard"), "hdhp-hsa"), charts=False)
    assert explorer.plan_picker.value == ("ppo-standard", "hdhp-hsa")  # (plain texts: nothing kept of the subclass)
    assert all(type(plan) is str for plan in explorer.plan_picker.value)
    assert explorer.table.value == PlanYearExplorer(plans=("ppo-standard", "hdhp-hsa"), charts=False).table.value
    catalog = default_catalog()
    assert catalog.cite((text("plans.csv row 2"),), (text("aetna-cpb-0113"),)) == catalog.cite(
        ("plans.csv row 2",), ("aetna-cpb-0113",))


def test_keyword_names_of_a_subclass_and_numpy_texts_are_plain():
    import numpy as np

    from medspa_kit import clinic, ui

    visits = clinic.load_visits().head(20)
    # a name that hashes and compares as "lead_months" but says another name in every other way
    name = type("LyingName", (str,), {"__hash__": str.__hash__, "__eq__": str.__eq__,
                                      "__str__": lambda self: "admin_cost_per_claim"})
    assert repr(clinic.compare(visits, **{name("lead_months"): 3}).totals) == repr(
        clinic.compare(visits, lead_months=3).totals)
    question = ui.engine_question("p", "botox-underarm-sweating", "decision", [np.str_("covered"), "denied"])
    assert [type(choice) for choice in question.choices] == [str, str]


def test_lessons_and_report_show_decimals_and_fractions_as_the_numbers_they_hold():
    from decimal import Decimal
    from fractions import Fraction

    from medspa_kit import lessons, report

    shown = lessons.show_value
    assert shown("plan.deductible", Decimal("800")) == shown("plan.deductible", 800) == "$800.00"
    assert shown("plan.coinsurance", Fraction(3, 10)) == shown("plan.coinsurance", 0.3) == "0.3"
    assert list(lessons.vary("botox-underarm-sweating", "plan.coinsurance", [Fraction(3, 10)]).index) == [
        "plan.coinsurance = 0.3"]
    assert report.dollar_ticks([0, Decimal("1500")]) == report.dollar_ticks([0, Fraction(1500)]) == ["$0", "$1,500"]
    table = pd.DataFrame({"x": [1.5]})
    assert report.dollars_table(table, [HOSTILE[str]("x")]).equals(report.dollars_table(table, ["x"]))
