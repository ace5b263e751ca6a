"""Return-fraud risk: the buyers to look at first, why, and their returns.

A score is the chance, as the model and rules judge it, that a return is abuse;
it is a reason to look, never a verdict. Without Amazon's PII role a "buyer" is
a postal area, which the page says.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.views.common import Column, Context, date_of, label_of, metric, money_of, show_table

MARTS = ("fct_buyer_risk", "fct_return_risk_scores")
LEADERBOARD_SIZE = 50
REASON_COLUMNS = ("reason_code_1", "reason_code_2", "reason_code_3")


def buyers(ctx: Context) -> pd.DataFrame:
    return ctx.rows("fct_buyer_risk", "risk_score desc nulls last, buyer_risk_id", "risk_score is not null")


def returns_of(ctx: Context, buyer_key: str, seller_id: str, marketplace_id: str) -> pd.DataFrame:
    return ctx.rows(
        "fct_return_risk_scores", "event_at desc, return_id",
        f"buyer_key = '{_quoted(buyer_key)}' and seller_id = '{_quoted(seller_id)}'"
        f" and marketplace_id = '{_quoted(marketplace_id)}'",
    )  # fmt: skip


def high_risk_returns(ctx: Context) -> pd.DataFrame:
    return ctx.rows("fct_return_risk_scores", "risk_score desc, return_id", "risk_band = 'high'")


def _quoted(value: str) -> str:
    # Keys are hex hashes, ids and codes; doubling quotes keeps any other value a literal.
    return str(value).replace("'", "''")


def reasons_of(ctx: Context):
    """The row's reason codes in plain words, most important first."""
    def show(row: pd.Series) -> str:
        codes = [row[c] for c in REASON_COLUMNS if isinstance(row.get(c), str) and row[c]]
        return "; ".join(ctx.t.label("risk_reason", c) for c in codes) or "—"

    return show


def short_key(row: pd.Series) -> str:
    """Enough of a hashed key to tell buyers apart on screen; the full key is in the exports."""
    key = str(row["buyer_key"])
    return key if len(key) <= 14 else key[:6] + "…" + key[-6:]


def render(ctx: Context) -> None:
    _, t = ctx._, ctx.t
    st.header(_("Return-fraud risk"))
    leaderboard = buyers(ctx)
    risky_returns = high_risk_returns(ctx)
    currency = ctx.filters.reporting_currency or next(
        iter(risky_returns.get("reporting_currency_code", pd.Series(dtype=object)).dropna()), None
    )
    columns = st.columns(3)
    with columns[0]:
        metric(_("High-risk buyers"), t.number(int((leaderboard["risk_band"] == "high").sum())))
    with columns[1]:
        metric(_("High-risk returns"), t.number(len(risky_returns)))
    with columns[2]:
        metric(_("Refunded on high-risk returns (reporting currency)"),
               t.money(risky_returns["reporting_refund_amount"].sum(), currency))  # fmt: skip
    st.caption(_("A score is the chance that a return is abuse, judged from the returns, refunds and orders "
                 "Amazon gives the seller: a reason to look before refunding, never a verdict."))  # fmt: skip
    if len(leaderboard) and (leaderboard["buyer_key_kind"] == "postal_area").any():
        st.info(_("Without Amazon's PII role buyers cannot be told apart: a postal area stands for them, "
                  "so repeat and shared-address patterns are weaker."))  # fmt: skip
    versions = sorted({v for v in leaderboard.get("model_version", pd.Series(dtype=object)).dropna()})
    if versions:
        st.caption(_("Model version: {version}").format(version=", ".join(versions)))

    top = leaderboard.head(LEADERBOARD_SIZE)
    if len(top):
        bands = top.assign(band=[t.label("risk_band", b) for b in top["risk_band"]],
                           score=top["risk_score"].astype(float), buyer=top.apply(short_key, axis=1))  # fmt: skip
        st.altair_chart(
            alt.Chart(bands.head(20)).mark_bar().encode(
                x=alt.X("score:Q", title=_("Risk score"), scale=alt.Scale(domain=[0, 1])),
                y=alt.Y("buyer:N", title=_("Buyer"), sort="-x"),
                color=alt.Color("band:N", title=_("Risk band")),
            ),
            width="stretch",
        )
    st.subheader(_("Buyers to review"))
    show_table(ctx, top, [
        Column("marketplace_code", "Marketplace"),
        Column("buyer_key", "Buyer", short_key),
        Column("buyer_key_kind", "Identified by", label_of(ctx, "buyer_key_kind", "buyer_key_kind")),
        Column("risk_score", "Risk score", lambda r: t.percent(r["risk_score"])),
        Column("risk_band", "Risk band", label_of(ctx, "risk_band", "risk_band")),
        Column("returns_90d", "Returns (90 days)", lambda r: t.number(int(r["returns_90d"]))),
        Column("reporting_refund_amount_365d", "Refunded, 365 days (reporting currency)",
               money_of(ctx, "reporting_refund_amount_365d", "reporting_currency_code")),
        Column("reason_code_1", "Why", reasons_of(ctx)),
        Column("last_return_at", "Last return", date_of(ctx, "last_return_at")),
    ], key="risk_buyers")  # fmt: skip

    st.subheader(_("Returns of a buyer"))
    ids = top["buyer_risk_id"].tolist()
    chosen = st.selectbox(_("Buyer"), ids, index=None, key="risk_buyer",
                          format_func=lambda i: _buyer_title(ctx, top, i), placeholder=_("Choose a buyer"))  # fmt: skip
    if chosen:
        row = top.loc[top["buyer_risk_id"] == chosen].iloc[0]
        frame = returns_of(ctx, row["buyer_key"], row["seller_id"], row["marketplace_id"])
        # The reasons as text, not only in the table: the grid draws on a canvas.
        st.markdown(f"**{_('Why')}:** {reasons_of(ctx)(row)}")
        inner = st.columns(2)
        with inner[0]:
            metric(_("Returns scored"), t.number(len(frame)))
        with inner[1]:
            metric(_("Refunded on these returns"), t.money(frame["refund_amount"].sum(), row["currency_code"]))
        show_table(ctx, frame, [
            Column("event_local_date", "Date (local)", date_of(ctx, "event_local_date")),
            Column("order_id", "Order"),
            Column("sku", "SKU"),
            Column("seller_product_name", "Product"),
            Column("return_reason", "Return reason"),
            Column("return_disposition", "Condition"),
            Column("return_status", "Return status"),
            Column("refund_amount", "Refunded", money_of(ctx, "refund_amount", "currency_code")),
            Column("risk_score", "Risk score", lambda r: t.percent(r["risk_score"])),
            Column("reason_code_1", "Why", reasons_of(ctx)),
        ], key="risk_returns")  # fmt: skip


def _buyer_title(ctx: Context, frame: pd.DataFrame, buyer_risk_id: str) -> str:
    row = frame.loc[frame["buyer_risk_id"] == buyer_risk_id].iloc[0]
    return f"{row['marketplace_code']} · {short_key(row)} · {ctx.t.percent(row['risk_score'])}"
