"""Build a seeded synthetic seller world: domain model first, rendering later.

`build_world()` is the entry point. It runs small pure functions in order:
seller -> catalogue -> listings -> orders -> shipment postings -> refunds
(+ FBA / MFN returns) -> reimbursements -> settlement groups, then hands the
records to `SyntheticWorld`, which renders them into SP-API shapes.

Determinism: every random draw comes from a `random.Random` whose seed is
derived with hashlib from (seed, stream name, seller, marketplace), so the same
seed gives byte-identical output, and adding a new stream later does not shift
the draws of existing ones. No global `random`, no clock, no `hash()`.

Visibility cut: the world is observed at `as_of` (start + days + 1 day,
00:00 UTC). Anything that would post at or after `as_of` (a shipment posting up
to 48 h after a late order, a refund, a return, a reimbursement) is left out,
and orders that have not shipped by then are `Unshipped`.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from acorn.cashflow.mechanics import release_at
from acorn.marketplaces import BY_CODE, DEMO_CODES, Marketplace
from acorn_sim.world import ids
from acorn_sim.world import settings as S
from acorn_sim.world.interface import RegionCredentials
from acorn_sim.world.model import (
    CHARGE,
    FEE,
    PROMOTION,
    REIMBURSEMENT,
    WITHHELD,
    Buyer,
    Component,
    Deferral,
    FbaReturn,
    Listing,
    MfnReturn,
    Order,
    OrderLine,
    Posting,
    PostingItem,
    Product,
    Refund,
    Reimbursement,
    Seller,
    SettlementGroup,
)
from acorn_sim.world.money import ZERO, q
from acorn_sim.world.synthetic import SyntheticWorld, WorldData

log = logging.getLogger(__name__)

D = Decimal
ONE = Decimal(1)


def stream(seed: int, *key: object) -> random.Random:
    """An independent, reproducible random stream for one part of the world."""
    return random.Random(int.from_bytes(ids.digest(seed, *key)[:8], "big"))


def weighted(rng: random.Random, options: Sequence[tuple]) -> tuple:
    """Pick an option tuple whose second element is its weight."""
    return rng.choices(options, weights=[o[1] for o in options])[0]


# --------------------------------------------------------------------------- seller


def make_seller(seed: int, index: int, codes: Sequence[str]) -> Seller:
    rng = stream(seed, "seller", index)
    seller_id = "A" + ids.alnum(12, seed, "seller-id", index)
    brand = "".join(rng.choice(S.BRAND_SYLLABLES) for _ in range(2)).capitalize()
    regions = sorted({BY_CODE[c].region for c in codes})
    creds = tuple(
        RegionCredentials(
            region=r,
            client_id="amzn1.application-oa2-client." + ids.hex_id(32, seed, seller_id, r, "client"),
            client_secret="amzn1.oa2-cs.v1." + ids.hex_id(64, seed, seller_id, r, "secret"),
            refresh_token="Atzr|" + ids.hex_id(96, seed, seller_id, r, "refresh"),
        )
        for r in regions
    )
    fx = {}
    for c in codes:
        cur = BY_CODE[c].currency
        if cur not in fx:
            fx[cur] = (S.FX_TO_CNY[cur] * D(str(round(rng.uniform(0.98, 1.02), 4)))).quantize(D("0.000001"))
    tails = {c: ids.digits(3, seed, seller_id, "tail", BY_CODE[c].currency) for c in codes}
    return Seller(
        seller_id=seller_id,
        name=f"Shenzhen {brand} Trading Co., Ltd.",
        home_currency="CNY",
        marketplaces=tuple(codes),
        credentials=creds,
        fx_to_home=fx,
        account_tails=tails,
    )


# ------------------------------------------------------------------ catalogue


def make_catalogue(seed: int, seller: Seller) -> list[Product]:
    rng = stream(seed, "catalogue", seller.seller_id)
    brand = seller.name.split()[1]
    products = []
    for k, (category, tier, usd, names) in enumerate(S.PRODUCT_KINDS):
        for v in rng.sample(range(4), 4 if k % 3 == 0 else 3):
            sku = f"{brand[:3].upper()}-{k:02d}{v}-{ids.alnum(4, seed, seller.seller_id, k, v)}"
            local = {lang: f"{brand} {name}, {S.VARIANTS[lang][v]}" for lang, name in names.items()}
            products.append(
                Product(
                    sku=sku,
                    asin="B0" + ids.alnum(8, seed, "asin", sku),
                    fnsku="X00" + ids.alnum(7, seed, "fnsku", sku),
                    category=category,
                    size_tier=tier,
                    list_price_usd=D(usd),
                    names=local,
                )
            )
    return products


def shelf_price(usd: Decimal, mp: Marketplace, rng: random.Random) -> Decimal:
    """Convert a USD list price to a believable local shelf price (x.99, whole yen by 10)."""
    raw = usd * S.PRICE_LEVEL[mp.currency] * D(str(round(rng.uniform(0.92, 1.12), 3)))
    if mp.currency == "JPY":
        return D(max(1, int(raw / 10)) * 10 - 20) if raw > 100 else D(int(raw))
    return D(int(raw)) + D("0.99")


def referral_rate(category: str, code: str) -> Decimal:
    cat = S.CATEGORIES[category]
    if code == "JP":
        return cat.get("jp", cat["referral"])
    if BY_CODE[code].region == "eu":
        return cat.get("eu", cat["referral"])
    return cat["referral"]


def make_listings(seed: int, seller: Seller, products: Sequence[Product]) -> dict[tuple[str, str], Listing]:
    listings: dict[tuple[str, str], Listing] = {}
    for code in seller.marketplaces:
        mp = BY_CODE[code]
        rng = stream(seed, "listings", seller.seller_id, code)
        for p in products:
            if rng.random() < 0.12:  # not every SKU is listed everywhere
                continue
            channel = "MFN" if rng.random() < S.MFN_SHARE else "AFN"
            fee = D(S.FBA_FEE[code][p.size_tier]) if channel == "AFN" else ZERO
            ship = ZERO
            if channel == "MFN":
                ship = q(D("4.99") * S.PRICE_LEVEL[mp.currency] / (1 + S.TAX_RATE[code]), mp.currency)
            rate = S.CATEGORIES[p.category]["refund"] * S.REFUND_RATE_FACTOR.get(code, 1.0)
            listings[(p.sku, code)] = Listing(
                sku=p.sku,
                marketplace=code,
                channel=channel,
                shelf_price=shelf_price(p.list_price_usd, mp, rng),
                referral_rate=referral_rate(p.category, code),
                fba_fee=fee,
                refund_rate=rate,
                shipping_charge=ship,
            )
    return listings


# --------------------------------------------------------------------- orders


def daily_mean(day: date, code: str, orders_per_day: float) -> float:
    mean = orders_per_day * S.MARKETPLACE_WEIGHT.get(code, 0.05) * S.WEEKDAY_FACTOR[day.weekday()]
    ramp_start = date(day.year, *S.Q4_RAMP_START)
    if day >= ramp_start:
        progress = min(1.0, (day - ramp_start).days / 60)
        mean *= 1 + S.Q4_RAMP_PEAK * progress
    return mean


def poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


MAX_ADDRESS_DRAWS = 50


def make_buyer(
    rng: random.Random, seed: int, seller_id: str, code: str, index: int, taken: set[tuple[str, str, str]]
) -> Buyer:
    """A new buyer identity: one relay email per buyer per marketplace, a unique address."""
    lang = S.LANGUAGE[code]
    for _attempt in range(MAX_ADDRESS_DRAWS):
        city, region, pattern = rng.choice(S.PLACES[code])
        postal = "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in pattern)
        line1 = S.STREETS[lang].format(n=rng.randint(1, 180))
        if (line1, postal, city) not in taken:  # fresh; households and offices share later (overlaps)
            break
    else:
        # Big worlds exhaust the sampled address space (UK postcodes have few free
        # digits): rejection sampling would never end, so make this one unique by construction.
        line1 = f"{line1}, Flat {index}"
    taken.add((line1, postal, city))
    first, last = rng.choice(S.FIRST_NAMES[lang]), rng.choice(S.LAST_NAMES[lang])
    name = f"{last} {first}" if lang == "ja" else f"{first} {last}"
    buyer_id = ids.alnum(16, seed, "buyer", seller_id, code, index).lower()
    return Buyer(
        email=f"{buyer_id}@marketplace.{S.RELAY_DOMAIN[code]}",
        name=name,
        address_line1=line1,
        city=city,
        state_or_region=region,
        postal_code=postal,
        country_code="GB" if code == "UK" else code,
        phone="+" + ids.digits(11, seed, "phone", seller_id, code, index),
        buyer_id=buyer_id,
    )


def order_tax_rate(rng: random.Random, code: str) -> Decimal:
    """The order's jurisdiction rate: drawn per order in US/CA, else the standard rate."""
    if code == "US":
        return rng.choice(S.US_STATE_TAX)
    if code == "CA":
        return rng.choice(S.CA_PROVINCE_TAX)
    return S.TAX_RATE[code]


