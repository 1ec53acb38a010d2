"""``medspa-kit batch IN.csv -o OUT.csv``: adjudicate a file of scenarios, one per row (SPEC §7).

The file is read in chunks, so memory stays bounded however long it is; a progress bar goes to
stderr and a summary to stdout. Every input row comes out with its result columns after its
own columns; a row that is not a valid scenario gets its message in ``error`` and the batch goes
on. Parquet is read or written when a file name ends in ``.parquet`` (needs ``pyarrow``).

Exit codes: 0 every row evaluated; 1 some rows had errors (all others are in the output);
2 the file itself is unusable (unreadable, a required column missing, an unknown dotted column).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from .errors import ScenarioError

EXIT_ROW_ERRORS = 1
SHOW_ERRORS = 5


def register(subparsers: Any, commands: dict[str, Callable[[argparse.Namespace], int]]) -> None:
    p = subparsers.add_parser(
        "batch", help="adjudicate a CSV or Parquet file of scenarios, one per row",
        description="Adjudicate every row of IN (columns named by dotted scenario paths, e.g. service.code, "
                    "plan.oon.coinsurance; diagnoses joined with ';'). Writes each row with its results to "
                    "OUT. Exit 1 if some rows had errors (they are in OUT's error column), 2 if IN is unusable.")
    p.add_argument("input", metavar="IN.csv", help="scenarios, one per row (.csv or .parquet)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.csv", help="results (.csv or .parquet)")
    p.add_argument("--chunk-size", type=int, default=100_000, metavar="ROWS",
                   help="rows read and evaluated at a time (default 100000)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    commands["batch"] = cmd_batch


@dataclass
class Summary:
    """What a batch run found; money in cents."""

    rows: int = 0
    decisions: dict[str, int] = field(default_factory=lambda: {"covered": 0, "denied": 0, "not_billable": 0})
    errors: int = 0
    patient_pays: int = 0
    plan_pays: int = 0
    first_errors: list[str] = field(default_factory=list)

    def add(self, results: Any, first_row: int) -> None:
        import numpy as np

        self.rows += len(results)
        counts = results["decision"].value_counts()
        for name in self.decisions:
            self.decisions[name] += int(counts.get(name, 0))
        failed = results["error"].notna().to_numpy()
        self.errors += int(failed.sum())
        for position in np.flatnonzero(failed)[: SHOW_ERRORS - len(self.first_errors)]:
            self.first_errors.append(f"row {first_row + position}: {results['error'].iat[position]}")
        for name in ("patient_pays", "plan_pays"):
            cents = np.rint(results[name].to_numpy(dtype=float, na_value=0.0) * 100).astype(np.int64)
            setattr(self, name, getattr(self, name) + int(cents.sum()))

    def unreadable(self, lines: list[str]) -> None:
        self.errors += len(lines)
        self.first_errors += lines[: SHOW_ERRORS - len(self.first_errors)]

    def lines(self) -> list[str]:
        out = [f"rows            {self.rows:>12,}"]
        out += [f"{name.replace('_', ' '):<16}{count:>12,}" for name, count in self.decisions.items()]
        out.append(f"errors          {self.errors:>12,}")
        out.append(f"patient pays    {'$' + format(self.patient_pays / 100, ',.2f'):>16}")
        out.append(f"plan pays       {'$' + format(self.plan_pays / 100, ',.2f'):>16}")
        return out


def cmd_batch(args: argparse.Namespace) -> int:
    source, target = Path(args.input), Path(args.output)
    if args.chunk_size < 1:
        raise ScenarioError.one("--chunk-size", f"{args.chunk_size} is not a positive number of rows")
    if not source.is_file():
        raise ScenarioError.one("file", f"cannot read {str(source)!r}: no such file")
    if target.resolve() == source.resolve():
        raise ScenarioError.one("--output", f"{str(target)!r} is the input file; write the results elsewhere")
    summary = run_batch(source, target, chunk_size=args.chunk_size, quiet=args.quiet)
    for line in summary.first_errors:
        print(f"medspa-kit: {line}", file=sys.stderr)
    if summary.errors > len(summary.first_errors):
        print(f"medspa-kit: … and {summary.errors - len(summary.first_errors):,} more rows with errors "
              f"(see the error column of {target})", file=sys.stderr)
    print("\n".join(summary.lines()))
    return EXIT_ROW_ERRORS if summary.errors else 0


def run_batch(source: Path, target: Path, chunk_size: int = 100_000, quiet: bool = False) -> Summary:
    """Evaluate ``source`` into ``target`` chunk by chunk; returns the summary."""
    from tqdm import tqdm

    from .batch import evaluate_frame
    from .catalog import default_catalog
    from .columns import RESULT_COLUMNS

    catalog = default_catalog()
    summary = Summary()
    reader = _reader(source, chunk_size)
    with tqdm(total=reader.total, unit=reader.unit, unit_scale=True, desc="batch", disable=quiet,
              file=sys.stderr, dynamic_ncols=True) as bar, _Writer(target) as writer:
        for chunk in reader:
            chunk = chunk.drop(columns=[c for c in RESULT_COLUMNS if c in chunk.columns])
            chunk.index = range(summary.rows, summary.rows + len(chunk))
            results = evaluate_frame(chunk, catalog)
            summary.add(results, reader.first_row + summary.rows)
            summary.unreadable(reader.skipped)
            reader.skipped.clear()
            writer.write(chunk, results)
            bar.update(reader.progress() - bar.n)
            bar.set_postfix(rows=f"{summary.rows:,}", refresh=False)
    return summary


class _Reader:
    unit = "B"
    first_row = 2  # a spreadsheet's numbering: the header is row 1

    def __init__(self, path: Path, chunk_size: int):
        self.path, self.chunk_size = path, chunk_size
        self.total = path.stat().st_size
        self._handle: IO[bytes] | None = None
        self.skipped: list[str] = []

    def progress(self) -> int:
        return self.total if self._handle is None or self._handle.closed else min(self._handle.tell(), self.total)

    def __iter__(self) -> Iterator[Any]:
        import pandas as pd

        with open(self.path, "rb") as handle:
            self._handle = handle
            try:
                chunks = pd.read_csv(handle, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                                     chunksize=self.chunk_size, on_bad_lines="warn")
                while (chunk := self._next(chunks)) is not None:
                    yield chunk
            except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
                raise ScenarioError.one("file", f"cannot read {str(self.path)!r} as CSV: {_one_line(err)}") from None

    def _next(self, chunks: Iterator[Any]) -> Any:
        """The next chunk; a line with too many cells is reported (it cannot be read), not evaluated."""
        import warnings

        import pandas as pd

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            chunk = next(chunks, None)
        for warning in caught:
            if issubclass(warning.category, pd.errors.ParserWarning):
                self.skipped.append(_one_line(warning.message).replace("Skipping line", "line") + " (not evaluated)")
            else:
                warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
        return chunk


class _ParquetReader(_Reader):
    unit = "rows"
    first_row = 1

    def __init__(self, path: Path, chunk_size: int):
        pq = _pyarrow_parquet(path)
        self.path, self.chunk_size = path, chunk_size
        import pyarrow as pa

        try:
            self._file = pq.ParquetFile(path)
        except (OSError, pa.ArrowException) as err:
            raise ScenarioError.one("file", f"cannot read {str(path)!r} as Parquet: {_one_line(err)}") from None
        self.total = self._file.metadata.num_rows
        self._done = 0
        self.skipped = []

    def progress(self) -> int:
        return self._done

    def __iter__(self) -> Iterator[Any]:
        for batch in self._file.iter_batches(batch_size=self.chunk_size):
            self._done += batch.num_rows
            yield batch.to_pandas()


def _reader(path: Path, chunk_size: int) -> _Reader:
    return (_ParquetReader if path.suffix.lower() == ".parquet" else _Reader)(path, chunk_size)


class _Writer:
    """Appends each chunk (input columns, then results) to a CSV or Parquet file."""

    def __init__(self, path: Path):
        self.path = path
        self.parquet = path.suffix.lower() == ".parquet"
        if self.parquet:
            _pyarrow_parquet(path)
        self._handle: Any = None
        self._schema: Any = None

    def __enter__(self) -> "_Writer":
        if not self.parquet:
            try:
                self._handle = open(self.path, "w", encoding="utf-8", newline="")
            except OSError as err:
                raise ScenarioError.one("--output", f"cannot write {str(self.path)!r}: {err.strerror}") from None
        return self

    def write(self, chunk: Any, results: Any) -> None:
        import pandas as pd

        from .columns import DOLLAR_COLUMNS

        text = [c for c in results.columns if c not in DOLLAR_COLUMNS]
        results = results.astype({c: object for c in text})
        frame = pd.concat([chunk, results], axis=1)
        if not self.parquet:
            frame.to_csv(self._handle, index=False, header=self._handle.tell() == 0, lineterminator="\n")
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._schema is None:
            fields = [pa.field(c, pa.string()) if c in text else pa.field(c, pa.float64()) for c in results.columns]
            inputs = pa.Schema.from_pandas(chunk, preserve_index=False)
            self._schema = pa.schema([*(inputs.field(c) for c in chunk.columns), *fields])
            self._handle = pq.ParquetWriter(self.path, self._schema)
        self._handle.write_table(pa.Table.from_pandas(frame, schema=self._schema, preserve_index=False))

    def __exit__(self, *exc: Any) -> None:
        if self._handle is not None:
            self._handle.close()


def _pyarrow_parquet(path: Path) -> Any:
    try:
        import pyarrow.parquet as pq
    except ModuleNotFoundError:
        raise ScenarioError.one("file", f"{str(path)!r}: Parquet needs pyarrow "
                                        "(pip install 'medspa-kit[parquet]'), or use CSV") from None
    return pq


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())
