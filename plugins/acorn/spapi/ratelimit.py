"""Per-(selling partner, operation) token buckets, adapted to x-amzn-RateLimit-Limit.

Amazon meters each operation with a token bucket (rate = refill per second,
burst = size). We mirror it client-side so we wait instead of collecting 429s.
The header announces the rate actually applied; we pace a little below it
(SAFETY_FACTOR) so clock skew and network jitter cannot make us overtake the
server's refill.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from acorn.spapi.clock import SYSTEM_CLOCK, Clock

log = logging.getLogger(__name__)

SAFETY_FACTOR = 0.97


@dataclass(frozen=True)
class RateLimit:
    rate: float  # requests per second
    burst: int


# FACTS.md §3, model defaults. Keyed by operationId.
OPERATION_LIMITS: dict[str, RateLimit] = {
    "listTransactions": RateLimit(0.5, 10),
    "listFinancialEventGroups": RateLimit(0.5, 30),
    "listFinancialEvents": RateLimit(0.5, 30),
    "listBalances": RateLimit(0.5, 10),  # finances_2024-06-19.json usage plan
    "listPayouts": RateLimit(0.5, 10),  # transfers_2024-06-01.json usage plan
    "listExpectedPayouts": RateLimit(0.5, 10),
    "createReport": RateLimit(0.0167, 15),
    "getReports": RateLimit(0.0222, 10),
    "getReport": RateLimit(2.0, 15),
    "getReportDocument": RateLimit(0.0167, 15),
    "getOrders": RateLimit(0.0167, 20),
    "getOrderItems": RateLimit(0.5, 30),
    "createRestrictedDataToken": RateLimit(1.0, 10),
}
DEFAULT_LIMIT = RateLimit(0.5, 1)  # unknown operation: be conservative


class TokenBucket:
    """A thread-safe token bucket that hands out reservations.

    `acquire` takes a token immediately (the balance may go negative) and then
    sleeps for the debt, so concurrent callers queue fairly without holding
    the lock while sleeping.
    """

    def __init__(
        self, rate: float, burst: int, *, clock: Clock = SYSTEM_CLOCK, safety: float = SAFETY_FACTOR
    ):
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.documented_rate = rate
        self.burst = burst
        self._safety = safety
        self._rate = rate * safety
        self._clock = clock
        self._tokens = float(burst)  # starts full, like Amazon's bucket
        self._stamp = clock.monotonic()
        self._lock = threading.Lock()

    @property
    def rate(self) -> float:
        return self._rate

    @property
    def tokens(self) -> float:
        with self._lock:
            self._refill(self._clock.monotonic())
            return self._tokens

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._stamp)
        self._tokens = min(float(self.burst), self._tokens + elapsed * self._rate)
        self._stamp = now

    def reserve(self) -> float:
        """Take one token; return how long the caller must wait before using it."""
        with self._lock:
            self._refill(self._clock.monotonic())
            self._tokens -= 1.0
            return 0.0 if self._tokens >= 0 else -self._tokens / self._rate

    def acquire(self) -> float:
        wait = self.reserve()
        if wait > 0:
            self._clock.sleep(wait)
        return wait

    def set_server_rate(self, server_rate: float) -> None:
        """Adopt the rate the server announced (up or down), minus the safety margin."""
        if server_rate <= 0:
            return
        with self._lock:
            self._refill(self._clock.monotonic())  # settle the old rate up to now
            new = server_rate * self._safety
            if abs(new - self._rate) > 1e-12:
                log.debug("rate limit adapted from %.4f to %.4f rps", self._rate, new)
            self._rate = new


def parse_rate_header(value: str | None) -> float | None:
    if not value:
        return None
    try:
        rate = float(value.strip())
    except ValueError:
        return None
    return rate if rate > 0 else None


class BucketRegistry:
    """Buckets shared by every client in the process, one per (selling partner, operation)."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._lock = threading.Lock()

    def get(self, partner: str, operation: str, *, clock: Clock = SYSTEM_CLOCK) -> TokenBucket:
        key = (partner, operation)
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                limit = OPERATION_LIMITS.get(operation, DEFAULT_LIMIT)
                bucket = TokenBucket(limit.rate, limit.burst, clock=clock)
                self._buckets[key] = bucket
            return bucket

    def clear(self) -> None:
        with self._lock:
            self._buckets.clear()


REGISTRY = BucketRegistry()
