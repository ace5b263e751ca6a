"""The 28-day forecast of one marketplace's cash at one origin: mechanics first, then the remainder.

Known exactly at the origin (00:00 local of the origin day; nothing later is read):
  * the available balance: Amazon's (listBalances, the ending balance of the day before),
    else the transactions settled since the open settlement period began;
  * every deferred sale already posted and its release date (its maturity, DD+7);
  * the settlement closes ahead (`mechanics.settlement_closes`: the cycle from the periods
    closed so far, anchored at the open period's start);
  * what is pending at the origin (`pending_history`): the orders placed in the days before
    it that have posted no sale yet, and the MFN return requests not refunded yet. The learned
    flows hold the usual amount of them; the known amount replaces it (`pending_adjustment`),
    so a busy weekend shows in Monday's sales and a wave of return requests in next week's refunds.
Learned (the statistical remainder, one daily series per flow kind: the mean of its last
LEARN_WINDOW_DAYS days, fitted by `statsforecast` in the pipeline):
  * sales that will settle at once, and sales that will be deferred, which release after
    the historical posting-to-maturity lag of the marketplace;
  * refunds (the refund rate and lag of past sales, `refund_kernel`, weighted by each product
    category's own rate, `category_factors`), claims (A-to-z Guarantee, chargebacks) and
    other debits or credits.
At each close the projected available balance is paid out if positive; otherwise nothing is
paid and the negative carries (`mechanics.project_payouts`). A payout's interval adds the
daily intervals of what it is built from in quadrature (independent daily errors: the
accuracy mart measures how far that holds).

Amounts are integers in minor units; floats exist only inside the statistical layer and are
rounded half away from zero (`mechanics.to_minor`) as they leave it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from acorn.cashflow import mechanics

HORIZON_DAYS = 28
LEVEL = 80  # the nominal coverage of every interval, in percent
Z_80 = 1.2816  # the normal quantile of an 80 % two-sided interval
SEASON_DAYS = 7
# Three weeks: a weekly pattern seen three times before the first forecast.
MIN_HISTORY_DAYS = 3 * SEASON_DAYS
# The learned flows are the mean of the last eight weeks: long enough that a day's noise
# averages out, short enough that a change of level shows within weeks (DECISIONLOG.md).
LEARN_WINDOW_DAYS = 8 * SEASON_DAYS
MAX_REFUND_LAG_DAYS = 90
# What is pending at a night posts within its profile: an order's sale within days of the
# purchase, an MFN refund within two weeks of the request. The usual profile is the average
# over the nights of the last PENDING_WINDOW_DAYS.
ORDER_PROFILE_DAYS = 5
REQUEST_PROFILE_DAYS = 14
PENDING_WINDOW_DAYS = LEARN_WINDOW_DAYS
SALE_KINDS = ("sale_immediate", "sale_deferred")
CATEGORY_PRIOR_REFUNDS = 5  # pseudo-refunds that hold a category's refund factor near 1 until it has its own
LEARNED_KINDS = ("sale_immediate", "sale_deferred", "refund", "claim", "other")
MODEL_NAME = "mechanics+pending orders and returns+HistoricAverage(56 d)+adaptive normalised conformal"


@dataclass(frozen=True)
class Posting:
    flow_kind: str
    amount: int  # minor units, positive when owed to the seller
    posted_at: datetime
    posted_local_date: date
    settles_at: datetime
    settles_local_date: date
    order_id: str | None = None
    # The order's product category (its highest-priced item's, from the seller_sku_categories
    # seed; "unknown" where the seed has no row), for the refund rate by category.
    category: str | None = None


@dataclass(frozen=True)
class Pending:
    """Something listed before it posts money: an order (the Orders API, from its purchase; its sale
    posts at shipment) or an MFN return request (the returns report, from the request; its refund
    posts when the seller refunds)."""

    order_id: str
    since: datetime
    amount: int  # minor units at stake: the order total, or the returned order's amount


@dataclass(frozen=True)
class Period:
    started_at: datetime
    ended_at: datetime | None  # None: still open in the warehouse


@dataclass(frozen=True)
class Learned:
    """One flow kind's daily forecast from the origin day on, in major units: point and interval half-width."""

    mean: Sequence[float]
    half_width: Sequence[float]


