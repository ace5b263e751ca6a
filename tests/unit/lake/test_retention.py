from __future__ import annotations

from datetime import date

import pytest

from acorn.lake.retention import purge

pytestmark = pytest.mark.unit


def test_only_partitions_past_retention_are_purged(tmp_path):
    for day in ("2026-01-01", "2026-05-31", "2026-06-01", "2026-11-01"):
        part = tmp_path / "transactions" / "seller_id=S" / "marketplace_id=M" / f"date={day}"
        part.mkdir(parents=True)
        (part / "data.parquet").write_bytes(b"x")
    removed = purge(tmp_path, date(2026, 11, 28), retention_days=180)
    left = sorted(p.name for p in tmp_path.glob("transactions/*/*/date=*"))
    assert removed == {"transactions": 2}
    assert left == ["date=2026-06-01", "date=2026-11-01"]
