"""The evaluation command's figures on hand-made scores."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from acorn_sim import risk_evaluation as ev

pytestmark = pytest.mark.unit


def test_top_share_counts_ties_at_the_cut_off_pro_rata():
    y = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    # A 0/1 scorer with 4 ties at 1: the top 10 % (one row) holds 2/4 of a positive.
    s = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], dtype=float)
    precision, recall = ev.top_share(y, s, 0.1)
    assert precision == pytest.approx(0.5) and recall == pytest.approx(0.25)
    precision, recall = ev.top_share(y, np.array([0.9, 0.1, 0.8, 0, 0, 0, 0, 0, 0, 0.2]), 0.2)
    assert precision == 1.0 and recall == 1.0


def test_evaluate_scores_each_kind_against_the_negatives_only():
    scored = pd.DataFrame({
        "seller_id": ["S"] * 6, "marketplace_id": ["M"] * 6, "order_id": [f"o{i}" for i in range(6)],
        "baseline_score": [1, 0, 0, 0, 0, 1.0], "rules_score": [0.9, 0.8, 0.1, 0.2, 0.0, 0.3],
        "risk_score": [0.9, 0.85, 0.1, 0.2, 0.0, 0.3],
    })  # fmt: skip
    labels = [{"seller_id": "S", "marketplace_id": "M", "order_id": "o0", "kind": "wardrobing"},
              {"seller_id": "S", "marketplace_id": "M", "order_id": "o1", "kind": "serial_returner"},
              {"seller_id": "S", "marketplace_id": "M", "order_id": "zz", "kind": "buyer_ring"}]  # fmt: skip
    result = ev.evaluate(scored, labels)
    assert result["overall"]["rules"]["positives"] == 2 and result["overall"]["rules"]["pr_auc"] == 1.0
    wardrobing = result["per_kind"]["wardrobing"]["rules"]
    assert wardrobing["rows"] == 5 and wardrobing["positives"] == 1  # the serial returner's return left out
    assert result["overall"]["baseline"]["pr_auc"] == pytest.approx(0.5 * 0.5 + 0.5 * 2 / 6)
    assert result["labelled_orders_without_a_return"] == 1
    assert result["per_kind"]["buyer_ring"]["rules"]["pr_auc"] is None  # no positive return
    assert result["overall"]["combined"]["recall_high"] == 1.0


def test_fraud_labels_list_every_order_of_a_fraud_row():
    base = {"seller_id": "S", "marketplace_id": "M", "expected_amount": None, "currency": "USD",
            "detected_by": "fraud", "detail": "", "injected_at": datetime(2026, 9, 1, tzinfo=UTC)}  # fmt: skip
    rows = [{**base, "kind": "serial_returner", "keys": {"buyer_email": "x@m", "order_ids": ["a", "b"]}},
            {**base, "kind": "wardrobing", "keys": {"order_id": "c"}},
            {**base, "kind": "over_refund", "detected_by": "reconciliation", "keys": {"order_id": "d"}}]  # fmt: skip
    labels = ev.fraud_labels(rows)
    assert {(r["order_id"], r["kind"]) for r in labels} >= {("a", "serial_returner"), ("b", "serial_returner"),
                                                            ("c", "wardrobing")}  # fmt: skip
    assert "d" not in {r["order_id"] for r in labels}
