"""The dbt project on Apache Spark (dbt-spark, session method) gives DuckDB's refund mart.

dbt-spark and pyspark are not in requirements.txt (a JVM and about 400 MB), so
this runs only when ACORN_SPARK_PYTHON points at a Python that has them, e.g.

    python3.11 -m venv /tmp/spark-venv
    /tmp/spark-venv/bin/pip install 'dbt-core~=1.11.0' 'dbt-spark[session]==1.11.0' 'pyspark==4.3.0'
    ACORN_SPARK_PYTHON=/tmp/spark-venv/bin/python pytest -m spark tests/dbt/test_spark_portability.py

CI does not install Spark and skips it. Needs Java 17 on PATH; about 3-4 minutes.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.dbt.warehouse_query import query as _query

pytestmark = pytest.mark.spark

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt"
SPARK_PYTHON = os.environ.get("ACORN_SPARK_PYTHON", "")


def _spark_python_or_skip() -> str:
    if not SPARK_PYTHON:
        pytest.skip(
            "ACORN_SPARK_PYTHON is not set: dbt-spark/pyspark are not installed in CI "
            "(see this module's docstring to run it)"
        )
    probe = subprocess.run(
        [SPARK_PYTHON, "-c", "import dbt.adapters.spark, pyspark"], capture_output=True, text=True
    )
    if probe.returncode != 0:
        pytest.skip(f"ACORN_SPARK_PYTHON={SPARK_PYTHON} has no dbt-spark/pyspark: {probe.stderr[-300:]}")
    return SPARK_PYTHON


@pytest.fixture(scope="module")
def spark_python() -> str:
    return _spark_python_or_skip()


@pytest.fixture(scope="module")
def small_lake(spark_python, tmp_path_factory) -> Path:
    from acorn_sim.world.lake_export import export_lake
    from acorn_sim.world.store import WorldParams, write_world

    root = tmp_path_factory.mktemp("spark-world")
    params = WorldParams(seed=5, start=date(2026, 8, 1), days=30, marketplaces=("US", "DE", "JP"),
                         base_orders_per_day=8.0)  # fmt: skip
    write_world(params, root / "world")
    counts = export_lake(root / "world", root / "lake")
    assert counts["transactions"] > 0
    return root / "lake"


@pytest.fixture(scope="module")
def duckdb_warehouse(small_lake, tmp_path_factory) -> Path:
    from acorn.warehouse import build

    out = tmp_path_factory.mktemp("duckdb-warehouse")
    build(small_lake, out / "acorn.duckdb", target_path=out / "target")
    return out / "acorn.duckdb"


@pytest.fixture(scope="module")
def spark_warehouse(spark_python, small_lake, tmp_path_factory) -> Path:
    """`dbt build --target spark`; returns Spark's warehouse dir (<schema>.db/<table>/*.parquet)."""
    from acorn.cashflow.pipeline import ensure_forecast_readable
    from acorn.risk.scores import ensure_scores_readable

    spark_dir = tmp_path_factory.mktemp("spark")
    ensure_scores_readable(spark_dir / "risk")  # what acorn.warehouse does before each dbt run
    ensure_forecast_readable(spark_dir / "cashflow")
    env = {
        **os.environ,
        "ACORN_SPARK_DIR": str(spark_dir),
        "ACORN_LAKE_DIR": str(small_lake),
        "ACORN_RISK_DIR": str(spark_dir / "risk"),
        "ACORN_CASHFLOW_DIR": str(spark_dir / "cashflow"),
        "DBT_TARGET_PATH": str(spark_dir / "target"),
        "DBT_LOG_PATH": str(spark_dir / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "PYTHONWARNINGS": "ignore",
    }
    env.pop("DUCKDB_PATH", None)
    args = ["build", "--target", "spark", "--project-dir", str(DBT_PROJECT_DIR),
            "--profiles-dir", str(DBT_PROJECT_DIR), "--no-use-colors"]  # fmt: skip
    run = subprocess.run(
        [spark_python, "-c", "from dbt.cli.main import cli; cli()", *args],
        env=env, cwd=spark_dir, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    summary = [line for line in run.stdout.splitlines() if "Done. PASS=" in line]
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert summary and "ERROR=0" in summary[-1] and "SKIP=0" in summary[-1], summary
    return spark_dir / "warehouse"



def test_refund_mart_matches_duckdb(duckdb_warehouse, spark_warehouse):
    """Same refund lines, same net money per currency and the same reconciliation outcome."""
    spark_mart = f"read_parquet('{spark_warehouse}/marts.db/fct_refund_reconciliation/*.parquet')"
    by_currency = (
        "select currency_code, count(*), sum(net_amount), "
        "count(case when reconciliation_status = 'matched' then 1 end) "
        "from {} group by 1 order by 1"
    )
    duck = _query(duckdb_warehouse, by_currency.format("marts.fct_refund_reconciliation"))
    spark = _query(duckdb_warehouse, by_currency.format(spark_mart))
    assert duck, "the DuckDB refund mart is empty: the comparison would prove nothing"
    assert spark == duck


def test_return_risk_features_match_duckdb(duckdb_warehouse, spark_warehouse):
    """The look-back windows (numeric range frames over epoch microseconds) and flags agree."""
    spark_table = f"read_parquet('{spark_warehouse}/intermediate.db/int_return_risk_features/*.parquet')"
    totals = (
        "select count(*), sum(buyer_returns_30d), sum(buyer_returns_90d), sum(buyer_returns_365d),"
        " sum(buyer_orders_365d), sum(address_buyer_keys), sum(address_returns_365d),"
        " sum(cast(is_late_in_window as int)), sum(cast(is_reason_disposition_contradiction as int)),"
        " sum(cast(is_refund_without_return as int)), sum(refund_amount),"
        " round(sum(days_before_window_end), 6), round(sum(sku_return_rate), 6) from {}"
    )
    duck = _query(duckdb_warehouse, totals.format("intermediate.int_return_risk_features"))
    spark = _query(duckdb_warehouse, totals.format(spark_table))
    assert duck and int(duck[0][0]) > 0, "no returns: the comparison would prove nothing"
    assert spark == duck
