"""One exception family for every kind of bad input.

Every message names the field (or file, row and column) and the bad value, so a trainee, a
consultant or a CI log can fix the input without reading a traceback.
"""

from __future__ import annotations

import sys
import threading
from decimal import Decimal
from fractions import Fraction
from typing import Any

MESSAGE_MAX = 500
"""characters: the longest message; a longer one (a huge value echoed) keeps its start and end"""
PROBLEM_MAX = MESSAGE_MAX - 150
"""characters: the longest message of one problem (the field or file and row go before it)"""


def shortened(message: str, limit: int = MESSAGE_MAX) -> str:
    """``message`` on one line of at most about ``limit`` characters.

    A message that echoes a huge value (a 50 MB cell) keeps its first and last characters, which
    name the field and say what is wrong, and says how much was left out.
    """
    if len(message) <= limit:
        return message
    head, tail = limit * 2 // 3, limit // 3
    return f"{message[:head]}… [{len(message) - head - tail:,} characters left out] …{message[-tail:]}"


_NUMPY_SCALARS: list[frozenset[type]] = []
"""numpy's own scalar types (a subclass of one is none of them), once numpy is loaded: this
module loads before the command's stop handlers, so it imports nothing slow itself"""


def _numpy() -> Any:
    """numpy when it is loaded (None before: then no value is a numpy number)."""
    np = sys.modules.get("numpy")
    if np is not None and not hasattr(np, "generic"):  # (numpy still loading: no numpy value exists yet)
        return None
    if np is not None and not _NUMPY_SCALARS:
        _NUMPY_SCALARS.append(frozenset(np.sctypeDict.values()))
    return np


def subclassed_number(kind: type) -> bool:
    """Whether ``kind`` is a subclass of ``int``, ``float``, a numpy number, ``Decimal``,
    ``Fraction`` or ``str`` that is none of them itself (not ``bool``): its values are read
    through :func:`unwrapped`."""
    if kind in (float, int, bool, str, Decimal, Fraction):
        return False
    np = _numpy()
    if np is not None and issubclass(kind, np.generic):
        return kind not in _NUMPY_SCALARS[0] and issubclass(kind, np.number)
    return issubclass(kind, (int, float, str, Decimal, Fraction))


def unwrapped(value: Any) -> Any:
    """A number of a subclass of ``float``, ``int`` (not ``bool``), ``Decimal`` or ``Fraction`` as
    the plain number it holds, one of a subclass of a numpy number as that numpy number, and text
    of a subclass of ``str`` (numpy's ``str_`` too) as plain text, each read without any method of the subclass (its
    ``repr``, ``item``, ``__int__`` or ``__format__`` may fail or say another number); any other
    value unchanged."""
    kind = type(value)
    if kind is float or kind is int or kind is bool or kind is str:
        return value
    np = _numpy()
    if np is not None and isinstance(value, np.generic):
        if isinstance(value, str):  # (np.str_, from an array of texts: the plain text)
            return str.__str__(value)
        if kind in _NUMPY_SCALARS[0] or not isinstance(value, (np.number, np.bool_)):
            return value
        base = next(k for k in kind.__mro__ if k in _NUMPY_SCALARS[0])
        return base(np.generic.item(value))  # (numpy's own item: the value it holds, in its own type)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, str):  # (text of a subclass: the plain text, compared and shown as it is)
        return str.__str__(value)
    if isinstance(value, Decimal):  # (Decimal's own digits)
        return Decimal(Decimal.__str__(value))
    if isinstance(value, Fraction):  # (the terms Fraction keeps, read past any property of the subclass)
        terms = (_NUMERATOR.__get__(value, Fraction), _DENOMINATOR.__get__(value, Fraction))
        return Fraction(unwrapped(terms[0]), unwrapped(terms[1]))
    return value


_NUMERATOR, _DENOMINATOR = Fraction.__dict__["_numerator"], Fraction.__dict__["_denominator"]


