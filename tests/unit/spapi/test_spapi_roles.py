"""When the app lacks a role: MissingRoleError naming it, and buyer data without the restricted role."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from acorn.spapi import MissingRoleError, SpApiClient, SpApiError
from acorn.spapi.ratelimit import BucketRegistry
from acorn.spapi.roles import REPORT_TYPE_ROLES, role_for
from tests.unit.spapi.conftest import make_credentials

pytestmark = pytest.mark.unit

T0 = datetime(2025, 6, 1, tzinfo=UTC)
TX = "/finances/2024-06-19/transactions"
ORDERS = "/orders/v0/orders"
ITEMS = "/orders/v0/orders/111-1234567-1234567/orderItems"
RDT = "/tokens/2021-03-01/restrictedDataToken"
REPORTS = "/reports/2021-06-30/reports"
DENIED = {"errors": [{"code": "Unauthorized", "message": "Access to requested resource is denied."}]}
REFUSAL = (
    "Application does not have access to one or more requested data elements: [buyerInfo, shippingAddress]"
)


def _denied(req):
    return 403, {}, DENIED


def _orders(req):
    token = req.query.get("NextToken")
    if token is None:
        return 200, {}, {"payload": {"Orders": [{"AmazonOrderId": "o1"}], "NextToken": "P2"}}
    return 200, {}, {"payload": {"Orders": [{"AmazonOrderId": "o2"}]}}


def _client(server, clock, **extra) -> SpApiClient:
    return SpApiClient(
        make_credentials(server.url, "na", **extra),
        clock=clock,
        buckets=BucketRegistry(),
        backoff_base=0.001,
        timeout=(2, 5),
    )


def _refuse(req):
    return 400, {}, {"errors": [{"code": "InvalidInput", "message": REFUSAL}]}


# ------------------------------------------------------------------ MissingRoleError


def test_denied_finances_call_names_operation_marketplace_and_role(server, make_client, secrets):
    server.route("GET", TX)(_denied)
    with pytest.raises(MissingRoleError) as info:
        list(make_client().list_transactions(T0, T0 + timedelta(days=1), marketplace_id="US"))
    err = info.value
    assert isinstance(err, SpApiError)
    assert (err.operation, err.role, err.status, err.code) == (
        "listTransactions",
        "Finance and Accounting",
        403,
        "Unauthorized",
    )
    text = str(err)
    assert "listTransactions" in text and "ATVPDKIKX0DER" in text and "'Finance and Accounting'" in text
    assert not any(s in text for s in secrets)
    assert len(server.calls(TX)) == 1 and server.token_count == 1  # no retry, no token refresh


@pytest.mark.parametrize(
    ("report_type", "role"),
    [
        ("GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA", "Amazon Fulfillment"),
        ("GET_FBA_REIMBURSEMENTS_DATA", "Amazon Fulfillment"),
        ("GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE", "Inventory and Order Tracking"),
    ],
)
def test_denied_report_names_the_report_types_role(server, make_client, report_type, role):
    server.route("POST", REPORTS)(_denied)
    with pytest.raises(MissingRoleError) as info:
        make_client().create_report(report_type, ["US"], T0, T0 + timedelta(days=1))
    assert (info.value.operation, info.value.role) == ("createReport", role)


def test_denied_settlement_listing_names_finance_and_accounting(server, make_client):
    server.route("GET", REPORTS)(_denied)
    with pytest.raises(MissingRoleError) as info:
        make_client().list_settlement_reports(T0, now=T0 + timedelta(days=10))
    assert (info.value.operation, info.value.role) == ("getReports", "Finance and Accounting")


def test_denied_orders_name_inventory_and_order_tracking(server, make_client):
    server.route("GET", ORDERS)(_denied)
    with pytest.raises(MissingRoleError, match="Inventory and Order Tracking"):
        list(make_client().get_orders(["US"], created_after=T0, created_before=T0 + timedelta(days=1)))


def test_expired_token_is_not_a_missing_role(server, make_client):
    expired = {
        "errors": [
            {
                "code": "Unauthorized",
                "message": "Access to requested resource is denied.",
                "details": "The access token you provided has expired.",
            }
        ]
    }
    server.route("GET", TX)(lambda req: (403, {}, expired))
    with pytest.raises(SpApiError) as info:
        list(make_client().list_transactions(T0, T0 + timedelta(days=1)))
    assert type(info.value) is SpApiError  # renewed once (today's behaviour), then a plain error
    assert server.token_count == 2


def test_role_table_covers_every_report_type_extracted():
    from acorn.spapi.client import SETTLEMENT_REPORT_TYPES

    assert SETTLEMENT_REPORT_TYPES <= set(REPORT_TYPE_ROLES)
    assert role_for("getReports", ["GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"]) == "Finance and Accounting"
    assert role_for("createRestrictedDataToken") == "Direct-to-Consumer Delivery (Restricted) for shippingAddress, Tax Invoicing (Restricted) or Tax Remittance (Restricted) for buyerInfo"


# ------------------------------------------------------------------ buyer data without the restricted role


def test_rdt_refusal_falls_back_to_lwa_once_and_records_it(server, clock, caplog):
    server.route("POST", RDT)(_refuse)
    server.route("GET", ORDERS)(_orders)
    server.route("GET", ITEMS)(lambda req: (200, {}, {"payload": {"OrderItems": [{"OrderItemId": "i1"}]}}))
    client = _client(server, clock)
    client.slice_length = timedelta(days=1)
    with caplog.at_level(logging.WARNING, logger="acorn.spapi"):
        orders = list(client.get_orders(["US"], created_after=T0, created_before=T0 + timedelta(days=3), buyer_info=True))
        items = client.get_order_items("111-1234567-1234567", buyer_info=True)
    assert [o["AmazonOrderId"] for o in orders] == ["o1", "o2"] * 3  # three slices, two pages each
    assert items == [{"OrderItemId": "i1"}]
    assert len(server.calls(RDT)) == 1  # refused once: never asked again
    assert all(r.headers["x-amz-access-token"].startswith("Atza|") for r in server.calls(ORDERS) + server.calls(ITEMS))
    assert client.unavailable_data == [
        {
            "operation": "getOrders",
            "data_elements": ["buyerInfo", "shippingAddress"],
            "role": "Direct-to-Consumer Delivery (Restricted) for shippingAddress, Tax Invoicing (Restricted) or Tax Remittance (Restricted) for buyerInfo",
            "reason": REFUSAL,
        },
        {
            "operation": "getOrderItems",
            "data_elements": ["buyerInfo"],
            "role": "Direct-to-Consumer Delivery (Restricted) for shippingAddress, Tax Invoicing (Restricted) or Tax Remittance (Restricted) for buyerInfo",
            "reason": REFUSAL,
        },
    ]
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING and r.name == "acorn.spapi.client"]
    assert len(warnings) == 1 and "Direct-to-Consumer Delivery (Restricted) for shippingAddress, Tax Invoicing (Restricted) or Tax Remittance (Restricted) for buyerInfo" in warnings[0].getMessage()
    list(client.get_orders(["US"], created_after=T0, created_before=T0 + timedelta(days=1), buyer_info=True))
    assert len(client.unavailable_data) == 2  # deduplicated


def test_no_pii_role_never_asks_for_a_restricted_data_token(server, clock):
    server.route("POST", RDT)(lambda req: pytest.fail("no RDT may be requested"))
    server.route("GET", ORDERS)(_orders)
    client = _client(server, clock, pii_role=False)
    assert client.credentials.has_pii_role is False
    orders = list(client.get_orders(["US"], created_after=T0, created_before=T0 + timedelta(days=1), buyer_info=True))
    assert len(orders) == 2 and server.calls(RDT) == []
    assert [(e["operation"], e["role"]) for e in client.unavailable_data] == [
        ("getOrders", "Direct-to-Consumer Delivery (Restricted) for shippingAddress, Tax Invoicing (Restricted) or Tax Remittance (Restricted) for buyerInfo")
    ]
    assert "pii_role" in client.unavailable_data[0]["reason"]


def test_pii_role_true_still_falls_back_on_refusal(server, clock):
    server.route("POST", RDT)(_refuse)
    server.route("GET", ORDERS)(_orders)
    client = _client(server, clock, pii_role=True)
    assert len(list(client.get_orders(["US"], created_after=T0, created_before=T0 + timedelta(days=1), buyer_info=True))) == 2
    assert [e["operation"] for e in client.unavailable_data] == ["getOrders"]


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (400, {"errors": [{"code": "InvalidInput", "message": "Request is missing or has invalid parameters"}]}, SpApiError),
        (403, DENIED, MissingRoleError),
        (500, {"errors": [{"code": "InternalFailure", "message": "We encountered an internal error."}]}, SpApiError),
    ],
    ids=["other-400", "denied", "server-error"],
)  # fmt: skip
def test_other_rdt_failures_still_raise(server, clock, status, body, error):
    server.route("POST", RDT)(lambda req: (status, {}, body))
    server.route("GET", ORDERS)(_orders)
    client = _client(server, clock)
    client.transport.max_attempts = 2
    with pytest.raises(error) as info:
        list(client.get_orders(["US"], created_after=T0, created_before=T0 + timedelta(days=1), buyer_info=True))
    assert info.value.operation == "createRestrictedDataToken"
    if error is MissingRoleError:
        assert info.value.role == "Direct-to-Consumer Delivery (Restricted) for shippingAddress, Tax Invoicing (Restricted) or Tax Remittance (Restricted) for buyerInfo"
    assert server.calls(ORDERS) == [] and client.unavailable_data == []
