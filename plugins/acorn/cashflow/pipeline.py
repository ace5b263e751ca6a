"""Forecast every marketplace's cash from a built warehouse and write the forecast file dbt reads.

`forecast_from_settings()` is the Airflow task's entry point: it opens the DuckDB warehouse
READ-ONLY (dbt stays its one writer), reads `int_cashflow_postings` and the settlement
periods of `fct_payouts`, forecasts at every origin day from the first one with enough
history up to the build's as-of day (rolling origin: the past forecasts are what
`fct_cashflow_forecast_accuracy` scores, and they are recomputed from what was known on
their day, so a re-run gives the same file), and replaces
`<cashflow dir>/forecasts/cashflow_forecast_days.parquet` atomically; the next dbt step
reads it back as source('cashflow', 'cashflow_forecast_days').
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa

from acorn.cashflow import forecast as engine
from acorn.cashflow import mechanics
from acorn.cashflow.calibration import ScoredTarget, adaptive_quantiles
from acorn.lake.writer import atomic_write_table

log = logging.getLogger(__name__)

FORECAST_DAYS = "cashflow_forecast_days"
_TS = pa.timestamp("us", tz="UTC")
_MONEY = pa.decimal128(20, 4)
_AMOUNTS = (
    "opening_available_amount", "known_release_amount", "expected_sales_amount", "expected_refund_amount",
    "refund_lower_amount", "refund_upper_amount", "cumulative_refund_amount", "cumulative_refund_lower_amount",
    "cumulative_refund_upper_amount", "expected_claim_amount", "expected_other_amount",
    "expected_net_flow_amount", "net_flow_lower_amount", "net_flow_upper_amount", "projected_available_amount",
    "expected_payout_amount", "payout_lower_amount", "payout_upper_amount",
)  # fmt: skip
SCHEMA = pa.schema(
    [
        ("seller_id", pa.string()),
        ("marketplace_id", pa.string()),
        ("currency_code", pa.string()),
        ("origin_date", pa.date32()),
        ("origin_at", _TS),
        ("forecast_date", pa.date32()),
        ("horizon_days", pa.int32()),
        ("open_period_started_at", _TS),
        ("cycle_days", pa.int32()),
        ("settlement_close_at", _TS),
        ("payout_sequence", pa.int32()),
        ("payout_status", pa.string()),
        *[(name, _MONEY) for name in _AMOUNTS],
        ("interval_level_percent", pa.int32()),
        ("model_name", pa.string()),
    ]
)



def _minor_units(amount: str, exponent: str) -> str:
    """SQL for a decimal amount in integer minor units: exact, a power of ten and no float on the way."""
    return f"cast({amount} * case {exponent} when 0 then 1 when 1 then 10 when 2 then 100 else 1000 end as bigint)"


# An order's category is its highest-priced item's (the seller's SKU categories seed), as the
# risk model reads it: "unknown" for a SKU the seed does not list.
POSTINGS_SQL = f"""
with order_categories as (
    select i.seller_id, i.order_id,
           arg_max(coalesce(c.product_category, 'unknown'), coalesce(i.item_price_amount, 0)) as product_category
    from staging.stg_spapi__order_items as i
    left join seeds.seller_sku_categories as c on c.seller_id = i.seller_id and c.sku = i.sku
    group by 1, 2
)
select p.seller_id, p.marketplace_id, p.currency_code, p.minor_unit_exponent, p.time_zone, p.settlement_cadence_days,
       p.flow_kind, p.posted_at, p.posted_local_date, p.settles_at, p.settles_local_date, p.order_id,
       {_minor_units("p.amount", "p.minor_unit_exponent")} as amount_minor, o.product_category
from intermediate.int_cashflow_postings as p
left join order_categories as o on o.seller_id = p.seller_id and o.order_id = p.order_id
where p.amount is not null and p.minor_unit_exponent is not null
"""
PERIODS_SQL = """
select seller_id, marketplace_id, original_currency_code as currency_code, group_started_at, group_ended_at
from marts.fct_payouts
where marketplace_id is not null and group_started_at is not null
"""
AS_OF_SQL = "select as_of_at from intermediate.int_as_of"
REALISED_PAYOUTS_SQL = f"""
select r.seller_id, r.marketplace_id, r.currency_code, r.group_ended_at,
       {_minor_units("r.payout_amount", "u.minor_unit_exponent")} as amount_minor
