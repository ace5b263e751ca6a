"""`python -m acorn_sim.demo`: the nightly pipeline against the local SP-API sandbox (`make demo`).

Builds the seeded synthetic world, serves it with the sandbox on 127.0.0.1, points the
`spapi_*` connections there (environment variables of this process only) and runs the
production pipeline (`acorn.cli.run_pipeline`) for the demo period, then prints its summaries.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from acorn.cli import (
    add_full_refresh_flag,
    normalise_dates,
    print_summaries,
    print_where_to_look_next,
    run_pipeline,
)

if TYPE_CHECKING:  # pragma: no cover
    from acorn.progress import Reporter

log = logging.getLogger("acorn_sim.demo")

DEMO_SEED = 7
DEMO_WORLD_START = date(2026, 8, 1)
DEMO_WORLD_DAYS = 92
DEMO_START = "2026-08-01"
DEMO_END = "2026-10-31"
DEMO_TIME_SCALE = 1000.0
# The sandbox's clock runs slower than its rates: Amazon's 90-day settlement listing counts
# from the server's "now", and at 1000x that edge moved about 40 sandbox hours during a
# demo, so a settlement near it landed or not by the machine's speed. At 100x it moves a
# few hours; report processing (60 s of Amazon time) still takes well under a second.
DEMO_CLOCK_SPEED = 100.0
# The demo world is synthetic; its hash key is not a secret. Real runs set
# the Airflow variable acorn_pii_hash_key.
DEMO_PII_KEY = "acorn-demo-pii-key-not-secret"




DEMO_MARKER = "demo_world.json"


def world_fingerprint(world: Any) -> str:
    """Identity of a synthetic world's orders (ids and purchase times): a changed generator
    gives the same seed different orders, which must not be merged into the old ones."""
    import hashlib

    digest = hashlib.sha256()
    for order in sorted(world.data.orders, key=lambda o: o.order_id):
        digest.update(f"{order.order_id}|{order.purchased_at.isoformat()}\n".encode())
    return digest.hexdigest()


def prepare_demo_data(fingerprint: str) -> None:
    """Keep the demo's lake to one world: clear the demo's lake, quarantine and warehouse
    when the world changed since they were landed; refuse a lake no demo wrote."""
    import shutil

    from acorn.config import load_settings

    settings = load_settings()
    marker = settings.data_dir / "run" / DEMO_MARKER
    landed = next(settings.lake_dir.glob("*/*/*/*/data.parquet"), None) is not None
    recorded = json.loads(marker.read_text()).get("world") if marker.exists() else None
    if recorded == fingerprint:
        return
    if landed and recorded is None:
        raise SystemExit(
            f"{settings.lake_dir} holds data no demo landed (no {marker}): the demo will not merge the "
            "sandbox world into it. Point ACORN_DATA_DIR at another directory, or remove that lake."
        )
    if landed:
        log.warning("the demo world changed since the last demo: clearing %s, %s and %s",
                    settings.lake_dir, settings.quarantine_dir, settings.duckdb_path)  # fmt: skip
        for folder in (settings.lake_dir, settings.quarantine_dir):
            for child in folder.iterdir() if folder.is_dir() else ():
                if not child.name.startswith("."):  # keep .gitkeep
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        settings.duckdb_path.unlink(missing_ok=True)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"world": fingerprint}) + "\n")


def run_against_sandbox(
    *, seed: int, world_days: int, start: str, end: str, time_scale: float, full_refresh: bool = False,
    progress: Reporter | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Build the seeded world, serve it on 127.0.0.1, run the pipeline; returns (summary, sandbox stats)."""
    from acorn_sim.sandbox import SandboxConfig, sandbox_connections, start_sandbox
    from acorn_sim.world.generator import build_world

    if progress is not None:
        progress.stage("building the world")
    log.info("building the demo world (seed %s, %s days from %s)", seed, world_days, DEMO_WORLD_START)
    world = build_world(seed=seed, start=DEMO_WORLD_START, days=world_days)
    prepare_demo_data(world_fingerprint(world))
    if progress is not None:
        progress.stage("starting the sandbox")
    with start_sandbox(world, SandboxConfig(time_scale=time_scale, clock_speed=DEMO_CLOCK_SPEED)) as sandbox:
        log.info("SP-API sandbox listening on %s", sandbox.url)
        os.environ.update(sandbox_connections(sandbox, world))
        os.environ.setdefault("ACORN_PII_HASH_KEY", DEMO_PII_KEY)
        if progress is not None:
            progress.stage("starting Airflow")
        summary = run_pipeline(start, end, full_refresh=full_refresh)
        stats = sandbox.stats()
    return summary, stats


def demo(args: argparse.Namespace) -> int:
    from acorn import progress

    with progress.reporting(stage="building the world") as shown:
        summary, _ = run_against_sandbox(
            seed=args.seed, world_days=args.days, start=args.start, end=args.end, time_scale=args.time_scale,
            full_refresh=args.full_refresh, progress=shown,
        )
    print_summaries(summary)
    print_where_to_look_next()
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="python -m acorn_sim.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument("--days", type=int, default=DEMO_WORLD_DAYS)
    parser.add_argument("--start", default=DEMO_START, type=date.fromisoformat)
    parser.add_argument("--end", default=DEMO_END, type=date.fromisoformat)
    parser.add_argument("--time-scale", type=float, default=DEMO_TIME_SCALE)
    add_full_refresh_flag(parser)
    args = parser.parse_args(argv)
    normalise_dates(args)
    return demo(args)


if __name__ == "__main__":
    sys.exit(main())
