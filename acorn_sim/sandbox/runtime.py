"""Sandbox clock, token buckets, request statistics and opaque page tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any


def iso(dt: datetime) -> str:
    """ISO 8601 UTC with a trailing Z, second precision (the SP-API's own style)."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> datetime:
    """Parse an ISO 8601 date-time; naive values are taken as UTC. Raises ValueError."""
    dt = datetime.fromisoformat(value.strip().replace("z", "Z"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


class SandboxClock:
    """now = start + real elapsed seconds x speed + manual advances.

    Why not wall-clock time: the world's data sits before ``world.as_of``,
    and Amazon's windows (90-day getReports, 2-minute posted-before rule)
    are relative to "now". Anchoring now at the world's date keeps the data
    listable whatever the real date is when the tests run.
    """

    def __init__(self, start: datetime, speed: float) -> None:
        self._start = start.astimezone(UTC)
        self._speed = speed
        self._t0 = time.monotonic()
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            elapsed = (time.monotonic() - self._t0) * self._speed + self._offset
        return self._start + timedelta(seconds=elapsed)

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self._offset += seconds
        return self.now()


class TokenBucket:
    """Classic token bucket on real monotonic time (rate already scaled)."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = float(burst)
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            now = time.monotonic()
            self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.rate)
            self._last = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return True
            return False


@dataclass
class OperationStats:
    received: int = 0
    served: int = 0  # answered with anything but 429 (dropped sockets excluded)
    throttled: int = 0  # 429s, bucket or fault
    dropped: int = 0
    injected_errors: int = 0
    status_counts: dict[str, int] = field(default_factory=dict)
    accepted_at: list[float] = field(default_factory=list)  # epoch seconds; passed auth + throttling

    def as_json(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "served": self.served,
            "throttled": self.throttled,
            "dropped": self.dropped,
            "injected_errors": self.injected_errors,
            "status_counts": dict(self.status_counts),
            "accepted_at": list(self.accepted_at),
        }


class Stats:
    def __init__(self) -> None:
        self._ops: dict[str, OperationStats] = defaultdict(OperationStats)
        self._lock = threading.Lock()

    def received(self, op: str) -> None:
        with self._lock:
            self._ops[op].received += 1

    def accepted(self, op: str) -> None:
        with self._lock:
            self._ops[op].accepted_at.append(time.time())

    def dropped(self, op: str) -> None:
        with self._lock:
            self._ops[op].dropped += 1

    def injected(self, op: str) -> None:
        with self._lock:
            self._ops[op].injected_errors += 1

    def answered(self, op: str, status: int) -> None:
        with self._lock:
            s = self._ops[op]
            if status == 429:
                s.throttled += 1
            else:
                s.served += 1
            s.status_counts[str(status)] = s.status_counts.get(str(status), 0) + 1

    def snapshot(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {op: s.as_json() for op, s in self._ops.items()}

    def reset(self) -> None:
        with self._lock:
            self._ops.clear()


class PageTokenError(Exception):
    pass


class PageTokenCodec:
    """Opaque, HMAC-signed page tokens carrying query, position and expiry.

    The token holds the whole query, so the server never keeps cursor state
    and getReports can insist that nextToken is the only parameter.
    """

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("page:" + secret).encode()).digest()

    def encode(self, payload: dict[str, Any]) -> str:
        raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        sig = hmac.new(self._key, raw, hashlib.sha256).digest()[:12]
        return (
            base64.urlsafe_b64encode(raw).decode().rstrip("=")
            + "."
            + base64.urlsafe_b64encode(sig).decode().rstrip("=")
        )

    def decode(self, token: str) -> dict[str, Any]:
        try:
            body, sig = token.strip().split(".")
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            given = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
        except (ValueError, TypeError) as exc:
            raise PageTokenError("malformed token") from exc
        if not hmac.compare_digest(given, hmac.new(self._key, raw, hashlib.sha256).digest()[:12]):
            raise PageTokenError("bad signature")
        try:
            payload = json.loads(raw)
        except ValueError as exc:
            raise PageTokenError("malformed token") from exc
        if not isinstance(payload, dict):
            raise PageTokenError("malformed token")
        return payload
