"""`python -m acorn.cli run|demo`: the nightly pipeline for a date range, and the demo.

`run` talks to whatever the spapi_* connections point at. `demo` builds the
seeded synthetic world, serves it with the local SP-API sandbox on
127.0.0.1, points the connections there, and calls `run` for the demo period.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from acorn import marketplaces

log = logging.getLogger("acorn")

DEMO_SEED = 7
DEMO_WORLD_START = date(2026, 8, 1)
DEMO_WORLD_DAYS = 92
DEMO_START = "2026-08-01"
DEMO_END = "2026-10-31"
DEMO_TIME_SCALE = 1000.0
# The demo world is synthetic; its hash key is not a secret. Real runs set
# the Airflow variable acorn_pii_hash_key.
DEMO_PII_KEY = "acorn-demo-pii-key-not-secret"


def backfill_chunks(start: date, end: date, chunk_days: int) -> list[tuple[str, str]]:
    """Inclusive [start, end] split into consecutive chunks of at most chunk_days days."""
    chunks, cursor = [], start
    while cursor <= end:
        last = min(end, cursor + timedelta(days=chunk_days - 1))
        chunks.append((cursor.isoformat(), last.isoformat()))
        cursor = last + timedelta(days=1)
    return chunks


def run_pipeline(
    start: str, end: str, *, build_warehouse: bool = True, full_refresh: bool = False
) -> dict[str, Any]:
    from acorn import runner
    from acorn.config import load_settings

    runner.prepare_airflow()
    runner.run_dag("spapi_extract", {"start": start, "end": end})
    if build_warehouse:
        # The warehouse DAG is scheduled on the lake assets; here it runs right after, for real.
        runner.run_dag("warehouse_build", {"full_refresh": full_refresh})
    summary_path = load_settings().data_dir / "run" / "last_extraction_summary.json"
    return json.loads(summary_path.read_text())


def print_summaries(summary: dict[str, Any]) -> None:
    from acorn.config import load_settings
    from acorn.report import reconciliation_summary

    print(format_summary(summary, landed_by_marketplace(summary["run_id"])))
    print()
    print(reconciliation_summary(load_settings().duckdb_path))


SUMMARY_COLUMNS = (
    ("transactions", "txns"),
    ("orders", "orders"),
    ("order_items", "items"),
    ("fba_returns", "fba_ret"),
    ("mfn_returns", "mfn_ret"),
    ("reimbursements", "reimb"),
    ("settlements", "settlmts"),
    ("settlement_lines", "settl_lines"),
)


def landed_by_marketplace(run_id: str) -> dict[str, dict[str, int]]:
    """Records this run wrote to the lake, per source and marketplace (read back from the lake)."""
    import pyarrow.compute as pc

    from acorn.config import load_settings
    from acorn.lake import writer
    from acorn.lake.schemas import ALL_SOURCES

    lake = load_settings().lake_dir
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for name, source in ALL_SOURCES.items():
        table = writer.read_source(lake, name, source.schema)
        if not table.num_rows:
            continue
        mine = table.filter(pc.equal(table[writer.RUN_ID], run_id))
        for row in mine.group_by("marketplace_id").aggregate([("marketplace_id", "count")]).to_pylist():
            out[row["marketplace_id"]][name] = row["marketplace_id_count"]
    return out


def format_summary(summary: dict[str, Any], landed: dict[str, dict[str, int]]) -> str:
    """Per marketplace and source: records landed this run, and (after a slash) how many were quarantined."""
    quarantined: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in summary["rows"]:
        quarantined[r["marketplace_id"]][r["source"]] += r["quarantined"]
    header = f"{'marketplace':<12}{'ccy':<5}" + "".join(f"{label:>13}" for _, label in SUMMARY_COLUMNS)
    lines = [header, "-" * len(header)]
    for mp_id in sorted(landed, key=lambda m: marketplaces.get(m).code if m in marketplaces.BY_ID else "~" + m):
        if mp_id not in marketplaces.BY_ID:
            continue
        mp = marketplaces.get(mp_id)
        cells = []
        for name, _ in SUMMARY_COLUMNS:
            bad = quarantined[mp_id].get(name, 0)
            cells.append(f"{str(landed[mp_id].get(name, 0)) + (f'/{bad}q' if bad else ''):>13}")
        lines.append(f"{mp.code:<12}{mp.currency:<5}" + "".join(cells))
    account_level = sum(v.get("financial_event_groups", 0) for v in landed.values())
    total = sum(sum(v.values()) for v in landed.values())
    bad_total = sum(sum(v.values()) for v in quarantined.values())
    account_bad = {s: n for s, n in quarantined.get("ALL", {}).items() if n}
    lines.append("")
    lines.append(f"financial event groups (account level): {account_level}")
    if account_bad:
        lines.append(f"quarantined at account level (settlements): {account_bad}")
    lines.append(
        f"{total} records landed in the lake, {bad_total} quarantined (run {summary['run_id']}); "
        "quarantined records and their rules: data/quarantine/"
    )
    return "\n".join(lines)


DEMO_MARKER = "demo_world.json"


def world_fingerprint(world: Any) -> str:
    """Identity of a synthetic world's orders (ids and purchase times): a changed generator
    gives the same seed different orders, which must not be merged into the old ones."""
    import hashlib

    digest = hashlib.sha256()
    for order in sorted(world.data.orders, key=lambda o: o.order_id):
        digest.update(f"{order.order_id}|{order.purchased_at.isoformat()}\n".encode())
    return digest.hexdigest()


def prepare_demo_data(fingerprint: str) -> None:
    """Keep the demo's lake to one world: clear the demo's lake, quarantine and warehouse
    when the world changed since they were landed; refuse a lake no demo wrote."""
    import shutil

    from acorn.config import load_settings

    settings = load_settings()
    marker = settings.data_dir / "run" / DEMO_MARKER
    landed = next(settings.lake_dir.glob("*/*/*/*/data.parquet"), None) is not None
    recorded = json.loads(marker.read_text()).get("world") if marker.exists() else None
    if recorded == fingerprint:
        return
    if landed and recorded is None:
        raise SystemExit(
            f"{settings.lake_dir} holds data no demo landed (no {marker}): the demo will not merge the "
            "sandbox world into it. Point ACORN_DATA_DIR at another directory, or remove that lake."
        )
    if landed:
        log.warning("the demo world changed since the last demo: clearing %s, %s and %s",
                    settings.lake_dir, settings.quarantine_dir, settings.duckdb_path)  # fmt: skip
        for folder in (settings.lake_dir, settings.quarantine_dir):
            for child in folder.iterdir() if folder.is_dir() else ():
                if not child.name.startswith("."):  # keep .gitkeep
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        settings.duckdb_path.unlink(missing_ok=True)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"world": fingerprint}) + "\n")


def run_against_sandbox(
    *, seed: int, world_days: int, start: str, end: str, time_scale: float, full_refresh: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Build the seeded world, serve it on 127.0.0.1, run the pipeline; returns (summary, sandbox stats)."""
    from acorn.sandbox import SandboxConfig, sandbox_connections, start_sandbox
    from acorn.world.generator import build_world

    log.info("building the demo world (seed %s, %s days from %s)", seed, world_days, DEMO_WORLD_START)
    world = build_world(seed=seed, start=DEMO_WORLD_START, days=world_days)
    prepare_demo_data(world_fingerprint(world))
    with start_sandbox(world, SandboxConfig(time_scale=time_scale)) as sandbox:
        log.info("SP-API sandbox listening on %s", sandbox.url)
        os.environ.update(sandbox_connections(sandbox, world))
        os.environ.setdefault("ACORN_PII_HASH_KEY", DEMO_PII_KEY)
        summary = run_pipeline(start, end, full_refresh=full_refresh)
        stats = sandbox.stats()
    return summary, stats


