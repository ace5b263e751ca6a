"""Incremental staging: a nightly build reads only what changed, and equals a full refresh.

A small world is exported into a lake whose partition files are dated as a
nightly pipeline would have written them (the night after each partition's
day). After a first build the lake changes the ways it does in production: the
last nights' lookback re-lands partitions with a newer run id, a late backfill
lands an old day that was missing, Amazon re-dates a return (a newer copy in
another partition), and `lake_retention` deletes a partition.
The incremental build must then (1) re-write only rows from files written since
its watermark (minus the lookback), and (2) leave every mart and every
incremental staging table exactly as a full refresh of the same lake does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from acorn.warehouse import WarehouseBuildError, audit_every_row
from tests.dbt.warehouse_query import query as _query

pytestmark = pytest.mark.dbt

INCREMENTAL = (
    "stg_spapi__transactions",
    "stg_spapi__transaction_breakdowns",
    "stg_spapi__settlement_lines",
    "stg_spapi__orders",
    "stg_spapi__order_items",
    "stg_spapi__fba_returns",
    "stg_spapi__mfn_returns",
    "stg_spapi__reimbursements",
)
# Incremental models one layer up (their rows carry no lake bookkeeping).
INCREMENTAL_ABOVE_STAGING = ("intermediate.int_transactions_joined_to_settlement_lines",)
# Bookkeeping columns that differ by construction (when a row was written).
BOOKKEEPING = {"_warehouse_loaded_at"}
LOOKBACK_HOURS = 72  # dbt_project.yml vars.lake_lookback_hours
RELAND_RUN_ID = "manual__2026-10-05T02:00:00+00:00"  # the night's lookback re-landing
BACKFILL_RUN_ID = "manual__2026-10-05T03:00:00+00:00"  # a late backfill of a missing day


def _partition_day(path: Path) -> date:
    return date.fromisoformat(path.parent.name.removeprefix("date="))


def _written_at(day: date) -> float:
    """A nightly run lands day D's partition at 02:00 UTC on D+1."""
    return datetime(day.year, day.month, day.day, 2, tzinfo=UTC).timestamp() + 86400


def _date_files(lake: Path, source: str) -> list[Path]:
    return sorted((lake / source).glob("seller_id=*/marketplace_id=*/date=*/data.parquet"))


def _reland(path: Path, run_id: str, at: float) -> int:
    """Re-extraction of a partition: same rows, a newer run id, written at `at`."""
    table = pq.read_table(path)
    table = table.set_column(
        table.schema.get_field_index("_run_id"), "_run_id", pa.array([run_id] * table.num_rows)
    )
    pq.write_table(table, path, compression="zstd")
    os.utime(path, (at, at))
    return table.num_rows


def _relabel_a_sku(path: Path) -> tuple[str, str]:
    """Amazon corrects a shipment between two extractions: the lookback's copy of one
    transaction carries a different SKU in its payload. Returns (transaction_id, new SKU)."""
    table = pq.read_table(path)
    rows = table.to_pylist()
    row = next(r for r in rows if r["transaction_type"] == "Shipment")
    payload = json.loads(row["payload_json"])
    context = payload["items"][0]["contexts"][0]
    context["sku"] = f"{context['sku']}-RELABELLED"
    row["payload_json"] = json.dumps(payload)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path, compression="zstd")
    return row["transaction_id"], context["sku"]


def _correct_a_settlement_line(path: Path) -> tuple[str, str]:
    """A re-extracted settlement report differs from the copy held in one line (an order's
    amount, one unit more). Returns (settlement_line_id, new amount)."""
    table = pq.read_table(path)
    rows = table.to_pylist()
    row = next(r for r in rows if r["transaction_type"] == "Order" and r["amount"])
    row["amount"] += 1
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path, compression="zstd")
    return f"{row['settlement_id']}-{row['line_number']}", f"{row['amount']:.4f}"


def _line_ids(path: Path) -> set[str]:
    table = pq.read_table(path, columns=["settlement_id", "line_number"]).to_pylist()
    return {f"{r['settlement_id']}-{r['line_number']}" for r in table}


