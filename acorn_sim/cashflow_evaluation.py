"""Backtest of the cash-flow forecast on worlds it was not built on.

    python -m acorn_sim.cashflow_evaluation [--seeds 11 12] [--days 120] [--out DIR]

For each seed: a world of `--days` days (US, UK, DE, FR, IT, PL, JP, its cash-flow
scenarios included), exported to a lake, the warehouse built at the world's as-of, the
forecast made at every origin day (`acorn.cashflow.pipeline`, the nightly task's code)
and the cash-flow marts built. Then, on the same origins:

* the next payout per marketplace: WAPE of the forecast against what was paid
  (`fct_cashflow_forecast_accuracy`), beside three baselines:
  - last payout: the previous period's payout repeated;
  - same weekday last cycle: the opening balance plus what settled on the same
    weekdays one cycle earlier, up to the close;
  - Amazon: `listExpectedPayouts` at the origin (Transfers marketplaces only; it only
    ever speaks of the open period, so there is nothing of Amazon's beyond it);
* the second payout (beyond the open period) against the same naive baselines;
* the 28-day cumulative refund outflow, against the last 28 days repeated;
* the coverage of the 80 % intervals.

WAPE = sum |forecast - realised| / sum |realised|, over origins and marketplaces, in
each marketplace's currency (no conversion inside a ratio of one currency). Writes
`backtest.md` (the tables) and `forecast.png` (one forecast against what happened)
to `--out`, and prints the tables.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

SEEDS = (11, 12)  # never used while the forecast was built (that was seed 5)
MARKETPLACES = ("US", "UK", "DE", "FR", "IT", "PL", "JP")
START = date(2026, 6, 1)
ORDERS_PER_DAY = 49.0


def wape(pairs: list[tuple[Decimal, Decimal]]) -> float | None:
    """sum |forecast - realised| / sum |realised|; None without a realised amount."""
    denominator = sum(abs(r) for _f, r in pairs)
    return float(sum(abs(f - r) for f, r in pairs) / denominator) if denominator else None


def _query(con: Any, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


NEXT_PAYOUTS_SQL = """
with accuracy as (
    select * from marts.fct_cashflow_forecast_accuracy where measure = 'payout'
),
forecast as (
    select seller_id, marketplace_id, currency_code, origin_date, origin_at, opening_available_amount,
           cycle_days, forecast_date, settlement_close_at, payout_sequence
    from staging.stg_cashflow__forecast_days where payout_sequence is not null
),
realised as (
    select * from intermediate.int_cashflow_realised_payouts
),
previous as (
    select f.seller_id, f.marketplace_id, f.origin_date, f.payout_sequence,
           arg_max(r.payout_amount, r.group_ended_at) filter (where r.payout_amount is not null) as last_payout_amount
    from forecast f
    join realised r on r.seller_id = f.seller_id and r.marketplace_id = f.marketplace_id
                   and r.currency_code = f.currency_code and r.group_ended_at <= f.origin_at
    group by all
),
settled as (
    select seller_id, marketplace_id, currency_code, settles_local_date, sum(amount) as amount
    from intermediate.int_cashflow_postings group by all
),
same_weekday as (
    select f.seller_id, f.marketplace_id, f.origin_date, f.payout_sequence,
           any_value(f.opening_available_amount) + coalesce(sum(s.amount), 0) as same_weekday_amount
    from forecast f
    left join settled s on s.seller_id = f.seller_id and s.marketplace_id = f.marketplace_id
        and s.currency_code = f.currency_code
        and s.settles_local_date >= f.origin_date - f.cycle_days
        and s.settles_local_date < f.forecast_date - f.cycle_days
    where f.payout_sequence = 1
    group by 1, 2, 3, 4
)
select a.marketplace_id, a.currency_code, a.forecast_origin_date, a.payout_sequence,
       a.forecast_amount, a.realised_amount, a.lower_amount, a.upper_amount, a.is_within_interval,
       p.last_payout_amount, w.same_weekday_amount, f.origin_at, a.forecast_date