def category_tax_rate(code: str, tax_category: str) -> Decimal:
    """The rate of `tax_category` in a marketplace (settings.TAX_RATES).

    A marketplace without a documented reduced rate taxes reduced-category goods at its
    standard rate (settings.TAX_CATEGORY_FALLBACK) rather than at an invented one.
    """
    rate = S.TAX_RATE_BY_CATEGORY.get((code, tax_category))
    return rate if rate is not None else S.TAX_RATE_BY_CATEGORY[(code, S.TAX_CATEGORY_FALLBACK)]


def line_tax_rate(code: str, category: str, order_rate: Decimal) -> Decimal:
    """A line's rate: US/CA keep the order's jurisdiction rate (no category rates modelled
    there), elsewhere the rate of the product category's tax category."""
    if code in S.TAX_EXCLUSIVE_PRICES:
        return order_rate
    return category_tax_rate(code, S.CATEGORIES[category]["tax"])


def make_line(
    rng: random.Random, seed: int, order_id: str, n: int, listing: Listing, product: Product,
    qty: int, tax_rate: Decimal, charge_shipping: bool, currency: str,
) -> OrderLine:  # fmt: skip
    gross = listing.shelf_price * qty
    if listing.marketplace in S.TAX_EXCLUSIVE_PRICES:
        principal = q(gross, currency)
    else:
        principal = q(gross / (1 + tax_rate), currency)
    promo, promo_id = ZERO, None
    if rng.random() < S.PROMOTION_RATE:
        promo = q(principal * D(rng.choice(("0.10", "0.15", "0.20"))), currency)
        promo_id = "PLM-" + ids.alnum(8, seed, "promo", listing.marketplace, product.sku)
    tax = q((principal - promo) * tax_rate, currency)
    shipping = q(listing.shipping_charge * qty, currency) if charge_shipping else ZERO
    return OrderLine(
        order_item_id=ids.digits(14, seed, "order-item", order_id, n),
        sku=product.sku,
        asin=product.asin,
        quantity=qty,
        principal=principal,
        tax=tax,
        shipping=shipping,
        shipping_tax=q(shipping * tax_rate, currency),
        promotion=promo,
        promotion_id=promo_id,
        tax_rate=tax_rate,
    )


