"""Data health: when each source last landed, quarantined records with their rule and
reason, the last run's summary, and a warning when the last good night is too old."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from dashboard.data import STALE_AFTER, is_stale, last_successful_night
from dashboard.views.common import Column, Context, marketplace_code, metric, show_table

MARTS = ()  # the pipeline's own tables, exported beside the marts


def render(ctx: Context, now: datetime | None = None) -> None:
    _, t = ctx._, ctx.t
    st.header(_("Data health"))
    now = now or datetime.now(UTC)
    last_success = last_successful_night(ctx.exports)
    if is_stale(last_success, now):
        st.error(_("Stale data: the last successful night is older than {hours} hours ({when}).").format(
            hours=int(STALE_AFTER.total_seconds() // 3600), when=t.datetime(last_success)))  # fmt: skip
    columns = st.columns([2, 1, 1])
    with columns[0]:
        metric(_("Last successful night"), t.datetime(last_success))
    with columns[1]:
        metric(_("Marts exported"), t.number(len(ctx.exports.manifest.get("marts", []))))
    quarantined = _table(ctx, "quarantined_records")
    with columns[2]:
        metric(_("Quarantined records"), t.number(0 if quarantined is None else len(quarantined)))

    st.subheader(_("Sources"))
    freshness = _table(ctx, "source_freshness")
    if freshness is None:
        st.info(_("Not exported yet."))
    else:
        show_table(ctx, freshness, [
            Column("source", "Source"),
            Column("seller_id", "Seller"),
            Column("marketplace_id", "Marketplace", lambda r: marketplace_code(r["marketplace_id"])),
            Column("last_landed_at", "Last landed (UTC)", lambda r: t.datetime(_when(r["last_landed_at"]))),
            Column("records_landed_last_run", "Landed last run",
                   lambda r: t.number(_int(r.get("records_landed_last_run")))),
            Column("records_quarantined_last_run", "Quarantined last run",
                   lambda r: t.number(_int(r.get("records_quarantined_last_run")))),
        ], key="health_sources")  # fmt: skip

    st.subheader(_("Quarantined records"))
    if quarantined is None or not len(quarantined):
        st.success(_("No record is quarantined."))
    else:
        show_table(ctx, quarantined, [
            Column("run_id", "Run"),
            Column("source", "Source"),
            Column("marketplace_id", "Marketplace", lambda r: marketplace_code(r["marketplace_id"])),
            Column("record_key", "Record"),
            Column("rule", "Rule"),
            Column("reason", "Reason"),
        ], key="health_quarantine")  # fmt: skip

    st.subheader(_("Last runs"))
    runs = _table(ctx, "pipeline_runs", order_by="built_at desc")
    if runs is None:
        st.info(_("Not exported yet."))
    else:
        show_table(ctx, runs, [
            Column("built_at", "Built (UTC)", lambda r: t.datetime(_when(r["built_at"]))),
            Column("status", "Status"),
            Column("extraction_run_id", "Extraction run"),
            Column("records_landed", "Records landed", lambda r: t.number(_int(r.get("records_landed")))),
            Column("records_quarantined", "Quarantined", lambda r: t.number(_int(r.get("records_quarantined")))),
            Column("failed_sources", "Failed sources", lambda r: t.number(_int(r.get("failed_sources")))),
            Column("dbt_invocation_id", "dbt invocation"),
        ], key="health_runs")  # fmt: skip


def _table(ctx: Context, name: str, order_by: str | None = None):
    if not ctx.exports.has(name):
        return None
    return ctx.query(f"select * from {name}" + (f" order by {order_by}" if order_by else ""), tables=[name])


def _when(value) -> datetime | None:
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    value = pd.Timestamp(value).to_pydatetime()
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _int(value) -> int | None:
    import pandas as pd

    return None if value is None or pd.isna(value) else int(value)
