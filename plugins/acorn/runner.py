"""Run the project's DAGs for real (dag.test) on the embedded SQLite metadata DB.

`make run` and `make demo` go through here; so do the end-to-end tests.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from acorn import config

log = logging.getLogger(__name__)

POOLS = {
    # One slot per pool: the SP-API's limits are per seller and operation,
    # and DuckDB has a single writer.
    config.POOL_SPAPI_FINANCES: (2, "Finances API calls (0.5 rps per operation)"),
    config.POOL_SPAPI_REPORTS: (2, "Reports API calls (createReport 1/min)"),
    config.POOL_SPAPI_ORDERS: (1, "Orders API calls (getOrders 1/min)"),
    config.POOL_DUCKDB_WRITER: (1, "the single DuckDB writer"),
}


def airflow_home_dir() -> Path:
    """AIRFLOW_HOME, or the project's default (data/run/airflow_home)."""
    return Path(os.environ.get("AIRFLOW_HOME") or config.PROJECT_ROOT / "data/run/airflow_home")


def prepare_airflow(airflow_home: Path | None = None) -> Path:
    """Point Airflow at the project's dags and a local SQLite DB, migrated once."""
    home = Path(airflow_home) if airflow_home else airflow_home_dir()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["AIRFLOW_HOME"] = str(home)
    os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(config.PROJECT_ROOT / "dags"))
    os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "False")
    if not (home / "airflow.db").exists() and "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN" not in os.environ:
        subprocess.run(
            [sys.executable, "-m", "airflow", "db", "migrate"],
            check=True,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
        )
    from airflow.models.pool import Pool

    for name, (slots, description) in POOLS.items():
        Pool.create_or_update_pool(name, slots=slots, description=description, include_deferred=False)
    return home


def load_dag(dag_id: str):
    """Parse the DAG file the way the dag-processor does, and return the DAG."""
    from airflow.dag_processing.dagbag import DagBag

    path = Path(os.environ.get("AIRFLOW__CORE__DAGS_FOLDER", config.PROJECT_ROOT / "dags")) / f"{dag_id}.py"
    bag = DagBag(dag_folder=str(path))
    if bag.import_errors:
        raise ImportError(f"DAG file {path} failed to import: {bag.import_errors}")
    if dag_id not in bag.dags:
        raise LookupError(f"DAG {dag_id} not found in {path}")
    return bag.dags[dag_id]


class DagRunFailedError(RuntimeError):
    def __init__(self, message: str, *, run_id: str | None = None, failed_tasks: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.run_id = run_id
        self.failed_tasks = failed_tasks


def run_dag(dag_id: str, conf: dict[str, Any]) -> Any:
    """One real DAG run via dag.test(); raises if the run did not succeed."""
    dag = load_dag(dag_id)
    dag_run = dag.test(run_conf=conf, logical_date=None)
    state = str(getattr(dag_run, "state", ""))
    if not state.endswith("success"):
        failed = [ti.task_id for ti in dag_run.get_task_instances() if str(ti.state).endswith("failed")]
        raise DagRunFailedError(
            f"DAG run {dag_id} ended {state}; failed tasks: {failed}",
            run_id=getattr(dag_run, "run_id", None),
            failed_tasks=tuple(failed),
        )
    return dag_run
