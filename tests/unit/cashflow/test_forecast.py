"""The forecast engine on hand-made series: what it knows at the origin, and the mechanics it applies."""

from datetime import UTC, date, datetime, timedelta

import pytest

from acorn.cashflow import forecast as engine

BERLIN = "Europe/Berlin"


def _posting(kind, amount, posted, settles=None, zone=BERLIN):
    from zoneinfo import ZoneInfo

    settles = settles or posted
    local = ZoneInfo(zone)
    return engine.Posting(kind, amount, posted, posted.astimezone(local).date(), settles, settles.astimezone(local).date())


def _series(postings, periods, zone=BERLIN, cadence=14, exponent=2):
    return engine.Series("S", "A1PA6795UKMFR9", "EUR", exponent, zone, cadence, postings, periods)


def _flat(value=0.0, width=0.0):
    return engine.Learned([value] * engine.HORIZON_DAYS, [width] * engine.HORIZON_DAYS)


OPEN = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)  # the open period's start; it closes 2026-09-15 12:00Z
PERIODS = [engine.Period(OPEN - timedelta(days=14), OPEN), engine.Period(OPEN, None)]
ORIGIN = date(2026, 9, 10)  # 00:00 Berlin = 2026-09-09 22:00Z


def test_the_first_payout_is_the_settled_balance_plus_what_releases_before_the_close():
    postings = [
        _posting("sale_immediate", 10_000, datetime(2026, 9, 3, 9, tzinfo=UTC)),
        _posting("refund", -2_500, datetime(2026, 9, 5, 9, tzinfo=UTC)),
        # Deferred, posted before the origin: releases 2026-09-13 00:00 Berlin (known exactly).
        _posting("sale_deferred", 4_000, datetime(2026, 9, 4, 9, tzinfo=UTC), datetime(2026, 9, 12, 22, tzinfo=UTC)),
        # Deferred, releasing after the close: it belongs to the next period.
        _posting("sale_deferred", 700, datetime(2026, 9, 8, 9, tzinfo=UTC), datetime(2026, 9, 16, 22, tzinfo=UTC)),
    ]
    result = engine.forecast(_series(postings, PERIODS), ORIGIN, {})
    assert result.opening_available_amount == 7_500
    assert result.origin_at == datetime(2026, 9, 9, 22, tzinfo=UTC)
    by_day = {d.forecast_date: d for d in result.days}
    assert by_day[date(2026, 9, 13)].known_release_amount == 4_000
    close = by_day[date(2026, 9, 15)]
    assert close.settlement_close_at == datetime(2026, 9, 15, 12, tzinfo=UTC)
    assert (close.payout_sequence, close.payout_status, close.expected_payout_amount) == (1, "PAYOUT", 11_500)
    assert by_day[date(2026, 9, 17)].known_release_amount == 700
    assert by_day[date(2026, 9, 29)].payout_sequence == 2  # the next close, one cycle later
    assert len(result.days) == engine.HORIZON_DAYS


def test_nothing_posted_at_or_after_the_origin_changes_the_forecast():
    before = [_posting("sale_immediate", 10_000, datetime(2026, 9, 3, 9, tzinfo=UTC))]
    later = [
        _posting("refund", -9_000, datetime(2026, 9, 9, 22, tzinfo=UTC)),  # exactly at the origin
        _posting("sale_deferred", 5_000, datetime(2026, 9, 10, 9, tzinfo=UTC), datetime(2026, 9, 12, 22, tzinfo=UTC)),
    ]
    alone = engine.forecast(_series(before, PERIODS), ORIGIN, {})
    with_future = engine.forecast(_series(before + later, PERIODS), ORIGIN, {})
    assert alone == with_future


def test_a_negative_balance_pays_nothing_and_carries_into_the_next_payout():
    postings = [_posting("refund", -3_000, datetime(2026, 9, 3, 9, tzinfo=UTC))]
    learned = {"sale_immediate": _flat(value=4.0)}  # 4.00 EUR a day from the origin on
    result = engine.forecast(_series(postings, PERIODS), ORIGIN, learned)
    first, second = (d for d in result.days if d.payout_sequence)
    # Before the first close: 5 whole days at 400 and 14/24 of the close day (12:00Z is
    # 14:00 Berlin) = 233, on top of -3,000: -767 at the close, nothing paid.
    assert (first.payout_status, first.expected_payout_amount) == ("NO_PAYOUT", 0)
    assert first.projected_available_amount == -767 + (400 - 233)
    # The second close pays the carried -600 plus 13 whole days and 14/24 of its day.
    assert (second.payout_status, second.expected_payout_amount) == ("PAYOUT", -600 + 13 * 400 + 233)


