"""The nightly exports (acorn.exports), dbt docs and exposures on a small built warehouse.

The session's small world (`world_30d` in tests/conftest.py: seed 5, 30 days, US/DE/JP,
shared with tests/dbt/test_warehouse_build.py) is built once with dbt's artifacts on, so the
invocation id the exports record can be checked against dbt's own run_results.json. The
extraction's quarantine and summary files are written by the extraction's own `summarize()`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

pytestmark = pytest.mark.dbt

EXTRACTION_RUN_ID = "scheduled__2026-10-31T02:00:00+00:00"


@pytest.fixture(scope="module")
def world(world_30d, tmp_path_factory) -> dict:
    """A built warehouse with its lake, and the last extraction's summary and quarantine."""
    from acorn.extract.run import summarize
    from acorn.extract.sources import SourceResult

    root: Path = tmp_path_factory.mktemp("exports-world")
    result = world_30d.build
    [[seller]] = _rows(
        result.duckdb_path, "select distinct seller_id from marts.fct_refund_reconciliation"
    )
    data_dir = root / "data"
    rejected = {
        "record_key": "T-1",
        "rule": "normalisable",
        "reason": "bad amount '¥1,2'",
        "line": 7,
    }
    results = [
        [
            {
                "transactions": SourceResult(
                    "transactions",
                    seller,
                    "ATVPDKIKX0DER",
                    served=100,
                    landed=99,
                    rejected=[rejected],
                ).to_dict()
            }
        ],
        [
            {
                "orders": SourceResult(
                    "orders", seller, "A1PA6795UKMFR9", served=40, landed=40
                ).to_dict()
            }
        ],
    ]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ACORN_DATA_DIR", str(data_dir))
        summarize(results, EXTRACTION_RUN_ID)
    return {
        "root": root,
        "build": result,
        "target": world_30d.target_path,
        "lake": world_30d.lake_dir,
        "quarantine": data_dir / "quarantine",
        "summary": data_dir / "run" / "last_extraction_summary.json",
        "seller": seller,
    }


def _export(world: dict, out: Path, **overrides):
    from acorn.exports import export_marts

    kwargs = {
        "built_at": world["build"].built_at,
        "invocation_id": world["build"].invocation_id,
        "quarantine_dir": world["quarantine"],
        "summary_path": world["summary"],
        "lake_dir": world["lake"],
        **overrides,
    }
    return export_marts(world["build"].duckdb_path, out, **kwargs)


@pytest.fixture(scope="module")
def exported(world, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("exports")
    return out, _export(world, out)


def _rows(db: Path | None, sql: str, params: list | None = None) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True) if db else duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _columns(db: Path | None, relation: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in _rows(db, f"describe select * from {relation}")]


def _checksum_sql(relation: str, columns: list[tuple[str, str]]) -> str:
    """Row count and the exact sum of every DECIMAL (money) column."""
    money = [f'sum("{n}")' for n, t in columns if t.startswith("DECIMAL")]
    return f"select count(*), {', '.join(money)} from {relation}"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -------------------------------------------------------------------------------- marts


def test_every_mart_is_exported_as_parquet_and_csv(exported):
    from acorn.assets import MART_MODEL_NAMES

    out, manifest = exported
    assert [m["mart"] for m in manifest["marts"]] == list(MART_MODEL_NAMES)
    for mart in MART_MODEL_NAMES:
        assert (out / mart / f"{mart}.parquet").stat().st_size > 0
        assert (out / mart / f"{mart}.csv").stat().st_size > 0
    for entry in manifest["marts"]:
        assert entry["parquet"] == f"{entry['mart']}/{entry['mart']}.parquet"
        assert entry["csv"] == f"{entry['mart']}/{entry['mart']}.csv"


