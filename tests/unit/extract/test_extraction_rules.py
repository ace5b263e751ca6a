"""Extraction rules against a fake reader and an in-memory lake: no HTTP, no Airflow."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from acorn import sources as registry
from acorn.extract import run
from acorn.extract import sources as extraction
from acorn.extract.plan import Scope
from acorn.extract.reader import ReportDocument
from acorn.spapi import MissingRoleError, Page
from acorn.spapi.flatfile import LAYOUTS

pytestmark = pytest.mark.unit

US = "ATVPDKIKX0DER"
START, END = datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 9, 16, tzinfo=UTC)
SETTLEMENT_COLS = [c.name for c in LAYOUTS[registry.REPORT_SETTLEMENT_V2].columns]


def _scope(marketplace_id: str = US, start: datetime = START, end: datetime = END) -> Scope:
    return Scope("spapi_na", "na", "A1SELLER", marketplace_id, start.isoformat(), end.isoformat(), "run-1")


class FakeLake:
    def __init__(self, landed_reports: set[str] = frozenset()) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.landed_reports = set(landed_reports)

    def merge(self, spec, rows):
        self.rows.setdefault(spec.name, []).extend(rows)
        return len(rows)

    def landed_settlement_reports(self, seller_id):
        return self.landed_reports

    def keep_validation_result(self, scope, source, result):
        pass


class FakeReader:
    """Records every request; serves what it was given."""

    def __init__(self, *, transactions=(), orders=(), items=None, reports=None, settlements=(), refused=()):
        self.calls: list[tuple] = []
        self._transactions = list(transactions)
        self._orders = list(orders)
        self._items = items or {}
        self._reports = reports or {}
        self._settlements = list(settlements)
        self.unavailable_data = list(refused)

    def pages(self, operation, start, end, marketplace_id):
        self.calls.append((operation, start, end))
        if operation == "listTransactions":
            picked = [t for t in self._transactions if start <= _ts(t["postedDate"]) < end]
            return [Page(tuple(picked), f"req-{start.date()}")] if picked else []
        return []

    def order_pages(self, marketplace_id, start, end, *, buyer_info):
        self.calls.append(("getOrders", start, end, buyer_info))
        picked = [o for o in self._orders if start <= _ts(o["PurchaseDate"]) < end]
        if not buyer_info:
            picked = [{k: v for k, v in o.items() if k not in ("BuyerInfo", "ShippingAddress")} for o in picked]
        return [Page(tuple(picked), "req-orders")] if picked else []

    def order_item_pages(self, order_id):
        return [Page(tuple(self._items.get(order_id, ())), f"req-items-{order_id}")]

    def report(self, report_type, marketplace_id, start, end):
        self.calls.append((report_type, start, end))
        content = self._reports.get(report_type)
        return ReportDocument("R1", content, "utf-8" if content else None, "report:R1")

    def settlement_reports(self, start, end):
        self.calls.append(("listSettlements", start, end))
        return [{"reportId": rid, "reportDocumentId": f"D{rid}", "marketplaceIds": [US]} for rid, _c in self._settlements]

    def settlement_document(self, report):
        content = dict(self._settlements)[report["reportId"]]
        return ReportDocument(report["reportId"], content, "utf-8", f"report:{report['reportId']}")


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _txn(i: int, posted: datetime) -> dict[str, Any]:
    return {
        "transactionId": f"T{i}",
        "transactionType": "Shipment",
        "transactionStatus": "RELEASED",
        "postedDate": posted.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "totalAmount": {"currencyAmount": "10.25", "currencyCode": "USD"},
        "marketplaceDetails": {"marketplaceId": US},
        "sellingPartnerMetadata": {"sellingPartnerId": "A1SELLER", "marketplaceId": US, "accountType": "Standard"},
        "relatedIdentifiers": [],
    }


# ---------------------------------------------------------------- window slicing


def test_transactions_are_read_in_contiguous_slices_of_at_most_seven_days():
    reader = FakeReader(transactions=[_txn(i, START + timedelta(days=i, hours=3)) for i in range(15)])
    lake = FakeLake()
    out = extraction.extract("transactions", _scope(), reader, lake)
    windows = [(s, e) for op, s, e in reader.calls]
    assert windows[0][0] == START and windows[-1][1] == END
    assert all(e - s <= timedelta(days=7) for s, e in windows)
    assert all(a[1] == b[0] for a, b in zip(windows, windows[1:], strict=False))  # no gap, no overlap
    assert out["transactions"]["served"] == out["transactions"]["landed"] == 15
    # Request ids travel with the page each record came from.
    assert {r["_request_id"] for r in lake.rows["transactions"]} == {f"req-{s.date()}" for s, _e in windows}


def test_finance_requests_never_exceed_the_180_day_cap():
    too_wide = dataclasses.replace(registry.get("transactions"), max_request_days=181)
    with pytest.raises(ValueError, match="exceeds"):
        extraction.request_windows(too_wide, _scope(start=START, end=START + timedelta(days=400)))


def test_financial_event_groups_look_back_one_cycle():
    reader = FakeReader()
    extraction.extract("financial_event_groups", _scope("ALL"), reader, FakeLake())
    assert reader.calls[0][1] == START - timedelta(days=14)
    assert all(e - s <= timedelta(days=7) for _op, s, e in reader.calls)


# ---------------------------------------------------------------- report chunking


def test_mfn_returns_are_requested_in_chunks_of_at_most_sixty_days():
    reader = FakeReader()
    end = START + timedelta(days=150)
    out = extraction.extract("mfn_returns", _scope(end=end), reader, FakeLake())
    chunks = [(s, e) for _rt, s, e in reader.calls]
    assert [e - s for s, e in chunks] == [timedelta(days=60), timedelta(days=60), timedelta(days=30)]
    assert chunks[0][0] == START and chunks[-1][1] == end
    assert all(rt == registry.get("mfn_returns").operation for rt, _s, _e in reader.calls)
    assert out["mfn_returns"]["served"] == 0


def test_fba_returns_are_one_request_for_the_window():
    reader = FakeReader()
    extraction.extract("fba_returns", _scope(end=START + timedelta(days=150)), reader, FakeLake())
    assert len(reader.calls) == 1


# ---------------------------------------------------------------- settlements


def _settlement_file(settlement_id: str, amounts: list[str]) -> bytes:
    summary = {
        "settlement-id": settlement_id,
        "settlement-start-date": "2026-09-01T00:00:00+00:00",
        "settlement-end-date": "2026-09-15T00:00:00+00:00",
        "deposit-date": "2026-09-17T00:00:00+00:00",
        "total-amount": "1.00",
        "currency": "USD",
    }
    line = {
        "settlement-id": settlement_id,
        "transaction-type": "Order",
        "order-id": "111-1",
        "marketplace-name": "Amazon.com",
        "amount-type": "ItemPrice",
        "amount-description": "Principal",
        "posted-date": "2026-09-05T00:00:00+00:00",
        "currency": "USD",
    }
    rows = [summary, *({**line, "amount": a} for a in amounts)]
    text = "\n".join(["\t".join(SETTLEMENT_COLS), *("\t".join(r.get(c, "") for c in SETTLEMENT_COLS) for r in rows)])
    return (text + "\n").encode("utf-8")


def test_a_settlement_whose_rows_fail_to_parse_lands_neither_settlement_nor_lines():
    good, bad = _settlement_file("S-GOOD", ["0.50", "0.50"]), _settlement_file("S-BAD", ["0.50", "0,5x"])
    lake = FakeLake()
    reader = FakeReader(settlements=[("R-GOOD", good), ("R-BAD", bad)])
    out = extraction.extract("settlements", _scope("ALL"), reader, lake)
    assert [r["settlement_id"] for r in lake.rows["settlements"]] == ["S-GOOD"]
    assert {r["settlement_id"] for r in lake.rows["settlement_lines"]} == {"S-GOOD"}
    assert len(lake.rows["settlement_lines"]) == 2
    assert {r["_request_id"] for r in lake.rows["settlement_lines"]} == {"report:R-GOOD"}
    assert [(r["record_key"], r["rule"]) for r in out["settlements"]["rejected"]] == [("R-BAD", "settlement_complete")]
    assert [r["record_key"] for r in out["settlement_lines"]["rejected"]] == ["R-BAD:row4"]  # file line: header, summary, two lines
    # Settlements are listed a few days past the window: Amazon lists a closed period late.
    assert reader.calls[0] == ("listSettlements", START, END + timedelta(days=3))


def test_a_settlement_already_in_the_lake_is_not_downloaded_again():
    lake = FakeLake(landed_reports={"R-GOOD"})
    reader = FakeReader(settlements=[("R-GOOD", b"not a report")])
    out = extraction.extract("settlements", _scope("ALL"), reader, lake)
    assert out["settlements"]["landed"] == 1 and "settlements" in lake.rows and not lake.rows["settlements"]


# ---------------------------------------------------------------- orders and roles


def _order(oid: str) -> dict[str, Any]:
    return {
        "AmazonOrderId": oid,
        "PurchaseDate": "2026-09-02T10:00:00Z",
        "LastUpdateDate": "2026-09-03T10:00:00Z",
        "OrderStatus": "Shipped",
        "MarketplaceId": US,
        "OrderTotal": {"CurrencyCode": "USD", "Amount": "10.00"},
        "BuyerInfo": {"BuyerEmail": "someone@example.com", "BuyerName": "Some One"},
        "ShippingAddress": {"AddressLine1": "1 Main St", "City": "Seattle", "CountryCode": "US", "PostalCode": "98101"},
    }


ITEM = {"OrderItemId": "I1", "ASIN": "B0X", "SellerSKU": "SKU", "QuantityOrdered": 1, "QuantityShipped": 1,
        "ItemPrice": {"CurrencyCode": "USD", "Amount": "10.00"}}  # fmt: skip
REFUSED = {
    "operation": "getOrders",
    "data_elements": ["buyerInfo", "shippingAddress"],
    "role": "Direct-to-Consumer Shipping (Restricted)",
    "reason": "Application does not have access to one or more requested data elements: [buyerInfo, shippingAddress]",
}


def test_orders_land_hashed_buyer_data_when_amazon_grants_it():
    lake = FakeLake()
    reader = FakeReader(orders=[_order("111-1")], items={"111-1": [ITEM]})
    out = extraction.extract("orders", _scope(), reader, lake, pii_key=b"k", buyer_info=True)
    (order,) = lake.rows["orders"]
    assert order["buyer_email_hash"] and "someone" not in json.dumps(order, default=str)
    assert out["orders"]["landed"] == out["order_items"]["landed"] == 1
    assert "unavailable_data" not in out["orders"]


def test_orders_without_the_pii_role_land_without_buyer_fields_and_say_so():
    lake = FakeLake()
    reader = FakeReader(orders=[_order("111-1")], items={"111-1": [ITEM]}, refused=[REFUSED])
    reader._orders = [{k: v for k, v in o.items() if k not in ("BuyerInfo", "ShippingAddress")} for o in reader._orders]
    out = extraction.extract("orders", _scope(), reader, lake, pii_key=b"k", buyer_info=True)
    (order,) = lake.rows["orders"]
    assert order["buyer_email_hash"] is None and order["shipping_address_hash"] is None
    assert len(lake.rows["order_items"]) == 1
    assert out["orders"]["unavailable_data"] == [REFUSED]


def test_orders_never_ask_for_buyer_data_when_the_connection_says_no_role_and_need_no_key():
    lake = FakeLake()
    reader = FakeReader(orders=[_order("111-1")], items={"111-1": [ITEM]})
    extraction.extract("orders", _scope(), reader, lake, pii_key=None, buyer_info=False)
    assert all(call[3] is False for call in reader.calls if call[0] == "getOrders")
    assert lake.rows["orders"][0]["buyer_email_hash"] is None


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ACORN_DATA_DIR", str(tmp_path))
    return tmp_path


def test_a_missing_role_fails_its_task_without_retries_and_the_summary_lists_it(data_dir, monkeypatch):
    from airflow.sdk.exceptions import AirflowFailException

    scope = _scope("ALL")

    def refuse(*args, **kwargs):
        raise MissingRoleError("listFinancialEventGroups", role="Finance and Accounting", status=403, code="Unauthorized")

    monkeypatch.setattr(extraction, "_client", lambda s: (None, None))
    monkeypatch.setattr(extraction, "extract", refuse)
    with pytest.raises(AirflowFailException, match="listFinancialEventGroups.*Finance and Accounting"):
        extraction.run_task("financial_event_groups", scope.to_dict())
    (failure,) = run.read_failures("run-1")
    assert failure["task_id"] == "extract_financial_event_groups" and failure["role"] == "Finance and Accounting"

    landed = {"transactions": {"source": "transactions", "seller_id": "A1SELLER", "marketplace_id": US,
                               "served": 2, "landed": 2, "rejected": []}}  # fmt: skip
    expected = {"transactions": [_scope().to_dict()], "financial_event_groups": [scope.to_dict()]}
    with pytest.raises(run.ExtractionFailedError, match="extract_financial_event_groups.*Finance and Accounting"):
        run.summarize([[landed], []], "run-1", expected=expected)
    summary = json.loads((data_dir / "run" / "last_extraction_summary.json").read_text())
    assert [r["source"] for r in summary["rows"]] == ["transactions"]  # the other source still landed
    assert [f["task_id"] for f in summary["failed"]] == ["extract_financial_event_groups"]


def test_a_later_successful_try_clears_the_failure_record(data_dir, monkeypatch):
    scope = _scope("ALL")
    run.record_failure(scope, "financial_event_groups", kind="error", message="boom")
    monkeypatch.setattr(extraction, "_client", lambda s: (None, None))
    monkeypatch.setattr(extraction, "_lake", lambda: FakeLake())
    monkeypatch.setattr(extraction, "extract", lambda *a, **k: {"financial_event_groups": {}})
    extraction.run_task("financial_event_groups", scope.to_dict())
    assert run.read_failures("run-1") == []


def test_a_planned_scope_without_result_or_record_is_listed_as_failed(data_dir):
    with pytest.raises(run.ExtractionFailedError, match="extract_reimbursements"):
        run.summarize([], "run-1", expected={"reimbursements": [_scope().to_dict()]})


def test_summary_says_once_which_data_was_unavailable_and_which_role_unlocks_it(data_dir, caplog):
    def result(mp):
        return {"orders": {"source": "orders", "seller_id": "A1SELLER", "marketplace_id": mp, "served": 1,
                           "landed": 1, "rejected": [], "unavailable_data": [REFUSED]}}  # fmt: skip

    with caplog.at_level("WARNING"):
        out = run.summarize([[result(US), result("A2EUQ1WTGCTBG2")]], "run-2")
    summary = json.loads((data_dir / "run" / "last_extraction_summary.json").read_text())
    (note,) = summary["unavailable_data"]
    assert note["role"] == REFUSED["role"] and len(note["scopes"]) == 2
    assert out["unavailable_data"] == [REFUSED]
    warnings = [r.getMessage() for r in caplog.records if "not available" in r.getMessage()]
    assert len(warnings) == 1 and "Direct-to-Consumer Shipping (Restricted)" in warnings[0]


def test_summary_fails_the_run_when_planning_failed(data_dir):
    with pytest.raises(run.ExtractionFailedError, match="planning failed"):
        run.summarize([], "run-3", expected={"transactions": None})


# ---------------------------------------------------------------- configuration


def _conn(extra: dict[str, Any]) -> str:
    return json.dumps({"conn_type": "http", "host": "http://127.0.0.1:1", "login": "id", "password": "secret",
                       "extra": {"refresh_token": "r", "marketplace_ids": "US", **extra}})  # fmt: skip


@pytest.fixture
def one_connection(monkeypatch):
    for name in ("AIRFLOW_CONN_SPAPI_NA", "AIRFLOW_CONN_SPAPI_EU", "AIRFLOW_CONN_SPAPI_FE",
                 "ACORN_PII_HASH_KEY", "AIRFLOW_VAR_ACORN_PII_HASH_KEY"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)

    def use(extra: dict[str, Any], *, key: str | None = None) -> None:
        monkeypatch.setenv("AIRFLOW_CONN_SPAPI_NA", _conn(extra))
        if key:
            monkeypatch.setenv("ACORN_PII_HASH_KEY", key)

    return use


def test_no_pii_key_while_buyer_data_will_be_asked_fails_planning_once(one_connection):
    from airflow.sdk.exceptions import AirflowFailException

    one_connection({})  # pii_role unset: ask, fall back if refused
    with pytest.raises(AirflowFailException, match="PII hash key.*spapi_na"):
        run.check_configuration()


def test_an_app_without_the_pii_role_needs_no_pii_key(one_connection):
    one_connection({"pii_role": False})
    assert run.check_configuration() == ["spapi_na"]


def test_a_malformed_connection_fails_planning_once(one_connection):
    from airflow.sdk.exceptions import AirflowFailException

    one_connection({"pii_role": "perhaps"}, key="k")
    with pytest.raises(AirflowFailException, match="spapi_na.*malformed.*pii_role"):
        run.check_configuration()


def test_the_pii_role_flag_is_read_from_the_connection_extra(one_connection):
    from acorn.spapi import load_credentials

    one_connection({"pii_role": "true"}, key="k")
    assert load_credentials("spapi_na").has_pii_role is True
    one_connection({}, key="k")
    assert load_credentials("spapi_na").has_pii_role is None
