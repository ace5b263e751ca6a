"""The extraction DAG for real (dag.test) against the sandbox: what lands, and what must not."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from acorn import marketplaces, runner
from acorn.lake import writer
from acorn.lake.schemas import ALL_SOURCES

from .conftest import sandbox_env

pytestmark = pytest.mark.e2e

REPORT_SOURCES = {
    "fba_returns": "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA",
    "mfn_returns": "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE",
    "reimbursements": "GET_FBA_REIMBURSEMENTS_DATA",
}
START, END = "2026-08-05", "2026-08-25"
WINDOW = (datetime(2026, 8, 5, tzinfo=UTC), datetime(2026, 8, 26, tzinfo=UTC))


def lake_rows(lake_dir: Path, source: str) -> list[dict]:
    return writer.read_source(lake_dir, source, ALL_SOURCES[source].schema).to_pylist()


@pytest.fixture(scope="module")
def extracted(e2e_sandbox, e2e_world, tmp_path_factory):
    """One run of the window into a fresh data dir, read (never written) by the module's tests."""
    data_dir = tmp_path_factory.mktemp("spapi-extract") / "data"
    with sandbox_env(e2e_sandbox, e2e_world, data_dir):
        dag_run = runner.run_dag("spapi_extract", {"start": START, "end": END})
    return dag_run, data_dir / "lake"


def test_every_task_succeeds_and_counts_match_the_world(extracted, e2e_world):
    dag_run, lake_dir = extracted
    states = {(ti.task_id, ti.map_index): str(ti.state) for ti in dag_run.get_task_instances()}
    assert states and all(s.endswith("success") for s in states.values()), states
    seller = e2e_world.sellers()[0].selling_partner_id
    for code in ("US", "CA", "DE", "JP"):
        mp = marketplaces.get(code).marketplace_id
        world_txns = e2e_world.transactions(seller, marketplace_id=mp, posted_after=WINDOW[0], posted_before=WINDOW[1])
        world_orders = e2e_world.orders(seller, marketplace_ids=[mp], created_after=WINDOW[0], created_before=WINDOW[1])
        landed_txns = [r for r in lake_rows(lake_dir, "transactions") if r["marketplace_id"] == mp]
        landed_orders = [r for r in lake_rows(lake_dir, "orders") if r["marketplace_id"] == mp]
        assert sorted(r["transaction_id"] for r in landed_txns) == sorted(t["transactionId"] for t in world_txns), code
        assert sorted(r["amazon_order_id"] for r in landed_orders) == sorted(o["AmazonOrderId"] for o in world_orders), code
        world_items = sum(len(e2e_world.order_items(seller, o["AmazonOrderId"]) or []) for o in world_orders)
        assert len([r for r in lake_rows(lake_dir, "order_items") if r["marketplace_id"] == mp]) == world_items, code
        for source, report_type in REPORT_SOURCES.items():
            served = e2e_world.report(
                seller, report_type=report_type, marketplace_ids=[mp], data_start_time=WINDOW[0], data_end_time=WINDOW[1]
            )
            served_rows = 0 if served is None else len(served.content.decode(served.encoding).strip().splitlines()) - 1
            landed_rows = [r for r in lake_rows(lake_dir, source) if r["marketplace_id"] == mp]
            assert len(landed_rows) == served_rows, (code, source)
    # Financial event groups: every group started in the window (or one cycle before it).
    world_groups = e2e_world.financial_event_groups(
        seller, started_after=WINDOW[0] - timedelta(days=14), started_before=WINDOW[1]
    )
    assert sorted(r["financial_event_group_id"] for r in lake_rows(lake_dir, "financial_event_groups")) == sorted(
        g["FinancialEventGroupId"] for g in world_groups
    )
    # Settlements: every V2 file the sandbox listed for the window landed, with all its lines.
    listed = [
        r for r in e2e_world.settlement_reports(seller)
        if WINDOW[0] <= r.created_time < WINDOW[1] + timedelta(days=3)
    ]  # fmt: skip
    landed_settlements = lake_rows(lake_dir, "settlements")
    assert sorted(r["report_id"] for r in landed_settlements) == sorted(r.report_id for r in listed)
    served_lines = sum(len(r.content.decode(r.encoding).strip().splitlines()) - 2 for r in listed)
    assert len(lake_rows(lake_dir, "settlement_lines")) == served_lines
    summary = json.loads((lake_dir.parent / "run" / "last_extraction_summary.json").read_text())
    assert sum(r["quarantined"] for r in summary["rows"]) == 0


def _all_text_written(*roots: Path) -> str:
    """Everything the run wrote, parquet decoded to text (compressed bytes would hide a leak)."""
    chunks = []
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            if path.suffix == ".parquet":
                chunks.append(json.dumps(pq.read_table(path).to_pylist(), default=str))
            else:
                chunks.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(chunks)


def test_no_secret_or_buyer_pii_in_anything_the_run_writes(extracted, e2e_world):
    _, lake_dir = extracted
    written = _all_text_written(lake_dir.parent, Path(os.environ["AIRFLOW_HOME"]))
    assert "transactions" in written  # the scan did read the run's files
    seller = e2e_world.sellers()[0]
    secrets = [c.client_secret for c in seller.credentials] + [c.refresh_token for c in seller.credentials]
    for secret in secrets:
        assert secret not in written
    assert "Atza|" not in written and "Atz.sprdt|" not in written and "X-Amz-Signature" not in written
    # Buyer PII: every order's email and street address stay out; only their hashes land.
    orders = lake_rows(lake_dir, "orders")
    assert orders and all(o["buyer_email_hash"] for o in orders)
    for order in orders[:200]:
        pii = e2e_world.order_pii(seller.selling_partner_id, order["amazon_order_id"])
        assert pii["BuyerInfo"]["BuyerEmail"] not in written
        assert pii["ShippingAddress"]["AddressLine1"] not in written


def test_every_lake_row_names_its_run_and_the_request_or_report_it_came_from(extracted):
    dag_run, lake_dir = extracted
    for source in ALL_SOURCES:
        rows = lake_rows(lake_dir, source)
        assert all(r[writer.RUN_ID] == dag_run.run_id for r in rows), source
        assert all(r[writer.REQUEST_ID] for r in rows), source
    assert all(r[writer.REQUEST_ID].startswith("report:") for r in lake_rows(lake_dir, "settlement_lines"))