def test_parquet_equals_the_mart_by_duckdb_and_by_pandas(world, exported):
    import pandas as pd

    db = world["build"].duckdb_path
    out, manifest = exported
    money_seen = 0
    for entry in manifest["marts"]:
        mart, path = entry["mart"], out / entry["parquet"]
        columns = _columns(db, f"marts.{mart}")
        parquet = f"read_parquet('{path}')"
        # Same names and types: DECIMAL(20,4) stays DECIMAL(20,4), timestamps stay UTC timestamps.
        assert _columns(None, parquet) == columns, mart
        [expected] = _rows(db, _checksum_sql(f"marts.{mart}", columns))
        assert _rows(None, _checksum_sql(parquet, columns)) == [expected], mart
        frame = pd.read_parquet(path)
        assert list(frame.columns) == [n for n, _ in columns] and len(frame) == expected[0], mart
        money = [n for n, t in columns if t.startswith("DECIMAL")]
        for name, total in zip(money, expected[1:], strict=True):
            values = [v for v in frame[name] if v is not None and not pd.isna(v)]
            assert all(isinstance(v, Decimal) for v in values), (mart, name)
            assert (sum(values, Decimal(0)) if values else None) == total, (mart, name)
            money_seen += len(values)
        for name, kind in columns:
            if kind == "TIMESTAMP WITH TIME ZONE":
                assert str(frame[name].dtype).endswith("UTC]"), (mart, name, frame[name].dtype)
    assert money_seen > 100


def test_csv_has_a_bom_and_round_trips_the_marts_exactly(world, exported):
    import pandas as pd

    db = world["build"].duckdb_path
    out, manifest = exported
    for entry in manifest["marts"]:
        mart, path = entry["mart"], out / entry["csv"]
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), mart
        columns = _columns(db, f"marts.{mart}")
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(frame.columns) == [n for n, _ in columns] and len(frame) == entry["rows"], mart
        [expected] = _rows(db, _checksum_sql(f"marts.{mart}", columns))
        money = [n for n, t in columns if t.startswith("DECIMAL")]
        for name, total in zip(money, expected[1:], strict=True):
            values = [Decimal(v) for v in frame[name] if v != ""]
            assert (sum(values, Decimal(0)) if values else None) == total, (mart, name)
            assert all(re.fullmatch(r"-?\d+\.\d+", v) for v in frame[name] if v), (
                mart,
                name,
            )  # no 1e-05
        for name, kind in columns:
            if kind == "TIMESTAMP WITH TIME ZONE":
                for v in frame[name]:
                    assert v == "" or re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", v), (
                        mart,
                        name,
                        v,
                    )
        # The same rows, value for value, as DuckDB reads the CSV back.
        back = _rows(None, f"select count(*) from read_csv('{path}', header = true)")
        assert back == [(entry["rows"],)], mart


def test_the_csv_writer_keeps_chinese_text_decimals_and_times(tmp_path):
    import duckdb
    import pandas as pd

    from acorn.exports import write_csv

    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute("""create table t as select * from (values
        ('苹果手机壳, 黑色 "Pro"', 12.3400::decimal(20,4),
         timestamptz '2026-10-31 16:15:00+08', date '2026-10-31'),
        ('退款', -0.0001::decimal(20,4), null, null),
        ('大额', 1234567890123456.7891::decimal(20,4),
         timestamptz '2026-01-01 00:00:00.5+00', date '2026-01-01')
    ) as v(product_name, amount, refunded_at, refund_date)""")
    target = tmp_path / "t.csv"
    write_csv(con, "t", target)
    con.close()
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and not raw.startswith(b"\xef\xbb\xbf" * 2)
    assert raw[3:].decode("utf-8").splitlines() == [
        "product_name,amount,refunded_at,refund_date",
        '"苹果手机壳, 黑色 ""Pro""",12.3400,2026-10-31T08:15:00.000000Z,2026-10-31',
        "退款,-0.0001,,",
        "大额,1234567890123456.7891,2026-01-01T00:00:00.500000Z,2026-01-01",
    ]
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["product_name"] for r in rows] == ['苹果手机壳, 黑色 "Pro"', "退款", "大额"]
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal("1234567890123469.1290")
    frame = pd.read_csv(target, encoding="utf-8-sig", dtype={"amount": str})
    assert frame["product_name"].tolist()[1] == "退款"
    assert pd.to_datetime(frame["refunded_at"], utc=True, format="ISO8601")[0] == pd.Timestamp(
        "2026-10-31T08:15:00Z"
    )


# ----------------------------------------------------------------------------- manifest


