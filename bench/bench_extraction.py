"""Benchmark: extraction of the default demo world through the real DAG, against the sandbox.

Reports the wall time of the whole `spapi_extract` run and, per SP-API
operation, how much of its (time-scaled) rate limit the run used: calls made,
the span between the first and last call, and utilisation = calls over what
the bucket allowed in that span (burst + rate x span).

    .venv/bin/python bench/bench_extraction.py [--time-scale 1000]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-scale", type=float, default=1000.0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "extraction.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="acorn-bench-"))
    os.environ["ACORN_DATA_DIR"] = str(work / "data")
    os.environ["AIRFLOW_HOME"] = str(work / "airflow_home")
    os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(ROOT / "dags")
    logging.basicConfig(level=logging.WARNING)

    from acorn import runner
    from acorn_sim import demo as cli
    from acorn_sim.sandbox.config import RATE_LIMITS

    runner.prepare_airflow()  # migration is setup, not extraction
    started = time.perf_counter()
    summary, stats = cli.run_against_sandbox(
        seed=cli.DEMO_SEED, world_days=cli.DEMO_WORLD_DAYS, start=cli.DEMO_START, end=cli.DEMO_END,
        time_scale=args.time_scale,
    )  # fmt: skip
    wall = time.perf_counter() - started
    rows = []
    for op, s in sorted(stats["operations"].items()):
        if op not in RATE_LIMITS or not s.get("accepted_at"):
            continue
        limit = RATE_LIMITS[op]
        rate = limit.rate * args.time_scale
        accepted = sorted(s["accepted_at"])
        span = accepted[-1] - accepted[0]
        allowed = limit.burst + rate * span
        rows.append({
            "operation": op, "calls": len(accepted), "span_seconds": round(span, 2),
            "enforced_rate": round(rate, 3), "utilisation": round(len(accepted) / allowed, 4),
            "throttled_429": s.get("throttled", 0),
        })  # fmt: skip
    landed = sum(r["landed"] for r in summary["rows"])
    print(f"extraction of the demo world ({cli.DEMO_START}..{cli.DEMO_END}, 13 marketplaces): "
          f"{wall:.1f} s wall, {landed} records landed")  # fmt: skip
    print(f"{'operation':<26}{'calls':>8}{'span s':>9}{'enforced rps':>14}{'used':>8}{'429s':>6}")
    for r in rows:
        print(f"{r['operation']:<26}{r['calls']:>8}{r['span_seconds']:>9}{r['enforced_rate']:>14}"
              f"{r['utilisation']:>8.1%}{r['throttled_429']:>6}")  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "measured_at": datetime.now(UTC).isoformat(), "time_scale": args.time_scale,
        "wall_seconds": round(wall, 1), "records_landed": landed, "operations": rows,
    }, indent=1))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
