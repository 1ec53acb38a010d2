"""``medspa-kit lab``: JupyterLab on a working copy of the kit's notebooks.

JupyterLab saves a notebook every couple of minutes. Opened where they ship, the notebooks would
be rewritten by every session (a dirty repository, and widget views whose kernel is gone: "model
not found" on reopening). So the lab always opens a working copy:

- in a clone of the project, ``my-notebooks/`` beside ``notebooks/`` (git ignores it);
- from an installed wheel, ``./medspa-kit-notebooks``;
- or the folder given with ``--folder``.

Each start refreshes the copy from the shipped notebooks: a notebook that is new is copied; one
whose shipped version changed replaces the copy — and if the learner had edited the copy, that
copy is first kept aside in ``earlier/``, never silently lost. A notebook that did not change is
left as the learner left it, except that widget views saved by an earlier session are dropped
(their kernel is gone; Run All draws them again).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .files import atomic_output, make_folder, write_text_file

MANIFEST = ".shipped.json"
"""the working copy's record: file → SHA-256 of the shipped version it was copied from"""
ASIDE = "earlier"
CLONE_COPY = "my-notebooks"
INSTALLED_COPY = "medspa-kit-notebooks"


def notebooks_folder() -> Path:
    """The bundled notebooks: beside the package in a clone, inside it when installed."""
    here = Path(__file__).resolve().parent
    beside = here.parent / "notebooks"
    if beside.is_dir() and (here.parent / "pyproject.toml").is_file():
        return beside
    return here / "notebooks"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _shipped_files(source: Path) -> list[Path]:
    return sorted(p for p in source.rglob("*")
                  if p.is_file() and ".ipynb_checkpoints" not in p.parts and "handouts" not in p.parts)


@dataclass
class Refresh:
    """What preparing a working copy did, file by file (paths relative to the copy)."""

    folder: Path
    copied: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    set_aside: dict[str, str] = field(default_factory=dict)
    """learner-edited copy → where it was kept before the new shipped version replaced it"""
    kept: list[str] = field(default_factory=list)

    def describe(self) -> list[str]:
        lines = []
        if self.copied:
            lines.append(f"copied {len(self.copied)} notebook file(s) into {self.folder}")
        for name in self.updated:
            lines.append(f"updated {name}: the shipped version changed")
        for name, aside in self.set_aside.items():
            lines.append(f"updated {name}: the shipped version changed; your edited copy is kept as {aside}")
        return lines


def _set_aside(dest: Path, folder: Path) -> str:
    aside_dir = folder / ASIDE
    make_folder(aside_dir, "--folder")
    n = 1
    while (target := aside_dir / f"{dest.stem}.{n}{dest.suffix}").exists():
        n += 1
    dest.replace(target)
    return str(target.relative_to(folder))


def _copy(src: Path, dest: Path) -> None:
    make_folder(dest.parent, "--folder")
    with atomic_output(dest, "--folder") as temporary:  # never a half-copied notebook under the real name
        shutil.copy2(src, temporary)


def _drop_stale_widget_views(path: Path) -> None:
    """Remove widget views an earlier session saved (their models died with its kernel)."""
    from ._notebooks import WIDGET_VIEW

    nb = json.loads(path.read_text(encoding="utf-8"))
    changed = False
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data and WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                changed = True
    if nb.get("metadata", {}).pop("widgets", None) is not None:
        changed = True
    if changed:
        write_text_file(path, json.dumps(nb, indent=1, ensure_ascii=False) + "\n", "--folder")


def working_copy(target: Path, source: Path | None = None) -> Refresh:
    """Make or refresh ``target`` as a working copy of the shipped notebooks in ``source``.

    New files are copied; a file whose shipped version changed since it was copied replaces the
    copy (an edited copy is first moved to ``earlier/NAME.N.ipynb``); an unchanged one is kept as
    the learner left it, less stale widget views. The record of what was copied is
    ``target/.shipped.json``. The shipped folder is only read.
    """
    source = source or notebooks_folder()
    make_folder(target, "--folder")
    manifest_path = target / MANIFEST
    try:
        recorded: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = {}
    result = Refresh(target)
    shipped_now: dict[str, str] = {}
    for src in _shipped_files(source):
        name = str(src.relative_to(source))
        dest = target / name
        shipped = shipped_now[name] = _digest(src)
        if not dest.exists():
            _copy(src, dest)
            result.copied.append(name)
        elif recorded.get(name) == shipped or _digest(dest) == shipped:
            result.kept.append(name)
        elif recorded.get(name) is not None and _digest(dest) == recorded[name]:
            _copy(src, dest)  # the learner never touched it: take the new version
            result.updated.append(name)
        else:
            result.set_aside[name] = _set_aside(dest, target)
            _copy(src, dest)
        if dest.suffix == ".ipynb":
            _drop_stale_widget_views(dest)
    write_text_file(manifest_path, json.dumps(shipped_now, indent=1, sort_keys=True) + "\n", "--folder")
    return result


def lab_folder(folder: str | None = None) -> Path:
    """Where JupyterLab opens: ``folder``, the clone's ``my-notebooks/``, or ``./medspa-kit-notebooks``."""
    if folder:
        return Path(folder)
    shipped = notebooks_folder()
    if shipped.name == "notebooks" and (shipped.parent / "pyproject.toml").is_file() \
            and os.access(shipped.parent, os.W_OK) and "site-packages" not in shipped.parts:
        return shipped.parent / CLONE_COPY
    return Path.cwd() / INSTALLED_COPY


def prepare_lab(folder: str | None = None, source: Path | None = None) -> Refresh:
    """The preparation step of ``medspa-kit lab``: the working copy, refreshed; nothing is started."""
    return working_copy(lab_folder(folder), source)


def notebooks_root(folder: str | None) -> Path:
    """The folder the workshop app serves: ``folder`` (filled with copies if new), the clone's
    notebooks/, or a working copy beside you when the kit is installed. Voila never saves."""
    if folder:
        root = Path(folder)
        return root if root.is_dir() else working_copy(root).folder
    root = notebooks_folder()
    if not os.access(root, os.W_OK) or "site-packages" in root.parts:
        root = working_copy(Path.cwd() / INSTALLED_COPY).folder
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
    try:
        import jupyterlab  # noqa: F401  (only to give a friendly message when it is missing)
    except ModuleNotFoundError:
        print("medspa-kit: the lab needs JupyterLab: pip install 'medspa-kit[lab]' (or run `make lab`)",
              file=sys.stderr)
        return 2
    refresh = prepare_lab(folder)
    for line in refresh.describe():
        print(f"medspa-kit: {line}", file=sys.stderr)
    print(f"medspa-kit: starting JupyterLab on {refresh.folder} (a working copy: the shipped notebooks stay as "
          "they are)", file=sys.stderr)
    return subprocess.call(lab_command(refresh.folder, extra))
