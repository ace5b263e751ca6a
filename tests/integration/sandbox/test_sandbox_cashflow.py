"""listBalances, listPayouts and listExpectedPayouts over HTTP (docs/CASHFLOW.md), every 200
validated against the official models."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from acorn import marketplaces
from acorn_sim.sandbox import SandboxConfig, start_sandbox
from acorn_sim.sandbox.models import validate_response
from acorn_sim.sandbox.runtime import iso, parse_iso
from acorn_sim.sandbox.tiny_world import SELLER_A
from tests.spapi_models import require_spapi_models

pytestmark = pytest.mark.integration

FIN = "finances_2024-06-19.json"
TRF = "transfers_2024-06-01.json"
BAL = "/finances/2024-06-19/balances"
PAY = "/finances/transfers/2024-06-01/payouts"
EXP = "/finances/transfers/2024-06-01/payouts/expected"
DE = marketplaces.get("DE").marketplace_id
UK = marketplaces.get("UK").marketplace_id
US = marketplaces.get("US").marketplace_id


@pytest.fixture(scope="module", autouse=True)
def _official_models() -> None:
    require_spapi_models(FIN, TRF)


@pytest.fixture
def eu(sandbox, connect):  # noqa: ANN001, ANN201
    return connect(sandbox, "spapi_eu")


def _ok(model: str, op: str, r) -> dict:  # noqa: ANN001
    assert r.status_code == 200, r.text
    body = r.json()
    validate_response(model, op, 200, body)
    assert r.headers["x-amzn-RateLimit-Limit"]
    return body


def _amount(node: dict) -> Decimal:
    return Decimal(str(node["amount"]["currencyAmount"]))


def test_balances_of_a_past_day_add_up(eu, sandbox) -> None:  # noqa: ANN001
    day = (sandbox.now() - timedelta(days=3)).date().isoformat()
    body = _ok(FIN, "listBalances", eu.get(BAL, params={"asOfDate": day}))
    tops = body["balances"]
    assert {b["partnerMetadata"]["marketplaceId"] for b in tops} == {DE, UK}  # the EU account's marketplaces
    assert {b["balanceType"] for b in tops} == {
        "TOTAL",
        "AVAILABLE",
        "RESERVED",
        "DEFERRED",
        "ACCOUNT_LEVEL_RESERVE",
    }
    for b in tops:
        assert b["asOfDate"].startswith(day) and b["partnerMetadata"]["partnerId"] == SELLER_A
        if b["balanceType"] == "TOTAL":
            available, reserved = b["balances"]
            assert _amount(b) == _amount(available) + _amount(reserved)
            assert _amount(reserved) == sum(_amount(x) for x in reserved["balances"])
    one = _ok(FIN, "listBalances", eu.get(BAL, params={"asOfDate": day, "balanceType": "DEFERRED",
                                                       "marketplaceIds": DE}))  # fmt: skip
    (deferred,) = one["balances"]
    assert deferred["balanceType"] == "DEFERRED" and deferred["partnerMetadata"]["marketplaceId"] == DE
    now = _ok(FIN, "listBalances", eu.get(BAL, params={"balanceType": "TOTAL"}))
    assert all("asOfDate" not in b for b in now["balances"])  # a point-in-time balance carries no date
    other = _ok(FIN, "listBalances", eu.get(BAL, params={"accountType": "Invoiced Orders"}))
    assert other["balances"] == []


@pytest.mark.parametrize(
    "params",
    [{"balanceType": "PENDING"}, {"asOfDate": "2025-13-01"}, {"asOfDate": "yesterday"}, {"marketplaceIds": US},
     {"marketplaceIds": "NOPE"}],
)  # fmt: skip
def test_balances_refuse_bad_input(eu, params) -> None:  # noqa: ANN001
    r = eu.get(BAL, params=params)
    assert r.status_code == 400
    validate_response(FIN, "listBalances", 400, r.json())
    assert r.json()["errors"][0]["code"] == "InvalidInput"


def test_balances_refuse_a_day_that_has_not_ended(eu, sandbox) -> None:  # noqa: ANN001
    today = sandbox.now().date().isoformat()
    tomorrow = (sandbox.now() + timedelta(days=1)).date().isoformat()
    for day in (today, tomorrow):
        r = eu.get(BAL, params={"asOfDate": day, "marketplaceIds": DE})
        assert r.status_code == 400 and "future" in r.json()["errors"][0]["message"]


def test_payouts_with_histories_and_the_failed_one(eu, sandbox) -> None:  # noqa: ANN001
    body = _ok(TRF, "listPayouts", eu.get(PAY))
    payouts = body["payouts"]
    assert payouts and {p["partnerMetadata"]["marketplaceId"] for p in payouts} == {
        DE
    }  # UK is no Transfers store
    created = [p["creationDate"] for p in payouts]
    assert created == sorted(created, reverse=True)  # most recent first
    for p in payouts:
        assert p["currentStatus"] == p["statusHistory"][-1]["status"]
        assert all(parse_iso(e["lastUpdatedDate"]) <= sandbox.now() for e in p["statusHistory"])
        (rel,) = p["relatedIdentifiers"]
        assert rel["relatedIdentifierName"] == "SETTLEMENT_ID"
        if p["currentStatus"] == "NO_PAYOUT":
            assert "amount" not in p and "type" not in p
    (failed,) = [p for p in payouts if p["currentStatus"] == "FAILED"]
    assert failed["statusHistory"][-1]["failureReason"]
    one = _ok(TRF, "listPayouts", eu.get(PAY, params={"payoutId": failed["id"]}))
    assert [p["id"] for p in one["payouts"]] == [failed["id"]]
    window = _ok(TRF, "listPayouts", eu.get(PAY, params={"createdAfter": failed["creationDate"],
                                                         "createdBefore": iso(sandbox.now())}))  # fmt: skip
    assert failed["id"] in [p["id"] for p in window["payouts"]]
    assert all(p["creationDate"] >= failed["creationDate"] for p in window["payouts"])
    # the re-send is in the world's future: it appears once the clock passes it
    expected = _ok(TRF, "listExpectedPayouts", eu.get(EXP))["expectedPayouts"]
    (de,) = expected
    assert de["status"] == "AT_RISK" and de["partnerMetadata"]["marketplaceId"] == DE
    sandbox.advance_clock(3 * 86400)
    eu.login()  # the access token expired on the way
    later = _ok(TRF, "listPayouts", eu.get(PAY, params={"marketplaceIds": DE}))["payouts"]
    resent = [p for p in later if p["id"] not in {x["id"] for x in payouts}]
    assert len(resent) == 1 and resent[0]["amount"] == failed["amount"]
    assert resent[0]["relatedIdentifiers"] == failed["relatedIdentifiers"]
    assert next(p for p in later if p["id"] == failed["id"])["currentStatus"] == "FAILED"
    (de_later,) = _ok(TRF, "listExpectedPayouts", eu.get(EXP))["expectedPayouts"]
    assert de_later["status"] in ("SCHEDULED", "NO_PAYOUT_EXPECTED")


def test_payouts_page_with_next_token(eu) -> None:  # noqa: ANN001
    first = _ok(TRF, "listPayouts", eu.get(PAY))
    seen = [p["id"] for p in first["payouts"]]
    token = first.get("nextToken")
    while token:
        page = _ok(TRF, "listPayouts", eu.get(PAY, params={"nextToken": token}))
        seen += [p["id"] for p in page["payouts"]]
        token = page.get("nextToken")
    assert len(seen) == len(set(seen)) >= 4


@pytest.mark.parametrize("path,op", [(PAY, "listPayouts"), (EXP, "listExpectedPayouts")])
def test_transfers_refuse_a_store_amazon_does_not_document(eu, path, op) -> None:  # noqa: ANN001
    r = eu.get(path, params={"marketplaceIds": UK})
    assert r.status_code == 400
    validate_response(TRF, op, 400, r.json())
    assert "not a valid marketplace" in r.json()["errors"][0]["message"]


def test_transfers_on_the_na_endpoint_have_no_store(sandbox, connect) -> None:  # noqa: ANN001
    na = connect(sandbox, "spapi_na")
    assert _ok(TRF, "listPayouts", na.get(PAY))["payouts"] == []
    assert _ok(TRF, "listExpectedPayouts", na.get(EXP))["expectedPayouts"] == []
    assert na.get(PAY, params={"marketplaceIds": US}).status_code == 400


def test_bad_payout_windows(eu, sandbox) -> None:  # noqa: ANN001
    now = sandbox.now()
    for params in ({"createdAfter": "soon"}, {"createdAfter": iso(now + timedelta(days=2))},
                   {"createdAfter": iso(now - timedelta(days=2)), "createdBefore": iso(now - timedelta(days=3))}):  # fmt: skip
        r = eu.get(PAY, params=params)
        assert r.status_code == 400, params
        validate_response(TRF, "listPayouts", 400, r.json())


def test_an_app_without_finance_and_accounting_gets_403(eu, sandbox) -> None:  # noqa: ANN001
    sandbox.set_faults(denied_roles=["Finance and Accounting"])
    for path in (BAL, PAY, EXP):
        r = eu.get(path)
        assert r.status_code == 403 and r.json()["errors"][0]["code"] == "Unauthorized"


@pytest.mark.parametrize("path", [BAL, PAY, EXP])
def test_throttled_after_a_burst_of_10(world, connect, path) -> None:  # noqa: ANN001
    with start_sandbox(world, SandboxConfig()) as sb:  # documented rates: 0.5 rps, burst 10
        eu = connect(sb, "spapi_eu")
        codes = [eu.get(path).status_code for _ in range(12)]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]
