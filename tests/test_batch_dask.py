"""The batch on Dask: a Parquet folder through a two-process ``distributed.LocalCluster`` gives,
row for row, what ``evaluate_frame`` (and, by member, ``evaluate_members``) gives in one process."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from medspa_kit.batch import evaluate_frame
from medspa_kit.batch_dask import parquet_sources, run_dask
from medspa_kit.cli import main
from medspa_kit.cli_batch import Summary
from medspa_kit.columns import CLAIM_RESULT_COLUMNS, RESULT_COLUMNS, scenarios_to_frame
from medspa_kit.errors import ScenarioError
from medspa_kit.members import evaluate_members

from .builders import plain_rows
from .scenario_factory import ScenarioFactory

distributed = pytest.importorskip("distributed")  # the scale extra (part of the test extra)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local:
        yield local


def _claims_table(seed: int) -> pd.DataFrame:
    frame = scenarios_to_frame(ScenarioFactory(seed=seed).claims(1_500, 60))
    rng = np.random.default_rng(seed)
    frame["member_id"] = [f"M{m:04d}" for m in rng.integers(0, 300, frame["claim_id"].max() + 1)[frame["claim_id"]]]
    frame["row"] = np.arange(len(frame))
    return frame


def _folder(frame: pd.DataFrame, folder, parts: int = 4):
    """The table cut into files at claim boundaries (a claim's lines in one file)."""
    folder.mkdir()
    ids = frame["claim_id"].to_numpy()
    cuts = [0, *(int(np.searchsorted(ids, ids[-1] * k // parts)) for k in range(1, parts)), len(frame)]
    for i, (a, b) in enumerate(zip(cuts, cuts[1:])):
        frame.iloc[a:b].to_parquet(folder / f"claims-{i}.parquet", index=False)
    return folder


@pytest.mark.slow
def test_the_dask_path_equals_pandas_row_for_row(tmp_path, cluster):
    frame = _claims_table(seed=41)
    folder = _folder(frame, tmp_path / "in")
    summary = run_dask(parquet_sources(str(folder)), tmp_path / "out.parquet", Summary, cluster=cluster, quiet=True)
    out = pd.read_parquet(tmp_path / "out.parquet").sort_values("row", kind="stable")
    expected = evaluate_frame(frame)
    columns = [*CLAIM_RESULT_COLUMNS, *RESULT_COLUMNS]
    assert len(out) == len(frame) == summary.rows
    assert plain_rows(out, columns) == plain_rows(expected, columns)
    assert list(out["row"]) == list(range(len(frame)))  # each file's rows kept in order
    assert summary.errors == int(expected["error"].notna().sum()) > 0
    assert summary.patient_pays == round(expected["patient_pays"].sum() * 100)


@pytest.mark.slow
def test_per_member_batches_on_dask_partition_by_member(tmp_path, cluster):
    frame = _claims_table(seed=42)
    folder = _folder(frame, tmp_path / "in")
    run_dask(parquet_sources(str(folder / "*.parquet")), tmp_path / "out.parquet", Summary, by_member=True,
             cluster=cluster, quiet=True)
    out = pd.read_parquet(tmp_path / "out.parquet").sort_values("row", kind="stable")
    expected = evaluate_members(frame)
    columns = [*CLAIM_RESULT_COLUMNS, *RESULT_COLUMNS]
    assert plain_rows(out, columns) == plain_rows(expected, columns)
    # the members' claims really carried something: some deductibles differ from the one-by-one batch
    alone = evaluate_frame(frame)
    assert (alone["deductible"].fillna(0) != expected["deductible"].fillna(0)).sum() > 20


def test_a_stray_file_in_the_input_folder_is_refused_never_skipped(tmp_path):
    """Every file of the folder is data except a writer's metadata (names starting with _ or .):
    a CSV left beside the Parquet files would be rows silently left out."""
    pd.DataFrame({"claim_id": ["C1"]}).to_parquet(tmp_path / "a.parquet")
    (tmp_path / "_SUCCESS").write_text("")
    (tmp_path / ".DS_Store").write_text("")
    assert parquet_sources(str(tmp_path)) == [tmp_path / "a.parquet"]
    (tmp_path / "more-claims.csv").write_text("claim_id\nC2\n")
    with pytest.raises(ScenarioError, match=r"^file: '.*more-claims.csv' in the folder .* is not a .parquet file: "
                                            r"--engine dask reads every file of the folder"):
        parquet_sources(str(tmp_path))


def test_bad_dask_inputs_are_one_line_errors(tmp_path, capsys):
    with pytest.raises(ScenarioError, match="no .parquet files"):
        parquet_sources(str(tmp_path))
    with pytest.raises(ScenarioError, match="no such file or folder"):
        parquet_sources(str(tmp_path / "nope"))
    with pytest.raises(ScenarioError, match="^file: '/dev/null' is not a regular file$"):
        parquet_sources("/dev/null")
    (tmp_path / "old-out.parquet").mkdir()  # an earlier run's output inside the input folder: never skipped
    with pytest.raises(ScenarioError, match=r"old-out.parquet' in the folder .* is a folder: --engine dask reads"):
        parquet_sources(str(tmp_path))
    with pytest.raises(ScenarioError, match=r"old-out.parquet' in the pattern .* is a folder"):
        parquet_sources(str(tmp_path / "*.parquet"))
    (tmp_path / "old-out.parquet").rmdir()
    (tmp_path / "a.parquet").write_text("not parquet")
    assert main(["batch", str(tmp_path), "-o", str(tmp_path / "out.csv"), "--engine", "dask"]) == 2
    assert "name it OUT.parquet" in capsys.readouterr().err
    assert main(["batch", str(tmp_path), "-o", str(tmp_path / "out.parquet"), "--engine", "dask", "-q"]) == 2
    err = capsys.readouterr().err
    assert "cannot read" in err and "as Parquet" in err and err.count("\n") == 1
    assert not (tmp_path / "out.parquet").exists()
    assert main(["batch", str(tmp_path), "-o", str(tmp_path / "o.csv")]) == 2
    assert "needs --engine dask" in capsys.readouterr().err


@pytest.mark.slow
def test_list_record_and_mixed_type_columns_are_written_as_text_and_read_as_rows(tmp_path, cluster):
    from medspa_kit import preset

    frame = scenarios_to_frame([preset("botox-underarm-sweating")] * 2)
    folder = tmp_path / "in"
    folder.mkdir()
    first = frame.astype(object)
    first["diagnoses"] = [["L74.510"], ["L74.510", "Z41.1"]]  # list<string>: read as the diagnoses
    first["provider.type"] = [{"a": 1}, {"a": 2}]  # a record column here, text in the next file: row errors
    first["plan.deductible"] = [1500, 1500]  # int64 here, text in the next file
    first.to_parquet(folder / "a.parquet")
    second = frame.astype(object)
    second["diagnoses"] = [["L74.510"], ["L74.510"]]
    second["provider.type"] = ["NP", "NP"]
    second["plan.deductible"] = ["1500", "x"]
    second.to_parquet(folder / "b.parquet")
    out = tmp_path / "out.parquet"
    summary = run_dask(parquet_sources(str(folder)), out, Summary, cluster=cluster, quiet=True)
    result = pd.read_parquet(out)
    assert summary.rows == 4 and summary.errors == 3
    assert result["diagnoses"].tolist() == ["L74.510", "L74.510; Z41.1", "L74.510", "L74.510"]
    assert result["plan.deductible"].tolist() == ["1500", "1500", "1500", "x"]
    assert result["provider.type"].tolist() == ['{"a": 1}', '{"a": 2}', "NP", "NP"]
    assert result["error"].tolist()[0].startswith("provider.type: {'a': 1} is not one of 'MD'")
    assert result["error"].isna().tolist() == [False, False, True, False]
    assert result["error"].iat[3] == "plan.deductible: 'x' is not a number"
    assert result["decision"].iat[2] == "covered"


def test_dask_refuses_files_with_other_columns_and_too_many_workers(tmp_path, capsys):
    from medspa_kit import preset

    frame = scenarios_to_frame([preset("botox-underarm-sweating")])
    folder = tmp_path / "in"
    folder.mkdir()
    frame.to_parquet(folder / "a.parquet")
    frame.assign(extra=1).to_parquet(folder / "b.parquet")
    out = tmp_path / "out.parquet"
    assert main(["batch", str(folder), "-o", str(out), "--engine", "dask", "-q"]) == 2
    assert "'b.parquet' and 'a.parquet' have different columns ('extra' is only in 'b.parquet')" in capsys.readouterr().err
    assert main(["batch", str(folder), "-o", str(out), "--engine", "dask", "--workers", "1000"]) == 2
    assert "--workers: 1000 is not a number of processes from 1 to" in capsys.readouterr().err
    assert main(["batch", str(folder / "a.parquet"), "-o", str(tmp_path / "o.csv"), "--workers", "0"]) == 2
    assert "--workers: only --engine dask starts worker processes" in capsys.readouterr().err
    assert not out.exists()


def _stale_metadata_file(path, column: str, cells, kind, metadata: bool) -> None:
    """A Parquet file of four rows whose Arrow type of ``column`` is ``kind`` while its pandas
    metadata (written by ``pa.Table.from_pandas`` from a text column) still says text."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from medspa_kit import preset

    frame = scenarios_to_frame([preset(name) for name in ["botox-underarm-sweating", "botox-forehead-lines"] * 2])
    frame[column] = frame[column].astype(str)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    assert b"pandas" in table.schema.metadata
    table = table.set_column(table.column_names.index(column), column, pa.array(cells, type=kind))
    if not metadata:
        table = table.replace_schema_metadata(None)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


def _stale_cases():
    import pyarrow as pa

    record = pa.struct([("a", pa.string())])
    return {
        "list<string>": ("diagnoses", [["L74.510"], ["Z41.1"], [], None], pa.list_(pa.string())),
        "list<struct>": ("diagnoses", [[{"a": "L74.510"}], [{"a": "Z41.1"}], [], None], pa.list_(record)),
        "struct": ("diagnoses", [{"a": "L74.510"}] * 4, record),
        "map": ("diagnoses", [[("a", "b")]] * 4, pa.map_(pa.string(), pa.string())),
        "list<list>": ("diagnoses", [[["L74.510"]]] * 4, pa.list_(pa.list_(pa.string()))),
        "duration": ("plan.copay", [1, 2, 3, 4], pa.duration("s")),
    }


@pytest.mark.slow
def test_stale_pandas_metadata_is_ignored_by_both_engines(tmp_path, cluster, capsys):
    columns = list(RESULT_COLUMNS)  # one-line scenarios: no claim columns
    for name, (column, cells, kind) in _stale_cases().items():
        case = tmp_path / name.replace("<", "-").replace(">", "")
        _stale_metadata_file(case / "stale" / "in.parquet", column, cells, kind, metadata=True)
        _stale_metadata_file(case / "plain" / "in.parquet", column, cells, kind, metadata=False)
        outs = {}
        for which in ("stale", "plain"):
            assert main(["batch", str(case / which / "in.parquet"), "-o", str(case / f"{which}.csv"), "-q"]) == 1, name
            err = capsys.readouterr().err
            assert "Unsupported cast" not in err and "Traceback" not in err, name
            outs[which] = pd.read_csv(case / f"{which}.csv")
            run_dask(parquet_sources(str(case / which)), case / f"{which}-dask.parquet", Summary, cluster=cluster,
                     quiet=True)
            outs[which + "-dask"] = pd.read_parquet(case / f"{which}-dask.parquet")
        # a file with stale metadata is read as the same file without it, by either engine
        assert plain_rows(outs["stale"], columns) == plain_rows(outs["plain"], columns), name
        assert plain_rows(outs["stale-dask"], columns) == plain_rows(outs["plain-dask"], columns), name
        assert plain_rows(outs["stale-dask"], ["decision", "error"]) == plain_rows(outs["stale"], ["decision", "error"])
        errors = outs["stale"]["error"]
        if name == "list<string>":  # the list is the diagnoses: the sweating one is covered, the cosmetic one not
            assert outs["stale"]["decision"].tolist()[:2] == ["covered", "denied"]
            assert errors.tolist()[2:] == ["diagnoses: needs at least one entry",  # the empty list
                                           "diagnoses: required field is missing"]  # the null
        else:  # every row refused, naming the column; no duration read as dollars
            assert errors.str.startswith(column).all(), (name, errors.tolist())
            assert outs["stale"]["decision"].isna().all() and outs["stale"]["patient_pays"].isna().all()
        if name == "duration":
            assert errors.iat[0] == "plan.copay: Timedelta('0 days 00:00:01') is not a number"


def test_stale_metadata_cli_with_dask_and_pandas_row_labels(tmp_path, capsys):
    import pyarrow as pa

    _stale_metadata_file(tmp_path / "in" / "a.parquet", "diagnoses", [["L74.510"], ["Z41.1"], [], None],
                         pa.list_(pa.string()), metadata=True)
    out = tmp_path / "out.parquet"
    assert main(["batch", str(tmp_path / "in"), "-o", str(out), "--engine", "dask", "--workers", "1", "-q"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Unsupported cast" not in err
    assert "row 3: diagnoses: needs at least one entry" in err
    assert pd.read_parquet(out)["decision"].tolist()[:2] == ["covered", "denied"]
    # a filtered frame written with its row labels: the labels are no input column in either engine
    from medspa_kit import preset

    frame = scenarios_to_frame([preset("botox-underarm-sweating")] * 3).set_axis([10, 3, 5])  # labels of no range
    frame.to_parquet(tmp_path / "labels.parquet")
    import pyarrow.parquet as pq

    assert "__index_level_0__" in pq.read_schema(tmp_path / "labels.parquet").names
    assert main(["batch", str(tmp_path / "labels.parquet"), "-o", str(tmp_path / "labels.csv"), "-q"]) == 0
    written = pd.read_csv(tmp_path / "labels.csv")
    assert "__index_level_0__" not in written.columns and written["decision"].tolist() == ["covered"] * 3


@pytest.mark.slow
def test_a_claim_split_between_files_is_refused_on_every_row(tmp_path, cluster):
    from medspa_kit import preset

    frame = scenarios_to_frame([preset(name) for name in ["migraine-claim-with-discarded-units",
                                                          "seven-actinic-keratoses", "add-on-code-alone",
                                                          "office-visit-on-procedure-day"]])
    assert frame["claim_id"].tolist() == [0, 0, 0, 1, 1, 2, 3, 3]
    whole = evaluate_frame(frame)
    assert whole["error"].isna().all()  # evaluated whole, every claim is priced
    for cuts in ([2], [1, 2], [2, 2]):  # [2, 2]: an empty file between the claim's two parts
        folder = tmp_path / f"in-{cuts}"
        folder.mkdir()
        bounds = [0, *cuts, len(frame)]
        for i, (a, b) in enumerate(zip(bounds, bounds[1:])):
            frame.iloc[a:b].to_parquet(folder / f"part{i}.parquet", index=False)
        out = tmp_path / f"out-{cuts}.parquet"
        summary = run_dask(parquet_sources(str(folder)), out, Summary, cluster=cluster, quiet=True)
        result = pd.read_parquet(out)
        assert len(result) == 8 and summary.rows == 8 and summary.errors == 3
        files = {(2,): "part0.parquet and part1.parquet", (1, 2): "part0.parquet, part1.parquet and part2.parquet",
                 (2, 2): "part0.parquet and part2.parquet"}[tuple(cuts)]
        split = result.iloc[:3]
        assert (split["error"] == f"claim_id: the claim's lines are in {files}, not in one file (no line of it "
                                  "was evaluated; keep a claim's lines in one file)").all()
        for name in columns_but_error():
            assert split[name].isna().all(), name  # no priced half of a claim
        rest = [*CLAIM_RESULT_COLUMNS, *RESULT_COLUMNS]
        assert plain_rows(result.iloc[3:], rest) == plain_rows(whole.iloc[3:], rest)
        assert summary.patient_pays == round(whole["patient_pays"].iloc[3:].sum() * 100)


def columns_but_error() -> list[str]:
    return [c for c in (*CLAIM_RESULT_COLUMNS, *RESULT_COLUMNS) if c != "error"]


def test_a_claim_split_in_the_middle_of_two_files_is_refused_too(tmp_path, cluster):
    from medspa_kit import preset

    frame = scenarios_to_frame([preset(name) for name in ["migraine-claim-with-discarded-units",
                                                          "add-on-code-alone", "office-visit-on-procedure-day"]])
    assert frame["claim_id"].tolist() == [0, 0, 0, 1, 2, 2]
    folder = tmp_path / "in"
    folder.mkdir()
    # claim 0's first two lines inside part0 (claim 1 after them), its third inside part1 (claim 2 before)
    frame.iloc[[0, 1, 3]].to_parquet(folder / "part0.parquet", index=False)
    frame.iloc[[4, 5, 2]].to_parquet(folder / "part1.parquet", index=False)
    frame.iloc[[2]].assign(claim_id=9).to_parquet(folder / "part2.parquet", index=False)  # a claim of its own
    out = tmp_path / "out.parquet"
    summary = run_dask(parquet_sources(str(folder)), out, Summary, cluster=cluster, quiet=True)
    result = pd.read_parquet(out)
    said = ("claim_id: the claim's lines are in part0.parquet and part1.parquet, not in one file (no line of it "
            "was evaluated; keep a claim's lines in one file)")
    assert (result["error"] == said).tolist() == [True, True, False, False, False, True, False]
    assert summary.rows == 7 and summary.errors == 3


def _migraine_claims():
    from medspa_kit import preset

    frame = scenarios_to_frame([preset(name) for name in ["migraine-claim-with-discarded-units",
                                                          "seven-actinic-keratoses", "add-on-code-alone"]])
    assert frame["claim_id"].tolist() == [0, 0, 0, 1, 1, 2]
    frame["claim_id"] = frame["claim_id"].map(lambda c: f"C{c}")
    return frame


def test_files_the_pandas_engine_refuses_are_refused_alike(tmp_path, cluster, capsys):
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = _migraine_claims()
    cases = {}
    # claim ids stored as bytes that are not UTF-8; a column twice; a file with no row
    bad = pa.Table.from_pandas(frame.assign(claim_id=[b"\xffC0"] * 3 + [b"C1"] * 2 + [b"C2"]), preserve_index=False)
    cases["binary"] = (bad, "binary.parquet', row 1, column 'claim_id': not UTF-8 text (byte 0xFF); save text as UTF-8")
    table = pa.Table.from_pandas(frame, preserve_index=False)
    cases["twice"] = (pa.Table.from_arrays([*table.columns, table.column("claim_id")], [*table.column_names, "claim_id"]),
                      "twice.parquet': the column 'claim_id' appears twice")
    cases["empty"] = (table.slice(0, 0), "has no row that can be read as a row")
    for name, (data, message) in cases.items():
        source = tmp_path / f"{name}.parquet"
        pq.write_table(data, source)
        assert main(["batch", str(source), "-o", str(tmp_path / f"{name}.csv"), "-q"]) == 2  # the pandas engine
        assert message in capsys.readouterr().err, name
        for by_member in (False, True):
            if by_member and name != "binary":
                continue
            data_here = data.append_column("member_id", pa.array(["M1"] * data.num_rows)) if by_member else data
            pq.write_table(data_here, source)
            with pytest.raises(ScenarioError, match=re.escape(message)):
                run_dask([source], tmp_path / f"{name}-out.parquet", Summary, by_member=by_member, cluster=cluster,
                         quiet=True)
            assert not (tmp_path / f"{name}-out.parquet").exists()


def test_binary_utf8_ids_are_text_as_in_the_pandas_engine(tmp_path, cluster):
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = _migraine_claims()
    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pandas(frame.assign(claim_id=frame["claim_id"].str.encode("utf-8")),
                                        preserve_index=False), source)
    summary = run_dask([source], tmp_path / "out.parquet", Summary, cluster=cluster, quiet=True)
    result = pd.read_parquet(tmp_path / "out.parquet")
    columns = [*CLAIM_RESULT_COLUMNS, *RESULT_COLUMNS]
    assert summary.errors == 0 and result["claim_id"].tolist() == frame["claim_id"].tolist()
    assert plain_rows(result, columns) == plain_rows(evaluate_frame(frame), columns)


@pytest.mark.slow
def test_by_member_over_files_a_claim_apart_is_refused_and_mixed_types_travel(tmp_path, cluster):
    frame = _migraine_claims()
    frame["member_id"] = "M1"
    frame["date_of_service"] = ["2026-01-05"] * 3 + ["2026-02-01"] * 2 + ["2026-03-01"]
    columns = [*CLAIM_RESULT_COLUMNS, *RESULT_COLUMNS]
    # C0's lines over three files, next to each other in file order or with C1 between them; and
    # over two files naming two members: refused on every row, never priced in parts, in no year
    later = evaluate_members(frame.iloc[3:])  # C1 and C2 as if C0 were not there
    for name, parts, members in (("together", [[0], [1], [2, 3, 4, 5]], "M1"),
                                 ("apart", [[0], [3, 4, 1], [2, 5]], "M1"),
                                 ("two-members", [[0, 1], [2, 3, 4, 5]], ["M1", "M1", "M7", "M1", "M1", "M1"])):
        folder = tmp_path / name
        folder.mkdir()
        table = frame.assign(member_id=members)
        for i, rows in enumerate(parts):
            table.iloc[rows].to_parquet(folder / f"part{i}.parquet", index=False)
        run_dask(parquet_sources(str(folder)), tmp_path / f"{name}.parquet", Summary, by_member=True,
                 cluster=cluster, quiet=True)
        out = pd.read_parquet(tmp_path / f"{name}.parquet")
        c0 = out[out["claim_id"] == "C0"]
        assert len(c0) == 3 and c0["error"].str.startswith("claim_id: the claim's lines are in part0.parquet").all()
        for column in columns_but_error():
            assert c0[column].isna().all(), (name, column)
        rest = out[out["claim_id"] != "C0"]
        assert sorted(plain_rows(rest, [c for c in columns if c != "warning"]), key=str) == \
            sorted(plain_rows(later, [c for c in columns if c != "warning"]), key=str)
        assert rest["warning"].astype(str).str.contains(r"an earlier claim of this member \(2026-01-05\) could not "
                                                        "be read").all()
    # plan.deductible as a number in one file and as text in the other
    folder = tmp_path / "mixed"
    folder.mkdir()
    frame.iloc[:3].assign(**{"plan.deductible": 1500}).to_parquet(folder / "a.parquet", index=False)
    frame.iloc[3:].assign(**{"plan.deductible": "1500"}).to_parquet(folder / "b.parquet", index=False)
    summary = run_dask(parquet_sources(str(folder)), tmp_path / "mixed.parquet", Summary, by_member=True,
                       cluster=cluster, quiet=True)
    out = pd.read_parquet(tmp_path / "mixed.parquet")
    expected = evaluate_members(frame.assign(**{"plan.deductible": 1500}))
    assert summary.rows == 6 and out["plan.deductible"].tolist() == ["1500"] * 6
    assert sorted(plain_rows(out, columns), key=str) == sorted(plain_rows(expected, columns), key=str)


@pytest.mark.slow
def test_by_member_a_claim_s_rows_travel_together_whatever_member_ids_they_give(tmp_path, cluster):
    frame = _migraine_claims()
    folder = tmp_path / "in"
    folder.mkdir()
    parts = []
    for k in range(4):  # four files (four partitions), so two members may land in two partitions
        part = frame.assign(claim_id=frame["claim_id"] + f"-{k}",
                            member_id=[f"M{k}a", f"M{k}b", f"M{k}a", "X", "X", "Y"])
        part.to_parquet(folder / f"p{k}.parquet", index=False)
        parts.append(part)
    run_dask(parquet_sources(str(folder)), tmp_path / "out.parquet", Summary, by_member=True, cluster=cluster,
             quiet=True)
    out = pd.read_parquet(tmp_path / "out.parquet")
    whole = pd.concat(parts, ignore_index=True)
    expected = whole.assign(**{c: evaluate_members(whole)[c] for c in RESULT_COLUMNS})
    keys = ["claim_id", "member_id", *RESULT_COLUMNS]
    assert sorted(plain_rows(out, keys), key=str) == sorted(plain_rows(expected, keys), key=str)
    # each C0 names two members: refused whole, never priced in parts
    c0 = out[out["claim_id"].str.startswith("C0")]
    assert len(c0) == 12 and c0["error"].str.startswith("member_id: the rows of one claim give").all()
    # a member id that is a list: its rows are errors naming it, as in the pandas engine
    lists = tmp_path / "lists"
    lists.mkdir()
    frame.assign(member_id=[["a"]] * 6).to_parquet(lists / "p0.parquet", index=False)
    frame.assign(member_id="M").to_parquet(lists / "p1.parquet", index=False)
    run_dask(parquet_sources(str(lists)), tmp_path / "lists.parquet", Summary, by_member=True, cluster=cluster,
             quiet=True)
    out = pd.read_parquet(tmp_path / "lists.parquet")
    assert (out["error"] == "member_id: a list is no member id (text or a number)").sum() == 6


@pytest.mark.parametrize("earlier", ["file", "folder"])
def test_an_earlier_output_is_kept_when_the_new_one_cannot_be_put_in_place(tmp_path, cluster, monkeypatch, earlier):
    # the earlier output was removed first and the new one renamed after: a failure in between lost
    # both. It is moved aside now, and back if the new one cannot take its place.
    import os

    import medspa_kit.batch_dask as batch_dask

    folder = _folder(_claims_table(seed=43).head(200), tmp_path / "in", parts=1)
    target = tmp_path / "out.parquet"
    if earlier == "file":
        target.write_text("an earlier OUT\n", encoding="utf-8")
    else:
        target.mkdir()
        (target / "part-0.parquet").write_text("an earlier part\n", encoding="utf-8")
    made, failed = os.replace, []

    def replace(source, destination):  # the new output cannot take its place (the earlier one can go back)
        if str(destination) == str(target) and not failed:
            failed.append(source)
            raise OSError(28, "No space left on device")
        return made(source, destination)

    monkeypatch.setattr(batch_dask.os, "replace", replace)
    with pytest.raises(OSError, match="No space left"):
        run_dask(parquet_sources(str(folder)), target, Summary, cluster=cluster, quiet=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out.parquet"]  # (no folder of parts left)
    if earlier == "file":
        assert target.read_text(encoding="utf-8") == "an earlier OUT\n"
    else:
        assert [p.name for p in target.iterdir()] == ["part-0.parquet"]
    monkeypatch.setattr(batch_dask.os, "replace", made)
    summary = run_dask(parquet_sources(str(folder)), target, Summary, cluster=cluster, quiet=True)
    assert len(pd.read_parquet(target)) == summary.rows == 200
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out.parquet"]


# Sends SIGINT to itself while the Dask cluster starts (its scheduler up, its workers coming), then
# runs the batch as the installed command does. (Guarded: the cluster's worker processes import it.)
_SIGNAL_AS_THE_CLUSTER_STARTS = """
import os, signal, sys, time
if __name__ == "__main__":
    import distributed.deploy.spec as spec
    starting = spec.SpecCluster._correct_state
    def interrupted_while_starting(self):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)
        return starting(self)
    spec.SpecCluster._correct_state = interrupted_while_starting
    from medspa_kit.cli import main
    sys.exit(main(sys.argv[1:], final=True))
"""


def test_a_signal_as_the_cluster_starts_is_one_line(tmp_path):
    # the cluster, left half started, failed in distributed's exit handler: "medspa-kit: interrupted"
    # and then "Exception ignored in atexit callback: <function close_clusters …>" with a traceback
    import subprocess
    import sys

    folder = _folder(_claims_table(seed=44).head(200), tmp_path / "in", parts=1)
    target = tmp_path / "out.parquet"
    target.write_text("an earlier OUT\n", encoding="utf-8")
    script = tmp_path / "interrupted.py"  # (a file, not -c: the worker processes start from it)
    script.write_text(_SIGNAL_AS_THE_CLUSTER_STARTS, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script), "batch", str(folder), "-o", str(target), "--engine", "dask",
                           "--workers", "1", "-q"], capture_output=True, timeout=120)
    assert (proc.returncode, proc.stderr.decode(), proc.stdout) == (130, "medspa-kit: interrupted\n", b"")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "interrupted.py", "out.parquet"]
    assert target.read_text(encoding="utf-8") == "an earlier OUT\n"


def _signalled_as_parts_are_written(proc, folder, signum):
    """Send ``signum`` to the process group of the batch ``proc`` (writing ``out.parquet`` in
    ``folder``) once its workers write their parts; its standard output and error."""
    import os
    import time

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not list(folder.glob(".out.parquet.*.part/part-*")):
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.005)
    os.killpg(proc.pid, signum)
    return proc.communicate(timeout=90)


def test_ctrl_c_to_the_whole_process_group_is_one_line(tmp_path):
    # a terminal's Ctrl-C reaches the cluster's workers too: each printed its own traceback
    # ("Process Dask Worker process (from Nanny):", KeyboardInterrupt) before the command's line
    import signal
    import subprocess
    import sys

    folder = _folder(_claims_table(seed=45), tmp_path / "in", parts=4)
    target = tmp_path / "out.parquet"
    proc = subprocess.Popen([sys.executable, "-m", "medspa_kit.cli", "batch", str(folder), "-o", str(target),
                             "--engine", "dask", "--workers", "2", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    out, err = _signalled_as_parts_are_written(proc, tmp_path, signal.SIGINT)
    assert (proc.returncode, err.decode(), out) == (130, "medspa-kit: interrupted\n", b"")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


_A_LOG_AS_THE_CLUSTER_CLOSES = """
import logging, sys

if __name__ == "__main__":
    import distributed.deploy.cluster as cluster
    from distributed.comm.core import CommClosedError
    closing = cluster.Cluster._close
    async def logged_while_closing(self):
        # what the scheduler logs when a worker's connection closes under it (distributed/batched.py)
        try:
            raise CommClosedError()
        except CommClosedError:
            logging.getLogger("distributed.batched").info("Batched Comm Closed", exc_info=True)
            logging.getLogger("distributed.client").error("a client's error", exc_info=True)
            logging.getLogger("distributed.scheduler").critical("Closed comm while trying to write", exc_info=True)
        return await closing(self)
    cluster.Cluster._close = logged_while_closing
    from medspa_kit.cli import main
    sys.exit(main(sys.argv[1:], final=True))
"""


def test_nothing_the_cluster_logs_as_it_closes_is_printed(tmp_path):
    # SIGTERM to the whole process group: once in a few dozen stops the scheduler's "Batched Comm
    # Closed" (INFO, a CommClosedError traceback) came out before "medspa-kit: terminated", logged
    # as the cluster closed, once it had given back the log handlers' level
    import subprocess
    import sys

    folder = _folder(_claims_table(seed=46).head(200), tmp_path / "in", parts=1)
    target = tmp_path / "out.parquet"
    script = tmp_path / "closing.py"  # (a file, not -c: the worker processes start from it)
    script.write_text(_A_LOG_AS_THE_CLUSTER_CLOSES, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script), "batch", str(folder), "-o", str(target), "--engine", "dask",
                           "--workers", "1", "-q"], capture_output=True, timeout=120)
    err = proc.stderr.decode()
    assert "Traceback" not in err and "Closed" not in err and "a client's error" not in err, err
    # the kit's own lines only: the rows with errors the table holds (exit 1), as the pandas engine says them
    assert proc.returncode == 1 and all(line.startswith("medspa-kit: ") for line in err.splitlines()), err
    assert len(pd.read_parquet(target)) == 200


_A_WORKER_STARTED_AGAIN_AFTER_THE_STOP = """
import os, signal, sys

if __name__ == "__main__":
    import asyncio, time
    import distributed
    import distributed.process as process
    from medspa_kit.errors import STOP_REQUESTED
    starting, closing, sent = process.AsyncProcess.start, distributed.Client.close, []
    async def start(self):
        await starting(self)
        if STOP_REQUESTED and not sent:  # a worker started again after the stop: a Ctrl-C as it loads
            sent.append(True)
            await asyncio.sleep(0.4)
            open(os.environ["SECOND_SIGNAL_SENT"], "w").close()
            os.killpg(os.getpgrp(), signal.SIGINT)
    def slow_close(self, *args, **kwargs):  # (a busy machine: the command unwinds late)
        time.sleep(3)
        return closing(self, *args, **kwargs)
    process.AsyncProcess.start, distributed.Client.close = start, slow_close
    from medspa_kit.cli import main
    sys.exit(main(sys.argv[1:], final=True))
"""


def test_a_second_signal_to_a_worker_started_again_after_the_stop_is_ignored(tmp_path):
    # SIGTERM to the process group kills the workers, whose nanny starts them again while the
    # command unwinds; a Ctrl-C then reached a new worker as it loaded: its KeyboardInterrupt
    # traceback (multiprocessing/spawn.py, importing distributed) came before the command's line
    import os
    import signal
    import subprocess
    import sys

    folder = _folder(_claims_table(seed=47), tmp_path / "in", parts=4)
    target, sent = tmp_path / "out.parquet", tmp_path / "sent"
    script = tmp_path / "again.py"  # (a file, not -c: the worker processes start from it)
    script.write_text(_A_WORKER_STARTED_AGAIN_AFTER_THE_STOP, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), "batch", str(folder), "-o", str(target), "--engine", "dask",
                             "--workers", "2", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, env={**os.environ, "SECOND_SIGNAL_SENT": str(sent)})
    out, err = _signalled_as_parts_are_written(proc, tmp_path, signal.SIGTERM)
    assert sent.exists()  # (a worker was started again, and the second signal sent as it loaded)
    assert (proc.returncode, err.decode(), out) == (143, "medspa-kit: terminated\n", b"")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.py", "in", "sent"]
