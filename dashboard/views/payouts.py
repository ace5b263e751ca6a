"""Payouts: open and closed payout groups, expected deposits, report-missing groups,
and a settlement's lines on request."""

from __future__ import annotations

import streamlit as st

from dashboard.views.common import (
    Column,
    Context,
    date_of,
    label_of,
    marketplace_code,
    metric,
    money_of,
    show_table,
    yes_no,
)

MARTS = ("fct_payouts", "fct_settlement_reconciliation", "fct_transaction_settlement_reconciliation")


def payouts(ctx: Context):
    return ctx.rows("fct_payouts", "group_started_at desc nulls first, financial_event_group_id")


def settlement_lines(ctx: Context, settlement_id: str):
    """The transactions a settlement carries, with their reconciliation status."""
    return ctx.query(
        """
        select *
        from fct_transaction_settlement_reconciliation
        where settlement_id = ?
        order by posted_at, transaction_id
        """,
        [settlement_id],
        ["fct_transaction_settlement_reconciliation"],
    )


def settlement(ctx: Context, settlement_id: str):
    return ctx.query(
        "select * from fct_settlement_reconciliation where settlement_id = ?",
        [settlement_id],
        ["fct_settlement_reconciliation"],
    )


def render(ctx: Context) -> None:
    _, t = ctx._, ctx.t
    st.header(_("Payouts"))
    frame = payouts(ctx)
    expected = frame[frame["is_deposit_expected"].fillna(False).astype(bool)]
    currency = ctx.filters.reporting_currency or next(iter(frame["reporting_currency_code"].dropna()), None)
    columns = st.columns(4)
    with columns[0]:
        metric(_("Open payout groups"), t.number(int((~frame["is_closed"].astype(bool)).sum())))
    with columns[1]:
        metric(_("Closed payout groups"), t.number(int(frame["is_closed"].astype(bool).sum())))
    with columns[2]:
        metric(_("Expected deposits (reporting currency)"),
               t.money(expected["expected_deposit_reporting_amount"].sum(), currency))  # fmt: skip
    with columns[3]:
        metric(_("Report missing"), t.number(int(frame["report_missing"].fillna(False).astype(bool).sum())))

    group_columns = [
        Column("marketplace_id", "Marketplace", lambda r: marketplace_code(r["marketplace_id"])),
        Column("financial_event_group_id", "Payout group"),
        Column("settlement_id", "Settlement"),
        Column("group_started_at", "Starts", date_of(ctx, "group_started_at")),
        Column("group_ended_at", "Ends", date_of(ctx, "group_ended_at")),
        Column("reconciliation_status", "Status", label_of(ctx, "settlement_status", "reconciliation_status")),
        Column("original_total_amount", "Total", money_of(ctx, "original_total_amount", "original_currency_code")),
        Column("expected_transfer_date", "Expected deposit", date_of(ctx, "expected_transfer_date")),
        Column("expected_deposit_reporting_amount", "Expected deposit (reporting currency)",
               money_of(ctx, "expected_deposit_reporting_amount", "reporting_currency_code")),
        Column("report_missing", "Report missing", yes_no(ctx, "report_missing")),
    ]  # fmt: skip
    open_tab, closed_tab, missing_tab = st.tabs([_("Open"), _("Closed"), _("Report missing")])
    with open_tab:
        show_table(ctx, frame[~frame["is_closed"].astype(bool)], group_columns, key="payouts_open")
    with closed_tab:
        show_table(ctx, frame[frame["is_closed"].astype(bool)], group_columns, key="payouts_closed")
    with missing_tab:
        show_table(ctx, frame[frame["report_missing"].fillna(False).astype(bool)], group_columns,
                   key="payouts_missing")  # fmt: skip

    st.subheader(_("Settlement lines"))
    settlement_ids = [s for s in frame["settlement_id"].dropna().unique().tolist()]
    chosen = st.selectbox(_("Settlement"), settlement_ids, index=None, key="payouts_settlement",
                          placeholder=_("Choose a settlement"))  # fmt: skip
    if chosen:
        head = settlement(ctx, chosen)
        if len(head):
            row = head.iloc[0]
            cells = st.columns(3)
            with cells[0]:
                metric(_("Reported total"), t.money(row["reported_total_amount"], row["currency_code"]))
            with cells[1]:
                metric(_("Lines total"), t.money(row["lines_total_amount"], row["currency_code"]))
            with cells[2]:
                metric(_("Lines"), t.number(int(row["settlement_line_count"])))
        lines = settlement_lines(ctx, chosen)
        show_table(ctx, lines, [
            Column("transaction_id", "Transaction"),
            Column("transaction_type", "Type", label_of(ctx, "transaction_type", "transaction_type")),
            Column("order_id", "Order"),
            Column("posted_local_date", "Posted (local date)", date_of(ctx, "posted_local_date")),
            Column("net_amount", "Amount", money_of(ctx, "net_amount", "currency_code")),
            Column("settled_amount", "Settled", money_of(ctx, "settled_amount", "currency_code")),
            Column("reconciliation_status", "Status", label_of(ctx, "line_status", "reconciliation_status")),
        ], key="payouts_lines")  # fmt: skip

