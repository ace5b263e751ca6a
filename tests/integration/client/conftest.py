"""The real SP-API client against the real sandbox over HTTP, on a small seeded world."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date

import pytest

from acorn.spapi import AuditLog, SpApiClient, SpApiCredentials
from acorn_sim.sandbox import SandboxConfig, sandbox_connections, start_sandbox
from acorn_sim.world.generator import build_world


@pytest.fixture(scope="session")
def small_world():
    return build_world(seed=11, start=date(2026, 8, 1), days=30, marketplaces=("US", "CA", "DE", "FR", "JP"), orders_per_day=12)


@pytest.fixture
def sandbox(small_world):
    with start_sandbox(small_world, SandboxConfig(time_scale=200.0)) as handle:
        yield handle


@pytest.fixture
def connections(sandbox, small_world) -> dict[str, dict]:
    """conn id -> connection dict, exactly what AIRFLOW_CONN_* would carry."""
    return {k.removeprefix("AIRFLOW_CONN_").lower(): json.loads(v) for k, v in sandbox_connections(sandbox, small_world).items()}


@pytest.fixture
def make_client(connections, tmp_path) -> Iterator:
    """Build a client the way the pipeline does: from an AIRFLOW_CONN_* variable."""
    saved = dict(os.environ)

    def make(conn_id: str = "spapi_na", **kwargs) -> SpApiClient:
        os.environ[f"AIRFLOW_CONN_{conn_id.upper()}"] = json.dumps(connections[conn_id])
        from acorn.spapi import load_credentials

        creds: SpApiCredentials = load_credentials(conn_id)
        kwargs.setdefault("audit", AuditLog(tmp_path / "audit.jsonl"))
        kwargs.setdefault("backoff_base", 0.01)
        kwargs.setdefault("backoff_cap", 0.05)
        # A fresh rate-limit registry per test: buckets must not carry over between sandboxes.
        from acorn.spapi.ratelimit import BucketRegistry

        kwargs.setdefault("buckets", BucketRegistry())
        return SpApiClient(creds, **kwargs)

    yield make
    os.environ.clear()
    os.environ.update(saved)
