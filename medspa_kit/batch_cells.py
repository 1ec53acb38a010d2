"""Read and check a whole table of scenarios at once (check 1, inputs, over columns).

Every column is read with the cell rules of :mod:`medspa_kit.columns` and
:mod:`medspa_kit.fields`; each field is checked with the same rules the scenario parser uses
(the limits of :mod:`medspa_kit.money`, ``icd_problem``, the catalog's procedure lookup, the
rules between fields of :mod:`medspa_kit.fields`, ...). Numbers are checked over whole arrays; codes, dates and
lists once per distinct value. The result says, per row, whether the scenario parser would
reject it — then :func:`medspa_kit.batch.evaluate_frame` asks the parser why, for those rows only.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from decimal import Decimal
from fractions import Fraction
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
import pandas as pd

from .arguments import unwrapped
from .codes import icd_problem, normalize_icd, npi_problem
from .columns import COLUMNS, LINE_SPECS, OON_COLUMNS, OON_REQUIRED, SPECS, cell_value, is_empty
from .fields import (
    EMPTY_WORDS,
    contradiction,
    misplaced,
    read_history,
    write_history,
    FACILITY_KINDS,
    HAS_DIGIT,
    MAX_LINES,
    MAX_UNITS,
    NUMBER,
    NUMBER_NOISE,
    OMITTED,
    PLAN_TYPES,
    PROVIDER_TYPES,
    is_number_text,
    deductible_above_oop_max,
    earlier_not_before,
    float_values,
    parse_iso_date,
    treated_after_service,
)
from .catalog import GENERIC_PAYER
from .facts import NO_CAP
from .money import CENT_TOLERANCE, MICRO, MONEY_MAX, RATE_TOLERANCE, rate_micro, to_cents

if TYPE_CHECKING:
    from .catalog import Catalog


# --------------------------------------------------------------------------------------------
# Whole-column readers.


@dataclass
class Numbers:
    """A column of numbers as the parser would see them (text read as :func:`medspa_kit.fields.read_text` reads it)."""

    present: np.ndarray
    value: np.ndarray
    """float64; NaN where the cell holds no number"""
    wrong_type: np.ndarray
    """a cell given as true/false (bools are no numbers to the parser)"""
    text: np.ndarray
    """a cell that is not a number at all (``'abc'``, ``'1,10'``, ``'20%'``)"""


def _distinct(series: pd.Series, kind: str) -> tuple[np.ndarray, list[Any]]:
    """Codes into the column's distinct cells, each read once; code -1 = an empty cell.

    The empty cell's value comes last, so -1 indexes it in any array made from the values.
    """
    codes, uniques = _factorized(series)
    if series.dtype == object and any(_bool_or_bit(u) for u in uniques):
        # True == 1 and False == 0.0, and they hash alike, so factorize keeps only the first of
        # each pair it meets; but to the parser True is no number. Tell them apart (rare: a column
        # of Python objects mixing true/false with 0/1), keeping empty cells empty.
        tagged = series.map(lambda v: None if is_empty(v) else (isinstance(v, (bool, np.bool_)), _hashable(v)))
        codes, uniques = pd.factorize(tagged, use_na_sentinel=True)
        uniques = [value for _, value in uniques]
    return codes, [cell_value(kind, u) for u in uniques] + [OMITTED]


class _Cell:
    """A cell no hash table can hold (a dict, a set, a Parquet struct): read on its own and
    refused as the parser refuses it, naming the column. Two cells that show the same (the same
    record on each row of a claim) are one distinct value, so the rows of a claim that repeat a
    bad cell are refused for the cell, not as rows that differ."""

    __slots__ = ("value", "_key")

    def __init__(self, value: Any):
        self.value = value
        try:
            self._key: Any = (type(value), repr(value))
        except Exception:  # (a value whose repr fails is its own)
            self._key = id(value)

    def __repr__(self) -> str:
        return repr(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Cell) and self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)


def _hashable(value: Any) -> Any:
    """``value`` as a key of a hash table: a list or an array (a Parquet list cell) as a tuple,
    which reads the same way; a dict or a set wrapped (:class:`_Cell`)."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(item) for item in value)
    try:
        hash(value)
    except TypeError:
        return _Cell(value)
    return value


def _factorized(series: pd.Series) -> tuple[np.ndarray, Any]:
    """``pd.factorize`` of a column, whose cells may be lists, arrays, dicts or sets."""
    try:
        return pd.factorize(series, use_na_sentinel=True)
    except TypeError:
        return pd.factorize(series.map(_hashable), use_na_sentinel=True)


def _bool_or_bit(value: Any) -> bool:
    """A value factorize may have merged with another type: a bool, or a number equal to 0 or 1."""
    if isinstance(value, (bool, np.bool_)):
        return True
    return isinstance(value, (int, float, np.number)) and value in (0, 1)


def _holds(series: pd.Series, *kinds: str) -> bool:
    """Does an object column hold only these kinds of value (besides empty cells)? One fast pass."""
    return series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) in kinds


