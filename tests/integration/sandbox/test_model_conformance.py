"""Every body the sandbox serves validates against the official swagger models.

Runs against the hand-made tiny world and the seeded synthetic world
(``ACORN_SANDBOX_WORLD`` names another factory, module:function).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from datetime import timedelta

import jsonschema
import pytest

from acorn import marketplaces
from acorn_sim.sandbox import SandboxConfig, start_sandbox
from acorn_sim.sandbox.models import ModelError, response_schema, validate_response
from acorn_sim.sandbox.runtime import iso
from acorn_sim.sandbox.tiny_world import (
    FBA_RETURNS,
    MFN_RETURNS,
    REIMBURSEMENTS,
    SETTLEMENT,
    TinyWorld,
    build_tiny_world,
)
from tests.spapi_models import require_spapi_models

pytestmark = pytest.mark.integration

FIN = "finances_2024-06-19.json"
V0 = "financesV0.json"
REP = "reports_2021-06-30.json"
ORD = "ordersV0.json"
TOK = "tokens_2021-03-01.json"
TRF = "transfers_2024-06-01.json"
US = marketplaces.get("US").marketplace_id


@pytest.fixture(scope="module", autouse=True)
def _official_models() -> None:
    """Every test here validates against the official models: skip (CI: fail) without them."""
    require_spapi_models(FIN, V0, REP, ORD, TOK, TRF)


WORLD_SPEC = os.environ.get("ACORN_SANDBOX_WORLD", "acorn_sim.world.generator:build_world")


@pytest.fixture(scope="module", params=["tiny", "synthetic"])
def world(request):  # noqa: ANN001, ANN201 - both the hand-made world and the seeded synthetic one
    if request.param == "tiny":
        return build_tiny_world()
    module, _, attr = WORLD_SPEC.partition(":")
    return getattr(importlib.import_module(module), attr or "build_world")()


@pytest.fixture(scope="module")
def served(world, connect_module) -> Iterator[list[tuple[str, str, int, object]]]:  # noqa: ANN001
    """(model, operationId, status, body) for one of everything, collected over real HTTP."""
    config = SandboxConfig(time_scale=100, fatal_report_types=frozenset({REIMBURSEMENTS}))
    with start_sandbox(world, config) as sb:
        na = connect_module(sb, "spapi_na")
        out: list[tuple[str, str, int, object]] = []

        def call(model: str, op: str, method: str, path: str, **kw: object) -> object:
            r = na.request(method, path, **kw)
            body = r.json() if r.content else None
            out.append((model, op, r.status_code, body))
            return body

        ago = iso(sb.now() - timedelta(days=60))
        # Finances 2024-06-19
        page = call(
            FIN, "listTransactions", "GET", "/finances/2024-06-19/transactions", params={"postedAfter": ago}
        )
        call(
            FIN,
            "listTransactions",
            "GET",
            "/finances/2024-06-19/transactions",
            params={"postedAfter": ago, "nextToken": page["payload"]["nextToken"]},
        )  # type: ignore[index]
        call(
            FIN, "listTransactions", "GET", "/finances/2024-06-19/transactions", params={"postedBefore": ago}
        )
        # Finances v0
        call(V0, "listFinancialEventGroups", "GET", "/finances/v0/financialEventGroups")
        call(
            V0,
            "listFinancialEventGroups",
            "GET",
            "/finances/v0/financialEventGroups",
            params={"MaxResultsPerPage": 0},
        )
        call(V0, "listFinancialEvents", "GET", "/finances/v0/financialEvents", params={"PostedAfter": ago})
        call(V0, "listFinancialEvents", "GET", "/finances/v0/financialEvents", params={"PostedBefore": ago})
        # Reports
        made = {}
        for rt in (FBA_RETURNS, MFN_RETURNS, REIMBURSEMENTS):
            made[rt] = call(
                REP,
                "createReport",
                "POST",
                "/reports/2021-06-30/reports",
                json={"reportType": rt, "marketplaceIds": [US], "dataStartTime": ago},
            )
        call(
            REP,
            "createReport",
            "POST",
            "/reports/2021-06-30/reports",
            json={"reportType": SETTLEMENT, "marketplaceIds": [US]},
        )
        call(REP, "getReport", "GET", f"/reports/2021-06-30/reports/{made[FBA_RETURNS]['reportId']}")  # type: ignore[index]
        sb.advance_clock(25)
        call(REP, "getReport", "GET", f"/reports/2021-06-30/reports/{made[FBA_RETURNS]['reportId']}")  # type: ignore[index]
        sb.advance_clock(40)
        docs = []
        for rt in made:
            rep = call(REP, "getReport", "GET", f"/reports/2021-06-30/reports/{made[rt]['reportId']}")  # type: ignore[index]
            if "reportDocumentId" in rep:  # type: ignore[operator]
                docs.append(rep["reportDocumentId"])  # type: ignore[index]
        listing = call(
            REP,
            "getReports",
            "GET",
            "/reports/2021-06-30/reports",
            params={"reportTypes": f"{SETTLEMENT},{FBA_RETURNS},{MFN_RETURNS}", "pageSize": 2},
        )
        call(
            REP,
            "getReports",
            "GET",
            "/reports/2021-06-30/reports",
            params={"nextToken": listing["nextToken"]},
        )  # type: ignore[index]
        call(
            REP,
            "getReports",
            "GET",
            "/reports/2021-06-30/reports",
            params={"nextToken": listing["nextToken"], "pageSize": 5},
        )  # type: ignore[index]
        settlements = call(
            REP, "getReports", "GET", "/reports/2021-06-30/reports", params={"reportTypes": SETTLEMENT}
        )
        docs += [r["reportDocumentId"] for r in settlements["reports"][:2]]  # type: ignore[index]
        for doc in docs:
            call(REP, "getReportDocument", "GET", f"/reports/2021-06-30/documents/{doc}")
        call(REP, "getReportDocument", "GET", "/reports/2021-06-30/documents/nope")
        call(REP, "getReport", "GET", "/reports/2021-06-30/reports/0")
        # Orders
        orders = call(
            ORD, "getOrders", "GET", "/orders/v0/orders", params={"MarketplaceIds": US, "CreatedAfter": ago}
        )
        call(
            ORD,
            "getOrders",
            "GET",
            "/orders/v0/orders",
            params={"MarketplaceIds": US, "NextToken": orders["payload"]["NextToken"]},
        )  # type: ignore[index]
        call(ORD, "getOrders", "GET", "/orders/v0/orders", params={"CreatedAfter": ago})
        order_id = orders["payload"]["Orders"][0]["AmazonOrderId"]  # type: ignore[index]
        call(ORD, "getOrderItems", "GET", f"/orders/v0/orders/{order_id}/orderItems")
        call(ORD, "getOrderItems", "GET", "/orders/v0/orders/000-0000000-0000000/orderItems")
        rdt_request = {
            "restrictedResources": [
                {"method": "GET", "path": "/orders/v0/orders", "dataElements": ["buyerInfo", "shippingAddress"]}
            ]
        }
        rdt = call(TOK, "createRestrictedDataToken", "POST", "/tokens/2021-03-01/restrictedDataToken", json=rdt_request)
        # An app without the restricted role: Amazon's 400 InvalidInput refusal.
        sb.set_faults(pii_role=False)
        refusal = call(
            TOK, "createRestrictedDataToken", "POST", "/tokens/2021-03-01/restrictedDataToken", json=rdt_request
        )
        assert refusal["errors"][0]["message"].startswith("Application does not have access")  # type: ignore[index]
        # An app without a role: 403 Unauthorized on what needs it.
        sb.set_faults(pii_role=True, denied_roles=["Finance and Accounting", "Amazon Fulfillment"])
        call(FIN, "listTransactions", "GET", "/finances/2024-06-19/transactions", params={"postedAfter": ago})
        call(V0, "listFinancialEventGroups", "GET", "/finances/v0/financialEventGroups")
        call(
            REP,
            "createReport",
            "POST",
            "/reports/2021-06-30/reports",
            json={"reportType": FBA_RETURNS, "marketplaceIds": [US]},
        )
        sb.set_faults(denied_roles=["Inventory and Order Tracking"])
        call(ORD, "getOrders", "GET", "/orders/v0/orders", params={"MarketplaceIds": US, "CreatedAfter": ago})
        sb.set_faults(denied_roles=[])
        call(
            ORD,
            "getOrders",
            "GET",
            "/orders/v0/orders",
            params={"MarketplaceIds": US, "CreatedAfter": ago},
            headers={"x-amz-access-token": rdt["restrictedDataToken"]},
        )
        # Balances and Transfers (docs/CASHFLOW.md), on the EU endpoint (Transfers: EU stores only)
        eu = connect_module(sb, "spapi_eu")
        de, uk = marketplaces.get("DE").marketplace_id, marketplaces.get("UK").marketplace_id

        def eu_call(model: str, op: str, path: str, **kw: object) -> object:
            r = eu.request("GET", path, **kw)
            body = r.json() if r.content else None
            out.append((model, op, r.status_code, body))
            return body

        yesterday = (sb.now() - timedelta(days=2)).date().isoformat()
        bal = "/finances/2024-06-19/balances"
        eu_call(FIN, "listBalances", bal)
        eu_call(FIN, "listBalances", bal, params={"asOfDate": yesterday})
        for balance_type in ("TOTAL", "AVAILABLE", "RESERVED", "DEFERRED", "ACCOUNT_LEVEL_RESERVE"):
            eu_call(FIN, "listBalances", bal, params={"asOfDate": yesterday, "balanceType": balance_type,
                                                      "marketplaceIds": de})  # fmt: skip
        eu_call(FIN, "listBalances", bal, params={"balanceType": "NOPE"})
        eu_call(FIN, "listBalances", bal, params={"asOfDate": (sb.now() + timedelta(days=3)).date().isoformat()})
        pay, exp = "/finances/transfers/2024-06-01/payouts", "/finances/transfers/2024-06-01/payouts/expected"
        eu_call(TRF, "listPayouts", pay)
        eu_call(TRF, "listPayouts", pay, params={"marketplaceIds": de, "createdAfter": ago})
        eu_call(TRF, "listPayouts", pay, params={"marketplaceIds": uk})
        eu_call(TRF, "listPayouts", pay, params={"createdAfter": iso(sb.now() + timedelta(days=1))})
        eu_call(TRF, "listExpectedPayouts", exp)
        eu_call(TRF, "listExpectedPayouts", exp, params={"marketplaceIds": uk})
        sb.set_faults(denied_roles=["Finance and Accounting"])
        for model, op, path in ((FIN, "listBalances", bal), (TRF, "listPayouts", pay), (TRF, "listExpectedPayouts", exp)):
            eu_call(model, op, path)
        sb.set_faults(denied_roles=[])
        for model, op, path in ((FIN, "listBalances", bal), (TRF, "listPayouts", pay), (TRF, "listExpectedPayouts", exp)):
            sb.set_faults(throttle_burst={"operation": op, "count": 1})
            eu_call(model, op, path)
            sb.set_faults(server_errors={"operation": op, "count": 1})
            eu_call(model, op, path)
            sb.set_faults(server_errors={"operation": op, "count": 1, "status": 503})
            eu_call(model, op, path)
        # Error bodies: 403, 429, 500, 503 for each API family.
        for model, op, path in (
            (FIN, "listTransactions", "/finances/2024-06-19/transactions"),
            (V0, "listFinancialEventGroups", "/finances/v0/financialEventGroups"),
            (REP, "getReports", "/reports/2021-06-30/reports"),
            (ORD, "getOrders", "/orders/v0/orders"),
        ):
            call(model, op, "GET", path, headers={"x-amz-access-token": "Atza|forged"})
            sb.set_faults(throttle_burst={"operation": op, "count": 1})
            call(model, op, "GET", path)
            sb.set_faults(server_errors={"operation": op, "count": 1})
            call(model, op, "GET", path)
            sb.set_faults(server_errors={"operation": op, "count": 1, "status": 503})
            call(model, op, "GET", path)
        yield out


@pytest.fixture(scope="module")
def connect_module(world):  # noqa: ANN001, ANN201
    import json

    from acorn_sim.sandbox import sandbox_connections

    from .conftest import Client

    def _connect(handle, conn_id):  # noqa: ANN001, ANN202
        client = Client(
            handle, json.loads(sandbox_connections(handle, world)["AIRFLOW_CONN_" + conn_id.upper()])
        )
        client.login()
        return client

    return _connect


def test_every_served_body_matches_the_model(served) -> None:  # noqa: ANN001
    seen = set()
    failures = []
    for model, op, status, body in served:
        seen.add((op, status))
        try:
            validate_response(model, op, status, body)
        except jsonschema.ValidationError as exc:
            failures.append(f"{op} {status}: {exc.message} at {list(exc.absolute_path)}")
    assert not failures, "\n".join(failures)
    expected = {
        ("listTransactions", 200),
        ("listTransactions", 400),
        ("listFinancialEventGroups", 200),
        ("listFinancialEventGroups", 400),
        ("listFinancialEvents", 200),
        ("listFinancialEvents", 400),
        ("createReport", 202),
        ("createReport", 400),
        ("getReport", 200),
        ("getReport", 404),
        ("getReports", 200),
        ("getReports", 400),
        ("getReportDocument", 200),
        ("getReportDocument", 404),
        ("getOrders", 200),
        ("getOrders", 400),
        ("getOrderItems", 200),
        ("getOrderItems", 404),
        ("createRestrictedDataToken", 200),
        ("createRestrictedDataToken", 400),
        ("createReport", 403),
        ("listBalances", 200),
        ("listBalances", 400),
        ("listPayouts", 200),
        ("listPayouts", 400),
        ("listExpectedPayouts", 200),
        ("listExpectedPayouts", 400),
    } | {
        (op, s) for op in ("listBalances", "listPayouts", "listExpectedPayouts") for s in (403, 429, 500, 503)
    } | {
        (op, s)
        for op in ("listTransactions", "listFinancialEventGroups", "getReports", "getOrders")
        for s in (403, 429, 500, 503)
    }
    assert expected <= seen, sorted(expected - seen)


def test_report_statuses_covered(served, world) -> None:  # noqa: ANN001
    if not isinstance(world, TinyWorld):
        pytest.skip("which report types end CANCELLED depends on the world")
    statuses = {body["processingStatus"] for _, op, code, body in served if op == "getReport" and code == 200}  # type: ignore[index]
    assert statuses == {"IN_QUEUE", "IN_PROGRESS", "DONE", "CANCELLED", "FATAL"}


@pytest.mark.parametrize(
    ("model", "op", "status", "body"),
    [
        (FIN, "listTransactions", 200, {"payload": {"transactions": [], "NextToken": "x"}}),  # v0 casing
        (FIN, "listTransactions", 200, {"payload": {"transactions": [{"postedDate": "yesterday"}]}}),
        (REP, "getReports", 200, {"reports": [{"reportId": "1"}]}),  # required fields missing
        (
            REP,
            "getReport",
            200,
            {
                "reportId": "1",
                "reportType": "X",
                "createdTime": "2025-01-01T00:00:00Z",
                "processingStatus": "Done",
            },
        ),
        (V0, "listFinancialEventGroups", 400, {"errors": {"code": "x", "message": "y"}}),
        (ORD, "getOrders", 200, {"payload": {"Orders": [{"AmazonOrderId": "1"}]}}),
    ],
    ids=["casing", "date-format", "report-required", "status-enum", "errors-not-list", "order-required"],
)
def test_validator_rejects_bad_shapes(model, op, status, body) -> None:  # noqa: ANN001
    with pytest.raises(jsonschema.ValidationError):
        validate_response(model, op, status, body)


def test_undeclared_status_and_operation() -> None:
    with pytest.raises(ModelError):
        response_schema(REP, "getReports", 418)
    with pytest.raises(ModelError):
        response_schema(REP, "noSuchOperation", 200)
    assert response_schema(REP, "cancelReport", 200) is None
