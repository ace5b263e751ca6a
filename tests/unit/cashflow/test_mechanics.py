"""Amazon's payout mechanics the cash-flow forecast starts from (acorn.cashflow.mechanics)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from acorn.cashflow import mechanics as m


def test_a_friday_delivery_in_tokyo_is_released_at_the_start_of_the_eighth_local_day():
    # Friday 2 Oct 2026, 14:00 JST = 05:00Z; DD+7 -> available Saturday 10 Oct 00:00 JST.
    delivered = datetime(2026, 10, 2, 5, 0, tzinfo=UTC)
    released = m.release_at(delivered, "Asia/Tokyo")
    assert released == datetime(2026, 10, 9, 15, 0, tzinfo=UTC)
    assert released.astimezone(m.ZoneInfo("Asia/Tokyo")).strftime("%A %Y-%m-%d %H:%M") == "Saturday 2026-10-10 00:00"


def test_the_local_delivery_date_decides_not_the_utc_one():
    # 23:30Z Thursday 1 Oct is Friday 08:30 in Tokyo but still Thursday 16:30 in Los Angeles.
    late_thursday_utc = datetime(2026, 10, 1, 23, 30, tzinfo=UTC)
    assert m.release_at(late_thursday_utc, "Asia/Tokyo") == datetime(2026, 10, 9, 15, 0, tzinfo=UTC)
    assert m.release_at(late_thursday_utc, "America/Los_Angeles") == datetime(2026, 10, 9, 7, 0, tzinfo=UTC)


def test_policy_example_delivered_6_january_available_14_january():
    delivered = datetime(2026, 1, 6, 12, 0, tzinfo=UTC)
    assert m.release_at(delivered, "Europe/London").date().isoformat() == "2026-01-14"
    assert m.release_at(delivered, "Europe/London", deferral_days=14).date().isoformat() == "2026-01-21"


def test_cycle_is_the_usual_full_period_length_and_ignores_an_early_close():
    assert m.cycle_days(14, [14.0, 14.0, 5.2, 14.0]) == 14
    assert m.cycle_days(7, []) == 7  # JP's cadence in the marketplaces seed
    assert m.cycle_days(14, [13.97]) == 14  # one period is not a rhythm: the seed's cadence
    assert m.cycle_days(14, [7.0, 7.0, 7.0, 3.0]) == 7  # what the periods show beats the seed


def test_a_settlement_cycle_reset_restarts_the_schedule_from_the_early_close():
    # Periods 1-15 Jan and 15-20 Jan (closed early by an on-demand payout); the open period
    # began 20 Jan, so the next close is 3 Feb, not 29 Jan as the old rhythm would say.
    open_start = datetime(2026, 1, 20, 8, 0, tzinfo=UTC)
    closes = m.settlement_closes(open_start, 14, until=datetime(2026, 2, 28, tzinfo=UTC))
    assert closes[0] == datetime(2026, 2, 3, 8, 0, tzinfo=UTC)
    assert datetime(2026, 1, 29, 8, 0, tzinfo=UTC) not in closes
    assert all(b - a == timedelta(days=14) for a, b in zip(closes, closes[1:], strict=False))
    assert closes[-1] > datetime(2026, 2, 28, tzinfo=UTC) >= closes[-2]


def test_a_negative_balance_pays_nothing_and_carries_into_the_next_period():
    closes = [datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 15, tzinfo=UTC)]
    first, second = m.project_payouts(available_now=-5_000, flows_until_close=[2_000, 10_000], closes=closes)
    assert first.amount is None and first.balance_at_close == -3_000
    assert second.amount == 7_000  # 10 000 of the period less the 3 000 carried


def test_a_positive_balance_is_paid_out_whole_and_the_next_period_starts_from_zero():
    closes = [datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 15, tzinfo=UTC)]
    payouts = m.project_payouts(available_now=1_000, flows_until_close=[4_000, -500], closes=closes)
    assert [p.amount for p in payouts] == [5_000, None]
    assert payouts[1].balance_at_close == -500


@pytest.mark.parametrize(("amount", "exponent", "minor"), [(12.345, 2, 1235), (-12.345, 2, -1235), (1499.5, 0, 1500), (1.005, 2, 101)])
def test_estimates_round_half_away_from_zero_into_minor_units(amount, exponent, minor):
    assert m.to_minor(amount, exponent) == minor


def test_a_close_day_is_split_at_the_close_in_local_time():
    assert m.day_fraction_before(datetime(2026, 3, 1, 18, 0, tzinfo=UTC), "UTC") == pytest.approx(0.75)
    # A Japanese close at 05:35Z is 14:35 JST.
    assert m.day_fraction_before(datetime(2026, 9, 26, 5, 35, tzinfo=UTC), "Asia/Tokyo") == pytest.approx(875 / 1440)
    # Berlin's 29 March 2026 has 23 hours: 12:00 local (10:00Z) is 11/23 of the day in.
    assert m.day_fraction_before(datetime(2026, 3, 29, 10, 0, tzinfo=UTC), "Europe/Berlin") == pytest.approx(11 / 23)
