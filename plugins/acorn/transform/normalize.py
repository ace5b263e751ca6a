"""API payloads and parsed report rows -> flat lake records (pure: no I/O, no clock).

Every record keeps the source's own identifiers, exact Decimal money with its
currency beside it, and UTC timestamps. Nested API objects are kept whole in
`payload_json` (canonical, sorted keys) so nothing the API said is lost.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

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


# ---------------------------------------------------------------- cash flow (docs/CASHFLOW.md)

BALANCE_TYPES = frozenset({"AVAILABLE", "RESERVED", "ACCOUNT_LEVEL_RESERVE", "DEFERRED", "TOTAL"})
PAYOUT_STATUSES = frozenset({"STARTED", "IN_TRANSIT", "PAID", "FAILED", "CANCELLED", "NO_PAYOUT"})
EXPECTED_PAYOUT_STATUSES = frozenset({"SCHEDULED", "DISABLED", "AT_RISK", "NO_PAYOUT_EXPECTED"})
NO_PAYOUT = "NO_PAYOUT"
# Expected payouts that may come without an amount (the model: "can be null when no payout is expected").
NO_AMOUNT_EXPECTED = frozenset({"NO_PAYOUT_EXPECTED", "DISABLED"})


def _checked_money(source: str, key: str, obj: Any, *, required: bool) -> tuple[Decimal | None, str | None]:
    """A Currency {currencyAmount, currencyCode}: exact, its currency beside it, or a named rule broken."""
    if obj is not None and not isinstance(obj, Mapping):
        raise RecordError(source, key, "money_exact", f"amount is not an object: {obj!r}")
    raw, currency = (obj or {}).get("currencyAmount"), (obj or {}).get("currencyCode")
    if raw is None or raw == "":
        if required:
            raise RecordError(source, key, "amount_present", "no amount")
        return None, None
    try:
        if isinstance(raw, bool) or not isinstance(raw, (int, float, Decimal, str)):
            raise TypeError(type(raw).__name__)
        amount = to_decimal(raw)
        if amount is None or not amount.is_finite():
            raise ValueError("not finite")
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise RecordError(source, key, "money_exact", f"currencyAmount {raw!r} is not a number") from exc
    if not currency:
        raise RecordError(source, key, "money_with_currency", f"amount {amount} without a currencyCode")
    return amount, str(currency)


def _checked_ts(source: str, key: str, field: str, value: Any, *, required: bool = False) -> datetime | None:
    if value is None or value == "":
        if required:
            raise RecordError(source, key, f"{field}_present", f"no {field}")
        return None
    try:
        return parse_ts(value)
    except (ValueError, TypeError) as exc:
        raise RecordError(source, key, "timestamp_utc", f"{field} {value!r}: {exc}") from exc


def _is_day(value: Any, day: date, day_end: datetime, time_zone: str) -> bool:
    """Whether a served asOfDate names `day`: the model types it date-time, its example sends a date.

    A date-time may be the local midnight that starts the day or the one that ends it.
    """
    if str(value)[:10] == day.isoformat():
        return True
    try:
        served = parse_ts(value)
    except (ValueError, TypeError):
        return False
    return served is not None and (served == day_end or served.astimezone(ZoneInfo(time_zone)).date() == day)


def balance_records(balance: Mapping[str, Any], *, seller_id: str, as_of_date: date) -> list[Record]:
    """A listBalances Balance for the ending balance of local day `as_of_date` -> one row per balance.

    The nested `balances` children (TOTAL -> AVAILABLE, RESERVED -> DEFERRED,
    ACCOUNT_LEVEL_RESERVE) are flattened with `parent_balance_type`; only the top
    level carries `partnerMetadata`, so children inherit it. `as_of_at` is the
    instant the local day ends (00:00 of the next day in the marketplace's zone).
    A balance that breaks a rule raises RecordError and none of its rows is kept:
    its children must add up to it.
    """
    meta = balance.get("partnerMetadata") or {}
    marketplace_id, account_type = meta.get("marketplaceId"), meta.get("accountType")
    key = f"{marketplace_id}/{account_type}/{balance.get('balanceType')}/{as_of_date.isoformat()}"
    market = marketplaces.BY_ID.get(str(marketplace_id))
    if market is None:
        raise RecordError("balances", key, "known_marketplace", f"marketplaceId {marketplace_id!r} is not known")
    if not account_type:
        raise RecordError("balances", key, "account_type_present", "partnerMetadata has no accountType")
    as_of_at = marketplaces.local_day_end(as_of_date, market.time_zone)
    served_day = balance.get("asOfDate")
    if served_day is not None and not _is_day(served_day, as_of_date, as_of_at, market.time_zone):
        raise RecordError("balances", key, "as_of_date_as_requested", f"asOfDate {served_day!r} was not asked for")
    last_updated_at = _checked_ts("balances", key, "lastUpdatedTime", balance.get("lastUpdatedTime"))
    rows: list[Record] = []

    def walk(node: Mapping[str, Any], parent: str | None) -> None:
        balance_type = node.get("balanceType")
        if balance_type not in BALANCE_TYPES:
            raise RecordError("balances", key, "known_balance_type", f"balanceType {balance_type!r}")
        amount, currency = _checked_money("balances", key, node.get("amount"), required=True)
        rows.append(
            {
                "seller_id": seller_id,
                "marketplace_id": market.marketplace_id,
                "account_type": account_type,
                "balance_type": balance_type,
                "parent_balance_type": parent,
                "amount": amount,
                "currency_code": currency,
                "as_of_date": as_of_date.isoformat(),
                "as_of_at": as_of_at,
                "last_updated_at": last_updated_at,
            }
        )
        for child in node.get("balances") or ():
            walk(child, balance_type)

    walk(balance, None)
    return rows


def payout_records(payout: Mapping[str, Any], seller_id: str) -> tuple[Record, list[Record]]:
    """A listPayouts Payout -> one payout row + its status history (sequence 0 = first).

    A `NO_PAYOUT` payout has no amount and no type, and is kept as it is: the
    negative balance it stands for carries into the next period. Any other
    payout without an amount breaks `amount_present`.
    """
    payout_id = _str(payout.get("id"))
    meta = payout.get("partnerMetadata") or {}
    if not payout_id:
        key = f"{meta.get('marketplaceId')}/{payout.get('creationDate')}/{stable_id(canonical_json(payout))[:12]}"
        raise RecordError("payouts", key, "payout_id_present", "the payout has no id")
    status = payout.get("currentStatus")
    if status not in PAYOUT_STATUSES:
        raise RecordError("payouts", payout_id, "known_payout_status", f"currentStatus {status!r}")
    amount, currency = _checked_money("payouts", payout_id, payout.get("amount"), required=status != NO_PAYOUT)
    created_at = _checked_ts("payouts", payout_id, "creationDate", payout.get("creationDate"), required=True)
    period = payout.get("period") or {}
    history: list[Record] = []
    for sequence, entry in enumerate(payout.get("statusHistory") or ()):
        entry_status = entry.get("status")
        if entry_status not in PAYOUT_STATUSES:
            raise RecordError("payouts", payout_id, "known_payout_status", f"statusHistory[{sequence}] {entry_status!r}")
        history.append(
            {
                "payout_id": payout_id,
                "sequence": sequence,
                "status": entry_status,
                "status_at": _checked_ts(
                    "payouts", payout_id, "lastUpdatedDate", entry.get("lastUpdatedDate"), required=True
                ),
                "failure_reason": _str(entry.get("failureReason")),
                "seller_id": seller_id,
                "marketplace_id": meta.get("marketplaceId"),
                "created_at": created_at,
            }
        )
    record = {
        "payout_id": payout_id,
        "seller_id": seller_id,
        "marketplace_id": meta.get("marketplaceId"),
        "account_type": meta.get("accountType"),
        "payout_type": payout.get("type"),
        "current_status": status,
        "amount": amount,
        "currency_code": currency,
        "account_tail": _str(payout.get("accountTail")),
        "payment_method": payout.get("paymentMethod"),
        "payment_rail": payout.get("paymentRail"),
        "trace_id": _str(payout.get("traceId")),
        "settlement_id": _related(payout.get("relatedIdentifiers")).get("SETTLEMENT_ID"),
        "period_start_at": _checked_ts("payouts", payout_id, "period.startDate", period.get("startDate")),
        "period_end_at": _checked_ts("payouts", payout_id, "period.endDate", period.get("endDate")),
        "created_at": created_at,
        "last_status_at": max((h["status_at"] for h in history), default=None),
    }
    return record, history


def expected_payout_record(item: Mapping[str, Any], *, seller_id: str, snapshot_at: datetime) -> Record:
    """A listExpectedPayouts ExpectedPayout, as Amazon expected it at `snapshot_at` (its Date header)."""
    meta = item.get("partnerMetadata") or {}
    period = item.get("period") or {}
    status = item.get("status")
    key = f"{meta.get('marketplaceId')}/{meta.get('accountType')}/{period.get('startDate')}"
    if status not in EXPECTED_PAYOUT_STATUSES:
        raise RecordError("expected_payouts", key, "known_expected_payout_status", f"status {status!r}")
    if not meta.get("marketplaceId") or not meta.get("accountType"):
        raise RecordError("expected_payouts", key, "partner_metadata_present", "no marketplaceId or accountType")
    amount, currency = _checked_money(
        "expected_payouts", key, item.get("amount"), required=status not in NO_AMOUNT_EXPECTED
    )
    snapshot_at = snapshot_at.astimezone(UTC)
    return {
        "seller_id": seller_id,
        "marketplace_id": meta.get("marketplaceId"),
        "account_type": meta.get("accountType"),
        "snapshot_at": snapshot_at,
        "snapshot_date": snapshot_at.date().isoformat(),
        "status": status,
        "amount": amount,
        "currency_code": currency,
        "scheduled_at": _checked_ts("expected_payouts", key, "scheduledDate", item.get("scheduledDate")),
        "period_start_at": _checked_ts(
            "expected_payouts", key, "period.startDate", period.get("startDate"), required=True
        ),
        "period_end_at": _checked_ts("expected_payouts", key, "period.endDate", period.get("endDate")),
        "settlement_id": _related(item.get("relatedIdentifiers")).get("SETTLEMENT_ID"),
        "account_tail": _str(item.get("accountTail")),
        "payment_method": item.get("paymentMethod"),
    }
