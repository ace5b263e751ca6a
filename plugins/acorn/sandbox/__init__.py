"""Local SP-API sandbox: Amazon's paths, shapes, pagination, throttling and LWA on 127.0.0.1."""

from acorn.sandbox.config import RATE_LIMITS, SandboxConfig
from acorn.sandbox.connections import sandbox_connections
from acorn.sandbox.server import SandboxHandle, SandboxServer, start_sandbox

__all__ = [
    "RATE_LIMITS",
    "SandboxConfig",
    "SandboxHandle",
    "SandboxServer",
    "sandbox_connections",
    "start_sandbox",
]
