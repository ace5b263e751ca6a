"""Score the pipeline's return-fraud risk scores against a synthetic world's ground truth.

    python -m acorn_sim.risk_evaluation --seeds 301 302 303 [--without-pii] [--days 120] [--out DIR]

For each seed: build the world, land it in a lake through the extraction code (as a
seller with the PII role, or without it: no buyer email, no street address, the ship-to
area only), `dbt build`, score with `acorn.risk.pipeline` (what the Airflow task runs),
`dbt build --select source:risk+`, then read `marts.fct_return_risk_scores` and compare
with the world's fraud labels (`acorn_sim.world.ground_truth.fraud_labels`). The ground
truth never enters the pipeline: it is read here, after the marts are built.

Unit: one return (seller, order, SKU) of the mart. A return is a positive of a fraud kind
when its (seller, marketplace, order) carries that kind's label; per kind, PR-AUC is that
kind's positives against all negatives (returns with no label). Scorers:

* baseline  -- "3 or more returns in 90 days": int_return_risk_features.buyer_returns_90d >= 3, as 0/1;
* rules     -- the rules layer alone (rules_score);
* combined  -- rules and model (risk_score).

Figures: PR-AUC (sklearn average_precision_score), precision and recall in the top 1 % and
5 % of returns by score (ties at the cut-off counted pro rata, so a 0/1 scorer is not
flattered by the order of its ties), and precision / recall of the 'high' band (>= 0.7).

Seeds: 5, 7 and 11 are the development seeds (rules and model were built and tuned on
them); 301, 302 and 303 are reserved for the final measurement and were run once.

stdout is the command's interface (the table); progress goes to the log. JSON with every
figure goes to `<out>/risk_eval[_without_pii].json`.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

DEV_SEEDS = (5, 7, 11)
RESERVED_SEEDS = (301, 302, 303)
FRAUD_KINDS = ("serial_returner", "wardrobing", "empty_box_or_wrong_item", "buyer_ring")
SCORERS = ("baseline", "rules", "combined")
TOP_SHARES = (0.01, 0.05)
HIGH_BAND = 0.7
WORLD_START = date(2026, 8, 1)

SCORES_SQL = """
    select s.return_id, s.seller_id, s.marketplace_id, s.order_id, s.buyer_key_kind,
           coalesce(cast(s.risk_score as double), 0) as risk_score,
           coalesce(cast(s.rules_score as double), 0) as rules_score,
           cast(s.model_score as double) as model_score, s.model_version,
           case when f.buyer_returns_90d >= 3 then 1.0 else 0.0 end as baseline_score
    from marts.fct_return_risk_scores as s
    inner join intermediate.int_return_risk_features as f on s.return_id = f.return_id
    order by s.return_id
