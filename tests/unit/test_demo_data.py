"""`make demo` keeps its lake to one world: a changed world clears the demo's data, a foreign lake is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from acorn_sim.demo import DEMO_MARKER, prepare_demo_data

pytestmark = pytest.mark.unit


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch) -> Path:
    for var in ("ACORN_LAKE_DIR", "ACORN_QUARANTINE_DIR", "DUCKDB_PATH", "ACORN_AUDIT_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ACORN_DATA_DIR", str(tmp_path))
    return tmp_path


def _land(data_dir: Path) -> Path:
    part = (
        data_dir / "lake" / "orders" / "seller_id=S" / "marketplace_id=M" / "date=2026-08-01" / "data.parquet"
    )
    part.parent.mkdir(parents=True)
    part.write_bytes(b"rows")
    (data_dir / "lake" / ".gitkeep").write_text("")
    (data_dir / "warehouse").mkdir()
    (data_dir / "warehouse" / "acorn.duckdb").write_bytes(b"db")
    return part


def test_a_first_demo_records_its_world(data_dir):
    prepare_demo_data("world-a")
    assert json.loads((data_dir / "run" / DEMO_MARKER).read_text()) == {"world": "world-a"}


def test_the_same_world_keeps_the_lake(data_dir):
    prepare_demo_data("world-a")
    part = _land(data_dir)
    prepare_demo_data("world-a")
    assert part.exists() and (data_dir / "warehouse" / "acorn.duckdb").exists()


def test_a_changed_world_clears_the_demo_lake_and_warehouse_but_not_gitkeep(data_dir):
    prepare_demo_data("world-a")
    part = _land(data_dir)
    prepare_demo_data("world-b")
    assert not part.exists() and not (data_dir / "lake" / "orders").exists()
    assert not (data_dir / "warehouse" / "acorn.duckdb").exists()
    assert (data_dir / "lake" / ".gitkeep").exists()
    assert json.loads((data_dir / "run" / DEMO_MARKER).read_text()) == {"world": "world-b"}


def test_a_lake_no_demo_wrote_is_refused_and_left_alone(data_dir):
    part = _land(data_dir)
    with pytest.raises(SystemExit, match="no demo landed"):
        prepare_demo_data("world-a")
    assert part.exists()
