"""`python -m acorn.cli run|backfill`: the nightly pipeline for a date range.

Both talk to whatever the spapi_* connections point at. The demo (`make demo`)
is the simulator's (`python -m acorn_sim.demo`): it serves the synthetic world
with the local sandbox and calls `run_pipeline` here.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from acorn import marketplaces

log = logging.getLogger("acorn")

def backfill_chunks(start: date, end: date, chunk_days: int) -> list[tuple[str, str]]:
    """Inclusive [start, end] split into consecutive chunks of at most chunk_days days."""
    from acorn.slicing import slices

    day = timedelta(days=1)
    return [(lo.isoformat(), (hi - day).isoformat()) for lo, hi in slices(start, end + day, chunk_days * day)]


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
    for p in (p_run, p_back):
        add_full_refresh_flag(p)
    args = parser.parse_args(argv)
    normalise_dates(args)
    return args.func(args)


def add_full_refresh_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--full-refresh", action="store_true",
                       help="rebuild the warehouse's incremental tables from the whole lake (after an upgrade "
                            "that changes their columns)")  # fmt: skip


def normalise_dates(args: argparse.Namespace) -> None:
    for attr in ("start", "end"):
        if isinstance(getattr(args, attr, None), date):
            setattr(args, attr, getattr(args, attr).isoformat())


if __name__ == "__main__":
    sys.exit(main())
