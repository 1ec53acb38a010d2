"""Lazy attributes for package ``__init__`` modules, so importing a package stays cheap."""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: the command starts sooner)
if TYPE_CHECKING:
    from typing import Any, Callable


def lazy(package: str, table: dict[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``name`` from ``table[name]`` on first use."""

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        from ._public import plain_value  # (on first use: importing the package stays cheap)

        value = plain_value(getattr(import_module(module, package), name))  # (text and numbers read plain)
        namespace[name] = value
        return value

    return __getattr__
