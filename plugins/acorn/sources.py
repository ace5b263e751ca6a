"""Every lake source, declared once: the registry the DAG, assets, quality suites and lake writes derive from.

A `SourceSpec` holds everything ACORN-i knows about one lake table: its columns
(the lake schema), natural key, partition date, scope (per marketplace or per
account), the SP-API operation or report type it comes from, the Airflow pool
and extract task that land it, its boundary (Great Expectations) rules and its
dbt freshness. `acorn.lake.schemas` turns the column list into the pyarrow
schema; this module stays free of pyarrow so DAG files can import it at parse
time.

Adding a source: one `SourceSpec` below, its normaliser in
`acorn.transform.normalize` (named by `normaliser`) and its staging model in
`dbt/models/staging/spapi/` (a test ties this registry to `_spapi__sources.yml`).
A new kind of read also needs its extraction in `acorn.extract.sources` and a
method on `acorn.extract.reader.SourceReader`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from acorn import config

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

# Lake column types (acorn.lake.schemas maps them to pyarrow types).
STR, INT, BOOL = "string", "int64", "bool"
MONEY = "money"  # exact decimal, major units of the row's currency
TS = "timestamp"  # UTC, microseconds

# Scopes: one extraction per (account, marketplace) or one per account.
MARKETPLACE, ACCOUNT = "marketplace", "account"

# How a source is read (acorn.extract.sources has one extraction per kind).
PAGES = "pages"  # an SP-API listing, page by page, each record normalised on its own
REPORT = "report"  # an on-demand flat-file report, requested per window chunk
SETTLEMENT = "settlement"  # Amazon-generated V2 settlement reports: a settlement and its lines
ORDERS = "orders"  # getOrders + getOrderItems, buyer PII hashed at extraction
BALANCES = "balances"  # listBalances, one request per ended local day (asOfDate)
PAYOUTS = "payouts"  # listPayouts for the Transfers marketplaces: payouts and their status history
EXPECTED_PAYOUTS = "expected_payouts"  # listExpectedPayouts: a snapshot of the server's present
KINDS = (PAGES, REPORT, SETTLEMENT, ORDERS, BALANCES, PAYOUTS, EXPECTED_PAYOUTS)

REPORT_SETTLEMENT_V2 = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"

# The 2024-06-19 Transactions API answers at most 180 days per request; we slice by 7.
FINANCE_MAX_DAYS = 180


@dataclass(frozen=True)
class Freshness:
    """dbt source freshness, in days (`_spapi__sources.yml` must say the same)."""

    warn_after_days: int
    error_after_days: int


DEFAULT_FRESHNESS = Freshness(2, 4)


@dataclass(frozen=True)
class SourceSpec:
    """One lake source. Sources landed by one task (orders and their items) share `task`."""

    name: str
    columns: tuple[tuple[str, str], ...]  # (column, lake type): the lake schema, in file order
    natural_key: tuple[str, ...]
    date_field: str  # the partition date is this column's UTC date
    scope: str  # MARKETPLACE | ACCOUNT
    kind: str  # one of KINDS
    operation: str  # SP-API operation, or the report type
    task: str  # the extract task is f"extract_{task}"
    pool: str
    normaliser: str  # function name in acorn.transform.normalize
    required_columns: tuple[str, ...] = ()  # not null on every record, beyond the natural key
    nullable_key_columns: tuple[str, ...] = ()  # key columns where null is a value (a top-level balance's parent)
    currency_columns: tuple[str, ...] = ()  # valid for the marketplace (any marketplace's for ACCOUNT scope)
    windowed: bool = False  # the partition timestamp must fall inside the extraction window
    max_request_days: int | None = None  # one request covers at most this many days
    max_span_days: int | None = None  # Amazon answers nothing for a longer span (the requests are capped)
    lookback_days: int = 0  # the request starts this much before the window
    loaded_at_field: str | None = None  # dbt freshness column; the partition date field by default
    freshness: Freshness = DEFAULT_FRESHNESS

    @property
    def task_id(self) -> str:
        return f"extract_{self.task}"

    @property
    def asset_name(self) -> str:
        return f"raw.spapi.{self.name}"

    @property
    def asset_uri(self) -> str:
        return f"file:///acorn/lake/{self.name}"

    @property
    def freshness_field(self) -> str:
        return self.loaded_at_field or self.date_field

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c for c, _t in self.columns)

    @property
    def schema(self) -> pa.Schema:
        """The pyarrow lake schema (imports pyarrow: not for DAG parse time)."""
        from acorn.lake.schemas import schema_of

        return schema_of(self.columns)


SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec(
        "transactions",
        columns=(
            ("transaction_id", STR), ("seller_id", STR), ("marketplace_id", STR), ("account_type", STR),
            ("transaction_type", STR), ("transaction_status", STR), ("description", STR), ("order_id", STR),
            ("shipment_id", STR), ("refund_id", STR), ("financial_event_group_id", STR), ("settlement_id", STR),
            ("deferred_transaction_id", STR), ("total_amount", MONEY), ("currency_code", STR), ("posted_at", TS),
            ("deferral_reason", STR), ("deferral_maturity_at", TS), ("payload_json", STR),
        ),  # fmt: skip
        natural_key=("transaction_id",),
        date_field="posted_at",
        scope=MARKETPLACE,
        kind=PAGES,
        operation="listTransactions",
        task="transactions",
        pool=config.POOL_SPAPI_FINANCES,
        normaliser="transaction_record",
        required_columns=("transaction_type", "total_amount", "currency_code", "posted_at"),
        currency_columns=("currency_code",),
        windowed=True,
        max_request_days=7,
        max_span_days=FINANCE_MAX_DAYS,
    ),
    SourceSpec(
        "financial_event_groups",
        columns=(
            ("financial_event_group_id", STR), ("seller_id", STR), ("marketplace_id", STR),
            ("processing_status", STR), ("fund_transfer_status", STR), ("trace_id", STR), ("account_tail", STR),
            ("original_total_amount", MONEY), ("original_currency_code", STR), ("converted_total_amount", MONEY),
            ("converted_currency_code", STR), ("beginning_balance_amount", MONEY),
            ("beginning_balance_currency_code", STR), ("group_started_at", TS), ("group_ended_at", TS),
            ("fund_transfer_at", TS), ("payload_json", STR),
        ),  # fmt: skip
        natural_key=("financial_event_group_id",),
        date_field="group_started_at",
        scope=ACCOUNT,
        kind=PAGES,
        operation="listFinancialEventGroups",
        task="financial_event_groups",
        pool=config.POOL_SPAPI_FINANCES,
        normaliser="financial_event_group_record",
        required_columns=("group_started_at",),
        currency_columns=("original_currency_code",),
        max_request_days=7,
        max_span_days=FINANCE_MAX_DAYS,
        # A group that started before the window can close inside it: look back one cycle.
        lookback_days=14,
        freshness=Freshness(15, 30),
    ),
    SourceSpec(
        "orders",
        columns=(
            ("amazon_order_id", STR), ("seller_id", STR), ("marketplace_id", STR), ("seller_order_id", STR),
            ("order_status", STR), ("fulfillment_channel", STR), ("sales_channel", STR), ("order_type", STR),
            ("replaced_order_id", STR), ("buyer_email_hash", STR), ("buyer_name_hash", STR),
            ("shipping_address_hash", STR), ("ship_postal_area_hash", STR), ("ship_country_code", STR),
            ("order_total_amount", MONEY),
            ("currency_code", STR), ("items_shipped_count", INT), ("items_unshipped_count", INT),
            ("is_prime", BOOL), ("is_business_order", BOOL), ("is_replacement_order", BOOL), ("purchased_at", TS),
            ("last_updated_at", TS), ("latest_delivery_at", TS), ("payload_json", STR),
        ),  # fmt: skip
        natural_key=("amazon_order_id",),
        date_field="purchased_at",
        scope=MARKETPLACE,
        kind=ORDERS,
        operation="getOrders",
        task="orders",
        pool=config.POOL_SPAPI_ORDERS,
        normaliser="order_record",
        required_columns=("purchased_at", "order_status"),
        currency_columns=("currency_code",),
        windowed=True,
        max_request_days=7,
        loaded_at_field="last_updated_at",
    ),
    SourceSpec(
        "order_items",
        columns=(
            ("order_item_id", STR), ("amazon_order_id", STR), ("seller_id", STR), ("marketplace_id", STR),
            ("asin", STR), ("seller_sku", STR), ("quantity_ordered", INT), ("quantity_shipped", INT),
            ("item_price_amount", MONEY), ("item_tax_amount", MONEY), ("shipping_price_amount", MONEY),
            ("promotion_discount_amount", MONEY), ("currency_code", STR), ("purchased_at", TS),
            ("payload_json", STR),
        ),  # fmt: skip
        natural_key=("amazon_order_id", "order_item_id"),
        date_field="purchased_at",
        scope=MARKETPLACE,
        kind=ORDERS,
        operation="getOrderItems",
        task="orders",
        pool=config.POOL_SPAPI_ORDERS,
        normaliser="order_item_record",
        required_columns=("amazon_order_id",),
        currency_columns=("currency_code",),
    ),
    SourceSpec(
        "settlements",
        columns=(
            ("settlement_id", STR), ("seller_id", STR), ("marketplace_id", STR), ("report_id", STR),
            ("report_document_id", STR), ("total_amount", MONEY), ("currency_code", STR), ("line_count", INT),
            ("settlement_started_at", TS), ("settlement_ended_at", TS), ("deposited_at", TS),
        ),  # fmt: skip
        natural_key=("settlement_id",),
        date_field="settlement_ended_at",
        scope=ACCOUNT,
        kind=SETTLEMENT,
        operation=REPORT_SETTLEMENT_V2,
        task="settlements",
        pool=config.POOL_SPAPI_REPORTS,
        normaliser="settlement_records",
        required_columns=("total_amount", "currency_code", "settlement_ended_at"),
        currency_columns=("currency_code",),
        freshness=Freshness(15, 30),
    ),
    SourceSpec(
        "settlement_lines",
        columns=(
            ("settlement_id", STR), ("line_number", INT), ("seller_id", STR), ("marketplace_id", STR),
            ("transaction_type", STR), ("order_id", STR), ("merchant_order_id", STR), ("adjustment_id", STR),
            ("shipment_id", STR), ("marketplace_name", STR), ("amount_type", STR), ("amount_description", STR),
            ("amount", MONEY), ("currency_code", STR), ("fulfillment_id", STR), ("order_item_code", STR),
            ("merchant_order_item_id", STR), ("merchant_adjustment_item_id", STR), ("sku", STR),
            ("quantity_purchased", INT), ("promotion_id", STR), ("posted_at", TS), ("settlement_ended_at", TS),
        ),  # fmt: skip
        natural_key=("settlement_id", "line_number"),
        date_field="settlement_ended_at",
        scope=ACCOUNT,
        kind=SETTLEMENT,
        operation=REPORT_SETTLEMENT_V2,
        task="settlements",
        pool=config.POOL_SPAPI_REPORTS,
        normaliser="settlement_records",
        required_columns=("amount", "currency_code"),
        currency_columns=("currency_code",),
        freshness=Freshness(15, 30),
    ),
    SourceSpec(
        "fba_returns",
        columns=(
            ("return_id", STR), ("seller_id", STR), ("marketplace_id", STR), ("order_id", STR), ("sku", STR),
            ("asin", STR), ("fnsku", STR), ("product_name", STR), ("quantity", INT), ("fulfillment_center_id", STR),
            ("detailed_disposition", STR), ("reason", STR), ("status", STR), ("license_plate_number", STR),
            ("customer_comments", STR), ("returned_at", TS),
        ),  # fmt: skip
        natural_key=("return_id",),
        date_field="returned_at",
        scope=MARKETPLACE,
        kind=REPORT,
        operation="GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA",
        task="fba_returns",
        pool=config.POOL_SPAPI_REPORTS,
        normaliser="fba_return_record",
        required_columns=("order_id", "sku", "returned_at"),
        windowed=True,
        freshness=Freshness(7, 14),
    ),
    SourceSpec(
        "mfn_returns",
        columns=(
            ("return_id", STR), ("seller_id", STR), ("marketplace_id", STR), ("order_id", STR),
            ("amazon_rma_id", STR), ("merchant_rma_id", STR), ("return_request_status", STR), ("label_type", STR),
            ("label_cost", MONEY), ("currency_code", STR), ("return_carrier", STR), ("tracking_id", STR),
            ("label_to_be_paid_by", STR), ("a_to_z_claim", STR), ("is_prime", STR), ("asin", STR),
            ("merchant_sku", STR), ("item_name", STR), ("return_quantity", INT), ("return_reason", STR),
            ("in_policy", STR), ("return_type", STR), ("resolution", STR), ("order_amount", MONEY),
            ("order_quantity", INT), ("refunded_amount", MONEY), ("safet_claim_id", STR),
            ("safet_claim_state", STR), ("safet_claim_reimbursement_amount", MONEY), ("ordered_at", TS),
            ("return_requested_at", TS), ("return_delivered_at", TS),
        ),  # fmt: skip
        natural_key=("return_id",),
        date_field="return_requested_at",
        scope=MARKETPLACE,
        kind=REPORT,
        operation="GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE",
        task="mfn_returns",
        pool=config.POOL_SPAPI_REPORTS,
        normaliser="mfn_return_record",
        required_columns=("order_id", "return_requested_at"),
        currency_columns=("currency_code",),
        windowed=True,
        max_request_days=60,  # Amazon's limit per request for returns by return date
        freshness=Freshness(7, 14),
    ),
    SourceSpec(
        "reimbursements",
        columns=(
            ("reimbursement_line_id", STR), ("reimbursement_id", STR), ("seller_id", STR), ("marketplace_id", STR),
            ("case_id", STR), ("amazon_order_id", STR), ("reason", STR), ("sku", STR), ("fnsku", STR),
            ("asin", STR), ("product_name", STR), ("condition", STR), ("currency_code", STR),
            ("amount_per_unit", MONEY), ("amount_total", MONEY), ("quantity_reimbursed_cash", INT),
            ("quantity_reimbursed_inventory", INT), ("quantity_reimbursed_total", INT),
            ("original_reimbursement_id", STR), ("original_reimbursement_type", STR), ("approved_at", TS),
        ),  # fmt: skip
        natural_key=("reimbursement_line_id",),
        date_field="approved_at",
        scope=MARKETPLACE,
        kind=REPORT,
        operation="GET_FBA_REIMBURSEMENTS_DATA",
        task="reimbursements",
        pool=config.POOL_SPAPI_REPORTS,
        normaliser="reimbursement_record",
        required_columns=("reimbursement_id", "approved_at", "currency_code", "amount_total"),
        currency_columns=("currency_code",),
        windowed=True,
        freshness=Freshness(14, 30),
    ),
)

CASH_FLOW_SOURCES: tuple[SourceSpec, ...] = (
    # docs/CASHFLOW.md is the contract for what these mean.
    SourceSpec(
        "balances",
        columns=(
            ("seller_id", STR), ("marketplace_id", STR), ("account_type", STR), ("balance_type", STR),
            ("parent_balance_type", STR), ("amount", MONEY), ("currency_code", STR), ("as_of_date", STR),
            ("as_of_at", TS), ("last_updated_at", TS),
        ),  # fmt: skip
        natural_key=("seller_id", "marketplace_id", "account_type", "balance_type", "parent_balance_type", "as_of_date"),
        nullable_key_columns=("parent_balance_type",),
        date_field="as_of_at",
        scope=ACCOUNT,
        kind=BALANCES,
        operation="listBalances",
        task="balances",
        pool=config.POOL_SPAPI_FINANCES,
        normaliser="balance_records",
        required_columns=("amount", "currency_code", "as_of_at"),
        currency_columns=("currency_code",),
    ),
    SourceSpec(
        "payouts",
        columns=(
            ("payout_id", STR), ("seller_id", STR), ("marketplace_id", STR), ("account_type", STR),
            ("payout_type", STR), ("current_status", STR), ("amount", MONEY), ("currency_code", STR),
            ("account_tail", STR), ("payment_method", STR), ("payment_rail", STR), ("trace_id", STR),
            ("settlement_id", STR), ("period_start_at", TS), ("period_end_at", TS), ("created_at", TS),
            ("last_status_at", TS),
        ),  # fmt: skip
        natural_key=("payout_id",),
        date_field="created_at",
        scope=ACCOUNT,
        kind=PAYOUTS,
        operation="listPayouts",
        task="payouts",
        pool=config.POOL_SPAPI_FINANCES,
        normaliser="payout_records",
        # amount is not required: a NO_PAYOUT payout has none (the normaliser checks the rest).
        required_columns=("marketplace_id", "current_status", "created_at"),
        currency_columns=("currency_code",),
        # Statuses move after creation (IN_TRANSIT, PAID, FAILED): re-read two weeks.
        lookback_days=14,
        freshness=Freshness(15, 30),
    ),
    SourceSpec(
        "payout_status_history",
        columns=(
            ("payout_id", STR), ("sequence", INT), ("status", STR), ("status_at", TS), ("failure_reason", STR),
            ("seller_id", STR), ("marketplace_id", STR), ("created_at", TS),
        ),  # fmt: skip
        natural_key=("payout_id", "sequence"),
        date_field="created_at",  # the payout's: a payout and its history share partitions
        scope=ACCOUNT,
        kind=PAYOUTS,
        operation="listPayouts",
        task="payouts",
        pool=config.POOL_SPAPI_FINANCES,
        normaliser="payout_records",
        required_columns=("status", "status_at", "created_at"),
        freshness=Freshness(15, 30),
    ),
    SourceSpec(
        "expected_payouts",
        columns=(
            ("seller_id", STR), ("marketplace_id", STR), ("account_type", STR), ("snapshot_at", TS),
            ("snapshot_date", STR), ("status", STR), ("amount", MONEY), ("currency_code", STR),
            ("scheduled_at", TS), ("period_start_at", TS), ("period_end_at", TS), ("settlement_id", STR),
            ("account_tail", STR), ("payment_method", STR),
        ),  # fmt: skip
        natural_key=("seller_id", "marketplace_id", "account_type", "snapshot_date", "period_start_at"),
        date_field="snapshot_at",
        scope=ACCOUNT,
        kind=EXPECTED_PAYOUTS,
        operation="listExpectedPayouts",
        task="expected_payouts",
        pool=config.POOL_SPAPI_FINANCES,
        normaliser="expected_payout_record",
        required_columns=("status", "snapshot_at"),
        currency_columns=("currency_code",),
    ),
)
SOURCES = (*SOURCES, *CASH_FLOW_SOURCES)

BY_NAME: dict[str, SourceSpec] = {s.name: s for s in SOURCES}
NAMES: tuple[str, ...] = tuple(BY_NAME)


@dataclass(frozen=True)
class ExtractTask:
    """One mapped extract task of the `spapi_extract` DAG and the sources it lands."""

    name: str
    scope: str
    pool: str
    sources: tuple[str, ...]

    @property
    def task_id(self) -> str:
        return f"extract_{self.name}"


def _tasks() -> tuple[ExtractTask, ...]:
    grouped: dict[str, list[SourceSpec]] = {}
    for spec in SOURCES:
        grouped.setdefault(spec.task, []).append(spec)
    tasks = []
    for name, specs in grouped.items():
        if len({(s.scope, s.pool) for s in specs}) != 1:
            raise ValueError(f"sources of task {name} disagree on scope or pool")
        tasks.append(ExtractTask(name, specs[0].scope, specs[0].pool, tuple(s.name for s in specs)))
    return tuple(tasks)


TASKS: tuple[ExtractTask, ...] = _tasks()
TASKS_BY_NAME: dict[str, ExtractTask] = {t.name: t for t in TASKS}


def get(name: str) -> SourceSpec:
    return BY_NAME[name]


def report_sources() -> tuple[SourceSpec, ...]:
    """On-demand report sources (requested per window chunk)."""
    return tuple(s for s in SOURCES if s.kind == REPORT)
