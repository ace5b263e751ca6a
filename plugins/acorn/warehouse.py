"""Build the dbt warehouse (lake -> staging -> intermediate -> marts) in-process.

`build()` runs `dbt seed`-included `dbt build` through dbt's programmatic
`dbtRunner` (about 2 s less start-up than the CLI, ENVIRONMENT.md) and raises
`WarehouseBuildError` naming every failing node, so an Airflow task fails with
a useful message. `audit_every_row()` runs every data test on whole tables
(the weekly `warehouse_audit` DAG). `generate_docs()` writes dbt's static docs
site (catalog, lineage, exposures). dbt is imported inside the functions: DAG
files import this module's callers at parse time.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from acorn.config import PROJECT_ROOT

log = logging.getLogger(__name__)

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
_FAILED = {"error", "fail", "runtime error"}


class WarehouseBuildError(RuntimeError):
    """dbt build finished with failing nodes (or could not run at all)."""

    def __init__(self, message: str, failures: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.failures = list(failures)


@dataclass(frozen=True)
class BuildResult:
    duckdb_path: Path
    lake_dir: Path
    elapsed_s: float
    node_count: int
    statuses: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    resource_types: dict[str, int] = field(default_factory=dict)  # nodes run per dbt resource type
    # dbt's id of this invocation (run_results.json metadata.invocation_id) and when it finished
    # (UTC): the exports record which build produced the marts.
    invocation_id: str | None = None
    built_at: datetime | None = None


@contextmanager
def _env(values: dict[str, str]) -> Iterator[None]:
    """profiles.yml and the sources read these through env_var(); restore them afterwards."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _release_duckdb() -> None:
    """dbt-duckdb keeps its database open for the process's life: drop it so the
    file is unlocked for readers (tests, the dashboard) once the build returns."""
    import gc

    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter
        return
    DuckDBConnectionManager.close_all_connections()
    gc.collect()


def build(
    lake_dir: str | Path,
    duckdb_path: str | Path,
    select: str | Sequence[str] | None = None,
    full_refresh: bool = False,
    *,
    unit_tests: bool = False,
    write_artifacts: bool = False,
    project_dir: str | Path = DBT_PROJECT_DIR,
    target_path: str | Path | None = None,
    dbt_vars: Mapping[str, Any] | None = None,
    risk_dir: str | Path | None = None,
) -> BuildResult:
    """Run `dbt build` (seeds, models, data tests; unit tests on request) against a lake.

    Args:
        lake_dir: root of the Parquet lake (ACORN_LAKE_DIR for dbt).
        duckdb_path: the warehouse file (DUCKDB_PATH for dbt); its folder is created.
        select: dbt selection (e.g. "marts+" or ["stg_spapi__transactions+"]); None = everything.
        full_refresh: pass --full-refresh (seeds re-created, incrementals rebuilt).
        unit_tests: also run the dbt unit tests. Off for the nightly job: their inputs are
            fixed fixtures, so they test the SQL, which only changes with a release; `make test`
            (CI) runs them (dbt's docs recommend running unit tests in development and CI only).
        write_artifacts: also write dbt's JSON artifacts (manifest.json, run_results.json) to
            the target path. Off for the nightly job: nothing reads them (the result comes
            back in BuildResult), and dbt serialises the whole manifest twice a run for them.
        project_dir: the dbt project (default: <repo>/dbt).
        target_path: where dbt writes artifacts (default: <project>/target).
        dbt_vars: dbt vars for this build (`--vars`), e.g. {"as_of": "2026-11-01T00:00:00Z"}:
            the instant claim windows and alert due times are judged at (default: the
            latest posting in the warehouse).
        risk_dir: where the return-risk score files are read from (ACORN_RISK_DIR for dbt;
            default `<lake>/../risk`); a missing file reads as zero rows.

    Returns:
        BuildResult with per-status node counts and elapsed seconds.

    Raises:
        WarehouseBuildError: dbt could not run, or any node errored or failed.
    """
    args = ["build", *_project_args(project_dir, target_path)]
    if dbt_vars:
        args += ["--vars", json.dumps(dict(dbt_vars), sort_keys=True)]
    if select:
        args += ["--select", *([select] if isinstance(select, str) else list(select))]
    if full_refresh:
        args.append("--full-refresh")
    if not unit_tests:
        args += ["--exclude-resource-type", "unit_test"]
    if not write_artifacts:
        args.append("--no-write-json")
    return _run_dbt(args, lake_dir, duckdb_path, risk_dir)


