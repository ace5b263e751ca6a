from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from acorn.extract.plan import extraction_window

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"start": "2026-09-01", "end": "2026-09-30", "interval_start": None, "interval_end": None},
            (datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC)),
        ),
        (
            {
                "start": None,
                "end": None,
                "interval_start": datetime(2026, 9, 10, 3, tzinfo=UTC),
                "interval_end": datetime(2026, 9, 11, 3, tzinfo=UTC),
            },
            (datetime(2026, 9, 7, tzinfo=UTC), datetime(2026, 9, 12, tzinfo=UTC)),
        ),
        (
            {"start": date(2026, 9, 1), "end": date(2026, 9, 1), "interval_start": None, "interval_end": None},
            (datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 9, 2, tzinfo=UTC)),
        ),
    ],
    ids=["explicit-range-inclusive-end", "interval-plus-lookback-whole-days", "single-day"],
)
def test_extraction_window(kwargs, expected):
    window = extraction_window(lookback_days=3, **kwargs)
    assert (window.start, window.end) == expected


def test_window_rejects_reversed_range():
    with pytest.raises(ValueError, match="before start"):
        extraction_window(start="2026-09-02", end="2026-09-01", interval_start=None, interval_end=None, lookback_days=0)


def test_window_needs_a_range_or_an_interval():
    with pytest.raises(ValueError, match="no window"):
        extraction_window(start=None, end=None, interval_start=None, interval_end=None, lookback_days=0)
