"""Export the marts and the pipeline's health tables as Parquet and CSV after each build.

Layout under `exports_dir` (settings.exports_dir, default data/exports):

    manifest.json                              written last: which build, rows, columns, files
    <mart>/<mart>.parquet | .csv               every mart of `acorn.assets.MART_MODEL_NAMES`
    pipeline/<name>/<name>.parquet | .csv      source_freshness, quarantined_records, pipeline_runs

Parquet keeps DuckDB's types (DECIMAL stays DECIMAL, TIMESTAMP WITH TIME ZONE stays a UTC
timestamp). CSV is UTF-8 with a byte-order mark (Excel opens Chinese text only with it), a
header row, decimals as DuckDB prints them (exact, no float formatting) and ISO 8601 times
(`2026-10-31T08:15:00.000000Z`). Every file goes to a temp file beside it and is fsynced;
only when every file of the export is staged are they renamed into place, then the manifest
is: an export that fails midway leaves the previous one whole.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
PIPELINE_DIR = "pipeline"
PIPELINE_TABLES = ("source_freshness", "quarantined_records", "pipeline_runs")
UTF8_BOM = b"\xef\xbb\xbf"
_TMP_PREFIX = ".tmp-"
Scope = tuple[str, str, str]  # (source, seller_id, marketplace_id)
_ISO_UTC = "%Y-%m-%dT%H:%M:%S.%fZ"  # the session runs in UTC
_ISO_LOCAL = "%Y-%m-%dT%H:%M:%S.%f"  # a TIMESTAMP without zone says none
# The ISO time in an Airflow run id (manual__2026-12-02T02:03:32.083956+00:00_KLD28w4U).

# Columns of the pipeline tables (DuckDB types); the dashboard's Data-health page reads them.
SOURCE_FRESHNESS_COLUMNS = {
    "source": "VARCHAR",
    "seller_id": "VARCHAR",
    "marketplace_id": "VARCHAR",
    "last_landed_at": "TIMESTAMPTZ",  # newest write of the scope's lake files
    "last_run_id": "VARCHAR",
    "records_landed_last_run": "BIGINT",
    "records_quarantined_last_run": "BIGINT",
}
QUARANTINED_RECORDS_COLUMNS = {
    "run_id": "VARCHAR",
    "source": "VARCHAR",
    "seller_id": "VARCHAR",
    "marketplace_id": "VARCHAR",
    "record_key": "VARCHAR",
    "rule": "VARCHAR",
    "reason": "VARCHAR",
    "details_json": "VARCHAR",  # every other key of the quarantine record, as JSON
    "quarantine_file": "VARCHAR",
}
PIPELINE_RUNS_COLUMNS = {
    "built_at": "TIMESTAMPTZ",
    "dbt_invocation_id": "VARCHAR",
    "extraction_run_id": "VARCHAR",
    "records_landed": "BIGINT",
    "records_quarantined": "BIGINT",
    "failed_sources": "BIGINT",
    "status": "VARCHAR",
    "exported_at": "TIMESTAMPTZ",
}


class ExportError(RuntimeError):
    """An export could not be written; the previous export is left as it was."""


def export_marts(
    duckdb_path: str | Path,
    exports_dir: str | Path,
    *,
    built_at: datetime | str | None,
    invocation_id: str | None,
    quarantine_dir: str | Path,
    summary_path: str | Path,
    lake_dir: str | Path,
    marts: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Export every mart and the pipeline tables; returns the manifest (also in manifest.json).

    Args:
        duckdb_path: the built warehouse, opened read-only (the build is its only writer).
        exports_dir: where the files go (created).
        built_at: when the dbt build that produced the marts finished (UTC).
        invocation_id: that build's dbt invocation id.
        quarantine_dir: the extraction's quarantine files (`<run>.json` lists of records).
        summary_path: the last extraction's summary (data/run/last_extraction_summary.json).
        lake_dir: the Parquet lake (for source_freshness).
        marts: mart names (default `acorn.assets.MART_MODEL_NAMES`).

    Raises:
        ExportError: a table could not be exported; no file of the previous export changed.
    """
    import duckdb

    if marts is None:
        from acorn.assets import MART_MODEL_NAMES

        marts = MART_MODEL_NAMES
    duckdb_path, exports_dir = Path(duckdb_path).resolve(), Path(exports_dir).resolve()
    built = _utc(built_at) if built_at is not None else None
    exported_at = datetime.now(UTC)
    summary = _read_json(Path(summary_path)) or {}
    staged: list[tuple[Path, Path]] = []  # (temp file, target)
    manifest: dict[str, Any] = {
        "built_at": _iso(built),
        "dbt_invocation_id": invocation_id,
        "exported_at": _iso(exported_at),
        "warehouse": str(duckdb_path),
        "marts": [],
        "pipeline": [],
    }
    # An in-memory session with the warehouse attached read-only: the pipeline tables are
    # built here (a read-only database takes no tables), and times print in UTC.
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach {_literal(duckdb_path)} as warehouse (read_only)")
        for mart in marts:
            entry = _stage_table(
                con, f"warehouse.marts.{_ident(mart)}", exports_dir, Path(mart), staged
            )
            manifest["marts"].append({"mart": mart, **entry})
        pipeline_sql = {
            "source_freshness": _source_freshness(con, Path(lake_dir), summary),
            "quarantined_records": _quarantined_records(con, Path(quarantine_dir)),
            "pipeline_runs": _pipeline_runs(
                con, exports_dir, summary, built, invocation_id, exported_at
            ),
        }
        for name, relation in pipeline_sql.items():
            entry = _stage_table(con, relation, exports_dir, Path(PIPELINE_DIR) / name, staged)
            manifest["pipeline"].append({"name": name, **entry})
    except BaseException as exc:  # a killed task too: leave no temp file behind
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if not isinstance(exc, Exception):
            raise
        raise ExportError(
            f"export to {exports_dir} failed, the previous export is unchanged: {exc}"
        ) from exc
    finally:
        con.close()
    for tmp, target in staged:
        os.replace(tmp, target)
    for folder in {target.parent for _, target in staged}:
        _fsync_dir(folder)
    for stale in exports_dir.glob(f"{_TMP_PREFIX}{MANIFEST_NAME}.*"):  # an interrupted export's
        stale.unlink(missing_ok=True)
    _write_text_atomically(exports_dir / MANIFEST_NAME, json.dumps(manifest, indent=1) + "\n")
    log.info(
        "exported %d marts and %d pipeline tables to %s",
        len(manifest["marts"]),
        len(manifest["pipeline"]),
        exports_dir,
    )
    return manifest


