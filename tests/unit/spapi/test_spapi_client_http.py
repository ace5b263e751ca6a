"""Auth, retries and errors against a throwaway HTTP server."""

from __future__ import annotations

import pytest

from acorn.spapi import RetriesExhaustedError, SpApiError, WrongRegionError

pytestmark = pytest.mark.unit

GROUPS = "/finances/v0/financialEventGroups"
REPORT = "/reports/2021-06-30/reports/R1"


def _ok_report(req):
    return 200, {"x-amzn-RateLimit-Limit": "2.0"}, {"reportId": "R1", "processingStatus": "DONE"}


def test_headers_and_token_cached(server, make_client):
    server.route("GET", REPORT)(_ok_report)
    client = make_client()
    assert client.get_report("R1")["reportId"] == "R1"
    client.get_report("R1")
    assert server.token_count == 1
    lwa = server.calls("/auth/o2/token")[0]
    assert lwa.form() == {
        "grant_type": "refresh_token",
        "refresh_token": "Atzr|REFRESH-token-abcdefghijkl",
        "client_id": "amzn1.application-oa2-client.TESTCLIENTID",
        "client_secret": "SECRET-client-secret-0123456789",
    }
    call = server.calls(REPORT)[0]
    assert call.headers["x-amz-access-token"] == "Atza|ACCESS-1"
    assert call.headers["user-agent"] == "ACORN-i/0.1 (Language=Python/3.11)"
    assert call.headers["accept"] == "application/json"


def test_token_renewed_before_expiry(server, make_client, clock):
    server.route("GET", REPORT)(_ok_report)
    client = make_client()
    client.get_report("R1")
    clock.t += 3600 - 61  # still outside the 60 s margin
    client.get_report("R1")
    assert server.token_count == 1
    clock.t += 2  # inside the margin: renew
    client.get_report("R1")
    assert server.token_count == 2


def test_expired_token_refreshed_once_then_retried(server, make_client):
    seen = []

    @server.route("GET", REPORT)
    def handler(req):
        seen.append(req.headers["x-amz-access-token"])
        if req.headers["x-amz-access-token"] == "Atza|ACCESS-1":
            return (
                403,
                {},
                {
                    "errors": [
                        {
                            "code": "Unauthorized",
                            "message": "Access to requested resource is denied.",
                            "details": "The access token you provided has expired.",
                        }
                    ]
                },
            )
        return _ok_report(req)

    assert make_client().get_report("R1")["reportId"] == "R1"
    assert seen == ["Atza|ACCESS-1", "Atza|ACCESS-2"]


def test_expired_token_refreshed_only_once(server, make_client):
    server.route("GET", REPORT)(
        lambda req: (
            401,
            {},
            {"errors": [{"code": "Unauthorized", "message": "The access token has expired"}]},
        )
    )
    with pytest.raises(SpApiError) as err:
        make_client().get_report("R1")
    assert err.value.status == 401 and len(server.calls(REPORT)) == 2 and server.token_count == 2


def test_missing_role_403_fails_at_once(server, make_client):
    server.route("GET", REPORT)(
        lambda req: (
            403,
            {},
            {"errors": [{"code": "Unauthorized", "message": "Access to requested resource is denied."}]},
        )
    )
    with pytest.raises(SpApiError):
        make_client().get_report("R1")
    assert len(server.calls(REPORT)) == 1 and server.token_count == 1


def test_five_5xx_fail_after_exactly_five_attempts(server, make_client, clock):
    server.route("GET", REPORT)(
        lambda req: (503, {}, {"errors": [{"code": "ServiceUnavailable", "message": "Try later"}]})
    )
    with pytest.raises(RetriesExhaustedError) as err:
        make_client().get_report("R1")
    assert len(server.calls(REPORT)) == 5
    text = str(err.value)
    assert "gave up after 5 attempts" in text and "getReport" in text and "status=503" in text
    assert "code=ServiceUnavailable" in text and "message=Try later" in text and "request_id=req-" in text
    assert err.value.attempts == 5
    assert len([s for s in clock.sleeps if s < 1]) >= 4  # backoff between attempts


