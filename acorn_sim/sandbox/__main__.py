"""``python -m acorn_sim.sandbox serve --port 8123 --time-scale 100 [--world-seed N | --world-dir DIR]``."""

from __future__ import annotations

import argparse
import importlib
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import datetime

from acorn_sim.sandbox.config import SandboxConfig
from acorn_sim.sandbox.connections import sandbox_connections
from acorn_sim.sandbox.runtime import parse_iso
from acorn_sim.sandbox.server import start_sandbox

logger = logging.getLogger("acorn_sim.sandbox")

DEFAULT_FACTORY = "acorn_sim.world.generator:build_world"


def _load_factory(spec: str):  # noqa: ANN202 - returns the world factory callable
    module_name, _, attr = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise SystemExit(
            f"error: cannot import world factory module {module_name!r} ({exc}).\n"
            f"The world generator may not exist yet; try --world-factory acorn_sim.sandbox.tiny_world:build_tiny_world"
        ) from exc
    factory = getattr(module, attr or "build_world", None)
    if factory is None:
        raise SystemExit(f"error: {module_name!r} has no attribute {attr or 'build_world'!r}")
    return factory


def _kv(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError("expected KEY=VALUE")
    return key, value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m acorn_sim.sandbox")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve a world on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8123)
    serve.add_argument("--time-scale", type=float, default=1.0, help="multiplier on documented rates")
    serve.add_argument(
        "--clock-speed",
        type=float,
        default=None,
        help="sandbox seconds per real second (default: --time-scale)",
    )
    serve.add_argument(
        "--clock-start", type=parse_iso, default=None, help="ISO date-time; default world.as_of"
    )
    serve.add_argument("--world-seed", type=int, default=None)
    serve.add_argument(
        "--world-arg", type=_kv, action="append", default=[], help="extra KEY=VALUE for the factory"
    )
    serve.add_argument("--world-factory", default=DEFAULT_FACTORY, help="module:function building the World")
    serve.add_argument(
        "--world-dir", default=None, help="serve a world built by `python -m acorn_sim.world build` (DiskWorld)"
    )
    serve.add_argument("--report-processing-seconds", type=float, default=60.0)
    serve.add_argument(
        "--no-pii-role",
        action="store_true",
        help="play an app without the restricted role: createRestrictedDataToken refuses buyer data",
    )
    serve.add_argument(
        "--deny-role",
        action="append",
        default=[],
        metavar="ROLE",
        help='an SP-API role the app lacks, e.g. "Finance and Accounting" (repeatable)',
    )
    serve.add_argument(
        "--print-connections",
        action="store_true",
        help="print AIRFLOW_CONN_* lines (sandbox-only credentials)",
    )
    serve.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)

    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.world_dir is not None:
        if args.world_seed is not None or args.world_arg or args.world_factory != DEFAULT_FACTORY:
            parser.error("--world-dir cannot be combined with --world-seed/--world-arg/--world-factory")
        from acorn_sim.world.store import DiskWorld

        world = DiskWorld(args.world_dir)
    else:
        kwargs: dict[str, object] = dict(args.world_arg)
        if args.world_seed is not None:
            kwargs["seed"] = args.world_seed
        world = _load_factory(args.world_factory)(**kwargs)
    clock_start: datetime | None = args.clock_start
    config = SandboxConfig(
        time_scale=args.time_scale,
        clock_speed=args.clock_speed,
        clock_start=clock_start,
        report_processing_seconds=args.report_processing_seconds,
        pii_role=not args.no_pii_role,
        denied_roles=frozenset(args.deny_role),
    )
    handle = start_sandbox(world, config, port=args.port)
    # stdout is this command's interface: the URL (and, on request, connections) for shells/scripts.
    sys.stdout.write(f"SP-API sandbox listening on {handle.url} (LWA: {handle.lwa_endpoint})\n")
    if args.print_connections:
        for name, value in sandbox_connections(handle, world).items():
            sys.stdout.write(f"{name}='{value}'\n")
    sys.stdout.flush()

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    handle.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
