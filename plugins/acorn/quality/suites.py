"""Code-defined expectation suites, one per lake source.

The rules here are the boundary contract: keys present and unique, currencies
valid for the marketplace, money exact, timestamps UTC and inside the window.
Everything inside the warehouse is dbt's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from acorn import marketplaces
from acorn.lake.schemas import LakeSource

ROW = "_row"  # positional index GX reports failing rows by

# Currency columns per source; marketplace-level sources must use the marketplace's currency.
CURRENCY_COLUMNS: dict[str, tuple[str, ...]] = {
    "transactions": ("currency_code",),
    "orders": ("currency_code",),
    "order_items": ("currency_code",),
    "settlements": ("currency_code",),
    "settlement_lines": ("currency_code",),
    "mfn_returns": ("currency_code",),
    "reimbursements": ("currency_code",),
    "financial_event_groups": ("original_currency_code",),
}
# Columns that must be present on every record (beyond the natural key).
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "transactions": ("transaction_type", "total_amount", "currency_code", "posted_at"),
    "orders": ("purchased_at", "order_status"),
    "order_items": ("amazon_order_id",),
    "settlements": ("total_amount", "currency_code", "settlement_ended_at"),
    "settlement_lines": ("amount", "currency_code"),
    "fba_returns": ("order_id", "sku", "returned_at"),
    "mfn_returns": ("order_id", "return_requested_at"),
    "reimbursements": ("reimbursement_id", "approved_at", "currency_code", "amount_total"),
    "financial_event_groups": ("group_started_at",),
}
# Sources whose partition timestamp must fall inside the extraction window.
WINDOWED_SOURCES = ("transactions", "orders", "fba_returns", "mfn_returns", "reimbursements")


@dataclass(frozen=True)
class BatchContext:
    source: LakeSource
    marketplace_id: str
    window_start: datetime
    window_end: datetime

    @property
    def allowed_currencies(self) -> list[str]:
        if self.marketplace_id in marketplaces.BY_ID:
            return [marketplaces.BY_ID[self.marketplace_id].currency]
        return sorted({m.currency for m in marketplaces.all_marketplaces()})


def build_suite(ctx: BatchContext):
    import great_expectations as gx

    source = ctx.source
    suite = gx.ExpectationSuite(name=f"{source.name}__{ctx.marketplace_id}")
    add = suite.add_expectation
    for column in (*source.natural_key, *REQUIRED_COLUMNS.get(source.name, ())):
        add(gx.expectations.ExpectColumnValuesToNotBeNull(column=column, meta={"rule": f"{column}_not_null"}))
    if len(source.natural_key) == 1:
        add(gx.expectations.ExpectColumnValuesToBeUnique(column=source.natural_key[0], meta={"rule": "key_unique"}))
    else:
        add(
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=list(source.natural_key), meta={"rule": "key_unique"}
            )
        )
    for column in CURRENCY_COLUMNS.get(source.name, ()):
        add(
            gx.expectations.ExpectColumnValuesToBeInSet(
                column=column,
                value_set=ctx.allowed_currencies,
                meta={"rule": "currency_valid_for_marketplace"},
            )
        )
    for field in source.schema:
        if str(field.type).startswith("decimal"):
            add(
                gx.expectations.ExpectColumnValuesToBeInTypeList(
                    column=field.name, type_list=["Decimal"], meta={"rule": f"{field.name}_is_decimal"}
                )
            )
        elif str(field.type).startswith("timestamp"):
            add(
                gx.expectations.ExpectColumnValuesToBeInTypeList(
                    column=field.name, type_list=["datetime", "Timestamp"], meta={"rule": f"{field.name}_is_timestamp"}
                )
            )
    if source.name in WINDOWED_SOURCES:
        add(
            gx.expectations.ExpectColumnValuesToBeBetween(
                column=source.date_field,
                min_value=ctx.window_start,
                max_value=ctx.window_end,
                strict_max=True,
                meta={"rule": "timestamp_within_window"},
            )
        )
    return suite