def test_the_manifest_names_the_build_its_rows_and_columns(world, exported):
    db = world["build"].duckdb_path
    out, manifest = exported
    on_disk = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk == manifest
    run_results = json.loads(
        (world["target"] / "run_results.json").read_text(encoding="utf-8")
    )
    assert manifest["dbt_invocation_id"] == run_results["metadata"]["invocation_id"]
    assert manifest["dbt_invocation_id"] == world["build"].invocation_id
    built_at = datetime.fromisoformat(manifest["built_at"])
    assert built_at == world["build"].built_at and built_at.utcoffset().total_seconds() == 0
    assert built_at <= datetime.fromisoformat(manifest["exported_at"]) <= datetime.now(UTC)
    assert manifest["warehouse"] == str(db)
    for entry in manifest["marts"]:
        [(rows,)] = _rows(db, f"select count(*) from marts.{entry['mart']}")
        assert entry["rows"] == rows
        assert entry["columns"] == [
            {"name": n, "type": t} for n, t in _columns(db, f"marts.{entry['mart']}")
        ]
    assert [p["name"] for p in manifest["pipeline"]] == [
        "source_freshness",
        "quarantined_records",
        "pipeline_runs",
    ]
    for entry in manifest["pipeline"]:
        assert entry["parquet"] == f"pipeline/{entry['name']}/{entry['name']}.parquet"
        assert (out / entry["csv"]).read_bytes().startswith(b"\xef\xbb\xbf")


def test_no_temp_file_is_left_behind(exported):
    out, _ = exported
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]


def test_a_failed_export_leaves_the_previous_one_intact(world, tmp_path):
    from acorn.assets import MART_MODEL_NAMES
    from acorn.exports import ExportError

    _export(world, tmp_path)
    # Mark every file of the previous export: a re-export of the same marts would write the
    # same bytes, so unmarked files could not show that one was replaced.
    for path in tmp_path.rglob("*.*"):
        if path.name != "manifest.json":
            path.write_bytes(b"previous export: " + path.name.encode())
    before = _files(tmp_path)
    # The fifth table does not exist: four marts were already staged when it fails.
    broken = (*MART_MODEL_NAMES[:4], "fct_no_such_mart", *MART_MODEL_NAMES[4:])
    with pytest.raises(ExportError, match="fct_no_such_mart"):
        _export(world, tmp_path, invocation_id="another-build", marts=broken)
    assert _files(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["manifest.json", "pipeline", *MART_MODEL_NAMES]
    )
    assert (
        json.loads((tmp_path / "manifest.json").read_text())["dbt_invocation_id"]
        == world["build"].invocation_id
    )


# ------------------------------------------------------------------------ pipeline tables


def test_the_pipeline_tables_have_the_data_health_columns(exported):
    from acorn.exports import (
        PIPELINE_RUNS_COLUMNS,
        QUARANTINED_RECORDS_COLUMNS,
        SOURCE_FRESHNESS_COLUMNS,
    )

    out, _ = exported
    for name, expected in (
        ("source_freshness", SOURCE_FRESHNESS_COLUMNS),
        ("quarantined_records", QUARANTINED_RECORDS_COLUMNS),
        ("pipeline_runs", PIPELINE_RUNS_COLUMNS),
    ):
        columns = _columns(None, f"read_parquet('{out}/pipeline/{name}/{name}.parquet')")
        assert [n for n, _ in columns] == list(expected), name
        header = (
            (out / "pipeline" / name / f"{name}.csv")
            .read_text(encoding="utf-8-sig")
            .splitlines()[0]
        )
        assert header.split(",") == list(expected), name
    assert {
        "source",
        "seller_id",
        "marketplace_id",
        "last_landed_at",
        "last_run_id",
        "records_landed_last_run",
        "records_quarantined_last_run",
    } <= set(SOURCE_FRESHNESS_COLUMNS)
    assert {
        "run_id",
        "source",
        "seller_id",
        "marketplace_id",
        "record_key",
        "rule",
        "reason",
    } <= set(QUARANTINED_RECORDS_COLUMNS)


