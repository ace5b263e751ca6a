"""Invariants of the seeded synthetic seller world (acorn_sim.world)."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from acorn.marketplaces import BY_CODE, BY_ID, DEMO_CODES
from acorn_sim.world import settings as S
from acorn_sim.world.generator import build_world
from acorn_sim.world.money import dumps, q
from acorn_sim.world.render_finances import component_amounts
from acorn_sim.world.render_reports import (
    FBA_RETURNS,
    FBA_RETURNS_COLUMNS,
    MFN_RETURNS,
    MFN_RETURNS_COLUMNS,
    REIMBURSEMENTS,
    REIMBURSEMENTS_COLUMNS,
    SETTLEMENT_COLUMNS,
)
from acorn_sim.world.synthetic import SyntheticWorld
from tests.spapi_models import require_spapi_models
from tests.unit.world.swagger import errors

pytestmark = pytest.mark.unit

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
FAR = datetime(2100, 1, 1, tzinfo=UTC)
ALL_IDS = [BY_CODE[c].marketplace_id for c in DEMO_CODES]


def serialise(w: SyntheticWorld) -> str:
    """Every payload the world can serve, hashed."""
    h = hashlib.sha256()
    for s in w.sellers():
        sid = s.selling_partner_id
        h.update(repr(s).encode())
        h.update(
            dumps(
                list(w.transactions(sid, marketplace_id=None, posted_after=EPOCH, posted_before=FAR))
            ).encode()
        )
        h.update(dumps(list(w.financial_event_groups(sid, started_after=EPOCH, started_before=FAR))).encode())
        h.update(dumps(list(w.financial_events(sid, posted_after=EPOCH, posted_before=FAR))).encode())
        orders = w.orders(sid, marketplace_ids=list(s.marketplace_ids))
        h.update(dumps(list(orders)).encode())
        for o in orders:
            h.update(dumps(list(w.order_items(sid, o["AmazonOrderId"]) or [])).encode())
            h.update(dumps(w.order_pii(sid, o["AmazonOrderId"])).encode())
        for f in w.settlement_reports(sid):
            h.update(repr((f.report_id, f.created_time, f.encoding)).encode() + f.content)
        for rt in (FBA_RETURNS, MFN_RETURNS, REIMBURSEMENTS):
            f = w.report(sid, report_type=rt, marketplace_ids=list(s.marketplace_ids),
                         data_start_time=EPOCH, data_end_time=FAR)  # fmt: skip
            h.update(f.content if f else b"-")
    return h.hexdigest()


def parse_amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def all_transactions(world: SyntheticWorld, seller_id: str) -> list[dict]:
    return list(world.transactions(seller_id, marketplace_id=None, posted_after=EPOCH, posted_before=FAR))


def related(txn: dict, name: str) -> str | None:
    return next((r["relatedIdentifierValue"] for r in txn["relatedIdentifiers"]
                 if r["relatedIdentifierName"] == name), None)  # fmt: skip


def read_report(f) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(f.content.decode(f.encoding)), delimiter="\t"))


# ----------------------------------------------------------------- determinism


def test_same_seed_gives_identical_bytes_and_other_seed_differs():
    kwargs = dict(days=21, orders_per_day=8.0, marketplaces=("US", "DE", "JP", "UK"))
    first = serialise(build_world(11, **kwargs))
    assert first == serialise(build_world(11, **kwargs))
    assert first != serialise(build_world(12, **kwargs))


def test_default_world_volumes(world):
    summary = world.summary()
    assert set(summary) == set(DEMO_CODES)
    total = sum(b["orders"] for b in summary.values())
    print(f"\ndefault world: {total} orders; US {summary['US']['orders']}")
    assert 15_000 <= total <= 45_000
    us_per_day = summary["US"]["orders"] / 90
    assert 30 <= us_per_day <= 90
    for code, b in summary.items():
        rate = b["refunds"] / b["transactions"]["Shipment"]
        assert 0.02 <= rate <= 0.15, (code, rate)
        assert b["settlement_reports"] >= 5


def test_sellers_and_credentials(world):
    (seller,) = world.sellers()
    assert seller.selling_partner_id.startswith("A") and len(seller.selling_partner_id) == 13
    assert seller.selling_partner_id[1:].isalnum() and seller.selling_partner_id.isupper()
    assert seller.home_currency == "CNY"
    assert sorted(c.region for c in seller.credentials) == ["eu", "fe", "na"]
    for c in seller.credentials:
        assert c.client_id.startswith("amzn1.application-oa2-client.")
        assert c.refresh_token.startswith("Atzr|")


# ------------------------------------------------------------------- money


def test_breakdowns_sum_to_totals(world, seller_id):
    for t in all_transactions(world, seller_id):
        total = t["totalAmount"]["currencyAmount"]
        assert sum(b["breakdownAmount"]["currencyAmount"] for b in t["breakdowns"]) == total
        _assert_nodes_sum_their_children(t["breakdowns"])
        assert sum(i["totalAmount"]["currencyAmount"] for i in t["items"]) == total
        for i in t["items"]:
            if "breakdowns" in i:
                assert sum(b["breakdownAmount"]["currencyAmount"] for b in i["breakdowns"]) == \
                    i["totalAmount"]["currencyAmount"]  # fmt: skip
                _assert_nodes_sum_their_children(i["breakdowns"])


def _assert_nodes_sum_their_children(nodes: list[dict]) -> None:
    """At any depth, a node with children equals their sum (a leaf has none)."""
    for b in nodes:
        if b.get("breakdowns"):
            assert sum(x["breakdownAmount"]["currencyAmount"] for x in b["breakdowns"]) == \
                b["breakdownAmount"]["currencyAmount"]  # fmt: skip
            _assert_nodes_sum_their_children(b["breakdowns"])


def test_both_breakdown_shapes_are_served(world, seller_id):
    """Realistic marketplaces nest fee VAT a level down and roll up Sales/Expenses; others do not."""
    realistic, simplified = set(), set()
    for t in all_transactions(world, seller_id):
        code = BY_ID[t["marketplaceDetails"]["marketplaceId"]].code
        tops = {b["breakdownType"] for b in t["breakdowns"]}
        for i in t["items"]:
            for b in i.get("breakdowns", []):
                if b["breakdownType"] == "AmazonFees":
                    depth3 = all(x.get("breakdowns") for x in b["breakdowns"])
                    (realistic if depth3 else simplified).add(code)
                    assert depth3 == (code in S.REALISTIC_BREAKDOWN_MARKETPLACES)
        if code in S.REALISTIC_BREAKDOWN_MARKETPLACES and t["items"] and "breakdowns" in t["items"][0]:
            assert "Sales" in tops and "ProductCharges" not in tops
    assert realistic and simplified


def test_currency_holds_everywhere(world, seller_id):
    for t in all_transactions(world, seller_id):
        cur = BY_ID[t["marketplaceDetails"]["marketplaceId"]].currency
        text = dumps(t)
        codes = {part.split('"')[0] for part in text.split('"currencyCode":"')[1:]}
        assert codes == {cur}, t["transactionId"]
        for b in t["breakdowns"]:
            exp = Decimal(b["breakdownAmount"]["currencyAmount"]).as_tuple().exponent
            assert exp >= -BY_ID[t["marketplaceDetails"]["marketplaceId"]].minor_unit_exponent
    for o in world.orders(seller_id, marketplace_ids=ALL_IDS):
        cur = BY_ID[o["MarketplaceId"]].currency
        if "OrderTotal" in o:
            assert o["OrderTotal"]["CurrencyCode"] == cur
        if cur == "JPY" and "OrderTotal" in o:
            assert "." not in o["OrderTotal"]["Amount"]
    for g in world.financial_event_groups(seller_id, started_after=EPOCH, started_before=FAR):
        assert g["BeginningBalance"]["CurrencyCode"] == g["OriginalTotal"]["CurrencyCode"]
        if "ConvertedTotal" in g:
            assert g["ConvertedTotal"]["CurrencyCode"] == "CNY"
    for f in world.settlement_reports(seller_id):
        (mid,) = f.marketplace_ids
        assert {r["currency"] for r in read_report(f)[:1]} == {BY_ID[mid].currency}


def test_settlement_lines_sum_to_total_group_and_transactions(world, seller_id):
    groups = {g["FinancialEventGroupId"]: g
              for g in world.financial_event_groups(seller_id, started_after=EPOCH, started_before=FAR)}  # fmt: skip
    by_group: dict[str, Decimal] = defaultdict(Decimal)
    for t in all_transactions(world, seller_id):
        gid = related(t, "FINANCIAL_EVENT_GROUP_ID")
        if gid:
            by_group[gid] += t["totalAmount"]["currencyAmount"]
        else:
            assert t["transactionStatus"] == "DEFERRED"
    # injected settlement anomalies (ground truth) legitimately break these sums; clean ones must not
    transfer_flagged = {r.keys["financial_event_group_id"] for r in world.ground_truth()
                        if r.kind == "settlement_transfer_mismatch"}  # fmt: skip
    lines_flagged = {r.keys["settlement_id"] for r in world.ground_truth()
                     if r.kind in ("refund_missing_from_settlement", "settlement_line_amount_mismatch")}  # fmt: skip
    for gid, g in groups.items():
        if gid not in transfer_flagged:
            assert g["OriginalTotal"]["CurrencyAmount"] == by_group.get(gid, Decimal(0))
    reports = world.settlement_reports(seller_id)
    assert reports
    for f in reports:
        rows = read_report(f)
        assert list(rows[0]) == list(SETTLEMENT_COLUMNS)
        summary, lines = rows[0], rows[1:]
        total = parse_amount(summary["total-amount"])
        if summary["settlement-id"] not in lines_flagged:
            assert sum(parse_amount(r["amount"]) for r in lines) == total
        assert all(r["total-amount"] == "" for r in lines)
        matching = [g for g in groups.values() if g["ProcessingStatus"] == "Closed"
                    and g["FinancialEventGroupStart"] == f.data_start_time.strftime("%Y-%m-%dT%H:%M:%SZ")
                    and BY_CODE[_code(f)].currency == g["OriginalTotal"]["CurrencyCode"]]  # fmt: skip
        assert any(
            g["OriginalTotal"]["CurrencyAmount"] == total or g["FinancialEventGroupId"] in transfer_flagged
            for g in matching
        )
        assert f.created_time <= world.as_of and f.data_end_time < f.created_time


def _code(f) -> str:
    return BY_ID[f.marketplace_ids[0]].code


def test_settlement_locale_formats(world, seller_id):
    seen = set()
    for f in world.settlement_reports(seller_id):
        code = _code(f)
        text = f.content.decode(f.encoding)
        summary = read_report(f)[0]
        if BY_CODE[code].decimal_comma:
            assert "," in summary["total-amount"] and "." not in summary["total-amount"]
            assert summary["settlement-start-date"][2] == "." and summary["settlement-start-date"].endswith(
                " UTC"
            )
        else:
            assert summary["settlement-start-date"][4] == "-" and summary["settlement-start-date"].endswith(
                " UTC"
            )
        if code == "JP":
            assert f.encoding == "cp932" and "." not in summary["total-amount"]
        seen.add(code)
        assert text.splitlines()[0].split("\t") == list(SETTLEMENT_COLUMNS)
    assert seen == set(DEMO_CODES)


def test_refunds_reference_charged_orders_and_admin_fee(world, seller_id):
    txns = all_transactions(world, seller_id)
    shipped = {related(t, "ORDER_ID"): t["postedDate"] for t in txns if t["transactionType"] == "Shipment"}
    refunds = [t for t in txns if t["transactionType"] == "Refund"]
    assert refunds
    fee_errors = {r.keys["transaction_id"] for r in world.ground_truth() if r.kind == "refund_fee_error"}
    for t in refunds:
        order_id = related(t, "ORDER_ID")
        assert order_id in shipped and shipped[order_id] < t["postedDate"]
        assert related(t, "REFUND_ID") and t["description"] == "Refund Order"
        code = BY_ID[t["marketplaceDetails"]["marketplaceId"]].code
        rate, cap, _ = S.REFUND_ADMIN_FEE[code]
        for item in t["items"]:
            fees = {n: a for (b, n), a in component_amounts(item["breakdowns"]).items() if b == "AmazonFees"}
            assert fees["Commission"] > 0 and fees["RefundCommission"] < 0
            if t["transactionId"] in fee_errors:
                continue  # injected refund_fee_error (test_anomalies checks it breaks the rule)
            assert -fees["RefundCommission"] <= cap
            expected = min(cap, q(fees["Commission"] * rate, BY_CODE[code].currency))
            assert -fees["RefundCommission"] == expected


def test_nothing_posts_after_as_of_and_deferred_states(world, seller_id):
    as_of = world.as_of
    assert as_of == datetime(2026, 10, 31, tzinfo=UTC)
    statuses = set()
    for t in all_transactions(world, seller_id):
        assert t["postedDate"] < "2026-10-31T00:00:00Z"
        statuses.add(t["transactionStatus"])
        if t["transactionStatus"].startswith("DEFERRED"):
            (ctx,) = t["contexts"]
            # DD14: the DE account-review scenario (acorn_sim.world.cashflow_scenarios)
            assert ctx["contextType"] == "DeferredContext" and ctx["deferralReason"] in ("DD7", "DD14")
            assert (ctx["maturityDate"] < "2026-10-31T00:00:00Z") == (
                t["transactionStatus"] == "DEFERRED_RELEASED"
            )
    assert statuses == {"RELEASED", "DEFERRED", "DEFERRED_RELEASED"}
    deferred = world.transactions(seller_id, marketplace_id=None, posted_after=EPOCH, posted_before=FAR,
                                  transaction_status="DEFERRED")  # fmt: skip
    v0 = world.financial_events(seller_id, posted_after=EPOCH, posted_before=FAR)
    assert len(v0) == len(all_transactions(world, seller_id)) - len(deferred)


# ------------------------------------------------------------------ schemas


def test_payloads_validate_against_official_models(world, seller_id):
    require_spapi_models("finances_2024-06-19.json", "financesV0.json", "ordersV0.json")
    txns = all_transactions(world, seller_id)
    sample = {}
    for t in txns:
        sample.setdefault((t["transactionType"], t["transactionStatus"]), t)
    assert {k[0] for k in sample} == {"Shipment", "Refund", "Adjustment", "GuaranteeClaim", "Chargeback"}
    for t in sample.values():
        assert errors("finances_2024-06-19.json", "Transaction", t) == []
    for g in world.financial_event_groups(seller_id, started_after=EPOCH, started_before=FAR):
        assert errors("financesV0.json", "FinancialEventGroup", g) == []
    kinds = {}
    for name, event in world.financial_events(seller_id, posted_after=EPOCH, posted_before=FAR):
        kinds.setdefault(name, []).append(event)
    assert set(kinds) == {
        "ShipmentEventList",
        "RefundEventList",
        "AdjustmentEventList",
        "GuaranteeClaimEventList",
        "ChargebackEventList",
    }
    for name, events in kinds.items():
        definition = "AdjustmentEvent" if name == "AdjustmentEventList" else "ShipmentEvent"
        for event in events[:50]:
            assert errors("financesV0.json", definition, event) == []
    orders = world.orders(seller_id, marketplace_ids=ALL_IDS)
    by_status = {}
    for o in orders:
        by_status.setdefault((o["OrderStatus"], o["MarketplaceId"]), o)
    for o in by_status.values():
        assert errors("ordersV0.json", "Order", o) == []
        assert errors("ordersV0.json", "Order", o | world.order_pii(seller_id, o["AmazonOrderId"])) == []
        for item in world.order_items(seller_id, o["AmazonOrderId"]):
            assert errors("ordersV0.json", "OrderItem", item) == []


def test_order_shapes_and_pii_split(world, seller_id):
    orders = world.orders(seller_id, marketplace_ids=ALL_IDS)
    for o in orders[:2000]:
        assert "BuyerInfo" not in o and "AddressLine1" not in o["ShippingAddress"]
        prefix, a, b = o["AmazonOrderId"].split("-")
        assert len(prefix) == 3 and len(a) == 7 and len(b) == 7
        assert prefix in S.ORDER_ID_PREFIXES[BY_ID[o["MarketplaceId"]].code]
        assert o["SalesChannel"] == BY_ID[o["MarketplaceId"]].name
    pii = world.order_pii(seller_id, orders[0]["AmazonOrderId"])
    assert pii["BuyerInfo"]["BuyerEmail"].split("@")[1].startswith("marketplace.amazon.")
    assert world.order_items(seller_id, "999-0000000-0000000") is None
    items = world.order_items(seller_id, orders[0]["AmazonOrderId"])
    assert all(isinstance(i["ItemPrice"]["Amount"], str) for i in items)


# ------------------------------------------------------------------ reports


@pytest.mark.parametrize(
    ("report_type", "columns"),
    [
        (FBA_RETURNS, FBA_RETURNS_COLUMNS),
        (MFN_RETURNS, MFN_RETURNS_COLUMNS),
        (REIMBURSEMENTS, REIMBURSEMENTS_COLUMNS),
    ],
    ids=["fba-returns", "mfn-returns", "reimbursements"],
)
def test_on_demand_reports_headers_filter_and_empty(world, seller_id, report_type, columns):
    start, end = datetime(2026, 8, 1, tzinfo=UTC), world.as_of
    f = world.report(seller_id, report_type=report_type, marketplace_ids=[BY_CODE["US"].marketplace_id],
                     data_start_time=start, data_end_time=end)  # fmt: skip
    assert f is not None
    assert f.content.decode(f.encoding).splitlines()[0].split("\t") == list(columns)
    assert read_report(f)
    empty = world.report(seller_id, report_type=report_type, marketplace_ids=ALL_IDS,
                         data_start_time=EPOCH, data_end_time=datetime(2026, 7, 1, tzinfo=UTC))  # fmt: skip
    assert empty is None


def test_fba_only_scope_has_no_mfn_returns():
    w = build_world(3, days=14, orders_per_day=5.0, marketplaces=("SE",))
    sid = w.sellers()[0].selling_partner_id
    mfn = [r for r in w.data.mfn_returns]
    f = w.report(sid, report_type=MFN_RETURNS, marketplace_ids=[BY_CODE["JP"].marketplace_id],
                 data_start_time=EPOCH, data_end_time=FAR)  # fmt: skip
    assert f is None  # seller does not sell in JP at all
    assert all(r.marketplace == "SE" for r in mfn)


def test_jp_report_is_cp932_with_japanese_names(world, seller_id):
    f = world.report(seller_id, report_type=FBA_RETURNS, marketplace_ids=[BY_CODE["JP"].marketplace_id],
                     data_start_time=EPOCH, data_end_time=FAR)  # fmt: skip
    assert f.encoding == "cp932"
    names = [r["product-name"] for r in read_report(f)]
    assert any(any("\u3040" <= ch <= "\u30ff" for ch in n) for n in names)
    de = world.report(seller_id, report_type=REIMBURSEMENTS, marketplace_ids=[BY_CODE["DE"].marketplace_id],
                      data_start_time=EPOCH, data_end_time=FAR)  # fmt: skip
    assert de.encoding == "iso-8859-1"


def test_reimbursement_reversals_point_at_originals(world):
    rows = world.data.reimbursements
    ids_ = {r.reimbursement_id: r for r in rows}
    reversals = [r for r in rows if r.reason == "Reimbursement_Reversal"]
    assert reversals
    for r in reversals:
        orig = ids_[r.original_reimbursement_id]
        assert r.amount_total == -orig.amount_total and r.approval_date > orig.approval_date


def test_build_world_accepts_marketplace_ids():
    w = build_world(5, start=date(2026, 1, 5), days=10, orders_per_day=6.0, marketplaces=("ATVPDKIKX0DER",))
    assert set(w.summary()) == {"US"}


# -------------------------------------------------------------------- tax rates

# POLICIES.md §10 reduced rates, written out here so a wrong settings table fails the tests.
REDUCED_RATES = {"JP": Decimal("0.08"), "DE": Decimal("0.07"), "FR": Decimal("0.055"), "NL": Decimal("0.09")}
JURISDICTION_RATES = {"US": set(S.US_STATE_TAX), "CA": set(S.CA_PROVINCE_TAX)}
TAX_SEED = Path(__file__).resolve().parents[3] / "dbt" / "seeds" / "tax_rates.csv"


def component(item: dict, bucket: str, name: str | None = None) -> Decimal:
    """An item's breakdown amount: a bucket, or one named component inside it."""
    amounts = component_amounts(item.get("breakdowns"))
    return sum((a for (b, n), a in amounts.items() if b == bucket and name in (None, n)), Decimal(0))


