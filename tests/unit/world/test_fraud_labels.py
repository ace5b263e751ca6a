"""`ground_truth.fraud_labels`: one label per (seller, marketplace, order) of the fraud rows."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from acorn_sim.world.ground_truth import FraudLabel, fraud_labels, make_row

pytestmark = pytest.mark.unit

WHEN = datetime(2026, 9, 1, tzinfo=UTC)
US, DE = "ATVPDKIKX0DER", "A1PA6795UKMFR9"


def _row(kind: str, keys: dict, marketplace: str = US, seller: str = "S1"):
    amount = Decimal("10.00") if kind in {"wardrobing", "empty_box_or_wrong_item", "over_refund"} else None
    return make_row(kind, seller, marketplace, "USD", keys, amount, "", WHEN)


def test_each_fraud_kind_maps_to_its_orders():
    rows = [
        _row("wardrobing", {"order_id": "o1", "refund_id": "r1", "sku": "A", "license_plate_number": "L1"}),
        _row("empty_box_or_wrong_item", {"order_id": "o2", "refund_id": "r2", "sku": "A",
                                         "license_plate_number": "L2"}),  # fmt: skip
        _row("serial_returner", {"buyer_email": "x@m", "order_ids": ["o3", "o4", "o5", "o6"]}),
        _row("buyer_ring", {"address_line1": "1 Main", "postal_code": "1", "city": "C",
                            "buyer_emails": ["a@m", "b@m", "c@m"], "order_ids": ["o7", "o8", "o9", "o10"]}, DE),  # fmt: skip
    ]
    labels = fraud_labels(rows)
    assert labels[0] == FraudLabel("S1", US, "o1", "wardrobing")
    assert [(lb.order_id, lb.kind) for lb in labels] == [
        ("o1", "wardrobing"), ("o2", "empty_box_or_wrong_item"), ("o3", "serial_returner"),
        ("o4", "serial_returner"), ("o5", "serial_returner"), ("o6", "serial_returner"),
        ("o7", "buyer_ring"), ("o8", "buyer_ring"), ("o9", "buyer_ring"), ("o10", "buyer_ring"),
    ]  # fmt: skip
    assert {lb.marketplace_id for lb in labels if lb.kind == "buyer_ring"} == {DE}


def test_other_layers_are_ignored_and_an_order_is_labelled_once():
    rows = [
        _row("over_refund", {"order_id": "o1", "refund_id": "r", "transaction_id": "t", "order_item_id": "i"}),
        _row("serial_returner", {"buyer_email": "x@m", "order_ids": ["o2", "o3", "o4", "o5"]}),
        _row("wardrobing", {"order_id": "o2", "refund_id": "r2", "sku": "A", "license_plate_number": "L"}),
        # the same order id in another marketplace or for another seller is another order
        _row("wardrobing", {"order_id": "o2", "refund_id": "r3", "sku": "A", "license_plate_number": "L"}, DE),
        _row("wardrobing", {"order_id": "o2", "refund_id": "r4", "sku": "A", "license_plate_number": "L"},
             seller="S2"),
    ]
    labels = fraud_labels(rows)
    assert [(lb.seller_id, lb.marketplace_id, lb.order_id, lb.kind) for lb in labels] == [
        ("S1", US, "o2", "serial_returner"), ("S1", US, "o3", "serial_returner"),
        ("S1", US, "o4", "serial_returner"), ("S1", US, "o5", "serial_returner"),
        ("S1", DE, "o2", "wardrobing"), ("S2", US, "o2", "wardrobing"),
    ]  # fmt: skip
    assert fraud_labels([]) == []
