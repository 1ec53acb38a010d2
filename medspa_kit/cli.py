"""The ``medspa-kit`` command (docs/scenario.md describes the files it reads).

Bad input exits 2 with one line on stderr naming the field and the value; a dataset problem
found by ``validate`` exits 1. No traceback reaches the user for either.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Callable, Sequence

from . import __version__

if TYPE_CHECKING:
    from .model import Scenario

EXIT_BAD_INPUT = 2
EXIT_INVALID_DATA = 1


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _fail(message: str) -> int:
    print(f"medspa-kit: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def scenario_from_args(args: argparse.Namespace) -> "Scenario":
    """The scenario a command names: ``--preset NAME``, a FILE, or ``-`` for stdin (one of them)."""
    from .errors import ScenarioError
    from .model import Scenario, load_scenario
    from .presets import preset

    if (args.file is None) == (args.preset is None):
        raise ScenarioError.one("scenario", "give a scenario FILE or --preset NAME (one of them)")
    if args.preset is not None:
        return preset(args.preset)
    if args.file == "-":
        return Scenario.from_json(sys.stdin.read())
    return load_scenario(args.file)


def cmd_estimate(args: argparse.Namespace) -> int:
    from .engine import evaluate
    from .explain import summary

    if (args.file is None) == (args.preset is None):
        return _fail("give a scenario FILE or --preset NAME (one of them)")
    outcome = evaluate(scenario_from_args(args))
    if args.json:
        print(outcome.to_json())
    else:
        print(summary(outcome))
    return 0


def cmd_presets(args: argparse.Namespace) -> int:
    from .presets import preset_info

    info = preset_info()
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    width = max(len(name) for name in info)
    for name, row in info.items():
        print(f"{name:<{width}}  {row['title']}")
    return 0


def cmd_procedures(args: argparse.Namespace) -> int:
    from .catalog import default_catalog

    cat = default_catalog()
    width = max(len(p.id) for p in cat.procedures.values())
    print(f"{'id':<{width}}  {'code':<6} {'cash':>9} {'fee sched':>10}  name")
    for p in cat.procedures.values():
        fee = f"${p.fee_schedule:,.2f}" if p.fee_schedule is not None else "—"
        print(f"{p.id:<{width}}  {p.code or '—':<6} {'$' + format(p.cash_price, ',.2f'):>9} {fee:>10}  {p.name}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .catalog import datasets_folder
    from .validation import validate_datasets

    folder = args.folder or datasets_folder()
    problems = validate_datasets(folder)
    if problems:
        for problem in problems:
            print(f"medspa-kit: {problem}", file=sys.stderr)
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {folder}", file=sys.stderr)
        return EXIT_INVALID_DATA
    print(f"datasets OK: {folder}")
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    from .lab import start_lab

    return start_lab(args.folder, args.extra)


def cmd_workshop(args: argparse.Namespace) -> int:
    from .workshop import start_workshop

    if args.cull_idle_minutes < 1:
        return _fail(f"--cull-idle-minutes: {args.cull_idle_minutes} must be at least 1")
    return start_workshop(args.folder, args.port, args.cull_idle_minutes, args.extra)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "estimate": cmd_estimate,
    "presets": cmd_presets,
    "procedures": cmd_procedures,
    "validate": cmd_validate,
    "lab": cmd_lab,
    "workshop": cmd_workshop,
}

# Other modules add their sub-commands here: name → (help, add_arguments, run).
EXTENSIONS: list[str] = ["medspa_kit.cli_batch", "medspa_kit.cli_finance", "medspa_kit.cli_edi"]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="medspa-kit",
        description="Will insurance pay for this med-spa service, and if not, what will it really cost?",
    )
    parser.add_argument("--version", action="version", version=f"medspa-kit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("estimate", help="adjudicate one scenario and explain the outcome")
    p.add_argument("file", nargs="?", metavar="SCENARIO.json", help="scenario file (see docs/scenario.md), or - for stdin")
    p.add_argument("--preset", metavar="NAME", help="use a bundled preset instead of a file (see `presets`)")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")

    p = sub.add_parser("presets", help="list the bundled preset scenarios")
    p.add_argument("--json", action="store_true", help="print name → title and lesson as JSON")

    sub.add_parser("procedures", help="list the services in the catalog with their codes and prices")

    p = sub.add_parser("validate", help="check every dataset (schema, sources, codes, NPIs, references)")
    p.add_argument("folder", nargs="?", help="a datasets folder (default: the bundled one)")

    p = sub.add_parser("lab", help="start JupyterLab on the bundled notebooks (other options go to jupyter lab)")
    p.add_argument("--folder", help="where to open the notebooks (default: the project's notebooks/)")

    p = sub.add_parser("workshop", help="serve the workshop scenario lab as an app with no code (Voila)")
    p.add_argument("--folder", help="where to put the notebooks (default: the project's notebooks/)")
    p.add_argument("--port", type=int, help="port to serve on (default: Voila's 8866)")
    p.add_argument("--cull-idle-minutes", type=int, default=30, metavar="N",
                   help="shut down a visitor's kernel after N idle minutes (default 30)")

    from importlib import import_module

    for module_name in EXTENSIONS:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name != module_name:
                raise
            continue
        module.register(sub, COMMANDS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .errors import MedspaError

    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown and args.command not in ("lab", "workshop"):
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    args.extra = unknown
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return COMMANDS[args.command](args)
    except MedspaError as err:
        return _fail(str(err))
    except KeyboardInterrupt:
        print("medspa-kit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
