"""Purge raw lake partitions older than the retention period (ACORN_RETENTION_DAYS, default 180).

The lake is a landing zone; the warehouse keeps the history. Runs daily.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import dag, task


@dag(
    schedule="30 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "acorn-data", "retries": 2, "retry_delay": timedelta(minutes=5)},
    tags=["layer:ingest", "source:spapi"],
    doc_md=__doc__,
)
def lake_retention():
    @task
    def purge_expired_partitions(data_interval_end=None):
        from acorn.config import load_settings
        from acorn.lake.retention import purge

        settings = load_settings()
        today = (data_interval_end or pendulum.now("UTC")).date()
        return purge(settings.lake_dir, today, settings.retention_days)

    purge_expired_partitions()


lake_retention()
