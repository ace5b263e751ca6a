"""Score the warehouse's reconciliation and dispute-alert marts against a synthetic world's ground truth.

    python -m acorn_sim.scoring --world-seed 7                      # build world, lake, warehouse, score
    python -m acorn_sim.scoring --world-seed 7 --marketplaces US,DE --days 30 --work-dir /tmp/score
    python -m acorn_sim.scoring --world-dir DIR --duckdb PATH       # score an existing build

Detections are read from the marts only; the ground truth never enters dbt.
Each reconciliation kind maps to one mart predicate and to the natural key a
detector reports for it (`DETECTORS`); a detection is a true positive when its
(seller_id, key) is a ground-truth row of that kind, else a false positive;
ground-truth rows no detection reports are false negatives. Precision of a kind
with no detections, or recall of a kind with no ground truth, is reported as
1.0 when the other count is also zero (nothing to find, nothing claimed).

`settlement_lines_mismatch` is a settlement-level cross-check, not a
ground-truth kind: every settlement whose lines do not sum to its total must be
explained by a missing refund or a misprinted line in it.

stdout is the command's interface (the table); progress goes to the log.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Detector:
    """How one anomaly kind is found in the marts and matched to ground truth.

    Attributes:
        sql: returns (seller_id, key...) for every detection, from the marts only.
        keys: ground-truth `keys` entries, in the order `sql` returns them.
        truth_kinds: ground-truth kinds this detector should find.
    """

    sql: str
    keys: tuple[str, ...]
    truth_kinds: tuple[str, ...]


_REFUNDS = "marts.fct_refund_reconciliation"
DETECTORS: dict[str, Detector] = {
    "refund_missing_from_settlement": Detector(
        f"select seller_id, transaction_id from {_REFUNDS}"
        " where reconciliation_status = 'missing_from_settlement'",
        ("transaction_id",),
        ("refund_missing_from_settlement",),
    ),
    "settlement_line_amount_mismatch": Detector(
        "select seller_id, transaction_id from marts.fct_transaction_settlement_reconciliation"
        " where reconciliation_status = 'amount_mismatch'",
        ("transaction_id",),
        ("settlement_line_amount_mismatch",),
    ),
    "over_refund": Detector(
        f"select seller_id, transaction_id from {_REFUNDS} where is_over_refund",
        ("transaction_id",),
        ("over_refund",),
    ),
    # The mart flags the later posting; ground truth names it duplicate_transaction_id.
    "duplicate_refund": Detector(
        f"select seller_id, transaction_id from {_REFUNDS} where is_duplicate_refund",
        ("duplicate_transaction_id",),
        ("duplicate_refund",),
    ),
    "refund_fee_error": Detector(
        f"select seller_id, transaction_id from {_REFUNDS} where is_fee_error",
        ("transaction_id",),
        ("refund_fee_error",),
    ),
    "refund_tax_mismatch": Detector(
        f"select seller_id, transaction_id from {_REFUNDS} where is_tax_mismatch",
        ("transaction_id",),
        ("refund_tax_mismatch",),
    ),
    "settlement_transfer_mismatch": Detector(
        "select seller_id, settlement_id from marts.fct_settlement_reconciliation"
        " where is_transfer_mismatch",
        ("settlement_id",),
        ("settlement_transfer_mismatch",),
    ),
    "settlement_lines_mismatch": Detector(
        "select seller_id, settlement_id from marts.fct_settlement_reconciliation"
        " where is_lines_mismatch",
        ("settlement_id",),
        ("refund_missing_from_settlement", "settlement_line_amount_mismatch"),
    ),
}
RECONCILIATION_KINDS: tuple[str, ...] = tuple(k for k in DETECTORS if k != "settlement_lines_mismatch")

# Dispute early warnings (marts.fct_dispute_alerts), matched by the return's Amazon RMA id.
# A refund on time only because a public holiday extended its deadline (ground-truth control
# mfn_refund_on_time_by_holiday) must not be reported: it would be a false positive of
# mfn_refund_late.
_ALERTS = "marts.fct_dispute_alerts"
DISPUTE_DETECTORS: dict[str, Detector] = {
    "mfn_refund_late": Detector(
        f"select seller_id, amazon_rma_id from {_ALERTS}"
        " where alert_type = 'mfn_return_not_refunded' and status = 'resolved_late'",
        ("amazon_rma_id",),
        ("mfn_refund_late",),
    ),
    "mfn_return_not_refunded": Detector(
        f"select seller_id, amazon_rma_id from {_ALERTS}"
        " where alert_type = 'mfn_return_not_refunded' and status in ('open', 'breached')",
        ("amazon_rma_id",),
        ("mfn_return_not_refunded",),
    ),
    "a_to_z_claim_risk": Detector(
        f"select seller_id, amazon_rma_id from {_ALERTS}"
        " where alert_type = 'a_to_z_risk' and status = 'claim_granted'",
        ("amazon_rma_id",),
        ("a_to_z_claim_risk",),
    ),
}
DISPUTE_KINDS: tuple[str, ...] = tuple(DISPUTE_DETECTORS)
DETECTORS.update(DISPUTE_DETECTORS)


def _ratio(hits: int, total: int) -> float:
    return 1.0 if total == 0 else hits / total


def score_sets(detected: set[tuple], expected: set[tuple]) -> dict[str, Any]:
    """tp/fp/fn, precision and recall of one kind's detected keys against expected keys."""
    tp, fp, fn = len(detected & expected), len(detected - expected), len(expected - detected)
    return {
        "tp": tp, "fp": fp, "fn": fn,
        "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
        "false_positives": sorted(detected - expected), "false_negatives": sorted(expected - detected),
    }  # fmt: skip


