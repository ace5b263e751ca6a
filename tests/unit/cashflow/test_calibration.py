"""Rolling normalised conformal intervals: pooled, known-before-the-origin scores only, at a level
that adapts to the misses of earlier forecasts."""

from datetime import UTC, datetime, timedelta

from acorn.cashflow.calibration import GAMMA, MIN_ERRORS, ScoredTarget, adaptive_quantiles, conformal_rank

T0 = datetime(2026, 9, 1, tzinfo=UTC)


def _target(key, day, error, scale=100, hours=0):
    return ScoredTarget(key, T0 + timedelta(days=day, hours=hours), error, scale)


def _quantile(targets, key, origin, gamma=0.0):
    """The quantile of one forecast of `key` made at `origin` (gamma 0: the plain split-conformal one)."""
    return adaptive_quantiles(targets, [("f", origin, key)], 0.8, gamma)[("f", key)]


def test_the_quantile_is_the_split_conformal_rank_of_the_scores_known_at_the_origin():
    # Scores 0.1 .. 1.0 (errors over a scale of 100), known on days 0..9.
    targets = [_target(("payout", 1), d, (d + 1) * 10) for d in range(MIN_ERRORS)]
    assert conformal_rank(MIN_ERRORS, 0.8) == 8  # ceil(11 x 0.8) - 1
    assert _quantile(targets, ("payout", 1), T0 + timedelta(days=9)) == 0.9
    # One day earlier only nine are known: too few, and nothing else stands in.
    assert _quantile(targets, ("payout", 1), T0 + timedelta(days=8)) is None


def test_scores_are_comparable_across_scales_so_marketplaces_pool():
    small = [_target(("payout", 1), d, 5, scale=10) for d in range(5)]  # yen-sized and euro-sized
    large = [_target(("payout", 1), d, 5_000, scale=10_000) for d in range(5)]
    assert _quantile(small + large, ("payout", 1), T0 + timedelta(days=5)) == 0.5


def test_a_key_without_enough_scores_borrows_its_measures_and_never_another_measures():
    first = [_target(("payout", 1), d, 30) for d in range(MIN_ERRORS)]
    second = [_target(("payout", 2), d, 90) for d in range(3)]
    refunds = [_target(("refund_cum", 28), d, 500) for d in range(MIN_ERRORS)]
    origin = T0 + timedelta(days=MIN_ERRORS)
    known = first + second + refunds
    # The second payout has three scores of its own: the payout measure's 13 stand in.
    assert _quantile(known, ("payout", 2), origin) == 0.9  # rank 11 of 13: ten 0.3 then three 0.9
    assert _quantile(known, ("payout", 1), origin) == 0.3
    assert _quantile(known, ("refund_cum", 28), origin) == 5.0
    assert _quantile(known, ("net_flow", 1), origin) is None


def test_a_score_known_an_hour_after_the_origin_is_not_used():
    # Tokyo's day ends hours before Berlin's: instants decide, not local dates.
    targets = [_target(("refund", 1), 0, 10) for _ in range(MIN_ERRORS - 1)] + [_target(("refund", 1), 1, 10, hours=1)]
    assert _quantile(targets, ("refund", 1), T0 + timedelta(days=1)) is None


def test_a_target_without_an_engine_interval_is_not_scored():
    origin = T0 + timedelta(days=MIN_ERRORS)
    unscaled = [_target(("payout", 1), d, 10, scale=0) for d in range(MIN_ERRORS)]
    assert _quantile(unscaled, ("payout", 1), origin) is None
    scaled = [_target(("payout", 1), d, 10, scale=20) for d in range(MIN_ERRORS)]
    assert _quantile(scaled, ("payout", 1), origin) == 0.5


def _realised(key, day, error, value):
    return ScoredTarget(key, T0 + timedelta(days=day), error, 100, value)


def test_forecasts_of_one_realised_value_count_once_in_the_rank():
    # Fourteen origins forecast each payout: their errors are one draw, not fourteen.
    assert conformal_rank(28, 0.8) == 23  # ceil(29 x 0.8) - 1: 28 independent scores
    assert conformal_rank(28, 0.8, distinct=14) == 23  # ceil(28 x ceil(15 x 0.8) / 14) - 1
    assert conformal_rank(30, 0.8, distinct=6) == 29  # ceil(7 x 0.8) / 6 > 1: the largest score
    assert conformal_rank(30, 0.8, distinct=4) is None  # too few realised values to rank at all
    # Five payouts, three origins each (scores 0.1 .. 1.5): the fifteen scores are five draws.
    targets = [_realised(("payout", 1), d, (3 * d + k + 1) * 10, ("DE", d)) for d in range(5) for k in range(3)]
    origin = T0 + timedelta(days=5)
    assert _quantile(targets, ("payout", 1), origin) == 1.5
    independent = [ScoredTarget(t.key, t.known_at, t.error, t.scale) for t in targets]
    assert _quantile(independent, ("payout", 1), origin) == 1.3  # rank 12 of 15


def test_a_payout_scored_at_two_sequences_is_one_realised_value_of_the_measure():
    # The same close was the second payout of earlier origins and the first of later ones.
    first = [_realised(("payout", 1), d, 30, ("DE", d)) for d in range(4) for _ in range(3)]
    second = [_realised(("payout", 2), d, 90, ("DE", d)) for d in range(4)]
    origin = T0 + timedelta(days=4)
    # Sixteen scores, but only four payouts were realised: too few to calibrate, even measure-wide.
    assert _quantile(first + second, ("payout", 2), origin) is None
    more = [_realised(("payout", 1), 4, 30, ("DE", 4)) for _ in range(3)]
    origin = T0 + timedelta(days=5)
    assert _quantile(first + second + more, ("payout", 2), origin) == 0.9


def test_the_level_adapts_to_whether_earlier_intervals_held():
    key = ("payout", 1)
    # 400 scores 0.0025 .. 1.0 known by day 0; then a forecast a day from day 1 to day 30, each
    # realised the next day with a score of 1 (missed) or 0 (held) against the interval it got.
    base = [ScoredTarget(key, T0, e, 400, ("base", e)) for e in range(1, 401)]
    days = [T0 + timedelta(days=d) for d in range(1, 31)]
    asked = [(("f", day), day, key) for day in days]

    def last_quantile(score, gamma):
        realised = [ScoredTarget(key, day + timedelta(days=1), score * 400, 400, ("run", day), ("f", day)) for day in days]
        return adaptive_quantiles(base + realised, asked, 0.8, gamma)[(("f", days[-1]), key)]

    assert adaptive_quantiles(base, asked[:1], 0.8)[asked[0][0], key] == 0.8025  # ceil(401 x 0.8) = 321st of 400
    # The same scores are known either way; only the level differs. Misses raise it by
    # GAMMA x 0.8 each, holds lower it by GAMMA x 0.2 each.
    assert last_quantile(1, GAMMA) > last_quantile(1, 0.0)
    assert last_quantile(0, GAMMA) < last_quantile(0, 0.0)
