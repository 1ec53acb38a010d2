"""Shared fixtures (scenario builders live in tests/builders.py)."""

from __future__ import annotations

import pytest

from medspa_kit.catalog import default_catalog


@pytest.fixture(scope="session")
def catalog():
    return default_catalog()


@pytest.fixture(params=["arrow", "pandas"])
def csv_engine(request, monkeypatch):
    """Run a test with Arrow's CSV reader and writer, and again with pandas' (no pyarrow)."""
    from medspa_kit import batch_io

    if request.param == "arrow":
        pytest.importorskip("pyarrow")
    else:
        monkeypatch.setattr(batch_io, "arrow", lambda: None)
    return request.param
