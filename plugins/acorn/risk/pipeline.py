"""Score every return and buyer key of a built warehouse and write the score files.

`score_from_settings()` is the Airflow task's entry point: it opens the DuckDB warehouse
READ-ONLY (the warehouse keeps one writer: dbt), reads the risk features and the build's
as-of instant, trains (or reuses) the learned layer, scores, and writes
`<risk_dir>/scores/return_risk_scores.parquet` and `buyer_risk_scores.parquet`
(`acorn.risk.scores`), which the next dbt step reads back as source('risk', ...).

Per return:   rules_score (rules.py, with the buyer's as-of history joined in), model_score
              (model.py; null without a model), risk_score = model.combine(...), up to three
              reason codes by contribution (the model's as `model_pattern`).
Per buyer key (seller, marketplace, buyer_key of int_buyer_risk_features):
              rules_score = max(the buyer's return rules scores, the history rules on the
              buyer's as-of features); model_score = max of its returns'; risk_score = the
              same max over risk scores; reason codes by the largest contribution of each
              code over the buyer's returns and its own history rules.

Logs carry counts only: no buyer key, address or order id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from acorn.risk import model as learned
from acorn.risk import rules, scores

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

log = logging.getLogger(__name__)

RETURN_FEATURES = "intermediate.int_return_risk_features"
BUYER_FEATURES = "intermediate.int_buyer_risk_features"
AS_OF = "select as_of_at from intermediate.int_as_of"
HIGH_RISK = 0.7  # the marts' 'high' band (RISK_CONTRACT.md part C)
BUYER_ID = ["seller_id", "marketplace_id", "buyer_key"]
# int_buyer_risk_features column -> the asof_* name the rules read on a return row.
_ASOF = {
    "returns_90d": "asof_returns_90d", "return_count": "asof_return_count", "order_count": "asof_order_count",
    "returnless_refunds": "asof_returnless_refunds", "address_buyer_keys": "asof_address_buyer_keys",
    "contradictions": "asof_contradictions",
}  # fmt: skip
# ... and the event-time column name the history rules read on a buyer row.
_BUYER_AS_RETURN = {
    "returns_90d": "buyer_returns_90d", "returns_365d": "buyer_returns_365d",
    "returnless_refunds": "buyer_returnless_refunds_365d", "return_count": "asof_return_count",
    "order_count": "asof_order_count", "address_buyer_keys": "address_buyer_keys",
    "contradictions": "buyer_contradictions_365d",
}  # fmt: skip


@dataclass(frozen=True)
class Inputs:
    returns: pd.DataFrame
    buyers: pd.DataFrame
    as_of: datetime | None


@dataclass(frozen=True)
class Scored:
    returns: pd.DataFrame  # the return_risk_scores columns
    buyers: pd.DataFrame  # the buyer_risk_scores columns
    model: learned.TrainedModel | None

    def facts(self) -> dict[str, Any]:
        meta = self.model.meta if self.model is not None else {}
        return {
            "model_version": self.model.version if self.model is not None else None,
            "model_kind": self.model.kind if self.model is not None else None,
            "positive_labels": meta.get("positive_labels"),
            "returns_scored": len(self.returns),
            "returns_high_risk": int((self.returns["risk_score"] >= HIGH_RISK).sum())
            if len(self.returns)
            else 0,
            "buyers_scored": len(self.buyers),
            "buyers_high_risk": int((self.buyers["risk_score"] >= HIGH_RISK).sum())
            if len(self.buyers)
            else 0,
        }


def read_inputs(duckdb_path: str | Path) -> Inputs:
    """The features and the build's as-of instant, from the warehouse opened read-only."""
    import duckdb

    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        returns = con.execute(f"select * from {RETURN_FEATURES} order by return_id").df()
        buyers = con.execute(
            f"select * from {BUYER_FEATURES} order by seller_id, marketplace_id, buyer_key"
        ).df()
        row = con.execute(AS_OF).fetchone()
    return Inputs(returns, buyers, row[0] if row else None)