def tax_category(world: SyntheticWorld, seller_id: str, sku: str) -> str:
    return S.CATEGORIES[world.data.products[seller_id][sku].category]["tax"]


def expected_rate(code: str, category: str) -> Decimal:
    """The rate the policy gives a (marketplace, tax category) outside US/CA."""
    if category == "reduced" and code in REDUCED_RATES:
        return REDUCED_RATES[code]
    return S.TAX_RATE[code]  # no reduced rate in POLICIES.md §10: the standard rate


def anomalous_orders(world: SyntheticWorld) -> set[str]:
    out: set[str] = set()
    for r in world.ground_truth():
        out.update([r.keys["order_id"]] if "order_id" in r.keys else r.keys.get("order_ids", []))
    return out


@pytest.fixture(scope="module")
def line_rates(world, seller_id) -> dict[tuple[str, str, str], Decimal]:
    """(marketplace, order id, sku) -> the rate each served shipment line was taxed at."""
    rates: dict[tuple[str, str, str], Decimal] = {}
    for t in all_transactions(world, seller_id):
        if t["transactionType"] != "Shipment":
            continue
        code = BY_ID[t["marketplaceDetails"]["marketplaceId"]].code
        cur = BY_CODE[code].currency
        order_rates = JURISDICTION_RATES.get(code)
        for item in t["items"]:
            sku = item["contexts"][0]["sku"]
            base = component(item, "ProductCharges", "Principal") + component(item, "Promotions")
            tax = component(item, "ProductCharges", "Tax")
            shipping = component(item, "ProductCharges", "ShippingCharge")
            shipping_tax = component(item, "ProductCharges", "ShippingTax")
            assert base > 0
            if order_rates is None:
                rate = expected_rate(code, tax_category(world, seller_id, sku))
                assert tax == q(base * rate, cur), (t["transactionId"], sku, tax, base, rate)
                assert shipping_tax == q(shipping * rate, cur)
            else:  # US/CA: one jurisdiction rate for every line of the order
                order_rates = {r for r in order_rates
                               if q(base * r, cur) == tax and q(shipping * r, cur) == shipping_tax}  # fmt: skip
                assert order_rates, (t["transactionId"], sku, tax, base)
                rate = min(order_rates)
            rates[(code, related(t, "ORDER_ID"), sku)] = rate
    return rates