def audit_every_row(
    lake_dir: str | Path,
    duckdb_path: str | Path,
    *,
    project_dir: str | Path = DBT_PROJECT_DIR,
    target_path: str | Path | None = None,
    risk_dir: str | Path | None = None,
) -> BuildResult:
    """Run every data test on whole tables (`dbt test --vars '{test_every_row: true}'`).

    The nightly build tests only the rows each incremental table's latest build wrote
    (older rows were tested by the build that wrote them); this re-checks all of them,
    e.g. for a duplicate that only two builds together made. The `warehouse_audit` DAG
    runs it weekly. Give it its own `target_path`: a change of `--vars` makes dbt re-parse
    the project, and the nightly build would pay that again in a shared target.

    Raises:
        WarehouseBuildError: dbt could not run, or any test errored or failed.
    """
    args = ["test", *_project_args(project_dir, target_path), "--vars", "{test_every_row: true}",
            "--exclude-resource-type", "unit_test", "--no-write-json"]  # fmt: skip
    return _run_dbt(args, lake_dir, duckdb_path, risk_dir)


def _project_args(project_dir: str | Path, target_path: str | Path | None) -> list[str]:
    args = ["--project-dir", str(project_dir), "--profiles-dir", str(project_dir), "--no-use-colors"]
    return args + (["--target-path", str(target_path)] if target_path is not None else [])


