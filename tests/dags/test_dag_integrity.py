"""Every DAG imports, has no cycles, follows the house rules, and parses fast."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pendulum
import pytest

pytestmark = pytest.mark.dag

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
DAG_FILES = sorted(p for p in DAGS_DIR.glob("*.py") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def dagbag():
    try:
        from airflow.dag_processing.dagbag import DagBag
    except ImportError:  # older layout
        from airflow.models.dagbag import DagBag
    return DagBag(dag_folder=str(DAGS_DIR))


def test_dags_import_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert {p.stem for p in DAG_FILES} <= set(dagbag.dag_ids)


@pytest.mark.parametrize("dag_file", DAG_FILES, ids=lambda p: p.stem)
def test_dag_follows_house_rules(dagbag, dag_file):
    dag = dagbag.dags.get(dag_file.stem)
    assert dag is not None, f"{dag_file.name} must define a DAG whose id is its file stem"
    assert dag.tags, "tags are required"
    assert dag.catchup is False
    assert dag.max_active_runs == 1
    assert dag.start_date is not None and dag.start_date.utcoffset() == pendulum.duration(0)
    assert str(dag.start_date.tzinfo) in {"UTC", "+00:00"}
    for task in dag.tasks:
        assert task.owner and task.owner != "airflow", f"{task.task_id} needs an owner"
        assert task.retries >= 2, f"{task.task_id} needs retries"
    if hasattr(dag, "check_cycle"):
        dag.check_cycle()


@pytest.mark.parametrize("dag_file", DAG_FILES, ids=lambda p: p.stem)
def test_dag_parses_in_under_a_second(dag_file):
    # Parse in a fresh interpreter with airflow already imported, as the
    # dag-processor does: only the DAG file's own cost is timed.
    code = (
        "import time, runpy, airflow.sdk\n"
        f"t = time.perf_counter(); runpy.run_path({str(dag_file)!r}); print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    elapsed = float(out.stdout.strip().splitlines()[-1])
    assert elapsed < 1.0, f"{dag_file.name} took {elapsed:.2f}s to parse"


def test_dag_parse_imports_neither_scikit_learn_nor_statsforecast():
    # The rule: scikit-learn is imported inside the scoring task, never while a DAG
    # file (or the acorn.risk modules it names) is parsed.
    code = (
        "import runpy, sys, airflow.sdk\n"
        f"for path in {[str(p) for p in DAG_FILES]!r}: runpy.run_path(path)\n"
        "import acorn.risk.pipeline, acorn.risk.model, acorn.risk.rules, acorn.cashflow.pipeline\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'statsforecast')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_warehouse_build_scores_risk_and_forecasts_cash_between_the_builds(dagbag):
    dag = dagbag.dags["warehouse_build"]
    score, forecast = dag.get_task("score_return_risk"), dag.get_task("forecast_cash_flow")
    models = dag.get_task("dbt_build_model_marts")
    assert score.upstream_task_ids == forecast.upstream_task_ids == {"dbt_build_marts"}
    assert models.upstream_task_ids == {"score_return_risk", "forecast_cash_flow"}
    assert {"write_daily_digests", "export_marts"} <= models.downstream_task_ids
    assert score.pool == forecast.pool == models.pool == "duckdb_writer"
