"""``medspa-kit batch IN -o OUT.parquet --engine dask``: the batch over many Parquet files on Dask.

A payer's or a researcher's claims (tens of millions of lines) outgrow one process. This runs the
**unchanged** :func:`~medspa_kit.batch.evaluate_frame` (or, by member,
:func:`~medspa_kit.members.evaluate_members`) on each partition with ``map_partitions``, its
``meta`` taken from the function's own answer for an empty frame, on a ``distributed`` cluster of
``workers`` processes (one thread each) on this machine.

* **Input**: a folder of ``.parquet`` files, a glob (``claims/2026-*.parquet``) or one file. Each
  file is one partition, so memory is bounded by the largest file, not by the input; each is read
  by its Arrow types, ignoring stale pandas metadata, as the pandas engine reads it
  (:func:`medspa_kit.batch_io.arrow_frame`). The lines of a claim (``claim_id``) must be in one
  file: a claim at the end of one file and the start of the next is found before anything runs,
  and every row of it is refused (decision and dollars empty, an ``error`` naming the files), so
  the output never holds a priced part of a claim (by member too: such a claim is in no member's
  plan year, and the member's later claims say so).
* **By member** (``--by-member``, a ``member_id`` column): the rows are shuffled so that each
  member's rows share a partition, then put back in file order inside it, and each partition runs
  the plan year member by member.
* **Output**: a folder of Parquet files (``part-00000.parquet``, …; each input row with its results),
  written to a temporary folder beside it and renamed into place when every partition succeeded —
  so a failed run leaves no partial output. A list or record column, or one typed differently in
  two files, is written as text; files whose columns differ are refused before anything runs. The
  summary and the progress bar (rows) are the pandas path's.

Dask and distributed are an optional extra (``pip install 'medspa-kit[scale]'``); nothing else in
the kit imports them.
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import sys
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from .columns import CLAIM_RESULT_COLUMNS, DOLLAR_COLUMNS, RESULT_COLUMNS
from .errors import ScenarioError
from .files import forget_partial, make_beside, put_in_place, remove_partial, stops_held

ROW = "__medspa_row"
"""the helper column that keeps file order through a shuffle by member (never written out)"""

MEMBER_KEY = "__medspa_member"
"""the helper column a shuffle by member moves rows by: the member id, as text, of the first row of
each row's claim, so that a claim's rows travel together even when they name two members (which
the per-member batch then refuses) or a member id that is a list or a record (never written out)"""


def need_dask() -> Any:
    """``dask.dataframe``, or a one-line error saying how to install it."""
    try:
        import dask.dataframe as dd
        import distributed  # noqa: F401
    except ModuleNotFoundError:
        raise ScenarioError.one("--engine", "dask needs the scale extra: pip install 'medspa-kit[scale]'") from None
    return dd


def parquet_sources(text: str) -> list[Path]:
    """The Parquet files ``text`` names: a folder (its ``*.parquet``), a glob, or one file; sorted."""
    path = Path(text)
    if path.is_dir():
        where = f"folder {text!r}"
        # Arrow's own rule for a dataset folder: names starting with "_" or "." are metadata
        # (_SUCCESS, _common_metadata, .DS_Store); any other entry is data, so never skipped.
        entries = sorted(p for p in path.iterdir() if not p.name.startswith(("_", ".")))
        stray = [p for p in entries if p.suffix.lower() != ".parquet"]
        if stray:
            raise ScenarioError.one("file", f"{str(stray[0])!r} in the {where} is not a .parquet file: --engine dask "
                                            "reads every file of the folder, so move it out (its rows would be left "
                                            "out)")
        files = entries
    elif glob.has_magic(text):
        files = sorted(Path(p) for p in glob.glob(text))
        where = f"pattern {text!r}"
    elif path.is_file():
        files, where = [path], text
    elif path.exists():  # a device, a FIFO, a socket
        raise ScenarioError.one("file", f"{text!r} is not a regular file")
    else:
        raise ScenarioError.one("file", f"cannot read {text!r}: no such file or folder")
    if not files:
        raise ScenarioError.one("file", f"{where} has no .parquet files")
    odd = [p for p in files if not p.is_file()]  # a folder named like a file (an earlier OUT), a FIFO
    if odd:
        kind = "a folder" if odd[0].is_dir() else "not a regular file"
        raise ScenarioError.one("file", f"{str(odd[0])!r} in the {where} is {kind}: --engine dask reads the .parquet "
                                        "files of one folder, not what is inside its folders")
    wrong = [p for p in files if p.suffix.lower() != ".parquet"]
    if wrong:
        raise ScenarioError.one("file", f"{str(wrong[0])!r}: --engine dask reads Parquet files only")
    return files


def evaluate_partition(part: pd.DataFrame, by_member: bool = False,
                       split: dict[Any, str] | None = None) -> pd.DataFrame:
    """One partition: its own columns, then the results of the batch (text result columns as text).

    By member, the rows are first put back in file order (the shuffle may have mixed them).
    ``split``: the claims whose lines are in more than one file (:func:`split_claims`), each with
    the error every row of it gets instead of a decision.
    """
    from .batch import evaluate_frame
    from .batch_cells import id_keys
    from .batch_io import reject
    from .members import evaluate_members

    if ROW in part.columns:
        part = part.sort_values(ROW, kind="stable").drop(columns=[ROW, MEMBER_KEY])
    part = part.drop(columns=[c for c in (*CLAIM_RESULT_COLUMNS, *RESULT_COLUMNS) if c in part.columns])
    if by_member:  # a split claim is in no member's year: refused before the year is run
        results = evaluate_members(part, refused=split)
    else:
        results = evaluate_frame(part)
    if split and "claim_id" in part.columns and not by_member:
        ids = id_keys(part["claim_id"])
        apart = ids.isin(list(split)).to_numpy()
        if apart.any():
            results = reject(results, apart, ids.map(split).to_numpy(dtype=object))
    text = [c for c in results.columns if c not in DOLLAR_COLUMNS]
    return pd.concat([part, results.astype({c: object for c in text})], axis=1)


def _numbered(part: pd.DataFrame, partition_info: dict | None = None) -> pd.DataFrame:
    """The partition with its rows' places in the input (partition number × 2³² + row) and the key
    a shuffle by member moves them by (:data:`MEMBER_KEY`)."""
    import numpy as np

    from .batch_cells import key_texts

    number = (partition_info or {}).get("number", 0)
    members = key_texts(part["member_id"])
    if "claim_id" in part.columns and len(part):  # a claim: adjacent rows with one claim_id, as by member
        claims = key_texts(part["claim_id"])
        new = np.r_[True, claims[1:] != claims[:-1]]
        members = members[np.maximum.accumulate(np.where(new, np.arange(len(part)), 0))]
    return part.assign(**{ROW: (np.int64(number) << 32) + np.arange(len(part), dtype=np.int64),
                          MEMBER_KEY: pd.Series(members, index=part.index, dtype=object)})


def evaluate_dask(frame: Any, by_member: bool = False, split: dict[Any, str] | None = None) -> Any:
    """The batch over a Dask DataFrame: ``map_partitions`` of :func:`evaluate_partition`, lazily.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        The batch format (docs/scenario.md); a claim's lines in one partition.
    by_member : bool
        Shuffle by ``member_id`` first and run each member's plan year (docs/plan-year.md).
    split : dict, optional
        Claim ids whose lines are in more than one partition, each with the error all its rows get
        (:func:`split_claims`).

    Returns
    -------
    dask.dataframe.DataFrame
        The input columns and the results, one row per input row; its ``meta`` is
        :func:`evaluate_partition` of an empty frame of the input's columns.
    """
    if by_member:
        if "member_id" not in frame.columns:
            raise ScenarioError.one("member_id", "required column is missing from the table (one id per patient)")
        # the task shuffle concatenates pandas frames, so a column typed differently in two files (or
        # holding lists in one) travels as it was read; the P2P shuffle's Arrow tables would refuse it
        frame = frame.map_partitions(_numbered, meta=_numbered(frame._meta)).shuffle(on=MEMBER_KEY,
                                                                                    shuffle_method="tasks")
    meta = evaluate_partition(frame._meta, by_member)
    return frame.map_partitions(evaluate_partition, by_member, split, meta=meta)


def _write_part(part: pd.DataFrame, path: str, schema: Any, first_row: int, summary_type: Any,
                as_text: tuple[str, ...] = ()) -> dict[str, Any]:
    """Write one partition's results and return what the summary needs from it; the ``as_text``
    input columns are written as text (see :func:`_input_schema`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    import numpy as np

    from .batch_io import cell_text
    from .columns import is_empty

    if as_text:
        part = part.assign(**{name: part[name].map(
            lambda value: None if not isinstance(value, (list, tuple, dict, np.ndarray)) and is_empty(value)
            else str(cell_text(value))).astype(object) for name in as_text})
    pq.write_table(pa.Table.from_pandas(part, schema=schema, preserve_index=False), path)
    summary = summary_type(word="row")
    summary.add(part, np.arange(first_row, first_row + len(part)), np.zeros(len(part), dtype=bool))
    return {"summary": summary}


def run_dask(sources: list[Path], target: Path, summary_type: Any, workers: int = 2, by_member: bool = False,
             quiet: bool = False, cluster: Any = None) -> Any:
    """Evaluate the Parquet ``sources`` into the folder ``target`` on a local Dask cluster.

    Parameters
    ----------
    sources : list of Path
        Parquet files (:func:`parquet_sources`), one partition each.
    target : Path
        The output folder (replaced when the run succeeds; left untouched when it fails).
    summary_type : type
        What each partition counts into (``medspa_kit.cli_batch.Summary``: ``add``, ``merge``).
    workers : int
        Worker processes of the local cluster (one thread each).
    by_member : bool
        Per-member batches (see :func:`evaluate_dask`).
    cluster : distributed cluster, optional
        Run on this cluster instead of starting one.

    Returns
    -------
    summary_type
        Rows, decisions, errors and dollars, as the pandas path reports them.
    """
    need_dask()
    import dask
    import pyarrow as pa
    from distributed import Client, LocalCluster, as_completed
    from tqdm import tqdm

    total = sum(_rows(p) for p in sources)  # and a file that is no Parquet is named before anything runs
    schemas = _schemas(sources)
    if total == 0:
        where = repr(str(sources[0])) if len(sources) == 1 else f"none of the {len(sources)} files"
        raise ScenarioError.one("file", f"{where} has no row that can be read as a row: "
                                        "it has columns and nothing under them")
    frame = read_parquet_files(sources)
    split = split_claims(sources)
    results = evaluate_dask(frame, by_member, split)
    meta = results._meta
    text = [c for c in meta.columns if c in RESULT_COLUMNS or c in CLAIM_RESULT_COLUMNS]
    inputs, as_text = _input_schema(schemas, [c for c in meta.columns if c not in text])
    schema = pa.schema([*inputs, *(pa.field(c, pa.float64() if c in DOLLAR_COLUMNS else pa.string())
                                   for c in text)])
    target.parent.mkdir(parents=True, exist_ok=True)
    own = cluster is None
    summary = summary_type(word="row")
    made: list[Path] = []  # (the folder the parts are written in, named before it exists: see make_beside)
    client = None
    with _logs_quiet() if own else nullcontext():  # (to the end of the cluster's close: see _logs_quiet)
        try:
            staging = make_beside(target, made, folder=True)  # (inside the try: removed whatever stops the run)
            # (a cluster or client interrupted as it starts is left half made: a traceback at exit)
            with stops_held(), _workers_quiet():
                if own:
                    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                           # no dashboard; its small HTTP server (health, metrics) on a free local
                                           # port, not 8787 (a second run at once: "Port 8787 is already in use")
                                           dashboard_address=None,
                                           scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                           silence_logs=QUIET)  # (see _logs_quiet)
                client = Client(cluster)
            parts = results.to_delayed()
            starts = _first_rows(sources) if not by_member else [1] * len(parts)
            tasks = [dask.delayed(_write_part)(part, str(staging / f"part-{i:05d}.parquet"), schema, starts[i],
                                               summary_type, as_text)
                     for i, part in enumerate(parts)]
            futures = client.compute(tasks)
            index = {f.key: i for i, f in enumerate(futures)}
            done: dict[int, dict[str, Any]] = {}
            with tqdm(total=total, unit="rows", unit_scale=True, desc="batch (dask)", disable=quiet,
                      file=sys.stderr, dynamic_ncols=True) as bar:
                for future in as_completed(futures):
                    answer = future.result()
                    done[index[future.key]] = answer
                    bar.update(answer["summary"].rows)
            for i in range(len(done)):
                summary.merge(done[i]["summary"])
            put_in_place()
            _replace_folder(staging, target)
        finally:
            remove_partial(made)  # (nothing, once it is in place)
            forget_partial(made)
            if client is not None:
                client.close()
            if own and cluster is not None:
                cluster.close()
    return summary