def make_orders(
    seed: int, seller: Seller, code: str, listings: dict[tuple[str, str], Listing],
    products: dict[str, Product], start: date, days: int, orders_per_day: float,
) -> list[Order]:  # fmt: skip
    mp = BY_CODE[code]
    tz = ZoneInfo(mp.time_zone)
    rng = stream(seed, "orders", seller.seller_id, code)
    by_channel: dict[str, list[Listing]] = {"AFN": [], "MFN": []}
    for (_sku, c), lst in sorted(listings.items()):
        if c == code:
            by_channel[lst.channel].append(lst)
    afn_share = len(by_channel["AFN"]) / max(1, len(by_channel["AFN"]) + len(by_channel["MFN"]))
    orders: list[Order] = []
    seen: set[str] = set()
    brng = stream(seed, "buyers", seller.seller_id, code)
    buyers: list[Buyer] = []
    addresses: set[tuple[str, str, str]] = set()
    for d in range(days):
        day = start + timedelta(days=d)
        for _ in range(poisson(rng, daily_mean(day, code, orders_per_day))):
            channel = "AFN" if (rng.random() < afn_share or not by_channel["MFN"]) else "MFN"
            pool = by_channel[channel]
            if not pool:
                continue
            hour = rng.choices(range(24), weights=S.HOUR_WEIGHTS)[0]
            local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=tz)
            purchased = local.astimezone(UTC)
            n = len(orders)
            order_id = ""
            salt = 0
            while not order_id or order_id in seen:
                prefix = rng.choice(S.ORDER_ID_PREFIXES[code])
                body = ids.digits(14, seed, "order-id", seller.seller_id, code, n, salt)
                order_id = f"{prefix}-{body[:7]}-{body[7:]}"
                salt += 1
            seen.add(order_id)
            is_prime = channel == "AFN" or rng.random() < 0.1
            tax_rate = order_tax_rate(rng, code)
            n_lines = rng.choices((1, 2, 3), weights=(88, 10, 2))[0]
            picks = rng.sample(pool, min(n_lines, len(pool)))
            lines = tuple(
                make_line(rng, seed, order_id, i, lst, products[lst.sku],
                          rng.choices((1, 2, 3), weights=(86, 11, 3))[0],
                          line_tax_rate(code, products[lst.sku].category, tax_rate),
                          channel == "MFN" and not is_prime, mp.currency)
                for i, lst in enumerate(picks)
            )  # fmt: skip
            if buyers and brng.random() < S.REPEAT_BUYER_SHARE:
                buyer = brng.choice(buyers)
            else:
                buyer = make_buyer(brng, seed, seller.seller_id, code, len(buyers), addresses)
                buyers.append(buyer)
            canceled = rng.random() < S.CANCEL_RATE
            shipped = None if canceled else purchased + timedelta(seconds=rng.randint(3600, 48 * 3600))
            transit = rng.uniform(1, 3.5) if channel == "AFN" else rng.uniform(5, 12)
            delivered = shipped + timedelta(days=transit) if shipped else None
            orders.append(
                Order(
                    order_id=order_id,
                    seller_id=seller.seller_id,
                    marketplace=code,
                    currency=mp.currency,
                    channel=channel,
                    purchased_at=purchased,
                    shipped_at=shipped,
                    delivered_at=delivered,
                    canceled=canceled,
                    is_prime=is_prime,
                    is_business=rng.random() < 0.04,
                    lines=lines,
                    buyer=buyer,
                    tax_rate=tax_rate,
                )
            )
    return orders


# ------------------------------------------------------------------- postings


def commission_base(order: Order, line: OrderLine) -> Decimal:
    """Referral fees are charged on what the buyer pays; US/CA shelf prices exclude tax."""
    base = line.principal - line.promotion + line.shipping
    if order.marketplace not in S.TAX_EXCLUSIVE_PRICES:
        base += line.tax + line.shipping_tax
    return base


def shipment_components(order: Order, line: OrderLine, listing: Listing) -> tuple[Component, ...]:
    cur = order.currency
    comps = [Component(CHARGE, "Principal", line.principal), Component(CHARGE, "Tax", line.tax)]
    if line.shipping:
        comps += [Component(CHARGE, "ShippingCharge", line.shipping),
                  Component(CHARGE, "ShippingTax", line.shipping_tax)]  # fmt: skip
    if line.promotion:
        comps.append(Component(PROMOTION, "Principal", -line.promotion, line.promotion_id))
    if order.marketplace in S.TAX_WITHHELD_MODEL:
        comps.append(Component(WITHHELD, "MarketplaceFacilitatorTax-Principal", -line.tax))
        if line.shipping_tax:
            comps.append(Component(WITHHELD, "MarketplaceFacilitatorTax-Shipping", -line.shipping_tax))
    comps.append(Component(FEE, "Commission", -q(commission_base(order, line) * listing.referral_rate, cur)))
    if order.channel == "AFN":
        comps.append(Component(FEE, "FBAPerUnitFulfillmentFee", -q(listing.fba_fee * line.quantity, cur)))
    return tuple(comps)


def deferral_days(order: Order, review: tuple[datetime, datetime] | None = None) -> int:
    """DD+7, or DD+14 for an order delivered while its seller is under review (`review` = [from, to))."""
    assert order.delivered_at is not None
    if review is not None and review[0] <= order.delivered_at < review[1]:
        return S.REVIEW_DEFERRAL_DAYS
    return S.DEFERRAL_DAYS


def shipment_posting(
    seed: int, order: Order, listings: dict[tuple[str, str], Listing], products: dict[str, Product],
    rng: random.Random, review: tuple[datetime, datetime] | None = None,
) -> Posting:  # fmt: skip
    """The order's Shipment posting; a deferred one is released at 00:00 local of delivery date + N + 1
    (`acorn.cashflow.mechanics.release_at`, N = `deferral_days`)."""
    assert order.shipped_at is not None and order.delivered_at is not None
    items = tuple(
        PostingItem(
            order_item_id=line.order_item_id,
            sku=line.sku,
            asin=line.asin,
            fnsku=products[line.sku].fnsku,
            quantity=line.quantity,
            components=shipment_components(order, line, listings[(line.sku, order.marketplace)]),
        )
        for line in order.lines
    )
    deferral = None
    if rng.random() < S.DEFERRED_SHARE:
        days = deferral_days(order, review)
        deferral = Deferral(f"DD{days}", release_at(order.delivered_at, BY_CODE[order.marketplace].time_zone, days))
    return Posting(
        posting_id=ids.hex_id(32, seed, "txn", "Shipment", order.order_id),
        kind="Shipment",
        seller_id=order.seller_id,
        marketplace=order.marketplace,
        currency=order.currency,
        posted_at=order.shipped_at,
        channel=order.channel,
        items=items,
        order_id=order.order_id,
        shipment_id="D" + ids.alnum(8, seed, "shipment", order.order_id),
        deferral=deferral,
    )


