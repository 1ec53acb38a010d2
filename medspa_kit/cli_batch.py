"""``medspa-kit batch IN.csv -o OUT.csv``: adjudicate a file of scenarios, one per row (docs/scenario.md).

The file is read in chunks, so memory stays bounded however long it is (a claim's rows are
never split between chunks); a progress bar goes to stderr and a summary to stdout.

Nothing is lost: every line of IN is one row of OUT, in its place, with its result columns
after its own columns. A row that is not a valid scenario gets its message in ``error``; a line
that cannot be read as a row (too many or too few cells, a quote never closed) keeps its place
with empty cells and its message (``line 3 has 14 cells, the header has 13``), and the claim it
may belong to is not evaluated without it. Messages number rows by the file's lines (Parquet:
rows from 1). A column of IN named like a result column is kept as ``in_<name>``.

Nothing false is left: OUT is written to a temporary file beside it and renamed into place
when every row is written; on an error or Ctrl-C an earlier OUT stays as it was. An OUT that
is IN (a symbolic or hard link to it) is refused before anything is written. CSV written is
spreadsheet-safe. Parquet is read or written when a file name ends in ``.parquet`` (needs
``pyarrow``); the reading and writing live in :mod:`medspa_kit.batch_io` and
:mod:`medspa_kit.batch_csv`.

Exit codes: 0 every row evaluated; 1 some rows had errors or lines could not be read (all others
are in the output); 2 the file itself is unusable (unreadable, not UTF-8 text, a required column
missing, an unknown dotted column, no line that can be read as a row) or OUT cannot be written;
130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .cli import output_name, whole_number
from .errors import FileError, ScenarioError
from .files import shown

EXIT_ROW_ERRORS = 1
MAX_WORKERS_PER_CORE = 4
"""``--workers`` of ``--engine dask``: more processes than this per core only wait on each other"""
SCATTERED = ("claim_id: the claim's rows are not next to each other in the file (no row of it was evaluated; "
             "sort the file by claim_id and run it again)")
"""the error of every row of such a claim in the batch's output, in one chunk or across chunks"""
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
    p.add_argument("-o", "--output", required=True, type=output_name, metavar="OUT.csv", help="results (.csv or .parquet)")
    p.add_argument("--chunk-size", type=whole_number, default=100_000, metavar="ROWS",
                   help="rows read and evaluated at a time (default 100000; each chunk has a fixed cost, so "
                        "under about 1000 rows a chunk a long file runs slowly)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--remittance", type=output_name, metavar="OUT.835",
                   help="also write one 835 remittance for the whole batch: a CLP loop per evaluated claim "
                        "(needs the edi extra)")
    p.add_argument("--engine", choices=("pandas", "dask"), default="pandas",
                   help="pandas (default): one process, chunk by chunk; dask: IN is a folder of Parquet files "
                        "(or a glob), one partition per file, on a local cluster; OUT is a folder of Parquet files "
                        "(needs the scale extra)")
    p.add_argument("--workers", type=whole_number, default=None, metavar="N", help="worker processes for --engine dask (default 2; at most 4 per core)")
    p.add_argument("--by-member", action="store_true",
                   help="carry each member's plan year (a member_id column): deductible, out-of-pocket and history "
                        "from claim to claim in date order (docs/plan-year.md)")
    commands["batch"] = cmd_batch