def test_shipment_lines_are_taxed_at_the_marketplace_and_category_rate(world, seller_id, line_rates):
    seen: dict[tuple[str, str], set[Decimal]] = defaultdict(set)
    for (code, _order_id, sku), rate in line_rates.items():
        seen[(code, tax_category(world, seller_id, sku))].add(rate)
    print("\nreduced-rate lines:", dict(sorted(Counter(
        c for (c, _o, sku) in line_rates if tax_category(world, seller_id, sku) == "reduced").items())))  # fmt: skip
    for code, reduced in REDUCED_RATES.items():  # both rates present where a reduced one exists
        assert seen[(code, "standard")] == {S.TAX_RATE[code]} and seen[(code, "reduced")] == {reduced}
    assert seen[("JP", "standard")] == {Decimal("0.10")}
    for code in ("UK", "IT", "ES", "SE", "PL", "MX", "AU"):
        assert seen[(code, "reduced")] == seen[(code, "standard")] == {S.TAX_RATE[code]}
    for code, allowed in JURISDICTION_RATES.items():
        used = seen[(code, "standard")] | seen[(code, "reduced")]
        assert seen[(code, "reduced")] and used <= allowed and len(used) > 2


def test_clean_refunds_carry_the_rate_of_the_original_line(world, seller_id, line_rates):
    flagged = anomalous_orders(world)
    txns = all_transactions(world, seller_id)
    shipped = {(related(t, "ORDER_ID"), i["contexts"][0]["sku"]): i
               for t in txns if t["transactionType"] == "Shipment" for i in t["items"]}  # fmt: skip
    checked = Counter()
    for t in txns:
        order_id = related(t, "ORDER_ID")
        if t["transactionType"] != "Refund" or order_id in flagged:
            continue
        code = BY_ID[t["marketplaceDetails"]["marketplaceId"]].code
        cur = BY_CODE[code].currency
        for item in t["items"]:
            sku = item["contexts"][0]["sku"]
            ship = shipped[(order_id, sku)]
            principal = component(ship, "ProductCharges", "Principal")
            refunded = -component(item, "ProductCharges", "Principal")
            (fraction,) = [f for f in (Decimal(1), *map(Decimal, ("0.20", "0.25", "0.30", "0.50")))
                           if q(principal * f, cur) == refunded]  # fmt: skip
            tax = -component(item, "ProductCharges", "Tax")
            assert tax == q(component(ship, "ProductCharges", "Tax") * fraction, cur)
            rate = line_rates[(code, order_id, sku)]
            base = refunded - component(item, "Promotions")
            assert abs(tax - q(base * rate, cur)) <= Decimal(1).scaleb(-BY_CODE[code].minor_unit_exponent)
            checked[(code, tax_category(world, seller_id, sku))] += 1
    assert all(checked[(code, "reduced")] for code in REDUCED_RATES), checked


