"""Local SP-API sandbox: Amazon's paths, shapes, pagination, throttling and LWA on 127.0.0.1."""

from acorn_sim.sandbox.config import RATE_LIMITS, SandboxConfig
from acorn_sim.sandbox.connections import sandbox_connections
from acorn_sim.sandbox.server import SandboxHandle, SandboxServer, start_sandbox

__all__ = [
    "RATE_LIMITS",
    "SandboxConfig",
    "SandboxHandle",
    "SandboxServer",
    "sandbox_connections",
    "start_sandbox",
]