def shown_value(value: Any) -> str:
    """``repr(value)`` for a message, shortened and on one line; a value whose ``repr`` fails or
    spans lines (a DataFrame) is named by its type.
    A numpy scalar is shown as the Python value it holds (``999.0``, not ``np.float64(999.0)``); a
    0-d array as the array (``array('2026-03-01', dtype='datetime64[D]')``); a number of a subclass
    as the number it holds (:func:`unwrapped`)."""
    value = unwrapped(value)
    if type(value).__module__ == "numpy" and hasattr(value, "item") and getattr(value, "ndim", 1) == 0 \
            and type(value).__name__ not in ("timedelta64", "datetime64", "ndarray"):
        value = value.item()  # (a scalar; a date's or a duration's .item() may be a bare int, and a 0-d array
        #                        is shown as the array it is: a date inside one is refused as no date)
    try:
        text = repr(value)
    except Exception:  # any object may be given; its repr must not break the message about it
        return f"<a {type(value).__name__} that cannot be shown>"
    if not text.isprintable():  # a table's repr spans lines: a message stays on one
        shape = getattr(value, "shape", None)
        return f"<a {type(value).__name__}{f' of shape {shape}' if isinstance(shape, tuple) else ''}>"
    return shortened(text, PROBLEM_MAX // 2)


STRAY_CR = ("a carriage return (CR) outside quotes: the lines end with CR alone (an old Mac format) or a cell "
            "holds a stray one; save the file as CSV with Windows (CR LF) or Unix (LF) line endings")


def csv_words(err: Exception) -> str:
    """What Python's csv module said about a file, in a clinic's words (its own words otherwise)."""
    text = str(err)
    return STRAY_CR if "new-line character" in text else text


class MedspaError(ValueError):
    """Base of every error medspa-kit raises on bad input (its message is at most about
    :data:`MESSAGE_MAX` characters)."""

    def __init__(self, *args: Any):
        if args and isinstance(args[0], str):
            args = (shortened(args[0]), *args[1:])
        super().__init__(*args)

    @classmethod
    def named(cls, name: str, message: str) -> "MedspaError":
        """``name: message``: how :mod:`medspa_kit.arguments` raises this kind of error for an
        argument ``name``."""
        return cls(f"{name}: {message}")


class ScenarioError(MedspaError):
    """A scenario (JSON file, dict, widget value or batch row) is invalid.

    ``problems`` holds every ``(field, message)`` found; ``str(error)`` is the first one, on one
    line, with a count of the others.
    """

    def __init__(self, problems: list[tuple[str, str]]):
        if not problems:
            raise ValueError("ScenarioError needs at least one problem")
        self.problems = [(shortened(_one_line(field), 100), shortened(message, PROBLEM_MAX))
                         for field, message in problems]
        field, message = self.problems[0]
        text = f"{field}: {message}"
        if len(self.problems) > 1:
            text += f" (and {len(self.problems) - 1} more problem{'s' if len(self.problems) > 2 else ''})"
        super().__init__(text)

    @property
    def field(self) -> str:
        return self.problems[0][0]

    @classmethod
    def one(cls, field: str, message: str) -> "ScenarioError":
        return cls([(field, message)])

    named = one


class FileError(ScenarioError):
    """A file cannot be read or written: missing, not a regular file, too large, not UTF-8
    text, not valid JSON, or the same file as an input. ``field`` is ``file``, ``scenario`` or
    the option that named it (``--output``)."""

    def __init__(self, field: str, message: str):
        super().__init__([(field, message)])


def _one_line(name: str) -> str:
    """A field name as a message prints it: escaped like ``repr`` (``ba\\nd``) when it holds a
    line break or another character that is not printable, so the message stays one line."""
    return name if name.isprintable() else repr(name)[1:-1]


class DatasetError(MedspaError):
    """A file in ``datasets/`` breaks its schema or refers to something unknown."""

    def __init__(self, problems: list["DatasetProblem"]):
        if not problems:
            raise ValueError("DatasetError needs at least one problem")
        self.problems = list(problems)
        text = str(self.problems[0])
        if len(self.problems) > 1:
            text += f" (and {len(self.problems) - 1} more)"
        super().__init__(text)


class DatasetProblem:
    """One bad cell: file, 1-based data row (header excluded), column and what is wrong."""

    __slots__ = ("file", "row", "column", "message")

    def __init__(self, file: str, row: int | None, column: str | None, message: str):
        self.file, self.row, self.column, self.message = file, row, column, shortened(message, PROBLEM_MAX)

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.message}"

    def __repr__(self) -> str:
        return f"DatasetProblem({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DatasetProblem) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class EdiError(MedspaError):
    """An outcome that cannot be written as an 837P claim or an 835 remittance, saying why
    (``lines[3].modifiers: 5 modifiers; an 837P line carries at most 4``), or the ``edi``
    extra (x12sdk) missing."""


STOP_REQUESTED: list[type[BaseException]] = []
"""The stop a signal asked for (the exception it raised), set by the command line's handler: no
output is put in place once a stop was asked for, even when Python lost that exception (one
raised inside a destructor is printed and dropped). Kept here, in a module that imports nothing
heavy, so that the command line can listen for signals before it loads pandas and numpy."""

STOPS_HELD: list[bool] = []
"""Not empty while the command runs a part a signal must not break into (a Dask cluster starting:
interrupted, it is left half made, and its library's exit handler fails on it with a traceback):
the handler then records the stop without raising it, and it is raised as that part ends
(:func:`medspa_kit.files.stops_held`)."""

PARTIAL_OUTPUTS: set[str] = set()
"""The temporary files (and the Dask batch's temporary folders) being written beside outputs
(:func:`~medspa_kit.files.make_beside`): what a command stopped by a signal removes if it must
end at once."""

PARTIAL_OUTPUTS_LOCK = threading.Lock()
"""Held while a temporary output is named and made, and by a command that must end at once while
it removes them: none can be made after that command has looked, and be left behind."""

ON_PUT_IN_PLACE: list = []
"""Callables run just before an output is put in place (renamed over its name): the command
line's point of no return, after which a signal no longer stops it (the outputs would be half
old, half new). Empty outside the command line."""
