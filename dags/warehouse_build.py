"""Build the dbt warehouse whenever the lake changes.

Runs `dbt build` (seeds, staging over the Parquet lake (incremental tables
for the large sources), intermediate tables, contract-enforced marts and
their data tests; the unit tests run in CI, not every night) through
`acorn.warehouse.build_from_settings`, in the one-slot `duckdb_writer` pool
because DuckDB allows a single writer. Inputs: the `raw.spapi.*` lake assets
(scheduled once every one of them has been updated, i.e. after an
extraction run). Outputs: the `mart.finance.*` assets
(fct_refund_reconciliation, fct_settlement_reconciliation,
rpt_marketplace_refunds and the issue #13 marts) in DUCKDB_PATH. A failing
model or test fails the task with the failing dbt nodes in the message
(the risk marts read the previous night's score files, or zero-row ones). Then
`score_return_risk` scores every return and buyer key for return fraud
(`acorn.risk.pipeline`: a rules layer and a scikit-learn model trained on the
labels the data confirms; it reads the warehouse read-only and writes the score
files and the versioned model artefact under `<data>/risk/`; scikit-learn is
imported inside the task). Beside it, `forecast_cash_flow` forecasts every
marketplace's cash for 28 days at every origin day (`acorn.cashflow.pipeline`:
the payout mechanics, then statsforecast for the remainder, imported inside the
task; read-only, it writes `<data>/cashflow/forecasts/`). `dbt_build_model_marts`
reads both back (`dbt build --select source:risk+ source:cashflow+`: the risk
and cash-flow marts and everything downstream, e.g. the refund decisions that
send a risky buyer's request to review). Then
`write_daily_digests` writes each seller's digest (Markdown and HTML) under
`<data>/digests/<as-of date>/` from the marts (`acorn.digest`), and
`export_marts` writes every mart and the pipeline-health tables as Parquet and
CSV under `<data>/exports/` with a manifest naming the dbt invocation that built
them (`acorn.exports`; the dashboard and BI tools read these). Last,
`generate_dbt_docs` writes dbt's static docs site (catalog, lineage, exposures)
to `<data>/docs/`. Both read the warehouse, so both take the `duckdb_writer`
slot; the docs wait for the digests and exports because dbt-duckdb opens the
file for writing. Param `full_refresh` rebuilds every incremental table from
the whole lake (once after an upgrade that changes an incremental model's
columns: `make run ... FULL_REFRESH=1`).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, task

from acorn import config
from acorn.assets import MART, RAW


@dag(
    schedule=list(RAW.values()),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "acorn-data", "retries": 2, "retry_delay": timedelta(minutes=5)},
    tags=["layer:transform", "source:spapi"],
    params={"full_refresh": Param(False, type="boolean", description="rebuild incremental tables from the whole lake")},
    doc_md=__doc__,
)
def warehouse_build():
    @task(pool=config.POOL_DUCKDB_WRITER, outlets=list(MART.values()))
    def dbt_build_marts(params=None):
        from acorn.warehouse import build_from_settings

        return build_from_settings(full_refresh=bool(params["full_refresh"]))

    @task(pool=config.POOL_DUCKDB_WRITER)
    def score_return_risk(_built):
        from acorn.risk.pipeline import score_from_settings

        return score_from_settings()

    @task(pool=config.POOL_DUCKDB_WRITER)
    def forecast_cash_flow(_built):
        from acorn.cashflow.pipeline import forecast_from_settings

        return forecast_from_settings()

    @task(pool=config.POOL_DUCKDB_WRITER)
    def dbt_build_model_marts(_scored, _forecast):
        from acorn.warehouse import build_from_settings

        return build_from_settings(select=["source:risk+", "source:cashflow+"])

    @task
    def write_daily_digests(_built):
        from acorn.digest import write_digests_from_settings

        return write_digests_from_settings()

    @task(pool=config.POOL_DUCKDB_WRITER)
    def export_marts(built):
        from acorn.exports import export_from_settings

        return export_from_settings(built)

    @task(pool=config.POOL_DUCKDB_WRITER)
    def generate_dbt_docs():
        from acorn.warehouse import generate_docs_from_settings

        return generate_docs_from_settings()

    marts = dbt_build_marts()
    built = dbt_build_model_marts(score_return_risk(marts), forecast_cash_flow(marts))
    [write_daily_digests(built), export_marts(built)] >> generate_dbt_docs()


warehouse_build()