def _spread(per_value: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``per_value[codes]``: a flag per distinct cell (the last one for empty cells, code -1) per row.

    Most columns say the same of every cell (all filled in, none bad): then the answer needs no
    lookup per row.
    """
    used = per_value if (codes < 0).any() else per_value[:-1]
    if used.all():
        return np.ones(len(codes), dtype=bool)
    if not used.any():
        return np.zeros(len(codes), dtype=bool)
    return per_value[codes]


FEW_DISTINCT = 256
"""distinct cells in a text column up to which each is read by the scalar rule in Python (a
whole-column regex pass costs about 3 ms however short the column: small chunks add up)"""


NONZERO_MANTISSA = re.compile(r"[^eE]*[1-9]")
"""number text with a digit other than 0 before any exponent: a float of 0 for it (``1e-400``) is
not the number, and the cell is read by the scalar rule, which names it"""


def read_numbers(series: pd.Series) -> Numbers:
    dtype = series.dtype
    numeric = dtype.kind in "iuf" and not isinstance(dtype, pd.CategoricalDtype)
    if numeric or _holds(series, "floating", "integer", "mixed-integer-float"):
        value = float_values(series)
        present = ~np.isnan(value)
        none = np.zeros(len(value), dtype=bool)
        return Numbers(present, value, none, none)
    if dtype.kind == "b":
        value = series.to_numpy(dtype=float, na_value=np.nan)
        present = ~np.isnan(value)
        return Numbers(present, value, present.copy(), np.zeros(len(value), dtype=bool))
    if isinstance(dtype, pd.StringDtype):  # text read from a file: the same rule, over its distinct cells
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        if len(uniques) <= FEW_DISTINCT:  # the scalar rule itself, cell by cell: cheaper than a pass of regexes
            texts = [cell.strip() for cell in uniques]
            number = np.array([is_number_text(t) for t in texts] + [False])
            present = np.array([t.lower() not in EMPTY_WORDS for t in texts] + [False])
            value = np.array([float(NUMBER_NOISE.sub("", t)) if n else np.nan for t, n in zip(texts, number)]
                             + [np.nan])
            zero_read = np.array([bool(NONZERO_MANTISSA.match(t)) for t in texts] + [False])
            number = number & ~((value == 0) & zero_read)
            return Numbers(_spread(present, codes), value[codes], np.zeros(len(codes), dtype=bool),
                           _spread(present & ~number, codes))
        text = pd.Series(uniques, dtype=dtype).str.strip()
        number = (text.str.fullmatch(NUMBER.pattern) & text.str.match(HAS_DIGIT.pattern)).to_numpy(
            dtype=bool, na_value=False)
        present = ~text.str.lower().isin(EMPTY_WORDS).to_numpy(dtype=bool, na_value=True)
        digits = text.where(number).str.replace(NUMBER_NOISE.pattern, "", regex=True)
        value = np.append(digits.astype("float64").to_numpy(dtype=float, na_value=np.nan), np.nan)
        zero_read = text.str.match(NONZERO_MANTISSA.pattern).to_numpy(dtype=bool, na_value=False)
        number = number & ~((value[:-1] == 0) & zero_read)
        number, present = np.append(number, False), np.append(present, False)
        return Numbers(_spread(present, codes), value[codes], np.zeros(len(codes), dtype=bool),
                       _spread(present & ~number, codes))
    codes, values = _distinct(series, "number")
    present = np.array([v is not OMITTED for v in values])
    is_bool = np.array([isinstance(v, bool) for v in values])
    is_float = np.array([isinstance(v, float) for v in values])
    value = np.array([float(v) if isinstance(v, (bool, float)) else np.nan for v in values])
    return Numbers(_spread(present, codes), value[codes], _spread(is_bool, codes),
                   _spread(present & ~is_bool & ~is_float, codes))


def read_flags(series: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(present, value, bad) — only true and false are flags."""
    if series.dtype == bool:
        value = series.to_numpy()
        return np.ones(len(value), dtype=bool), value, np.zeros(len(value), dtype=bool)
    if isinstance(series.dtype, pd.BooleanDtype):
        present = series.notna().to_numpy()
        return present, series.to_numpy(dtype=bool, na_value=False), np.zeros(len(present), dtype=bool)
    if _holds(series, "boolean"):
        present = series.notna().to_numpy()
        value = series.to_numpy(dtype=object) == True  # noqa: E712 (only bools and empty cells here)
        return present, present & value, np.zeros(len(value), dtype=bool)
    codes, values = _distinct(series, "flag")
    present = np.array([v is not OMITTED for v in values])
    is_bool = np.array([isinstance(v, bool) for v in values])
    value = np.array([v is True for v in values])
    return _spread(present, codes), value[codes], _spread(present & ~is_bool, codes)


def read_distinct(series: pd.Series, kind: str,
                  parse: Callable[[Any], Any]) -> tuple[np.ndarray, list[Any], np.ndarray, np.ndarray]:
    """Codes, parsed distinct values, present and bad per row; ``parse`` raises ValueError when bad."""
    codes, values = _distinct(series, kind)
    parsed: list[Any] = []
    present = np.zeros(len(values), dtype=bool)
    bad = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        if v is OMITTED:
            parsed.append(None)
            continue
        present[i] = True
        try:
            parsed.append(parse(v))
        except Exception:  # any object may be a cell (one whose repr fails too): the parser names it
            parsed.append(None)
            bad[i] = True
    return codes, parsed, _spread(present, codes), _spread(bad, codes)


# --------------------------------------------------------------------------------------------
# Field checks: the scenario parser's rules, over arrays.


EMPTY_ID_TEXTS = ("", "nan", "None", "<NA>")
"""a claim id that, written as text, is an empty cell"""

CLAIM_APART = "claim_id: the claim's rows are not next to each other"
"""the error of every row of a claim whose rows are apart in the table"""

NEXT_TO_NAMELESS = ("claim_id: a row next to this claim's rows names no claim (its claim_id is empty or no id) and "
                    "may be one of its lines: the claim was not evaluated without it")
"""the error of every row of a claim just before or just after rows with no claim id"""


ID_CHARACTERS_MAX = 38
"""characters: the longest a claim or member id that is a number may be written (X12 carries a
claim id of 1 to 38 characters in CLM01 and CLP01)"""
_NUMBER_MAX = 10 ** ID_CHARACTERS_MAX


def _is_number(value: Any) -> bool:
    """A number an id cell may hold: Python's and numpy's, a Decimal (a Parquet decimal column), a
    Fraction; not a truth value, and not a numpy duration (``timedelta64`` counts as an integer
    to numpy, but a length of time names no claim)."""
    return isinstance(value, (numbers.Real, Decimal)) and not isinstance(value, (bool, np.bool_, np.timedelta64))


def _exact_decimal(number: Decimal) -> str:
    """A Decimal that is not whole as its digits, without rounding and without trailing zeros
    (``0.1234567890123456789`` for ``0.12345678901234567890``)."""
    return format(number, "f").rstrip("0").rstrip(".")


def _number_text(value: Any) -> str | None:
    """The id a number names, as text: a whole number its digits, another number the shortest
    decimal it holds (a float32 ``0.2`` is ``0.2``; a float the decimal Python writes for it, so
    ``1e23`` is 1 and 23 zeros; a Decimal its exact digits; a Fraction its decimal when that ends,
    else ``p/q``: :func:`_fraction_decimal`). None when that text would be longer than
    :data:`ID_CHARACTERS_MAX` or the number is not finite; NaN is an empty cell and is the caller's to tell apart."""
    value = unwrapped(value)
    if isinstance(value, numbers.Integral):
        whole = int(value)
        return str(whole) if abs(whole) < _NUMBER_MAX and len(str(whole)) <= ID_CHARACTERS_MAX else None
    if isinstance(value, Decimal):
        exact = value
    elif isinstance(value, numbers.Rational) and not isinstance(value, np.floating):  # a Fraction
        if abs(value) >= _NUMBER_MAX:
            return None
        found = _fraction_decimal(Fraction(value))
        if not isinstance(found, Decimal):
            return found
        exact = found
    else:
        if isinstance(value, np.floating) and value.dtype.itemsize > 8:  # a long double: its own digits
            exact = Decimal(np.format_float_positional(value, unique=True, trim="-"))
        else:  # a float32 as the shortest decimal it holds, as the kit reads float32 amounts
            exact = Decimal(str(value) if isinstance(value, np.floating) else repr(float(value)))
    # (copy_abs, not abs: abs rounds to the context's 28 digits, making 38 nines 1E+38)
    if not exact.is_finite() or exact.copy_abs() >= _NUMBER_MAX or _decimal_places(exact) > ID_CHARACTERS_MAX:
        return None
    text = str(int(exact)) if exact == exact.to_integral_value() else _exact_decimal(exact)
    return text if len(text) <= ID_CHARACTERS_MAX else None


def _fraction_decimal(value: Fraction) -> Decimal | str | None:
    """A Fraction's id: the decimal a float holding it is written as (``Fraction(0.1)``: ``0.1``);
    else its own decimal when that ends (``1/10``: ``0.1``, one number with ``Decimal("0.1")``);
    else ``p/q`` as text (``1/3``, whose decimal never ends), or None when that is longer than
    :data:`ID_CHARACTERS_MAX` (never written out to be measured: ``1/(10**5000 + 1)``)."""
    numerator, denominator = value.numerator, value.denominator
    if denominator == 1:
        return Decimal(numerator)
    shortest = float(value)
    if Fraction(shortest) == value:
        return Decimal(repr(shortest))
    if denominator >= _NUMBER_MAX:  # (p/q, or a decimal of as many places, is over 38 characters)
        return None
    twos = (denominator & -denominator).bit_length() - 1
    rest, fives = denominator >> twos, 0
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest == 1:  # 2s and 5s only: a decimal that ends, after max(twos, fives) places, exactly
        places = max(twos, fives)
        return Decimal(f"{numerator * 10 ** places // denominator}E-{places}")
    text = f"{numerator}/{denominator}"
    return text if len(text) <= ID_CHARACTERS_MAX else None


def _decimal_places(number: Decimal) -> int:
    """How many digits a finite Decimal has after its point, trailing zeros dropped: counted, not
    written (``Decimal("1E-99999999999999")`` written out would take more memory than there is)."""
    _, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    significant = "".join(map(str, digits)).rstrip("0")
    return max(-exponent - (len(digits) - len(significant)), 0) if significant else 0


def _is_nan(value: Any) -> bool:
    """A quiet NaN: an empty cell (a signalling Decimal NaN is no id; comparing it would raise)."""
    if isinstance(value, Decimal):
        return value.is_qnan()
    return value != value  # (float and numpy NaN alike)


def is_id_value(value: Any) -> bool:
    """Whether a ``claim_id`` or ``member_id`` cell can name a claim or member: text, or a number
    written in at most 38 characters (not a truth value, a list, a record, bytes, an infinity).
    NaN is an empty cell, not refused here."""
    value = unwrapped(value)
    if isinstance(value, str):
        return True
    if not _is_number(value):
        return False
    return _is_nan(value) or _number_text(value) is not None


def id_kind(value: Any) -> str:
    """What an id cell that names nothing is, for a message: ``list`` (a list, a tuple, an array),
    ``number of more than 38 characters``, ``number that is not finite``, else its type's name
    (``dict``, ``bool``, ``bytes``)."""
    value = unwrapped(value.value if isinstance(value, _Cell) else value)
    if isinstance(value, (list, tuple, np.ndarray)):
        return "list"
    if _is_number(value):
        if isinstance(value, Decimal):
            finite = value.is_finite()
        elif isinstance(value, numbers.Rational) and not isinstance(value, np.floating):  # ints, Fractions
            finite = True
        else:  # (numpy's own test: a long double of 1e4000 is finite, though no float holds it)
            finite = bool(np.isfinite(value))
        return f"number of more than {ID_CHARACTERS_MAX} characters" if finite else "number that is not finite"
    return type(value).__name__


def trimmed_ids(column: pd.Series) -> pd.Series:
    """An id column (``claim_id``, ``member_id``) as the ids it names: a text cell without the
    spaces around it (``' C1 '`` names claim ``C1``, as every text field of a scenario is read), a
    number that is not an int as the text :func:`id_key` gives it (a float32 ``0.2`` is ``0.2``;
    ``1e+20`` is ``100000000000000000000``; a Decimal ``1.50`` is ``1.5``), so that OUT names each
    claim as the 835 does; ints and other cells as they are. Returns ``column`` itself when
    nothing changes."""
    if pd.api.types.is_integer_dtype(column.dtype) or pd.api.types.is_bool_dtype(column.dtype):
        return column  # (whole numbers written as they are; truth values refused on their rows)
    if column.dtype.kind == "f":  # a float column: each id as the decimal it names (1e+20 is 100000…)
        return id_keys(column)
    values = column.to_numpy(dtype=object)
    keys = id_keys(column).to_numpy(dtype=object)
    changed = np.fromiter((_is_number(v) or isinstance(v, str) for v in values), dtype=bool, count=len(values))
    changed[changed] = [k is not v and (type(k) is not type(v) or k != v)
                        for k, v in zip(keys[changed], values[changed])]
    if not changed.any():
        return column
    out = values.copy()
    out[changed] = keys[changed]
    return pd.Series(out, index=column.index, name=column.name, dtype=object)


def _is_signalling_nan(value: Any) -> bool:
    """A Decimal signalling NaN: pandas' isna, hashing and comparing raise on it, so it is wrapped as a cell."""
    return isinstance(value, Decimal) and value.is_snan()


def id_key(value: Any) -> Any:
    """The id a ``claim_id`` or ``member_id`` cell names, as text to compare: text without the
    spaces around it, a number as :func:`_number_text` writes it (``1``, ``1.0`` and ``" 1 "`` name
    one claim; ``np.float32(0.2)`` and ``"0.2"`` another). A cell that names nothing (empty, a
    list, a record, a truth value, bytes, a number of more than 38 characters) is returned as it
    is: it is refused on its own row."""
    value = unwrapped(value)  # (a number of a subclass of int or float: the plain one, never its own __int__)
    if isinstance(value, str):
        return value.strip()
    if _is_signalling_nan(value):
        return _Cell(value)  # (no id; wrapped, since pandas raises on comparing or hashing it)
    if not _is_number(value) or _is_nan(value):
        return value
    text = _number_text(value)
    return value if text is None else text


def id_keys(column: pd.Series) -> pd.Series:
    """:func:`id_key` of every cell of an id column (object dtype, on the column's index)."""
    kind = pd.api.types.infer_dtype(column, skipna=True) if len(column) else "empty"
    if kind in ("string", "empty"):  # (the usual case, a CSV's column: trimmed in one pass)
        return column.astype(object).str.strip()
    if kind == "integer" and pd.api.types.is_integer_dtype(column.dtype):
        return column.astype(str).astype(object)
    # (a float32 column's cells stay float32 scalars, read as the shortest decimal each holds)
    values = column.to_numpy() if column.dtype.kind == "f" else column.to_numpy(dtype=object)
    return pd.Series([id_key(v) for v in values], index=column.index, name=column.name, dtype=object)


def id_texts(values: np.ndarray) -> np.ndarray:
    """Each id cell (or :func:`id_key`) as text, to compare ids and find empty ones: ``str`` of
    the cell; one whose ``str`` fails (bytes that are not UTF-8, an object that cannot be shown)
    as its type's name in brackets, never an error."""
    try:
        return pd.Series(values, dtype=object).astype(str).to_numpy(dtype=object)
    except Exception:
        return np.array([_safe_text(v) for v in values], dtype=object)


def _safe_text(value: Any) -> str:
    try:
        return str(value)
    except Exception:  # (any object may be a cell)
        return f"<{type(value).__name__}>"


def key_texts(column: pd.Series) -> np.ndarray:
    """Per cell of an id column, the id it names as text (:func:`id_key`), to compare rows."""
    return id_texts(id_keys(column).to_numpy(dtype=object))


def nameless_ids(values: np.ndarray) -> np.ndarray:
    """Per ``claim_id`` cell, whether it names no claim: empty (``nan``, ``None``, spaces) or no
    id at all (a list, a record, a truth value, bytes: :func:`is_id_value`)."""
    if values.dtype == object and any(_is_signalling_nan(v) for v in values):
        safe = np.empty(len(values), dtype=object)
        safe[:] = [_Cell(v) if _is_signalling_nan(v) else v for v in values]
        values = safe  # (pandas raises on a signalling NaN: as a cell of its own it names no claim)
    texts = id_texts(values)
    nameless = pd.Series(texts, dtype=object).str.strip().isin(EMPTY_ID_TEXTS).to_numpy(dtype=bool) | \
        pd.isna(pd.Series(values, dtype=object)).to_numpy(dtype=bool)
    if values.dtype.kind in "iu" and values.dtype.itemsize <= 8:  # (at most 20 characters: every one an id)
        return nameless
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return nameless  # (every cell text or missing: the usual column, known in one fast pass)
    return nameless | ~np.fromiter((is_id_value(v) for v in values), dtype=bool, count=len(values))


def next_to_nameless(nameless: np.ndarray) -> np.ndarray:
    """Per row, whether it is the named row just before or just after a run of ``nameless`` rows:
    a row with no claim id may be a line of either claim, so neither is evaluated without it
    (as a line that cannot be read at all)."""
    near = np.zeros(len(nameless), dtype=bool)
    named = np.flatnonzero(~nameless)
    if not len(named) or len(named) == len(nameless):
        return near
    at = np.searchsorted(named, np.flatnonzero(nameless))
    near[named[at[at > 0] - 1]] = True
    near[named[at[at < len(named)]]] = True
    return near


BLOCK = 1 << 16
"""Rows per pass of the batch (number checks here, the rules in :mod:`medspa_kit.batch`): the
scratch arrays of one block then stay in a core's cache."""


def _scaled(n: Numbers, scale: int, tolerance: float, upper: float) -> tuple[np.ndarray, np.ndarray]:
    """(bad, whole units): a column times ``scale`` must be whole (within ``tolerance``) and in range.

    This runs on every number column of a batch, so it goes through the column a block of rows
    at a time over a few small scratch arrays (about 1.6 times faster than whole-column steps),
    and leaves out the steps that the whole column shows cannot matter.
    """
    size = len(n.value)
    bad = np.empty(size, dtype=bool)
    units = np.empty(size, dtype=np.int64)
    if not size:
        return bad, units
    # NaN cells are empty (or not numbers, flagged as such): the range test only needs the rest.
    with np.errstate(invalid="ignore"):
        smallest = np.fmin.reduce(n.value)
        in_range = bool(smallest >= 0) and bool(np.fmax.reduce(n.value) <= upper)
    # an amount above zero that rounds to no unit at all (5e-324 dollars) is a fraction of one,
    # however small; only a column holding something below half a unit needs the test
    tiny = bool(smallest < 0.5 / scale)
    all_present = bool(n.present.all())
    not_numbers = [a for a in (n.text, n.wrong_type) if a.any()]
    scaled, whole = np.empty(min(size, BLOCK)), np.empty(min(size, BLOCK))
    low, high = np.empty(len(scaled), dtype=bool), np.empty(len(scaled), dtype=bool)
    for start in range(0, size, BLOCK):
        rows = slice(start, min(start + BLOCK, size))
        v, b = n.value[rows], bad[rows]
        s, w, lo, hi = scaled[:len(v)], whole[:len(v)], low[:len(v)], high[:len(v)]
        with np.errstate(invalid="ignore", over="ignore"):
            np.multiply(v, scale, out=s)
            np.rint(s, out=w)
            np.subtract(s, w, out=s)
            np.abs(s, out=s)
            np.greater(s, tolerance, out=b)
            if tiny:
                np.equal(w, 0, out=lo)
                np.greater(v, 0, out=hi)
                lo &= hi
                b |= lo
            if not in_range:  # the test is false for NaN and infinities too
                np.greater_equal(v, 0, out=lo)
                np.less_equal(v, upper, out=hi)
                lo &= hi
                np.logical_not(lo, out=lo)
                b |= lo
        for flagged in not_numbers:
            b |= flagged[rows]
        if all_present:
            np.copyto(w, 0, where=b)
        else:
            b &= n.present[rows]
            np.logical_not(n.present[rows], out=lo)
            lo |= b
            np.copyto(w, 0, where=lo)
        np.copyto(units[rows], w, casting="unsafe")
    return bad, units


def money_cells(n: Numbers) -> tuple[np.ndarray, np.ndarray]:
    """(bad, cents): where ``money.money_problem`` objects or the cell is no number; else the cents."""
    return _scaled(n, 100, CENT_TOLERANCE, MONEY_MAX)


def rate_cells(n: Numbers) -> tuple[np.ndarray, np.ndarray]:
    """(bad, millionths): where ``money.rate_problem`` objects or the cell is no number; else the rate."""
    return _scaled(n, MICRO, RATE_TOLERANCE, 1)


def money_bad(n: Numbers) -> np.ndarray:
    """Where ``money.money_problem`` objects, or the cell is no number."""
    return money_cells(n)[0]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


def _choice(options: tuple[str, ...]) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if _text(value) not in options:
            raise ValueError("not an option")
        return options.index(value)

    return parse


def _list(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("not a list of codes")
    return value


def _diagnoses(known: frozenset[str]) -> Callable[[Any], tuple[str, ...]]:
    def parse(value: Any) -> tuple[str, ...]:
        codes: list[str] = []
        for raw in _list(value):
            if icd_problem(raw, known):
                raise ValueError(raw)
            code = normalize_icd(raw)
            if code in codes:
                raise ValueError(f"{code} twice")
            codes.append(code)
        if not codes:
            raise ValueError("no code")
        return tuple(codes)

    return parse


def _npi(value: Any) -> str:
    if npi_problem(_text(value)):
        raise ValueError(value)
    return value


def _date_ordinal(value: Any) -> int:
    return parse_iso_date(value).toordinal()


# --------------------------------------------------------------------------------------------


@dataclass
class Parsed:
    """Every field of every row as arrays (money in cents, rates in millionths, codes as indexes).

    A row is a claim line: in a version 2 table (with ``claim_id``) the rows of a claim are its
    lines, in order; in a version 1 table each row is a claim of one line (its ``service``). The
    ``line.*`` columns hold the line either way. Values on rows where ``invalid`` is true are
    placeholders and must not be used.
    """

    n: int
    invalid: np.ndarray
    columns: dict[str, Any]
    diagnoses: list[tuple[str, ...]]
    """distinct diagnosis lists (normalised), the last one empty; ``columns["diagnoses"]`` (the
    claim's) and ``columns["line.diagnoses"]`` (each line's, the claim's by default) index it"""
    covered_lists: list[tuple[str, ...]]
    """distinct covered place-of-service lists; ``columns["plan.covered_places_of_service"]`` indexes it"""
    places: tuple[str, ...]
    procedure_ids: tuple[str, ...]
    claim: np.ndarray
    """per row, the claim it belongs to (0, 1, 2, … in order; each claim's rows are adjacent)"""
    reasons: np.ndarray
    """per row, why the table itself makes it invalid ("" when it does not): a claim whose rows
    disagree or are not adjacent, which no scenario parser would see"""
    criteria_lists: list[tuple[str, ...]]
    """distinct ``documentation.criteria`` lists, the last one empty; that column indexes it"""
    history_codes: tuple[str, ...]
    """the billing codes of ``accumulators.history`` entries; ``columns["history.code"]`` indexes it
    (``history.row`` and ``history.day`` give each entry's row and day number, sorted by row)"""

    def __getitem__(self, name: str) -> Any:
        return self.columns[name]


def parse_frame(df: pd.DataFrame, catalog: "Catalog", claims: bool = False) -> Parsed:
    """Read every scenario column of ``df``; flag the rows the scenario parser would reject.

    ``claims``: a version 2 table, one row per line (``claim_id``, ``line.*`` columns); else a
    version 1 table, one row per claim of one ``service``.
    """
    n = len(df)
    cols: dict[str, Any] = {}
    invalid = np.zeros(n, dtype=bool)
    empty: list[pd.Series] = []  # an all-empty column for the fields the table leaves out, made once

    def column(path: str) -> pd.Series:
        if path in df.columns:
            return df[path]
        if not empty:
            empty.append(pd.Series([None] * n, dtype=object, index=df.index))
        return empty[0]

    def require(path: str, present: np.ndarray) -> None:
        nonlocal invalid
        spec = SPECS.get(path) or LINE_SPECS[path]
        if spec.required:
            invalid |= ~present

    procedure_ids = tuple(catalog.frames["procedures"]["id"])
    places = tuple(catalog.frames["places_of_service"]["code"])
    oon_present = np.zeros(n, dtype=bool)
    line_fields = ("line.charge", "line.fee_schedule", "line.units") if claims else ()
    for spec in [c for c in COLUMNS if not c.path.startswith("service.") or not claims] + [
            LINE_SPECS[path] for path in line_fields]:
        if spec.kind != "number":
            continue
        numbers = read_numbers(column(spec.path))
        require(spec.path, numbers.present)
        if not spec.unit:  # the version: a table of claims with lines is version 2, one of services version 1
            allowed = (2,) if claims else (1,)
            invalid |= numbers.present & (numbers.text | numbers.wrong_type | ~np.isin(numbers.value, allowed))
            continue
        if spec.unit == "units":
            units = np.where(numbers.present, numbers.value, 1)
            with np.errstate(invalid="ignore"):
                bad = numbers.present & (numbers.text | numbers.wrong_type | (units % 1 != 0) | ~(units >= 1)
                                         | (units > MAX_UNITS))
            cols[spec.path] = np.where(bad, 1, np.nan_to_num(units, nan=1)).astype(np.int64)
            invalid |= bad
            continue
        bad, units = money_cells(numbers) if spec.unit == "dollars" else rate_cells(numbers)
        if spec.default is not OMITTED:  # the parser's default for a cell left empty
            default = to_cents(spec.default) if spec.unit == "dollars" else rate_micro(spec.default)
            units = np.where(numbers.present, units, default)
        invalid |= bad
        cols[spec.path], cols[spec.path + ":present"] = units, numbers.present
        if spec.path in OON_COLUMNS:
            oon_present |= numbers.present
    for path in OON_REQUIRED:
        invalid |= oon_present & ~cols[path + ":present"]
    cols["plan.oon:present"] = oon_present
    invalid |= oon_present & deductible_above_oop_max(cols["plan.oon.deductible"], cols["plan.oon.oop_max"])

    for path in SPECS:
        if SPECS[path].kind == "flag":
            present, value, bad = read_flags(column(path))
            require(path, present)
            invalid |= bad
            cols[path] = present & value
            cols[path + ":present"] = present

    def distinct(path: str, kind: str, parse: Callable[[Any], Any]) -> tuple[np.ndarray, list[Any], np.ndarray]:
        nonlocal invalid
        codes, parsed, present, bad = read_distinct(column(path), kind, parse)
        require(path, present)
        invalid |= bad
        cols[path + ":present"] = present
        return codes, parsed, present

    codes, parsed, _ = distinct("date_of_service", "date", _date_ordinal)
    cols["date_of_service"] = _take(parsed, codes, 0)
    codes, parsed, present = distinct("accumulators.last_treatment", "date", _date_ordinal)
    cols["accumulators.last_treatment"] = _take(parsed, codes, 0)
    invalid |= present & treated_after_service(cols["accumulators.last_treatment"], cols["date_of_service"])

    def procedure(lookup: Callable[[str], Any]) -> Callable[[Any], int]:
        def parse(value: Any) -> int:
            found = lookup(_text(value).strip())
            if found is None:
                raise ValueError(value)
            return procedure_ids.index(found.id)

        return parse

    if claims:
        codes, parsed, _ = distinct("line.code", "text", procedure(catalog.line_procedure))
        modifiers = _modifiers(catalog.keyed["modifiers"])
        mod_codes, mod_lists, _ = distinct("line.modifiers", "list", modifiers)
        mod_lists = [m or () for m in mod_lists]
        categories = [None if p is None else catalog.procedures[procedure_ids[p]].category for p in parsed]
        for code, mods in np.unique(np.stack([codes, mod_codes]), axis=1).T:  # a modifier on a line of the wrong kind
            if code >= 0 and mods >= 0 and categories[code] and misplaced(mod_lists[mods], catalog.keyed["modifiers"],
                                                                          categories[code]):
                invalid |= (codes == code) & (mod_codes == mods)
        for name in MODIFIER_FLAGS:
            cols[f"line.modifier_{name}"] = np.array([name in m for m in mod_lists], dtype=bool)[mod_codes]
    else:
        codes, parsed, _ = distinct("service.code", "text", procedure(catalog.procedure))
        for path in ("charge", "fee_schedule"):
            cols[f"line.{path}"], cols[f"line.{path}:present"] = cols.pop(f"service.{path}"), cols.pop(
                f"service.{path}:present")
        cols["line.units"] = np.ones(n, dtype=np.int64)
        for name in MODIFIER_FLAGS:
            cols[f"line.modifier_{name}"] = np.zeros(n, dtype=bool)
    cols["line.code"] = _take(parsed, codes, 0)
    for path, options in (("provider.type", PROVIDER_TYPES), ("facility.kind", FACILITY_KINDS),
                          ("plan.type", PLAN_TYPES)):
        codes, parsed, _ = distinct(path, "text", _choice(options))
        cols[path] = _take(parsed, codes, 0)
    distinct("provider.npi", "text", _npi)
    invalid |= _plan_terms(cols, catalog)
    payers = tuple(catalog.keyed["payers"])
    codes, parsed, present = distinct("payer", "text", _choice(payers))
    medicare = cols["plan.type"] == PLAN_TYPES.index("MEDICARE")
    default_payer = np.where(medicare, payers.index("medicare"), payers.index(GENERIC_PAYER))
    cols["payer"] = np.where(present, _take(parsed, codes, 0), default_payer)
    medicare_payer = np.array([catalog.payer_kind(p) == "medicare" for p in payers])
    invalid |= present & (medicare_payer[cols["payer"]] != medicare)
    criteria = tuple(catalog.keyed["criteria"])
    codes, criteria_lists, present = distinct("documentation.criteria", "list", _criteria(criteria))
    cols["documentation.criteria"] = codes
    cols["documentation.criteria:present"] = present
    history = _history_entries(column("accumulators.history"), catalog)
    late = earlier_not_before(history.day, cols["date_of_service"][history.row])
    invalid |= history.bad | (np.bincount(history.row[late], minlength=n) > 0)
    cols["history.row"], cols["history.code"], cols["history.day"] = history.row, history.code, history.day
    cols["accumulators.history"] = history.cell  # (the rows of one claim must hold one history)

    def place(value: Any) -> int:
        return _choice(places)(_text(value).strip())

    codes, parsed, _ = distinct("facility.place_of_service", "text", place)
    cols["facility.place_of_service"] = _take(parsed, codes, 0)

    def covered(value: Any) -> tuple[str, ...]:
        items = tuple(item.strip() for item in _list(value))
        if any(item not in places for item in items):
            raise ValueError(value)
        twice = next((item for i, item in enumerate(items) if item in items[:i]), "")
        if twice:  # as in a scenario file: a list names each place once
            raise ValueError(f"{twice} twice")
        return items

    codes, covered_lists, _ = distinct("plan.covered_places_of_service", "list", covered)
    cols["plan.covered_places_of_service"] = codes
    claim_codes, claim_lists, _ = distinct("diagnoses", "list", _diagnoses(catalog.known_diagnoses))
    claim_lists = [d or () for d in claim_lists[:-1]]
    lists = claim_lists + [()]
    line_codes = claim_codes
    if claims:  # each line's diagnosis pointer: some of the claim's diagnoses (default: all of them)
        pointer_codes, pointer_lists, present = distinct("line.diagnoses", "list", _diagnoses(catalog.known_diagnoses))
        pointer_lists = [d or () for d in pointer_lists[:-1]]
        lists = claim_lists + pointer_lists + [()]
        shifted = np.where(pointer_codes < 0, -1, pointer_codes + len(claim_lists))
        line_codes = np.where(present, shifted, claim_codes)
        pairs = np.unique(np.stack([claim_codes[present], pointer_codes[present]]), axis=1)
        for claim_code, pointer_code in pairs.T:
            if claim_code < 0 or pointer_code < 0:
                continue
            if not set(pointer_lists[pointer_code]) <= set(claim_lists[claim_code]):
                invalid |= present & (claim_codes == claim_code) & (pointer_codes == pointer_code)
    cols["diagnoses"] = np.where(claim_codes < 0, len(lists) - 1, claim_codes)
    cols["line.diagnoses"] = np.where(line_codes < 0, len(lists) - 1, line_codes)
    claim, reasons = _claims(df, cols) if claims else (np.arange(n), np.full(n, "", dtype=object))
    invalid |= reasons != ""
    if claims and n:  # the scenario parser rejects a claim whole: one bad line spoils every line of it
        invalid |= (np.bincount(claim) > MAX_LINES)[claim]  # the parser names the claim of too many lines
        spoiled = np.zeros(claim[-1] + 1, dtype=bool)
        np.logical_or.at(spoiled, claim, invalid)
        invalid = spoiled[claim]
    return Parsed(n, invalid, cols, lists, [c or () for c in covered_lists], places, procedure_ids, claim,
                  reasons, [c or () for c in criteria_lists], history.codes)


MODIFIER_FLAGS = ("25", "59", "GA", "GY", "GZ")
"""the modifiers a check or the pricing reads, each a ``line.modifier_<code>`` column"""


def _plan_terms(cols: dict[str, Any], catalog: "Catalog") -> np.ndarray:
    """The plan's terms, as the parser reads them: required except under Original Medicare, whose
    deductible and coinsurance default to the year's Part B amounts. Fills the defaults (and, for
    the pricing, Medicare's non-participating share and limiting charge by year); returns the
    rows the parser rejects."""
    n = len(cols["plan.type"])
    medicare = cols["plan.type"] == PLAN_TYPES.index("MEDICARE")
    bad = np.zeros(n, dtype=bool)
    for path in ("plan.deductible", "plan.coinsurance", "plan.oop_max"):
        bad |= ~medicare & ~cols[path + ":present"]
    bad |= ~medicare & deductible_above_oop_max(cols["plan.deductible"], cols["plan.oop_max"])
    # Original Medicare has no out-of-pocket maximum, no network block and no copay
    bad |= medicare & ((cols["plan.oop_max:present"] & (cols["plan.oop_max"] != 0)) | cols["plan.oon:present"]
                       | (cols["plan.copay"] != 0) | cols["plan.referral_required"] | cols["plan.grandfathered"]
                       | cols["plan.hsa_qualified"])
    cols["medicare.nonpar_micro"] = np.full(n, MICRO, dtype=np.int64)
    cols["medicare.limiting_micro"] = np.zeros(n, dtype=np.int64)
    if not medicare.any():
        return bad
    days, at = distinct_days(cols["date_of_service"])
    years = np.array([dt.date.fromordinal(int(d)).year if d > 0 else 0 for d in days])[at]
    table = {int(year): row for year, row in catalog.keyed["medicare_part_b"].items()}
    needs = medicare & ~(cols["plan.deductible:present"] & cols["plan.coinsurance:present"])
    bad |= needs & ~np.isin(years, list(table))
    last = catalog.rows["medicare_part_b"][-1]
    for year, row in [*table.items(), (None, last)]:
        here = medicare & (np.isin(years, list(table), invert=True) if year is None else years == year)
        if year is not None:
            for path, value in (("plan.deductible", to_cents(row["deductible"])),
                                ("plan.coinsurance", rate_micro(row["coinsurance"]))):
                cols[path] = np.where(here & ~cols[path + ":present"], value, cols[path])
        cols["medicare.nonpar_micro"][here] = rate_micro(row["nonpar_fee_pct"])
        cols["medicare.limiting_micro"][here] = round((row["limiting_charge_pct"] - 1) * MICRO)
    cols["plan.oop_max"] = np.where(medicare, NO_CAP, cols["plan.oop_max"])
    return bad


def distinct_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(days, return_inverse=True)`` for day numbers, without sorting: a table's dates
    span a few years, so a lookup over that span is faster than a sort of a million rows."""
    if not len(days):
        return days[:0], np.zeros(0, dtype=np.int64)
    low, high = int(days.min()), int(days.max())
    if high - low > 1 << 20:
        return np.unique(days, return_inverse=True)
    seen = np.zeros(high - low + 1, dtype=bool)
    seen[days - low] = True
    uniques = np.flatnonzero(seen) + low
    position = np.cumsum(seen) - 1
    return uniques.astype(days.dtype), position[days - low]


def _criteria(known: tuple[str, ...]) -> Callable[[Any], tuple[str, ...]]:
    def parse(value: Any) -> tuple[str, ...]:
        out: list[str] = []
        for raw in _list(value):
            item = raw.strip()
            if item not in known or item in out:
                raise ValueError(raw)
            out.append(item)
        return tuple(out)

    return parse


@dataclass
class HistoryEntries:
    """Every ``accumulators.history`` entry of a table: its row, code and day, sorted by row."""

    row: np.ndarray
    code: np.ndarray
    """indexes ``codes``"""
    day: np.ndarray
    """day numbers (``date.toordinal()``)"""
    codes: tuple[str, ...]
    """billing codes as the catalog spells them"""
    bad: np.ndarray
    """per row of the table: the parser would reject its history (it says why)"""
    cell: np.ndarray
    """per row of the table: which distinct history cell it holds (-1: none), to compare a claim's rows"""


def _history_entries(series: pd.Series, catalog: "Catalog") -> HistoryEntries:
    """The history cells of a table, each distinct cell read once by the parser's own reader
    (:func:`medspa_kit.fields.read_history`, then the code and the date as the model checks them),
    and its entries given to every row that holds it."""
    n = len(series)
    codes, uniques = _factorized(series.map(_history_key) if series.dtype == object else series)
    parsed: list[list[tuple[str, int]] | None] = []  # per distinct cell: its entries, or None if bad
    for value in uniques:
        if is_empty(value):
            parsed.append([])
            continue
        text = write_history(value) if isinstance(value, (list, tuple)) else value
        parsed.append(_read_history_cell(text, catalog) if isinstance(text, str) else None)
    empty = np.array([is_empty(u) for u in uniques] + [True])
    bad = np.array([entries is None for entries in parsed] + [False])[codes]
    known = sorted({code for entries in parsed if entries for code, _ in entries})
    index = {code: i for i, code in enumerate(known)}
    counts = np.array([len(entries) if entries else 0 for entries in parsed] + [0], dtype=np.int64)
    flat_code = np.array([index[c] for entries in parsed if entries for c, _ in entries], dtype=np.int64)
    flat_day = np.array([d for entries in parsed if entries for _, d in entries], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)])
    rows = np.flatnonzero((codes >= 0) & ~empty[codes] & ~bad)
    per_row = counts[codes[rows]]
    entry_row = np.repeat(rows, per_row)
    # each row's entries: the run of its cell's entries in the flat arrays
    offsets = np.repeat(starts[codes[rows]] - np.concatenate([[0], np.cumsum(per_row)[:-1]]), per_row)
    at = np.arange(len(entry_row)) + offsets
    return HistoryEntries(entry_row.astype(np.int64), flat_code[at], flat_day[at], tuple(known),
                          bad if n else np.zeros(0, dtype=bool), np.where(empty[codes], -1, codes))


