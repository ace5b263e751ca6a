"""World directories: round trip, determinism, atomicity, CLI, lake export, sandbox over DiskWorld."""

from __future__ import annotations

import hashlib
import json
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import requests

from acorn.lake import schemas, writer
from acorn_sim.world.cli import main as world_main
from acorn_sim.world.generator import build_world
from acorn_sim.world.money import dumps
from acorn_sim.world.store import DiskWorld, WorldParams, build_shard, verify, write_world

pytestmark = pytest.mark.unit

PARAMS = WorldParams(seed=11, start=date(2026, 8, 1), days=20, sellers=1, marketplaces=("US", "DE"))
LO, HI = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
REPORT_TYPES = (
    "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA",
    "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE",
    "GET_FBA_REIMBURSEMENTS_DATA",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_world(PARAMS, tmp_path_factory.mktemp("world") / "w").path


@pytest.fixture(scope="module")
def memory_world():  # noqa: ANN201 - SyntheticWorld
    p = PARAMS
    return build_world(p.seed, start=p.start, days=p.days, sellers=p.sellers, marketplaces=p.marketplaces,
                       orders_per_day=p.orders_per_day)  # fmt: skip


def _tree_hashes(root: Path) -> dict[str, str]:
    return {
        f.relative_to(root).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(root.rglob("*"))
        if f.is_file()
    }


def test_disk_world_serves_the_in_memory_payloads(built: Path, memory_world) -> None:  # noqa: ANN001
    disk = DiskWorld(built)
    assert disk.as_of == memory_world.as_of
    assert list(disk.sellers()) == list(memory_world.sellers())
    for seller in memory_world.sellers():
        sid, mps = seller.selling_partner_id, list(seller.marketplace_ids)
        for mp in [None, *mps]:
            a = memory_world.transactions(sid, marketplace_id=mp, posted_after=LO, posted_before=HI)
            b = disk.transactions(sid, marketplace_id=mp, posted_after=LO, posted_before=HI)
            assert a and dumps(list(a)) == dumps(list(b))
        window = {"posted_after": datetime(2026, 8, 10, tzinfo=UTC), "posted_before": datetime(2026, 8, 15, tzinfo=UTC)}
        assert dumps(list(memory_world.financial_events(sid, **window))) == dumps(list(disk.financial_events(sid, **window)))
        assert dumps(list(memory_world.financial_event_groups(sid, started_after=LO, started_before=HI))) == dumps(
            list(disk.financial_event_groups(sid, started_after=LO, started_before=HI))
        )
        orders = memory_world.orders(sid, marketplace_ids=mps)
        assert dumps(list(orders)) == dumps(list(disk.orders(sid, marketplace_ids=mps)))
        upd = {"last_updated_after": datetime(2026, 8, 12, tzinfo=UTC)}
        assert dumps(list(memory_world.orders(sid, marketplace_ids=mps, **upd))) == dumps(
            list(disk.orders(sid, marketplace_ids=mps, **upd))
        )
        for o in orders[:: max(1, len(orders) // 50)]:
            oid = o["AmazonOrderId"]
            assert dumps(memory_world.order_items(sid, oid)) == dumps(disk.order_items(sid, oid))
            assert dumps(memory_world.order_pii(sid, oid)) == dumps(disk.order_pii(sid, oid))
        assert disk.order_items(sid, "no-such-order") is None
        settlements = memory_world.settlement_reports(sid)
        assert settlements and list(settlements) == list(disk.settlement_reports(sid))  # bytes + metadata
        for rt in REPORT_TYPES:
            for m in (mps, mps[:1]):
                kw = {"report_type": rt, "marketplace_ids": m, "data_start_time": datetime(2026, 8, 3, tzinfo=UTC),
                      "data_end_time": HI}  # fmt: skip
                assert memory_world.report(sid, **kw) == disk.report(sid, **kw)
    assert disk.summary() == memory_world.summary()
    gt = getattr(memory_world, "ground_truth_rows", None)
    assert len(disk.ground_truth_rows()) == (len(gt()) if callable(gt) else 0)


def test_same_seed_gives_a_byte_identical_directory(built: Path, tmp_path: Path) -> None:
    again = write_world(PARAMS, tmp_path / "again").path
    assert _tree_hashes(again) == _tree_hashes(built)
    assert verify(built) == []
    other = write_world(WorldParams(**{**PARAMS.__dict__, "seed": 12}), tmp_path / "other").path
    assert _tree_hashes(other)["manifest.json"] != _tree_hashes(built)["manifest.json"]


def test_parallel_build_gives_the_same_bytes(built: Path, tmp_path: Path) -> None:
    parallel = write_world(PARAMS, tmp_path / "parallel", jobs=2).path
    assert _tree_hashes(parallel) == _tree_hashes(built)


def test_manifest_and_secret_file(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text())
    assert "credentials" not in json.dumps(manifest["sellers"])
    assert stat.S_IMODE((built / "sellers.json").stat().st_mode) == 0o600
    totals = manifest["totals"]
    assert totals["transaction_lines"] == totals["transaction_items"] + totals["settlement_lines"] > 0
    assert {s["marketplace"] for s in manifest["shards"]} == {"US", "DE"}


def test_a_failed_build_leaves_nothing_behind(tmp_path: Path) -> None:
    calls = []

    def flaky(params: WorldParams, index: int, code: str):  # noqa: ANN202
        calls.append(code)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return build_shard(params, index, code)

    with pytest.raises(RuntimeError, match="boom"):
        write_world(PARAMS, tmp_path / "w", shard_builder=flaky)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "old.txt").write_text("old")
    calls.clear()
    with pytest.raises(RuntimeError):
        write_world(PARAMS, tmp_path / "keep", overwrite=True, shard_builder=flaky)
    assert [p.name for p in tmp_path.iterdir()] == ["keep"]  # the old world is untouched
    assert (tmp_path / "keep" / "old.txt").read_text() == "old"


def test_cli_build_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tiny"
    rc = world_main(["build", "--seed", "3", "--sellers", "1", "--days", "5", "--scale", "0.5",
                     "--marketplaces", "UK,JP", "--out", str(out)])  # fmt: skip
    text = capsys.readouterr().out
    assert rc == 0
    assert "UK" in text and "JP" in text and "ground truth:" in text and "lines/s" in text
    assert (out / "manifest.json").exists()
    assert world_main(["build", "--out", str(out), "--days", "1"]) == 2  # exists, no --force
    assert world_main(["verify", "--world-dir", str(out)]) == 0


def test_lake_export_lands_what_the_world_serves(built: Path, tmp_path: Path) -> None:
    from acorn_sim.world.lake_export import export_lake

    counts = export_lake(built, tmp_path / "lake", pii_key="test-key")
    disk = DiskWorld(built)
    served = {}
    for seller in disk.sellers():
        for t in disk.transactions(seller.selling_partner_id, marketplace_id=None, posted_after=LO, posted_before=HI):
            served[t["transactionId"]] = t["totalAmount"]["currencyAmount"]
    landed = writer.read_source(tmp_path / "lake", "transactions", schemas.TRANSACTIONS.schema).to_pylist()
    assert counts["transactions"] == len(served) == len(landed)
    assert {r["transaction_id"]: r["total_amount"] for r in landed} == served
    lines = writer.read_source(tmp_path / "lake", "settlement_lines", schemas.SETTLEMENT_LINES.schema)
    manifest = json.loads((built / "manifest.json").read_text())
    assert lines.num_rows == manifest["totals"]["settlement_lines"]
    orders = writer.read_source(tmp_path / "lake", "orders", schemas.ORDERS.schema).to_pylist()
    assert all(o["buyer_email_hash"] for o in orders)
    assert not any("BuyerEmail" in o["payload_json"] for o in orders)


def test_the_sandbox_serves_a_disk_world(built: Path) -> None:
    from acorn_sim.sandbox import SandboxConfig, sandbox_connections, start_sandbox

    disk = DiskWorld(built)
    with start_sandbox(disk, SandboxConfig(time_scale=100.0)) as handle:
        conn = json.loads(sandbox_connections(handle, disk)["AIRFLOW_CONN_SPAPI_NA"])
        token = requests.post(
            handle.lwa_endpoint,
            data={
                "grant_type": "refresh_token",
                "refresh_token": conn["extra"]["refresh_token"],
                "client_id": conn["login"],
                "client_secret": conn["password"],
            },
            timeout=10,
        ).json()["access_token"]
        r = requests.get(
            handle.url + "/orders/v0/orders",
            params={"MarketplaceIds": "ATVPDKIKX0DER", "CreatedAfter": "2026-08-01T00:00:00Z"},
            headers={"x-amz-access-token": token},
            timeout=10,
        )
    assert r.status_code == 200, r.text
    got = [o["AmazonOrderId"] for o in r.json()["payload"]["Orders"]]
    sid = disk.sellers()[0].selling_partner_id
    want = [o["AmazonOrderId"] for o in disk.orders(sid, marketplace_ids=["ATVPDKIKX0DER"])]
    assert got and got == want[: len(got)]


CASHFLOW_PARAMS = WorldParams(seed=11, start=date(2026, 8, 1), days=64, sellers=1, marketplaces=("FR", "IT", "PL"))


def test_disk_world_serves_the_in_memory_cash_flow(tmp_path: Path) -> None:
    """Balances, payouts and expected payouts (format v2: cashflow.parquet) equal the in-memory world's."""
    from datetime import timedelta

    p = CASHFLOW_PARAMS
    disk = DiskWorld(write_world(p, tmp_path / "w").path)
    memory = build_world(p.seed, start=p.start, days=p.days, sellers=p.sellers, marketplaces=p.marketplaces,
                         orders_per_day=p.orders_per_day)  # fmt: skip
    assert disk.manifest["format_version"] == 2
    (seller,) = memory.sellers()
    sid = seller.selling_partner_id
    kinds = {r["kind"] for r in disk.ground_truth_rows() if r["kind"].startswith("cashflow")}
    assert kinds == {"cashflow_account_reserve", "cashflow_payout_failed", "cashflow_negative_carry"}
    for k in range(0, 80, 5):
        now = datetime(2026, 8, 5, 13, tzinfo=UTC) + timedelta(days=k)
        assert dumps(list(disk.payouts(sid, now=now))) == dumps(list(memory.payouts(sid, now=now)))
        assert dumps(list(disk.expected_payouts(sid, now=now))) == dumps(list(memory.expected_payouts(sid, now=now)))
        for day in (None, now.date() - timedelta(days=1)):
            a = disk.balances(sid, marketplace_ids=None, as_of_date=day, balance_type=None, now=now)
            assert a and dumps(list(a)) == dumps(
                list(memory.balances(sid, marketplace_ids=None, as_of_date=day, balance_type=None, now=now))
            )
    assert any(p["currentStatus"] == "FAILED" for p in disk.payouts(sid, now=disk.as_of))
