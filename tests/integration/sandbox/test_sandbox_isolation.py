"""The access token decides seller and region; nothing else leaks through."""

from __future__ import annotations

from datetime import timedelta

import pytest

from acorn import marketplaces
from acorn_sim.sandbox.runtime import iso
from acorn_sim.sandbox.tiny_world import FBA_RETURNS, SELLER_A, SELLER_B, SETTLEMENT

pytestmark = pytest.mark.integration
TX = "/finances/2024-06-19/transactions"


def _transactions(client, handle):  # noqa: ANN001, ANN202
    out, params = [], {"postedAfter": iso(handle.now() - timedelta(days=90))}
    while True:
        payload = client.get(TX, params=params).json()["payload"]
        out += payload["transactions"]
        if not payload.get("nextToken"):
            return out
        params = {"nextToken": payload["nextToken"]}


@pytest.mark.parametrize(
    ("conn_id", "seller", "region"),
    [
        ("spapi_na", SELLER_A, "na"),
        ("spapi_eu", SELLER_A, "eu"),
        ("spapi_fe", SELLER_A, "fe"),
        ("spapi_na_2", SELLER_B, "na"),
    ],
)
def test_transactions_are_per_seller_and_region(sandbox, connect, conn_id, seller, region) -> None:  # noqa: ANN001
    client = connect(sandbox, conn_id)
    txs = _transactions(client, sandbox)
    assert txs
    assert {t["sellingPartnerMetadata"]["sellingPartnerId"] for t in txs} == {seller}
    assert {marketplaces.region_of(t["marketplaceDetails"]["marketplaceId"]) for t in txs} == {region}


def test_reports_and_documents_are_per_seller(sandbox, connect) -> None:  # noqa: ANN001
    a, b, a_eu = connect(sandbox, "spapi_na"), connect(sandbox, "spapi_na_2"), connect(sandbox, "spapi_eu")
    report_id = a.post(
        "/reports/2021-06-30/reports",
        json={"reportType": FBA_RETURNS, "marketplaceIds": a.marketplace_ids[:1]},
    ).json()["reportId"]
    assert b.get(f"/reports/2021-06-30/reports/{report_id}").status_code == 404
    assert a_eu.get(f"/reports/2021-06-30/reports/{report_id}").status_code == 404
    a_settlements = a.get("/reports/2021-06-30/reports", params={"reportTypes": SETTLEMENT}).json()["reports"]
    b_settlements = b.get("/reports/2021-06-30/reports", params={"reportTypes": SETTLEMENT}).json()["reports"]
    assert {r["reportId"] for r in a_settlements}.isdisjoint({r["reportId"] for r in b_settlements})
    doc = a_settlements[0]["reportDocumentId"]
    assert b.get(f"/reports/2021-06-30/documents/{doc}").status_code == 404
    assert a_eu.get(f"/reports/2021-06-30/documents/{doc}").status_code == 404
    eu_settlements = a_eu.get("/reports/2021-06-30/reports", params={"reportTypes": SETTLEMENT}).json()[
        "reports"
    ]
    assert {m for r in eu_settlements for m in r["marketplaceIds"]} == {marketplaces.get("DE").marketplace_id}


def test_orders_are_per_seller(sandbox, connect) -> None:  # noqa: ANN001
    a, b = connect(sandbox, "spapi_na"), connect(sandbox, "spapi_na_2")
    params = {
        "MarketplaceIds": marketplaces.get("US").marketplace_id,
        "CreatedAfter": iso(sandbox.now() - timedelta(days=90)),
    }
    b_orders = b.get("/orders/v0/orders", params=params).json()["payload"]["Orders"]
    assert len(b_orders) == 7
    a_order = a.get("/orders/v0/orders", params=params).json()["payload"]["Orders"][0]["AmazonOrderId"]
    assert b.get(f"/orders/v0/orders/{a_order}/orderItems").status_code == 404