def holiday_return_deadline(order: Order) -> datetime | None:
    """End (exclusive, UTC) of the extended holiday return window for an order bought in its
    marketplace's holiday period (settings.HOLIDAY_RETURN_WINDOWS, local dates); else None."""
    window = S.HOLIDAY_RETURN_WINDOWS.get(order.marketplace)
    if window is None:
        return None
    tz = ZoneInfo(BY_CODE[order.marketplace].time_zone)
    bought = order.purchased_at.astimezone(tz).date()
    if not date(bought.year, *window.purchased_from) <= bought <= date(bought.year, *window.purchased_to):
        return None
    last_day = date(bought.year + 1, *window.return_by)
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)


def return_window_end(order: Order) -> datetime:
    """When the buyer's return window closes: 30 days after delivery (POLICIES.md §3), or the
    holiday deadline if the order falls in the holiday extension and that is later."""
    assert order.delivered_at is not None
    end = order.delivered_at + timedelta(days=S.RETURN_WINDOW_DAYS)
    deadline = holiday_return_deadline(order)
    return max(end, deadline) if deadline is not None else end


def refund_requested_at(order: Order, rng: random.Random) -> datetime:
    """When a clean refund is requested: within REFUND_REQUEST_MAX_DAYS of delivery, or for a
    share of holiday-window orders a gift return after Christmas. Either way it stays
    RETURN_WINDOW_DAYS - REFUND_REQUEST_MAX_DAYS days clear of the window's end; the few
    procrastinators who request in its last days are moved there later (overlaps.py)."""
    assert order.delivered_at is not None
    requested = order.delivered_at + timedelta(hours=rng.randint(20, S.REFUND_REQUEST_MAX_DAYS * 24))
    if holiday_return_deadline(order) is None or rng.random() >= S.HOLIDAY_GIFT_RETURN_SHARE:
        return requested
    tz = ZoneInfo(BY_CODE[order.marketplace].time_zone)
    year = order.purchased_at.astimezone(tz).year
    after_holidays = datetime.combine(date(year, *S.HOLIDAY_GIFT_RETURNS_FROM), time(0), tzinfo=tz)
    earliest = max(order.delivered_at + timedelta(hours=20), after_holidays.astimezone(UTC))
    latest = return_window_end(order) - timedelta(days=S.RETURN_WINDOW_DAYS - S.REFUND_REQUEST_MAX_DAYS)
    if earliest >= latest:
        return requested
    return earliest + timedelta(seconds=rng.randint(0, int((latest - earliest).total_seconds())))


def make_refund(seed: int, order: Order, rng: random.Random) -> Refund | None:
    """Draw whether (and how) an order is refunded; None if it is not."""
    if order.canceled or order.delivered_at is None:
        return None
    line = rng.choice(order.lines)
    # one draw per order against the line's listing rate is done by the caller
    full = rng.random() >= S.PARTIAL_REFUND_SHARE
    fraction = D(1) if full else D(rng.choice(("0.20", "0.25", "0.30", "0.50")))
    requested = refund_requested_at(order, rng)
    lag = rng.uniform(0.2, 4) if order.channel == "AFN" else rng.uniform(5, 12)
    if not full:
        lag = rng.uniform(0.1, 2)
    return_delivered = None
    if order.channel == "MFN" and full:
        # the seller refunds within two business days of the return's delivery (POLICIES.md §5);
        # 1.8 calendar days is always inside that
        return_delivered = requested + timedelta(days=rng.uniform(3, 9))
        lag = (return_delivered - requested).total_seconds() / 86400 + rng.uniform(0.1, 1.8)
    reasons = S.FBA_RETURN_REASONS if order.channel == "AFN" else S.MFN_RETURN_REASONS
    return Refund(
        refund_id=ids.digits(14, seed, "refund", order.order_id),
        order_id=order.order_id,
        marketplace=order.marketplace,
        requested_at=requested,
        posted_at=requested + timedelta(days=lag),
        lines=((line.order_item_id, line.quantity, fraction),),
        full=full,
        reason=weighted(rng, reasons)[0],
        return_delivered_at=return_delivered,
    )


def refund_components(
    order: Order, line: OrderLine, shipment: PostingItem, fraction: Decimal, full: bool,
    *, principal_factor: Decimal = ONE, tax_rate: Decimal | None = None, admin_fee: Decimal | None = None,
    admin_fee_charged: bool = True,
) -> tuple[Component, ...]:  # fmt: skip
    """The components of refunding `fraction` of a line.

    The keyword arguments exist for injected anomalies only (ground_truth.py): an over-refund
    scales Principal and Tax, a tax mismatch recomputes Tax at a wrong `tax_rate`, a fee error
    charges a given RefundCommission `admin_fee`; A-to-z claims and chargebacks carry no
    refund administration fee (`admin_fee_charged=False`).
    """
    cur = order.currency
    code = order.marketplace
    refunded_tax = q(line.tax * fraction * principal_factor, cur)
    if tax_rate is not None:
        refunded_tax = q((line.principal - line.promotion) * fraction * tax_rate, cur)
    comps = [Component(CHARGE, "Principal", -q(line.principal * fraction * principal_factor, cur)),
             Component(CHARGE, "Tax", -refunded_tax)]  # fmt: skip
    if full and line.shipping:
        comps += [Component(CHARGE, "ShippingCharge", -line.shipping),
                  Component(CHARGE, "ShippingTax", -line.shipping_tax)]  # fmt: skip
    if line.promotion:
        comps.append(Component(PROMOTION, "Principal", q(line.promotion * fraction, cur), line.promotion_id))
    if code in S.TAX_WITHHELD_MODEL:
        comps.append(Component(WITHHELD, "MarketplaceFacilitatorTax-Principal", refunded_tax))
        if full and line.shipping_tax:
            comps.append(Component(WITHHELD, "MarketplaceFacilitatorTax-Shipping", line.shipping_tax))
    charged = -next(c.amount for c in shipment.components if c.name == "Commission")
    credited = charged if full else q(charged * fraction, cur)
    rate, cap, _source = S.REFUND_ADMIN_FEE[code]
    comps.append(Component(FEE, "Commission", credited))
    if admin_fee_charged:
        fee = min(cap, q(credited * rate, cur)) if admin_fee is None else admin_fee
        comps.append(Component(FEE, "RefundCommission", -fee))
    return tuple(comps)


