"""Inject realistic anomalies into one seller x marketplace slice; record each in ground truth.

The generator builds a clean `Slice` (orders, postings, returns, reimbursements), then
`inject_records()` tampers with a few records and `inject_settlements()` with a few
settlement groups. Every anomaly is real in the served data (see ground_truth.py for the
kinds, their keys and amounts) and is appended to `Slice.truth`.

How many: `quota()` gives each marketplace its share of
`settings.ANOMALIES_PER_10K_ORDERS[kind] x expected orders / 10,000` by cumulative
`MARKETPLACE_WEIGHT` with a seeded phase, so a seller's total per kind is the rounded target
exactly (unless a marketplace runs out of candidates) and the slices stay independent: any
(seller, marketplace) shard can be generated alone. Each order carries at most one anomaly
(`Slice.taken`), so a detector's finding maps to one ground-truth row.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from acorn import business_calendar
from acorn.marketplaces import BY_CODE
from acorn_sim.world import generator as G
from acorn_sim.world import ids
from acorn_sim.world import settings as S
from acorn_sim.world.ground_truth import GroundTruthRow, KeyValue, make_row
from acorn_sim.world.model import (
    CHARGE,
    PROMOTION,
    Buyer,
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
from acorn_sim.world.money import ZERO, q, quantum
from acorn_sim.world.render_reports import settlement_created_at

D = Decimal


@dataclass
class Slice:
    """One seller x marketplace's records while they are generated and tampered with."""

    seed: int
    seller: Seller
    code: str
    as_of: datetime
    listings: dict[tuple[str, str], Listing]
    products: dict[str, Product]
    orders: list[Order]
    days: int
    orders_per_day: float
    shipments: dict[str, Posting] = field(default_factory=dict)  # order_id -> Shipment posting
    refunds: list[Refund] = field(default_factory=list)
    refund_postings: dict[str, Posting] = field(default_factory=dict)  # refund_id -> Refund posting
    extra_postings: list[Posting] = field(default_factory=list)  # duplicates, claims, chargebacks
    fba_returns: list[FbaReturn] = field(default_factory=list)
    mfn_returns: list[MfnReturn] = field(default_factory=list)
    reimbursements: list[Reimbursement] = field(default_factory=list)
    truth: list[GroundTruthRow] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)  # order ids already carrying an anomaly

    @property
    def currency(self) -> str:
        return BY_CODE[self.code].currency

    def postings(self) -> list[Posting]:
        return (
            list(self.shipments.values())
            + list(self.refund_postings.values())
            + self.extra_postings
            + [G.reimbursement_posting(self.seed, self.seller.seller_id, r) for r in self.reimbursements]
        )

    def record(
        self, kind: str, keys: dict[str, KeyValue], amount: Decimal | None, detail: str, when: datetime,
        order_ids: tuple[str, ...] = (),
    ) -> None:  # fmt: skip
        self.taken.update(order_ids)
        self.truth.append(make_row(kind, self.seller.seller_id, BY_CODE[self.code].marketplace_id,
                                   self.currency, keys, amount, detail, when))  # fmt: skip


# ------------------------------------------------------------------ helpers


def quota(sl: Slice, kind: str, per_10k: float | None = None) -> int:
    """This marketplace's share of the seller's target count for `kind` (see module doc);
    `per_10k` gives the rate of something that is not an anomaly kind (overlaps.py)."""
    codes = sl.seller.marketplaces
    weights = [S.MARKETPLACE_WEIGHT.get(c, 0.05) for c in codes]
    total = sum(weights)
    rate = S.ANOMALIES_PER_10K_ORDERS[kind] if per_10k is None else per_10k
    target = rate * sl.days * sl.orders_per_day * total / 10_000
    i = codes.index(sl.code)
    phase = int.from_bytes(ids.digest(sl.seed, "anomaly-phase", sl.seller.seller_id, kind)[:8], "big") / 2**64
    upper = target if i == len(codes) - 1 else target * sum(weights[: i + 1]) / total
    lower = target * sum(weights[:i]) / total
    return math.floor(upper + phase) - math.floor(lower + phase)


def mfn_refund_due_at(code: str, delivered_at: datetime, *, with_holidays: bool = True) -> datetime:
    """End of the n-th business day after the local day the return arrived, as a UTC instant.

    POLICIES.md section 5: refund "within two business days after you have received a return",
    counted in the marketplace's time zone, weekends and public holidays (`holidays` package,
    via acorn.business_calendar). with_holidays=False counts weekends only (the deadline a
    calendar without holidays would give; the holiday cases below sit between the two).
    """
    tz = ZoneInfo(BY_CODE[code].time_zone)
    day = delivered_at.astimezone(tz).date()
    n = S.MFN_REFUND_DUE_BUSINESS_DAYS
    while n > 0:
        day += timedelta(days=1)
        if with_holidays:
            n -= business_calendar.is_business_day(code, day)
        else:
            n -= day.isoweekday() not in business_calendar.weekend_days(code)
    return datetime.combine(day + timedelta(days=1), time(), tz).astimezone(UTC)


def buyer_paid(item: PostingItem, sign: int = 1) -> Decimal:
    """Charges + promotions of a posting item (what the buyer paid, or got back with sign=-1)."""
    return sign * sum((c.amount for c in item.components if c.kind in (CHARGE, PROMOTION)), ZERO)


def component(item: PostingItem, name: str) -> Decimal:
    return next(c.amount for c in item.components if c.name == name)


