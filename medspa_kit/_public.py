"""Public functions and methods receive text and numbers of a subclass as the plain values they hold.

A caller may pass an instance of a subclass of ``str``, ``int``, ``float``, ``Decimal`` or
``Fraction`` whose own methods (``strip``, ``__str__``, ``__len__``, ``__eq__``, ``__float__``)
fail or say something else. Every public callable is wrapped once, where its module is made
(:func:`plain_public`, or the package's lazy loader): each argument of such a subclass is read as
the value it holds (:func:`~.errors.unwrapped`, by the base type's own methods) before the function
sees it, so no method of the subclass is ever used and nothing the kit returns keeps the subclass.
A truth value, an enum member (the kit's own ``str`` enums) and every other value pass unchanged.
Keyword names are read the same way; entries of a list or a dict are made plain where the function
reads them (:func:`~.arguments.listed`, :func:`~.arguments.pairs`, :func:`~.fields.plain_tree`).
"""

from __future__ import annotations

import functools
import sys
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from .errors import unwrapped

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: the command starts sooner)
if TYPE_CHECKING:
    from typing import Any, Callable

_EXACT = frozenset((str, int, float, bool, type(None)))
_SUBCLASSED = (str, int, float, Decimal, Fraction)


def _plain(value: Any) -> Any:
    if type(value) in _EXACT or not isinstance(value, _SUBCLASSED) or isinstance(value, Enum):
        return value
    return unwrapped(value)


def plain_arguments(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` reading each argument of a subclass of a text or number as the plain value."""
    if getattr(function, "_plain_arguments", False):
        return function

    @functools.wraps(function)
    def reading(*args: Any, **kwargs: Any) -> Any:
        return function(*map(_plain, args), **{_plain(name): _plain(value) for name, value in kwargs.items()})

    reading._plain_arguments = True  # type: ignore[attr-defined]
    return reading


def plain_class(cls: type) -> type:
    """``cls`` with each public method and its own ``__init__`` (a dataclass's too: an options
    record such as ``PaymentOptions`` keeps what it is given) wrapped by :func:`plain_arguments`;
    an enum unchanged."""
    if issubclass(cls, Enum) or cls in _WRAPPED:
        return cls
    _WRAPPED.add(cls)
    for name, member in list(vars(cls).items()):
        if name.startswith("_") and name != "__init__":
            continue
        if isinstance(member, (classmethod, staticmethod)):
            setattr(cls, name, type(member)(plain_arguments(member.__func__)))
        elif type(member).__name__ == "function":
            setattr(cls, name, plain_arguments(member))
    return cls


_WRAPPED: set[type] = set()
"""the classes whose methods are wrapped (each once; a subclass's own methods on its own turn)"""


def plain_value(value: Any) -> Any:
    """A public function wrapped, a public class's methods wrapped (the class itself returned);
    any other value unchanged."""
    if isinstance(value, type):
        return plain_class(value)
    if type(value).__name__ == "function":
        return plain_arguments(value)
    return value


def plain_public(namespace: dict[str, Any]) -> None:
    """Wrap every public name the module holds (see :func:`plain_value`): those of its ``__all__``,
    or, in a module of a package whose names load lazily, those the package's table says it holds."""
    names = namespace.get("__all__")
    if names is None:
        package, _, module = namespace["__name__"].rpartition(".")
        table = getattr(sys.modules[package], "_LAZY", {})
        names = [name for name, where in table.items() if where == f".{module}"]
    for name in names:
        if name in namespace:
            namespace[name] = plain_value(namespace[name])