def with_buyer_history(returns: pd.DataFrame, buyers: pd.DataFrame) -> pd.DataFrame:
    """The return rows with the buyer's as-of history (`asof_*`) joined on (seller, marketplace, buyer_key)."""
    present = [c for c in _ASOF if c in buyers.columns]
    if not len(buyers) or not present:
        return returns
    asof = buyers[BUYER_ID + present].rename(columns=_ASOF)
    return returns.merge(asof, on=BUYER_ID, how="left", validate="many_to_one")


def score_frames(inputs: Inputs, risk_dir: str | Path | None) -> Scored:
    """Train (or reuse) the model on the return features and score returns and buyers (pure but for the artefact)."""
    import pandas as pd

    returns = inputs.returns.sort_values("return_id", kind="stable").reset_index(drop=True)
    enriched = with_buyer_history(returns, inputs.buyers)
    rules_score, contrib = rules.score(enriched)
    trained = learned.train(returns, risk_dir)
    model_score = trained.score(learned.model_matrix(returns)) if trained is not None else None
    weight = trained.weight if trained is not None else 0.0
    risk_score = learned.combine(rules_score, model_score, weight)
    contrib = contrib.assign(model_pattern=learned.model_contribution(model_score, len(returns), weight))
    version = trained.version if trained is not None else f"rules-{rules.rules_version()}"
    scored_at = pd.Timestamp(inputs.as_of).tz_convert("UTC") if inputs.as_of is not None else pd.NaT
    if scored_at is not pd.NaT and scored_at.tzinfo is None:  # pragma: no cover - DuckDB gives tz-aware
        scored_at = scored_at.tz_localize("UTC")
    return_rows = pd.DataFrame({
        "return_id": returns["return_id"].astype(str),
        "seller_id": returns["seller_id"].astype(str),
        "marketplace_id": returns["marketplace_id"].astype(str),
        "buyer_key": returns["buyer_key"].astype(str),
        "risk_score": _round(risk_score),
        "rules_score": _round(rules_score),
        "model_score": _round(model_score) if model_score is not None else np.full(len(returns), np.nan),
        "reason_codes": rules.top_reasons(contrib),
        "model_version": version,
        "scored_at": scored_at,
    })  # fmt: skip
    buyer_rows = _score_buyers(returns, contrib, return_rows, inputs.buyers, version, scored_at)
    return Scored(return_rows, buyer_rows, trained)


def _round(values: np.ndarray) -> np.ndarray:
    return np.round(np.clip(np.asarray(values, dtype=float), 0.0, 1.0), 6)


