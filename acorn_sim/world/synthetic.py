"""`SyntheticWorld`: serves a generated domain model through the `World` protocol.

Rendering rules the sandbox server must follow (see also money.py and
render_orders.py):

* JSON payloads contain `decimal.Decimal` amounts. Serialise them with
  `acorn_sim.world.money.dumps(payload)` (or `json.dumps(payload,
  default=acorn_sim.world.money.json_default)`): amounts become exact JSON numbers.
* `orders()` / `order_items()` never contain restricted data. For a request made
  with a Restricted Data Token, merge `order_pii(seller_id, order_id)` into the
  order (`order | pii`); its keys are `render_orders.RESTRICTED_ORDER_FIELDS`.
* Returned dicts are shared, cached objects: copy before mutating.
* `marketplace_id=None` in `transactions()` means every marketplace of the seller.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from acorn.marketplaces import BY_CODE, BY_ID
from acorn_sim.world import cashflow, ids
from acorn_sim.world.ground_truth import GroundTruthRow
from acorn_sim.world.interface import JSON, ReportFile, SellerAccount
from acorn_sim.world.model import (
    FbaReturn,
    MfnReturn,
    Order,
    Posting,
    Product,
    Refund,
    Reimbursement,
    Seller,
    SettlementGroup,
)
from acorn_sim.world.money import iso_z as _iso
from acorn_sim.world.render_finances import (
    render_group,
    render_transaction,
    render_v0_event,
    transaction_status,
)
from acorn_sim.world.render_orders import render_order, render_order_items, render_order_pii
from acorn_sim.world.render_reports import (
    REPORT_SPECS,
    SETTLEMENT_V2,
    encode,
    encoding_for,
    render_settlement,
    settlement_created_at,
)


@dataclass
class WorldData:
    """Everything the generator produced, as plain domain records."""

    as_of: datetime
    sellers: list[Seller] = field(default_factory=list)
    products: dict[str, dict[str, Product]] = field(default_factory=dict)  # seller -> sku -> product
    orders: list[Order] = field(default_factory=list)
    postings: list[Posting] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)
    fba_returns: list[FbaReturn] = field(default_factory=list)
    mfn_returns: list[MfnReturn] = field(default_factory=list)
    reimbursements: list[Reimbursement] = field(default_factory=list)
    groups: list[SettlementGroup] = field(default_factory=list)
    ground_truth: list[GroundTruthRow] = field(default_factory=list)  # never served
    # (seller_id, code) -> injected cash-flow scenarios: {"reserves": [...], "failure": {...}}
    cashflow: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


_FAR_PAST = datetime(1970, 1, 1, tzinfo=UTC)
_FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


def _key(ts: str, ident: str) -> tuple[str, str]:
    return (ts, ident)


class SyntheticWorld:
    """A generated seller world, rendered once and indexed for the sandbox's queries."""

    def __init__(self, data: WorldData) -> None:
        self.data = data
        self._as_of = data.as_of
        self._sellers = {s.seller_id: s for s in data.sellers}
        self._group_of: dict[str, str] = {pid: g.group_id for g in data.groups for pid in g.posting_ids}
        self._postings = {p.posting_id: p for p in data.postings}
        self._orders: dict[str, Order] = {o.order_id: o for o in data.orders}
        self._refunded_at: dict[str, datetime] = {}
        for r in data.refunds:
            self._refunded_at[r.order_id] = max(r.posted_at, self._refunded_at.get(r.order_id, r.posted_at))
        self._seller_of_order = {o.order_id: o.seller_id for o in data.orders}

    # ------------------------------------------------------------------ World
    @property
    def as_of(self) -> datetime:
        return self._as_of

    def sellers(self) -> Sequence[SellerAccount]:
        return [
            SellerAccount(
                selling_partner_id=s.seller_id,
                name=s.name,
                home_currency=s.home_currency,
                marketplace_ids=tuple(BY_CODE[c].marketplace_id for c in s.marketplaces),
                credentials=s.credentials,
            )
            for s in self.data.sellers
        ]

    def warm(self) -> None:
        """Render every lazily built index now, so no API call pays for it later."""
        for name in ("_transactions", "_groups", "_events", "_rendered_orders", "_settlements", "_ledgers"):
            getattr(self, name)

    @cached_property
    def _transactions(self) -> dict[str, tuple[list[tuple[str, str]], list[JSON]]]:
        by_seller: dict[str, list[JSON]] = defaultdict(list)
        for p in self.data.postings:
            by_seller[p.seller_id].append(
                render_transaction(p, self._group_of.get(p.posting_id), self._as_of)
            )
        out = {}
        for sid, txns in by_seller.items():
            txns.sort(key=lambda t: _key(t["postedDate"], t["transactionId"]))
            out[sid] = ([_key(t["postedDate"], t["transactionId"]) for t in txns], txns)
        return out

    def transactions(
        self,
        seller_id: str,
        *,
        marketplace_id: str | None,
        posted_after: datetime,
        posted_before: datetime,
        transaction_status: str | None = None,
        related_identifier: tuple[str, str] | None = None,
    ) -> Sequence[JSON]:
        keys, txns = self._transactions.get(seller_id, ([], []))
        lo = bisect.bisect_left(keys, (_iso(posted_after), ""))
        hi = bisect.bisect_left(keys, (_iso(posted_before), ""))
        out = []
        for t in txns[lo:hi]:
            if marketplace_id and t["marketplaceDetails"]["marketplaceId"] != marketplace_id:
                continue
            if transaction_status and t["transactionStatus"] != transaction_status:
                continue
            if related_identifier and not any(
                (r["relatedIdentifierName"], r["relatedIdentifierValue"]) == related_identifier
                for r in t["relatedIdentifiers"]
            ):
                continue
            out.append(t)
        return out

    @cached_property
    def _groups(self) -> dict[str, list[JSON]]:
        out: dict[str, list[JSON]] = defaultdict(list)
        for g in sorted(self.data.groups, key=lambda g: (g.start, g.group_id)):
            out[g.seller_id].append(render_group(g, self._as_of))
        return dict(out)

    def financial_event_groups(
        self, seller_id: str, *, started_after: datetime, started_before: datetime
    ) -> Sequence[JSON]:
        lo, hi = _iso(started_after), _iso(started_before)
        return [g for g in self._groups.get(seller_id, []) if lo <= g["FinancialEventGroupStart"] < hi]

    @cached_property
    def _events(self) -> dict[str, tuple[list[tuple[str, str]], list[tuple[str, JSON]]]]:
        by_seller: dict[str, list[tuple[tuple[str, str], tuple[str, JSON]]]] = defaultdict(list)
        for p in self.data.postings:
            if transaction_status(p, self._as_of) == "DEFERRED":
                continue
            by_seller[p.seller_id].append((_key(_iso(p.posted_at), p.posting_id), render_v0_event(p)))
        out = {}
        for sid, rows in by_seller.items():
            rows.sort(key=lambda r: r[0])
            out[sid] = ([k for k, _ in rows], [e for _, e in rows])
        return out

    def financial_events(
        self, seller_id: str, *, posted_after: datetime, posted_before: datetime
    ) -> Sequence[tuple[str, JSON]]:
        keys, events = self._events.get(seller_id, ([], []))
        lo = bisect.bisect_left(keys, (_iso(posted_after), ""))
        hi = bisect.bisect_left(keys, (_iso(posted_before), ""))
        return events[lo:hi]

    @cached_property
    def _rendered_orders(self) -> dict[str, list[JSON]]:
        out: dict[str, list[JSON]] = defaultdict(list)
        for o in sorted(self.data.orders, key=lambda o: (o.purchased_at, o.order_id)):
            out[o.seller_id].append(render_order(o, self._as_of, self._refunded_at.get(o.order_id)))
        return dict(out)

    def orders(
        self,
        seller_id: str,
        *,
        marketplace_ids: Sequence[str],
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        last_updated_after: datetime | None = None,
        last_updated_before: datetime | None = None,
    ) -> Sequence[JSON]:
        wanted = set(marketplace_ids)
        bounds = [
            ("PurchaseDate", created_after, created_before),
            ("LastUpdateDate", last_updated_after, last_updated_before),
        ]
        out = []
        for o in self._rendered_orders.get(seller_id, []):
            if o["MarketplaceId"] not in wanted:
                continue
            if any((lo and o[k] < _iso(lo)) or (hi and o[k] >= _iso(hi)) for k, lo, hi in bounds):
                continue
            out.append(o)
        if last_updated_after or last_updated_before:
            out.sort(key=lambda o: (o["LastUpdateDate"], o["AmazonOrderId"]))
        return out

    def order_items(self, seller_id: str, order_id: str) -> Sequence[JSON] | None:
        order = self._orders.get(order_id)
        if order is None or order.seller_id != seller_id:
            return None
        return render_order_items(order, self.data.products[seller_id], self._as_of)

    @cached_property
    def _settlements(self) -> dict[str, list[ReportFile]]:
        out: dict[str, list[ReportFile]] = defaultdict(list)
        for g in sorted(self.data.groups, key=lambda g: (g.end, g.group_id)):
            if not g.closed or g.fund_transfer_date is None or g.report_withheld:
                continue  # no file: open, not transferred, or withheld (payout_report_missing)
            created = settlement_created_at(g)
            if created > self._as_of:
                continue  # Amazon has not generated this file yet
            content, encoding = render_settlement(g, [self._postings[pid] for pid in g.posting_ids])
            out[g.seller_id].append(
                ReportFile(
                    report_type=SETTLEMENT_V2,
                    seller_id=g.seller_id,
                    marketplace_ids=(BY_CODE[g.marketplace].marketplace_id,),
                    data_start_time=g.start,
                    data_end_time=g.end,
                    created_time=created,
                    content=content,
                    encoding=encoding,
                    report_id=ids.digits(11, "report", g.settlement_id),
                )
            )
        return dict(out)

    def settlement_reports(self, seller_id: str) -> Sequence[ReportFile]:
        return self._settlements.get(seller_id, [])

    def report(
        self,
        seller_id: str,
        *,
        report_type: str,
        marketplace_ids: Sequence[str],
        data_start_time: datetime,
        data_end_time: datetime,
    ) -> ReportFile | None:
        spec = REPORT_SPECS.get(report_type)
        if spec is None:
            return None
        columns, render_row, date_attr = spec
        source = {
            "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA": self.data.fba_returns,
            "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE": self.data.mfn_returns,
            "GET_FBA_REIMBURSEMENTS_DATA": self.data.reimbursements,
        }[report_type]
        codes = {BY_ID[m].code for m in marketplace_ids if m in BY_ID}
        rows = [
            r for r in source
            if r.marketplace in codes
            and self._owner(r) == seller_id
            and data_start_time <= getattr(r, date_attr) < data_end_time
        ]  # fmt: skip
        if not rows:
            return None
        rows.sort(key=lambda r: (getattr(r, date_attr), render_row(r)))
        encoding = encoding_for(sorted(codes))
        return ReportFile(
            report_type=report_type,
            seller_id=seller_id,
            marketplace_ids=tuple(marketplace_ids),
            data_start_time=data_start_time,
            data_end_time=data_end_time,
            created_time=self._as_of,
            content=encode(columns, (render_row(r) for r in rows), encoding),
            encoding=encoding,
        )

    # ------------------------------------------------------------ cash flow
    def cashflow_spec(self, seller_id: str, marketplace_id: str) -> JSON | None:
        """The ledger spec of one (seller, marketplace): its groups and injected scenarios."""
        code = BY_ID[marketplace_id].code
        groups = [g for g in self.data.groups if g.seller_id == seller_id and g.marketplace == code]
        seller = self._sellers.get(seller_id)
        if seller is None or code not in seller.marketplaces or not groups:
            return None
        return cashflow.spec_of(seller_id, marketplace_id, BY_CODE[code].currency, seller.account_tails[code],
                                groups, self.data.cashflow.get((seller_id, code)))  # fmt: skip

    @cached_property
    def _ledgers(self) -> dict[str, list[cashflow.Ledger]]:
        out: dict[str, list[cashflow.Ledger]] = {}
        for s in self.data.sellers:
            out[s.seller_id] = []
            for code in s.marketplaces:
                mp_id = BY_CODE[code].marketplace_id
                spec = self.cashflow_spec(s.seller_id, mp_id)
                if spec is None:
                    continue
                txns = self.transactions(s.seller_id, marketplace_id=mp_id, posted_after=_FAR_PAST,
                                         posted_before=_FAR_FUTURE)  # fmt: skip
                out[s.seller_id].append(cashflow.Ledger(spec, cashflow.flows_of(txns)))
        return out

    def ledgers(self, seller_id: str) -> Sequence[cashflow.Ledger]:
        return self._ledgers.get(seller_id, [])

    def balances(
        self, seller_id: str, *, marketplace_ids: Sequence[str] | None, as_of_date: date | None,
        balance_type: str | None, now: datetime,
    ) -> Sequence[JSON]:  # fmt: skip
        return cashflow.balances_of(self.ledgers(seller_id), marketplace_ids=marketplace_ids,
                                    as_of_date=as_of_date, balance_type=balance_type, now=now)  # fmt: skip

    def payouts(self, seller_id: str, *, now: datetime) -> Sequence[JSON]:
        return cashflow.payouts_of(self.ledgers(seller_id), now=now)

    def expected_payouts(self, seller_id: str, *, now: datetime) -> Sequence[JSON]:
        return cashflow.expected_of(self.ledgers(seller_id), now=now)

    # -------------------------------------------------------------- extras
    def ground_truth(self) -> list[GroundTruthRow]:
        """Every injected anomaly (ground_truth.py). Python-side only: never served over HTTP."""
        return sorted(
            self.data.ground_truth, key=lambda r: (r.seller_id, r.marketplace_id, r.kind, r.anomaly_id)
        )

    def ground_truth_rows(self) -> list[dict[str, Any]]:
        """`ground_truth()` as flat dicts (keys as JSON text), ready for a Parquet writer."""
        return [r.as_dict() for r in self.ground_truth()]

    def order_pii(self, seller_id: str, order_id: str) -> JSON | None:
        """Restricted order fields (BuyerInfo, full ShippingAddress) for RDT requests."""
        order = self._orders.get(order_id)
        if order is None or order.seller_id != seller_id:
            return None
        return render_order_pii(order)

    def _owner(self, row: Any) -> str:
        order_id = getattr(row, "order_id", None)
        if order_id and order_id in self._seller_of_order:
            return self._seller_of_order[order_id]
        # warehouse reimbursements carry no order: find the seller by SKU
        sku = row.sku
        return next((sid for sid, prods in self.data.products.items() if sku in prods), "")

    def summary(self) -> dict[str, dict[str, Any]]:
        """Per-marketplace counts of what the world serves at `as_of` (the demo's truth)."""
        out: dict[str, dict[str, Any]] = {}

        def bucket(code: str) -> dict[str, Any]:
            return out.setdefault(code, {
                "marketplace_id": BY_CODE[code].marketplace_id, "currency": BY_CODE[code].currency,
                "orders": 0, "orders_by_status": Counter(), "transactions": Counter(),
                "transactions_by_status": Counter(), "refunds": 0, "partial_refunds": 0, "fba_returns": 0,
                "mfn_returns": 0, "reimbursements": 0, "reimbursement_reversals": 0,
                "settlement_groups": 0, "closed_settlement_groups": 0, "settlement_reports": 0,
            })  # fmt: skip

        for o in self._rendered_orders.values():
            for order in o:
                b = bucket(BY_ID[order["MarketplaceId"]].code)
                b["orders"] += 1
                b["orders_by_status"][order["OrderStatus"]] += 1
        for _keys, txns in self._transactions.values():
            for t in txns:
                b = bucket(BY_ID[t["marketplaceDetails"]["marketplaceId"]].code)
                b["transactions"][t["transactionType"]] += 1
                b["transactions_by_status"][t["transactionStatus"]] += 1
        for r in self.data.refunds:
            bucket(r.marketplace)["refunds"] += 1
            bucket(r.marketplace)["partial_refunds"] += not r.full
        for x in self.data.fba_returns:
            bucket(x.marketplace)["fba_returns"] += 1
        for x in self.data.mfn_returns:
            bucket(x.marketplace)["mfn_returns"] += 1
        for x in self.data.reimbursements:
            key = "reimbursement_reversals" if x.reason == "Reimbursement_Reversal" else "reimbursements"
            bucket(x.marketplace)[key] += 1
        for g in self.data.groups:
            bucket(g.marketplace)["settlement_groups"] += 1
            bucket(g.marketplace)["closed_settlement_groups"] += g.closed
        for files in self._settlements.values():
            for f in files:
                bucket(BY_ID[f.marketplace_ids[0]].code)["settlement_reports"] += 1
        for b in out.values():
            for k in ("orders_by_status", "transactions", "transactions_by_status"):
                b[k] = dict(sorted(b[k].items()))
        return dict(sorted(out.items()))
