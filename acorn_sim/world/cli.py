"""``python -m acorn_sim.world build|export-lake|verify``: build world directories and use them.

    python -m acorn_sim.world build --seed 7 --sellers 1 --days 90 --scale 1 --out data/worlds/demo
    python -m acorn_sim.world export-lake --world-dir data/worlds/demo --lake /tmp/lake
    python -m acorn_sim.world verify --world-dir data/worlds/demo

stdout is the command's interface (a human-readable summary); progress goes to the log.
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from acorn.marketplaces import DEMO_CODES
from acorn_sim.world import settings as S

log = logging.getLogger(__name__)


def _codes(text: str) -> tuple[str, ...]:
    codes = tuple(c.strip().upper() for c in text.split(",") if c.strip())
    if not codes:
        raise argparse.ArgumentTypeError("expected a comma-separated list like US,DE,JP")
    return codes


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m acorn_sim.world")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build a world directory, one (seller, marketplace) shard at a time")
    b.add_argument("--seed", type=int, default=7)
    b.add_argument("--sellers", type=int, default=1)
    b.add_argument("--days", type=int, default=90)
    b.add_argument("--scale", type=float, default=1.0, help=f"multiplies orders/day (base {S.DEFAULT_ORDERS_PER_DAY})")
    b.add_argument("--start", type=date.fromisoformat, default=date(2026, 8, 1), help="first order day")
    b.add_argument("--marketplaces", type=_codes, default=DEMO_CODES, help="e.g. US,DE,JP (default: all 13)")
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--force", action="store_true", help="replace an existing directory once the new one is built")
    b.add_argument("--jobs", type=int, default=1, help="worker processes building shards (same bytes as 1)")
    e = sub.add_parser("export-lake", help="write a built world straight into the pipeline's lake layout")
    e.add_argument("--world-dir", type=Path, required=True)
    e.add_argument("--lake", type=Path, required=True)
    e.add_argument("--pii-key", default=None, help="PII HMAC key (default: ACORN_PII_HASH_KEY / demo key)")
    e.add_argument("--run-id", default=None,
                   help="_run_id of every row; the warehouse reads the extraction time after '__', "
                        "e.g. world-export__2026-11-01T00:00:00+00:00")  # fmt: skip
    e.add_argument("--from-date", type=date.fromisoformat, default=None,
                   help="land only rows whose lake partition date is on or after this day")  # fmt: skip
    e.add_argument("--to-date", type=date.fromisoformat, default=None,
                   help="land only rows whose lake partition date is before this day")  # fmt: skip
    e.add_argument("--jobs", type=int, default=1, help="worker processes exporting shards (same rows as 1)")
    e.add_argument("--no-fsync", action="store_true",
                   help="throwaway (benchmark) lakes only: skip fsync; renames stay atomic")  # fmt: skip
    v = sub.add_parser("verify", help="re-hash every file against the manifest")
    v.add_argument("--world-dir", type=Path, required=True)
    return parser


def _print_build(report: Any) -> None:
    m = report.manifest
    out = sys.stdout
    p = m["params"]
    out.write(f"world {report.path}  seed={m['seed']} sellers={p['sellers']} days={p['days']} "
              f"scale={p['scale']} orders/day={p['orders_per_day']:g} as_of={m['as_of']}\n")  # fmt: skip
    per_mp: dict[str, dict[str, int]] = {}
    for s in m["shards"]:
        c = per_mp.setdefault(s["marketplace"], {})
        for k, v in s["counts"].items():
            c[k] = c.get(k, 0) + v
    cols = ("orders", "transactions", "transaction_items", "settlement_reports", "settlement_lines",
            "transaction_lines", "report_rows")  # fmt: skip
    out.write(f"{'mkt':<4}" + "".join(f"{c:>19}" for c in cols) + "\n")
    for code, c in per_mp.items():
        out.write(f"{code:<4}" + "".join(f"{c.get(k, 0):>19,}" for k in cols) + "\n")
    t = m["totals"]
    out.write(f"{'all':<4}" + "".join(f"{t.get(k, 0):>19,}" for k in cols) + "\n")
    kinds = m.get("ground_truth_kinds") or {}
    out.write("ground truth: " + (", ".join(f"{k}={v}" for k, v in kinds.items()) or "none (generator has none)")
              + "\n")  # fmt: skip
    lines = t.get("transaction_lines", 0)
    out.write(f"time: total {report.total_seconds:.1f}s (generate+render {report.generate_seconds:.1f}s, "
              f"write {report.write_seconds:.1f}s), {lines / max(report.total_seconds, 1e-9):,.0f} lines/s; "
              f"peak RSS {_peak_rss_mb():,.0f} MiB\n")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command == "build":
        from acorn_sim.world.store import WorldParams, write_world

        params = WorldParams(
            seed=args.seed, start=args.start, days=args.days, sellers=args.sellers,
            marketplaces=args.marketplaces, scale=args.scale,
        )  # fmt: skip
        try:
            report = write_world(params, args.out, overwrite=args.force, jobs=args.jobs)
        except FileExistsError as exc:
            sys.stderr.write(f"error: {exc}\n")
            return 2
        _print_build(report)
        return 0
    if args.command == "export-lake":
        from acorn_sim.world.lake_export import export_lake

        t0 = time.perf_counter()
        counts = export_lake(
            args.world_dir, args.lake, pii_key=args.pii_key, run_id=args.run_id,
            from_date=args.from_date, to_date=args.to_date, jobs=args.jobs, durable=not args.no_fsync,
        )  # fmt: skip
        for source, n in counts.items():
            sys.stdout.write(f"{source:<24}{n:>12,}\n")
        seconds = time.perf_counter() - t0
        sys.stdout.write(f"lake {args.lake}: {seconds:.1f}s, peak RSS {_peak_rss_mb():,.0f} MiB "
                         f"(this process; workers have their own)\n")  # fmt: skip
        return 0
    if args.command == "verify":
        from acorn_sim.world.store import verify

        problems = verify(args.world_dir)
        for p in problems:
            sys.stdout.write(p + "\n")
        sys.stdout.write("ok\n" if not problems else f"{len(problems)} problem(s)\n")
        return 0 if not problems else 1
    return 2