def expected_keys(ground_truth_rows: Iterable[Mapping[str, Any]], detector: Detector) -> set[tuple]:
    """(seller_id, key...) of every ground-truth row of the detector's kinds."""
    out = set()
    for row in ground_truth_rows:
        if row["kind"] in detector.truth_kinds:
            keys = row["keys"]
            out.add((row["seller_id"], *(str(keys[k]) for k in detector.keys)))
    return out


def score(duckdb_path: str | Path, ground_truth_rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Precision and recall of the marts per reconciliation and dispute-alert kind.

    Args:
        duckdb_path: a warehouse built by `acorn.warehouse.build` (opened read-only).
        ground_truth_rows: `SyntheticWorld.ground_truth_rows()` / `DiskWorld.ground_truth_rows()`.

    Returns:
        kind -> {tp, fp, fn, precision, recall, false_positives, false_negatives}; the keys
        of `DETECTORS` (every reconciliation kind, plus `settlement_lines_mismatch`, and every
        dispute-alert kind).
    """
    import duckdb

    truth = list(ground_truth_rows)
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        out = {}
        for kind, detector in DETECTORS.items():
            detected = {tuple(str(v) for v in r) for r in con.execute(detector.sql).fetchall()}
            out[kind] = score_sets(detected, expected_keys(truth, detector))
    finally:
        con.close()
    return out


def format_table(scores: Mapping[str, Mapping[str, Any]]) -> str:
    """A Markdown table (pasteable into the README)."""
    lines = ["| kind | tp | fp | fn | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    for kind, s in scores.items():
        lines.append(f"| {kind} | {s['tp']} | {s['fp']} | {s['fn']} | {s['precision']:.3f} | {s['recall']:.3f} |")
    return "\n".join(lines)


def build_and_score(
    work_dir: Path,
    *,
    seed: int = 7,
    days: int = 90,
    marketplaces: Sequence[str] | None = None,
    orders_per_day: float | None = None,
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Write a world, export it to a lake, run `dbt build`, score; returns (scores, ground truth)."""
    from acorn.marketplaces import DEMO_CODES
    from acorn.warehouse import build
    from acorn_sim.world import settings as S
    from acorn_sim.world.lake_export import export_lake
    from acorn_sim.world.store import DiskWorld, WorldParams, write_world

    params = WorldParams(
        seed=seed, start=date(2026, 8, 1), days=days, marketplaces=tuple(marketplaces or DEMO_CODES),
        base_orders_per_day=orders_per_day or S.DEFAULT_ORDERS_PER_DAY,
    )  # fmt: skip
    write_world(params, work_dir / "world", overwrite=True)
    export_lake(work_dir / "world", work_dir / "lake")
    result = build(work_dir / "lake", work_dir / "acorn.duckdb", target_path=work_dir / "target")
    truth = DiskWorld(work_dir / "world").ground_truth_rows()
    return score(result.duckdb_path, truth), truth


def main(argv: Sequence[str] | None = None) -> int:
    from acorn_sim.world.cli import _codes

    parser = argparse.ArgumentParser(prog="python -m acorn_sim.scoring", description=__doc__.splitlines()[0])
    src = parser.add_mutually_exclusive_group(required=True)
    src.add_argument("--world-seed", type=int, help="build a world with this seed, export, dbt build, score")
    src.add_argument("--world-dir", type=Path, help="an existing world directory (with --duckdb)")
    parser.add_argument("--duckdb", type=Path, help="warehouse built from --world-dir's lake")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--marketplaces", type=_codes, default=None, help="e.g. US,DE,JP (default: all 13)")
    parser.add_argument("--orders-per-day", type=float, default=None)
    parser.add_argument("--work-dir", type=Path, default=None, help="keep world/lake/warehouse here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    if args.world_dir is not None:
        if args.duckdb is None:
            parser.error("--world-dir needs --duckdb")
        from acorn_sim.world.store import DiskWorld

        scores = score(args.duckdb, DiskWorld(args.world_dir).ground_truth_rows())
    else:
        with tempfile.TemporaryDirectory(prefix="acorn-score-") as tmp:
            work = args.work_dir or Path(tmp)
            scores, _ = build_and_score(work, seed=args.world_seed, days=args.days,
                                        marketplaces=args.marketplaces, orders_per_day=args.orders_per_day)  # fmt: skip
    sys.stdout.write(format_table(scores) + "\n")
    for kind, s in scores.items():
        for label in ("false_positives", "false_negatives"):
            if s[label]:
                sys.stdout.write(f"{kind} {label}: {s[label]}\n")
    return 0 if all(s["precision"] == s["recall"] == 1.0 for s in scores.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
