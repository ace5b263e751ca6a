"""Render postings and settlement groups as Finances API objects.

* `render_transaction()` -> Finances 2024-06-19 `Transaction` (camelCase,
  `currencyAmount` is a Decimal: serialise with `acorn_sim.world.money.dumps`).
* `render_group()` -> Finances v0 `FinancialEventGroup`.
* `render_v0_event()` -> ("ShipmentEventList" | "RefundEventList" |
  "AdjustmentEventList", event) for listFinancialEvents.

Deferred (DD+7) shipments: one transaction with a stable transactionId whose
status is evaluated at the world's `as_of`. Before its maturity it is
`DEFERRED` (DeferredContext{deferralReason DD7, maturityDate}, no
FINANCIAL_EVENT_GROUP_ID, in no settlement); once matured it is
`DEFERRED_RELEASED` and carries the id of the group its *release* fell in,
while postedDate stays the shipment time (as Transaction View shows it).
Finances v0 omits still-deferred events ("Deferred events don't appear ...
until they are released").
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from acorn.marketplaces import BY_CODE
from acorn_sim.world import settings as S
from acorn_sim.world.interface import JSON
from acorn_sim.world.model import (
    CHARGE,
    FEE,
    PROMOTION,
    REIMBURSEMENT,
    WITHHELD,
    Posting,
    PostingItem,
    SettlementGroup,
)
from acorn_sim.world.money import ZERO, iso_z, q

# Top-level breakdown bucket per component kind (the 2024-06-19 transaction view).
BREAKDOWN_TYPE = {
    CHARGE: "ProductCharges",
    PROMOTION: "Promotions",
    WITHHELD: "TaxWithheld",
    FEE: "AmazonFees",
    REIMBURSEMENT: "FBAInventoryReimbursement",
}
DESCRIPTION = {
    "Shipment": "Order Payment",
    "Refund": "Refund Order",
    "GuaranteeClaim": "A-to-z Guarantee Refund",
    "Chargeback": "Chargeback Refund",
}
# transactionType: the model only documents "Shipment"; real data carries Refund, Adjustment, ...
# (FACTS.md §6, models issues #4268/#4244). A-to-z claims and chargebacks get their own types,
# named after their v0 lists (GuaranteeClaimEventList / ChargebackEventList, FACTS.md §5); the
# descriptions are the settlement transaction types (POLICIES.md §1 "Settlement encoding").
TRANSACTION_TYPE = {
    "Shipment": "Shipment",
    "Refund": "Refund",
    "Reimbursement": "Adjustment",
    "GuaranteeClaim": "GuaranteeClaim",
    "Chargeback": "Chargeback",
}
V0_LIST = {
    "Shipment": "ShipmentEventList",
    "Refund": "RefundEventList",
    "Reimbursement": "AdjustmentEventList",
    "GuaranteeClaim": "GuaranteeClaimEventList",
    "Chargeback": "ChargebackEventList",
}
ADJUSTMENT_KINDS = frozenset({"Refund", "GuaranteeClaim", "Chargeback"})  # ShipmentItemAdjustmentList


def cur_v2(amount: Decimal, currency: str) -> JSON:
    return {"currencyCode": currency, "currencyAmount": amount}


def cur_v0(amount: Decimal, currency: str) -> JSON:
    return {"CurrencyCode": currency, "CurrencyAmount": amount}


def transaction_status(p: Posting, as_of: datetime) -> str:
    if p.deferral is None:
        return "RELEASED"
    return "DEFERRED_RELEASED" if p.deferral.maturity < as_of else "DEFERRED"


# Realistic shape (FACTS.md §6): where each charge component sits, as (bucket, leaf).
REALISTIC_CHARGE_PATH = {
    "Principal": ("ProductCharges", "OurPricePrincipal"),
    "Tax": ("Tax", "OurPriceTax"),
    "ShippingCharge": ("Shipping", "ShippingPrincipal"),
    "ShippingTax": ("Tax", "ShippingTax"),
}
# Realistic transaction-level roll-ups: these buckets appear under Sales / Expenses with no
# children of their own (the items carry the detail); other buckets stay as they are.
REALISTIC_ROLLUP = {"ProductCharges": "Sales", "Tax": "Sales", "Shipping": "Sales",
                    "Promotions": "Sales", "AmazonFees": "Expenses"}  # fmt: skip


def is_realistic_shape(marketplace: str) -> bool:
    """Whether a marketplace serves the realistic breakdown shape (deterministic per marketplace)."""
    return marketplace in S.REALISTIC_BREAKDOWN_MARKETPLACES


def _leaf_paths(
    items: tuple[PostingItem, ...], marketplace: str, currency: str
) -> list[tuple[tuple[str, ...], Decimal]]:
    """(path, amount) of every leaf; each component is one leaf, or two for a realistic fee."""
    realistic = is_realistic_shape(marketplace)
    out: list[tuple[tuple[str, ...], Decimal]] = []
    for item in items:
        for c in item.components:
            bucket = BREAKDOWN_TYPE[c.kind]
            if not realistic:
                out.append(((bucket, c.name), c.amount))
            elif c.kind == CHARGE and c.name in REALISTIC_CHARGE_PATH:
                out.append((REALISTIC_CHARGE_PATH[c.name], c.amount))
            elif c.kind == FEE:
                rate = S.FEE_VAT_RATE.get(marketplace, ZERO)
                vat = q(c.amount * rate / (1 + rate), currency)
                out.append(((bucket, c.name, "Base"), c.amount - vat))
                out.append(((bucket, c.name, "Tax"), vat))
            else:
                out.append(((bucket, c.name), c.amount))
    return out


def _tree(leaves: list[tuple[tuple[str, ...], Decimal]], currency: str) -> list[JSON]:
    """Nested breakdowns from leaf paths: every node's amount is the sum of its children's."""
    children: dict[str, list[tuple[tuple[str, ...], Decimal]]] = {}
    for path, amount in leaves:
        children.setdefault(path[0], []).append((path[1:], amount))
    out = []
    for name, below in children.items():
        node: JSON = {"breakdownType": name,
                      "breakdownAmount": cur_v2(sum((a for _, a in below), ZERO), currency)}  # fmt: skip
        deeper = [(p, a) for p, a in below if p]
        if deeper:
            node["breakdowns"] = _tree(deeper, currency)
        out.append(node)
    return out


def breakdowns(items: tuple[PostingItem, ...], currency: str, marketplace: str = "US") -> list[JSON]:
    """Item-level breakdowns in the marketplace's shape; each level sums exactly to its parent.

    Simplified: two levels (bucket -> component name). Realistic (FACTS.md §6): charges under
    ProductCharges/OurPricePrincipal, Tax/{OurPriceTax, ShippingTax}, Shipping/ShippingPrincipal,
    and a third level {Base, Tax} under each Amazon fee (Tax = Amazon's VAT on the fee).
    """
    return _tree(_leaf_paths(items, marketplace, currency), currency)


def transaction_breakdowns(items: tuple[PostingItem, ...], currency: str, marketplace: str) -> list[JSON]:
    """Transaction-level breakdowns: in the realistic shape, Sales / Expenses roll-ups of the
    item buckets with no children below them (the items carry the detail); else the item shape."""
    tree = breakdowns(items, currency, marketplace)
    if not is_realistic_shape(marketplace):
        return tree
    rolled: dict[str, list[JSON]] = {}
    out: list[JSON] = []
    for node in tree:
        parent = REALISTIC_ROLLUP.get(node["breakdownType"])
        if parent is None:
            out.append(node)
            continue
        if parent not in rolled:
            rolled[parent] = []
            out.append({"breakdownType": parent, "breakdowns": rolled[parent]})
        # No `breakdowns` below a roll-up's bucket (real data sends null; the model wants an array)
        rolled[parent].append(
            {"breakdownType": node["breakdownType"], "breakdownAmount": node["breakdownAmount"]}
        )
    for node in out:
        if node["breakdownType"] in rolled:
            total = sum((c["breakdownAmount"]["currencyAmount"] for c in node["breakdowns"]), ZERO)
            node["breakdownAmount"] = cur_v2(total, currency)
    return out


def render_transaction(p: Posting, group_id: str | None, as_of: datetime) -> JSON:
    mp = BY_CODE[p.marketplace]
    related = []
    if p.order_id:
        related.append({"relatedIdentifierName": "ORDER_ID", "relatedIdentifierValue": p.order_id})
    if p.shipment_id:
        related.append({"relatedIdentifierName": "SHIPMENT_ID", "relatedIdentifierValue": p.shipment_id})
    if p.refund_id:
        related.append({"relatedIdentifierName": "REFUND_ID", "relatedIdentifierValue": p.refund_id})
    if group_id:
        related.append(
            {"relatedIdentifierName": "FINANCIAL_EVENT_GROUP_ID", "relatedIdentifierValue": group_id}
        )
    items = []
    for it in p.items:
        item: JSON = {
            "description": it.description or it.sku,
            "totalAmount": cur_v2(it.total, p.currency),
            "contexts": [{"contextType": "ProductContext", "asin": it.asin, "sku": it.sku,
                          "quantityShipped": it.quantity, "fulfillmentNetwork": p.channel}],
        }  # fmt: skip
        if it.adjustment_item_id:
            item["relatedIdentifiers"] = [{"itemRelatedIdentifierName": "ORDER_ADJUSTMENT_ITEM_ID",
                                           "itemRelatedIdentifierValue": it.adjustment_item_id}]  # fmt: skip
        if p.kind != "Reimbursement":  # reimbursements carry breakdowns at transaction level only
            item["breakdowns"] = breakdowns((it,), p.currency, p.marketplace)
        items.append(item)
    out: JSON = {
        "sellingPartnerMetadata": {"sellingPartnerId": p.seller_id, "accountType": "Standard Orders",
                                   "marketplaceId": mp.marketplace_id},
        "relatedIdentifiers": related,
        "transactionType": TRANSACTION_TYPE[p.kind],
        "transactionId": p.posting_id,
        "transactionStatus": transaction_status(p, as_of),
        "description": DESCRIPTION.get(p.kind) or p.adjustment_type,
        "postedDate": iso_z(p.posted_at),
        "totalAmount": cur_v2(p.total, p.currency),
        "marketplaceDetails": {"marketplaceId": mp.marketplace_id, "marketplaceName": mp.name},
        "items": items,
        "breakdowns": transaction_breakdowns(p.items, p.currency, p.marketplace),
    }  # fmt: skip
    if p.deferral:
        out["contexts"] = [{"contextType": "DeferredContext", "deferralReason": p.deferral.reason,
                            "maturityDate": iso_z(p.deferral.maturity)}]  # fmt: skip
    return out


def render_group(g: SettlementGroup, as_of: datetime) -> JSON:
    """FinancialEventGroup; `transfer_delta` (an injected anomaly) shifts the transferred totals."""
    transferred = g.total + g.transfer_delta
    out: JSON = {
        "FinancialEventGroupId": g.group_id,
        "ProcessingStatus": "Closed" if g.closed else "Open",
        "OriginalTotal": cur_v0(transferred, g.currency),
        "AccountTail": g.account_tail,
        "BeginningBalance": cur_v0(q(ZERO, g.currency), g.currency),
        "FinancialEventGroupStart": iso_z(g.start),
    }
    if g.closed:
        assert g.fund_transfer_date is not None
        out |= {
            "FundTransferStatus": "Succeeded" if g.fund_transfer_date <= as_of else "Processing",
            "ConvertedTotal": cur_v0(q(transferred * g.fx_rate, "CNY"), "CNY"),
            "FundTransferDate": iso_z(g.fund_transfer_date),
            "TraceId": g.trace_id,
            "FinancialEventGroupEnd": iso_z(g.end),
        }
    return out


def _v0_item(it: PostingItem, code: str, currency: str, adjustment: bool) -> JSON:
    charges, fees, withheld, promos = [], [], [], []
    for c in it.components:
        if c.kind == CHARGE:
            charges.append({"ChargeType": c.name, "ChargeAmount": cur_v0(c.amount, currency)})
        elif c.kind == FEE:
            fees.append({"FeeType": c.name, "FeeAmount": cur_v0(c.amount, currency)})
        elif c.kind == WITHHELD:
            withheld.append({"ChargeType": c.name, "ChargeAmount": cur_v0(c.amount, currency)})
        elif c.kind == PROMOTION:
            promos.append({"PromotionType": c.name, "PromotionId": c.promotion_id or "",
                           "PromotionAmount": cur_v0(c.amount, currency)})  # fmt: skip
    suffix = "AdjustmentList" if adjustment else "List"
    out: JSON = {"SellerSKU": it.sku, "OrderItemId": it.order_item_id, "QuantityShipped": it.quantity}
    if adjustment:
        out["OrderAdjustmentItemId"] = it.adjustment_item_id
    out[f"ItemCharge{suffix}"] = charges
    out[f"ItemFee{suffix}"] = fees
    if withheld:
        out["ItemTaxWithheldList"] = [
            {"TaxCollectionModel": S.TAX_WITHHELD_MODEL[code], "TaxesWithheld": withheld}
        ]
    if promos:
        out[f"Promotion{suffix}"] = promos
    return out


def render_v0_event(p: Posting) -> tuple[str, JSON]:
    mp = BY_CODE[p.marketplace]
    if p.kind == "Reimbursement":
        it = p.items[0]
        per_unit = it.total / it.quantity if it.quantity else it.total
        return V0_LIST[p.kind], {
            "AdjustmentType": p.adjustment_type,
            "PostedDate": iso_z(p.posted_at),
            "AdjustmentAmount": cur_v0(p.total, p.currency),
            "AdjustmentItemList": [{
                "Quantity": str(it.quantity),
                "PerUnitAmount": cur_v0(q(per_unit, p.currency), p.currency),
                "TotalAmount": cur_v0(it.total, p.currency),
                "SellerSKU": it.sku,
                "FnSKU": it.fnsku,
                "ProductDescription": it.description,
                "ASIN": it.asin,
                "TransactionNumber": p.reimbursement_id,
            }],
        }  # fmt: skip
    adjustment = p.kind in ADJUSTMENT_KINDS
    event: JSON = {
        "AmazonOrderId": p.order_id,
        "SellerOrderId": p.order_id,
        "MarketplaceName": mp.name,
        "PostedDate": iso_z(p.posted_at),
    }
    key = "ShipmentItemAdjustmentList" if adjustment else "ShipmentItemList"
    event[key] = [_v0_item(it, p.marketplace, p.currency, adjustment) for it in p.items]
    return V0_LIST[p.kind], event


def totals_by_group(postings: list[Posting], group_of: dict[str, str]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for p in postings:
        gid = group_of.get(p.posting_id)
        if gid:
            out[gid] += p.total
    return dict(out)


SIMPLIFIED_OF_REALISTIC = {
    realistic: ("ProductCharges", name) for name, realistic in REALISTIC_CHARGE_PATH.items()
}


def component_amounts(breakdowns_: list[JSON] | None) -> dict[tuple[str, str], Decimal]:
    """The inverse of rendering, for tests: (bucket, component name) -> amount from item-level
    breakdowns of either shape (realistic charge paths mapped back, fee Base + Tax summed)."""
    out: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)

    def walk(nodes: list[JSON], path: tuple[str, ...]) -> None:
        for node in nodes:
            here = (*path, node["breakdownType"])
            if node.get("breakdowns"):
                walk(node["breakdowns"], here)
                continue
            key = SIMPLIFIED_OF_REALISTIC.get(here[:2], here[:2])
            out[key] += node["breakdownAmount"]["currencyAmount"]

    walk(breakdowns_ or [], ())
    return dict(out)
