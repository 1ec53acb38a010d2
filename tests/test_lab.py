"""`medspa-kit lab` opens a working copy, so JupyterLab's autosave never touches the shipped notebooks."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from medspa_kit import lab

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def simulated_save(path: Path, marker: str) -> None:
    """What JupyterLab's autosave does: rewrite the notebook with new outputs (here a widget view)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "execution_count": 1, "id": marker, "metadata": {}, "source": marker,
                        "outputs": [{"output_type": "display_data", "metadata": {},
                                     "data": {"text/plain": "Quiz(3 questions)",
                                              WIDGET_VIEW: {"model_id": "0123abcd", "version_major": 2,
                                                            "version_minor": 0}}}]})
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    (path.parent / ".ipynb_checkpoints").mkdir(exist_ok=True)
    shutil.copy2(path, path.parent / ".ipynb_checkpoints" / f"{path.stem}-checkpoint.ipynb")


@pytest.fixture
def clone(tmp_path) -> Path:
    """A git repository laid out like the project: its .gitignore, pyproject.toml and two notebooks."""
    repo = tmp_path / "clone"
    (repo / "notebooks").mkdir(parents=True)
    shutil.copy2(ROOT / ".gitignore", repo / ".gitignore")
    shutil.copy2(ROOT / "pyproject.toml", repo / "pyproject.toml")
    for name in ("00_start_here.ipynb", "04_when_insurance_says_no.ipynb"):
        shutil.copy2(ROOT / "notebooks" / name, repo / "notebooks" / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "shipped")
    return repo


def test_a_clone_opens_a_git_ignored_working_copy_and_saving_it_leaves_git_clean(clone):
    refresh = lab.working_copy(clone / lab.CLONE_COPY, clone / "notebooks")
    assert refresh.copied == ["00_start_here.ipynb", "04_when_insurance_says_no.ipynb"]
    simulated_save(clone / lab.CLONE_COPY / "04_when_insurance_says_no.ipynb", "my-edit")
    assert git(clone, "status", "--porcelain") == ""
    # the next start keeps the learner's edit (the shipped notebook did not change) but drops the dead widget view
    again = lab.working_copy(clone / lab.CLONE_COPY, clone / "notebooks")
    assert again.kept == refresh.copied and not again.updated and not again.set_aside
    saved = json.loads((clone / lab.CLONE_COPY / "04_when_insurance_says_no.ipynb").read_text(encoding="utf-8"))
    assert saved["cells"][-1]["source"] == "my-edit"
    assert all(WIDGET_VIEW not in o.get("data", {}) for c in saved["cells"] for o in c.get("outputs", []))
    assert git(clone, "status", "--porcelain") == ""


def test_the_lab_folder_of_a_clone_is_my_notebooks():
    assert lab.lab_folder() == ROOT / lab.CLONE_COPY
    assert lab.lab_folder("elsewhere") == Path("elsewhere")
    assert subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", f"{lab.CLONE_COPY}/x.ipynb"]).returncode == 0


def test_a_changed_shipped_notebook_refreshes_the_copy_and_keeps_an_edited_one_aside(clone):
    shipped, copy = clone / "notebooks", clone / lab.CLONE_COPY
    lab.working_copy(copy, shipped)
    simulated_save(copy / "04_when_insurance_says_no.ipynb", "learner-work")
    for name in ("00_start_here.ipynb", "04_when_insurance_says_no.ipynb"):  # a new version of both ships
        nb = json.loads((shipped / name).read_text(encoding="utf-8"))
        nb["cells"][0]["source"] = "# a new version"
        (shipped / name).write_text(json.dumps(nb, indent=1), encoding="utf-8")
    refresh = lab.working_copy(copy, shipped)
    assert refresh.updated == ["00_start_here.ipynb"]  # untouched by the learner: simply replaced
    assert refresh.set_aside == {"04_when_insurance_says_no.ipynb": "earlier/04_when_insurance_says_no.1.ipynb"}
    aside = json.loads((copy / "earlier" / "04_when_insurance_says_no.1.ipynb").read_text(encoding="utf-8"))
    assert aside["cells"][-1]["source"] == "learner-work"
    for name in ("00_start_here.ipynb", "04_when_insurance_says_no.ipynb"):
        assert (copy / name).read_bytes() == (shipped / name).read_bytes()
    assert any("kept as earlier/04_when_insurance_says_no.1.ipynb" in line for line in refresh.describe())


def test_the_shipped_notebooks_are_only_read(clone):
    before = {p.name: p.read_bytes() for p in (clone / "notebooks").iterdir()}
    lab.working_copy(clone / lab.CLONE_COPY, clone / "notebooks")
    assert {p.name: p.read_bytes() for p in (clone / "notebooks").iterdir()} == before
