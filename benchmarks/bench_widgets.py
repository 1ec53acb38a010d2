"""Kernel-side latency of the widgets, and how long each notebook takes to execute.

Prints medians (not a timed test):
- explorer: time from setting a control's value to the re-evaluated, re-rendered outcome
  (goal <= 30 ms);
- comparison: one edit of one column, table re-rendered (chart off and on);
- each notebook executed top to bottom in a fresh kernel, on a temporary copy (goal <= 15 s each).

Run: python benchmarks/bench_widgets.py
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_ms(action, repeats: int = 41) -> float:
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    from medspa_kit.ui.compare import CompareScenarios
    from medspa_kit.ui.explorer import ScenarioExplorer

    ex = ScenarioExplorer(preset="botox-underarm-sweating")
    codes = ["Z41.1", "L74.510"]

    def flip_diagnosis(i: int) -> None:
        ex.controls["diagnoses"].value = codes[i % 2]
        assert ex.outcome.scenario.diagnoses == (codes[i % 2],)

    def flip_network(i: int) -> None:
        ex.controls["facility.participating"].value = bool(i % 2)

    print(f"explorer, diagnosis flip -> new outcome shown: {median_ms(flip_diagnosis):.2f} ms median (goal <= 30 ms)")
    print(f"explorer, network flip -> new outcome shown:   {median_ms(flip_network):.2f} ms median")

    for chart in (False, True):
        cmp = CompareScenarios(["botox-forehead-lines", "botox-underarm-sweating", "out-of-network-ppo"], chart=chart)
        cmp.column.value, cmp.field.value = 0, "documentation.waiver_signed"

        def edit(i: int) -> None:
            cmp.value.value = "true" if i % 2 else "false"
            cmp.apply_button.click()

        label = "with chart" if chart else "table only"
        print(f"comparison, one edit ({label}):               {median_ms(edit, 15):.2f} ms median")

    from medspa_kit._notebooks import run

    with tempfile.TemporaryDirectory() as folder:
        for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
            copy = Path(folder) / notebook.name
            shutil.copy(notebook, copy)
            seconds = run(copy)
            print(f"{notebook.name:40} executed in {seconds:5.1f} s (goal <= 15 s)")


if __name__ == "__main__":
    main()
