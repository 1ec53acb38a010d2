"""Element-wise helpers that take one number or a numpy array alike.

The rules and the cost arithmetic are written once, over "values" that are a Python number for
one claim and a numpy array for a batch. numpy's functions accept both, but on a plain Python
number each call costs about a microsecond; these helpers use the builtin for scalars and numpy
for arrays, so the one formula is fast in both engines. They decide nothing themselves.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_SCALARS = (int, float, bool, np.integer, np.floating, np.bool_)


def minimum(a: Any, b: Any) -> Any:
    """``min(a, b)`` element-wise."""
    if isinstance(a, _SCALARS) and isinstance(b, _SCALARS):
        return a if a <= b else b
    return np.minimum(a, b)


def maximum(a: Any, b: Any) -> Any:
    """``max(a, b)`` element-wise."""
    if isinstance(a, _SCALARS) and isinstance(b, _SCALARS):
        return a if a >= b else b
    return np.maximum(a, b)


def where(condition: Any, a: Any, b: Any) -> Any:
    """``a`` where ``condition`` holds, else ``b``, element-wise."""
    if isinstance(condition, _SCALARS):
        if isinstance(a, _SCALARS) and isinstance(b, _SCALARS):
            return a if condition else b
    return np.where(condition, a, b)


def logical_not(a: Any) -> Any:
    """``not a`` element-wise (``~True`` is -2 on a Python bool: never use ``~`` on flags)."""
    if isinstance(a, _SCALARS):
        return not a
    return np.logical_not(a)
