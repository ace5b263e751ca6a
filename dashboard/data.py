"""What the dashboard reads: the nightly exports (Parquet), never the warehouse file.

DuckDB allows one writer and a reader's lock would block the nightly build, so the
dashboard reads the marts as exported after each build (`data/exports/<mart>/<mart>.parquet`,
replaced atomically, so a reader sees the old file or the new one) through an in-memory
DuckDB connection. Queries here only filter, group and sum mart columns: every figure is
the mart's own (tests compare them with the warehouse).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

# The pipeline's own tables, exported beside the marts (Data health page).
PIPELINE_TABLES = ("source_freshness", "quarantined_records", "pipeline_runs")
STALE_AFTER = timedelta(hours=36)
# The date each mart's rows are filtered by in the period filter; the filter's default
# range spans them all, so the default hides no row.
PERIOD_COLUMNS: dict[str, str] = {
    "rpt_marketplace_refunds": "settlement_started_at",
    "fct_settlement_reconciliation": "settlement_started_at",
    "fct_payouts": "group_started_at",
    "fct_money_owed": "anchor_local_date",
    "fct_dispute_alerts": "due_local_date",
    "fct_refund_decisions": "request_local_date",
    "fct_return_risk_scores": "event_local_date",
    "fct_transaction_settlement_reconciliation": "posted_at",
    # The forecast itself is the latest night's 28 days ahead: no period narrows it.
    "fct_cashflow_forecast_accuracy": "forecast_origin_date",
}


class ExportsMissingError(RuntimeError):
    """No manifest yet: the nightly build (or `make demo`) has not exported anything."""


@dataclass(frozen=True)
class Exports:
    root: Path
    manifest: dict[str, Any]

    @property
    def built_at(self) -> datetime | None:
        value = self.manifest.get("built_at")
        return datetime.fromisoformat(value) if value else None

    def path(self, table: str) -> Path | None:
        """The Parquet file of a mart or pipeline table, None when it was not exported."""
        for section in ("marts", "pipeline"):
            for entry in self.manifest.get(section, []):
                name = entry.get("mart") or entry.get("name") or entry.get("table")
                if name == table and entry.get("parquet"):
                    return self.root / entry["parquet"]
        return None

    def columns(self, table: str) -> set[str]:
        """The columns the manifest lists for a mart or pipeline table."""
        for section in ("marts", "pipeline"):
            for entry in self.manifest.get(section, []):
                if table in (entry.get("mart"), entry.get("name")):
                    return {c["name"] for c in entry.get("columns", [])}
        return set()

    def has(self, table: str) -> bool:
        path = self.path(table)
        return path is not None and path.exists()


def load_exports(root: str | Path) -> Exports:
    root = Path(root)
    manifest = root / "manifest.json"
    if not manifest.exists():
        raise ExportsMissingError(str(manifest))
    return Exports(root, json.loads(manifest.read_text(encoding="utf-8")))


def query(exports: Exports, sql: str, params: Sequence[Any] = (), tables: Sequence[str] = ()) -> pd.DataFrame:
    """Run `sql` over views named after the exported tables it uses (`tables`)."""
    with duckdb.connect(":memory:") as con:
        con.execute("set TimeZone = 'UTC'")
        for table in tables:
            path = exports.path(table)
            if path is None or not path.exists():
                raise ExportsMissingError(f"{table} is not in the exports at {exports.root}")
            escaped = str(path).replace("'", "''")
            con.execute(f"create view {table} as select * from read_parquet('{escaped}')")
        return con.execute(sql, list(params)).df()


@dataclass(frozen=True)
class Filters:
    """The sidebar's choices; empty tuples mean "all"."""

    seller_ids: tuple[str, ...] = ()
    marketplace_ids: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    reporting_currency: str | None = None

    def where(self, mart: str, *, marketplace_column: str = "marketplace_id",
              reporting_currency_column: str | None = None) -> tuple[str, list[Any]]:  # fmt: skip
        """A WHERE clause (and its parameters) for a mart (its period column: PERIOD_COLUMNS)."""
        date_column = PERIOD_COLUMNS.get(mart)
        clauses, params = ["true"], []
        if self.seller_ids:
            clauses.append(f"seller_id in ({', '.join('?' * len(self.seller_ids))})")
            params += self.seller_ids
        if self.marketplace_ids:
            clauses.append(f"{marketplace_column} in ({', '.join('?' * len(self.marketplace_ids))})")
            params += self.marketplace_ids
        if date_column and self.start:
            # Rows with no date yet (an open period, say) stay: they are the newest.
            clauses.append(f"({date_column} is null or cast({date_column} as date) >= ?)")
            params.append(self.start)
        if date_column and self.end:
            clauses.append(f"({date_column} is null or cast({date_column} as date) <= ?)")
            params.append(self.end)
        if reporting_currency_column and self.reporting_currency:
            clauses.append(f"{reporting_currency_column} = ?")
            params.append(self.reporting_currency)
        return " and ".join(clauses), params


def filter_options(exports: Exports) -> dict[str, list[Any]]:
    """Sellers, marketplaces, reporting currencies and the date range the marts hold."""
    marts = [mart for mart in PERIOD_COLUMNS if exports.has(mart)]
    rows = " union all ".join(
        f"select seller_id, marketplace_id, cast({PERIOD_COLUMNS[mart]} as date) as day from {mart}"
        for mart in marts
    )
    options = query(
        exports,
        f"""
        select
            list(distinct seller_id order by seller_id) as sellers,
            list(distinct marketplace_id order by marketplace_id) as marketplaces,
            min(day) as first_date,
            max(day) as last_date
        from ({rows})
        """,
        tables=marts,
    ).iloc[0]
    currencies = query(
        exports,
        "select distinct reporting_currency_code from fct_payouts order by 1",
        tables=["fct_payouts"],
    )["reporting_currency_code"].dropna().tolist()
    return {
        "sellers": list(options["sellers"]),
        "marketplaces": list(options["marketplaces"]),
        "first_date": options["first_date"],
        "last_date": options["last_date"],
        "reporting_currencies": currencies,
    }


def last_successful_night(exports: Exports) -> datetime | None:
    """When the last build that exported finished (pipeline_runs, else the manifest)."""
    if exports.has("pipeline_runs"):
        runs = query(exports, "select max(built_at) as built_at from pipeline_runs", tables=["pipeline_runs"])
        value = runs.iloc[0]["built_at"]
        if value is not None and not pd.isna(value):
            value = pd.Timestamp(value).to_pydatetime()
            return value if value.tzinfo else value.replace(tzinfo=UTC)
    return exports.built_at


def is_stale(last_success: datetime | None, now: datetime) -> bool:
    """The data is stale when no night succeeded within STALE_AFTER (or none ever did)."""
    return last_success is None or now - last_success > STALE_AFTER
