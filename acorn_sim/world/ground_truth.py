"""Ground truth: one row per anomaly the synthetic world injected on purpose.

The world serves realistic data over the SP-API sandbox; the anomalies in it are
*real* in the served payloads (an over-refund really refunds more than was
charged). This module only records what was injected, so detectors can be scored.
Nothing here is ever served over the API: `SyntheticWorld.ground_truth()` is a
Python-side accessor only.

Row schema (`GroundTruthRow`; `ground_truth_rows()` flattens it for Parquet):

* ``anomaly_id``      str, 16 hex chars, stable hash of (kind, seller, marketplace, keys): the PK.
* ``kind``            str, one of `KINDS` below.
* ``seller_id``       str, selling partner id.
* ``marketplace_id``  str, Amazon marketplace id (e.g. ATVPDKIKX0DER).
* ``keys``            dict[str, str | list[str]]: the natural keys a detector would report.
                      (flat rows carry it as ``keys`` and as ``keys_json``, a JSON object with
                      sorted keys, for Parquet.)
* ``expected_amount`` Decimal | None, always >= 0, in ``currency`` at its minor unit: the
                      money at stake; None where the anomaly is not monetary.
                      (Parquet adds ``expected_amount_minor``: integer minor units.)
* ``currency``        str, ISO-4217 marketplace currency.
* ``detected_by``     "reconciliation" | "operations" | "fraud" | "cashflow": the layer that should find it;
                      "control" for a case no layer may report (see below).
* ``detail``          str, short human text.
* ``injected_at``     datetime (UTC): when the anomaly became observable in the data
                      (a posting time, a file's creation time, a return date). Derived from
                      the world, never from the wall clock, so the same seed gives the same rows.

Kinds, their keys, and how ``expected_amount`` is computed. "charged" for an order
line = Principal + Tax + ShippingCharge + ShippingTax + Promotion (promotion negative)
of the line's Shipment transaction; "refunded" = minus the same components of a refund.
"Reimbursement value" = (Principal - promotion + Commission + FBAPerUnitFulfillmentFee of
the shipment line, fees negative) / quantity, rounded to the minor unit, x units
(POLICIES.md §1: after a customer order, sales price minus applicable fees).

reconciliation (money Amazon owes the seller, or the books do not tie):
* refund_without_return_past_window -- keys: order_id, refund_id, transaction_id, sku.
  An FBA full refund (not a low-price returnless refund, see settings.RETURNLESS_MAX_PRICE_USD)
  with no customer return and no reimbursement although the refund is older than the
  marketplace's claim window opening (settings.CLAIM_WINDOW_OPEN_DAYS) plus
  settings.REIMBURSEMENT_GRACE_DAYS. Amount: reimbursement value of the refunded units.
* reimbursement_missing -- keys: order_id, sku, license_plate_number.
  The FBA returns report says status "Reimbursed" (CARRIER_DAMAGED / DAMAGED) but no
  reimbursement exists for the order. Amount: reimbursement value.
* reimbursement_short -- keys: order_id, reimbursement_id, sku.
  A CustomerReturn reimbursement paid below the reimbursement value.
  Amount: reimbursement value - amount-total.
* reimbursement_reversed -- keys: order_id, reimbursement_id, reversal_reimbursement_id, sku.
  A CustomerReturn reimbursement clawed back (Reimbursement_Reversal) although the unit was
  never returned (no FBA return row for the order). Amount: the reversed amount.
* over_refund -- keys: order_id, refund_id, transaction_id, order_item_id.
  The refund gives back more than the line charged. Amount: refunded - charged.
* duplicate_refund -- keys: order_id, refund_id, transaction_id (the original),
  duplicate_transaction_id. The same refund (same REFUND_ID, same amounts) posted a second
  time under another transactionId. Amount: -(total of the duplicate transaction).
* refund_fee_error -- keys: order_id, refund_id, transaction_id, order_item_id.
  RefundCommission (refund administration fee) above the marketplace rule
  min(cap, rate x credited Commission) (POLICIES.md §2, settings.REFUND_ADMIN_FEE).
  Amount: |charged fee| - |rule fee|.
* refund_tax_mismatch -- keys: order_id, refund_id, transaction_id, order_item_id.
  The refund's Tax is not the shipment's tax for the refunded fraction: computed at the
  marketplace's standard rate for a reduced-rate line, else at 0.5x / 1.5x the line's rate;
  always more than one minor unit off. Amount: |refunded Tax - expected Tax|.
* refund_missing_from_settlement -- keys: settlement_id, financial_event_group_id,
  transaction_id, order_id, refund_id. A refund transaction (in listTransactions, carrying the
  group id, included in the group's OriginalTotal and the file's total-amount) whose lines are
  absent from the V2 settlement file. Amount: |refund transaction total|.
* settlement_line_amount_mismatch -- keys: settlement_id, financial_event_group_id,
  transaction_id, order_id, order_item_id, sku, amount_description. One V2 line's amount
  differs from the transaction component it reports. Amount: |printed - actual|.
* settlement_transfer_mismatch -- keys: settlement_id, financial_event_group_id.
  The V2 file's total-amount (= sum of its lines = sum of the group's transactions) differs
  from the FinancialEventGroup OriginalTotal (ConvertedTotal is OriginalTotal x fx).
  Amount: |OriginalTotal - total-amount|.
* payout_report_missing -- keys: financial_event_group_id, settlement_id (of the file that
  never came). A closed FinancialEventGroup whose fund transfer succeeded by as_of
  (FundTransferStatus Succeeded) but for which no V2 settlement file is served: injected
  (`SettlementGroup.report_withheld`, Amazon never generates it), or a file Amazon has not
  generated yet at as_of (created a few hours after the transfer). The money was paid; only
  the report is missing. Amount: |OriginalTotal| (None for a zero transfer).
* deferred_transaction -- keys: transaction_id, maturity_date (ISO-8601 UTC).
  A Shipment transaction Amazon still holds at as_of (transactionStatus DEFERRED,
  DeferredContext{deferralReason DD7 (DD14 under review), maturityDate} = 00:00 local of the
  local delivery date + settings.DEFERRAL_DAYS + 1 (acorn.cashflow.mechanics.release_at), no
  FINANCIAL_EVENT_GROUP_ID yet). The deferrals are generated with the shipments
  (settings.DEFERRED_SHARE), not tampered with; every one not matured at as_of is recorded.
  Amount: |transaction total|.

operations (seller-side process failures):
* return_not_restocked_or_credited -- keys: order_id, sku, license_plate_number.
  An FBA return received (status "Pending", disposition SELLABLE) more than
  settings.RESTOCK_DUE_DAYS before as_of, never restocked and never reimbursed.
  Amount: reimbursement value of the returned units.
* mfn_refund_late -- keys: order_id, refund_id, transaction_id, amazon_rma_id.
  MFN return delivered to the seller, refund posted after the end of the second business day
  after the local delivery day (POLICIES.md §5), business days in the marketplace's time zone
  without weekends and public holidays (`anomalies.mfn_refund_due_at`, `holidays` package).
  Some are late by hours after a deadline a public holiday extended. Amount: None.
* mfn_return_not_refunded -- keys: order_id, amazon_rma_id. An MFN return delivered before
  as_of, without a refund or an A-to-z claim at as_of: injected (the seller never refunds) or
  clean (its refund posts after as_of). Open risk, due or not yet due. Amount: None.
* a_to_z_claim_risk -- keys: order_id, amazon_rma_id, claim_id (REFUND_ID of the claim),
  transaction_id. MFN return delivered, never refunded by the seller; the buyer filed an
  A-to-z claim (returns report "A-to-Z Claim" = Y) that Amazon granted: a GuaranteeClaim
  transaction / GuaranteeClaimEventList event debits the seller. Amount: |claim total|.

cashflow (states of the seller's money, acorn_sim.world.cashflow_scenarios; not tampering):
* cashflow_account_review -- keys: review_from, review_to (ISO-8601 UTC, deliveries in [from, to)).
  The account is under review: Shipments delivered in the span are deferred DD+14 (reason DD14)
  instead of DD+7. Amount: total of the DD14-deferred transactions.
* cashflow_account_reserve -- keys: reserve_from, reserve_to. An ACCOUNT_LEVEL_RESERVE of the
  amount is in force for from <= t < to (taken from AVAILABLE, shown in RESERVED), then released.
* cashflow_payout_failed -- keys: settlement_id, payout_id, resent_payout_id, failed_at, resent_at.
  The period's payout FAILED (failureReason) and was re-sent as a new payout for the same period
  and amount; expected payouts are AT_RISK for failed_at <= t < resent_at. Amount: the payout.
* cashflow_negative_carry -- keys: settlement_id, financial_event_group_id, payout_id (NO_PAYOUT),
  next_settlement_id. A chargeback cluster makes the period's AVAILABLE negative at its close:
  NO_PAYOUT, and the negative carries into the next period. Amount: |AVAILABLE at the close|.

control (not an anomaly: a case a detector must NOT report, recorded so a test can see it exists):
* mfn_refund_on_time_by_holiday -- keys: order_id, refund_id, transaction_id, amazon_rma_id.
  An MFN refund posted after the weekday-only two-business-day deadline but before the one a
  public holiday in the window extends (JP, DE, ... wherever a holiday falls): on time.

fraud (buyer behaviour; buyers are linked through order PII, `World.order_pii`). Realistic
rates (settings.ANOMALIES_PER_10K_ORDERS): all four kinds together label about 4 % of refunded
orders. Every fraud kind has honest look-alikes in the clean world (below), so no single field,
count or flag separates fraud; a detector has to combine behaviour.
* serial_returner -- keys: buyer_email, order_ids (list, by purchase time). One relay email with
  4-8 refunded orders (settings.SERIAL_RETURNER_ORDERS, at least SERIAL_RETURNER_MIN_RETURNS)
  in one marketplace, requested within settings.FRAUD_SPAN_DAYS, leaning to the slice's more
  valuable items. settings.FRAUD_SELLER_FAULT_SHARE of them claim the seller's fault
  (DEFECTIVE, NOT_AS_DESCRIBED, ... / CR-DEFECTIVE, AMZ-PG-BAD-DESC, ...: the seller pays the
  return) while the returned unit mostly grades SELLABLE (settings.FRAUD_CLAIM_GRADED_SELLABLE);
  some refunds have no physical return (partial or returnless refunds). The same email also
  keeps 0-2 orders without a refund (not in order_ids). Every order in order_ids is refunded.
  Amount: None.
* wardrobing -- keys: order_id, refund_id, sku, license_plate_number. A full FBA refund
  requested in the last settings.WARDROBING_LAST_DAYS days of the return window (30 days from
  delivery, or the holiday deadline of settings.HOLIDAY_RETURN_WINDOWS if later), unit back as
  CUSTOMER_DAMAGED (used, status "Unit returned to inventory"), the reason that of a legit return:
  sizing or unwanted for apparel, unwanted / ordered wrong / better price otherwise
  (settings.WARDROBING_REASONS_*). Amount: refunded amount of the line.
* empty_box_or_wrong_item -- keys: order_id, refund_id, sku, license_plate_number. The FBA
  return came back empty or with a different item (disposition CUSTOMER_DAMAGED, status
  "Empty box received" / "Different item received"). Amount: refunded amount of the line.
* buyer_ring -- keys: address_line1, postal_code, city, buyer_emails (list: the ring's accounts,
  distinct, in the order of their first ring order), order_ids (list, by purchase time).
  3-5 new buyer accounts (settings.BUYER_RING_ACCOUNTS) ship to one address that no other buyer
  uses; each has 1-3 refunded orders (BUYER_RING_REFUNDS_PER_ACCOUNT), at least
  BUYER_RING_MIN_REFUNDS in all, within FRAUD_SPAN_DAYS, with claims like a serial returner's.
  Every order in order_ids is refunded (the ring exists to collect refunds). Amount: None.

Labels for a return-fraud detector: `fraud_labels(rows)` gives one `FraudLabel` (seller_id,
marketplace_id, order_id, kind) per fraud order: wardrobing and empty_box_or_wrong_item label
keys.order_id, serial_returner and buyer_ring each of keys.order_ids (all refunded). An order
carries at most one anomaly, so the labels are unique per (seller, marketplace, order). The
pipeline never reads them; only scoring does.

Clean look-alikes (not anomalies, never rows here; acorn_sim/world/overlaps.py, settings):
* households (2-3 accounts at one address, settings.HOUSEHOLD_*) and offices (3-8 accounts at one
  address placing business orders, settings.OFFICE_*): a shared address is not a ring;
* apparel bracketing: repeat buyers returning 3-5 apparel orders within 90 days, sizing reasons,
  units SELLABLE (settings.BRACKETING_*): "3+ returns in 90 days" is not serial returning, and
  some bracketers have more refunds than SERIAL_RETURNER_MIN_RETURNS;
* procrastinators: settings.LATE_RETURN_SHARE of clean FBA returns are requested in the window's
  last WARDROBING_LAST_DAYS days, mostly SELLABLE, some CUSTOMER_DAMAGED
  (LATE_RETURN_DISPOSITIONS); holiday gift returns are requested late after Christmas;
* grading (settings.CLEAN_GRADING): genuine defects come back DEFECTIVE, claimed defects are
  also graded SELLABLE (buyers misjudge), remorse returns come back CUSTOMER_DAMAGED too,
  carrier-damaged units are reimbursed, and a clean return is rarely mis-graded "Different item
  received" (settings.FC_MISGRADE_SHARE).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from acorn.marketplaces import CURRENCY_EXPONENTS
from acorn_sim.world import ids

RECONCILIATION = "reconciliation"
OPERATIONS = "operations"
FRAUD = "fraud"
CONTROL = "control"
CASHFLOW = "cashflow"

KINDS: dict[str, str] = {
    "refund_without_return_past_window": RECONCILIATION,
    "return_not_restocked_or_credited": OPERATIONS,
    "reimbursement_missing": RECONCILIATION,
    "reimbursement_short": RECONCILIATION,
    "reimbursement_reversed": RECONCILIATION,
    "over_refund": RECONCILIATION,
    "duplicate_refund": RECONCILIATION,
    "refund_fee_error": RECONCILIATION,
    "refund_tax_mismatch": RECONCILIATION,
    "refund_missing_from_settlement": RECONCILIATION,
    "settlement_line_amount_mismatch": RECONCILIATION,
    "settlement_transfer_mismatch": RECONCILIATION,
    "payout_report_missing": RECONCILIATION,
    "deferred_transaction": RECONCILIATION,
    "mfn_refund_late": OPERATIONS,
    "a_to_z_claim_risk": OPERATIONS,
    "mfn_return_not_refunded": OPERATIONS,
    "mfn_refund_on_time_by_holiday": CONTROL,
    "serial_returner": FRAUD,
    "wardrobing": FRAUD,
    "empty_box_or_wrong_item": FRAUD,
    "buyer_ring": FRAUD,
    "cashflow_account_review": CASHFLOW,
    "cashflow_account_reserve": CASHFLOW,
    "cashflow_payout_failed": CASHFLOW,
    "cashflow_negative_carry": CASHFLOW,
}

KeyValue = str | list[str]


@dataclass(frozen=True, slots=True)
class GroundTruthRow:
    kind: str
    seller_id: str
    marketplace_id: str
    keys: dict[str, KeyValue]
    expected_amount: Decimal | None
    currency: str
    detected_by: str
    detail: str
    injected_at: datetime

    @property
    def anomaly_id(self) -> str:
        return ids.hex_id(
            16, "anomaly", self.kind, self.seller_id, self.marketplace_id, _keys_json(self.keys)
        )

    def as_dict(self) -> dict[str, Any]:
        """A flat record for Parquet: keys as JSON text, the amount also in minor units."""
        minor = None
        if self.expected_amount is not None:
            minor = int(self.expected_amount.scaleb(CURRENCY_EXPONENTS[self.currency]))
        return {
            "anomaly_id": self.anomaly_id,
            "kind": self.kind,
            "seller_id": self.seller_id,
            "marketplace_id": self.marketplace_id,
            "keys": dict(self.keys),  # for writers that serialise it themselves (world/store.py)
            "keys_json": _keys_json(self.keys),
            "expected_amount": self.expected_amount,
            "expected_amount_minor": minor,
            "currency": self.currency,
            "detected_by": self.detected_by,
            "detail": self.detail,
            "injected_at": self.injected_at,
        }


def _keys_json(keys: dict[str, KeyValue]) -> str:
    return json.dumps(keys, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class FraudLabel:
    """One order a return-fraud detector should flag (see `fraud_labels`)."""

    seller_id: str
    marketplace_id: str
    order_id: str
    kind: str


FRAUD_ORDER_KEYS: dict[str, str] = {
    "wardrobing": "order_id",
    "empty_box_or_wrong_item": "order_id",
    "serial_returner": "order_ids",
    "buyer_ring": "order_ids",
}


def fraud_labels(rows: list[GroundTruthRow]) -> list[FraudLabel]:
    """One label per (seller, marketplace, order) of the fraud rows, in row order.

    wardrobing and empty_box_or_wrong_item label their ``order_id``; serial_returner and
    buyer_ring each of their ``order_ids`` (every one refunded: the world puts only refunded
    orders there). Other layers' rows are ignored; an order named twice keeps its first kind
    (the world gives each order at most one anomaly, so this does not happen there).
    """
    seen: set[tuple[str, str, str]] = set()
    out: list[FraudLabel] = []
    for row in rows:
        key = FRAUD_ORDER_KEYS.get(row.kind)
        if key is None:
            continue
        value = row.keys[key]
        for order_id in [value] if isinstance(value, str) else value:
            ident = (row.seller_id, row.marketplace_id, order_id)
            if ident not in seen:
                seen.add(ident)
                out.append(FraudLabel(row.seller_id, row.marketplace_id, order_id, row.kind))
    return out


def make_row(
    kind: str, seller_id: str, marketplace_id: str, currency: str, keys: dict[str, KeyValue],
    amount: Decimal | None, detail: str, injected_at: datetime,
) -> GroundTruthRow:  # fmt: skip
    if kind not in KINDS:
        raise ValueError(f"unknown anomaly kind {kind!r}")
    if amount is not None and amount < 0:
        raise ValueError(f"{kind}: expected_amount must be >= 0, got {amount}")
    return GroundTruthRow(
        kind, seller_id, marketplace_id, keys, amount, currency, KINDS[kind], detail, injected_at
    )
