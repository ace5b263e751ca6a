"""The learned layer and the scoring pipeline on hand-made features: versions, fallback, no PII."""

from __future__ import annotations

import json
import logging
import re

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest
from risk_rows import AS_OF, frame, legit_row, population

from acorn.risk import model, pipeline, rules, scores

pytestmark = pytest.mark.unit

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
LABEL_DEFINING = {
    "is_empty_or_wrong_item", "is_used_condition", "is_late_in_window", "days_before_window_end",
    "days_delivery_to_return", "is_reason_disposition_contradiction", "is_refund_without_return",
    "has_refund", "has_physical_return", "buyer_contradictions_365d", "buyer_used_late_returns_365d",
    "buyer_refunds_without_return_365d",
}  # fmt: skip


def _inputs(rows, buyers=None):
    import pandas as pd

    return pipeline.Inputs(frame(rows), buyers if buyers is not None else pd.DataFrame(), AS_OF)


def test_no_feature_of_the_model_defines_its_label():
    assert not LABEL_DEFINING & set(model.MODEL_FEATURES)


def test_observed_labels_come_from_the_data_not_from_history():
    rows = [legit_row(is_empty_or_wrong_item=True), legit_row(is_late_in_window=True, is_used_condition=True),
            legit_row(is_reason_disposition_contradiction=True), legit_row(buyer_returns_90d=9, address_buyer_keys=5)]  # fmt: skip
    assert model.observed_labels(frame(rows)).tolist() == [1, 1, 0, 0]


def test_prior_counts_leave_the_return_itself_out():
    row = legit_row(is_reason_disposition_contradiction=True, buyer_contradictions_365d=1)
    X = model.model_matrix(frame([row]))
    assert X[0, model.MODEL_FEATURES.index("prior_contradictions_365d")] == 0.0


def test_same_data_gives_the_same_version_and_identical_score_files(tmp_path):
    rows = population(400, seed=3)
    first = pipeline.score_frames(_inputs(rows), tmp_path / "a")
    second = pipeline.score_frames(_inputs(list(reversed(rows))), tmp_path / "b")  # another order
    assert first.model is not None and first.model.kind == model.GBM
    assert first.model.version == second.model.version
    paths_a, paths_b = pipeline.write(first, tmp_path / "a"), pipeline.write(second, tmp_path / "b")
    for a, b in zip(paths_a, paths_b, strict=True):
        assert pq.read_table(a).equals(pq.read_table(b))
        assert a.read_bytes() == b.read_bytes()
    # The same night again in the same directory reuses the artefact.
    again = pipeline.score_frames(_inputs(rows), tmp_path / "a")
    assert again.model.version == first.model.version
    assert again.returns.equals(first.returns)
    assert len(list((tmp_path / "a" / "models").glob("*.joblib"))) == 1
    changed = pipeline.score_frames(_inputs(rows[:-1]), tmp_path / "a")
    assert changed.model.version != first.model.version


def test_artefact_sidecar_records_window_features_params_and_metrics(tmp_path):
    trained = model.train(frame(population(400, seed=3)), tmp_path)
    joblib_path, sidecar = model.artefact_paths(tmp_path, trained.version)
    assert joblib_path.exists()
    meta = json.loads(sidecar.read_text())
    assert meta["version"] == trained.version and meta["rows"] == 400
    assert meta["positive_labels"] >= model.MIN_POSITIVE_LABELS
    assert meta["features"] == list(model.MODEL_FEATURES)
    assert meta["params"]["random_state"] == model.RANDOM_STATE
    assert meta["training_window"]["min_event_at"] < meta["training_window"]["max_event_at"]
    assert set(meta["in_sample_metrics"]) >= {"average_precision", "roc_auc"}
    assert meta["sklearn_version"]
    assert not list(tmp_path.glob("models/.*"))  # no temporary file left behind


