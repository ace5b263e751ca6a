"""Each fault switch, via the handle and via HTTP POST /_sandbox/faults."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import requests

from acorn_sim.sandbox import SandboxConfig, start_sandbox
from acorn_sim.sandbox.runtime import iso
from acorn_sim.sandbox.tiny_world import FBA_RETURNS

pytestmark = pytest.mark.integration
TX = "/finances/2024-06-19/transactions"
GROUPS = "/finances/v0/financialEventGroups"


def _tx(client, handle, **extra):  # noqa: ANN001, ANN202
    return client.get(TX, params={"postedAfter": iso(handle.now() - timedelta(days=90)), **extra})


def test_throttle_burst_targets_one_operation(sandbox, na) -> None:  # noqa: ANN001
    sandbox.set_faults(throttle_burst={"operation": "listTransactions", "count": 2})
    assert na.get(GROUPS).status_code == 200
    codes = [_tx(na, sandbox).status_code for _ in range(3)]
    assert codes == [429, 429, 200]


def test_server_errors(sandbox, na) -> None:  # noqa: ANN001
    sandbox.set_faults(server_errors={"count": 2, "status": 503})
    first, second, third = (na.get(GROUPS) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert first.json()["errors"][0]["code"] == "InternalFailure"
    assert "x-amzn-RateLimit-Limit" not in first.headers
    sandbox.set_faults(server_errors=1)
    assert na.get(GROUPS).status_code == 500


def test_drop_connections(sandbox, na) -> None:  # noqa: ANN001
    sandbox.set_faults(drop_connections={"operation": "listFinancialEventGroups", "count": 1})
    with pytest.raises(requests.ConnectionError):
        na.get(GROUPS)
    assert na.get(GROUPS).status_code == 200
    assert sandbox.stats()["operations"]["listFinancialEventGroups"]["dropped"] == 1


def test_expire_access_tokens_now(sandbox, na) -> None:  # noqa: ANN001
    assert na.get(GROUPS).status_code == 200
    sandbox.set_faults(expire_access_tokens=True)
    r = na.get(GROUPS)
    assert r.status_code == 403
    assert r.json()["errors"][0]["details"] == "The access token you provided has expired."
    na.login()  # tokens issued afterwards are fine
    assert na.get(GROUPS).status_code == 200


def test_expire_access_tokens_after_calls(sandbox, na) -> None:  # noqa: ANN001
    sandbox.set_faults(expire_access_tokens={"after_calls": 2})
    assert [na.get(GROUPS).status_code for _ in range(3)] == [200, 200, 403]


def test_expire_page_tokens(sandbox, na) -> None:  # noqa: ANN001
    token = _tx(na, sandbox).json()["payload"]["nextToken"]
    sandbox.set_faults(expire_page_tokens={"count": 1, "operation": "listTransactions"})
    r = _tx(na, sandbox, nextToken=token)
    assert r.status_code == 400
    assert r.json() == {
        "errors": [{"code": "InvalidInput", "message": "Token is not valid, token duration is 25 minutes."}]
    }
    assert _tx(na, sandbox, nextToken=token).status_code == 200


def test_page_tokens_expire_by_clock(sandbox, na) -> None:  # noqa: ANN001
    token = _tx(na, sandbox).json()["payload"]["nextToken"]
    sandbox.advance_clock(25 * 60 + 1)
    na.login()
    r = _tx(na, sandbox, nextToken=token)
    assert r.status_code == 400 and "25 minutes" in r.json()["errors"][0]["message"]


def test_slow_responses(sandbox, na) -> None:  # noqa: ANN001
    sandbox.set_faults(slow_responses={"count": 1, "seconds": 0.3})
    start = time.monotonic()
    assert na.get(GROUPS).status_code == 200
    assert time.monotonic() - start >= 0.3
    start = time.monotonic()
    na.get(GROUPS)
    assert time.monotonic() - start < 0.3


def test_faults_over_http_and_fatal_report_types(sandbox, na) -> None:  # noqa: ANN001
    r = requests.post(sandbox.url + "/_sandbox/faults", json={"fatal_report_types": [FBA_RETURNS]}, timeout=5)
    assert r.status_code == 200 and r.json()["fatal_report_types"] == [FBA_RETURNS]
    report_id = na.post(
        "/reports/2021-06-30/reports",
        json={"reportType": FBA_RETURNS, "marketplaceIds": na.marketplace_ids[:1]},
    ).json()["reportId"]
    sandbox.advance_clock(61)
    assert na.get(f"/reports/2021-06-30/reports/{report_id}").json()["processingStatus"] == "FATAL"
    r = requests.post(
        sandbox.url + "/_sandbox/faults",
        json={"reset": True, "throttle_burst": [{"operation": "getReport", "count": 1}, 2]},
        timeout=5,
    )
    state = r.json()
    assert state["fatal_report_types"] == []
    assert {(e["operation"], e["count"]) for e in state["throttle_burst"]} == {("getReport", 1), ("*", 2)}
    assert requests.post(sandbox.url + "/_sandbox/faults", json={"nonsense": 1}, timeout=5).status_code == 400
    stats = requests.get(sandbox.url + "/_sandbox/stats", timeout=5).json()
    assert stats["operations"]["createReport"]["served"] == 1
    clock = requests.post(sandbox.url + "/_sandbox/clock", json={"advance_seconds": 60}, timeout=5).json()
    assert clock["now"] > iso(sandbox.now() - timedelta(seconds=30))


def test_initial_faults_from_config_and_lwa_target(world, connect) -> None:  # noqa: ANN001
    config = SandboxConfig(time_scale=100, faults={"server_errors": {"operation": "lwaToken", "count": 1}})
    with start_sandbox(world, config) as sb:
        with pytest.raises(requests.HTTPError):
            connect(sb, "spapi_na")
        client = connect(sb, "spapi_na")  # the retry succeeds
        assert client.get(GROUPS).status_code == 200


def test_wildcard_faults_spare_lwa_and_downloads(sandbox, connect) -> None:  # noqa: ANN001
    sandbox.set_faults(server_errors=5)
    client = connect(sandbox, "spapi_na")  # LWA is not hit by "*"
    assert client.get(GROUPS).status_code == 500