from accuracy a
join forecast f on f.seller_id = a.seller_id and f.marketplace_id = a.marketplace_id
    and f.origin_date = a.forecast_origin_date and f.payout_sequence = a.payout_sequence
left join previous p on p.seller_id = a.seller_id and p.marketplace_id = a.marketplace_id
    and p.origin_date = a.forecast_origin_date and p.payout_sequence = a.payout_sequence
left join same_weekday w on w.seller_id = a.seller_id and w.marketplace_id = a.marketplace_id
    and w.origin_date = a.forecast_origin_date and w.payout_sequence = 1
where a.payout_sequence <= 2
"""

REFUNDS_SQL = """
with accuracy as (
    select * from marts.fct_cashflow_forecast_accuracy where measure = 'refund_28d'
),
refunds as (
    select seller_id, marketplace_id, posted_local_date, sum(amount) as amount
    from intermediate.int_cashflow_postings where flow_kind = 'refund' group by all
)
select a.marketplace_id, a.forecast_amount, a.realised_amount, a.is_within_interval, a.forecast_origin_date,
       coalesce((select sum(r.amount) from refunds r where r.seller_id = a.seller_id
                 and r.marketplace_id = a.marketplace_id
                 and r.posted_local_date >= a.forecast_origin_date - 28
                 and r.posted_local_date < a.forecast_origin_date), 0) as last_28_days
from accuracy a
"""


def _amazon_expected(world: Any, seller_id: str, marketplace_id: str, at: datetime, sequence: int = 1) -> Decimal | None:
    """Amazon's expected payout number `sequence` at `at` (listExpectedPayouts), if it has one.

    Amazon lists the open period's payout; where it lists no later one, the open period's
    amount stands for the next too: the nearest Amazon comes to a forecast beyond it."""
    listed = [
        e for e in world.expected_payouts(seller_id, now=at)
        if (e.get("partnerMetadata") or {}).get("marketplaceId") == marketplace_id and e.get("amount")
    ]  # fmt: skip
    listed.sort(key=lambda e: e.get("scheduledDate") or "")
    if not listed:
        return None
    return Decimal(str(listed[min(sequence, len(listed)) - 1]["amount"]["currencyAmount"]))


def build_and_forecast(seed: int, days: int, root: Path) -> Path:
    """World -> lake -> warehouse -> forecast -> cash-flow marts; returns the warehouse path."""
    import os

    from acorn.cashflow.pipeline import forecast_warehouse
    from acorn.warehouse import build
    from acorn_sim.scoring import as_of_var
    from acorn_sim.world.lake_export import export_lake
    from acorn_sim.world.store import DiskWorld, WorldParams, write_world

    world_dir, lake, db = root / "world", root / "lake", root / "acorn.duckdb"
    write_world(
        WorldParams(start=START, seed=seed, days=days, marketplaces=MARKETPLACES, base_orders_per_day=ORDERS_PER_DAY),
        world_dir,
    )
    export_lake(world_dir, lake)
    dbt_vars = {"as_of": as_of_var(DiskWorld(world_dir).as_of)}
    os.environ["ACORN_CASHFLOW_DIR"] = str(root / "cashflow")
    build(lake, db, target_path=root / "target", dbt_vars=dbt_vars, risk_dir=root / "risk")
    forecast_warehouse(db, root / "cashflow")
    build(lake, db, select="source:cashflow+", target_path=root / "target", dbt_vars=dbt_vars, risk_dir=root / "risk")
    return db


def score_seed(db: Path, world: Any) -> dict[str, Any]:
    import duckdb

    from acorn import marketplaces

    with duckdb.connect(str(db), read_only=True) as con:
        rows = _query(con, NEXT_PAYOUTS_SQL)
        refunds = _query(con, REFUNDS_SQL)
        # Pooling marketplaces needs one currency: each marketplace's rate into the reporting one.
        rates = dict(_query(con, "select marketplace_id, any_value(fx_rate) from marts.fct_cashflow_forecast group by 1"))
        (seller_id,) = con.execute("select min(seller_id) from intermediate.int_cashflow_postings").fetchone()
        # The check: the warehouse's deferred and reserved balances against listBalances.
        balances = con.execute(
            "select count(*) filter (where is_balanced), count(*),"
            " count(*) filter (where is_history_complete and not is_balanced) from marts.fct_cash_balances"
        ).fetchone()
    out: dict[str, Any] = {"next": defaultdict(list), "second": defaultdict(list), "refund_28d": defaultdict(list),
                           "balances": {"nights": [tuple(int(v) for v in balances)]}}  # fmt: skip
    for market, _cur, _origin, sequence, fc, real, _lo, _hi, inside, last, weekday, origin_at, paid_on in rows:
        code = marketplaces.get(market).code
        entry = {
            "forecast": Decimal(fc), "realised": Decimal(real), "inside": bool(inside),
            "block": (str(db), market, paid_on),  # the origins that forecast one payout share its error
            "last_payout": Decimal(last) if last is not None else None,
            "same_weekday": Decimal(weekday) if weekday is not None else None,
            "rate": Decimal(rates.get(market) or 1),
        }  # fmt: skip
        at = origin_at if origin_at.tzinfo else origin_at.replace(tzinfo=UTC)
        entry["amazon"] = _amazon_expected(world, seller_id, market, at, sequence)
        out["next" if sequence == 1 else "second"][code].append(entry)
    for market, fc, real, inside, origin, last28 in refunds:
        out["refund_28d"][marketplaces.get(market).code].append(
            {"forecast": Decimal(fc), "realised": Decimal(real), "inside": bool(inside), "last_28_days": Decimal(last28),
             "rate": Decimal(rates.get(market) or 1),
             # 28-day windows of nearby origins overlap: a block is 28 days of origins.
             "block": (str(db), market, origin.toordinal() // 28)}
        )
    return out


def _wape_of(entries: list[dict], key: str, pooled: bool = False) -> float | None:
    """WAPE of `key` against what was paid; `pooled` converts each pair at its marketplace's rate
    into the reporting currency first, so one currency's large numbers (JPY) do not dominate."""
    pairs = [
        (e[key] * e["rate"], e["realised"] * e["rate"]) if pooled else (e[key], e["realised"])
        for e in entries
        if e.get(key) is not None
    ]
    return wape(pairs) if pairs else None


