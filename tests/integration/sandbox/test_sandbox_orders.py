"""Orders v0 getOrders / getOrderItems."""

from __future__ import annotations

from datetime import timedelta

import pytest

from acorn import marketplaces
from acorn_sim.sandbox.runtime import iso

pytestmark = pytest.mark.integration
ORDERS = "/orders/v0/orders"
US, CA = marketplaces.get("US").marketplace_id, marketplaces.get("CA").marketplace_id


def test_get_orders_pages(sandbox, na) -> None:  # noqa: ANN001
    params = {"MarketplaceIds": f"{US},{CA}", "CreatedAfter": iso(sandbox.now() - timedelta(days=90))}
    r = na.get(ORDERS, params=params)
    assert r.status_code == 200
    payload = r.json()["payload"]
    assert len(payload["Orders"]) == 100 and payload["NextToken"] and payload["CreatedBefore"]
    ids = [o["AmazonOrderId"] for o in payload["Orders"]]
    while payload.get("NextToken"):
        payload = na.get(
            ORDERS, params={"MarketplaceIds": params["MarketplaceIds"], "NextToken": payload["NextToken"]}
        ).json()["payload"]
        ids += [o["AmazonOrderId"] for o in payload["Orders"]]
    assert len(ids) == len(set(ids)) == 236


def test_get_orders_last_updated_family(sandbox, na) -> None:  # noqa: ANN001
    r = na.get(
        ORDERS,
        params={
            "MarketplaceIds": US,
            "LastUpdatedAfter": iso(sandbox.now() - timedelta(days=3)),
            "MaxResultsPerPage": 5,
        },
    )
    payload = r.json()["payload"]
    assert (
        0 < len(payload["Orders"]) <= 5 and "LastUpdatedBefore" in payload and "CreatedBefore" not in payload
    )


@pytest.mark.parametrize(
    "params",
    [
        {"CreatedAfter": "2025-06-01T00:00:00Z"},
        {"MarketplaceIds": US},
        {
            "MarketplaceIds": US,
            "CreatedAfter": "2025-06-01T00:00:00Z",
            "LastUpdatedAfter": "2025-06-01T00:00:00Z",
        },
        {"MarketplaceIds": "A1PA6795UKMFR9", "CreatedAfter": "2025-06-01T00:00:00Z"},
        {"MarketplaceIds": US, "CreatedAfter": "2025-06-01T00:00:00Z", "MaxResultsPerPage": 500},
    ],
    ids=["no-marketplaces", "no-date", "both-families", "other-region", "page-too-big"],
)
def test_get_orders_validation(na, params) -> None:  # noqa: ANN001
    r = na.get(ORDERS, params=params)
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "InvalidInput"
    assert "payload" not in r.json()


def test_get_order_items(sandbox, na) -> None:  # noqa: ANN001
    order = na.get(
        ORDERS, params={"MarketplaceIds": US, "CreatedAfter": iso(sandbox.now() - timedelta(days=5))}
    )
    order_id = order.json()["payload"]["Orders"][0]["AmazonOrderId"]
    r = na.get(f"{ORDERS}/{order_id}/orderItems")
    assert r.status_code == 200
    payload = r.json()["payload"]
    assert payload["AmazonOrderId"] == order_id and payload["OrderItems"][0]["ASIN"]
    assert "BuyerInfo" not in payload["OrderItems"][0]


def test_unknown_order_is_404(na) -> None:  # noqa: ANN001
    r = na.get(f"{ORDERS}/999-0000000-0000000/orderItems")
    assert r.status_code == 404
    assert r.json()["errors"][0]["code"] == "NotFound"
    assert "x-amzn-RateLimit-Limit" in r.headers
