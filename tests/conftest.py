"""Shared fixtures (scenario builders live in tests/builders.py)."""

from __future__ import annotations

import pytest

from medspa_kit.catalog import default_catalog


@pytest.fixture(scope="session")
def catalog():
    return default_catalog()