def _history_key(value: Any) -> Any:
    """A history cell as text when it is a list of entries (dicts or ``code date`` items); a cell
    that is no history at all is kept (wrapped when it cannot be hashed) for the parser to name."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        try:
            return write_history(value)
        except Exception:  # an item that is no entry, or one whose code or date cannot be written
            return _Cell(value)
    return _hashable(value)


def _read_history_cell(text: str, catalog: "Catalog") -> list[tuple[str, int]] | None:
    """A history cell's entries as (code, day number), or None where the parser would object."""
    out = []
    for item in read_history(text):
        if not isinstance(item, dict):
            return None
        code = _canonical(item["code"].strip(), catalog)
        try:
            day = parse_iso_date(item["date"]).toordinal()
        except ValueError:
            return None
        if code is None:
            return None
        out.append((code, day))
    return out


def _canonical(code: str, catalog: "Catalog") -> str | None:
    """A history code as the catalog spells it (a line code, a visit code, or a procedure id)."""
    proc = catalog.line_procedure(code) or catalog.procedure(code)
    return None if proc is None else proc.code or proc.id


def _modifiers(known: Any) -> Callable[[Any], tuple[str, ...]]:
    def parse(value: Any) -> tuple[str, ...]:
        codes: list[str] = []
        for raw in _list(value):
            code = raw.strip().upper()
            if code not in known or code in codes:
                raise ValueError(raw)
            codes.append(code)
        if contradiction(codes, known):
            raise ValueError("contradicting modifiers")
        return tuple(codes)

    return parse


