"""Test isolation (a throwaway AIRFLOW_HOME and data dir, set before anything imports airflow),
and the session-scoped worlds several modules read."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

_SESSION_DIR = Path(tempfile.mkdtemp(prefix="acorn-tests-"))
os.environ["AIRFLOW_HOME"] = str(_SESSION_DIR / "airflow_home")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(Path(__file__).resolve().parents[1] / "dags")
os.environ["ACORN_DATA_DIR"] = str(_SESSION_DIR / "data")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")

# --------------------------------------------------------------------------------------------
# Worlds several test modules read. Writing a world, exporting its lake and building its
# warehouse take most of a dbt test module's time (the 75-day world: about 1.5 minutes), so
# each is done once per session. They are read-only: a test that changes a lake or a
# warehouse copies it first (a DuckDB file is self-contained; shutil.copytree keeps the lake
# files' write times, the incremental watermark).


@dataclass(frozen=True)
class BuiltWorld:
    world_dir: Path  # acorn_sim.world.store.write_world's output (ground truth, served PII)
    lake_dir: Path  # acorn_sim.world.lake_export.export_lake's output
    build: Any  # acorn.warehouse.BuildResult of the warehouse built from the lake
    target_path: Path  # dbt's target path of that build
    dbt_vars: dict

    @property
    def duckdb_path(self) -> Path:
        return self.build.duckdb_path


def _world_and_lake(root: Path, params: dict) -> tuple[Path, Path]:
    from acorn_sim.world.lake_export import export_lake
    from acorn_sim.world.store import WorldParams, write_world

    write_world(WorldParams(**params), root / "world")
    counts = export_lake(root / "world", root / "lake")
    assert counts["transactions"] > 0
    return root / "world", root / "lake"


# Seed 5, 30 days, US/DE/JP (both refund-breakdown shapes), 8 orders a day.
WORLD_30D = {"seed": 5, "start": date(2026, 8, 1), "days": 30, "marketplaces": ("US", "DE", "JP"),
             "base_orders_per_day": 8.0}  # fmt: skip


@pytest.fixture(scope="session")
def world_30d_lake(tmp_path_factory) -> tuple[Path, Path]:
    """The small world's dir and its lake (tests/dbt/test_incremental_build.py copies the
    lake and gives it a run id of its own)."""
    return _world_and_lake(tmp_path_factory.mktemp("world-30d"), WORLD_30D)


@pytest.fixture(scope="session")
def world_30d(world_30d_lake) -> BuiltWorld:
    """The small world (tests/dbt/test_warehouse_build.py, test_exports.py), built once with
    dbt's unit tests run and its JSON artifacts (run_results.json) written to `target_path`."""
    from acorn.warehouse import build

    world_dir, lake_dir = world_30d_lake
    root = lake_dir.parent
    result = build(lake_dir, root / "acorn.duckdb", target_path=root / "target", unit_tests=True,
                   write_artifacts=True)  # fmt: skip
    return BuiltWorld(world_dir, lake_dir, result, root / "target", {})


# Seed 5, 75 days, US/DE/JP, 30 orders a day, judged at the world's as-of instant.
WORLD_75D = {"seed": 5, "start": date(2026, 8, 1), "days": 75, "marketplaces": ("US", "DE", "JP"),
             "base_orders_per_day": 30.0}  # fmt: skip


@pytest.fixture(scope="session")
def world_75d(tmp_path_factory) -> BuiltWorld:
    """The digest's and the dashboard's world (tests/dbt/test_digest.py, tests/dashboard),
    built once as the nightly `dbt build` does, before any return is scored."""
    from acorn.warehouse import build
    from acorn_sim.scoring import as_of_var
    from acorn_sim.world.store import DiskWorld

    root = tmp_path_factory.mktemp("world-75d")
    world_dir, lake_dir = _world_and_lake(root, WORLD_75D)
    dbt_vars = {"as_of": as_of_var(DiskWorld(world_dir).as_of)}
    result = build(lake_dir, root / "acorn.duckdb", target_path=root / "target", dbt_vars=dbt_vars)
    return BuiltWorld(world_dir, lake_dir, result, root / "target", dbt_vars)
