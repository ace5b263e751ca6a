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
