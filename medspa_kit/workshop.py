"""``medspa-kit workshop``: the workshop dashboard as a code-free app (Voila) for a projector.

Voila runs notebook 10 (the client's files, the comparison, the chart, the handout to download)
and shows only its narrative and widgets — no code cells. Every visit to the page starts a kernel
of its own, so two people never share a table or a handout; kernels idle for longer than
``cull_idle_minutes`` are shut down.
"""

from __future__ import annotations

import subprocess
import sys

from .lab import notebooks_root

NOTEBOOK = "10_workshop_dashboard.ipynb"


def voila_command(root, port: int | None, cull_idle_minutes: int, extra: list[str]) -> list[str]:
    command = [
        sys.executable, "-m", "voila", str(root / NOTEBOOK),
        "--strip_sources=True",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_minutes * 60}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
    ]
    if port is not None:
        command += [f"--port={port}", "--Voila.port_retries=0"]
    return command + extra


def start_workshop(folder: str | None, port: int | None, cull_idle_minutes: int, extra: list[str]) -> int:
    try:
        import voila  # noqa: F401  (only to give a friendly message when it is missing)
    except ModuleNotFoundError:
        print("medspa-kit: the workshop view needs Voila: pip install 'medspa-kit[workshop]'", file=sys.stderr)
        return 2
    root = notebooks_root(folder)
    print(f"medspa-kit: serving {root / NOTEBOOK} as an app (no code shown)", file=sys.stderr)
    return subprocess.call(voila_command(root, port, cull_idle_minutes, extra))
