"""``validate_datasets``: is a datasets folder fit to ship? Every table, every reference between
tables, the ICD-10-CM codes, the checks against the rules, the presets and the sample files.

This sits above the engines on purpose: checking that a preset parses, or that the sample year
of visits runs through the batch without an error, needs the model, the engines and the clinic
model — which all sit on top of the catalog, never under it.
"""

from __future__ import annotations

import os
from pathlib import Path

from .catalog import Catalog
from .arguments import instances, listed, whole
from .catalog.citations import unknown_keys
from .catalog.consistency import cross_check
from .catalog.store import given_folder, read_folder
from .errors import DatasetError, DatasetProblem, FileError, ScenarioError
from .files import SCENARIO_MAX_BYTES, read_text_file, reason
from .model import load_scenario
from .rules import RULES

__all__ = ["validate_datasets", "problem_lines"]


def validate_datasets(folder: str | Path | None = None) -> list[DatasetProblem]:
    """Every problem in a datasets folder (an empty list when it is fit to ship).

    Parameters
    ----------
    folder : path, optional
        A datasets folder; the bundled one by default.

    Returns
    -------
    list of DatasetProblem
        Each names the file, the spreadsheet row and the column.
    """
    problems: list[DatasetProblem] = []
    cat = read_folder(given_folder(folder), problems)
    cross_check(cat, problems, deep=True)
    _check_rules(cat, problems)
    if not problems:
        _check_presets(cat, problems)
        _check_courses(cat, problems)
        _check_samples(cat, problems)
    return problems


PROBLEMS_SHOWN_PER_FILE = 100
"""the most problems of one file printed; the rest are counted (a file of junk rows is millions)"""


def problem_lines(problems: list[DatasetProblem], per_file: int = PROBLEMS_SHOWN_PER_FILE) -> list[str]:
    """The lines that report ``problems``: the first ``per_file`` of each file, in order, then one
    line per file counting the rest (``… and 11,999,900 more in procedures.csv``).

    Parameters
    ----------
    problems : list of DatasetProblem
        As :func:`validate_datasets` returns them.
    per_file : int
        How many problems of one file are shown (at least 1).

    Returns
    -------
    list of str
        One line each, without a prefix.
    """
    per_file = whole(per_file, "per_file", 1, 10**9)
    problems = instances(listed(problems, "problems", "DatasetProblem (as validate_datasets returns them)"),
                         DatasetProblem, "problems", "DatasetProblem items (as validate_datasets returns them)")
    shown: dict[str, int] = {}
    lines: list[str] = []
    for problem in problems:
        count = shown.get(problem.file, 0)
        shown[problem.file] = count + 1
        if count < per_file:
            lines.append(str(problem))
    for file, count in shown.items():
        if count > per_file:
            lines.append(f"… and {count - per_file:,} more in {file}")
    return lines


def _check_rules(cat: Catalog, problems: list[DatasetProblem]) -> None:
    """``checks.csv`` and the rules in code name the same checks; each rule reads facts both engines
    provide and has its advice (a rule half added is reported here, not met as a traceback)."""
    from .batch import FACT_NAMES
    from .facts import MODIFIERS_READ, Facts
    from .rules.advice import ADVICE

    listed = {check.id: check for check in cat.checks}
    for check in cat.checks:
        if check.id not in RULES:
            problems.append(DatasetProblem("checks.csv", check.row, "check",
                                           f"{check.id!r} has no rule in medspa_kit.rules"))
            continue
        for name in RULES[check.id].inputs:
            for where, names in (("medspa_kit.facts.Facts", Facts.__dataclass_fields__), ("batch", FACT_NAMES)):
                if name not in names:
                    problems.append(DatasetProblem("checks.csv", check.row, "check",
                                                   f"{check.id!r} reads {name!r}, which {where} does not provide"))
        if check.carc and check.id not in ADVICE:
            problems.append(DatasetProblem("checks.csv", check.row, "check",
                                           f"{check.id!r} has no advice in medspa_kit.rules.advice"))
    known = {row["code"] for row in cat.rows["modifiers"]}
    for code in MODIFIERS_READ:
        if code not in known:
            problems.append(DatasetProblem("modifiers.csv", None, "code", f"no row for modifier {code}, which the "
                                           "checks read (medspa_kit.facts.MODIFIERS_READ)"))
    for name in RULES:
        if name not in listed:
            problems.append(DatasetProblem("checks.csv", None, "check", f"the rule {name!r} has no row"))