def refund_posting(
    seed: int, refund: Refund, order: Order, shipment: Posting, *, kind: str = "Refund",
    posting_id: str | None = None, **tweaks: Any,
) -> Posting:  # fmt: skip
    """A Refund posting (or, with `kind`, a GuaranteeClaim / Chargeback one) for `refund`."""
    lines = {ln.order_item_id: ln for ln in order.lines}
    ship_items = {i.order_item_id: i for i in shipment.items}
    items = tuple(
        PostingItem(
            order_item_id=oid,
            sku=lines[oid].sku,
            asin=lines[oid].asin,
            fnsku=ship_items[oid].fnsku,
            quantity=qty,
            components=refund_components(order, lines[oid], ship_items[oid], fraction, refund.full, **tweaks),
            adjustment_item_id=ids.digits(14, seed, "adj-item", refund.refund_id, oid),
        )
        for oid, qty, fraction in refund.lines
    )
    return Posting(
        posting_id=posting_id or ids.hex_id(32, seed, "txn", kind, refund.refund_id),
        kind=kind,
        seller_id=order.seller_id,
        marketplace=order.marketplace,
        currency=order.currency,
        posted_at=refund.posted_at,
        channel=order.channel,
        items=items,
        order_id=order.order_id,
        refund_id=refund.refund_id,
    )


# -------------------------------------------------------------------- returns


def make_fba_return(
    seed: int, refund: Refund, order: Order, product: Product, rng: random.Random
) -> FbaReturn:
    code = order.marketplace
    disposition, _w, status = weighted(rng, S.DISPOSITIONS)
    oid, qty, _f = refund.lines[0]
    return FbaReturn(
        marketplace=code,
        return_date=refund.posted_at + timedelta(hours=rng.randint(-48, 14 * 24)),
        order_id=order.order_id,
        sku=product.sku,
        asin=product.asin,
        fnsku=product.fnsku,
        product_name=product.names[S.LANGUAGE[code]],
        quantity=qty,
        fulfillment_center_id=rng.choice(S.FULFILLMENT_CENTERS[code]),
        detailed_disposition=disposition,
        reason=refund.reason,
        status=status,
        license_plate_number="LPN" + ids.alnum(10, seed, "lpn", refund.refund_id, oid),
        customer_comments=rng.choice(S.CUSTOMER_COMMENTS),
    )


MFN_SELLER_FAULT_REASONS = frozenset({"CR-DEFECTIVE", "AMZ-PG-BAD-DESC", "CR-SWITCHEROO", "CR-MISSING_PARTS"})


def mfn_label_payer(reason: str) -> str:
    """Who pays the MFN return label: the seller when the buyer claims the seller's fault."""
    return "Seller" if reason in MFN_SELLER_FAULT_REASONS else "Customer"


def make_mfn_return(
    seed: int, refund: Refund, order: Order, product: Product, as_of: datetime, rng: random.Random
) -> MfnReturn:
    code = order.marketplace
    cur = order.currency
    oid, qty, _f = refund.lines[0]
    line = next(ln for ln in order.lines if ln.order_item_id == oid)
    delivered = refund.return_delivered_at or refund.requested_at + timedelta(days=rng.uniform(3, 9))
    order_amount = sum((ln.principal - ln.promotion + ln.tax + ln.shipping + ln.shipping_tax
                        for ln in order.lines), ZERO)  # fmt: skip
    refunded = line.principal - line.promotion + line.tax + line.shipping + line.shipping_tax
    prepaid = code == "US"
    return MfnReturn(
        marketplace=code,
        order_id=order.order_id,
        order_date=order.purchased_at,
        return_request_date=refund.requested_at,
        return_request_status="Closed" if refund.posted_at < as_of else "Approved",
        amazon_rma_id="D" + ids.alnum(8, seed, "rma", refund.refund_id) + "RRMA",
        label_type="AmazonPrePaidLabel" if prepaid else "AmazonUnPaidLabel",
        label_cost=q(D(rng.uniform(5.5, 9.5)), cur) if prepaid else ZERO,
        currency=cur,
        return_carrier=S.RETURN_CARRIERS.get(code, "DHL"),
        tracking_id=("1Z" if prepaid else "") + ids.alnum(16, seed, "track", refund.refund_id),
        label_to_be_paid_by=mfn_label_payer(refund.reason),
        is_prime=order.is_prime,
        asin=product.asin,
        sku=product.sku,
        item_name=product.names[S.LANGUAGE[code]],
        quantity=qty,
        reason=refund.reason,
        in_policy=True,
        resolution="StandardRefund",
        return_delivery_date=delivered if delivered < as_of else None,
        order_amount=order_amount,
        order_quantity=sum(ln.quantity for ln in order.lines),
        refunded_amount=refunded if refund.posted_at < as_of else ZERO,
    )


