"""Overview per marketplace: refunds, matched share, unreconciled amounts, settlements by status."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard.views.common import Column, Context, label_of, metric, money_of, show_table

MARTS = ("rpt_marketplace_refunds", "fct_settlement_reconciliation")


def refunds_by_marketplace(ctx: Context):
    """rpt_marketplace_refunds summed per marketplace and currency over the filtered periods."""
    where, params = ctx.filters.where("rpt_marketplace_refunds", reporting_currency_column="reporting_currency_code")
    return ctx.query(
        f"""
        select
            marketplace_code, currency_code, reporting_currency_code,
            sum(refund_count) as refund_count,
            sum(matched_count) as matched_count,
            sum(flagged_count) as flagged_count,
            sum(refund_net_amount) as refund_net_amount,
            sum(settlement_difference_amount) as settlement_difference_amount,
            sum(cash_difference_amount) as cash_difference_amount,
            sum(missing_report_line_amount) as missing_report_line_amount,
            sum(refund_net_reporting_amount) as refund_net_reporting_amount,
            sum(cash_difference_reporting_amount) as cash_difference_reporting_amount
        from rpt_marketplace_refunds
        where {where}
        group by all
        order by marketplace_code, currency_code
        """,
        params,
        ["rpt_marketplace_refunds"],
    )


def settlements_by_status(ctx: Context):
    where, params = ctx.filters.where("fct_settlement_reconciliation")
    return ctx.query(
        f"""
        select reconciliation_status, count(*) as payout_cycle_count
        from fct_settlement_reconciliation
        where {where}
        group by all
        order by reconciliation_status
        """,
        params,
        ["fct_settlement_reconciliation"],
    )


def render(ctx: Context) -> None:
    _, t = ctx._, ctx.t
    st.header(_("Overview"))
    frame = refunds_by_marketplace(ctx)
    refunds, matched = int(frame["refund_count"].sum()), int(frame["matched_count"].sum())
    reporting = frame["reporting_currency_code"].dropna().unique().tolist()
    currency = reporting[0] if reporting else ctx.filters.reporting_currency
    columns = st.columns(4)
    with columns[0]:
        metric(_("Refunds"), t.number(refunds))
    with columns[1]:
        # The mart's matched_share_rate (matched / refunds) over the filtered periods.
        metric(_("Matched share"), t.percent(matched / refunds) if refunds else "—")
    with columns[2]:
        metric(_("Refunded (reporting currency)"), t.money(frame["refund_net_reporting_amount"].sum(), currency))
    with columns[3]:
        metric(_("Cash difference (reporting currency)"),
               t.money(frame["cash_difference_reporting_amount"].sum(), currency))  # fmt: skip

    st.subheader(_("Refunds per marketplace"))
    show_table(ctx, frame, [
        Column("marketplace_code", "Marketplace"),
        Column("refund_count", "Refunds", lambda r: t.number(r["refund_count"])),
        Column("matched_count", "Matched", lambda r: t.number(r["matched_count"])),
        Column("flagged_count", "Flagged", lambda r: t.number(r["flagged_count"])),
        Column("refund_net_amount", "Refunded (local)", money_of(ctx, "refund_net_amount", "currency_code")),
        Column("settlement_difference_amount", "Settlement difference (local)",
               money_of(ctx, "settlement_difference_amount", "currency_code")),
        Column("cash_difference_amount", "Cash difference (local)",
               money_of(ctx, "cash_difference_amount", "currency_code")),
        Column("missing_report_line_amount", "Missing report lines (local)",
               money_of(ctx, "missing_report_line_amount", "currency_code")),
        Column("refund_net_reporting_amount", "Refunded (reporting currency)",
               money_of(ctx, "refund_net_reporting_amount", "reporting_currency_code")),
        Column("cash_difference_reporting_amount", "Cash difference (reporting currency)",
               money_of(ctx, "cash_difference_reporting_amount", "reporting_currency_code")),
    ], key="overview_refunds")  # fmt: skip

    chart_data = frame.assign(refunded=frame["refund_net_reporting_amount"].astype(float).abs())
    st.altair_chart(
        alt.Chart(chart_data).mark_bar().encode(
            x=alt.X("marketplace_code:N", title=_("Marketplace")),
            y=alt.Y("refunded:Q", title=_("Refunded (reporting currency)") + f" ({currency or ''})"),
            tooltip=["marketplace_code", "refund_count", "matched_count"],
        ),
        width="stretch",
    )

    st.subheader(_("Settlements by status"))
    statuses = settlements_by_status(ctx)
    statuses["status"] = [t.label("settlement_status", s) for s in statuses["reconciliation_status"]]
    st.altair_chart(
        alt.Chart(statuses).mark_bar().encode(
            x=alt.X("payout_cycle_count:Q", title=_("Payout cycles")),
            y=alt.Y("status:N", title=_("Status"), sort="-x"),
        ),
        width="stretch",
    )
    show_table(ctx, statuses, [
        Column("reconciliation_status", "Status", label_of(ctx, "settlement_status", "reconciliation_status")),
        Column("payout_cycle_count", "Payout cycles", lambda r: t.number(r["payout_cycle_count"])),
    ], key="overview_settlements")  # fmt: skip
