from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest

from acorn.spapi import AuditLog
from acorn.spapi.ratelimit import OPERATION_LIMITS, BucketRegistry, TokenBucket, parse_rate_header

pytestmark = pytest.mark.unit


def test_bucket_starts_full_then_paces(clock):
    bucket = TokenBucket(0.5, 3, clock=clock, safety=1.0)
    assert [bucket.reserve() for _ in range(3)] == [0, 0, 0]
    assert bucket.reserve() == pytest.approx(2.0)  # 1 token at 0.5/s
    assert bucket.reserve() == pytest.approx(4.0)
    clock.t += 100
    assert bucket.tokens == pytest.approx(3.0)  # refill never exceeds burst


def test_bucket_thread_safe_no_lost_reservations(clock):
    bucket = TokenBucket(1.0, 100, clock=clock, safety=1.0)
    waits: list[float] = []
    lock = threading.Lock()

    def worker():
        for _ in range(50):
            w = bucket.reserve()
            with lock:
                waits.append(w)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(round(w, 6) for w in waits) == [0.0] * 100 + [float(i) for i in range(1, 301)]


def test_header_adaptation_raises_and_lowers_with_margin(clock):
    bucket = TokenBucket(0.0167, 15, clock=clock)
    assert bucket.rate == pytest.approx(0.0167 * 0.97)
    bucket.set_server_rate(1.67)  # sandbox x100
    assert bucket.rate == pytest.approx(1.67 * 0.97)
    for _ in range(15):
        bucket.reserve()
    assert bucket.reserve() == pytest.approx(1 / (1.67 * 0.97))
    bucket.set_server_rate(0.5)
    assert bucket.rate == pytest.approx(0.485)
    assert (
        parse_rate_header("abc") is None
        and parse_rate_header("0") is None
        and parse_rate_header(" 2.5 ") == 2.5
    )


def test_registry_one_bucket_per_partner_and_operation(clock):
    reg = BucketRegistry()
    a = reg.get("S1", "getOrders", clock=clock)
    assert reg.get("S1", "getOrders") is a and reg.get("S2", "getOrders") is not a
    assert (a.documented_rate, a.burst) == (OPERATION_LIMITS["getOrders"].rate, 20)


def test_audit_lines_have_fields_and_no_secrets(server, make_client, audit, secrets, caplog):
    caplog.set_level(logging.DEBUG)
    server.route("POST", "/tokens/2021-03-01/restrictedDataToken")(
        lambda req: (200, {}, {"restrictedDataToken": "RDT-SECRET-1", "expiresIn": 3600})
    )
    server.route("GET", "/orders/v0/orders")(
        lambda req: (
            200,
            {"x-amzn-RateLimit-Limit": "1.67"},
            {
                "payload": {
                    "Orders": [{"AmazonOrderId": "o1", "BuyerInfo": {"BuyerEmail": "buyer@example.com"}}]
                }
            },
        )
    )
    server.route("POST", "/reports/2021-06-30/reports")(lambda req: (202, {}, {"reportId": "R1"}))
    server.route("GET", "/reports/2021-06-30/reports/R1")(
        lambda req: (200, {}, {"reportId": "R1", "processingStatus": "DONE", "reportDocumentId": "D1"})
    )
    server.route("GET", "/reports/2021-06-30/documents/D1")(
        lambda req: (
            200,
            {},
            {"reportDocumentId": "D1", "url": f"{server.url}/s3/d1?X-Amz-Signature=sig-SECRET"},
        )
    )
    server.route("GET", "/s3/d1")(lambda req: (200, {}, b"a\tb\n"))
    replies = iter([(503, {}, {"errors": [{"code": "ServiceUnavailable", "message": "later"}]})])
    server.route("GET", "/finances/2024-06-19/transactions")(
        lambda req: next(replies, None) or (200, {}, {"payload": {"transactions": []}})
    )

    client = make_client()
    t0 = datetime(2025, 6, 1, tzinfo=UTC)
    list(client.get_orders(["US"], created_after=t0, buyer_info=True))
    client.fetch_report("GET_FBA_REIMBURSEMENTS_DATA", ["US"], t0, t0 + timedelta(days=1))
    list(client.list_transactions(t0, t0 + timedelta(days=1), marketplace_id="US"))

    text = audit.path.read_text()
    rows = audit.read()
    ops = [r["operation"] for r in rows]
    assert ops[:3] == ["lwaToken", "createRestrictedDataToken", "getOrders"]
    assert "downloadReportDocument" in ops
    tx = [r for r in rows if r["operation"] == "listTransactions"]
    assert [(r["attempt"], r["status"]) for r in tx] == [(1, 503), (2, 200)]
    orders = next(r for r in rows if r["operation"] == "getOrders")
    assert orders["rate_limit"] == "1.67" and orders["marketplace"] == "ATVPDKIKX0DER"
    assert len(orders["sha256"]) == 64 and orders["request_id"].startswith("req-")
    assert orders["duration_ms"] >= 0 and datetime.fromisoformat(orders["timestamp"]).tzinfo is not None
    for secret in (*secrets, "buyer@example.com", "sig-SECRET", server.url):
        assert secret not in text, secret
    for secret in (*secrets, "buyer@example.com", "sig-SECRET"):
        assert secret not in caplog.text, secret


def test_audit_log_in_memory():
    log = AuditLog()
    log.record({"operation": "x", "status": 200, "token": "nope"})
    assert log.read() == [{**dict.fromkeys(log.read()[0]), "operation": "x", "status": 200}]
