"""Render domain orders as Orders API v0 `Order` / `OrderItem` objects.

PII: `render_order()` returns what getOrders returns *without* a Restricted
Data Token (ShippingAddress reduced to City / StateOrRegion / PostalCode /
CountryCode, no BuyerInfo). `render_order_pii()` returns the restricted
fields (`RESTRICTED_ORDER_FIELDS`: full ShippingAddress and BuyerInfo with the
relay BuyerEmail) as a separate dict; the server merges it into the order
(`order | pii`) only for requests made with an RDT.

Money.Amount is a string (model), e.g. "95.10" / JPY "1500".
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from acorn.marketplaces import BY_CODE
from acorn_sim.world import settings as S
from acorn_sim.world.interface import JSON
from acorn_sim.world.model import Order, OrderLine, Product
from acorn_sim.world.money import ZERO, iso_z, money_str, q

RESTRICTED_ORDER_FIELDS = ("BuyerInfo", "ShippingAddress")


def money(amount: Decimal, currency: str) -> JSON:
    return {"CurrencyCode": currency, "Amount": money_str(amount, currency)}


def order_status(order: Order, as_of: datetime) -> str:
    if order.canceled:
        return "Canceled"
    if order.shipped_at is not None and order.shipped_at < as_of:
        return "Shipped"
    return "Unshipped"


def last_update(order: Order, as_of: datetime, refunded_at: datetime | None = None) -> datetime:
    moments = [order.purchased_at + timedelta(minutes=3)]
    if order.canceled:
        moments.append(order.purchased_at + timedelta(hours=2))
    for ts in (order.shipped_at, order.delivered_at, refunded_at):
        if ts is not None and ts < as_of:
            moments.append(ts)
    return max(moments)


def buyer_paid(line: OrderLine) -> Decimal:
    return line.principal - line.promotion + line.tax + line.shipping + line.shipping_tax


def render_order(order: Order, as_of: datetime, refunded_at: datetime | None = None) -> JSON:
    mp = BY_CODE[order.marketplace]
    status = order_status(order, as_of)
    units = sum(ln.quantity for ln in order.lines)
    shipped_units = units if status == "Shipped" else 0
    afn = order.channel == "AFN"
    out: JSON = {
        "AmazonOrderId": order.order_id,
        "SellerOrderId": order.order_id,
        "PurchaseDate": iso_z(order.purchased_at),
        "LastUpdateDate": iso_z(last_update(order, as_of, refunded_at)),
        "OrderStatus": status,
        "FulfillmentChannel": order.channel,
        "SalesChannel": mp.name,
        "ShipServiceLevel": "Expedited" if order.is_prime else "Std Cont US Street Addr"
        if order.marketplace == "US" else "Standard",
        "NumberOfItemsShipped": 0 if status == "Canceled" else shipped_units,
        "NumberOfItemsUnshipped": 0 if status == "Canceled" else units - shipped_units,
        "PaymentMethod": "Other",
        "PaymentMethodDetails": ["Standard"],
        "MarketplaceId": mp.marketplace_id,
        "ShipmentServiceLevelCategory": "Expedited" if order.is_prime else "Standard",
        "OrderType": "StandardOrder",
        "EarliestShipDate": iso_z(order.purchased_at),
        "LatestShipDate": iso_z(order.purchased_at + timedelta(days=2)),
        "EarliestDeliveryDate": iso_z(order.purchased_at + timedelta(days=2 if afn else 5)),
        "LatestDeliveryDate": iso_z(order.purchased_at + timedelta(days=5 if afn else 14)),
        "IsBusinessOrder": order.is_business,
        "IsPrime": order.is_prime,
        "IsPremiumOrder": False,
        "IsGlobalExpressEnabled": False,
        "IsReplacementOrder": False,
        "IsSoldByAB": False,
        "IsISPU": False,
        "IsAccessPointOrder": False,
        "HasRegulatedItems": False,
        "ShippingAddress": {
            "City": order.buyer.city,
            "StateOrRegion": order.buyer.state_or_region,
            "PostalCode": order.buyer.postal_code,
            "CountryCode": order.buyer.country_code,
        },
    }  # fmt: skip
    if status != "Canceled":
        out["OrderTotal"] = money(sum((buyer_paid(ln) for ln in order.lines), ZERO), order.currency)
    if order.is_business:
        out["BuyerInvoicePreference"] = "BUSINESS"
    return out


def render_order_pii(order: Order) -> JSON:
    """The restricted fields: merge into `render_order()` output only under an RDT."""
    b = order.buyer
    return {
        "BuyerInfo": {"BuyerEmail": b.email, "BuyerName": b.name},
        "ShippingAddress": {
            "Name": b.name,
            "AddressLine1": b.address_line1,
            "City": b.city,
            "StateOrRegion": b.state_or_region,
            "PostalCode": b.postal_code,
            "CountryCode": b.country_code,
            "Phone": b.phone,
            "AddressType": "Residential",
        },
    }


def render_order_items(order: Order, products: dict[str, Product], as_of: datetime) -> list[JSON]:
    cur = order.currency
    shipped = order_status(order, as_of) == "Shipped"
    inclusive = order.marketplace not in S.TAX_EXCLUSIVE_PRICES
    lang = S.LANGUAGE[order.marketplace]
    items = []
    for ln in order.lines:
        promo_tax = q(ln.promotion * ln.tax_rate, cur)
        item: JSON = {
            "ASIN": ln.asin,
            "SellerSKU": ln.sku,
            "OrderItemId": ln.order_item_id,
            "Title": products[ln.sku].names[lang],
            "QuantityOrdered": ln.quantity,
            "QuantityShipped": ln.quantity if shipped else 0,
            "ProductInfo": {"NumberOfItems": "1"},
            "IsGift": "false",
            "ConditionId": "New",
            "ConditionSubtypeId": "New",
            "IsTransparency": False,
            "SerialNumberRequired": False,
        }
        if not order.canceled:
            gross = ln.principal + (ln.tax + promo_tax if inclusive else ZERO)
            ship = ln.shipping + (ln.shipping_tax if inclusive else ZERO)
            promo = ln.promotion + (promo_tax if inclusive else ZERO)
            item |= {
                "ItemPrice": money(gross, cur),
                "ItemTax": money(ln.tax + promo_tax, cur),
                "ShippingPrice": money(ship, cur),
                "ShippingTax": money(ln.shipping_tax, cur),
                "ShippingDiscount": money(ZERO, cur),
                "ShippingDiscountTax": money(ZERO, cur),
                "PromotionDiscount": money(promo, cur),
                "PromotionDiscountTax": money(promo_tax, cur),
            }
            if ln.promotion_id:
                item["PromotionIds"] = [ln.promotion_id]
            if order.marketplace == "US":
                item["TaxCollection"] = {
                    "Model": "MarketplaceFacilitator",
                    "ResponsibleParty": "Amazon Services, Inc.",
                }
        items.append(item)
    return items