from intermediate.int_cashflow_realised_payouts as r
join seeds.currency_minor_units as u on u.currency_code = r.currency_code
"""
# Orders listed with a total (a pending or cancelled order may have none), in minor units.
ORDERS_SQL = f"""
select o.seller_id, o.marketplace_id, o.currency_code, o.order_id, o.purchased_at,
       {_minor_units("o.order_total_amount", "u.minor_unit_exponent")} as amount_minor
from staging.stg_spapi__orders as o
join seeds.currency_minor_units as u on u.currency_code = o.currency_code
where o.order_total_amount is not null and o.purchased_at is not null
"""
RETURN_REQUESTS_SQL = f"""
select r.seller_id, r.marketplace_id, r.currency_code, r.order_id, r.return_requested_at,
       {_minor_units("r.order_amount", "u.minor_unit_exponent")} as amount_minor
from staging.stg_spapi__mfn_returns as r
join seeds.currency_minor_units as u on u.currency_code = r.currency_code
where r.order_amount is not null and r.return_requested_at is not null and r.order_id is not null
"""
AVAILABLE_SQL = f"""
select b.seller_id, b.marketplace_id, b.currency_code, b.as_of_local_date,
       {_minor_units("b.amount", "u.minor_unit_exponent")} as amount_minor
from staging.stg_spapi__balances as b
join seeds.currency_minor_units as u on u.currency_code = b.currency_code
where b.balance_type = 'AVAILABLE' and b.is_top_level
"""


def forecast_path(cashflow_dir: Path) -> Path:
    return Path(cashflow_dir) / "forecasts" / f"{FORECAST_DAYS}.parquet"


def write_rows(cashflow_dir: Path, rows: list[dict[str, Any]]) -> Path:
    """Replace the forecast file atomically (readers see the old or the new file, never half)."""
    target = forecast_path(cashflow_dir)
    atomic_write_table(pa.Table.from_pylist(rows, schema=SCHEMA), target)
    return target


def ensure_forecast_readable(cashflow_dir: Path) -> bool:
    """Give a first build a zero-row forecast file to read; True when one was written."""
    if forecast_path(cashflow_dir).exists():
        return False
    write_rows(cashflow_dir, [])
    return True


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _pending_sort_key(item: engine.Pending) -> tuple[str, datetime, int]:
    return item.order_id, item.since, item.amount


def read_series(duckdb_path: str | Path) -> tuple[list[engine.Series], datetime | None]:
    """Every (seller, marketplace, currency) with its postings and periods, and the build's as-of."""
    import duckdb

    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        postings = con.execute(POSTINGS_SQL).fetchall()
        periods = con.execute(PERIODS_SQL).fetchall()
        (as_of,) = con.execute(AS_OF_SQL).fetchone() or (None,)
        available = con.execute(AVAILABLE_SQL).fetchall()
        realised = con.execute(REALISED_PAYOUTS_SQL).fetchall()
        orders = con.execute(ORDERS_SQL).fetchall()
        requests = con.execute(RETURN_REQUESTS_SQL).fetchall()
    grouped: dict[tuple[str, str, str], list[engine.Posting]] = defaultdict(list)
    facts: dict[tuple[str, str, str], tuple[int, str, int]] = {}
    for seller, market, currency, exponent, zone, cadence, kind, posted, posted_day, settles, settles_day, order, amount, category in (
        postings
    ):  # fmt: skip
        key = (seller, market, currency)
        facts[key] = (exponent, zone, cadence)
        grouped[key].append(
            engine.Posting(kind, amount, _utc(posted), posted_day, _utc(settles), settles_day, order, category)
        )
    period_rows: dict[tuple[str, str, str], list[engine.Period]] = defaultdict(list)
    for seller, market, currency, started, ended in periods:
        period_rows[(seller, market, currency)].append(
            engine.Period(_utc(started), _utc(ended) if ended is not None else None)
        )
    nights: dict[tuple[str, str, str], dict[date, int]] = defaultdict(dict)
    for seller, market, currency, night, amount in available:
        # One account type per marketplace in practice; several would add up.
        nights[(seller, market, currency)][night] = nights[(seller, market, currency)].get(night, 0) + amount
    paid: dict[tuple[str, str, str], list[tuple[datetime, int | None]]] = defaultdict(list)
    for seller, market, currency, closed_at, amount in realised:
        paid[(seller, market, currency)].append((_utc(closed_at), amount))
    listed: dict[tuple[str, str, str], list[engine.Pending]] = defaultdict(list)
    for seller, market, currency, order_id, purchased, amount in orders:
        listed[(seller, market, currency)].append(engine.Pending(order_id, _utc(purchased), amount))
    returning: dict[tuple[str, str, str], list[engine.Pending]] = defaultdict(list)
    for seller, market, currency, order_id, requested, amount in requests:
        returning[(seller, market, currency)].append(engine.Pending(order_id, _utc(requested), amount))
    series = [
        engine.Series(
            *key, *facts[key], postings=grouped[key], periods=period_rows.get(key, []),
            available_by_night=nights.get(key, {}), realised_payouts=sorted(paid.get(key, [])),
            orders=sorted(listed.get(key, []), key=_pending_sort_key),
            return_requests=sorted(returning.get(key, []), key=_pending_sort_key),
        )
        for key in sorted(grouped)
    ]  # fmt: skip
    return series, (_utc(as_of) if as_of is not None else None)


