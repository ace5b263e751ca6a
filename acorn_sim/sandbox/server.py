"""A local SP-API: real HTTP on 127.0.0.1 with Amazon's paths, shapes and limits.

The pipeline talks to this server exactly as to Amazon; only the hosts in
the Airflow connection differ. Behaviour follows FACTS.md (the SP-API facts in
the project's reference material) and Amazon's official models. Request flow
for an SP-API operation:

    route -> faults (slow, drop, 5xx) -> auth (LWA token / RDT)
          -> throttling (fault, then token bucket) -> handler

Region and seller isolation: the access token fixes (seller, region); a
record whose marketplace is known and belongs to another region is never
visible. Records with no recognisable marketplace are visible from every
region of their seller. Financial event groups (and v0 events without a
MarketplaceName, e.g. AdjustmentEvent) carry no marketplace, so their region
is inferred from their currency among the seller's marketplaces (visible
everywhere only if that is ambiguous).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import hmac
import itertools
import json
import logging
import re
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from acorn import marketplaces
from acorn.spapi import roles
from acorn_sim.sandbox.config import RATE_LIMITS, SETTLEMENT_REPORT_TYPES, SandboxConfig
from acorn_sim.sandbox.corrupt import corrupt_report, corrupt_transaction
from acorn_sim.sandbox.faults import KNOWN_ROLES, Fault, FaultSpecError, FaultState
from acorn_sim.sandbox.runtime import (
    PageTokenCodec,
    PageTokenError,
    SandboxClock,
    Stats,
    TokenBucket,
    iso,
    parse_iso,
)
from acorn_sim.world import cashflow
from acorn_sim.world.interface import JSON, RegionCredentials, ReportFile, SellerAccount, World

logger = logging.getLogger(__name__)

TWO_MINUTES = timedelta(minutes=2)
MAX_WINDOW = timedelta(days=180)
REPORT_RETENTION = timedelta(days=90)
SETTLEMENT_TYPE = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"

# Every list of the v0 FinancialEvents object; Amazon sends them all, empty or not.
FINANCIAL_EVENT_LISTS: tuple[str, ...] = (
    "ShipmentEventList",
    "ShipmentSettleEventList",
    "RefundEventList",
    "GuaranteeClaimEventList",
    "EBTRefundReimbursementOnlyEventList",
    "ChargebackEventList",
    "PayWithAmazonEventList",
    "ServiceProviderCreditEventList",
    "RetrochargeEventList",
    "RentalTransactionEventList",
    "ProductAdsPaymentEventList",
    "ServiceFeeEventList",
    "SellerDealPaymentEventList",
    "DebtRecoveryEventList",
    "LoanServicingEventList",
    "AdjustmentEventList",
    "SAFETReimbursementEventList",
    "SellerReviewEnrollmentPaymentEventList",
    "FBALiquidationEventList",
    "CouponPaymentEventList",
    "ImagingServicesFeeEventList",
    "NetworkComminglingTransactionEventList",
    "AffordabilityExpenseEventList",
    "AffordabilityExpenseReversalEventList",
    "RemovalShipmentEventList",
    "RemovalShipmentAdjustmentEventList",
    "TrialShipmentEventList",
    "TDSReimbursementEventList",
    "AdhocDisbursementEventList",
    "TaxWithholdingEventList",
    "ChargeRefundEventList",
    "FailedAdhocDisbursementEventList",
    "ValueAddedServiceChargeEventList",
    "CapacityReservationBillingEventList",
)

TRANSACTION_STATUSES = frozenset({"DEFERRED", "RELEASED", "DEFERRED_RELEASED"})
RELATED_FILTERS = frozenset({"FINANCIAL_EVENT_GROUP_ID", "ORDER_ID"})
PROCESSING_STATUSES = frozenset({"CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"})
CHARSET_NAMES = {
    "utf-8": "UTF-8",
    "utf8": "UTF-8",
    "iso-8859-1": "ISO-8859-1",
    "latin-1": "ISO-8859-1",
    "cp1252": "windows-1252",
    "cp932": "Windows-31J",
    "shift_jis": "Shift_JIS",
}

UNAUTHORIZED = "Access to requested resource is denied."
# Amazon's answer to createRestrictedDataToken for an app without the restricted role.
PII_REFUSAL = "Application does not have access to one or more requested data elements: [{}]"
RESTRICTED_ELEMENTS = ("buyerInfo", "shippingAddress", "buyerTaxInformation")
EXPIRED_DETAILS = "The access token you provided has expired."
INVALID_DETAILS = "The access token you provided is invalid."

# Orders v0 Address fields that only a Restricted Data Token unlocks (the model's note).
RESTRICTED_ADDRESS_FIELDS = frozenset(
    {"Name", "CompanyName", "AddressLine1", "AddressLine2", "AddressLine3", "Phone", "AddressType", "ExtendedFields"}
)


# ---------------------------------------------------------------------------------------------------
# Small value types


class ApiError(Exception):
    """An SP-API error answer: ``{"errors":[{"code","message","details"?}]}``."""

    def __init__(self, status: int, code: str, message: str, details: str | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def body(self) -> JSON:
        err: JSON = {"code": self.code, "message": self.message}
        if self.details:
            err["details"] = self.details
        return {"errors": [err]}


def invalid(message: str, details: str | None = None) -> ApiError:
    return ApiError(400, "InvalidInput", message, details)


def _json_default(value: object) -> object:
    # Worlds may hold money as Decimal; JSON has only numbers. Amounts have far fewer than
    # 15 significant digits, so the float's shortest repr is the same number.
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and value.as_tuple().exponent >= 0
            else float(value)
        )
    if isinstance(value, datetime):
        return iso(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def json(status: int, obj: Any, headers: tuple[tuple[str, str], ...] = ()) -> Response:
        data = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, default=_json_default).encode(
            "utf-8"
        )
        return Response(status, data, (("Content-Type", "application/json"), *headers))


DROP = object()  # sentinel: close the socket without answering


@dataclass(frozen=True)
class Grant:
    """What an access token or RDT stands for."""

    token: str
    seller_id: str
    region: str
    expires_at: datetime
    client_id: str
    restricted: tuple[JSON, ...] | None = None  # RDT: the restrictedResources it covers


@dataclass(frozen=True)
class Ctx:
    operation: str
    seller: SellerAccount
    region: str
    grant: Grant
    query: dict[str, list[str]]
    body: bytes
    path: str
    params: dict[str, str]
    now: datetime


@dataclass(frozen=True)
class ReportRecord:
    report_id: str
    seller_id: str
    region: str
    report_type: str
    marketplace_ids: tuple[str, ...]
    data_start: datetime
    data_end: datetime
    created: datetime
    fatal: bool = False
    settlement: bool = False
    outcome: str | None = None  # DONE | CANCELLED | FATAL once resolved
    document_id: str | None = None


@dataclass(frozen=True)
class DocumentRecord:
    document_id: str
    seller_id: str
    region: str
    gz: bytes
    encoding: str


@dataclass
class _TokenExpiry:
    cohort: set[str] = field(default_factory=set)
    remaining: int = 0


# ---------------------------------------------------------------------------------------------------
# Helpers


def _first(q: dict[str, list[str]], name: str) -> str | None:
    values = q.get(name)
    if not values:
        return None
    return values[0]


def _list_param(q: dict[str, list[str]], name: str) -> list[str]:
    out: list[str] = []
    for v in q.get(name, []):
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return out


def _date_param(q: dict[str, list[str]], name: str) -> datetime | None:
    value = _first(q, name)
    if value is None or value == "":
        return None
    try:
        return parse_iso(value)
    except ValueError as exc:
        raise invalid(f"Invalid {name}: {value!r} is not an ISO 8601 date-time.") from exc


def _int_param(q: dict[str, list[str]], name: str, default: int, lo: int, hi: int) -> int:
    value = _first(q, name)
    if value is None:
        return default
    try:
        n = int(value)
    except ValueError as exc:
        raise invalid(f"Invalid {name}: {value!r}.") from exc
    if not lo <= n <= hi:
        raise invalid(f"{name} must be between {lo} and {hi}.")
    return n


def _region_of(marketplace_id: str | None) -> str | None:
    if not marketplace_id:
        return None
    found = marketplaces.BY_ID.get(marketplace_id)
    return found.region if found else None


_BY_NAME = {m.name.lower(): m for m in marketplaces.all_marketplaces()}


def _marketplace_of_transaction(t: JSON) -> str | None:
    details = t.get("marketplaceDetails") or {}
    meta = t.get("sellingPartnerMetadata") or {}
    return details.get("marketplaceId") or meta.get("marketplaceId")


def _region_of_event(event: JSON) -> str | None:
    name = event.get("MarketplaceName") or event.get("marketplaceName") or event.get("StoreName")
    if isinstance(name, str):
        found = _BY_NAME.get(name.lower())
        if found:
            return found.region
    return None


def _first_currency(obj: object) -> str | None:
    """The first CurrencyCode/currencyCode found in a JSON object, depth first."""
    if isinstance(obj, dict):
        for key in ("CurrencyCode", "currencyCode"):
            if isinstance(obj.get(key), str):
                return obj[key]
        values: list[object] = list(obj.values())
    elif isinstance(obj, list):
        values = list(obj)
    else:
        return None
    for value in values:
        found = _first_currency(value)
        if found:
            return found
    return None


def _rate_header(rate: float) -> str:
    return repr(round(rate, 6))


# ---------------------------------------------------------------------------------------------------
# The application


class SandboxServer:
    """All sandbox state and the SP-API routes; the HTTP layer only calls `handle`."""

    def __init__(self, world: World, config: SandboxConfig | None = None) -> None:
        self.world = world
        self.config = config or SandboxConfig()
        self.clock = SandboxClock(self.config.clock_start or world.as_of, self.config.effective_clock_speed)
        self.faults = FaultState()
        self.stats = Stats()
        self.base_url = "http://127.0.0.1"
        self._pages = PageTokenCodec(self.config.secret)
        self._url_key = hashlib.sha256(("url:" + self.config.secret).encode()).digest()
        self._lock = threading.RLock()
        self._sellers: dict[str, SellerAccount] = {s.selling_partner_id: s for s in world.sellers()}
        self._refresh: dict[str, tuple[SellerAccount, RegionCredentials]] = {}
        self._clients: dict[str, str] = {}
        for seller in self._sellers.values():
            for cred in seller.credentials:
                self._refresh[cred.refresh_token] = (seller, cred)
                self._clients[cred.client_id] = cred.client_secret
        self._grants: dict[str, Grant] = {}
        self._forced_expired: set[str] = set()
        self._token_expiry: _TokenExpiry | None = None
        self._buckets: dict[tuple[str, str, str], TokenBucket] = {}
        self._reports: dict[str, ReportRecord] = {}
        self._documents: dict[str, DocumentRecord] = {}
        self._report_ids = itertools.count(50_000_000_001)
        self._routes: list[tuple[str, re.Pattern[str], str, Callable[[Ctx], Response]]] = [
            (
                "POST",
                re.compile(r"/tokens/2021-03-01/restrictedDataToken"),
                "createRestrictedDataToken",
                self._create_rdt,
            ),
            (
                "GET",
                re.compile(r"/finances/2024-06-19/transactions"),
                "listTransactions",
                self._list_transactions,
            ),
            (
                "GET",
                re.compile(r"/finances/v0/financialEventGroups"),
                "listFinancialEventGroups",
                self._list_event_groups,
            ),
            ("GET", re.compile(r"/finances/v0/financialEvents"), "listFinancialEvents", self._list_events),
            ("GET", re.compile(r"/finances/2024-06-19/balances"), "listBalances", self._list_balances),
            ("GET", re.compile(r"/finances/transfers/2024-06-01/payouts"), "listPayouts", self._list_payouts),
            (
                "GET",
                re.compile(r"/finances/transfers/2024-06-01/payouts/expected"),
                "listExpectedPayouts",
                self._list_expected_payouts,
            ),
            ("POST", re.compile(r"/reports/2021-06-30/reports"), "createReport", self._create_report),
            ("GET", re.compile(r"/reports/2021-06-30/reports"), "getReports", self._get_reports),
            (
                "GET",
                re.compile(r"/reports/2021-06-30/reports/(?P<reportId>[^/]+)"),
                "getReport",
                self._get_report,
            ),
            (
                "DELETE",
                re.compile(r"/reports/2021-06-30/reports/(?P<reportId>[^/]+)"),
                "cancelReport",
                self._cancel_report,
            ),
            (
                "GET",
                re.compile(r"/reports/2021-06-30/documents/(?P<reportDocumentId>[^/]+)"),
                "getReportDocument",
                self._get_report_document,
            ),
            ("GET", re.compile(r"/orders/v0/orders"), "getOrders", self._get_orders),
            (
                "GET",
                re.compile(r"/orders/v0/orders/(?P<orderId>[^/]+)/orderItems"),
                "getOrderItems",
                self._get_order_items,
            ),
        ]
        unknown_roles = self.config.denied_roles - KNOWN_ROLES
        if unknown_roles:
            raise ValueError(f"denied_roles: unknown role(s) {sorted(unknown_roles)}; known: {sorted(KNOWN_ROLES)}")
        self.set_faults(**dict(self.config.faults))

    # -- control surface ---------------------------------------------------------------------------

    def _client_seconds(self, sandbox_seconds: float) -> int:
        """A lifetime in the client's (real) seconds.

        Tokens expire on the sandbox clock, which may run fast; telling the
        client the real-time lifetime lets it renew ahead of expiry, as it
        would against Amazon.
        """
        return max(1, int(sandbox_seconds / self.config.effective_clock_speed))

    def set_faults(self, **switches: Any) -> dict[str, Any]:
        """Apply fault switches (see `acorn_sim.sandbox.faults`); returns the new state."""
        if switches.get("reset"):
            with self._lock:
                self._token_expiry = None
        expire = switches.pop("expire_access_tokens", None)
        self.faults.apply(switches)
        if expire is not None and expire is not False:
            after = 0
            if isinstance(expire, dict):
                after = int(expire.get("after_calls", 0))
            elif not isinstance(expire, bool):
                after = int(expire)
            with self._lock:
                cohort = {t for t, g in self._grants.items()}
                if after <= 0:
                    self._forced_expired |= cohort
                else:
                    self._token_expiry = _TokenExpiry(cohort, after)
        return self.fault_snapshot()

    def fault_snapshot(self) -> dict[str, Any]:
        out = self.faults.snapshot()
        with self._lock:
            out["expire_access_tokens"] = (
                {"after_calls": self._token_expiry.remaining} if self._token_expiry else None
            )
        return out

    def denied_roles(self) -> frozenset[str]:
        return self.config.denied_roles | self.faults.denied_roles

    def has_pii_role(self) -> bool:
        return self.config.pii_role and self.faults.pii_role and roles.PII_ROLE not in self.denied_roles()

    def _check_role(self, role: str | None) -> None:
        """403 Unauthorized, as Amazon answers an app without the role (no token blamed)."""
        if role is not None and role in self.denied_roles():
            raise ApiError(403, "Unauthorized", UNAUTHORIZED)

    def _check_report_roles(self, report_types: Sequence[str]) -> None:
        for report_type in report_types:
            self._check_role(roles.REPORT_TYPE_ROLES.get(report_type))

    def stats_snapshot(self) -> dict[str, Any]:
        return {"now": iso(self.clock.now()), "operations": self.stats.snapshot()}

    # -- entry point from the HTTP layer -----------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> Response | object:
        parts = urlsplit(raw_path)
        path = parts.path.rstrip("/") or "/"
        query = parse_qs(parts.query, keep_blank_values=True)
        if path.startswith("/_sandbox/"):
            return self._control(method, path, body)
        if path.startswith("/_documents/"):
            return self._with_faults("downloadDocument", False, lambda: self._download(path, query))
        if path == "/auth/o2/token":
            if method != "POST":
                return Response.json(405, {"error": "invalid_request", "error_description": "POST only"})
            return self._with_faults("lwaToken", False, lambda: self._lwa(headers, body))
        for route_method, pattern, operation, fn in self._routes:
            m = pattern.fullmatch(path)
            if m and route_method == method:
                run = functools.partial(self._api, operation, fn, m.groupdict(), path, query, headers, body)
                return self._with_faults(operation, True, run)
        return Response.json(404, {"errors": [{"code": "NotFound", "message": "Resource not found."}]})

    def _with_faults(self, operation: str, wildcard: bool, run: Callable[[], Response]) -> Response | object:
        self.stats.received(operation)

        def take(switch: str) -> Fault | None:
            # LWA and document downloads only fault when named explicitly, never through "*".
            return self.faults.take(switch, operation, wildcard=wildcard)

        slow = take("slow_responses")
        if slow is not None:
            time.sleep(float(slow.params.get("seconds", 1.0)))
        if take("drop_connections") is not None:
            self.stats.dropped(operation)
            return DROP
        err = take("server_errors")
        if err is not None:
            self.stats.injected(operation)
            status = int(err.params.get("status", 500))
            resp = Response.json(
                status,
                {
                    "errors": [
                        {
                            "code": "InternalFailure",
                            "message": "We encountered an internal error. Please try again.",
                        }
                    ]
                },
            )
        else:
            resp = run()
        self.stats.answered(operation, resp.status)
        return resp

    # -- auth ---------------------------------------------------------------------------------------

    def _lwa(self, headers: dict[str, str], body: bytes) -> Response:
        ctype = headers.get("content-type", "")
        try:
            if "json" in ctype:
                form = {k: str(v) for k, v in json.loads(body or b"{}").items()}
            else:
                form = {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
        except (ValueError, AttributeError):
            return Response.json(400, {"error": "invalid_request", "error_description": "Malformed request"})
        if form.get("grant_type") != "refresh_token":
            return Response.json(
                400,
                {
                    "error": "unsupported_grant_type",
                    "error_description": "The authorization grant type is not supported by the authorization server",
                },
            )
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if client_id not in self._clients or not hmac.compare_digest(self._clients[client_id], secret):
            return Response.json(
                401, {"error": "invalid_client", "error_description": "Client authentication failed"}
            )
        found = self._refresh.get(form.get("refresh_token", ""))
        if found is None or found[1].client_id != client_id:
            return Response.json(
                400,
                {
                    "error": "invalid_grant",
                    "error_description": "The request has an invalid grant parameter : refresh_token",
                },
            )
        seller, cred = found
        token = "Atza|" + secrets.token_urlsafe(48)
        grant = Grant(
            token,
            seller.selling_partner_id,
            cred.region,
            self.clock.now() + timedelta(seconds=self.config.access_token_ttl),
            client_id,
        )
        with self._lock:
            self._grants[token] = grant
        logger.info("LWA: issued access token for %s/%s", seller.selling_partner_id, cred.region)
        return Response.json(
            200,
            {
                "access_token": token,
                "token_type": "bearer",
                "expires_in": self._client_seconds(self.config.access_token_ttl),
                "refresh_token": cred.refresh_token,
            },
        )

    def _authenticate(self, headers: dict[str, str], now: datetime) -> Grant:
        token = headers.get("x-amz-access-token", "").strip()
        with self._lock:
            exp = self._token_expiry
            if exp is not None and exp.remaining <= 0:
                self._forced_expired |= exp.cohort
                self._token_expiry = exp = None
            grant = self._grants.get(token)
            if grant is None:
                raise ApiError(403, "Unauthorized", UNAUTHORIZED, INVALID_DETAILS)
            if token in self._forced_expired or now >= grant.expires_at:
                raise ApiError(403, "Unauthorized", UNAUTHORIZED, EXPIRED_DETAILS)
            if exp is not None and token in exp.cohort:
                exp.remaining -= 1
        return grant

    def _throttle(self, grant: Grant, operation: str) -> bool:
        """True if the request may proceed."""
        if self.faults.take("throttle_burst", operation) is not None:
            return False
        key = (grant.seller_id, grant.region, operation)
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                limit = self.config.scaled(operation)
                bucket = self._buckets[key] = TokenBucket(limit.rate, limit.burst)
        return bucket.take()

    def _api(
        self,
        operation: str,
        fn: Callable[[Ctx], Response],
        params: dict[str, str],
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
    ) -> Response:
        rate = _rate_header(self.config.scaled(operation).rate)
        now = self.clock.now()
        try:
            grant = self._authenticate(headers, now)
            if grant.restricted is not None and not self._rdt_covers(grant, "GET", path):
                raise ApiError(403, "Unauthorized", UNAUTHORIZED, INVALID_DETAILS)
            if operation != "createRestrictedDataToken":  # that one refuses with a 400 (see _create_rdt)
                self._check_role(roles.OPERATION_ROLES.get(operation))
            if not self._throttle(grant, operation):
                return Response.json(
                    429,
                    {
                        "errors": [
                            {
                                "code": "QuotaExceeded",
                                "message": "You exceeded your quota for the requested resource.",
                            }
                        ]
                    },
                )
            self.stats.accepted(operation)
            seller = self._sellers[grant.seller_id]
            resp = fn(Ctx(operation, seller, grant.region, grant, query, body, path, params, now))
        except ApiError as exc:
            resp = Response.json(exc.status, exc.body())
        except Exception:  # a bug in a world or route must look like Amazon's 500, not kill the thread
            logger.exception("sandbox %s failed", operation)
            resp = Response.json(
                500,
                {
                    "errors": [
                        {
                            "code": "InternalFailure",
                            "message": "We encountered an internal error. Please try again.",
                        }
                    ]
                },
            )
        if 200 <= resp.status < 300 or resp.status in (400, 404):
            resp = replace(resp, headers=(*resp.headers, ("x-amzn-RateLimit-Limit", rate)))
        return resp

    # -- Tokens API -----------------------------------------------------------------------------------

    def _create_rdt(self, ctx: Ctx) -> Response:
        if ctx.grant.restricted is not None:
            raise ApiError(403, "Unauthorized", UNAUTHORIZED, INVALID_DETAILS)
        try:
            spec = json.loads(ctx.body or b"{}")
        except ValueError as exc:
            raise invalid("Malformed request body.") from exc
        resources = spec.get("restrictedResources") if isinstance(spec, dict) else None
        if not isinstance(resources, list) or not resources:
            raise invalid("restrictedResources is required.")
        for r in resources:
            if not isinstance(r, dict) or not r.get("method") or not str(r.get("path", "")).startswith("/"):
                raise invalid("Each restricted resource needs a method and a path.")
        if not self.has_pii_role():
            asked = [str(e) for r in resources for e in (r.get("dataElements") or [])]
            refused = list(dict.fromkeys(e for e in asked if e in RESTRICTED_ELEMENTS))
            if refused:
                raise invalid(PII_REFUSAL.format(", ".join(refused)))
        token = "Atz.sprdt|" + secrets.token_urlsafe(48)
        ttl = self.config.restricted_data_token_ttl
        grant = Grant(
            token,
            ctx.grant.seller_id,
            ctx.region,
            ctx.now + timedelta(seconds=ttl),
            ctx.grant.client_id,
            tuple(resources),
        )
        with self._lock:
            self._grants[token] = grant
        return Response.json(200, {"restrictedDataToken": token, "expiresIn": self._client_seconds(ttl)})

    @staticmethod
    def _resource_matches(resource: JSON, method: str, path: str) -> bool:
        if str(resource.get("method", "")).upper() != method:
            return False
        pattern = re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(str(resource.get("path", "")).rstrip("/")))
        return re.fullmatch(pattern, path) is not None

    def _rdt_covers(self, grant: Grant, method: str, path: str) -> bool:
        return any(self._resource_matches(r, method, path) for r in grant.restricted or ())

    def _pii_elements(self, ctx: Ctx) -> set[str]:
        if ctx.grant.restricted is None:
            return set()
        return {
            str(e)
            for r in ctx.grant.restricted
            if self._resource_matches(r, "GET", ctx.path)
            for e in (r.get("dataElements") or [])
        }

    # -- page tokens --------------------------------------------------------------------------------

    def _issue_page(self, ctx: Ctx, q: JSON, offset: int) -> str:
        exp = ctx.now + timedelta(seconds=self.config.page_token_ttl)
        return self._pages.encode(
            {
                "op": ctx.operation,
                "s": ctx.seller.selling_partner_id,
                "r": ctx.region,
                "q": q,
                "o": offset,
                "exp": iso(exp),
                "n": secrets.token_hex(4),
            }
        )

    def _open_page(self, ctx: Ctx, token: str) -> tuple[JSON, int]:
        minutes = round(self.config.page_token_ttl / 60)
        expired = invalid(f"Token is not valid, token duration is {minutes} minutes.")
        try:
            payload = self._pages.decode(token)
        except PageTokenError as exc:
            raise invalid("Invalid NextToken.", str(exc)) from exc
        if (payload.get("op"), payload.get("s"), payload.get("r")) != (
            ctx.operation,
            ctx.seller.selling_partner_id,
            ctx.region,
        ):
            raise invalid("Invalid NextToken.", "The token belongs to another request.")
        if self.faults.take("expire_page_tokens", ctx.operation) is not None:
            raise expired
        if ctx.now >= parse_iso(payload["exp"]):
            raise expired
        return payload["q"], int(payload["o"])

    def _page(
        self, ctx: Ctx, q: JSON, items: Sequence[Any], offset: int, size: int
    ) -> tuple[list[Any], str | None]:
        page = list(items[offset : offset + size])
        token = self._issue_page(ctx, q, offset + size) if offset + size < len(items) else None
        return page, token

    # -- marketplace checks -------------------------------------------------------------------------

    def _check_marketplaces(self, ctx: Ctx, ids: Sequence[str], name: str) -> None:
        for mp in ids:
            if _region_of(mp) != ctx.region:
                raise invalid(f"Invalid {name}: {mp} is not a valid marketplace for this endpoint.")

    def _visible(self, ctx: Ctx, region: str | None) -> bool:
        return region is None or region == ctx.region

    def _currency_region(self, ctx: Ctx, obj: object) -> str | None:
        """Region of the seller's marketplaces using the first currency in ``obj`` (if unambiguous)."""
        currency = _first_currency(obj)
        regions = {
            m.region
            for m in (marketplaces.BY_ID.get(i) for i in ctx.seller.marketplace_ids)
            if m is not None and m.currency == currency
        }
        return regions.pop() if len(regions) == 1 else None

    def _event_region(self, ctx: Ctx, event: JSON) -> str | None:
        # AdjustmentEvent & co. carry no MarketplaceName: fall back to their currency.
        return _region_of_event(event) or self._currency_region(ctx, event)

    def _posted_window(
        self, ctx: Ctx, after: datetime | None, before: datetime | None, names: tuple[str, str]
    ) -> tuple[datetime, datetime]:
        limit = ctx.now - TWO_MINUTES
        if before is None:
            before = limit
        elif before > limit:
            raise invalid(
                "Date range is invalid.", f"{names[1]} must be no later than two minutes before now."
            )
        if after is None:
            after = before - MAX_WINDOW
        if after > limit:
            raise invalid(
                "Date range is invalid.", f"{names[0]} must be no later than two minutes before now."
            )
        if before <= after:
            raise invalid("Date range is invalid.", f"{names[1]} must be after {names[0]}.")
        return after, before

    # -- Finances 2024-06-19 --------------------------------------------------------------------------

    def _list_transactions(self, ctx: Ctx) -> Response:
        token = _first(ctx.query, "nextToken")
        if token:
            q, offset = self._open_page(ctx, token)
        else:
            rel_name = _first(ctx.query, "relatedIdentifierName")
            rel_value = _first(ctx.query, "relatedIdentifierValue")
            if bool(rel_name) != bool(rel_value):
                raise invalid("relatedIdentifierName and relatedIdentifierValue must be given together.")
            if rel_name and rel_name not in RELATED_FILTERS:
                raise invalid(f"Invalid relatedIdentifierName: {rel_name}.")
            after = _date_param(ctx.query, "postedAfter")
            before = _date_param(ctx.query, "postedBefore")
            if after is None and not rel_name:
                raise invalid("Start date cannot be null")
            after, before = self._posted_window(ctx, after, before, ("postedAfter", "postedBefore"))
            if after is not None and _first(ctx.query, "postedAfter") is None:
                after = datetime(2000, 1, 1, tzinfo=UTC)  # related-identifier lookups are not date bound
            mp = _first(ctx.query, "marketplaceId") or None
            if mp:
                self._check_marketplaces(ctx, [mp], "marketplaceId")
            status = _first(ctx.query, "transactionStatus") or None
            if status and status not in TRANSACTION_STATUSES:
                raise invalid(f"Invalid transactionStatus: {status}.")
            q = {
                "pa": iso(after),
                "pb": iso(before),
                "mp": mp,
                "st": status,
                "rel": [rel_name, rel_value] if rel_name else None,
            }
            offset = 0
        after, before = parse_iso(q["pa"]), parse_iso(q["pb"])
        if q["rel"] is None and before - after > MAX_WINDOW:
            items: list[JSON] = []  # Amazon: more than 180 days apart -> empty, not an error
        else:
            items = [
                t
                for t in self.world.transactions(
                    ctx.seller.selling_partner_id,
                    marketplace_id=q["mp"],
                    posted_after=after,
                    posted_before=before,
                    transaction_status=q["st"],
                    related_identifier=tuple(q["rel"]) if q["rel"] else None,
                )
                if self._visible(ctx, _region_of(_marketplace_of_transaction(t)))
            ]
        page, nxt = self._page(ctx, q, items, offset, self.config.transactions_page_size)
        page = [self._maybe_corrupt_transaction(t) for t in page]
        payload: JSON = {"transactions": page}
        if nxt:
            payload["nextToken"] = nxt
        return Response.json(200, {"payload": payload})

    def _maybe_corrupt_transaction(self, txn: JSON) -> JSON:
        fault = self.faults.take("corrupt_records", "listTransactions", wildcard=False)
        return txn if fault is None else corrupt_transaction(txn, str(fault.params.get("kind")))

    # -- Finances v0 --------------------------------------------------------------------------------

    def _list_event_groups(self, ctx: Ctx) -> Response:
        token = _first(ctx.query, "NextToken")
        if token:
            q, offset = self._open_page(ctx, token)
        else:
            size = _int_param(ctx.query, "MaxResultsPerPage", 10, 1, 100)
            before = _date_param(ctx.query, "FinancialEventGroupStartedBefore")
            after = _date_param(ctx.query, "FinancialEventGroupStartedAfter")
            if before is None:
                before = ctx.now - TWO_MINUTES
            elif before > ctx.now:
                raise invalid("Date range is invalid.", "FinancialEventGroupStartedBefore is in the future.")
            if after is None:
                after = before - MAX_WINDOW
            if before <= after:
                raise invalid(
                    "Date range is invalid.",
                    "FinancialEventGroupStartedBefore must be after FinancialEventGroupStartedAfter.",
                )
            q = {"a": iso(after), "b": iso(before), "n": size}
            offset = 0
        after, before = parse_iso(q["a"]), parse_iso(q["b"])
        groups: list[JSON] = []
        if before - after <= MAX_WINDOW:
            groups = [
                g
                for g in self.world.financial_event_groups(
                    ctx.seller.selling_partner_id, started_after=after, started_before=before
                )
                if self._visible(ctx, self._currency_region(ctx, g.get("OriginalTotal")))
            ]
        page, nxt = self._page(ctx, q, groups, offset, int(q["n"]))
        payload: JSON = {"FinancialEventGroupList": page}
        if nxt:
            payload["NextToken"] = nxt
        return Response.json(200, {"payload": payload})

    def _list_events(self, ctx: Ctx) -> Response:
        token = _first(ctx.query, "NextToken")
        if token:
            q, offset = self._open_page(ctx, token)
        else:
            size = _int_param(ctx.query, "MaxResultsPerPage", 100, 1, 100)
            after = _date_param(ctx.query, "PostedAfter")
            before = _date_param(ctx.query, "PostedBefore")
            if before is not None and after is None:
                raise invalid("Date range is invalid.", "PostedAfter is required when PostedBefore is given.")
            after, before = self._posted_window(ctx, after, before, ("PostedAfter", "PostedBefore"))
            q = {"a": iso(after), "b": iso(before), "n": size}
            offset = 0
        after, before = parse_iso(q["a"]), parse_iso(q["b"])
        events: list[tuple[str, JSON]] = []
        if before - after <= MAX_WINDOW:
            events = [
                (name, e)
                for name, e in self.world.financial_events(
                    ctx.seller.selling_partner_id, posted_after=after, posted_before=before
                )
                if self._visible(ctx, self._event_region(ctx, e))
            ]
        page, nxt = self._page(ctx, q, events, offset, int(q["n"]))
        lists: dict[str, list[JSON]] = {name: [] for name in FINANCIAL_EVENT_LISTS}
        for name, event in page:
            lists.setdefault(name, []).append(event)
        payload: JSON = {"FinancialEvents": lists}
        if nxt:
            payload["NextToken"] = nxt
        return Response.json(200, {"payload": payload})

    # -- Finances 2024-06-19 balances, Transfers 2024-06-01 (docs/CASHFLOW.md) -------------------------

    def _cashflow_marketplaces(self, ctx: Ctx, transfers: bool) -> list[str]:
        """The asked `marketplaceIds` (400 if one is not of this region, or not a Transfers store),
        or, omitted, the seller's marketplaces of this region (Transfers stores only)."""
        asked = _list_param(ctx.query, "marketplaceIds")
        self._check_marketplaces(ctx, asked, "marketplaceIds")
        if transfers:
            for mp in asked:
                if marketplaces.BY_ID[mp].code not in cashflow.TRANSFERS_CODES:
                    raise invalid(f"Invalid marketplaceIds: {mp} is not a valid marketplace for this endpoint.")
        if asked:
            return list(dict.fromkeys(asked))
        return [
            mp for mp in ctx.seller.marketplace_ids
            if _region_of(mp) == ctx.region
            and (not transfers or marketplaces.BY_ID[mp].code in cashflow.TRANSFERS_CODES)
        ]  # fmt: skip

    def _list_balances(self, ctx: Ctx) -> Response:
        token = _first(ctx.query, "nextToken")
        if token:
            q, offset = self._open_page(ctx, token)
        else:
            mps = self._cashflow_marketplaces(ctx, transfers=False)
            balance_type = _first(ctx.query, "balanceType") or None
            if balance_type and balance_type not in cashflow.BALANCE_TYPES:
                raise invalid(f"Invalid balanceType: {balance_type}.")
            raw_date = _first(ctx.query, "asOfDate") or None
            as_of_date = None
            if raw_date:
                try:
                    as_of_date = date.fromisoformat(raw_date.strip())
                except ValueError as exc:
                    raise invalid(f"Invalid asOfDate: {raw_date!r} is not an ISO 8601 date (YYYY-MM-DD).") from exc
                zones = [marketplaces.BY_ID[mp].time_zone for mp in mps]
                if not cashflow.balance_day_ended(as_of_date, zones, ctx.now):
                    raise invalid("Invalid asOfDate: the date is in the future.",
                                  "asOfDate must be a local day that has ended in every marketplace asked.")  # fmt: skip
            q = {"mp": mps, "bt": balance_type, "d": as_of_date.isoformat() if as_of_date else None,
                 "at": _first(ctx.query, "accountType") or None}  # fmt: skip
            offset = 0
        items: list[JSON] = []
        if cashflow.account_type_matches(q["at"]) and q["mp"]:
            items = list(self.world.balances(
                ctx.seller.selling_partner_id, marketplace_ids=q["mp"],
                as_of_date=date.fromisoformat(q["d"]) if q["d"] else None, balance_type=q["bt"], now=ctx.now,
            ))  # fmt: skip
        page, nxt = self._page(ctx, q, items, offset, self.config.balances_page_size)
        body: JSON = {"balances": page}
        if nxt:
            body["nextToken"] = nxt
        return Response.json(200, body)

    def _list_payouts(self, ctx: Ctx) -> Response:
        token = _first(ctx.query, "nextToken")
        if token:
            q, offset = self._open_page(ctx, token)
        else:
            mps = self._cashflow_marketplaces(ctx, transfers=True)
            after = _date_param(ctx.query, "createdAfter")
            before = _date_param(ctx.query, "createdBefore")
            if after is not None and after > ctx.now:
                raise invalid("Date range is invalid.", "createdAfter must not be in the future.")
            if after is not None and before is not None and before <= after:
                raise invalid("Date range is invalid.", "createdBefore must be after createdAfter.")
            q = {"mp": mps, "a": iso(after) if after else None, "b": iso(before) if before else None,
                 "id": _first(ctx.query, "payoutId") or None, "at": _first(ctx.query, "accountType") or None}  # fmt: skip
            offset = 0
        items: list[JSON] = []
        if cashflow.account_type_matches(q["at"]):
            items = cashflow.select_payouts(
                self.world.payouts(ctx.seller.selling_partner_id, now=ctx.now), marketplace_ids=q["mp"],
                created_after=parse_iso(q["a"]) if q["a"] else None,
                created_before=parse_iso(q["b"]) if q["b"] else None, payout_id=q["id"],
            )  # fmt: skip
        page, nxt = self._page(ctx, q, items, offset, self.config.payouts_page_size)
        body: JSON = {"payouts": page}
        if nxt:
            body["nextToken"] = nxt
        return Response.json(200, body)

    def _list_expected_payouts(self, ctx: Ctx) -> Response:
        token = _first(ctx.query, "nextToken")
        if token:
            q, offset = self._open_page(ctx, token)
        else:
            q = {"mp": self._cashflow_marketplaces(ctx, transfers=True), "at": _first(ctx.query, "accountType") or None}
            offset = 0
        items: list[JSON] = []
        if cashflow.account_type_matches(q["at"]):
            items = cashflow.select_expected(
                self.world.expected_payouts(ctx.seller.selling_partner_id, now=ctx.now), marketplace_ids=q["mp"]
            )
        page, nxt = self._page(ctx, q, items, offset, self.config.payouts_page_size)
        body: JSON = {"expectedPayouts": page}
        if nxt:
            body["nextToken"] = nxt
        return Response.json(200, body)

    # -- Reports 2021-06-30 ---------------------------------------------------------------------------

    def _document_id(self, region: str, seed: str) -> str:
        digest = hashlib.sha256((self.config.secret + seed).encode()).hexdigest()
        return f"amzn1.spdoc.1.4.{region}.{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"

    def _store_document(self, seller_id: str, region: str, seed: str, content: bytes, encoding: str) -> str:
        doc_id = self._document_id(region, seed)
        with self._lock:
            if doc_id not in self._documents:
                self._documents[doc_id] = DocumentRecord(
                    doc_id, seller_id, region, gzip.compress(content, mtime=0), encoding
                )
        return doc_id

    def _settlements(self, ctx: Ctx) -> list[ReportRecord]:
        out: list[ReportRecord] = []
        for rf in self.world.settlement_reports(ctx.seller.selling_partner_id):
            if rf.created_time > ctx.now:
                continue  # Amazon has not generated it yet
            regions = {_region_of(m) for m in rf.marketplace_ids} - {None}
            if regions and ctx.region not in regions:
                continue
            report_id = rf.report_id or str(
                10_000_000_000
                + int(
                    hashlib.sha256(
                        f"{rf.seller_id}|{iso(rf.data_start_time)}|{iso(rf.data_end_time)}|{rf.marketplace_ids}".encode()
                    ).hexdigest()[:9],
                    16,
                )
            )
            doc_id = self._store_document(
                rf.seller_id, ctx.region, "settlement:" + report_id, rf.content, rf.encoding
            )
            out.append(
                ReportRecord(
                    report_id,
                    rf.seller_id,
                    ctx.region,
                    rf.report_type,
                    tuple(rf.marketplace_ids),
                    rf.data_start_time,
                    rf.data_end_time,
                    rf.created_time,
                    settlement=True,
                    outcome="DONE",
                    document_id=doc_id,
                )
            )
        return out

    def _create_report(self, ctx: Ctx) -> Response:
        try:
            spec = json.loads(ctx.body or b"{}")
        except ValueError as exc:
            raise invalid("Malformed request body.") from exc
        if not isinstance(spec, dict):
            raise invalid("Malformed request body.")
        report_type = spec.get("reportType")
        mps = spec.get("marketplaceIds")
        if not isinstance(report_type, str) or not report_type:
            raise invalid("reportType is required.")
        if not isinstance(mps, list) or not mps or not all(isinstance(m, str) for m in mps):
            raise invalid("marketplaceIds is required.")
        self._check_report_roles([report_type])
        if report_type in SETTLEMENT_REPORT_TYPES:
            raise invalid(f"Request for report type {report_type} is not allowed at this time.")
        self._check_marketplaces(ctx, mps, "marketplaceIds")
        try:
            start = parse_iso(spec["dataStartTime"]) if spec.get("dataStartTime") else ctx.now
            end = parse_iso(spec["dataEndTime"]) if spec.get("dataEndTime") else ctx.now
        except (ValueError, TypeError, AttributeError) as exc:
            raise invalid("dataStartTime/dataEndTime must be ISO 8601 date-times.") from exc
        if end < start:
            raise invalid("dataEndTime must not be before dataStartTime.")
        if end > ctx.now:
            raise invalid("dataEndTime must not be in the future.")
        report_id = str(next(self._report_ids))
        rec = ReportRecord(
            report_id,
            ctx.seller.selling_partner_id,
            ctx.region,
            report_type,
            tuple(mps),
            start,
            end,
            ctx.now,
            fatal=report_type in (self.config.fatal_report_types | self.faults.fatal_report_types),
        )
        with self._lock:
            self._reports[report_id] = rec
        logger.info("createReport %s %s -> %s", report_type, mps, report_id)
        return Response.json(202, {"reportId": report_id})

    def _resolve(self, rec: ReportRecord, now: datetime) -> ReportRecord:
        """Finish a report once its processing time has passed (world asked once)."""
        if (
            rec.outcome is not None
            or (now - rec.created).total_seconds() < self.config.report_processing_seconds
        ):
            return rec
        if rec.fatal:
            text = (
                f"Report processing failed (FATAL) for reportId {rec.report_id}: report type {rec.report_type} "
                "could not be generated (sandbox fault fatal_report_types).\n"
            )
            doc = self._store_document(
                rec.seller_id, rec.region, "fatal:" + rec.report_id, text.encode(), "utf-8"
            )
            done = replace(rec, outcome="FATAL", document_id=doc)
        else:
            rf: ReportFile | None = self.world.report(
                rec.seller_id,
                report_type=rec.report_type,
                marketplace_ids=rec.marketplace_ids,
                data_start_time=rec.data_start,
                data_end_time=rec.data_end,
            )
            if rf is None:
                done = replace(rec, outcome="CANCELLED")
            else:
                content = rf.content
                fault = self.faults.take("corrupt_records", rec.report_type, wildcard=False) or self.faults.take(
                    "corrupt_records", "createReport", wildcard=False
                )
                if fault is not None:
                    content = corrupt_report(content, rf.encoding, str(fault.params.get("kind")))
                doc = self._store_document(
                    rec.seller_id, rec.region, "report:" + rec.report_id, content, rf.encoding
                )
                done = replace(rec, outcome="DONE", document_id=doc)
        with self._lock:
            current = self._reports.get(rec.report_id, rec)
            if current.outcome is None:
                self._reports[rec.report_id] = done
                return done
            return current

    def _status(self, rec: ReportRecord, now: datetime) -> str:
        if rec.outcome is not None:
            return rec.outcome
        elapsed = (now - rec.created).total_seconds()
        return "IN_QUEUE" if elapsed < self.config.report_processing_seconds / 3 else "IN_PROGRESS"

    def _report_json(self, rec: ReportRecord, now: datetime) -> JSON:
        rec = self._resolve(rec, now) if not rec.settlement else rec
        status = self._status(rec, now)
        out: JSON = {
            "reportType": rec.report_type,
            "processingStatus": status,
            "marketplaceIds": list(rec.marketplace_ids),
            "reportId": rec.report_id,
            "dataStartTime": iso(rec.data_start),
            "dataEndTime": iso(rec.data_end),
            "createdTime": iso(rec.created),
        }
        if rec.settlement:
            out["processingStartTime"] = out["processingEndTime"] = iso(rec.created)
        elif status != "IN_QUEUE":
            p = self.config.report_processing_seconds
            out["processingStartTime"] = iso(rec.created + timedelta(seconds=p / 3))
            if rec.outcome is not None:
                out["processingEndTime"] = iso(rec.created + timedelta(seconds=p))
        if rec.document_id and status in ("DONE", "FATAL"):
            out["reportDocumentId"] = rec.document_id
        return out

    def _own_reports(self, ctx: Ctx) -> list[ReportRecord]:
        with self._lock:
            mine = [
                r
                for r in self._reports.values()
                if r.seller_id == ctx.seller.selling_partner_id and r.region == ctx.region
            ]
        return [self._resolve(r, ctx.now) for r in mine]

    def _get_reports(self, ctx: Ctx) -> Response:
        token = _first(ctx.query, "nextToken")
        if token:
            extra = sorted(k for k in ctx.query if k != "nextToken")
            if extra:
                raise invalid(
                    "When nextToken is provided, it must be the only parameter.",
                    f"Unexpected parameters: {', '.join(extra)}",
                )
            q, offset = self._open_page(ctx, token)
        else:
            types = _list_param(ctx.query, "reportTypes")
            if not 1 <= len(types) <= 10:
                raise invalid("reportTypes is required (1-10 values) unless nextToken is given.")
            self._check_report_roles(types)
            statuses = _list_param(ctx.query, "processingStatuses")
            if any(s not in PROCESSING_STATUSES for s in statuses):
                raise invalid("Invalid processingStatuses.")
            mps = _list_param(ctx.query, "marketplaceIds")
            if len(mps) > 10:
                raise invalid("marketplaceIds accepts at most 10 values.")
            self._check_marketplaces(ctx, mps, "marketplaceIds")
            size = _int_param(ctx.query, "pageSize", 10, 1, 100)
            oldest = ctx.now - REPORT_RETENTION
            since = _date_param(ctx.query, "createdSince") or oldest
            if since < oldest:
                raise invalid("createdSince cannot be more than 90 days in the past.")
            # Default "now", rounded up: the page token keeps whole seconds, and a
            # report created earlier in this same second must still be listed.
            until = _date_param(ctx.query, "createdUntil") or (ctx.now + timedelta(seconds=1)).replace(microsecond=0)
            if until < since:
                raise invalid("createdUntil must be after createdSince.")
            q = {"t": types, "s": statuses, "m": mps, "n": size, "a": iso(since), "b": iso(until)}
            offset = 0
        since, until = parse_iso(q["a"]), parse_iso(q["b"])
        found = []
        for rec in self._settlements(ctx) + self._own_reports(ctx):
            if rec.report_type not in q["t"] or not since <= rec.created <= until:
                continue
            if q["s"] and self._status(rec, ctx.now) not in q["s"]:
                continue
            if q["m"] and not set(q["m"]) & set(rec.marketplace_ids):
                continue
            found.append(rec)
        found.sort(key=lambda r: (r.created, r.report_id), reverse=True)  # newest first, as Amazon lists
        page, nxt = self._page(ctx, q, found, offset, int(q["n"]))
        body: JSON = {"reports": [self._report_json(r, ctx.now) for r in page]}
        if nxt:
            body["nextToken"] = nxt
        return Response.json(200, body)

    def _find_report(self, ctx: Ctx, report_id: str) -> ReportRecord:
        with self._lock:
            rec = self._reports.get(report_id)
        if rec is not None and rec.seller_id == ctx.seller.selling_partner_id and rec.region == ctx.region:
            return rec
        for s in self._settlements(ctx):
            if s.report_id == report_id and ctx.now - s.created <= REPORT_RETENTION:
                return s
        raise ApiError(404, "NotFound", f"Report {report_id} was not found.")

    def _get_report(self, ctx: Ctx) -> Response:
        rec = self._find_report(ctx, ctx.params["reportId"])
        self._check_report_roles([rec.report_type])
        return Response.json(200, self._report_json(rec, ctx.now))

    def _cancel_report(self, ctx: Ctx) -> Response:
        rec = self._find_report(ctx, ctx.params["reportId"])
        if rec.settlement or self._status(self._resolve(rec, ctx.now), ctx.now) != "IN_QUEUE":
            raise invalid("Only reports with processingStatus IN_QUEUE can be cancelled.")
        with self._lock:
            self._reports[rec.report_id] = replace(rec, outcome="CANCELLED")
        return Response(200, b"", (("Content-Length", "0"),))

    def _get_report_document(self, ctx: Ctx) -> Response:
        doc_id = ctx.params["reportDocumentId"]
        with self._lock:
            doc = self._documents.get(doc_id)
        if doc is None or doc.seller_id != ctx.seller.selling_partner_id or doc.region != ctx.region:
            raise ApiError(404, "NotFound", f"Report document {doc_id} was not found.")
        encoded = (_first(ctx.query, "enableContentEncodingUrlHeader") or "").lower() == "true"
        date = ctx.now.strftime("%Y%m%dT%H%M%SZ")
        expires = str(int(self.config.document_url_ttl))
        sig = self._url_signature(doc_id, date, expires, encoded)
        url = (
            f"{self.base_url}/_documents/{quote(doc_id)}?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            f"&X-Amz-Date={date}&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host"
            + ("&response-content-encoding=gzip" if encoded else "")
            + f"&X-Amz-Signature={sig}"
        )
        return Response.json(200, {"reportDocumentId": doc_id, "url": url, "compressionAlgorithm": "GZIP"})

    def _url_signature(self, doc_id: str, date: str, expires: str, encoded: bool) -> str:
        msg = f"{doc_id}|{date}|{expires}|{int(encoded)}".encode()
        return hmac.new(self._url_key, msg, hashlib.sha256).hexdigest()

    def _download(self, path: str, query: dict[str, list[str]]) -> Response:
        doc_id = path.removeprefix("/_documents/")
        date, expires = _first(query, "X-Amz-Date") or "", _first(query, "X-Amz-Expires") or ""
        encoded = _first(query, "response-content-encoding") == "gzip"
        sig = _first(query, "X-Amz-Signature") or ""
        with self._lock:
            doc = self._documents.get(doc_id)
        if doc is None or not hmac.compare_digest(sig, self._url_signature(doc_id, date, expires, encoded)):
            return _s3_error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            )
        signed_at = datetime.strptime(date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        expiry = signed_at + timedelta(seconds=int(expires))
        now = self.clock.now()
        # Fault `expire_document_urls`: the URL is treated as expired however fresh it is
        # (a client that resolved it too early, or a clock that drifted).
        if now > expiry or self.faults.take("expire_document_urls", "downloadDocument", wildcard=False):
            return _s3_error(
                403,
                "AccessDenied",
                "Request has expired",
                (("X-Amz-Expires", expires), ("Expires", iso(expiry)), ("ServerTime", iso(now))),
            )
        ctype = "text/plain"
        every = self.config.omit_charset_every
        omit = every > 0 and int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % every == 0
        if not omit:  # as in real life, some downloads carry no charset and clients must fall back
            ctype += "; charset=" + CHARSET_NAMES.get(doc.encoding.lower(), doc.encoding)
        headers: tuple[tuple[str, str], ...] = (("Content-Type", ctype),)
        if encoded:
            headers += (("Content-Encoding", "gzip"),)
        return Response(200, doc.gz, headers)

    # -- Orders v0 ----------------------------------------------------------------------------------

    def _with_pii(self, ctx: Ctx, order: JSON, keep: set[str]) -> JSON:
        """Under an RDT, merge the restricted fields a world keeps apart (World.order_pii)."""
        restricted = getattr(self.world, "order_pii", None)
        if not keep or restricted is None:
            return order
        extra = restricted(ctx.seller.selling_partner_id, order.get("AmazonOrderId")) or {}
        return {**order, **extra}

    def _strip_pii(self, obj: JSON, keep: set[str], fields: dict[str, str]) -> JSON:
        out = {k: v for k, v in obj.items() if k not in fields or fields[k] in keep}
        # The Orders v0 model: ShippingAddress "contains restricted data" (Name, the address
        # lines, Phone, AddressType, ExtendedFields); the rest (city, region, postal code,
        # country) is served without a Restricted Data Token.
        address = obj.get("ShippingAddress")
        if "ShippingAddress" in fields and fields["ShippingAddress"] not in keep and address:
            out["ShippingAddress"] = {k: v for k, v in address.items() if k not in RESTRICTED_ADDRESS_FIELDS}
        return out

    def _get_orders(self, ctx: Ctx) -> Response:
        token = _first(ctx.query, "NextToken")
        if token:
            q, offset = self._open_page(ctx, token)
        else:
            mps = _list_param(ctx.query, "MarketplaceIds")
            if not mps:
                raise invalid("Missing required parameter: MarketplaceIds.")
            if len(mps) > 50:
                raise invalid("MarketplaceIds accepts at most 50 values.")
            self._check_marketplaces(ctx, mps, "MarketplaceIds")
            ca, cb = _date_param(ctx.query, "CreatedAfter"), _date_param(ctx.query, "CreatedBefore")
            la, lb = _date_param(ctx.query, "LastUpdatedAfter"), _date_param(ctx.query, "LastUpdatedBefore")
            created, updated = ca is not None or cb is not None, la is not None or lb is not None
            if created and updated:
                raise invalid(
                    "CreatedAfter/CreatedBefore cannot be combined with LastUpdatedAfter/LastUpdatedBefore."
                )
            if ca is None and la is None:
                raise invalid("Either CreatedAfter or LastUpdatedAfter must be specified.")
            size = _int_param(ctx.query, "MaxResultsPerPage", 100, 1, 100)
            limit = ctx.now - TWO_MINUTES
            after, before = (ca, cb) if created else (la, lb)
            assert after is not None
            if before is None:
                before = limit
            if before > limit or after > limit:
                raise invalid("Date range is invalid.", "Dates must be no later than two minutes before now.")
            if before <= after:
                raise invalid("Date range is invalid.", "The Before date must be after the After date.")
            q = {
                "m": mps,
                "f": "created" if created else "updated",
                "a": iso(after),
                "b": iso(before),
                "n": size,
                "os": _list_param(ctx.query, "OrderStatuses"),
                "fc": _list_param(ctx.query, "FulfillmentChannels"),
                "ids": _list_param(ctx.query, "AmazonOrderIds"),
            }
            offset = 0
        after, before = parse_iso(q["a"]), parse_iso(q["b"])
        window = (
            {"created_after": after, "created_before": before}
            if q["f"] == "created"
            else {"last_updated_after": after, "last_updated_before": before}
        )
        orders = [
            o
            for o in self.world.orders(ctx.seller.selling_partner_id, marketplace_ids=q["m"], **window)
            if self._visible(ctx, _region_of(o.get("MarketplaceId")))
            and (not q["os"] or o.get("OrderStatus") in q["os"])
            and (not q["fc"] or o.get("FulfillmentChannel") in q["fc"])
            and (not q["ids"] or o.get("AmazonOrderId") in q["ids"])
        ]
        page, nxt = self._page(ctx, q, orders, offset, int(q["n"]))
        keep = self._pii_elements(ctx)
        pii = {"BuyerInfo": "buyerInfo", "ShippingAddress": "shippingAddress"}
        payload: JSON = {"Orders": [self._strip_pii(self._with_pii(ctx, o, keep), keep, pii) for o in page]}
        if nxt:
            payload["NextToken"] = nxt
        payload["CreatedBefore" if q["f"] == "created" else "LastUpdatedBefore"] = iso(before)
        return Response.json(200, {"payload": payload})

    def _get_order_items(self, ctx: Ctx) -> Response:
        order_id = ctx.params["orderId"]
        token = _first(ctx.query, "NextToken")
        if token:
            q, offset = self._open_page(ctx, token)
            if q.get("id") != order_id:
                raise invalid("Invalid NextToken.", "The token belongs to another order.")
        else:
            q, offset = {"id": order_id}, 0
        items = self.world.order_items(ctx.seller.selling_partner_id, order_id)
        if items is None:
            raise ApiError(404, "NotFound", f"Order {order_id} was not found.")
        page, nxt = self._page(ctx, q, list(items), offset, self.config.order_items_page_size)
        keep = self._pii_elements(ctx)
        payload: JSON = {
            "AmazonOrderId": order_id,
            "OrderItems": [self._strip_pii(i, keep, {"BuyerInfo": "buyerInfo"}) for i in page],
        }
        if nxt:
            payload["NextToken"] = nxt
        return Response.json(200, {"payload": payload})

    # -- control endpoints ---------------------------------------------------------------------------

    def _control(self, method: str, path: str, body: bytes) -> Response:
        try:
            data = json.loads(body or b"{}") if method == "POST" else {}
            if not isinstance(data, dict):
                raise ValueError("expected a JSON object")
            if path == "/_sandbox/faults":
                return Response.json(
                    200, self.set_faults(**data) if method == "POST" else self.fault_snapshot()
                )
            if path == "/_sandbox/stats":
                if method == "POST" and data.get("reset"):
                    self.stats.reset()
                return Response.json(200, self.stats_snapshot())
            if path == "/_sandbox/clock":
                if method == "POST":
                    self.clock.advance(float(data.get("advance_seconds", 0)))
                return Response.json(200, {"now": iso(self.clock.now())})
        except (ValueError, TypeError, FaultSpecError) as exc:
            return Response.json(400, {"errors": [{"code": "InvalidInput", "message": str(exc)}]})
        return Response.json(
            404, {"errors": [{"code": "NotFound", "message": "Unknown sandbox control path."}]}
        )


def _s3_error(status: int, code: str, message: str, extra: tuple[tuple[str, str], ...] = ()) -> Response:
    parts = "".join(f"<{k}>{v}</{k}>" for k, v in extra)
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
        f"{parts}<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId>"
        f"<HostId>{secrets.token_urlsafe(24)}</HostId></Error>"
    ).encode()
    return Response(status, body, (("Content-Type", "application/xml"),))


