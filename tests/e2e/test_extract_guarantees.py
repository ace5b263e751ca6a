"""Issue #4 guarantees, with real DAG runs against the sandbox over HTTP:
nothing lost, nothing doubled, whatever the order or the interruptions."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from acorn import cli, runner

from .conftest import BASELINE_END, BASELINE_START
from .lake_snapshot import assert_same_records, counts, records

pytestmark = pytest.mark.e2e

START, END = BASELINE_START, BASELINE_END  # 30 days
FBA_RETURNS = "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"
REIMBURSEMENTS = "GET_FBA_REIMBURSEMENTS_DATA"


def run_into(data_dir: Path, monkeypatch, start: str = START, end: str = END):
    monkeypatch.setenv("ACORN_DATA_DIR", str(data_dir))
    return runner.run_dag("spapi_extract", {"start": start, "end": end})


@pytest.fixture(scope="module")
def baseline(baseline_lake):
    """The records of one clean sequential run of the 30 days (conftest's baseline_lake)."""
    return records(baseline_lake)


def test_the_baseline_lands_every_source(baseline):
    # No MFN returns in this world; no expected payouts in a backfill of past days (docs/CASHFLOW.md:
    # a snapshot of the present is taken only by a window that reaches the server's present).
    exempt = ("mfn_returns", "expected_payouts")
    assert all(n > 0 for source, n in counts(baseline).items() if source not in exempt), counts(baseline)


def test_running_the_same_interval_twice_gives_the_same_records(pipeline_env, monkeypatch, baseline):
    run_into(pipeline_env, monkeypatch)
    run_into(pipeline_env, monkeypatch)
    assert_same_records(records(pipeline_env / "lake"), baseline)


def test_a_shuffled_backfill_equals_the_sequential_run(pipeline_env, monkeypatch, baseline):
    import random
    from datetime import date

    chunks = cli.backfill_chunks(date.fromisoformat(START), date.fromisoformat(END), 6)
    assert len(chunks) == 5
    random.Random(4).shuffle(chunks)
    assert chunks != sorted(chunks)
    for first, last in chunks:
        run_into(pipeline_env, monkeypatch, first, last)
    assert_same_records(records(pipeline_env / "lake"), baseline)


def test_a_run_killed_mid_extraction_and_rerun_leaves_no_partial_or_duplicate_record(
    pipeline_env, monkeypatch, baseline
):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "acorn.cli", "run", "--start", START, "--end", END],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    lake = pipeline_env / "lake"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(lake.glob("*/seller_id=*/marketplace_id=*/date=*/data.parquet")):
        time.sleep(0.2)
    time.sleep(1.0)  # well inside the extraction
    assert proc.poll() is None, "the run finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    partial = records(lake)
    assert 0 < sum(counts(partial).values()) < sum(counts(baseline).values())
    run_into(pipeline_env, monkeypatch)
    assert_same_records(records(lake), baseline)
    assert not list(lake.rglob(".tmp-*")), "temp files left behind"


def test_malformed_records_are_quarantined_with_their_rule_and_the_rest_lands(
    pipeline_env, monkeypatch, e2e_sandbox, baseline
):
    e2e_sandbox.set_faults(
        reset=True,
        corrupt_records=[
            {"count": 1, "operation": "listTransactions", "kind": "bad_currency"},
            {"count": 1, "operation": FBA_RETURNS, "kind": "non_numeric_amount"},
        ],
    )
    try:
        run_into(pipeline_env, monkeypatch)
        e2e_sandbox.set_faults(corrupt_records=[{"count": 1, "operation": "listTransactions", "kind": "non_numeric_amount"}])
        e2e_sandbox.set_faults(corrupt_records=[{"count": 1, "operation": FBA_RETURNS, "kind": "missing_order_id"}])
        run_into(pipeline_env, monkeypatch)
        e2e_sandbox.set_faults(corrupt_records=[{"count": 1, "operation": REIMBURSEMENTS, "kind": "renamed_column"}])
        run_into(pipeline_env, monkeypatch)
    finally:
        e2e_sandbox.set_faults(reset=True)
    quarantine = [
        row for path in sorted((pipeline_env / "quarantine").glob("*.json")) for row in json.loads(path.read_text())
    ]
    rules = " | ".join(f"{q['source']}:{q['rule']}" for q in quarantine)
    assert "transactions:currency_valid_for_marketplace" in rules
    assert "transactions:normalisable" in rules
    assert "known_layout" in rules
    assert "fba_returns:order_id_not_null" in rules
    assert "reimbursements:known_layout" in rules
    assert all(q["reason"] and q["record_key"] for q in quarantine)
    # The good records landed: the lake equals the clean baseline except the few quarantined
    # ones, and a clean rerun restores every one of them.
    landed = counts(records(pipeline_env / "lake"))
    assert landed["transactions"] >= counts(baseline)["transactions"] - 2
    run_into(pipeline_env, monkeypatch)
    assert_same_records(records(pipeline_env / "lake"), baseline)


def test_an_expired_settlement_download_url_is_fetched_again(pipeline_env, monkeypatch, e2e_sandbox, baseline):
    # The first settlement download finds its pre-signed URL expired (403 "Request has expired").
    e2e_sandbox.set_faults(reset=True, expire_document_urls={"count": 1, "operation": "downloadDocument"})
    before = e2e_sandbox.stats()["operations"].get("downloadDocument", {}).get("status_counts", {})
    try:
        run_into(pipeline_env, monkeypatch)
    finally:
        e2e_sandbox.set_faults(reset=True)
    after = e2e_sandbox.stats()["operations"]["downloadDocument"]["status_counts"]
    assert int(after.get("403", 0)) > int(before.get("403", 0)), after
    assert records(pipeline_env / "lake")["settlement_lines"] == baseline["settlement_lines"]