def _score_buyers(
    returns: pd.DataFrame, contrib: pd.DataFrame, return_rows: pd.DataFrame, buyers: pd.DataFrame,
    version: str, scored_at: Any,
) -> pd.DataFrame:  # fmt: skip
    import pandas as pd

    codes = list(contrib.columns)
    per_return = pd.concat([
        returns[BUYER_ID + ["buyer_key_kind"]].astype(str).reset_index(drop=True),
        contrib.reset_index(drop=True),
        return_rows[["risk_score", "rules_score", "model_score"]].reset_index(drop=True),
    ], axis=1)  # fmt: skip
    grouped = per_return.groupby(BUYER_ID, sort=True)
    agg = grouped[codes + ["risk_score", "rules_score", "model_score"]].max()
    agg["returns_scored"] = grouped.size()
    agg["buyer_key_kind"] = grouped["buyer_key_kind"].first()
    if len(buyers):
        base = buyers.assign(**{c: buyers[c].astype(str) for c in BUYER_ID}).set_index(BUYER_ID)
        history = base.rename(columns=_BUYER_AS_RETURN).reset_index(drop=True)
        hist_score, hist_contrib = rules.score(history, families=(rules.HISTORY,))
        hist_contrib.index = base.index
        hist = pd.Series(hist_score, index=base.index)
        index = base.index.union(agg.index)
        kind = base["buyer_key_kind"].astype(str).reindex(index).fillna(agg["buyer_key_kind"].reindex(index))
    else:
        hist_contrib, hist = pd.DataFrame(index=agg.index), pd.Series(0.0, index=agg.index)
        index, kind = agg.index, agg["buyer_key_kind"]
    agg, hist_contrib, hist = agg.reindex(index), hist_contrib.reindex(index).fillna(0.0), hist.reindex(index)
    hist = hist.fillna(0.0).to_numpy()
    merged = pd.DataFrame({
        c: np.maximum(agg[c].fillna(0.0).to_numpy(), hist_contrib[c].to_numpy() if c in hist_contrib else 0.0)
        for c in codes
    })  # fmt: skip
    out = pd.DataFrame(index=index).reset_index()
    out["buyer_key_kind"] = kind.to_numpy()
    out["risk_score"] = _round(np.maximum(agg["risk_score"].fillna(0.0).to_numpy(), hist))
    out["rules_score"] = _round(np.maximum(agg["rules_score"].fillna(0.0).to_numpy(), hist))
    out["model_score"] = agg["model_score"].to_numpy(dtype=float)
    out["reason_codes"] = rules.top_reasons(merged)
    out["returns_scored"] = agg["returns_scored"].fillna(0).astype("int64").to_numpy()
    out["model_version"] = version
    out["scored_at"] = scored_at
    return out.sort_values(BUYER_ID, kind="stable").reset_index(drop=True)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows for pyarrow: NaN -> None (model_score null without a model), reason '' -> None."""
    records = frame.to_dict("records")
    for r in records:
        for k, v in r.items():
            if isinstance(v, float) and np.isnan(v):
                r[k] = None
        if r.get("reason_codes") == "":
            r["reason_codes"] = None
        if r.get("scored_at") is not None and hasattr(r["scored_at"], "to_pydatetime"):
            r["scored_at"] = r["scored_at"].to_pydatetime()
    return records


def write(scored: Scored, risk_dir: str | Path) -> list[Path]:
    return [
        scores.write_scores(Path(risk_dir), scores.RETURN_SCORES, _records(scored.returns)),
        scores.write_scores(Path(risk_dir), scores.BUYER_SCORES, _records(scored.buyers)),
    ]


def score_warehouse(duckdb_path: str | Path, risk_dir: str | Path) -> dict[str, Any]:
    """Read the features read-only, score, write both score files; XCom-small facts."""
    inputs = read_inputs(duckdb_path)
    scored = score_frames(inputs, risk_dir)
    write(scored, risk_dir)
    facts = scored.facts()
    facts["as_of"] = inputs.as_of.isoformat() if inputs.as_of is not None else None
    log.info("return risk scored: %s", facts)
    return facts


def score_from_settings() -> dict[str, Any]:
    """`score_warehouse` with paths from `acorn.config` (the Airflow task's entry point)."""
    from acorn.config import load_settings

    s = load_settings()
    return score_warehouse(s.duckdb_path, s.risk_dir)


def summary_lines(duckdb_path: str | Path) -> list[str]:
    """The run summary's risk lines, from marts.fct_return_risk_scores (counts per band only)."""
    import duckdb

    try:
        with duckdb.connect(str(duckdb_path), read_only=True) as con:
            rows = con.execute(
                "select risk_band, count(*) from marts.fct_return_risk_scores group by 1 order by 1"
            ).fetchall()
            version = con.execute(
                "select max(model_version) from marts.fct_return_risk_scores where model_version is not null"
            ).fetchone()[0]
    except duckdb.Error:
        return ["Return-fraud risk: no scores in the warehouse yet"]
    bands = {band or "unscored": n for band, n in rows}
    scored = sum(n for band, n in bands.items() if band != "unscored")
    return [
        f"Return-fraud risk (marts.fct_return_risk_scores, model {version or 'none'}): {scored} returns scored, "
        f"{bands.get('high', 0)} high, {bands.get('medium', 0)} medium, {bands.get('low', 0)} low"
        + (f", {bands['unscored']} unscored" if bands.get("unscored") else "")
    ]