@dataclass
class Summary:
    """What a batch run found; money in cents."""

    word: str = "line"
    """how messages number rows: ``line`` (the CSV file's line) or ``row`` (Parquet, from 1)"""
    rows: int = 0
    read: int = 0
    """rows that could be read (the others are unreadable lines)"""
    decisions: dict[str, int] = field(default_factory=lambda: {"covered": 0, "denied": 0, "not_billable": 0})
    errors: int = 0
    patient_pays: int = 0
    plan_pays: int = 0
    first_errors: list[str] = field(default_factory=list)
    by_field: Counter[str] = field(default_factory=Counter)
    """rows with errors, by the field their message names first (a wrong column shows at once)"""
    first_unreadable: str | None = None

    def add(self, results: Any, lines: Any, unreadable: Any) -> None:
        """Count one chunk: its results, the file line of each row, which rows were unreadable."""
        import numpy as np

        self.rows += len(results)
        self.read += int((~unreadable).sum())
        counts = results["decision"].value_counts()
        for name in self.decisions:
            self.decisions[name] += int(counts.get(name, 0))
        failed = results["error"].notna().to_numpy()
        self.errors += int(failed.sum())
        for position in np.flatnonzero(failed)[: SHOW_ERRORS - len(self.first_errors)]:
            message = results["error"].iat[position]
            self.first_errors.append(message if unreadable[position] else
                                     f"{self.word} {lines[position]:,}: {message}")
        if unreadable.any():
            self.by_field["unreadable lines"] += int(unreadable.sum())
            if self.first_unreadable is None:
                self.first_unreadable = results["error"].to_numpy()[unreadable][0]
        failed = failed & ~unreadable
        if failed.any():
            named = results["error"][failed].str.split(": ", n=1).str[0]
            fields = named.str.replace(r"\[\d+\]", "", regex=True).value_counts()  # diagnoses[1] → diagnoses
            self.by_field.update({name: int(count) for name, count in fields.items()})
        for name in ("patient_pays", "plan_pays"):
            cents = np.rint(results[name].to_numpy(dtype=float, na_value=0.0) * 100).astype(np.int64)
            setattr(self, name, getattr(self, name) + int(cents.sum()))

    def merge(self, other: "Summary") -> None:
        """Add another part's summary (a partition of the Dask path), its first errors after ours."""
        self.rows += other.rows
        self.read += other.read
        for name in self.decisions:
            self.decisions[name] += other.decisions[name]
        self.errors += other.errors
        self.patient_pays += other.patient_pays
        self.plan_pays += other.plan_pays
        self.first_errors += other.first_errors[: SHOW_ERRORS - len(self.first_errors)]
        self.by_field.update(other.by_field)
        if self.first_unreadable is None:
            self.first_unreadable = other.first_unreadable

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
    from .files import refuse_same_file

    source, target = Path(args.input), Path(args.output)
    for path, option, verb in ((source, "file", "read"), (target, "--output", "write")):
        try:  # a name the system cannot hold (over 255 bytes) fails even to be looked up
            path.exists()
        except OSError as err:
            raise FileError(option, f"cannot {verb} {shown(path)}: {err.strerror}") from None
    if args.chunk_size < 1:
        raise ScenarioError.one("--chunk-size", f"{args.chunk_size} is not a positive number of rows")
    if target.suffix.lower() not in (".csv", ".parquet") and (target.is_file() or not target.exists()):
        # (a device or a folder is refused when written, as "not a regular file")
        raise ScenarioError.one("--output", f"{str(target)!r}: the batch writes .csv or .parquet, not "
                                            f"{target.suffix or 'a file with no extension'!r} (name OUT with one of those)")
    remittance = getattr(args, "remittance", None)
    if args.engine == "dask":
        if remittance is not None:
            raise ScenarioError.one("--remittance", "an 835 for a whole batch is written by the pandas engine only")
        summary = _run_dask(args, target)
    else:
        if args.workers is not None:
            raise ScenarioError.one("--workers", "only --engine dask starts worker processes (the pandas engine runs "
                                                 "in this one)")
        if source.is_dir() or (not source.exists() and any(c in args.input for c in "*?[")):
            raise ScenarioError.one("file", f"{str(source)!r}: a folder or a glob of Parquet files needs --engine dask")
        if not source.exists():
            raise ScenarioError.one("file", f"cannot read {str(source)!r}: no such file")
        refuse_same_file(target, [source])
        if remittance is not None:
            from .edi import require_x12

            require_x12()
            refuse_same_file(remittance, [source], "--remittance", outputs={"the results file (-o)": target})
        summary = run_batch(source, target, chunk_size=args.chunk_size, quiet=args.quiet, by_member=args.by_member,
                            remittance=remittance)
    for line in summary.first_errors:
        print(f"medspa-kit: {line}", file=sys.stderr)
    if summary.errors > len(summary.first_errors):
        print(f"medspa-kit: … and {summary.errors - len(summary.first_errors):,} more rows with errors "
              f"(see the error column of {target})", file=sys.stderr)
        print(f"medspa-kit: rows with errors, by field: {summary.error_fields()}", file=sys.stderr)
    print("\n".join(summary.lines()))
    return EXIT_ROW_ERRORS if summary.errors else 0


