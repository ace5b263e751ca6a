"""The contract between a synthetic seller world and the SP-API sandbox.

The sandbox server only ever talks to a world through `World`; the
generator behind it can grow (issue 3: a full world with ground truth)
without the server changing. Every payload a world returns is already in
the SP-API's own JSON shape (or the report's own flat-file bytes), so the
server only filters, paginates and wraps.

Conventions:
- datetimes are timezone-aware UTC `datetime`s; JSON payloads carry ISO 8601
  strings ending in "Z".
- `seller_id` is the selling partner id (e.g. "A3SELLER0001").
- lists are returned sorted in the order the API would page them
  (ascending posted/created time, then id) so pagination is stable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

JSON = dict[str, Any]


@dataclass(frozen=True)
class RegionCredentials:
    """What a seller authorised for one region: the LWA app and refresh token."""

    region: str  # na | eu | fe
    client_id: str
    client_secret: str
    refresh_token: str


@dataclass(frozen=True)
class SellerAccount:
    selling_partner_id: str
    name: str
    home_currency: str  # currency the seller's bank account is in (CNY, USD, ...)
    marketplace_ids: tuple[str, ...]
    credentials: tuple[RegionCredentials, ...] = field(default=())


@dataclass(frozen=True)
class ReportFile:
    """A flat-file report as Amazon would store it (before any gzip)."""

    report_type: str
    seller_id: str
    marketplace_ids: tuple[str, ...]
    data_start_time: datetime
    data_end_time: datetime
    created_time: datetime  # when Amazon generated it (settlements: after the period closes)
    content: bytes  # tab-delimited text, already encoded
    encoding: str = "utf-8"  # "utf-8", "iso-8859-1", "cp932" (Windows-31J)
    report_id: str | None = None  # settlements carry a stable id; on-demand ones get one from the server


class World(Protocol):
    """A seeded seller world the sandbox can serve."""

    @property
    def as_of(self) -> datetime:
        """The world's "now": the sandbox clock starts here unless told otherwise."""
        ...

    def sellers(self) -> Sequence[SellerAccount]: ...

    # Finances 2024-06-19 listTransactions: Transaction objects.
    def transactions(
        self,
        seller_id: str,
        *,
        marketplace_id: str | None,
        posted_after: datetime,
        posted_before: datetime,
        transaction_status: str | None = None,
        related_identifier: tuple[str, str] | None = None,
    ) -> Sequence[JSON]: ...

    # Finances v0 listFinancialEventGroups: FinancialEventGroup objects.
    def financial_event_groups(
        self,
        seller_id: str,
        *,
        started_after: datetime,
        started_before: datetime,
    ) -> Sequence[JSON]: ...

    # Finances v0 listFinancialEvents: (list name, event) pairs, e.g.
    # ("RefundEventList", {...ShipmentEvent...}), in posted order.
    def financial_events(
        self,
        seller_id: str,
        *,
        posted_after: datetime,
        posted_before: datetime,
    ) -> Sequence[tuple[str, JSON]]: ...

    # Orders v0 getOrders: Order objects (no PII fields unless an RDT is used).
    def orders(
        self,
        seller_id: str,
        *,
        marketplace_ids: Sequence[str],
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        last_updated_after: datetime | None = None,
        last_updated_before: datetime | None = None,
    ) -> Sequence[JSON]: ...

    # Optional: `order_pii(seller_id, order_id) -> {"BuyerInfo": ..., "ShippingAddress": ...}`,
    # the restricted fields the sandbox merges into getOrders only under a
    # Restricted Data Token. Worlds without buyer data may omit it.

    # Orders v0 getOrderItems: OrderItem objects, or None if the order is unknown.
    def order_items(self, seller_id: str, order_id: str) -> Sequence[JSON] | None: ...

    # GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 files Amazon generated on its own.
    def settlement_reports(self, seller_id: str) -> Sequence[ReportFile]: ...

    # On-demand report types (FBA returns, MFN returns by return date,
    # reimbursements). None means there is no data: the server answers CANCELLED.
    def report(
        self,
        seller_id: str,
        *,
        report_type: str,
        marketplace_ids: Sequence[str],
        data_start_time: datetime,
        data_end_time: datetime,
    ) -> ReportFile | None: ...

    # Finances 2024-06-19 listBalances: Balance objects (TOTAL > AVAILABLE, RESERVED > DEFERRED,
    # ACCOUNT_LEVEL_RESERVE; or the one `balance_type` asked), one per marketplace of the seller
    # (all of them when `marketplace_ids` is empty), in marketplace id order. `as_of_date` D: the
    # ending balance of local day D (00:00 local of D+1); None: the balance at `now`.
    # docs/CASHFLOW.md is the contract; acorn_sim.world.cashflow derives them.
    def balances(
        self,
        seller_id: str,
        *,
        marketplace_ids: Sequence[str] | None,
        as_of_date: date | None,
        balance_type: str | None,
        now: datetime,
    ) -> Sequence[JSON]: ...

    # Transfers 2024-06-01 listPayouts: Payout objects created by `now` (status history up to
    # `now`), every marketplace of the seller, most recent first. The server keeps the Transfers
    # marketplaces (DE FR IT ES SE NL PL BE) and applies the filters.
    def payouts(self, seller_id: str, *, now: datetime) -> Sequence[JSON]: ...

    # Transfers 2024-06-01 listExpectedPayouts: ExpectedPayout objects of the period open at
    # `now`, computed from what is known at `now` only, one per marketplace of the seller.
    def expected_payouts(self, seller_id: str, *, now: datetime) -> Sequence[JSON]: ...
