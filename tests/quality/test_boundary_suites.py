"""Each boundary suite passes a conforming batch and names the rule a bad record breaks."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from acorn.lake.schemas import TRANSACTIONS
from acorn.quality.suites import BatchContext
from acorn.quality.validate import validate_batch

pytestmark = pytest.mark.unit

CTX = BatchContext(TRANSACTIONS, "A1PA6795UKMFR9", datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 9, 8, tzinfo=UTC))


def _txn(txn_id, **overrides):
    rec = {
        "transaction_id": txn_id,
        "seller_id": "A1S",
        "marketplace_id": "A1PA6795UKMFR9",
        "transaction_type": "Shipment",
        "total_amount": Decimal("12.34"),
        "currency_code": "EUR",
        "posted_at": datetime(2026, 9, 2, 10, tzinfo=UTC),
    }
    rec.update(overrides)
    return rec


def key(r):
    return str(r.get("transaction_id"))


def test_conforming_batch_passes():
    outcome = validate_batch([_txn("T1"), _txn("T2")], CTX, key)
    assert outcome.success and len(outcome.good) == 2 and outcome.result["success"]


@pytest.mark.parametrize(
    ("bad", "rule"),
    [
        (_txn("T9", currency_code="USD"), "currency_valid_for_marketplace"),
        (_txn("T9", total_amount="12,34x"), "total_amount_is_decimal"),
        (_txn(None), "transaction_id_not_null"),
        (_txn("T9", posted_at=datetime(2026, 9, 8, tzinfo=UTC)), "timestamp_within_window"),
    ],
    ids=["bad-currency", "non-numeric-amount", "missing-key", "outside-window"],
)
def test_bad_record_is_rejected_with_its_rule_and_the_good_ones_kept(bad, rule):
    outcome = validate_batch([_txn("T1"), bad, _txn("T2")], CTX, key)
    assert [r["transaction_id"] for r in outcome.good] == ["T1", "T2"]
    assert len(outcome.rejected) == 1
    assert rule in outcome.rejected[0]["rule"]


def test_duplicate_keys_are_rejected():
    outcome = validate_batch([_txn("T1"), _txn("T1", total_amount=Decimal("1.00"))], CTX, key)
    assert len(outcome.rejected) == 2 and all("key_unique" in r["rule"] for r in outcome.rejected)