# ---------------------------------------------------------------------------------------------------
# HTTP layer


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    app: SandboxServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like a real client session
    # Headers and body go out in separate writes; without TCP_NODELAY the
    # client waits out a 40 ms delayed ACK on every keep-alive request.
    disable_nagle_algorithm = True
    server: _HTTPServer

    def version_string(self) -> str:
        return "Server"

    def date_time_string(self, timestamp: float | None = None) -> str:
        # The Date header follows the sandbox clock so a client can read "now" from any response.
        return formatdate(self.server.app.clock.now().timestamp(), usegmt=True)

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        result = self.server.app.handle(self.command, self.path, headers, body)
        if result is DROP or not isinstance(result, Response):
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send_response(result.status)
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        names = {k.lower() for k, _ in result.headers}
        for k, v in result.headers:
            self.send_header(k, v)
        if "content-length" not in names:
            self.send_header("Content-Length", str(len(result.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(result.body)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _dispatch

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        # Query strings carry page tokens and pre-signed URL signatures: never log them.
        logger.debug("%s %s", self.address_string(), re.sub(r"\?\S*", "?<redacted>", format % args))


@dataclass
class SandboxHandle:
    """A running sandbox. Use as a context manager or call `stop()`."""

    app: SandboxServer
    _httpd: _HTTPServer
    _thread: threading.Thread

    @property
    def url(self) -> str:
        return self.app.base_url

    @property
    def lwa_endpoint(self) -> str:
        return self.url + "/auth/o2/token"

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def now(self) -> datetime:
        """The sandbox clock."""
        return self.app.clock.now()

    def advance_clock(self, seconds: float) -> datetime:
        """Jump the sandbox clock forward (TTLs, report processing, listing of settlements)."""
        return self.app.clock.advance(seconds)

    def set_faults(self, **switches: Any) -> dict[str, Any]:
        return self.app.set_faults(**switches)

    def stats(self) -> dict[str, Any]:
        return self.app.stats_snapshot()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
        logger.info("sandbox on %s stopped", self.url)

    def __enter__(self) -> SandboxHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_sandbox(world: World, config: SandboxConfig | None = None, port: int = 0) -> SandboxHandle:
    """Serve ``world`` on 127.0.0.1:``port`` (0 = any free port) in a daemon thread."""
    warm = getattr(world, "warm", None)
    if callable(warm):  # build lazy indexes up front: the first request must not pay for them
        warm()
    app = SandboxServer(world, config)
    httpd = _HTTPServer(("127.0.0.1", port), _Handler)
    httpd.app = app
    app.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(
        target=httpd.serve_forever,
        kwargs={"poll_interval": 0.05},
        name=f"spapi-sandbox-{httpd.server_address[1]}",
        daemon=True,
    )
    thread.start()
    logger.info(
        "SP-API sandbox on %s (time_scale=%s, clock starts %s)",
        app.base_url,
        app.config.time_scale,
        iso(app.clock.now()),
    )
    return SandboxHandle(app, httpd, thread)


__all__ = [
    "SandboxServer",
    "SandboxHandle",
    "start_sandbox",
    "SandboxConfig",
    "RATE_LIMITS",
    "SETTLEMENT_TYPE",
]
