"""Named scenarios shipped with the kit (``datasets/presets/*.json``, listed in ``presets.csv``)."""

from __future__ import annotations

from .catalog import Catalog, given_catalog
from .errors import ScenarioError, shown_value
from .model import Scenario, load_scenario

__all__ = ["preset", "preset_names", "preset_info", "preset_title"]


def preset_names(catalog: Catalog | None = None) -> list[str]:
    cat = given_catalog(catalog)
    return [r["name"] for r in cat.rows["presets"]]


def preset_info(catalog: Catalog | None = None) -> dict[str, dict[str, str]]:
    """name → {title, teaches} for every preset."""
    cat = given_catalog(catalog)
    return {r["name"]: {"title": r["title"], "teaches": r["teaches"]} for r in cat.rows["presets"]}


def preset_title(name: str, catalog: Catalog | None = None) -> str:
    """A preset's title in plain words (``Botox for forehead lines``), as a heading shows it; the
    name itself for one that is not a preset."""
    if not isinstance(name, str):
        raise ScenarioError.one("name", f"expected a preset name (text), got {type(name).__name__}")
    row = preset_info(catalog).get(name)
    return row["title"] if row else name


def preset(name: str, catalog: Catalog | None = None) -> Scenario:
    """The preset scenario called ``name`` (``botox-underarm-sweating``, …)."""
    cat = given_catalog(catalog)
    names = preset_names(cat)
    if not isinstance(name, str) or name not in names:
        raise ScenarioError.one("preset", f"{shown_value(name)} is not a preset (try one of: {', '.join(names)})")
    path = cat.folder / "presets" / f"{name}.json"
    return load_scenario(str(path), catalog=cat)


from ._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
