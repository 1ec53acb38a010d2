"""Read a CSV file of scenarios so that no line is lost: every line is a row or an unreadable row.

The file is read in blocks of whole lines. A block is parsed by a fast C reader (Arrow's, or
pandas' without ``pyarrow``) and the result is accepted only when it is provably one row per
line: as many rows as lines, none refused by the reader, no bare carriage return, no quoted
cell open at the block's end. Any other block — a line with too many or too few cells, a quote
that never closes, a quoted cell holding a line break, a blank line — is read again line by line
by Python's ``csv`` module, which decides for both engines alike:

* a quoted cell may hold commas and line breaks (RFC 4180); the row is numbered by its first line;
* a line whose row has more or fewer cells than the header is an **unreadable row**: it keeps
  its place, its cells stay empty and its message names the line (``line 3 has 14 cells, the
  header has 13``);
* a quote that opens a cell and never closes (within :data:`MAX_ROW_BYTES`) spoils its own line
  only, and reading goes on with the next line;
* blank lines are skipped.

Text must be UTF-8 (a byte-order mark is dropped); a file that is not is refused whole, naming
the line of the first bad byte.
"""

from __future__ import annotations

import csv
import io
import queue
import sys
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterator

import numpy as np
import pandas as pd

from .errors import STRAY_CR, FileError, csv_words
from .files import FORMULA_START, decode, not_utf8, open_regular, shown

MAX_ROW_BYTES = 1_000_000
"""bytes: the longest row read (with its quoted line breaks); a longer one is an unreadable row"""
BLOCK_MIN_BYTES = 2 * MAX_ROW_BYTES
"""bytes: the least read at a time (a whole row of the longest kind fits)"""
BLOCK_MAX_BYTES = 64_000_000
"""bytes: the most read at a time"""
SAMPLE_BYTES = 65_536
_SENTINEL = "\x1f"
"""a cell the pandas reader adds to every line, to see a line with too few cells (pandas pads it)"""


@dataclass
class Rows:
    """Consecutive rows of the file: their cells, their line numbers and what made some unreadable."""

    frame: pd.DataFrame
    """every row, the header's columns as text; an unreadable row's cells are empty"""
    lines: np.ndarray
    """int64: the file's line number of each row (its first line)"""
    problems: np.ndarray
    """object: None for a row that was read, else the message for the unreadable line"""
    cells: np.ndarray
    """object: for an unreadable row, the set of cells that could be split from the line (or None)"""
    formulas: frozenset[str] | None = None
    """the columns where a cell may begin like a spreadsheet formula (None: not known, any)"""
    all_read: bool = False
    """known to hold no unreadable row"""

    def __len__(self) -> int:
        return len(self.frame)

    def take(self, start: int, stop: int | None = None) -> "Rows":
        piece = slice(start, stop)
        return Rows(self.frame.iloc[piece], self.lines[piece], self.problems[piece], self.cells[piece],
                    self.formulas, self.all_read)

    @property
    def unreadable(self) -> np.ndarray:
        """bool per row: the line could not be read as a row"""
        if self.all_read:
            return np.zeros(len(self.problems), dtype=bool)
        return np.not_equal(self.problems, None)

    @staticmethod
    def concat(parts: list["Rows"]) -> "Rows":
        if len(parts) == 1:
            return parts[0]
        formulas = [p.formulas for p in parts]
        return Rows(pd.concat([p.frame for p in parts], ignore_index=True), np.concatenate([p.lines for p in parts]),
                    np.concatenate([p.problems for p in parts]), np.concatenate([p.cells for p in parts]),
                    None if None in formulas else frozenset().union(*formulas), all(p.all_read for p in parts))

    @staticmethod
    def read(frame: pd.DataFrame, first_line: int, formulas: frozenset[str] | None = None) -> "Rows":
        """Rows that were all read, numbered from ``first_line``."""
        n = len(frame)
        none = np.full(n, None, dtype=object)
        return Rows(frame, np.arange(first_line, first_line + n, dtype=np.int64), none, none.copy(), formulas, True)


