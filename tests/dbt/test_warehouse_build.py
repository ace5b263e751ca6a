"""dbt build on a small synthetic lake: every test passes and refund money is conserved.

The lake is a 3-marketplace, 30-day world (seed 5) exported with
`acorn_sim.world.lake_export` (the pipeline's own normalisers and lake writer).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.dbt.warehouse_query import query as _query

pytestmark = pytest.mark.dbt

# Money back to a buyer: customer refunds, A-to-z Guarantee claims, chargebacks.
BUYER_REFUND_TYPES = {"Refund", "GuaranteeClaim", "Chargeback"}


@pytest.fixture(scope="module")
def small_lake(tmp_path_factory) -> Path:
    from acorn_sim.world.lake_export import export_lake
    from acorn_sim.world.store import WorldParams, write_world

    root = tmp_path_factory.mktemp("small-world")
    params = WorldParams(seed=5, start=date(2026, 8, 1), days=30, marketplaces=("US", "DE", "JP"),
                         base_orders_per_day=8.0)  # fmt: skip
    write_world(params, root / "world")
    counts = export_lake(root / "world", root / "lake")
    assert counts["transactions"] > 0
    return root / "lake"


@pytest.fixture(scope="module")
def built(small_lake, tmp_path_factory):
    from acorn.warehouse import build

    out = tmp_path_factory.mktemp("warehouse")
    result = build(small_lake, out / "acorn.duckdb", target_path=out / "target", unit_tests=True)
    return result



def _lake_refunds(lake: Path) -> dict[str, tuple[str, Decimal]]:
    from acorn.lake import schemas, writer

    table = writer.read_source(lake, "transactions", schemas.TRANSACTIONS.schema)
    return {
        r["transaction_id"]: (r["currency_code"], r["total_amount"])
        for r in table.to_pylist()
        if r["transaction_type"] in BUYER_REFUND_TYPES
    }


def test_dbt_build_passes_every_test(built):
    assert not {"error", "fail"} & set(built.statuses), built.statuses
    assert built.statuses.get("pass", 0) > 50  # data tests and unit tests ran
    assert built.resource_types.get("unit_test", 0) >= 9, built.resource_types
    assert built.statuses.get("success", 0) >= 18  # seeds and models were built


def test_every_lake_refund_appears_once(built, small_lake):
    """One row per refund line: every buyer refund is there, once per item, its lines adding up to it."""
    lake = _lake_refunds(small_lake)
    assert lake, "the small world must contain refunds"
    rows = _query(
        built.duckdb_path,
        "select transaction_id, item_index, refund_kind, net_amount from marts.fct_refund_reconciliation",
    )
    lines = Counter((r[0], r[1]) for r in rows)
    assert set(lines.values()) == {1}
    net: dict[str, Decimal] = defaultdict(Decimal)
    for transaction_id, _, _, amount in rows:
        net[transaction_id] += Decimal(amount)
    assert set(net) == set(lake)
    assert net == {t: amount for t, (_, amount) in lake.items()}


def test_refund_sums_per_currency_equal_the_lake(built, small_lake):
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for currency, amount in _lake_refunds(small_lake).values():
        expected[currency] += amount
    rows = _query(
        built.duckdb_path,
        "select currency_code, sum(net_amount) from marts.fct_refund_reconciliation group by 1",
    )
    assert {c: Decimal(s) for c, s in rows} == dict(expected)


def test_marts_are_populated(built):
    for model in ("fct_settlement_reconciliation", "rpt_marketplace_refunds"):
        assert int(_query(built.duckdb_path, f"select count(*) from marts.{model}")[0][0]) > 0
