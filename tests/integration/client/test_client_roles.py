"""Issue #12 §7: the production client against a sandbox playing an app that lacks a role, over real HTTP."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta

import pytest
import requests

from acorn import marketplaces
from acorn.spapi import ConfigurationError, MissingRoleError, SpApiError, load_credentials
from acorn_sim.sandbox import SandboxConfig, start_sandbox

pytestmark = pytest.mark.integration

US = marketplaces.get("US").marketplace_id
START = datetime(2026, 8, 1, tzinfo=UTC)
END = datetime(2026, 8, 31, tzinfo=UTC)
PII_ROLE = "Direct-to-Consumer Delivery (Restricted) for shippingAddress, Tax Invoicing (Restricted) or Tax Remittance (Restricted) for buyerInfo"
REFUSAL = "Application does not have access to one or more requested data elements: [buyerInfo, shippingAddress]"


def calls(sandbox, operation: str) -> int:
    return sandbox.stats()["operations"].get(operation, {}).get("received", 0)


def has_buyer_fields(order: dict) -> bool:
    return "BuyerInfo" in order or "AddressLine1" in (order.get("ShippingAddress") or {})


def test_with_the_role_orders_carry_buyer_fields(sandbox, make_client):
    """The control: the same calls with the role do get buyer data, through one RDT."""
    client = make_client()
    orders = list(client.get_orders([US], created_after=START, created_before=END, buyer_info=True))
    assert orders and all(has_buyer_fields(o) for o in orders)
    assert calls(sandbox, "createRestrictedDataToken") == 1 and client.unavailable_data == []


def test_rdt_refusal_lands_orders_and_items_without_buyer_fields(sandbox, make_client):
    sandbox.set_faults(pii_role=False)
    client = make_client()
    orders = list(client.get_orders([US], created_after=START, created_before=END, buyer_info=True))
    items = client.get_order_items(orders[0]["AmazonOrderId"], buyer_info=True)
    assert orders and items
    assert not any(has_buyer_fields(o) for o in orders) and not any("BuyerInfo" in i for i in items)
    assert calls(sandbox, "createRestrictedDataToken") == 1  # refused once, never asked again
    assert sandbox.stats()["operations"]["createRestrictedDataToken"]["status_counts"] == {"400": 1}
    assert client.unavailable_data == [
        {"operation": "getOrders", "data_elements": ["buyerInfo", "shippingAddress"], "role": PII_ROLE, "reason": REFUSAL},
        {"operation": "getOrderItems", "data_elements": ["buyerInfo"], "role": PII_ROLE, "reason": REFUSAL},
    ]  # fmt: skip
    # The same orders as an app that never asked for buyer data.
    plain = list(make_client().get_orders([US], created_after=START, created_before=END))
    assert [o["AmazonOrderId"] for o in orders] == [o["AmazonOrderId"] for o in plain]


def test_pii_role_false_never_asks_for_an_rdt(sandbox, make_client, connections):
    connections["spapi_na"]["extra"]["pii_role"] = False
    client = make_client()
    assert client.credentials.has_pii_role is False
    orders = list(client.get_orders([US], created_after=START, created_before=END, buyer_info=True))
    client.get_order_items(orders[0]["AmazonOrderId"], buyer_info=True)
    assert orders and not any(has_buyer_fields(o) for o in orders)
    assert calls(sandbox, "createRestrictedDataToken") == 0
    assert [(e["operation"], e["role"]) for e in client.unavailable_data] == [
        ("getOrders", PII_ROLE),
        ("getOrderItems", PII_ROLE),
    ]


def test_denied_finances_role_names_the_role_and_spares_other_sources(small_world, make_client, connections):
    config = SandboxConfig(time_scale=200.0, denied_roles=frozenset({"Finance and Accounting"}))
    with start_sandbox(small_world, config) as sandbox:
        # Point the connection at this sandbox (same world, same credentials).
        connections["spapi_na"]["host"] = sandbox.url
        connections["spapi_na"]["extra"]["lwa_endpoint"] = sandbox.lwa_endpoint
        client = make_client()
        with pytest.raises(MissingRoleError) as info:
            list(client.list_transactions(START, END, marketplace_id=US))
        err = info.value
        assert (err.operation, err.role, err.status, err.code) == (
            "listTransactions",
            "Finance and Accounting",
            403,
            "Unauthorized",
        )
        assert "Finance and Accounting" in str(err) and US in str(err)
        with pytest.raises(MissingRoleError, match="Finance and Accounting"):
            list(client.list_financial_event_groups(START, END))
        with pytest.raises(MissingRoleError, match="Finance and Accounting") as settlement:
            client.list_settlement_reports(START)
        assert settlement.value.operation == "getReports"
        assert calls(sandbox, "listTransactions") == 1  # no retry: a role is not a transient failure
        # What needs another role still works.
        assert list(client.get_orders([US], created_after=START, created_before=END))
        fba = client.fetch_report("GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA", [US], START, END)
        assert fba.status in ("DONE", "CANCELLED")


def test_denied_roles_and_pii_role_over_the_control_endpoint(sandbox, make_client):
    r = requests.post(
        sandbox.url + "/_sandbox/faults",
        json={"denied_roles": ["Amazon Fulfillment"], "pii_role": False},
        timeout=5,
    )
    assert r.status_code == 200
    assert (r.json()["denied_roles"], r.json()["pii_role"]) == (["Amazon Fulfillment"], False)
    client = make_client()
    with pytest.raises(MissingRoleError) as info:
        client.fetch_report("GET_FBA_REIMBURSEMENTS_DATA", [US], START, END)
    assert (info.value.operation, info.value.role) == ("createReport", "Amazon Fulfillment")
    bad = requests.post(sandbox.url + "/_sandbox/faults", json={"denied_roles": ["Finance & Accounting"]}, timeout=5)
    assert bad.status_code == 400 and "unknown role" in bad.text
    requests.post(sandbox.url + "/_sandbox/faults", json={"reset": True}, timeout=5)
    assert sandbox.set_faults()["denied_roles"] == [] and sandbox.set_faults()["pii_role"] is True
    assert list(client.get_orders([US], created_after=START, created_before=END, buyer_info=True))
    assert client.unavailable_data == []


def test_other_rdt_failures_still_raise(sandbox, make_client):
    sandbox.set_faults(server_errors={"count": 10, "operation": "createRestrictedDataToken"})
    client = make_client(max_attempts=2)
    with pytest.raises(SpApiError) as info:
        list(client.get_orders([US], created_after=START, created_before=START + timedelta(days=1), buyer_info=True))
    assert info.value.operation == "createRestrictedDataToken" and client.unavailable_data == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: c.pop("login"), "login"),
        (lambda c: c["extra"].pop("refresh_token"), "extra.refresh_token"),
        (lambda c: c["extra"].update(marketplace_ids=["ZZ"]), "extra.marketplace_ids"),
        (lambda c: c["extra"].update(pii_role="sometimes"), "extra.pii_role"),
        (lambda c: c.update(extra="{broken"), "extra"),
    ],
    ids=["no-login", "no-refresh-token", "unknown-marketplace", "bad-pii-role", "extra-not-json"],
)
def test_malformed_sandbox_connection_is_a_configuration_error(connections, monkeypatch, change, field):
    conn = json.loads(json.dumps(connections["spapi_na"]))
    change(conn)
    monkeypatch.setenv("AIRFLOW_CONN_SPAPI_NA", json.dumps(conn))
    with pytest.raises(ConfigurationError) as info:
        load_credentials("spapi_na")
    assert (info.value.conn_id, info.value.field) == ("spapi_na", field)
    message = str(info.value)
    assert "spapi_na" in message and field in message
    secrets = [connections["spapi_na"]["password"], connections["spapi_na"]["extra"]["refresh_token"]]
    assert not any(s in message for s in secrets)
    assert os.environ["AIRFLOW_CONN_SPAPI_NA"]  # the variable is named, its value never echoed