class CsvReader:
    """The rows of a CSV file, in pieces of at most ``chunk_size`` rows (:class:`Rows`).

    Parameters
    ----------
    path : Path
        A regular file, UTF-8 text, the header on line 1.
    chunk_size : int
        The most rows in one piece.
    engine : {"arrow", "pandas"}
        The fast reader tried first on each block (both give the same rows).
    formulas : bool
        Look for the columns where a cell may begin like a spreadsheet formula
        (:attr:`Rows.formulas`); not needed when nothing is written as CSV.

    Raises
    ------
    FileError
        (when iterated) the file cannot be read, is empty, is no UTF-8 text, its header cannot
        be read or repeats a column.
    """

    unit = "B"
    word = "line"

    def __init__(self, path: Path, chunk_size: int, engine: str = "arrow", formulas: bool = True):
        self.path, self.chunk_size, self.engine, self.formulas = path, chunk_size, engine, formulas
        try:
            self.total = path.stat().st_size
        except OSError as err:
            raise FileError("file", f"cannot read {shown(path)}: {err.strerror}") from None
        self.columns: list[str] = []
        self._done = 0

    def progress(self) -> int:
        """Bytes read so far."""
        return min(self._done, self.total)

    def __iter__(self) -> Iterator[Rows]:
        with open_regular(self.path) as handle:
            try:
                # the next block is read while this one is evaluated (Arrow and pandas parse
                # without holding Python's lock, so the two run side by side)
                yield from ahead(self._pieces(handle))
            except OSError as err:
                raise FileError("file", f"cannot read {shown(self.path)}: {err.strerror}") from None

    def _pieces(self, handle: IO[bytes]) -> Iterator[Rows]:
        self.columns = self._header(handle)
        start = handle.tell()
        sample = handle.read(SAMPLE_BYTES)  # a first look, to size the blocks: a little under chunk_size lines
        per_line = len(sample) / max(sample.count(b"\n"), 1)
        handle.seek(start)
        line, more = 2, 1
        buffer = bytearray()  # read into again and again: the readers copy what they parse out of it
        while True:
            size = more * int(min(max(1.02 * self.chunk_size * per_line, BLOCK_MIN_BYTES), BLOCK_MAX_BYTES))
            if len(buffer) < size + 1:
                buffer = bytearray(size + 1)
            start = handle.tell()
            got = handle.readinto(memoryview(buffer)[:size])
            if not got:
                return
            final = got < size
            if final and buffer[got - 1] != ord("\n"):
                buffer[got] = ord("\n")
                got += 1
            cut = buffer.rfind(b"\n", 0, got) + 1
            if cut == 0:  # a line longer than a whole block
                yield _rows(self.columns, [(line, [], f"line {line:,} is longer than {MAX_ROW_BYTES:,} bytes and was not "
                                                      "read", None)])
                self._skip_line(handle)
                line += 1
                continue
            lines = buffer.count(b"\n", 0, cut)
            if self.chunk_size < lines <= 1.1 * self.chunk_size:  # a few lines too many: read them next time
                for _ in range(lines - self.chunk_size):
                    cut = buffer.rfind(b"\n", 0, cut - 1) + 1
                lines, final = self.chunk_size, False
            rows, consumed, left = self._parse(buffer, cut, lines, line, final)
            handle.seek(start + cut - len(left))  # the next block begins with the line that follows
            more = 1 if consumed else 2 * more  # a row still open from the first line: read more of it
            if consumed:
                per_line = (cut - len(left)) / consumed
            line += consumed
            self._done = handle.tell()
            for first in range(0, len(rows), self.chunk_size):
                yield rows.take(first, first + self.chunk_size)

    # -- the header ----------------------------------------------------------------------------

    def _header(self, handle: IO[bytes]) -> list[str]:
        raw = handle.readline(MAX_ROW_BYTES + 1)
        if not raw.strip(b"\r\n\xef\xbb\xbf"):
            raise FileError("file", f"{shown(self.path)} has no header on line 1 (column names such as "
                                    "service.code, separated by commas)")
        if b"\r" in raw.rstrip(b"\r\n"):
            raise FileError("file", f"{shown(self.path)}: line 1 (the header) cannot be read: {STRAY_CR}")
        if len(raw) > MAX_ROW_BYTES:
            raise FileError("file", f"{shown(self.path)}: line 1 (the header) is longer than {MAX_ROW_BYTES:,} bytes")
        text = decode(raw, self.path)
        if text.lstrip("\ufeff \t").startswith(("{", "[")):  # a scenario file (JSON) handed to the batch
            raise FileError("file", f"{shown(self.path)} is JSON, not a table: one scenario goes to `medspa-kit "
                                    "estimate`; the batch reads a CSV or Parquet table, a row per scenario "
                                    "(docs/scenario.md)")
        try:
            names = next(csv.reader([text.rstrip("\r\n")], strict=True))
        except csv.Error as err:
            why = ("a quote opens a column name and does not close on line 1 (column names are one line each: "
                   "a line break inside a quoted name is not read)" if text.count('"') % 2 else csv_words(err))
            raise FileError("file", f"{shown(self.path)}: line 1 (the header) cannot be read: {why}") from None
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise FileError("file", f"{shown(self.path)}: the column {name!r} appears twice in the header")
            seen.add(name)
        self._done = len(raw)
        return names

    def _skip_line(self, handle: IO[bytes]) -> None:
        """Move past the end of the current line."""
        while True:
            data = handle.read(BLOCK_MIN_BYTES)
            end = data.find(b"\n")
            if end >= 0:
                handle.seek(end + 1 - len(data), io.SEEK_CUR)
                return
            if not data:
                return

    # -- one block of whole lines ----------------------------------------------------------------

    def _parse(self, buffer: bytearray, cut: int, lines: int, line: int, final: bool) -> tuple[Rows, int, bytes]:
        """The rows of ``buffer[:cut]`` (``lines`` whole lines, the first being ``line``), how
        many lines they took, and the bytes of a row still open at the end to carry on."""
        nul = buffer.find(b"\x00", 0, cut)
        if nul >= 0:
            number = line + buffer.count(b"\n", 0, nul)
            raise FileError("file", f"{shown(self.path)} is not UTF-8 text (a NUL byte on line {number:,}: "
                                    "binary data or UTF-16?); save it as UTF-8")
        plain_ends = buffer.find(b"\r", 0, cut) < 0 or buffer.count(b"\r", 0, cut) == buffer.count(b"\r\n", 0, cut)
        block = memoryview(buffer)[:cut]
        if plain_ends and not _long_line(buffer, cut):
            fast = self._arrow if self.engine == "arrow" else self._pandas
            try:
                found = fast(block, lines)
            except _NotUtf8:
                raise self._utf8_error(block, line) from None
            if found is not None:
                frame, formulas = found
                return Rows.read(frame, line, formulas), lines, b""
        return self._careful(bytes(block), line, final)

    def _utf8_error(self, block: Any, line: int) -> FileError:
        block = bytes(block)
        try:
            block.decode("utf-8")
        except UnicodeDecodeError as err:
            return FileError("file", not_utf8(block, err.start, self.path, line))
        return FileError("file", f"{shown(self.path)} cannot be read as CSV")

    def _arrow(self, block: memoryview, lines: int) -> tuple[pd.DataFrame, frozenset[str]] | None:
        import pyarrow as pa
        import pyarrow.csv as pcsv

        refused = []

        def unreadable(row: Any) -> str:
            refused.append(row)
            return "skip"

        names = [f"c{i}" for i in range(len(self.columns))]
        # A row Arrow cannot split that is also not UTF-8 fails inside Arrow before ``unreadable``
        # is called, and Python would print that as "Exception ignored …": count it as refused.
        previous_hook = sys.unraisablehook
        sys.unraisablehook = refused.append
        try:
            table = pcsv.read_csv(
                pa.BufferReader(pa.py_buffer(block)),
                read_options=pcsv.ReadOptions(column_names=names, use_threads=False,
                                              block_size=1 << 22),  # pieces of 4 MB: fewer to look at
                parse_options=pcsv.ParseOptions(invalid_row_handler=unreadable),
                convert_options=pcsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                    strings_can_be_null=False, quoted_strings_can_be_null=False))
        except pa.ArrowInvalid as err:
            if "UTF8" in str(err) or "UTF-8" in str(err):
                raise _NotUtf8 from None
            return None
        finally:
            sys.unraisablehook = previous_hook
        if refused or table.num_rows != lines or _open_at_end(table.slice(table.num_rows - 1).to_pylist()):
            return None
        formulas = frozenset(name for name, column in zip(self.columns, table.columns)
                             if formula_bytes(column)) if self.formulas else None
        frame = table.to_pandas()
        frame.columns = self.columns
        return frame, formulas

    def _pandas(self, view: memoryview, lines: int) -> tuple[pd.DataFrame, frozenset[str] | None] | None:
        block = bytes(view)
        if _SENTINEL.encode() in block:
            return None
        ends = b"\r\n" if b"\r" in block else b"\n"
        marked = block.replace(ends, _SENTINEL.encode().join([b",", ends]))
        n = len(self.columns)
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            try:
                frame = pd.read_csv(io.BytesIO(marked), header=None, names=list(range(n + 1)), dtype=str,
                                    keep_default_na=False, na_filter=False, index_col=False, engine="c",
                                    encoding="utf-8", on_bad_lines="warn", skip_blank_lines=True)
            except UnicodeDecodeError:
                raise _NotUtf8 from None
            except (pd.errors.ParserError, pd.errors.ParserWarning, pd.errors.EmptyDataError):
                return None
        if len(frame) != lines or not (frame[n] == _SENTINEL).all():
            return None
        frame = frame.drop(columns=[n])
        frame.columns = self.columns
        return frame, (None if not self.formulas or _formula_start_bytes(block) else frozenset())

    def _careful(self, block: bytes, first_line: int, final: bool) -> tuple[Rows, int, bytes]:
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError as err:
            raise FileError("file", not_utf8(block, err.start, self.path, first_line)) from None
        records, consumed, left = read_lines(text.split("\n")[:-1], len(self.columns), first_line, final)
        return _rows(self.columns, records), consumed, left.encode("utf-8")


