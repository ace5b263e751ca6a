"""Balances, payouts and expected payouts -> lake records; bad input names the record and the rule."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from acorn.transform import normalize
from acorn.transform.normalize import RecordError
from tests.unit.spapi.test_spapi_cashflow import SANDBOX_BALANCES, SANDBOX_EXPECTED, SANDBOX_PAYOUTS

pytestmark = pytest.mark.unit

DE, JP = "A1PA6795UKMFR9", "A1VC38T7YXB528"
SNAPSHOT = datetime(2026, 12, 2, 3, 0, 5, tzinfo=UTC)


def _balance(marketplace_id: str = DE) -> dict:
    b = copy.deepcopy(SANDBOX_BALANCES["balances"][0])
    b["partnerMetadata"]["marketplaceId"] = marketplace_id  # the sandbox's AXXXXXXXXXER is a placeholder
    return b


def test_a_balance_tree_is_flattened_with_its_parent_and_the_local_day_end():
    rows = normalize.balance_records(_balance(), seller_id="A1S", as_of_date=date(2025, 1, 12))
    assert [(r["balance_type"], r["parent_balance_type"], r["amount"]) for r in rows] == [
        ("TOTAL", None, Decimal(15000)),
        ("AVAILABLE", "TOTAL", Decimal(8000)),
        ("RESERVED", "TOTAL", Decimal(7000)),
        ("DEFERRED", "RESERVED", Decimal(9000)),
        ("ACCOUNT_LEVEL_RESERVE", "RESERVED", Decimal(-2000)),
    ]
    assert {(r["marketplace_id"], r["account_type"], r["currency_code"], r["as_of_date"]) for r in rows} == {
        (DE, "Standard Orders", "USD", "2025-01-12")
    }
    # 00:00 of 13 January in Berlin (CET, UTC+1) is 23:00 UTC on the 12th.
    assert {r["as_of_at"] for r in rows} == {datetime(2025, 1, 12, 23, 0, tzinfo=UTC)}
    assert all(r["last_updated_at"] is None for r in rows)  # ending balances carry no lastUpdatedTime


def test_tokyo_s_day_ends_nine_hours_before_utc_midnight():
    (top, *_) = normalize.balance_records(_balance(JP), seller_id="A1S", as_of_date=date(2025, 1, 12))
    assert top["as_of_at"] == datetime(2025, 1, 12, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "served",
    ["2025-01-12", "2025-01-12T00:00:00-08:00", "2025-01-13T08:00:00Z", "2025-01-12T12:00:00-08:00"],
)
def test_a_served_as_of_date_may_be_a_date_or_a_date_time_of_the_day(served):
    """The model types asOfDate date-time, its example sends a date; Los Angeles' day ends at 08:00Z next day."""
    b = _balance("ATVPDKIKX0DER")
    b["asOfDate"] = served
    (top, *_) = normalize.balance_records(b, seller_id="A1S", as_of_date=date(2025, 1, 12))
    assert top["as_of_at"] == datetime(2025, 1, 13, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("mutate", "rule"),
    [
        (lambda b: b["partnerMetadata"].update(marketplaceId="AXXXXXXXXXER"), "known_marketplace"),
        (lambda b: b["partnerMetadata"].pop("accountType"), "account_type_present"),
        (lambda b: b.update(asOfDate="2025-01-11"), "as_of_date_as_requested"),
        (lambda b: b.update(asOfDate="2025-01-13T23:00:00Z"), "as_of_date_as_requested"),
        (lambda b: b["balances"][1].update(balanceType="PENDING"), "known_balance_type"),
        (lambda b: b["balances"][1]["balances"][0]["amount"].update(currencyAmount="9,000"), "money_exact"),
        (lambda b: b["balances"][0]["amount"].pop("currencyCode"), "money_with_currency"),
        (lambda b: b["balances"][0].pop("amount"), "amount_present"),
    ],
)
def test_a_bad_balance_names_itself_and_the_rule(mutate, rule):
    b = _balance()
    mutate(b)
    with pytest.raises(RecordError) as info:
        normalize.balance_records(b, seller_id="A1S", as_of_date=date(2025, 1, 12))
    assert info.value.rule == rule
    assert "2025-01-12" in info.value.record_key and rule in str(info.value)


def test_a_payout_and_its_status_history():
    payout, history = normalize.payout_records(SANDBOX_PAYOUTS["payouts"][0], "A1S")
    assert payout == {
        "payout_id": "11888387941",
        "seller_id": "A1S",
        "marketplace_id": "ATVPDKIKX0DER",
        "account_type": "STANDARD_ORDERS",
        "payout_type": "SCHEDULED",
        "current_status": "PAID",
        "amount": Decimal("1250.75"),
        "currency_code": "USD",
        "account_tail": "1234",
        "payment_method": "BANK_ACCOUNT",
        "payment_rail": "ACH",
        "trace_id": "4B03616UONXSAWP",
        "settlement_id": "11888387941",
        "period_start_at": datetime(2025, 12, 13, 6, 26, 45, tzinfo=UTC),
        "period_end_at": datetime(2025, 12, 14, 6, 30, 45, tzinfo=UTC),
        "created_at": datetime(2024, 6, 1, tzinfo=UTC),
        "last_status_at": datetime(2024, 6, 2, 12, tzinfo=UTC),
    }
    assert [(h["sequence"], h["status"], h["status_at"].hour) for h in history] == [
        (0, "STARTED", 0), (1, "IN_TRANSIT", 6), (2, "PAID", 12),
    ]  # fmt: skip
    assert {h["created_at"] for h in history} == {payout["created_at"]}


