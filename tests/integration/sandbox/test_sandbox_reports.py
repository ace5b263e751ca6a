"""Reports 2021-06-30: lifecycle, settlements, getReports paging, documents and their URLs."""

from __future__ import annotations

import gzip
from datetime import timedelta

import pytest
import requests

from acorn import marketplaces
from acorn_sim.sandbox import SandboxConfig, start_sandbox
from acorn_sim.sandbox.runtime import iso
from acorn_sim.sandbox.tiny_world import FBA_RETURNS, MFN_RETURNS, REIMBURSEMENTS, SELLER_A, SETTLEMENT

pytestmark = pytest.mark.integration
REPORTS = "/reports/2021-06-30/reports"
US = marketplaces.get("US").marketplace_id


def _create(client, handle, report_type, days=30):  # noqa: ANN001, ANN202
    body = {
        "reportType": report_type,
        "marketplaceIds": [US],
        "dataStartTime": iso(handle.now() - timedelta(days=days)),
        "dataEndTime": iso(handle.now()),
    }
    r = client.post(REPORTS, json=body)
    assert r.status_code == 202, r.text
    return r.json()["reportId"]


def _download(client, doc_id):  # noqa: ANN001, ANN202
    doc = client.get(f"/reports/2021-06-30/documents/{doc_id}").json()
    assert doc["compressionAlgorithm"] == "GZIP"
    r = requests.get(doc["url"], timeout=10)  # pre-signed: no auth header
    assert r.status_code == 200
    return r, gzip.decompress(r.content)


def test_report_lifecycle_to_done(sandbox, na, world) -> None:  # noqa: ANN001
    report_id = _create(na, sandbox, FBA_RETURNS)
    first = na.get(f"{REPORTS}/{report_id}").json()
    assert first["processingStatus"] == "IN_QUEUE" and "reportDocumentId" not in first
    sandbox.advance_clock(25)
    assert na.get(f"{REPORTS}/{report_id}").json()["processingStatus"] == "IN_PROGRESS"
    sandbox.advance_clock(40)
    done = na.get(f"{REPORTS}/{report_id}").json()
    assert done["processingStatus"] == "DONE"
    assert done["processingStartTime"] <= done["processingEndTime"]
    r, content = _download(na, done["reportDocumentId"])
    assert content.decode("utf-8").startswith("return-date\torder-id\t")
    assert content.count(b"\n") > 10


def test_report_with_no_data_is_cancelled(sandbox, na) -> None:  # noqa: ANN001
    report_id = _create(na, sandbox, MFN_RETURNS)
    sandbox.advance_clock(61)
    report = na.get(f"{REPORTS}/{report_id}").json()
    assert report["processingStatus"] == "CANCELLED" and "reportDocumentId" not in report


def test_fatal_report_type_has_explaining_document(world, connect) -> None:  # noqa: ANN001
    with start_sandbox(
        world, SandboxConfig(time_scale=100, fatal_report_types=frozenset({REIMBURSEMENTS}))
    ) as sb:
        na = connect(sb, "spapi_na")
        report_id = _create(na, sb, REIMBURSEMENTS)
        sb.advance_clock(61)
        report = na.get(f"{REPORTS}/{report_id}").json()
        assert report["processingStatus"] == "FATAL"
        _, content = _download(na, report["reportDocumentId"])
        assert b"FATAL" in content and REIMBURSEMENTS.encode() in content


def test_settlement_reports_cannot_be_requested(sandbox, na) -> None:  # noqa: ANN001
    r = na.post(REPORTS, json={"reportType": SETTLEMENT, "marketplaceIds": [US]})
    assert r.status_code == 400
    assert r.json()["errors"][0] == {
        "code": "InvalidInput",
        "message": f"Request for report type {SETTLEMENT} is not allowed at this time.",
    }


@pytest.mark.parametrize(
    "body",
    [
        {"marketplaceIds": [US]},
        {"reportType": FBA_RETURNS},
        {"reportType": FBA_RETURNS, "marketplaceIds": ["A1PA6795UKMFR9"]},
    ],
    ids=["no-type", "no-marketplaces", "other-region"],
)
def test_create_report_validation(na, body) -> None:  # noqa: ANN001
    assert na.post(REPORTS, json=body).status_code == 400


def test_settlements_listed_within_90_days_once_generated(sandbox, na, world) -> None:  # noqa: ANN001
    r = na.get(REPORTS, params={"reportTypes": SETTLEMENT})
    assert r.status_code == 200
    reports = r.json()["reports"]
    # US/NA only: 10 and 24 days old; the 100-day-old one is out of range, the future one not generated yet.
    assert len(reports) == 2 and "nextToken" not in r.json()
    assert [x["createdTime"] for x in reports] == sorted((x["createdTime"] for x in reports), reverse=True)
    assert all(x["processingStatus"] == "DONE" and x["reportDocumentId"] for x in reports)
    sandbox.advance_clock(2 * 86400)
    na.login()  # two sandbox days outlive the access token
    assert len(na.get(REPORTS, params={"reportTypes": SETTLEMENT}).json()["reports"]) == 3
    newest = na.get(REPORTS, params={"reportTypes": SETTLEMENT}).json()["reports"][0]
    _, content = _download(na, newest["reportDocumentId"])
    expected = next(f for f in world.settlement_reports(SELLER_A) if f.report_id == newest["reportId"])
    assert content == expected.content
    assert na.get(f"{REPORTS}/{newest['reportId']}").json()["reportId"] == newest["reportId"]