def _park_latest_settlement(lake: Path, parked: Path) -> tuple[list[Path], str]:
    """Move the newest settlement report (summary and lines) out of the lake, one
    shipment's lines left out of it (Amazon's report omits it: the shipment becomes
    missing_from_settlement only through its payout cycle). Returns the parked files
    and that shipment's order id."""
    files = _date_files(lake, "settlement_lines")
    day = max(_partition_day(p) for p in files)
    moved, omitted_order = [], None
    for source in ("settlement_lines", "settlements"):
        for p in _date_files(lake, source):
            if _partition_day(p) == day:
                dest = parked / p.relative_to(lake)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(p, dest)
                moved.append(dest)
                if source == "settlement_lines" and omitted_order is None:
                    lines = pq.read_table(dest)
                    orders = [o for t, o in zip(lines["transaction_type"].to_pylist(),
                                                lines["order_id"].to_pylist(), strict=True) if t == "Order"]  # fmt: skip
                    if orders:
                        omitted_order = orders[0]
                        keep = pa.array([o != omitted_order for o in lines["order_id"].to_pylist()])
                        pq.write_table(lines.filter(keep), dest, compression="zstd")
    assert omitted_order is not None
    return moved, omitted_order


def _redate_a_return(lake: Path, run_id: str, at: float) -> tuple[str, datetime]:
    """Amazon re-dates an FBA return: a newer copy lands in the next day's partition."""
    path = _date_files(lake, "fba_returns")[0]
    row = pq.read_table(path).slice(0, 1)
    redated = row["returned_at"][0].as_py() + timedelta(days=1)
    row = row.set_column(row.schema.get_field_index("returned_at"), "returned_at",
                         pa.array([redated], row.schema.field("returned_at").type))  # fmt: skip
    row = row.set_column(row.schema.get_field_index("_run_id"), "_run_id", pa.array([run_id]))
    dest = path.parent.parent / f"date={redated.date().isoformat()}" / "data.parquet"
    if dest.exists():
        row = pa.concat_tables([pq.read_table(dest), row.cast(pq.read_schema(dest))])
    dest.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(row, dest, compression="zstd")
    os.utime(dest, (at, at))
    return row["return_id"][-1].as_py(), redated


