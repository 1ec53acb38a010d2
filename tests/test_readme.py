"""The README's examples print what the README says they print."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _block(kind: str, after: str = "") -> str:
    start = README.index(after) if after else 0
    match = re.compile(rf"```{kind}\n(.*?)```", re.S).search(README, start)
    assert match, f"no ```{kind} block"
    return match.group(1)


def test_python_example_prints_what_the_readme_shows():
    code = _block("python")
    expected = _block("text", after="```python")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert out.stdout == expected


CONSOLE = re.findall(r"```console\n(.*?)```", README, re.S)


@pytest.mark.parametrize("block", CONSOLE, ids=[b.partition("\n")[0][:60] for b in CONSOLE])
def test_cli_example_prints_what_the_readme_shows(block):
    command, _, expected = block.partition("\n")
    assert command.startswith("$ .venv/bin/medspa-kit ")
    args = command.split()[2:]
    out = subprocess.run([sys.executable, "-m", "medspa_kit.cli", *args], capture_output=True, text=True,
                         check=True, cwd="/")
    assert out.stdout == expected


def test_the_readme_shows_a_one_service_and_a_claim_example():
    assert len(CONSOLE) >= 2 and any("--preset migraine-claim" in b for b in CONSOLE)