# ------------------------------------------------------------- reimbursements


def reimbursement_posting(seed: int, seller_id: str, r: Reimbursement) -> Posting:
    code = {
        "CustomerReturn": "CUSTOMER_RETURN",
        "Lost_Warehouse": "WAREHOUSE_LOST",
        "Damaged_Warehouse": "WAREHOUSE_DAMAGE",
        "Reimbursement_Reversal": "REVERSAL_REIMBURSEMENT",
    }[r.reason]
    item = PostingItem(
        order_item_id=None,
        sku=r.sku,
        asin=r.asin,
        fnsku=r.fnsku,
        quantity=r.quantity_cash,
        components=(Component(REIMBURSEMENT, code, r.amount_total),),
        description=r.product_name,
    )
    return Posting(
        posting_id=ids.hex_id(32, seed, "txn", "Reimbursement", r.reimbursement_id),
        kind="Reimbursement",
        seller_id=seller_id,
        marketplace=r.marketplace,
        currency=r.currency,
        posted_at=r.approval_date,
        channel="AFN",
        items=(item,),
        order_id=r.order_id,
        reimbursement_id=r.reimbursement_id,
        adjustment_type="REVERSAL_REIMBURSEMENT" if r.reason == "Reimbursement_Reversal"
        else "FBAInventoryReimbursement",
    )  # fmt: skip


def new_reimbursement(
    seed: int, code: str, when: datetime, reason: str, product: Product, listing: Listing,
    qty: int, per_unit: Decimal, order_id: str | None, rng: random.Random,
) -> Reimbursement:  # fmt: skip
    cur = BY_CODE[code].currency
    rid = ids.digits(10, seed, "reimb", code, product.sku, when.isoformat(), reason, order_id)
    return Reimbursement(
        reimbursement_id=rid,
        marketplace=code,
        approval_date=when,
        case_id=ids.digits(11, seed, "case", rid) if rng.random() < 0.3 else "",
        order_id=order_id,
        reason=reason,
        sku=product.sku,
        fnsku=product.fnsku,
        asin=product.asin,
        product_name=product.names[S.LANGUAGE[code]],
        condition="New" if reason != "CustomerReturn" else "Used_Like_New",
        currency=cur,
        amount_per_unit=q(per_unit, cur),
        amount_total=q(per_unit, cur) * qty,
        quantity_cash=qty,
        quantity_inventory=0,
    )


def reversal_of(seed: int, r: Reimbursement, when: datetime) -> Reimbursement:
    return Reimbursement(
        reimbursement_id=ids.digits(10, seed, "reversal", r.reimbursement_id),
        marketplace=r.marketplace,
        approval_date=when,
        case_id=r.case_id,
        order_id=r.order_id,
        reason="Reimbursement_Reversal",
        sku=r.sku,
        fnsku=r.fnsku,
        asin=r.asin,
        product_name=r.product_name,
        condition=r.condition,
        currency=r.currency,
        amount_per_unit=-r.amount_per_unit,
        amount_total=-r.amount_total,
        quantity_cash=-r.quantity_cash,
        quantity_inventory=r.quantity_cash,
        original_reimbursement_id=r.reimbursement_id,
        original_reimbursement_type=r.reason,
    )


def warehouse_reimbursements(
    seed: int, seller: Seller, code: str, listings: dict[tuple[str, str], Listing],
    products: dict[str, Product], start: date, days: int,
) -> list[Reimbursement]:  # fmt: skip
    """Lost/damaged-in-warehouse reimbursements at manufacturing cost (POLICIES §1, 10 Mar 2025)."""
    rng = stream(seed, "warehouse", seller.seller_id, code)
    afn = [lst for (_s, c), lst in sorted(listings.items()) if c == code and lst.channel == "AFN"]
    out = []
    if not afn:
        return out
    for _ in range(poisson(rng, days / 12 * max(0.3, S.MARKETPLACE_WEIGHT.get(code, 0.05) * 2))):
        lst = rng.choice(afn)
        when = datetime.combine(start, time(6), tzinfo=UTC) + timedelta(minutes=rng.randint(0, days * 1440))
        reason = rng.choice(("Lost_Warehouse", "Damaged_Warehouse"))
        cost = lst.shelf_price * D(str(round(rng.uniform(0.25, 0.4), 2)))
        out.append(new_reimbursement(seed, code, when, reason, products[lst.sku], lst,
                                     rng.randint(1, 3), cost, None, rng))  # fmt: skip
    return out


# --------------------------------------------------------------- settlements


def make_groups(
    seed: int, seller: Seller, code: str, postings: Sequence[Posting], start: date, as_of: datetime
) -> list[SettlementGroup]:
    """Cut one marketplace's settled postings into 14-day (JP 7-day) settlement groups."""
    mp = BY_CODE[code]
    rng = stream(seed, "groups", seller.seller_id, code)
    cycle = timedelta(days=S.SETTLEMENT_CYCLE_DAYS.get(code, 14))
    offset = timedelta(days=rng.randrange(cycle.days), hours=rng.randrange(24), minutes=rng.randrange(60))
    anchor = datetime.combine(start, time(0), tzinfo=UTC) - offset
    settled = sorted(
        (p for p in postings if p.settles_at() < as_of), key=lambda p: (p.settles_at(), p.posting_id)
    )
    groups = []
    i = 0
    g_start = anchor
    while g_start < as_of:
        g_end = g_start + cycle
        members = [p for p in settled if g_start <= p.settles_at() < g_end]
        closed = g_end <= as_of
        transfer = g_end + timedelta(minutes=rng.randint(60, 6 * 60)) if closed else None
        key = (seed, seller.seller_id, code, i)
        groups.append(
            SettlementGroup(
                group_id=ids.b64_id(43, "feg", *key),
                settlement_id=ids.digits(11, "settlement", *key),
                seller_id=seller.seller_id,
                marketplace=code,
                currency=mp.currency,
                start=g_start,
                end=g_end,
                closed=closed,
                fund_transfer_date=transfer,
                trace_id=ids.alnum(15, "trace", *key) if closed else None,
                account_tail=seller.account_tails[code],
                fx_rate=seller.fx_to_home[mp.currency],
                posting_ids=tuple(p.posting_id for p in members),
                total=sum((p.total for p in members), ZERO),
            )
        )
        g_start = g_end
        i += 1
    return groups