def coverage_band(entries: list[dict], level: float = 0.9) -> tuple[float, float] | None:
    """A `level` interval of the coverage by a block bootstrap (scipy): forecasts that share an
    error (one payout, overlapping 28-day windows) are resampled together, as one block."""
    import numpy as np
    from scipy.stats import bootstrap

    blocks: dict[Any, list[bool]] = defaultdict(list)
    for e in entries:
        blocks[e["block"]].append(e["inside"])
    if len(blocks) < 2:
        return None
    hits = np.array([sum(b) for b in blocks.values()], dtype=float)
    sizes = np.array([len(b) for b in blocks.values()], dtype=float)
    result = bootstrap((hits, sizes), lambda h, n, axis=-1: h.sum(axis=axis) / n.sum(axis=axis), paired=True,
                       vectorized=True, confidence_level=level, n_resamples=2000, method="percentile",
                       rng=np.random.default_rng(0))  # fmt: skip
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def _coverage(entries: list[dict], band: bool = False) -> str:
    share = f"{sum(e['inside'] for e in entries) / len(entries):.0%}"
    interval = coverage_band(entries) if band else None
    return share if interval is None else f"{share} ({interval[0]:.0%}-{interval[1]:.0%})"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def tables(scored: dict[str, dict[str, list[dict]]]) -> str:
    lines = ["### Next payout (the open period's close)", "",
             "| Marketplace | Origins | Forecast WAPE | Last payout | Same weekday last cycle | Amazon expected | 80 % coverage |",
             "|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    everything: dict[str, list[dict]] = defaultdict(list)
    for code, entries in sorted(scored["next"].items()):
        everything["next"] += entries
        lines.append(
            f"| {code} | {len(entries)} | {_pct(_wape_of(entries, 'forecast'))} | {_pct(_wape_of(entries, 'last_payout'))} "
            f"| {_pct(_wape_of(entries, 'same_weekday'))} | {_pct(_wape_of(entries, 'amazon'))} "
            f"| {_coverage(entries)} |"
        )
    entries = everything["next"]
    if entries:
        lines.append(
            f"| **all** (in CNY) | {len(entries)} | **{_pct(_wape_of(entries, 'forecast', True))}** "
            f"| {_pct(_wape_of(entries, 'last_payout', True))} | {_pct(_wape_of(entries, 'same_weekday', True))} "
            f"| {_pct(_wape_of([e for e in entries if e.get('amazon') is not None], 'amazon', True))} "
            f"| {_coverage(entries, band=True)} |"
        )
    lines += ["", "### Second payout (beyond the open period)", "",
              "| Marketplace | Origins | Forecast WAPE | Last payout | Amazon expected | 80 % coverage |",
              "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for code, entries in sorted(scored["second"].items()):
        everything["second"] += entries
        lines.append(
            f"| {code} | {len(entries)} | {_pct(_wape_of(entries, 'forecast'))} | {_pct(_wape_of(entries, 'last_payout'))} "
            f"| {_pct(_wape_of(entries, 'amazon'))} | {_coverage(entries)} |"
        )
    entries = everything["second"]
    if entries:
        lines.append(
            f"| **all** (in CNY) | {len(entries)} | **{_pct(_wape_of(entries, 'forecast', True))}** "
            f"| {_pct(_wape_of(entries, 'last_payout', True))} "
            f"| {_pct(_wape_of([e for e in entries if e.get('amazon') is not None], 'amazon', True))} "
            f"| {_coverage(entries, band=True)} |"
        )
    lines += ["", "### 28-day cumulative refund outflow", "",
              "| Marketplace | Origins | Forecast WAPE | Last 28 days repeated | 80 % coverage |", "|---|---:|---:|---:|---:|"]  # fmt: skip
    for code, entries in sorted(scored["refund_28d"].items()):
        everything["refund_28d"] += entries
        lines.append(
            f"| {code} | {len(entries)} | {_pct(_wape_of(entries, 'forecast'))} | {_pct(_wape_of(entries, 'last_28_days'))} "
            f"| {_coverage(entries)} |"
        )
    entries = everything["refund_28d"]
    if entries:
        lines.append(
            f"| **all** (in CNY) | {len(entries)} | **{_pct(_wape_of(entries, 'forecast', True))}** "
            f"| {_pct(_wape_of(entries, 'last_28_days', True))} | {_coverage(entries, band=True)} |"
        )
    nights = scored.get("balances", {}).get("nights", [])
    if nights:
        balanced, total, failed = (sum(n[i] for n in nights) for i in range(3))
        lines += ["", f"Balances (`marts.fct_cash_balances`): the deferred and reserved balances derived from the "
                      f"transactions equal listBalances to the cent on {balanced} of {total} nights "
                      f"({failed} differ on a night the mart calls complete)."]  # fmt: skip
    return "\n".join(lines)


def merge(into: dict, seed_scores: dict) -> None:
    for measure, by_market in seed_scores.items():
        for code, entries in by_market.items():
            into.setdefault(measure, defaultdict(list))[code].extend(entries)


def plot(db: Path, marketplace_code: str, target: Path) -> Path:
    """One past forecast (the last origin whose 28 days have all happened) against what happened."""
    import altair as alt
    import duckdb
    import pandas as pd

    from acorn import marketplaces

    market = marketplaces.BY_CODE[marketplace_code].marketplace_id
    with duckdb.connect(str(db), read_only=True) as con:
        (origin,) = con.execute(
            "select max(forecast_origin_date) from marts.fct_cashflow_forecast_accuracy"
            " where measure = 'refund_28d' and marketplace_id = ?", [market]
        ).fetchone()
        frame = con.execute(
            """
            select a.forecast_date, a.forecast_amount, a.lower_amount, a.upper_amount, a.realised_amount
            from marts.fct_cashflow_forecast_accuracy a
            where a.marketplace_id = ? and a.forecast_origin_date = ? and a.measure = 'net_flow'
            order by 1
            """,
            [market, origin],
        ).df()
        payouts = con.execute(
            """
            select forecast_date, forecast_amount, realised_amount, lower_amount, upper_amount
            from marts.fct_cashflow_forecast_accuracy
            where marketplace_id = ? and forecast_origin_date = ? and measure = 'payout'
            """,
            [market, origin],
        ).df()
    for column in ("forecast_amount", "lower_amount", "upper_amount", "realised_amount"):
        frame[column] = frame[column].astype(float)  # plotting only: the tables stay exact
        payouts[column] = payouts[column].astype(float)
    frame["cumulative_forecast"] = frame["forecast_amount"].cumsum()
    frame["cumulative_realised"] = frame["realised_amount"].cumsum()
    base = alt.Chart(frame).encode(x=alt.X("forecast_date:T", title=f"{marketplace_code}, forecast made {origin}"))
    band = base.mark_area(opacity=0.25).encode(y=alt.Y("lower_amount:Q", title="net flow per day"), y2="upper_amount:Q")
    long = pd.melt(frame, id_vars=["forecast_date"], value_vars=["forecast_amount", "realised_amount"],
                   var_name="series", value_name="amount")  # fmt: skip
    lines = alt.Chart(long).mark_line(point=True).encode(x="forecast_date:T", y="amount:Q", color="series:N")
    # Payouts are thousands with intervals of hundreds: an axis from 0 would flatten the bars.
    payout_y = alt.Y("lower_amount:Q", title="payout", scale=alt.Scale(zero=False, padding=20))
    days = alt.Scale(domain=[frame["forecast_date"].min().isoformat(), frame["forecast_date"].max().isoformat()])
    payout_base = alt.Chart(payouts).encode(x=alt.X("forecast_date:T", scale=days, title="payout date"))
    payout_points = (
        payout_base.mark_rule(size=6, opacity=0.5).encode(y=payout_y, y2="upper_amount:Q")
        + payout_base.mark_tick(thickness=2, size=24).encode(y="forecast_amount:Q")
        + payout_base.mark_point(shape="diamond", size=120, filled=True, color="#f58518").encode(y="realised_amount:Q")
    )
    chart = alt.vconcat(
        (band + lines).properties(width=720, height=240, title="Net flow into the available balance: forecast, 80 % interval, realised"),
        payout_points.properties(
            width=720, height=160, title="Payouts: 80 % interval (bar), forecast (tick) and what was paid (diamond)"
        ),
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    chart.save(str(target), format="png", scale_factor=1.5)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m acorn_sim.cashflow_evaluation", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--out", type=Path, default=Path("data/cashflow_backtest"))
    parser.add_argument("--plot-marketplace", default="DE")
    parser.add_argument("--reuse", action="store_true", help="score the warehouses an earlier run built under --out")
    args = parser.parse_args(argv)
    if args.days < 120:
        parser.error("the backtest needs worlds of at least 120 days")
    from acorn_sim.world.store import DiskWorld

    scored: dict = {}
    last_db = None
    for seed in args.seeds:
        root = args.out / f"seed-{seed}"
        db = root / "acorn.duckdb" if args.reuse and (root / "acorn.duckdb").exists() else build_and_forecast(seed, args.days, root)
        merge(scored, score_seed(db, DiskWorld(root / "world")))
        last_db = db
    text = f"Seeds {', '.join(map(str, args.seeds))}, {args.days} days, marketplaces {', '.join(MARKETPLACES)}.\n\n"
    text += tables(scored)
    (args.out / "backtest.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    if last_db is not None:
        print(f"\nplot: {plot(last_db, args.plot_marketplace, args.out / 'forecast.png')}")
    summary = {m: {c: len(v) for c, v in by.items()} for m, by in scored.items()}
    (args.out / "backtest.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
