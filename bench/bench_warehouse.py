"""Benchmark: the dbt warehouse, full refresh and one nightly incremental run, against plain pandas.

Given a built world (or building one), in a fresh work directory:

1. export the lake before day D (`python -m acorn_sim.world export-lake --to-date D`, run id
   `world-export__<D>T00:00:00+00:00`, i.e. extracted at midnight of D);
2. `dbt build --full-refresh` (acorn.warehouse.build in a subprocess, as the nightly job
   runs it: data tests, no unit tests), and a copy of the warehouse it built;
3. export the night: partitions in [D - lookback, D + 1) again, extracted at D + 1;
4. `dbt build --select +fct_transaction_settlement_reconciliation` (incremental): the same
   work as the pandas reference, i.e. the refund-to-settlement match and everything it
   reads, with those models' data tests; its warehouse is then moved aside and the copy
   put back;
5. `dbt build` (incremental), the whole nightly job;
6. the pandas reference (bench/pandas_refund_match.py) on the same lake, as first
   written and `--tuned`;
7. compare both pandas results with the warehouse's match per refund transaction (and the
   core-match copy's).

`--lake-ready` skips step 1 when the work dir's lake already holds exactly that export
(23 min on the 10M-line world): e.g. a previous run's lake with the night's partitions
removed and the days [D - lookback, D) exported again with run id `world-export__<D>`.

Every step runs in its own process tree; wall time and peak RSS of the whole tree (sum over
live processes, sampled every 0.1 s by psutil) are reported as a markdown table and saved as JSON.
The exports skip fsync (a throwaway lake).

    .venv/bin/python bench/bench_warehouse.py --world-dir /tmp/w/demo
    .venv/bin/python bench/bench_warehouse.py --build "--seed 7" --world-dir /tmp/w/demo
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def run_measured(name: str, cmd: list[str], env: dict[str, str], log_dir: Path) -> dict:
    """Run `cmd`, sampling the RSS of its whole process tree; raise if it fails."""
    log = log_dir / f"{name}.log"
    with log.open("w") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        root = psutil.Process(proc.pid)
        peak = 0
        while proc.poll() is None:
            rss = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        rss += p.memory_info().rss
                    except psutil.NoSuchProcess:
                        pass
            except psutil.NoSuchProcess:
                pass
            peak = max(peak, rss)
            time.sleep(0.1)
        wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(log.read_text()[-4000:])
        raise SystemExit(f"{name} failed ({proc.returncode}); log: {log}")
    tail = log.read_text().strip().splitlines()[-1:] or [""]
    return {
        "step": name,
        "wall_seconds": round(wall, 2),
        "peak_rss_mib": round(peak / 2**20),
        "last_line": tail[0],
    }


def export_cmd(world: Path, lake: Path, run_id: str, jobs: int, frm: date | None, to: date) -> list[str]:
    cmd = [PY, "-m", "acorn_sim.world", "export-lake", "--world-dir", str(world), "--lake", str(lake),
           "--run-id", run_id, "--to-date", to.isoformat(), "--jobs", str(jobs), "--no-fsync"]  # fmt: skip
    return cmd + (["--from-date", frm.isoformat()] if frm else [])


def dbt_cmd(lake: Path, db: Path, target: Path, full_refresh: bool, project: Path, select: str | None = None) -> list[str]:
    # A selection runs only the tests whose parents it all builds ("cautious"): the default
    # ("eager") would also run, e.g., the breakdowns' conservation test on stale breakdowns.
    cautious = "import os; os.environ['DBT_INDIRECT_SELECTION'] = 'cautious'; " if select else ""
    code = (
        cautious
        + "from acorn.warehouse import build; "
        f"r = build({str(lake)!r}, {str(db)!r}, full_refresh={full_refresh}, target_path={str(target)!r}, "
        f"project_dir={str(project)!r}, select={select!r}); "
        "print(r)"
    )
    return [PY, "-c", code]


# The warehouse's share of the pandas reference's work: the refund-to-settlement match and
# everything it reads (staging of transactions, settlement lines, settlements and event
# groups, the seeds), built incrementally with those models' data tests.
CORE_MATCH = "+fct_transaction_settlement_reconciliation"


# A nightly pipeline lands day D's partition in the night after D: give the exported files
# those write times, or the incremental build would see the whole lake as written "today"
# (its watermark is the files' write time; dbt_project.yml vars.lake_lookback_hours).
BACKDATE = """
import os, sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
for path in Path(sys.argv[1]).rglob("data.parquet"):
    day = date.fromisoformat(path.parent.name.removeprefix("date="))
    at = (datetime(day.year, day.month, day.day, 2, tzinfo=UTC) + timedelta(days=1)).timestamp()
    os.utime(path, (at, at))
