"""Pagination styles, exactly-once restarts, reports and downloads."""

from __future__ import annotations

import gzip
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from acorn.spapi import ReportFatalError, SpApiError

pytestmark = pytest.mark.unit

T0 = datetime(2025, 6, 1, tzinfo=UTC)
TX = "/finances/2024-06-19/transactions"
EVENTS = "/finances/v0/financialEvents"
GROUPS = "/finances/v0/financialEventGroups"
ORDERS = "/orders/v0/orders"
REPORTS = "/reports/2021-06-30/reports"
EXPIRED = {
    "errors": [{"code": "InvalidInput", "message": "Token is not valid, token duration is 25 minutes."}]
}


def paged(items_key: str, token_key: str, pages: dict, *, wrap: bool = True):
    """pages: token (None for first) -> (items, next_token)."""

    def handler(req):
        items, nxt = pages[req.query.get(token_key)]
        body = {items_key: items}
        if nxt:
            body[token_key] = nxt
        return 200, {}, {"payload": body} if wrap else body

    return handler


def test_list_transactions_pages_with_same_args(server, make_client):
    server.route("GET", TX)(
        paged(
            "transactions",
            "nextToken",
            {None: ([{"transactionId": "t1"}], "tok2"), "tok2": ([{"transactionId": "t2"}], None)},
        )
    )
    got = list(
        make_client().list_transactions(
            T0, T0 + timedelta(days=2), marketplace_id="US", transaction_status="RELEASED"
        )
    )
    assert [t["transactionId"] for t in got] == ["t1", "t2"]
    first, second = server.calls(TX)
    assert first.query == {
        "postedAfter": "2025-06-01T00:00:00Z",
        "postedBefore": "2025-06-03T00:00:00Z",
        "marketplaceId": "ATVPDKIKX0DER",
        "transactionStatus": "RELEASED",
    }
    assert second.query == {**first.query, "nextToken": "tok2"}


def test_windows_are_sliced_below_180_days(server, make_client):
    server.route("GET", TX)(paged("transactions", "nextToken", {None: ([], None)}))
    list(make_client(slice_length=timedelta(days=30)).list_transactions(T0, T0 + timedelta(days=200)))
    windows = [(r.query["postedAfter"], r.query["postedBefore"]) for r in server.calls(TX)]
    assert (
        len(windows) == 7
        and windows[0][0] == "2025-06-01T00:00:00Z"
        and windows[-1][1] == "2025-12-18T00:00:00Z"
    )
    assert all(a[1] == b[0] for a, b in zip(windows, windows[1:], strict=False))  # contiguous, no gaps


def test_financial_events_v0_pairs_and_next_token(server, make_client):
    def handler(req):
        if "NextToken" not in req.query:
            return (
                200,
                {},
                {
                    "payload": {
                        "FinancialEvents": {
                            "RefundEventList": [{"AmazonOrderId": "1"}],
                            "ShipmentEventList": [],
                        },
                        "NextToken": "N2",
                    }
                },
            )
        return 200, {}, {"payload": {"FinancialEvents": {"AdjustmentEventList": [{"AdjustmentType": "X"}]}}}

    server.route("GET", EVENTS)(handler)
    got = list(make_client().list_financial_events(T0, T0 + timedelta(days=1)))
    assert got == [
        ("RefundEventList", {"AmazonOrderId": "1"}),
        ("AdjustmentEventList", {"AdjustmentType": "X"}),
    ]
    first, second = server.calls(EVENTS)
    assert first.query["MaxResultsPerPage"] == "100" and first.query["PostedAfter"] == "2025-06-01T00:00:00Z"
    assert second.query == {**first.query, "NextToken": "N2"}


def test_financial_events_shrink_page_on_10mb_error(server, make_client):
    def handler(req):
        if req.query["MaxResultsPerPage"] != "25":
            return (
                400,
                {},
                {
                    "errors": [
                        {"code": "InvalidInput", "message": "The response would exceed the 10 MB size limit."}
                    ]
                },
            )
        return 200, {}, {"payload": {"FinancialEvents": {"RefundEventList": [{"n": 1}]}}}

    server.route("GET", EVENTS)(handler)
    assert len(list(make_client().list_financial_events(T0, T0 + timedelta(days=1)))) == 1
    assert [r.query["MaxResultsPerPage"] for r in server.calls(EVENTS)] == ["100", "50", "25"]


