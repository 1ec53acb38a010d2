"""The core stays light: no ICD code set, widgets or plotting at import or for catalog codes."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("simple_icd_10_cm", "ipywidgets", "matplotlib", "x12sdk", "pyx12", "dask", "distributed")


def _loaded_after(code: str) -> list[str]:
    script = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd="/")
    return out.stdout.split()


def test_import_loads_no_heavy_module():
    assert _loaded_after("import medspa_kit") == []


def test_evaluating_catalog_scenarios_loads_no_heavy_module():
    code = ("from medspa_kit import evaluate, preset, preset_names\n"
            "for name in preset_names(): evaluate(preset(name))")
    assert _loaded_after(code) == []


def test_a_code_outside_the_catalog_loads_the_code_set_only():
    code = ("import copy, json\nfrom medspa_kit import evaluate, preset\n"
            "d = preset('botox-underarm-sweating').to_dict(); d['diagnoses'] = ['L30.9']\nevaluate(d)")
    assert _loaded_after(code) == ["simple_icd_10_cm"]


def test_a_plan_year_and_a_member_batch_load_no_heavy_module():
    code = ("from medspa_kit.year import preset_course, run_year\nrun_year(preset_course('chronic-migraine-every-12-weeks'))\n"
            "from medspa_kit.members import evaluate_members\nfrom medspa_kit.clinic import compare, load_visits\n"
            "compare(load_visits())")
    assert _loaded_after(code) == []