@dataclass(frozen=True)
class Series:
    seller_id: str
    marketplace_id: str
    currency_code: str
    minor_unit_exponent: int
    time_zone: str
    settlement_cadence_days: int
    postings: Sequence[Posting]
    periods: Sequence[Period]
    # Amazon's AVAILABLE ending balance per local day (listBalances), where the account has it.
    available_by_night: Mapping[date, int] = field(default_factory=dict)
    # (close, amount paid) of every closed period, as the warehouse says it was paid
    # (int_cashflow_realised_payouts; None while a failed payout waits to be re-sent):
    # what earlier forecasts are scored against.
    realised_payouts: Sequence[tuple[datetime, int | None]] = ()
    # The marketplace's orders (stg_spapi__orders) and MFN return requests (stg_spapi__mfn_returns),
    # where the account lists them.
    orders: Sequence[Pending] = ()
    return_requests: Sequence[Pending] = ()


@dataclass
class ForecastDay:
    forecast_date: date
    horizon_days: int
    known_release_amount: int
    expected_sales_amount: int
    expected_refund_amount: int
    refund_lower_amount: int
    refund_upper_amount: int
    cumulative_refund_amount: int  # refunds from the origin day to this one
    cumulative_refund_lower_amount: int
    cumulative_refund_upper_amount: int
    expected_claim_amount: int
    expected_other_amount: int
    expected_net_flow_amount: int
    net_flow_lower_amount: int
    net_flow_upper_amount: int
    projected_available_amount: int
    settlement_close_at: datetime | None = None
    payout_sequence: int | None = None
    payout_status: str | None = None  # PAYOUT, or NO_PAYOUT when the balance at the close is not positive
    expected_payout_amount: int | None = None
    payout_lower_amount: int | None = None
    payout_upper_amount: int | None = None


@dataclass
class Forecast:
    origin_date: date
    origin_at: datetime
    opening_available_amount: int
    open_period_started_at: datetime
    cycle_days: int
    days: list[ForecastDay] = field(default_factory=list)


def origin_instant(origin_date: date, time_zone: str) -> datetime:
    """00:00 local of the origin day, in UTC: the forecast knows what was posted before it."""
    return datetime.combine(origin_date, time(0), ZoneInfo(time_zone)).astimezone(UTC)


def daily_history(series: Series, origin_date: date, kind: str) -> list[int]:
    """The kind's daily posted amounts (minor units) from the first posting day up to the origin day."""
    days = [p for p in series.postings if p.flow_kind == kind and p.posted_local_date < origin_date]
    first = min((p.posted_local_date for p in series.postings), default=origin_date)
    totals = [0] * (origin_date - first).days
    for p in days:
        totals[(p.posted_local_date - first).days] += p.amount
    return totals


def history_start(series: Series) -> date | None:
    return min((p.posted_local_date for p in series.postings), default=None)


def release_lags(series: Series, origin_at: datetime) -> dict[int, float]:
    """Share of deferred sales (by amount) released N local days after posting, as known at the origin."""
    weights: dict[int, float] = {}
    for p in series.postings:
        if p.flow_kind == "sale_deferred" and p.posted_at < origin_at:
            lag = (p.settles_local_date - p.posted_local_date).days
            weights[lag] = weights.get(lag, 0.0) + abs(p.amount)
    total = sum(weights.values())
    return {lag: w / total for lag, w in sorted(weights.items())} if total else {}


def refund_kernel(series: Series, origin_at: datetime, origin_date: date) -> dict[int, float]:
    """Share of a day's sales refunded N local days later, as known at the origin.

    Each refund is tied to its order's first sale; a lag N is only observed for sales at
    least N days before the origin, so each share divides by those sales alone.
    """
    sale_day: dict[str, date] = {}
    sales: dict[date, float] = defaultdict(float)
    for p in series.postings:
        if p.flow_kind.startswith("sale_") and p.posted_at < origin_at:
            sales[p.posted_local_date] += p.amount
            if p.order_id is not None and (p.order_id not in sale_day or p.posted_local_date < sale_day[p.order_id]):
                sale_day[p.order_id] = p.posted_local_date
    refunded: dict[int, float] = defaultdict(float)
    for p in series.postings:
        if p.flow_kind == "refund" and p.posted_at < origin_at and p.order_id in sale_day:
            lag = (p.posted_local_date - sale_day[p.order_id]).days
            if 0 <= lag <= MAX_REFUND_LAG_DAYS:
                refunded[lag] += p.amount
    kernel = {}
    for lag, amount in refunded.items():
        exposed = sum(v for d, v in sales.items() if d < origin_date - timedelta(days=lag))
        if exposed:
            kernel[lag] = amount / exposed
    return kernel


