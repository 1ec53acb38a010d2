"""How fast is one explained evaluation, and how heavy is the import?

Prints medians (not a timed test):
- one ``evaluate`` of a Scenario with the full trace and next steps (goal ≤ 0.5 ms);
- ``import medspa_kit`` in a fresh interpreter, as a ratio to ``import pandas`` (goal ≤ 1.2×);
- the cold start a notebook pays: import, load the catalog, evaluate one preset, as the same ratio.

Run: python benchmarks/bench_evaluate.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def fresh(code: str, repeats: int = 9) -> float:
    """Median wall time of ``python -c code`` minus an empty interpreter's start-up."""
    def once(snippet: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", snippet], check=True)
        return time.perf_counter() - start

    base = statistics.median(once("pass") for _ in range(repeats))
    return statistics.median(once(code) for _ in range(repeats)) - base


def main() -> None:
    from medspa_kit import evaluate, preset, preset_names

    scenarios = [preset(name) for name in preset_names()]
    for s in scenarios:  # warm the catalog and caches
        evaluate(s)
    per_call = []
    for _ in range(15):
        start = time.perf_counter()
        for s in scenarios:
            outcome = evaluate(s)
            assert outcome.trace and outcome.next_steps is not None
        per_call.append((time.perf_counter() - start) / len(scenarios))
    median_ms = statistics.median(per_call) * 1000
    dicts = [s.to_dict() for s in scenarios]
    per_dict = []
    for _ in range(15):
        start = time.perf_counter()
        for d in dicts:
            evaluate(d)
        per_dict.append((time.perf_counter() - start) / len(dicts))

    pandas_s = fresh("import pandas")
    kit_s = fresh("import medspa_kit")
    cold_s = fresh("from medspa_kit import evaluate, preset; evaluate(preset('botox-underarm-sweating'))")

    print(f"evaluate(Scenario) with trace:   {median_ms:.3f} ms median over {len(scenarios)} presets x 15 "
          f"(goal <= 0.5 ms: {'met' if median_ms <= 0.5 else 'NOT met'})")
    print(f"evaluate(dict) incl. parsing:    {statistics.median(per_dict) * 1000:.3f} ms median")
    print(f"import pandas:                   {pandas_s * 1000:.0f} ms")
    print(f"import medspa_kit:               {kit_s * 1000:.0f} ms = {kit_s / pandas_s:.2f}x import pandas "
          f"(goal <= 1.2x: {'met' if kit_s <= 1.2 * pandas_s else 'NOT met'})")
    print(f"cold start (import + catalog + one evaluate): {cold_s * 1000:.0f} ms = {cold_s / pandas_s:.2f}x "
          "import pandas")


if __name__ == "__main__":
    main()
