from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from acorn.pii import hash_pii, scrub_order
from acorn.transform import normalize

pytestmark = pytest.mark.unit

KEY = b"test-key"


def test_transaction_record_keeps_exact_money_and_identifiers():
    txn = {
        "sellingPartnerMetadata": {"sellingPartnerId": "A1S", "accountType": "Standard Orders", "marketplaceId": "A1PA6795UKMFR9"},
        "relatedIdentifiers": [
            {"relatedIdentifierName": "ORDER_ID", "relatedIdentifierValue": "302-1234567-1234567"},
            {"relatedIdentifierName": "FINANCIAL_EVENT_GROUP_ID", "relatedIdentifierValue": "G1"},
        ],
        "transactionType": "Refund",
        "transactionId": "T1",
        "transactionStatus": "RELEASED",
        "postedDate": "2026-09-01T22:15:00Z",
        "totalAmount": {"currencyCode": "EUR", "currencyAmount": Decimal("-42.17")},
    }
    rec = normalize.transaction_record(txn, "fallback")
    assert rec["total_amount"] == Decimal("-42.17") and rec["currency_code"] == "EUR"
    assert rec["order_id"] == "302-1234567-1234567" and rec["financial_event_group_id"] == "G1"
    assert rec["posted_at"] == datetime(2026, 9, 1, 22, 15, tzinfo=UTC)
    assert rec["marketplace_id"] == "A1PA6795UKMFR9"


def test_transaction_record_reads_the_deferred_context():
    """A DEFERRED transaction's DeferredContext (2024-06-19 model) gives its deferral reason and
    release (maturity) date; a transaction without one, or with contexts null, gives nulls."""
    txn = {
        "transactionId": "T2",
        "transactionStatus": "DEFERRED",
        "postedDate": "2026-09-01T22:15:00Z",
        "totalAmount": {"currencyCode": "USD", "currencyAmount": Decimal("20.00")},
        "contexts": [{"contextType": "DeferredContext", "deferralReason": "DD7", "maturityDate": "2026-09-09T07:00:00Z"}],
    }
    rec = normalize.transaction_record(txn, "A1S")
    assert rec["deferral_reason"] == "DD7"
    assert rec["deferral_maturity_at"] == datetime(2026, 9, 9, 7, tzinfo=UTC)
    for contexts in (None, [{"contextType": "ProductContext", "sku": "X"}]):
        rec = normalize.transaction_record({**txn, "contexts": contexts}, "A1S")
        assert rec["deferral_reason"] is None and rec["deferral_maturity_at"] is None


def test_float_amounts_recover_the_literal_amazon_sent():
    assert normalize.to_decimal(0.1) == Decimal("0.1")
    assert normalize.to_decimal(19.99) == Decimal("19.99")


def test_naive_timestamps_are_rejected():
    with pytest.raises(ValueError, match="without time zone"):
        normalize.parse_ts("2026-09-01T10:00:00")


def test_settlement_summary_row_becomes_the_settlement():
    rows = [
        {"settlement-id": "111", "settlement-start-date": datetime(2026, 9, 1, tzinfo=UTC),
         "settlement-end-date": datetime(2026, 9, 15, tzinfo=UTC), "deposit-date": datetime(2026, 9, 17, tzinfo=UTC),
         "total-amount": Decimal("80.00"), "currency": "EUR"},
        {"settlement-id": "111", "transaction-type": "Order", "order-id": "302-1", "marketplace-name": "Amazon.de",
         "amount-type": "ItemPrice", "amount-description": "Principal", "amount": Decimal("100.00"),
         "posted-date-time": datetime(2026, 9, 2, tzinfo=UTC), "quantity-purchased": "1"},
        {"settlement-id": "111", "transaction-type": "Order", "order-id": "302-1", "marketplace-name": "Amazon.de",
         "amount-type": "ItemFees", "amount-description": "Commission", "amount": Decimal("-20.00"),
         "posted-date-time": datetime(2026, 9, 2, tzinfo=UTC)},
    ]  # fmt: skip
    settlement, lines = normalize.settlement_records(
        rows[0], rows[1:], seller_id="A1S", default_marketplace_id="X", report_id="R1", report_document_id="D1"
    )
    assert settlement["total_amount"] == sum(line["amount"] for line in lines)
    assert settlement["marketplace_id"] == "A1PA6795UKMFR9"
    assert [line["line_number"] for line in lines] == [1, 2]
    assert lines[0]["quantity_purchased"] == 1 and lines[0]["currency_code"] == "EUR"


def test_order_pii_is_replaced_by_keyed_hashes():
    order = {
        "AmazonOrderId": "111-1",
        "BuyerInfo": {"BuyerEmail": "Abc@marketplace.amazon.com", "BuyerName": "Jane Doe"},
        "ShippingAddress": {"AddressLine1": "1 Main St", "City": "Seattle", "PostalCode": "98101", "CountryCode": "US", "StateOrRegion": "WA"},
    }
    clean, hashes = scrub_order(order, KEY)
    text = repr(clean)
    assert "Jane" not in text and "Main St" not in text and "Abc@" not in text
    assert clean["ShippingRegion"] == {"CountryCode": "US", "StateOrRegion": "WA"}
    assert hashes["buyer_email_hash"] == hash_pii("abc@marketplace.amazon.com", KEY)
    assert hashes["buyer_email_hash"] != hash_pii("abc@marketplace.amazon.com", b"other-key")