def test_too_few_positive_labels_fall_back_to_an_isolation_forest(tmp_path):
    rows = population(300, seed=4, fraud_share=0.0)
    rows += [legit_row(order_id=f"222-0000000-{i:07d}", is_empty_or_wrong_item=True) for i in range(3)]
    scored = pipeline.score_frames(_inputs(rows), tmp_path)
    assert scored.model.kind == model.ISOLATION_FOREST
    assert scored.model.meta["positive_labels"] == 3 < model.MIN_POSITIVE_LABELS
    m = scored.returns["model_score"].to_numpy()
    assert np.isfinite(m).all() and ((m >= 0) & (m <= 1)).all()
    # An unusual history scores above an ordinary one.
    odd = legit_row(order_id="333-0000000-0000001", buyer_returns_90d=8, buyer_returns_365d=8,
                    buyer_orders_365d=8, buyer_return_rate=1.0, address_buyer_keys=4, address_returns_365d=9)  # fmt: skip
    X = model.model_matrix(frame([odd, legit_row()]))
    unusual, ordinary = scored.model.score(X)
    assert unusual > ordinary


def test_few_returns_score_by_rules_alone(tmp_path):
    scored = pipeline.score_frames(_inputs(population(20, seed=5)), tmp_path)
    assert scored.model is None
    assert scored.returns["model_score"].isna().all()
    assert (scored.returns["risk_score"] == scored.returns["rules_score"]).all()
    assert scored.returns["model_version"].iloc[0] == f"rules-{rules.rules_version()}"
    pipeline.write(scored, tmp_path)
    table = pq.read_table(scores.scores_path(tmp_path, scores.RETURN_SCORES))
    assert table.schema.equals(scores.SCHEMAS[scores.RETURN_SCORES])
    assert table.column("model_score").null_count == 20


def test_no_pii_in_artefacts_score_files_or_logs(tmp_path, caplog):
    rows = population(400, seed=6)
    rows[0]["return_reason"] = "buyer wrote: contact me at jane.doe@example.com"  # free text never reaches them
    caplog.set_level(logging.DEBUG)
    scored = pipeline.score_frames(_inputs(rows), tmp_path)
    pipeline.write(scored, tmp_path)
    hashes = {r["buyer_key"] for r in rows} | {r["address_key"] for r in rows} | {r["area_key"] for r in rows}
    texts = model.artefact_strings(tmp_path, scored.model.version)
    assert "buyer_returns_90d" in texts  # the audit sees the strings that are there
    assert not any(EMAIL.search(t) for t in texts)
    assert not texts & (hashes | {r["order_id"] for r in rows} | {r["return_id"] for r in rows})
    for path in (tmp_path / "models").iterdir():  # exact hashes and ids cannot occur by chance
        data = path.read_bytes()
        assert not any(h.encode() in data for h in hashes), f"a buyer hash in {path.name}"
        assert not any(r["order_id"].encode() in data for r in rows), f"an order id in {path.name}"
    text = caplog.text
    assert not any(h in text for h in hashes) and not EMAIL.search(text)
    assert not any(r["order_id"] in text for r in rows)
    # The score files carry the buyer key hash (the contract) and no text of the features.
    table = pq.read_table(scores.scores_path(tmp_path, scores.RETURN_SCORES))
    assert not any(EMAIL.search(str(v)) for column in table.columns for v in column.to_pylist())


def test_reason_codes_use_the_vocabulary_and_the_model_reason(tmp_path):
    scored = pipeline.score_frames(_inputs(population(400, seed=3)), tmp_path)
    codes = {c for text in scored.returns["reason_codes"] for c in text.split("|") if c}
    assert codes <= set(rules.REASON_CODES)
    assert all(len([c for c in t.split("|") if c]) <= 3 for t in scored.returns["reason_codes"])
    assert "model_pattern" in codes