def _claims(df: pd.DataFrame, cols: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's claim (0, 1, … in order) and, per row, why the table spoils its claim ("" if not).

    A claim's rows must be adjacent, and agree on every field that is not the line's.
    """
    n = len(df)
    reasons = np.full(n, "", dtype=object)
    if not n:
        return np.zeros(0, dtype=np.int64), reasons
    ids, uniques = _factorized(id_keys(df["claim_id"]))
    distinct = pd.Series(uniques, dtype=object if len(uniques) == 0 else None)
    blank = distinct.isna().to_numpy()
    if not pd.api.types.is_numeric_dtype(distinct.dtype):
        blank = blank | nameless_ids(distinct.to_numpy(dtype=object))
    empty = np.append(blank, True)[ids]  # (a list or a record names no claim either)
    kinds = [None if is_id_value(u) else id_kind(u) for u in uniques]
    for code, kind in enumerate(kinds):
        if kind is not None:
            reasons[ids == code] = f"claim_id: a {kind} is no claim id (text or a number)"
    reasons[empty & (reasons == "")] = "claim_id: empty (every row of a table of claims names its claim)"
    # a row that names no claim may be a line of the claim before it or of the one after it
    reasons[next_to_nameless(empty) & (reasons == "")] = NEXT_TO_NAMELESS
    new = np.r_[True, ids[1:] != ids[:-1]]
    claim = np.cumsum(new) - 1
    starts = np.flatnonzero(new)
    split = np.bincount(ids[starts] + 1, minlength=len(uniques) + 1)[1:] > 1
    reasons[(reasons == "") & np.append(split, False)[ids] & (ids >= 0)] = CLAIM_APART  # -1: no id
    same = ~new[1:]  # row i+1 belongs to row i's claim
    for name, values in cols.items():
        # (a line's own columns may differ; the history's entries are no rows, however many there are)
        if name.startswith(("line.", "history.")) or not isinstance(values, np.ndarray) or values.shape != (n,):
            continue
        differs = (values[1:] != values[:-1]) & same
        if differs.any():
            rows = np.flatnonzero(differs) + 1
            reasons[rows[reasons[rows] == ""]] = f"{name.split(':')[0]}: differs between the rows of one claim"
    # every row of a claim carries its claim's table reason (the first row's that has one)
    for c in np.unique(claim[reasons != ""]):
        rows = np.flatnonzero(claim == c)
        reasons[rows] = next(r for r in reasons[rows] if r)
    return claim, reasons


def _take(parsed: list[Any], codes: np.ndarray, fill: Any) -> np.ndarray:
    table = np.array([fill if v is None else v for v in parsed])
    return table[codes]
