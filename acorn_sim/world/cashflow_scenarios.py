"""The cash-flow scenarios the world injects (docs/CASHFLOW.md, "The simulated world's scenarios").

One of each, in its own marketplace, for every seller of a world built with anomalies (the demo
world); `build_world(cashflow_scenarios=...)` switches each on or off:

* ``review`` (DE): the account is under review for a span; orders delivered in it are deferred
  DD+14 instead of DD+7 (applied by the generator to the shipments, `review_span`).
* ``reserve`` (FR): an account-level reserve appears mid-cycle and is released about four weeks
  later; while it is in force it is taken from AVAILABLE and shown in RESERVED.
* ``payout_failure`` (IT): the payout of the last period closed long enough before `as_of`
  fails (the bank returns it) and is re-sent three days later (at the earliest 12 h after
  `as_of`, so the sandbox starts inside the failure) as a new payout for the same period and
  amount; between the two the expected payout is AT_RISK.
* ``negative_carry`` (PL): a cluster of card chargebacks on earlier orders lands in the
  lowest-sales closed period, so its close pays nothing (NO_PAYOUT) and the negative balance
  carries into the next period. Chargebacks, not refunds: they need no customer return, so the
  return and reimbursement records (and the models that learn from them) are untouched.

Each is recorded in the ground truth (layer ``cashflow``) with its dates and amounts, computed
from the same `Ledger` the sandbox serves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from statistics import median
from typing import TYPE_CHECKING, Any

from acorn.marketplaces import BY_CODE
from acorn_sim.world.cashflow import Flow, Ledger, spec_of
from acorn_sim.world.money import iso_z

if TYPE_CHECKING:  # pragma: no cover
    from acorn_sim.world.anomalies import Slice
    from acorn_sim.world.model import Posting, SettlementGroup

DEFAULT_SCENARIOS: Mapping[str, str] = {
    "review": "DE", "reserve": "FR", "payout_failure": "IT", "negative_carry": "PL",
}  # fmt: skip
# The review span, as days before as_of (deliveries in [as_of - 50 d, as_of - 22 d)).
REVIEW_FROM_DAYS, REVIEW_TO_DAYS = 50, 22
RESERVE_SHARE = Decimal("0.25")  # of the median closed period's total
FAILED_AFTER = timedelta(days=1, hours=3)  # after IN_TRANSIT: the bank returns the transfer
RESENT_AFTER = timedelta(days=3)  # after the failure: a new payment method is verified
RESENT_AFTER_AS_OF = timedelta(hours=12)
MAX_CHARGEBACKS = 80
NEGATIVE_MARGIN = Decimal("0.05")  # the period ends this share of its sales below zero


def scenarios_for(code: str, switched_on: Mapping[str, str]) -> set[str]:
    return {name for name, c in switched_on.items() if c == code}


def review_span(as_of: datetime) -> tuple[datetime, datetime]:
    return as_of - timedelta(days=REVIEW_FROM_DAYS), as_of - timedelta(days=REVIEW_TO_DAYS)


def flows_of_postings(postings: Sequence[Posting]) -> list[Flow]:
    return [Flow(p.posted_at, max(p.posted_at, p.settles_at()), p.total) for p in postings]


def ledger(sl: Slice, groups: Sequence[SettlementGroup], postings: Sequence[Posting],
           scenarios: Mapping[str, Any] | None = None) -> Ledger:  # fmt: skip
    mp = BY_CODE[sl.code]
    spec = spec_of(sl.seller.seller_id, mp.marketplace_id, mp.currency, sl.seller.account_tails[sl.code],
                   groups, scenarios)  # fmt: skip
    return Ledger(spec, flows_of_postings(postings))


def _closed(groups: Sequence[SettlementGroup]) -> list[SettlementGroup]:
    return sorted((g for g in groups if g.closed), key=lambda g: g.start)


def record_review(sl: Slice, postings: Sequence[Posting]) -> None:
    held = [p for p in postings if p.deferral is not None and p.deferral.reason == "DD14"]
    frm, to = review_span(sl.as_of)
    sl.record("cashflow_account_review", {"review_from": iso_z(frm), "review_to": iso_z(to)},
              sum((p.total for p in held), Decimal(0)) or None,
              f"account under review: {len(held)} deliveries deferred DD+14 instead of DD+7", frm)  # fmt: skip


def negative_carry(sl: Slice, groups: Sequence[SettlementGroup]) -> SettlementGroup | None:
    """Add a chargeback cluster to the lowest-sales closed period (not the first or the last)."""
    from acorn_sim.world import generator as G

    closed = _closed(groups)[1:-1]
    if not closed:
        return None
    postings = sl.postings()

    def net(g: SettlementGroup) -> Decimal:
        return sum((p.total for p in postings if g.start <= p.settles_at() < g.end), Decimal(0))

    def sales(g: SettlementGroup) -> Decimal:
        return sum((p.total for p in postings if p.kind == "Shipment" and g.start <= p.settles_at() < g.end),
                   Decimal(0))  # fmt: skip

    target = min(closed, key=lambda g: (sales(g), g.start))
    refunded = {r.order_id for r in sl.refunds} | {p.order_id for p in sl.extra_postings if p.order_id}
    orders = {o.order_id: o for o in sl.orders}
    candidates = [
        (s, orders[oid]) for oid, s in sorted(sl.shipments.items())
        if oid not in refunded and oid not in sl.taken and s.deferral is None
        and orders[oid].delivered_at is not None and orders[oid].delivered_at < target.start - timedelta(days=3)
        and orders[oid].delivered_at > target.start - timedelta(days=45)
    ]  # fmt: skip
    candidates.sort(key=lambda c: (-c[0].total, c[1].order_id))
    balance = net(target)
    floor = -NEGATIVE_MARGIN * max(Decimal(1), sales(target))
    span = (target.end - target.start - timedelta(days=2)).total_seconds()
    added = 0
    for shipment, order in candidates[:MAX_CHARGEBACKS]:
        if balance <= floor:
            break
        when = target.start + timedelta(days=1, seconds=int(span * ((added * 0.6180339887) % 1.0)))
        cb = G.chargeback_posting(sl.seed, order, shipment, when)
        sl.extra_postings.append(cb)
        sl.taken.add(order.order_id)
        balance += cb.total
        added += 1
    return target


def record_negative(sl: Slice, target: SettlementGroup, led: Ledger) -> None:
    paid = {p.settlement_id: p for p in led.payouts}
    p = paid.get(target.settlement_id)
    carried = led.available(target.end)
    nxt = next((g for g in led.closes if g["start"] == target.end), None)
    keys = {"settlement_id": target.settlement_id, "financial_event_group_id": target.group_id,
            "payout_id": p.payout_id if p else "",
            "next_settlement_id": nxt["settlement_id"] if nxt else ""}  # fmt: skip
    sl.record("cashflow_negative_carry", keys, -carried if carried < 0 else None,
              f"chargeback cluster: NO_PAYOUT at {iso_z(target.end)}, {carried} {sl.currency} carried",
              target.end)  # fmt: skip


def reserve_spec(sl: Slice, groups: Sequence[SettlementGroup]) -> dict[str, Any] | None:
    closed = _closed(groups)
    if len(closed) < 4:
        return None
    amount = RESERVE_SHARE * Decimal(median([g.total for g in closed]))
    amount = max(Decimal(10), (amount / 10).quantize(Decimal(1)) * 10)
    frm = closed[-4].start + timedelta(days=3, hours=9)
    to = closed[-2].start + timedelta(days=5, hours=14)
    return {"from": iso_z(frm), "to": iso_z(to), "amount": str(amount)}


def record_reserve(sl: Slice, reserve: Mapping[str, Any]) -> None:
    frm = datetime.fromisoformat(reserve["from"].replace("Z", "+00:00"))
    sl.record("cashflow_account_reserve", {"reserve_from": reserve["from"], "reserve_to": reserve["to"]},
              Decimal(reserve["amount"]), "account-level reserve held, then released", frm)  # fmt: skip


def failure_spec(
    sl: Slice, groups: Sequence[SettlementGroup], postings: Sequence[Posting]
) -> dict[str, Any] | None:
    closed = _closed(groups)
    led = ledger(sl, groups, postings)
    amounts = {p.settlement_id: p.amount for p in led.payouts}
    for i in range(len(closed) - 1, -1, -1):
        g = closed[i]
        if g.fund_transfer_date is None or not amounts.get(g.settlement_id):
            continue
        failed = g.fund_transfer_date + FAILED_AFTER
        if failed >= sl.as_of:
            continue
        next_end = closed[i + 1].end if i + 1 < len(closed) else g.end + (g.end - g.start)
        # Re-sent three days later, but not before the world's present: at `as_of` (where the
        # sandbox clock starts) the payment method is still failing, the expected payout AT_RISK.
        resent = min(max(failed + RESENT_AFTER, sl.as_of + RESENT_AFTER_AS_OF), next_end - timedelta(hours=6))
        return {"settlement_id": g.settlement_id, "failed_at": iso_z(failed), "resent_at": iso_z(resent),
                "reason": "Bank account closed"}  # fmt: skip
    return None


def record_failure(sl: Slice, failure: Mapping[str, Any], led: Ledger) -> None:
    failed = next(p for p in led.payouts if p.settlement_id == failure["settlement_id"] and p.failed_at)
    resent = next(p for p in led.payouts if p.resent_of == failed.payout_id)
    keys = {"settlement_id": failure["settlement_id"], "payout_id": failed.payout_id,
            "resent_payout_id": resent.payout_id, "failed_at": failure["failed_at"],
            "resent_at": failure["resent_at"]}  # fmt: skip
    assert failed.failed_at is not None
    sl.record("cashflow_payout_failed", keys, failed.amount,
              "payout FAILED (bank account closed), re-sent; expected payout AT_RISK in between",
              failed.failed_at)  # fmt: skip