def _long_line(buffer: bytearray, end: int) -> bool:
    """Does ``buffer[:end]`` hold a line longer than :data:`MAX_ROW_BYTES`? (Then the careful
    reader decides, which makes it an unreadable row.)

    A line that long covers a whole window of half the limit, so only a window without a line
    end needs a closer look: a few hundred ``find`` calls for a block of 64 MB.
    """
    half = MAX_ROW_BYTES // 2
    for start in range(0, end, half):
        if buffer.find(b"\n", start, min(start + half, end)) >= 0:
            continue
        begin = buffer.rfind(b"\n", 0, start) + 1
        stop = buffer.find(b"\n", start, end)
        if (end if stop < 0 else stop) - begin > MAX_ROW_BYTES:
            return True
    return False


class _NotUtf8(Exception):
    """A fast reader met bytes that are no UTF-8 text."""


def ahead(items: Iterator[Any]) -> Iterator[Any]:
    """``items`` as they come, the next one made in a second thread while the caller works on
    this one (never more than that one: memory stays at two items). An exception in the thread
    is raised here; when the caller stops (an error, Ctrl-C) the thread finishes the item at
    hand and ends before this returns."""
    made: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()
    room = threading.Semaphore(1)  # taken to make an item, given back when the caller takes one

    def hand_over(kind: str, value: Any) -> bool:
        while not stop.is_set():
            try:
                made.put((kind, value), timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            iterator = iter(items)
            while True:
                while not room.acquire(timeout=0.05):
                    if stop.is_set():
                        return
                item = next(iterator, stop)
                if item is stop:
                    hand_over("end", None)
                    return
                if not hand_over("item", item):
                    return
        except BaseException as err:  # handed to the caller, who raises it
            hand_over("error", err)

    worker = threading.Thread(target=work, name="medspa-kit reader", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = made.get()
            room.release()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        worker.join()
        close = getattr(items, "close", None)
        if close is not None:
            close()


_FORMULA_BYTES = np.zeros(256, dtype=bool)
_FORMULA_BYTES[[ord(c) for c in FORMULA_START]] = True


def formula_bytes(column: Any) -> bool:
    """Might a cell of this Arrow text column begin like a spreadsheet formula? (Looks at each
    cell's first byte only: a yes is then looked at closely.)"""
    for chunk in column.chunks:
        _, offsets, data = chunk.buffers()
        if not len(chunk) or data is None or data.size == 0:
            continue
        large = str(chunk.type) in ("large_string", "large_utf8")
        starts = np.frombuffer(offsets, dtype=np.int64 if large else np.int32, count=len(chunk),
                               offset=chunk.offset * (8 if large else 4))
        if _FORMULA_BYTES[np.frombuffer(data, dtype=np.uint8).take(starts, mode="clip")].any():
            return True
    return False


def _formula_start_bytes(block: bytes) -> bool:
    """Might a cell of these CSV lines begin like a spreadsheet formula? ``=``, ``+``, ``@`` or a
    tab anywhere, or ``-`` first in a line, after a comma or after a quote."""
    if any(char.encode() in block for char in FORMULA_START if char not in "-\r"):
        return True
    data = np.frombuffer(block, dtype=np.uint8)
    minus = np.flatnonzero(data == ord("-"))
    if not len(minus):
        return False
    return bool(minus[0] == 0 or np.isin(data[minus[minus > 0] - 1], (ord(","), ord("\n"), ord('"'))).any())


def _open_at_end(last: list[dict[str, Any]]) -> bool:
    """Does the last row hold a line break (its quote was still open at the end of the block)?"""
    return any("\n" in value or "\r" in value for row in last for value in row.values())


class _Lines:
    """An iterator over a list of lines whose position can be set back (to read a line again)."""

    def __init__(self, lines: list[str]):
        self.lines, self.at = lines, 0

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        if self.at >= len(self.lines):
            raise StopIteration
        self.at += 1
        return self.lines[self.at - 1] + "\n"


def _well_quoted(lines: list[str]) -> bool:
    """Are the quotes of a row made of several lines where RFC 4180 puts them (a quoted cell
    begins and ends the cell, a quote inside it doubled)? Only then may a cell hold a line break."""
    try:
        return len(list(csv.reader(iter([line + "\n" for line in lines]), strict=True))) == 1
    except csv.Error:
        return False


def _closed(lines: list[str]) -> bool:
    """Does the quoting of a row made of ``lines`` close before its end?"""
    try:
        row = next(csv.reader(iter([*(line + "\n" for line in lines), "\x00\n"])))
    except csv.Error:
        return False
    return not any("\x00" in cell for cell in row)


Record = tuple[int, list[str], Any, Any]
"""(line number, cells, None or the problem, None or the cells split from an unreadable line)"""


def read_lines(lines: list[str], columns: int, first_line: int, final: bool = True
               ) -> tuple[list[Record], int, str]:
    """Rows from ``lines`` (without their line ends) as :mod:`csv` reads them, line by line.

    Parameters
    ----------
    lines : list of str
        Whole lines of the file, the first being line ``first_line``.
    columns : int
        Cells in the header: a row with another count is unreadable.
    first_line : int
        The file's line number of ``lines[0]``.
    final : bool
        The lines end the file. If not, a row whose quote is still open at the last line is not
        decided: its lines are handed back to be read again with the lines that follow.

    Returns
    -------
    records : list of (line, cells, problem, split cells)
        One per row in order; blank lines are skipped.
    consumed : int
        How many of ``lines`` the records took.
    left : str
        The lines of an open row at the end, joined with ``\\n`` (with a final ``\\n``), or "".
    """
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, MAX_ROW_BYTES))
    try:
        return _read_lines(lines, columns, first_line, final)
    finally:
        csv.field_size_limit(limit)