def test_source_freshness_is_one_row_per_lake_scope_with_the_last_run(world, exported):
    out, _ = exported
    lake = world["lake"]
    scopes = {
        (p.parts[-5], p.parts[-4].split("=")[1], p.parts[-3].split("=")[1])
        for p in lake.glob("*/seller_id=*/marketplace_id=*/date=*/data.parquet")
        if not p.parts[-4].endswith("=_none")
    }
    rows = _rows(
        None,
        f"select * from read_parquet('{out}/pipeline/source_freshness/source_freshness.parquet')",
    )
    by_scope = {r[:3]: r for r in rows}
    assert len(by_scope) == len(rows) and set(by_scope) == scopes
    seller = world["seller"]
    tx = by_scope[("transactions", seller, "ATVPDKIKX0DER")]
    assert tx[3].tzinfo is not None and tx[3] <= datetime.now(UTC)
    assert tx[4:] == (EXTRACTION_RUN_ID, 99, 1)
    assert by_scope[("orders", seller, "A1PA6795UKMFR9")][4:] == (EXTRACTION_RUN_ID, 40, 0)
    assert by_scope[("transactions", seller, "A1PA6795UKMFR9")][4:] == (
        None,
        None,
        None,
    )  # not in the last run


def test_quarantined_records_are_one_row_per_record_with_the_rest_as_json(world, exported):
    out, _ = exported
    rows = _rows(
        None,
        "select * from read_parquet(?)",
        [f"{out}/pipeline/quarantined_records/quarantined_records.parquet"],
    )
    assert rows == [
        (
            EXTRACTION_RUN_ID,
            "transactions",
            world["seller"],
            "ATVPDKIKX0DER",
            "T-1",
            "normalisable",
            "bad amount '¥1,2'",
            '{"line": 7}',
            "scheduled__2026-10-31T02_00_00_00_00.json",
        )
    ]


def test_no_quarantine_gives_an_empty_typed_table(world, tmp_path):
    from acorn.exports import QUARANTINED_RECORDS_COLUMNS

    manifest = _export(world, tmp_path / "out", quarantine_dir=tmp_path / "none")
    assert {p["name"]: p["rows"] for p in manifest["pipeline"]}["quarantined_records"] == 0
    path = tmp_path / "out" / "pipeline" / "quarantined_records" / "quarantined_records.parquet"
    assert [n for n, _ in _columns(None, f"read_parquet('{path}')")] == list(
        QUARANTINED_RECORDS_COLUMNS
    )


def test_pipeline_runs_accumulate_one_row_per_dbt_invocation(world, tmp_path):
    build = world["build"]
    first = _export(world, tmp_path)
    _export(world, tmp_path)  # the same build exported again: still one row
    later = datetime(2030, 1, 1, tzinfo=UTC)
    _export(world, tmp_path, built_at=later, invocation_id="the-next-night")
    rows = _rows(
        None,
        "select built_at, dbt_invocation_id, extraction_run_id, records_landed,"
        " records_quarantined, failed_sources, status from read_parquet(?)",
        [f"{tmp_path}/pipeline/pipeline_runs/pipeline_runs.parquet"],
    )
    assert rows == [
        (build.built_at, build.invocation_id, EXTRACTION_RUN_ID, 139, 1, 0, "success"),
        (later, "the-next-night", EXTRACTION_RUN_ID, 139, 1, 0, "success"),
    ]
    assert {p["name"]: p["rows"] for p in first["pipeline"]}["pipeline_runs"] == 1


def test_the_airflow_entry_point_exports_from_the_settings(world, tmp_path, monkeypatch):
    from acorn.exports import export_from_settings

    build = world["build"]
    for key, value in {
        "ACORN_DATA_DIR": world["summary"].parents[1],
        "ACORN_LAKE_DIR": world["lake"],
        "ACORN_EXPORTS_DIR": tmp_path / "exports",
        "DUCKDB_PATH": build.duckdb_path,
    }.items():
        monkeypatch.setenv(key, str(value))
    xcom = {
        "duckdb_path": str(build.duckdb_path),
        "invocation_id": build.invocation_id,
        "built_at": build.built_at.isoformat(),
        "pass": 1,
    }
    out = export_from_settings(xcom)
    assert json.loads(json.dumps(out)) == out  # XCom-small and serialisable
    manifest = json.loads((tmp_path / "exports" / "manifest.json").read_text())
    assert out["dbt_invocation_id"] == manifest["dbt_invocation_id"] == build.invocation_id
    assert manifest["built_at"] == build.built_at.isoformat().replace("+00:00", "Z")
    assert {p["name"]: p["rows"] for p in manifest["pipeline"]}["quarantined_records"] == 1


