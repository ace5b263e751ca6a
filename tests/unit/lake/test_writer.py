from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from acorn.lake import writer
from acorn.lake.schemas import TRANSACTIONS

pytestmark = pytest.mark.unit

KEY = writer.PartitionKey("transactions", "A1SELLER", "ATVPDKIKX0DER", date(2026, 9, 1))


def _txn(txn_id: str, amount: str, status: str = "RELEASED", run: str = "run-1") -> dict:
    return {
        "transaction_id": txn_id,
        "seller_id": "A1SELLER",
        "marketplace_id": "ATVPDKIKX0DER",
        "transaction_type": "Shipment",
        "transaction_status": status,
        "total_amount": Decimal(amount),
        "currency_code": "USD",
        "posted_at": datetime(2026, 9, 1, 12, tzinfo=UTC),
        writer.RUN_ID: run,
        writer.REQUEST_ID: "req-1",
    }


def _rows(lake):
    return pq.read_table(KEY.path(lake)).to_pylist()


def test_merge_keeps_one_row_per_key_newest_wins(tmp_path):
    writer.merge_partition(tmp_path, KEY, [_txn("T1", "10.00", "DEFERRED"), _txn("T2", "5.50")], TRANSACTIONS.schema, ("transaction_id",))
    writer.merge_partition(tmp_path, KEY, [_txn("T1", "10.00", "RELEASED", run="run-2")], TRANSACTIONS.schema, ("transaction_id",))
    rows = {r["transaction_id"]: r for r in _rows(tmp_path)}
    assert set(rows) == {"T1", "T2"}
    assert rows["T1"]["transaction_status"] == "RELEASED"
    assert rows["T2"]["total_amount"] == Decimal("5.5000")


def test_rewriting_the_same_records_gives_identical_bytes(tmp_path):
    records = [_txn("T2", "5.50"), _txn("T1", "10.00")]
    writer.merge_partition(tmp_path, KEY, records, TRANSACTIONS.schema, ("transaction_id",))
    first = KEY.path(tmp_path).read_bytes()
    writer.merge_partition(tmp_path, KEY, list(reversed(records)), TRANSACTIONS.schema, ("transaction_id",))
    assert KEY.path(tmp_path).read_bytes() == first


def test_failed_write_leaves_the_old_partition_and_no_temp_files(tmp_path, monkeypatch):
    writer.merge_partition(tmp_path, KEY, [_txn("T1", "10.00")], TRANSACTIONS.schema, ("transaction_id",))
    before = KEY.path(tmp_path).read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(writer.pq, "write_table", boom)
    with pytest.raises(OSError, match="disk full"):
        writer.merge_partition(tmp_path, KEY, [_txn("T9", "1.00")], TRANSACTIONS.schema, ("transaction_id",))
    assert KEY.path(tmp_path).read_bytes() == before
    assert [p.name for p in KEY.path(tmp_path).parent.iterdir()] == ["data.parquet"]


def test_a_source_without_partitions_gets_one_typed_empty_file_and_a_landed_one_none(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from acorn.lake import writer

    schema = pa.schema([pa.field("id", pa.string()), pa.field("amount", pa.decimal128(20, 4))])
    landed = writer.PartitionKey("landed", "S1", "M1", date(2026, 8, 1))
    writer.merge_partition(tmp_path, landed, [{"id": "a", "amount": None}], schema, ("id",))
    seeded = writer.ensure_every_source_readable(tmp_path, {"landed": schema, "empty": schema})
    assert seeded == ["empty"]
    [file] = (tmp_path / "empty").rglob("data.parquet")
    table = pq.read_table(file)
    assert table.num_rows == 0 and table.schema.field("amount").type == pa.decimal128(20, 4)
    assert len(list((tmp_path / "landed").rglob("data.parquet"))) == 1
    assert writer.ensure_every_source_readable(tmp_path, {"landed": schema, "empty": schema}) == []
