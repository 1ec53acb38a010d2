"""Read a file of scenarios in chunks of rows, and write the results the same way.

CSV cells are read as text (so the parser sees exactly what the file says); ``.parquet`` files
keep their own column types: their Arrow types, not the pandas metadata a file may also carry
(:func:`arrow_frame`). With ``pyarrow`` installed, CSV is read and written by Arrow's C++
reader and writer (several times faster than pandas'); without it, pandas does the work, with
the same rows. A line that cannot be read as a row (too many cells, a quote never closed) keeps
its place as an unreadable row (:mod:`medspa_kit.batch_csv`). CSV written is spreadsheet-safe.
"""

from __future__ import annotations

from collections import Counter

import csv
import json
import os
import re
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np
import pandas as pd

from .batch_cells import id_key, id_texts, key_texts, nameless_ids, trimmed_ids
from .batch_csv import CsvReader, Rows, formula_bytes
from .columns import DOLLAR_COLUMNS
from .errors import FileError
from .files import formula_like, open_regular, shown, spreadsheet_safe, spreadsheet_safe_text


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
        raise FileError("file", f"{str(path)!r}: Parquet needs pyarrow (pip install 'medspa-kit[parquet]'), "
                                "or use CSV")
    return pa


def one_line(err: BaseException | Warning | str) -> str:
    return " ".join(str(err).split())


def os_words(err: BaseException) -> str:
    """What the operating system said (``No space left on device``), also when Arrow wrapped it
    (``Error writing bytes to file. Detail: [errno 28] No space left on device``)."""
    number = getattr(err, "errno", None)
    found = re.search(r"\[errno (\d+)\]", str(err))
    if not number and found:
        number = int(found.group(1))
    return os.strerror(number) if number else one_line(err)


PANDAS_ROW_LABELS = re.compile(r"__index_level_\d+__")
"""the columns pandas writes its row labels into (``df.to_parquet`` of a filtered frame): not data"""


def arrow_frame(table: Any) -> pd.DataFrame:
    """``table`` (a pyarrow Table or RecordBatch, read from a Parquet file) as a pandas frame by its
    Arrow types alone, without its pandas row labels (:data:`PANDAS_ROW_LABELS`).

    The pandas metadata a file may carry (``b"pandas"``, written by ``pa.Table.from_pandas``) is
    ignored: it may be stale (a column it calls text holding lists, records or durations) and would
    then fail the whole file (a list cannot be cast to text) or turn a cell into something else
    (seconds read as dollars). By its Arrow types a list or record cell reaches the parser as a
    list or record, and a duration as a duration, each a row error naming the column if it is not
    the column's kind. A ``claim_id`` or ``member_id`` of whole numbers with an empty cell keeps
    its numbers exact (Python ints, never floats: 2**60 + 1 and 2**60 + 2 are two claims). Raises
    nothing of its own (Arrow's errors pass to the caller).
    """
    import pyarrow.types as pa_types

    frame = table.to_pandas(ignore_metadata=True)
    for name in ("claim_id", "member_id"):
        where = table.schema.get_all_field_indices(name)
        if len(where) == 1 and pa_types.is_integer(table.schema.types[where[0]]) and table.column(where[0]).null_count:
            # (pandas would make the column floats, 2**53 and beyond rounded: different ids one)
            frame[name] = np.array(table.column(where[0]).to_pylist(), dtype=object)
    labels = [name for name in frame.columns if PANDAS_ROW_LABELS.fullmatch(str(name))]
    return trimmed_claim_ids(frame.drop(columns=labels) if labels else frame)


