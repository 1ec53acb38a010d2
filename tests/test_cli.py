"""The `medspa-kit` command line (docs/scenario.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from medspa_kit import __version__, preset
from medspa_kit.cli import main

from .builders import BASE


def test_estimate_preset_json_is_the_spec_object(capsys):
    assert main(["estimate", "--preset", "botox-forehead-lines", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["decision"] == "denied"
    assert out["primary_reason"]["carc"] == "204"
    assert out["cost"]["patient_pays"] == 480.0


def test_estimate_file_prints_a_readable_summary(tmp_path, capsys):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(BASE), encoding="utf-8")
    assert main(["estimate", str(path)]) == 0
    out = capsys.readouterr().out
    # The worked example, nothing met: allowed $420.00 all deductible, clinic writes off $680.00.
    assert "Decision:  Covered (in network)" in out
    assert "$420.00" in out and "$680.00" in out
    assert "Next steps" in out


@pytest.mark.parametrize(
    "mutate,line",
    [
        (lambda d: d["plan"].update(coinsurance=1.5), "medspa-kit: plan.coinsurance: 1.5 is not a rate"),
        (lambda d: d["plan"].update(colour="red"), "medspa-kit: plan.colour: unknown field 'colour'"),
        (lambda d: d.update(diagnoses=["L74.5"]), "medspa-kit: diagnoses[0]: 'L74.5' (Focal hyperhidrosis) is a "
                                                  "category, not billable"),
    ],
)
def test_bad_scenario_exits_2_with_one_line(tmp_path, mutate, line):
    data = json.loads(json.dumps(BASE))
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "medspa_kit.cli", "estimate", str(path)], capture_output=True,
                          text=True)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(line)
    assert "Traceback" not in proc.stderr


def test_missing_file_and_unknown_preset_exit_2(capsys):
    assert main(["estimate", "/nonexistent/s.json"]) == 2
    assert "cannot read '/nonexistent/s.json'" in capsys.readouterr().err
    assert main(["estimate", "--preset", "nope"]) == 2
    assert "preset: 'nope' is not a preset" in capsys.readouterr().err
    assert main(["estimate"]) == 2


def test_bad_option_is_one_line():
    proc = subprocess.run([sys.executable, "-m", "medspa_kit.cli", "estimate", "--bogus"], capture_output=True,
                          text=True)
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1


def test_stdin(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(preset("uncredentialed-np").to_json()))
    assert main(["estimate", "-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["primary_reason"]["carc"] == "B7"


def test_presets_and_procedures_and_version(capsys):
    assert main(["presets"]) == 0
    assert "botox-underarm-sweating" in capsys.readouterr().out
    assert main(["procedures"]) == 0
    assert "64650" in capsys.readouterr().out
    assert main(["--version"]) == 0  # argparse's own exit becomes main's answer
    assert capsys.readouterr().out.strip() == f"medspa-kit {__version__}"


def test_validate_passes(capsys):
    assert main(["validate"]) == 0
    assert "datasets OK" in capsys.readouterr().out


def test_installed_wheel_carries_the_datasets(tmp_path):
    """`pip install .` (not editable) ships datasets inside the package; run from another folder."""
    root = Path(__file__).resolve().parent.parent
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(wheels), str(root)], check=True, capture_output=True)
    wheel = next(wheels.glob("medspa_kit-*.whl"))
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    assert (target / "medspa_kit" / "datasets" / "procedures.csv").is_file()
    assert (target / "medspa_kit" / "datasets" / "presets" / "botox-underarm-sweating.json").is_file()
    assert not (target / "medspa_kit" / "datasets" / "generators").exists()
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c",
                           "import medspa_kit, sys; from medspa_kit.cli import main; print(medspa_kit.__file__); "
                           "sys.exit(main(['estimate', '--preset', 'botox-underarm-sweating']))"],
                          capture_output=True, text=True, cwd=str(tmp_path), env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith(str(target))
    assert "Decision:  Covered (in network)" in proc.stdout


@pytest.mark.parametrize("uid,extra,allowed", [(0, [], True), (1000, [], False), (0, ["--allow-root"], True)])
def test_lab_as_root_is_started_with_allow_root(monkeypatch, tmp_path, uid, extra, allowed):
    # JupyterLab refuses to run as root without --allow-root, so `make lab` in a container failed.
    from medspa_kit import lab

    monkeypatch.setattr(lab.os, "geteuid", lambda: uid)
    command = lab.lab_command(tmp_path, extra)
    assert command[:4] == [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={tmp_path}"]
    assert command.count("--allow-root") == (1 if allowed else 0)


def test_the_notebook_copies_appear_whole_even_when_interrupted(tmp_path, monkeypatch):
    import shutil

    from medspa_kit import lab

    real_copy = shutil.copy2
    copied = []

    def interrupted(source, dest, *args, **kwargs):
        real_copy(source, dest, *args, **kwargs)
        copied.append(source)
        if len(copied) == 2:
            with open(dest, "r+b") as half:  # as if Ctrl-C came in the middle of the second file
                half.truncate(10)
            raise KeyboardInterrupt

    monkeypatch.setattr(lab.shutil, "copy2", interrupted)
    with pytest.raises(KeyboardInterrupt):
        lab.working_copy(tmp_path / "notebooks")
    made = sorted(p.name for p in (tmp_path / "notebooks").rglob("*") if p.is_file())
    assert len(made) == 1 and not any(name.endswith(".part") for name in made)
    monkeypatch.setattr(lab.shutil, "copy2", real_copy)
    lab.working_copy(tmp_path / "notebooks")  # the next start copies what is missing
    source = lab.notebooks_folder()
    for path in source.glob("*.ipynb"):
        assert (tmp_path / "notebooks" / path.name).read_bytes() == path.read_bytes()
