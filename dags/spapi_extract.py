"""Nightly SP-API extraction into the Parquet lake.

Pulls every source a reconciliation needs (transactions, financial event
groups, V2 settlements, FBA and MFN returns, reimbursements, orders and
items) for every account and marketplace the `spapi_*` connections name,
over the run's window (params `start`/`end`, or the data interval plus a
lookback), and merges them into `data/lake/<source>/...` partitions.
Outputs: the `raw.spapi.*` assets.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, task

from acorn import config
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
    def plan_marketplace_scopes(params=None, data_interval_start=None, data_interval_end=None, run_id=None):
        from acorn.extract.run import plan

        return plan(params, data_interval_start, data_interval_end, run_id, per_marketplace=True)

    @task
    def plan_account_scopes(params=None, data_interval_start=None, data_interval_end=None, run_id=None):
        from acorn.extract.run import plan

        return plan(params, data_interval_start, data_interval_end, run_id, per_marketplace=False)

    @task(pool=config.POOL_SPAPI_FINANCES, outlets=[RAW["transactions"]])
    def extract_transactions(scope):
        from acorn.extract import sources

        return sources.extract_transactions(scope)

    @task(pool=config.POOL_SPAPI_FINANCES, outlets=[RAW["financial_event_groups"]])
    def extract_financial_event_groups(scope):
        from acorn.extract import sources

        return sources.extract_financial_event_groups(scope)

    @task(pool=config.POOL_SPAPI_REPORTS, outlets=[RAW["settlements"], RAW["settlement_lines"]])
    def extract_settlements(scope):
        from acorn.extract import sources

        return sources.extract_settlements(scope)

    @task(pool=config.POOL_SPAPI_REPORTS, outlets=[RAW["fba_returns"]])
    def extract_fba_returns(scope):
        from acorn.extract import sources

        return sources.extract_fba_returns(scope)

    @task(pool=config.POOL_SPAPI_REPORTS, outlets=[RAW["mfn_returns"]])
    def extract_mfn_returns(scope):
        from acorn.extract import sources

        return sources.extract_mfn_returns(scope)

    @task(pool=config.POOL_SPAPI_REPORTS, outlets=[RAW["reimbursements"]])
    def extract_reimbursements(scope):
        from acorn.extract import sources

        return sources.extract_reimbursements(scope)

    @task(pool=config.POOL_SPAPI_ORDERS, outlets=[RAW["orders"], RAW["order_items"]])
    def extract_orders(scope):
        from acorn.extract import sources

        return sources.extract_orders(scope)

    @task
    def summarize_extraction(*results, run_id=None):
        from acorn.extract.run import summarize

        return summarize(results, run_id)

    marketplace_scopes = plan_marketplace_scopes()
    account_scopes = plan_account_scopes()
    summarize_extraction(
        extract_transactions.expand(scope=marketplace_scopes),
        extract_fba_returns.expand(scope=marketplace_scopes),
        extract_mfn_returns.expand(scope=marketplace_scopes),
        extract_reimbursements.expand(scope=marketplace_scopes),
        extract_orders.expand(scope=marketplace_scopes),
        extract_financial_event_groups.expand(scope=account_scopes),
        extract_settlements.expand(scope=account_scopes),
    )


spapi_extract()
