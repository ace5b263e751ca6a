"""The learned layer: a gradient-boosting classifier on labels the pipeline can observe.

Labels (never the synthetic world's ground truth; DECISIONLOG "label choice"):
a return is a positive when its own evidence is strong -- Amazon confirmed it
(`is_empty_or_wrong_item`) or the return-level rules (`rules.RETURN` family) score at
least `WEAK_LABEL_MIN` (with today's weights: a used unit returned in the window's last
days). Everything else is unlabelled and treated as negative (positive-unlabelled learning). The model sees only the *other* view -- the buyer's, address's and area's
history before the return (`MODEL_FEATURES`) -- with the counts of the label-defining flags
taken without this return (`prior_*`), so no feature defines the label: it learns which
histories go with fraudulent returns, and scores returns whose own evidence is absent
(MFN returns, returns not yet inspected).

Model: scikit-learn's HistGradientBoostingClassifier (fixed random_state, balanced class
weights, probabilities corrected back for the weighting). With fewer than
`MIN_POSITIVE_LABELS` positives it falls back to an IsolationForest over the same features
(unsupervised: unusual histories score high).

Combination (one score per return):
    risk_score = 1 - (1 - rules_score) * (1 - w * model_score)
with w = MODEL_WEIGHT (0.5) for the gradient-boosting model and IFOREST_WEIGHT (0.25) for
the IsolationForest: a noisy-OR in which the model counts as one more, down-weighted piece
of evidence: it can raise a return the rules miss but never lower one the rules flag.
`model_pattern` is a reason code when the model's contribution (w * model_score) ranks in
the top 3.

Artefact: `<risk_dir>/models/return_risk-<version>.joblib` and a JSON sidecar (version,
training window, rows, positives, features, params, sklearn version, in-sample metrics).
version = short hash of (kind, features, params, sklearn version, rules version, training
data fingerprint): the same night re-run gives the same version, reuses the file and gives
the same scores. Artefacts hold no buyer keys: only numeric features and model trees.

scikit-learn is imported inside the functions (DAG files import their callers at parse time).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from acorn.risk import rules

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

log = logging.getLogger(__name__)

MIN_POSITIVE_LABELS = 25  # fewer observed positives than this: IsolationForest instead
MIN_TRAINING_ROWS = 50  # fewer returns than this: no model at all (rules only)
WEAK_LABEL_MIN = 0.6  # return-level rules score that counts as an observed positive
MODEL_WEIGHT = 0.5  # the supervised model's weight in the combined noisy-OR
IFOREST_WEIGHT = 0.25  # the unsupervised fallback's: "unusual" is weaker evidence than "like the positives"
MODEL_REASON_MIN = 0.2  # model contribution below this never shows as a reason
RANDOM_STATE = 15  # issue #15

GBM = "hist_gradient_boosting"
ISOLATION_FOREST = "isolation_forest"
GBM_PARAMS: dict[str, Any] = {
    "learning_rate": 0.08, "max_iter": 150, "max_leaf_nodes": 15, "min_samples_leaf": 20,
    "l2_regularization": 1.0, "class_weight": "balanced", "early_stopping": False,
    "random_state": RANDOM_STATE,
}  # fmt: skip
IFOREST_PARAMS: dict[str, Any] = {"n_estimators": 200, "max_samples": "auto", "random_state": RANDOM_STATE}

# The history view: what was known about the buyer, address and area when the return was
# made (event-time columns of int_return_risk_features), plus order context. Excluded on
# purpose: is_empty_or_wrong_item, is_used_condition, is_late_in_window,
# days_before_window_end, days_delivery_to_return, is_reason_disposition_contradiction,
# has_refund, has_physical_return, is_refund_without_return (they define the labels).
MODEL_FEATURES: tuple[str, ...] = (
    "buyer_returns_30d", "buyer_returns_90d", "buyer_returns_365d", "buyer_orders_365d",
    "buyer_return_rate", "sku_return_rate", "marketplace_return_rate", "buyer_return_rate_vs_sku",
    "buyer_refund_value_share", "address_buyer_keys", "address_returns_365d",
    "address_buyers_with_returns", "area_return_rate_vs_marketplace",
    "prior_contradictions_365d", "prior_refunds_without_return_365d", "prior_returnless_refunds_365d",
    "prior_used_late_returns_365d", "refund_share_of_item", "is_business_order", "is_prime",
    "is_returnless_eligible", "is_afn", "buyer_key_is_email",
)  # fmt: skip

# prior_<x> = <buyer count of x in 365 d> - <this return's flag>: the buyer's history without this return.
_PRIOR = {
    "prior_contradictions_365d": ("buyer_contradictions_365d", "is_reason_disposition_contradiction"),
    "prior_refunds_without_return_365d": ("buyer_refunds_without_return_365d", "is_refund_without_return"),
    "prior_returnless_refunds_365d": ("buyer_returnless_refunds_365d", "is_returnless_refund"),
    "prior_used_late_returns_365d": ("buyer_used_late_returns_365d", None),
}


@dataclass
class TrainedModel:
    """A fitted model and what it was trained on (the sidecar's content in `meta`)."""

    kind: str
    version: str
    estimator: Any
    features: tuple[str, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def weight(self) -> float:
        """The model's weight in the combined score."""
        return MODEL_WEIGHT if self.kind == GBM else IFOREST_WEIGHT

    def score(self, X: np.ndarray) -> np.ndarray:
        """model_score in [0, 1] per row."""
        if self.kind == GBM:
            p = self.estimator.predict_proba(X)[:, 1]
            # Balanced class weights multiply the positives' odds by n_neg / n_pos; divide it
            # back out so the score reads as a probability at the observed label rate.
            ratio = float(self.meta["class_weight_ratio"])
            odds = p / np.maximum(1.0 - p, 1e-12) / ratio
            return np.clip(odds / (1.0 + odds), 0.0, 1.0)
        # IsolationForest: score_samples is minus the paper's anomaly score s in (0, 1]; s
        # near 0.5 or below is ordinary, near 1 clearly anomalous: map [0.5, 1] to [0, 1].
        s = -self.estimator.score_samples(X)
        return np.clip((s - 0.5) / 0.5, 0.0, 1.0)


def model_matrix(df: pd.DataFrame) -> np.ndarray:
    """The numeric feature matrix (MODEL_FEATURES order) of a features DataFrame."""

    def num(column: str) -> np.ndarray:
        if column not in df.columns:
            return np.zeros(len(df))
        return df[column].astype(float).fillna(0.0).to_numpy()

    def flag(column: str) -> np.ndarray:
        if column not in df.columns:
            return np.zeros(len(df))
        return df[column].fillna(False).astype(bool).to_numpy().astype(float)

    def text(column: str) -> np.ndarray:
        if column not in df.columns:
            return np.full(len(df), "", dtype=object)
        return df[column].astype(str).to_numpy()

    derived: dict[str, np.ndarray] = {}
    for name, (count, own) in _PRIOR.items():
        mine = (flag("is_late_in_window") * flag("is_used_condition")) if own is None else flag(own)
        derived[name] = np.maximum(num(count) - mine, 0.0)
    item_value = num("item_value_amount")
    derived["refund_share_of_item"] = np.where(
        item_value > 0, num("refund_amount") / np.maximum(item_value, 1e-9), 0.0
    )
    derived["is_afn"] = (text("fulfillment_channel") == "AFN").astype(float)
    derived["buyer_key_is_email"] = (text("buyer_key_kind") == "buyer_email").astype(float)
    columns = []
    for name in MODEL_FEATURES:
        if name in derived:
            columns.append(derived[name])
        elif name.startswith("is_"):
            columns.append(flag(name))
        else:
            columns.append(num(name))
    return np.column_stack(columns) if columns else np.zeros((len(df), 0))


def observed_labels(df: pd.DataFrame) -> np.ndarray:
    """1 where the return's own evidence is strong (confirmed, or return-level rules >= WEAK_LABEL_MIN)."""
    return_level, _ = rules.score(df, families=(rules.RETURN,))
    confirmed = (
        df["is_empty_or_wrong_item"].fillna(False).astype(bool).to_numpy() if len(df) else np.zeros(0, bool)
    )
    return (confirmed | (return_level >= WEAK_LABEL_MIN)).astype(int)


def _fingerprint(return_ids: Any, X: np.ndarray, y: np.ndarray) -> str:
    digest = hashlib.sha256()
    digest.update("\n".join(map(str, return_ids)).encode())
    digest.update(np.ascontiguousarray(X, dtype=np.float64).tobytes())
    digest.update(np.ascontiguousarray(y, dtype=np.int64).tobytes())
    return digest.hexdigest()


def model_version(kind: str, params: dict[str, Any], data_fingerprint: str) -> str:
    import sklearn

    spec = {"kind": kind, "features": list(MODEL_FEATURES), "params": params, "sklearn": sklearn.__version__,
            "rules": rules.rules_version(), "data": data_fingerprint}  # fmt: skip
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]


def artefact_paths(risk_dir: str | Path, version: str) -> tuple[Path, Path]:
    base = Path(risk_dir) / "models" / f"return_risk-{version}"
    return base.with_suffix(".joblib"), base.with_suffix(".json")


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _window(df: pd.DataFrame) -> dict[str, str | None]:
    if "event_at" not in df.columns or not len(df):
        return {"min_event_at": None, "max_event_at": None}
    import pandas as pd

    at = pd.to_datetime(df["event_at"], utc=True)
    return {"min_event_at": at.min().isoformat(), "max_event_at": at.max().isoformat()}


def train(df: pd.DataFrame, risk_dir: str | Path | None = None) -> TrainedModel | None:
    """Train (or reuse, when the same version is on disk) the learned layer on a features DataFrame.

    Rows are sorted by return_id first, so the same data in any order gives the same model.
    Returns None with fewer than MIN_TRAINING_ROWS returns (the rules score alone then).
    """
    if len(df) < MIN_TRAINING_ROWS:
        log.info("return risk: %d returns, fewer than %d: no model, rules only", len(df), MIN_TRAINING_ROWS)
        return None
    df = df.sort_values("return_id", kind="stable").reset_index(drop=True)
    X, y = model_matrix(df), observed_labels(df)
    positives = int(y.sum())
    kind, params = (
        (GBM, GBM_PARAMS) if positives >= MIN_POSITIVE_LABELS else (ISOLATION_FOREST, IFOREST_PARAMS)
    )
    version = model_version(kind, params, _fingerprint(df["return_id"], X, y))
    if risk_dir is not None:
        loaded = load(risk_dir, version)
        if loaded is not None:
            log.info("return risk: model %s already trained, reused", version)
            return loaded
    model = _fit(kind, params, X, y, version)
    model.meta.update({
        "version": version, "kind": kind, "training_window": _window(df), "rows": len(df),
        "positive_labels": positives, "features": list(MODEL_FEATURES), "params": params,
        "label": f"is_empty_or_wrong_item or return-level rules score >= {WEAK_LABEL_MIN}",
        "rules_version": rules.rules_version(),
        "combination": f"1-(1-rules)*(1-{MODEL_WEIGHT if kind == GBM else IFOREST_WEIGHT}*model)",
    })  # fmt: skip
    import sklearn

    model.meta["sklearn_version"] = sklearn.__version__
    model.meta["in_sample_metrics"] = _metrics(model.score(X), y)
    if risk_dir is not None:
        save(model, risk_dir)
    log.info(
        "return risk: trained %s %s on %d returns, %d positive labels", kind, version, len(df), positives
    )
    return model


def _fit(kind: str, params: dict[str, Any], X: np.ndarray, y: np.ndarray, version: str) -> TrainedModel:
    if kind == GBM:
        from sklearn.ensemble import HistGradientBoostingClassifier

        estimator = HistGradientBoostingClassifier(**params).fit(X, y)
        ratio = float((y == 0).sum()) / max(float((y == 1).sum()), 1.0)
        return TrainedModel(kind, version, estimator, MODEL_FEATURES, {"class_weight_ratio": ratio})
    from sklearn.ensemble import IsolationForest

    estimator = IsolationForest(**params).fit(X)
    return TrainedModel(kind, version, estimator, MODEL_FEATURES, {})


def _metrics(scores: np.ndarray, y: np.ndarray) -> dict[str, float | None]:
    if y.sum() == 0 or y.sum() == len(y):
        return {"average_precision": None, "roc_auc": None, "label_rate": float(y.mean()) if len(y) else None}
    from sklearn.metrics import average_precision_score, roc_auc_score

    return {
        "average_precision": round(float(average_precision_score(y, scores)), 4),
        "roc_auc": round(float(roc_auc_score(y, scores)), 4),
        "label_rate": round(float(y.mean()), 6),
    }


def save(model: TrainedModel, risk_dir: str | Path) -> tuple[Path, Path]:
    """Write the joblib artefact and its JSON sidecar atomically (sidecar last: its presence means complete)."""
    import io

    import joblib

    path, sidecar = artefact_paths(risk_dir, model.version)
    buffer = io.BytesIO()
    joblib.dump({"kind": model.kind, "version": model.version, "estimator": model.estimator,
                 "features": list(model.features), "meta": model.meta}, buffer)  # fmt: skip
    _atomic_write_bytes(path, buffer.getvalue())
    _atomic_write_bytes(sidecar, (json.dumps(model.meta, indent=2, sort_keys=True) + "\n").encode())
    return path, sidecar


def load(risk_dir: str | Path, version: str) -> TrainedModel | None:
    """A saved model of this version, or None when it is not (completely) on disk."""
    path, sidecar = artefact_paths(risk_dir, version)
    if not (path.exists() and sidecar.exists()):
        return None
    import joblib

    saved = joblib.load(path)
    return TrainedModel(
        saved["kind"], saved["version"], saved["estimator"], tuple(saved["features"]), saved["meta"]
    )


def artefact_strings(risk_dir: str | Path, version: str) -> set[str]:
    """Every text value inside a saved artefact and its sidecar (a PII audit: there should be
    only feature names, parameter names and metadata words). Raw bytes cannot be scanned
    for an e-mail pattern: the float arrays of the trees happen to contain "x@y.z" bytes."""
    path, sidecar = artefact_paths(risk_dir, version)
    import joblib

    found: set[str] = set()
    seen: set[int] = set()

    def walk(obj: Any) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, str):
            found.add(obj)
        elif isinstance(obj, bytes):
            found.add(obj.decode("latin-1"))
        elif isinstance(obj, dict):
            for k, v in obj.items():
                walk(k)
                walk(v)
        elif isinstance(obj, list | tuple | set | frozenset):
            for v in obj:
                walk(v)
        elif isinstance(obj, np.ndarray):
            if obj.dtype.kind in "OUS":
                for v in obj.ravel().tolist():
                    walk(v)
        elif hasattr(obj, "__dict__"):
            walk(vars(obj))
        elif hasattr(obj, "__getstate__"):
            walk(obj.__getstate__())

    walk(joblib.load(path))
    walk(json.loads(sidecar.read_text()))
    return found


def combine(rules_score: np.ndarray, model_score: np.ndarray | None, weight: float = MODEL_WEIGHT) -> np.ndarray:
    """risk_score = 1 - (1 - rules) * (1 - weight * model); rules alone without a model."""
    r = np.clip(np.asarray(rules_score, dtype=float), 0.0, 1.0)
    if model_score is None:
        return r
    m = np.clip(np.nan_to_num(np.asarray(model_score, dtype=float), nan=0.0), 0.0, 1.0)
    return 1.0 - (1.0 - r) * (1.0 - weight * m)


def model_contribution(model_score: np.ndarray | None, n: int, weight: float = MODEL_WEIGHT) -> np.ndarray:
    """The model's column among the rule contributions (for reason codes); 0 below MODEL_REASON_MIN."""
    if model_score is None:
        return np.zeros(n)
    c = weight * np.nan_to_num(np.asarray(model_score, dtype=float), nan=0.0)
    return np.where(c >= MODEL_REASON_MIN, c, 0.0)
