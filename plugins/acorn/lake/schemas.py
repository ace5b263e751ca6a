"""Explicit pyarrow schemas, natural keys and partition dates of every lake source."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

MONEY = pa.decimal128(20, 4)  # exact; wide enough for JPY totals and 4-dp FX-converted amounts
TS = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class LakeSource:
    name: str
    schema: pa.Schema
    natural_key: tuple[str, ...]
    date_field: str  # the partition date is this column's UTC date


def _s(*fields: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(n, t) for n, t in fields])


TRANSACTIONS = LakeSource(
    "transactions",
    _s(
        ("transaction_id", pa.string()),
        ("seller_id", pa.string()),
        ("marketplace_id", pa.string()),
        ("account_type", pa.string()),
        ("transaction_type", pa.string()),
        ("transaction_status", pa.string()),
        ("description", pa.string()),
        ("order_id", pa.string()),
        ("shipment_id", pa.string()),
        ("refund_id", pa.string()),
        ("financial_event_group_id", pa.string()),
        ("settlement_id", pa.string()),
        ("deferred_transaction_id", pa.string()),
        ("total_amount", MONEY),
        ("currency_code", pa.string()),
        ("posted_at", TS),
        ("payload_json", pa.string()),
    ),
    ("transaction_id",),
    "posted_at",
)

FINANCIAL_EVENT_GROUPS = LakeSource(
    "financial_event_groups",
    _s(
        ("financial_event_group_id", pa.string()),
        ("seller_id", pa.string()),
        ("marketplace_id", pa.string()),
        ("processing_status", pa.string()),
        ("fund_transfer_status", pa.string()),
        ("trace_id", pa.string()),
        ("account_tail", pa.string()),
        ("original_total_amount", MONEY),
        ("original_currency_code", pa.string()),
        ("converted_total_amount", MONEY),
        ("converted_currency_code", pa.string()),
        ("beginning_balance_amount", MONEY),
        ("beginning_balance_currency_code", pa.string()),
        ("group_started_at", TS),
        ("group_ended_at", TS),
        ("fund_transfer_at", TS),
        ("payload_json", pa.string()),
    ),
    ("financial_event_group_id",),
    "group_started_at",
)

ORDERS = LakeSource(
    "orders",
    _s(
        ("amazon_order_id", pa.string()),
        ("seller_id", pa.string()),
        ("marketplace_id", pa.string()),
        ("seller_order_id", pa.string()),
        ("order_status", pa.string()),
        ("fulfillment_channel", pa.string()),
        ("sales_channel", pa.string()),
        ("order_type", pa.string()),
        ("replaced_order_id", pa.string()),
        ("buyer_email_hash", pa.string()),
        ("buyer_name_hash", pa.string()),
        ("shipping_address_hash", pa.string()),
        ("ship_country_code", pa.string()),
        ("order_total_amount", MONEY),
        ("currency_code", pa.string()),
        ("items_shipped_count", pa.int64()),
        ("items_unshipped_count", pa.int64()),
        ("is_prime", pa.bool_()),
        ("is_business_order", pa.bool_()),
        ("is_replacement_order", pa.bool_()),
        ("purchased_at", TS),
        ("last_updated_at", TS),
        ("latest_delivery_at", TS),
        ("payload_json", pa.string()),
    ),
    ("amazon_order_id",),
    "purchased_at",
)

ORDER_ITEMS = LakeSource(
    "order_items",
    _s(
        ("order_item_id", pa.string()),
        ("amazon_order_id", pa.string()),
        ("seller_id", pa.string()),
        ("marketplace_id", pa.string()),
        ("asin", pa.string()),
        ("seller_sku", pa.string()),
        ("quantity_ordered", pa.int64()),
        ("quantity_shipped", pa.int64()),
        ("item_price_amount", MONEY),
        ("item_tax_amount", MONEY),
        ("shipping_price_amount", MONEY),
        ("promotion_discount_amount", MONEY),
        ("currency_code", pa.string()),
        ("purchased_at", TS),
        ("payload_json", pa.string()),
    ),
    ("amazon_order_id", "order_item_id"),
    "purchased_at",
)

SETTLEMENTS = LakeSource(
    "settlements",
    _s(
        ("settlement_id", pa.string()),
        ("seller_id", pa.string()),
        ("marketplace_id", pa.string()),
        ("report_id", pa.string()),
        ("report_document_id", pa.string()),
        ("total_amount", MONEY),
        ("currency_code", pa.string()),
        ("line_count", pa.int64()),
        ("settlement_started_at", TS),
        ("settlement_ended_at", TS),
        ("deposited_at", TS),
    ),
    ("settlement_id",),
    "settlement_ended_at",
)

SETTLEMENT_LINES = LakeSource(
    "settlement_lines",
    _s(
        ("settlement_id", pa.string()),
        ("line_number", pa.int64()),
        ("seller_id", pa.string()),
        ("marketplace_id", pa.string()),
        ("transaction_type", pa.string()),
        ("order_id", pa.string()),
        ("merchant_order_id", pa.string()),
        ("adjustment_id", pa.string()),
        ("shipment_id", pa.string()),
        ("marketplace_name", pa.string()),
        ("amount_type", pa.string()),
        ("amount_description", pa.string()),
        ("amount", MONEY),
        ("currency_code", pa.string()),
        ("fulfillment_id", pa.string()),
        ("order_item_code", pa.string()),
        ("merchant_order_item_id", pa.string()),
        ("merchant_adjustment_item_id", pa.string()),
        ("sku", pa.string()),
        ("quantity_purchased", pa.int64()),
        ("promotion_id", pa.string()),
        ("posted_at", TS),
        ("settlement_ended_at", TS),
    ),
    ("settlement_id", "line_number"),
    "settlement_ended_at",
)

FBA_RETURNS = LakeSource(
    "fba_returns",
    _s(
        ("return_id", pa.string()),
        ("seller_id", pa.string()),
        ("marketplace_id", pa.string()),
        ("order_id", pa.string()),
        ("sku", pa.string()),
        ("asin", pa.string()),
        ("fnsku", pa.string()),
        ("product_name", pa.string()),
        ("quantity", pa.int64()),
        ("fulfillment_center_id", pa.string()),
        ("detailed_disposition", pa.string()),
        ("reason", pa.string()),
        ("status", pa.string()),
        ("license_plate_number", pa.string()),
        ("customer_comments", pa.string()),
        ("returned_at", TS),
    ),
    ("return_id",),
    "returned_at",
)

MFN_RETURNS = LakeSource(
    "mfn_returns",
    _s(
        ("return_id", pa.string()),
        ("seller_id", pa.string()),
        ("marketplace_id", pa.string()),
        ("order_id", pa.string()),
        ("amazon_rma_id", pa.string()),
        ("merchant_rma_id", pa.string()),
        ("return_request_status", pa.string()),
        ("label_type", pa.string()),
        ("label_cost", MONEY),
        ("currency_code", pa.string()),
        ("return_carrier", pa.string()),
        ("tracking_id", pa.string()),
        ("label_to_be_paid_by", pa.string()),
        ("a_to_z_claim", pa.string()),
        ("is_prime", pa.string()),
        ("asin", pa.string()),
        ("merchant_sku", pa.string()),
        ("item_name", pa.string()),
        ("return_quantity", pa.int64()),
        ("return_reason", pa.string()),
        ("in_policy", pa.string()),
        ("return_type", pa.string()),
        ("resolution", pa.string()),
        ("order_amount", MONEY),
        ("order_quantity", pa.int64()),
        ("refunded_amount", MONEY),
        ("safet_claim_id", pa.string()),
        ("safet_claim_state", pa.string()),
        ("safet_claim_reimbursement_amount", MONEY),
        ("ordered_at", TS),
        ("return_requested_at", TS),
        ("return_delivered_at", TS),
    ),
    ("return_id",),
    "return_requested_at",
)

REIMBURSEMENTS = LakeSource(
    "reimbursements",
    _s(
        ("reimbursement_line_id", pa.string()),
        ("reimbursement_id", pa.string()),
        ("seller_id", pa.string()),
        ("marketplace_id", pa.string()),
        ("case_id", pa.string()),
        ("amazon_order_id", pa.string()),
        ("reason", pa.string()),
        ("sku", pa.string()),
        ("fnsku", pa.string()),
        ("asin", pa.string()),
        ("product_name", pa.string()),
        ("condition", pa.string()),
        ("currency_code", pa.string()),
        ("amount_per_unit", MONEY),
        ("amount_total", MONEY),
        ("quantity_reimbursed_cash", pa.int64()),
        ("quantity_reimbursed_inventory", pa.int64()),
        ("quantity_reimbursed_total", pa.int64()),
        ("original_reimbursement_id", pa.string()),
        ("original_reimbursement_type", pa.string()),
        ("approved_at", TS),
    ),
    ("reimbursement_line_id",),
    "approved_at",
)

ALL_SOURCES: dict[str, LakeSource] = {
    s.name: s
    for s in (
        TRANSACTIONS,
        FINANCIAL_EVENT_GROUPS,
        ORDERS,
        ORDER_ITEMS,
        SETTLEMENTS,
        SETTLEMENT_LINES,
        FBA_RETURNS,
        MFN_RETURNS,
        REIMBURSEMENTS,
    )
}
