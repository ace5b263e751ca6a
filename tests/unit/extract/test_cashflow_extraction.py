"""Balances, payouts and expected payouts through the one extraction path (fake reader, no HTTP)."""

from __future__ import annotations

import copy
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from acorn import marketplaces
from acorn.extract import run
from acorn.extract import sources as extraction
from acorn.extract.plan import Scope
from acorn.lake import writer
from acorn.lake.schemas import ALL_SOURCES
from acorn.spapi import Page
from tests.unit.extract.test_extraction_rules import FakeLake
from tests.unit.spapi.test_spapi_cashflow import SANDBOX_BALANCES, SANDBOX_EXPECTED, SANDBOX_PAYOUTS

pytestmark = pytest.mark.unit

DE, UK, US, JP = (marketplaces.BY_CODE[c].marketplace_id for c in ("DE", "UK", "US", "JP"))
START, END = datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 4, tzinfo=UTC)  # 1..3 Dec
NIGHTLY = datetime(2026, 12, 4, 3, 0, 7, tzinfo=UTC)


def _scope(marketplace_ids=(DE, UK), start=START, end=END, region="eu") -> Scope:
    return Scope(
        "spapi_eu", region, "A1S", "ALL", start.isoformat(), end.isoformat(), "run-1", tuple(marketplace_ids)
    )


def _balance(marketplace_id: str, day: date, available: int = 8000) -> dict:
    b = copy.deepcopy(SANDBOX_BALANCES["balances"][0])
    b["partnerMetadata"]["marketplaceId"] = marketplace_id
    b["asOfDate"] = day.isoformat()
    b["balances"][0]["amount"]["currencyAmount"] = available
    for node in (b, *b["balances"], *b["balances"][1]["balances"]):
        node["amount"]["currencyCode"] = "EUR"
    return b


def _payout(
    pid: str, status: str = "PAID", created: str = "2026-12-02T06:00:00Z", marketplace_id: str = DE
) -> dict:
    p = copy.deepcopy(SANDBOX_PAYOUTS["payouts"][0])
    p.update(id=pid, creationDate=created)
    p["partnerMetadata"]["marketplaceId"] = marketplace_id
    p["amount"]["currencyCode"] = "EUR"
    if status == "NO_PAYOUT":
        for k in ("amount", "type", "traceId", "paymentRail"):
            p.pop(k)
        p["currentStatus"] = "NO_PAYOUT"
        p["statusHistory"] = [{"status": "NO_PAYOUT", "lastUpdatedDate": created}]
    return p


class CashReader:
    """Serves what it is given; the server's present is `now`."""

    def __init__(self, now=NIGHTLY, *, balances=None, payouts=(), expected=None):
        self.now = now
        self.calls: list[tuple] = []
        self._balances = balances or (lambda day: [_balance(DE, day), _balance(UK, day)])
        self._payouts = list(payouts)
        self._expected = expected or {}
        self.unavailable_data: list = []

    def server_now(self):
        return self.now

    def balance_pages(self, as_of_date):
        self.calls.append(("listBalances", as_of_date))
        return [Page(tuple(self._balances(as_of_date)), f"req-bal-{as_of_date}")]

    def payout_pages(self, marketplace_ids, start, end):
        self.calls.append(("listPayouts", tuple(marketplace_ids), start, end))
        return [Page(tuple(self._payouts), "req-payouts")]

    def expected_payout_pages(self, marketplace_id):
        self.calls.append(("listExpectedPayouts", marketplace_id))
        return [Page(tuple(self._expected.get(marketplace_id, ())), f"req-exp-{marketplace_id}")]


# ---------------------------------------------------------------- balances