def test_event_groups_v0(server, make_client):
    server.route("GET", GROUPS)(
        paged(
            "FinancialEventGroupList",
            "NextToken",
            {
                None: ([{"FinancialEventGroupId": "g1"}], "G2"),
                "G2": ([{"FinancialEventGroupId": "g2"}], None),
            },
        )
    )
    got = list(make_client().list_financial_event_groups(T0, T0 + timedelta(days=3)))
    assert [g["FinancialEventGroupId"] for g in got] == ["g1", "g2"]
    q = server.calls(GROUPS)[1].query
    assert (
        q["MaxResultsPerPage"] == "100" and q["NextToken"] == "G2" and "FinancialEventGroupStartedAfter" in q
    )


def test_get_orders_v0_pagination(server, make_client):
    server.route("GET", ORDERS)(
        paged(
            "Orders",
            "NextToken",
            {None: ([{"AmazonOrderId": "o1"}], "O2"), "O2": ([{"AmazonOrderId": "o2"}], None)},
        )
    )
    got = list(make_client().get_orders(["US", "CA"], last_updated_after=T0))
    assert [o["AmazonOrderId"] for o in got] == ["o1", "o2"]
    first, second = server.calls(ORDERS)
    assert first.query == {
        "MarketplaceIds": "ATVPDKIKX0DER,A2EUQ1WTGCTBG2",
        "LastUpdatedAfter": "2025-06-01T00:00:00Z",
    }
    assert second.query == {**first.query, "NextToken": "O2"}


def test_get_orders_with_buyer_info_uses_restricted_data_token(server, make_client):
    server.route("POST", "/tokens/2021-03-01/restrictedDataToken")(
        lambda req: (200, {}, {"restrictedDataToken": "RDT-SECRET-1", "expiresIn": 3600})
    )
    server.route("GET", ORDERS)(paged("Orders", "NextToken", {None: ([{"AmazonOrderId": "o1"}], None)}))
    client = make_client()
    list(client.get_orders(["US"], created_after=T0, created_before=T0 + timedelta(days=1), buyer_info=True))
    list(client.get_orders(["US"], created_after=T0, created_before=T0 + timedelta(days=1), buyer_info=True))
    rdt = server.calls("/tokens/2021-03-01/restrictedDataToken")
    assert len(rdt) == 1  # cached
    assert rdt[0].json() == {
        "restrictedResources": [
            {"method": "GET", "path": "/orders/v0/orders", "dataElements": ["buyerInfo", "shippingAddress"]}
        ]
    }
    assert rdt[0].headers["x-amz-access-token"].startswith("Atza|")
    assert all(r.headers["x-amz-access-token"] == "RDT-SECRET-1" for r in server.calls(ORDERS))


def test_get_order_items_paginated(server, make_client):
    path = "/orders/v0/orders/111-1234567-1234567/orderItems"
    server.route("GET", path)(
        paged(
            "OrderItems",
            "NextToken",
            {None: ([{"OrderItemId": "i1"}], "I2"), "I2": ([{"OrderItemId": "i2"}], None)},
        )
    )
    assert [i["OrderItemId"] for i in make_client().get_order_items("111-1234567-1234567")] == ["i1", "i2"]
    assert server.calls(path)[1].query == {"NextToken": "I2"}