def test_line_tax_flows_into_order_items_and_settlement_lines(world, seller_id):
    lines = {ln.order_item_id: (o, ln) for o in world.data.orders for ln in o.lines}
    for o in world.data.orders:
        if o.canceled:
            continue
        for item in world.order_items(seller_id, o.order_id):
            _o, ln = lines[item["OrderItemId"]]
            promo_tax = Decimal(item["PromotionDiscountTax"]["Amount"])
            assert promo_tax == q(ln.promotion * ln.tax_rate, o.currency)
            assert Decimal(item["ItemTax"]["Amount"]) - promo_tax == ln.tax
            assert Decimal(item["ShippingTax"]["Amount"]) == ln.shipping_tax
    altered = {(r.keys["order_item_id"], r.keys["amount_description"]) for r in world.ground_truth()
               if r.kind == "settlement_line_amount_mismatch"}  # fmt: skip
    seen = 0
    for f in world.settlement_reports(seller_id):
        for row in read_report(f)[1:]:
            if row["transaction-type"] != "Order" or row["amount-description"] not in ("Tax", "ShippingTax"):
                continue
            if (row["order-item-code"], row["amount-description"]) in altered:
                continue
            _o, ln = lines[row["order-item-code"]]
            expected = ln.tax if row["amount-description"] == "Tax" else ln.shipping_tax
            assert parse_amount(row["amount"]) == expected
            seen += 1
    assert seen > 10_000


