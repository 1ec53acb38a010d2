"""``medspa-kit edi SCENARIO.json --claim OUT.837 --remittance OUT.835``: the real EDI of one claim.

Writes the 837P the clinic would send and the 835 the payer would answer with (either or both),
each whole or not at all; ``--table`` prints the 835 annotated for people. Bad input exits 2
with one line naming the field (or the file) and the value.
"""

from __future__ import annotations

import argparse
from typing import Any, Callable


def register(subparsers: Any, commands: dict[str, Callable[[argparse.Namespace], int]]) -> None:
    from .cli import output_name

    p = subparsers.add_parser(
        "edi", help="write a scenario's claim (837P) and remittance (835) as real X12 files",
        description="Adjudicate a scenario and write the 837P claim the clinic sends (--claim) and the 835 "
                    "remittance the payer answers with (--remittance), X12 5010; needs the edi extra "
                    "(pip install 'medspa-kit[edi]'). Identifiers are fictional.")
    p.add_argument("file", nargs="?", metavar="SCENARIO.json", help="scenario file (see docs/scenario.md), or - for stdin")
    p.add_argument("--preset", metavar="NAME", help="use a bundled preset instead of a file (see `presets`)")
    p.add_argument("--claim", type=output_name, metavar="OUT.837", help="write the 837P claim here")
    p.add_argument("--remittance", type=output_name, metavar="OUT.835", help="write the 835 remittance here")
    p.add_argument("--table", action="store_true", help="print the 835 as a table: segment, meaning, amount, line")
    commands["edi"] = cmd_edi


def cmd_edi(args: argparse.Namespace) -> int:
    from .cli import scenario_from_args
    from .edi import claim_837p, remittance_835, remittance_table, require_x12, write_edi_files
    from .engine import evaluate
    from .errors import ScenarioError
    from .files import refuse_same_file

    if not (args.claim or args.remittance or args.table):
        raise ScenarioError.one("--claim", "say what to write: --claim OUT.837, --remittance OUT.835 or --table")
    inputs = [args.file] if args.file not in (None, "-") else []
    for name, path in (("--claim", args.claim), ("--remittance", args.remittance)):
        if path:
            refuse_same_file(path, inputs, name)  # never write over the scenario (a path, a link, a hard link)
    if args.claim and args.remittance:  # (the same path, a link to it or a hard link)
        refuse_same_file(args.remittance, [], "--remittance", outputs={"--claim": args.claim})
    require_x12()
    scenario = scenario_from_args(args)
    outcome = evaluate(scenario)
    claim = claim_837p(outcome) if args.claim else None
    remittance = remittance_835(outcome) if (args.remittance or args.table) else None
    written = [(args.claim, claim, "--claim")] if claim is not None else []
    written += [(args.remittance, remittance, "--remittance")] if args.remittance else []
    if written:
        write_edi_files(written)  # (both or neither: never a new claim beside an old remittance)
    for path, _, field in written:
        print(f"{'837P claim' if field == '--claim' else '835 remittance'}: {path}")
    if args.table:
        print(table_text(remittance_table(remittance)))
    return 0


def table_text(frame: Any) -> str:
    """The annotated 835 as left-aligned text: segment, amount, line, then the meaning."""
    columns = ["segment", "amount", "line", "meaning"]
    widths = {c: max(len(c), *(len(str(v)) for v in frame[c])) for c in columns[:-1]}

    def row(values: dict[str, Any]) -> str:
        return "  ".join([str(values[c]).ljust(widths[c]) for c in columns[:-1]] + [str(values["meaning"])]).rstrip()

    return "\n".join([row({c: c for c in columns}), *(row(r) for r in frame.to_dict("records"))])