def test_get_reports_sends_next_token_alone(server, make_client):
    server.route("GET", REPORTS)(
        paged(
            "reports",
            "nextToken",
            {None: ([{"reportId": "1"}], "P2"), "P2": ([{"reportId": "2"}], None)},
            wrap=False,
        )
    )
    got = list(
        make_client().get_reports(
            ["GET_FBA_REIMBURSEMENTS_DATA", "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"],
            processing_statuses=["DONE"],
            marketplace_ids=["US"],
            created_since=T0,
        )
    )
    assert [r["reportId"] for r in got] == ["1", "2"]
    first, second = server.calls(REPORTS)
    assert (
        first.query["reportTypes"] == "GET_FBA_REIMBURSEMENTS_DATA,GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"
    )
    assert (
        first.query["processingStatuses"] == "DONE" and first.query["createdSince"] == "2025-06-01T00:00:00Z"
    )
    assert second.query == {"nextToken": "P2"}


def test_expired_page_token_restarts_slice_exactly_once(server, make_client, caplog):
    state = {"expired_once": False}

    def handler(req):
        tok = req.query.get("nextToken")
        if tok is None:
            return (
                200,
                {},
                {
                    "payload": {
                        "transactions": [{"transactionId": "a"}, {"transactionId": "b"}],
                        "nextToken": "T2",
                    }
                },
            )
        if tok == "T2" and not state["expired_once"]:
            state["expired_once"] = True
            return 400, {}, EXPIRED
        if tok == "T2":
            return 200, {}, {"payload": {"transactions": [{"transactionId": "c"}], "nextToken": "T3"}}
        return 200, {}, {"payload": {"transactions": [{"transactionId": "d"}]}}

    server.route("GET", TX)(handler)
    caplog.set_level(logging.WARNING)
    got = [t["transactionId"] for t in make_client().list_transactions(T0, T0 + timedelta(days=1))]
    assert got == ["a", "b", "c", "d"]
    assert len(server.calls(TX)) == 5  # page1, expired, page1 again, page2, page3
    assert "restarting slice" in caplog.text


def test_nothing_from_a_failed_slice_is_yielded_before_it_completes(server, make_client):
    def handler(req):
        if req.query["postedAfter"].startswith("2025-06-01"):
            return 200, {}, {"payload": {"transactions": [{"transactionId": "day1"}]}}
        if "nextToken" not in req.query:
            return 200, {}, {"payload": {"transactions": [{"transactionId": "day2-p1"}], "nextToken": "X"}}
        return 200, {}, EXPIRED  # always expired: slice 2 gives up

    def handler_status(req):
        status, headers, body = handler(req)
        return (400 if body is EXPIRED else status), headers, body

    server.route("GET", TX)(handler_status)
    it = make_client(slice_length=timedelta(days=1), max_restarts=2).list_transactions(
        T0, T0 + timedelta(days=2)
    )
    assert next(it)["transactionId"] == "day1"
    with pytest.raises(SpApiError, match="page token expired 3 times"):
        next(it)


def _report_server(
    server, final_status, *, doc=None, document_bytes=b"", headers=None, expire_first_url=False
):
    server.route("POST", REPORTS)(lambda req: (202, {}, {"reportId": "R9"}))
    polls = iter(["IN_QUEUE", "IN_PROGRESS"])

    @server.route("GET", f"{REPORTS}/R9")
    def get_report(req):
        status = next(polls, final_status)
        body = {"reportId": "R9", "reportType": "GET_FBA_REIMBURSEMENTS_DATA", "processingStatus": status}
        if status in ("DONE", "FATAL") and doc is not None:
            body["reportDocumentId"] = "D9"
        return 200, {}, body

    urls = iter(range(1, 10))

    @server.route("GET", "/reports/2021-06-30/documents/D9")
    def get_doc(req):
        n = next(urls)
        body = {"reportDocumentId": "D9", "url": f"{server.url}/s3/doc?X-Amz-Signature=sig{n}", **(doc or {})}
        return 200, {}, body

    @server.route("GET", "/s3/doc")
    def download(req):
        if expire_first_url and req.query["X-Amz-Signature"] == "sig1":
            return (
                403,
                {"content-type": "application/xml"},
                "<Error><Code>AccessDenied</Code>Request has expired</Error>",
            )
        return 200, headers or {}, document_bytes


