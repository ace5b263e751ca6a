"""Issue #5 acceptance: running the nightly job twice, or a backfill in shuffled order,
yields identical marts.

Real runs: the `spapi_extract` DAG against the sandbox over HTTP, then the
`warehouse_build` DAG as the nightly job runs it (`build_from_settings()`, no
--full-refresh, so incremental models take their incremental path on every build
after the first). The references are full-refresh builds into a fresh file.

Between nights the lake's files are aged past the incremental models' lookback
(on the lake files' write time): the next build then reads only the files the
next extraction wrote, as it would a few nights later, instead of re-reading
everything written in the last hours, which would hide a watermark bug.
"""

from __future__ import annotations

import os
import random
import shutil
from datetime import date
from pathlib import Path

import pytest

from acorn import cli, runner
from acorn.config import load_settings
from acorn.warehouse import build
from tests.dbt.warehouse_query import query as warehouse_query

from .conftest import BASELINE_END, BASELINE_START, sandbox_env
from .lake_snapshot import assert_same_records, records
from .test_extract_guarantees import run_into
from .warehouse_snapshot import Table, assert_same_marts, marts

pytestmark = pytest.mark.e2e

BACKFILL_CHUNK_DAYS = 10  # 3 chunks of the 30 baseline days, a build after each (a build is ~15-25 s)
SHUFFLE_SEED = 7  # order: last, first, middle chunk
NIGHTS_APART_S = 30 * 24 * 3600  # well past the models' lake_lookback_hours (72)


@pytest.fixture(scope="module")
def dbt_artifacts(tmp_path_factory):
    """dbt's target/ and logs/ out of the repo (one folder for the module's builds: partial parsing still helps)."""
    root = tmp_path_factory.mktemp("dbt-artifacts")
    mp = pytest.MonkeyPatch()
    mp.setenv("DBT_TARGET_PATH", str(root / "target"))
    mp.setenv("DBT_LOG_PATH", str(root / "logs"))
    yield root
    mp.undo()


@pytest.fixture(scope="module")
def nightly_build(dbt_artifacts):
    """The warehouse step of the nightly job (`acorn.cli.run_pipeline`): a warehouse_build DAG run
    into the data dir ACORN_DATA_DIR names. Its retries (and the weekly warehouse_audit's) are off:
    a failing build fails the test now, not after 2 x 5 minutes of retry delay (dbt's failing nodes
    are in the captured output). Returns the warehouse file."""
    load_dag = runner.load_dag

    def without_retries(dag_id: str):
        dag = load_dag(dag_id)
        if dag_id in ("warehouse_build", "warehouse_audit"):
            for task in dag.tasks:
                task.retries = 0
        return dag

    mp = pytest.MonkeyPatch()
    mp.setattr(runner, "load_dag", without_retries)

    def run(full_refresh: bool = False) -> Path:
        runner.run_dag("warehouse_build", {"full_refresh": full_refresh})
        return load_settings().duckdb_path

    yield run
    mp.undo()


def next_night(lake_dir: Path) -> None:
    """Time passes: every lake file now looks written long before the last build."""
    for path in lake_dir.rglob("*.parquet"):
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns - NIGHTS_APART_S * 10**9, st.st_mtime_ns - NIGHTS_APART_S * 10**9))


def reference_marts(lake_dir: Path, out_dir: Path) -> dict[str, Table]:
    """A full-refresh build of the lake into a fresh warehouse file, scored for return risk
    into a fresh risk folder and its cash flow forecast beside it (acorn.warehouse finds the
    forecast next to the risk folder), and both model marts rebuilt, as the nightly DAG does."""
    from acorn.cashflow.pipeline import forecast_warehouse
    from acorn.risk.pipeline import score_warehouse

    risk_dir = out_dir / "reference-risk"
    result = build(lake_dir, out_dir / "reference.duckdb", full_refresh=True, risk_dir=risk_dir)
    score_warehouse(result.duckdb_path, risk_dir)
    forecast_warehouse(result.duckdb_path, out_dir / "cashflow")
    build(lake_dir, result.duckdb_path, select=["source:risk+", "source:cashflow+"], risk_dir=risk_dir)
    return marts(result.duckdb_path)


def row_counts(snapshot: dict[str, Table]) -> dict[str, int]:
    return {name: len(table.rows) for name, table in snapshot.items()}


@pytest.fixture(scope="module")
def baseline_marts(baseline_lake, dbt_artifacts, tmp_path_factory) -> dict[str, Table]:
    """The marts of one full-refresh build over the sequentially extracted baseline lake."""
    snapshot = reference_marts(baseline_lake, tmp_path_factory.mktemp("baseline-warehouse"))
    assert snapshot and all(row_counts(snapshot).values()), row_counts(snapshot)
    return snapshot