"""


def fraud_labels(ground_truth_rows: Iterable[Any]) -> list[dict[str, str]]:
    """(seller_id, marketplace_id, order_id, kind) of every fraud label of the world.

    `ground_truth_rows`: `DiskWorld.ground_truth_rows()` dicts or `GroundTruthRow`s. Uses the
    world's own `ground_truth.fraud_labels` when it has one; else the fraud rows' order keys
    (order_id, or order_ids of a serial returner / buyer ring), as that function defines them.
    """
    from acorn_sim.world import ground_truth as gt

    fields = ("kind", "seller_id", "marketplace_id", "keys", "expected_amount", "currency", "detected_by",
              "detail", "injected_at")  # fmt: skip
    rows = [gt.GroundTruthRow(**{f: r[f] for f in fields}) if isinstance(r, Mapping) else r for r in ground_truth_rows]
    if hasattr(gt, "fraud_labels"):
        return [{"seller_id": lb.seller_id, "marketplace_id": lb.marketplace_id, "order_id": lb.order_id,
                 "kind": lb.kind} for lb in gt.fraud_labels(rows)]  # fmt: skip
    out, seen = [], set()
    for r in rows:
        if r.kind not in FRAUD_KINDS:
            continue
        value = r.keys.get("order_ids") or r.keys["order_id"]
        for order_id in [value] if isinstance(value, str) else value:
            if (r.seller_id, r.marketplace_id, order_id) not in seen:
                seen.add((r.seller_id, r.marketplace_id, order_id))
                out.append({"seller_id": r.seller_id, "marketplace_id": r.marketplace_id, "order_id": order_id,
                            "kind": r.kind})  # fmt: skip
    return out


def top_share(y: np.ndarray, s: np.ndarray, share: float) -> tuple[float, float]:
    """(precision, recall) of the top `share` of rows by score, ties at the cut-off pro rata."""
    n, positives = len(y), int(y.sum())
    if n == 0:
        return float("nan"), float("nan")
    k = max(1, math.ceil(n * share))
    order = np.argsort(-s, kind="stable")
    threshold = s[order[k - 1]]
    above = s > threshold
    tied = s == threshold
    room = k - int(above.sum())
    hits = float(y[above].sum()) + (room * float(y[tied].sum()) / float(tied.sum()))
    return hits / k, (hits / positives if positives else float("nan"))


def metrics(y: np.ndarray, s: np.ndarray) -> dict[str, float | int | None]:
    from sklearn.metrics import average_precision_score

    out: dict[str, float | int | None] = {"positives": int(y.sum()), "rows": len(y)}
    out["pr_auc"] = float(average_precision_score(y, s)) if 0 < y.sum() < len(y) else None
    out["prevalence"] = float(y.mean()) if len(y) else None
    for share in TOP_SHARES:
        p, r = top_share(y, s, share)
        pct = f"{share * 100:g}pct"
        out[f"precision_top_{pct}"], out[f"recall_top_{pct}"] = p, r
    flagged = s >= HIGH_BAND
    out["flagged_high"] = int(flagged.sum())
    out["precision_high"] = float(y[flagged].mean()) if flagged.any() else None
    out["recall_high"] = float(y[flagged].sum() / y.sum()) if y.sum() else None
    return out


def evaluate(scored: Any, labels: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    """Every figure for one warehouse: overall and per kind, for each scorer."""
    keys = list(zip(scored["seller_id"], scored["marketplace_id"], scored["order_id"], strict=True))
    kinds_of: dict[tuple[str, str, str], set[str]] = {}
    for label in labels:
        kinds_of.setdefault((label["seller_id"], label["marketplace_id"], label["order_id"]), set()).add(
            label["kind"]
        )
    row_kinds = [kinds_of.get(k, set()) for k in keys]
    y_any = np.array([bool(k) for k in row_kinds], dtype=int)
    scores = {"baseline": scored["baseline_score"].to_numpy(float), "rules": scored["rules_score"].to_numpy(float),
              "combined": scored["risk_score"].to_numpy(float)}  # fmt: skip
    result: dict[str, Any] = {
        "returns": len(keys),
        "labelled_orders": len(kinds_of),
        "overall": {},
        "per_kind": {},
    }
    labelled_returns = {kind: int(sum(kind in k for k in row_kinds)) for kind in FRAUD_KINDS}
    result["labelled_returns_per_kind"] = labelled_returns
    result["labelled_orders_without_a_return"] = len(set(kinds_of) - set(keys))
    for name, s in scores.items():
        result["overall"][name] = metrics(y_any, s)
    for kind in FRAUD_KINDS:
        keep = np.array([(kind in k) or not k for k in row_kinds])
        y = np.array([kind in k for k in row_kinds], dtype=int)[keep]
        result["per_kind"][kind] = {name: metrics(y, s[keep]) for name, s in scores.items()}
    return result


def run_seed(seed: int, work: Path, *, days: int, without_pii: bool) -> dict[str, Any]:
    """World -> lake -> dbt build -> score -> dbt build source:risk+ -> figures, for one seed."""
    import duckdb

    from acorn.risk import pipeline
    from acorn.warehouse import build
    from acorn_sim.scoring import as_of_var
    from acorn_sim.world.lake_export import export_lake
    from acorn_sim.world.store import DiskWorld, WorldParams, generator_version, write_world

    params = WorldParams(seed=seed, start=WORLD_START, days=days)
    world_dir = work / f"world-{seed}-{days}d"
    manifest = DiskWorld(world_dir).manifest if (world_dir / "manifest.json").exists() else {}
    if manifest.get("params") != params.to_json() or manifest.get("generator") != generator_version():
        log.info("seed %s: building the world (%s days)", seed, days)
        write_world(params, world_dir, overwrite=True)
    variant = work / f"seed-{seed}-{days}d-{'without' if without_pii else 'with'}-pii"
    if variant.exists():
        import shutil

        shutil.rmtree(variant)
    lake, db, risk = variant / "lake", variant / "acorn.duckdb", variant / "risk"
    log.info("seed %s: landing the lake (%s the PII role)", seed, "without" if without_pii else "with")
    export_lake(world_dir, lake, buyer_info=not without_pii)
    world = DiskWorld(world_dir)
    dbt_vars = {"as_of": as_of_var(world.as_of)}
    log.info("seed %s: dbt build", seed)
    build(lake, db, target_path=variant / "target", dbt_vars=dbt_vars, risk_dir=risk)
    log.info("seed %s: scoring", seed)
    facts = pipeline.score_warehouse(db, risk)
    log.info("seed %s: dbt build --select source:risk+", seed)
    build(lake, db, select="source:risk+", target_path=variant / "target", dbt_vars=dbt_vars, risk_dir=risk)
    with duckdb.connect(str(db), read_only=True) as con:
        scored = con.execute(SCORES_SQL).df()
    result = evaluate(scored, fraud_labels(world.ground_truth_rows()))
    result.update(seed=seed, days=days, without_pii=without_pii, scoring=facts,
                  reserved_seed=seed in RESERVED_SEEDS, development_seed=seed in DEV_SEEDS)  # fmt: skip
    return result


def pooled(results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Mean over seeds of each figure (seeds weigh equally)."""

    def mean(values: list[Any]) -> float | None:
        vals = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
        return float(np.mean(vals)) if vals else None

    def merge(parts: list[Mapping[str, Any]]) -> dict[str, Any]:
        return {k: (sum(p[k] for p in parts) if k in ("positives", "rows", "flagged_high")
                    else mean([p[k] for p in parts])) for k in parts[0]}  # fmt: skip

    out: dict[str, Any] = {"overall": {}, "per_kind": {}}
    for name in SCORERS:
        out["overall"][name] = merge([r["overall"][name] for r in results])
    for kind in FRAUD_KINDS:
        out["per_kind"][kind] = {
            name: merge([r["per_kind"][kind][name] for r in results]) for name in SCORERS
        }
    return out


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def format_table(summary: Mapping[str, Any], title: str) -> str:
    cols = ("positives", "pr_auc", "precision_top_1pct", "recall_top_1pct", "precision_top_5pct",
            "recall_top_5pct", "precision_high", "recall_high")  # fmt: skip
    heads = ("pos", "PR-AUC", "P@1%", "R@1%", "P@5%", "R@5%", "P@high", "R@high")
    lines = [title, f"{'slice':<26}{'scorer':<10}" + "".join(f"{h:>9}" for h in heads)]
    blocks = [("overall", summary["overall"])] + [(k, summary["per_kind"][k]) for k in FRAUD_KINDS]
    for label, block in blocks:
        for name in SCORERS:
            m = block[name]
            lines.append(f"{label:<26}{name:<10}" + "".join(f"{_fmt(m[c]):>9}" for c in cols))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m acorn_sim.risk_evaluation", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--seeds", type=int, nargs="+", required=True,
                        help=f"world seeds (development: {DEV_SEEDS}; reserved for the final figures: {RESERVED_SEEDS})")  # fmt: skip
    parser.add_argument(
        "--without-pii", action="store_true", help="land the lake as a seller without the PII role"
    )
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--out", type=Path, default=Path("data/run/risk_eval"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s: %(message)s")
    for noisy in ("great_expectations", "acorn.extract", "acorn.lake", "acorn_sim.world"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    args.out = args.out.resolve()  # dbt resolves a relative target path against its project folder
    args.out.mkdir(parents=True, exist_ok=True)
    table_out, sys.stdout = sys.stdout, sys.stderr  # dbt and the extraction print to stdout: keep it for the table
    try:
        results = [run_seed(seed, args.out, days=args.days, without_pii=args.without_pii) for seed in args.seeds]
    finally:
        sys.stdout = table_out
    summary = pooled(results)
    label = "without the PII role" if args.without_pii else "with the PII role"
    title = f"Return-fraud risk, seeds {' '.join(map(str, args.seeds))}, {args.days} days, {label} (mean over seeds)"
    report = {"seeds": args.seeds, "days": args.days, "without_pii": args.without_pii, "mean": summary,
              "per_seed": results}  # fmt: skip
    path = (
        args.out
        / f"risk_eval{'_without_pii' if args.without_pii else ''}-{'-'.join(map(str, args.seeds))}.json"
    )
    path.write_text(json.dumps(report, indent=2, sort_keys=True, default=str) + "\n")
    sys.stdout.write(format_table(summary, title) + "\n")
    sys.stdout.write(f"JSON: {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