def _read_lines(lines: list[str], columns: int, first_line: int, final: bool) -> tuple[list[Record], int, str]:
    out: list[Record] = []
    source = _Lines(lines)
    reader = csv.reader(source)
    while source.at < len(lines):
        start = source.at
        number = first_line + start
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            out.append((number, [], f"line {number:,} cannot be read: {_why(err)}", _split(lines[start])))
            source.at = start + 1
            reader = csv.reader(source)
            continue
        span = source.at - start
        if not cells:  # a blank line
            continue
        if source.at == len(lines) and not _closed(lines[start:]):
            size = sum(len(line) + 1 for line in lines[start:])
            if not final and size <= MAX_ROW_BYTES:
                return out, start, "".join(line + "\n" for line in lines[start:])
            out.append((number, [], f"line {number:,}: a quoted cell opens and is never closed; the line was not "
                                    "read", _split(lines[start])))
            source.at = start + 1
            reader = csv.reader(source)
            continue
        if len(cells) == columns and (span == 1 or _well_quoted(lines[start:source.at])):
            if _row_bytes(lines[start:source.at]) > MAX_ROW_BYTES:  # a whole row, but too long
                out.append((number, [], f"line {number:,} is longer than {MAX_ROW_BYTES:,} bytes and was not "
                                        "read", None))
            else:
                out.append((number, cells, None, None))
            continue
        if span == 1:
            out.append((number, [], f"line {number:,} has {_cells(len(cells))}, the header has {columns}: the line "
                                    "was not read", frozenset(cells)))
            continue
        shape = (f"the row has {_cells(len(cells))}, the header has {columns}" if len(cells) != columns else
                 "its quotes are not where CSV puts them")
        out.append((number, [], f"line {number:,}: a quoted cell runs over {span} lines and {shape} (is a quote "
                                "missing?); the line was not read", _split(lines[start])))
        source.at = start + 1
        reader = csv.reader(source)
    return out, len(lines), ""


