"""The rules layer: each rule fires on its case and not on a legitimate look-alike; bounds; reasons."""

from __future__ import annotations

import numpy as np
import pytest
from risk_rows import legit_row, population

from acorn.risk import model, rules

pytestmark = pytest.mark.unit

# code: (the fraud case's overrides, a legitimate look-alike's overrides)
CASES = {
    "empty_or_wrong_item": (
        {"is_empty_or_wrong_item": True, "is_used_condition": True, "return_status": "Empty box received"},
        {"is_used_condition": True, "return_disposition": "CUSTOMER_DAMAGED"},  # damaged, but the item came back
    ),
    "used_and_late_in_window": (
        {"is_late_in_window": True, "is_used_condition": True, "days_before_window_end": 1.0},
        {"is_used_condition": True},  # used, but returned early in the window
    ),
    "late_in_window": (
        {"is_late_in_window": True, "days_before_window_end": 2.0},
        {"days_before_window_end": 5.0},
    ),
    "reason_contradicts_condition": (
        {"is_reason_disposition_contradiction": True, "return_reason": "DEFECTIVE"},
        {"return_reason": "DEFECTIVE", "return_disposition": "DEFECTIVE"},  # defective, graded defective
    ),
    "refund_without_return": (
        {"is_refund_without_return": True, "has_physical_return": False},
        {"is_returnless_refund": True, "has_physical_return": False, "is_returnless_eligible": True},
    ),
    "repeated_returnless_refunds": (
        {"buyer_returnless_refunds_365d": 3, "is_returnless_refund": True},
        {"buyer_returnless_refunds_365d": 1, "is_returnless_refund": True},
    ),
    "many_returns_90d": (
        {"buyer_returns_90d": 3, "buyer_returns_365d": 3, "buyer_orders_365d": 10, "buyer_return_rate": 0.3},
        # three returns, but over a year; and three "returns" of a postal area key are not one buyer's
        {"buyer_returns_90d": 1, "buyer_returns_365d": 3, "buyer_orders_365d": 10, "buyer_return_rate": 0.3},
    ),
    "high_return_rate": (
        {"buyer_returns_365d": 4, "buyer_orders_365d": 5, "buyer_return_rate": 0.8, "buyer_returns_90d": 1},
        {"buyer_returns_365d": 1, "buyer_orders_365d": 1, "buyer_return_rate": 1.0},  # one order, one return
    ),
    "return_rate_above_sku_norm": (
        {"buyer_returns_365d": 2, "buyer_orders_365d": 4, "buyer_return_rate": 0.5, "buyer_return_rate_vs_sku": 5.0},
        {"buyer_returns_365d": 1, "buyer_orders_365d": 2, "buyer_return_rate": 0.5, "buyer_return_rate_vs_sku": 5.0},
    ),
    "shared_address_many_buyers": (
        {"address_buyer_keys": 3, "address_buyers_with_returns": 2},
        {"address_buyer_keys": 1},
    ),
    "address_many_returns": (
        {"address_returns_365d": 3, "address_buyers_with_returns": 2},
        {"address_returns_365d": 3, "address_buyers_with_returns": 1},  # one buyer, already counted as such
    ),
    "high_refund_value_share": (
        {"buyer_refund_value_share": 0.95, "buyer_returns_365d": 2, "buyer_returns_90d": 2},
        {"buyer_refund_value_share": 0.95, "buyer_returns_365d": 1},  # one order, refunded
    ),
    "area_return_rate_high": (
        {"area_return_rate_vs_marketplace": 3.5, "buyer_key_kind": "postal_area", "buyer_returns_365d": 2},
        # a quiet area with one order and one return is "many times the rate" too
        {"area_return_rate_vs_marketplace": 20.0, "buyer_key_kind": "postal_area", "buyer_returns_365d": 1},
    ),
}


def test_every_rule_has_a_case_and_codes_come_from_the_vocabulary():
    assert {r.code for r in rules.RULES} == set(CASES)
    assert set(CASES) | {"model_pattern"} == set(rules.REASON_CODES)


def test_a_legitimate_return_fires_nothing():
    score, reasons = rules.score_row(legit_row())
    assert score == 0.0 and reasons == []


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires_on_its_case(code):
    fraud, _ = CASES[code]
    score, reasons = rules.score_row(legit_row(**fraud))
    assert code in reasons
    assert score > 0


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_does_not_fire_on_a_legitimate_look_alike(code):
    _, look_alike = CASES[code]
    _, reasons = rules.score_row(legit_row(**look_alike))
    assert code not in reasons


