"""`export_lake`'s fast path (shard files, worker processes, no fsync) lands the same lake rows as
the reference path through the `World` protocol (what the sandbox serves), and its date window
lands exactly the windowed rows."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from acorn import marketplaces
from acorn.lake import schemas, writer
from acorn.transform import normalize
from acorn_sim.world import cashflow, lake_export
from acorn_sim.world.lake_export import export_lake
from acorn_sim.world.money import dumps
from acorn_sim.world.store import DiskWorld, WorldParams, write_world

# Two sellers x three marketplaces: a seller's financial event groups (marketplace 'ALL') come
# from all three of its shards into shared partitions.
PARAMS = WorldParams(seed=5, start=date(2026, 8, 1), days=15, sellers=2, marketplaces=("US", "DE", "JP"),
                     base_orders_per_day=6.0)  # fmt: skip
FAR_PAST, FAR_FUTURE = datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_world(PARAMS, tmp_path_factory.mktemp("world") / "w").path


def _reference_export(world_dir: Path, lake: Path, key: bytes, run_id: str) -> dict[str, int]:
    """The export as first written: every payload through DiskWorld, re-encoded as the sandbox's
    JSON and decoded again, deduplicated by canonical JSON, one fsynced merge per partition."""
    from acorn.pii import scrub_order
    from acorn.spapi import parse_report

    def wire(payload: object) -> object:
        return json.loads(dumps(payload))

    def land(source: schemas.LakeSource, records: list[dict]) -> int:
        unique: dict[str, dict] = {}
        for record in records:
            unique.setdefault(normalize.canonical_json(record), dict(record))
        rows = [{**r, writer.RUN_ID: run_id, writer.REQUEST_ID: None} for r in unique.values()]
        for k, part in writer.group_by_partition(rows, source.name, date_field=source.date_field).items():
            writer.merge_partition(lake, k, part, source.schema, source.natural_key)
        return len(rows)

    world = DiskWorld(world_dir)
    counts: Counter[str] = Counter()
    for shard in world.shards():
        sid, mp_id = shard["seller_id"], shard["marketplace_id"]
        txns = world.transactions(sid, marketplace_id=mp_id, posted_after=FAR_PAST, posted_before=FAR_FUTURE)
        counts["transactions"] += land(
            schemas.TRANSACTIONS, [normalize.transaction_record(wire(t), sid) for t in txns]
        )
        groups = pq.read_table(world_dir / shard["path"] / "financial_event_groups.parquet").column(
            "payload_json"
        )
        counts["financial_event_groups"] += land(schemas.FINANCIAL_EVENT_GROUPS, [
            normalize.financial_event_group_record(json.loads(p), sid) for p in groups.to_pylist()])  # fmt: skip
        orders, items = [], []
        for order in world.orders(sid, marketplace_ids=[mp_id]):
            oid = order["AmazonOrderId"]
            clean, hashes = scrub_order(wire({**order, **(world.order_pii(sid, oid) or {})}), key)
            orders.append(normalize.order_record(clean, sid, hashes))
            items += [
                normalize.order_item_record(wire(i), clean, sid) for i in world.order_items(sid, oid) or []
            ]
        counts["orders"] += land(schemas.ORDERS, orders)
        counts["order_items"] += land(schemas.ORDER_ITEMS, items)
        settlements, lines = [], []
        for rf in world.settlement_reports(sid):
            if rf.marketplace_ids and rf.marketplace_ids[0] != mp_id:
                continue
            parsed = parse_report(
                lake_export.SETTLEMENT_V2, rf.content, encoding=rf.encoding, marketplace_id=mp_id
            )
            assert not parsed.errors
            region = marketplaces.BY_ID[mp_id].region
            settlement, rows = normalize.settlement_records(
                parsed.summary, parsed.rows, seller_id=sid, default_marketplace_id=mp_id, report_id=str(rf.report_id),
                report_document_id=lake_export._document_id(region, str(rf.report_id)),
            )  # fmt: skip
            settlements.append(settlement)
            lines += rows
        counts["settlement_lines"] += land(schemas.SETTLEMENT_LINES, lines)
        counts["settlements"] += land(schemas.SETTLEMENTS, settlements)
        for report_type, source, normaliser in lake_export.REPORTS:
            rf = world.report(sid, report_type=report_type, marketplace_ids=[mp_id],
                              data_start_time=FAR_PAST, data_end_time=FAR_FUTURE)  # fmt: skip
            if rf is not None:
                parsed = parse_report(report_type, rf.content, encoding=rf.encoding, marketplace_id=mp_id)
                counts[source.name] += land(source, [normaliser(r, seller_id=sid, marketplace_id=mp_id)
                                                     for r in parsed.rows])  # fmt: skip
        for source_name, records in _reference_cashflow(world, shard, wire).items():
            counts[source_name] += land(schemas.ALL_SOURCES[source_name], records)
    return dict(counts)


def _reference_cashflow(world: DiskWorld, shard: dict, wire: Callable[[object], Any]) -> dict[str, list[dict]]:
    """The cash-flow sources of one shard through the `World` protocol, as a nightly run ending at
    the world's present asks them: every balance day of the data span ended in all the account's
    zones of the region, payouts created since the span's start minus the 14-day lookback, and
    the expected payout at `as_of` (Transfers stores only)."""
    sid, mp_id, now = shard["seller_id"], shard["marketplace_id"], world.as_of
    region = marketplaces.BY_ID[mp_id].region
    (seller,) = [s for s in world.manifest["sellers"] if s["selling_partner_id"] == sid]
    zones = [marketplaces.BY_ID[m].time_zone for m in seller["marketplace_ids"]
             if marketplaces.BY_ID[m].region == region]  # fmt: skip
    start = min(lake_export.WorldShardReader(str(world.path), s).span()[0] for s in world.shards())
    out: dict[str, list[dict]] = {"balances": [], "payouts": [], "payout_status_history": [], "expected_payouts": []}
    day = start.date()
    while all(cashflow.day_end(day, z) <= now for z in zones):
        for b in world.balances(sid, marketplace_ids=[mp_id], as_of_date=day, balance_type=None, now=now):
            out["balances"] += normalize.balance_records(wire(b), seller_id=sid, as_of_date=day)
        day += timedelta(days=1)
    if mp_id not in marketplaces.TRANSFERS_IDS:
        return out
    since = start - timedelta(days=schemas.ALL_SOURCES["payouts"].lookback_days)
    for p in world.payouts(sid, now=now):
        if p["partnerMetadata"]["marketplaceId"] == mp_id and cashflow._ts(p["creationDate"]) >= since:
            payout, history = normalize.payout_records(wire(p), sid)
            out["payouts"].append(payout)
            out["payout_status_history"] += history
    out["expected_payouts"] = [
        normalize.expected_payout_record(wire(e), seller_id=sid, snapshot_at=now)
        for e in world.expected_payouts(sid, now=now) if e["partnerMetadata"]["marketplaceId"] == mp_id
    ]  # fmt: skip
    return out


def _lake_files(lake: Path) -> dict[str, list[dict]]:
    return {
        str(f.relative_to(lake)): pq.read_table(f).to_pylist() for f in sorted(lake.rglob("data.parquet"))
    }


def test_fast_export_lands_the_same_rows_as_the_reference(world_dir: Path, tmp_path: Path) -> None:
    want_counts = _reference_export(world_dir, tmp_path / "ref", b"k", "run__2026-11-01T00:00:00+00:00")
    got_counts = export_lake(world_dir, tmp_path / "fast", pii_key="k", run_id="run__2026-11-01T00:00:00+00:00",
                             jobs=2, durable=False)  # fmt: skip
    want, got = _lake_files(tmp_path / "ref"), _lake_files(tmp_path / "fast")
    assert got.keys() == want.keys()
    assert got == want
    assert {k: v for k, v in got_counts.items() if v} == {k: v for k, v in want_counts.items() if v}
    assert any("marketplace_id=ALL" in k for k in got)  # the shared partitions were exercised
    assert not list((tmp_path / "fast").rglob(".tmp-*"))


def test_serial_and_parallel_exports_agree_and_re_export_is_idempotent(
    world_dir: Path, tmp_path: Path
) -> None:
    export_lake(world_dir, tmp_path / "serial", pii_key="k")
    export_lake(world_dir, tmp_path / "parallel", pii_key="k", jobs=3, durable=False)
    first = _lake_files(tmp_path / "serial")
    assert _lake_files(tmp_path / "parallel") == first
    export_lake(world_dir, tmp_path / "serial", pii_key="k", jobs=2)  # merges into existing partitions
    assert _lake_files(tmp_path / "serial") == first


def test_date_window_lands_only_partitions_in_it(world_dir: Path, tmp_path: Path) -> None:
    lo, hi = date(2026, 8, 6), date(2026, 8, 9)
    export_lake(
        world_dir, tmp_path / "all", pii_key="k", run_id="a__2026-11-01T00:00:00+00:00", durable=False
    )
    counts = export_lake(world_dir, tmp_path / "win", pii_key="k", run_id="a__2026-11-01T00:00:00+00:00",
                         from_date=lo, to_date=hi, jobs=2, durable=False)  # fmt: skip
    everything, window = _lake_files(tmp_path / "all"), _lake_files(tmp_path / "win")

    def day(path: str) -> date:
        return date.fromisoformat(path.split("date=")[1][:10])

    assert window == {k: v for k, v in everything.items() if lo <= day(k) < hi}
    assert counts["transactions"] == sum(len(v) for k, v in window.items() if k.startswith("transactions/"))
    assert counts["transactions"] > 0


def test_without_buyer_info_orders_land_with_the_ship_to_area_only(world_dir: Path, tmp_path: Path) -> None:
    # What a seller without the PII role lands (the risk evaluation's --without-pii).
    export_lake(world_dir, tmp_path / "lake", pii_key="k", durable=False, buyer_info=False)
    orders = writer.read_source(tmp_path / "lake", "orders", schemas.ALL_SOURCES["orders"].schema).to_pylist()
    assert orders
    assert all(o["buyer_email_hash"] is None and o["shipping_address_hash"] is None for o in orders)
    assert all(o["ship_postal_area_hash"] for o in orders if o["order_status"] != "Pending")
