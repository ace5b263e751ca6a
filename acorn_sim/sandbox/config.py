"""Sandbox configuration and the documented SP-API usage plans.

Two knobs control time (see `SandboxConfig`):

- ``time_scale`` multiplies every documented *rate* (token-bucket refill).
  Bursts stay as documented, so a client still meets the same bucket shape,
  only faster.
- ``clock_speed`` (default: ``time_scale``) is how many sandbox seconds pass
  per real second. Every duration in the config (token/URL TTLs, report
  processing) is in *sandbox* seconds on that clock, so with
  ``time_scale=100`` a 300 s document URL lives 3 real seconds and
  ``listTransactions`` refills 50 tokens per real second: the sandbox is
  "Amazon fast-forwarded", consistently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class RateLimit:
    rate: float  # requests per second (documented default usage plan)
    burst: int


# FACTS.md §3 (model defaults). Keyed by operationId.
RATE_LIMITS: dict[str, RateLimit] = {
    "listTransactions": RateLimit(0.5, 10),
    "listFinancialEventGroups": RateLimit(0.5, 30),
    "listFinancialEvents": RateLimit(0.5, 30),
    "listBalances": RateLimit(0.5, 10),
    "listPayouts": RateLimit(0.5, 10),
    "listExpectedPayouts": RateLimit(0.5, 10),
    "createReport": RateLimit(0.0167, 15),
    "getReports": RateLimit(0.0222, 10),
    "getReport": RateLimit(2.0, 15),
    "cancelReport": RateLimit(0.0222, 10),
    "getReportDocument": RateLimit(0.0167, 15),
    "getOrders": RateLimit(0.0167, 20),
    "getOrderItems": RateLimit(0.5, 30),
    "createRestrictedDataToken": RateLimit(1.0, 10),
}

SETTLEMENT_REPORT_TYPES: frozenset[str] = frozenset(
    {
        "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2",
        "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE",
        "GET_V2_SETTLEMENT_REPORT_DATA_XML",
    }
)


@dataclass(frozen=True)
class SandboxConfig:
    """How the sandbox behaves. All durations are sandbox seconds.

    Attributes:
        time_scale: multiplier on documented request rates (bursts unchanged).
        clock_speed: sandbox seconds per real second; None means ``time_scale``.
        clock_start: sandbox "now" at server start; None means ``world.as_of``.
        access_token_ttl: LWA access-token lifetime (Amazon: 3600).
        restricted_data_token_ttl: RDT lifetime (Amazon: 3600).
        document_url_ttl: pre-signed report download URL lifetime (Amazon: 300).
        page_token_ttl: lifetime of nextToken/NextToken values (users see 25 min).
        report_processing_seconds: createdTime -> DONE; the first third is IN_QUEUE.
        transactions_page_size: listTransactions page size (not client-settable).
        order_items_page_size: getOrderItems page size (not client-settable).
        balances_page_size: listBalances page size (Amazon: 500 balances a page).
        payouts_page_size: listPayouts / listExpectedPayouts page size (not documented).
        omit_charset_every: 0 = always send charset on downloads; 1 = never;
            N = omit it for about 1 in N documents, chosen by a hash of the
            document id (deterministic) so clients must fall back.
        fatal_report_types: on-demand report types that always end FATAL.
        pii_role: False plays an app without Amazon's restricted role for buyer
            data: createRestrictedDataToken for dataElements answers 400
            InvalidInput "Application does not have access to one or more
            requested data elements: [...]" (also settable as a fault switch).
        denied_roles: SP-API roles the app lacks (names as in `acorn.spapi.roles`,
            e.g. "Finance and Accounting"): every operation or report type that
            needs one answers 403 Unauthorized "Access to requested resource is
            denied.". Denying the restricted role is the same as ``pii_role=False``.
        secret: HMAC key for page tokens and download URL signatures.
        faults: initial fault switches, same JSON shape as ``POST /_sandbox/faults``.
    """

    time_scale: float = 1.0
    clock_speed: float | None = None
    clock_start: datetime | None = None
    access_token_ttl: float = 3600.0
    restricted_data_token_ttl: float = 3600.0
    document_url_ttl: float = 300.0
    page_token_ttl: float = 25 * 60.0
    report_processing_seconds: float = 60.0
    transactions_page_size: int = 100
    order_items_page_size: int = 100
    balances_page_size: int = 500
    payouts_page_size: int = 10
    omit_charset_every: int = 4
    fatal_report_types: frozenset[str] = frozenset()
    pii_role: bool = True
    denied_roles: frozenset[str] = frozenset()
    secret: str = "acorn-sandbox-secret"
    faults: dict[str, object] = field(default_factory=dict)

    @property
    def effective_clock_speed(self) -> float:
        return self.time_scale if self.clock_speed is None else self.clock_speed

    def scaled(self, operation: str) -> RateLimit:
        base = RATE_LIMITS[operation]
        return RateLimit(base.rate * self.time_scale, base.burst)