def test_a_no_payout_payout_is_kept_without_amount_or_type():
    p = copy.deepcopy(SANDBOX_PAYOUTS["payouts"][0])
    for k in ("amount", "type", "traceId", "paymentRail"):
        p.pop(k)
    p["currentStatus"] = "NO_PAYOUT"
    p["statusHistory"] = [{"status": "NO_PAYOUT", "lastUpdatedDate": "2024-06-01T00:00:00Z"}]
    payout, history = normalize.payout_records(p, "A1S")
    assert (payout["amount"], payout["currency_code"], payout["payout_type"]) == (None, None, None)
    assert [h["status"] for h in history] == ["NO_PAYOUT"]


def test_a_failed_payout_keeps_its_failure_reason():
    p = copy.deepcopy(SANDBOX_PAYOUTS["payouts"][0])
    p["currentStatus"] = "FAILED"
    p["statusHistory"][2] = {
        "status": "FAILED",
        "lastUpdatedDate": "2024-06-03T00:00:00Z",
        "failureReason": "Insufficient funds",
    }
    _payout, history = normalize.payout_records(p, "A1S")
    assert history[-1]["failure_reason"] == "Insufficient funds"


@pytest.mark.parametrize(
    ("mutate", "rule"),
    [
        (lambda p: p.pop("amount"), "amount_present"),  # a PAID payout must say how much
        (lambda p: p.update(currentStatus="LOST"), "known_payout_status"),
        (lambda p: p["amount"].update(currencyAmount="lots"), "money_exact"),
        (lambda p: p.pop("creationDate"), "creationDate_present"),
        (lambda p: p["statusHistory"][1].update(lastUpdatedDate="2024-06-01 06:00"), "timestamp_utc"),
        (lambda p: p["statusHistory"][1].pop("lastUpdatedDate"), "lastUpdatedDate_present"),
    ],
)
def test_a_bad_payout_names_itself_and_the_rule(mutate, rule):
    p = copy.deepcopy(SANDBOX_PAYOUTS["payouts"][0])
    mutate(p)
    with pytest.raises(RecordError) as info:
        normalize.payout_records(p, "A1S")
    assert (info.value.record_key, info.value.rule) == ("11888387941", rule)


def test_a_payout_without_id_is_named_by_its_content():
    p = copy.deepcopy(SANDBOX_PAYOUTS["payouts"][0])
    p.pop("id")
    with pytest.raises(RecordError) as info:
        normalize.payout_records(p, "A1S")
    assert info.value.rule == "payout_id_present" and "ATVPDKIKX0DER" in info.value.record_key


def test_an_expected_payout_is_keyed_by_the_snapshot_day():
    record = normalize.expected_payout_record(
        SANDBOX_EXPECTED["expectedPayouts"][0], seller_id="A1S", snapshot_at=SNAPSHOT
    )
    assert record == {
        "seller_id": "A1S",
        "marketplace_id": "ATVPDKIKX0DER",
        "account_type": "STANDARD_ORDERS",
        "snapshot_at": SNAPSHOT,
        "snapshot_date": "2026-12-02",
        "status": "SCHEDULED",
        "amount": Decimal("2547.89"),
        "currency_code": "USD",
        "scheduled_at": datetime(2024, 3, 22, 14, tzinfo=UTC),
        "period_start_at": datetime(2024, 3, 8, 14, tzinfo=UTC),
        "period_end_at": datetime(2024, 3, 22, 14, tzinfo=UTC),
        "settlement_id": "SGI_20240308_001",
        "account_tail": "1234",
        "payment_method": "BANK_ACCOUNT",
    }


def test_no_payout_expected_may_come_without_an_amount_but_scheduled_may_not():
    item = copy.deepcopy(SANDBOX_EXPECTED["expectedPayouts"][0])
    item.pop("amount")
    with pytest.raises(RecordError) as info:
        normalize.expected_payout_record(item, seller_id="A1S", snapshot_at=SNAPSHOT)
    assert info.value.rule == "amount_present"
    item["status"] = "NO_PAYOUT_EXPECTED"
    assert normalize.expected_payout_record(item, seller_id="A1S", snapshot_at=SNAPSHOT)["amount"] is None


@pytest.mark.parametrize(
    ("mutate", "rule"),
    [
        (lambda e: e.update(status="PENDING"), "known_expected_payout_status"),
        (lambda e: e["partnerMetadata"].pop("marketplaceId"), "partner_metadata_present"),
        (lambda e: e.pop("period"), "period.startDate_present"),
        (lambda e: e["amount"].update(currencyAmount=True), "money_exact"),
    ],
)
def test_a_bad_expected_payout_names_the_rule(mutate, rule):
    item = copy.deepcopy(SANDBOX_EXPECTED["expectedPayouts"][0])
    mutate(item)
    with pytest.raises(RecordError) as info:
        normalize.expected_payout_record(item, seller_id="A1S", snapshot_at=SNAPSHOT)
    assert info.value.rule == rule