def _snapshot(db: Path) -> dict[str, list[str]]:
    """Every mart and incremental table, rows rendered as sorted strings (fresh interpreter)."""
    code = (
        "import duckdb, json, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "skip = set(json.loads(sys.argv[2]))\n"
        "tables = [('marts', t) for (t,) in con.execute(\"select table_name from information_schema.tables"
        " where table_schema = 'marts' order by 1\").fetchall()]\n"
        "tables += [tuple(t.split('.')) for t in json.loads(sys.argv[3])]\n"
        "out = {}\n"
        "for schema, t in tables:\n"
        '    cols = [c for (c,) in con.execute(f"select column_name from information_schema.columns where'
        " table_schema = '{schema}' and table_name = '{t}' order by ordinal_position\").fetchall()"
        " if c not in skip]\n"
        "    rows = con.execute(f'select {\", \".join(cols)} from {schema}.{t}').fetchall()\n"
        "    out[f'{schema}.{t}'] = sorted(repr(r) for r in rows)\n"
        "print(json.dumps(out))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db), json.dumps(sorted(BOOKKEEPING)),
         json.dumps([f"staging.{t}" for t in INCREMENTAL] + list(INCREMENTAL_ABOVE_STAGING))],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def scenario(world_30d_lake, tmp_path_factory):
    from acorn.warehouse import build

    root = tmp_path_factory.mktemp("incremental")
    lake = root / "lake"
    # The session's small world (tests/conftest.py: seed 5, 30 days, US/DE/JP) as its export
    # landed it, with this scenario's run id: the same tables, schemas and metadata as
    # `export_lake(world, lake, run_id=...)` writes (without the ten seconds of re-extraction).
    # Not the zero-row files a build of that lake gave the sources nothing landed for: this
    # scenario's first build writes its own.
    shutil.copytree(world_30d_lake[1], lake, ignore=shutil.ignore_patterns("seller_id=_none"))
    for path in lake.rglob("data.parquet"):
        _reland(path, "manual__2026-09-20T02:00:00+00:00", _written_at(_partition_day(path)))

    # A day missing at the first build: the backfill lands it later.
    txn_files = _date_files(lake, "transactions")
    late_day = sorted({_partition_day(p) for p in txn_files})[5]
    parked = root / "parked"
    late_files = [p for p in txn_files if _partition_day(p) == late_day]
    for p in late_files:
        dest = parked / p.relative_to(lake)
        dest.parent.mkdir(parents=True)
        shutil.move(p, dest)

    # A settlement report not landed yet at the first build: its lines settle
    # transactions the first build already held (pending, or missing once their
    # cycle's report is known), which the night must re-reconcile.
    parked_settlement, omitted_order = _park_latest_settlement(lake, root / "parked-settlement")
    landed_lines = set().union(*(_line_ids(p) for p in parked_settlement if "settlement_lines" in p.parts))

    build(lake, root / "incremental.duckdb", target_path=root / "target")
    newest_before = max(p.stat().st_mtime for p in lake.rglob("data.parquet"))

    # The next night: the lookback re-lands the last three days' transactions ...
    night = newest_before + 86400
    txn_days = sorted({_partition_day(p) for p in _date_files(lake, "transactions")})
    relanded = 0
    for p in _date_files(lake, "transactions"):
        if _partition_day(p) in txn_days[-3:]:
            relanded += _reland(p, RELAND_RUN_ID, night)
    # ... one of its copies is not identical: Amazon corrected a shipment's SKU ...
    corrected = max(p for p in _date_files(lake, "transactions") if _partition_day(p) == txn_days[-2])
    relabelled = _relabel_a_sku(corrected)
    os.utime(corrected, (night, night))
    # ... and the settlement reports of the last three report days, identical but for one
    # line of one report ...
    report_days = sorted({_partition_day(p) for p in _date_files(lake, "settlement_lines")})
    relanded_reports = [p for p in _date_files(lake, "settlement_lines") if _partition_day(p) in report_days[-3:]]
    relanded_lines = set().union(*(_line_ids(p) for p in relanded_reports))
    for p in relanded_reports:
        _reland(p, RELAND_RUN_ID, night)
    corrected_line = _correct_a_settlement_line(relanded_reports[-1])
    os.utime(relanded_reports[-1], (night, night))
    # ... the backfill lands the missing day ...
    backfilled = 0
    for p in parked.rglob("data.parquet"):
        dest = lake / p.relative_to(parked)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(p, dest)
        backfilled += _reland(dest, BACKFILL_RUN_ID, night)
    # ... the settlement report lands ...
    for p in parked_settlement:
        dest = lake / p.relative_to(root / "parked-settlement")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(p, dest)
        os.utime(dest, (night, night))
    # ... Amazon re-dates a return (its newer copy sits in another partition) ...
    redated_return = _redate_a_return(lake, RELAND_RUN_ID, night)
    # ... and retention deletes the oldest partitions of transactions and settlement lines.
    deleted = 0
    for source in ("transactions", "settlement_lines"):
        oldest = min(_partition_day(p) for p in _date_files(lake, source))
        for p in _date_files(lake, source):
            if _partition_day(p) == oldest:
                deleted += pq.read_metadata(p).num_rows
                shutil.rmtree(p.parent)

    night_build = build(lake, root / "incremental.duckdb", target_path=root / "target")
    build(lake, root / "full.duckdb", target_path=root / "target-full", full_refresh=True)
    return {
        "root": root,
        "night_resource_types": night_build.resource_types,
        "lake": lake,
        "relanded": relanded,
        "backfilled": backfilled,
        "deleted": deleted,
        "redated_return": redated_return,
        "relabelled": relabelled,
        "settlement_landed": len(parked_settlement),
        "landed_lines": landed_lines,
        "relanded_lines": relanded_lines,
        "corrected_line": corrected_line,
        "omitted_order": omitted_order,
        "newest_before": newest_before,
    }


def test_the_scenario_changes_the_lake(scenario):
    assert scenario["relanded"] > 0 and scenario["backfilled"] > 0 and scenario["deleted"] > 0
    assert scenario["settlement_landed"] >= 2  # a report's summary and its lines


def test_an_incremental_build_equals_a_full_refresh(scenario):
    incremental = _snapshot(scenario["root"] / "incremental.duckdb")
    full = _snapshot(scenario["root"] / "full.duckdb")
    assert incremental.keys() == full.keys()
    assert any(k.startswith("marts.") for k in full)
    for table in full:
        assert len(incremental[table]) == len(full[table]), table
        diff = sorted(set(incremental[table]) ^ set(full[table]))
        assert not diff, f"{table}: {len(diff)} rows differ, e.g. {diff[:3]}"