def _check_presets(cat: Catalog, problems: list[DatasetProblem]) -> None:
    folder = cat.folder / "presets"
    listed = {r["name"] for r in cat.rows["presets"]}
    for r in cat.rows["presets"]:
        path = folder / f"{r['name']}.json"
        if not path.is_file():
            problems.append(DatasetProblem("presets.csv", r["_row"], "name", f"presets/{r['name']}.json is missing"))
            continue
        try:
            load_scenario(str(path), catalog=cat)
        except FileError as err:  # the file itself (not JSON, not UTF-8), named already
            problems.append(DatasetProblem(f"presets/{r['name']}.json", None, None, reason(err)))
        except ScenarioError as err:
            problems.append(DatasetProblem(f"presets/{r['name']}.json", None, err.field, str(err)))
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            if path.stem not in listed:
                problems.append(DatasetProblem(f"presets/{path.name}", None, None, "not listed in presets.csv"))


def _check_courses(cat: Catalog, problems: list[DatasetProblem]) -> None:
    """Every bundled course (``courses/*.json``) parses and runs through its plan year."""
    from .year import Course, run_year

    for path in sorted((cat.folder / "courses").glob("*.json")):
        try:  # read as every file is: bounded, a regular file (a FIFO would wait forever), UTF-8
            run_year(Course.from_json(read_text_file(path, SCENARIO_MAX_BYTES), catalog=cat), cat)
        except FileError as err:  # the file itself, named already
            problems.append(DatasetProblem(f"courses/{path.name}", None, None, reason(err)))
        except ScenarioError as err:
            problems.append(DatasetProblem(f"courses/{path.name}", None, err.field, str(err)))


def _present(path: Path, problems: list[DatasetProblem]) -> bool:
    """Is the optional file ``path`` there to check? Absent: no; a regular file: yes; anything else in
    its place (a folder, a FIFO): a problem, never skipped as if absent."""
    if not os.path.lexists(path):
        return False
    if not path.is_file():
        problems.append(DatasetProblem(path.name, None, None, "is not a regular file"))
        return False
    return True


def _check_samples(cat: Catalog, problems: list[DatasetProblem]) -> None:
    """The sample client files that ship for workshops must apply cleanly, the sample year must run."""
    from .batch import evaluate_frame
    from .client_data import apply_plans, apply_prices
    from .clinic import assumption_sources, default_assumptions, load_visits

    for file, apply in (("sample_client_prices.csv", apply_prices), ("sample_client_plans.csv", apply_plans)):
        path = cat.folder / file
        if _present(path, problems):
            try:
                apply(path, cat, name=file)
            except DatasetError as err:  # named as every dataset is, by its name in the folder
                problems.extend(DatasetProblem(file if p.file == str(path) else p.file, p.row, p.column, p.message)
                                for p in err.problems)
    if _present(cat.folder / "clinic_assumptions.csv", problems):
        try:
            default_assumptions(cat)
        except DatasetError as err:
            problems.extend(err.problems)
        else:
            for name, row in assumption_sources(cat, readable=False).iterrows():
                if unknown_keys(row["source"], cat.source_labels) != []:
                    problems.append(DatasetProblem("clinic_assumptions.csv", None, "source",
                                                   f"{name}: {row['source']!r} does not cite sources.csv"))
    if _present(cat.folder / "sample_visits.csv", problems):
        try:
            visits = load_visits(catalog=cat)
        except ScenarioError as err:  # the file itself, or a line that cannot be read as a row
            said = reason(err) if isinstance(err, FileError) else err.problems[0][1]
            problems.append(DatasetProblem("sample_visits.csv", None, None, said.removeprefix("sample_visits.csv: ")))
            return
        results = evaluate_frame(visits, cat)
        for index, message in results["error"].dropna().items():
            field, _, text = message.partition(": ")
            problems.append(DatasetProblem("sample_visits.csv", int(index) + 2, field, text))


from ._public import plain_public  # noqa: E402 - (once the module is made)

plain_public(globals())  # text and numbers of a subclass reach each public function as plain values
