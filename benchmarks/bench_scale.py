"""The batch on Dask at payer scale: 20,000,000 claim lines from Parquet on this machine.

Prints (a benchmark, not a timed test):
- rows per second of ``medspa-kit batch FOLDER -o OUT.parquet --engine dask --workers 2`` (the
  ``run_dask`` behind it) over the whole input, wall time from the first file read to the output
  folder renamed into place;
- the peak memory (max RSS) of each process: the two workers, and this process (the client and
  the scheduler); measured again on a quarter of the input, to show that it does not grow with the
  input (each file is one partition, so it is bounded by the file, not by the input);
- the single-process path over the same files (``run_batch``, the pandas engine, file after file)
  and the ratio of the two rates.

The input is 10,000 seeded claims of 1 to 6 lines from ``tests/scenario_factory.py`` (clinic-like
histories), repeated with new claim ids into files of 500,000 lines; it is generated once into
``/tmp/medspa-scale`` (not into the repository) and reused by later runs.
Run: python benchmarks/bench_scale.py [--lines N] [--workers N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FOLDER = Path("/tmp/medspa-scale")
FILE_LINES = 500_000


def generate(lines: int) -> list[Path]:
    """Files of about ``FILE_LINES`` lines each (cut at a claim's end), at least ``lines`` in all, in
    ``FOLDER/input-N``; reused when present."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from medspa_kit.columns import scenarios_to_frame
    from tests.scenario_factory import ScenarioFactory

    folder = FOLDER / f"input-{lines}"
    done = folder / "complete"
    if done.is_file():
        return sorted(folder.glob("*.parquet"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    pool = scenarios_to_frame(ScenarioFactory(seed=2026, histories="rare").claims(10_000, 0))
    pool["claim_id"] = pool["claim_id"].astype("int64")
    copies = -(-FILE_LINES // len(pool))
    block = pd.concat([pool] * copies, ignore_index=True)
    block["claim_id"] = block["claim_id"].to_numpy() + (block.index.to_numpy() // len(pool)) * 1_000_000
    ids = block["claim_id"].to_numpy()
    ends = np.flatnonzero(ids[1:] != ids[:-1]) + 1  # where a claim starts
    block = block.iloc[: int(ends[ends <= FILE_LINES][-1])]
    table = pa.Table.from_pandas(block, preserve_index=False)
    column = table.schema.get_field_index("claim_id")
    files = []
    for i in range(-(-lines // len(block))):
        path = folder / f"claims-{i:04d}.parquet"
        shifted = pc.add(table.column("claim_id"), pa.scalar(i * 1_000_000_000, pa.int64()))
        pq.write_table(table.set_column(column, "claim_id", shifted), path)
        files.append(path)
    done.write_text("")
    return files


def dask_run(files: list[Path], workers: int) -> tuple[float, int, list[int], int]:
    """(seconds, rows, each worker's peak RSS in MB, this process's peak RSS in MB)."""
    from distributed import Client, LocalCluster

    from medspa_kit.batch_dask import run_dask
    from medspa_kit.cli_batch import Summary

    target = FOLDER / "out-dask.parquet"
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        start = time.perf_counter()
        summary = run_dask(files, target, Summary, workers=workers, cluster=cluster, quiet=True)
        seconds = time.perf_counter() - start
        with Client(cluster) as client:
            peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    shutil.rmtree(target, ignore_errors=True)
    mine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return seconds, summary.rows, [kb // 1024 for kb in peaks.values()], mine // 1024


def single(files: list[Path], queue) -> None:
    """The pandas engine, file after file, in a fresh process (so its peak RSS is its own)."""
    from medspa_kit.cli_batch import run_batch

    start, rows = time.perf_counter(), 0
    for path in files:
        target = FOLDER / "out-single.parquet"
        rows += run_batch(path, target, quiet=True).rows
        target.unlink()
    queue.put((time.perf_counter() - start, rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024))


def single_run(files: list[Path]) -> tuple[float, int, int]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=single, args=(files, queue))
    process.start()
    answer = queue.get()
    process.join()
    return answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=20_000_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    start = time.perf_counter()
    files = generate(args.lines)
    print(f"input: {len(files)} Parquet files of up to {FILE_LINES:,} lines in {files[0].parent} "
          f"({sum(p.stat().st_size for p in files) / 1e6:,.0f} MB; ready in {time.perf_counter() - start:,.0f} s)")
    quarter = files[: max(1, len(files) // 4)]
    for label, chosen in (("a quarter of the input", quarter), ("the whole input", files)):
        seconds, rows, workers, client = dask_run(chosen, args.workers)
        print(f"dask, {args.workers} workers, {label}: {rows:,} lines in {seconds:,.1f} s = {rows / seconds:,.0f} "
              f"lines/s; peak RSS per worker {', '.join(f'{mb:,} MB' for mb in workers)}; "
              f"client and scheduler {client:,} MB")
    dask_rate = rows / seconds
    one_seconds, one_rows, one_peak = single_run(files)
    print(f"single process (pandas engine, file after file): {one_rows:,} lines in {one_seconds:,.1f} s = "
          f"{one_rows / one_seconds:,.0f} lines/s; peak RSS {one_peak:,} MB")
    print(f"dask / single process: {dask_rate / (one_rows / one_seconds):.2f}x")


if __name__ == "__main__":
    main()
