"""Build -> score -> build the risk marts, on the dashboard tests' session world (no new world).

The session fixture (`conftest.built`) runs what the Airflow tasks run: `dbt build`,
`acorn.risk.pipeline.score_warehouse` (the warehouse opened read-only) and
`acorn.warehouse.build(select="source:risk+")`. Here the same night is scored again: it must
reuse the model and rewrite the same files.
"""

from __future__ import annotations

import re

import duckdb
import pyarrow.parquet as pq
import pytest

from acorn.risk import model, pipeline, rules, scores

pytestmark = pytest.mark.dbt


@pytest.fixture(scope="module")
def risk_built(built):
    root, db = built.root, built.duckdb_path
    before = {p.relative_to(root): p.read_bytes() for p in (root / "risk").rglob("*") if p.is_file()}
    facts = pipeline.score_warehouse(db, root / "risk")
    after = {p.relative_to(root): p.read_bytes() for p in (root / "risk").rglob("*") if p.is_file()}
    return root, db, facts, (before, after)


def _rows(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def test_every_return_is_scored_with_the_model_version(risk_built):
    _root, db, facts, _files = risk_built
    (features,) = _rows(db, "select count(*) as n from intermediate.int_return_risk_features")
    assert features["n"] > 100 and facts["returns_scored"] == features["n"]
    marts = _rows(db, "select * from marts.fct_return_risk_scores")
    assert len(marts) == features["n"]
    assert all(r["risk_score"] is not None and r["model_version"] == facts["model_version"] for r in marts)
    for r in marts:
        band = "high" if r["risk_score"] >= 0.7 else "medium" if r["risk_score"] >= 0.4 else "low"
        assert r["risk_band"] == band
        codes = [r[f"reason_code_{i}"] for i in (1, 2, 3) if r[f"reason_code_{i}"]]
        assert set(codes) <= set(rules.REASON_CODES)
        assert r["risk_score"] >= r["rules_score"]
    (buyers,) = _rows(db, "select count(*) as n, count(risk_score) as scored from marts.fct_buyer_risk")
    assert buyers["n"] > 0 and buyers["scored"] == buyers["n"]


def test_confirmed_empty_boxes_of_the_world_score_high(risk_built, built):
    from acorn_sim.risk_evaluation import fraud_labels
    from acorn_sim.world.store import DiskWorld

    _root, db, _facts, _files = risk_built
    empty = {(r["seller_id"], r["order_id"]) for r in fraud_labels(DiskWorld(built.world_dir).ground_truth_rows())
             if r["kind"] == "empty_box_or_wrong_item"}  # fmt: skip
    marts = _rows(db, "select seller_id, order_id, risk_band, reason_code_1 from marts.fct_return_risk_scores")
    found = [r for r in marts if (r["seller_id"], r["order_id"]) in empty]
    assert found, "the session world has no empty-box return to check"
    assert all(r["risk_band"] == "high" and r["reason_code_1"] == "empty_or_wrong_item" for r in found)


def test_rescoring_the_same_night_changes_nothing_and_holds_no_pii(risk_built):
    root, _db, facts, (before, after) = risk_built
    assert len([p for p in after if p.suffix == ".joblib"]) == 1  # reused, not a second model
    assert before == after
    email = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
    texts = model.artefact_strings(root / "risk", facts["model_version"])
    assert texts and not any(email.search(t) for t in texts)
    for name in (scores.RETURN_SCORES, scores.BUYER_SCORES):
        table = pq.read_table(scores.scores_path(root / "risk", name))
        assert not any(email.search(str(v)) for column in table.columns for v in column.to_pylist())
        hashed = [k for k in table.column("buyer_key").to_pylist() if not k.startswith("order:")]
        assert all(re.fullmatch(r"(area:)?[0-9a-f]{64}", k) for k in hashed), "a buyer key that is not a hash"