def test_backoff_is_full_jitter_exponential(make_client):
    transport = make_client(backoff_base=1.0, backoff_cap=10.0).transport
    transport._jitter = lambda: 1.0
    assert [transport.backoff_delay(a) for a in (1, 2, 3, 4, 5)] == [1, 2, 4, 8, 10]
    transport._jitter = lambda: 0.0
    assert transport.backoff_delay(3, retry_after="3") == 3


def test_429_is_retried(server, make_client):
    replies = iter(
        [
            (429, {}, {"errors": [{"code": "QuotaExceeded", "message": "You exceeded your quota"}]}),
            (500, {}, b"oops"),
        ]
    )

    @server.route("GET", REPORT)
    def handler(req):
        return next(replies, None) or _ok_report(req)

    assert make_client().get_report("R1")["reportId"] == "R1"
    assert len(server.calls(REPORT)) == 3


def test_400_fails_immediately_with_details(server, make_client):
    server.route("GET", REPORT)(
        lambda req: (
            400,
            {"x-amzn-RequestId": "REQ-400-XYZ"},
            {
                "errors": [
                    {"code": "InvalidInput", "message": "Date range is invalid.", "details": "postedAfter"}
                ]
            },
        )
    )
    with pytest.raises(SpApiError) as err:
        make_client().get_report("R1")
    assert not isinstance(err.value, RetriesExhaustedError)
    assert len(server.calls(REPORT)) == 1
    e = err.value
    assert (e.status, e.code, e.error_message, e.request_id) == (
        400,
        "InvalidInput",
        "Date range is invalid.",
        "REQ-400-XYZ",
    )
    assert "InvalidInput" in str(e) and "Date range is invalid." in str(e) and "REQ-400-XYZ" in str(e)


def test_connection_errors_retried_then_clear_error(make_client, clock):
    client = make_client()
    client.credentials = client.credentials.__class__(
        **{**client.credentials.__dict__, "endpoint": "http://127.0.0.1:9"}
    )
    client.tokens._token, client.tokens._renew_at = "Atza|ACCESS-x", clock.t + 1000
    with pytest.raises(RetriesExhaustedError, match="gave up after 5 attempts") as err:
        client.get_report("R1")
    assert err.value.code == "ConnectionError" and err.value.attempts == 5


def test_lwa_error_fails_clearly(server, make_client):
    server.route("POST", "/auth/o2/token")(
        lambda req: (400, {}, {"error": "invalid_grant", "error_description": "refresh token is invalid"})
    )
    with pytest.raises(SpApiError) as err:
        make_client().get_report("R1")
    assert err.value.operation == "lwaToken" and err.value.code == "invalid_grant"


def test_wrong_region_is_an_error(make_client):
    client = make_client("na")
    with pytest.raises(WrongRegionError, match="EU"):
        client.create_report("GET_FBA_REIMBURSEMENTS_DATA", ["A21TJRUUN4KGV"])  # India is on the EU host
    with pytest.raises(WrongRegionError):
        next(
            client.get_orders(
                ["DE"],
                created_after=__import__("datetime").datetime(2025, 1, 1, tzinfo=__import__("datetime").UTC),
            )
        )


def test_rate_limit_header_adapts_bucket_both_ways(server, make_client):
    rates = iter(["50.0", "0.25"])
    server.route("GET", REPORT)(
        lambda req: (200, {"x-amzn-RateLimit-Limit": next(rates)}, {"reportId": "R1"})
    )
    client = make_client()
    bucket = client.buckets.get("A3SELLERTEST", "getReport")
    assert bucket.rate == pytest.approx(2.0 * 0.97)
    client.get_report("R1")
    assert bucket.rate == pytest.approx(50 * 0.97)
    client.get_report("R1")
    assert bucket.rate == pytest.approx(0.25 * 0.97)


def test_token_fetched_once_across_threads(server, make_client):
    import threading

    server.route("GET", REPORT)(_ok_report)
    client = make_client()
    threads = [threading.Thread(target=client.get_report, args=("R1",)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert server.token_count == 1 and len(server.calls(REPORT)) == 8
