"""Re-execute notebooks in place with deterministic stored outputs (``make notebooks``).

Outputs are stored so that ``pytest --nbval`` can compare them; widget views are not: their
model ids are random on every run and, without the widget state, a stored view can only show
"model not found". The plain-text line each widget prints (``ScenarioExplorer(preset=…)``)
stays, and the live widget appears when the cell runs. Running this twice changes no byte.

Usage: python -m medspa_kit._notebooks notebooks/*.ipynb
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def scrub(nb) -> None:
    """Drop widget views and volatile metadata from an executed notebook, in place."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data and WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
    nb.metadata.pop("widgets", None)


def run(path: Path, timeout: int = 300) -> float:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                            store_widget_state=False, record_timing=False)
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    scrub(nb)
    nbformat.write(nb, path)
    return elapsed


def main(paths: list[str]) -> int:
    os.environ.setdefault("MPLBACKEND", "Agg")
    if not paths:
        print("usage: python -m medspa_kit._notebooks NOTEBOOK.ipynb ...", file=sys.stderr)
        return 2
    for name in paths:
        elapsed = run(Path(name))
        print(f"{name}: executed in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
