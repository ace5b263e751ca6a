"""Benchmark: the client's achieved request rate per operation vs the sandbox's enforced rate.

Not a timed test. For each operation a fresh sandbox (time-scaled) and a fresh
client are started; the client makes `burst + K` calls back to back. The
sustained rate is measured from the sandbox's own accept timestamps,
(calls - burst) / (last - first), and compared with the rate the sandbox enforces. A call
that ends in an error, or any 429, counts as a failure.

    .venv/bin/python bench/bench_client_rate.py [--time-scale 100] [--seconds 5]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from acorn import marketplaces  # noqa: E402
from acorn.spapi import SpApiClient, load_credentials  # noqa: E402
from acorn.spapi.ratelimit import BucketRegistry  # noqa: E402
from acorn_sim.sandbox import SandboxConfig, sandbox_connections, start_sandbox  # noqa: E402
from acorn_sim.sandbox.config import RATE_LIMITS  # noqa: E402
from acorn_sim.world.generator import build_world  # noqa: E402

US = marketplaces.get("US").marketplace_id
DAY = datetime(2026, 8, 10, tzinfo=UTC)


def calls(client: SpApiClient, world, operation: str):
    """A zero-argument callable that makes exactly one `operation` request."""
    seller = world.sellers()[0].selling_partner_id
    if operation == "listTransactions":
        return lambda: list(client.list_transactions(DAY, DAY + timedelta(hours=1), marketplace_id=US))
    if operation == "listFinancialEventGroups":
        return lambda: list(client.list_financial_event_groups(DAY, DAY + timedelta(days=1)))
    if operation == "getOrderItems":
        order_ids = [o["AmazonOrderId"] for o in world.orders(seller, marketplace_ids=[US], created_after=DAY, created_before=DAY + timedelta(days=1))]
        state = {"i": 0}

        def one():
            state["i"] += 1
            return client.get_order_items(order_ids[state["i"] % len(order_ids)])

        return one
    if operation == "getOrders":
        return lambda: list(client.get_orders([US], created_after=DAY, created_before=DAY + timedelta(minutes=30)))
    if operation == "createReport":
        return lambda: client.create_report("GET_FBA_REIMBURSEMENTS_DATA", [US], DAY, DAY + timedelta(days=1))
    if operation == "getReport":
        report_id = client.create_report("GET_FBA_REIMBURSEMENTS_DATA", [US], DAY, DAY + timedelta(days=1))
        return lambda: client.get_report(report_id)
    if operation == "getReports":
        return lambda: client.get_reports(["GET_FBA_REIMBURSEMENTS_DATA"], page_size=100)
    raise ValueError(operation)


OPERATIONS = (
    "listTransactions",
    "listFinancialEventGroups",
    "getOrderItems",
    "getOrders",
    "createReport",
    "getReport",
    "getReports",
)


def bench_operation(world, operation: str, time_scale: float, seconds: float) -> dict:
    limit = RATE_LIMITS[operation]
    enforced = limit.rate * time_scale
    extra = max(10, int(enforced * seconds))
    with start_sandbox(world, SandboxConfig(time_scale=time_scale)) as sandbox:
        os.environ.update(sandbox_connections(sandbox, world))
        client = SpApiClient(load_credentials("spapi_na"), buckets=BucketRegistry(), backoff_base=0.05)
        one = calls(client, world, operation)
        failures = 0
        started = time.perf_counter()
        for _ in range(limit.burst + extra):
            try:
                one()
            except Exception as exc:  # a failed call is the benchmark's failure count
                failures += 1
                logging.warning("%s failed: %s", operation, exc)
        elapsed = time.perf_counter() - started
        op_stats = sandbox.stats()["operations"][operation]
    accepted = sorted(op_stats["accepted_at"])
    # Both buckets start full: by time T a perfectly paced client has made
    # burst + rate * T calls, so the sustained rate is (calls - burst) / T.
    span = accepted[-1] - accepted[0] if len(accepted) > 1 else 0.0
    achieved = (len(accepted) - limit.burst) / span if span else 0.0
    return {
        "operation": operation,
        "documented_rate": limit.rate,
        "burst": limit.burst,
        "enforced_rate": round(enforced, 4),
        "calls": len(accepted),
        "achieved_rate": round(achieved, 4),
        "share_of_allowed": round(achieved / enforced, 4),
        "throttled_429": op_stats["throttled"],
        "failed_calls": failures,
        "wall_seconds": round(elapsed, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-scale", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "client_rate.json")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    world = build_world(seed=7, start=date(2026, 8, 1), days=30, marketplaces=("US",), orders_per_day=200)
    rows = [bench_operation(world, op, args.time_scale, args.seconds) for op in OPERATIONS]
    header = f"{'operation':<26}{'enforced rps':>13}{'achieved rps':>13}{'share':>8}{'429s':>6}{'failed':>7}{'calls':>7}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['operation']:<26}{r['enforced_rate']:>13.3f}{r['achieved_rate']:>13.3f}"
            f"{r['share_of_allowed']:>8.1%}{r['throttled_429']:>6}{r['failed_calls']:>7}{r['calls']:>7}"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"time_scale": args.time_scale, "measured_at": datetime.now(UTC).isoformat(), "rows": rows}, indent=1))
    ok = all(r["share_of_allowed"] >= 0.9 and r["failed_calls"] == 0 and r["throttled_429"] == 0 for r in rows)
    print("\nall operations >= 90% of the enforced rate with zero failed calls:", ok)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
