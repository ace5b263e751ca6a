"""SpApiClient: the SP-API operations ACORN-i extracts, for one seller in one region.

Paging is exactly-once: a date window is cut into slices, each slice's pages
are buffered and only yielded once the slice completed. If Amazon expires a
page token mid-slice, the buffer is dropped and the slice restarts.

Roles: a 403 ``Unauthorized`` that is not an expired access token raises
`MissingRoleError` naming the role (`acorn.spapi.roles`). Buyer data needs a
Restricted Data Token; where the connection says the app lacks the restricted
role (``extra.pii_role`` false), or Amazon refuses the token with its
"Application does not have access to one or more requested data elements"
answer, orders and items come back without buyer fields and
`SpApiClient.unavailable_data` says which data was missing and which role
would unlock it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import requests

from acorn import marketplaces
from acorn.slicing import slices
from acorn.sources import FINANCE_MAX_DAYS
from acorn.spapi.audit import AuditLog
from acorn.spapi.auth import LwaTokenProvider, refresh_margin
from acorn.spapi.clock import SYSTEM_CLOCK, Clock
from acorn.spapi.credentials import SpApiCredentials
from acorn.spapi.documents import DownloadedDocument, ReportResult, maybe_gunzip, resolve_encoding
from acorn.spapi.errors import (
    MissingRoleError,
    PageTokenExpiredError,
    ReportFatalError,
    ReportTimeoutError,
    SpApiError,
    WrongRegionError,
)
from acorn.spapi.pages import Page
from acorn.spapi.ratelimit import REGISTRY, BucketRegistry
from acorn.spapi.roles import PII_ROLE, role_for
from acorn.spapi.transport import Transport, is_access_token_expiry

log = logging.getLogger(__name__)

T = TypeVar("T")
JSON = dict[str, Any]

SETTLEMENT_V2 = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
SETTLEMENT_REPORT_TYPES = frozenset(
    {
        SETTLEMENT_V2,
        "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE",
        "GET_V2_SETTLEMENT_REPORT_DATA_XML",
    }
)
SETTLEMENT_LOOKBACK = timedelta(days=89)  # getReports keeps 90 days; one day of race buffer
MAX_FINANCE_WINDOW = timedelta(days=FINANCE_MAX_DAYS)  # wider windows come back empty, silently
TERMINAL_STATUSES = frozenset({"DONE", "CANCELLED", "FATAL"})
PAGE_SIZES = (100, 50, 25)  # listFinancialEvents fallback when a page would exceed 10 MB
_PAGE_TOO_BIG = re.compile(r"10\s?mb|exceed|too large|too big|size", re.IGNORECASE)
_RDT_PATH = "/tokens/2021-03-01/restrictedDataToken"
_PII_REFUSAL = "does not have access to one or more requested data elements"
ORDER_PII_ELEMENTS = ("buyerInfo", "shippingAddress")
ORDER_ITEM_PII_ELEMENTS = ("buyerInfo",)
PII_ROLE_FALSE_REASON = "the connection says the app lacks this role (extra.pii_role is false)"


def iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        raise ValueError(f"naive datetime {dt!r}: pass timezone-aware UTC datetimes")
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_page_token_expiry(err: SpApiError) -> bool:
    """400 whose message blames the page token, e.g. "Token is not valid, token duration is 25 minutes."."""
    if err.status != 400:
        return False
    text = " ".join(x for x in (err.code, err.error_message, err.details) if x).lower()
    return "token" in text and any(w in text for w in ("expired", "not valid", "invalid", "duration"))


def is_missing_role(err: SpApiError) -> bool:
    """403 Unauthorized / "Access to requested resource is denied" that does not blame the access token."""
    if err.status != 403:
        return False
    denied = (err.code or "").lower() == "unauthorized" or (err.error_message or "").lower().startswith(
        "access to requested resource is denied"
    )
    return denied and not is_access_token_expiry(403, err.code, err.error_message, err.details)


def is_pii_refusal(err: SpApiError) -> bool:
    """createRestrictedDataToken's 400 InvalidInput for an app without the restricted role."""
    return (
        err.status == 400
        and (err.code or "") == "InvalidInput"
        and _PII_REFUSAL in (err.error_message or "").lower()
    )


