"""Issue #13: MFN refund deadlines across JP and DE public holidays, scored end to end.

The world runs over Christmas and New Year (DE: 25 Dec and 1 Jan are weekdays in 2026;
JP: 1 Jan and Coming of Age Day, 11 Jan 2027) so refunds whose two-business-day window
holds a holiday exist in both marketplaces: some posted after the weekday-only deadline
but before the holiday-extended one (ground-truth control `mfn_refund_on_time_by_holiday`:
a calendar without the holiday would flag them), some hours after the extended deadline
(`mfn_refund_late`). 300 orders a day: MFN returns are rare.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from acorn.marketplaces import BY_ID

pytestmark = pytest.mark.dbt

PARAMS = {"seed": 5, "days": 42, "marketplaces": ("DE", "JP"), "base_orders_per_day": 300.0}


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> tuple[dict, list[dict], Path]:
    from acorn.warehouse import build
    from acorn_sim.scoring import score
    from acorn_sim.world.lake_export import export_lake
    from acorn_sim.world.store import DiskWorld, WorldParams, write_world

    root: Path = tmp_path_factory.mktemp("holiday-world")
    write_world(WorldParams(start=date(2026, 12, 7), **PARAMS), root / "world")
    export_lake(root / "world", root / "lake")
    result = build(root / "lake", root / "acorn.duckdb", target_path=root / "target")
    truth = DiskWorld(root / "world").ground_truth_rows()
    return score(result.duckdb_path, truth), truth, result.duckdb_path


def _holiday_cases(truth: list[dict]) -> Counter:
    return Counter(
        (r["kind"], BY_ID[r["marketplace_id"]].code)
        for r in truth
        if r["kind"] == "mfn_refund_on_time_by_holiday" or "holiday" in r["detail"]
    )


def test_world_has_holiday_cases_in_de_and_jp(scored):
    _, truth, _ = scored
    cases = _holiday_cases(truth)
    for code in ("DE", "JP"):
        assert cases["mfn_refund_on_time_by_holiday", code] >= 2, cases
        assert cases["mfn_refund_late", code] >= 2, cases


def test_dispute_alerts_are_exact_across_holidays(scored):
    from acorn_sim.scoring import DISPUTE_KINDS

    scores, _, _ = scored
    failing = {
        kind: {k: scores[kind][k] for k in ("tp", "fp", "fn", "false_positives", "false_negatives")}
        for kind in DISPUTE_KINDS
        if not (scores[kind]["precision"] == scores[kind]["recall"] == 1.0)
    }
    assert failing == {}
    assert scores["mfn_refund_late"]["tp"] >= 4


def test_holiday_refunds_on_time_raise_no_alert_and_late_ones_name_the_holiday(scored):
    import duckdb

    _, truth, duckdb_path = scored
    on_time = {r["keys"]["amazon_rma_id"] for r in truth if r["kind"] == "mfn_refund_on_time_by_holiday"}
    late = {r["keys"]["amazon_rma_id"] for r in truth if r["kind"] == "mfn_refund_late" and "holiday" in r["detail"]}
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        alerts = dict(
            con.execute(
                "select amazon_rma_id, skipped_holiday_count from marts.fct_dispute_alerts"
                " where alert_type = 'mfn_return_not_refunded'"
            ).fetchall()
        )
    finally:
        con.close()
    assert on_time and not on_time & set(alerts)
    assert late and all(alerts[rma] >= 1 for rma in late)
