"""Amazon's payout mechanics, as pure functions: what the forecast knows before it learns anything.

Every rule here is one Amazon documents (POLICIES.md section 7 in the project notes, the
Finances 2024-06-19 and Transfers 2024-06-01 models):

* DD+7: a deferred sale is released 7 days after the delivery date, counted in the
  marketplace's local days, at the start of the next local day ("delivered 6 Jan, available
  14 Jan"); DD+14 while an account is under review.
* Settlement periods close every 14 days (7 in Japan); a manual (on-demand) payout closes
  the period early and the next one runs a full cycle from there (the cycle resets).
* At a close, the available balance is paid out if it is positive; otherwise nothing is paid
  and the negative balance carries into the next period.

Amounts are integers in the currency's minor units (exact; the forecast's floats are rounded
into them), instants are aware UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo


def release_at(delivered_at: datetime, time_zone: str, deferral_days: int = 7) -> datetime:
    """When a DD+N deferred transaction is released: 00:00 local of delivery date + N + 1, in UTC."""
    zone = ZoneInfo(time_zone)
    delivery_local_date = delivered_at.astimezone(zone).date()
    release_local = datetime.combine(delivery_local_date + timedelta(days=deferral_days + 1), time(0), zone)
    return release_local.astimezone(UTC)


def cycle_days(cadence_days: int, closed_period_days: Sequence[float] = ()) -> int:
    """The settlement cycle: the usual length of full closed periods, else the marketplace's cadence.

    `cadence_days` is the `marketplaces` seed's settlement_cadence_days (14, JP 7). Periods
    cut short by an on-demand payout are shorter than the cycle, so the cycle is the most
    common of the three longest lengths (whole days), not their mean.
    """
    lengths = sorted(round(d) for d in closed_period_days if d >= 1)
    if len(lengths) < 2:
        return cadence_days
    return max(lengths[-3:], key=lengths[-3:].count)


def settlement_closes(open_period_start: datetime, cycle: int, until: datetime) -> list[datetime]:
    """The close instants of the open period and the ones after it, up to `until`.

    The open period's start anchors the schedule: after an early close (an on-demand payout)
    the next period runs a full cycle from that close, so the schedule resets there instead
    of keeping the old rhythm.
    """
    closes = []
    close = open_period_start + timedelta(days=cycle)
    while close <= until:
        closes.append(close)
        close += timedelta(days=cycle)
    closes.append(close)  # the first close after `until` too: the period `until` falls in
    return closes


@dataclass(frozen=True)
class ProjectedPayout:
    close_at: datetime
    amount: int | None  # minor units; None: nothing is paid (the balance is not positive)
    balance_at_close: int  # the available balance at the close, paid or carried


def project_payouts(available_now: int, flows_until_close: Sequence[int], closes: Sequence[datetime]) -> list[
    ProjectedPayout
]:
    """Payouts at each close: the balance built up since the last one, a negative balance carried.

    `flows_until_close[i]` is what settles between close i-1 (or now) and close i.
    """
    out, balance = [], available_now
    for close, flow in zip(closes, flows_until_close, strict=True):
        balance += flow
        if balance > 0:
            out.append(ProjectedPayout(close, balance, balance))
            balance = 0
        else:
            out.append(ProjectedPayout(close, None, balance))
    return out


def day_fraction_before(instant: datetime, time_zone: str) -> float:
    """Share of the instant's local day that lies before it (a close day's flows split at the close)."""
    zone = ZoneInfo(time_zone)
    local = instant.astimezone(zone)
    # Through UTC: a day that changes clocks is 23 or 25 hours long.
    start = datetime.combine(local.date(), time(0), zone).astimezone(UTC)
    end = datetime.combine(local.date() + timedelta(days=1), time(0), zone).astimezone(UTC)
    return (instant - start) / (end - start)


def to_minor(amount: float, exponent: int) -> int:
    """A float estimate rounded to the currency's minor unit (half away from zero)."""
    return int(Decimal(repr(amount)).scaleb(exponent).quantize(Decimal(1), rounding=ROUND_HALF_UP))
