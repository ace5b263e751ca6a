"""Balances, payouts and expected payouts, derived from a world's own Transactions and v0 groups.

docs/CASHFLOW.md is the contract. Per (seller, marketplace) a `Ledger` is built from

* the shard's Transactions (Finances 2024-06-19, as served at the world's `as_of`): each one
  settles at its `maturityDate` if it carries a DeferredContext, else at its `postedDate`;
* a `spec` (`cashflow_spec`): the v0 settlement groups (start, end = the settlement close, the
  V2 settlement id of the period, the bank transfer time and trace id) and the injected
  cash-flow scenarios (an account-level reserve in force for a span, a failed payout re-sent).

Everything else follows from those: at an instant `t`

    DEFERRED(t)  = sum of transactions with posted_at < t <= settles_at
    settled(t)   = sum of transactions with settles_at < t
    AVAILABLE(t) = settled(t) - payouts initiated before t that had not failed by t - RESERVE(t)
    RESERVED(t)  = DEFERRED(t) + RESERVE(t);  TOTAL(t) = AVAILABLE(t) + RESERVED(t)

and at each closed group's end `c` one payout of AVAILABLE(c) if positive (STARTED at c,
IN_TRANSIT at the group's FundTransferDate, PAID one or two days later), else a NO_PAYOUT
whose negative stays in AVAILABLE and so carries into the next period. A payout differs from
its group's OriginalTotal whenever a reserve, a carried negative or a re-sent payout sits in
between (and by any injected `transfer_delta`: the payout follows the transactions).

Both `SyntheticWorld` and `DiskWorld` build their ledgers through `Ledger(spec, flows_of(txns))`
from the transactions they serve, so the two serve identical figures by construction. Only the
past of the world is known: transactions posted after `as_of` do not exist, and only groups
closed by `as_of` have payouts (a sandbox clock run past the open group's end sees no new one).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from acorn.marketplaces import BY_ID, CURRENCY_EXPONENTS
from acorn_sim.world import ids
from acorn_sim.world.money import iso_z

JSON = dict[str, Any]
ZERO = Decimal(0)

# Amazon documents the Transfers API for these stores only (transfers_2024-06-01.json).
TRANSFERS_CODES: tuple[str, ...] = ("DE", "FR", "IT", "ES", "SE", "NL", "PL", "BE")
BALANCE_TYPES: tuple[str, ...] = ("TOTAL", "AVAILABLE", "RESERVED", "DEFERRED", "ACCOUNT_LEVEL_RESERVE")
# The models spell the one account type differently: listBalances' example "Standard Orders"
# (as listTransactions' sellingPartnerMetadata), the Transfers examples "STANDARD_ORDERS".
BALANCES_ACCOUNT_TYPE = "Standard Orders"
TRANSFERS_ACCOUNT_TYPE = "STANDARD_ORDERS"
PAYMENT_METHOD = "BANK_ACCOUNT"
FAILURE_REASON = "Bank account closed"


def account_type_matches(asked: str | None) -> bool:
    """An `accountType` filter naming the one account type the world has (either spelling)."""
    if asked is None or asked == "":
        return True
    return asked.strip().upper().replace(" ", "_") == TRANSFERS_ACCOUNT_TYPE


def payment_rail(currency: str) -> str:
    return "SEPA" if currency == "EUR" else "DOMESTIC_TRANSFER"


def day_end(day: date, time_zone: str) -> datetime:
    """The instant `asOfDate=day` means: 00:00 of the next local day, in UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(time_zone)).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Flow:
    posted_at: datetime
    settles_at: datetime  # the DeferredContext maturityDate, else posted_at
    amount: Decimal