# ---------------------------------------------------------------- assembly


def reimbursement_value(line: OrderLine, ship_item: PostingItem, qty: int, currency: str) -> Decimal:
    """What Amazon owes for `qty` units lost after a customer order: sales price minus fees.

    POLICIES.md §1 (10 Mar 2025): (Principal - promotion + Commission + FBA fee) per unit,
    fees being negative components of the shipment line; never below zero.
    """
    fees = sum((c.amount for c in ship_item.components if c.kind == FEE), ZERO)
    per_unit = q(max(ZERO, (line.principal - line.promotion + fees) / line.quantity), currency)
    return per_unit * qty


def returnless_eligible(line: OrderLine, code: str) -> bool:
    """Amazon grants returnless refunds only on cheap units (settings.RETURNLESS_MAX_PRICE_USD)."""
    unit = line.principal / line.quantity
    return unit <= S.RETURNLESS_MAX_PRICE_USD * S.PRICE_LEVEL[BY_CODE[code].currency]


def chargeback_posting(seed: int, order: Order, shipment: Posting, when: datetime) -> Posting:
    """A card chargeback on the whole order: like a full refund without the admin fee."""
    cb = Refund(
        refund_id=ids.digits(14, seed, "chargeback", order.order_id),
        order_id=order.order_id,
        marketplace=order.marketplace,
        requested_at=when,
        posted_at=when,
        lines=tuple((ln.order_item_id, ln.quantity, D(1)) for ln in order.lines),
        full=True,
        reason="CHARGEBACK",
    )
    return refund_posting(seed, cb, order, shipment, kind="Chargeback", admin_fee_charged=False)


def build_marketplace(
    seed: int, seller: Seller, code: str, listings: dict[tuple[str, str], Listing],
    products: dict[str, Product], start: date, days: int, orders_per_day: float, as_of: datetime,
    data: WorldData, *, anomalies: bool = True, cashflow_scenarios: Mapping[str, str] | None = None,
) -> None:  # fmt: skip
    """Generate one seller x marketplace slice and append it to `data`.

    Clean records first (orders, postings, returns, reimbursements), then the injected
    anomalies (`acorn_sim.world.anomalies`, recorded in `data.ground_truth`), then the clean
    behaviour that looks like fraud (`acorn_sim.world.overlaps`), then settlements, then the
    cash-flow scenarios (`acorn_sim.world.cashflow_scenarios`; `cashflow_scenarios` maps a
    scenario to its marketplace code, default `DEFAULT_SCENARIOS` when `anomalies`, else none).
    """
    from acorn_sim.world import cashflow_scenarios as CF
    from acorn_sim.world import overlaps  # both import this module
    from acorn_sim.world.anomalies import (
        Slice,
        inject_records,
        inject_settlements,
        record_deferred,
    )

    if cashflow_scenarios is None:
        cashflow_scenarios = CF.DEFAULT_SCENARIOS if anomalies else {}
    scenarios = CF.scenarios_for(code, cashflow_scenarios)
    review = CF.review_span(as_of) if "review" in scenarios else None
    orders = make_orders(seed, seller, code, listings, products, start, days, orders_per_day)
    orders = overlaps.share_addresses(seed, seller.seller_id, code, orders)
    sl = Slice(seed=seed, seller=seller, code=code, as_of=as_of, listings=listings, products=products,
               orders=orders, days=days, orders_per_day=orders_per_day)  # fmt: skip
    rng = stream(seed, "money", seller.seller_id, code)
    cb_rng = stream(seed, "chargebacks", seller.seller_id, code)
    reimbursements: list[Reimbursement] = []
    for order in orders:
        if order.canceled or order.shipped_at is None or order.shipped_at >= as_of:
            continue
        shipment = shipment_posting(seed, order, listings, products, rng, review)
        sl.shipments[order.order_id] = shipment
        rate = max(listings[(ln.sku, code)].refund_rate for ln in order.lines)
        if rng.random() >= rate:
            assert order.delivered_at is not None
            if cb_rng.random() < S.CHARGEBACK_RATE:
                when = order.delivered_at + timedelta(days=cb_rng.uniform(10, 40))
                if when < as_of:
                    sl.extra_postings.append(chargeback_posting(seed, order, shipment, when))
            continue
        refund = make_refund(seed, order, rng)
        if refund is None or refund.requested_at >= as_of:
            continue
        line = next(ln for ln in order.lines if ln.order_item_id == refund.lines[0][0])
        product = products[line.sku]
        if order.channel == "MFN" and refund.full:
            sl.mfn_returns.append(make_mfn_return(seed, refund, order, product, as_of, rng))
        if refund.posted_at >= as_of:
            continue
        sl.refunds.append(refund)
        sl.refund_postings[refund.refund_id] = refund_posting(seed, refund, order, shipment)
        if order.channel != "AFN" or not refund.full:
            continue
        ship_item = next(i for i in shipment.items if i.order_item_id == line.order_item_id)
        value = reimbursement_value(line, ship_item, refund.lines[0][1], order.currency)
        roll = rng.random()
        if roll < S.RETURNLESS_SHARE and returnless_eligible(line, code):
            continue  # returnless refund: the buyer keeps the (cheap) unit
        if roll < S.RETURNLESS_SHARE + 0.08:  # the unit never comes back -> reimbursed later
            when = refund.posted_at + timedelta(days=S.CLAIM_WINDOW_OPEN_DAYS[code] + rng.uniform(0, 10))
            if when < as_of:
                qty = refund.lines[0][1]
                reimbursements.append(new_reimbursement(
                    seed, code, when, "CustomerReturn", product, listings[(product.sku, code)],
                    qty, value / qty, order.order_id, rng))  # fmt: skip
            continue
        ret = make_fba_return(seed, refund, order, product, rng)
        if ret.return_date < as_of:
            sl.fba_returns.append(ret)
            if ret.status == "Reimbursed":  # carrier / warehouse damaged on the way back
                when = ret.return_date + timedelta(days=rng.uniform(*S.REIMBURSED_RETURN_LAG_DAYS))
                if when < as_of:
                    reimbursements.append(new_reimbursement(
                        seed, code, when, "CustomerReturn", product, listings[(product.sku, code)],
                        ret.quantity, value / ret.quantity, order.order_id, rng))  # fmt: skip
    reimbursements += warehouse_reimbursements(seed, seller, code, listings, products, start, days)
    rev_rng = stream(seed, "reversals", seller.seller_id, code)
    for r in sorted(reimbursements, key=lambda r: (r.approval_date, r.reimbursement_id)):
        sl.reimbursements.append(r)
        # clean reversals: a unit reported lost in the warehouse turns up again
        if r.reason == "Lost_Warehouse" and rev_rng.random() < 0.25:
            x = reversal_of(seed, r, r.approval_date + timedelta(days=rev_rng.uniform(7, 30)))
            if x.approval_date < as_of:
                sl.reimbursements.append(x)
    if anomalies:
        inject_records(sl)
    overlaps.legit_returns(sl)  # clean look-alikes of fraud, on orders no anomaly took
    postings = sl.postings()
    groups = make_groups(seed, seller, code, postings, start, as_of)
    negative = CF.negative_carry(sl, groups) if "negative_carry" in scenarios else None
    if negative is not None:  # the chargebacks move money: cut the groups again (same boundaries)
        postings = sl.postings()
        groups = make_groups(seed, seller, code, postings, start, as_of)
    if anomalies:
        groups = inject_settlements(sl, groups, postings)
        record_deferred(sl, postings)
    spec: dict[str, Any] = {}
    if "reserve" in scenarios and (reserve := CF.reserve_spec(sl, groups)) is not None:
        spec["reserves"] = [reserve]
        CF.record_reserve(sl, reserve)
    if "payout_failure" in scenarios and (failure := CF.failure_spec(sl, groups, postings)) is not None:
        spec["failure"] = failure
    if spec or negative is not None or review is not None:
        led = CF.ledger(sl, groups, postings, spec)
        if "failure" in spec:
            CF.record_failure(sl, spec["failure"], led)
        if negative is not None:
            CF.record_negative(sl, next(g for g in groups if g.group_id == negative.group_id), led)
        if review is not None:
            CF.record_review(sl, postings)
    if spec:
        data.cashflow[(seller.seller_id, code)] = spec
    data.orders.extend(sl.orders)
    data.refunds.extend(sl.refunds)
    data.fba_returns.extend(sl.fba_returns)
    data.mfn_returns.extend(sl.mfn_returns)
    data.reimbursements.extend(sl.reimbursements)
    data.postings.extend(postings)
    data.groups.extend(groups)
    data.ground_truth.extend(sl.truth)