def origin_days(series: engine.Series, as_of: datetime) -> list[date]:
    """Every origin day with enough history, up to the as-of instant's local day."""
    first = engine.history_start(series)
    if first is None:
        return []
    last = as_of.astimezone(ZoneInfo(series.time_zone)).date()
    start = first + timedelta(days=engine.MIN_HISTORY_DAYS)
    return [start + timedelta(days=i) for i in range((last - start).days + 1)]


def _spread_half_width(history: list[float]) -> float:
    """A day's interval half-width: the 80 % normal quantile of the history's spread around its
    weekday means (sums of days get the rolling conformal interval once earlier errors are known)."""
    import statistics

    by_weekday = [history[i :: engine.SEASON_DAYS] for i in range(engine.SEASON_DAYS)]
    means = [statistics.fmean(day) if day else 0.0 for day in by_weekday]
    residuals = [v - means[i % engine.SEASON_DAYS] for i, v in enumerate(history)]
    return 1.2816 * statistics.pstdev(residuals) if len(residuals) > 1 else 0.0


def learn(series: list[engine.Series], origins: dict[int, list[date]]) -> dict[tuple[int, date, str], engine.Learned]:
    """The statistical remainder: per (series, origin, flow kind), statsforecast's HistoricAverage of
    the last `engine.LEARN_WINDOW_DAYS` days, all fitted in one batch (DECISIONLOG.md says why)."""
    import pandas as pd
    from statsforecast import StatsForecast
    from statsforecast.models import HistoricAverage

    frames, keys, spread = [], {}, {}
    for index, one in enumerate(series):
        scale = 10**one.minor_unit_exponent
        for origin in origins[index]:
            for kind in engine.LEARNED_KINDS:
                history = [v / scale for v in engine.daily_history(one, origin, kind)][-engine.LEARN_WINDOW_DAYS :]
                uid = f"{index}|{origin.isoformat()}|{kind}"
                keys[uid], spread[uid] = (index, origin, kind), _spread_half_width(history)
                frames.append(pd.DataFrame({"unique_id": uid, "ds": range(len(history)), "y": history}))
    if not frames:
        return {}
    predicted = StatsForecast(models=[HistoricAverage(alias="model")], freq=1).forecast(
        h=engine.HORIZON_DAYS, df=pd.concat(frames, ignore_index=True)
    )
    out = {}
    for uid, rows in predicted.groupby("unique_id", sort=False):
        rows = rows.sort_values("ds")
        out[keys[uid]] = engine.Learned(mean=[float(v) for v in rows["model"]], half_width=[spread[uid]] * engine.HORIZON_DAYS)
    return out


# Each interval the calibration replaces: (target key, point, lower field, upper field).
def _intervals(day: engine.ForecastDay) -> list[tuple[tuple[str, int] | None, int | None, str, str]]:
    h = day.horizon_days
    payout_key = ("payout", day.payout_sequence) if day.payout_sequence is not None else None
    return [
        (("net_flow", h), day.expected_net_flow_amount, "net_flow_lower_amount", "net_flow_upper_amount"),
        (("refund", h), day.expected_refund_amount, "refund_lower_amount", "refund_upper_amount"),
        (("refund_cum", h), day.cumulative_refund_amount, "cumulative_refund_lower_amount", "cumulative_refund_upper_amount"),
        (payout_key, day.expected_payout_amount, "payout_lower_amount", "payout_upper_amount"),
    ]  # fmt: skip


def _scale(day: engine.ForecastDay, upper: str, point: int | None) -> int:
    value = getattr(day, upper)
    return value - point if value is not None and point is not None else 0


def _series_id(series: engine.Series) -> tuple[str, str, str]:
    return (series.seller_id, series.marketplace_id, series.currency_code)