def test_fetch_report_done_gzip_charset_and_url_refresh(server, make_client, clock):
    text = "sku\tname\nA1\tカメラ\n"
    _report_server(
        server,
        "DONE",
        doc={"compressionAlgorithm": "GZIP"},
        document_bytes=gzip.compress(text.encode("cp932")),
        headers={"content-type": "text/plain; charset=Windows-31J"},
        expire_first_url=True,
    )
    client = make_client()
    result = client.fetch_report("GET_FBA_REIMBURSEMENTS_DATA", ["US"], T0, T0 + timedelta(days=1))
    assert (result.report_id, result.status, result.encoding) == ("R9", "DONE", "cp932")
    assert result.text() == text
    body = server.calls(REPORTS)[0].json()
    assert body == {
        "reportType": "GET_FBA_REIMBURSEMENTS_DATA",
        "marketplaceIds": ["ATVPDKIKX0DER"],
        "dataStartTime": "2025-06-01T00:00:00Z",
        "dataEndTime": "2025-06-02T00:00:00Z",
    }
    assert [s for s in clock.sleeps if s == 5] == [5, 5]  # report_poll_seconds from the connection
    downloads = server.calls("/s3/doc")
    assert len(downloads) == 2 and len(server.calls("/reports/2021-06-30/documents/D9")) == 2
    assert all("x-amz-access-token" not in d.headers for d in downloads)


def test_download_without_charset_falls_back_to_latin1(server, make_client):
    _report_server(
        server,
        "DONE",
        doc={},
        document_bytes="Müller\n".encode("iso-8859-1"),
        headers={"content-type": "text/plain"},
    )
    result = make_client().fetch_report("GET_FBA_REIMBURSEMENTS_DATA", ["US"], T0, T0 + timedelta(days=1))
    assert result.encoding == "iso-8859-1" and result.text() == "Müller\n"


def test_fetch_report_cancelled_is_no_data(server, make_client):
    _report_server(server, "CANCELLED")
    result = make_client().fetch_report("GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE", ["US"], T0, T0)
    assert (result.status, result.content, result.encoding) == ("CANCELLED", None, None)


def test_fetch_report_fatal_carries_reason(server, make_client):
    _report_server(
        server,
        "FATAL",
        doc={},
        document_bytes=json.dumps(
            {"errorDetails": "Report generation throttled: try in 30 minutes"}
        ).encode(),
        headers={"content-type": "application/json; charset=UTF-8"},
    )
    with pytest.raises(ReportFatalError) as err:
        make_client().fetch_report("GET_FBA_REIMBURSEMENTS_DATA", ["US"], T0, T0 + timedelta(days=1))
    assert "try in 30 minutes" in err.value.fatal_reason and err.value.report_id == "R9"
    assert "try in 30 minutes" in str(err.value)


def test_settlement_reports_listed_never_requested_and_clamped(server, make_client):
    server.route("GET", REPORTS)(
        lambda req: (
            200,
            {},
            {
                "reports": [
                    {"reportId": "S1", "processingStatus": "DONE", "reportDocumentId": "DS1"},
                    {"reportId": "S2", "processingStatus": "DONE"},
                ]
            },
        )
    )
    client = make_client()
    now = datetime(2025, 9, 30, tzinfo=UTC)
    got = client.list_settlement_reports(datetime(2025, 1, 1, tzinfo=UTC), now=now)
    assert [r["reportId"] for r in got] == ["S1"]
    q = server.calls(REPORTS)[0].query
    assert (
        q["reportTypes"] == "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2" and q["processingStatuses"] == "DONE"
    )
    assert q["createdSince"] == "2025-07-03T00:00:00Z"  # now - 89 days
    with pytest.raises(ValueError, match="cannot be requested"):
        client.create_report("GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2", ["US"])
    assert not server.calls(REPORTS)[1:]


def test_download_report_by_document_id_unpacks(server, make_client):
    _report_server(
        server,
        "DONE",
        doc={},
        document_bytes=b"settlement-id\n1\n",
        headers={"content-type": "text/tab-separated-values; charset=UTF-8"},
    )
    content, encoding = make_client().download_report("D9")
    assert (content, encoding) == (b"settlement-id\n1\n", "utf-8-sig")
