"""Every Airflow Asset, defined once. Names are <layer>.<source>.<entity>.

Kept free of pyarrow/pandas imports: DAG files import this at parse time.
"""

from __future__ import annotations

from airflow.sdk import Asset

# Must equal acorn.lake.schemas.ALL_SOURCES (a unit test holds them together).
LAKE_SOURCE_NAMES: tuple[str, ...] = (
    "transactions",
    "financial_event_groups",
    "orders",
    "order_items",
    "settlements",
    "settlement_lines",
    "fba_returns",
    "mfn_returns",
    "reimbursements",
)

RAW: dict[str, Asset] = {
    name: Asset(name=f"raw.spapi.{name}", uri=f"file:///acorn/lake/{name}") for name in LAKE_SOURCE_NAMES
}

# Marts the warehouse_build DAG produces (dbt/models/marts/finance).
MART_MODEL_NAMES: tuple[str, ...] = (
    "fct_refund_reconciliation",
    "fct_settlement_reconciliation",
    "rpt_marketplace_refunds",
)

MART: dict[str, Asset] = {
    name: Asset(name=f"mart.finance.{name}", uri=f"file:///acorn/warehouse/marts/{name}")
    for name in MART_MODEL_NAMES
}