def _row_bytes(lines: list[str]) -> int:
    """Bytes of a row's lines in UTF-8, with the line breaks between them (counted exactly only
    when the characters alone come near the limit)."""
    size = sum(len(line) for line in lines) + len(lines) - 1
    if size * 4 <= MAX_ROW_BYTES:
        return size
    return sum(len(line.encode("utf-8")) for line in lines) + len(lines) - 1


def _cells(count: int) -> str:
    return f"{count} cell" if count == 1 else f"{count} cells"


def _why(err: csv.Error) -> str:
    """The csv module's complaint in a clinic's words."""
    text = str(err)
    if "new-line character" in text:
        return "a carriage return inside a cell that is not quoted"
    if "field larger than field limit" in text:
        return f"a cell is longer than {MAX_ROW_BYTES:,} bytes"
    return text


def _split(line: str) -> frozenset[str]:
    """The cells of one line as far as they can be split (for an unreadable line)."""
    try:
        return frozenset(next(csv.reader([line]), []))
    except csv.Error:
        return frozenset(line.split(","))


def _rows(columns: list[str], records: list[Record]) -> Rows:
    """:class:`Rows` of records: an unreadable one with empty cells."""
    empty = [""] * len(columns)
    frame = pd.DataFrame([empty if problem is not None else cells for _, cells, problem, _ in records],
                         columns=columns, dtype=str)
    if not records:
        frame = pd.DataFrame({name: pd.Series([], dtype=str) for name in columns})
    problems = np.empty(len(records), dtype=object)
    split = np.empty(len(records), dtype=object)
    for i, (_, _, problem, cells) in enumerate(records):
        problems[i], split[i] = problem, cells
    return Rows(frame, np.array([r[0] for r in records], dtype=np.int64), problems, split)