def build_world(
    seed: int = 7,
    *,
    start: date = date(2026, 8, 1),
    days: int = 90,
    sellers: int = 1,
    marketplaces: Sequence[str] = DEMO_CODES,
    orders_per_day: float = S.DEFAULT_ORDERS_PER_DAY,
    anomalies: bool = True,
    cashflow_scenarios: Mapping[str, str] | None = None,
) -> SyntheticWorld:
    """Build a seeded synthetic seller world.

    Args:
        seed: the only source of randomness; the same seed gives byte-identical payloads.
        start: first order day (UTC calendar date; purchase times are local to each marketplace).
        days: number of order days.
        sellers: number of seller accounts; each sells in every marketplace given.
        marketplaces: marketplace codes (or ids) to sell in.
        orders_per_day: mean daily orders in the US before weekday/Q4 factors; every other
            marketplace gets this times its `settings.MARKETPLACE_WEIGHT` (UK 0.45, SE 0.05 ...).
        anomalies: inject the anomalies listed in `acorn_sim.world.ground_truth` (recorded in
            `SyntheticWorld.ground_truth()`); False builds a clean world.
        cashflow_scenarios: scenario name -> marketplace code (`acorn_sim.world.cashflow_scenarios`:
            review, reserve, payout_failure, negative_carry); None: all four (DE, FR, IT, PL)
            when `anomalies`, none otherwise; `{}` switches them all off.

    Returns:
        A `SyntheticWorld` implementing `acorn_sim.world.interface.World`, observed at
        `as_of = start + days + 1 day` 00:00 UTC.
    """
    codes = tuple(BY_CODE[m].code if m in BY_CODE else _code_of(m) for m in marketplaces)
    as_of = datetime.combine(start + timedelta(days=days + 1), time(0), tzinfo=UTC)
    data = WorldData(as_of=as_of)
    for index in range(sellers):
        seller = make_seller(seed, index, codes)
        products = make_catalogue(seed, seller)
        by_sku = {p.sku: p for p in products}
        listings = make_listings(seed, seller, products)
        data.sellers.append(seller)
        data.products[seller.seller_id] = by_sku
        for code in codes:
            build_marketplace(seed, seller, code, listings, by_sku, start, days, orders_per_day, as_of, data,
                              anomalies=anomalies, cashflow_scenarios=cashflow_scenarios)  # fmt: skip
    log.info("built world seed=%s: %d orders, %d postings, %d anomalies", seed, len(data.orders),
             len(data.postings), len(data.ground_truth))  # fmt: skip
    return SyntheticWorld(data)


def _code_of(marketplace_id: str) -> str:
    from acorn.marketplaces import get

    return get(marketplace_id).code
