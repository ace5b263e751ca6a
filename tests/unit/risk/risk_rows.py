"""Hand-made feature rows with the contract's columns (RISK_CONTRACT.md part A), hashes only.

A helper module, not a conftest: the tests import it by name (`from risk_rows import ...`)."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime, timedelta
from typing import Any

AS_OF = datetime(2026, 11, 30, tzinfo=UTC)


def fake_hash(text: str) -> str:
    return hashlib.sha256(f"test-key:{text}".encode()).hexdigest()


def legit_row(**overrides: Any) -> dict[str, Any]:
    """An ordinary refunded FBA return of a one-time buyer: no rule fires on it."""
    event_at = overrides.pop("event_at", AS_OF - timedelta(days=20))
    order_id = overrides.pop("order_id", "111-0000000-0000001")
    sku = overrides.pop("sku", "SKU-1")
    row: dict[str, Any] = {
        "return_id": f"SELLER1:{order_id}:{sku}", "seller_id": "SELLER1", "marketplace_id": "ATVPDKIKX0DER",
        "marketplace_code": "US", "order_id": order_id, "sku": sku, "fulfillment_channel": "AFN",
        "product_category": "apparel", "buyer_key": fake_hash(f"buyer:{order_id}"), "buyer_key_kind": "buyer_email",
        "address_key": fake_hash(f"address:{order_id}"), "area_key": fake_hash(f"area:{order_id}"),
        "purchased_at": event_at - timedelta(days=12), "delivered_at": event_at - timedelta(days=8),
        "event_at": event_at, "event_local_date": event_at.date(), "currency_code": "USD",
        "refund_amount": 25.0, "item_value_amount": 25.0, "return_reason": "UNWANTED_ITEM",
        "return_disposition": "SELLABLE", "return_status": "Unit returned to inventory",
        "has_refund": True, "has_physical_return": True, "is_returnless_eligible": False,
        "is_refund_without_return": False, "is_returnless_refund": False, "is_late_in_window": False,
        "is_used_condition": False, "is_reason_disposition_contradiction": False,
        "is_empty_or_wrong_item": False, "is_business_order": False, "is_prime": True,
        "days_delivery_to_return": 8.0, "days_before_window_end": 22.0,
        "buyer_returns_30d": 1, "buyer_returns_90d": 1, "buyer_returns_365d": 1, "buyer_orders_365d": 2,
        "buyer_return_rate": 0.5, "sku_return_rate": 0.12, "marketplace_return_rate": 0.1,
        "buyer_return_rate_vs_sku": 0.5 / 0.12, "buyer_contradictions_365d": 0,
        "buyer_refunds_without_return_365d": 0, "buyer_returnless_refunds_365d": 0,
        "buyer_used_late_returns_365d": 0, "buyer_refund_value_share": 0.5, "address_buyer_keys": 1,
        "address_returns_365d": 1, "address_buyers_with_returns": 1, "area_return_rate_vs_marketplace": 1.0,
    }  # fmt: skip
    row.update(overrides)
    return row


def population(n: int = 400, seed: int = 3, fraud_share: float = 0.1) -> list[dict[str, Any]]:
    """n returns: mostly legit, some with return-level fraud evidence and buyer histories to match."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        order_id = f"111-{seed:03d}{i:04d}-{i:07d}"
        days_ago = rng.uniform(1, 110)
        row = legit_row(order_id=order_id, event_at=AS_OF - timedelta(days=days_ago),
                        buyer_orders_365d=rng.randint(1, 4), refund_amount=round(rng.uniform(5, 90), 2))  # fmt: skip
        row["item_value_amount"] = row["refund_amount"]
        if rng.random() < fraud_share:
            history = rng.randint(2, 6)
            row.update(buyer_returns_90d=history, buyer_returns_365d=history, buyer_returns_30d=min(history, 2),
                       buyer_orders_365d=history + rng.randint(0, 1), buyer_return_rate=0.8,
                       buyer_refund_value_share=0.9)  # fmt: skip
            kind = rng.choice(("empty", "wardrobing", "contradiction+rwr"))
            if kind == "empty":
                row.update(is_empty_or_wrong_item=True, is_used_condition=True, return_status="Empty box received",
                           return_disposition="CUSTOMER_DAMAGED")  # fmt: skip
            elif kind == "wardrobing":
                row.update(is_late_in_window=True, is_used_condition=True, days_before_window_end=1.0,
                           return_disposition="CUSTOMER_DAMAGED", buyer_used_late_returns_365d=1)  # fmt: skip
            else:
                row.update(is_reason_disposition_contradiction=True, is_refund_without_return=True,
                           buyer_contradictions_365d=1, buyer_refunds_without_return_365d=1)  # fmt: skip
        rows.append(row)
    return rows


def frame(rows: list[dict[str, Any]]):
    import pandas as pd

    out = pd.DataFrame(rows)
    out["event_at"] = pd.to_datetime(out["event_at"], utc=True)
    return out
