"""Balances, payouts and expected payouts derived from the world (docs/CASHFLOW.md), and the
four cash-flow scenarios of the demo world's ground truth."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from acorn.cashflow.mechanics import release_at
from acorn.marketplaces import BY_CODE, BY_ID
from acorn_sim.world import cashflow
from acorn_sim.world.cashflow import Ledger, day_end, flows_of
from acorn_sim.world.generator import build_world
from acorn_sim.world.synthetic import SyntheticWorld

pytestmark = pytest.mark.unit

CENT = Decimal("0.01")


def _ledger(world: SyntheticWorld, seller_id: str, code: str) -> Ledger:
    mp_id = BY_CODE[code].marketplace_id
    return next(x for x in world.ledgers(seller_id) if x.marketplace_id == mp_id)


def _row(world: SyntheticWorld, kind: str):  # noqa: ANN202 - GroundTruthRow
    (row,) = [r for r in world.ground_truth() if r.kind == kind]
    return row


def _ts(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _group_total(led: Ledger, start: datetime, end: datetime) -> Decimal:
    return led.settled(end) - led.settled(start)


# ------------------------------------------------------------------ DD+7


def test_a_tokyo_friday_delivery_is_released_on_saturday_00_00_jst_a_week_later() -> None:
    delivered = datetime(2026, 9, 4, 10, 30, tzinfo=ZoneInfo("Asia/Tokyo"))  # Friday, local
    released = release_at(delivered.astimezone(UTC), "Asia/Tokyo")
    assert released == datetime(2026, 9, 11, 15, tzinfo=UTC)  # Saturday 12 Sep 00:00 JST
    assert released == datetime(2026, 9, 4, 15, tzinfo=UTC) + timedelta(days=7)  # Friday 15:00Z + 7 d
    late_evening = datetime(2026, 9, 4, 23, 59, tzinfo=ZoneInfo("Asia/Tokyo")).astimezone(UTC)
    assert release_at(late_evening, "Asia/Tokyo") == released  # same local day, same release


def test_every_deferral_matures_at_00_00_local_of_delivery_date_plus_8(world: SyntheticWorld) -> None:
    orders = {o.order_id: o for o in world.data.orders}
    seen = {"DD7": 0, "DD14": 0}
    for p in world.data.postings:
        if p.deferral is None:
            continue
        order = orders[p.order_id]
        days = {"DD7": 7, "DD14": 14}[p.deferral.reason]
        seen[p.deferral.reason] += 1
        tz = BY_CODE[p.marketplace].time_zone
        assert p.deferral.maturity == release_at(order.delivered_at, tz, days)
        local = p.deferral.maturity.astimezone(ZoneInfo(tz))
        assert (local.hour, local.minute) == (0, 0)
        assert local.date() == order.delivered_at.astimezone(ZoneInfo(tz)).date() + timedelta(days=days + 1)
    assert seen["DD7"] > 100 and seen["DD14"] > 10


def test_the_review_span_defers_de_deliveries_dd14_and_only_there(world: SyntheticWorld) -> None:
    row = _row(world, "cashflow_account_review")
    assert BY_ID[row.marketplace_id].code == "DE"
    frm, to = _ts(row.keys["review_from"]), _ts(row.keys["review_to"])
    orders = {o.order_id: o for o in world.data.orders}
    held = [p for p in world.data.postings if p.deferral is not None and p.deferral.reason == "DD14"]
    assert held and all(p.marketplace == "DE" and frm <= orders[p.order_id].delivered_at < to for p in held)
    assert row.expected_amount == sum(p.total for p in held)
    in_span_dd7 = [p for p in world.data.postings if p.deferral is not None and p.marketplace == "DE"
                   and frm <= orders[p.order_id].delivered_at < to and p.deferral.reason == "DD7"]  # fmt: skip
    assert not in_span_dd7


# ------------------------------------------------------------- balances


def test_balances_add_up_to_the_cent_at_every_day_end(world: SyntheticWorld, seller_id: str) -> None:
    checked = 0
    for day in (date(2026, 8, 20) + timedelta(days=k) for k in range(0, 72, 3)):
        for tree in world.balances(seller_id, marketplace_ids=None, as_of_date=day, balance_type="TOTAL",
                                   now=world.as_of):  # fmt: skip
            total = Decimal(str(tree["amount"]["currencyAmount"]))
            available, reserved = tree["balances"]
            assert [available["balanceType"], reserved["balanceType"]] == ["AVAILABLE", "RESERVED"]
            deferred, alr = reserved["balances"]
            assert [deferred["balanceType"], alr["balanceType"]] == ["DEFERRED", "ACCOUNT_LEVEL_RESERVE"]

            def amount(node: dict) -> Decimal:
                return Decimal(str(node["amount"]["currencyAmount"]))

            assert total == amount(available) + amount(reserved)
            assert amount(reserved) == amount(deferred) + amount(alr)
            assert tree["asOfDate"] == f"{day.isoformat()}T00:00:00Z"
            checked += 1
    assert checked > 100


def test_as_of_date_is_the_ending_balance_of_the_local_day(world: SyntheticWorld, seller_id: str) -> None:
    led = _ledger(world, seller_id, "JP")
    day = date(2026, 9, 10)
    t = day_end(day, "Asia/Tokyo")
    assert t == datetime(2026, 9, 10, 15, tzinfo=UTC)
    (tree,) = world.balances(seller_id, marketplace_ids=[led.marketplace_id], as_of_date=day,
                             balance_type="AVAILABLE", now=world.as_of)  # fmt: skip
    assert Decimal(str(tree["amount"]["currencyAmount"])) == led.available(t)
    assert "balances" not in tree  # AVAILABLE alone has no children


def test_deferred_is_what_was_posted_and_not_yet_released(world: SyntheticWorld, seller_id: str) -> None:
    led = _ledger(world, seller_id, "DE")
    t = datetime(2026, 10, 1, tzinfo=UTC)
    txns = world.transactions(seller_id, marketplace_id=led.marketplace_id, posted_after=datetime(2000, 1, 1, tzinfo=UTC),
                              posted_before=t)  # fmt: skip
    expected = sum(
        (Decimal(str(x["totalAmount"]["currencyAmount"])) for x in txns
         for c in x.get("contexts") or () if c["contextType"] == "DeferredContext" and _ts(c["maturityDate"]) >= t),
        Decimal(0),
    )  # fmt: skip
    assert led.deferred(t) == expected > 0


# -------------------------------------------------------------- payouts


def test_each_payout_is_the_available_balance_at_its_close(world: SyntheticWorld, seller_id: str) -> None:
    for led in world.ledgers(seller_id):
        originals = [p for p in led.payouts if p.resent_of is None]
        closed = [c for c in led.closes if c["closed"]]
        assert [p.settlement_id for p in sorted(originals, key=lambda p: p.period_end)] == [
            c["settlement_id"] for c in closed
        ]
        for p in originals:
            available = led.available(p.period_end)
            if p.amount is None:
                assert available <= 0 and [e.status for e in p.history] == ["NO_PAYOUT"]
            else:
                assert p.amount == available > 0
                assert p.history[0].status == "STARTED" and p.history[0].at == p.period_end
                if p.failed_at is None:
                    assert [e.status for e in p.history] == ["STARTED", "IN_TRANSIT", "PAID"]
                    assert led.available(p.period_end + timedelta(microseconds=1)) == 0
            times = [e.at for e in p.history]
            assert times == sorted(times)


def test_payouts_differ_from_group_totals_only_where_a_scenario_intervenes(world: SyntheticWorld,
                                                                           seller_id: str) -> None:  # fmt: skip
    for code in ("US", "UK", "JP", "ES"):
        led = _ledger(world, seller_id, code)
        for p in led.payouts:
            assert p.amount == _group_total(led, p.period_start, p.period_end)


def test_payout_settlement_id_is_the_v2_settlement_reports(world: SyntheticWorld, seller_id: str) -> None:
    by_period = {}
    for f in world.settlement_reports(seller_id):
        header = f.content.decode(f.encoding).splitlines()[1].split("\t")
        by_period[(f.marketplace_ids[0], f.data_start_time, f.data_end_time)] = header[0]
    matched = 0
    for led in world.ledgers(seller_id):
        for p in led.payouts:
            sid = by_period.get((led.marketplace_id, p.period_start, p.period_end))
            if sid is not None:
                assert p.settlement_id == sid
                matched += 1
    assert matched > 50


def test_negative_cycle_pays_nothing_and_carries_the_negative(world: SyntheticWorld, seller_id: str) -> None:
    row = _row(world, "cashflow_negative_carry")
    assert BY_ID[row.marketplace_id].code == "PL"
    led = _ledger(world, seller_id, "PL")
    (p,) = [x for x in led.payouts if x.settlement_id == row.keys["settlement_id"]]
    assert p.amount is None and p.render()["currentStatus"] == "NO_PAYOUT" and "type" not in p.render()
    carried = led.available(p.period_end)
    assert carried == -row.expected_amount < 0
    (nxt,) = [x for x in led.payouts if x.settlement_id == row.keys["next_settlement_id"]]
    assert nxt.amount == _group_total(led, nxt.period_start, nxt.period_end) + carried
    cbs = [x for x in world.data.postings if x.kind == "Chargeback" and x.marketplace == "PL"
           and p.period_start <= x.posted_at < p.period_end]  # fmt: skip
    assert len(cbs) >= 5  # a cluster of chargebacks made it negative


def test_a_failed_payout_is_re_sent_and_the_expected_payout_is_at_risk_in_between(world: SyntheticWorld,
                                                                                  seller_id: str) -> None:  # fmt: skip
    row = _row(world, "cashflow_payout_failed")
    assert BY_ID[row.marketplace_id].code == "IT"
    led = _ledger(world, seller_id, "IT")
    failed = next(p for p in led.payouts if p.payout_id == row.keys["payout_id"])
    resent = next(p for p in led.payouts if p.payout_id == row.keys["resent_payout_id"])
    assert [e.status for e in failed.history] == ["STARTED", "IN_TRANSIT", "FAILED"]
    assert failed.history[-1].failure_reason and failed.failed_at == _ts(row.keys["failed_at"])
    assert resent.created_at == _ts(row.keys["resent_at"]) and resent.resent_of == failed.payout_id
    assert (resent.amount, resent.settlement_id, resent.period_end) == (failed.amount, failed.settlement_id,
                                                                        failed.period_end)  # fmt: skip
    assert failed.amount == row.expected_amount
    f_at, r_at = failed.failed_at, resent.created_at
    # the failed money is back in AVAILABLE until it is re-sent
    assert led.available(f_at + timedelta(seconds=1)) - led.available(f_at - timedelta(seconds=1)) == \
        failed.amount + led.settled(f_at + timedelta(seconds=1)) - led.settled(f_at - timedelta(seconds=1))  # fmt: skip
    assert led.expected(f_at - timedelta(minutes=1))["status"] == "SCHEDULED"
    assert led.expected(f_at + timedelta(minutes=1))["status"] == "AT_RISK"
    assert led.expected(r_at - timedelta(minutes=1))["status"] == "AT_RISK"
    assert led.expected(r_at + timedelta(minutes=1))["status"] in ("SCHEDULED", "NO_PAYOUT_EXPECTED")
    # the world's present is inside the failure: the demo sees AT_RISK and the FAILED payout
    assert f_at <= world.as_of < r_at
    at_present = {p["id"]: p for p in world.payouts(seller_id, now=world.as_of)}
    assert at_present[failed.payout_id]["currentStatus"] == "FAILED" and resent.payout_id not in at_present
    later = {p["id"]: p for p in world.payouts(seller_id, now=r_at + timedelta(days=3))}
    assert later[resent.payout_id]["currentStatus"] == "PAID"


def test_the_fr_reserve_is_held_then_released(world: SyntheticWorld, seller_id: str) -> None:
    row = _row(world, "cashflow_account_reserve")
    assert BY_ID[row.marketplace_id].code == "FR"
    led = _ledger(world, seller_id, "FR")
    frm, to = _ts(row.keys["reserve_from"]), _ts(row.keys["reserve_to"])
    assert led.reserve(frm - timedelta(seconds=1)) == 0 and led.reserve(to) == 0
    assert led.reserve(frm) == led.reserve(to - timedelta(seconds=1)) == row.expected_amount > 0
    b = led.balances(frm + timedelta(days=1))
    assert b["ACCOUNT_LEVEL_RESERVE"] == row.expected_amount
    assert b["RESERVED"] == b["DEFERRED"] + row.expected_amount
    inside = [p for p in led.payouts if frm < p.period_end < to]
    after = next(p for p in led.payouts if p.period_end > to)
    assert inside
    first = inside[0]
    assert first.amount == _group_total(led, first.period_start, first.period_end) - row.expected_amount
    assert after.amount == _group_total(led, after.period_start, after.period_end) + row.expected_amount


# ------------------------------------------------------------ expected payouts


def test_the_expected_payout_uses_only_the_past(world: SyntheticWorld, seller_id: str) -> None:
    for code in ("DE", "FR", "IT", "PL"):
        led = _ledger(world, seller_id, code)
        txns = world.transactions(seller_id, marketplace_id=led.marketplace_id,
                                  posted_after=datetime(2000, 1, 1, tzinfo=UTC), posted_before=world.as_of)  # fmt: skip
        for now in (datetime(2026, 9, 20, 13, tzinfo=UTC), datetime(2026, 10, 15, 2, tzinfo=UTC)):
            known = Ledger(led.spec, [f for f in flows_of(txns) if f.posted_at < now])
            assert known.expected(now) == led.expected(now)
            assert known.balances(now) == led.balances(now)
            e = led.expected(now)
            assert Decimal(str(e["amount"]["currencyAmount"])) == led.available(now).quantize(CENT)
            assert (
                e["period"]["startDate"] <= cashflow.iso_z(now) < e["period"]["endDate"] == e["scheduledDate"]
            )


def test_expected_payout_statuses(world: SyntheticWorld, seller_id: str) -> None:
    pl = _ledger(world, seller_id, "PL")
    row = _row(world, "cashflow_negative_carry")
    (p,) = [x for x in pl.payouts if x.settlement_id == row.keys["settlement_id"]]
    assert pl.expected(p.period_end - timedelta(hours=1))["status"] == "NO_PAYOUT_EXPECTED"
    assert pl.expected(p.period_end - timedelta(days=20))["status"] == "SCHEDULED"


# ------------------------------------------------------------- the option


def test_each_scenario_can_be_switched_on_alone() -> None:
    w = build_world(5, days=70, marketplaces=("FR", "IT"), cashflow_scenarios={"reserve": "FR"})
    kinds = sorted(r.kind for r in w.ground_truth() if r.kind.startswith("cashflow"))
    assert kinds == ["cashflow_account_reserve"]
    clean = build_world(5, days=70, marketplaces=("FR", "IT"), anomalies=False)
    assert not [r for r in clean.ground_truth() if r.kind.startswith("cashflow")]
    sid = clean.sellers()[0].selling_partner_id
    for led in clean.ledgers(sid):
        assert all(led.reserve(c["end"]) == 0 for c in led.closes)
        assert all(p.failed_at is None and p.amount is not None for p in led.payouts)