def test_world_tax_table_equals_the_dbt_seed(world, seller_id):
    with TAX_SEED.open(newline="", encoding="utf-8") as fh:
        seed = {(r["marketplace_code"], r["tax_category"]): r for r in csv.DictReader(fh)}
    for row in S.TAX_RATES:
        got = seed[(row.marketplace_code, row.tax_category)]
        assert {**got, "tax_rate": Decimal(got["tax_rate"])} == dataclasses.asdict(row)
    used = {(o.marketplace, tax_category(world, seller_id, ln.sku), ln.tax_rate)
            for o in world.data.orders for ln in o.lines}  # fmt: skip
    assert {c for c, _t, _r in used} == set(DEMO_CODES)
    for code, category, rate in used:
        if code in JURISDICTION_RATES:
            assert Decimal(seed[(code, "standard")]["tax_rate"]) in JURISDICTION_RATES[code]
            continue
        row = seed.get((code, category)) or seed[(code, "standard")]  # no reduced row: standard rate
        assert Decimal(row["tax_rate"]) == rate, (code, category)


# -------------------------------------------------------------- return windows

# POLICIES.md §3 holiday extension: bought 1 Nov-31 Dec (AU from 1 Oct), returnable until 31 Jan.
HOLIDAY_FROM = {"US": (11, 1), "DE": (11, 1), "AU": (10, 1)}