def _run_dask(args: argparse.Namespace, target: Path) -> Summary:
    from .batch_dask import parquet_sources, run_dask

    most = MAX_WORKERS_PER_CORE * (os.cpu_count() or 1)
    args.workers = 2 if args.workers is None else args.workers
    if not 1 <= args.workers <= most:
        raise ScenarioError.one("--workers", f"{args.workers} is not a number of processes from 1 to {most} "
                                             f"({MAX_WORKERS_PER_CORE} per core of this machine)")
    sources = parquet_sources(args.input)
    if target.suffix.lower() != ".parquet":
        raise ScenarioError.one("--output", f"{str(target)!r}: --engine dask writes a folder of Parquet files; "
                                            "name it OUT.parquet")
    if any(target.resolve() == p.resolve() or target.resolve() in p.resolve().parents for p in sources):
        raise ScenarioError.one("--output", f"{str(target)!r} holds the input; write the results elsewhere")
    return run_dask(sources, target, Summary, workers=args.workers, by_member=args.by_member, quiet=args.quiet)


class _ClaimsApart(Exception):
    """A claim's rows were found apart after some of them were evaluated: start again, knowing."""


def run_batch(source: Path, target: Path, chunk_size: int = 100_000, quiet: bool = False,
              by_member: bool = False, remittance: str | None = None) -> Summary:
    """Evaluate ``source`` into ``target`` chunk by chunk; returns the summary. With
    ``remittance`` (a path) also write one 835 answering every claim evaluated without error.

    ``by_member``: carry each ``member_id``'s plan year (:func:`medspa_kit.members.evaluate_members`);
    the whole file is then one chunk, since a member's claims may be anywhere in it.

    ``target`` appears only when every row is written (a temporary file beside it is renamed);
    on an error or Ctrl-C it is left as it was.

    A claim whose rows are apart (``C1, C2, C1``) is refused on every one of its rows. Its
    rows may lie in different chunks: when a later chunk shows that a claim already evaluated
    has more rows, the output begun is dropped, the file is read once for every such claim
    (:func:`medspa_kit.batch_io.scattered_claims`) and evaluated again, refusing them all.
    A file whose claims are together is read once.

    Raises
    ------
    ScenarioError
        The file is unusable: unreadable, not UTF-8 text, a required column missing, no line
        that can be read as a row; or ``target`` cannot be written. Nothing is written then.
    """
    try:
        return _run_batch(source, target, chunk_size, quiet, by_member, remittance, scattered=None)
    except _ClaimsApart:
        from . import batch_io

        if not quiet:
            print("medspa-kit: some claims' rows are not next to each other; reading the file again to refuse "
                  "every row of those claims", file=sys.stderr)
        scattered = batch_io.scattered_claims(batch_io.reader(source, chunk_size, formulas=False))
        return _run_batch(source, target, chunk_size, quiet, by_member, remittance, scattered=scattered)


