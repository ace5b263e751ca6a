"""`export_lake` lands the cash-flow sources (docs/CASHFLOW.md) as a nightly run ending at the
world's present would: balances of every marketplace equal to the world's own `balances()`,
payouts and their history with the world's settlement ids, one expected-payout snapshot at
`as_of`, and a re-export that changes no file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from acorn import marketplaces
from acorn.lake import schemas, writer
from acorn_sim.world.lake_export import export_lake
from acorn_sim.world.store import DiskWorld, WorldParams, write_world

# One seller, a Transfers store (DE) and one the Transfers API does not serve (US): balances
# land for both, payouts and expected payouts for DE only. 16 days hold one settlement close.
PARAMS = WorldParams(seed=11, start=date(2026, 8, 1), days=16, sellers=1, marketplaces=("DE", "US"),
                     base_orders_per_day=3.0)  # fmt: skip
DE, US = marketplaces.BY_CODE["DE"].marketplace_id, marketplaces.BY_CODE["US"].marketplace_id
CASHFLOW = ("balances", "payouts", "payout_status_history", "expected_payouts")
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("cashflow")
    world_dir = write_world(PARAMS, root / "world").path
    counts = export_lake(world_dir, root / "lake", pii_key="k", run_id="run__2026-11-01T00:00:00+00:00")
    return world_dir, root / "lake", counts


def _rows(lake: Path, source: str) -> list[dict[str, Any]]:
    return writer.read_source(lake, source, schemas.ALL_SOURCES[source].schema).to_pylist()


def _flatten(balance: dict[str, Any], parent: str | None = None) -> dict[tuple[str, str | None], Decimal]:
    """A served Balance tree as {(balance_type, parent_balance_type): amount} (the lake's grain)."""
    out = {(balance["balanceType"], parent): Decimal(str(balance["amount"]["currencyAmount"]))}
    for child in balance.get("balances") or ():
        out |= _flatten(child, balance["balanceType"])
    return out


def test_every_cashflow_source_lands_rows(exported: tuple[Path, Path, dict[str, int]]) -> None:
    _world_dir, lake, counts = exported
    for source in CASHFLOW:
        assert counts[source] > 0, source
        assert _rows(lake, source), source
        assert not counts.get(f"{source}_parse_errors"), source
    assert {r["marketplace_id"] for r in _rows(lake, "balances")} == {DE, US}  # every marketplace
    assert {r["marketplace_id"] for r in _rows(lake, "payouts")} == {DE}  # Transfers stores only


@pytest.mark.parametrize("marketplace_id", [DE, US], ids=["DE", "US"])
def test_balances_equal_the_worlds_to_the_cent(
    exported: tuple[Path, Path, dict[str, int]], marketplace_id: str
) -> None:
    world_dir, lake, _counts = exported
    world = DiskWorld(world_dir)
    (seller_id,) = {s["seller_id"] for s in world.shards()}
    rows = [r for r in _rows(lake, "balances") if r["marketplace_id"] == marketplace_id]
    landed_days = sorted({r["as_of_date"] for r in rows})
    assert len(landed_days) >= 3
    for day in landed_days[-3:]:  # the last days: balances moved by sales, deferrals and a payout
        got = {(r["balance_type"], r["parent_balance_type"]): r["amount"] for r in rows if r["as_of_date"] == day}
        want: dict[tuple[str, str | None], Decimal] = {}
        for tree in world.balances(seller_id, marketplace_ids=[marketplace_id], as_of_date=date.fromisoformat(day),
                                   balance_type=None, now=world.as_of):  # fmt: skip
            want |= _flatten(tree)
        assert {k: v.quantize(CENT) for k, v in got.items()} == {k: v.quantize(CENT) for k, v in want.items()}
        top = {t: a for (t, parent), a in got.items() if parent is None}
        assert top["TOTAL"] == top["AVAILABLE"] + top["RESERVED"]
        assert top["RESERVED"] == top["DEFERRED"] + top["ACCOUNT_LEVEL_RESERVE"]
    assert any(r["amount"] for r in rows)  # not a lake of zeros


def test_payouts_carry_the_worlds_settlement_ids(exported: tuple[Path, Path, dict[str, int]]) -> None:
    world_dir, lake, _counts = exported
    world = DiskWorld(world_dir)
    (seller_id,) = {s["seller_id"] for s in world.shards()}
    served = [p for p in world.payouts(seller_id, now=world.as_of) if p["partnerMetadata"]["marketplaceId"] == DE]
    want = {p["id"]: p["relatedIdentifiers"][0]["relatedIdentifierValue"] for p in served}
    payouts = _rows(lake, "payouts")
    assert {p["payout_id"]: p["settlement_id"] for p in payouts} == want
    settled = {s["settlement_id"] for s in _rows(lake, "settlements")}
    assert {p["settlement_id"] for p in payouts} <= settled  # the V2 report of the same period
    history = _rows(lake, "payout_status_history")
    assert {h["payout_id"] for h in history} == set(want)
    (snapshot,) = _rows(lake, "expected_payouts")
    assert snapshot["snapshot_at"] == world.as_of  # the server clock stands at the world's present


def test_re_export_changes_no_file(exported: tuple[Path, Path, dict[str, int]]) -> None:
    world_dir, lake, _counts = exported

    def files() -> dict[str, bytes]:
        return {str(f.relative_to(lake)): f.read_bytes()
                for source in CASHFLOW for f in sorted((lake / source).rglob("data.parquet"))}  # fmt: skip

    before = files()
    export_lake(world_dir, lake, pii_key="k", run_id="run__2026-11-01T00:00:00+00:00")
    assert files() == before