QUIET = logging.CRITICAL + 1
"""the level of the log handlers of ``distributed`` (and of ``tornado``, ``bokeh``) while the kit's
own cluster runs: above every record, so none is printed"""


@contextmanager
def _logs_quiet() -> Iterator[None]:
    """Keep the log handlers of ``distributed`` and of the libraries it configures (``tornado``,
    ``bokeh``) at :data:`QUIET` until the kit's own cluster is closed. The cluster silences them
    only while it runs and gives back their level as it closes, while its event loop still runs:
    stopped by SIGTERM to the whole process group, the scheduler's "Batched Comm Closed" (a log
    record at INFO, with a ``CommClosedError`` traceback) was then printed, once in a few dozen
    stops, before the command's one line. What goes wrong in the cluster reaches the command
    through the task that failed; its logs are not the kit's messages."""
    roots = ("distributed", "tornado", "bokeh")
    loggers = [logger for name, logger in list(logging.root.manager.loggerDict.items())
               if isinstance(logger, logging.Logger) and name.split(".")[0] in roots]
    kept: dict[logging.Handler, int] = {}  # (each logger distributed configures has its own handler)
    for logger in loggers:
        for handler in logger.handlers:
            if isinstance(handler, logging.StreamHandler) and handler not in kept:
                kept[handler] = handler.level
                handler.setLevel(QUIET)
    try:
        yield
    finally:
        for handler, level in kept.items():
            handler.setLevel(level)


