"""The marketplace business calendar: generated seeds stay in step with the pinned `holidays`."""

from __future__ import annotations

from datetime import date

import pytest

from acorn import business_calendar as bc


def test_checked_in_seeds_equal_what_the_pinned_package_generates():
    assert bc.stale_seeds() == [], "run `make business-calendar` (python -m acorn.business_calendar)"


def test_check_fails_on_a_stale_seed(tmp_path):
    bc.write_seeds(tmp_path)
    assert bc.main(["--check", "--seed-dir", str(tmp_path)]) == 0
    path = tmp_path / bc.HOLIDAYS_SEED
    path.write_text(path.read_text().replace("JP,2026-08-11,Mountain Day\n", ""))
    assert bc.main(["--check", "--seed-dir", str(tmp_path)]) == 1


@pytest.mark.parametrize(
    ("code", "received", "due"),
    [
        ("JP", date(2026, 8, 21), date(2026, 8, 25)),  # Friday in Tokyo -> Tuesday
        ("US", date(2026, 8, 21), date(2026, 8, 25)),  # Friday in Los Angeles -> Tuesday
        ("JP", date(2026, 8, 10), date(2026, 8, 13)),  # Mountain Day (Tue 11 Aug) skipped
        ("DE", date(2026, 12, 23), date(2026, 12, 28)),  # Christmas Day (Fri 25 Dec) skipped
        ("US", date(2026, 9, 4), date(2026, 9, 9)),  # Labor Day (Mon 7 Sep) skipped
        ("SA", date(2026, 8, 19), date(2026, 8, 23)),  # Wed -> Thu, (Fri, Sat weekend) Sun
    ],
)
def test_two_business_days_in_the_marketplace_calendar(code, received, due):
    assert bc.add_business_days(code, received, 2) == due


def test_seed_rows_name_the_holidays_that_move_deadlines():
    seeds = bc.render_seeds(["JP", "DE", "UK"])
    holidays_csv = seeds[bc.HOLIDAYS_SEED]
    assert "JP,2026-08-11,Mountain Day\n" in holidays_csv
    assert "DE,2026-12-25,Christmas Day\n" in holidays_csv
    assert "UK,2026-12-25,Christmas Day\n" in holidays_csv
    assert "JP,6,Saturday\nJP,7,Sunday\n" in seeds[bc.WEEKENDS_SEED]