def is_page_too_big(err: SpApiError) -> bool:
    return (
        err.status == 400
        and (err.code or "") == "InvalidInput"
        and not is_page_token_expiry(err)
        and bool(_PAGE_TOO_BIG.search(f"{err.error_message or ''} {err.details or ''}"))
    )


class _RestrictedToken:
    """A Restricted Data Token for one (method, path, dataElements), cached until near expiry.

    If Amazon refuses the token because the app lacks the restricted role, this
    source hands out the LWA access token instead (the call then returns no
    buyer data) and the client records what was unavailable.
    """

    def __init__(
        self, client: SpApiClient, operation: str, method: str, path: str, elements: tuple[str, ...]
    ) -> None:
        self._client = client
        self._operation = operation
        self._elements = elements
        # tokens_2021-03-01.json: CreateRestrictedDataTokenRequest.restrictedResources[] of RestrictedResource.
        self._resource = {"method": method, "path": path, "dataElements": list(elements)}
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0

    def get(self) -> str:
        with self._lock:
            if self._client.pii_refusal is not None:
                self._client._note_unavailable(self._operation, self._elements, self._client.pii_refusal)
                return self._client.tokens.get()
            clock = self._client.clock
            if self._token is None or clock.monotonic() >= self._renew_at:
                try:
                    resp = self._client._call(
                        "createRestrictedDataToken",
                        "POST",
                        _RDT_PATH,
                        json_body={"restrictedResources": [self._resource]},
                    )
                except SpApiError as err:
                    if not is_pii_refusal(err):
                        raise
                    self._client._refused(self._operation, self._elements, err)
                    return self._client.tokens.get()
                # CreateRestrictedDataTokenResponse: restrictedDataToken, expiresIn (seconds).
                body = resp.json()
                lifetime = float(body.get("expiresIn") or 3600)
                self._token = str(body["restrictedDataToken"])
                self._renew_at = clock.monotonic() + lifetime - refresh_margin(lifetime)
            return self._token

    def invalidate(self, token: str) -> None:
        with self._lock:
            if self._token == token:
                self._token = None
                return
        self._client.tokens.invalidate(token)  # the LWA token handed out after a refusal