def test_get_reports_next_token_must_be_alone(sandbox, na) -> None:  # noqa: ANN001
    r = na.get(REPORTS, params={"reportTypes": SETTLEMENT, "pageSize": 1})
    token = r.json()["nextToken"]
    bad = na.get(REPORTS, params={"reportTypes": SETTLEMENT, "nextToken": token})
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "InvalidInput"
    good = na.get(REPORTS, params={"nextToken": token})
    assert good.status_code == 200 and len(good.json()["reports"]) == 1
    assert good.json()["reports"][0]["reportId"] != r.json()["reports"][0]["reportId"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 400),
        ({"reportTypes": SETTLEMENT, "pageSize": 101}, 400),
        ({"reportTypes": SETTLEMENT, "processingStatuses": "done"}, 400),
        ({"reportTypes": SETTLEMENT}, 200),
    ],
    ids=["no-types", "page-too-big", "bad-status", "ok"],
)
def test_get_reports_validation(na, params, status) -> None:  # noqa: ANN001
    assert na.get(REPORTS, params=params).status_code == status


def test_get_reports_created_since_limit(sandbox, na) -> None:  # noqa: ANN001
    old = iso(sandbox.now() - timedelta(days=91))
    r = na.get(REPORTS, params={"reportTypes": SETTLEMENT, "createdSince": old})
    assert r.status_code == 400
    ok = na.get(
        REPORTS, params={"reportTypes": SETTLEMENT, "createdSince": iso(sandbox.now() - timedelta(days=89))}
    )
    assert ok.status_code == 200


def test_get_reports_lists_on_demand_reports_with_filters(world, connect) -> None:  # noqa: ANN001
    # A real-time clock: the report must still be queued when we list it, however slow the machine.
    with start_sandbox(world, SandboxConfig(time_scale=100.0, clock_speed=1.0)) as sandbox:
        _check_listing_filters(sandbox, connect(sandbox, "spapi_na"))


def _check_listing_filters(sandbox, na) -> None:  # noqa: ANN001
    report_id = _create(na, sandbox, FBA_RETURNS)
    queued = na.get(
        REPORTS, params={"reportTypes": FBA_RETURNS, "processingStatuses": "IN_QUEUE,IN_PROGRESS"}
    )
    assert [x["reportId"] for x in queued.json()["reports"]] == [report_id]
    both = na.get(REPORTS, params={"reportTypes": f"{FBA_RETURNS},{SETTLEMENT}", "marketplaceIds": US})
    assert report_id in {x["reportId"] for x in both.json()["reports"]}


def test_unknown_report_is_404(na) -> None:  # noqa: ANN001
    r = na.get(f"{REPORTS}/123")
    assert r.status_code == 404 and "x-amzn-RateLimit-Limit" in r.headers
    assert na.get("/reports/2021-06-30/documents/amzn1.spdoc.1.4.na.nope").status_code == 404


def test_document_url_expires(sandbox, na) -> None:  # noqa: ANN001
    report = na.get(REPORTS, params={"reportTypes": SETTLEMENT}).json()["reports"][0]
    url = na.get(f"/reports/2021-06-30/documents/{report['reportDocumentId']}").json()["url"]
    assert url.startswith(sandbox.url + "/_documents/") and "X-Amz-Expires=300" in url
    assert requests.get(url, timeout=10).status_code == 200
    sandbox.advance_clock(301)
    r = requests.get(url, timeout=10)
    assert r.status_code == 403
    assert "<Code>AccessDenied</Code>" in r.text and "<Message>Request has expired</Message>" in r.text
    tampered = requests.get(url.replace("X-Amz-Expires=300", "X-Amz-Expires=999999"), timeout=10)
    assert tampered.status_code == 403 and "SignatureDoesNotMatch" in tampered.text


@pytest.mark.parametrize(
    ("every", "charset"), [(0, True), (1, False)], ids=["always-charset", "never-charset"]
)
def test_download_charset_is_configurable(world, connect, every, charset) -> None:  # noqa: ANN001
    with start_sandbox(world, SandboxConfig(time_scale=100, omit_charset_every=every)) as sb:
        fe = connect(sb, "spapi_fe")
        report = fe.get(REPORTS, params={"reportTypes": SETTLEMENT}).json()["reports"][0]
        r, content = _download(fe, report["reportDocumentId"])
        if charset:
            assert r.headers["Content-Type"] == "text/plain; charset=Windows-31J"
        else:
            assert r.headers["Content-Type"] == "text/plain"
        assert "返金" in content.decode("cp932")


def test_content_encoding_url_header(sandbox, na) -> None:  # noqa: ANN001
    report = na.get(REPORTS, params={"reportTypes": SETTLEMENT}).json()["reports"][0]
    doc = na.get(
        f"/reports/2021-06-30/documents/{report['reportDocumentId']}",
        params={"enableContentEncodingUrlHeader": "true"},
    ).json()
    r = requests.get(doc["url"], timeout=10)
    assert r.headers["Content-Encoding"] == "gzip"
    assert r.content.startswith(b"settlement-id\t")  # requests decoded it


def test_cancel_report(sandbox, na) -> None:  # noqa: ANN001
    report_id = _create(na, sandbox, FBA_RETURNS)
    assert na.request("DELETE", f"{REPORTS}/{report_id}").status_code == 200
    assert na.get(f"{REPORTS}/{report_id}").json()["processingStatus"] == "CANCELLED"
