"""``medspa-kit lab``: JupyterLab on the kit's notebooks.

In a clone of the project the notebooks are opened where they are. From an installed wheel
they are first copied to ``./medspa-kit-notebooks`` (never overwriting a notebook you changed),
so that the installed package stays untouched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .files import atomic_output, make_folder


def notebooks_folder() -> Path:
    """The bundled notebooks: beside the package in a clone, inside it when installed."""
    here = Path(__file__).resolve().parent
    beside = here.parent / "notebooks"
    if beside.is_dir() and (here.parent / "pyproject.toml").is_file():
        return beside
    return here / "notebooks"


def working_copy(target: Path) -> Path:
    """Copy the installed notebooks into ``target`` (existing files are kept; each copy appears
    whole or not at all, so an interrupted copy is made again next time)."""
    source = notebooks_folder()
    make_folder(target, "--folder")
    for path in source.rglob("*"):
        if path.is_file() and ".ipynb_checkpoints" not in path.parts:
            dest = target / path.relative_to(source)
            if not dest.exists():
                make_folder(dest.parent, "--folder")
                with atomic_output(dest, "--folder") as temporary:
                    shutil.copy2(path, temporary)
    return target


def notebooks_root(folder: str | None) -> Path:
    """The folder to serve: ``folder`` (filled with copies if new), the clone's notebooks/, or a
    working copy beside you when the kit is installed."""
    if folder:
        root = Path(folder)
        return root if root.is_dir() else working_copy(root)
    root = notebooks_folder()
    if not os.access(root, os.W_OK) or "site-packages" in root.parts:
        root = working_copy(Path.cwd() / "medspa-kit-notebooks")
    return root


def lab_command(root: Path, extra: list[str]) -> list[str]:
    """JupyterLab on ``root``. As root (a container, a CI machine) JupyterLab refuses to start
    unless told ``--allow-root``: say it for the user, and say so."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}", *extra]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and not any(a.startswith("--allow-root") for a in extra):
        print("medspa-kit: running as root, so JupyterLab is started with --allow-root", file=sys.stderr)
        command.append("--allow-root")
    return command


def start_lab(folder: str | None, extra: list[str]) -> int:
    root = notebooks_root(folder)
    print(f"medspa-kit: starting JupyterLab on {root}", file=sys.stderr)
    return subprocess.call(lab_command(root, extra))
