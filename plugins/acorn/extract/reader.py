"""The seam between extraction and where records come from.

Extraction (`acorn.extract.sources`) reads through a `SourceReader`: pages of
records, each page carrying its request id. `ClientReader` is the production
reader over the SP-API client; the simulator feeds the same extraction from a
world on disk (`acorn_sim.world.lake_export`), and unit tests from a fake.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from acorn.spapi.pages import Page

__all__ = ["ClientReader", "Page", "ReportDocument", "SourceReader"]


@dataclass(frozen=True)
class ReportDocument:
    """A downloaded report: content None when Amazon has no data (CANCELLED)."""

    report_id: str
    content: bytes | None
    encoding: str | None
    request_id: str | None = None  # `report:<reportId>` for SP-API reports


class SourceReader(Protocol):
    """What extraction reads. Windows are half-open [start, end), UTC."""

    @property
    def unavailable_data(self) -> list[dict[str, Any]]:
        """Data Amazon refused so far (operation, data_elements, role, reason)."""
        ...

    def pages(
        self, operation: str, start: datetime, end: datetime, marketplace_id: str | None
    ) -> Iterable[Page]:
        """A listing operation (listTransactions, listFinancialEventGroups) over one window."""
        ...

    def order_pages(self, marketplace_id: str, start: datetime, end: datetime, *, buyer_info: bool) -> Iterable[Page]:
        """Orders created in the window; with buyer_info, buyer fields where Amazon grants them."""
        ...

    def order_item_pages(self, order_id: str) -> Iterable[Page]: ...

    def report(self, report_type: str, marketplace_id: str, start: datetime, end: datetime) -> ReportDocument:
        """Request one on-demand report for the window and download it."""
        ...

    def settlement_reports(self, start: datetime, end: datetime) -> Iterable[Mapping[str, Any]]:
        """V2 settlement reports (reportId, reportDocumentId, marketplaceIds) created in the window."""
        ...

    def settlement_document(self, report: Mapping[str, Any]) -> ReportDocument: ...

    # Cash-flow sources (docs/CASHFLOW.md). A reader that does not serve them (a world
    # on disk that predates them) lacks these methods; extraction then skips and says so.

    def server_now(self) -> datetime:
        """Now by the server's clock (its Date header), UTC."""
        ...

    def balance_pages(self, as_of_date: date) -> Iterable[Page]:
        """listBalances ending balances of one local day, all marketplaces and balance types."""
        ...

    def payout_pages(self, marketplace_ids: Sequence[str], start: datetime, end: datetime) -> Iterable[Page]:
        """listPayouts created in the window, for these (Transfers) marketplaces."""
        ...

    def expected_payout_pages(self, marketplace_id: str) -> Iterable[Page]:
        """listExpectedPayouts of one (Transfers) marketplace, as the server sees it now."""
        ...


class ClientReader:
    """The production reader: the SP-API client, request ids from the response headers."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @property
    def unavailable_data(self) -> list[dict[str, Any]]:
        return list(getattr(self.client, "unavailable_data", None) or [])

    def pages(
        self, operation: str, start: datetime, end: datetime, marketplace_id: str | None
    ) -> Iterable[Page]:
        if operation == "listTransactions":
            return self.client.transaction_pages(start, end, marketplace_id=marketplace_id)
        if operation == "listFinancialEventGroups":
            return self.client.financial_event_group_pages(start, end)
        raise ValueError(f"no listing for operation {operation!r}")

    def order_pages(self, marketplace_id: str, start: datetime, end: datetime, *, buyer_info: bool) -> Iterable[Page]:
        return self.client.order_pages([marketplace_id], created_after=start, created_before=end, buyer_info=buyer_info)

    def order_item_pages(self, order_id: str) -> Iterable[Page]:
        return self.client.order_item_pages(order_id)

    def report(self, report_type: str, marketplace_id: str, start: datetime, end: datetime) -> ReportDocument:
        result = self.client.fetch_report(report_type, [marketplace_id], start, end)
        return ReportDocument(result.report_id, result.content, result.encoding, f"report:{result.report_id}")

    def settlement_reports(self, start: datetime, end: datetime) -> Iterable[Mapping[str, Any]]:
        return self.client.list_settlement_reports(start, end)

    def settlement_document(self, report: Mapping[str, Any]) -> ReportDocument:
        content, encoding = self.client.download_report(report)  # its marketplace hints the charset
        report_id = str(report["reportId"])
        return ReportDocument(report_id, content, encoding, f"report:{report_id}")

    def server_now(self) -> datetime:
        return self.client.server_now()

    def balance_pages(self, as_of_date: date) -> Iterable[Page]:
        return self.client.balance_pages(as_of_date)

    def payout_pages(self, marketplace_ids: Sequence[str], start: datetime, end: datetime) -> Iterable[Page]:
        return self.client.payout_pages(marketplace_ids, start, end)

    def expected_payout_pages(self, marketplace_id: str) -> Iterable[Page]:
        return self.client.expected_payout_pages(marketplace_id)