def trimmed_claim_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its ``claim_id`` and ``member_id`` cells as the ids they name
    (:func:`medspa_kit.batch_cells.trimmed_ids`: text without the spaces around it, a float32 as
    the shortest decimal it holds), as ``evaluate_frame`` compares them, so that where the batch
    cuts a file between claims, the claims it finds apart, its 835, a Dask batch's members and OUT
    name them as they are priced. The frame itself when there is nothing to change."""
    changed = frame
    for name in ("claim_id", "member_id"):
        if name not in frame.columns or not isinstance(frame[name], pd.Series):
            continue  # (a column named twice is refused by the reader, naming it)
        column = frame[name]
        trimmed = trimmed_ids(column)
        if trimmed is not column:
            if changed is frame:
                changed = frame.copy(deep=False)
            changed[name] = trimmed.to_numpy(dtype=object) if trimmed.dtype == object else trimmed.to_numpy()
    return changed


class ParquetReader:
    """The rows of a Parquet file in pieces of at most ``chunk_size`` rows, numbered from 1."""

    unit = "rows"
    word = "row"

    def __init__(self, path: Path, chunk_size: int):
        pa = need_arrow(path)
        import pyarrow.parquet as pq

        self.path, self.chunk_size = path, chunk_size
        handle = open_regular(path)
        try:
            self._file = pq.ParquetFile(handle)
        except (OSError, pa.ArrowException) as err:
            handle.close()
            raise FileError("file", f"cannot read {shown(path)} as Parquet: {one_line(err)}") from None
        self._handle = handle
        self.total = self._file.metadata.num_rows
        self.columns = list(self._file.schema_arrow.names)
        try:
            refuse_twice(path, self.columns)
        except FileError:
            handle.close()
            raise
        self._done = 0

    def progress(self) -> int:
        return self._done

    def __iter__(self) -> Iterator[Rows]:
        import pyarrow as pa

        try:
            for batch in self._file.iter_batches(batch_size=self.chunk_size):
                first = self._done + 1
                self._done += batch.num_rows
                yield Rows.read(arrow_frame(binary_as_text(batch, self.path, first)), first)
        except (OSError, pa.ArrowException) as err:
            raise FileError("file", f"cannot read {shown(self.path)} as Parquet: {one_line(err)}") from None
        finally:
            self._handle.close()


def refuse_twice(path: Path, columns: list[str]) -> None:
    """Raise :class:`FileError` naming the first column that ``path`` has twice (Parquet allows it;
    a table of scenarios cannot say which of the two is meant)."""
    twice = sorted(name for name, n in Counter(columns).items() if n > 1)
    if twice:
        raise FileError("file", f"{shown(path)}: the column {twice[0]!r} appears twice")


def binary_as_text(batch: Any, path: Path, first: int = 1) -> Any:
    """``batch`` (a pyarrow Table or RecordBatch read from ``path``, its first row numbered
    ``first``) with its binary columns as text: UTF-8, else :class:`FileError` naming the row and
    the column (the kit reads text, and writes text into CSV)."""
    import pyarrow as pa

    for position, field in enumerate(batch.schema):
        if not (pa.types.is_binary(field.type) or pa.types.is_large_binary(field.type)):
            continue
        values = batch.column(position).to_pylist()
        for row, value in enumerate(values):
            if value is None:
                continue
            try:
                values[row] = value.decode("utf-8")
            except UnicodeDecodeError as err:
                raise FileError("file", f"{shown(path)}, row {first + row:,}, column {field.name!r}: "
                                        f"not UTF-8 text (byte 0x{value[err.start]:02X}); "
                                        "save text as UTF-8") from None
        batch = batch.set_column(position, pa.field(field.name, pa.string()), pa.array(values, pa.string()))
    return batch


def reader(path: Path, chunk_size: int, formulas: bool = True) -> CsvReader | ParquetReader:
    """A reader of ``path``'s rows: Parquet for ``.parquet``, else CSV (Arrow's reader first when
    ``pyarrow`` is installed, pandas' otherwise; the rows are the same). ``formulas``: note the
    columns where a cell may begin like a spreadsheet formula (for CSV written from them)."""
    if path.suffix.lower() == ".parquet":
        return ParquetReader(path, chunk_size)
    return _ClaimCsvReader(path, chunk_size, engine="arrow" if arrow() is not None else "pandas", formulas=formulas)


class _ClaimCsvReader(CsvReader):
    """A :class:`~medspa_kit.batch_csv.CsvReader` whose pieces name their claims as the batch
    compares them (:func:`trimmed_claim_ids`; an unreadable line's cells alike)."""

    def __iter__(self) -> Iterator[Rows]:
        for rows in super().__iter__():
            frame = trimmed_claim_ids(rows.frame)
            if frame is rows.frame and rows.all_read:
                yield rows
                continue
            cells = rows.cells.copy()
            for at in np.flatnonzero(rows.unreadable):  # (the cells split from a line that is no row)
                if cells[at] is not None:
                    cells[at] = frozenset(id_key(v) for v in cells[at])
            yield Rows(frame, rows.lines, rows.problems, cells, rows.formulas, rows.all_read)


def whole_claims(pieces: Iterable[Rows]) -> Iterator[Rows]:
    """The pieces regrouped so that no claim is split between two of them.

    In a table of claims (a ``claim_id`` column, one row per line, a claim's rows together) the
    rows of a piece's last claim wait and lead the next piece; a piece that is one claim only
    waits whole. An unreadable line stays with the rows on both sides of it (it may be a line of
    either claim). Other tables pass through unchanged.
    """
    waiting: Rows | None = None
    for piece in pieces:
        if waiting is not None:
            piece = Rows.concat([waiting, piece])
            waiting = None
        if "claim_id" not in piece.frame.columns or not len(piece):
            yield piece
            continue
        ids = key_texts(piece.frame["claim_id"])
        readable = ~piece.unreadable & ~nameless_ids(piece.frame["claim_id"].to_numpy(dtype=object))
        # where a new claim begins, never next to an unreadable line or a row that names no claim
        starts = np.flatnonzero((ids[1:] != ids[:-1]) & readable[1:] & readable[:-1]) + 1
        if not len(starts):
            waiting = piece
            continue
        waiting = piece.take(starts[-1])
        yield piece.take(0, starts[-1])
    if waiting is not None:
        yield waiting


def claims_seen_before(claim_ids: pd.Series, finished: set[Any]) -> np.ndarray:
    """Rows whose claim was already finished in an earlier chunk (its lines are not together);
    adds this chunk's claims (each as :func:`~medspa_kit.batch_cells.key_texts` names it) to
    ``finished``."""
    keys = pd.Series(key_texts(claim_ids), dtype=object)
    again = keys.isin(finished).to_numpy()
    finished.update(keys.unique().tolist())
    return again


def scattered_claims(pieces: Iterable[Rows]) -> set[Any]:
    """The claims whose rows are not next to each other anywhere in the file (``C1, C2, C1``),
    from every piece of it in order; an empty set when the table has no ``claim_id`` column.

    Unreadable lines are passed over (the claims beside one are refused for that reason), and so
    are ids that name no claim (refused on their own rows).
    """
    seen: set[Any] = set()
    scattered: set[Any] = set()
    last: Any = None
    for rows in pieces:
        if "claim_id" not in rows.frame.columns:
            return set()
        cells = rows.frame["claim_id"][~rows.unreadable]
        ids = key_texts(cells)[~nameless_ids(cells.to_numpy(dtype=object))]
        if not len(ids):
            continue
        new = np.r_[last is None or ids[0] != last, ids[1:] != ids[:-1]]
        starts = pd.Series(ids[new], dtype=object)
        again = starts.duplicated(keep=False).to_numpy() | starts.isin(seen).to_numpy()
        scattered.update(starts[again].tolist())
        seen.update(starts.tolist())
        last = ids[-1]
    return scattered


def claims_with_unreadable_lines(rows: Rows, word: str = "line") -> tuple[np.ndarray, np.ndarray]:
    """The rows of every claim an unreadable line may belong to, and the message for each.

    An unreadable line between two rows may be a line of the claim before it or of the claim
    after it; when its own cells name one of the two ``claim_id`` values, it is that claim's.
    A claim is never evaluated without one of its lines.

    Returns
    -------
    spoiled : ndarray of bool
    messages : ndarray of object
        ``claim_id: line 7 cannot be read and may be one of this claim's lines; …`` on spoiled rows.
    """
    unreadable = rows.unreadable
    spoiled = np.zeros(len(rows), dtype=bool)
    messages = np.full(len(rows), None, dtype=object)
    if not unreadable.any() or "claim_id" not in rows.frame.columns:
        return spoiled, messages
    ids = key_texts(rows.frame["claim_id"])
    readable = np.flatnonzero(~unreadable)
    first_line: dict[Any, int] = {}
    for position in np.flatnonzero(unreadable):
        at = np.searchsorted(readable, position)
        near = [ids[readable[i]] for i in (at - 1, at) if 0 <= i < len(readable)]
        cells = rows.cells[position] or frozenset()
        for claim in [c for c in near if c in cells] or near:
            first_line.setdefault(claim, int(rows.lines[position]))
    if first_line:
        spoiled = ~unreadable & pd.Series(ids).isin(list(first_line)).to_numpy()
        messages[spoiled] = [f"claim_id: {word} {first_line[claim]:,} cannot be read and may be one of this claim's "
                             "lines: the claim was not evaluated without it" for claim in ids[spoiled]]
    return spoiled, messages


def reject(results: pd.DataFrame, rows: np.ndarray, message: Any) -> pd.DataFrame:
    """``results`` with the masked ``rows`` emptied and ``message`` in their ``error`` cell
    (one message, or an array of one per row)."""
    out = results.copy()
    for name in out.columns:
        if name != "error":
            out[name] = out[name].mask(rows)
    out["error"] = out["error"].astype(object).mask(rows, message)
    return out


RENAMED_PREFIX = "in_"


def renamed_inputs(columns: Iterable[str], results: Iterable[str]) -> dict[str, str]:
    """New names for the input columns named like a result column: ``decision`` → ``in_decision``
    (``in_in_decision`` if that is taken too), so the results never replace a column of IN."""
    taken = set(columns) | set(results)
    out: dict[str, str] = {}
    for name in columns:
        if name in results:
            new = RENAMED_PREFIX + name
            while new in taken:
                new = RENAMED_PREFIX + new
            taken.add(new)
            out[name] = new
    return out


def spreadsheet_safe_table(table: Any, columns: Iterable[str] | None = None) -> Any:
    """An Arrow table with its text cells spreadsheet-safe (as :func:`medspa_kit.files.spreadsheet_safe`).

    Only ``columns`` are looked at (all when None), and a column closely only when a cell's first
    byte could begin a formula.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = None if columns is None else set(columns)
    for position, field in enumerate(table.schema):
        if wanted is not None and field.name not in wanted:
            continue
        if not (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)):
            continue
        column = table.column(position)
        if not formula_bytes(column):
            continue
        values = column.to_pylist()
        risky = [formula_like(value) for value in values]
        if any(risky):
            safe = pa.array([spreadsheet_safe_text(v) for v in values], type=field.type)
            table = table.set_column(position, field, pc.if_else(pa.array(risky), safe, column.combine_chunks()))
    return table


class Writer:
    """Appends each chunk (its own columns, then the results) to a CSV or Parquet file.

    ``path`` is where to write (a temporary file: see :func:`medspa_kit.files.atomic_output`);
    ``name`` is the file people asked for, named in messages. CSV is spreadsheet-safe.
    """

    def __init__(self, path: Path, name: Path | None = None):
        self.path, self.name = path, name or path
        self.parquet = self.name.suffix.lower() == ".parquet"
        self.arrow = need_arrow(self.name) if self.parquet else arrow()
        self._handle: Any = None
        self._schema: Any = None

    def __enter__(self) -> "Writer":
        return self

    def write(self, chunk: pd.DataFrame, results: pd.DataFrame, formulas: Iterable[str] | None = None) -> None:
        """Append ``chunk`` and its ``results`` (same index). ``formulas``: the columns of
        ``chunk`` where a cell may begin like a formula (None: any); the others are not looked at."""
        try:
            self._write(chunk, results, formulas)
        except OSError as err:
            raise self._cannot(os_words(err)) from None
        except Exception as err:
            pa = self.arrow
            if pa is not None and isinstance(err, pa.ArrowException):
                raise self._cannot(os_words(err)) from None
            raise

    def _cannot(self, why: str) -> FileError:
        return FileError("--output", f"cannot write {shown(self.name)}: {why}")

    def _write(self, chunk: pd.DataFrame, results: pd.DataFrame, formulas: Iterable[str] | None) -> None:
        text = [c for c in results.columns if c not in DOLLAR_COLUMNS]
        chunk = ids_as_text(chunk)  # (before the columns are typed: a truth-value id column is text too)
        frame = pd.concat([chunk, results.astype({c: object for c in text})], axis=1)
        # the result columns hold the kit's own words, and its messages begin with a field's name
        looked_at = [*(chunk.columns if formulas is None else formulas), "error"]
        if self.arrow is None:
            if self._handle is None:
                self._handle = open(self.path, "w", encoding="utf-8", newline="")
            frame = _safe_columns(frame, looked_at)
            frame.columns = [spreadsheet_safe_text(name) for name in frame.columns]
            # QUOTE_MINIMAL with "\n" as the line end would leave a carriage return inside a cell unquoted
            frame.to_csv(self._handle, index=False, header=self._handle.tell() == 0, lineterminator="\n",
                         quoting=csv.QUOTE_NONNUMERIC if _has_cr(frame) else csv.QUOTE_MINIMAL)
            return
        pa = self.arrow
        if self._schema is None:  # fixed by the first chunk: a later chunk's empty column keeps its type
            fields = [_input_field(pa, chunk, c) for c in chunk.columns]
            # CSV holds no lists or records (a Parquet list column), and no output holds a column Arrow
            # cannot type (a Parquet map, read as lists of pairs): they become text
            self._nested = [f.name for f in fields if f.type is None or (not self.parquet and pa.types.is_nested(f.type))]
            fields = [pa.field(f.name, pa.string()) if f.name in self._nested else f for f in fields]
            if not self.parquet:  # a dictionary (categorical) column is written as its values, made safe like any text
                fields = [pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f for f in fields]
            self._schema = pa.schema([*fields,
                                      *(pa.field(c, pa.string() if c in text else pa.float64()) for c in results)])
            self._handle = self._arrow_writer()
        for name in getattr(self, "_nested", ()):
            frame[name] = frame[name].map(cell_text, na_action="ignore")
        table = pa.Table.from_pandas(frame, schema=self._schema, preserve_index=False)
        if not self.parquet:
            table = spreadsheet_safe_table(table, looked_at).rename_columns(self._csv_names)
        self._handle.write_table(table)

    def _arrow_writer(self) -> Any:
        if self.parquet:
            import pyarrow.parquet as pq

            return pq.ParquetWriter(str(self.path), self._schema)
        import pyarrow.csv as pcsv

        self._csv_names = [spreadsheet_safe_text(name) for name in self._schema.names]
        schema = pa_schema_renamed(self._schema, self._csv_names)
        return pcsv.CSVWriter(str(self.path), schema, write_options=pcsv.WriteOptions(quoting_style="needed"))

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if self._handle is None:
            return
        try:
            self._handle.close()
        except Exception as err:  # a full disk shows on the last flush
            if error is None:
                raise self._cannot(os_words(err)) from None


class _Untyped:
    """A column Arrow cannot type from its cells: written as text."""

    def __init__(self, name: str):
        self.name, self.type = name, None


def ids_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each ``claim_id`` and ``member_id`` column of mixed cells written as text:
    the ids already are (:func:`trimmed_claim_ids`), and a number that names no id (``1e38``, an
    infinity, refused on its row) becomes the text it reads as (``1e+38``), so that the column
    has one type in every chunk, as an Arrow or Parquet column must (a column of text and floats
    cannot be written at all, and would lose every row). A column of whole numbers stays one."""
    changed = {}
    for name in ("claim_id", "member_id"):
        if name not in frame.columns or frame[name].dtype != object:
            continue
        cells = frame[name].to_numpy(dtype=object)
        loose = np.fromiter((not isinstance(cell, str) and not _empty_cell(cell) for cell in cells), dtype=bool,
                            count=len(cells))
        if loose.any():
            cells = cells.copy()
            cells[loose] = id_texts(cells[loose])
            changed[name] = pd.Series(cells, index=frame.index, dtype=object)
    return frame.assign(**changed) if changed else frame


def _empty_cell(cell: Any) -> bool:
    try:
        return bool(pd.isna(cell)) if np.ndim(cell) == 0 else False
    except Exception:  # (a signalling Decimal NaN raises on being asked)
        return False


def _input_field(pa: Any, chunk: pd.DataFrame, name: str) -> Any:
    """The Arrow field of an input column, or an untyped one (written as text) when Arrow cannot
    make one type of its cells (pairs of text and a number, from a Parquet map)."""
    try:
        return pa.Schema.from_pandas(chunk[[name]], preserve_index=False).field(name)
    except (pa.ArrowException, TypeError, ValueError):
        return _Untyped(name)


def cell_text(value: Any) -> Any:
    """A list or record cell (from a Parquet file) as CSV text the batch reads back: a list's
    items joined with ``;``, a record as JSON; any other value unchanged."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(str(cell_text(item)) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, default=str, ensure_ascii=False)
    return value


def _safe_columns(frame: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """``frame`` with the cells of the named columns spreadsheet-safe."""
    part = frame[names]
    safe = spreadsheet_safe(part)
    if safe is part:
        return frame
    out = frame.copy()
    for position, name in enumerate(names):
        out[name] = safe.iloc[:, position]
    return out


def pa_schema_renamed(schema: Any, names: list[str]) -> Any:
    """``schema`` with its fields renamed (same types)."""
    import pyarrow as pa

    return pa.schema([pa.field(name, field.type) for name, field in zip(names, schema)])


def _has_cr(frame: pd.DataFrame) -> bool:
    """Does a text cell of ``frame`` hold a carriage return (which CSV must then quote)?"""
    for name in frame.columns:
        column = frame[name]
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            if column.astype(str).str.contains("\r", regex=False).any():
                return True
    return False