def _ts(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def flows_of(transactions: Iterable[Mapping[str, Any]]) -> list[Flow]:
    """The money movements of served Transactions (a deferred one settles at its maturityDate)."""
    out = []
    for t in transactions:
        posted = _ts(t["postedDate"])
        settles = posted
        for ctx in t.get("contexts") or ():
            if ctx.get("contextType") == "DeferredContext" and ctx.get("maturityDate"):
                settles = max(posted, _ts(ctx["maturityDate"]))
        out.append(Flow(posted, settles, Decimal(str(t["totalAmount"]["currencyAmount"]))))
    return out


@dataclass(frozen=True, slots=True)
class StatusEntry:
    status: str  # STARTED | IN_TRANSIT | PAID | FAILED | NO_PAYOUT
    at: datetime
    failure_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Payout:
    payout_id: str
    seller_id: str
    marketplace_id: str
    currency: str
    settlement_id: str
    period_start: datetime
    period_end: datetime
    created_at: datetime
    amount: Decimal | None  # None: NO_PAYOUT
    history: tuple[StatusEntry, ...]
    trace_id: str | None
    account_tail: str
    resent_of: str | None = None  # the failed payout this one re-sends

    @property
    def failed_at(self) -> datetime | None:
        return next((e.at for e in self.history if e.status == "FAILED"), None)

    def as_of(self, now: datetime) -> Payout | None:
        """What Amazon shows at `now`: None before its creation, else its history up to now."""
        if self.created_at > now:
            return None
        return replace(self, history=tuple(e for e in self.history if e.at <= now))

    def render(self) -> JSON:
        """The Transfers 2024-06-01 Payout object."""
        current = self.history[-1]
        out: JSON = {
            "id": self.payout_id,
            "partnerMetadata": {"partnerId": self.seller_id, "accountType": TRANSFERS_ACCOUNT_TYPE,
                                "marketplaceId": self.marketplace_id},
            "currentStatus": current.status,
            "statusHistory": [
                {"status": e.status, "lastUpdatedDate": iso_z(e.at)}
                | ({"failureReason": e.failure_reason} if e.failure_reason else {})
                for e in self.history
            ],
        }  # fmt: skip
        if self.amount is not None:
            out["type"] = "SCHEDULED"
            out["amount"] = {"currencyCode": self.currency, "currencyAmount": self.amount}
        out |= {"accountTail": self.account_tail, "paymentMethod": PAYMENT_METHOD,
                "creationDate": iso_z(self.created_at)}  # fmt: skip
        if self.amount is not None:
            out["paymentRail"] = payment_rail(self.currency)
            if self.trace_id:
                out["traceId"] = self.trace_id
        out["period"] = {"startDate": iso_z(self.period_start), "endDate": iso_z(self.period_end)}
        out["relatedIdentifiers"] = [{"relatedIdentifierName": "SETTLEMENT_ID",
                                      "relatedIdentifierValue": self.settlement_id}]  # fmt: skip
        return out


def _hours(*key: object, lo: int, hi: int) -> timedelta:
    """A stable delay in [lo, hi) hours from the ids hash (no random stream is consumed)."""
    return timedelta(hours=lo + int.from_bytes(ids.digest(*key)[:4], "big") % (hi - lo))


class Ledger:
    """One (seller, marketplace)'s cash: balances at any instant, its payouts, its expected payout."""

    def __init__(self, spec: Mapping[str, Any], flows: Sequence[Flow]) -> None:
        self.spec = spec
        self.seller_id: str = spec["seller_id"]
        self.marketplace_id: str = spec["marketplace_id"]
        self.currency: str = spec["currency"]
        self.time_zone: str = BY_ID[self.marketplace_id].time_zone
        self.account_tail: str = spec["account_tail"]
        self.exponent = CURRENCY_EXPONENTS[self.currency]
        by_settle = sorted(flows, key=lambda f: f.settles_at)
        self._settle_keys = [f.settles_at for f in by_settle]
        self._settle_sums = _prefix(f.amount for f in by_settle)
        deferred = [f for f in flows if f.settles_at > f.posted_at]
        by_post = sorted(deferred, key=lambda f: f.posted_at)
        self._dpost_keys = [f.posted_at for f in by_post]
        self._dpost_sums = _prefix(f.amount for f in by_post)
        by_release = sorted(deferred, key=lambda f: f.settles_at)
        self._drel_keys = [f.settles_at for f in by_release]
        self._drel_sums = _prefix(f.amount for f in by_release)
        self.reserves = [
            (_ts(r["from"]), _ts(r["to"]), Decimal(str(r["amount"]))) for r in spec.get("reserves", ())
        ]
        self.closes = [
            {**c, "start": _ts(c["start"]), "end": _ts(c["end"]),
             "transfer_at": _ts(c["transfer_at"]) if c.get("transfer_at") else None}
            for c in spec["closes"]
        ]  # fmt: skip
        self.failure = spec.get("failure")
        self.payouts: list[Payout] = []
        self._build_payouts()

    # ---------------------------------------------------------------- balances
    def settled(self, t: datetime) -> Decimal:
        return self._settle_sums[bisect.bisect_left(self._settle_keys, t)]

    def deferred(self, t: datetime) -> Decimal:
        posted = self._dpost_sums[bisect.bisect_left(self._dpost_keys, t)]
        released = self._drel_sums[bisect.bisect_left(self._drel_keys, t)]
        return posted - released

    def reserve(self, t: datetime) -> Decimal:
        return sum((amount for start, end, amount in self.reserves if start <= t < end), ZERO)

    def paid(self, t: datetime) -> Decimal:
        """Payouts initiated before `t` that had not failed by then."""
        total = ZERO
        for p in self.payouts:
            failed = p.failed_at
            if p.amount is not None and p.created_at < t and not (failed is not None and failed < t):
                total += p.amount
        return total

    def available(self, t: datetime) -> Decimal:
        return self.settled(t) - self.paid(t) - self.reserve(t)

    def balances(self, t: datetime) -> dict[str, Decimal]:
        deferred, reserve, available = self.deferred(t), self.reserve(t), self.available(t)
        reserved = deferred + reserve
        return {"TOTAL": available + reserved, "AVAILABLE": available, "RESERVED": reserved,
                "DEFERRED": deferred, "ACCOUNT_LEVEL_RESERVE": reserve}  # fmt: skip

    def render_balances(self, t: datetime, *, as_of_date: date | None, balance_type: str | None,
                        updated_at: datetime) -> list[JSON]:  # fmt: skip
        """listBalances Balance objects: TOTAL > (AVAILABLE, RESERVED > (DEFERRED, ACCOUNT_LEVEL_RESERVE))."""
        b = self.balances(t)

        def node(kind: str, children: Sequence[JSON] = (), top: bool = False) -> JSON:
            out: JSON = {}
            if top:
                out["partnerMetadata"] = {"partnerId": self.seller_id, "accountType": BALANCES_ACCOUNT_TYPE,
                                          "marketplaceId": self.marketplace_id}  # fmt: skip
            out["balanceType"] = kind
            out["amount"] = {"currencyCode": self.currency, "currencyAmount": self._q(b[kind])}
            if children:
                out["balances"] = list(children)
            if top:
                if as_of_date is not None:
                    out["asOfDate"] = f"{as_of_date.isoformat()}T00:00:00Z"
                out["lastUpdatedTime"] = iso_z(updated_at)
            return out

        def tree(kind: str, top: bool) -> JSON:
            if kind == "TOTAL":
                return node(kind, [tree("AVAILABLE", False), tree("RESERVED", False)], top)
            if kind == "RESERVED":
                return node(kind, [tree("DEFERRED", False), tree("ACCOUNT_LEVEL_RESERVE", False)], top)
            return node(kind, (), top)

        kinds = [balance_type] if balance_type else list(BALANCE_TYPES)
        return [tree(k, True) for k in kinds]

    def _q(self, amount: Decimal) -> Decimal:
        return amount.quantize(Decimal(1).scaleb(-self.exponent))

    # ----------------------------------------------------------------- payouts
    def _build_payouts(self) -> None:
        for c in self.closes:
            if not c["closed"]:
                continue
            end = c["end"]
            amount = self.available(end)
            key = (self.seller_id, self.marketplace_id, c["settlement_id"])
            payout_id = ids.digits(11, "payout", *key)
            if amount <= 0:
                self.payouts.append(Payout(
                    payout_id, self.seller_id, self.marketplace_id, self.currency, c["settlement_id"],
                    c["start"], end, end, None, (StatusEntry("NO_PAYOUT", end),), None, self.account_tail,
                ))  # fmt: skip
                continue
            transit = c["transfer_at"] or end + _hours(*key, "transit", lo=1, hi=6)
            failure = (
                self.failure if self.failure and self.failure["settlement_id"] == c["settlement_id"] else None
            )
            if failure is None:
                paid = transit + timedelta(days=1) + _hours(*key, "paid", lo=2, hi=30)
                history = (
                    StatusEntry("STARTED", end),
                    StatusEntry("IN_TRANSIT", transit),
                    StatusEntry("PAID", paid),
                )
                self.payouts.append(Payout(payout_id, self.seller_id, self.marketplace_id, self.currency,
                                           c["settlement_id"], c["start"], end, end, self._q(amount), history,
                                           c.get("trace_id"), self.account_tail))  # fmt: skip
                continue
            failed_at, resent_at = _ts(failure["failed_at"]), _ts(failure["resent_at"])
            history = (StatusEntry("STARTED", end), StatusEntry("IN_TRANSIT", transit),
                       StatusEntry("FAILED", failed_at, failure.get("reason") or FAILURE_REASON))  # fmt: skip
            self.payouts.append(Payout(payout_id, self.seller_id, self.marketplace_id, self.currency,
                                       c["settlement_id"], c["start"], end, end, self._q(amount), history,
                                       c.get("trace_id"), self.account_tail))  # fmt: skip
            resend_id = ids.digits(11, "payout-resent", *key)
            r_transit = resent_at + _hours(*key, "resent-transit", lo=1, hi=4)
            r_paid = r_transit + timedelta(days=1) + _hours(*key, "resent-paid", lo=2, hi=20)
            self.payouts.append(Payout(
                resend_id, self.seller_id, self.marketplace_id, self.currency, c["settlement_id"], c["start"], end,
                resent_at, self._q(amount),
                (StatusEntry("STARTED", resent_at), StatusEntry("IN_TRANSIT", r_transit), StatusEntry("PAID", r_paid)),
                ids.alnum(15, "trace-resent", *key), failure.get("new_account_tail") or self.account_tail,
                resent_of=payout_id,
            ))  # fmt: skip
        self.payouts.sort(key=lambda p: (p.created_at, p.payout_id))

    def payouts_at(self, now: datetime) -> list[Payout]:
        """The payouts Amazon shows at `now` (created by then, statuses up to then)."""
        return [v for p in self.payouts if (v := p.as_of(now)) is not None]

    # -------------------------------------------------------- expected payout
    def open_period(self, now: datetime) -> tuple[datetime, datetime, str | None]:
        """(start, close, settlement id) of the settlement period `now` falls in."""
        for c in self.closes:
            if c["start"] <= now < c["end"]:
                return c["start"], c["end"], c["settlement_id"]
        last = self.closes[-1]
        cycle = last["end"] - last["start"]
        start = last["end"]
        while start + cycle <= now:
            start += cycle
        return start, start + cycle, None

    def at_risk(self, now: datetime) -> bool:
        """The payment method is failing: a payout failed and its re-send has not started yet."""
        f = self.failure
        return bool(f) and _ts(f["failed_at"]) <= now < _ts(f["resent_at"])

    def expected(self, now: datetime) -> JSON:
        """The listExpectedPayouts ExpectedPayout of the open period, from what is known at `now`."""
        start, close, settlement_id = self.open_period(now)
        amount = self._q(self.available(now))
        status = "AT_RISK" if self.at_risk(now) else "SCHEDULED" if amount > 0 else "NO_PAYOUT_EXPECTED"
        out: JSON = {
            "partnerMetadata": {"partnerId": self.seller_id, "accountType": TRANSFERS_ACCOUNT_TYPE,
                                "marketplaceId": self.marketplace_id},
            "amount": {"currencyCode": self.currency, "currencyAmount": amount},
            "status": status,
            "period": {"startDate": iso_z(start), "endDate": iso_z(close)},
            "scheduledDate": iso_z(close),
            "accountTail": self.account_tail,
            "paymentMethod": PAYMENT_METHOD,
        }  # fmt: skip
        if settlement_id:
            out["relatedIdentifiers"] = [{"relatedIdentifierName": "SETTLEMENT_ID",
                                          "relatedIdentifierValue": settlement_id}]  # fmt: skip
        return out


def spec_of(seller_id: str, marketplace_id: str, currency: str, account_tail: str, groups: Iterable[Any],
            scenarios: Mapping[str, Any] | None = None) -> JSON:  # fmt: skip
    """A shard's ledger spec (JSON-able) from its `SettlementGroup`s and its injected scenarios."""
    closes = [
        {"group_id": g.group_id, "settlement_id": g.settlement_id, "start": iso_z(g.start), "end": iso_z(g.end),
         "closed": g.closed, "transfer_at": iso_z(g.fund_transfer_date) if g.fund_transfer_date else None,
         "trace_id": g.trace_id}
        for g in sorted(groups, key=lambda g: (g.start, g.group_id))
    ]  # fmt: skip
    scenarios = scenarios or {}
    return {"seller_id": seller_id, "marketplace_id": marketplace_id, "currency": currency,
            "account_tail": account_tail, "closes": closes, "reserves": list(scenarios.get("reserves", ())),
            "failure": scenarios.get("failure")}  # fmt: skip


def _prefix(amounts: Iterable[Decimal]) -> list[Decimal]:
    out = [ZERO]
    for a in amounts:
        out.append(out[-1] + a)
    return out


# ------------------------------------------------------------------ serving (World methods)


def balances_of(ledgers: Iterable[Ledger], *, marketplace_ids: Sequence[str] | None, as_of_date: date | None,
                balance_type: str | None, now: datetime) -> list[JSON]:  # fmt: skip
    """listBalances: one Balance tree per marketplace (its ending balance of local day `as_of_date`,
    or the balance at `now` when no date is given), in marketplace id order."""
    out = []
    for led in sorted(ledgers, key=lambda x: x.marketplace_id):
        if marketplace_ids and led.marketplace_id not in marketplace_ids:
            continue
        t = day_end(as_of_date, led.time_zone) if as_of_date is not None else now
        out += led.render_balances(
            t, as_of_date=as_of_date, balance_type=balance_type, updated_at=min(t, now)
        )
    return out


def payouts_of(ledgers: Iterable[Ledger], *, now: datetime) -> list[JSON]:
    """listPayouts: every payout created by `now`, most recent first (statuses up to `now`)."""
    found = [p for led in ledgers for p in led.payouts_at(now)]
    found.sort(key=lambda p: (p.created_at, p.payout_id), reverse=True)
    return [p.render() for p in found]


def expected_of(ledgers: Iterable[Ledger], *, now: datetime) -> list[JSON]:
    """listExpectedPayouts: the open period's expected payout per marketplace, as known at `now`."""
    return [led.expected(now) for led in sorted(ledgers, key=lambda x: x.marketplace_id) if led.closes]


def ledgers_of(specs: Iterable[Mapping[str, Any]], transactions: Sequence[Mapping[str, Any]]) -> list[Ledger]:
    """One Ledger per spec from the Transactions served for its marketplace.

    `DiskWorld` (a seller's shards merged) and the lake export's shard reader (one
    shard) both build their ledgers here, so the two serve the same figures.
    """
    return [
        Ledger(spec, flows_of(t for t in transactions
                              if t["marketplaceDetails"]["marketplaceId"] == spec["marketplace_id"]))
        for spec in specs
    ]  # fmt: skip


# ------------------------------------------------------------------ listing (what the API answers)
# The filters a listing applies to the World's objects. The sandbox routes and the lake
# export's reader both call these, so a lake written from disk holds what a run against
# the sandbox lands.


def select_payouts(payouts: Iterable[JSON], *, marketplace_ids: Sequence[str], created_after: datetime | None,
                   created_before: datetime | None, payout_id: str | None) -> list[JSON]:  # fmt: skip
    """listPayouts: the payouts of these marketplaces created in [created_after, created_before)."""
    return [
        p for p in payouts
        if p["partnerMetadata"]["marketplaceId"] in marketplace_ids
        and (created_after is None or _ts(p["creationDate"]) >= created_after)
        and (created_before is None or _ts(p["creationDate"]) < created_before)
        and (payout_id is None or p["id"] == payout_id)
    ]  # fmt: skip


def select_expected(expected: Iterable[JSON], *, marketplace_ids: Sequence[str]) -> list[JSON]:
    """listExpectedPayouts: the expected payouts of these marketplaces."""
    return [e for e in expected if e["partnerMetadata"]["marketplaceId"] in marketplace_ids]


def balance_day_ended(as_of_date: date, time_zones: Iterable[str], now: datetime) -> bool:
    """Whether `asOfDate` names a local day that has ended at `now` in every zone (else a 400)."""
    return all(day_end(as_of_date, z) <= now for z in time_zones)
