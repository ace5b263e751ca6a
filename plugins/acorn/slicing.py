"""The one window slicer: half-open [lo, hi) slices of at most `step`, covering [start, end).

Used for the SP-API's per-request limits (7-day Finances slices, 60-day MFN
returns chunks), the client's exactly-once paging slices, and the CLI's
backfill chunks. Pure.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import TypeVar

D = TypeVar("D", bound=date)  # datetime is a date


def slices(start: D, end: D, step: timedelta, *, cap: timedelta | None = None) -> Iterator[tuple[D, D]]:
    """Half-open [a, b) slices covering [start, end), each at most `step` long.

    Args:
        start, end: datetimes (timezone-aware) or dates; nothing is yielded when end <= start.
        step: the longest slice.
        cap: the longest window the API accepts at all; a `step` beyond it is a bug.
    """
    if step <= timedelta(0):
        raise ValueError("slice length must be positive")
    if cap is not None and step > cap:
        raise ValueError(f"slice length {step} exceeds the {cap} an SP-API request may cover")
    cursor = start
    while cursor < end:
        upper = min(cursor + step, end)
        yield cursor, upper
        cursor = upper
