"""Which local days a balances run asks for, and when an expected-payout snapshot is taken."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from acorn import marketplaces
from acorn.extract import plan
from acorn.extract.plan import Scope, Window

pytestmark = pytest.mark.unit

BERLIN, TOKYO, LA = "Europe/Berlin", "Asia/Tokyo", "America/Los_Angeles"
# 1..3 December 2026 (UTC days), end exclusive.
WINDOW = Window(datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 4, tzinfo=UTC))


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def test_a_local_day_ends_at_the_next_local_midnight():
    assert marketplaces.local_day_end(date(2026, 12, 3), TOKYO) == _at(3, 15)  # UTC+9
    assert marketplaces.local_day_end(date(2026, 12, 3), BERLIN) == _at(3, 23)  # CET, UTC+1
    assert marketplaces.local_day_end(date(2026, 7, 3), BERLIN) == datetime(
        2026, 7, 3, 22, tzinfo=UTC
    )  # CEST
    assert marketplaces.local_day_end(date(2026, 12, 3), LA) == _at(4, 8)  # PST, UTC-8


def test_tokyo_s_last_day_has_ended_when_berlin_s_has_not():
    now = _at(3, 16)  # 4 Dec 01:00 in Tokyo, 3 Dec 17:00 in Berlin
    assert plan.balance_days(WINDOW, now, [TOKYO]) == [
        date(2026, 12, 1),
        date(2026, 12, 2),
        date(2026, 12, 3),
    ]
    assert plan.balance_days(WINDOW, now, [BERLIN]) == [date(2026, 12, 1), date(2026, 12, 2)]


def test_the_ending_instant_itself_counts_as_passed():
    assert plan.balance_days(WINDOW, _at(3, 23), [BERLIN])[-1] == date(2026, 12, 3)
    assert plan.balance_days(WINDOW, _at(3, 22, 59), [BERLIN])[-1] == date(2026, 12, 2)


def test_one_request_answers_every_marketplace_so_the_latest_ending_zone_rules():
    now = _at(4, 3)  # the nightly run: Berlin's 3 Dec has ended, Los Angeles' has not
    assert plan.balance_days(WINDOW, now, [BERLIN, TOKYO]) == [date(2026, 12, d) for d in (1, 2, 3)]
    assert plan.balance_days(WINDOW, now, [BERLIN, LA]) == [date(2026, 12, 1), date(2026, 12, 2)]


def test_a_window_in_the_future_asks_for_nothing_and_no_zone_is_an_error():
    assert plan.balance_days(WINDOW, _at(1, 12), [BERLIN]) == []
    with pytest.raises(ValueError):
        plan.balance_days(WINDOW, _at(4, 3), [])


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (_at(1, 0), True),  # first day of the window
        (_at(3, 23, 59), True),  # last day
        (_at(4, 3), True),  # the day right after: the nightly run over yesterday
        (datetime(2026, 12, 5, 0, 0, tzinfo=UTC), False),  # a backfill of past days
        (datetime(2026, 11, 30, 23, 59, tzinfo=UTC), False),  # a window in the future
    ],
)
def test_the_snapshot_is_taken_only_when_the_window_reaches_the_server_s_present(now, due):
    assert plan.snapshot_due(WINDOW, now) is due


def test_only_one_chunk_of_a_backfill_takes_the_snapshot_whatever_their_order():
    first = datetime(2026, 11, 1, tzinfo=UTC)
    chunks = [Window(first + timedelta(days=d), first + timedelta(days=d + 6)) for d in (0, 6, 12, 18, 24)]
    now = datetime(2026, 12, 1, 3, tzinfo=UTC)  # the last chunk ends 30 Nov (exclusive 1 Dec)
    assert [plan.snapshot_due(c, now) for c in chunks] == [False, False, False, False, True]


def _scope(marketplace_ids=(), region="eu") -> Scope:
    return Scope(
        "spapi_eu",
        region,
        "A1S",
        "ALL",
        WINDOW.start.isoformat(),
        WINDOW.end.isoformat(),
        "r",
        marketplace_ids,
    )


def test_the_transfers_marketplaces_of_an_account():
    de, uk, pl = (marketplaces.BY_CODE[c].marketplace_id for c in ("DE", "UK", "PL"))
    assert plan.transfers_marketplaces(_scope((uk, de, pl))) == (de, pl)
    assert plan.transfers_marketplaces(_scope((uk,))) == ()
    us = marketplaces.BY_CODE["US"].marketplace_id
    assert plan.transfers_marketplaces(_scope((us,), region="na")) == ()
    assert set(marketplaces.TRANSFERS_IDS) == {
        marketplaces.BY_CODE[c].marketplace_id for c in ("DE", "FR", "IT", "ES", "SE", "NL", "PL", "BE")
    }


def test_a_scope_keeps_its_marketplaces_through_xcom():
    scope = _scope(("A1PA6795UKMFR9",))
    assert scope.to_dict()["marketplace_ids"] == ["A1PA6795UKMFR9"]  # plain JSON in the XCom dict
    again = Scope(**scope.to_dict())
    assert again == scope and again.marketplace_ids == ("A1PA6795UKMFR9",)