@dataclass(frozen=True)
class PendingHistory:
    """Per local night N: the amount pending at 00:00 of N (listed in the `profile_days` days
    before N, nothing of `kinds` posted for its order since), and what it posted as each kind on
    N + i (i < profile_days). Computed once per series; a forecast reads only nights whose
    profile had happened before its origin, and the night of its origin."""

    kinds: tuple[str, ...]
    profile_days: int
    first_night: date | None  # the first night anything could be pending
    pending_by_night: Mapping[date, int]
    posted_by_night: Mapping[tuple[date, str, int], int]


def pending_history(
    series: Series, items: Sequence[Pending], kinds: tuple[str, ...], profile_days: int
) -> PendingHistory:
    zone = ZoneInfo(series.time_zone)
    postings: dict[str, list[Posting]] = defaultdict(list)
    for p in series.postings:
        if p.flow_kind in kinds and p.order_id is not None:
            postings[p.order_id].append(p)
    pending: dict[date, int] = defaultdict(int)
    posted: dict[tuple[date, str, int], int] = defaultdict(int)
    for item in items:
        after = [p for p in postings.get(item.order_id, []) if p.posted_at >= item.since]
        resolved = min((p.posted_at for p in after), default=None)
        listed = item.since.astimezone(zone).date()
        for age in range(1, profile_days + 1):
            night = listed + timedelta(days=age)
            if resolved is not None and resolved < origin_instant(night, series.time_zone):
                break
            pending[night] += item.amount
            for p in after:
                lag = (p.posted_local_date - night).days
                if 0 <= lag < profile_days:
                    posted[(night, p.flow_kind, lag)] += p.amount
    first = min((i.since.astimezone(zone).date() for i in items), default=None)
    return PendingHistory(kinds, profile_days, first + timedelta(days=1) if first else None, pending, posted)


def pending_adjustment(history: PendingHistory, origin_date: date, kind: str) -> list[float]:
    """Minor units to add to the forecast `kind` of the first days from the origin: the usual
    amount posted by what was pending (which the learned flow already holds), scaled to what is
    pending at the origin. The usual is the average over the nights whose profile has happened."""
    days = history.profile_days
    nights = [origin_date - timedelta(days=d) for d in range(days, days + PENDING_WINDOW_DAYS)]
    nights = [n for n in nights if history.first_night is not None and n >= history.first_night]
    usual_pending = sum(history.pending_by_night.get(n, 0) for n in nights) / len(nights) if nights else 0.0
    if not usual_pending:
        return [0.0] * days
    usual = [sum(history.posted_by_night.get((n, kind, i), 0) for n in nights) / len(nights) for i in range(days)]
    return [(history.pending_by_night.get(origin_date, 0) / usual_pending - 1.0) * u for u in usual]


def pending_histories(series: Series) -> tuple[PendingHistory, PendingHistory]:
    """The orders' and the return requests' histories (`forecast` takes them, computed once)."""
    return (
        pending_history(series, series.orders, SALE_KINDS, ORDER_PROFILE_DAYS),
        pending_history(series, series.return_requests, ("refund",), REQUEST_PROFILE_DAYS),
    )


def _adjusted(learned: Learned, extra: Sequence[float], scale: int) -> Learned:
    mean = [m + (extra[i] / scale if i < len(extra) else 0.0) for i, m in enumerate(learned.mean)]
    return Learned(mean, learned.half_width)


def category_factors(series: Series, origin_date: date, kernel: Mapping[int, float]) -> dict[str | None, float]:
    """How much more (or less) each category's sales were refunded than the marketplace's kernel
    expects of them, as known at the origin: (refunded + m) / (expected + m), so a category with
    few refunds stays near 1 (m: the amount of CATEGORY_PRIOR_REFUNDS average refunds)."""
    origin_at = origin_instant(origin_date, series.time_zone)
    cumulative, running = {}, 0.0
    for lag in range(MAX_REFUND_LAG_DAYS + 1):
        running += kernel.get(lag, 0.0)
        cumulative[lag] = running
    category_of: dict[str, str | None] = {}
    expected: dict[str | None, float] = defaultdict(float)
    for p in series.postings:
        if p.flow_kind in SALE_KINDS and p.posted_at < origin_at:
            if p.order_id is not None:
                category_of.setdefault(p.order_id, p.category)
            observed = min(MAX_REFUND_LAG_DAYS, (origin_date - p.posted_local_date).days - 1)
            if observed >= 0:
                expected[p.category] += -p.amount * cumulative[observed]
    refunded: dict[str | None, float] = defaultdict(float)
    refunds = [p for p in series.postings if p.flow_kind == "refund" and p.posted_at < origin_at and p.order_id in category_of]
    for p in refunds:
        refunded[category_of[p.order_id or ""]] += p.amount
    if not refunds:
        return {}
    prior = CATEGORY_PRIOR_REFUNDS * sum(abs(p.amount) for p in refunds) / len(refunds)
    return {c: (abs(refunded.get(c, 0.0)) + prior) / (abs(e) + prior) for c, e in expected.items()}


