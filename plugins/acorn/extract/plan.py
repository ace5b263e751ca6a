"""What a run extracts: accounts and marketplaces from the connections, and its window.

Pure apart from reading the connections; the window logic is a pure function.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from acorn import marketplaces


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
    # The account's marketplaces (from its connection): account-level sources that are
    # asked per marketplace (the Transfers API's) or per local day need them.
    marketplace_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "marketplace_ids", tuple(self.marketplace_ids))  # a list after XCom

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "marketplace_ids": list(self.marketplace_ids)}  # plain JSON for XCom

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
                    marketplace_ids=tuple(creds.marketplace_ids),
                ).to_dict()
            )
    return scopes


# ---------------------------------------------------------------- cash-flow sources


def balance_days(window: Window, server_now: datetime, time_zones: Iterable[str]) -> list[date]:
    """The local days of the window whose ending balance is final at the server's present.

    `listBalances(asOfDate=D)` is the ending balance of local day D: final once
    00:00 of D+1 has passed in the marketplace's zone. One request (marketplaceIds
    omitted) answers for all the account's marketplaces, so a day is asked for
    once it has ended in every one of `time_zones` (the latest-ending zone rules).
    A day not yet ended is left to the next run, whose lookback covers it.
    """
    zones = sorted(set(time_zones))
    if not zones:
        raise ValueError("no time zone: the account has no marketplace")
    return [d for d in window.days if all(marketplaces.local_day_end(d, z) <= server_now for z in zones)]


def snapshot_due(window: Window, server_now: datetime) -> bool:
    """Whether a snapshot of the present (listExpectedPayouts) belongs to this window.

    True when the server's present (its Date header) falls on a UTC day inside the
    window or on the day right after it, as in a nightly run. A backfill of past days
    skips it: no one can tell a past day's expectation afterwards, and taking today's
    in every chunk would make a shuffled backfill differ from a sequential one.
    """
    today = server_now.astimezone(UTC).date()
    return window.start.date() <= today <= window.end.date()


def account_marketplaces(scope: Scope) -> tuple[str, ...]:
    """The account's marketplaces; an older scope without them falls back to its region's."""
    if scope.marketplace_ids:
        return scope.marketplace_ids
    return tuple(m.marketplace_id for m in marketplaces.all_marketplaces() if m.region == scope.region)


def transfers_marketplaces(scope: Scope) -> tuple[str, ...]:
    """The account's marketplaces the Transfers API serves (DE FR IT ES SE NL PL BE), in the account's order."""
    return tuple(m for m in account_marketplaces(scope) if m in marketplaces.TRANSFERS_IDS)