def scored_targets(series: engine.Series, results: list[engine.Forecast], as_of: datetime) -> list[ScoredTarget]:
    """Every forecast of `results` whose target has happened by `as_of`, with its error, the
    engine's own half-width (read before `calibrate` replaces it) and the realised value it was
    scored against."""
    zone = ZoneInfo(series.time_zone)
    series_id = _series_id(series)
    complete_before = as_of.astimezone(zone).date()
    settled: dict[date, int] = defaultdict(int)
    refunded: dict[date, int] = defaultdict(int)
    for p in series.postings:
        settled[p.settles_local_date] += p.amount
        if p.flow_kind == "refund":
            refunded[p.posted_local_date] += p.amount
    closes = [(c, a) for c, a in series.realised_payouts if c <= as_of]
    targets = []
    for result in results:
        cumulative = 0
        forecast = (series_id, result.origin_at)
        after = [(c, a) for c, a in closes if c > result.origin_at]
        for day in result.days:
            cumulative += refunded.get(day.forecast_date, 0)
            if day.forecast_date >= complete_before:
                break
            known = engine.origin_instant(day.forecast_date + timedelta(days=1), series.time_zone)
            realised = {"net_flow": settled.get(day.forecast_date, 0), "refund": refunded.get(day.forecast_date, 0),
                        "refund_cum": cumulative}  # fmt: skip
            for key, point, _lower, upper in _intervals(day)[:3]:
                assert key is not None and point is not None
                # A day's flow is one value whichever origin forecast it; a cumulative sum starts at its origin.
                value = None if key[0] == "refund_cum" else (series_id, key[0], known)
                error = point - realised[key[0]]
                targets.append(ScoredTarget(key, known, error, _scale(day, upper, point), value, forecast))
        for day in result.days:
            if day.payout_sequence is not None and day.payout_sequence <= len(after):
                close, amount = after[day.payout_sequence - 1]
                if amount is None or day.expected_payout_amount is None:  # a failed payout waits to be re-sent
                    continue
                known = engine.origin_instant(close.astimezone(zone).date() + timedelta(days=1), series.time_zone)
                key, point, _lower, upper = _intervals(day)[3]
                assert key is not None
                error = day.expected_payout_amount - amount
                targets.append(ScoredTarget(key, known, error, _scale(day, upper, point), (series_id, "payout", known), forecast))
    return targets


def calibrate(series: list[engine.Series], results: list[list[engine.Forecast]], as_of: datetime) -> None:
    """Replace each interval by the adaptive normalised conformal one (`acorn.cashflow.calibration`),
    pooling the scores of each seller's marketplaces; where too few are known the engine's stays."""
    sellers: dict[str, list[int]] = defaultdict(list)
    for index, one in enumerate(series):
        sellers[one.seller_id].append(index)
    for indexes in sellers.values():
        targets = [t for i in indexes for t in scored_targets(series[i], results[i], as_of)]
        intervals = [
            ((_series_id(series[i]), result.origin_at), day, key, point, lower, upper)
            for i in indexes for result in results[i] for day in result.days
            for key, point, lower, upper in _intervals(day)
            if key is not None and point is not None and _scale(day, upper, point) > 0
        ]  # fmt: skip
        quantiles = adaptive_quantiles(
            targets, [(forecast, forecast[1], key) for forecast, _day, key, *_ in intervals], engine.LEVEL / 100
        )
        for forecast, day, key, point, lower, upper in intervals:
            quantile = quantiles[(forecast, key)]
            if quantile is not None:
                width = mechanics.to_minor(quantile * _scale(day, upper, point), 0)
                setattr(day, lower, point - width)
                setattr(day, upper, point + width)


def _money(minor: int | None, exponent: int) -> Decimal | None:
    return None if minor is None else Decimal(minor).scaleb(-exponent)