def demo(args: argparse.Namespace) -> int:
    summary, _ = run_against_sandbox(
        seed=args.seed, world_days=args.days, start=args.start, end=args.end, time_scale=args.time_scale,
        full_refresh=args.full_refresh,
    )
    print_summaries(summary)
    return 0


def run(args: argparse.Namespace) -> int:
    print_summaries(run_pipeline(args.start, args.end, full_refresh=args.full_refresh))
    return 0


def backfill(args: argparse.Namespace) -> int:
    """One extraction run per chunk, in the order asked (the lake is the same whatever the
    order), then one warehouse build over the whole lake."""
    import random

    from acorn import runner
    from acorn.config import load_settings
    from acorn.report import reconciliation_summary
    chunks = backfill_chunks(date.fromisoformat(args.start), date.fromisoformat(args.end), args.chunk_days)
    if args.shuffle_seed is not None:
        random.Random(args.shuffle_seed).shuffle(chunks)
    for first, last in chunks:
        log.info("backfill chunk %s .. %s", first, last)
        # Extract every chunk first; the warehouse is built once, over the whole lake.
        summary = run_pipeline(first, last, build_warehouse=False)
        print(format_summary(summary, landed_by_marketplace(summary["run_id"])))
    runner.run_dag("warehouse_build", {"full_refresh": args.full_refresh})
    print(reconciliation_summary(load_settings().duckdb_path))
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="acorn")
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="run the nightly pipeline for a date range")
    p_run.add_argument("--start", required=True, type=date.fromisoformat)
    p_run.add_argument("--end", required=True, type=date.fromisoformat)
    p_run.set_defaults(func=run)
    p_back = sub.add_parser("backfill", help="run the pipeline chunk by chunk over a date range")
    p_back.add_argument("--start", required=True, type=date.fromisoformat)
    p_back.add_argument("--end", required=True, type=date.fromisoformat)
    p_back.add_argument("--chunk-days", type=int, default=1)
    p_back.add_argument("--shuffle-seed", type=int, default=None, help="run the chunks in a shuffled order")
    p_back.set_defaults(func=backfill)
    p_demo = sub.add_parser("demo", help="the pipeline against the local sandbox's demo world")
    p_demo.add_argument("--seed", type=int, default=DEMO_SEED)
    p_demo.add_argument("--days", type=int, default=DEMO_WORLD_DAYS)
    p_demo.add_argument("--start", default=DEMO_START, type=date.fromisoformat)
    p_demo.add_argument("--end", default=DEMO_END, type=date.fromisoformat)
    p_demo.add_argument("--time-scale", type=float, default=DEMO_TIME_SCALE)
    p_demo.set_defaults(func=demo)
    for p in (p_run, p_back, p_demo):
        p.add_argument("--full-refresh", action="store_true",
                       help="rebuild the warehouse's incremental tables from the whole lake (after an upgrade "
                            "that changes their columns)")  # fmt: skip
    args = parser.parse_args(argv)
    for attr in ("start", "end"):
        if isinstance(getattr(args, attr, None), date):
            setattr(args, attr, getattr(args, attr).isoformat())
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