def test_balances_asks_one_request_per_ended_local_day_and_flattens_the_tree():
    reader, lake = CashReader(), FakeLake()
    out = extraction.extract("balances", _scope(), reader, lake)
    # 3 Dec ended in Berlin (23:00 UTC) and London (00:00 UTC on the 4th) before 03:00 UTC.
    assert reader.calls == [("listBalances", date(2026, 12, d)) for d in (1, 2, 3)]
    rows = lake.rows["balances"]
    assert len(rows) == 3 * 2 * 5 and out["balances"]["landed"] == 30 and not out["balances"]["rejected"]
    tops = {(r["marketplace_id"], r["as_of_date"]): r for r in rows if r["parent_balance_type"] is None}
    assert tops[(DE, "2026-12-03")]["as_of_at"] == datetime(2026, 12, 3, 23, tzinfo=UTC)
    assert tops[(UK, "2026-12-03")]["as_of_at"] == datetime(2026, 12, 4, 0, tzinfo=UTC)
    assert {r[writer.REQUEST_ID] for r in rows} == {f"req-bal-2026-12-0{d}" for d in (1, 2, 3)}


def test_balances_leaves_a_day_not_yet_ended_to_a_later_run_and_says_so():
    reader = CashReader(now=datetime(2026, 12, 3, 23, 30, tzinfo=UTC))  # Berlin's 3 Dec over, London's not
    out = extraction.extract("balances", _scope(), reader, FakeLake())
    assert [c[1] for c in reader.calls] == [date(2026, 12, 1), date(2026, 12, 2)]
    (note,) = out["balances"]["notes"]
    assert "1 day(s)" in note and "not ended" in note


def test_a_bad_balance_is_quarantined_with_its_rule_and_the_rest_lands():
    def served(day):
        bad = _balance(DE, day)
        bad["balances"][0]["amount"]["currencyAmount"] = "8.000,00"
        return (
            [bad, _balance(UK, day)] if day == date(2026, 12, 2) else [_balance(DE, day), _balance(UK, day)]
        )

    lake = FakeLake()
    out = extraction.extract("balances", _scope(), CashReader(balances=served), lake)["balances"]
    (rejected,) = out["rejected"]
    assert rejected["rule"] == "money_exact" and "2026-12-02" in rejected["record_key"]
    assert out["served"] == 6 and out["landed"] == 25  # the bad tree lands none of its 5 rows


def test_a_balance_of_a_marketplace_whose_day_has_not_ended_is_quarantined_not_landed():
    # The account is DE only, so 3 Dec is asked at 23:30 UTC, but Amazon also answers for US.
    reader = CashReader(
        now=datetime(2026, 12, 3, 23, 30, tzinfo=UTC),
        balances=lambda day: [_balance(DE, day), _balance(US, day)],
    )
    out = extraction.extract("balances", _scope((DE,)), reader, FakeLake())["balances"]
    rules = {(r["rule"], r["record_key"].split("/")[-1]) for r in out["rejected"]}
    assert rules == {("ending_balance_final", "2026-12-03")}


# ---------------------------------------------------------------- payouts


def test_payouts_ask_the_transfers_marketplaces_with_a_14_day_lookback_and_keep_no_payout():
    reader = CashReader(payouts=[_payout("P1"), _payout("P2", "NO_PAYOUT")])
    lake = FakeLake()
    out = extraction.extract("payouts", _scope((UK, DE)), reader, lake)
    assert reader.calls == [("listPayouts", (DE,), START - timedelta(days=14), END)]
    assert {r["payout_id"]: r["amount"] for r in lake.rows["payouts"]} == {
        "P1": Decimal("1250.75"),
        "P2": None,
    }
    assert [(h["payout_id"], h["sequence"]) for h in lake.rows["payout_status_history"]] == [
        ("P1", 0), ("P1", 1), ("P1", 2), ("P2", 0),
    ]  # fmt: skip
    assert out["payouts"]["landed"] == 2 and not out["payouts"]["rejected"]
    assert out["payout_status_history"]["served"] == 4 and out["payout_status_history"]["landed"] == 4


def test_a_bad_payout_is_quarantined_with_its_history():
    bad = _payout("P9")
    bad.pop("amount")
    lake = FakeLake()
    out = extraction.extract("payouts", _scope(), CashReader(payouts=[bad, _payout("P1")]), lake)
    assert out["payouts"]["rejected"][0]["record_key"] == "P9"
    assert out["payouts"]["rejected"][0]["rule"] == "amount_present"
    assert {h["payout_id"] for h in lake.rows["payout_status_history"]} == {"P1"}


