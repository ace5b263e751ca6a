"""Nightly SP-API extraction into the Parquet lake.

Pulls every source of the registry (`acorn.sources`: transactions, financial
event groups, V2 settlements, FBA and MFN returns, reimbursements, orders and
items, and the cash-flow sources: balances, payouts and their status history,
expected payouts) for every account and marketplace the `spapi_*` connections name, over
the run's window (params `start`/`end`, or the data interval plus a lookback),
and merges them into `data/lake/<source>/...` partitions. One mapped
`extract_<task>` task per registry task; a configuration error fails
`check_configuration` once, a missing role fails only its source's task, and
`summarize_extraction` (which runs whatever failed) lists failures and data
Amazon refused, then fails the run if a source failed.
Outputs: the `raw.spapi.*` assets.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, task

from acorn import sources
from acorn.assets import RAW


@dag(
    schedule="0 3 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={
        "owner": "acorn-data",
        "retries": 2,
        "retry_delay": timedelta(minutes=2),
        "retry_exponential_backoff": True,
    },
    params={
        "start": Param(None, type=["null", "string"], format="date", description="first day (UTC), inclusive"),
        "end": Param(None, type=["null", "string"], format="date", description="last day (UTC), inclusive"),
    },
    tags=["layer:ingest", "source:spapi"],
    doc_md=__doc__,
)
def spapi_extract():
    @task
    def check_configuration():
        from acorn.extract.run import check_configuration

        return check_configuration()

    @task
    def plan_marketplace_scopes(params=None, data_interval_start=None, data_interval_end=None, run_id=None):
        from acorn.extract.run import plan

        return plan(params, data_interval_start, data_interval_end, run_id, per_marketplace=True)

    @task
    def plan_account_scopes(params=None, data_interval_start=None, data_interval_end=None, run_id=None):
        from acorn.extract.run import plan

        return plan(params, data_interval_start, data_interval_end, run_id, per_marketplace=False)

    def extract(scope, source_task):
        from acorn.extract.sources import run_task

        return run_task(source_task, scope)

    @task(trigger_rule="all_done")
    def summarize_extraction(results, marketplace_scopes, account_scopes, run_id=None):
        from acorn.extract.run import scopes_for, summarize

        expected = {t.name: scopes_for(t.name, marketplace_scopes, account_scopes) for t in sources.TASKS}
        return summarize(results, run_id, expected=expected)

    checked = check_configuration()
    scopes = {sources.MARKETPLACE: plan_marketplace_scopes(), sources.ACCOUNT: plan_account_scopes()}
    checked >> list(scopes.values())
    extracted = [
        task(task_id=t.task_id, pool=t.pool, outlets=[RAW[name] for name in t.sources])(extract)
        .partial(source_task=t.name)
        .expand(scope=scopes[t.scope])
        for t in sources.TASKS
    ]
    summarize_extraction(extracted, scopes[sources.MARKETPLACE], scopes[sources.ACCOUNT])


spapi_extract()
