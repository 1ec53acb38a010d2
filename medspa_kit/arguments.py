"""Arguments given from Python, checked where a public function receives them.

A notebook cell, a workshop script or a test may pass anything: ``None`` for an outcome, ``'no'``
for a truth value, one text where a list of ids goes, a DataFrame where a number goes. Each
helper here accepts what its kind of argument may be and raises a :class:`~.errors.MedspaError`
that names the argument and what was given — never an AttributeError or a TypeError from deep
inside, and never a value silently read as something else (``bool('no')`` is true).

Every helper takes ``error``: how to raise (default :meth:`ScenarioError.one`; the payment
functions pass :class:`~.payments.amounts.PaymentError` by name and message).
"""

from __future__ import annotations

import itertools
import operator
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, Iterable, Mapping

import numpy as np

from .errors import MedspaError, ScenarioError, shortened, shown_value, unwrapped

Raise = Callable[[str, str], MedspaError]


def _scenario_error(name: str, message: str) -> MedspaError:
    return ScenarioError.one(name, message)


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (``np.True_`` → ``True``); a number of a
    subclass of ``int`` or ``float`` as the plain one (:func:`unwrapped`)."""
    value = unwrapped(value)
    if type(value).__module__ == "numpy" and hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return value.item()
    return value


def instance(value: Any, kind: type | tuple[type, ...], name: str, what: str, error: Raise = _scenario_error) -> Any:
    """``value`` when it is a ``kind``; else an error naming ``name``, ``what`` was expected (with
    where one comes from: ``"an Outcome (medspa_kit.evaluate gives one)"``) and the type given."""
    if not isinstance(value, kind):
        raise error(name, f"expected {what}, got {type_name(value)}")
    return value


def type_name(value: Any) -> str:
    """What a message calls the type of ``value`` (``NoneType``, ``str``, ``DataFrame``)."""
    return type(value).__name__


def truth(value: Any, name: str, error: Raise = _scenario_error) -> bool:
    """``value`` as a truth value: True or False (numpy's ``np.True_`` too). Text such as
    ``'no'`` and numbers such as ``0.5`` are refused: Python would read ``'no'`` as true."""
    plain = _plain(value)
    if not isinstance(plain, bool):
        raise error(name, f"{shown_value(value)} is not true or false (give True or False)")
    return plain


def whole_value(value: Any) -> int | None:
    """The whole number ``value`` holds, or None when it holds none.

    An int or numpy integer is itself; a float, numpy float, ``Decimal`` or ``Fraction`` whose value
    is whole is that int (``6.0``, ``Decimal("6")``, ``Fraction(12, 2)``: 6), as a number column of a
    table or a sum in a notebook gives it; ``6.5``, NaN, an infinity, a ``Decimal`` of more than
    1,000 digits, a bool (True is no count of anything), a numpy ``timedelta64`` (a length of time),
    text and every other value hold none. A subclass is read as the number it holds
    (:func:`~.errors.unwrapped`)."""
    value = unwrapped(value)
    if isinstance(value, np.timedelta64):  # (numpy counts one as an integer: its .item() may be an int)
        return None
    value = _plain(value)
    if isinstance(value, np.floating):  # a long double (.item() keeps it one): its digits, as written
        value = Decimal(str(value))
    if isinstance(value, Decimal):
        finite = value.is_finite() and value.adjusted() < 1000  # (int() of 1E+999999999 would take minutes)
        return int(value) if finite and value == value.to_integral_value() else None
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else None
    if isinstance(value, bool):
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def whole(value: Any, name: str, low: int, high: int, error: Raise = _scenario_error) -> int:
    """``value`` as a whole number from ``low`` to ``high``: any number whose value is whole
    (:func:`whole_value`: ``6``, ``np.int64(6)``, ``6.0``, ``Decimal("6")``); not a bool, not
    ``6.5``."""
    number = whole_value(value)
    if number is None or not low <= number <= high:
        raise error(name, f"{shown_value(value)} is not a whole number from {low:,} to {high:,}")
    return number


def choice(value: Any, name: str, options: Iterable[str], error: Raise = _scenario_error) -> str:
    """``value`` when it is one of ``options`` (texts); else an error listing them."""
    allowed = list(options)
    if not isinstance(value, str) or value not in allowed:
        raise error(name, f"{shown_value(value)} is not one of {', '.join(map(repr, allowed))}")
    return value


LIST_MAX = 1_000_000
"""the most entries any list argument holds (a list that costs a run of the engine per entry is
given a smaller ``most``); an endless or huge iterable is read no further"""


def listed(value: Any, name: str, what: str, error: Raise = _scenario_error, most: int = LIST_MAX) -> list[Any]:
    """``value`` as a list: a list, tuple or other iterable that is not one text, bytes or a dict
    (one text is not a list of ``what``: ``["ppo-standard"]``, not ``"ppo-standard"``); ``most``:
    the longest list taken (each entry may cost a run of the engine), read no further than that."""
    if isinstance(value, (str, bytes, bytearray, Mapping)) or not hasattr(value, "__iter__") \
            or type(value).__name__ in ("DataFrame", "Series") or getattr(value, "ndim", 1) == 0:
        raise error(name, f"expected a list of {what}, got {type_name(value)}")  # ndim 0: np.array(5.0)
    try:
        items = list(itertools.islice(value, most + 1))
    except TypeError:  # an object that says it iterates but cannot
        raise error(name, f"expected a list of {what}, got {type_name(value)}") from None
    except Exception as err:  # (the caller's own iterator failed as it was read)
        raise error(name, f"expected a list of {what}; reading the {type_name(value)} given failed: "
                          f"{failure(err)}") from None
    if len(items) > most:
        raise error(name, f"more than {most:,} {what}: give at most {most:,}")
    return [_plain_entry(item) for item in items]


def _plain_entry(item: Any) -> Any:
    """A list's entry of a subclass of a text or number as the plain value it holds, and each item
    of an entry that is a tuple likewise (a ``(label, scenario)`` pair, a ``(path, text, name)``)."""
    if type(item) is tuple:
        return tuple(map(unwrapped, item))
    return unwrapped(item)


def instances(items: list[Any], kind: type, name: str, what: str, error: Raise = _scenario_error) -> list[Any]:
    """``items`` (a list from :func:`listed`) when every entry is a ``kind``; else an error naming
    ``name``, what was expected (``"MythCheck items (medspa_kit.lessons.myths())"``) and the
    first other type given."""
    for item in items:
        if not isinstance(item, kind):
            raise error(name, f"expected {what}, got {type_name(item)}")
    return items


def texts(value: Any, name: str, what: str, error: Raise = _scenario_error, most: int = LIST_MAX) -> list[str]:
    """``value`` as a list of texts (see :func:`listed`), each entry checked."""
    items = listed(value, name, what, error, most)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise error(f"{name}[{i}]", f"expected a text ({what}), got {type_name(item)}")
    return items


def failure(err: BaseException) -> str:
    """``ValueError: iteration boom``: what went wrong with an object the caller gave, as it was
    read (its message shortened; only the exception's type when the message cannot be read)."""
    try:
        return f"{type(err).__name__}: {shortened(str(err), 200)}"
    except Exception:
        return type(err).__name__


def pairs(value: Mapping[Any, Any], name: str, what: str = "a dict",
          error: Raise = _scenario_error) -> list[tuple[Any, Any]]:
    """The ``(key, value)`` pairs of a dict or any other Mapping, read once (a key or value of a
    subclass of a text or number as the plain value it holds); an exception raised
    as they are read (a Mapping of the caller's whose ``__iter__``, ``items`` or ``__getitem__``
    fails) is an error naming ``name`` and what failed, never that exception itself."""
    try:
        read = list(value.items())
    except Exception as err:
        raise error(name, f"expected {what}; reading the {type_name(value)} given failed: {failure(err)}") from None
    return [(unwrapped(key), unwrapped(item)) for key, item in read]  # (a key or value of a subclass: plain)


def mapping(value: Any, name: str, what: str = "a dict", error: Raise = _scenario_error,
            optional: bool = True) -> dict[Any, Any] | None:
    """``value`` (a dict or another Mapping) as a new dict read once (see :func:`pairs`), or None
    when ``optional``."""
    if value is None and optional:
        return None
    if not isinstance(value, Mapping):
        raise error(name, f"expected {what}, got {type_name(value)}")
    return dict(pairs(value, name, what, error))


def readable(value: Any, name: str, error: Raise = _scenario_error) -> str:
    """``str(value)``, for a box's text given from code (a number typed as ``1100`` reads as
    ``"1100"``); an object whose ``str`` raises is refused naming ``name``."""
    try:
        return str(unwrapped(value))  # (a number of a subclass of int or float: the number it holds)
    except Exception:  # any object may be handed over from code; one that cannot be shown is refused
        raise error(name, f"a {type_name(value)} value that cannot be shown or read") from None


def frame(value: Any, name: str, columns: Iterable[str], made_by: str, error: Raise = _scenario_error) -> Any:
    """``value`` when it is a pandas DataFrame with ``columns`` and at least one row (the table
    ``made_by`` gives, such as ``"medspa_kit.year.rank_options"``); else an error naming ``name``."""
    import pandas as pd

    instance(value, pd.DataFrame, name, f"{made_by}'s table (a pandas DataFrame)", error)
    missing = [c for c in columns if c not in value.columns]
    if missing or value.empty:
        what = f"has no column {missing[0]!r}" if missing else "has no rows"
        raise error(name, f"expected {made_by}'s table; this one {what}")
    return value
