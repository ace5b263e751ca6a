"""One HTTP call with pacing, retries, token refresh and an audit line per attempt.

Retry policy (issue requirement 5): 429, 500, 502, 503, 504, timeouts and
connection errors/resets are retried with exponential backoff and full jitter,
at most `max_attempts` attempts in total. Other 4xx fail at once, except one
401/403 that says the access token expired: we drop the token, fetch a new
one and retry once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import requests

from acorn.spapi.audit import AuditLog, AuditRecord
from acorn.spapi.clock import SYSTEM_CLOCK, Clock
from acorn.spapi.errors import RetriesExhaustedError, SpApiError
from acorn.spapi.ratelimit import TokenBucket, parse_rate_header

log = logging.getLogger(__name__)

USER_AGENT = "ACORN-i/0.1 (Language=Python/3.11)"
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRYABLE_EXCEPTIONS: tuple[type[BaseException], ...] = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    ConnectionResetError,
)
_QUERY = re.compile(r"\?[^\s'\")]*")


class _RedactQueries(logging.Filter):
    """urllib3 logs full URLs at DEBUG (page tokens, pre-signed signatures): strip the queries."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix
            return True
        clean = sanitize(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


_REDACTION_INSTALLED = False


def install_log_redaction() -> None:
    """Attach the query-string filter to urllib3's connection-pool logger once per process."""
    global _REDACTION_INSTALLED
    if not _REDACTION_INSTALLED:
        logging.getLogger("urllib3.connectionpool").addFilter(_RedactQueries())
        _REDACTION_INSTALLED = True


class TokenSource(Protocol):
    def get(self) -> str: ...

    def invalidate(self, token: str) -> None: ...


def parse_error_body(body: bytes) -> tuple[str | None, str | None, str | None]:
    """(code, message, details) from an SP-API ErrorList or an LWA OAuth error body."""
    try:
        data = json.loads(body.decode("utf-8", "replace")) if body else None
    except ValueError:
        return None, None, None
    if isinstance(data, dict):
        errors = data.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            first = errors[0]
            details = first.get("details")
            return (
                _opt_str(first.get("code")),
                _opt_str(first.get("message")),
                _opt_str(details) if details not in (None, "") else None,
            )
        if "error" in data:  # LWA: {"error": "invalid_grant", "error_description": "..."}
            return _opt_str(data.get("error")), _opt_str(data.get("error_description")), None
    return None, None, None


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def is_access_token_expiry(status: int, code: str | None, message: str | None, details: str | None) -> bool:
    """401/403 that blames the access token (expired / invalid), not a missing role."""
    if status not in (401, 403):
        return False
    text = " ".join(x for x in (code, message, details) if x).lower()
    return "token" in text and any(w in text for w in ("expired", "invalid", "not valid"))


def sanitize(text: str) -> str:
    """Drop query strings (page tokens, pre-signed URL signatures) from exception text."""
    return _QUERY.sub("?<redacted>", text)


class Transport:
    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        audit: AuditLog | None = None,
        clock: Clock = SYSTEM_CLOCK,
        max_attempts: int = 5,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        timeout: float | tuple[float, float] = (10, 60),
        jitter: Callable[[], float] = random.random,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")
        self.session = session or requests.Session()
        install_log_redaction()
        self.audit = audit
        self.clock = clock
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.timeout = timeout
        self._jitter = jitter
        # Server clock minus ours, from the last response's Date header.
        self.server_offset: timedelta | None = None

    def backoff_delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Full jitter: uniform(0, min(cap, base * 2**(attempt-1))), at least Retry-After if sent."""
        delay = self._jitter() * min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1))
        if retry_after:
            try:
                delay = max(delay, min(self.backoff_cap, float(retry_after)))
            except ValueError:
                pass
        return delay

    def _note_server_date(self, header: str | None) -> None:
        if not header:
            return
        try:
            server = parsedate_to_datetime(header)
        except (TypeError, ValueError):
            return
        if server.tzinfo is not None:
            self.server_offset = server - self.clock.now()

    def server_now(self) -> datetime:
        """Now by the server's clock (its Date header); ours until a response told us."""
        return self.clock.now() + (self.server_offset or timedelta(0))

    def send(
        self,
        operation: str,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
        json_body: Any = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        marketplace_id: str | None = None,
        bucket: TokenBucket | None = None,
        token: TokenSource | None = None,
        default_headers: bool = True,
    ) -> requests.Response:
        """Perform the call and return a 2xx response, or raise SpApiError."""
        attempt = 0
        refreshed = False
        while True:
            attempt += 1
            if bucket is not None:
                bucket.acquire()
            hdrs: dict[str, str] = {}
            if default_headers:
                hdrs = {"user-agent": USER_AGENT, "accept": "application/json"}
            hdrs.update(headers or {})
            access_token = None
            if token is not None:
                access_token = token.get()
                hdrs["x-amz-access-token"] = access_token
            started = time.perf_counter()
            try:
                resp = self.session.request(
                    method, url, params=params, json=json_body, data=data, headers=hdrs, timeout=self.timeout
                )
            except RETRYABLE_EXCEPTIONS as exc:
                kind = type(exc).__name__
                self._audit(operation, marketplace_id, attempt, started, None, kind)
                log.warning("%s: %s on attempt %d/%d", operation, kind, attempt, self.max_attempts)
                if attempt >= self.max_attempts:
                    raise RetriesExhaustedError(
                        operation,
                        marketplace_id=marketplace_id,
                        code=kind,
                        message=sanitize(str(exc)),
                        attempts=attempt,
                        reason=f"gave up after {attempt} attempts",
                    ) from None
                self.clock.sleep(self.backoff_delay(attempt))
                continue

            body = resp.content
            self._note_server_date(resp.headers.get("Date"))
            request_id = resp.headers.get("x-amzn-RequestId")
            server_rate = parse_rate_header(resp.headers.get("x-amzn-RateLimit-Limit"))
            if bucket is not None and server_rate is not None:
                bucket.set_server_rate(server_rate)
            status = resp.status_code
            if 200 <= status < 300:
                self._audit(operation, marketplace_id, attempt, started, resp, "ok")
                log.debug("%s -> %d (attempt %d, request %s)", operation, status, attempt, request_id)
                return resp

            code, message, details = parse_error_body(body)
            if (
                token is not None
                and access_token is not None
                and not refreshed
                and is_access_token_expiry(status, code, message, details)
            ):
                self._audit(operation, marketplace_id, attempt, started, resp, "refresh_token")
                log.info("%s -> %d: access token rejected; refreshing once", operation, status)
                token.invalidate(access_token)
                refreshed = True
                continue

            error_kwargs: dict[str, Any] = dict(
                marketplace_id=marketplace_id,
                status=status,
                code=code,
                message=message,
                details=details,
                request_id=request_id,
                attempts=attempt,
            )
            if status in RETRYABLE_STATUSES:
                self._audit(operation, marketplace_id, attempt, started, resp, "retry")
                log.warning(
                    "%s -> %d on attempt %d/%d (request %s)",
                    operation,
                    status,
                    attempt,
                    self.max_attempts,
                    request_id,
                )
                if attempt >= self.max_attempts:
                    raise RetriesExhaustedError(
                        operation, reason=f"gave up after {attempt} attempts", **error_kwargs
                    )
                self.clock.sleep(self.backoff_delay(attempt, resp.headers.get("Retry-After")))
                continue
            self._audit(operation, marketplace_id, attempt, started, resp, "error")
            log.warning("%s -> %d %s (request %s)", operation, status, code, request_id)
            raise SpApiError(operation, **error_kwargs)

    def _audit(
        self,
        operation: str,
        marketplace_id: str | None,
        attempt: int,
        started: float,
        resp: requests.Response | None,
        outcome: str,
    ) -> None:
        if self.audit is None:
            return
        self.audit.record(
            AuditRecord(
                operation=operation,
                timestamp=datetime.now(UTC).isoformat(),  # real wall time, even under a fake clock
                request_id=resp.headers.get("x-amzn-RequestId") if resp is not None else None,
                status=resp.status_code if resp is not None else None,
                attempt=attempt,
                rate_limit=resp.headers.get("x-amzn-RateLimit-Limit") if resp is not None else None,
                sha256=hashlib.sha256(resp.content).hexdigest() if resp is not None else None,
                marketplace=marketplace_id,
                duration_ms=round((time.perf_counter() - started) * 1000, 3),
                outcome=outcome,
            )
        )