@pytest.fixture(scope="module")
def first_night(baseline_lake, e2e_world, e2e_sandbox, nightly_build, tmp_path_factory):
    """The first night, run once for the module: the baseline's extraction (a clean sequential
    run of the 30 days, everything it wrote copied) then the nightly warehouse build on it.

    Returns `restore()`: it puts the data dir back as the first night left it (lake, extraction
    state, warehouse, score files), at the path the night ran in, and returns that path and
    the first night's marts. The same path, not a copy elsewhere: the incremental models hold
    each row's lake file path, and a lake moved under a built warehouse is another scenario
    (its next build reconciles settlements differently). Lake files keep their write times."""
    root = tmp_path_factory.mktemp("first-night")
    data_dir, pristine = root / "data", root / "pristine"
    shutil.copytree(baseline_lake.parent, data_dir)
    with sandbox_env(e2e_sandbox, e2e_world, data_dir):
        warehouse = nightly_build()
    snapshot = marts(warehouse)
    assert snapshot and all(row_counts(snapshot).values()), row_counts(snapshot)
    shutil.copytree(data_dir, pristine)

    def restore() -> tuple[Path, dict[str, Table]]:
        shutil.rmtree(data_dir)
        shutil.copytree(pristine, data_dir)
        return data_dir, snapshot

    return restore


def test_the_nightly_job_run_twice_yields_identical_marts(
    pipeline_env, monkeypatch, nightly_build, baseline_marts, first_night
):
    data_dir, first = first_night()  # an extraction, then a nightly build
    lake = data_dir / "lake"

    next_night(lake)
    run_into(data_dir, monkeypatch, BASELINE_START, BASELINE_END)
    warehouse = nightly_build()
    assert warehouse.is_relative_to(data_dir), warehouse
    second = marts(warehouse)
    assert_same_marts(second, first, "marts after the second nightly run vs after the first")
    assert_same_marts(
        second, reference_marts(lake, pipeline_env), "nightly marts vs a full refresh of the final lake"
    )
    assert_same_marts(second, baseline_marts, "nightly marts vs a full refresh of the baseline lake")
    # Copies of a record are ranked by when they were extracted: the time in the Airflow
    # run id (which ends in a random suffix in Airflow 3) must be read, never null.
    for model in ("stg_spapi__transactions", "stg_spapi__fba_returns", "stg_spapi__mfn_returns",
                  "stg_spapi__reimbursements"):  # fmt: skip
        [[rows, undated]] = warehouse_query(
            warehouse, f"select count(*), count(*) filter (where _extracted_at is null) from staging.{model}")
        assert int(rows) > 0 and int(undated) == 0, (model, rows, undated)
    # The weekly audit re-runs every data test on the whole tables two nights wrote.
    runner.run_dag("warehouse_audit", {})


def test_a_shuffled_backfill_built_after_every_chunk_equals_one_build_of_the_sequential_lake(
    pipeline_env, monkeypatch, nightly_build, baseline_lake, baseline_marts
):
    chunks = cli.backfill_chunks(
        date.fromisoformat(BASELINE_START), date.fromisoformat(BASELINE_END), BACKFILL_CHUNK_DAYS
    )
    assert len(chunks) == 3
    random.Random(SHUFFLE_SEED).shuffle(chunks)
    # Not monotonic either way: the latest days first, then days before those already built.
    assert chunks[0] == max(chunks) and chunks != sorted(chunks, reverse=True), chunks
    for first, last in chunks:
        run_into(pipeline_env, monkeypatch, first, last)
        warehouse = nightly_build()
        next_night(pipeline_env / "lake")
    assert_same_records(records(pipeline_env / "lake"), records(baseline_lake))
    assert_same_marts(marts(warehouse), baseline_marts, "shuffled backfill's marts vs the baseline's")


def test_a_warehouse_of_an_older_schema_fails_loudly_and_the_full_refresh_param_rebuilds_it(
    pipeline_env, monkeypatch, nightly_build, baseline_marts, first_night
):
    """The upgrade path (README: `make run ... FULL_REFRESH=1`): an incremental table built by a
    release without a column the models now write is not patched silently."""
    import duckdb

    data_dir, _ = first_night()  # an extraction, then a nightly build
    monkeypatch.setenv("ACORN_DATA_DIR", str(data_dir))
    warehouse = load_settings().duckdb_path
    assert warehouse.is_relative_to(data_dir) and warehouse.exists(), warehouse
    con = duckdb.connect(str(warehouse))
    con.execute("alter table intermediate.int_transactions_joined_to_settlement_lines drop column _warehouse_loaded_at")
    con.close()
    with pytest.raises(runner.DagRunFailedError):
        nightly_build()
    nightly_build(full_refresh=True)
    assert_same_marts(marts(warehouse), baseline_marts, "marts after the full-refresh param vs the baseline's")