def forecast_rows(series: list[engine.Series], as_of: datetime | None) -> list[dict[str, Any]]:
    if as_of is None:
        return []
    origins = {i: origin_days(one, as_of) for i, one in enumerate(series)}
    learned = learn(series, origins)
    every: list[list[engine.Forecast]] = []
    for index, one in enumerate(series):
        pending = engine.pending_histories(one)
        forecasts = (engine.forecast(one, origin, {k: learned[(index, origin, k)] for k in engine.LEARNED_KINDS}, pending)
                     for origin in origins[index])  # fmt: skip
        every.append([f for f in forecasts if f is not None])
    calibrate(series, every, as_of)
    rows = []
    for one, results in zip(series, every, strict=True):
        for result in results:
            for day in result.days:
                row = {
                    "seller_id": one.seller_id,
                    "marketplace_id": one.marketplace_id,
                    "currency_code": one.currency_code,
                    "origin_date": result.origin_date,
                    "origin_at": result.origin_at,
                    "forecast_date": day.forecast_date,
                    "horizon_days": day.horizon_days,
                    "open_period_started_at": result.open_period_started_at,
                    "cycle_days": result.cycle_days,
                    "settlement_close_at": day.settlement_close_at,
                    "payout_sequence": day.payout_sequence,
                    "payout_status": day.payout_status,
                    "opening_available_amount": result.opening_available_amount,
                    "interval_level_percent": engine.LEVEL,
                    "model_name": engine.MODEL_NAME,
                }
                row.update({name: getattr(day, name) for name in _AMOUNTS if name != "opening_available_amount"})
                rows.append({k: (_money(v, one.minor_unit_exponent) if k in _AMOUNTS else v) for k, v in row.items()})
    return rows


def forecast_warehouse(duckdb_path: str | Path, cashflow_dir: str | Path) -> dict[str, Any]:
    """Read read-only, forecast every origin, write the file; XCom-small facts."""
    series, as_of = read_series(duckdb_path)
    rows = forecast_rows(series, as_of)
    write_rows(Path(cashflow_dir), rows)
    facts = {
        "series": len(series),
        "origins": len({(r["seller_id"], r["marketplace_id"], r["currency_code"], r["origin_date"]) for r in rows}),
        "rows": len(rows),
        "as_of": as_of.isoformat() if as_of is not None else None,
    }
    log.info("cash flow forecast: %s", facts)
    return facts


def forecast_from_settings() -> dict[str, Any]:
    """`forecast_warehouse` with paths from `acorn.config` (the Airflow task's entry point)."""
    from acorn.config import load_settings

    s = load_settings()
    return forecast_warehouse(s.duckdb_path, s.cashflow_dir)


def summary_lines(duckdb_path: str | Path) -> list[str]:
    """The run summary's cash-flow lines: each marketplace's next projected payout and its interval,
    and the measured next-payout error of the past forecasts (marts.fct_cashflow_forecast*)."""
    import duckdb

    try:
        with duckdb.connect(str(duckdb_path), read_only=True) as con:
            payouts = con.execute(
                """
                select marketplace_id, currency_code, forecast_date, payout_status, expected_payout_amount,
                       payout_lower_amount, payout_upper_amount
                from marts.fct_cashflow_forecast
                where payout_sequence = 1
                order by marketplace_id, currency_code
                """
            ).fetchall()
            # Pooled over marketplaces in the reporting currency (each at its forecast's rate),
            # so one currency's large numbers (JPY) do not dominate.
            wape = con.execute(
                """
                with rates as (
                    select marketplace_id, currency_code, any_value(fx_rate) as fx_rate
                    from marts.fct_cashflow_forecast group by 1, 2
                )
                select count(*),
                       sum(a.absolute_error_amount * r.fx_rate) / nullif(sum(abs(a.realised_amount) * r.fx_rate), 0),
                       avg(case when a.is_within_interval then 1.0 else 0.0 end)
                from marts.fct_cashflow_forecast_accuracy as a
                join rates as r on r.marketplace_id = a.marketplace_id and r.currency_code = a.currency_code
                where a.measure = 'payout' and a.payout_sequence = 1
                """
            ).fetchone()
    except duckdb.Error:
        return ["Cash-flow forecast: none in the warehouse yet"]
    if not payouts:
        return [f"Cash-flow forecast: not enough history yet (it needs {engine.MIN_HISTORY_DAYS} days of transactions)"]
    from acorn import marketplaces

    def code(market: str) -> str:
        return marketplaces.get(market).code if market in marketplaces.BY_ID else market

    lines = ["Cash-flow forecast (marts.fct_cashflow_forecast), next payout per marketplace:"]
    for market, currency, day, status, amount, lower, upper in sorted(payouts, key=lambda p: code(p[0])):
        lines.append(
            f"  {code(market)} {day}: no payout (negative balance carries)"
            if status == "NO_PAYOUT"
            else f"  {code(market)} {day}: {amount:,.2f} {currency} (80 % interval {lower:,.2f} to {upper:,.2f})"
        )
    scored, error, coverage = wape
    if scored:
        lines.append(
            f"  measured on {scored} past forecasts: next-payout WAPE {float(error):.1%} (in the reporting currency), "
            f"80 % interval coverage {float(coverage):.0%} (marts.fct_cashflow_forecast_accuracy)"
        )
    return lines
