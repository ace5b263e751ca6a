"""Re-run every data test of the warehouse on whole tables, weekly.

The nightly `warehouse_build` tests only the rows each incremental table's
latest build wrote (older rows were tested by the build that wrote them). This
DAG runs `dbt test --vars '{test_every_row: true}'` through
`acorn.warehouse.audit_every_row_from_settings`, so that a defect only two
builds together made (a duplicate key across nights, a relationship an older
row broke) is found within a week. Sunday 06:00 UTC, after the night's build,
in the one-slot `duckdb_writer` pool (dbt-duckdb opens the warehouse for
writing). Inputs: DUCKDB_PATH. Outputs: none; a failing test fails the task
with the failing dbt nodes in the message.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import dag, task

from acorn import config


@dag(
    schedule="0 6 * * 0",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "acorn-data", "retries": 2, "retry_delay": timedelta(minutes=5)},
    tags=["layer:transform", "source:spapi", "quality"],
    doc_md=__doc__,
)
def warehouse_audit():
    @task(pool=config.POOL_DUCKDB_WRITER)
    def dbt_test_every_row():
        from acorn.warehouse import audit_every_row_from_settings

        return audit_every_row_from_settings()

    dbt_test_every_row()


warehouse_audit()
