"""Fixtures: a tiny world served over real HTTP, and a small SP-API client for tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from acorn_sim.sandbox import SandboxConfig, SandboxHandle, sandbox_connections, start_sandbox
from acorn_sim.sandbox.tiny_world import TinyWorld, build_tiny_world

FAST = SandboxConfig(time_scale=100.0)


@pytest.fixture(scope="session")
def world() -> TinyWorld:
    return build_tiny_world()


@pytest.fixture
def sandbox(world: TinyWorld) -> Iterator[SandboxHandle]:
    with start_sandbox(world, FAST) as handle:
        yield handle


@dataclass
class Client:
    """Just enough of an SP-API client to drive the sandbox from tests."""

    handle: SandboxHandle
    conn: dict[str, Any]
    session: requests.Session = field(default_factory=requests.Session)
    token: str | None = None

    def login(self) -> str:
        extra = self.conn["extra"]
        r = self.session.post(
            self.handle.lwa_endpoint,
            data={
                "grant_type": "refresh_token",
                "refresh_token": extra["refresh_token"],
                "client_id": self.conn["login"],
                "client_secret": self.conn["password"],
            },
            timeout=10,
        )
        r.raise_for_status()
        self.token = r.json()["access_token"]
        return self.token

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        if self.token is None:
            self.login()
        headers = {"x-amz-access-token": self.token or "", **kwargs.pop("headers", {})}
        return self.session.request(method, self.handle.url + path, headers=headers, timeout=10, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    @property
    def marketplace_ids(self) -> list[str]:
        return list(self.conn["extra"]["marketplace_ids"])


@pytest.fixture
def connect(world: TinyWorld):  # noqa: ANN201 - returns a factory
    """connect(handle, "spapi_eu") -> logged-in Client for that Airflow connection."""

    def _connect(handle: SandboxHandle, conn_id: str = "spapi_na") -> Client:
        conns = sandbox_connections(handle, world)
        client = Client(handle, json.loads(conns["AIRFLOW_CONN_" + conn_id.upper()]))
        client.login()
        return client

    return _connect


@pytest.fixture
def na(sandbox: SandboxHandle, connect) -> Client:  # noqa: ANN001
    return connect(sandbox, "spapi_na")
