"""Typed settings read from the environment (once, inside functions, never at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Connection ids: one per seller and region. Further sellers use spapi_<region>_<n>.
SPAPI_CONN_PREFIX = "spapi_"
SPAPI_REGION_CONN_IDS = ("spapi_na", "spapi_eu", "spapi_fe")
PII_HASH_KEY_VARIABLE = "acorn_pii_hash_key"

# Airflow pools that keep concurrent tasks inside the SP-API's per-operation limits.
POOL_SPAPI_FINANCES = "spapi_finances"
POOL_SPAPI_REPORTS = "spapi_reports"
POOL_SPAPI_ORDERS = "spapi_orders"
POOL_DUCKDB_WRITER = "duckdb_writer"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    lake_dir: Path
    audit_dir: Path
    quarantine_dir: Path
    duckdb_path: Path
    exports_dir: Path  # the marts as Parquet and CSV for BI tools and the dashboard
    docs_dir: Path  # dbt's static docs site (catalog and lineage)
    risk_dir: Path  # return-fraud models (versioned artefacts) and the score files dbt reads
    cashflow_dir: Path  # the cash-flow forecast file dbt reads (source cashflow)
    retention_days: int
    lookback_days: int
    max_bad_share: float


def load_settings() -> Settings:
    data_dir = Path(os.environ.get("ACORN_DATA_DIR", PROJECT_ROOT / "data"))
    risk_dir = Path(os.environ.get("ACORN_RISK_DIR", data_dir / "risk"))
    return Settings(
        data_dir=data_dir,
        lake_dir=Path(os.environ.get("ACORN_LAKE_DIR", data_dir / "lake")),
        audit_dir=Path(os.environ.get("ACORN_AUDIT_DIR", data_dir / "audit")),
        quarantine_dir=Path(os.environ.get("ACORN_QUARANTINE_DIR", data_dir / "quarantine")),
        duckdb_path=Path(os.environ.get("DUCKDB_PATH", data_dir / "warehouse" / "acorn.duckdb")),
        exports_dir=Path(os.environ.get("ACORN_EXPORTS_DIR", data_dir / "exports")),
        docs_dir=Path(os.environ.get("ACORN_DOCS_DIR", data_dir / "docs")),
        risk_dir=risk_dir,
        # Beside the risk files, as acorn.warehouse finds it for dbt.
        cashflow_dir=Path(os.environ.get("ACORN_CASHFLOW_DIR", risk_dir.parent / "cashflow")),
        retention_days=int(os.environ.get("ACORN_RETENTION_DAYS", "180")),
        lookback_days=int(os.environ.get("ACORN_LOOKBACK_DAYS", "3")),
        max_bad_share=float(os.environ.get("ACORN_MAX_BAD_SHARE", "0.05")),
    )
