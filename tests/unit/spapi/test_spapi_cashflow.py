"""listBalances, listPayouts and listExpectedPayouts: paths, parameters, paging, roles and rates.

Response bodies are the models' own `x-amzn-api-sandbox` static examples
(finances_2024-06-19.json, transfers_2024-06-01.json), copied as Amazon wrote them.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from acorn.spapi import MissingRoleError
from acorn.spapi.ratelimit import OPERATION_LIMITS, RateLimit
from acorn.spapi.roles import FINANCE_AND_ACCOUNTING, role_for

pytestmark = pytest.mark.unit

BALANCES = "/finances/2024-06-19/balances"
PAYOUTS = "/finances/transfers/2024-06-01/payouts"
EXPECTED = "/finances/transfers/2024-06-01/payouts/expected"
DE, FR = "A1PA6795UKMFR9", "A13V1IB3VIYZZH"

# finances_2024-06-19.json listBalances 200, the asOfDate case.
SANDBOX_BALANCES = {
    "balances": [
        {
            "partnerMetadata": {"partnerId": "XXXXXXXXXXXXXX", "accountType": "Standard Orders", "marketplaceId": "AXXXXXXXXXER"},
            "balanceType": "TOTAL",
            "amount": {"currencyAmount": 15000, "currencyCode": "USD"},
            "asOfDate": "2025-01-12",
            "balances": [
                {"balanceType": "AVAILABLE", "amount": {"currencyAmount": 8000, "currencyCode": "USD"}},
                {
                    "balanceType": "RESERVED",
                    "amount": {"currencyAmount": 7000, "currencyCode": "USD"},
                    "balances": [
                        {"balanceType": "DEFERRED", "amount": {"currencyAmount": 9000, "currencyCode": "USD"}},
                        {"balanceType": "ACCOUNT_LEVEL_RESERVE", "amount": {"currencyAmount": -2000, "currencyCode": "USD"}},
                    ],
                },
            ],
        }
    ],
    "nextToken": "jehgri34yo7jr9e8f984tr9i4o",
}  # fmt: skip

# transfers_2024-06-01.json listPayouts 200.
SANDBOX_PAYOUTS = {
    "payouts": [
        {
            "id": "11888387941",
            "partnerMetadata": {"partnerId": "AXXXXXXXXXXXXX", "accountType": "STANDARD_ORDERS", "marketplaceId": "ATVPDKIKX0DER"},
            "currentStatus": "PAID",
            "statusHistory": [
                {"status": "STARTED", "lastUpdatedDate": "2024-06-01T00:00:00Z"},
                {"status": "IN_TRANSIT", "lastUpdatedDate": "2024-06-01T06:00:00Z"},
                {"status": "PAID", "lastUpdatedDate": "2024-06-02T12:00:00Z"},
            ],
            "type": "SCHEDULED",
            "amount": {"currencyCode": "USD", "currencyAmount": 1250.75},
            "accountTail": "1234",
            "paymentMethod": "BANK_ACCOUNT",
            "creationDate": "2024-06-01T00:00:00Z",
            "paymentRail": "ACH",
            "traceId": "4B03616UONXSAWP",
            "period": {"startDate": "2025-12-13T06:26:45Z", "endDate": "2025-12-14T06:30:45Z"},
            "relatedIdentifiers": [{"relatedIdentifierName": "SETTLEMENT_ID", "relatedIdentifierValue": "11888387941"}],
        }
    ],
    "nextToken": "eyJhbGciOiJIUzI1NiJ9",
}  # fmt: skip

# transfers_2024-06-01.json listExpectedPayouts 200.
SANDBOX_EXPECTED = {
    "expectedPayouts": [
        {
            "partnerMetadata": {"partnerId": "A1B2C3D4E5F6G7", "accountType": "STANDARD_ORDERS", "marketplaceId": "ATVPDKIKX0DER"},
            "amount": {"currencyCode": "USD", "currencyAmount": 2547.89},
            "status": "SCHEDULED",
            "scheduledDate": "2024-03-22T14:00:00Z",
            "accountTail": "1234",
            "paymentMethod": "BANK_ACCOUNT",
            "period": {"startDate": "2024-03-08T14:00:00Z", "endDate": "2024-03-22T14:00:00Z"},
            "relatedIdentifiers": [{"relatedIdentifierName": "SETTLEMENT_ID", "relatedIdentifierValue": "SGI_20240308_001"}],
        }
    ],
    "nextToken": "eyJhbGciOiJIUzI1NiJ9",
}  # fmt: skip


def _two_pages(first: dict, list_key: str, *, empty_second: bool = False):
    """The sandbox body first (with its nextToken), then a last page without one."""

    def handler(req):
        if "nextToken" not in req.query:
            return 200, {}, first
        last = (
            {list_key: []}
            if empty_second
            else copy.deepcopy({k: v for k, v in first.items() if k != "nextToken"})
        )
        return 200, {}, last

    return handler


def test_list_balances_asks_one_day_for_all_marketplaces_and_types_and_follows_next_token(
    server, make_client
):
    server.route("GET", BALANCES)(_two_pages(SANDBOX_BALANCES, "balances"))
    pages = make_client().balance_pages(date(2025, 1, 12))
    first, second = server.calls(BALANCES)
    assert first.query == {"asOfDate": "2025-01-12"}  # no marketplaceIds, no balanceType: all of them
    # The model: the next page repeats the arguments that produced the token.
    assert second.query == {"asOfDate": "2025-01-12", "nextToken": "jehgri34yo7jr9e8f984tr9i4o"}
    assert [len(p.records) for p in pages] == [1, 1]
    assert (
        pages[0].request_id
        and pages[0].records[0]["balances"][1]["balances"][1]["amount"]["currencyAmount"] == -2000
    )


def test_list_payouts_sends_the_window_and_the_transfers_marketplaces_and_reads_past_an_empty_page(
    server, make_client
):
    calls = []

    @server.route("GET", PAYOUTS)
    def handler(req):
        calls.append(dict(req.query))
        if len(calls) == 1:
            return 200, {}, {"payouts": [], "nextToken": "t1"}  # "this operation can return empty pages"
        if len(calls) == 2:
            return 200, {}, SANDBOX_PAYOUTS
        return 200, {}, {"payouts": []}

    pages = make_client("eu").payout_pages(
        ["DE", FR], datetime(2024, 6, 1, tzinfo=UTC), datetime(2024, 6, 30, tzinfo=UTC)
    )
    window = {"createdAfter": "2024-06-01T00:00:00Z", "createdBefore": "2024-06-30T00:00:00Z"}
    assert calls[0] == {**window, "marketplaceIds": f"{DE},{FR}"}
    assert calls[1] == {**window, "marketplaceIds": f"{DE},{FR}", "nextToken": "t1"}
    assert calls[2]["nextToken"] == "eyJhbGciOiJIUzI1NiJ9" and len(calls) == 3
    (payout,) = [r for p in pages for r in p.records]
    assert payout["amount"]["currencyAmount"] == Decimal("1250.75")  # exact, never a float


def test_list_expected_payouts_asks_one_marketplace(server, make_client):
    server.route("GET", EXPECTED)(_two_pages(SANDBOX_EXPECTED, "expectedPayouts", empty_second=True))
    pages = make_client("eu").expected_payout_pages(DE)
    assert [c.query for c in server.calls(EXPECTED)] == [
        {"marketplaceIds": DE},
        {"marketplaceIds": DE, "nextToken": "eyJhbGciOiJIUzI1NiJ9"},
    ]
    assert [len(p.records) for p in pages] == [1, 0]
    assert pages[0].records[0]["amount"]["currencyAmount"] == Decimal("2547.89")


@pytest.mark.parametrize(
    ("path", "call", "operation"),
    [
        (BALANCES, lambda c: c.balance_pages(date(2025, 1, 12)), "listBalances"),
        (PAYOUTS, lambda c: c.payout_pages([DE], datetime(2024, 6, 1, tzinfo=UTC), datetime(2024, 6, 2, tzinfo=UTC)),
         "listPayouts"),
        (EXPECTED, lambda c: c.expected_payout_pages(DE), "listExpectedPayouts"),
    ],
)  # fmt: skip
def test_a_403_names_the_finance_and_accounting_role(server, make_client, path, call, operation):
    server.route("GET", path)(
        lambda req: (
            403,
            {},
            {"errors": [{"code": "Unauthorized", "message": "Access to requested resource is denied."}]},
        )
    )
    with pytest.raises(MissingRoleError) as info:
        call(make_client("eu"))
    assert (info.value.operation, info.value.role) == (operation, FINANCE_AND_ACCOUNTING)


def test_the_cash_flow_operations_have_the_models_usage_plan_and_role():
    for op in ("listBalances", "listPayouts", "listExpectedPayouts"):
        assert OPERATION_LIMITS[op] == RateLimit(0.5, 10)
        assert role_for(op) == FINANCE_AND_ACCOUNTING
