"""Code-defined expectation suites, one per lake source, from the source registry.

The rules here are the boundary contract: keys present and unique, currencies
valid for the marketplace, money exact, timestamps UTC and inside the window.
Which columns are required, which carry a currency and whether a source is
windowed is declared in `acorn.sources`. Everything inside the warehouse is
dbt's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from acorn import marketplaces
from acorn.sources import SourceSpec

ROW = "_row"  # positional index GX reports failing rows by


@dataclass(frozen=True)
class BatchContext:
    source: SourceSpec
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
    for column in (*source.natural_key, *source.required_columns):
        if column in source.nullable_key_columns:
            continue  # null is a value here (a top-level balance has no parent)
        add(gx.expectations.ExpectColumnValuesToNotBeNull(column=column, meta={"rule": f"{column}_not_null"}))
    if len(source.natural_key) == 1:
        add(gx.expectations.ExpectColumnValuesToBeUnique(column=source.natural_key[0], meta={"rule": "key_unique"}))
    else:
        add(
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=list(source.natural_key), meta={"rule": "key_unique"}
            )
        )
    for column in source.currency_columns:
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
    if source.windowed:
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