def test_a_shipment_its_cycle_s_report_left_out_becomes_missing_at_night(scenario):
    """Its settlement lines never change; only its payout cycle's report landing does."""
    for db in ("incremental.duckdb", "full.duckdb"):
        rows = _query(
            scenario["root"] / db,
            "select reconciliation_status from marts.fct_transaction_settlement_reconciliation"
            f" where transaction_type = 'Shipment' and order_id = '{scenario['omitted_order']}'",
        )
        assert rows and {r[0] for r in rows} == {"missing_from_settlement"}, (db, rows)


def test_a_re_dated_return_is_one_row_at_its_latest_date(scenario):
    return_id, redated = scenario["redated_return"]
    for db in ("incremental.duckdb", "full.duckdb"):
        rows = _query(
            scenario["root"] / db,
            f"select returned_at from staging.stg_spapi__fba_returns where return_id = '{return_id}'",
        )
        assert [r[0] for r in rows] == [redated.isoformat().replace("T", " ")], db


def test_the_nightly_build_re_reads_the_night_s_files_and_reloads_only_what_changed(scenario):
    """The night re-reads only the files written since its watermark, and their rows take the
    newer run id (as in a full refresh), but it marks as loaded, for the models built on staging
    to re-process, only new or changed transactions: the backfilled day, not the lookback's
    identical copies."""
    lake, db = scenario["lake"], scenario["root"] / "incremental.duckdb"
    since = scenario["newest_before"] - LOOKBACK_HOURS * 3600
    read, by_run = set(), {}
    for p in _date_files(lake, "transactions"):
        table = pq.read_table(p, columns=["transaction_id", "_run_id"]).to_pylist()
        if p.stat().st_mtime >= since:
            read.update(r["transaction_id"] for r in table)
        for r in table:
            by_run.setdefault(r["_run_id"], set()).add(r["transaction_id"])
    relanded, backfilled = by_run[RELAND_RUN_ID], by_run[BACKFILL_RUN_ID]
    assert relanded and backfilled and (relanded | backfilled) <= read

    staged = dict(_query(db, "select transaction_id, _run_id from staging.stg_spapi__transactions"))
    assert {staged[t] for t in relanded} == {RELAND_RUN_ID}

    def loaded_by_the_night(table: str) -> set[str]:
        return {r[0] for r in _query(db, f"select distinct transaction_id from {table} where "
                                         f"_warehouse_loaded_at = (select max(_warehouse_loaded_at) from {table})")}  # fmt: skip

    changed = backfilled | {scenario["relabelled"][0]}
    assert loaded_by_the_night("staging.stg_spapi__transactions") == changed
    flattened = loaded_by_the_night("staging.stg_spapi__transaction_breakdowns")
    assert scenario["relabelled"][0] in flattened and flattened <= changed
    (total,) = _query(db, "select count(*) from staging.stg_spapi__transactions")[0]
    assert len(backfilled) < int(total) / 2


def test_the_nightly_build_reloads_only_new_or_changed_settlement_lines(scenario):
    """A re-landed report's lines take the newer run id, but only the new report's lines and
    the one corrected line are marked loaded, for the settlement match to re-match."""
    db = scenario["root"] / "incremental.duckdb"
    line_id, amount = scenario["corrected_line"]
    assert line_id in scenario["relanded_lines"] and not scenario["landed_lines"] & scenario["relanded_lines"]
    staged = {r[0]: r[1:] for r in _query(db, "select settlement_line_id, _run_id, cast(amount as varchar),"
              " _warehouse_loaded_at = (select max(_warehouse_loaded_at) from staging.stg_spapi__settlement_lines)"
              " from staging.stg_spapi__settlement_lines")}  # fmt: skip
    assert {staged[i][0] for i in scenario["relanded_lines"]} == {RELAND_RUN_ID}
    assert staged[line_id][1] == amount
    loaded_by_the_night = {i for i, (_, _, latest) in staged.items() if latest == "True"}
    assert loaded_by_the_night == scenario["landed_lines"] | {line_id}


def test_a_corrected_copy_is_flattened_again(scenario):
    transaction_id, sku = scenario["relabelled"]
    for db in ("incremental.duckdb", "full.duckdb"):
        rows = _query(
            scenario["root"] / db,
            "select distinct sku from staging.stg_spapi__transaction_breakdowns"
            f" where transaction_id = '{transaction_id}' and item_index = 1",
        )
        assert [tuple(r) for r in rows] == [(sku,)], db


