"""LWA token flow, access-token checks and the Tokens API (RDT)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests

from acorn_sim.sandbox.runtime import iso

pytestmark = pytest.mark.integration


def _lwa(handle, **form):  # noqa: ANN001, ANN202
    return requests.post(handle.lwa_endpoint, data=form, timeout=10)


def test_lwa_refresh_token_grant(sandbox, na) -> None:  # noqa: ANN001
    extra = na.conn["extra"]
    r = _lwa(
        sandbox,
        grant_type="refresh_token",
        refresh_token=extra["refresh_token"],
        client_id=na.conn["login"],
        client_secret=na.conn["password"],
    )
    assert r.status_code == 200
    body = r.json()
    assert body["access_token"].startswith("Atza|")
    assert body["token_type"] == "bearer"
    # expires_in is real (client) seconds: the sandbox clock runs time_scale times faster.
    assert body["expires_in"] == 36
    assert body["refresh_token"] == extra["refresh_token"]
    assert r.headers["x-amzn-RequestId"]


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "amzn1.application-oa2-client.nobody"}, 401, "invalid_client"),
        ({"refresh_token": "Atzr|nope"}, 400, "invalid_grant"),
        ({"refresh_token": "Atzr|tiny-refresh-2-na"}, 400, "invalid_grant"),  # another app's token
        ({"grant_type": "authorization_code"}, 400, "unsupported_grant_type"),
    ],
    ids=["bad-secret", "unknown-client", "unknown-refresh", "foreign-refresh", "bad-grant-type"],
)
def test_lwa_errors(sandbox, na, change, status, error) -> None:  # noqa: ANN001
    form = {
        "grant_type": "refresh_token",
        "refresh_token": na.conn["extra"]["refresh_token"],
        "client_id": na.conn["login"],
        "client_secret": na.conn["password"],
        **change,
    }
    r = _lwa(sandbox, **form)
    assert r.status_code == status
    assert r.json()["error"] == error
    assert r.json()["error_description"]


def _transactions(client, handle, token=None):  # noqa: ANN001, ANN202
    headers = {} if token is None else {"x-amz-access-token": token}
    return client.get(
        "/finances/2024-06-19/transactions",
        params={"postedAfter": iso(handle.now() - timedelta(days=3))},
        headers=headers,
    )


@pytest.mark.parametrize("token", ["", "Atza|forged"], ids=["missing", "forged"])
def test_invalid_access_token(sandbox, na, token) -> None:  # noqa: ANN001
    r = _transactions(na, sandbox, token)
    assert r.status_code == 403
    assert r.json() == {
        "errors": [
            {
                "code": "Unauthorized",
                "message": "Access to requested resource is denied.",
                "details": "The access token you provided is invalid.",
            }
        ]
    }
    assert "x-amzn-RateLimit-Limit" not in r.headers


def test_access_token_expires_on_sandbox_clock(sandbox, na) -> None:  # noqa: ANN001
    assert _transactions(na, sandbox).status_code == 200
    sandbox.advance_clock(3601)
    r = _transactions(na, sandbox)
    assert r.status_code == 403
    assert r.json()["errors"][0]["details"] == "The access token you provided has expired."
    na.login()
    assert _transactions(na, sandbox).status_code == 200


def test_request_ids_are_unique(sandbox, na) -> None:  # noqa: ANN001
    ids = {_transactions(na, sandbox).headers["x-amzn-RequestId"] for _ in range(5)}
    assert len(ids) == 5


def test_restricted_data_token_unlocks_pii(sandbox, na) -> None:  # noqa: ANN001
    params = {"MarketplaceIds": na.marketplace_ids[0], "CreatedAfter": iso(sandbox.now() - timedelta(days=5))}
    plain = na.get("/orders/v0/orders", params=params).json()["payload"]["Orders"]
    assert plain and all("BuyerInfo" not in o for o in plain)
    # The model: only ShippingAddress's restricted fields need the RDT; the area is served.
    restricted = {"Name", "AddressLine1", "AddressLine2", "AddressLine3", "Phone", "AddressType", "ExtendedFields"}
    assert all("PostalCode" in o["ShippingAddress"] and not restricted & set(o["ShippingAddress"]) for o in plain)

    r = na.post(
        "/tokens/2021-03-01/restrictedDataToken",
        json={
            "restrictedResources": [
                {
                    "method": "GET",
                    "path": "/orders/v0/orders",
                    "dataElements": ["buyerInfo", "shippingAddress"],
                },
                {
                    "method": "GET",
                    "path": "/orders/v0/orders/{orderId}/orderItems",
                    "dataElements": ["buyerInfo"],
                },
            ]
        },
    )
    assert r.status_code == 200
    rdt = r.json()
    assert rdt["restrictedDataToken"].startswith("Atz.sprdt|") and rdt["expiresIn"] == 36  # real seconds at time_scale 100
    headers = {"x-amz-access-token": rdt["restrictedDataToken"]}
    full = na.get("/orders/v0/orders", params=params, headers=headers).json()["payload"]["Orders"]
    assert all("BuyerInfo" in o and "AddressLine1" in o["ShippingAddress"] for o in full)
    order_id = full[0]["AmazonOrderId"]
    items = na.get(f"/orders/v0/orders/{order_id}/orderItems", headers=headers).json()["payload"][
        "OrderItems"
    ]
    assert "BuyerInfo" in items[0]
    # The RDT covers only the listed resources.
    r = na.get(
        "/finances/2024-06-19/transactions", params={"postedAfter": params["CreatedAfter"]}, headers=headers
    )
    assert r.status_code == 403


def test_rdt_requires_resources(na) -> None:  # noqa: ANN001
    r = na.post("/tokens/2021-03-01/restrictedDataToken", json={"restrictedResources": []})
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "InvalidInput"


def test_date_header_follows_sandbox_clock(sandbox, na) -> None:  # noqa: ANN001
    from email.utils import parsedate_to_datetime

    r = na.get("/finances/v0/financialEventGroups")
    assert abs((parsedate_to_datetime(r.headers["Date"]) - sandbox.now()).total_seconds()) < 600
