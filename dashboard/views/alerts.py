"""Dispute alerts by due time (UTC and the marketplace's local time), and refund
decisions waiting for review."""

from __future__ import annotations

import streamlit as st

from dashboard.views.common import Column, Context, date_of, label_of, metric, money_of, show_table

MARTS = ("fct_dispute_alerts", "fct_refund_decisions")


def alerts(ctx: Context):
    return ctx.rows("fct_dispute_alerts", "is_open desc, due_at nulls last, alert_id")


def decisions_to_review(ctx: Context):
    return ctx.rows("fct_refund_decisions", "return_requested_at, return_id", "decision = 'manual_review'")


def render(ctx: Context) -> None:
    _, t = ctx._, ctx.t
    st.header(_("Dispute alerts and refund decisions"))
    frame = alerts(ctx)
    reviews = decisions_to_review(ctx)
    open_alerts = frame[frame["is_open"].astype(bool)]
    columns = st.columns(3)
    with columns[0]:
        metric(_("Open alerts"), t.number(len(open_alerts)))
    with columns[1]:
        metric(_("Breached alerts"), t.number(int((frame["status"] == "breached").sum())))
    with columns[2]:
        metric(_("Refunds waiting for review"), t.number(len(reviews)))

    st.subheader(_("Dispute alerts by due time"))
    show_table(ctx, frame, [
        Column("alert_type", "Alert", label_of(ctx, "alert_type", "alert_type")),
        Column("severity", "Severity", label_of(ctx, "severity", "severity")),
        Column("status", "Status", label_of(ctx, "alert_status", "status")),
        Column("marketplace_code", "Marketplace"),
        Column("order_id", "Order"),
        Column("due_at", "Due (UTC)", lambda r: t.datetime(r["due_at"], "UTC")),
        Column("due_at", "Due (marketplace time)", lambda r: t.datetime(r["due_at"], r["time_zone"] or "UTC")),
        Column("due_local_date", "Due (local date)", date_of(ctx, "due_local_date")),
        Column("claim_amount", "Claim amount", money_of(ctx, "claim_amount", "currency_code")),
    ], key="alerts_alerts")  # fmt: skip

    st.subheader(_("Refund decisions waiting for review"))
    show_table(ctx, reviews, [
        Column("marketplace_code", "Marketplace"),
        Column("return_id", "Return"),
        Column("order_id", "Order"),
        Column("sku", "SKU"),
        Column("seller_product_name", "Product"),
        Column("decision_rule", "Why", label_of(ctx, "decision_rule", "decision_rule")),
        Column("request_amount", "Amount", money_of(ctx, "request_amount", "currency_code")),
        Column("request_reporting_amount", "Amount (reporting currency)",
               money_of(ctx, "request_reporting_amount", "reporting_currency_code")),
        Column("request_local_date", "Requested (local date)", date_of(ctx, "request_local_date")),
    ], key="alerts_decisions")  # fmt: skip
