"""Finances 2024-06-19 listTransactions and Finances v0 groups/events over HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest

from acorn import marketplaces
from acorn_sim.sandbox.runtime import iso, parse_iso
from acorn_sim.sandbox.tiny_world import SELLER_A

pytestmark = pytest.mark.integration
TX = "/finances/2024-06-19/transactions"
US, DE = marketplaces.get("US").marketplace_id, marketplaces.get("DE").marketplace_id


def _all_pages(client, path, params, token_key, payload_key):  # noqa: ANN001, ANN202
    pages, r = [], client.get(path, params=params)
    while True:
        assert r.status_code == 200, r.text
        payload = r.json()["payload"]
        pages.append(payload[payload_key])
        token = payload.get(token_key)
        if not token:
            return pages
        r = client.get(path, params={**params, token_key: token})


def test_list_transactions_pages_through_everything(sandbox, na, world) -> None:  # noqa: ANN001
    after = sandbox.now() - timedelta(days=90)
    pages = _all_pages(na, TX, {"postedAfter": iso(after)}, "nextToken", "transactions")
    assert [len(p) for p in pages][:2] == [100, 100]
    got = [t["transactionId"] for p in pages for t in p]
    expected = [
        t["transactionId"]
        for t in world.transactions(
            SELLER_A, marketplace_id=None, posted_after=after, posted_before=sandbox.now()
        )
        if marketplaces.region_of(t["marketplaceDetails"]["marketplaceId"]) == "na"
    ]
    assert got == expected and len(set(got)) == len(got) > 200


def test_list_transactions_rate_header(sandbox, na) -> None:  # noqa: ANN001
    r = na.get(TX, params={"postedAfter": iso(sandbox.now() - timedelta(days=1))})
    assert r.headers["x-amzn-RateLimit-Limit"] == "50.0"  # 0.5 rps x time_scale 100


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"postedBefore": "2025-06-01T00:00:00Z"}, "Start date cannot be null"),
        ({"postedAfter": "yesterday"}, "Invalid postedAfter"),
        (
            {"postedAfter": "2025-06-01T00:00:00Z", "postedBefore": "2030-01-01T00:00:00Z"},
            "Date range is invalid.",
        ),
        (
            {"postedAfter": "2025-06-01T00:00:00Z", "postedBefore": "2025-05-01T00:00:00Z"},
            "Date range is invalid.",
        ),
        ({"postedAfter": "2025-06-01T00:00:00Z", "marketplaceId": DE}, "Invalid marketplaceId"),
        (
            {"postedAfter": "2025-06-01T00:00:00Z", "transactionStatus": "Released"},
            "Invalid transactionStatus",
        ),
        ({"relatedIdentifierName": "ORDER_ID"}, "relatedIdentifierName and relatedIdentifierValue"),
    ],
    ids=[
        "no-start",
        "bad-date",
        "future-end",
        "end-before-start",
        "other-region-mp",
        "status-case",
        "half-related",
    ],
)
def test_list_transactions_validation(na, params, message) -> None:  # noqa: ANN001
    r = na.get(TX, params=params)
    assert r.status_code == 400
    err = r.json()["errors"][0]
    assert err["code"] == "InvalidInput" and err["message"].startswith(message)
    assert "x-amzn-RateLimit-Limit" in r.headers


def test_list_transactions_more_than_180_days_is_empty(sandbox, na) -> None:  # noqa: ANN001
    r = na.get(TX, params={"postedAfter": iso(sandbox.now() - timedelta(days=200))})
    assert r.status_code == 200
    assert r.json() == {"payload": {"transactions": []}}


def test_list_transactions_filters(sandbox, na) -> None:  # noqa: ANN001
    after = iso(sandbox.now() - timedelta(days=90))
    ca = marketplaces.get("CA").marketplace_id
    only_ca = na.get(TX, params={"postedAfter": after, "marketplaceId": ca}).json()["payload"]["transactions"]
    assert only_ca and {t["marketplaceDetails"]["marketplaceId"] for t in only_ca} == {ca}
    deferred = na.get(TX, params={"postedAfter": after, "transactionStatus": "DEFERRED"}).json()["payload"]
    assert deferred["transactions"] and {t["transactionStatus"] for t in deferred["transactions"]} == {
        "DEFERRED"
    }
    # Each says why and until when Amazon holds it (DeferredContext: the lake's deferral columns).
    for t in deferred["transactions"]:
        [ctx] = [c for c in t["contexts"] if c["contextType"] == "DeferredContext"]
        assert ctx["deferralReason"] and parse_iso(ctx["maturityDate"]) > parse_iso(t["postedDate"])
    order_id = only_ca[0]["relatedIdentifiers"][0]["relatedIdentifierValue"]
    by_order = na.get(TX, params={"relatedIdentifierName": "ORDER_ID", "relatedIdentifierValue": order_id})
    assert [t["transactionId"] for t in by_order.json()["payload"]["transactions"]] == [
        only_ca[0]["transactionId"]
    ]


def test_page_token_is_bound_to_seller_and_operation(sandbox, connect, na) -> None:  # noqa: ANN001
    after = iso(sandbox.now() - timedelta(days=90))
    token = na.get(TX, params={"postedAfter": after}).json()["payload"]["nextToken"]
    other = connect(sandbox, "spapi_na_2")
    r = other.get(TX, params={"postedAfter": after, "nextToken": token})
    assert r.status_code == 400
    r = na.get("/finances/v0/financialEvents", params={"NextToken": token})
    assert r.status_code == 400
    r = na.get(TX, params={"nextToken": token[:-3] + "abc"})
    assert r.status_code == 400


def test_financial_event_groups(sandbox, na) -> None:  # noqa: ANN001
    r = na.get("/finances/v0/financialEventGroups")
    assert r.status_code == 200
    payload = r.json()["payload"]
    groups = payload["FinancialEventGroupList"]
    assert len(groups) == 6 and "NextToken" not in payload  # US only: EUR/GBP/JPY groups are other regions
    assert {g["OriginalTotal"]["CurrencyCode"] for g in groups} == {"USD"}
    pages = _all_pages(
        na,
        "/finances/v0/financialEventGroups",
        {"MaxResultsPerPage": 4},
        "NextToken",
        "FinancialEventGroupList",
    )
    assert [len(p) for p in pages] == [4, 2]
    after = iso(sandbox.now() - timedelta(days=30))
    recent = na.get("/finances/v0/financialEventGroups", params={"FinancialEventGroupStartedAfter": after})
    starts = [
        parse_iso(g["FinancialEventGroupStart"]) for g in recent.json()["payload"]["FinancialEventGroupList"]
    ]
    assert starts and all(s >= parse_iso(after) for s in starts)
    assert na.get("/finances/v0/financialEventGroups", params={"MaxResultsPerPage": 0}).status_code == 400
    assert na.get("/finances/v0/financialEventGroups", params={"MaxResultsPerPage": 101}).status_code == 400


def test_financial_events_pages_and_lists(sandbox, na, connect) -> None:  # noqa: ANN001
    params = {"PostedAfter": iso(sandbox.now() - timedelta(days=90)), "MaxResultsPerPage": 50}
    pages = _all_pages(na, "/finances/v0/financialEvents", params, "NextToken", "FinancialEvents")
    assert len(pages) == 5  # 230 US + 6 CA events, 50 a page
    assert all(len(p) == 34 for p in pages)  # every list key, empty or not
    names = {
        e["MarketplaceName"] for p in pages for k in ("ShipmentEventList", "RefundEventList") for e in p[k]
    }
    assert names == {"Amazon.com", "Amazon.ca"}
    assert sum(len(p["RefundEventList"]) for p in pages) > 0
    eu = connect(sandbox, "spapi_eu")
    eu_pages = _all_pages(eu, "/finances/v0/financialEvents", params, "NextToken", "FinancialEvents")
    eu_names = {e.get("MarketplaceName") for p in eu_pages for lst in p.values() for e in lst}
    assert eu_names == {"Amazon.de", "Amazon.co.uk", None}
    # AdjustmentEvents carry no MarketplaceName; their EUR amount places them in the EU only.
    eu_adjustments = [e for p in eu_pages for e in p["AdjustmentEventList"]]
    assert eu_adjustments and {e["AdjustmentAmount"]["CurrencyCode"] for e in eu_adjustments} == {"EUR"}
    assert not any(p["AdjustmentEventList"] for p in pages)
    r = na.get("/finances/v0/financialEvents", params={"PostedBefore": params["PostedAfter"]})
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "InvalidInput"
