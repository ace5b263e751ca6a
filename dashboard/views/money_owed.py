"""Money owed: claims by type, amount, status and deadline, with the evidence to copy."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard.views.common import Column, Context, date_of, label_of, metric, money_of, show_table

MARTS = ("fct_money_owed",)


def claims(ctx: Context):
    return ctx.rows("fct_money_owed", "deadline_date nulls last, money_owed_id")


def render(ctx: Context) -> None:
    _, t = ctx._, ctx.t
    st.header(_("Money owed"))
    frame = claims(ctx)
    eligible = frame[frame["status"] == "eligible"]
    currency = ctx.filters.reporting_currency or next(iter(frame["reporting_currency_code"].dropna()), None)
    columns = st.columns(3)
    with columns[0]:
        metric(_("Claims to file"), t.number(len(eligible)))
    with columns[1]:
        metric(_("Amount to claim (reporting currency)"), t.money(eligible["reporting_amount"].sum(), currency))
    with columns[2]:
        metric(_("Next deadline"), t.date(eligible["deadline_date"].min()) if len(eligible) else "—")

    by_type = frame.groupby(["claim_type", "status"], as_index=False)["reporting_amount"].sum()
    by_type["type"] = [t.label("claim_type", c) for c in by_type["claim_type"]]
    by_type["state"] = [t.label("claim_status", s) for s in by_type["status"]]
    by_type["amount"] = by_type["reporting_amount"].astype(float)
    st.altair_chart(
        alt.Chart(by_type).mark_bar().encode(
            x=alt.X("amount:Q", title=_("Amount (reporting currency)") + f" ({currency or ''})"),
            y=alt.Y("type:N", title=_("Claim type"), sort="-x"),
            color=alt.Color("state:N", title=_("Status")),
        ),
        width="stretch",
    )
    show_table(ctx, frame, [
        Column("claim_type", "Claim type", label_of(ctx, "claim_type", "claim_type")),
        Column("status", "Status", label_of(ctx, "claim_status", "status")),
        Column("marketplace_code", "Marketplace"),
        Column("order_id", "Order"),
        Column("sku", "SKU"),
        Column("seller_product_name", "Product"),
        Column("amount", "Amount", money_of(ctx, "amount", "currency_code")),
        Column("reporting_amount", "Amount (reporting currency)",
               money_of(ctx, "reporting_amount", "reporting_currency_code")),
        Column("file_from_date", "File from", date_of(ctx, "file_from_date")),
        Column("deadline_date", "Deadline", date_of(ctx, "deadline_date")),
        Column("money_owed_id", "Claim"),
    ], key="money_owed_claims")  # fmt: skip

    st.subheader(_("Evidence"))
    chosen = st.selectbox(_("Claim"), frame["money_owed_id"].tolist(), index=None, key="money_owed_claim",
                          format_func=lambda i: _claim_title(ctx, frame, i),
                          placeholder=_("Choose a claim"))  # fmt: skip
    if chosen:
        # st.code has a copy button: the record goes into Amazon's case form as it is.
        st.code(frame.loc[frame["money_owed_id"] == chosen, "evidence"].iloc[0], language=None, wrap_lines=True)


def _claim_title(ctx: Context, frame, money_owed_id: str) -> str:
    row = frame.loc[frame["money_owed_id"] == money_owed_id].iloc[0]
    return f"{ctx.t.label('claim_type', row['claim_type'])} · {row['order_id']} · " + ctx.t.money(
        row["amount"], row["currency_code"]
    )
