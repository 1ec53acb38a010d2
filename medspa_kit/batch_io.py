"""Read a file of scenarios in chunks of rows, and write the results the same way.

CSV cells are read as text (so the parser sees exactly what the file says); ``.parquet`` files
keep their own column types. With ``pyarrow`` installed, CSV is read and written by Arrow's C++
reader and writer (several times faster than pandas'); without it, pandas does the work. A
line that cannot be read as a row (too many cells) is reported, not evaluated.
"""

from __future__ import annotations

import csv
import re
import warnings
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

import numpy as np
import pandas as pd

from .columns import DOLLAR_COLUMNS
from .errors import ScenarioError


def arrow() -> Any:
    """The ``pyarrow`` module, or None when it is not installed."""
    try:
        import pyarrow
    except ModuleNotFoundError:
        return None
    return pyarrow


def need_arrow(path: Path) -> Any:
    pa = arrow()
    if pa is None:
        raise ScenarioError.one("file", f"{str(path)!r}: Parquet needs pyarrow (pip install 'medspa-kit[parquet]'), "
                                        "or use CSV")
    return pa


def one_line(err: BaseException | Warning | str) -> str:
    return " ".join(str(err).split())


class Reader:
    """Chunks of at most ``chunk_size`` rows as DataFrames; ``skipped`` collects unreadable lines."""

    unit = "B"
    first_row = 2  # a spreadsheet's numbering: the header is row 1

    def __init__(self, path: Path, chunk_size: int):
        self.path, self.chunk_size = path, chunk_size
        self.total = path.stat().st_size
        self.skipped: list[str] = []
        self._handle: IO[bytes] | None = None

    def progress(self) -> int:
        """How far the reading has come, in ``unit``."""
        return self.total if self._handle is None or self._handle.closed else min(self._handle.tell(), self.total)

    def __iter__(self) -> Iterator[pd.DataFrame]:
        with open(self.path, "rb") as handle:
            self._handle = handle
            try:
                yield from self._chunks(handle)
            except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as err:
                raise ScenarioError.one("file", f"cannot read {str(self.path)!r} as CSV: {one_line(err)}") from None

    def _chunks(self, handle: IO[bytes]) -> Iterator[pd.DataFrame]:
        chunks = pd.read_csv(handle, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                             chunksize=self.chunk_size, on_bad_lines="warn")
        while True:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", pd.errors.ParserWarning)
                chunk = next(chunks, None)
            for warning in caught:
                if issubclass(warning.category, pd.errors.ParserWarning):
                    self.skipped.append(_skipped(one_line(warning.message)))
                else:
                    warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
            if chunk is None:
                return
            yield chunk


def _skipped(message: str) -> str:
    found = re.match(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)", message)
    if not found:
        return f"{message} (not evaluated)"
    line, expected, saw = found.groups()
    return f"line {line} has {saw} cells (the header has {expected}) and was not evaluated"


class ArrowReader(Reader):
    """CSV through Arrow's streaming reader: every column as text, empty cells as empty text."""

    def _chunks(self, handle: IO[bytes]) -> Iterator[pd.DataFrame]:
        import pyarrow as pa
        import pyarrow.csv as pcsv

        header = next(csv.reader([handle.readline().decode("utf-8-sig")]), [])
        handle.seek(0)

        def unreadable(row: Any) -> str:
            text = row.text if len(row.text) <= 60 else row.text[:57] + "…"
            self.skipped.append(f"a line with {row.actual_columns} cells (the header has {row.expected_columns}) "
                                f"was not evaluated: {text!r}")
            return "skip"

        reader = pcsv.open_csv(
            handle, read_options=pcsv.ReadOptions(block_size=1 << 20),
            parse_options=pcsv.ParseOptions(invalid_row_handler=unreadable),
            convert_options=pcsv.ConvertOptions(column_types={name: pa.string() for name in header},
                                                strings_can_be_null=False, quoted_strings_can_be_null=False))
        batches: list[Any] = []
        rows = 0
        for batch in reader:
            batches.append(batch)
            rows += batch.num_rows
            if rows >= self.chunk_size:
                yield pa.Table.from_batches(batches).to_pandas()
                batches, rows = [], 0
        if rows:
            yield pa.Table.from_batches(batches).to_pandas()


