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


class ExtractionIncompleteError(RuntimeError):
    """Some sources did not land (the run summary says which and why); the others did.

    The warehouse is not built on such a night, as in a deployment, where the
    `warehouse_build` DAG waits for every lake asset: marts built without, say, that
    night's settlements would report landed refunds as missing.
    """

    def __init__(self, summary: dict[str, Any]) -> None:
        super().__init__(f"{len(summary.get('failed', []))} extraction(s) failed (run {summary['run_id']})")
        self.summary = summary


def run_pipeline(
    start: str, end: str, *, build_warehouse: bool = True, full_refresh: bool = False
) -> dict[str, Any]:
    from acorn import runner
    from acorn.config import load_settings
    from acorn.extract.run import validate_configuration

    # What no retry can fix fails here, once, in plain words (the DAG checks again when it runs).
    validate_configuration()
    runner.prepare_airflow()
    summary_path = load_settings().data_dir / "run" / "last_extraction_summary.json"
    try:
        runner.run_dag("spapi_extract", {"start": start, "end": end})
    except runner.DagRunFailedError as err:
        summary = json.loads(summary_path.read_text()) if summary_path.exists() else {}
        if summary.get("run_id") == err.run_id and summary.get("failed"):
            raise ExtractionIncompleteError(summary) from err
        raise  # failed before any source ran (configuration, planning): the error says why
    if build_warehouse:
        # The warehouse DAG is scheduled on the lake assets; here it runs right after, for real.
        runner.run_dag("warehouse_build", {"full_refresh": full_refresh})
    return json.loads(summary_path.read_text())


def print_summaries(summary: dict[str, Any]) -> None:
    from acorn.cashflow.pipeline import summary_lines as cashflow_summary_lines
    from acorn.config import load_settings
    from acorn.digest import summary_lines
    from acorn.report import reconciliation_summary
    from acorn.risk.pipeline import summary_lines as risk_summary_lines

    settings = load_settings()
    print(format_summary(summary, landed_by_marketplace(summary["run_id"])))
    print()
    print(reconciliation_summary(settings.duckdb_path))
    print()
    print("\n".join(summary_lines(settings.duckdb_path)))
    print("\n".join(risk_summary_lines(settings.duckdb_path)))
    print("\n".join(cashflow_summary_lines(settings.duckdb_path)))
    print(f"Daily digests (Markdown and HTML, one per seller): {settings.data_dir / 'digests'}")


def print_where_to_look_next() -> None:
    """The last lines of every run: the dashboard, exports, warehouse, digests and dbt docs."""
    from acorn.config import load_settings
    from acorn.progress import where_to_look_next

    print()
    print("\n".join(where_to_look_next(load_settings())), flush=True)


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
CASH_FLOW_COLUMNS = ("balances", "payouts", "payout_status_history", "expected_payouts")


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
    cash = {s: sum(v.get(s, 0) for v in landed.values()) for s in CASH_FLOW_COLUMNS}
    lines.append("cash flow (account level): " + ", ".join(f"{s} {n}" for s, n in cash.items()))
    if account_bad:
        lines.append(f"quarantined at account level (settlements): {account_bad}")
    lines.append(
        f"{total} records landed in the lake, {bad_total} quarantined (run {summary['run_id']}); "
        "quarantined records and their rules: data/quarantine/"
    )
    lines.extend(format_problems(summary))
    return "\n".join(lines)


def format_problems(summary: dict[str, Any]) -> list[str]:
    """What did not land, and what Amazon did not give: once per run, with the role that would help."""
    lines: list[str] = []
    for note in summary.get("unavailable_data", ()):
        lines.append(
            f"NOT AVAILABLE: {', '.join(note.get('data_elements') or ())} from {note.get('operation')} "
            f"({len(note.get('scopes') or ())} scopes landed without them); the role that unlocks them: "
            f"{note.get('role')}. Amazon said: {note.get('reason')}"
        )
    for note in summary.get("notes", ()):
        lines.append(f"SKIPPED: {note}")
    for failure in summary.get("failed", ()):
        lines.append(
            f"FAILED: {failure['task_id']} {failure.get('conn_id', '')} {failure['seller_id']}/"
            f"{failure['marketplace_id']}: {failure['message']}"
        )
    if summary.get("failed"):
        lines.append("The other sources landed; the warehouse was not built this run (its marts are as of the last "
                     "complete run).")  # fmt: skip
    return lines


def run(args: argparse.Namespace) -> int:
    from acorn import progress
    from acorn.extract.run import ConfigurationProblem

    try:
        with progress.reporting():
            summary = run_pipeline(args.start, args.end, full_refresh=args.full_refresh)
    except ConfigurationProblem as err:
        print(f"configuration error, nothing was extracted: {err}", file=sys.stderr)
        return 2
    except ExtractionIncompleteError as err:
        print(format_summary(err.summary, landed_by_marketplace(err.summary["run_id"])))
        print_where_to_look_next()
        return 1
    print_summaries(summary)
    print_where_to_look_next()
    return 0


def backfill(args: argparse.Namespace) -> int:
    """One extraction run per chunk, in the order asked (the lake is the same whatever the
    order), then one warehouse build over the whole lake."""
    import random

    from acorn import progress, runner
    from acorn.config import load_settings
    from acorn.report import reconciliation_summary
    chunks = backfill_chunks(date.fromisoformat(args.start), date.fromisoformat(args.end), args.chunk_days)
    if args.shuffle_seed is not None:
        random.Random(args.shuffle_seed).shuffle(chunks)
    with progress.reporting() as shown:
        for n, (first, last) in enumerate(chunks, 1):
            log.info("backfill chunk %s .. %s", first, last)
            shown.context(f"chunk {n}/{len(chunks)} ({first} .. {last})")
            # Extract every chunk first; the warehouse is built once, over the whole lake.
            summary = run_pipeline(first, last, build_warehouse=False)
            print(format_summary(summary, landed_by_marketplace(summary["run_id"])))
        shown.context("")
        runner.run_dag("warehouse_build", {"full_refresh": args.full_refresh})
    print(reconciliation_summary(load_settings().duckdb_path))
    print_where_to_look_next()
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
