"""The batch on Dask: a Parquet folder through a two-process ``distributed.LocalCluster`` gives,
row for row, what ``evaluate_frame`` (and, by member, ``evaluate_members``) gives in one process."""

from __future__ import annotations

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


def test_bad_dask_inputs_are_one_line_errors(tmp_path, capsys):
    with pytest.raises(ScenarioError, match="no .parquet files"):
        parquet_sources(str(tmp_path))
    with pytest.raises(ScenarioError, match="no such file or folder"):
        parquet_sources(str(tmp_path / "nope"))
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