def window_end(order) -> datetime:  # noqa: ANN001
    """30 days after delivery, or the end of 31 Jan (local) for holiday purchases if later."""
    end = order.delivered_at + timedelta(days=S.RETURN_WINDOW_DAYS)
    if order.marketplace not in HOLIDAY_FROM:
        return end
    tz = ZoneInfo(BY_CODE[order.marketplace].time_zone)
    bought = order.purchased_at.astimezone(tz).date()
    if not date(bought.year, *HOLIDAY_FROM[order.marketplace]) <= bought <= date(bought.year, 12, 31):
        return end
    return max(end, datetime(bought.year + 1, 2, 1, tzinfo=tz).astimezone(UTC))


@pytest.fixture(scope="module")
def holiday_world() -> SyntheticWorld:
    """US and DE through a holiday season, observed after the extended deadline has passed."""
    return build_world(4, start=date(2026, 10, 15), days=125, orders_per_day=40.0, marketplaces=("US", "DE"))


def test_holiday_orders_may_be_returned_late_but_never_after_the_extended_deadline(holiday_world):
    w = holiday_world
    orders = {o.order_id: o for o in w.data.orders}
    flagged = anomalous_orders(w)
    late = Counter()
    last_days = []  # clean requests in the window's last days: procrastinators (overlaps.py)
    for r in w.data.refunds:
        o = orders[r.order_id]
        end = window_end(o)
        after_delivery = r.requested_at - o.delivered_at
        assert r.requested_at <= end, (r.order_id, o.purchased_at, r.requested_at)
        if end == o.delivered_at + timedelta(days=S.RETURN_WINDOW_DAYS):  # no extension applies
            assert after_delivery <= timedelta(days=S.RETURN_WINDOW_DAYS)
        elif after_delivery > timedelta(days=S.RETURN_WINDOW_DAYS):
            late[o.marketplace] += 1
        if r.order_id not in flagged and end - r.requested_at < timedelta(days=S.WARDROBING_LAST_DAYS):
            last_days.append(r)
    print("\nholiday refunds requested > 30 days after delivery:", dict(late), "clean in last days:", len(last_days))
    assert late["US"] >= 5 and late["DE"] >= 5
    clean = len(w.data.refunds) - len(flagged)
    assert 1 <= len(last_days) <= 2 * S.LATE_RETURN_SHARE * clean  # a few honest late requests
    # some extended holiday windows end with an honest late request too
    assert any(r.requested_at - orders[r.order_id].delivered_at > timedelta(days=S.RETURN_WINDOW_DAYS)
               for r in last_days)  # fmt: skip


def test_wardrobing_uses_the_effective_window_end(holiday_world):
    w = holiday_world
    orders = {o.order_id: o for o in w.data.orders}
    refunds = {r.refund_id: r for r in w.data.refunds}
    rows = [r for r in w.ground_truth() if r.kind == "wardrobing"]
    extended = 0
    for row in rows:
        o, refund = orders[row.keys["order_id"]], refunds[row.keys["refund_id"]]
        end = window_end(o)
        assert end - timedelta(days=S.WARDROBING_LAST_DAYS) < refund.requested_at <= end
        extended += refund.requested_at - o.delivered_at > timedelta(days=S.RETURN_WINDOW_DAYS)
    assert rows and extended >= 1, (len(rows), extended)
