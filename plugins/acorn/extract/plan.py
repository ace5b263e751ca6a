"""What a run extracts: accounts and marketplaces from the connections, and its window.

Pure apart from reading the connections; the window logic is a pure function.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Window:
    start: datetime  # inclusive, UTC midnight
    end: datetime  # exclusive, UTC midnight

    @property
    def days(self) -> list[date]:
        n = (self.end - self.start).days
        return [(self.start + timedelta(days=i)).date() for i in range(n)]


def extraction_window(
    *,
    start: str | date | None,
    end: str | date | None,
    interval_start: datetime | None,
    interval_end: datetime | None,
    lookback_days: int,
) -> Window:
    """The window a run extracts.

    Explicit `start`/`end` (dates, end inclusive) win: that is `make run` and
    backfills. Otherwise the scheduled data interval, widened by the lookback
    that re-reads late financial events. Always whole UTC days, so a rerun
    touches exactly the same partitions.
    """
    if start and end:
        first, last = _as_date(start), _as_date(end)
        if last < first:
            raise ValueError(f"end {last} is before start {first}")
        return Window(_midnight(first), _midnight(last + timedelta(days=1)))
    if interval_start is None or interval_end is None:
        raise ValueError("no window: pass start and end, or run on a schedule with a data interval")
    first = interval_start.astimezone(UTC).date() - timedelta(days=lookback_days)
    last_exclusive = interval_end.astimezone(UTC).date()
    if interval_end.astimezone(UTC).time() != datetime.min.time():
        last_exclusive += timedelta(days=1)
    return Window(_midnight(first), _midnight(last_exclusive))


def _as_date(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@dataclass(frozen=True)
class Scope:
    """One unit of extraction work, small enough to pass through XCom."""

    conn_id: str
    region: str
    seller_id: str
    marketplace_id: str  # "ALL" for account-level sources
    window_start: str
    window_end: str
    run_id: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def window(self) -> Window:
        return Window(datetime.fromisoformat(self.window_start), datetime.fromisoformat(self.window_end))


def plan_scopes(window: Window, run_id: str, *, per_marketplace: bool) -> list[dict[str, Any]]:
    """One scope per (account, marketplace) or per account, from the spapi_* connections."""
    from acorn.spapi import discover_connections, load_credentials

    scopes: list[dict[str, Any]] = []
    for conn_id in discover_connections():
        creds = load_credentials(conn_id)
        targets = creds.marketplace_ids if per_marketplace else ("ALL",)
        for marketplace_id in targets:
            scopes.append(
                Scope(
                    conn_id=conn_id,
                    region=creds.region,
                    seller_id=creds.selling_partner_id,
                    marketplace_id=marketplace_id,
                    window_start=window.start.isoformat(),
                    window_end=window.end.isoformat(),
                    run_id=run_id,
                ).to_dict()
            )
    return scopes
