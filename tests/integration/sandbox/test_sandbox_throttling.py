"""Token buckets per (seller, operation) at documented rate x time_scale."""

from __future__ import annotations

from datetime import timedelta

import pytest

from acorn_sim.sandbox import SandboxConfig, start_sandbox
from acorn_sim.sandbox.runtime import iso

pytestmark = pytest.mark.integration
TX = "/finances/2024-06-19/transactions"


def test_burst_then_429_without_rate_header(world, connect) -> None:  # noqa: ANN001
    with start_sandbox(world, SandboxConfig(time_scale=1.0)) as sb:
        na = connect(sb, "spapi_na")
        params = {"postedAfter": iso(sb.now() - timedelta(days=1))}
        answers = [na.get(TX, params=params) for _ in range(13)]
        codes = [r.status_code for r in answers]
        assert codes[:10] == [200] * 10 and codes[-2:] == [429, 429]
        for r in answers:
            if r.status_code == 200:
                assert r.headers["x-amzn-RateLimit-Limit"] == "0.5"
            else:
                assert "x-amzn-RateLimit-Limit" not in r.headers
                assert r.json() == {
                    "errors": [
                        {
                            "code": "QuotaExceeded",
                            "message": "You exceeded your quota for the requested resource.",
                        }
                    ]
                }
        # Buckets are per seller: another seller is not throttled.
        other = connect(sb, "spapi_na_2")
        assert other.get(TX, params=params).status_code == 200
        # ... and per operation.
        assert na.get("/finances/v0/financialEventGroups").status_code == 200
        stats = sb.stats()["operations"]["listTransactions"]
        assert stats["throttled"] == codes.count(429) and stats["served"] == codes.count(200) + 1
        assert len(stats["accepted_at"]) == stats["served"]


def test_scaled_rate_refills(world, connect) -> None:  # noqa: ANN001
    # getReport: 2 rps x 100 = 200 rps, burst 15 -> a quick loop of 40 rarely sees 429 at all,
    # while getReports (0.0222 x 100 = 2.22 rps, burst 10) must throttle.
    with start_sandbox(world, SandboxConfig(time_scale=100.0)) as sb:
        na = connect(sb, "spapi_na")
        codes = [
            na.get("/reports/2021-06-30/reports", params={"reportTypes": "X"}).status_code for _ in range(16)
        ]
        assert codes[:10] == [200] * 10 and 429 in codes[10:]
        r = na.get("/reports/2021-06-30/reports/1")
        assert r.headers["x-amzn-RateLimit-Limit"] == "200.0"
