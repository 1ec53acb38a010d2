"""How fast is ``evaluate_frame``, against ``evaluate`` one row at a time, and how much memory?

Prints (a benchmark, not a timed test):
- rows per second of ``evaluate_frame`` for 10,000, 100,000 and 1,000,000 rows (median of
  repeats in wall and CPU time, and the first call), on a typed table and on the same table
  read back as text;
- the scalar path per row in the same run: ``evaluate(dict)`` and ``evaluate(Scenario)`` on a
  sample of the same scenarios, and the ratio of the two paths per row in CPU time (goal: batch
  ≥ 200× per row);
- the peak memory of one 1,000,000-row call (tracemalloc) and of the process (max RSS);
- agreement: every row timed is compared with ``evaluate`` on the same scenario.

The first table is 10,000 seeded version 1 scenarios from ``tests/scenario_factory.py`` (every
check and cost branch; payers, Original Medicare, criteria lists; a history of one to three
earlier services on 5 % of rows, as in a clinic's export) repeated to the size wanted; goals: 1,000,000 rows in ≤ 2 s, ≥ 200× the
scalar path per row. The second is 10,000 seeded claims of 1 to 6 lines (one row per line, a
``claim_id``), repeated; goals: 1,000,000 lines in ≤ 1 s, ≥ 200× the scalar path per line.
Run: python benchmarks/bench_batch.py [--quick]
"""

from __future__ import annotations

import io
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from medspa_kit import evaluate, evaluate_frame  # noqa: E402
from medspa_kit.columns import DOLLAR_COLUMNS, RESULT_COLUMNS, outcome_to_row, scenarios_to_frame  # noqa: E402
from medspa_kit.model import Scenario  # noqa: E402
from tests.scenario_factory import ScenarioFactory  # noqa: E402

UNIQUE = 10_000
SCALAR_SAMPLE = 2_000


def timed(call, repeats: int) -> tuple[float, float, float]:
    """(first call, median of the following calls, median CPU time of the following calls), seconds.

    Other work shares this machine: the CPU time of this process is the steadier figure.
    """
    wall, cpu = [], []
    for _ in range(repeats + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall[0], statistics.median(wall[1:]), statistics.median(cpu[1:])


def as_cents(frame: pd.DataFrame) -> pd.DataFrame:
    """Result columns made comparable: dollars as whole cents, every empty cell as None."""
    out = frame[list(RESULT_COLUMNS)].astype(object)
    for name in DOLLAR_COLUMNS:
        out[name] = [None if v is None or v != v else round(v * 100) for v in out[name]]
    return out.where(out.notna(), None)


def main() -> None:
    quick = "--quick" in sys.argv
    sizes = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]
    items = ScenarioFactory(seed=7, histories="rare").batch(UNIQUE, 0)
    typed = scenarios_to_frame(items)
    text = pd.read_csv(io.StringIO(typed.to_csv(index=False)), dtype=str, keep_default_na=False)

    # The scalar path, in this run, on a sample of the same scenarios.
    sample = items[:SCALAR_SAMPLE]
    parsed = [Scenario.from_dict(d) for d in sample]
    for d in sample[:200]:
        evaluate(d)
    _, from_dict, from_dict_cpu = timed(lambda: [evaluate(d) for d in sample], 7)
    _, from_scenario, from_scenario_cpu = timed(lambda: [evaluate(s) for s in parsed], 7)
    per_dict, per_scenario = from_dict_cpu / len(sample), from_scenario_cpu / len(sample)
    expected = as_cents(pd.DataFrame([outcome_to_row(evaluate(d)) for d in items]))

    print(f"scalar evaluate(dict):      {per_dict * 1e6:7.1f} µs CPU per row ({from_dict / len(sample) * 1e6:.1f} µs "
          f"wall; {len(sample):,} rows, median of 7)")
    print(f"scalar evaluate(Scenario):  {per_scenario * 1e6:7.1f} µs CPU per row ({from_scenario / len(sample) * 1e6:.1f}"
          " µs wall)")
    print()
    print(f"{'rows':>10} {'table':>6} {'first s':>8} {'median s':>9} {'CPU s':>7} {'rows/s':>11} {'x dict':>7}"
          f" {'x Scenario':>10} {'agree':>6}")
    for n in sizes:
        tile = np.resize(np.arange(UNIQUE), n)
        for name, base in (("typed", typed), ("text", text)):
            frame = base.iloc[tile].reset_index(drop=True)
            evaluate_frame(frame.iloc[:1000])
            repeats = 7
            first, median, cpu = timed(lambda: evaluate_frame(frame), repeats)
            got = as_cents(evaluate_frame(frame))
            agree = got.equals(expected.iloc[tile].reset_index(drop=True))
            per_row = cpu / n
            print(f"{n:>10,} {name:>6} {first:>8.3f} {median:>9.3f} {cpu:>7.3f} {n / cpu:>11,.0f}"
                  f" {per_dict / per_row:>7.0f} {per_scenario / per_row:>10.0f} {'yes' if agree else 'NO':>6}")
            del frame, got

    claims_table(sizes)

    n = sizes[-1]
    frame = typed.iloc[np.resize(np.arange(UNIQUE), n)].reset_index(drop=True)
    tracemalloc.start()
    evaluate_frame(frame)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    table_mb = frame.memory_usage(deep=True).sum() / 2**20
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"peak memory of one {n:,}-row call: {peak / 2**20:,.0f} MiB traced (the typed table itself: "
          f"{table_mb:,.0f} MiB); process max RSS {rss_mb:,.0f} MiB")
    print("goals: 1,000,000 rows in <= 2 s; >= 200x the scalar path per row")


