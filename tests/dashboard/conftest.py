"""A warehouse built from a small seeded world, its exports, and the dashboard serving them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from acorn.config import PROJECT_ROOT

CHROMIUM = os.environ.get("ACORN_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("ACORN_SCREENSHOTS_DIR", PROJECT_ROOT / "data" / "run" / "screenshots"))


@dataclass(frozen=True)
class Built:
    root: Path
    world_dir: Path  # the session's world (read-only)
    lake_dir: Path  # its lake (read-only)
    duckdb_path: Path
    exports_dir: Path
    dbt_vars: dict


def export(built: Built, build_result) -> dict:
    from acorn.exports import export_marts

    return export_marts(
        built.duckdb_path, built.exports_dir, built_at=build_result.built_at,
        invocation_id=build_result.invocation_id, quarantine_dir=built.root / "quarantine",
        summary_path=built.root / "run" / "last_extraction_summary.json", lake_dir=built.lake_dir,
    )  # fmt: skip


@pytest.fixture(scope="session")
def built(world_75d, tmp_path_factory) -> Built:
    """The session's 75-day world (tests/conftest.py; the digest tests read it too) as the
    nightly DAG leaves it: its `dbt build` (a copy of the session's warehouse file), the
    returns scored and the cash forecast, what reads them rebuilt, the marts exported."""
    import shutil

    from acorn.cashflow.pipeline import forecast_warehouse
    from acorn.risk.pipeline import score_warehouse
    from acorn.warehouse import build

    root: Path = tmp_path_factory.mktemp("dashboard-world")
    shutil.copy(world_75d.duckdb_path, root / "acorn.duckdb")
    dbt_vars = world_75d.dbt_vars
    score_warehouse(root / "acorn.duckdb", root / "risk")
    # The cash forecast as well (75 days of history: 5 s), into the folder dbt reads it from.
    forecast_warehouse(root / "acorn.duckdb", root / "cashflow")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ACORN_CASHFLOW_DIR", str(root / "cashflow"))
        result = build(world_75d.lake_dir, root / "acorn.duckdb", select=["source:risk+", "source:cashflow+"],
                       target_path=root / "target", dbt_vars=dbt_vars, risk_dir=root / "risk")  # fmt: skip
    out = Built(root, world_75d.world_dir, world_75d.lake_dir, result.duckdb_path, root / "exports", dbt_vars)
    export(out, result)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen


@pytest.fixture(scope="session")
def dashboard(built) -> Iterator[Server]:
    """`python -m dashboard` (what `make dashboard` runs) on a free loopback port."""
    port = _free_port()
    env = {**os.environ, "ACORN_EXPORTS_DIR": str(built.exports_dir), "ACORN_DATA_DIR": str(built.root),
           "DUCKDB_PATH": str(built.duckdb_path),
           "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), str(PROJECT_ROOT / "plugins")])}  # fmt: skip
    process = subprocess.Popen([sys.executable, "-m", "dashboard", "--port", str(port)], cwd=PROJECT_ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/_stcore/health", timeout=2).text == "ok":
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the dashboard did not start: {process.stdout.read().decode()[-3000:]}")
        time.sleep(0.3)
    yield Server(url, process)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: .ci/run installs Debian's chromium"
    with sync_playwright() as playwright:
        # Flags as ENVIRONMENT notes: no background traffic to Google's hosts on a closed network.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
            "--disable-background-networking", "--disable-component-update",
        ])  # fmt: skip
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    yield context.new_page()
    context.close()
