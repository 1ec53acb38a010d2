"""Every widget that takes ``catalog=`` refuses something that is not a catalog, naming it, at
construction (not an AttributeError at first use)."""

from __future__ import annotations

import pytest

from medspa_kit.errors import ScenarioError
from medspa_kit.ui.compare import CompareScenarios
from medspa_kit.ui.payments import PaymentPicker
from medspa_kit.ui.tools import ClientFiles, CodeChecker
from medspa_kit.ui.clinic import ClinicDecision
from medspa_kit.ui.explorer import ScenarioExplorer
from medspa_kit.ui.year import PlanYearExplorer

WIDGETS = [
    lambda catalog: PlanYearExplorer(catalog=catalog, charts=False),
    lambda catalog: PaymentPicker(catalog=catalog),
    lambda catalog: CompareScenarios(["botox-forehead-lines"], catalog=catalog),
    lambda catalog: CodeChecker(catalog=catalog),
    lambda catalog: ClientFiles(lambda cat: None, catalog=catalog),
    lambda catalog: ScenarioExplorer(catalog=catalog),
    lambda catalog: ClinicDecision(catalog=catalog, charts=False),
]


@pytest.mark.parametrize("make", WIDGETS, ids=["year", "payments", "compare", "code-checker", "client-upload", "explorer", "clinic"])
@pytest.mark.parametrize("catalog,kind", [(5, "int"), ("datasets", "str")])
def test_a_catalog_that_is_not_one_is_refused_naming_it(make, catalog, kind):
    with pytest.raises(ScenarioError, match=rf"^catalog: expected a Catalog \(load one with .*\), got {kind}$"):
        make(catalog)
