"""``medspa-kit batch IN.csv -o OUT.csv``: adjudicate a file of scenarios, one per row (docs/scenario.md).

The file is read in chunks, so memory stays bounded however long it is (a claim's rows are
never split between chunks); a progress bar goes to
stderr and a summary to stdout. Every input row comes out with its result columns after its
own columns; a row that is not a valid scenario gets its message in ``error`` and the batch goes
on. Parquet is read or written when a file name ends in ``.parquet`` (needs ``pyarrow``); the
reading and writing live in :mod:`medspa_kit.batch_io`.

Exit codes: 0 every row evaluated; 1 some rows had errors (all others are in the output);
2 the file itself is unusable (unreadable, a required column missing, an unknown dotted column).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .errors import ScenarioError

EXIT_ROW_ERRORS = 1
SCATTERED = ("claim_id: the claim's rows are not next to each other (its earlier rows were evaluated "
             "without these; sort the file by claim_id and run it again)")
SHOW_ERRORS = 5


def register(subparsers: Any, commands: dict[str, Callable[[argparse.Namespace], int]]) -> None:
    p = subparsers.add_parser(
        "batch", help="adjudicate a CSV or Parquet file of scenarios, one per row",
        description="Adjudicate every row of IN (columns named by dotted scenario paths, e.g. service.code, "
                    "plan.oon.coinsurance; diagnoses joined with ';'). With a claim_id column each row is one "
                    "line of a claim (line.code, line.units, line.modifiers), a claim's rows together. Writes "
                    "each row with its results to OUT. Exit 1 if some rows had errors (they are in OUT's error "
                    "column), 2 if IN is unusable.")
    p.add_argument("input", metavar="IN.csv", help="scenarios, one per row (.csv or .parquet)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.csv", help="results (.csv or .parquet)")
    p.add_argument("--chunk-size", type=int, default=100_000, metavar="ROWS",
                   help="rows read and evaluated at a time (default 100000)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--remittance", metavar="OUT.835",
                   help="also write one 835 remittance for the whole batch: a CLP loop per evaluated claim "
                        "(needs the edi extra)")
    commands["batch"] = cmd_batch


@dataclass
class Summary:
    """What a batch run found; money in cents."""

    rows: int = 0
    decisions: dict[str, int] = field(default_factory=lambda: {"covered": 0, "denied": 0, "not_billable": 0})
    errors: int = 0
    patient_pays: int = 0
    plan_pays: int = 0
    first_errors: list[str] = field(default_factory=list)
    by_field: Counter[str] = field(default_factory=Counter)
    """rows with errors, by the field their message names first (a wrong column shows at once)"""

    def add(self, results: Any, first_row: int) -> None:
        import numpy as np

        self.rows += len(results)
        counts = results["decision"].value_counts()
        for name in self.decisions:
            self.decisions[name] += int(counts.get(name, 0))
        failed = results["error"].notna().to_numpy()
        self.errors += int(failed.sum())
        for position in np.flatnonzero(failed)[: SHOW_ERRORS - len(self.first_errors)]:
            self.first_errors.append(f"row {first_row + position}: {results['error'].iat[position]}")
        if failed.any():
            named = results["error"][failed].str.split(": ", n=1).str[0]
            fields = named.str.replace(r"\[\d+\]", "", regex=True).value_counts()  # diagnoses[1] → diagnoses
            self.by_field.update({name: int(count) for name, count in fields.items()})
        for name in ("patient_pays", "plan_pays"):
            cents = np.rint(results[name].to_numpy(dtype=float, na_value=0.0) * 100).astype(np.int64)
            setattr(self, name, getattr(self, name) + int(cents.sum()))

    def unreadable(self, lines: list[str]) -> None:
        self.errors += len(lines)
        self.first_errors += lines[: SHOW_ERRORS - len(self.first_errors)]
        if lines:
            self.by_field["unreadable lines"] += len(lines)

    def error_fields(self) -> str:
        """``date_of_service 5,626, plan.coinsurance 3``: most rows first, at most five fields."""
        ranked = sorted(self.by_field.items(), key=lambda item: (-item[1], item[0]))
        shown = ", ".join(f"{name} {count:,}" for name, count in ranked[:SHOW_ERRORS])
        return shown + (f", {len(ranked) - SHOW_ERRORS} more fields" if len(ranked) > SHOW_ERRORS else "")

    def lines(self) -> list[str]:
        out = [f"rows            {self.rows:>12,}"]
        out += [f"{name.replace('_', ' '):<16}{count:>12,}" for name, count in self.decisions.items()]
        out.append(f"errors          {self.errors:>12,}")
        out.append(f"patient pays    {'$' + format(self.patient_pays / 100, ',.2f'):>16}")
        out.append(f"plan pays       {'$' + format(self.plan_pays / 100, ',.2f'):>16}")
        return out


def cmd_batch(args: argparse.Namespace) -> int:
    source, target = Path(args.input), Path(args.output)
    if args.chunk_size < 1:
        raise ScenarioError.one("--chunk-size", f"{args.chunk_size} is not a positive number of rows")
    if not source.is_file():
        raise ScenarioError.one("file", f"cannot read {str(source)!r}: no such file")
    if target.resolve() == source.resolve():
        raise ScenarioError.one("--output", f"{str(target)!r} is the input file; write the results elsewhere")
    remittance = getattr(args, "remittance", None)
    if remittance is not None:
        from .edi import require_x12

        require_x12()
        if Path(remittance).resolve() in (source.resolve(), target.resolve()):
            raise ScenarioError.one("--remittance", f"{remittance!r} is the input or the output; write it elsewhere")
    summary = run_batch(source, target, chunk_size=args.chunk_size, quiet=args.quiet, remittance=remittance)
    for line in summary.first_errors:
        print(f"medspa-kit: {line}", file=sys.stderr)
    if summary.errors > len(summary.first_errors):
        print(f"medspa-kit: … and {summary.errors - len(summary.first_errors):,} more rows with errors "
              f"(see the error column of {target})", file=sys.stderr)
        print(f"medspa-kit: rows with errors, by field: {summary.error_fields()}", file=sys.stderr)
    print("\n".join(summary.lines()))
    return EXIT_ROW_ERRORS if summary.errors else 0


def run_batch(source: Path, target: Path, chunk_size: int = 100_000, quiet: bool = False,
              remittance: str | None = None) -> Summary:
    """Evaluate ``source`` into ``target`` chunk by chunk; returns the summary. With
    ``remittance`` (a path) also write one 835 answering every claim evaluated without error."""
    from tqdm import tqdm

    from . import batch_io
    from .batch import evaluate_frame
    from .catalog import default_catalog
    from .columns import CLAIM_RESULT_COLUMNS, RESULT_COLUMNS

    catalog = default_catalog()
    summary = Summary()
    reader = batch_io.reader(source, chunk_size)
    finished: set[Any] = set()  # the claims of earlier chunks
    answers = Remittances(catalog) if remittance else None
    with tqdm(total=reader.total, unit=reader.unit, unit_scale=True, desc="batch", disable=quiet,
              file=sys.stderr, dynamic_ncols=True) as bar, batch_io.Writer(target) as writer:
        for chunk in batch_io.whole_claims(reader):
            chunk = chunk.drop(columns=[c for c in (*CLAIM_RESULT_COLUMNS, *RESULT_COLUMNS) if c in chunk.columns])
            chunk.index = range(summary.rows, summary.rows + len(chunk))
            results = evaluate_frame(chunk, catalog)
            if "claim_id" in chunk.columns:
                again = batch_io.claims_seen_before(chunk["claim_id"], finished)
                if again.any():
                    results = batch_io.reject(results, again, SCATTERED)
            if answers is not None:
                answers.add(chunk, results, first_row=summary.rows + 1)
            summary.add(results, reader.first_row + summary.rows)
            summary.unreadable(reader.skipped)
            reader.skipped.clear()
            writer.write(chunk, results)
            bar.update(reader.progress() - bar.n)
            bar.set_postfix(rows=f"{summary.rows:,}", refresh=False)
    if answers is not None:
        answers.write(remittance)
    return summary


class Remittances:
    """The batch's 835, claim by claim: each claim evaluated without error is adjudicated again
    by ``evaluate`` (which the batch engine agrees with on every row) for its line adjustments,
    and answered by one CLP loop; its claim id is the ``claim_id`` cell, else the row number."""

    def __init__(self, catalog: Any):
        self.catalog = catalog
        self.writer: Any = None

    def add(self, chunk: Any, results: Any, first_row: int) -> None:
        from .columns import claim_to_dict, row_to_dict
        from .edi.remittance import RemittanceWriter
        from .engine import evaluate

        ok = results["error"].isna().to_numpy()
        records = chunk.to_dict("records")
        if "claim_id" in chunk.columns:
            claims: dict[str, list[dict[str, Any]]] = {}
            for record, good in zip(records, ok):
                claims.setdefault(str(record["claim_id"]), []).append(record if good else {})
            scenarios = [(cid, claim_to_dict(rows)) for cid, rows in claims.items() if all(rows)]
        else:
            scenarios = [(str(first_row + i), row_to_dict(record)) for i, (record, good) in
                         enumerate(zip(records, ok)) if good]
        for claim_id, data in scenarios:
            outcome = evaluate(data, self.catalog)
            if self.writer is None:
                self.writer = RemittanceWriter(outcome)
            self.writer.add(claim_id, outcome)

    def write(self, path: str) -> None:
        from .edi import write_edi_file
        from .errors import EdiError

        if self.writer is None:
            raise EdiError("--remittance: no claim was evaluated without error, so there is nothing to answer")
        write_edi_file(path, self.writer.text(), "--remittance")
