"""API payloads and parsed report rows -> flat lake records (pure: no I/O, no clock).

Every record keeps the source's own identifiers, exact Decimal money with its
currency beside it, and UTC timestamps. Nested API objects are kept whole in
`payload_json` (canonical, sorted keys) so nothing the API said is lost.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from acorn import marketplaces

Record = dict[str, Any]


class RecordError(ValueError):
    """A record that breaks a rule; names the record and the rule."""

    def __init__(self, source: str, record_key: str, rule: str, detail: str) -> None:
        super().__init__(f"{source} record {record_key}: {rule}: {detail}")
        self.source, self.record_key, self.rule, self.detail = source, record_key, rule, detail


def canonical_json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=_json_default, ensure_ascii=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        # Only reached when a caller parsed JSON without parse_float=Decimal;
        # repr() is the shortest round-trip form, i.e. the literal Amazon sent.
        return Decimal(repr(value))
    return Decimal(str(value).strip())


def parse_ts(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        text = str(value).strip().replace("Z", "+00:00")
        dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        raise ValueError(f"timestamp without time zone: {value!r}")
    return dt.astimezone(UTC)


def _money(obj: Mapping[str, Any] | None, amount_key: str, currency_key: str) -> tuple[Decimal | None, str | None]:
    if not obj:
        return None, None
    return to_decimal(obj.get(amount_key)), obj.get(currency_key)


def _related(identifiers: list[Mapping[str, Any]] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for ident in identifiers or []:
        name, value = ident.get("relatedIdentifierName"), ident.get("relatedIdentifierValue")
        if name and value is not None and name not in out:
            out[name] = str(value)
    return out


def transaction_record(txn: Mapping[str, Any], seller_id: str) -> Record:
    """Finances 2024-06-19 Transaction -> lake record."""
    meta = txn.get("sellingPartnerMetadata") or {}
    details = txn.get("marketplaceDetails") or {}
    related = _related(txn.get("relatedIdentifiers"))
    amount, currency = _money(txn.get("totalAmount"), "currencyAmount", "currencyCode")
    deferred = _deferred_context(txn.get("contexts"))
    return {
        "transaction_id": txn.get("transactionId"),
        "seller_id": meta.get("sellingPartnerId") or seller_id,
        "marketplace_id": meta.get("marketplaceId") or details.get("marketplaceId"),
        "account_type": meta.get("accountType"),
        "transaction_type": txn.get("transactionType"),
        "transaction_status": txn.get("transactionStatus"),
        "description": txn.get("description"),
        "order_id": related.get("ORDER_ID"),
        "shipment_id": related.get("SHIPMENT_ID"),
        "refund_id": related.get("REFUND_ID"),
        "financial_event_group_id": related.get("FINANCIAL_EVENT_GROUP_ID"),
        "settlement_id": related.get("SETTLEMENT_ID"),
        "deferred_transaction_id": related.get("DEFERRED_TRANSACTION_ID"),
        "total_amount": amount,
        "currency_code": currency,
        "posted_at": parse_ts(txn.get("postedDate")),
        "deferral_reason": deferred.get("deferralReason"),
        "deferral_maturity_at": parse_ts(deferred.get("maturityDate")),
        "payload_json": canonical_json(txn),
    }


def _deferred_context(contexts: Any) -> Mapping[str, Any]:
    """The transaction's DeferredContext {deferralReason, maturityDate}, or {} (contexts may be null)."""
    for ctx in contexts or ():
        if isinstance(ctx, Mapping) and ctx.get("contextType") == "DeferredContext":
            return ctx
    return {}


REGION_LEVEL = "ALL"  # partition for data that is per account, not per marketplace


