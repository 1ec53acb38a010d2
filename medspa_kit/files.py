"""Files in and out, safely: what is read is bounded and must be UTF-8 text, what is written
appears whole or not at all.

* Only regular files are read (not ``/dev/zero``, a folder or a pipe), and only up to a limit
  of bytes: a scenario is never a megabyte.
* Text must be UTF-8 (a UTF-8 byte-order mark is accepted and dropped); other text is refused
  naming the file and what it seems to be (UTF-16, Latin-1 …), and so is binary data.
* JSON is refused when it is larger than :data:`JSON_MAX_BYTES`, nested deeper than
  :data:`JSON_MAX_DEPTH` or gives one key twice in an object.
* A file is written to a temporary file in the same folder and renamed into place only when it
  is complete (:func:`atomic_output`): an error or Ctrl-C leaves no half-written file, and an
  earlier file of that name stays as it was.
* An output that is the same file as an input (the same path, a symbolic or a hard link) is
  refused before anything is written (:func:`refuse_same_file`).
* A CSV file for people is spreadsheet-safe: a text cell a spreadsheet would run as a formula
  (``=…``, ``+…``, ``-…``, ``@…``, a tab or carriage return first) gets a ``'`` before it
  (:func:`spreadsheet_safe`); numbers stay numbers.

Every problem is a :class:`~medspa_kit.errors.FileError` of one line naming the file.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import secrets
import shutil
import stat
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Iterator, Mapping

from .errors import (ON_PUT_IN_PLACE, PARTIAL_OUTPUTS, PARTIAL_OUTPUTS_LOCK, STOP_REQUESTED, STOPS_HELD, FileError,
                     shortened, shown_value, unwrapped)
from .fields import OutOfRange, is_number_text

if TYPE_CHECKING:
    import pandas as pd

SCENARIO_MAX_BYTES = 1_000_000
"""bytes: the largest scenario file read (a claim of many lines is a few kilobytes)"""
TABLE_MAX_BYTES = 64_000_000
"""bytes: the largest table read whole (a clinic's year of visits, an 835)"""
RULE_TABLE_MAX_BYTES = 10_000_000
"""bytes: the largest rule table read (``datasets/*.csv``, a client's prices or plans; the largest
shipped is under 50 kB)"""
JSON_MAX_BYTES = SCENARIO_MAX_BYTES
"""characters: the longest JSON text parsed"""
JSON_MAX_DEPTH = 32
"""the deepest nesting of JSON arrays and objects parsed (a scenario nests 4 deep)"""

_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
         (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def shown(path: Any) -> str:
    """A file name as messages show it (a name of hundreds of characters shortened)."""
    try:
        return shortened(repr(str(path)), 120)
    except Exception:  # any object may be given; its str must not break the message about it
        return shown_value(path)


def reason(err: FileError) -> str:
    """What a FileError says about its file, without the file's name leading (for messages
    that name the file already: ``client_prices.csv: is not UTF-8 text (UTF-16) …``)."""
    message = err.problems[0][1]
    return re.sub(r"^'[^']*' ", "", message)


def check_file_name(path: Any, field: str = "file", verb: str = "read") -> None:
    """Raise FileError unless ``path`` can name a file: a str or an ``os.PathLike`` without a
    NUL character (``0``, ``None`` or ``'a\\x00b.json'`` cannot); ``verb``: what the message says
    cannot be done with it (``read``, ``write``)."""
    if not isinstance(path, (str, os.PathLike)):
        raise FileError(field, f"{shortened(shown_value(path), 60)} is not a file name (give a str or a pathlib.Path)")
    try:
        name = os.fsdecode(os.fspath(path))
    except (TypeError, ValueError) as err:  # a PathLike whose fspath is no str or bytes
        raise FileError(field, f"cannot {verb} a file named by a {type(path).__name__}: {err}") from None
    if "\x00" in name:
        raise FileError(field, f"cannot {verb} {shown(path)}: a file name cannot hold a NUL character")
    try:
        os.fsencode(name)
    except UnicodeEncodeError:  # a lone surrogate ('\ud800') no file system can store
        raise FileError(field, f"cannot {verb} {shown(path)}: a file name cannot hold a lone surrogate "
                               "character") from None


def check_folder_name(folder: Any, field: str = "folder", verb: str = "write into") -> None:
    """As :func:`check_file_name`, and an empty name is refused too: ``""`` would quietly mean the
    current folder."""
    check_file_name(folder, field, verb)
    if not os.fspath(folder):
        raise FileError(field, "an empty folder name (give a folder's path, such as 'handouts')")


def open_regular(path: str | Path, field: str = "file") -> IO[bytes]:
    """``path`` opened for reading in binary, refusing anything that is not a regular file.

    Raises
    ------
    FileError
        ``file: cannot read 'x.json': No such file or directory``, ``… is not a regular file``
        (a device such as ``/dev/zero``, a folder, a pipe: opened without waiting for a writer).
    """
    check_file_name(path, field)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise FileError(field, f"cannot read {shown(path)}: {err.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FileError(field, f"{shown(path)} is not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str | Path, limit: int, field: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (see :func:`open_regular`)."""
    with open_regular(path, field) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as err:
            raise FileError(field, f"cannot read {shown(path)}: {err.strerror}") from None
    if len(data) > limit:
        raise FileError(field, f"{shown(path)} is larger than {_size(limit)}")
    return data


def read_text_file(path: str | Path, limit: int = SCENARIO_MAX_BYTES, field: str = "file") -> str:
    """The text of a regular UTF-8 file of at most ``limit`` bytes.

    Parameters
    ----------
    path : str or Path
    limit : int
        Bytes; a larger file is refused.
    field : str
        What messages name (``file``, ``--output``).

    Returns
    -------
    str
        The text, without a UTF-8 byte-order mark.

    Raises
    ------
    FileError
        Missing or unreadable, not a regular file, too large, or not UTF-8 text.
    """
    return decode(read_bytes(path, limit, field), path, field)


def read_stream(stream: IO[Any] | None, name: str, limit: int = SCENARIO_MAX_BYTES) -> str:
    """The text of an open stream (standard input), at most ``limit`` bytes (characters for a
    text stream without bytes beneath it); bytes must be UTF-8.

    Raises
    ------
    FileError
        ``file: no standard input`` (closed), too large, unreadable, not UTF-8 text.
    """
    if stream is None:
        raise FileError("file", "no standard input")
    source = getattr(stream, "buffer", stream)
    try:
        data = source.read(limit + 1)
    except OSError as err:
        raise FileError("file", f"cannot read {name}: {err.strerror}") from None
    except ValueError:  # closed
        raise FileError("file", f"no {name}") from None
    if len(data) > limit:
        raise FileError("file", f"{name} is larger than {_size(limit)}")
    return decode(data, name) if isinstance(data, bytes) else data


def not_empty(text: str, name: Any, field: str = "file", what: str = "scenario") -> str:
    """``text``, unless it is empty or only white space: then FileError naming the file (or
    ``standard input``) as empty (``what`` it should hold: ``scenario``, ``course``)."""
    if text.strip():
        return text
    shown_name = name if name == "standard input" else shown(name)
    raise FileError(field, f"{shown_name} is empty{'' if not text else ' (only white space)'}: "
                           f"a {what} is a JSON object")


def decode(data: bytes, name: Any, field: str = "file") -> str:
    """``data`` as text: UTF-8, with or without a byte-order mark.

    Raises
    ------
    FileError
        ``file: 'x.json' is not UTF-8 text (UTF-16); save it as UTF-8``, naming what the bytes
        seem to be: UTF-16 or UTF-32 (a byte-order mark, or NUL bytes between letters), Latin-1
        or Windows-1252 (with the line of the first byte that is not UTF-8), or binary data.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    else:
        for bom, encoding in _BOMS:
            if data.startswith(bom):
                raise FileError(field, f"{shown(name)} is not UTF-8 text ({encoding}); save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        what = "UTF-16" if data[:200].count(b"\x00") * 4 >= min(len(data), 200) else "binary data"
        line = data.count(b"\n", 0, nul) + 1
        raise FileError(field, f"{shown(name)} is not UTF-8 text ({what}: NUL bytes from line {line:,}); "
                               "save it as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise FileError(field, not_utf8(data, err.start, name)) from None


def not_utf8(data: bytes, start: int, name: Any, line: int | None = None) -> str:
    """Why ``data`` is no UTF-8 text, naming the first bad byte (at ``start``) and its line.

    ``line``: the line number of ``data``'s first line in its file (default 1).
    """
    try:
        data.decode("cp1252")
        guess = "Latin-1 or Windows-1252?"
    except UnicodeDecodeError:
        guess = "binary data?"
    number = (line or 1) + data.count(b"\n", 0, start)
    return (f"{shown(name)} is not UTF-8 text (byte 0x{data[start]:02X} on line {number:,}: {guess}); "
            "save it as UTF-8")


def _size(limit: int) -> str:
    return f"{limit / 1_000_000:g} MB" if limit >= 1_000_000 else f"{limit:,} bytes"


# --------------------------------------------------------------------------------------------
# JSON

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


class _Twice(ValueError):
    pass


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Twice(key)
        out[key] = value
    return out


def json_kind(value: Any) -> str:
    """What ``value`` is in JSON's words: ``null``, ``true``, ``false``, ``a number``, ``a
    string``, ``an array``, ``an object`` (else its Python type: ``a set``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    name = type(value).__name__
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def json_depth(text: str) -> int:
    """How deep arrays and objects nest in JSON ``text`` (brackets inside strings not counted)."""
    depth = deepest = 0
    for bracket in re.findall(r"[\[\]{}]", _STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _json_number(text: str) -> Any:
    """A JSON number with a fraction or exponent: a float, or :class:`OutOfRange` for one no
    float holds (``1e400``, ``1e-400``), so that the message shows it as typed rather than ``inf``
    or ``0``."""
    return OutOfRange.of(text, float(text))


def load_json(text: str, what: str = "scenario", name: Any = None) -> Any:
    """Parse JSON ``text`` within the limits; errors name ``what`` (``scenario: not valid JSON: …``),
    or the file ``name`` it was read from (``file: 'visit.json' is not valid JSON: …``).

    Raises
    ------
    FileError
        Not JSON (with the line), longer than :data:`JSON_MAX_BYTES` characters, nested deeper
        than :data:`JSON_MAX_DEPTH`, or a key given twice in one object (naming the key).
    """
    if name is not None:
        try:
            return load_json(text, what)
        except FileError as err:
            raise FileError("file", f"{shown(name)} is {reason(err)}") from None
    text = text.removeprefix("\ufeff")  # a byte-order mark, as files saved by Windows begin
    if len(text) > JSON_MAX_BYTES:
        raise FileError(what, f"not valid JSON: more than {_size(JSON_MAX_BYTES)}")
    if json_depth(text) > JSON_MAX_DEPTH:
        raise FileError(what, f"not valid JSON: nested too deeply (more than {JSON_MAX_DEPTH} levels)")
    try:
        return json.loads(text, object_pairs_hook=_no_repeats, parse_float=_json_number)
    except _Twice as err:
        raise FileError(what, f"not valid JSON: the key {str(err)!r} is given twice in one object") from None
    except json.JSONDecodeError as err:
        raise FileError(what, f"not valid JSON: {err.msg} (line {err.lineno}, column {err.colno})") from None
    except RecursionError:  # a defence only: the depth is checked above
        raise FileError(what, "not valid JSON: nested too deeply") from None
    except ValueError as err:  # Python's own limit: an integer of more than 4,300 digits
        if "digits" not in str(err):
            raise
        raise FileError(what, "not valid JSON: a number has more digits than any amount could (over 4,300)") from None


# --------------------------------------------------------------------------------------------
# Writing


def same_file(a: str | Path, b: str | Path) -> bool:
    """Are ``a`` and ``b`` one file: the same path, a symbolic link to it, or a hard link?"""
    try:
        first, second = os.stat(a), os.stat(b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def refuse_same_file(output: str | Path, inputs: Any, field: str = "--output",
                     outputs: Mapping[str, str | Path | None] | None = None) -> None:
    """Raise FileError when ``output`` is one of ``inputs`` (paths), or one of the command's other
    ``outputs`` (each path by what messages call it: ``{"--claim": "c.837"}``); see
    :func:`same_file`."""
    for source in inputs:
        if source is not None and same_file(output, source):
            raise FileError(field, f"{shown(output)} is the input file; write to another file")
    for what, other in (outputs or {}).items():
        if other is not None and same_file(output, other):
            raise FileError(field, f"{shown(output)} is also {what}; write them to two files")


def _new_file_mode(target: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


@contextmanager
def atomic_output(path: str | Path, field: str = "--output") -> Iterator[Path]:
    """A temporary file beside ``path`` to write; it becomes ``path`` when the block ends well.

    On any exception (an error, Ctrl-C) the temporary file is removed and an earlier file at
    ``path`` is left as it was. An ``OSError`` while writing or renaming becomes a FileError.

    Raises
    ------
    FileError
        ``--output: cannot write 'OUT.csv': No such file or directory`` (a missing folder, a
        read-only one, a full disk) or ``… is not a regular file`` (a device such as
        ``/dev/full``, a folder): no temporary file is left behind.
    """
    check_file_name(path, field, "write")
    if os.fsdecode(os.fspath(path)).endswith(("/", os.sep)):
        raise FileError(field, f"cannot write {shown(path)}: a name ending in / is a folder; name the file")
    try:
        target = Path(os.path.realpath(path))
        if target.exists() and not target.is_file():
            raise FileError(field, f"cannot write {shown(path)}: it is not a regular file")
    except OSError as err:  # a name too long, a loop of links
        raise FileError(field, f"cannot write {shown(path)}: {err.strerror}") from None
    made: list[Path] = []  # (the temporary file's name, known before it exists: see make_beside)
    try:
        temp = make_beside(target, made)
        yield temp
        os.chmod(temp, _new_file_mode(target))
        put_in_place()
        os.replace(temp, target)
    except OSError as err:
        remove_partial(made)
        raise FileError(field, f"cannot write {shown(path)}: {err.strerror}") from None
    except BaseException:
        remove_partial(made)
        raise
    finally:
        forget_partial(made)


def make_beside(target: Path, made: list[Path] | None = None, folder: bool = False) -> Path:
    """Make a new empty file (or, with ``folder``, folder) beside ``target``, named
    ``.NAME.<12 random hex digits>.part``, and return its path.

    With ``made``, its name is appended to ``made`` and to
    :data:`~medspa_kit.errors.PARTIAL_OUTPUTS` *before* it is made, under
    :data:`~medspa_kit.errors.PARTIAL_OUTPUTS_LOCK`: a signal at any moment (even as it is made,
    before this function returns) leaves the caller its name to remove (:func:`remove_partial`),
    and a command that must end at once removes it too. Without ``made`` it is the caller's alone
    (an earlier output moved aside, never to be removed by a stopping command).

    Raises
    ------
    OSError
        from the folder (missing, read-only, full), or ``EEXIST`` when 100 random names are all
        taken.
    """
    for _ in range(100):
        temp = target.parent / f".{target.name}.{secrets.token_hex(6)}.part"
        with PARTIAL_OUTPUTS_LOCK:
            if made is not None:
                made.append(temp)
                PARTIAL_OUTPUTS.add(str(temp))
            try:
                if folder:
                    os.mkdir(temp)
                else:
                    os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                return temp
            except FileExistsError:  # (another's: never ours to remove)
                if made is not None:
                    made.remove(temp)
                    PARTIAL_OUTPUTS.discard(str(temp))
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file beside it", str(target))


def remove_partial(made: list[Path]) -> None:
    """Remove the temporary files and folders :func:`make_beside` made (those still there)."""
    for temp in made:
        if temp.is_dir() and not temp.is_symlink():
            shutil.rmtree(temp, ignore_errors=True)
        else:
            _remove(temp)


def forget_partial(made: list[Path]) -> None:
    """The temporary outputs in ``made`` are put in place or removed: a stopping command has none
    of them to remove."""
    for temp in made:
        PARTIAL_OUTPUTS.discard(str(temp))


def put_in_place() -> None:
    """Just before an output is put in place: the command line's point of no return (its hooks in
    :data:`~medspa_kit.errors.ON_PUT_IN_PLACE` make a later signal change nothing), unless a stop
    was asked for already — then that stop is raised here, and nothing is put in place."""
    for hook in ON_PUT_IN_PLACE:
        hook()
    if STOP_REQUESTED:
        raise STOP_REQUESTED[0]()


@contextmanager
def stops_held() -> Iterator[None]:
    """A block a signal must not break into (a library's start that, interrupted, leaves a half-made
    object behind for its exit handlers to fail on): a stop asked for meanwhile is raised as the
    block ends, once what it made can be closed. Outside the command line, nothing changes."""
    STOPS_HELD.append(True)
    try:
        yield
    finally:
        STOPS_HELD.pop()
    if STOP_REQUESTED:
        raise STOP_REQUESTED[0]()


def make_folder(folder: str | Path, field: str = "file") -> None:
    """Create ``folder`` and its parents when missing (FileError naming it when that fails)."""
    check_file_name(folder, field, "make")
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # (a file, or a file on the way to it)
        raise FileError(field, f"cannot make the folder {shown(folder)}: a file of that name (or on its "
                               "path) is in the way") from None
    except OSError as err:
        raise FileError(field, f"cannot make the folder {shown(folder)}: {err.strerror}") from None


def write_text_file(path: str | Path, text: str, field: str = "--output") -> None:
    """Write UTF-8 ``text`` to ``path`` atomically (see :func:`atomic_output`)."""
    write_text_files([(path, text, field)])


def write_text_files(outputs: list[tuple[str | Path, str, str]]) -> None:
    """Write each ``(path, text, field)`` of ``outputs`` as UTF-8, all of them or none: each is
    written whole beside its name first (:func:`atomic_output`), and only when every one is
    written are they put in place, so that an error with one (a missing folder, a full disk)
    leaves every earlier file as it was — never a claim new beside a remittance that is not. Two
    outputs that are one file (a path, a link to it, a hard link) are refused before anything is
    written.

    Raises
    ------
    FileError
        naming the field of the first output that cannot be written (or whose text is no str,
        or holds a lone surrogate no UTF-8 file can hold; or that is also an earlier output:
        ``--remittance: 'x.837' is also --claim; write them to two files``).
    """
    if not isinstance(outputs, (list, tuple)) or not 1 <= len(outputs) <= 100 or not all(
            isinstance(output, tuple) and len(output) == 3 for output in outputs):
        raise FileError("outputs", f"expected a list of 1 to 100 (path, text, field) tuples, got "
                                   f"{shown_value(outputs)}")
    outputs = [tuple(map(unwrapped, output)) for output in outputs]  # (a text of a subclass: the plain text)
    data = []
    for i, (path, text, field) in enumerate(outputs):
        if not isinstance(text, str):
            raise FileError("text", f"expected the file's text (a str), got {type(text).__name__}")
        if not isinstance(field, str):
            raise FileError("field", f"expected the name messages give the file (such as '--output'), got "
                                     f"{type(field).__name__}")
        try:
            data.append(text.encode("utf-8"))
        except UnicodeEncodeError as err:  # a lone surrogate ('\ud800'): no UTF-8 file can hold it
            raise FileError(field, f"cannot write {shown(path)}: the text holds U+{ord(err.object[err.start]):04X}, "
                                   "a lone surrogate no UTF-8 file can hold") from None
        check_file_name(path, field, "write")
        for other, _, other_field in outputs[:i]:  # (one file named twice: the first would be lost)
            if same_file(path, other):
                raise FileError(field, f"{shown(path)} is also {other_field}; write them to two files")
    with ExitStack() as written:  # (left in the reverse order: each put in place only once all are written)
        for (path, _, field), content in zip(outputs, data):
            written.enter_context(atomic_output(path, field)).write_bytes(content)


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# --------------------------------------------------------------------------------------------
# Spreadsheet-safe CSV

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""how a cell a spreadsheet would run as a formula begins (OWASP, "CSV injection")"""


def formula_like(text: Any) -> bool:
    """Would a spreadsheet read this text cell as a formula? A number (``-5``, ``+1e3``,
    ``-$1,100``: :func:`medspa_kit.fields.is_number_text`) is not one."""
    return (isinstance(text, str) and text.startswith(FORMULA_START)
            and not is_number_text(text.strip()))


def spreadsheet_safe_text(text: Any) -> Any:
    """``text`` with a ``'`` before it when a spreadsheet would run it as a formula."""
    return "'" + text if formula_like(text) else text


def spreadsheet_safe(frame: "pd.DataFrame") -> "pd.DataFrame":
    """``frame`` with its text cells, column names and row labels spreadsheet-safe.

    Only text is changed: numbers in number columns, and text that reads as a number, stay as
    they are. The frame is copied only when something changes.
    """
    import numpy as np
    import pandas as pd

    out = frame
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if isinstance(column.dtype, pd.StringDtype):
            starts = column.str.startswith(FORMULA_START).to_numpy(dtype=bool, na_value=False)
        elif column.dtype == object:
            starts = column.map(formula_like, na_action="ignore").to_numpy(dtype=bool, na_value=False)
        else:
            continue
        candidates = np.flatnonzero(starts)
        risky = candidates[[formula_like(column.iat[i]) for i in candidates]] if len(candidates) else candidates
        if len(risky):
            if out is frame:
                out = frame.copy()
            values = column.to_numpy(dtype=object, copy=True)
            values[risky] = ["'" + values[i] for i in risky]
            out.isetitem(position, pd.Series(values, index=frame.index, dtype=column.dtype, name=column.name))
    if any(formula_like(name) for name in out.columns):
        out = out.rename(columns=spreadsheet_safe_text)
    if not pd.api.types.is_numeric_dtype(out.index.dtype) and any(formula_like(label) for label in out.index):
        out = out.rename(index=spreadsheet_safe_text)
    return out