def claims_table(sizes: list[int]) -> None:
    """Claims with lines: one row per line, the scalar path per line (a claim's time / its lines)."""
    items = ScenarioFactory(seed=5, histories="rare").claims(UNIQUE, 0)
    typed = scenarios_to_frame(items)
    lines_per_claim = len(typed) / UNIQUE
    sample = items[:SCALAR_SAMPLE]
    for d in sample[:200]:
        evaluate(d)
    _, _, cpu = timed(lambda: [evaluate(d) for d in sample], 5)
    per_line = cpu / len(sample) / lines_per_claim
    expected = as_cents(pd.DataFrame([outcome_to_row(o, k) for o in map(evaluate, items) for k in range(len(o.lines))]))
    print()
    print(f"claims with lines: {len(typed):,} lines in {UNIQUE:,} claims ({lines_per_claim:.2f} a claim); scalar "
          f"evaluate(dict) {per_line * 1e6:.1f} µs CPU per line")
    print(f"{'lines':>10} {'claims':>8} {'first s':>8} {'median s':>9} {'CPU s':>7} {'lines/s':>11} {'x dict':>7}"
          f" {'agree':>6}")
    for n in sizes:
        copies = -(-n // len(typed))
        frame = pd.concat([typed.assign(claim_id=typed["claim_id"] + k * UNIQUE) for k in range(copies)],
                          ignore_index=True).iloc[:n]
        # cut on a claim's edge, so every claim of the table is whole
        frame = frame[frame["claim_id"] < frame["claim_id"].iat[-1]]
        evaluate_frame(frame.iloc[:1000])
        first, median, cpu = timed(lambda: evaluate_frame(frame), 5)
        got = as_cents(evaluate_frame(frame))
        tile = np.resize(np.arange(len(typed)), len(frame))
        agree = got.equals(expected.iloc[tile].reset_index(drop=True))
        per = cpu / len(frame)
        print(f"{len(frame):>10,} {frame['claim_id'].nunique():>8,} {first:>8.3f} {median:>9.3f} {cpu:>7.3f}"
              f" {len(frame) / cpu:>11,.0f} {per_line / per:>7.0f} {'yes' if agree else 'NO':>6}")
    print("goals: 1,000,000 lines in <= 1 s; >= 200x the scalar path per line")


if __name__ == "__main__":
    main()
