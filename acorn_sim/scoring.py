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

The `money_owed:<claim_type>` detectors read `marts.fct_money_owed` only: a claim of
that type with status eligible or expired is a detection of its ground-truth kind
(`MONEY_OWED_KINDS`); the build is judged at the world's `as_of` (dbt var `as_of`).

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
from datetime import UTC, date, datetime
from decimal import Decimal
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
        amount_sql: `sql` with the detection's amount as a last column, where the mart
            states the money at stake; compared with the ground truth's expected_amount.
    """

    sql: str
    keys: tuple[str, ...]
    truth_kinds: tuple[str, ...]
    amount_sql: str | None = None


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
    # A paid group with no report is a payout row of its own, not a gap (fct_payouts).
    "payout_report_missing": Detector(
        "select seller_id, financial_event_group_id from marts.fct_payouts where report_missing",
        ("financial_event_group_id",),
        ("payout_report_missing",),
    ),
    "deferred_transaction": Detector(
        "select seller_id, transaction_id from marts.fct_transaction_settlement_reconciliation"
        " where reconciliation_status = 'deferred'",
        ("transaction_id",),
        ("deferred_transaction",),
    ),
    "settlement_lines_mismatch": Detector(
        "select seller_id, settlement_id from marts.fct_settlement_reconciliation"
        " where is_lines_mismatch",
        ("settlement_id",),
        ("refund_missing_from_settlement", "settlement_line_amount_mismatch"),
    ),
}

# Money owed (fct_money_owed): a claim the marts say can be filed now or could have been
# (eligible, expired); waiting rows are not claims yet, reimbursed rows were paid.
_OWED = "select seller_id, {cols} from marts.fct_money_owed where claim_type = '{claim_type}'" \
    " and status in ('eligible', 'expired')"


def _owed(claim_type: str, cols: str, keys: tuple[str, ...], truth_kind: str) -> Detector:
    return Detector(_OWED.format(cols=cols, claim_type=claim_type), keys, (truth_kind,),
                    _OWED.format(cols=f"{cols}, amount", claim_type=claim_type))  # fmt: skip


MONEY_OWED_DETECTORS: dict[str, Detector] = {
    "money_owed:refund_without_return": _owed(
        "refund_without_return", "transaction_id", ("transaction_id",), "refund_without_return_past_window"
    ),
    "money_owed:return_not_credited": _owed(
        "return_not_credited", "license_plate_number", ("license_plate_number",), "return_not_restocked_or_credited"
    ),
    "money_owed:reimbursement_missing": _owed(
        "reimbursement_missing", "license_plate_number", ("license_plate_number",), "reimbursement_missing"
    ),
    "money_owed:reimbursement_short": _owed(
        "reimbursement_short", "reimbursement_id", ("reimbursement_id",), "reimbursement_short"
    ),
    # The mart's reimbursement_id is the reversal; ground truth names the reversed one too.
    "money_owed:reimbursement_reversed": _owed(
        "reimbursement_reversed", "original_reimbursement_id, reimbursement_id",
        ("reimbursement_id", "reversal_reimbursement_id"), "reimbursement_reversed",
    ),
    "money_owed:over_refund": _owed("over_refund", "transaction_id", ("transaction_id",), "over_refund"),
    # The mart's row is the repeated posting; ground truth names it duplicate_transaction_id.
    "money_owed:duplicate_refund": _owed(
        "duplicate_refund", "transaction_id", ("duplicate_transaction_id",), "duplicate_refund"
    ),
    "money_owed:fee_overcharge": _owed("fee_overcharge", "transaction_id", ("transaction_id",), "refund_fee_error"),
}
RECONCILIATION_KINDS: tuple[str, ...] = tuple(k for k in DETECTORS if k != "settlement_lines_mismatch")
MONEY_OWED_KINDS: tuple[str, ...] = tuple(k for d in MONEY_OWED_DETECTORS.values() for k in d.truth_kinds)
DETECTORS.update(MONEY_OWED_DETECTORS)

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


def expected_amounts(ground_truth_rows: Iterable[Mapping[str, Any]], detector: Detector) -> dict[tuple, Any]:
    """(seller_id, key...) -> expected_amount of every ground-truth row of the detector's kinds."""
    out = {}
    for row in ground_truth_rows:
        if row["kind"] in detector.truth_kinds:
            keys = row["keys"]
            out[(row["seller_id"], *(str(keys[k]) for k in detector.keys))] = row["expected_amount"]
    return out


def amount_mismatches(found: Mapping[tuple, Any], expected: Mapping[tuple, Any]) -> list[tuple]:
    """(key, mart amount, expected amount) of every true positive whose amounts differ."""
    return sorted(
        (key, str(found[key]), str(expected[key]))
        for key in found.keys() & expected.keys()
        if expected[key] is not None and Decimal(str(found[key])) != Decimal(str(expected[key]))
    )


def score(duckdb_path: str | Path, ground_truth_rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Precision and recall of the marts per reconciliation and dispute-alert kind.

    Args:
        duckdb_path: a warehouse built by `acorn.warehouse.build` (opened read-only).
        ground_truth_rows: `SyntheticWorld.ground_truth_rows()` / `DiskWorld.ground_truth_rows()`.

    Returns:
        kind -> {tp, fp, fn, precision, recall, false_positives, false_negatives} (money-owed
        kinds add amount_mismatches: true positives whose amount is not the expected one); the keys
        of `DETECTORS` (every reconciliation kind, `settlement_lines_mismatch`, one
        `money_owed:<claim_type>` per money-owed kind, read from `marts.fct_money_owed`, and
        every dispute-alert kind, read from `marts.fct_dispute_alerts`).
    """
    import duckdb

    truth = list(ground_truth_rows)
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        out = {}
        for kind, detector in DETECTORS.items():
            detected = {tuple(str(v) for v in r) for r in con.execute(detector.sql).fetchall()}
            out[kind] = score_sets(detected, expected_keys(truth, detector))
            if detector.amount_sql is not None:
                found = {tuple(str(v) for v in r[:-1]): r[-1] for r in con.execute(detector.amount_sql).fetchall()}
                out[kind]["amount_mismatches"] = amount_mismatches(found, expected_amounts(truth, detector))
    finally:
        con.close()
    return out


def format_table(scores: Mapping[str, Mapping[str, Any]]) -> str:
    """A Markdown table (pasteable into the README)."""
    lines = ["| kind | tp | fp | fn | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    for kind, s in scores.items():
        lines.append(f"| {kind} | {s['tp']} | {s['fp']} | {s['fn']} | {s['precision']:.3f} | {s['recall']:.3f} |")
    return "\n".join(lines)


def as_of_var(as_of: datetime) -> str:
    """The world's observation instant as the dbt var `as_of` (ISO-8601 UTC, `Z`)."""
    return as_of.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
    world = DiskWorld(work_dir / "world")
    result = build(work_dir / "lake", work_dir / "acorn.duckdb", target_path=work_dir / "target",
                   dbt_vars={"as_of": as_of_var(world.as_of)})  # fmt: skip
    truth = world.ground_truth_rows()
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
        for label in ("false_positives", "false_negatives", "amount_mismatches"):
            if s.get(label):
                sys.stdout.write(f"{kind} {label}: {s[label]}\n")
    ok = all(s["precision"] == s["recall"] == 1.0 and not s.get("amount_mismatches") for s in scores.values())
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