def test_future_deferred_sales_release_after_the_historical_lag():
    # History: deferred sales released 9 local days after posting.
    history = [
        _posting("sale_deferred", 1_000, datetime(2026, 8, d, 9, tzinfo=UTC), datetime(2026, 8, d + 9, 9, tzinfo=UTC))
        for d in range(1, 10)
    ]
    learned = {"sale_deferred": _flat(value=30.0)}
    result = engine.forecast(_series(history, PERIODS), ORIGIN, learned)
    sales = [d.expected_sales_amount for d in result.days]
    assert sales[:9] == [0] * 9  # sales posted from the origin on are still held
    assert sales[9:] == [3_000] * (engine.HORIZON_DAYS - 9)


def test_intervals_widen_with_learned_uncertainty_and_bracket_the_point():
    postings = [_posting("sale_immediate", 10_000, datetime(2026, 9, 3, 9, tzinfo=UTC))]
    learned = {"refund": _flat(value=-5.0, width=3.0), "sale_immediate": _flat(value=50.0, width=4.0)}
    result = engine.forecast(_series(postings, PERIODS), ORIGIN, learned)
    day = result.days[0]
    assert (day.refund_lower_amount, day.expected_refund_amount, day.refund_upper_amount) == (-800, -500, -200)
    assert day.net_flow_upper_amount - day.expected_net_flow_amount == 500  # sqrt(3^2 + 4^2) EUR
    payout = next(d for d in result.days if d.payout_sequence == 1)
    assert payout.payout_lower_amount < payout.expected_payout_amount < payout.payout_upper_amount


def test_no_known_period_no_forecast():
    assert engine.forecast(_series([], []), ORIGIN, {}) is None


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Los_Angeles"])
def test_the_origin_is_local_midnight(zone):
    instant = engine.origin_instant(date(2026, 9, 10), zone)
    from zoneinfo import ZoneInfo

    assert instant.astimezone(ZoneInfo(zone)).hour == 0 and instant.tzinfo == UTC


def test_amazon_available_balance_is_the_opening_when_the_account_reports_it():
    postings = [_posting("sale_immediate", 10_000, datetime(2026, 9, 3, 9, tzinfo=UTC))]
    # Amazon holds an account-level reserve: AVAILABLE is 6,000, not the 10,000 settled.
    series = engine.Series(
        "S", "A1PA6795UKMFR9", "EUR", 2, BERLIN, 14, postings, PERIODS, available_by_night={date(2026, 9, 9): 6_000}
    )
    result = engine.forecast(series, ORIGIN, {})
    assert result.opening_available_amount == 6_000
    assert next(d for d in result.days if d.payout_sequence == 1).expected_payout_amount == 6_000
    assert engine.forecast(_series(postings, PERIODS), ORIGIN, {}).opening_available_amount == 10_000


def _order_posting(order_id, amount, posted):
    from zoneinfo import ZoneInfo

    local = posted.astimezone(ZoneInfo(BERLIN)).date()
    return engine.Posting("sale_immediate", amount, posted, local, posted, local, order_id)


def _usual_week_of_orders(last_night):
    """Eight weeks of one order a day bought at 20:00Z and shipped (sale posted) the next day at 09:00Z:
    at every night before `last_night`, one order of 100.00 gross is pending and posts 80.00 that day."""
    orders, postings = [], []
    for d in range(engine.PENDING_WINDOW_DAYS + engine.ORDER_PROFILE_DAYS + 2):
        bought = datetime.combine(last_night - timedelta(days=d + 1), datetime.min.time(), UTC) + timedelta(hours=20)
        orders.append(engine.Pending(f"o{d}", bought, 10_000))
        postings.append(_order_posting(f"o{d}", 8_000, bought + timedelta(hours=13)))
    return orders, postings


def test_orders_pending_at_the_origin_replace_the_usual_amount_of_them():
    orders, postings = _usual_week_of_orders(ORIGIN)
    # The night of the origin holds three pending orders instead of the usual one.
    night_before = datetime(2026, 9, 9, 19, tzinfo=UTC)
    orders += [engine.Pending(f"extra{i}", night_before, 10_000) for i in range(2)]
    learned = {"sale_immediate": _flat(value=80.0)}  # the usual 80.00 a day
    plain = engine.forecast(_series(postings, PERIODS), ORIGIN, learned)
    series = engine.Series("S", "A1PA6795UKMFR9", "EUR", 2, BERLIN, 14, postings, PERIODS, orders=orders)
    busy = engine.forecast(series, ORIGIN, learned)
    # The usual profile: 80.00 posted on the first day from 100.00 pending; now 300.00 is pending.
    assert busy.days[0].expected_sales_amount - plain.days[0].expected_sales_amount == 2 * 8_000
    assert [d.expected_sales_amount for d in busy.days[1:]] == [d.expected_sales_amount for d in plain.days[1:]]