def financial_event_group_record(group: Mapping[str, Any], seller_id: str) -> Record:
    """Finances v0 FinancialEventGroup -> lake record."""
    original, original_ccy = _money(group.get("OriginalTotal"), "CurrencyAmount", "CurrencyCode")
    converted, converted_ccy = _money(group.get("ConvertedTotal"), "CurrencyAmount", "CurrencyCode")
    beginning, beginning_ccy = _money(group.get("BeginningBalance"), "CurrencyAmount", "CurrencyCode")
    return {
        "financial_event_group_id": group.get("FinancialEventGroupId"),
        "seller_id": seller_id,
        "marketplace_id": REGION_LEVEL,
        "processing_status": group.get("ProcessingStatus"),
        "fund_transfer_status": group.get("FundTransferStatus"),
        "trace_id": group.get("TraceId"),
        "account_tail": group.get("AccountTail"),
        "original_total_amount": original,
        "original_currency_code": original_ccy,
        "converted_total_amount": converted,
        "converted_currency_code": converted_ccy,
        "beginning_balance_amount": beginning,
        "beginning_balance_currency_code": beginning_ccy,
        "group_started_at": parse_ts(group.get("FinancialEventGroupStart")),
        "group_ended_at": parse_ts(group.get("FinancialEventGroupEnd")),
        "fund_transfer_at": parse_ts(group.get("FundTransferDate")),
        "payload_json": canonical_json(group),
    }


def order_record(order: Mapping[str, Any], seller_id: str, pii_hashes: Mapping[str, str | None]) -> Record:
    """Orders v0 Order (already scrubbed of PII) -> lake record."""
    amount, currency = _money(order.get("OrderTotal"), "Amount", "CurrencyCode")
    region = order.get("ShippingRegion") or {}
    return {
        "amazon_order_id": order.get("AmazonOrderId"),
        "seller_id": seller_id,
        "marketplace_id": order.get("MarketplaceId"),
        "seller_order_id": order.get("SellerOrderId"),
        "order_status": order.get("OrderStatus"),
        "fulfillment_channel": order.get("FulfillmentChannel"),
        "sales_channel": order.get("SalesChannel"),
        "order_type": order.get("OrderType"),
        "replaced_order_id": order.get("ReplacedOrderId"),
        "buyer_email_hash": pii_hashes.get("buyer_email_hash"),
        "buyer_name_hash": pii_hashes.get("buyer_name_hash"),
        "shipping_address_hash": pii_hashes.get("shipping_address_hash"),
        "ship_postal_area_hash": pii_hashes.get("ship_postal_area_hash"),
        "ship_country_code": region.get("CountryCode"),
        "order_total_amount": amount,
        "currency_code": currency,
        "items_shipped_count": order.get("NumberOfItemsShipped"),
        "items_unshipped_count": order.get("NumberOfItemsUnshipped"),
        "is_prime": order.get("IsPrime"),
        "is_business_order": order.get("IsBusinessOrder"),
        "is_replacement_order": _bool(order.get("IsReplacementOrder")),
        "purchased_at": parse_ts(order.get("PurchaseDate")),
        "last_updated_at": parse_ts(order.get("LastUpdateDate")),
        "latest_delivery_at": parse_ts(order.get("LatestDeliveryDate")),
        "payload_json": canonical_json(order),
    }


def order_item_record(item: Mapping[str, Any], order: Mapping[str, Any], seller_id: str) -> Record:
    price, currency = _money(item.get("ItemPrice"), "Amount", "CurrencyCode")
    tax, _ = _money(item.get("ItemTax"), "Amount", "CurrencyCode")
    shipping, _ = _money(item.get("ShippingPrice"), "Amount", "CurrencyCode")
    promo, _ = _money(item.get("PromotionDiscount"), "Amount", "CurrencyCode")
    order_currency = (order.get("OrderTotal") or {}).get("CurrencyCode")
    return {
        "order_item_id": item.get("OrderItemId"),
        "amazon_order_id": order.get("AmazonOrderId"),
        "seller_id": seller_id,
        "marketplace_id": order.get("MarketplaceId"),
        "asin": item.get("ASIN"),
        "seller_sku": item.get("SellerSKU"),
        "quantity_ordered": item.get("QuantityOrdered"),
        "quantity_shipped": item.get("QuantityShipped"),
        "item_price_amount": price,
        "item_tax_amount": tax,
        "shipping_price_amount": shipping,
        "promotion_discount_amount": promo,
        "currency_code": currency or order_currency,
        "purchased_at": parse_ts(order.get("PurchaseDate")),
        "payload_json": canonical_json(item),
    }


