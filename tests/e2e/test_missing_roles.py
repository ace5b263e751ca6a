"""`make run` against an SP-API server whose app lacks a role (issue 12 §7), for real.

Each test runs `python -m acorn.cli run` (what `make run` calls) in its own process
against the session's sandbox, switched over its control endpoint to play the app:
one that Amazon refuses a Restricted Data Token (no restricted PII role), and one
without the Finance and Accounting role.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from acorn.lake import writer
from acorn.lake.schemas import ALL_SOURCES

pytestmark = pytest.mark.e2e

START, END = "2026-08-10", "2026-08-16"
BUYER_HASHES = ("buyer_email_hash", "buyer_name_hash", "shipping_address_hash")


@pytest.fixture
def sandbox_switch(e2e_sandbox):
    def switch(**faults):
        e2e_sandbox.set_faults(reset=True, **faults)

    yield switch
    e2e_sandbox.set_faults(reset=True)


def make_run(data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "ACORN_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "acorn.cli", "run", "--start", START, "--end", END],
        env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip


def lake_rows(lake: Path, source: str) -> list[dict]:
    return writer.read_source(lake, source, ALL_SOURCES[source].schema).to_pylist()


def test_an_app_refused_buyer_data_lands_every_source_and_says_which_role_would_unlock_it(
    pipeline_env, sandbox_switch, e2e_world
):
    sandbox_switch(pii_role=False)
    result = make_run(pipeline_env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lake = pipeline_env / "lake"
    orders = lake_rows(lake, "orders")
    assert orders and all(row[h] is None for row in orders for h in BUYER_HASHES)
    # The ship-to area is served without the role: fraud features key on its hash.
    assert all(row["ship_postal_area_hash"] for row in orders)
    assert lake_rows(lake, "order_items")
    for source in ("transactions", "financial_event_groups", "settlements", "fba_returns", "reimbursements"):
        assert lake_rows(lake, source), f"{source} did not land"
    summary = json.loads((pipeline_env / "run" / "last_extraction_summary.json").read_text())
    assert "failed" not in summary
    [note] = summary["unavailable_data"]
    assert note["operation"] == "getOrders"
    assert set(note["data_elements"]) == {"buyerInfo", "shippingAddress"}
    assert "Direct-to-Consumer Delivery (Restricted)" in note["role"]
    assert "does not have access" in note["reason"]
    # Said once in the printed summary (not once per marketplace), with the role.
    printed = [line for line in result.stdout.splitlines() if line.startswith("NOT AVAILABLE")]
    assert len(printed) == 1 and "Direct-to-Consumer Delivery (Restricted)" in printed[0]
    # The warehouse was built on it: the marts exist.
    assert "Refund reconciliation" in result.stdout
    assert (pipeline_env / "warehouse" / "acorn.duckdb").exists()
    assert_progress_then_where_to_look_next(result.stdout, pipeline_env)


def assert_progress_then_where_to_look_next(stdout: str, data_dir: Path) -> None:
    """Not a terminal: no control codes, one plain progress line per stage, and the run ends
    with where to look next (acorn.progress)."""
    assert not re.search(r"[\x1b\r]", stdout), "control codes in a non-terminal's output"
    lines = stdout.splitlines()
    stages = [line for line in lines if re.match(r"\[\d+:\d\d\] ", line)]
    # The stage line shows the count when the poller first sees the stage (every half second),
    # so a fast machine may already have finished a task or two: any N of the planned M.
    assert any(re.search(r" extracting: \d+/\d+ sources", line) for line in stages), stages
    assert any(" building the warehouse: " in line for line in stages), stages
    assert len(stages) == len({re.sub(r"^\S+ ", "", line).split(":")[0] for line in stages}), stages
    [done] = [line for line in stages if "] done: " in line]
    # Every extract task instance finished, and the records counted while they ran are what landed.
    finished = re.search(r"done: (\d+)/(\d+) sources, ([\d,]+) records", done)
    assert finished and finished[1] == finished[2] and int(finished[1]) > 0, done
    landed = re.search(r"^(\d+) records landed in the lake", stdout, re.MULTILINE)
    assert landed and int(finished[3].replace(",", "")) == int(landed[1]), (done, landed)
    tail = lines[-6:]
    assert tail[0] == "Where to look next:", tail
    assert "make dashboard" in tail[1] and "http://127.0.0.1:8501" in tail[1]
    assert str(data_dir / "exports") in tail[2] and "manifest.json" in tail[2]
    assert tail[3].split() == ["warehouse", str(data_dir / "warehouse" / "acorn.duckdb")]
    assert str(data_dir / "digests") in tail[4]
    assert "make docs" in tail[5] and str(data_dir / "docs") in tail[5]


def test_an_app_without_the_finance_role_fails_those_sources_naming_the_role_and_lands_the_rest(
    pipeline_env, sandbox_switch
):
    sandbox_switch(denied_roles=["Finance and Accounting"])
    result = make_run(pipeline_env)
    assert result.returncode != 0
    lake = pipeline_env / "lake"
    # (The e2e world has no MFN return in this week: its report lands nothing either way.)
    for source in ("orders", "order_items", "fba_returns", "reimbursements"):
        assert lake_rows(lake, source), f"{source} did not land"
    for source in ("transactions", "financial_event_groups", "settlements", "settlement_lines", "balances", "payouts",
                   "payout_status_history"):  # fmt: skip
        assert not lake_rows(lake, source), f"{source} landed although its role is missing"
    summary = json.loads((pipeline_env / "run" / "last_extraction_summary.json").read_text())
    failed = {f["task_id"] for f in summary["failed"]}
    # Payouts fail for the EU account (DE) only, the others have no Transfers marketplace; expected
    # payouts are not asked in a window of past days, so their task does not fail.
    assert failed == {
        "extract_transactions", "extract_financial_event_groups", "extract_settlements", "extract_balances",
        "extract_payouts",
    }  # fmt: skip
    assert all("Finance and Accounting" in f["message"] for f in summary["failed"])
    failed_lines = [line for line in result.stdout.splitlines() if line.startswith("FAILED:")]
    assert failed_lines and all("Finance and Accounting" in line for line in failed_lines)
    assert {line.split()[1] for line in failed_lines} == failed
    # No retries: a role no retry can grant is asked for once per scope (no client retry, no task retry).
    audit = [json.loads(line) for f in (pipeline_env / "audit").glob("*.jsonl") for line in f.read_text().splitlines()]
    denied = [a for a in audit if a["status"] == 403]
    assert len(denied) == len(summary["failed"]), (denied, summary["failed"])
    assert {a["operation"] for a in denied} == {
        "listTransactions", "listFinancialEventGroups", "getReports", "listBalances", "listPayouts",
    }  # fmt: skip
    assert "warehouse was not built" in result.stdout
    assert not (pipeline_env / "warehouse" / "acorn.duckdb").exists()


def test_a_malformed_connection_fails_the_run_once_at_planning_naming_connection_and_field(
    pipeline_env, monkeypatch
):
    conn = json.loads(os.environ["AIRFLOW_CONN_SPAPI_NA"])
    secret = conn["extra"].pop("refresh_token")
    monkeypatch.setenv("AIRFLOW_CONN_SPAPI_NA", json.dumps(conn))
    result = make_run(pipeline_env)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "spapi_na" in output and "refresh_token" in output
    assert secret not in output
    # Nothing was extracted, and the configuration check ran once (no retries).
    assert not list((pipeline_env / "lake").rglob("data.parquet"))
    assert "up_for_retry" not in output


def test_in_a_deployment_the_dag_fails_its_configuration_check_once_without_retries(pipeline_env, monkeypatch):
    from acorn import runner

    conn = json.loads(os.environ["AIRFLOW_CONN_SPAPI_NA"])
    conn["extra"]["marketplace_ids"] = ["NOT-A-MARKETPLACE"]
    monkeypatch.setenv("AIRFLOW_CONN_SPAPI_NA", json.dumps(conn))
    with pytest.raises(runner.DagRunFailedError) as failed:
        runner.run_dag("spapi_extract", {"start": START, "end": END})
    assert "check_configuration" in failed.value.failed_tasks
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session

    with create_session() as session:
        [(state, try_number)] = (
            session.query(TaskInstance.state, TaskInstance.try_number)
            .filter_by(dag_id="spapi_extract", run_id=failed.value.run_id, task_id="check_configuration")
            .all()
        )
    assert str(state).endswith("failed") and try_number == 1
    assert not list((pipeline_env / "lake").rglob("data.parquet"))
