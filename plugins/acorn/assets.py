"""Every Airflow Asset, defined once. Names are <layer>.<source>.<entity>.

Raw assets come from the source registry (`acorn.sources`). Kept free of
pyarrow/pandas imports: DAG files import this at parse time.
"""

from __future__ import annotations

from airflow.sdk import Asset

from acorn import sources

LAKE_SOURCE_NAMES: tuple[str, ...] = sources.NAMES

RAW: dict[str, Asset] = {s.name: Asset(name=s.asset_name, uri=s.asset_uri) for s in sources.SOURCES}

# Marts the warehouse_build DAG produces (dbt/models/marts/*; a test keeps them equal).
MART_MODEL_NAMES: tuple[str, ...] = (
    "fct_buyer_risk",
    "fct_cash_balances",
    "fct_cashflow_forecast",
    "fct_cashflow_forecast_accuracy",
    "fct_dispute_alerts",
    "fct_money_owed",
    "fct_payouts",
    "fct_refund_decisions",
    "fct_refund_reconciliation",
    "fct_refund_tax_documents",
    "fct_return_risk_scores",
    "fct_settlement_reconciliation",
    "fct_transaction_settlement_reconciliation",
    "rpt_marketplace_refunds",
)

# The return-risk marts (dbt/models/marts/risk, issue #15); every other mart is finance's.
RISK_MART_MODEL_NAMES: frozenset[str] = frozenset({"fct_buyer_risk", "fct_return_risk_scores"})
# The cash-flow marts (dbt/models/marts/cashflow, issue #16).
CASHFLOW_MART_MODEL_NAMES: frozenset[str] = frozenset(
    {"fct_cash_balances", "fct_cashflow_forecast", "fct_cashflow_forecast_accuracy"}
)


def _mart_domain(name: str) -> str:
    if name in RISK_MART_MODEL_NAMES:
        return "risk"
    return "cashflow" if name in CASHFLOW_MART_MODEL_NAMES else "finance"


MART: dict[str, Asset] = {
    name: Asset(
        name=f"mart.{_mart_domain(name)}.{name}",
        uri=f"file:///acorn/warehouse/marts/{name}",
    )
    for name in MART_MODEL_NAMES
}