class ParquetReader(Reader):
    unit = "rows"
    first_row = 1

    def __init__(self, path: Path, chunk_size: int):
        pa = need_arrow(path)
        import pyarrow.parquet as pq

        self.path, self.chunk_size, self.skipped = path, chunk_size, []
        try:
            self._file = pq.ParquetFile(path)
        except (OSError, pa.ArrowException) as err:
            raise ScenarioError.one("file", f"cannot read {str(path)!r} as Parquet: {one_line(err)}") from None
        self.total = self._file.metadata.num_rows
        self._done = 0

    def progress(self) -> int:
        return self._done

    def __iter__(self) -> Iterator[pd.DataFrame]:
        for batch in self._file.iter_batches(batch_size=self.chunk_size):
            self._done += batch.num_rows
            yield batch.to_pandas()


def reader(path: Path, chunk_size: int) -> Reader:
    if path.suffix.lower() == ".parquet":
        return ParquetReader(path, chunk_size)
    return (ArrowReader if arrow() is not None else Reader)(path, chunk_size)


def whole_claims(chunks: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """The chunks regrouped so that no claim is split between two of them.

    In a table of claims (a ``claim_id`` column, one row per line, a claim's rows together) the
    rows of a chunk's last claim wait and lead the next chunk; a chunk that is one claim only
    waits whole. Other tables pass through unchanged.
    """
    waiting: pd.DataFrame | None = None
    for chunk in chunks:
        if waiting is not None:
            chunk = pd.concat([waiting, chunk], ignore_index=True)
            waiting = None
        if "claim_id" not in chunk.columns or chunk.empty:
            yield chunk
            continue
        ids = chunk["claim_id"].to_numpy()
        starts = np.flatnonzero(ids[1:] != ids[:-1]) + 1  # where a new claim begins
        if not len(starts):
            waiting = chunk
            continue
        waiting = chunk.iloc[starts[-1]:]
        yield chunk.iloc[: starts[-1]]
    if waiting is not None:
        yield waiting


def claims_seen_before(claim_ids: pd.Series, finished: set[Any]) -> np.ndarray:
    """Rows whose claim was already finished in an earlier chunk (its lines are not together);
    adds this chunk's claims to ``finished``."""
    again = claim_ids.isin(finished).to_numpy()
    finished.update(claim_ids.unique().tolist())
    return again


def reject(results: pd.DataFrame, rows: np.ndarray, message: str) -> pd.DataFrame:
    """``results`` with the masked ``rows`` emptied and ``message`` in their ``error`` cell."""
    out = results.copy()
    for name in out.columns:
        if name != "error":
            out[name] = out[name].mask(rows)
    out["error"] = out["error"].astype(object).mask(rows, message)
    return out


class Writer:
    """Appends each chunk (its own columns, then the results) to a CSV or Parquet file."""

    def __init__(self, path: Path):
        self.path = path
        self.parquet = path.suffix.lower() == ".parquet"
        self.arrow = need_arrow(path) if self.parquet else arrow()
        self._handle: Any = None
        self._schema: Any = None

    def __enter__(self) -> "Writer":
        return self

    def write(self, chunk: pd.DataFrame, results: pd.DataFrame) -> None:
        text = [c for c in results.columns if c not in DOLLAR_COLUMNS]
        frame = pd.concat([chunk, results.astype({c: object for c in text})], axis=1)
        if self.arrow is None:
            if self._handle is None:
                self._handle = self._open()
            frame.to_csv(self._handle, index=False, header=self._handle.tell() == 0, lineterminator="\n")
            return
        pa = self.arrow
        if self._schema is None:  # fixed by the first chunk: a later chunk's empty column keeps its type
            inputs = pa.Schema.from_pandas(chunk, preserve_index=False)
            self._schema = pa.schema([*(inputs.field(c) for c in chunk.columns),
                                      *(pa.field(c, pa.string() if c in text else pa.float64()) for c in results)])
            self._handle = self._arrow_writer()
        self._handle.write_table(pa.Table.from_pandas(frame, schema=self._schema, preserve_index=False))

    def _open(self) -> IO[str]:
        try:
            return open(self.path, "w", encoding="utf-8", newline="")
        except OSError as err:
            raise ScenarioError.one("--output", f"cannot write {str(self.path)!r}: {err.strerror}") from None

    def _arrow_writer(self) -> Any:
        if self.parquet:
            import pyarrow.parquet as pq

            return pq.ParquetWriter(self.path, self._schema)
        import pyarrow.csv as pcsv

        self._open().close()  # the same one-line error as the pandas writer when the path is not writable
        return pcsv.CSVWriter(str(self.path), self._schema,
                              write_options=pcsv.WriteOptions(quoting_style="needed"))

    def __exit__(self, *exc: Any) -> None:
        if self._handle is not None:
            self._handle.close()