def test_orders_bought_after_the_origin_are_not_pending_at_it():
    orders, postings = _usual_week_of_orders(ORIGIN)
    learned = {"sale_immediate": _flat(value=80.0)}
    base = engine.Series("S", "A1PA6795UKMFR9", "EUR", 2, BERLIN, 14, postings, PERIODS, orders=orders)
    later = engine.Series(
        "S", "A1PA6795UKMFR9", "EUR", 2, BERLIN, 14, postings, PERIODS,
        orders=[*orders, engine.Pending("late", engine.origin_instant(ORIGIN, BERLIN), 50_000)],
    )  # fmt: skip
    assert engine.forecast(base, ORIGIN, learned) == engine.forecast(later, ORIGIN, learned)
    # With the usual pending amount, the adjustment is nothing.
    assert engine.forecast(base, ORIGIN, learned).days[0].expected_sales_amount == 8_000


def test_open_return_requests_above_the_usual_add_their_refunds_in_the_days_after_the_origin():
    # Eight weeks of one MFN request a day (order amount 50.00), refunded 25.00 three days later.
    requests, postings = [], []
    for d in range(engine.PENDING_WINDOW_DAYS + engine.REQUEST_PROFILE_DAYS + 2):
        asked = datetime.combine(ORIGIN - timedelta(days=d + 1), datetime.min.time(), UTC) + timedelta(hours=8)
        requests.append(engine.Pending(f"r{d}", asked, 5_000))
        refunded = asked + timedelta(days=3)
        if refunded < engine.origin_instant(ORIGIN, BERLIN):
            postings.append(
                engine.Posting("refund", -2_500, refunded, refunded.date(), refunded, refunded.date(), f"r{d}")
            )
    usual = engine.Series("S", "A1PA6795UKMFR9", "EUR", 2, BERLIN, 14, postings, PERIODS, return_requests=requests)
    # A wave: four more requests the day before the origin, not refunded yet.
    wave = [engine.Pending(f"w{i}", datetime(2026, 9, 9, 8, tzinfo=UTC), 5_000) for i in range(4)]
    busy = engine.Series("S", "A1PA6795UKMFR9", "EUR", 2, BERLIN, 14, postings, PERIODS, return_requests=requests + wave)
    learned = {"refund": _flat(value=-25.0)}
    quiet, heavy = engine.forecast(usual, ORIGIN, learned), engine.forecast(busy, ORIGIN, learned)
    extra = [h.expected_refund_amount - q.expected_refund_amount for h, q in zip(heavy.days, quiet.days, strict=True)]
    # The usual three open requests at a night post 25.00 on each of the next three days; seven
    # open now scale that by 7/3 (the wave's own refunds are due on day 3, but the profile is the usual).
    assert extra[:3] == [round(-2_500 * 4 / 3)] * 3
    assert extra[3:] == [0] * (engine.HORIZON_DAYS - 3)


def test_a_category_refunded_more_than_the_marketplace_weighs_more_shrunk_towards_one():
    sold_at = datetime(2026, 9, 4, 9, tzinfo=UTC)
    from zoneinfo import ZoneInfo

    day = sold_at.astimezone(ZoneInfo(BERLIN)).date()
    postings = [
        engine.Posting("sale_immediate", 1_000, sold_at, day, sold_at, day, "a", "toys"),
        engine.Posting("sale_immediate", 1_000, sold_at, day, sold_at, day, "b", "consumable"),
        engine.Posting("refund", -200, sold_at, day, sold_at, day, "a"),
    ]
    factors = engine.category_factors(_series(postings, PERIODS), ORIGIN, {0: -0.1})
    # Each category's sales expected 100 of refunds; toys had 200, consumables none; the prior
    # is five average refunds (1,000).
    assert factors == {"toys": pytest.approx(1_200 / 1_100), "consumable": pytest.approx(1_000 / 1_100)}
    assert engine.category_factors(_series(postings[:2], PERIODS), ORIGIN, {0: -0.1}) == {}


def test_a_cumulative_refund_interval_holds_the_refund_rates_own_error_which_shrinks_with_refunds_seen():
    def cumulative_half(refunds_seen):
        postings = [_posting("refund", -100, datetime(2026, 9, 3, 9, tzinfo=UTC)) for _ in range(refunds_seen)]
        result = engine.forecast(_series(postings, PERIODS), ORIGIN, {"refund": _flat(value=-10.0, width=0.0)})
        last = result.days[-1]
        return last.cumulative_refund_upper_amount - last.cumulative_refund_amount

    # 28 days of -10.00 = -280.00; with no daily spread the half-width is z x 280.00 / sqrt(seen).
    assert cumulative_half(1) == round(engine.Z_80 * 28_000)
    assert cumulative_half(100) == round(engine.Z_80 * 28_000 / 10)
