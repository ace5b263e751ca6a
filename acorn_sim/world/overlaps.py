"""Legitimate buyer behaviour that looks like return fraud (never in the ground truth).

A fraud detector must earn its score: in this world no single record separates fraud from
honest buyers. Every behaviour here is clean, and each is the honest twin of a fraud kind in
ground_truth.py:

* households and offices (`share_addresses`): 2-3 family accounts, or 3-8 colleagues placing
  business orders, at one address -- what a buyer_ring's shared address looks like;
* apparel bracketing: repeat buyers who return 3-5 sized items within 90 days, sizing reasons,
  units back SELLABLE -- a count like a serial_returner's;
* procrastinators: a small share of returns requested in the window's last days, as wardrobing is;
* realistic grading: genuine defects come back DEFECTIVE, buyers misjudge (a claimed defect graded
  SELLABLE), open or scuff what they return (CUSTOMER_DAMAGED), carriers damage parcels; and the
  fulfilment centre very rarely mis-grades a return "Different item received"
  (empty_box_or_wrong_item's status).

`legit_returns` runs after the anomalies are injected and touches only orders no anomaly took
(`Slice.taken`), on its own random streams, so the injected kinds and their amounts stay as
they were. It moves no money: reasons, grades and PII change, and a procrastinator's refund
posts later (its amounts are unchanged).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import timedelta

from acorn_sim.world import generator as G
from acorn_sim.world import settings as S
from acorn_sim.world.anomalies import INVENTORY_STATUSES, Slice, grade, pick_within, quota, set_reason
from acorn_sim.world.model import Buyer, Order, Refund

Address = tuple[str, str, str]


def _address(b: Buyer) -> Address:
    return (b.address_line1, b.postal_code, b.city)


def _moved_to(b: Buyer, host: Buyer) -> Buyer:
    return replace(b, address_line1=host.address_line1, city=host.city, state_or_region=host.state_or_region,
                   postal_code=host.postal_code, country_code=host.country_code)  # fmt: skip


def share_addresses(seed: int, seller_id: str, code: str, orders: list[Order]) -> list[Order]:
    """Households and offices: some new buyers take an earlier buyer's address.

    Buyers are visited in the order of their first order. One whose first order is a business
    order works in an office (settings.OFFICE_*: joins one with room, or opens one), and all its
    orders are business orders; another joins a household (settings.HOUSEHOLD_*). Only the
    shipping address and the business flag change, never an order's money.
    """
    rng = G.stream(seed, "addresses", seller_id, code)
    first: dict[str, Order] = {}
    for o in orders:
        first.setdefault(o.buyer.buyer_id, o)
    host: dict[str, Buyer] = {}  # buyer id -> the buyer whose address it ships to
    offices: list[list] = []  # [founder, capacity, accounts]
    office_ids: set[str] = set()
    homes: list[Buyer] = []  # buyers whose address has room for another account
    residents: Counter[Address] = Counter()
    for bid, o in first.items():
        b = o.buyer
        if o.is_business and rng.random() < S.OFFICE_SHARE:
            office_ids.add(bid)
            open_ = [x for x in offices if x[2] < x[1]]
            if open_ and rng.random() < S.OFFICE_JOIN_SHARE:
                office = rng.choice(open_)
                office[2] += 1
                host[bid] = office[0]
            else:
                offices.append([b, rng.randint(*S.OFFICE_ACCOUNTS), 1])
            continue
        if homes and rng.random() < S.HOUSEHOLD_SHARE:
            head = rng.choice(homes)
            host[bid] = head
            residents[_address(head)] += 1
            if residents[_address(head)] >= S.HOUSEHOLD_MAX_ACCOUNTS:
                homes = [h for h in homes if _address(h) != _address(head)]
            continue
        residents[_address(b)] = 1
        homes.append(b)
    out = []
    for o in orders:
        bid = o.buyer.buyer_id
        if bid in host:
            o = replace(o, buyer=_moved_to(o.buyer, host[bid]))
        if bid in office_ids:
            o = replace(o, is_business=True)
        out.append(o)
    return out


# ----------------------------------------------------------------- returns


def legit_returns(sl: Slice) -> None:
    """Grade clean returns realistically, then add bracketing buyers, procrastinators and the
    rare fulfilment-centre mis-grade, each on orders no anomaly took."""
    used = set(sl.taken)
    _grade_clean_returns(sl, G.stream(sl.seed, "overlaps-grading", sl.seller.seller_id, sl.code), used)
    _bracketing_buyers(sl, G.stream(sl.seed, "overlaps-bracketing", sl.seller.seller_id, sl.code), used)
    _procrastinators(sl, G.stream(sl.seed, "overlaps-late", sl.seller.seller_id, sl.code), used)
    _fc_misgrades(sl, G.stream(sl.seed, "overlaps-misgrade", sl.seller.seller_id, sl.code), used)


def _grade_clean_returns(sl: Slice, rng: random.Random, used: set[str]) -> None:
    """The grade follows what the buyer said (settings.CLEAN_GRADING); a carrier-damaged unit's
    buyer often said so (settings.CARRIER_DAMAGED_REASON_SHARE)."""
    refunds = {r.order_id: r for r in sl.refunds}
    for i, x in enumerate(list(sl.fba_returns)):
        if x.order_id in used:
            continue
        if x.detailed_disposition == "CARRIER_DAMAGED":
            if rng.random() < S.CARRIER_DAMAGED_REASON_SHARE and x.order_id in refunds:
                set_reason(sl, refunds[x.order_id], "DAMAGED_BY_CARRIER")
            continue
        if x.status not in INVENTORY_STATUSES or x.detailed_disposition == "EXPIRED":
            continue
        options = S.CLEAN_GRADING[S.RETURN_REASON_CLASS.get(x.reason, "remorse")]
        disposition, _w, status = G.weighted(rng, options)
        sl.fba_returns[i] = replace(x, detailed_disposition=disposition, status=status)


def _physically_returned(sl: Slice, used: set[str]) -> list[Refund]:
    """Clean full refunds whose unit came back: an FBA return in inventory, or an MFN return."""
    fba = {x.order_id for x in sl.fba_returns if x.status in INVENTORY_STATUSES}
    mfn = {m.order_id for m in sl.mfn_returns}
    return [r for r in sl.refunds if r.full and r.order_id not in used and r.refund_id in sl.refund_postings
            and (r.order_id in fba or r.order_id in mfn)]  # fmt: skip


def _bracketing_buyers(sl: Slice, rng: random.Random, used: set[str]) -> None:
    """Repeat buyers who order apparel in several sizes and send back what does not fit.

    Each takes a buyer with two or more orders and no refund of its own, and gives it 3-5 clean
    apparel refunds requested within BRACKETING_SPAN_DAYS (their orders move to this buyer, who
    keeps its own orders): sizing reasons, units back SELLABLE.
    """
    refunded = {r.order_id for r in sl.refunds}
    orders_of: dict[str, list[Order]] = {}
    for o in sl.orders:
        orders_of.setdefault(o.buyer.email, []).append(o)
    repeat = sorted(e for e, os in orders_of.items()
                    if len(os) >= 2 and not any(o.order_id in refunded or o.order_id in used for o in os))  # fmt: skip
    lines = {o.order_id: {ln.order_item_id: ln.sku for ln in o.lines} for o in sl.orders}
    for _ in range(quota(sl, "bracketing", S.BRACKETING_BUYERS_PER_10K_ORDERS)):
        apparel = [r for r in _physically_returned(sl, used)
                   if sl.products[lines[r.order_id][r.lines[0][0]]].category in S.APPAREL_CATEGORIES]  # fmt: skip
        chosen = pick_within(rng, apparel, G.weighted(rng, S.BRACKETING_REFUNDS)[0], S.BRACKETING_SPAN_DAYS)
        if not chosen or not repeat:
            return
        buyer = orders_of[repeat.pop(rng.randrange(len(repeat)))][0].buyer
        moved = {r.order_id for r in chosen}
        sl.orders = [replace(o, buyer=buyer) if o.order_id in moved else o for o in sl.orders]
        for r in chosen:
            afn = sl.shipments[r.order_id].channel == "AFN"
            set_reason(sl, r, G.weighted(rng, S.FBA_SIZING_REASONS if afn else S.MFN_SIZING_REASONS)[0])
            grade(sl, r.order_id, "SELLABLE")
        used |= moved


def _procrastinators(sl: Slice, rng: random.Random, used: set[str]) -> None:
    """Clean FBA returns requested in the window's last WARDROBING_LAST_DAYS days (the timing of
    wardrobing), most units back SELLABLE. Only returns without a reimbursement move, and only
    if the whole chain (request, refund, return) still falls before as_of."""
    reimbursed = {r.order_id for r in sl.reimbursements if r.order_id}
    orders = {o.order_id: o for o in sl.orders}
    returns = {x.order_id: x for x in sl.fba_returns if x.status in INVENTORY_STATUSES}
    clean = [r for r in _physically_returned(sl, used) if r.order_id in returns]
    cands = []
    for r in clean:
        if r.order_id in reimbursed:
            continue
        end = G.return_window_end(orders[r.order_id])
        requested = end - timedelta(days=rng.uniform(0.1, S.WARDROBING_LAST_DAYS - 0.5))
        posted = requested + timedelta(days=rng.uniform(0.2, 1.5))
        returned = posted + timedelta(days=rng.uniform(1, 6))
        if returned < sl.as_of:
            cands.append((r, requested, posted, returned))
    n = round(S.LATE_RETURN_SHARE * len(clean))
    for r, requested, posted, returned in rng.sample(cands, min(n, len(cands))):
        sl.refunds[sl.refunds.index(r)] = replace(r, requested_at=requested, posted_at=posted)
        sl.refund_postings[r.refund_id] = replace(sl.refund_postings[r.refund_id], posted_at=posted)
        x = returns[r.order_id]
        disposition = G.weighted(rng, S.LATE_RETURN_DISPOSITIONS)[0]
        sl.fba_returns[sl.fba_returns.index(x)] = replace(
            x, return_date=returned, detailed_disposition=disposition, status="Unit returned to inventory"
        )
        used.add(r.order_id)


def _fc_misgrades(sl: Slice, rng: random.Random, used: set[str]) -> None:
    """The fulfilment centre books a clean return as "Different item received" (FC_MISGRADE_SHARE)."""
    for i, x in enumerate(sl.fba_returns):
        if x.order_id in used or x.status not in INVENTORY_STATUSES:
            continue
        if rng.random() < S.FC_MISGRADE_SHARE:
            sl.fba_returns[i] = replace(x, detailed_disposition="CUSTOMER_DAMAGED", status="Different item received")