def export_from_settings(build: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """`export_marts()` with paths from `acorn.config` (the Airflow task's entry point).

    `build` is `acorn.warehouse.build_from_settings()`'s result (its XCom): the build's
    `built_at` and `invocation_id`. Returns XCom-small facts: the manifest's path and row counts.
    """
    from acorn.config import load_settings

    s = load_settings()
    build = build or {}
    manifest = export_marts(
        build.get("duckdb_path") or s.duckdb_path,
        s.exports_dir,
        built_at=build.get("built_at"),
        invocation_id=build.get("invocation_id"),
        quarantine_dir=s.quarantine_dir,
        summary_path=s.data_dir / "run" / "last_extraction_summary.json",
        lake_dir=s.lake_dir,
    )
    return {
        "manifest": str(s.exports_dir / MANIFEST_NAME),
        "dbt_invocation_id": manifest["dbt_invocation_id"],
        "rows": {m["mart"]: m["rows"] for m in manifest["marts"]},
    }


# ------------------------------------------------------------------------------ writers


def write_csv(con: Any, relation: str, target: Path) -> None:
    """`relation` as CSV at `target` (not atomic; `export_marts` writes to a temp path):
    UTF-8 with BOM, header row, exact decimals, ISO 8601 timestamps, NULL as an empty field."""
    columns = _describe(con, relation)
    select = ", ".join(_csv_expression(name, kind) for name, kind in columns) or "*"
    raw = target.with_name(target.name + ".body")
    try:
        con.execute(
            f"copy (select {select} from {relation}) to {_literal(raw)} (format csv, header)"
        )
        # DuckDB writes no byte-order mark: prepend it while copying into the target.
        with open(raw, "rb") as src, open(target, "wb") as dst:
            dst.write(UTF8_BOM)
            shutil.copyfileobj(src, dst, 1 << 20)
    finally:
        raw.unlink(missing_ok=True)


def write_parquet(con: Any, relation: str, target: Path) -> None:
    """`relation` as Parquet (zstd) at `target`, its DuckDB types kept (not atomic, as above)."""
    con.execute(
        f"copy (select * from {relation}) to {_literal(target)} (format parquet, compression zstd)"
    )


def _stage_table(
    con: Any, relation: str, exports_dir: Path, rel: Path, staged: list
) -> dict[str, Any]:
    """Write `relation` to temp files beside `<exports_dir>/<rel>/<name>.parquet|csv`, fsynced;
    record them in `staged`. Returns the manifest entry (rows, columns, relative paths)."""
    name = rel.name
    entry: dict[str, Any] = {
        "rows": int(con.execute(f"select count(*) from {relation}").fetchone()[0]),
        "columns": [{"name": n, "type": t} for n, t in _describe(con, relation)],
    }
    folder = exports_dir / rel
    folder.mkdir(parents=True, exist_ok=True)
    # A temp file an interrupted export left behind; one exporter at a time (duckdb_writer pool).
    for stale in folder.glob(f"{_TMP_PREFIX}*"):
        stale.unlink(missing_ok=True)
    for ext, writer in (("parquet", write_parquet), ("csv", write_csv)):
        target = folder / f"{name}.{ext}"
        fd, tmp_name = tempfile.mkstemp(
            prefix=f"{_TMP_PREFIX}{name}.", suffix=f".{ext}", dir=folder
        )
        os.close(fd)
        tmp = Path(tmp_name)
        staged.append((tmp, target))
        tmp.unlink()  # DuckDB's COPY creates the file itself
        writer(con, relation, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        entry[ext] = (rel / f"{name}.{ext}").as_posix()
    return entry


def _csv_expression(name: str, kind: str) -> str:
    col = _ident(name)
    if kind.startswith("TIMESTAMP WITH TIME ZONE"):
        return f"strftime({col}, '{_ISO_UTC}') as {col}"
    if kind.startswith("TIMESTAMP"):
        return f"strftime({col}, '{_ISO_LOCAL}') as {col}"
    return col


# ------------------------------------------------------------------------- pipeline tables


def _source_freshness(con: Any, lake_dir: Path, summary: Mapping[str, Any]) -> str:
    """One row per source, seller and marketplace in the lake or in the last extraction."""
    import pyarrow as pa

    from acorn.lake import writer

    # The newest file write per scope, folded here: a 10M-line lake has some 55k files, and
    # inserting one row per file (or reading every row's run id) took most of the export.
    newest: dict[Scope, datetime] = {}
    for scope, written in _lake_files(lake_dir, writer.EMPTY_SOURCE_PARTITION[0]):
        newest[scope] = max(written, newest.get(scope, written))
    scopes = sorted(newest)
    con.register("_lake", pa.table({
        "source": [s[0] for s in scopes], "seller_id": [s[1] for s in scopes],
        "marketplace_id": [s[2] for s in scopes],
        "last_landed_at": pa.array([newest[s] for s in scopes], pa.timestamp("us", tz="UTC")),
    }))  # fmt: skip
    run_id = summary.get("run_id")
    _create(
        con,
        "_last_run",
        {
            "source": "VARCHAR",
            "seller_id": "VARCHAR",
            "marketplace_id": "VARCHAR",
            "landed": "BIGINT",
            "quarantined": "BIGINT",
        },
    )
    rows = [
        (r["source"], r["seller_id"], r["marketplace_id"], r.get("landed"), r.get("quarantined"))
        for r in summary.get("rows") or ()
    ]
    if rows:
        con.executemany("insert into _last_run values (?, ?, ?, ?, ?)", rows)
    con.execute(
        f"""create temp table source_freshness as
        select
            coalesce(lake.source, run.source) as source,
            coalesce(lake.seller_id, run.seller_id) as seller_id,
            coalesce(lake.marketplace_id, run.marketplace_id) as marketplace_id,
            lake.last_landed_at,
            case when run.source is not null then {_literal(run_id)} end as last_run_id,
            run.landed::bigint as records_landed_last_run,
            run.quarantined::bigint as records_quarantined_last_run
        from _lake as lake full outer join _last_run as run
            on lake.source = run.source and lake.seller_id = run.seller_id
            and lake.marketplace_id = run.marketplace_id
        order by 1, 2, 3"""
    )
    return _typed(con, "source_freshness", SOURCE_FRESHNESS_COLUMNS)


def _lake_files(lake_dir: Path, placeholder: str) -> Iterable[tuple[Scope, datetime]]:
    """((source, seller, marketplace), mtime) of every lake partition file; the zero-row
    placeholder partition of a source nothing landed for is no scope."""
    if not lake_dir.is_dir():
        return
    for path in lake_dir.glob("*/seller_id=*/marketplace_id=*/date=*/*.parquet"):
        if path.name.startswith("."):
            continue
        seller = path.parts[-4].split("=", 1)[1]
        marketplace = path.parts[-3].split("=", 1)[1]
        if seller == placeholder:
            continue
        written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        yield (path.parts[-5], seller, marketplace), written


def _quarantined_records(con: Any, quarantine_dir: Path) -> str:
    """One row per quarantined record of every quarantine file (empty, typed, when none)."""
    _create(con, "quarantined_records", QUARANTINED_RECORDS_COLUMNS)
    known = [c for c in QUARANTINED_RECORDS_COLUMNS if c not in ("details_json", "quarantine_file")]
    rows = []
    for path in sorted(quarantine_dir.glob("*.json")) if quarantine_dir.is_dir() else ():
        records = _read_json(path)
        if isinstance(records, dict):
            records = [records]
        for record in records or ():
            if not isinstance(record, dict):
                continue
            extra = {k: v for k, v in record.items() if k not in known}
            rows.append(
                (
                    *(None if record.get(k) is None else str(record[k]) for k in known),
                    json.dumps(extra, sort_keys=True, ensure_ascii=False, default=str)
                    if extra
                    else None,
                    path.name,
                )
            )
    if rows:
        con.executemany(
            f"insert into quarantined_records values ({', '.join('?' * len(rows[0]))})", rows
        )
    return "quarantined_records"


def _pipeline_runs(
    con: Any,
    exports_dir: Path,
    summary: Mapping[str, Any],
    built_at: datetime | None,
    invocation_id: str | None,
    exported_at: datetime,
) -> str:
    """The previous export's pipeline_runs plus this build, one row per dbt invocation."""
    _create(con, "pipeline_runs_new", PIPELINE_RUNS_COLUMNS)
    rows = summary.get("rows") or ()
    con.execute(
        "insert into pipeline_runs_new values (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            built_at,
            invocation_id,
            summary.get("run_id"),
            sum(int(r.get("landed") or 0) for r in rows),
            sum(int(r.get("quarantined") or 0) for r in rows),
            len(summary.get("failed") or ()),
            "success",
            exported_at,
        ),
    )
    previous = exports_dir / PIPELINE_DIR / "pipeline_runs" / "pipeline_runs.parquet"
    history = "pipeline_runs_new"
    if previous.exists():
        history = (
            f"(select * from pipeline_runs_new union all by name"
            f" select * from read_parquet({_literal(previous)}))"
        )
    columns = ", ".join(_ident(c) for c in PIPELINE_RUNS_COLUMNS)
    # A re-export of the same build replaces its row (the newest export wins).
    con.execute(
        f"""create temp table pipeline_runs as
        select {columns} from {history}
        qualify row_number() over (
            partition by coalesce(dbt_invocation_id, cast(built_at as varchar))
            order by exported_at desc
        ) = 1
        order by built_at nulls first, exported_at"""
    )
    return _typed(con, "pipeline_runs", PIPELINE_RUNS_COLUMNS)


# ---------------------------------------------------------------------------------- helpers


def _create(con: Any, name: str, columns: Mapping[str, str]) -> None:
    cols = ", ".join(f"{_ident(c)} {t}" for c, t in columns.items())
    con.execute(f"create or replace temp table {_ident(name)} ({cols})")


def _typed(con: Any, name: str, columns: Mapping[str, str]) -> str:
    """A view of table `name` with exactly `columns`, in order and type (for the dashboard)."""
    select = ", ".join(f"cast({_ident(c)} as {t}) as {_ident(c)}" for c, t in columns.items())
    view = _ident(name + "_export")
    con.execute(f"create or replace temp view {view} as select {select} from {_ident(name)}")
    return view


def _describe(con: Any, relation: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"describe select * from {relation}").fetchall()]


def _write_text_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{_TMP_PREFIX}{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the renames durable too (POSIX; a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_json(path: Path) -> Any:
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _utc(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment is not None else None


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: Any) -> str:
    if value is None:
        return "null"
    return "'" + str(value).replace("'", "''") + "'"
