"""Issue #2 acceptance: the production client against the local sandbox, over real HTTP."""

from __future__ import annotations

import gzip
import logging
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from acorn import marketplaces
from acorn.spapi import ReportFatalError, RetriesExhaustedError, parse_report
from acorn_sim.sandbox import SandboxConfig, sandbox_connections, start_sandbox

pytestmark = pytest.mark.integration

US = marketplaces.get("US").marketplace_id
START = datetime(2026, 8, 1, tzinfo=UTC)
END = datetime(2026, 8, 31, tzinfo=UTC)


def world_transaction_ids(world, marketplace_id=US):
    seller = world.sellers()[0].selling_partner_id
    return sorted(
        t["transactionId"]
        for t in world.transactions(seller, marketplace_id=marketplace_id, posted_after=START, posted_before=END)
    )


def stats(sandbox, operation):
    return sandbox.stats()["operations"].get(operation, {})


def test_throttled_bursts_are_absorbed_without_a_failed_call(sandbox, make_client, small_world):
    client = make_client()
    sandbox.set_faults(throttle_burst={"count": 3, "operation": "listTransactions"})
    ids = [t["transactionId"] for t in client.list_transactions(START, END, marketplace_id=US)]
    assert sorted(ids) == world_transaction_ids(small_world)
    assert stats(sandbox, "listTransactions")["throttled"] == 3

    # A burst of twice the bucket size: the client paces itself, so nothing is refused.
    order_ids = [o["AmazonOrderId"] for o in client.get_orders([US], created_after=START, created_before=END)][:60]
    assert len(order_ids) == 60
    for order_id in order_ids:
        assert client.get_order_items(order_id)
    assert stats(sandbox, "getOrderItems")["throttled"] == 0


def test_five_consecutive_server_errors_fail_after_five_attempts(sandbox, make_client):
    client = make_client()
    sandbox.set_faults(server_errors={"count": 5, "status": 503, "operation": "listFinancialEventGroups"})
    with pytest.raises(RetriesExhaustedError) as caught:
        list(client.list_financial_event_groups(START, END))
    err = caught.value
    assert err.attempts == 5 and err.status == 503 and err.operation == "listFinancialEventGroups"
    assert err.code == "InternalFailure" and err.request_id
    text = str(err)
    for needle in ("listFinancialEventGroups", "status=503", "code=InternalFailure", "request_id=", "5 attempts"):
        assert needle in text
    assert stats(sandbox, "listFinancialEventGroups")["injected_errors"] == 5


@pytest.fixture
def paged_sandbox(small_world):
    with start_sandbox(small_world, SandboxConfig(time_scale=200.0, transactions_page_size=20)) as handle:
        yield handle


@pytest.fixture
def paged_client(paged_sandbox, small_world, make_client, connections):
    # Same credentials, pointed at the small-page sandbox.
    import json

    fresh = {k.removeprefix("AIRFLOW_CONN_").lower(): json.loads(v) for k, v in sandbox_connections(paged_sandbox, small_world).items()}
    connections.update(fresh)
    return make_client()


def test_access_token_expiring_mid_pagination_is_refreshed_and_every_record_arrives_once(
    paged_sandbox, paged_client, small_world
):
    list(paged_client.list_financial_event_groups(START, START + timedelta(days=1)))  # logs in
    paged_sandbox.set_faults(expire_access_tokens={"after_calls": 4})  # that token dies on page 5
    ids = [t["transactionId"] for t in paged_client.list_transactions(START, END, marketplace_id=US)]
    assert len(ids) == len(set(ids)), "a record arrived twice"
    assert sorted(ids) == world_transaction_ids(small_world)
    served = stats(paged_sandbox, "listTransactions")
    assert served["status_counts"].get("403", served["status_counts"].get(403, 0)) >= 1
    assert stats(paged_sandbox, "lwaToken")["served"] >= 2


def test_expired_page_token_restarts_the_slice_and_every_record_arrives_once(paged_sandbox, paged_client, small_world):
    paged_sandbox.set_faults(expire_page_tokens={"count": 2, "operation": "listTransactions"})
    ids = [t["transactionId"] for t in paged_client.list_transactions(START, END, marketplace_id=US)]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == world_transaction_ids(small_world)


def test_fatal_report_raises_with_amazons_reason(sandbox, make_client):
    client = make_client()
    sandbox.set_faults(fatal_report_types=["GET_FBA_REIMBURSEMENTS_DATA"])
    with pytest.raises(ReportFatalError) as caught:
        client.fetch_report("GET_FBA_REIMBURSEMENTS_DATA", [US], START, END)
    assert caught.value.fatal_reason
    assert "GET_FBA_REIMBURSEMENTS_DATA" in str(caught.value) or caught.value.report_id


def test_cancelled_report_means_no_data(sandbox, make_client):
    client = make_client()
    before_world = (START - timedelta(days=60), START - timedelta(days=50))
    result = client.fetch_report("GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA", [US], *before_world)
    assert result.status == "CANCELLED" and result.content is None


def test_gzip_v2_settlement_with_eu_number_format_parses_to_exact_decimals(sandbox, make_client, small_world):
    client = make_client("spapi_eu")
    reports = list(client.list_settlement_reports(START - timedelta(days=30), small_world.as_of))
    de = marketplaces.get("DE").marketplace_id
    eu_reports = [r for r in reports if de in r.get("marketplaceIds", [])]
    assert eu_reports, "the world has DE settlements"
    report = eu_reports[0]
    doc = client.get_report_document(report["reportDocumentId"])
    assert doc.get("compressionAlgorithm") == "GZIP"
    content, encoding = client.download_report(report["reportDocumentId"])
    text = content.decode(encoding)
    assert re.search(r"\t-?\d+,\d\d(\t|$)", text, re.M), "EU amounts use a decimal comma"
    parsed = parse_report("GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2", content, encoding=encoding, marketplace_id=de)
    assert not parsed.errors
    total = parsed.summary["total-amount"]
    lines = [r["amount"] for r in parsed.rows]
    assert isinstance(total, Decimal) and all(isinstance(a, Decimal) for a in lines)
    assert sum(lines, Decimal(0)) == total
    # And the world's own bytes agree: what we parsed is what Amazon would have stored.
    seller = small_world.sellers()[0].selling_partner_id
    stored = {r.report_id: r for r in small_world.settlement_reports(seller)}
    assert gzip.decompress(gzip.compress(stored[report["reportId"]].content)) == content


def test_no_secret_reaches_logs_or_the_audit_trail(sandbox, make_client, connections, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    client = make_client()
    list(client.list_financial_event_groups(START, START + timedelta(days=1)))  # logs in
    sandbox.set_faults(expire_access_tokens={"after_calls": 2}, server_errors={"count": 1, "operation": "listTransactions"})
    list(client.list_transactions(START, START + timedelta(days=5), marketplace_id=US))
    client.fetch_report("GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA", [US], START, END)
    conn = connections["spapi_na"]
    secrets = [conn["password"], conn["extra"]["refresh_token"], conn["login"]]
    written = (tmp_path / "audit.jsonl").read_text() + caplog.text
    assert (tmp_path / "audit.jsonl").stat().st_size > 0
    for secret in secrets:
        assert secret not in written
    leaks = [line for line in written.splitlines() if "Atza|" in line or "X-Amz-Signature" in line]
    assert not leaks, leaks
