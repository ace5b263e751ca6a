"""Cash flow: the latest night's 28-day forecast per marketplace, the payouts ahead, and how
accurate past forecasts were.

Every figure is the marts' own (fct_cashflow_forecast, fct_cashflow_forecast_accuracy);
the page only sums them. Two choices the marts leave open are made here:
  * the reporting-currency timeline sums the marketplaces on the days every one of them
    forecasts (their origin days differ by time zone), and keeps each payout's interval
    its own: bounds of 80 % intervals do not add up to an 80 % interval of the sum;
  * a WAPE over several marketplaces weighs their errors in the reporting currency, at
    each one's rate in the latest forecast, so a yen error is not counted as a euro.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.i18n import N_
from dashboard.views.common import (
    Column,
    Context,
    _value,
    date_of,
    label_of,
    marketplace_code,
    metric,
    money_of,
    show_table,
)

MARTS = ("fct_cashflow_forecast", "fct_cashflow_forecast_accuracy")
FORECAST = "fct_cashflow_forecast"
ACCURACY = "fct_cashflow_forecast_accuracy"
NOMINAL_COVERAGE = 0.8
# Vega's time formats for the date axes (tables and tooltips use Babel's).
AXIS_DATE_FORMAT = {"en": "%b %-d", "zh_Hans": "%-m月%-d日"}
PAYOUT_SEQUENCES = {1: N_("Next payout"), 2: N_("Second payout")}
# The accuracy table's rows: a measure (and payout sequence) of the accuracy mart.
ACCURACY_ROWS = (
    ("net_flow", None, N_("Daily net flow")),
    ("refund", None, N_("Daily refunds")),
    ("refund_28d", None, N_("Refunds over 28 days")),
    ("payout", 1, N_("Next payout")),
    ("payout", 2, N_("Second payout")),
)


def min_history_days() -> int:
    """The days of transactions a marketplace needs before it is forecast (the engine's rule)."""
    from acorn.cashflow.forecast import MIN_HISTORY_DAYS

    return MIN_HISTORY_DAYS


def forecast_days(ctx: Context) -> pd.DataFrame:
    """The latest forecast's days under the sidebar's seller, marketplace and currency filters."""
    return ctx.rows(FORECAST, "seller_id, marketplace_id, currency_code, forecast_date")


def series_of(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The (seller, marketplace, currency) series the forecast holds, in a stable order."""
    keys = frame[["seller_id", "marketplace_id", "currency_code"]].drop_duplicates()
    return sorted(keys.itertuples(index=False, name=None), key=lambda k: (marketplace_code(k[1]), k[0], k[2]))


def upcoming_payouts(frame: pd.DataFrame) -> pd.DataFrame:
    """The settlement closes ahead, soonest first (NO_PAYOUT rows included)."""
    closes = frame[frame["is_settlement_close"].fillna(False).astype(bool)]
    return closes.sort_values(["forecast_date", "marketplace_id", "seller_id"]).reset_index(drop=True)


def reporting_timeline(frame: pd.DataFrame) -> pd.DataFrame:
    """Balance and net flow in the reporting currency summed over the series, per day,
    on the days every series forecasts (a day only some forecast would dip)."""
    columns = ["forecast_date", "reporting_currency_code", "projected_available_reporting_amount",
               "expected_net_flow_reporting_amount", "expected_payout_reporting_amount"]  # fmt: skip
    if not len(frame):
        return pd.DataFrame(columns=[*columns, "series_count"])
    keyed = frame.assign(
        series=frame["seller_id"] + "|" + frame["marketplace_id"] + "|" + frame["currency_code"]
    )
    total = keyed["series"].nunique()
    summed = keyed.groupby(["forecast_date", "reporting_currency_code"], as_index=False).agg(
        projected_available_reporting_amount=("projected_available_reporting_amount", _sum),
        expected_net_flow_reporting_amount=("expected_net_flow_reporting_amount", _sum),
        expected_payout_reporting_amount=("expected_payout_reporting_amount", _sum),
        series_count=("series", "nunique"),
    )
    return summed[summed["series_count"] == total].reset_index(drop=True)


def _sum(values: pd.Series) -> float | None:
    """A day's sum, missing (not 0) when every value is missing (days without a close)."""
    return values.sum(min_count=1)


def accuracy_summary(ctx: Context) -> pd.DataFrame:
    """Per measure (payouts per sequence): forecasts scored, WAPE and 80 % interval coverage."""
    if not ctx.exports.has(ACCURACY) or not ctx.exports.has(FORECAST):
        return pd.DataFrame(columns=["measure", "payout_sequence", "scored_count", "wape", "coverage"])
    return _accuracy(ctx, "a.measure, a.payout_sequence", "")


def accuracy_by(ctx: Context, by: str) -> pd.DataFrame:
    """Next- and second-payout WAPE and coverage per horizon (`by="horizon"`) or per marketplace."""
    group = "a.horizon_days" if by == "horizon" else "a.marketplace_id, a.currency_code"
    if not ctx.exports.has(ACCURACY) or not ctx.exports.has(FORECAST):
        return pd.DataFrame(columns=["payout_sequence", *group.replace("a.", "").split(", "),
                                     "scored_count", "wape", "coverage"])  # fmt: skip
    return _accuracy(
        ctx, f"a.payout_sequence, {group}", "and a.measure = 'payout' and a.payout_sequence in (1, 2)"
    )


def _accuracy(ctx: Context, group: str, condition: str) -> pd.DataFrame:
    # Within one currency a WAPE is the mart's ratio as it is; across currencies each
    # series' amounts are weighed at its reporting rate (a common factor cancels out).
    where, params = ctx.filters.where(ACCURACY)
    return ctx.query(
        f"""
        with accuracy as (
            select * from {ACCURACY} where {where}
        ),
        rates as (
            select seller_id, marketplace_id, currency_code, any_value(fx_rate) as fx_rate
            from {FORECAST}
            group by all
        ),
        weighed as (
            select
                a.*,
                case when (select count(distinct currency_code) from accuracy) = 1 then 1
                     else r.fx_rate end as weight
            from accuracy as a
            left join rates as r
                on r.seller_id = a.seller_id and r.marketplace_id = a.marketplace_id
                and r.currency_code = a.currency_code
            where true {condition}
        )
        select
            {group.replace("a.", "")},
            count(*) as scored_count,
            sum(absolute_error_amount * weight) / nullif(sum(abs(realised_amount) * weight), 0) as wape,
            avg(case when is_within_interval then 1.0 else 0.0 end) as coverage
        from weighed
        group by all
        order by all
        """,
        params,
        [ACCURACY, FORECAST],
    )


def render(ctx: Context) -> None:
    _, t = ctx._, ctx.t
    st.header(_("Cash flow"))
    exported = ctx.exports.has(FORECAST)
    frame = forecast_days(ctx) if exported else pd.DataFrame()
    payouts = upcoming_payouts(frame) if len(frame) else frame
    summary = accuracy_summary(ctx) if exported else pd.DataFrame()
    currency = ctx.filters.reporting_currency or next(
        iter(frame.get("reporting_currency_code", pd.Series(dtype=object)).dropna()), None
    )
    next_payouts = payouts[payouts["payout_sequence"] == 1] if len(payouts) else payouts
    next_wape = _summary_row(summary, "payout", 1)
    columns = st.columns(4)
    with columns[0]:
        metric(_("Next payouts (reporting currency)"),
               t.money(next_payouts["expected_payout_reporting_amount"].sum(), currency) if len(next_payouts)
               else "—",
               help_text=_("The projected payout at each marketplace's next settlement close, summed."))  # fmt: skip
    with columns[1]:
        metric(_("Settlement closes in 28 days"), t.number(len(payouts)))
    with columns[2]:
        metric(_("Next-payout WAPE"), t.percent(next_wape["wape"]) if next_wape is not None else "—",
               help_text=_("Sum of absolute errors / sum of absolute realised payouts, over every past "
                           "forecast scored."))  # fmt: skip
    with columns[3]:
        metric(_("Next-payout interval coverage"),
               t.percent(next_wape["coverage"]) if next_wape is not None else "—",
               help_text=_("Share of past next payouts inside their 80 % interval (80 % is the aim)."))  # fmt: skip
    if not exported:
        st.info(_("Not exported yet."))
        return
    if not len(frame):
        st.info(_("Not enough history yet: the forecast needs {days} days of transactions per "
                  "marketplace.").format(days=min_history_days()))  # fmt: skip
    else:
        origins = sorted({_value(d) for d in frame["forecast_origin_date"]} - {None})
        st.caption(_("Forecast from {origin}, 28 days ahead, with 80 % intervals ({model}).").format(
            origin=", ".join(t.date(d) for d in origins), model=frame["model_name"].iloc[0]))  # fmt: skip
        _timelines(ctx, frame, currency)
        st.subheader(_("Upcoming payouts"))
        _payout_table(ctx, payouts)
    st.subheader(_("Forecast accuracy"))
    _accuracy_section(ctx, summary)


def _summary_row(summary: pd.DataFrame, measure: str, sequence: int | None):
    if not len(summary):
        return None
    rows = summary[
        (summary["measure"] == measure)
        & (summary["payout_sequence"].isna() if sequence is None else summary["payout_sequence"] == sequence)
    ]
    return None if not len(rows) else rows.iloc[0]


def _timelines(ctx: Context, frame: pd.DataFrame, currency: str | None) -> None:
    _ = ctx._
    keys = series_of(frame)
    several_sellers = len({k[0] for k in keys}) > 1

    def title(key: tuple[str, str, str]) -> str:
        seller, market, code = key
        return " · ".join([*([seller] if several_sellers else []), marketplace_code(market), code])

    local_tab, reporting_tab = st.tabs([_("Per marketplace"), _("All marketplaces (reporting currency)")])
    with local_tab:
        chosen = st.selectbox(_("Marketplace"), keys, format_func=title, key="cashflow_series")
        seller, market, code = chosen
        days = frame[(frame["seller_id"] == seller) & (frame["marketplace_id"] == market)
                     & (frame["currency_code"] == code)]  # fmt: skip
        st.altair_chart(_timeline_chart(ctx, _local_layers(ctx, days, code), code), width="stretch")
        # The chart draws on a canvas: the next payout in words as well.
        st.markdown(next_payout_text(ctx, days))
        if held := reserve_text(ctx, days):
            st.markdown(held)
    with reporting_tab:
        summed = reporting_timeline(frame)
        st.altair_chart(_timeline_chart(ctx, _reporting_layers(ctx, summed, frame, currency), currency),
                        width="stretch")  # fmt: skip
        st.caption(_("Balances and net flows summed over the marketplaces on the days all of them forecast; "
                     "each payout keeps its own interval (intervals do not add up)."))  # fmt: skip
    st.caption(_("Shaded: the 80 % interval of the daily net flow. Bars on a payout: its 80 % interval. "
                 "No payout: the balance at the close is not positive and carries into the next period."))  # fmt: skip


def next_payout_text(ctx: Context, days: pd.DataFrame) -> str:
    """One series' next settlement close in words: its payout and interval, or no payout."""
    _, t = ctx._, ctx.t
    closes = upcoming_payouts(days)
    closes = closes[closes["payout_sequence"] == 1]
    if not len(closes):
        return _("No settlement close in the next 28 days.")
    row = closes.iloc[0]
    day, code = _value(row["forecast_date"]), row["currency_code"]
    if row["payout_status"] == "NO_PAYOUT":
        return _("Next settlement close on {date}: no payout, the balance is not positive and carries "
                 "into the next period.").format(date=t.date(day))  # fmt: skip
    lower, upper = _value(row["payout_lower_amount"]), _value(row["payout_upper_amount"])
    return _("Next payout on {date}: {amount} (80 % interval {interval}).").format(
        date=t.date(day), amount=t.money(_value(row["expected_payout_amount"]), code),
        interval=_interval(ctx, lower, upper, code))  # fmt: skip


def reserve_text(ctx: Context, days: pd.DataFrame) -> str | None:
    """The account-level reserve Amazon held at the origin, in words; None when none is held
    (or the mart predates the column)."""
    if "account_level_reserve_amount" not in days or not len(days):
        return None
    held = _value(days["account_level_reserve_amount"].iloc[0])
    if held is None or held <= 0:
        return None
    return ctx._("Amazon holds an account-level reserve of {amount}, already out of the available balance. "
                 "The forecast keeps it held: Amazon publishes no release date.").format(
        amount=ctx.t.money(held, days["currency_code"].iloc[0]))  # fmt: skip


def _float(value) -> float | None:
    value = _value(value)
    return None if value is None else float(value)


def _local_layers(ctx: Context, days: pd.DataFrame, code: str) -> dict[str, pd.DataFrame]:
    _, t = ctx._, ctx.t
    lines = pd.concat([
        pd.DataFrame({"day": days["forecast_date"], "series": _("Projected available balance"),
                      "amount": days["projected_available_amount"].map(_float),
                      "text": [t.money(_value(v), code) for v in days["projected_available_amount"]]}),
        pd.DataFrame({"day": days["forecast_date"], "series": _("Daily net flow"),
                      "amount": days["expected_net_flow_amount"].map(_float),
                      "text": [t.money(_value(v), code) for v in days["expected_net_flow_amount"]]}),
    ], ignore_index=True)  # fmt: skip
    band = pd.DataFrame({"day": days["forecast_date"], "series": _("Daily net flow"),
                         "lower": days["net_flow_lower_amount"].map(_float),
                         "upper": days["net_flow_upper_amount"].map(_float)})  # fmt: skip
    return {"lines": lines, "band": band, "payouts": _payout_marks(ctx, upcoming_payouts(days), local=True)}


def _reporting_layers(ctx: Context, summed: pd.DataFrame, frame: pd.DataFrame,
                      currency: str | None) -> dict[str, pd.DataFrame]:  # fmt: skip
    _, t = ctx._, ctx.t
    lines = pd.concat([
        pd.DataFrame({"day": summed["forecast_date"], "series": _("Projected available balance"),
                      "amount": summed["projected_available_reporting_amount"].map(_float),
                      "text": [t.money(_value(v), currency) for v in summed["projected_available_reporting_amount"]]}),
        pd.DataFrame({"day": summed["forecast_date"], "series": _("Daily net flow"),
                      "amount": summed["expected_net_flow_reporting_amount"].map(_float),
                      "text": [t.money(_value(v), currency) for v in summed["expected_net_flow_reporting_amount"]]}),
    ], ignore_index=True)  # fmt: skip
    return {"lines": lines, "band": pd.DataFrame(columns=["day", "series", "lower", "upper"]),
            "payouts": _payout_marks(ctx, upcoming_payouts(frame), local=False)}  # fmt: skip


def _payout_marks(ctx: Context, closes: pd.DataFrame, *, local: bool) -> pd.DataFrame:
    _, t = ctx._, ctx.t
    suffix = "" if local else "_reporting"
    currency = "currency_code" if local else "reporting_currency_code"
    rows = []
    for _index, row in closes.iterrows():
        code = row[currency]
        amount, lower, upper = (_value(row[f"expected_payout{suffix}_amount"]),
                                _value(row[f"payout_lower{suffix}_amount"]),
                                _value(row[f"payout_upper{suffix}_amount"]))  # fmt: skip
        none = row["payout_status"] == "NO_PAYOUT"
        rows.append({
            "day": row["forecast_date"],
            "series": _("No payout") if none else _("Expected payout"),
            "amount": float(amount or 0),
            "lower": None if none or lower is None else float(lower),
            "upper": None if none or upper is None else float(upper),
            "marketplace": marketplace_code(row["marketplace_id"]),
            "text": _("No payout") if none else f"{t.money(amount, code)} ({_interval(ctx, lower, upper, code)})",
        })  # fmt: skip
    return pd.DataFrame(rows, columns=["day", "series", "amount", "lower", "upper", "marketplace", "text"])


def _interval(ctx: Context, lower, upper, currency: str | None) -> str:
    if lower is None or upper is None:
        return "—"
    return ctx._("{lower} to {upper}").format(
        lower=ctx.t.money(lower, currency), upper=ctx.t.money(upper, currency)
    )


def _timeline_chart(ctx: Context, layers: dict[str, pd.DataFrame], currency: str | None) -> alt.LayerChart:
    _ = ctx._
    x = alt.X("day:T", title=_("Day"), axis=alt.Axis(format=AXIS_DATE_FORMAT.get(ctx.t.language, "%Y-%m-%d")))
    y_title = _("Amount") + f" ({currency or ''})"
    names = [_("Projected available balance"), _("Daily net flow"), _("Expected payout"), _("No payout")]
    color = alt.Color("series:N", title=None, scale=alt.Scale(domain=names,
                      range=["#1f77b4", "#2ca02c", "#ff7f0e", "#d62728"]), legend=alt.Legend(orient="bottom", labelLimit=400))  # fmt: skip
    tooltip = [alt.Tooltip("day:T", title=_("Day")), alt.Tooltip("series:N", title=_("Series")),
               alt.Tooltip("text:N", title=_("Amount"))]  # fmt: skip
    charts = [
        alt.Chart(layers["band"]).mark_area(opacity=0.25).encode(
            x=x, y=alt.Y("lower:Q", title=y_title), y2="upper:Q", color=color),
        alt.Chart(layers["lines"]).mark_line(point=True).encode(
            x=x, y=alt.Y("amount:Q", title=y_title), color=color, tooltip=tooltip),
        alt.Chart(layers["payouts"]).mark_rule(strokeWidth=2).encode(x=x, y="lower:Q", y2="upper:Q", color=color),
        alt.Chart(layers["payouts"]).mark_point(size=140, filled=True).encode(
            x=x, y=alt.Y("amount:Q", title=y_title), color=color,
            shape=alt.Shape("series:N", scale=alt.Scale(domain=names[2:], range=["diamond", "cross"]), legend=None),
            tooltip=[*tooltip, alt.Tooltip("marketplace:N", title=_("Marketplace"))]),
    ]  # fmt: skip
    return alt.layer(*charts).resolve_scale(shape="independent").properties(height=380)


def _payout_table(ctx: Context, payouts: pd.DataFrame) -> None:
    _, t = ctx._, ctx.t

    def interval(local: bool):
        suffix, currency = ("", "currency_code") if local else ("_reporting", "reporting_currency_code")
        return lambda row: "—" if row["payout_status"] == "NO_PAYOUT" else _interval(
            ctx, _value(row[f"payout_lower{suffix}_amount"]), _value(row[f"payout_upper{suffix}_amount"]),
            row[currency])  # fmt: skip

    def amount(local: bool):
        show = (money_of(ctx, "expected_payout_amount", "currency_code") if local
                else money_of(ctx, "expected_payout_reporting_amount", "reporting_currency_code"))  # fmt: skip
        return lambda row: (
            t.label("payout_status", "NO_PAYOUT") if row["payout_status"] == "NO_PAYOUT" else show(row)
        )

    def fx_source(row: pd.Series) -> str:
        label = t.label("fx_rate_source", _value(row["fx_rate_source"]))
        return label + (" " + _("(stale)") if bool(_value(row["is_fx_rate_stale"])) else "")

    def sequence_of(row: pd.Series) -> str:
        sequence = int(row["payout_sequence"])
        if sequence in PAYOUT_SEQUENCES:
            return _(PAYOUT_SEQUENCES[sequence])
        return _("Payout {number}").format(number=t.number(sequence))

    show_table(ctx, payouts, [
        Column("marketplace_id", "Marketplace", lambda r: marketplace_code(r["marketplace_id"])),
        Column("forecast_date", "Close date", date_of(ctx, "forecast_date")),
        Column("payout_sequence", "Payout", sequence_of),
        Column("payout_status", "Status", label_of(ctx, "payout_status", "payout_status")),
        Column("expected_payout_amount", "Amount", amount(local=True)),
        Column("payout_lower_amount", "80 % interval", interval(local=True)),
        Column("expected_payout_reporting_amount", "Amount (reporting currency)", amount(local=False)),
        Column("payout_lower_reporting_amount", "80 % interval (reporting currency)", interval(local=False)),
        Column("fx_rate_source", "Exchange rate source", fx_source),
    ], key="cashflow_payouts")  # fmt: skip


def _accuracy_section(ctx: Context, summary: pd.DataFrame) -> None:
    _, t = ctx._, ctx.t
    if not len(summary):
        st.info(_("Not enough history yet: accuracy is measured once past forecasts can be compared with what "
                  "happened (the first forecast needs {days} days of transactions).").format(
                      days=min_history_days()))  # fmt: skip
        return
    st.caption(_("Every past night's forecast against what happened. WAPE = sum of absolute errors / sum of "
                 "absolute realised values; coverage = share of realised values inside the 80 % interval."))  # fmt: skip
    by = st.radio(_("Accuracy by"), ["horizon", "marketplace"], horizontal=True, key="cashflow_accuracy_by",
                  format_func=lambda v: _("Horizon (days ahead)") if v == "horizon" else _("Marketplace"))  # fmt: skip
    frame = accuracy_by(ctx, by)
    if len(frame):
        frame = frame.assign(
            payout=[_(PAYOUT_SEQUENCES[int(s)]) for s in frame["payout_sequence"]],
            wape_value=frame["wape"].map(_float), coverage_value=frame["coverage"].map(_float),
            wape_text=[t.percent(_value(v)) for v in frame["wape"]],
            coverage_text=[t.percent(_value(v)) for v in frame["coverage"]],
            scored_text=[t.number(int(n)) for n in frame["scored_count"]],
        )  # fmt: skip
        if by == "horizon":
            x = alt.X("horizon_days:O", title=_("Horizon (days ahead)"))
        else:
            frame = frame.assign(market=[f"{marketplace_code(m)} · {c}" for m, c in
                                         zip(frame["marketplace_id"], frame["currency_code"], strict=True)])  # fmt: skip
            x = alt.X("market:N", title=_("Marketplace"))
        left, right = st.columns(2)
        with left:
            st.altair_chart(_accuracy_chart(ctx, frame, x, "wape_value", _("WAPE"), by), width="stretch")
        with right:
            st.altair_chart(_accuracy_chart(ctx, frame, x, "coverage_value", _("80 % interval coverage"), by),
                            width="stretch")  # fmt: skip
    else:
        st.info(_("No payout scored yet: a payout is scored once its settlement period has closed."))
    rows = []
    for measure, sequence, label in ACCURACY_ROWS:
        row = _summary_row(summary, measure, sequence)
        rows.append({"what": _(label), "scored_count": 0 if row is None else int(row["scored_count"]),
                     "wape": None if row is None else _value(row["wape"]),
                     "coverage": None if row is None else _value(row["coverage"])})  # fmt: skip
    show_table(ctx, pd.DataFrame(rows), [
        Column("what", "Forecast of"),
        Column("scored_count", "Forecasts scored", lambda r: t.number(int(r["scored_count"]))),
        Column("wape", "WAPE", lambda r: t.percent(_value(r["wape"]))),
        Column("coverage", "80 % interval coverage", lambda r: t.percent(_value(r["coverage"]))),
    ], key="cashflow_accuracy")  # fmt: skip


def _accuracy_chart(
    ctx: Context, frame: pd.DataFrame, x: alt.X, value: str, title: str, by: str
) -> alt.LayerChart:
    """A line per payout sequence over the horizons, or bars side by side per marketplace;
    the coverage chart draws the 80 % it aims at."""
    _ = ctx._
    chart = alt.Chart(frame).mark_line(point=True) if by == "horizon" else alt.Chart(frame).mark_bar()
    coverage = value == "coverage_value"
    y = alt.Y(f"{value}:Q", title=title, axis=alt.Axis(format="%"),
              scale=alt.Scale(domain=[0, 1]) if coverage else alt.Undefined)  # fmt: skip
    tooltip = [alt.Tooltip("payout:N", title=_("Payout")), alt.Tooltip("wape_text:N", title=_("WAPE")),
               alt.Tooltip("coverage_text:N", title=_("80 % interval coverage")),
               alt.Tooltip("scored_text:N", title=_("Forecasts scored"))]  # fmt: skip
    offset = {"xOffset": "payout:N"} if by == "marketplace" else {}
    layers = [chart.encode(x=x, y=y, color=alt.Color("payout:N", title=None, legend=alt.Legend(orient="bottom")),
                           tooltip=tooltip, **offset)]  # fmt: skip
    if coverage:
        aim = pd.DataFrame({"aim": [NOMINAL_COVERAGE]})
        layers.append(alt.Chart(aim).mark_rule(strokeDash=[4, 4], color="gray").encode(y="aim:Q"))
    return alt.layer(*layers).properties(height=300)