class _Ctx:
    """Lookups over a slice, rebuilt per injection pass."""

    def __init__(self, sl: Slice) -> None:
        self.sl = sl
        self.orders = {o.order_id: o for o in sl.orders}

    def line(self, order_id: str, order_item_id: str) -> OrderLine:
        return next(ln for ln in self.orders[order_id].lines if ln.order_item_id == order_item_id)

    def ship_item(self, order_id: str, order_item_id: str) -> PostingItem:
        return next(i for i in self.sl.shipments[order_id].items if i.order_item_id == order_item_id)

    def value(self, order_id: str, order_item_id: str, qty: int) -> Decimal:
        line = self.line(order_id, order_item_id)
        return G.reimbursement_value(line, self.ship_item(order_id, order_item_id), qty, self.sl.currency)

    def refund_of(self, order_id: str) -> Refund | None:
        return next((r for r in self.sl.refunds if r.order_id == order_id), None)


def _pick(rng: random.Random, candidates: list[Any], n: int) -> list[Any]:
    return rng.sample(candidates, min(n, len(candidates)))


def _rng(sl: Slice, kind: str) -> random.Random:
    return G.stream(sl.seed, "anomaly", sl.seller.seller_id, sl.code, kind)


def _free_refunds(sl: Slice, **filters: Any) -> list[Refund]:
    out = []
    for r in sl.refunds:
        if r.order_id in sl.taken or r.refund_id not in sl.refund_postings:
            continue
        if filters.get("full") and not r.full:
            continue
        channel = filters.get("channel")
        if channel and sl.shipments[r.order_id].channel != channel:
            continue
        out.append(r)
    return out


# ------------------------------------------------------------- record pass


def inject_records(sl: Slice) -> None:
    """Tamper with orders, refunds, returns and reimbursements (before settlements are cut)."""
    for kind, fn in (
        ("a_to_z_claim_risk", _a_to_z_claim),
        ("mfn_refund_late", _mfn_refund_late),
        ("mfn_return_not_refunded", _mfn_return_not_refunded),
        ("reimbursement_reversed", _reimbursement_reversed),  # before the next one empties its pool
        ("refund_without_return_past_window", _refund_without_return),
        ("reimbursement_short", _reimbursement_short),
        ("reimbursement_missing", _reimbursement_missing),
        ("return_not_restocked_or_credited", _return_not_restocked),
        ("wardrobing", _wardrobing),
        ("empty_box_or_wrong_item", _empty_box),
        ("over_refund", _over_refund),
        ("duplicate_refund", _duplicate_refund),
        ("refund_fee_error", _refund_fee_error),
        ("refund_tax_mismatch", _refund_tax_mismatch),
        ("serial_returner", _serial_returner),
        ("buyer_ring", _buyer_ring),
    ):
        n = quota(sl, kind)
        if n > 0:
            fn(sl, _Ctx(sl), _rng(sl, kind), n)
    # Not by quota: only refunds whose window holds a public holiday qualify (few, and none
    # in a marketplace without a holiday in the world's span); last, so no other kind moves.
    kind = "mfn_refund_on_time_by_holiday"
    _mfn_holiday_refunds(sl, _Ctx(sl), _rng(sl, kind), S.MFN_HOLIDAY_CASES_PER_SLICE)
    record_mfn_returns_not_refunded(sl)


def _set_buyer(sl: Slice, order_id: str, buyer: Buyer) -> None:
    sl.orders = [replace(o, buyer=buyer) if o.order_id == order_id else o for o in sl.orders]


def _addresses(sl: Slice) -> set[tuple[str, str, str]]:
    return {(o.buyer.address_line1, o.buyer.postal_code, o.buyer.city) for o in sl.orders}