def _run_batch(source: Path, target: Path, chunk_size: int, quiet: bool, by_member: bool, remittance: str | None,
               scattered: set[Any] | None) -> Summary:
    """One pass of :func:`run_batch`; ``scattered``: the claims whose rows are apart, or None
    (not yet known: a claim found apart raises :class:`_ClaimsApart`)."""
    from tqdm import tqdm

    from . import batch_io
    from .batch import evaluate_frame
    from .catalog import default_catalog
    from .columns import CLAIM_RESULT_COLUMNS, RESULT_COLUMNS
    from .errors import FileError
    from .files import atomic_output, open_regular
    from .members import priced_members

    catalog = default_catalog()
    open_regular(source).close()  # a folder, a device or a FIFO is one line of error, before any progress bar
    reader = batch_io.reader(source, chunk_size, formulas=target.suffix.lower() != ".parquet")
    summary = Summary(word=reader.word)
    finished: set[Any] = set()  # the claims of earlier chunks
    renamed: dict[str, str] | None = None
    answers = Remittances(catalog) if remittance else None
    with atomic_output(target) as temporary, batch_io.Writer(temporary, target) as writer, \
            tqdm(total=reader.total, unit=reader.unit, unit_scale=True, desc="batch", disable=quiet or sys.stderr is None,
                 file=sys.stderr, dynamic_ncols=True) as bar:
        if by_member:  # one piece: the whole file
            parts = list(reader)
            pieces: Any = [batch_io.Rows.concat(parts)] if parts else []
        else:
            pieces = batch_io.whole_claims(reader)
        for rows in pieces:
            if renamed is None:
                renamed = batch_io.renamed_inputs(rows.frame.columns, (*CLAIM_RESULT_COLUMNS, *RESULT_COLUMNS))
                if renamed and scattered is None:
                    print(f"medspa-kit: columns of {source.name} named like results are written as "
                          f"{', '.join(f'{old} → {new}' for old, new in renamed.items())}", file=sys.stderr)
            chunk = rows.frame.rename(columns=renamed) if renamed else rows.frame
            chunk.index = range(summary.rows, summary.rows + len(chunk))
            priced: list[Any] = []  # by member: the rows as priced, with the plan year's carried state

            def members_priced(frame: Any, cat: Any) -> Any:
                out, carried = priced_members(frame, cat)
                priced.append(carried)
                return out

            results = _evaluate(chunk, rows, renamed or {}, members_priced if by_member else evaluate_frame, catalog,
                                finished, summary.word, scattered)
            if answers is not None:  # an 835 answers each claim as it was priced
                answers.add(priced[0].reindex(chunk.index) if priced else chunk, results, first_row=summary.rows + 1)
            summary.add(results, rows.lines, rows.unreadable)
            formulas = None if rows.formulas is None else [(renamed or {}).get(c, c) for c in rows.formulas]
            writer.write(chunk, results, formulas)
            bar.update(reader.progress() - bar.n)
            bar.set_postfix(rows=f"{summary.rows:,}", refresh=False)
        if summary.read == 0:
            raise FileError("file", f"{str(source)!r} has no {summary.word} that can be read as a row"
                                    + (f" ({summary.first_unreadable})" if summary.first_unreadable else
                                       ": it has a header and nothing under it"))
        if answers is not None:  # inside: if the 835 cannot be written, neither is the output
            answers.write(remittance)
    return summary


def _evaluate(chunk: Any, rows: Any, renamed: dict[str, str], evaluate_frame: Callable[..., Any], catalog: Any,
              finished: set[Any], word: str, scattered: set[Any] | None) -> Any:
    """The results of one chunk: its readable rows evaluated, its unreadable lines with their
    message, and the claims those lines may belong to, or whose rows are apart, refused.

    Raises :class:`_ClaimsApart` when ``scattered`` is None and a claim of an earlier chunk has
    rows in this one."""
    import numpy as np

    import pandas as pd

    from . import batch_io
    from .batch_cells import CLAIM_APART, key_texts

    unreadable = rows.unreadable
    inputs = chunk[[c for c in chunk.columns if c not in renamed.values()]]
    readable = inputs[~unreadable] if unreadable.any() else inputs
    results = evaluate_frame(readable, catalog)
    if unreadable.any():
        results = results.reindex(chunk.index)
        results["error"] = results["error"].astype(object).mask(unreadable, rows.problems)
    if "claim_id" in chunk.columns:
        ids = chunk["claim_id"][~unreadable]
        again = np.zeros(len(chunk), dtype=bool)
        if scattered is None:
            if batch_io.claims_seen_before(ids, finished).any():
                raise _ClaimsApart
        else:
            again[~unreadable] = pd.Series(key_texts(ids), dtype=object).isin(scattered).to_numpy()
        again |= (results["error"] == CLAIM_APART).to_numpy()  # found apart within this chunk
        if again.any():
            results = batch_io.reject(results, again, SCATTERED)
        spoiled, messages = batch_io.claims_with_unreadable_lines(rows, word)
        if spoiled.any():
            results = batch_io.reject(results, spoiled, messages)
    return results


class Remittances:
    """The batch's 835, claim by claim: each claim evaluated without error is adjudicated again
    by ``evaluate`` (which the batch engine agrees with on every row) for its line adjustments,
    and answered by one CLP loop; its claim id is the ``claim_id`` cell, else the row number."""

    def __init__(self, catalog: Any):
        self.catalog = catalog
        self.writer: Any = None

    def add(self, chunk: Any, results: Any, first_row: int) -> None:
        from .batch_cells import key_texts
        from .columns import claim_to_dict, row_to_dict
        from .edi.remittance import RemittanceWriter
        from .engine import evaluate

        ok = results["error"].isna().to_numpy()
        records = chunk.to_dict("records")
        if "claim_id" in chunk.columns:
            claims: dict[str, list[dict[str, Any]]] = {}
            for key, record, good in zip(key_texts(chunk["claim_id"]), records, ok):
                claims.setdefault(key, []).append(record if good else {})
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
