"""The scenario's field rules, stated once: kinds, enumerations, limits, and how typed text reads.

The pydantic model (:mod:`medspa_kit.model`), the batch reader (:mod:`medspa_kit.batch_cells`),
the dataset loader (:mod:`medspa_kit.catalog`) and the widgets all read fields through this
module, so a "1", a "$1,100" or a "yes" means the same thing in a JSON file, a CSV cell, a
spreadsheet upload and a text box:

* numbers: plain decimals (``1100``, ``0.2``, ``1e3``), optionally with a leading ``$`` and
  thousands separators in groups of three (``$1,100.50``);
* flags: ``true``/``false``, ``yes``/``no``, ``1``/``0``, in any case;
* lists: codes separated by ``;`` or ``,`` (a lone ``;`` is an empty list);
* a history of earlier services: ``code date`` pairs separated by ``;``
  (``64615 2025-12-01; 64615 2026-02-23``);
* empty text, ``none`` and ``null`` leave the field out (its default applies).

Text that cannot be read is passed on unchanged, so the parser names the field and the value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from fractions import Fraction
from dataclasses import dataclass
from typing import Any, Literal, Mapping, Sequence

import numpy as np

from .arguments import failure, pairs, unwrapped
from .errors import ScenarioError, shortened, shown_value
from .money import MONEY_MAX, fraction_decimal, money_problem, number_shown, rate_problem

KindName = Literal["number", "flag", "text", "list", "date", "history"]

VERSIONS = (1, 2)
"""scenario file versions this release reads: 1 (one service) and 2 (claim lines)"""
MAX_UNITS = 10_000
"""the most units one line may hold"""
MAX_LINES = 50
"""the most lines one claim may hold: the 837P professional claim's service-line loop (2400)
repeats at most 50 times (X12 005010X222A1, source ``x12-837p``)"""
PROVIDER_TYPES = ("MD", "DO", "NP", "PA", "RN", "aesthetician")
FACILITY_KINDS = ("medical_clinic", "med_spa", "day_spa")
PLAN_TYPES = ("HMO", "EPO", "PPO", "POS", "HDHP", "MEDICARE")
"""``MEDICARE`` is Original Medicare Part B (no network contract, no out-of-pocket cap)"""


def contradiction(codes: Sequence[str], modifiers: Mapping[str, Mapping[str, Any]]) -> tuple[int, str] | None:
    """``(position of the modifier, why)`` when a line's modifiers contradict each other: a row of
    ``modifiers.csv`` whose ``contradicts`` names another modifier on the same line (GZ and GA, JZ
    and JW — each says the opposite of the other; sources in that file)."""
    for position, code in enumerate(codes):
        row = modifiers.get(code)
        if row and row.get("contradicts") and row["contradicts"] in codes:
            return position, row["contradiction"]
    return None


def misplaced(codes: Sequence[str], modifiers: Mapping[str, Mapping[str, Any]], category: str) -> tuple[int, str] | None:
    """``(position of the modifier, why)`` when a modifier is on a line of the wrong kind: a row of
    ``modifiers.csv`` whose ``only_on`` names the procedure category its line must be (JW and JZ
    on a drug's line, CMS JW/JZ FAQs; 25 on an office visit, NCCI) and ``category`` is the line's."""
    for position, code in enumerate(codes):
        row = modifiers.get(code)
        if row and row.get("only_on") and row["only_on"] != category:
            return position, row["misplaced"]
    return None


@dataclass(frozen=True)
class Kind:
    """How a field's value is typed in (a marker in the model's ``Annotated`` types)."""

    name: KindName
    unit: str = ""
    """for numbers: ``dollars`` or ``fraction`` (a rate from 0 to 1)"""


NUMBER = re.compile(r"[+-]?\$?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?")
"""a number as text: plain decimal or exponent notation, optionally ``$`` and 3-digit groups;
ASCII digits only (``１１００`` and ``١١٠٠`` are no numbers), no ``_`` between digits"""
NUMBER_NOISE = re.compile(r"[$,]")
"""what is dropped from a number before it is read: the dollar sign and the group separators"""
HAS_DIGIT = re.compile(r".*[0-9].*")
FLAG_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
EMPTY_WORDS = frozenset({"", "none", "null"})
LIST_SEPARATOR = re.compile(r"[;,]")


class _Omitted:
    def __repr__(self) -> str:
        return "OMITTED"


#: What an empty cell or box stands for: the field is left out and takes its default.
OMITTED: Any = _Omitted()


@dataclass(frozen=True)
class OutOfRange:
    """Number text too large for any float (``1e999``, 400 nines), or too small for one though
    not zero (``1e-400``, which a float reads as 0), kept as typed so that the message shows what
    was typed rather than ``inf`` or a silent ``0``."""

    text: str

    def __repr__(self) -> str:
        return self.text

    @staticmethod
    def of(text: str, value: float) -> "OutOfRange | float":
        """``value`` (the float of ``text``), or an OutOfRange when the float is not the number:
        infinite, or zero for text with a digit other than 0 before its exponent."""
        if math.isinf(value) or (value == 0 and any(c in "123456789" for c in re.split("[eE]", text)[0])):
            return OutOfRange(text)
        return value

    @property
    def tiny(self) -> bool:
        """Nearer zero than any float (``1e-400``), not beyond the largest."""
        return not math.isinf(float(NUMBER_NOISE.sub("", self.text) or "0"))

    def problem(self, unit: str) -> str:
        """Why the number is refused, in the words of the field's limit (``unit``: ``dollars``,
        ``fraction`` or another)."""
        text = shortened(self.text, 60)
        if self.tiny:
            return f"{text} has a fraction of a cent" if unit == "dollars" else f"{text} is too small to read (not 0)"
        if unit == "fraction":
            return f"{text} is not a rate between 0 and 1 (write 20% as 0.2)"
        if unit == "dollars":
            return f"{text} is negative" if text.startswith("-") else f"{text} is more than ${MONEY_MAX:,.0f}"
        return f"{text} is out of range"


def is_number_text(text: str) -> bool:
    """Does stripped ``text`` read as a number (see :data:`NUMBER`)?"""
    return bool(NUMBER.fullmatch(text)) and bool(HAS_DIGIT.match(text))


def read_text(kind: KindName, text: str) -> Any:
    """The value typed-in ``text`` stands for, for a field of this kind (``OMITTED`` when empty).

    Parameters
    ----------
    kind : {"number", "flag", "text", "list", "date", "history"}
    text : str
        What was typed: a CSV cell, a spreadsheet cell, a widget's text box.

    Returns
    -------
    float, bool, str, list of str, OutOfRange or OMITTED
        A float for a number (:class:`OutOfRange` for a number no float holds, ``1e999``), a bool
        for a flag, a list of stripped items for a list; text and
        dates come back stripped (the parser reads dates). Unreadable text comes back as it is.
    """
    stripped = text.strip()
    if stripped.lower() in EMPTY_WORDS:
        return OMITTED
    if kind == "number":
        if not is_number_text(stripped):
            return stripped
        return OutOfRange.of(stripped, float(NUMBER_NOISE.sub("", stripped)))
    if kind == "flag":
        return FLAG_WORDS.get(stripped.lower(), stripped)
    if kind == "list":
        return [item.strip() for item in LIST_SEPARATOR.split(stripped) if item.strip()]
    if kind == "history":
        return read_history(stripped)
    return stripped


def read_history(text: str) -> list[Any]:
    """Earlier services typed as ``code date`` pairs: ``64615 2025-12-01; G0447 2026-01-05``.

    Returns a list of ``{"code": ..., "date": ...}`` for the scenario parser to check; a part
    that is not two words comes back as it was, so the parser names it.
    """
    items: list[Any] = []
    for part in re.split(r"[;\n]", text):
        words = part.split()
        if not words:
            continue
        items.append({"code": words[0], "date": words[1]} if len(words) == 2 else part.strip())
    return items


def write_history(history: Any) -> str:
    """A history as :func:`read_history` reads it back (items are dicts or objects with code and date)."""
    out = []
    for item in history:  # a malformed item is written as it is, for the parser to name
        code = item.get("code", "") if isinstance(item, dict) else item.code
        date = item.get("date", "") if isinstance(item, dict) else item.date
        out.append(f"{code} {date if isinstance(date, str) else date.isoformat()}".strip())
    return "; ".join(out)


DATES = (dt.date(1900, 1, 1), dt.date(2199, 12, 31))
"""the dates of service, treatment and plan years the kit reads: wide of every code set and
payer rule it carries, and far enough from the calendar's ends that every interval it counts
(frequency limits, plan years, payment days) stays a date that X12 can write (CCYYMMDD)"""


def parse_iso_date(value: Any) -> dt.date:
    """A date of service or treatment: a ``datetime.date`` or ISO text ``YYYY-MM-DD``, within
    :data:`DATES` (1900-01-01 to 2199-12-31).

    A date and time at midnight without a time zone (``pandas.Timestamp("2026-03-02")``, a date
    cell of a spreadsheet or Parquet file) is its date, in every face.

    Raises
    ------
    ValueError
        For a date and time of day, text that is no ``YYYY-MM-DD`` date, or a date outside
        :data:`DATES` (the message names the value).
    """
    day = calendar_date(value)
    if not DATES[0] <= day <= DATES[1]:
        raise ValueError(f"{day.isoformat()} is outside the dates the kit reads ({DATES[0].isoformat()} to "
                         f"{DATES[1].isoformat()})")
    return day


def calendar_date(value: Any) -> dt.date:
    """A ``datetime.date`` (a date and time at midnight without a time zone is its date) or ISO
    text ``YYYY-MM-DD``, any day on the calendar; ValueError naming the value otherwise."""
    if value is None or (type(value).__name__ == "NaTType"):  # pandas' missing date
        raise ValueError("the date is missing; give a date (YYYY-MM-DD)")
    if isinstance(value, dt.datetime):
        if _midnight(value):
            return value.date()
        raise ValueError(f"{value.isoformat(sep=' ')} is a date and time; give a date (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        found = iso_date(value.strip())
        if found is not None:
            return found
    raise ValueError(f"{shown_value(value)} is not an ISO date (YYYY-MM-DD)")


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
"""a date as text: ``YYYY-MM-DD`` exactly, ASCII digits (not ``20260302`` nor ``2026-W10-1``,
which newer Pythons' ``date.fromisoformat`` also reads)"""


def iso_date(text: str) -> dt.date | None:
    """The date ``text`` spells as ``YYYY-MM-DD`` (exactly ten ASCII characters); None if it
    spells none (``2026-02-30``, ``20260302``, ``2026-3-2``), on every Python version."""
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _midnight(value: dt.datetime) -> bool:
    """A date and time that is a plain date: midnight, no time zone (a spreadsheet's or a
    Parquet file's date cell, a ``pandas.Timestamp("2026-03-02")``)."""
    return (value.tzinfo is None and value.time() == dt.time(0)
            and not getattr(value, "nanosecond", 0))


def checked_money(value: float) -> float:
    """``value`` as dollars; raises ValueError saying why it is no valid amount."""
    problem = money_problem(value)
    if problem:
        raise ValueError(problem)
    return float(value)


def whole_number_checked(value: Any) -> Any:
    """A whole number too large for a float, refused with the money rule's words before pydantic
    turns it into a float (``1.00000e+400 is more than $10,000,000``); other values unchanged."""
    if isinstance(value, OutOfRange):
        raise ValueError(value.problem("dollars"))
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        raise ValueError(money_problem(value) or f"{value} is not a number")
    return value


def rate_text_checked(value: Any) -> Any:
    """Rate text too large for a float (``1e999``) refused as out of range, as typed; other
    values unchanged."""
    if isinstance(value, OutOfRange):
        raise ValueError(value.problem("fraction"))
    return value


def checked_rate(value: float) -> float:
    """``value`` as a rate (fraction 0–1); raises ValueError saying why it is none."""
    problem = rate_problem(value)
    if problem:
        raise ValueError(problem)
    return float(value)


# Rules between fields. Each works on one value or on whole columns (numpy arrays) alike.


def deductible_above_oop_max(deductible: Any, oop_max: Any) -> Any:
    """A plan whose deductible (dollars or cents) is above its out-of-pocket maximum is invalid.

    A missing value (None; NaN in a column) never breaks the rule: there is nothing to compare.
    """
    if deductible is None or oop_max is None:
        return False
    return deductible > oop_max


def deductible_above_oop_max_message(deductible: float, oop_max: float) -> str:
    return f"deductible {number_shown(deductible)} is above the out-of-pocket maximum {number_shown(oop_max)}"


def treated_after_service(last_treatment: Any, date_of_service: Any) -> Any:
    """A last treatment after the date of service is invalid (dates or day numbers)."""
    return last_treatment > date_of_service


def treated_after_service_message(last_treatment: dt.date, date_of_service: dt.date) -> str:
    return f"{last_treatment.isoformat()} is after the date of service {date_of_service.isoformat()}"


def earlier_not_before(earlier: Any, date_of_service: Any) -> Any:
    """An earlier service (``history``) on or after the date of service is invalid: the visit
    being claimed is not its own history (dates or day numbers)."""
    return earlier >= date_of_service


def earlier_not_before_message(earlier: dt.date, date_of_service: dt.date) -> str:
    when = "is the date of service" if earlier == date_of_service else "is after the date of service"
    return f"{earlier.isoformat()} {when} {date_of_service.isoformat()}: list only earlier services"


_UNITS = re.compile(r"(?<![^\s\-\u2212])[xX]\s*([-+\u2212]?\s*\d[^\s;\-]*)")
"""``x`` then units (``x155``, ``x 155``, ``x-5``), after a space or a dash; ``\\d`` is any digit, so
that digits other than 0-9 are named rather than read as a modifier"""


def read_lines(text: str) -> list[dict[str, Any]]:
    """Claim lines typed as a biller writes them: ``64615; J0585 x155; J0585-JW x45``.

    Lines are separated by ``;`` or new lines; each is a billing code with its modifiers after
    dashes or spaces (``99213-25``), and optionally ``xN`` (or ``×N``, ``x N``) units. The scenario
    parser then checks each code and modifier.

    Raises
    ------
    ValueError
        Naming the line: a line that begins with a dash (no code before its modifiers), units that
        are no whole number in digits 0-9 (``x1.5``, ``x-5``, ``x١٥٥``), units given twice, or an
        ``x`` with no units after it.
    """
    lines: list[dict[str, Any]] = []
    for number, part in enumerate(re.split(r"[;\n]", text), start=1):
        if part.strip()[:1] in ("-", "\u2212"):
            raise ValueError(f"line {number}: {shortened(repr(part.strip()), 40)} begins with a dash: a line begins "
                             "with its billing code, modifiers after it (99213-25)")
        part = part.replace("×", " x")
        line: dict[str, Any] = {}
        for match in _UNITS.finditer(part):
            written = "x" + re.sub(r"\s", "", match.group(1))
            if not re.fullmatch(r"x[0-9]+", written):
                raise ValueError(f"line {number}: {shortened(repr(written), 40)} is not a whole number of units in "
                                 "digits 0-9 (write x155)")
            if "units" in line:
                raise ValueError(f"line {number}: units given twice (x{line['units']} and {written}): write them once")
            line["units"] = int(written[1:])
        words = _UNITS.sub(" ", part).replace("-", " ").replace("\u2212", " ").split()
        if not words:
            if line:
                raise ValueError(f"line {number}: units with no billing code before them")
            continue
        modifiers = []
        for word in words[1:]:
            if word.lower() == "x":
                raise ValueError(f"line {number}: an x with no units after it (write x155)")
            if word[:1] in ("x", "X") and any(ch in ".," for ch in word[1:]):
                raise ValueError(f"line {number}: {shortened(repr(word), 40)} is not a whole number of units in "
                                 "digits 0-9 (write x155)")
            modifiers.append(word.upper())  # (XE, XS and XU are modifiers that begin with X)
        line = {"code": words[0], **line}
        if modifiers:
            line["modifiers"] = modifiers
        lines.append(line)
    if not lines:
        raise ValueError("no line: write a billing code, such as 64615; J0585 x155")
    return lines


def write_lines(lines: Any) -> str:
    """Lines as :func:`read_lines` reads them back: ``64615; J0585 x155; J0585-JW x45``."""
    out = []
    for line in lines:
        code = line["code"] if isinstance(line, dict) else line.code
        units = line.get("units", 1) if isinstance(line, dict) else line.units
        modifiers = line.get("modifiers", ()) if isinstance(line, dict) else line.modifiers
        out.append(code + "".join(f"-{m}" for m in modifiers) + (f" x{units}" if units != 1 else ""))
    return "; ".join(out)


# Values handed over from Python: numpy's scalars mean what Python's mean.

MAX_NESTING = 32
"""the deepest a scenario's dicts and lists may nest (a scenario nests 4 deep)"""


def plain(value: Any) -> Any:
    """A numpy scalar, a ``Decimal`` or a ``Fraction`` as the Python value it holds; any other value
    unchanged.

    ``np.True_`` is ``True``, ``np.int64(3)`` is ``3``, and a ``np.float32(0.2)`` is ``0.2`` (the
    shortest decimal that is the same float32, not ``0.20000000298…``), so a value taken from an
    array is read exactly as the same value typed in Python. ``Decimal("12.50")`` is ``12.5``; one
    no float holds (``Decimal("1e400")``, ``Decimal("1e-400")``) is an :class:`OutOfRange` shown as
    written, never ``inf`` or ``0``. A ``np.datetime64`` is a date and time whatever its unit; a
    ``np.timedelta64`` (or a date Python cannot hold) a :class:`NumpyTime`, which no field takes.
    ``Fraction(1100)`` is ``1100``, ``Fraction(1, 4)`` is ``0.25``, as a ``Decimal`` of 40 digits.
    A subclass of ``float`` or ``int`` (not ``bool``) is the plain float or int it holds.
    """
    value = unwrapped(value)  # (a subclass of a number: the number it holds, and no method of its own is used)
    if isinstance(value, np.generic):
        if isinstance(value, (np.timedelta64, np.datetime64)):
            return _numpy_time(value)
        if isinstance(value, np.floating) and value.dtype.itemsize < 8:
            return float(str(value))
        if isinstance(value, np.floating) and value.dtype.itemsize > 8:  # (a long double: .item() keeps it one)
            value = Decimal(str(value))  # its digits, as written (1e+4000 is no float: an OutOfRange)
        else:
            return value.item()
    if isinstance(value, Fraction):  # a whole one as the int it is; any other as a Decimal of it
        if value.denominator == 1:
            return value.numerator
        value = fraction_decimal(value)
    if isinstance(value, Decimal):
        if value.is_nan():  # (a signalling NaN cannot become a float at all)
            return math.nan
        return OutOfRange.of(str(value), float(value)) if value.is_finite() else float(value)
    return value


@dataclass(frozen=True)
class NumpyTime:
    """A numpy length of time, or a numpy date beyond Python's: no value of any field. numpy counts a
    ``timedelta64`` as an integer and ``.item()`` makes a nanosecond date an int, so either would be
    read as a number of dollars; kept as written, every field refuses it by name."""

    text: str

    def __repr__(self) -> str:
        return self.text


def _numpy_time(value: np.timedelta64 | np.datetime64) -> Any:
    """A numpy date as Python's date and time (None for NaT); anything else a :class:`NumpyTime`."""
    if isinstance(value, np.datetime64):
        moment = value.astype("datetime64[us]").item() if not np.isnat(value) else None
        if moment is None or isinstance(moment, dt.datetime):
            return moment
    elif np.isnat(value):
        return None
    return NumpyTime(repr(value))


def plain_tree(data: Any, max_depth: int = MAX_NESTING) -> Any:
    """``data`` with every numpy scalar and array in it made plain (dicts, lists, tuples copied).

    Raises
    ------
    ScenarioError
        naming the dotted path (``service.me``, ``diagnoses[0]``) of a dict or list that contains
        itself, of dicts and lists nested more than ``max_depth`` levels, or of an object whose
        ``repr`` fails.
    """
    inside: set[int] = set()  # ids of the containers on the path walked: one seen again contains itself

    def walk(node: Any, path: str) -> Any:
        if type(node) in _PLAIN:  # most values: nothing to do (and no call per value)
            return node
        node = unwrapped(node)  # (a number of a subclass of int or float: the plain one, before any repr)
        if type(node) in _PLAIN:
            return node
        if isinstance(node, np.ndarray):
            node = node.tolist()
        if isinstance(node, (dict, list, tuple, Mapping)):
            if id(node) in inside:
                kind = "dict" if isinstance(node, Mapping) else "list"
                raise ScenarioError.one(path or "scenario", f"a {kind} that contains itself")
            if len(inside) >= max_depth:
                raise ScenarioError.one(path or "scenario", f"nested too deeply (more than {max_depth} levels)")
            inside.add(id(node))
            if isinstance(node, Mapping):  # (a dict, or any Mapping: read once, as a dict)
                made: Any = {key: value if type(value) in _PLAIN else walk(value, f"{path}.{key}" if path else str(key))
                             for key, value in pairs(node, path or "scenario", "a JSON object")}
            else:
                try:  # (a list of the caller's whose own __iter__ fails)
                    values = list(node)
                except Exception as err:
                    raise ScenarioError.one(path or "scenario", f"reading the {type(node).__name__} given failed: "
                                                                f"{failure(err)}") from None
                made = [value if type(value) in _PLAIN else walk(value, f"{path}[{index}]")
                        for index, value in enumerate(values)]
                made = made if isinstance(node, list) else tuple(made)
            inside.discard(id(node))
            return made
        try:  # any object may be given: one whose repr fails would break the message naming it
            repr(node)
        except Exception:
            raise ScenarioError.one(path or "scenario", f"a {type(node).__name__} value that cannot be shown or read") from None
        return plain(node)

    return walk(data, "")


_PLAIN = frozenset({str, int, float, bool, type(None)})


def float_values(column: Any) -> np.ndarray:
    """A column of numbers (a pandas Series) as float64, each read as Python reads the value.

    Empty cells are NaN; a float32 or float16 cell is the shortest decimal it holds (0.2, not
    0.20000000298…); numpy scalars in an object column count as Python's; a whole number too
    large for a float is infinite (so it is refused, and the parser names it).
    """
    dtype = getattr(column.dtype, "numpy_dtype", column.dtype)
    if dtype == object:
        column = column.map(plain)
    try:
        values = column.to_numpy(dtype=float, na_value=np.nan)
    except OverflowError:
        values = np.array([_float_or_infinite(v) for v in column.to_numpy(dtype=object)], dtype=float)
    if isinstance(dtype, np.dtype) and dtype.kind == "f" and dtype.itemsize < 8:
        values = values.astype(dtype).astype(str).astype(np.float64)
    return values


def _float_or_infinite(value: Any) -> float:
    try:
        return float(value)
    except OverflowError:
        return np.inf if value > 0 else -np.inf
    except (TypeError, ValueError):
        return np.nan