def _bool(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"true", "yes", "y", "1"}


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(Decimal(str(value).strip()))


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def marketplace_id_for_name(name: str | None, default: str) -> str:
    """Settlement rows name the marketplace ("Amazon.de"); map back to its id."""
    if name:
        for m in marketplaces.all_marketplaces():
            if m.name.lower() == name.strip().lower():
                return m.marketplace_id
    return default


def stable_id(*parts: Any) -> str:
    """A deterministic id for report rows that have no id of their own."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def settlement_records(
    summary: Mapping[str, Any] | None,
    lines: list[Mapping[str, Any]],
    *,
    seller_id: str,
    default_marketplace_id: str,
    report_id: str,
    report_document_id: str | None,
) -> tuple[Record, list[Record]]:
    """A parsed V2 settlement file -> one settlement record + its lines.

    `summary` is the file's first data row (settlement-id .. currency filled,
    the rest empty); `lines` are the amount rows after it.
    """
    if not summary:
        raise RecordError("settlements", report_id, "summary_row", "settlement file has no summary row")
    settlement_id = _str(summary.get("settlement-id"))
    currency = _str(summary.get("currency"))
    ended_at = parse_ts(summary.get("settlement-end-date"))
    marketplace_ids = {
        marketplace_id_for_name(_str(r.get("marketplace-name")), default_marketplace_id) for r in lines
    }
    marketplace_id = (
        marketplace_ids.pop() if len(marketplace_ids) == 1 else default_marketplace_id
    )
    settlement = {
        "settlement_id": settlement_id,
        "seller_id": seller_id,
        "marketplace_id": marketplace_id,
        "report_id": report_id,
        "report_document_id": report_document_id,
        "total_amount": to_decimal(summary.get("total-amount")),
        "currency_code": currency,
        "line_count": len(lines),
        "settlement_started_at": parse_ts(summary.get("settlement-start-date")),
        "settlement_ended_at": ended_at,
        "deposited_at": parse_ts(summary.get("deposit-date")),
    }
    records = []
    for number, row in enumerate(lines, start=1):
        records.append(
            {
                "settlement_id": _str(row.get("settlement-id")) or settlement_id,
                "line_number": number,
                "seller_id": seller_id,
                "marketplace_id": marketplace_id,
                "transaction_type": _str(row.get("transaction-type")),
                "order_id": _str(row.get("order-id")),
                "merchant_order_id": _str(row.get("merchant-order-id")),
                "adjustment_id": _str(row.get("adjustment-id")),
                "shipment_id": _str(row.get("shipment-id")),
                "marketplace_name": _str(row.get("marketplace-name")),
                "amount_type": _str(row.get("amount-type")),
                "amount_description": _str(row.get("amount-description")),
                "amount": to_decimal(row.get("amount")),
                "currency_code": currency,
                "fulfillment_id": _str(row.get("fulfillment-id")),
                "order_item_code": _str(row.get("order-item-code")),
                "merchant_order_item_id": _str(row.get("merchant-order-item-id")),
                "merchant_adjustment_item_id": _str(row.get("merchant-adjustment-item-id")),
                "sku": _str(row.get("sku")),
                "quantity_purchased": _int(row.get("quantity-purchased")),
                "promotion_id": _str(row.get("promotion-id")),
                "posted_at": parse_ts(row.get("posted-date-time") or row.get("posted-date")),
                "settlement_ended_at": ended_at,
            }
        )
    return settlement, records


def fba_return_record(row: Mapping[str, Any], *, seller_id: str, marketplace_id: str) -> Record:
    returned_at = parse_ts(row.get("return-date"))
    lpn = _str(row.get("license-plate-number"))
    return {
        # The same return shows up with different return-dates across pulls:
        # the key leaves the date out.
        "return_id": stable_id(marketplace_id, row.get("order-id"), row.get("sku"), lpn),
        "seller_id": seller_id,
        "marketplace_id": marketplace_id,
        "order_id": _str(row.get("order-id")),
        "sku": _str(row.get("sku")),
        "asin": _str(row.get("asin")),
        "fnsku": _str(row.get("fnsku")),
        "product_name": _str(row.get("product-name")),
        "quantity": _int(row.get("quantity")),
        "fulfillment_center_id": _str(row.get("fulfillment-center-id")),
        "detailed_disposition": _str(row.get("detailed-disposition")),
        "reason": _str(row.get("reason")),
        "status": _str(row.get("status")),
        "license_plate_number": lpn,
        "customer_comments": _str(row.get("customer-comments")),
        "returned_at": returned_at,
    }


def mfn_return_record(row: Mapping[str, Any], *, seller_id: str, marketplace_id: str) -> Record:
    return {
        "return_id": stable_id(marketplace_id, row.get("Order ID"), row.get("Amazon RMA ID"), row.get("Merchant SKU")),
        "seller_id": seller_id,
        "marketplace_id": marketplace_id,
        "order_id": _str(row.get("Order ID")),
        "amazon_rma_id": _str(row.get("Amazon RMA ID")),
        "merchant_rma_id": _str(row.get("Merchant RMA ID")),
        "return_request_status": _str(row.get("Return request status")),
        "label_type": _str(row.get("Label type")),
        "label_cost": to_decimal(row.get("Label cost")),
        "currency_code": _str(row.get("Currency code")),
        "return_carrier": _str(row.get("Return carrier")),
        "tracking_id": _str(row.get("Tracking ID")),
        "label_to_be_paid_by": _str(row.get("Label to be paid by")),
        "a_to_z_claim": _str(row.get("A-to-Z Claim")),
        "is_prime": _str(row.get("Is prime")),
        "asin": _str(row.get("ASIN")),
        "merchant_sku": _str(row.get("Merchant SKU")),
        "item_name": _str(row.get("Item Name")),
        "return_quantity": _int(row.get("Return quantity")),
        "return_reason": _str(row.get("Return Reason")),
        "in_policy": _str(row.get("In policy")),
        "return_type": _str(row.get("Return type")),
        "resolution": _str(row.get("Resolution")),
        "order_amount": to_decimal(row.get("Order Amount")),
        "order_quantity": _int(row.get("Order quantity")),
        "refunded_amount": to_decimal(row.get("Refunded Amount")),
        "safet_claim_id": _str(row.get("SafeT claim id")),
        "safet_claim_state": _str(row.get("SafeT claim state")),
        "safet_claim_reimbursement_amount": to_decimal(row.get("SafeT claim reimbursement amount")),
        "ordered_at": parse_ts(row.get("Order date")),
        "return_requested_at": parse_ts(row.get("Return request date")),
        "return_delivered_at": parse_ts(row.get("Return delivery date")),
    }


def reimbursement_record(row: Mapping[str, Any], *, seller_id: str, marketplace_id: str) -> Record:
    return {
        "reimbursement_line_id": stable_id(
            row.get("reimbursement-id"), row.get("sku"), row.get("fnsku"), row.get("condition")
        ),
        "reimbursement_id": _str(row.get("reimbursement-id")),
        "seller_id": seller_id,
        "marketplace_id": marketplace_id,
        "case_id": _str(row.get("case-id")),
        "amazon_order_id": _str(row.get("amazon-order-id")),
        "reason": _str(row.get("reason")),
        "sku": _str(row.get("sku")),
        "fnsku": _str(row.get("fnsku")),
        "asin": _str(row.get("asin")),
        "product_name": _str(row.get("product-name")),
        "condition": _str(row.get("condition")),
        "currency_code": _str(row.get("currency-unit")),
        "amount_per_unit": to_decimal(row.get("amount-per-unit")),
        "amount_total": to_decimal(row.get("amount-total")),
        "quantity_reimbursed_cash": _int(row.get("quantity-reimbursed-cash")),
        "quantity_reimbursed_inventory": _int(row.get("quantity-reimbursed-inventory")),
        "quantity_reimbursed_total": _int(row.get("quantity-reimbursed-total")),
        "original_reimbursement_id": _str(row.get("original-reimbursement-id")),
        "original_reimbursement_type": _str(row.get("original-reimbursement-type")),
        "approved_at": parse_ts(row.get("approval-date")),
    }