@contextmanager
def _workers_quiet() -> Iterator[None]:
    """Start the cluster's processes (its nannies and workers, which inherit it) with standard
    error on the null device. A terminal's Ctrl-C goes to the whole process group: each worker
    that got it printed its own traceback ("Process Dask Worker process (from Nanny)",
    KeyboardInterrupt) before the command's one line. A worker's failure still reaches the
    command, through the task that failed; the command's own standard error is given back as the
    block ends (its stop, held meanwhile, is said after)."""
    try:
        kept = os.dup(2)
    except OSError:  # (no standard error: nothing to keep quiet)
        yield
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 2)
        finally:
            os.close(null)
        yield
    finally:
        os.dup2(kept, 2)
        os.close(kept)


def _replace_folder(staging: Path, target: Path) -> None:
    """Put ``staging`` in place as ``target``: an earlier ``target`` is first moved aside, and
    back if the move fails, so that an error leaves it as it was; then removed."""
    aside = None
    if target.exists() or target.is_symlink():
        aside = make_beside(target, folder=True)  # (the caller's alone: a stop never removes it)
        os.rmdir(aside)  # (its name, free: the earlier output moves there)
        os.replace(target, aside)
    try:
        os.replace(staging, target)
    except BaseException:
        if aside is not None:
            os.replace(aside, target)
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True) if aside.is_dir() and not aside.is_symlink() else aside.unlink()