class SpApiClient:
    """SP-API client for one set of credentials (one seller, one region).

    Args:
        credentials: from `load_credentials`.
        audit: where every HTTP attempt is recorded; None records nothing.
        max_attempts: attempts per call for retryable failures (429/5xx/timeouts/resets).
        backoff_base, backoff_cap: exponential backoff with full jitter, in seconds.
        timeout: requests (connect, read) timeout.
        session: a requests.Session (tests inject adapters here).
        clock: monotonic/sleep/now provider; tests fast-forward it.
        buckets: rate-limit registry; the process-wide one by default.
        slice_length: window slice for paginated date-window operations.
        max_restarts: how often one slice may restart after expired page tokens.
        max_report_wait: seconds to wait for a report before ReportTimeoutError.
    """

    def __init__(
        self,
        credentials: SpApiCredentials,
        *,
        audit: AuditLog | None = None,
        max_attempts: int = 5,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        timeout: float | tuple[float, float] = (10, 60),
        session: requests.Session | None = None,
        clock: Clock | None = None,
        buckets: BucketRegistry | None = None,
        slice_length: timedelta = timedelta(days=7),
        max_restarts: int = 3,
        max_report_wait: float = 4 * 3600.0,
    ) -> None:
        if slice_length > MAX_FINANCE_WINDOW:
            raise ValueError("slice_length must not exceed 180 days")
        self.credentials = credentials
        self.clock = clock or SYSTEM_CLOCK
        self.audit = audit
        self.transport = Transport(
            session=session,
            audit=audit,
            clock=self.clock,
            max_attempts=max_attempts,
            backoff_base=backoff_base,
            backoff_cap=backoff_cap,
            timeout=timeout,
        )
        self.tokens = LwaTokenProvider(credentials, self.transport, self.clock)
        self.buckets = buckets or REGISTRY
        self.slice_length = slice_length
        self.max_restarts = max_restarts
        self.max_report_wait = max_report_wait
        self._rdts: dict[tuple[str, str, tuple[str, ...]], _RestrictedToken] = {}
        # Data Amazon did not give (buyer fields without the restricted role), one entry per
        # (operation, data elements): {"operation", "data_elements", "role", "reason"}.
        self.unavailable_data: list[dict[str, Any]] = []
        # Amazon's message once it refused a Restricted Data Token; no further token is asked for.
        self.pii_refusal: str | None = None
        self._unavailable_lock = threading.Lock()
        self._unavailable_warned = False
        self._rdt_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SpApiClient({self.credentials!r})"

    # ------------------------------------------------------------------ plumbing

    def _check_marketplaces(self, marketplace_ids: Iterable[str]) -> tuple[str, ...]:
        ids = []
        for mid in marketplace_ids:
            market = marketplaces.get(mid)
            if market.region != self.credentials.region:
                raise WrongRegionError(
                    f"marketplace {market.code} ({market.marketplace_id}) is served by the "
                    f"{market.region.upper()} host; this client is for {self.credentials.region.upper()} "
                    f"({self.credentials.conn_id})"
                )
            ids.append(market.marketplace_id)
        return tuple(ids)

    def _call(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        params: Any = None,
        json_body: Any = None,
        marketplace_id: str | None = None,
        token: Any = None,
        report_types: Sequence[str] = (),
    ) -> requests.Response:
        try:
            return self.transport.send(
                operation,
                method,
                self.credentials.endpoint + path,
                params=params,
                json_body=json_body,
                marketplace_id=marketplace_id,
                bucket=self.buckets.get(self.credentials.partner_key, operation, clock=self.clock),
                token=token or self.tokens,
            )
        except SpApiError as err:
            if type(err) is SpApiError and is_missing_role(err):
                raise MissingRoleError(operation, role=role_for(operation, report_types), **err.answer()) from err
            raise

    def _restricted(
        self, operation: str, method: str, path: str, elements: tuple[str, ...]
    ) -> _RestrictedToken:
        key = (method, path, elements)
        with self._rdt_lock:
            if key not in self._rdts:
                self._rdts[key] = _RestrictedToken(self, operation, method, path, elements)
            return self._rdts[key]

    def _buyer_token(
        self, operation: str, path: str, elements: tuple[str, ...], wanted: bool
    ) -> _RestrictedToken | None:
        """The token source for a call that wants buyer data; None = the LWA token (no buyer data)."""
        if not wanted:
            return None
        if self.credentials.has_pii_role is False:
            self._note_unavailable(operation, elements, PII_ROLE_FALSE_REASON)
            return None
        if self.pii_refusal is not None:
            self._note_unavailable(operation, elements, self.pii_refusal)
            return None
        return self._restricted(operation, "GET", path, elements)

    def _refused(self, operation: str, elements: tuple[str, ...], err: SpApiError) -> None:
        self.pii_refusal = (
            err.error_message or "Application does not have access to the requested data elements"
        )
        self._note_unavailable(operation, elements, self.pii_refusal)

    def _note_unavailable(self, operation: str, elements: tuple[str, ...], reason: str) -> None:
        """Record (once per operation and data elements) that buyer data was not available."""
        entry: dict[str, Any] = {
            "operation": operation,
            "data_elements": list(elements),
            "role": PII_ROLE,
            "reason": reason,
        }
        with self._unavailable_lock:
            for seen in self.unavailable_data:
                if (seen["operation"], seen["data_elements"]) == (operation, entry["data_elements"]):
                    return
            self.unavailable_data.append(entry)
            first, self._unavailable_warned = not self._unavailable_warned, True
        what = ", ".join(elements)
        conn_id = self.credentials.conn_id
        if reason == PII_ROLE_FALSE_REASON:
            log.info("%s (%s): %s not requested: %s", operation, conn_id, what, reason)
        elif first:
            log.warning(
                "%s (%s): Amazon refused buyer data (%s): %s. Continuing without buyer fields; "
                "the SP-API role %r would unlock them.",
                operation,
                conn_id,
                what,
                reason,
                PII_ROLE,
            )
        else:
            log.info("%s (%s): %s unavailable as well: %s", operation, conn_id, what, reason)

    def _pages(
        self,
        operation: str,
        path: str,
        params: Mapping[str, Any],
        *,
        next_token: Callable[[JSON], str | None],
        token_param: str,
        token_only: bool = False,
        marketplace_id: str | None = None,
        token: Any = None,
        page_size_param: str | None = None,
        report_types: Sequence[str] = (),
    ) -> Iterator[tuple[JSON, str | None]]:
        """Yield (response body, x-amzn-RequestId) page by page; raise PageTokenExpiredError if a token expires."""
        current: str | None = None
        sizes = list(PAGE_SIZES) if page_size_param else []
        while True:
            if current is None:
                query = dict(params)
            elif token_only:
                query = {token_param: current}  # getReports: nextToken must be the only parameter
            else:
                query = {**params, token_param: current}
            if sizes and page_size_param:
                query[page_size_param] = sizes[0]
            try:
                resp = self._call(
                    operation,
                    "GET",
                    path,
                    params=query,
                    marketplace_id=marketplace_id,
                    token=token,
                    report_types=report_types,
                )
                body = resp.json(parse_float=Decimal)
            except SpApiError as err:
                if current is not None and is_page_token_expiry(err):
                    raise PageTokenExpiredError(
                        operation, **{**err.answer(), "marketplace_id": marketplace_id}, reason="page token expired"
                    ) from err
                if len(sizes) > 1 and is_page_too_big(err):
                    log.warning(
                        "%s: page too large at %s=%d; retrying smaller", operation, page_size_param, sizes[0]
                    )
                    sizes.pop(0)
                    continue
                raise
            yield body, resp.headers.get("x-amzn-RequestId")
            current = next_token(body) or None
            if current is None:
                return

    def _exactly_once(self, operation: str, label: str, produce: Callable[[], Iterable[T]]) -> list[T]:
        """Run one slice to completion, restarting it (buffer dropped) on expired page tokens."""
        restarts = 0
        while True:
            try:
                return list(produce())
            except PageTokenExpiredError as err:
                restarts += 1
                if restarts > self.max_restarts:
                    raise SpApiError(
                        operation, **err.answer(), reason=f"page token expired {restarts} times in slice {label}; giving up"
                    ) from err
                log.warning(
                    "%s: page token expired in slice %s; restarting slice (%d/%d)",
                    operation,
                    label,
                    restarts,
                    self.max_restarts,
                )

    def _windowed(
        self,
        operation: str,
        start: datetime,
        end: datetime,
        fetch: Callable[[datetime, datetime], Iterable[T]],
    ) -> Iterator[T]:
        iso(start), iso(end)  # reject naive datetimes early
        for lower, upper in slices(start, end, self.slice_length):
            label = f"{iso(lower)}..{iso(upper)}"
            yield from self._exactly_once(operation, label, lambda lo=lower, up=upper: fetch(lo, up))

    # ------------------------------------------------------------------ finances

    def list_transactions(
        self,
        posted_after: datetime,
        posted_before: datetime,
        marketplace_id: str | None = None,
        transaction_status: str | None = None,
    ) -> Iterator[JSON]:
        """Finances 2024-06-19 Transactions in [posted_after, posted_before). No marketplace = US MFN."""
        return _records(self.transaction_pages(posted_after, posted_before, marketplace_id, transaction_status))

    def transaction_pages(
        self,
        posted_after: datetime,
        posted_before: datetime,
        marketplace_id: str | None = None,
        transaction_status: str | None = None,
    ) -> Iterator[Page]:
        """`list_transactions` page by page, each page with its request id."""
        if marketplace_id is not None:
            marketplace_id = self._check_marketplaces([marketplace_id])[0]
        op = "listTransactions"

        def fetch(lo: datetime, up: datetime) -> Iterator[Page]:
            params: dict[str, Any] = {"postedAfter": iso(lo), "postedBefore": iso(up)}
            if marketplace_id:
                params["marketplaceId"] = marketplace_id
            if transaction_status:
                params["transactionStatus"] = transaction_status
            for body, request_id in self._pages(
                op,
                "/finances/2024-06-19/transactions",
                params,
                token_param="nextToken",
                next_token=lambda b: (b.get("payload") or {}).get("nextToken"),
                marketplace_id=marketplace_id,
            ):
                yield Page(tuple((body.get("payload") or {}).get("transactions") or []), request_id)

        return self._windowed(op, posted_after, posted_before, fetch)

    def list_financial_event_groups(
        self, started_after: datetime, started_before: datetime
    ) -> Iterator[JSON]:
        """Finances v0 FinancialEventGroups whose start lies in the window."""
        return _records(self.financial_event_group_pages(started_after, started_before))

    def financial_event_group_pages(self, started_after: datetime, started_before: datetime) -> Iterator[Page]:
        """`list_financial_event_groups` page by page, each page with its request id."""
        op = "listFinancialEventGroups"

        def fetch(lo: datetime, up: datetime) -> Iterator[Page]:
            params = {
                "MaxResultsPerPage": 100,
                "FinancialEventGroupStartedAfter": iso(lo),
                "FinancialEventGroupStartedBefore": iso(up),
            }
            for body, request_id in self._pages(
                op,
                "/finances/v0/financialEventGroups",
                params,
                token_param="NextToken",
                next_token=lambda b: (b.get("payload") or {}).get("NextToken"),
            ):
                yield Page(tuple((body.get("payload") or {}).get("FinancialEventGroupList") or []), request_id)

        # Whether StartedBefore is exclusive is undocumented: drop a group a slice boundary repeats.
        seen: set[str] = set()
        for page in self._windowed(op, started_after, started_before, fetch):
            kept = []
            for group in page.records:
                gid = group.get("FinancialEventGroupId")
                if gid is not None:
                    if gid in seen:
                        continue
                    seen.add(gid)
                kept.append(group)
            yield Page(tuple(kept), page.request_id)

    def list_financial_events(
        self, posted_after: datetime, posted_before: datetime
    ) -> Iterator[tuple[str, JSON]]:
        """Finances v0 events as (list name, event), e.g. ("RefundEventList", {...})."""
        op = "listFinancialEvents"

        def fetch(lo: datetime, up: datetime) -> Iterator[tuple[str, JSON]]:
            params = {"PostedAfter": iso(lo), "PostedBefore": iso(up)}
            for body, _request_id in self._pages(
                op,
                "/finances/v0/financialEvents",
                params,
                token_param="NextToken",
                next_token=lambda b: (b.get("payload") or {}).get("NextToken"),
                page_size_param="MaxResultsPerPage",
            ):
                events = (body.get("payload") or {}).get("FinancialEvents") or {}
                for list_name, items in events.items():
                    for event in items or []:
                        yield list_name, event

        return self._windowed(op, posted_after, posted_before, fetch)

    def server_now(self) -> datetime:
        """Now by Amazon's clock: the last response's Date header (the token exchange gives one)."""
        self.tokens.get()
        return self.transport.server_now()

    def balance_pages(self, as_of_date: date | None = None, marketplace_ids: Sequence[str] = ()) -> list[Page]:
        """Finances 2024-06-19 listBalances: every balance type, all the account's marketplaces.

        With `as_of_date` the ending balances of that local day, else the
        point-in-time balances. No `marketplaceIds` = all applicable marketplaces;
        the pages of one day are buffered (exactly once) and follow `nextToken`
        with the same arguments, as the model asks.
        """
        op = "listBalances"
        params: dict[str, Any] = {}
        if marketplace_ids:
            params["marketplaceIds"] = ",".join(self._check_marketplaces(marketplace_ids))
        if as_of_date is not None:
            params["asOfDate"] = as_of_date.isoformat()

        def fetch() -> Iterator[Page]:
            for body, request_id in self._pages(
                op,
                "/finances/2024-06-19/balances",
                params,
                token_param="nextToken",
                next_token=lambda b: b.get("nextToken"),
            ):
                yield Page(tuple(body.get("balances") or []), request_id)

        return self._exactly_once(op, str(as_of_date or "now"), fetch)

    def payout_pages(
        self, marketplace_ids: Sequence[str], created_after: datetime, created_before: datetime
    ) -> list[Page]:
        """Transfers 2024-06-01 listPayouts created in [created_after, created_before).

        Amazon may answer empty pages that still carry a `nextToken`: the token,
        not the page, says when the listing ends.
        """
        op = "listPayouts"
        ids = self._check_marketplaces(marketplace_ids)
        params: dict[str, Any] = {"createdAfter": iso(created_after), "createdBefore": iso(created_before)}
        if ids:
            params["marketplaceIds"] = ",".join(ids)

        def fetch() -> Iterator[Page]:
            for body, request_id in self._pages(
                op,
                "/finances/transfers/2024-06-01/payouts",
                params,
                token_param="nextToken",
                next_token=lambda b: b.get("nextToken"),
                marketplace_id=",".join(ids) or None,
            ):
                yield Page(tuple(body.get("payouts") or []), request_id)

        return self._exactly_once(op, f"{iso(created_after)}..{iso(created_before)}", fetch)

    def expected_payout_pages(self, marketplace_id: str) -> list[Page]:
        """Transfers 2024-06-01 listExpectedPayouts for one marketplace: Amazon's expectation now."""
        op = "listExpectedPayouts"
        (mid,) = self._check_marketplaces([marketplace_id])

        def fetch() -> Iterator[Page]:
            for body, request_id in self._pages(
                op,
                "/finances/transfers/2024-06-01/payouts/expected",
                {"marketplaceIds": mid},
                token_param="nextToken",
                next_token=lambda b: b.get("nextToken"),
                marketplace_id=mid,
            ):
                yield Page(tuple(body.get("expectedPayouts") or []), request_id)

        return self._exactly_once(op, mid, fetch)

    # ------------------------------------------------------------------ reports

    def create_report(
        self,
        report_type: str,
        marketplace_ids: Sequence[str],
        data_start_time: datetime | None = None,
        data_end_time: datetime | None = None,
        report_options: Mapping[str, str] | None = None,
    ) -> str:
        if report_type in SETTLEMENT_REPORT_TYPES:
            raise ValueError(f"{report_type} cannot be requested; use list_settlement_reports")
        ids = self._check_marketplaces(marketplace_ids)
        body: JSON = {"reportType": report_type, "marketplaceIds": list(ids)}
        if data_start_time is not None:
            body["dataStartTime"] = iso(data_start_time)
        if data_end_time is not None:
            body["dataEndTime"] = iso(data_end_time)
        if report_options:
            body["reportOptions"] = dict(report_options)
        resp = self._call(
            "createReport",
            "POST",
            "/reports/2021-06-30/reports",
            json_body=body,
            marketplace_id=",".join(ids),
            report_types=(report_type,),
        )
        return str(resp.json()["reportId"])

    def get_reports(
        self,
        report_types: Sequence[str],
        processing_statuses: Sequence[str] | None = None,
        marketplace_ids: Sequence[str] | None = None,
        created_since: datetime | None = None,
        created_until: datetime | None = None,
        page_size: int = 100,
    ) -> Iterator[JSON]:
        op = "getReports"
        params: dict[str, Any] = {"reportTypes": ",".join(report_types), "pageSize": page_size}
        if processing_statuses:
            params["processingStatuses"] = ",".join(processing_statuses)
        if marketplace_ids:
            params["marketplaceIds"] = ",".join(self._check_marketplaces(marketplace_ids))
        if created_since is not None:
            params["createdSince"] = iso(created_since)
        if created_until is not None:
            params["createdUntil"] = iso(created_until)

        def fetch() -> Iterator[JSON]:
            for body, _request_id in self._pages(
                op,
                "/reports/2021-06-30/reports",
                params,
                token_param="nextToken",
                token_only=True,
                next_token=lambda b: b.get("nextToken"),
                report_types=tuple(report_types),
            ):
                yield from body.get("reports") or []

        return iter(self._exactly_once(op, "all", fetch))

    def get_report(self, report_id: str, report_type: str | None = None) -> JSON:
        """getReport; `report_type` (when known) only names the role in a MissingRoleError."""
        types = (report_type,) if report_type else ()
        return self._call("getReport", "GET", f"/reports/2021-06-30/reports/{report_id}", report_types=types).json()

    def get_report_document(self, document_id: str, report_type: str | None = None) -> JSON:
        types = (report_type,) if report_type else ()
        return self._call(
            "getReportDocument", "GET", f"/reports/2021-06-30/documents/{document_id}", report_types=types
        ).json()

    def download_document(
        self, doc: Mapping[str, Any], *, url_refreshes: int = 2, marketplace_ids: Sequence[str] = ()
    ) -> DownloadedDocument:
        """GET the pre-signed URL without SP-API headers; re-resolve it if it expired (403/400)."""
        current = dict(doc)
        refreshes = 0
        while True:
            try:
                resp = self.transport.send(
                    "downloadReportDocument", "GET", str(current["url"]), default_headers=False
                )
                break
            except SpApiError as err:
                if err.status in (400, 403) and refreshes < url_refreshes and current.get("reportDocumentId"):
                    refreshes += 1
                    log.info("report document URL rejected (%s); fetching a fresh one", err.status)
                    current = self.get_report_document(str(current["reportDocumentId"]))
                    continue
                raise
        content = maybe_gunzip(resp.content, current.get("compressionAlgorithm"))
        return DownloadedDocument(
            content=content,
            encoding=resolve_encoding(resp.headers.get("content-type"), content, marketplace_ids),
        )

    def download_report(self, report_or_document_id: Mapping[str, Any] | str) -> DownloadedDocument:
        """Download a DONE report's document, given the report (e.g. from list_settlement_reports)
        or its reportDocumentId. The URL is resolved right before use: it lives 5 minutes."""
        marketplace_ids: Sequence[str] = ()
        report_type = None
        if isinstance(report_or_document_id, str):
            document_id: Any = report_or_document_id
        else:
            document_id = report_or_document_id.get("reportDocumentId")
            marketplace_ids = report_or_document_id.get("marketplaceIds") or ()
            report_type = report_or_document_id.get("reportType")
        if not document_id:
            raise SpApiError("getReport", code="NoDocument", reason="report has no reportDocumentId")
        doc = self.get_report_document(str(document_id), report_type)
        return self.download_document(doc, marketplace_ids=marketplace_ids)

    def fetch_report(
        self,
        report_type: str,
        marketplace_ids: Sequence[str],
        start: datetime | None,
        end: datetime | None,
        report_options: Mapping[str, str] | None = None,
    ) -> ReportResult:
        """Create a report, poll it to a terminal status and download it.

        Returns DONE with content, or CANCELLED with content None (Amazon's "no data").
        Raises ReportFatalError (with Amazon's explanation when it sent a document).
        """
        report_id = self.create_report(report_type, marketplace_ids, start, end, report_options)
        deadline = self.clock.monotonic() + self.max_report_wait
        while True:
            report = self.get_report(report_id, report_type)
            status = report.get("processingStatus")
            if status in TERMINAL_STATUSES:
                break
            if self.clock.monotonic() >= deadline:
                raise ReportTimeoutError(
                    "getReport",
                    status=200,
                    code=str(status),
                    reason=f"report {report_id} not done after {self.max_report_wait:.0f} s",
                )
            self.clock.sleep(self.credentials.report_poll_seconds)
        if status == "CANCELLED":
            log.info("report %s (%s) CANCELLED: no data", report_id, report_type)
            return ReportResult(report_id, "CANCELLED", None, None, report_type=report_type)
        if status == "FATAL":
            reason = None
            if report.get("reportDocumentId"):
                try:
                    reason = self.download_report(report).text()
                except SpApiError as err:
                    reason = f"(explanation document unavailable: {err.code or err.status})"
            raise ReportFatalError(
                "getReport",
                report_id=report_id,
                report_type=report_type,
                fatal_reason=reason,
                marketplace_id=",".join(marketplace_ids),
            )
        downloaded = self.download_report(report)
        return ReportResult(
            report_id=report_id,
            status="DONE",
            content=downloaded.content,
            encoding=downloaded.encoding,
            report_type=report_type,
            report_document_id=str(report.get("reportDocumentId")),
        )

    def list_settlement_reports(
        self, created_since: datetime, created_until: datetime | None = None, *, now: datetime | None = None
    ) -> list[JSON]:
        """DONE V2 flat-file settlement reports (Amazon generates them; they are never requested)."""
        if now is None:
            # Amazon's 90-day listing limit counts from *its* clock: ask it (via any
            # response's Date header; the token exchange is enough).
            self.tokens.get()
            now = self.transport.server_now()
        floor = now - SETTLEMENT_LOOKBACK
        since = max(created_since, floor)
        if created_until is not None and created_until <= since:
            return []
        reports = self.get_reports(
            [SETTLEMENT_V2], processing_statuses=["DONE"], created_since=since, created_until=created_until
        )
        return [r for r in reports if r.get("reportDocumentId")]

    # ------------------------------------------------------------------ orders

    def get_orders(self, marketplace_ids: Sequence[str], *args: Any, **kwargs: Any) -> Iterator[JSON]:
        """Orders v0 getOrders. With buyer_info, a Restricted Data Token unlocks BuyerInfo/ShippingAddress.

        Without the restricted role (``credentials.has_pii_role`` False: no token is
        asked for; or Amazon refuses the token) orders come back without buyer
        fields and `unavailable_data` records it. Other token failures raise.
        """
        return _records(self.order_pages(marketplace_ids, *args, **kwargs))

    def order_pages(
        self,
        marketplace_ids: Sequence[str],
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        last_updated_after: datetime | None = None,
        last_updated_before: datetime | None = None,
        *,
        buyer_info: bool = False,
    ) -> Iterator[Page]:
        """`get_orders` page by page, each page with its request id."""
        if (created_after is None) == (last_updated_after is None):
            raise ValueError("give exactly one of created_after or last_updated_after")
        if created_after is None and created_before is not None:
            raise ValueError("created_before needs created_after")
        if last_updated_after is None and last_updated_before is not None:
            raise ValueError("last_updated_before needs last_updated_after")
        ids = self._check_marketplaces(marketplace_ids)
        op, path = "getOrders", "/orders/v0/orders"
        token = self._buyer_token(op, path, ORDER_PII_ELEMENTS, buyer_info)
        after_name, before_name = (
            ("CreatedAfter", "CreatedBefore") if created_after else ("LastUpdatedAfter", "LastUpdatedBefore")
        )
        after = created_after or last_updated_after
        before = created_before if created_after else last_updated_before
        assert after is not None

        def fetch(lo: datetime, up: datetime | None) -> Iterator[Page]:
            params: dict[str, Any] = {"MarketplaceIds": ",".join(ids), after_name: iso(lo)}
            if up is not None:
                params[before_name] = iso(up)
            for body, request_id in self._pages(
                op,
                path,
                params,
                token_param="NextToken",
                marketplace_id=",".join(ids),
                next_token=lambda b: (b.get("payload") or {}).get("NextToken"),
                token=token,
            ):
                yield Page(tuple((body.get("payload") or {}).get("Orders") or []), request_id)

        if before is None:  # open-ended: Amazon picks "now - 2 min"; one buffered slice
            return iter(self._exactly_once(op, f"{iso(after)}..", lambda: fetch(after, None)))
        return self._windowed(op, after, before, fetch)

    def get_order_items(self, order_id: str, *, buyer_info: bool = False) -> list[JSON]:
        return list(_records(self.order_item_pages(order_id, buyer_info=buyer_info)))

    def order_item_pages(self, order_id: str, *, buyer_info: bool = False) -> list[Page]:
        """`get_order_items` page by page, each page with its request id."""
        op, path = "getOrderItems", f"/orders/v0/orders/{order_id}/orderItems"
        token = self._buyer_token(op, path, ORDER_ITEM_PII_ELEMENTS, buyer_info)

        def fetch() -> Iterator[Page]:
            for body, request_id in self._pages(
                op,
                path,
                {},
                token_param="NextToken",
                token=token,
                next_token=lambda b: (b.get("payload") or {}).get("NextToken"),
            ):
                yield Page(tuple((body.get("payload") or {}).get("OrderItems") or []), request_id)

        return self._exactly_once(op, order_id, fetch)


def _records(pages: Iterable[Page]) -> Iterator[JSON]:
    for page in pages:
        yield from page.records
