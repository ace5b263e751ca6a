"""A tiny, hand-made `World` for sandbox self-tests and demos.

Deterministic and small, but shaped to exercise every route: more than one
page of transactions and orders, two sellers (isolation), three regions,
settlement reports that are too old / not yet generated, an on-demand report
type with no data (CANCELLED), and non-UTF-8 files (ISO-8859-1, cp932).
The real world generator lives in `acorn_sim.world.generator`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from acorn import marketplaces
from acorn.cashflow.mechanics import release_at
from acorn_sim.sandbox.runtime import iso
from acorn_sim.world.cashflow import Ledger, balances_of, expected_of, flows_of, payouts_of
from acorn_sim.world.interface import JSON, RegionCredentials, ReportFile, SellerAccount

AS_OF = datetime(2025, 6, 30, tzinfo=UTC)
SELLER_A = "A3SELLER0001"
SELLER_B = "A3SELLER0002"
SETTLEMENT = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
FBA_RETURNS = "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"
MFN_RETURNS = "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"
REIMBURSEMENTS = "GET_FBA_REIMBURSEMENTS_DATA"
# A record posts when its order ships; the parcel is delivered this much later. Only the DD+7
# release reads it (the tiny orders carry no delivery dates), so deferred amounts are released
# at a local midnight as in the generated worlds and the cash-flow forecast.
_TRANSIT = timedelta(days=1)

# (seller, marketplace code, how many records) — US > 100 so pages split.
_VOLUME: tuple[tuple[str, str, int], ...] = (
    (SELLER_A, "US", 230), (SELLER_A, "CA", 6), (SELLER_A, "DE", 24), (SELLER_A, "UK", 5),
    (SELLER_A, "JP", 4), (SELLER_B, "US", 7),
)  # fmt: skip


def _creds(seller_no: int, region: str) -> RegionCredentials:
    return RegionCredentials(
        region=region,
        client_id=f"amzn1.application-oa2-client.tiny{seller_no}{region}",
        client_secret=f"amzn1.oa2-cs.v1.tiny-secret-{seller_no}-{region}",
        refresh_token=f"Atzr|tiny-refresh-{seller_no}-{region}",
    )


def _money(amount: float, currency: str) -> JSON:
    return {"currencyCode": currency, "currencyAmount": round(amount, 2)}


def _money_v0(amount: float, currency: str) -> JSON:
    return {"CurrencyCode": currency, "CurrencyAmount": round(amount, 2)}


@dataclass(frozen=True)
class _Record:
    seller_id: str
    marketplace: marketplaces.Marketplace
    n: int  # running number within (seller, marketplace)
    posted: datetime
    order_id: str
    refund: bool
    amount: float

    @property
    def delivered_at(self) -> datetime:
        return self.posted + _TRANSIT


@dataclass(frozen=True)
class TinyWorld:
    """Implements `acorn_sim.world.interface.World` over a few hundred records."""

    as_of_time: datetime = AS_OF
    _records: tuple[_Record, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        records: list[_Record] = []
        for seller_id, code, count in _VOLUME:
            mp = marketplaces.get(code)
            for n in range(count):
                # Spread over the 60 days before as_of, newest a few hours old.
                posted = (
                    self.as_of_time - timedelta(days=60) + timedelta(minutes=(n * 60 * 24 * 59) // count + 7)
                )
                order_id = f"{111 + len(code)}-{abs(hash_str(seller_id + code)) % 10_000_000:07d}-{n:07d}"
                amount = 10.0 + (n % 17) * 3.25
                if mp.currency == "JPY":
                    amount = float(int(amount * 100))
                records.append(_Record(seller_id, mp, n, posted, order_id, n % 3 == 0, amount))
        records.sort(key=lambda r: (r.posted, r.order_id))
        object.__setattr__(self, "_records", tuple(records))

    # -- World protocol ---------------------------------------------------------------------------

    @property
    def as_of(self) -> datetime:
        return self.as_of_time

    def sellers(self) -> Sequence[SellerAccount]:
        return (
            SellerAccount(
                SELLER_A,
                "Tiny Trading Co",
                "CNY",
                tuple(marketplaces.get(c).marketplace_id for c in ("US", "CA", "DE", "UK", "JP")),
                (_creds(1, "na"), _creds(1, "eu"), _creds(1, "fe")),
            ),
            SellerAccount(
                SELLER_B,
                "Other Seller LLC",
                "USD",
                (marketplaces.get("US").marketplace_id,),
                (_creds(2, "na"),),
            ),
        )

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
        out = []
        for r in self._records:
            if r.seller_id != seller_id or not posted_after <= r.posted < posted_before:
                continue
            if marketplace_id and r.marketplace.marketplace_id != marketplace_id:
                continue
            t = self._transaction(r)
            if transaction_status and t["transactionStatus"] != transaction_status:
                continue
            if (
                related_identifier
                and {
                    "relatedIdentifierName": related_identifier[0],
                    "relatedIdentifierValue": related_identifier[1],
                }
                not in t["relatedIdentifiers"]
            ):
                continue
            out.append(t)
        return out

    def financial_event_groups(
        self, seller_id: str, *, started_after: datetime, started_before: datetime
    ) -> Sequence[JSON]:
        groups = []
        for code in ("US", "DE", "UK", "JP"):
            mp = marketplaces.get(code)
            if seller_id != SELLER_A and code != "US":
                continue
            for k in range(6):  # six 14-day groups per currency
                start = self.as_of_time - timedelta(days=84 - 14 * k)
                end = start + timedelta(days=14)
                if not started_after <= start < started_before:
                    continue
                closed = end <= self.as_of_time - timedelta(days=1)
                g: JSON = {
                    "FinancialEventGroupId": f"{seller_id[-4:]}{code}GRP{k:03d}",
                    "ProcessingStatus": "Closed" if closed else "Open",
                    "FundTransferStatus": "Succeeded" if closed else "Processing",
                    "OriginalTotal": _money_v0(100.0 + k, mp.currency),
                    "BeginningBalance": _money_v0(0.0, mp.currency),
                    "FinancialEventGroupStart": iso(start),
                }
                if closed:
                    g |= {
                        "FinancialEventGroupEnd": iso(end),
                        "FundTransferDate": iso(end + timedelta(days=1)),
                        "ConvertedTotal": _money_v0(700.0 + k, "CNY"),
                        "TraceId": f"TR{k:06d}",
                        "AccountTail": "042",
                    }
                groups.append(g)
        groups.sort(key=lambda g: (g["FinancialEventGroupStart"], g["FinancialEventGroupId"]))
        return groups

    def financial_events(
        self, seller_id: str, *, posted_after: datetime, posted_before: datetime
    ) -> Sequence[tuple[str, JSON]]:
        out: list[tuple[str, JSON]] = []
        for r in self._records:
            if r.seller_id != seller_id or not posted_after <= r.posted < posted_before:
                continue
            cur = r.marketplace.currency
            item_key = "ShipmentItemAdjustmentList" if r.refund else "ShipmentItemList"
            charge_key = "ItemChargeAdjustmentList" if r.refund else "ItemChargeList"
            sign = -1 if r.refund else 1
            event = {
                "AmazonOrderId": r.order_id,
                "MarketplaceName": r.marketplace.name,
                "PostedDate": iso(r.posted),
                item_key: [
                    {
                        "SellerSKU": f"SKU-{r.n % 9}",
                        "OrderItemId" if not r.refund else "OrderAdjustmentItemId": f"{r.n:014d}",
                        "QuantityShipped": 1,
                        charge_key: [
                            {"ChargeType": "Principal", "ChargeAmount": _money_v0(sign * r.amount, cur)}
                        ],
                        "ItemFeeList" if not r.refund else "ItemFeeAdjustmentList": [
                            {
                                "FeeType": "Commission",
                                "FeeAmount": _money_v0(-sign * round(r.amount * 0.15, 2), cur),
                            }
                        ],
                    }
                ],
            }
            out.append(("RefundEventList" if r.refund else "ShipmentEventList", event))
            if r.marketplace.code == "DE" and r.n % 8 == 0:
                # Like the real AdjustmentEvent: no MarketplaceName, only a currency.
                amount = _money_v0(r.amount, cur)
                item = {
                    "Quantity": "1",
                    "PerUnitAmount": amount,
                    "TotalAmount": amount,
                    "SellerSKU": f"SKU-{r.n % 9}",
                }
                adjustment = {
                    "AdjustmentType": "FBAInventoryReimbursement",
                    "PostedDate": iso(r.posted),
                    "AdjustmentAmount": amount,
                    "AdjustmentItemList": [item],
                }
                out.append(("AdjustmentEventList", adjustment))
        return out

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
        out = []
        for r in self._records:
            if r.seller_id != seller_id or r.marketplace.marketplace_id not in marketplace_ids:
                continue
            purchased = r.posted - timedelta(days=2)
            updated = r.posted
            if created_after and not created_after <= purchased < (created_before or self.as_of_time):
                continue
            if last_updated_after and not last_updated_after <= updated < (
                last_updated_before or self.as_of_time
            ):
                continue
            out.append(self._order(r))
        return out

    def order_items(self, seller_id: str, order_id: str) -> Sequence[JSON] | None:
        for r in self._records:
            if r.seller_id == seller_id and r.order_id == order_id:
                cur = r.marketplace.currency
                return [
                    {
                        "ASIN": f"B0TINY{r.n % 9:04d}",
                        "SellerSKU": f"SKU-{r.n % 9}",
                        "OrderItemId": f"{r.n:014d}",
                        "Title": "Tiny widget",
                        "QuantityOrdered": 1,
                        "QuantityShipped": 1,
                        "ItemPrice": {"CurrencyCode": cur, "Amount": f"{r.amount:.2f}"},
                        "BuyerInfo": {"GiftMessageText": "Enjoy"},
                    },
                ]
        return None

    def settlement_reports(self, seller_id: str) -> Sequence[ReportFile]:
        files = []
        plan = (
            # (seller, code, days before as_of the report was generated, encoding)
            (SELLER_A, "US", 10, "utf-8"), (SELLER_A, "US", 24, "utf-8"), (SELLER_A, "DE", 12, "utf-8"),
            (SELLER_A, "JP", 15, "cp932"), (SELLER_A, "US", 100, "utf-8"),  # too old to list
            (SELLER_A, "US", -1, "utf-8"),  # generated one day after as_of
            (SELLER_B, "US", 10, "utf-8"),
        )  # fmt: skip
        for sid, code, days, enc in plan:
            if sid != seller_id:
                continue
            mp = marketplaces.get(code)
            created = self.as_of_time - timedelta(days=days)
            start, end = created - timedelta(days=15), created - timedelta(days=1)
            sid_num = f"{abs(hash_str(sid + code)) % 100_000:05d}{days + 200:04d}"
            files.append(
                ReportFile(
                    SETTLEMENT,
                    sid,
                    (mp.marketplace_id,),
                    start,
                    end,
                    created,
                    _settlement_text(sid_num, start, end, mp).encode(enc),
                    enc,
                    report_id=f"7{sid_num}0",
                )
            )
        files.sort(key=lambda f: f.created_time)
        return files

    def report(
        self,
        seller_id: str,
        *,
        report_type: str,
        marketplace_ids: Sequence[str],
        data_start_time: datetime,
        data_end_time: datetime,
    ) -> ReportFile | None:
        rows = [
            r
            for r in self._records
            if r.seller_id == seller_id
            and r.refund
            and r.marketplace.marketplace_id in marketplace_ids
            and data_start_time <= r.posted <= data_end_time
        ]
        if report_type == FBA_RETURNS and rows:
            lines = [
                "return-date\torder-id\tsku\tasin\tfnsku\tproduct-name\tquantity\tfulfillment-center-id\t"
                "detailed-disposition\treason\tstatus\tlicense-plate-number\tcustomer-comments"
            ]
            lines += [
                f"{iso(r.posted)}\t{r.order_id}\tSKU-{r.n % 9}\tB0TINY{r.n % 9:04d}\tX00TINY\tTiny widget\t1\tPHX7\t"
                "SELLABLE\tNOT_AS_DESCRIBED\tUnit returned to inventory\tLPN1\t"
                for r in rows
            ]
            return ReportFile(
                report_type,
                seller_id,
                tuple(marketplace_ids),
                data_start_time,
                data_end_time,
                self.as_of_time,
                ("\n".join(lines) + "\n").encode(),
            )
        if report_type == REIMBURSEMENTS and rows:
            text = "approval-date\treimbursement-id\treason\tproduct-name\tcurrency-unit\tamount-total\n"
            text += "".join(
                f"{iso(r.posted)}\tR{r.n}\tDamaged_Warehouse\tCafé crème\t{r.marketplace.currency}\t"
                f"{r.amount:.2f}\n"
                for r in rows
            )
            return ReportFile(
                report_type,
                seller_id,
                tuple(marketplace_ids),
                data_start_time,
                data_end_time,
                self.as_of_time,
                text.encode("iso-8859-1"),
                "iso-8859-1",
            )
        return None  # MFN returns etc.: no data -> CANCELLED

    # -- shapes -------------------------------------------------------------------------------------

    # -- cash flow (acorn_sim.world.cashflow) ----------------------------------------------------

    def cashflow_spec(self, seller_id: str, marketplace_id: str) -> JSON | None:
        """The ledger spec of a marketplace with groups; DE's last closed payout fails and is
        re-sent a day after as_of (so the expected payout there is AT_RISK at as_of)."""
        code = marketplaces.BY_ID[marketplace_id].code
        groups = [g for g in self.financial_event_groups(seller_id, started_after=AS_OF - timedelta(days=3650),
                                                          started_before=AS_OF + timedelta(days=3650))
                  if g["OriginalTotal"]["CurrencyCode"] == marketplaces.BY_CODE[code].currency
                  and g["FinancialEventGroupId"][4:].startswith(code)]  # fmt: skip
        if not groups:
            return None
        closes = []
        for g in groups:
            start = datetime.fromisoformat(g["FinancialEventGroupStart"].replace("Z", "+00:00"))
            closes.append({
                "group_id": g["FinancialEventGroupId"], "settlement_id": f"{hash_str(g['FinancialEventGroupId']):011d}",
                "start": g["FinancialEventGroupStart"], "end": iso(start + timedelta(days=14)),
                "closed": "FinancialEventGroupEnd" in g, "transfer_at": g.get("FundTransferDate"),
                "trace_id": g.get("TraceId"),
            })  # fmt: skip
        failure = None
        if code == "DE":
            last = [c for c in closes if c["closed"]][-1]
            failed = datetime.fromisoformat(last["end"].replace("Z", "+00:00")) + timedelta(days=2)
            failure = {"settlement_id": last["settlement_id"], "failed_at": iso(failed),
                       "resent_at": iso(self.as_of_time + timedelta(days=1)), "reason": "Bank account closed"}  # fmt: skip
        return {"seller_id": seller_id, "marketplace_id": marketplace_id,
                "currency": marketplaces.BY_CODE[code].currency, "account_tail": "042", "closes": closes,
                "reserves": [], "failure": failure}  # fmt: skip

    def ledgers(self, seller_id: str) -> list[Ledger]:
        out = []
        for seller in self.sellers():
            if seller.selling_partner_id != seller_id:
                continue
            for mp_id in seller.marketplace_ids:
                spec = self.cashflow_spec(seller_id, mp_id)
                if spec is not None:
                    txns = self.transactions(seller_id, marketplace_id=mp_id, posted_after=AS_OF - timedelta(days=3650),
                                             posted_before=AS_OF + timedelta(days=3650))  # fmt: skip
                    out.append(Ledger(spec, flows_of(txns)))
        return out

    def balances(
        self, seller_id: str, *, marketplace_ids: Sequence[str] | None, as_of_date: date | None,
        balance_type: str | None, now: datetime,
    ) -> Sequence[JSON]:  # fmt: skip
        return balances_of(self.ledgers(seller_id), marketplace_ids=marketplace_ids, as_of_date=as_of_date,
                           balance_type=balance_type, now=now)  # fmt: skip

    def payouts(self, seller_id: str, *, now: datetime) -> Sequence[JSON]:
        return payouts_of(self.ledgers(seller_id), now=now)

    def expected_payouts(self, seller_id: str, *, now: datetime) -> Sequence[JSON]:
        return expected_of(self.ledgers(seller_id), now=now)

    def _transaction(self, r: _Record) -> JSON:
        cur = r.marketplace.currency
        sign = -1 if r.refund else 1
        status = "DEFERRED" if (not r.refund and r.n % 10 == 1) else "RELEASED"
        group = f"{r.seller_id[-4:]}{r.marketplace.code}GRP000"
        return {
            "sellingPartnerMetadata": {
                "sellingPartnerId": r.seller_id,
                "accountType": "Standard Orders",
                "marketplaceId": r.marketplace.marketplace_id,
            },
            "relatedIdentifiers": [
                {"relatedIdentifierName": "ORDER_ID", "relatedIdentifierValue": r.order_id},
                {"relatedIdentifierName": "FINANCIAL_EVENT_GROUP_ID", "relatedIdentifierValue": group},
            ],
            "transactionType": "Refund" if r.refund else "Shipment",
            "transactionId": f"TX-{r.seller_id[-4:]}-{r.marketplace.code}-{r.n:06d}",
            "transactionStatus": status,
            "description": "Refund Order" if r.refund else "Order Payment",
            "postedDate": iso(r.posted),
            "totalAmount": _money(sign * r.amount * 0.85, cur),
            "marketplaceDetails": {
                "marketplaceId": r.marketplace.marketplace_id,
                "marketplaceName": r.marketplace.name,
            },
            "items": [
                {
                    "description": "Tiny widget",
                    "relatedIdentifiers": [
                        {
                            "itemRelatedIdentifierName": "ORDER_ADJUSTMENT_ITEM_ID",
                            "itemRelatedIdentifierValue": f"{r.n:014d}",
                        }
                    ],
                    "totalAmount": _money(sign * r.amount * 0.85, cur),
                    "breakdowns": [
                        {
                            "breakdownType": "ProductCharges",
                            "breakdownAmount": _money(sign * r.amount, cur),
                            "breakdowns": [],
                        }
                    ],
                    "contexts": [
                        {
                            "contextType": "ProductContext",
                            "asin": f"B0TINY{r.n % 9:04d}",
                            "sku": f"SKU-{r.n % 9}",
                            "quantityShipped": 1,
                            "fulfillmentNetwork": "AFN",
                        }
                    ],
                }
            ],
            "breakdowns": [
                {"breakdownType": "Sales", "breakdownAmount": _money(sign * r.amount, cur), "breakdowns": []},
                {
                    "breakdownType": "Expenses",
                    "breakdownAmount": _money(-sign * r.amount * 0.15, cur),
                    "breakdowns": [],
                },
            ],
            # DD7: a deferred payment is released at 00:00 local of delivery date + 8 (FACTS.md
            # section 6, DeferredContext), the rule the generator and the forecast share.
            **(
                {"contexts": [{"contextType": "DeferredContext", "deferralReason": "DD7",
                               "maturityDate": iso(release_at(r.delivered_at, r.marketplace.time_zone))}]}  # fmt: skip
                if status == "DEFERRED"
                else {}
            ),
        }

    def _order(self, r: _Record) -> JSON:
        cur = r.marketplace.currency
        return {
            "AmazonOrderId": r.order_id,
            "PurchaseDate": iso(r.posted - timedelta(days=2)),
            "LastUpdateDate": iso(r.posted),
            "OrderStatus": "Shipped",
            "FulfillmentChannel": "AFN",
            "SalesChannel": r.marketplace.name,
            "OrderTotal": {"CurrencyCode": cur, "Amount": f"{r.amount:.2f}"},
            "NumberOfItemsShipped": 1,
            "NumberOfItemsUnshipped": 0,
            "MarketplaceId": r.marketplace.marketplace_id,
            "OrderType": "StandardOrder",
            "IsBusinessOrder": False,
            "IsPrime": r.n % 2 == 0,
            "IsReplacementOrder": False,
            "BuyerInfo": {"BuyerEmail": f"buyer{r.n}@marketplace.amazon.example", "BuyerName": "Tiny Buyer"},
            "ShippingAddress": {
                "Name": "Tiny Buyer",
                "AddressLine1": "1 Main St",
                "City": "Springfield",
                "PostalCode": "12345",
                "CountryCode": r.marketplace.code.replace("UK", "GB"),
            },
        }


def _settlement_text(settlement_id: str, start: datetime, end: datetime, mp: marketplaces.Marketplace) -> str:
    header = (
        "settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\tcurrency\t"
        "transaction-type\torder-id\tmerchant-order-id\tadjustment-id\tshipment-id\tmarketplace-name\t"
        "amount-type\tamount-description\tamount\tfulfillment-id\tposted-date\tposted-date-time\t"
        "order-item-code\tmerchant-order-item-id\tmerchant-adjustment-item-id\tsku\tquantity-purchased\t"
        "promotion-id"
    )
    amount = "95,00" if mp.decimal_comma else "95.00"
    summary = [settlement_id, iso(start), iso(end), iso(end), amount, mp.currency] + [""] * 18
    desc = "返金" if mp.code == "JP" else "Principal"
    row = [
        settlement_id,
        "",
        "",
        "",
        "",
        "",
        "Refund",
        "111-0000000-0000001",
        "",
        "ADJ1",
        "",
        mp.name,
        "ItemPrice",
        desc,
        "-5" if mp.currency == "JPY" else "-5.00",
        "AFN",
        iso(end)[:10],
        iso(end),
        "1",
        "",
        "",
        "SKU-1",
        "1",
        "",
    ]
    return "\n".join("\t".join(cols) for cols in (header.split("\t"), summary, row)) + "\n"


def hash_str(text: str) -> int:
    """A stable string hash (Python's hash() is salted per process)."""
    h = 0
    for ch in text:
        h = (h * 131 + ord(ch)) % 2_147_483_647
    return h


def build_tiny_world(seed: int = 0, **_: object) -> TinyWorld:
    """Factory with the same call shape as `acorn_sim.world.generator.build_world`."""
    return TinyWorld()