def _schemas(sources: list[Path]) -> list[Any]:
    """The Arrow schemas of the ``sources``, after refusing, before anything runs, a file with a
    column twice, or whose columns are not the first file's (naming the column)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .batch_io import PANDAS_ROW_LABELS, refuse_twice

    try:
        schemas = [pq.read_schema(path) for path in sources]
    except (OSError, pa.ArrowException) as err:  # (a file that is no Parquet is named by _rows first)
        raise ScenarioError.one("file", f"cannot read the input as Parquet: {' '.join(str(err).split())}") from None
    for path, schema in zip(sources, schemas):
        refuse_twice(path, list(schema.names))
    data = [{name for name in schema.names if not PANDAS_ROW_LABELS.fullmatch(name)} for schema in schemas]
    for path, names_here in zip(sources[1:], data[1:]):
        if names_here != data[0]:
            odd = sorted(names_here ^ data[0])[0]
            where = sources[0].name if odd in data[0] else path.name
            raise ScenarioError.one("file", f"{path.name!r} and {sources[0].name!r} have different columns "
                                            f"({odd!r} is only in {where!r}): every file needs the same columns")
    return schemas


def _input_schema(schemas: list[Any], names: list[str]) -> tuple[Any, tuple[str, ...]]:
    """The Arrow schema the input columns are written with, and the columns written as text.

    A column is written with its files' type when every file gives it the same plain type; a
    list or record column, one whose type differs between files (numbers in one, text in
    another), or a ``claim_id`` or ``member_id`` of floats or decimals, is written as text in
    every part (a list's items joined with ``;``, a record as JSON), so that the parts of the
    output are one table. ``schemas``: :func:`_schemas`.
    """
    import pyarrow as pa

    fields, as_text = [], []
    for name in names:
        kinds = {schema.field(name).type for schema in schemas}
        kind = kinds.pop() if len(kinds) == 1 else None
        # (an id column of floats or decimals holds its ids as text, as OUT writes them: 1e+20 is
        # 100000000000000000000, and a number that names no id is the text it reads as)
        number_ids = name in ("claim_id", "member_id") and kind is not None and (
            pa.types.is_floating(kind) or pa.types.is_decimal(kind))
        if kind is None or number_ids or pa.types.is_nested(kind) or pa.types.is_null(kind) or pa.types.is_binary(kind):
            fields.append(pa.field(name, pa.string()))
            as_text.append(name)
        else:
            fields.append(pa.field(name, kind))
    return pa.schema(fields), tuple(as_text)


def _rows(path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (OSError, pa.ArrowException) as err:
        raise _unreadable(path, err) from None


def _first_rows(sources: list[Path]) -> list[int]:
    """Each file's first row in the whole input, numbered from 1 (as the pandas path numbers Parquet rows)."""
    out, row = [], 1
    for path in sources:
        out.append(row)
        row += _rows(path)
    return out


def read_parquet_files(sources: list[Path]) -> Any:
    """The Parquet ``sources`` as a Dask DataFrame of one partition per file, each read by its Arrow
    types as the pandas engine reads it (:func:`medspa_kit.batch_io.arrow_frame`: stale pandas
    metadata ignored), its columns in the first file's order. A file that cannot be read raises
    :class:`~medspa_kit.errors.ScenarioError` naming it (when its partition runs)."""
    import dask
    import pyarrow.parquet as pq

    from .batch_io import arrow_frame, binary_as_text

    dd = need_dask()
    with _reading(sources[0]):
        meta = arrow_frame(binary_as_text(pq.read_schema(sources[0]).empty_table(), sources[0]))
    with dask.config.set({"dataframe.convert-string": False}):  # a list cell stays a list, not its text
        return dd.from_map(_read_one, [str(p) for p in sources], args=[list(meta.columns)], meta=meta,
                           label="read-parquet", enforce_metadata=False)


def _read_one(path: str, order: list[str]) -> pd.DataFrame:
    import pyarrow.parquet as pq

    from .batch_io import arrow_frame, binary_as_text

    with _reading(Path(path)):
        frame = arrow_frame(binary_as_text(pq.read_table(path), Path(path)))
    return frame[order]


def _unreadable(path: Path, err: Exception) -> ScenarioError:
    return ScenarioError.one("file", f"cannot read {str(path)!r} as Parquet: {' '.join(str(err).split())}")


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Arrow's and the system's errors while reading ``path`` as one line naming it (the kit's own
    errors, such as a cell that is not UTF-8, pass as they are)."""
    import pyarrow as pa

    try:
        yield
    except ScenarioError:
        raise
    except (OSError, ValueError, pa.ArrowException) as err:
        raise _unreadable(path, err) from None


def split_claims(sources: list[Path]) -> dict[Any, str]:
    """The claims whose lines are in more than one file, each with the error every row of it gets
    (naming the files): found from every file's ``claim_id`` column before anything runs, so no
    part of such a claim is priced. Empty when the files have no ``claim_id``."""
    found: dict[Any, list[str]] = {}
    for path in sources:
        for claim in _claim_ids(path):
            found.setdefault(claim, []).append(path.name)
    return {claim: (f"claim_id: the claim's lines are in {', '.join(names[:-1])} and {names[-1]}, not in one "
                    "file (no line of it was evaluated; keep a claim's lines in one file)")
            for claim, names in found.items() if len(names) > 1}


def _claim_ids(path: Path) -> set[Any]:
    """The distinct ``claim_id`` cells of a file, as its partition reads them, one row group at a
    time (none when there is no such column; an id that cannot be one, empty or a list, left out:
    its rows are errors of their own)."""
    import pyarrow.parquet as pq

    from .batch_cells import id_key, is_id_value
    from .batch_io import arrow_frame, binary_as_text
    from .columns import is_empty

    ids: set[Any] = set()
    with _reading(path), pq.ParquetFile(path) as file:
        if "claim_id" not in file.schema_arrow.names:
            return ids
        first = 1
        for group in range(file.num_row_groups):
            block = arrow_frame(binary_as_text(file.read_row_group(group, columns=["claim_id"]), path, first))
            first += len(block)
            cells = block["claim_id"].to_numpy(dtype=object)
            try:
                cells = pd.unique(cells)
            except TypeError:  # a list cell: each cell in turn
                pass
            for value in cells:
                try:
                    hash(value)
                except TypeError:
                    continue
                if is_id_value(value) and not is_empty(value):
                    ids.add(id_key(value))  # (1 in one file and "1" in another are one claim)
    return ids
