"""Shared fixtures: the bundled catalog and scenario builders."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from medspa_kit.catalog import default_catalog
from medspa_kit.presets import preset


@pytest.fixture(scope="session")
def catalog():
    return default_catalog()


def preset_dict(name: str) -> dict[str, Any]:
    """A preset as a plain dict, safe to modify."""
    return copy.deepcopy(preset(name).to_dict())


def changed(name: str, **changes: Any) -> dict[str, Any]:
    """A preset with dotted fields replaced: ``changed("x", **{"plan.copay": 0.0})``."""
    from medspa_kit.model import set_path

    data = preset_dict(name)
    for path, value in changes.items():
        set_path(data, path, value)
    return data
