"""End-to-end: real dag.test() runs of the project's DAGs against the sandbox over HTTP."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from acorn_sim.sandbox import SandboxConfig, sandbox_connections, start_sandbox
from acorn_sim.world.generator import build_world

E2E_MARKETPLACES = ("US", "CA", "DE", "JP")
BASELINE_START, BASELINE_END = "2026-08-05", "2026-09-03"  # 30 days


@pytest.fixture(scope="session")
def e2e_world():
    return build_world(seed=5, start=date(2026, 8, 1), days=40, marketplaces=E2E_MARKETPLACES, orders_per_day=8)


@pytest.fixture(scope="session")
def e2e_sandbox(e2e_world):
    with start_sandbox(e2e_world, SandboxConfig(time_scale=1000.0)) as handle:
        yield handle


@pytest.fixture
def pipeline_env(e2e_world, e2e_sandbox, tmp_path, monkeypatch):
    """Connections pointing at the sandbox and a fresh data dir; Airflow's DB is per session."""
    for key, value in sandbox_connections(e2e_sandbox, e2e_world).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("ACORN_PII_HASH_KEY", "e2e-test-key")
    monkeypatch.setenv("ACORN_DATA_DIR", str(tmp_path / "data"))
    from acorn import runner

    runner.prepare_airflow()
    return tmp_path / "data"


@pytest.fixture
def lake_dir(pipeline_env):
    return pipeline_env / "lake"


@contextmanager
def sandbox_env(sandbox, world, data_dir: Path) -> Iterator[None]:
    """`pipeline_env` for a fixture wider than one test: connections to the sandbox and the
    data dir set for the duration of the block only."""
    from acorn import runner

    mp = pytest.MonkeyPatch()
    try:
        for key, value in sandbox_connections(sandbox, world).items():
            mp.setenv(key, value)
        mp.setenv("ACORN_PII_HASH_KEY", "e2e-test-key")
        mp.setenv("ACORN_DATA_DIR", str(data_dir))
        runner.prepare_airflow()
        yield
    finally:
        mp.undo()


@pytest.fixture(scope="session")
def baseline_lake(tmp_path_factory, e2e_world, e2e_sandbox) -> Path:
    """One clean sequential extraction of the 30 baseline days: the reference lake (read it, never write it)."""
    from acorn import runner

    data_dir = tmp_path_factory.mktemp("baseline")
    with sandbox_env(e2e_sandbox, e2e_world, data_dir):
        runner.run_dag("spapi_extract", {"start": BASELINE_START, "end": BASELINE_END})
    return data_dir / "lake"


def airflow_home() -> str:
    return os.environ["AIRFLOW_HOME"]