"""


COPY = """
import shutil, sys
shutil.rmtree(sys.argv[2], ignore_errors=True)
shutil.copytree(sys.argv[1], sys.argv[2])
"""


def compare(db: Path, pandas_csv: Path) -> dict:
    """Agreement per buyer-refund transaction_id on (settlement_id, settled_amount, reconciliation_status).

    The transaction-level match is `marts.fct_transaction_settlement_reconciliation` (the refund
    mart is one level finer, per refund line and SKU).
    """
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    mart_rows = con.execute(
        "select distinct transaction_id, settlement_id, cast(settled_amount as varchar), reconciliation_status "
        "from marts.fct_transaction_settlement_reconciliation "
        "where transaction_type in ('Refund', 'GuaranteeClaim', 'Chargeback')"
    ).fetchall()
    con.close()
    mart: dict[str, set[tuple]] = {}
    for tid, sid, amount, status in mart_rows:
        mart.setdefault(tid, set()).add((sid, None if amount is None else Decimal(amount), status))
    pandas: dict[str, set[tuple]] = {}
    with pandas_csv.open() as fh:
        for r in csv.DictReader(fh):
            value = (r["settlement_id"] or None, Decimal(r["settled_amount"]) if r["settled_amount"] else None,
                     r["reconciliation_status"])  # fmt: skip
            pandas.setdefault(r["transaction_id"], set()).add(value)
    both = mart.keys() & pandas.keys()
    agree = sum(1 for t in both if mart[t] == pandas[t] and len(mart[t]) == 1)
    disagree = sorted(t for t in both if mart[t] != pandas[t] or len(mart[t]) != 1)
    return {
        "mart_transactions": len(mart), "pandas_transactions": len(pandas), "agree": agree,
        "disagree": len(disagree), "only_in_mart": len(mart.keys() - pandas.keys()),
        "only_in_pandas": len(pandas.keys() - mart.keys()),
        "examples": [{"transaction_id": t, "mart": sorted(map(str, mart[t])), "pandas": sorted(map(str, pandas[t]))}
                     for t in disagree[:5]],
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--world-dir", type=Path, required=True)
    parser.add_argument("--build", default=None, metavar="ARGS",
                        help='build the world first with these `acorn_sim.world build` arguments, e.g. "--seed 7"')  # fmt: skip
    parser.add_argument("--day", type=date.fromisoformat, default=None,
                        help="the night's day D (default: the day before the world's as_of)")  # fmt: skip
    parser.add_argument("--lookback-days", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2, help="export worker processes")
    parser.add_argument(
        "--project-dir", type=Path, default=ROOT / "dbt", help="the dbt project (default: dbt/)"
    )
    parser.add_argument("--work-dir", type=Path, default=None, help="default: a new temp dir")
    parser.add_argument("--lake-ready", action="store_true",
                        help="the work dir's lake already holds the export before D: skip step 1")  # fmt: skip
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "warehouse.json")
    args = parser.parse_args()

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "plugins"), str(ROOT)]),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"}  # fmt: skip
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="acorn-bench-warehouse-"))
    work.mkdir(parents=True, exist_ok=True)
    lake, db, target = work / "lake", work / "warehouse" / "acorn.duckdb", work / "target"
    # The core-match run and the nightly build both start from the pre-night warehouse, at
    # the same path (dbt's partial parsing, which a nightly job enjoys, needs an unchanged
    # profile): the core run's result is moved aside and the pre-night copy put back.
    pre_night, core_db = work / "warehouse-pre-night", work / "warehouse-core" / "acorn.duckdb"
    results = []
    if args.build:
        build = [PY, "-m", "acorn_sim.world", "build", *shlex.split(args.build), "--out", str(args.world_dir)]
        results.append(run_measured("world build", build, env, work))
    manifest = json.loads((args.world_dir / "manifest.json").read_text())
    as_of = datetime.fromisoformat(manifest["as_of"].replace("Z", "+00:00"))
    day = args.day or as_of.date() - timedelta(days=1)
    night_from, night_to = day - timedelta(days=args.lookback_days), day + timedelta(days=1)

    def run_id(extracted: date) -> str:
        return f"world-export__{extracted.isoformat()}T00:00:00+00:00"

    export_before = (f"export lake before {day}", export_cmd(args.world_dir, lake, run_id(day), args.jobs, None, day))
    steps = [
        *([] if args.lake_ready else [export_before]),
        ("date the lake's files as nightly runs wrote them", [PY, "-c", BACKDATE, str(lake)]),
        ("dbt build --full-refresh", dbt_cmd(lake, db, target, True, args.project_dir)),
        ("copy the pre-night warehouse", [PY, "-c", COPY, str(db.parent), str(pre_night)]),
        (f"export night [{night_from}, {night_to})",
         export_cmd(args.world_dir, lake, run_id(night_to), args.jobs, night_from, night_to)),
        (f"dbt build --select {CORE_MATCH} (incremental)",
         dbt_cmd(lake, db, target, False, args.project_dir, CORE_MATCH)),
        ("move the core run's warehouse aside", [PY, "-c", COPY, str(db.parent), str(core_db.parent)]),
        ("put the pre-night warehouse back", [PY, "-c", COPY, str(pre_night), str(db.parent)]),
        ("dbt build (incremental)", dbt_cmd(lake, db, target, False, args.project_dir)),
        ("pandas reference", [PY, str(ROOT / "bench" / "pandas_refund_match.py"), "--lake", str(lake),
                              "--out", str(work / "pandas_refunds.csv")]),
        ("pandas reference --tuned", [PY, str(ROOT / "bench" / "pandas_refund_match.py"), "--lake", str(lake),
                                      "--out", str(work / "pandas_refunds_tuned.csv"), "--tuned"]),
    ]  # fmt: skip
    for name, cmd in steps:
        sys.stderr.write(f"[bench] {name} ...\n")
        results.append(run_measured(name, cmd, env, work))
    agreement = compare(db, work / "pandas_refunds.csv")
    agreement_tuned = compare(db, work / "pandas_refunds_tuned.csv")
    agreement_core = compare(core_db, work / "pandas_refunds.csv")

    lines = int(manifest["totals"].get("transaction_lines", 0))
    by = {r["step"]: r for r in results}
    pandas_s = by["pandas reference"]["wall_seconds"]
    tuned_s = by["pandas reference --tuned"]["wall_seconds"]
    out = sys.stdout
    out.write(f"\nworld {args.world_dir}: {lines:,} transaction lines, as_of {manifest['as_of']}; "
              f"night D={day}, lookback {args.lookback_days} days; work dir {work}\n\n")  # fmt: skip
    out.write(
        "| step | wall s | peak RSS (process tree) MiB | pandas ÷ step | pandas --tuned ÷ step |\n"
        "|---|---:|---:|---:|---:|\n"
    )
    for r in results:
        dbt = r["step"].startswith("dbt")
        ratios = f"{pandas_s / r['wall_seconds']:.2f} | {tuned_s / r['wall_seconds']:.2f}" if dbt else " | "
        out.write(f"| {r['step']} | {r['wall_seconds']:.1f} | {r['peak_rss_mib']:,} | {ratios} |\n")
    out.write(f"\npandas vs marts.fct_transaction_settlement_reconciliation: {agreement['agree']:,} of "
              f"{agreement['mart_transactions']:,} refund transactions agree (disagree {agreement['disagree']}, "
              f"only in mart {agreement['only_in_mart']}, only in pandas {agreement['only_in_pandas']})\n")  # fmt: skip
    for ex in agreement["examples"]:
        out.write(f"  {ex}\n")
    out.write(f"pandas --tuned: {agreement_tuned['agree']:,} agree (disagree {agreement_tuned['disagree']}, "
              f"only in mart {agreement_tuned['only_in_mart']}, only in pandas {agreement_tuned['only_in_pandas']})\n")  # fmt: skip
    out.write(f"core-match warehouse ({CORE_MATCH}) vs pandas: {agreement_core['agree']:,} agree "
              f"(disagree {agreement_core['disagree']}, only in mart {agreement_core['only_in_mart']}, "
              f"only in pandas {agreement_core['only_in_pandas']})\n")  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"), "world": str(args.world_dir),
        "transaction_lines": lines, "day": day.isoformat(), "lookback_days": args.lookback_days,
        "lake_ready": args.lake_ready, "steps": results, "agreement": agreement,
        "agreement_tuned": agreement_tuned, "agreement_core_match": agreement_core,
    }, indent=2) + "\n")  # fmt: skip
    agree = all(a["disagree"] == 0 and not a["only_in_mart"] and not a["only_in_pandas"]
                for a in (agreement, agreement_tuned, agreement_core))  # fmt: skip
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