def test_buyers_aggregate_their_returns_and_keep_buyers_without_returns(tmp_path):
    import pandas as pd

    serial = [legit_row(order_id=f"444-0000000-{i:07d}", buyer_key="serial", buyer_returns_90d=i + 1,
                        buyer_returns_365d=i + 1) for i in range(4)]  # fmt: skip
    rows = population(200, seed=7, fraud_share=0.0) + serial
    buyers = pd.DataFrame([
        {"seller_id": "SELLER1", "marketplace_id": "ATVPDKIKX0DER", "buyer_key": "serial",
         "buyer_key_kind": "buyer_email", "order_count": 4, "return_count": 4, "returns_30d": 1,
         "returns_90d": 4, "returns_365d": 4, "returnless_refunds": 0, "address_buyer_keys": 1},
        {"seller_id": "SELLER1", "marketplace_id": "ATVPDKIKX0DER", "buyer_key": "ring-member",
         "buyer_key_kind": "buyer_email", "order_count": 1, "return_count": 0, "returns_30d": 0,
         "returns_90d": 0, "returns_365d": 0, "returnless_refunds": 0, "address_buyer_keys": 4},
    ])  # fmt: skip
    scored = pipeline.score_frames(_inputs(rows, buyers), tmp_path)
    by_key = scored.buyers.set_index("buyer_key")
    assert by_key.loc["serial", "returns_scored"] == 4
    assert by_key.loc["serial", "risk_score"] >= 0.6
    assert by_key.loc["serial", "reason_codes"].startswith("many_returns_90d")
    assert by_key.loc["ring-member", "returns_scored"] == 0
    assert by_key.loc["ring-member", "reason_codes"] == "shared_address_many_buyers"
    assert np.isnan(by_key.loc["ring-member", "model_score"])
    # The serial returner's first return is marked by the as-of history too.
    first = scored.returns.set_index("return_id").loc[serial[0]["return_id"]]
    assert first["rules_score"] >= 0.5  # many returns and a high return rate, known as of the build
    assert len(scored.buyers) == len(set(r["buyer_key"] for r in rows) | {"ring-member"})


def test_score_warehouse_reads_the_warehouse_read_only(tmp_path):
    import pandas as pd

    db = tmp_path / "acorn.duckdb"
    returns = frame(population(120, seed=8))  # noqa: F841 - read by DuckDB's replacement scan
    buyers = pd.DataFrame(columns=["seller_id", "marketplace_id", "buyer_key", "buyer_key_kind"])  # noqa: F841
    with duckdb.connect(str(db)) as con:
        con.execute("create schema intermediate")
        con.execute("create table intermediate.int_return_risk_features as select * from returns")
        con.execute("create table intermediate.int_buyer_risk_features as select * from buyers")
        con.execute("create table intermediate.int_as_of as select timestamptz '2026-11-30 00:00:00+00' as as_of_at")
    facts = pipeline.score_warehouse(db, tmp_path / "risk")
    assert facts["returns_scored"] == 120 and facts["model_version"]
    assert facts["as_of"].startswith("2026-11-30")
    table = pq.read_table(scores.scores_path(tmp_path / "risk", scores.RETURN_SCORES))
    assert table.num_rows == 120
    assert {str(v) for v in table.column("scored_at").to_pylist()} == {"2026-11-30 00:00:00+00:00"}
    assert pq.read_table(scores.scores_path(tmp_path / "risk", scores.BUYER_SCORES)).num_rows == 120


def test_an_empty_warehouse_writes_zero_row_score_files(tmp_path):
    import pandas as pd

    empty = frame([legit_row()]).iloc[0:0]
    scored = pipeline.score_frames(pipeline.Inputs(empty, pd.DataFrame(columns=["seller_id", "marketplace_id",
                                                                               "buyer_key", "buyer_key_kind"]), None),
                                   tmp_path)  # fmt: skip
    assert scored.model is None and scored.facts()["returns_scored"] == 0
    for path in pipeline.write(scored, tmp_path):
        assert pq.read_table(path).num_rows == 0


def test_run_summary_counts_returns_per_band(tmp_path):
    db = tmp_path / "w.duckdb"
    assert pipeline.summary_lines(db) == ["Return-fraud risk: no scores in the warehouse yet"]
    with duckdb.connect(str(db)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_return_risk_scores as select * from (values "
                    "('high', 'v1'), ('high', 'v1'), ('medium', 'v1'), ('low', 'v1'), (null, null)) t(risk_band, model_version)")  # fmt: skip
    (line,) = pipeline.summary_lines(db)
    assert "model v1" in line and "4 returns scored, 2 high, 1 medium, 1 low, 1 unscored" in line
