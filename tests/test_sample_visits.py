"""datasets/sample_visits.csv: a synthetic, reproducible, valid year of visits to one clinic."""

from __future__ import annotations

import importlib.util

import pandas as pd
import pytest

from medspa_kit import evaluate_frame
from medspa_kit.catalog import default_catalog

FOLDER = default_catalog().folder


@pytest.fixture(scope="module")
def visits():
    return pd.read_csv(FOLDER / "sample_visits.csv", dtype=str, keep_default_na=False)


def test_the_generator_writes_the_same_bytes():
    path = FOLDER / "generators" / "make_sample_visits.py"
    if not path.is_file():
        pytest.skip("the generators are not installed with the package")
    spec = importlib.util.spec_from_file_location("make_sample_visits", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render(module.visits(default_catalog())) == (FOLDER / "sample_visits.csv").read_text(
        encoding="utf-8")


def test_a_year_of_valid_visits_with_its_source(visits):
    assert len(visits) >= 5000
    assert visits["date_of_service"].min() >= "2026-01-01" and visits["date_of_service"].max() <= "2026-12-31"
    assert visits["visit_id"].is_unique
    assert visits["source"].str.startswith("illustrative").all()
    out = evaluate_frame(visits)
    assert out.attrs["errors"] == 0


def test_a_mix_of_cosmetic_and_medical_services_plans_and_clinicians(visits):
    cat = default_catalog()
    ids = visits["service.code"].map(lambda code: cat.procedure(code).id)
    cosmetic = ids.map(lambda i: cat.procedures[i].cosmetic_by_default)
    assert 0.4 < cosmetic.mean() < 0.8
    # every plan a patient picks (Medicare's included), not a Medicaid program's own plan (payers.csv)
    from medspa_kit.year import holdable_plans
    assert set(visits["plan_id"]) == set(holdable_plans(medicare_eligible=True))
    assert set(visits["provider.type"]) == {"MD", "DO", "NP", "PA", "RN", "aesthetician"}
    assert visits["insurer"].nunique() >= 3
    # Regulars come back: some have a last treatment on record, for the frequency rule.
    assert (visits["accumulators.last_treatment"] != "").mean() > 0.3