def pick_within(
    rng: random.Random, refunds: list[Refund], size: int, span_days: int,
    prefer: Callable[[Refund], Decimal] | None = None,
) -> list[Refund]:  # fmt: skip
    """`size` of `refunds` requested within `span_days` of each other, or [] if none fit.

    With `prefer`, the sample is drawn from the higher-ranked half of the window (at least
    `size` refunds), so a fraudster's refunds lean to valuable items without being only those.
    """
    pool = sorted(refunds, key=lambda r: (r.requested_at, r.refund_id))
    if len(pool) < size:
        return []
    span = timedelta(days=span_days)
    slack = (pool[-1].requested_at - pool[0].requested_at - span).total_seconds()
    for _attempt in range(20):  # a window starting anywhere, so early and late refunds are as likely
        start = pool[0].requested_at + timedelta(seconds=rng.uniform(0, max(0.0, slack)))
        window = [r for r in pool if start <= r.requested_at <= start + span]
        if len(window) < size:
            continue
        if prefer is not None:
            window = sorted(window, key=lambda r: (prefer(r), r.refund_id), reverse=True)
            window = window[: max(size, len(window) // 2)]
        return sorted(rng.sample(window, size), key=lambda r: (r.requested_at, r.refund_id))
    return []


def _fraud_pool(sl: Slice) -> list[Refund]:
    return [r for r in sl.refunds if r.order_id not in sl.taken and r.refund_id in sl.refund_postings]


INVENTORY_STATUSES = ("Unit returned to inventory", "Repackaged Successfully")


def set_reason(sl: Slice, r: Refund, reason: str) -> Refund:
    """Give a refund another buyer-stated reason, in the refund and in its return reports."""
    moved = replace(r, reason=reason)
    sl.refunds[sl.refunds.index(r)] = moved
    for i, x in enumerate(sl.fba_returns):
        if x.order_id == r.order_id:
            sl.fba_returns[i] = replace(x, reason=reason)
    for i, m in enumerate(sl.mfn_returns):
        if m.order_id == r.order_id:
            sl.mfn_returns[i] = replace(m, reason=reason, label_to_be_paid_by=G.mfn_label_payer(reason))
    return moved


def grade(sl: Slice, order_id: str, disposition: str, status: str = "Unit returned to inventory") -> None:
    """Grade an order's FBA return (if it came back to inventory; a reimbursed one keeps its grade)."""
    for i, x in enumerate(sl.fba_returns):
        if x.order_id == order_id and x.status in INVENTORY_STATUSES:
            sl.fba_returns[i] = replace(x, detailed_disposition=disposition, status=status)


def _claim_seller_fault(sl: Slice, r: Refund, rng: random.Random) -> None:
    """A fraudster's refund: mostly a false seller-fault claim, the unit back in fine condition."""
    if rng.random() < S.FRAUD_SELLER_FAULT_SHARE:
        claims = S.FBA_SELLER_FAULT_CLAIMS if sl.shipments[r.order_id].channel == "AFN" else S.MFN_SELLER_FAULT_CLAIMS
        r = set_reason(sl, r, G.weighted(rng, claims)[0])
    if rng.random() < S.FRAUD_CLAIM_GRADED_SELLABLE:
        grade(sl, r.order_id, "SELLABLE")


def _unit_price(ctx: _Ctx) -> Callable[[Refund], Decimal]:
    def price(r: Refund) -> Decimal:
        line = ctx.line(r.order_id, r.lines[0][0])
        return line.principal / line.quantity

    return price


def _serial_returner(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    """One relay email, 4-8 refunded orders within FRAUD_SPAN_DAYS, leaning to valuable items and
    false seller-fault claims; a few orders of the same email kept (no refund)."""
    addresses = _addresses(sl)
    claims = _rng(sl, "serial_returner-claims")
    for k in range(n):
        size = G.weighted(rng, S.SERIAL_RETURNER_ORDERS)[0]
        chosen = pick_within(rng, _fraud_pool(sl), size, S.FRAUD_SPAN_DAYS, prefer=_unit_price(ctx))
        if not chosen:
            return
        buyer = G.make_buyer(rng, sl.seed, sl.seller.seller_id, sl.code, f"serial-{k}", addresses)
        first, last = chosen[0].requested_at, chosen[-1].requested_at
        refunded = {r.order_id for r in sl.refunds}
        kept = [o.order_id for o in sl.orders if o.order_id in sl.shipments and o.order_id not in refunded
                and o.order_id not in sl.taken and first - timedelta(days=30) <= o.purchased_at <= last]  # fmt: skip
        for order_id in _pick(rng, sorted(kept), G.weighted(rng, S.SERIAL_RETURNER_KEPT_ORDERS)[0]):
            _set_buyer(sl, order_id, buyer)
        order_ids = sorted((r.order_id for r in chosen), key=lambda o: ctx.orders[o].purchased_at)
        for r in chosen:
            _set_buyer(sl, r.order_id, buyer)
            _claim_seller_fault(sl, r, claims)
        sl.record("serial_returner", {"buyer_email": buyer.email, "order_ids": order_ids}, None,
                  f"one buyer, {size} refunded orders", max(r.posted_at for r in chosen), tuple(order_ids))  # fmt: skip


def _ring_sizes(rng: random.Random) -> list[int]:
    """Refunded orders per ring account: 3-5 accounts, 1-3 each, at least BUYER_RING_MIN_REFUNDS."""
    sizes = [G.weighted(rng, S.BUYER_RING_REFUNDS_PER_ACCOUNT)[0]
             for _ in range(G.weighted(rng, S.BUYER_RING_ACCOUNTS)[0])]  # fmt: skip
    while sum(sizes) < S.BUYER_RING_MIN_REFUNDS:
        i = rng.choice([i for i, n in enumerate(sizes) if n < 3])
        sizes[i] += 1
    return sizes


def _buyer_ring(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    """3-5 new accounts at one address, each with 1-3 refunded orders (claims like a serial
    returner's): the ring exists to collect refunds."""
    addresses = _addresses(sl)
    claims = _rng(sl, "buyer_ring-claims")
    for k in range(n):
        sizes = _ring_sizes(rng)
        chosen = pick_within(rng, _fraud_pool(sl), sum(sizes), S.FRAUD_SPAN_DAYS)
        if not chosen:
            return
        rng.shuffle(chosen)
        first = G.make_buyer(rng, sl.seed, sl.seller.seller_id, sl.code, f"ring-{k}-0", addresses)
        by_order: dict[str, Buyer] = {}
        for j in range(len(sizes)):
            buyer = first
            if j:
                other = G.make_buyer(rng, sl.seed, sl.seller.seller_id, sl.code, f"ring-{k}-{j}", set())
                buyer = replace(other, address_line1=first.address_line1, city=first.city,
                                state_or_region=first.state_or_region, postal_code=first.postal_code)  # fmt: skip
            for r in chosen[sum(sizes[:j]) : sum(sizes[: j + 1])]:
                by_order[r.order_id] = buyer
        order_ids = sorted(by_order, key=lambda o: ctx.orders[o].purchased_at)
        emails: list[str] = []
        for order_id in order_ids:
            _set_buyer(sl, order_id, by_order[order_id])
            if by_order[order_id].email not in emails:
                emails.append(by_order[order_id].email)
        for r in chosen:
            _claim_seller_fault(sl, ctx.refund_of(r.order_id) or r, claims)
        keys: dict[str, KeyValue] = {"address_line1": first.address_line1, "postal_code": first.postal_code,
                                     "city": first.city, "buyer_emails": emails, "order_ids": order_ids}  # fmt: skip
        sl.record("buyer_ring", keys, None,
                  f"{len(emails)} buyer accounts at one shipping address, {len(order_ids)} refunded orders",
                  max(r.posted_at for r in chosen), tuple(order_ids))  # fmt: skip


def _mfn_candidates(sl: Slice, latest: Any) -> list[tuple[Refund, datetime]]:
    out = []
    for r in _free_refunds(sl, full=True, channel="MFN"):
        if r.return_delivered_at is None:
            continue
        due = mfn_refund_due_at(sl.code, r.return_delivered_at)
        when = latest(due)
        if when < sl.as_of:
            out.append((r, when))
    return out


def _a_to_z_claim(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    # not refunded by the due date; the buyer waits 48 h, files, Amazon grants within 1-3 days
    cands = _mfn_candidates(sl, lambda due: due + timedelta(days=2 + rng.uniform(1, 3)))
    for r, when in _pick(rng, cands, n):
        order, shipment = ctx.orders[r.order_id], sl.shipments[r.order_id]
        claim = replace(r, refund_id=ids.digits(14, sl.seed, "claim", r.order_id), posted_at=when)
        posting = G.refund_posting(
            sl.seed, claim, order, shipment, kind="GuaranteeClaim", admin_fee_charged=False
        )
        del sl.refund_postings[r.refund_id]
        sl.refunds.remove(r)
        sl.extra_postings.append(posting)
        rma = ""
        for i, m in enumerate(sl.mfn_returns):
            if m.order_id == r.order_id:
                rma = m.amazon_rma_id
                sl.mfn_returns[i] = replace(m, a_to_z_claim=True, refunded_amount=ZERO,
                                            return_request_status="Approved")  # fmt: skip
        keys: dict[str, KeyValue] = {"order_id": r.order_id, "amazon_rma_id": rma,
                                     "claim_id": claim.refund_id, "transaction_id": posting.posting_id}  # fmt: skip
        sl.record("a_to_z_claim_risk", keys, -posting.total,
                  "MFN return delivered, never refunded; A-to-z claim granted", when, (r.order_id,))  # fmt: skip


def _mfn_refund_late(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    cands = _mfn_candidates(sl, lambda due: due + timedelta(days=rng.uniform(1, 6)))
    for r, when in _pick(rng, cands, n):
        late = replace(r, posted_at=when)
        sl.refunds[sl.refunds.index(r)] = late
        p = sl.refund_postings[r.refund_id]
        sl.refund_postings[r.refund_id] = replace(p, posted_at=when)
        rma = next(m.amazon_rma_id for m in sl.mfn_returns if m.order_id == r.order_id)
        assert r.return_delivered_at is not None
        due = mfn_refund_due_at(sl.code, r.return_delivered_at)
        keys: dict[str, KeyValue] = {"order_id": r.order_id, "refund_id": r.refund_id,
                                     "transaction_id": p.posting_id, "amazon_rma_id": rma}  # fmt: skip
        sl.record("mfn_refund_late", keys, None,
                  f"refund posted {(when - due).days} day(s) after the two-business-day deadline",
                  due, (r.order_id,))  # fmt: skip


def _move_refund(sl: Slice, r: Refund, when: datetime) -> Posting:
    sl.refunds[sl.refunds.index(r)] = replace(r, posted_at=when)
    p = replace(sl.refund_postings[r.refund_id], posted_at=when)
    sl.refund_postings[r.refund_id] = p
    return p


def _delivery_before_holiday(sl: Slice, r: Refund) -> datetime | None:
    """The return's delivery, moved by up to 4 days if needed, so a public holiday falls in its
    refund window; None if no such day is at least a day after the request and well before as_of."""
    if r.return_delivered_at is None:
        return None
    for days in (0, 1, -1, 2, -2, 3, -3, 4, -4):
        delivered = r.return_delivered_at + timedelta(days=days)
        if delivered < r.requested_at + timedelta(days=1):
            continue
        due = mfn_refund_due_at(sl.code, delivered)
        if due > mfn_refund_due_at(sl.code, delivered, with_holidays=False) and due + timedelta(days=1) < sl.as_of:
            return delivered
    return None


def _move_delivery(sl: Slice, r: Refund, delivered: datetime) -> Refund:
    moved = replace(r, return_delivered_at=delivered)
    sl.refunds[sl.refunds.index(r)] = moved
    for i, m in enumerate(sl.mfn_returns):
        if m.order_id == r.order_id:
            sl.mfn_returns[i] = replace(m, return_delivery_date=delivered)
    return moved


def _mfn_holiday_refunds(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    """Refunds whose deadline a public holiday moves (JP, DE, ... wherever one falls in a window).

    Half are posted after the weekday-only deadline but before the holiday-extended one (on time
    only because of the holiday: ground truth `mfn_refund_on_time_by_holiday`, a control no
    detector may flag), half a few hours after the extended deadline (`mfn_refund_late`).
    """
    cands = []
    for r in _free_refunds(sl, full=True, channel="MFN"):
        shifted = _delivery_before_holiday(sl, r)
        if shifted is not None:
            cands.append((r, shifted))
    for k, (r, delivered) in enumerate(_pick(rng, cands, 2 * n)):
        naive = mfn_refund_due_at(sl.code, delivered, with_holidays=False)
        due = mfn_refund_due_at(sl.code, delivered)
        r = _move_delivery(sl, r, delivered)
        rma = next(m.amazon_rma_id for m in sl.mfn_returns if m.order_id == r.order_id)
        if k % 2 == 0:
            when = naive + (due - naive) * rng.uniform(0.1, 0.9)
            kind, detail = "mfn_refund_on_time_by_holiday", "refund after the weekday-only deadline, on time by the holiday"
        else:
            when = due + timedelta(hours=rng.uniform(1, 20))
            kind, detail = "mfn_refund_late", "refund posted after the deadline a public holiday extended"
        p = _move_refund(sl, r, when)
        keys: dict[str, KeyValue] = {"order_id": r.order_id, "refund_id": r.refund_id,
                                     "transaction_id": p.posting_id, "amazon_rma_id": rma}  # fmt: skip
        sl.record(kind, keys, None, f"{detail} ({(due - naive).days} day(s) later)", due, (r.order_id,))


def _mfn_return_not_refunded(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    """MFN returns received and not refunded at as_of: `n` injected (the seller never refunds)."""
    cands = [r for r in _free_refunds(sl, full=True, channel="MFN") if r.return_delivered_at is not None]
    for r in _pick(rng, cands, n):
        del sl.refund_postings[r.refund_id]
        sl.refunds.remove(r)
        for i, m in enumerate(sl.mfn_returns):
            if m.order_id == r.order_id:
                sl.mfn_returns[i] = replace(m, refunded_amount=ZERO, return_request_status="Approved")
        sl.taken.add(r.order_id)


def record_mfn_returns_not_refunded(sl: Slice) -> None:
    """Ground truth for every MFN return received before as_of without a refund or a claim.

    The injected ones and the clean ones whose refund falls after as_of (the seller still has
    time): both are open risks at as_of. Runs after every pass that moves or drops refunds.
    """
    refunded = {r.order_id for r in sl.refunds}
    for m in sl.mfn_returns:
        if m.return_delivery_date is None or m.a_to_z_claim or m.order_id in refunded:
            continue
        due = mfn_refund_due_at(sl.code, m.return_delivery_date)
        state = "past its deadline" if due <= sl.as_of else "not yet due"
        keys: dict[str, KeyValue] = {"order_id": m.order_id, "amazon_rma_id": m.amazon_rma_id}
        sl.record("mfn_return_not_refunded", keys, None,
                  f"MFN return received, not refunded at as_of ({state})", m.return_delivery_date)  # fmt: skip


def _drop_reimbursements(sl: Slice, order_id: str) -> None:
    gone = {r.reimbursement_id for r in sl.reimbursements if r.order_id == order_id}
    sl.reimbursements = [r for r in sl.reimbursements
                         if r.reimbursement_id not in gone and r.original_reimbursement_id not in gone]  # fmt: skip


def _refund_without_return(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    cands = []
    for r in _free_refunds(sl, full=True, channel="AFN"):
        oid, qty, _f = r.lines[0]
        due = r.posted_at + timedelta(days=S.CLAIM_WINDOW_OPEN_DAYS[sl.code] + S.REIMBURSEMENT_GRACE_DAYS)
        if due < sl.as_of and not G.returnless_eligible(ctx.line(r.order_id, oid), sl.code):
            cands.append((r, due))
    for r, due in _pick(rng, cands, n):
        oid, qty, _f = r.lines[0]
        sl.fba_returns = [x for x in sl.fba_returns if x.order_id != r.order_id]
        _drop_reimbursements(sl, r.order_id)
        keys: dict[str, KeyValue] = {"order_id": r.order_id, "refund_id": r.refund_id,
                                     "transaction_id": sl.refund_postings[r.refund_id].posting_id,
                                     "sku": ctx.line(r.order_id, oid).sku}  # fmt: skip
        sl.record("refund_without_return_past_window", keys, ctx.value(r.order_id, oid, qty),
                  "FBA refund, unit never returned, no reimbursement after the claim window opened",
                  due, (r.order_id,))  # fmt: skip


def _customer_return_reimbursements(sl: Slice) -> list[Reimbursement]:
    reversed_ids = {r.original_reimbursement_id for r in sl.reimbursements if r.original_reimbursement_id}
    return [r for r in sl.reimbursements
            if r.reason == "CustomerReturn" and r.order_id and r.order_id not in sl.taken
            and r.reimbursement_id not in reversed_ids]  # fmt: skip


def _reimbursement_reversed(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    """Claw back a reimbursement for a unit that never came back.

    Uses an existing never-returned CustomerReturn reimbursement, or turns an old FBA refund
    into one (drop its return, reimburse it on time) so small marketplaces have candidates.
    """
    open_days = S.CLAIM_WINDOW_OPEN_DAYS[sl.code]
    cands = []
    for r in _free_refunds(sl, full=True, channel="AFN"):
        oid, qty, _f = r.lines[0]
        approved = r.posted_at + timedelta(days=open_days + rng.uniform(0, 10))
        when = approved + timedelta(days=rng.uniform(5, 20))
        if when < sl.as_of and not G.returnless_eligible(ctx.line(r.order_id, oid), sl.code):
            cands.append((r, approved, when))
    for r, approved, when in _pick(rng, cands, n):
        oid, qty, _f = r.lines[0]
        returned = any(x.order_id == r.order_id for x in sl.fba_returns)
        orig = next((x for x in sl.reimbursements if x.order_id == r.order_id and x.reason == "CustomerReturn"),
                    None)  # fmt: skip
        if returned or orig is None:
            sl.fba_returns = [x for x in sl.fba_returns if x.order_id != r.order_id]
            _drop_reimbursements(sl, r.order_id)
            line = ctx.line(r.order_id, oid)
            value = ctx.value(r.order_id, oid, qty)
            orig = G.new_reimbursement(sl.seed, sl.code, approved, "CustomerReturn", sl.products[line.sku],
                                       sl.listings[(line.sku, sl.code)], qty, value / qty, r.order_id, rng)  # fmt: skip
            sl.reimbursements.append(orig)
        rev = G.reversal_of(sl.seed, orig, max(when, orig.approval_date + timedelta(days=5)))
        if rev.approval_date >= sl.as_of:
            continue
        sl.reimbursements.append(rev)
        keys: dict[str, KeyValue] = {"order_id": r.order_id, "reimbursement_id": orig.reimbursement_id,
                                     "reversal_reimbursement_id": rev.reimbursement_id, "sku": orig.sku}  # fmt: skip
        sl.record("reimbursement_reversed", keys, orig.amount_total,
                  "customer-return reimbursement clawed back although the unit never came back",
                  rev.approval_date, (r.order_id,))  # fmt: skip


def _reimbursement_short(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    for r in _pick(rng, _customer_return_reimbursements(sl), n):
        factor = D(rng.choice(("0.50", "0.60", "0.70")))
        per_unit = q(r.amount_per_unit * factor, r.currency)
        short = replace(r, amount_per_unit=per_unit, amount_total=per_unit * r.quantity_cash)
        sl.reimbursements[sl.reimbursements.index(r)] = short
        assert r.order_id is not None
        keys: dict[str, KeyValue] = {
            "order_id": r.order_id,
            "reimbursement_id": r.reimbursement_id,
            "sku": r.sku,
        }
        sl.record("reimbursement_short", keys, r.amount_total - short.amount_total,
                  f"reimbursed at {factor:.0%} of sales price minus fees", r.approval_date, (r.order_id,))  # fmt: skip


def _return_key(ctx: _Ctx, x: FbaReturn) -> tuple[str, int, Refund]:
    r = ctx.refund_of(x.order_id)
    assert r is not None
    return r.lines[0][0], r.lines[0][1], r


def _reimbursement_missing(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    cands = [x for x in sl.fba_returns
             if x.order_id not in sl.taken and x.return_date + timedelta(days=7) < sl.as_of]  # fmt: skip
    for x in _pick(rng, cands, n):
        oid, qty, _r = _return_key(ctx, x)
        if x.status != "Reimbursed":
            sl.fba_returns[sl.fba_returns.index(x)] = replace(
                x, detailed_disposition=rng.choice(("CARRIER_DAMAGED", "DAMAGED")), status="Reimbursed"
            )
        _drop_reimbursements(sl, x.order_id)
        keys: dict[str, KeyValue] = {"order_id": x.order_id, "sku": x.sku,
                                     "license_plate_number": x.license_plate_number}  # fmt: skip
        sl.record("reimbursement_missing", keys, ctx.value(x.order_id, oid, qty),
                  "returns report says Reimbursed; no reimbursement was ever posted",
                  x.return_date + timedelta(days=5), (x.order_id,))  # fmt: skip


def _return_not_restocked(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    reimbursed = {r.order_id for r in sl.reimbursements if r.order_id}
    cands = [x for x in sl.fba_returns
             if x.order_id not in sl.taken and x.order_id not in reimbursed
             and x.status == "Unit returned to inventory" and x.detailed_disposition == "SELLABLE"
             and x.return_date + timedelta(days=S.RESTOCK_DUE_DAYS) < sl.as_of]  # fmt: skip
    for x in _pick(rng, cands, n):
        oid, qty, _r = _return_key(ctx, x)
        sl.fba_returns[sl.fba_returns.index(x)] = replace(x, status="Pending")
        keys: dict[str, KeyValue] = {"order_id": x.order_id, "sku": x.sku,
                                     "license_plate_number": x.license_plate_number}  # fmt: skip
        sl.record("return_not_restocked_or_credited", keys, ctx.value(x.order_id, oid, qty),
                  f"return received, still Pending after {S.RESTOCK_DUE_DAYS} days, never reimbursed",
                  x.return_date + timedelta(days=S.RESTOCK_DUE_DAYS), (x.order_id,))  # fmt: skip


def _returned_refunds(sl: Slice, ctx: _Ctx) -> list[tuple[FbaReturn, Refund]]:
    out = []
    for x in sl.fba_returns:
        if x.order_id in sl.taken:
            continue
        r = ctx.refund_of(x.order_id)
        if r is not None and r.full and r.refund_id in sl.refund_postings:
            out.append((x, r))
    return out


def _wardrobing(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    cands = []
    for x, r in _returned_refunds(sl, ctx):
        window_end = G.return_window_end(ctx.orders[r.order_id])  # holiday extension included
        requested = window_end - timedelta(days=rng.uniform(0.1, S.WARDROBING_LAST_DAYS - 0.5))
        posted = requested + timedelta(days=rng.uniform(0.2, 1.5))
        returned = posted + timedelta(days=rng.uniform(1, 6))
        if returned < sl.as_of:
            cands.append((x, r, requested, posted, returned))
    reasons = _rng(sl, "wardrobing-reasons")
    for x, r, requested, posted, returned in _pick(rng, cands, n):
        # worn, then sent back as not fitting or not wanted: the words of a legit return
        apparel = sl.products[x.sku].category in S.APPAREL_CATEGORIES
        reason = G.weighted(reasons, S.WARDROBING_REASONS_APPAREL if apparel else S.WARDROBING_REASONS_OTHER)[0]
        late = replace(r, requested_at=requested, posted_at=posted, reason=reason)
        sl.refunds[sl.refunds.index(r)] = late
        p = replace(sl.refund_postings[r.refund_id], posted_at=posted)
        sl.refund_postings[r.refund_id] = p
        sl.fba_returns[sl.fba_returns.index(x)] = replace(
            x, return_date=returned, detailed_disposition="CUSTOMER_DAMAGED",
            status="Unit returned to inventory", reason=reason, customer_comments="")  # fmt: skip
        keys: dict[str, KeyValue] = {"order_id": r.order_id, "refund_id": r.refund_id, "sku": x.sku,
                                     "license_plate_number": x.license_plate_number}  # fmt: skip
        sl.record(
            "wardrobing",
            keys,
            buyer_paid(p.items[0], -1),
            "refund requested at the end of the return window, unit back used",
            returned,
            (r.order_id,),
        )


def _empty_box(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    variants = (("Empty box received", "Box was empty"), ("Different item received", "Wrong item returned"))
    for x, r in _pick(rng, _returned_refunds(sl, ctx), n):
        status, note = rng.choice(variants)
        sl.fba_returns[sl.fba_returns.index(x)] = replace(
            x, detailed_disposition="CUSTOMER_DAMAGED", status=status,
            customer_comments=rng.choice(S.CUSTOMER_COMMENTS[3:]))  # fmt: skip
        p = sl.refund_postings[r.refund_id]
        keys: dict[str, KeyValue] = {"order_id": r.order_id, "refund_id": r.refund_id, "sku": x.sku,
                                     "license_plate_number": x.license_plate_number}  # fmt: skip
        sl.record("empty_box_or_wrong_item", keys, buyer_paid(p.items[0], -1), note, x.return_date,
                  (r.order_id,))  # fmt: skip


def _rebuild_refund(sl: Slice, ctx: _Ctx, r: Refund, **tweaks: Any) -> Posting:
    p = G.refund_posting(sl.seed, r, ctx.orders[r.order_id], sl.shipments[r.order_id], **tweaks)
    sl.refund_postings[r.refund_id] = p
    return p


def _refund_keys(r: Refund, p: Posting) -> dict[str, KeyValue]:
    return {"order_id": r.order_id, "refund_id": r.refund_id, "transaction_id": p.posting_id,
            "order_item_id": r.lines[0][0]}  # fmt: skip


def _over_refund(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    for r in _pick(rng, _free_refunds(sl, full=True, channel="AFN"), n):
        factor = D(rng.choice(("1.25", "1.50", "2")))
        p = _rebuild_refund(sl, ctx, r, principal_factor=factor)
        over = buyer_paid(p.items[0], -1) - buyer_paid(ctx.ship_item(r.order_id, r.lines[0][0]))
        sl.record("over_refund", _refund_keys(r, p), over, f"Principal and Tax refunded x{factor}",
                  r.posted_at, (r.order_id,))  # fmt: skip


def _duplicate_refund(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    cands = [(r, r.posted_at + timedelta(hours=rng.uniform(6, 72))) for r in _free_refunds(sl)]
    for r, when in _pick(rng, [c for c in cands if c[1] < sl.as_of], n):
        p = sl.refund_postings[r.refund_id]
        dup = replace(
            p, posting_id=ids.hex_id(32, sl.seed, "txn", "Refund-duplicate", r.refund_id), posted_at=when
        )
        if dup.total >= 0:
            continue
        sl.extra_postings.append(dup)
        keys = {"order_id": r.order_id, "refund_id": r.refund_id, "transaction_id": p.posting_id,
                "duplicate_transaction_id": dup.posting_id}  # fmt: skip
        sl.record("duplicate_refund", keys, -dup.total, "the same refund posted twice", when, (r.order_id,))


def _refund_fee_error(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    rate, cap, _src = S.REFUND_ADMIN_FEE[sl.code]
    for r in _pick(rng, _free_refunds(sl), n):
        p = sl.refund_postings[r.refund_id]
        credited = component(p.items[0], "Commission")
        rule = min(cap, q(credited * rate, sl.currency))
        wrong = q(credited * rate * 2, sl.currency)
        if wrong <= rule:
            wrong = rule + quantum(sl.currency) * 100
        p = _rebuild_refund(sl, ctx, r, admin_fee=wrong)
        sl.record("refund_fee_error", _refund_keys(r, p), wrong - rule,
                  f"RefundCommission {wrong} charged, rule gives {rule}", r.posted_at, (r.order_id,))  # fmt: skip


def _refund_tax_mismatch(sl: Slice, ctx: _Ctx, rng: random.Random, n: int) -> None:
    cands = [r for r in _free_refunds(sl) if ctx.line(r.order_id, r.lines[0][0]).tax > 0]
    for r in _pick(rng, cands, n):
        line = ctx.line(r.order_id, r.lines[0][0])
        standard = S.TAX_RATE[sl.code]
        if sl.code not in S.TAX_EXCLUSIVE_PRICES and line.tax_rate != standard:
            wrong_rate = standard  # the classic slip: a reduced-rate line refunded at the standard rate
        else:
            wrong_rate = line.tax_rate * D(rng.choice(("0.5", "1.5")))
        expected = q(line.tax * r.lines[0][2], sl.currency)
        p = _rebuild_refund(sl, ctx, r, tax_rate=wrong_rate)
        actual = -component(p.items[0], "Tax")
        if abs(actual - expected) <= quantum(sl.currency):  # rounding noise, not a detectable mismatch
            p = _rebuild_refund(sl, ctx, r)
            continue
        sl.record(
            "refund_tax_mismatch",
            _refund_keys(r, p),
            abs(actual - expected),
            f"refund Tax at {wrong_rate:.4f} instead of {line.tax_rate:.4f}",
            r.posted_at,
            (r.order_id,),
        )


# ---------------------------------------------------------- settlement pass


def inject_settlements(
    sl: Slice, groups: list[SettlementGroup], postings: list[Posting]
) -> list[SettlementGroup]:
    """Tamper with a few closed groups whose V2 file Amazon has generated by `as_of`."""
    by_id = {p.posting_id: p for p in postings}
    out = list(groups)
    flagged: set[str] = set()
    mid = BY_CODE[sl.code].marketplace_id

    def eligible() -> list[int]:
        return [i for i, g in enumerate(out) if g.closed and g.group_id not in flagged
                and g.fund_transfer_date is not None and settlement_created_at(g) <= sl.as_of]  # fmt: skip

    def members(g: SettlementGroup, kind: str) -> list[Posting]:
        return [by_id[pid] for pid in g.posting_ids
                if by_id[pid].kind == kind and by_id[pid].order_id not in sl.taken]  # fmt: skip

    def record(kind: str, g: SettlementGroup, keys: dict[str, KeyValue], amount: Decimal, detail: str,
               order_id: str | None = None) -> None:  # fmt: skip
        flagged.add(g.group_id)
        keys = {"settlement_id": g.settlement_id, "financial_event_group_id": g.group_id} | keys
        sl.truth.append(make_row(kind, sl.seller.seller_id, mid, sl.currency, keys, amount, detail,
                                 settlement_created_at(g)))  # fmt: skip
        if order_id:
            sl.taken.add(order_id)

    rng = _rng(sl, "refund_missing_from_settlement")
    for _ in range(quota(sl, "refund_missing_from_settlement")):
        cands = [i for i in eligible() if members(out[i], "Refund")]
        if not cands:
            break
        i = rng.choice(cands)
        p = rng.choice(members(out[i], "Refund"))
        out[i] = replace(out[i], omitted_posting_ids=(p.posting_id,))
        assert p.order_id is not None and p.refund_id is not None
        record("refund_missing_from_settlement", out[i], {"transaction_id": p.posting_id,
               "order_id": p.order_id, "refund_id": p.refund_id}, -p.total,
               "refund transaction has no lines in the settlement file", p.order_id)  # fmt: skip

    rng = _rng(sl, "settlement_line_amount_mismatch")
    for _ in range(quota(sl, "settlement_line_amount_mismatch")):
        cands = [i for i in eligible() if members(out[i], "Shipment")]
        if not cands:
            break
        i = rng.choice(cands)
        p = rng.choice(members(out[i], "Shipment"))
        item = p.items[0]
        actual = component(item, "Principal")
        delta = q(actual * D(rng.choice(("-0.30", "-0.10", "0.10", "0.25"))), sl.currency) or quantum(
            sl.currency
        )
        assert item.order_item_id is not None and p.order_id is not None
        out[i] = replace(
            out[i], line_overrides=((p.posting_id, item.order_item_id, "Principal", actual + delta),)
        )
        record("settlement_line_amount_mismatch", out[i], {"transaction_id": p.posting_id, "order_id": p.order_id,
               "order_item_id": item.order_item_id, "sku": item.sku, "amount_description": "Principal"},
               abs(delta), f"Principal line printed {actual + delta}, transaction has {actual}", p.order_id)  # fmt: skip

    rng = _rng(sl, "settlement_transfer_mismatch")
    for _ in range(quota(sl, "settlement_transfer_mismatch")):
        cands = eligible()
        if not cands:
            break
        i = rng.choice(cands)
        g = out[i]
        size = max(abs(g.total) * D(str(round(rng.uniform(0.01, 0.05), 3))), 50 * quantum(sl.currency))
        delta = q(size, sl.currency) * rng.choice((-1, 1))
        out[i] = replace(g, transfer_delta=delta)
        record(
            "settlement_transfer_mismatch",
            out[i],
            {},
            abs(delta),
            f"group OriginalTotal {g.total + delta} vs file total {g.total}",
        )

    # Paid without a report: the group closes, its transfer succeeds, Amazon never generates
    # the V2 file. Groups whose file Amazon has not generated yet at as_of are the same finding.
    rng = _rng(sl, "payout_report_missing")
    for _ in range(quota(sl, "payout_report_missing")):
        cands = eligible()
        if not cands:
            break
        i = rng.choice(cands)
        out[i] = replace(out[i], report_withheld=True)
        flagged.add(out[i].group_id)
    for g in out:
        paid = g.closed and g.fund_transfer_date is not None and g.fund_transfer_date <= sl.as_of
        if paid and (g.report_withheld or settlement_created_at(g) > sl.as_of):
            assert g.fund_transfer_date is not None
            sl.truth.append(make_row(
                "payout_report_missing", sl.seller.seller_id, mid, sl.currency,
                {"financial_event_group_id": g.group_id, "settlement_id": g.settlement_id},
                abs(g.total + g.transfer_delta) or None,
                "V2 settlement file never generated" if g.report_withheld
                else "V2 settlement file not generated yet at as_of", g.fund_transfer_date))  # fmt: skip
    return out


def record_deferred(sl: Slice, postings: list[Posting]) -> None:
    """Ground truth for the transactions Amazon still holds at `as_of` (deferred_transaction).

    Deferrals are generated with the shipments (settings.DEFERRED_SHARE, DD7: released
    settings.DEFERRAL_DAYS after delivery); this only records those not yet matured. No
    record is tampered with and no order is taken (the keys name no order: not an anomaly
    of the order, a state of the money).
    """
    mid = BY_CODE[sl.code].marketplace_id
    for p in postings:
        if p.deferral is not None and p.deferral.maturity >= sl.as_of:
            sl.truth.append(make_row(
                "deferred_transaction", sl.seller.seller_id, mid, sl.currency,
                {"transaction_id": p.posting_id, "maturity_date": p.deferral.maturity.isoformat()},
                abs(p.total) or None, f"{p.deferral.reason}: released at maturity", p.posted_at))  # fmt: skip