# ----------------------------------------------------------------------- docs, exposures


def test_generate_docs_writes_a_static_site_with_the_exposures(world, tmp_path):
    from acorn.warehouse import generate_docs

    # dbt-duckdb opens the file for writing: a copy, the session's warehouse is read-only.
    db = tmp_path / "warehouse" / "acorn.duckdb"
    db.parent.mkdir()
    shutil.copy(world["build"].duckdb_path, db)
    static_index = generate_docs(world["lake"], db, tmp_path / "docs")
    assert static_index == (tmp_path / "docs" / "static_index.html").resolve()
    html = static_index.read_text(encoding="utf-8")
    for name in (
        "exposure.acorn.morning_dashboard",
        "exposure.acorn.daily_digest",
        "exposure.acorn.bi_exports",
        "model.acorn.fct_money_owed",
    ):
        assert name in html, name
    assert '"CATALOG.JSON INLINE DATA"' not in html  # the catalog is inlined
    assert (tmp_path / "docs" / "catalog.json").exists() and (
        tmp_path / "docs" / "index.html"
    ).exists()


def test_the_exposures_reference_what_each_consumer_reads():
    import yaml

    from acorn.assets import MART_MODEL_NAMES
    from acorn.config import PROJECT_ROOT
    from acorn.digest import AS_OF, QUERIES

    spec = yaml.safe_load(
        (PROJECT_ROOT / "dbt" / "models" / "exposures.yml").read_text(encoding="utf-8")
    )
    exposures = {e["name"]: e for e in spec["exposures"]}
    assert set(exposures) == {"morning_dashboard", "daily_digest", "bi_exports"}
    refs = {
        name: {re.fullmatch(r"ref\('(\w+)'\)", d).group(1) for d in e["depends_on"]}
        for name, e in exposures.items()
    }
    from dashboard.views import PAGES

    assert refs["bi_exports"] == set(MART_MODEL_NAMES)
    assert refs["morning_dashboard"] == {mart for page in PAGES for mart in page.module.MARTS}
    digest_reads = set(
        re.findall(r"\b(?:marts|intermediate|seeds)\.(\w+)", " ".join([*QUERIES.values(), AS_OF]))
    )
    assert refs["daily_digest"] == digest_reads
    assert exposures["morning_dashboard"]["type"] == "dashboard"
    assert exposures["morning_dashboard"]["url"] == "http://127.0.0.1:8501"
    for e in exposures.values():
        assert e["owner"]["name"] and e["owner"]["email"] and e["description"].strip()


def test_source_freshness_is_the_newest_lake_write_per_scope(world, tmp_path):
    """last_landed_at: the newest write of a scope's partition files (one row per scope)."""
    import os

    import pyarrow as pa

    from acorn.lake import writer

    lake = tmp_path / "lake"
    written = {("ATVPDKIKX0DER", date(2026, 11, 29)): datetime(2026, 11, 30, 2, tzinfo=UTC),
               ("ATVPDKIKX0DER", date(2026, 11, 30)): datetime(2026, 12, 1, 2, 30, tzinfo=UTC),
               ("A1PA6795UKMFR9", date(2026, 11, 30)): datetime(2026, 11, 28, 3, tzinfo=UTC)}  # fmt: skip
    for (marketplace, day), at in written.items():
        path = writer.PartitionKey("orders", "S1", marketplace, day).path(lake)
        writer.atomic_write_table(pa.table({"order_id": ["O1"], "_run_id": ["r"]}), path)
        os.utime(path, (at.timestamp(), at.timestamp()))
    _export(world, tmp_path / "out", lake_dir=lake)
    path = tmp_path / "out" / "pipeline" / "source_freshness" / "source_freshness.parquet"
    rows = _rows(
        None,
        "select marketplace_id, last_landed_at from read_parquet(?)"
        " where source = 'orders' and seller_id = 'S1' order by 1",
        [str(path)],
    )
    assert rows == [
        ("A1PA6795UKMFR9", datetime(2026, 11, 28, 3, tzinfo=UTC)),
        ("ATVPDKIKX0DER", datetime(2026, 12, 1, 2, 30, tzinfo=UTC)),
    ]