def _open_period(periods: Sequence[Period], origin_at: datetime) -> tuple[Period | None, list[float]]:
    """The period open at the origin and the lengths (days) of the ones closed before it."""
    known = sorted((p for p in periods if p.started_at < origin_at), key=lambda p: p.started_at)
    closed = [p for p in known if p.ended_at is not None and p.ended_at <= origin_at]
    still_open = [p for p in known if p.ended_at is None or p.ended_at > origin_at]
    lengths = [(p.ended_at - p.started_at).total_seconds() / 86400 for p in closed if p.ended_at is not None]
    return (still_open[-1] if still_open else None), lengths


def forecast(
    series: Series, origin_date: date, learned: Mapping[str, Learned],
    pending: tuple[PendingHistory, PendingHistory] | None = None,
) -> Forecast | None:  # fmt: skip
    """The forecast at `origin_date`, or None when no settlement period is known yet.

    `pending` (`pending_histories(series)`, computed once for all origins) lets the orders and
    return requests pending at the origin replace the usual amount of them in the first days'
    sales and refunds."""
    origin_at = origin_instant(origin_date, series.time_zone)
    period, closed_lengths = _open_period(series.periods, origin_at)
    if period is None:
        return None
    exponent = series.minor_unit_exponent
    horizon = [origin_date + timedelta(days=i) for i in range(HORIZON_DAYS)]
    last_day_end = origin_instant(horizon[-1] + timedelta(days=1), series.time_zone)
    cycle = mechanics.cycle_days(series.settlement_cadence_days, closed_lengths)
    closes = [c for c in mechanics.settlement_closes(period.started_at, cycle, last_day_end) if c < last_day_end]
    closes = [c for c in closes if c > origin_at]

    # Amazon's own AVAILABLE at the origin (the ending balance of the day before it) already
    # nets payouts, a carried negative and an account-level reserve; without it, what settled
    # since the open period began.
    opening = series.available_by_night.get(origin_date - timedelta(days=1))
    if opening is None:
        opening = sum(p.amount for p in series.postings if period.started_at <= p.settles_at < origin_at)
    known = [p for p in series.postings if p.flow_kind == "sale_deferred" and p.posted_at < origin_at <= p.settles_at]

    lags = release_lags(series, origin_at)
    zero = Learned([0.0] * HORIZON_DAYS, [0.0] * HORIZON_DAYS)
    kind = {k: learned.get(k, zero) for k in LEARNED_KINDS}
    orders, requests = pending_histories(series) if pending is None else pending
    for k in SALE_KINDS:
        kind[k] = _adjusted(kind[k], pending_adjustment(orders, origin_date, k), 10**exponent)
    # Sales that will be deferred release `lag` days after they post; those posted before the
    # origin are the known releases above, so only the forecast days' sales convolve.
    released_mean = [0.0] * HORIZON_DAYS
    released_var = [0.0] * HORIZON_DAYS
    for posted in range(HORIZON_DAYS):
        for lag, share in lags.items():
            day = posted + lag
            if day < HORIZON_DAYS:
                released_mean[day] += share * kind["sale_deferred"].mean[posted]
                released_var[day] += (share * kind["sale_deferred"].half_width[posted]) ** 2

    # Refunds follow sales: each day's refunds are the refund shares of the sales N days
    # before it (known ones before the origin, forecast ones after), not a series of their own.
    # A known sale weighs by its category's refund factor; forecast sales by the factor of the
    # recent mix (the last LEARN_WINDOW_DAYS of sales).
    kernel = refund_kernel(series, origin_at, origin_date)
    if kernel:
        factors = category_factors(series, origin_date, kernel)
        sold: dict[date, float] = defaultdict(float)
        scale = 10**exponent
        recent, recent_weighted = 0.0, 0.0
        for p in series.postings:
            if p.flow_kind in SALE_KINDS and p.posted_at < origin_at:
                weighted = p.amount / scale * factors.get(p.category, 1.0)
                sold[p.posted_local_date] += weighted
                if p.posted_local_date >= origin_date - timedelta(days=LEARN_WINDOW_DAYS):
                    recent, recent_weighted = recent + p.amount / scale, recent_weighted + weighted
        mix = recent_weighted / recent if recent else 1.0
        for i in range(HORIZON_DAYS):
            sold[horizon[i]] += (kind["sale_immediate"].mean[i] + kind["sale_deferred"].mean[i]) * mix
        refunds = [sum(share * sold.get(day - timedelta(days=lag), 0.0) for lag, share in kernel.items()) for day in horizon]
        kind["refund"] = Learned(refunds, kind["refund"].half_width)
    kind["refund"] = _adjusted(kind["refund"], pending_adjustment(requests, origin_date, "refund"), 10**exponent)

    # A sum of days of refunds errs by the daily spread and, persistently, by the error of the
    # refund rate itself, about 1 / sqrt(refunds seen) of it: wide while the history is short.
    seen = sum(1 for p in series.postings if p.flow_kind == "refund" and p.posted_at < origin_at)

    def cumulative_half(total: float, daily_var: float) -> float:
        rate_half = Z_80 * abs(total) / math.sqrt(max(1, seen))
        return math.sqrt(daily_var + rate_half**2)

    close_on = {c.astimezone(ZoneInfo(series.time_zone)).date(): c for c in closes}
    balance = opening
    last_paid_var = 0.0  # variance of what the next payout is built from
    sequence = 0
    refund_sum, refund_var = 0.0, 0.0
    result = Forecast(origin_date, origin_at, opening, period.started_at, cycle)
    for i, day in enumerate(horizon):
        close = close_on.get(day)
        learned_mean = (
            kind["sale_immediate"].mean[i] + kind["refund"].mean[i] + kind["claim"].mean[i]
            + kind["other"].mean[i] + released_mean[i]
        )  # fmt: skip
        learned_var = released_var[i] + sum(kind[k].half_width[i] ** 2 for k in LEARNED_KINDS if k != "sale_deferred")
        releases = [p for p in known if p.settles_local_date == day]
        known_release = sum(p.amount for p in releases)
        net = known_release + mechanics.to_minor(learned_mean, exponent)
        refund_sum += kind["refund"].mean[i]
        refund_var += kind["refund"].half_width[i] ** 2
        row = ForecastDay(
            forecast_date=day,
            horizon_days=i + 1,
            known_release_amount=known_release,
            expected_sales_amount=mechanics.to_minor(kind["sale_immediate"].mean[i] + released_mean[i], exponent),
            expected_refund_amount=mechanics.to_minor(kind["refund"].mean[i], exponent),
            refund_lower_amount=mechanics.to_minor(kind["refund"].mean[i] - kind["refund"].half_width[i], exponent),
            refund_upper_amount=mechanics.to_minor(kind["refund"].mean[i] + kind["refund"].half_width[i], exponent),
            cumulative_refund_amount=mechanics.to_minor(refund_sum, exponent),
            cumulative_refund_lower_amount=mechanics.to_minor(refund_sum - cumulative_half(refund_sum, refund_var), exponent),
            cumulative_refund_upper_amount=mechanics.to_minor(refund_sum + cumulative_half(refund_sum, refund_var), exponent),
            expected_claim_amount=mechanics.to_minor(kind["claim"].mean[i], exponent),
            expected_other_amount=mechanics.to_minor(kind["other"].mean[i], exponent),
            expected_net_flow_amount=net,
            net_flow_lower_amount=net - mechanics.to_minor(math.sqrt(learned_var), exponent),
            net_flow_upper_amount=net + mechanics.to_minor(math.sqrt(learned_var), exponent),
            projected_available_amount=0,
        )
        if close is None:
            balance += net
            last_paid_var += learned_var
        else:
            # Split the close day: releases at 00:00 local and the share of the day before
            # the close belong to the closing period, the rest to the next one.
            before = mechanics.day_fraction_before(close, series.time_zone)
            early = sum(p.amount for p in releases if p.settles_at < close)
            learned_before = mechanics.to_minor(learned_mean * before, exponent)
            (payout,) = mechanics.project_payouts(balance, [early + learned_before], [close])
            payout_sd = math.sqrt(last_paid_var + learned_var * before)
            sequence += 1
            row.settlement_close_at, row.payout_sequence = close, sequence
            if payout.amount is None:
                row.payout_status, row.expected_payout_amount = "NO_PAYOUT", 0
                balance = payout.balance_at_close
                last_paid_var += learned_var * before
            else:
                half = mechanics.to_minor(payout_sd, exponent)
                row.payout_status, row.expected_payout_amount = "PAYOUT", payout.amount
                row.payout_lower_amount, row.payout_upper_amount = payout.amount - half, payout.amount + half
                balance, last_paid_var = 0, 0.0
            balance += net - early - learned_before
            last_paid_var += learned_var * (1 - before)
        row.projected_available_amount = balance
        result.days.append(row)
    return result
