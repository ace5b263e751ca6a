"""Login with Amazon (LWA) access tokens, cached per credentials and thread-safe."""

from __future__ import annotations

import logging
import threading

from acorn.spapi.clock import SYSTEM_CLOCK, Clock
from acorn.spapi.credentials import SpApiCredentials
from acorn.spapi.errors import SpApiError
from acorn.spapi.transport import Transport

log = logging.getLogger(__name__)

REFRESH_MARGIN_SECONDS = 60.0
REFRESH_MARGIN_SHARE = 0.10


def refresh_margin(lifetime: float) -> float:
    """Renew this long before expiry: 60 s or 10 % of the lifetime, whichever is smaller."""
    return min(REFRESH_MARGIN_SECONDS, REFRESH_MARGIN_SHARE * lifetime)


class LwaTokenProvider:
    """Exchanges the refresh token for an access token and caches it until shortly before expiry."""

    operation = "lwaToken"

    def __init__(self, credentials: SpApiCredentials, transport: Transport, clock: Clock = SYSTEM_CLOCK):
        self._creds = credentials
        self._transport = transport
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0
        self.fetch_count = 0

    def get(self) -> str:
        with self._lock:  # one thread fetches, the others wait and reuse
            if self._token is None or self._clock.monotonic() >= self._renew_at:
                self._fetch()
            assert self._token is not None
            return self._token

    def invalidate(self, token: str) -> None:
        """Forget `token` unless another thread already replaced it."""
        with self._lock:
            if self._token == token:
                self._token = None

    def _fetch(self) -> None:
        resp = self._transport.send(
            self.operation,
            "POST",
            self._creds.lwa_endpoint,
            data={
                "grant_type": "refresh_token",
                "refresh_token": self._creds.refresh_token,
                "client_id": self._creds.client_id,
                "client_secret": self._creds.client_secret,
            },
            headers={"content-type": "application/x-www-form-urlencoded;charset=UTF-8"},
        )
        try:
            body = resp.json()
            token = str(body["access_token"])
            lifetime = float(body.get("expires_in") or 3600)
        except (ValueError, KeyError, TypeError):
            raise SpApiError(
                self.operation,
                status=resp.status_code,
                code="BadTokenResponse",
                message="LWA response lacks access_token",
                request_id=resp.headers.get("x-amzn-RequestId"),
            ) from None
        self._token = token
        self._renew_at = self._clock.monotonic() + lifetime - refresh_margin(lifetime)
        self.fetch_count += 1
        log.info("LWA access token obtained for %s (valid %.0f s)", self._creds.conn_id, lifetime)