@contextmanager
def _dbt_env(lake_dir: Path, duckdb_path: Path, risk_dir: Path | None = None) -> Iterator[None]:
    """The environment a dbt invocation on this lake and warehouse needs; dbt-duckdb's
    connection is released afterwards. The risk score files default to `<lake>/../risk`
    (data/risk beside data/lake)."""
    from acorn import sources
    from acorn.cashflow.pipeline import ensure_forecast_readable
    from acorn.lake import writer
    from acorn.risk.scores import ensure_scores_readable

    duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    risk_dir = (risk_dir or lake_dir.parent / "risk").resolve()
    # A source with no file yet would fail the whole build ("No files found that match").
    writer.ensure_every_source_readable(lake_dir, {spec.name: spec.schema for spec in sources.SOURCES})
    ensure_scores_readable(risk_dir)
    # The cash-flow forecast lives beside the risk files (<data>/cashflow, ACORN_CASHFLOW_DIR).
    cashflow_dir = Path(os.environ.get("ACORN_CASHFLOW_DIR", risk_dir.parent / "cashflow")).resolve()
    ensure_forecast_readable(cashflow_dir)
    env = {
        "ACORN_LAKE_DIR": str(lake_dir),
        "ACORN_RISK_DIR": str(risk_dir),
        "ACORN_CASHFLOW_DIR": str(cashflow_dir),
        "DUCKDB_PATH": str(duckdb_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": os.environ.get("DBT_SEND_ANONYMOUS_USAGE_STATS", "False"),
    }
    with _env(env):
        try:
            yield
        finally:
            _release_duckdb()


def _run_dbt(
    args: list[str], lake_dir: str | Path, duckdb_path: str | Path, risk_dir: str | Path | None = None
) -> BuildResult:
    """Invoke dbt in-process on a lake and warehouse; raise naming every failing node."""
    from dbt.cli.main import dbtRunner
    from dbt_common.invocation import get_invocation_id

    command = f"dbt {args[0]}"
    lake_dir, duckdb_path = Path(lake_dir).resolve(), Path(duckdb_path).resolve()
    t0 = time.perf_counter()
    with _dbt_env(lake_dir, duckdb_path, Path(risk_dir) if risk_dir else None):
        res = dbtRunner().invoke(args)
    elapsed = time.perf_counter() - t0
    # dbt resets its invocation id as each invocation starts, so it is still this one's.
    invocation_id = get_invocation_id()
    if res.exception is not None:
        raise WarehouseBuildError(f"{command} could not run: {res.exception}") from res.exception
    statuses: dict[str, int] = {}
    failures: list[str] = []
    warnings: list[str] = []
    resource_types: dict[str, int] = {}
    for r in res.result or []:
        status = str(getattr(r.status, "value", r.status)).lower()
        kind = str(getattr(r.node.resource_type, "value", r.node.resource_type))
        resource_types[kind] = resource_types.get(kind, 0) + 1
        statuses[status] = statuses.get(status, 0) + 1
        if status in _FAILED:
            failures.append(f"{r.node.unique_id}: {status}: {(r.message or '').strip()[:500]}")
        elif status == "warn":
            warnings.append(f"{r.node.unique_id}: {(r.message or '').strip()[:200]}")
    if failures or not res.success:
        raise WarehouseBuildError(
            f"{command} failed ({len(failures)} node(s)):\n" + "\n".join(failures or ["(no node result)"]),
            failures,
        )
    log.info("%s ok in %.1fs: %s", command, elapsed, statuses)
    # RunExecutionResult.generated_at: naive UTC, set when the run finished.
    generated_at = getattr(res.result, "generated_at", None)
    built_at = generated_at.replace(tzinfo=UTC) if generated_at is not None else datetime.now(UTC)
    return BuildResult(
        duckdb_path, lake_dir, elapsed, sum(statuses.values()), statuses, warnings, resource_types,
        invocation_id, built_at,
    )  # fmt: skip


def generate_docs(
    lake_dir: str | Path,
    duckdb_path: str | Path,
    docs_dir: str | Path,
    *,
    project_dir: str | Path = DBT_PROJECT_DIR,
    risk_dir: str | Path | None = None,
) -> Path:
    """Run `dbt docs generate --static` into `docs_dir` (dbt's target path there).

    The catalog (column types, row counts) is read from the built warehouse, so run it
    after a build, never beside one (dbt-duckdb opens the file for writing). dbt writes
    index.html, manifest.json and catalog.json (for `dbt docs serve` or any static web
    server) and static_index.html, the same site with both inlined: one file that opens
    from disk without a server.

    Returns:
        The path of static_index.html.

    Raises:
        WarehouseBuildError: dbt could not run or did not succeed.
    """
    from dbt.cli.main import dbtRunner

    lake_dir, duckdb_path = Path(lake_dir).resolve(), Path(duckdb_path).resolve()
    docs_dir = Path(docs_dir).resolve()
    args = ["docs", "generate", "--static", *_project_args(project_dir, docs_dir)]
    t0 = time.perf_counter()
    with _dbt_env(lake_dir, duckdb_path, Path(risk_dir) if risk_dir else None):
        res = dbtRunner().invoke(args)
    if res.exception is not None:
        raise WarehouseBuildError(
            f"dbt docs generate could not run: {res.exception}"
        ) from res.exception
    static_index = docs_dir / "static_index.html"
    if not res.success or not static_index.exists():
        raise WarehouseBuildError(f"dbt docs generate failed: no {static_index.name} in {docs_dir}")
    log.info("dbt docs generate ok in %.1fs: %s", time.perf_counter() - t0, static_index)
    return static_index


def build_from_settings(select: str | Sequence[str] | None = None, full_refresh: bool = False) -> dict:
    """`build()` with paths from `acorn.config` (the Airflow task's entry point); returns XCom-small facts."""
    from acorn.config import load_settings

    s = load_settings()
    result = build(s.lake_dir, s.duckdb_path, select=select, full_refresh=full_refresh, risk_dir=s.risk_dir)
    return {
        "duckdb_path": str(result.duckdb_path),
        "elapsed_s": round(result.elapsed_s, 1),
        "invocation_id": result.invocation_id,
        "built_at": result.built_at.isoformat() if result.built_at else None,
        **result.statuses,
    }


def audit_every_row_from_settings() -> dict:
    """`audit_every_row()` with paths from `acorn.config` (the weekly audit task); XCom-small facts."""
    from acorn.config import load_settings

    s = load_settings()
    result = audit_every_row(
        s.lake_dir, s.duckdb_path, target_path=s.data_dir / "run" / "dbt_audit_target", risk_dir=s.risk_dir
    )
    return {"duckdb_path": str(result.duckdb_path), "elapsed_s": round(result.elapsed_s, 1), **result.statuses}


def generate_docs_from_settings() -> dict:
    """`generate_docs()` with paths from `acorn.config` (the Airflow task's entry point)."""
    from acorn.config import load_settings

    s = load_settings()
    return {"static_index": str(generate_docs(s.lake_dir, s.duckdb_path, s.docs_dir, risk_dir=s.risk_dir))}


def _main(argv: Sequence[str] | None = None) -> int:
    """`python -m acorn.warehouse docs [--serve] [--port N] [--refresh]` (what `make docs` runs)."""
    import argparse

    from acorn.config import load_settings

    parser = argparse.ArgumentParser(prog="python -m acorn.warehouse")
    sub = parser.add_subparsers(dest="command", required=True)
    docs = sub.add_parser("docs", help="generate dbt's static docs site (if missing) and serve it")
    docs.add_argument("--refresh", action="store_true", help="regenerate even if the site exists")
    docs.add_argument("--serve", action="store_true", help="serve it on 127.0.0.1 until stopped")
    docs.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    s = load_settings()
    static_index = s.docs_dir / "static_index.html"
    if args.refresh or not static_index.exists():
        static_index = generate_docs(s.lake_dir, s.duckdb_path, s.docs_dir, risk_dir=s.risk_dir)
    print(f"dbt docs, one file that opens without a server: {static_index}")
    if args.serve:
        import functools
        import http.server

        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(s.docs_dir))
        with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
            url = f"http://127.0.0.1:{args.port}/"
            print(f"serving {s.docs_dir} on {url} (Ctrl-C stops)", flush=True)
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