def test_buyer_count_rules_trust_the_key_kind():
    many = {"buyer_returns_90d": 4, "buyer_returns_365d": 4, "buyer_orders_365d": 20, "buyer_return_rate": 0.2}
    email, _ = rules.score_row(legit_row(**many))
    area, _ = rules.score_row(legit_row(**many, buyer_key_kind="postal_area"))
    order, reasons = rules.score_row(legit_row(**many, buyer_key_kind="order"))
    assert email > area > order == 0.0 and reasons == []
    # An area key that returns most of what it orders is one returner, not a busy area.
    one_person, _ = rules.score_row(legit_row(**{**many, "buyer_orders_365d": 5, "buyer_return_rate": 0.8},
                                              buyer_key_kind="postal_area"))  # fmt: skip
    assert one_person > area


def test_a_household_or_an_office_is_low_risk_a_ring_is_not():
    household, _ = rules.score_row(legit_row(address_buyer_keys=2, address_buyers_with_returns=2))
    office, _ = rules.score_row(legit_row(address_buyer_keys=6, address_buyers_with_returns=1, is_business_order=True))
    ring, reasons = rules.score_row(legit_row(address_buyer_keys=3, address_buyers_with_returns=2))
    assert household < 0.4 and office < 0.4 <= ring and reasons == ["shared_address_many_buyers"]


def test_repeated_contradictions_weigh_more_than_one():
    once, _ = rules.score_row(legit_row(is_reason_disposition_contradiction=True, buyer_contradictions_365d=1))
    again, reasons = rules.score_row(legit_row(is_reason_disposition_contradiction=True, buyer_contradictions_365d=2))
    later, _ = rules.score_row(legit_row(asof_contradictions=3))  # an earlier return of the same buyer
    assert once < 0.4 <= again and later >= 0.4 and reasons == ["reason_contradicts_condition"]


def test_the_as_of_history_marks_a_serial_returners_first_returns():
    first = legit_row(buyer_returns_90d=1, buyer_returns_365d=1)
    before, _ = rules.score_row(first)
    after, reasons = rules.score_row({**first, "asof_returns_90d": 5, "asof_return_count": 5, "asof_order_count": 5})
    assert before == 0.0 and after >= 0.6 and reasons[0] == "many_returns_90d"


def test_reasons_are_ordered_by_contribution_and_at_most_three():
    row = legit_row(is_empty_or_wrong_item=True, is_used_condition=True, is_late_in_window=True,
                    is_reason_disposition_contradiction=True, address_buyer_keys=3, address_buyers_with_returns=2,
                    area_return_rate_vs_marketplace=4.0)  # fmt: skip
    score, reasons = rules.score_row(row)
    assert reasons == ["empty_or_wrong_item", "used_and_late_in_window", "shared_address_many_buyers"]
    assert 0.95 < score <= 1.0


def test_scores_stay_in_bounds_and_the_combination_only_adds():
    frame = __import__("pandas").DataFrame(population(300, seed=9, fraud_share=0.5))
    scores, contrib = rules.score(frame)
    assert ((scores >= 0) & (scores <= 1)).all()
    groups: dict[str, list[str]] = {}
    for r in rules.RULES:
        groups.setdefault(r.group_name, []).append(r.code)
    maxima = np.column_stack([contrib[codes].to_numpy().max(axis=1) for codes in groups.values()])
    assert np.allclose(scores, 1 - np.prod(1 - maxima, axis=1))
    rng = np.random.default_rng(0)
    for m in (rng.random(len(scores)), np.zeros(len(scores)), np.ones(len(scores))):
        combined = model.combine(scores, m)
        assert ((combined >= scores - 1e-12) & (combined <= 1)).all()
    assert np.array_equal(model.combine(scores, None), scores)
    assert model.combine(np.array([0.0]), np.array([1.0]))[0] == pytest.approx(model.MODEL_WEIGHT)
    assert model.combine(np.array([1.0]), np.array([0.0]))[0] == 1.0


def test_correlated_rules_count_once():
    # Three ways of saying "returns most of what it buys": the largest counts, not all three.
    row = legit_row(buyer_returns_365d=3, buyer_orders_365d=3, buyer_return_rate=1.0, buyer_return_rate_vs_sku=8.0,
                    buyer_refund_value_share=0.95)  # fmt: skip
    score, reasons = rules.score_row(row)
    assert {"high_return_rate", "return_rate_above_sku_norm", "high_refund_value_share"} == set(reasons)
    assert score == pytest.approx(0.30)


def test_a_used_unit_just_outside_the_late_mark_is_half_suspicious():
    score, reasons = rules.score_row(legit_row(is_used_condition=True, days_before_window_end=4.0))
    assert reasons == ["used_and_late_in_window"] and score == pytest.approx(0.75 * 0.7)
    score, _ = rules.score_row(legit_row(is_used_condition=True, days_before_window_end=12.0))
    assert score == 0.0
