"""``python -m acorn_sim.sandbox serve`` in a separate process (faults flipped over HTTP)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "plugins"), str(ROOT), env.get("PYTHONPATH", "")])
    return env


def test_cli_serves_and_prints_connections() -> None:
    cmd = [
        sys.executable,
        "-m",
        "acorn_sim.sandbox",
        "serve",
        "--port",
        "0",
        "--time-scale",
        "100",
        "--world-factory",
        "acorn_sim.sandbox.tiny_world:build_tiny_world",
        "--world-seed",
        "7",
        "--print-connections",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=_env())
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("SP-API sandbox listening on http://127.0.0.1:")
        url = first.split()[4]
        lines = [proc.stdout.readline().strip() for _ in range(4)]
        conns = dict(line.split("=", 1) for line in lines)
        assert set(conns) == {
            "AIRFLOW_CONN_SPAPI_NA",
            "AIRFLOW_CONN_SPAPI_EU",
            "AIRFLOW_CONN_SPAPI_FE",
            "AIRFLOW_CONN_SPAPI_NA_2",
        }
        na = json.loads(conns["AIRFLOW_CONN_SPAPI_NA"].strip("'"))
        assert na["host"] == url and na["extra"]["lwa_endpoint"] == url + "/auth/o2/token"
        r = requests.post(
            url + "/auth/o2/token",
            timeout=5,
            data={
                "grant_type": "refresh_token",
                "refresh_token": na["extra"]["refresh_token"],
                "client_id": na["login"],
                "client_secret": na["password"],
            },
        )
        token = r.json()["access_token"]
        requests.post(url + "/_sandbox/faults", json={"server_errors": 1}, timeout=5).raise_for_status()
        r = requests.get(
            url + "/finances/v0/financialEventGroups", headers={"x-amz-access-token": token}, timeout=5
        )
        assert r.status_code == 500
        stats = requests.get(url + "/_sandbox/stats", timeout=5).json()
        assert stats["operations"]["listFinancialEventGroups"]["injected_errors"] == 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_cli_does_not_print_connections_by_default(tmp_path: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "acorn_sim.sandbox",
        "serve",
        "--port",
        "0",
        "--world-factory",
        "acorn_sim.sandbox.tiny_world:build_tiny_world",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("SP-API sandbox listening on")
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert "AIRFLOW_CONN" not in out + err and "tiny-secret" not in out + err


def test_cli_reports_missing_world_factory() -> None:
    cmd = [
        sys.executable,
        "-m",
        "acorn_sim.sandbox",
        "serve",
        "--port",
        "0",
        "--world-factory",
        "acorn_sim.world.no_such_module:build_world",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, env=_env(), timeout=30)
    assert done.returncode != 0
    assert "cannot import world factory module" in done.stderr