def test_an_account_without_a_transfers_marketplace_skips_payouts_and_the_summary_says_so(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("ACORN_DATA_DIR", str(tmp_path))
    reader = CashReader(payouts=[_payout("P1")])
    us_only = _scope((US,), region="na")
    payouts = extraction.extract("payouts", us_only, reader, FakeLake())
    expected = extraction.extract("expected_payouts", us_only, reader, FakeLake())
    assert reader.calls == []
    assert payouts["payouts"]["served"] == 0 and "none of the marketplaces" in payouts["payouts"]["notes"][0]
    summary = run.summarize([[payouts], [expected]], "run-1")
    assert len(summary["notes"]) == 2 and all("skipped" in n and "DE, FR, IT" in n for n in summary["notes"])


# ---------------------------------------------------------------- expected payouts


def _expected(marketplace_id: str, amount: str = "2547.89") -> dict:
    e = copy.deepcopy(SANDBOX_EXPECTED["expectedPayouts"][0])
    e["partnerMetadata"]["marketplaceId"] = marketplace_id
    e["amount"] = {"currencyCode": "EUR", "currencyAmount": amount}
    return e


def test_the_nightly_run_takes_the_snapshot_keyed_by_the_server_s_date():
    reader = CashReader(expected={DE: [_expected(DE)]})
    lake = FakeLake()
    extraction.extract("expected_payouts", _scope((DE, UK)), reader, lake)
    assert reader.calls == [("listExpectedPayouts", DE)]  # UK is not a Transfers marketplace
    (row,) = lake.rows["expected_payouts"]
    assert (row["snapshot_at"], row["snapshot_date"]) == (NIGHTLY.replace(microsecond=0), "2026-12-04")


def test_a_backfill_of_past_days_skips_the_snapshot_and_says_so():
    reader = CashReader(now=datetime(2026, 12, 20, tzinfo=UTC), expected={DE: [_expected(DE)]})
    out = extraction.extract("expected_payouts", _scope(), reader, FakeLake())["expected_payouts"]
    assert reader.calls == [] and out["landed"] == 0
    assert "does not reach the server's present (2026-12-20)" in out["notes"][0]


def test_a_reader_that_does_not_serve_cash_flow_skips_with_a_note():
    class OldReader:  # a world on disk that predates the cash-flow sources
        unavailable_data: list = []

    out = extraction.extract("balances", _scope(), OldReader(), FakeLake())
    assert out["balances"]["notes"] == ["balances: skipped: this reader does not serve listBalances"]


def test_a_shuffled_backfill_lands_what_the_sequential_run_lands(tmp_path):
    """Balances depend only on the day, the snapshot only on the server's present: chunk order is moot."""
    start, days = datetime(2026, 11, 1, tzinfo=UTC), 30
    now = start + timedelta(days=days, hours=3)  # the night after the last day

    def world(day):  # the same balances for a day whatever the request order
        return [_balance(DE, day, available=day.day * 100)]

    def run_chunks(lake_dir, chunks):
        lake = extraction.LakeDir(lake_dir, tmp_path / "data")
        for first, last in chunks:
            scope = _scope((DE,), start + timedelta(days=first), start + timedelta(days=last))
            reader = CashReader(now=now, balances=world, expected={DE: [_expected(DE)]})
            for task in ("balances", "expected_payouts"):
                extraction.extract(task, scope, reader, lake)

    def landed(lake_dir):
        out = {}
        for name in ("balances", "expected_payouts"):
            rows = writer.read_source(lake_dir, name, ALL_SOURCES[name].schema).to_pylist()
            out[name] = sorted(
                str({k: v for k, v in r.items() if k not in (writer.RUN_ID, writer.REQUEST_ID)}) for r in rows
            )
        return out

    run_chunks(tmp_path / "sequential", [(0, days)])
    chunks = [(i, i + 6) for i in range(0, days, 6)]
    random.Random(4).shuffle(chunks)
    run_chunks(tmp_path / "shuffled", chunks)
    sequential = landed(tmp_path / "sequential")
    assert len(sequential["balances"]) == days * 5 and len(sequential["expected_payouts"]) == 1
    assert landed(tmp_path / "shuffled") == sequential