def test_the_nightly_build_runs_data_tests_not_unit_tests(scenario):
    """Unit tests check the SQL against fixed fixtures: CI runs them (test_warehouse_build)."""
    assert scenario["night_resource_types"].get("test", 0) > 100
    assert "unit_test" not in scenario["night_resource_types"]


def _dbt_test(scenario, db: Path, select: str, *extra: str) -> subprocess.CompletedProcess:
    from acorn.warehouse import DBT_PROJECT_DIR

    env = {**os.environ, "ACORN_LAKE_DIR": str(scenario["lake"]), "DUCKDB_PATH": str(db),
           "ACORN_RISK_DIR": str(scenario["lake"].parent / "risk"),
           "ACORN_CASHFLOW_DIR": str(scenario["lake"].parent / "cashflow"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"}  # fmt: skip
    cmd = [str(Path(sys.executable).parent / "dbt"), "test", "--project-dir", str(DBT_PROJECT_DIR),
           "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(db.parent / "target-probe"),
           "--select", select, *extra]  # fmt: skip
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def probe_dir(tmp_path_factory) -> Path:
    """Where a test copies the night's warehouse to change it, one test at a time: the copy's
    path and the dbt target paths stay the same, so dbt re-parses the project only once for
    the module's audits and once for its nightly key tests (a new warehouse path is a new
    profile to dbt: a full parse)."""
    return tmp_path_factory.mktemp("probe")


def _probe(scenario, probe_dir: Path) -> Path:
    """A fresh copy of the night's warehouse in `probe_dir`."""
    db = probe_dir / "probe.duckdb"
    db.with_name(db.name + ".wal").unlink(missing_ok=True)
    shutil.copy(scenario["root"] / "incremental.duckdb", db)
    return db


@pytest.mark.parametrize("written_by", ["the latest build", "an earlier build"])
def test_key_tests_check_the_rows_the_latest_build_wrote(scenario, probe_dir, written_by):
    """A duplicate key among the rows the night wrote fails the nightly unique test; one among
    rows an earlier build wrote (and tested) is left to the weekly audit, which checks them all."""
    db = _probe(scenario, probe_dir)
    latest = "(select max(_warehouse_loaded_at) from staging.stg_spapi__transactions)"
    pick = "=" if written_by == "the latest build" else "<"
    con = duckdb.connect(str(db))
    duplicated = con.execute(
        "insert into staging.stg_spapi__transactions select * from staging.stg_spapi__transactions"
        f" where _warehouse_loaded_at {pick} {latest} limit 1"
    ).fetchone()[0]
    con.close()
    assert duplicated == 1
    nightly = _dbt_test(scenario, db, "stg_spapi__transactions,test_name:unique")
    with pytest.raises(WarehouseBuildError) as every_row:  # the weekly warehouse_audit DAG's check
        audit_every_row(scenario["lake"], db, target_path=probe_dir / "target-audit")
    assert [f for f in every_row.value.failures if f.startswith("test.acorn.unique_stg_spapi__transactions_")]
    if written_by == "the latest build":
        assert nightly.returncode != 0 and "FAIL 1 unique_stg_spapi__transactions" in nightly.stdout
    else:
        assert nightly.returncode == 0, nightly.stdout[-2000:]


def test_the_nightly_build_writes_no_json_artifacts(scenario):
    """Nothing reads them, and dbt serialises its whole manifest twice a run to write them."""
    target = scenario["root"] / "target"
    assert target.is_dir()
    assert not (target / "run_results.json").exists() and not (target / "manifest.json").exists()


def test_the_weekly_audit_passes_on_the_night_s_warehouse(scenario, probe_dir):
    """`audit_every_row` (the warehouse_audit DAG) runs every data test, and only data tests,
    on whole tables; its failures are checked by test_key_tests_check_the_rows_the_latest_build_wrote."""
    db = _probe(scenario, probe_dir)
    passed = audit_every_row(scenario["lake"], db, target_path=probe_dir / "target-audit")
    assert passed.resource_types["test"] > 100 and {"model", "unit_test"}.isdisjoint(passed.resource_types)
    assert passed.statuses["pass"] == passed.resource_types["test"]
