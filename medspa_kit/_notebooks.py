"""Re-execute notebooks in place with deterministic stored outputs (``make notebooks``).

Outputs are stored so that ``pytest --nbval`` can compare them; widget views are not: their
model ids are random on every run and, without the widget state, a stored view can only show
"model not found". The plain-text line each widget prints (``ScenarioExplorer(preset=…)``)
stays, and the live widget appears when the cell runs. Running this twice changes no byte.

Wiring cells — imports, and cells that only build a widget or a quiz — have their code
collapsed (``jupyter.source_hidden``): a learner sees the widget, and one click on the cell's
"…" shows the code. Cells whose code is the lesson stay open.

Usage: python -m medspa_kit._notebooks notebooks/*.ipynb
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: widgets whose construction is wiring, not the lesson
WIDGETS = ("ScenarioExplorer(", "PaymentPicker(", "CompareScenarios(", "ClientFiles(", "ClinicDecision(",
           "CodeChecker(", "Quiz(", "YearPlanner(", "RemittanceReader(")


def is_wiring(source: str) -> bool:
    """True for a code cell a learner need not read: every statement an import or a setting, the
    construction of a widget or quiz (possibly named), or a bare name that shows a widget — and, in a
    cell that ends by building a widget or quiz, the names it is built from (``underarm = preset(…)``)."""
    lines = [line for line in source.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    settings = ("import ", "from ", "%matplotlib", "pd.set_option(")
    starts = [line for line in lines if not line.startswith((" ", ")", "]", "}"))]  # not inside a statement
    builds = bool(starts) and starts[-1].startswith(WIDGETS)  # the cell ends by building a widget or quiz
    for line in starts:
        named = re.match(r"[A-Za-z_]\w*\s*=[^=]", line)
        value = line.split("=", 1)[1].strip() if named else line
        if named and builds:  # a name the widget or quiz below is built from (a scenario, a list of visits)
            continue
        if not (line.startswith(settings) or value.startswith(WIDGETS) or re.fullmatch(r"[A-Za-z_]\w*", line)):
            return False
    return bool(lines)


def collapse_wiring(nb) -> None:
    """Hide the code of wiring cells (see :func:`is_wiring`), show every other cell's code."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        jupyter = cell.metadata.setdefault("jupyter", {})
        if is_wiring(cell.source):
            jupyter["source_hidden"] = True
        else:
            jupyter.pop("source_hidden", None)
        if not jupyter:
            del cell.metadata["jupyter"]


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
    collapse_wiring(nb)
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
