"""A throwaway SP-API-shaped HTTP server on 127.0.0.1 and a fast-forward clock."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from acorn.spapi import AuditLog, SpApiClient, SpApiCredentials
from acorn.spapi.ratelimit import BucketRegistry

CLIENT_ID = "amzn1.application-oa2-client.TESTCLIENTID"
CLIENT_SECRET = "SECRET-client-secret-0123456789"
REFRESH_TOKEN = "Atzr|REFRESH-token-abcdefghijkl"
ACCESS_TOKEN_PREFIX = "Atza|ACCESS-"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode()))


Reply = tuple[int, dict[str, str], bytes | dict | list | str]
Handler = Callable[[Request], Reply]


@dataclass
class FakeServer:
    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    token_count: int = 0
    url: str = ""

    def route(self, method: str, path: str) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            self.routes[(method, path)] = fn
            return fn

        return register

    def calls(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def lwa(self, req: Request) -> Reply:
        self.token_count += 1
        return (
            200,
            {},
            {
                "access_token": f"{ACCESS_TOKEN_PREFIX}{self.token_count}",
                "token_type": "bearer",
                "expires_in": 3600,
                "refresh_token": REFRESH_TOKEN,
            },
        )


def _make_handler(server: FakeServer) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep pytest output clean
            pass

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            req = Request(
                self.command,
                parts.path,
                dict(parse_qsl(parts.query, keep_blank_values=True)),
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length),
            )
            server.requests.append(req)
            fn = server.routes.get((self.command, parts.path))
            if fn is None and parts.path == "/auth/o2/token":
                fn = server.lwa
            status, headers, body = (
                fn(req) if fn else (404, {}, {"errors": [{"code": "NotFound", "message": "no"}]})
            )
            if isinstance(body, dict | list):
                payload = json.dumps(body).encode()
                headers = {"content-type": "application/json", **headers}
            elif isinstance(body, str):
                payload = body.encode()
            else:
                payload = body
            self.send_response(status)
            headers = {"x-amzn-RequestId": f"req-{len(server.requests)}", **headers}
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = _serve

    return H


@pytest.fixture
def server():
    fake = FakeServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(fake))
    fake.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield fake
    httpd.shutdown()
    httpd.server_close()


class FakeClock:
    """Sleeping only moves the clock forward, so backoff and polling cost no real time."""

    def __init__(self, start: datetime = datetime(2025, 7, 1, tzinfo=UTC)) -> None:
        self.t = 1000.0
        self.start = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.t += max(0.0, seconds)

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.t - 1000.0)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_credentials(url: str, region: str = "na", **extra: Any) -> SpApiCredentials:
    conn = SimpleNamespace(
        conn_id=f"spapi_{region}",
        conn_type="http",
        host=url,
        schema=None,
        port=None,
        login=CLIENT_ID,
        password=CLIENT_SECRET,
        extra_dejson={
            "refresh_token": REFRESH_TOKEN,
            "lwa_endpoint": f"{url}/auth/o2/token",
            "selling_partner_id": "A3SELLERTEST",
            "report_poll_seconds": 5,
            **extra,
        },
    )
    return SpApiCredentials.from_connection(conn)


@pytest.fixture
def audit(tmp_path) -> AuditLog:
    return AuditLog(tmp_path / "audit" / "spapi.jsonl", keep_in_memory=True)


@pytest.fixture
def make_client(server, clock, audit):
    def build(region: str = "na", **kwargs: Any) -> SpApiClient:
        kwargs.setdefault("backoff_base", 0.001)
        kwargs.setdefault("timeout", (2, 5))
        return SpApiClient(
            make_credentials(server.url, region), audit=audit, clock=clock, buckets=BucketRegistry(), **kwargs
        )

    return build


@pytest.fixture
def secrets() -> tuple[str, ...]:
    """Strings that must never reach audit lines, logs or error messages."""
    return (CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN_PREFIX, "RDT-SECRET", "X-Amz-Signature", "sig=")


@pytest.fixture
def credentials_for(server):
    return lambda region="na", **extra: make_credentials(server.url, region, **extra)
