"""Issue #5 acceptance: the reconciliation marts find every injected anomaly and nothing else.

The world is the smallest in which every reconciliation kind appears at least
three times: quotas scale with days x orders/day x marketplace weight (2.8 per
10k weighted orders, `acorn_sim.world.settings.ANOMALIES_PER_10K_ORDERS`), so it
needs about 10.7k weighted order-days, and the three settlement kinds (one per
payout cycle) need enough closed cycles, which two marketplaces do not give.
US, DE, UK, JP over 60 days at 75 orders/day (seed 5) gives exactly 3 of each.
The dispute-alert kinds (marts.fct_dispute_alerts) appear at least 3 times there too;
their public-holiday cases are in tests/dbt/test_dispute_alerts_holidays.py (no DE
holiday falls on a weekday in this world's August and September).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

pytestmark = pytest.mark.dbt

PARAMS = {"seed": 5, "days": 60, "marketplaces": ("US", "DE", "UK", "JP"), "base_orders_per_day": 75.0}


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> tuple[dict, list[dict]]:
    from acorn.warehouse import build
    from acorn_sim.scoring import score
    from acorn_sim.world.lake_export import export_lake
    from acorn_sim.world.store import DiskWorld, WorldParams, write_world

    root: Path = tmp_path_factory.mktemp("scoring-world")
    write_world(WorldParams(start=date(2026, 8, 1), **PARAMS), root / "world")
    export_lake(root / "world", root / "lake")
    result = build(root / "lake", root / "acorn.duckdb", target_path=root / "target")
    truth = DiskWorld(root / "world").ground_truth_rows()
    return score(result.duckdb_path, truth), truth


def test_world_has_every_reconciliation_kind_three_times(scored):
    from acorn_sim.scoring import RECONCILIATION_KINDS

    _, truth = scored
    counts = Counter(r["kind"] for r in truth)
    assert {k: counts[k] for k in RECONCILIATION_KINDS if counts[k] < 3} == {}


def test_world_has_every_dispute_kind_three_times(scored):
    from acorn_sim.scoring import DISPUTE_KINDS

    _, truth = scored
    counts = Counter(r["kind"] for r in truth)
    assert {k: counts[k] for k in DISPUTE_KINDS if counts[k] < 3} == {}


def test_precision_and_recall_are_one_for_every_kind(scored):
    scores, _ = scored
    failing = {
        kind: {k: s[k] for k in ("tp", "fp", "fn", "false_positives", "false_negatives")}
        for kind, s in scores.items()
        if s["tp"] + s["fn"] > 0 and not (s["precision"] == s["recall"] == 1.0)
    }
    assert failing == {}
    assert all(s["tp"] >= 3 for s in scores.values())
