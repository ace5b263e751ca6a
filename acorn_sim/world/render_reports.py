"""Render flat-file reports: V2 settlements, FBA returns, MFN returns, reimbursements.

Headers are exactly those in FACTS.md §7 (the project's SP-API reference
material, after Amazon's report-type pages). Files are
tab-delimited, one header line, `\\n` line ends, encoded per marketplace
(`settings.REPORT_ENCODING`: JP cp932, most EU + MX iso-8859-1, else utf-8).
Settlement files follow the marketplace's locale: decimal-comma marketplaces
write `95,00` and `09.06.2025 05:23:19 UTC`, the others `95.00` and
`2025-06-09 05:23:19 UTC`. The returns and reimbursement reports use ISO
dates and dot decimals everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from acorn.marketplaces import BY_CODE
from acorn_sim.world import ids
from acorn_sim.world import settings as S
from acorn_sim.world.model import (
    CHARGE,
    FEE,
    PROMOTION,
    REIMBURSEMENT,
    WITHHELD,
    Component,
    FbaReturn,
    MfnReturn,
    Posting,
    Reimbursement,
    SettlementGroup,
)
from acorn_sim.world.money import flat_amount, q

SETTLEMENT_V2 = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
FBA_RETURNS = "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"
MFN_RETURNS = "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"
REIMBURSEMENTS = "GET_FBA_REIMBURSEMENTS_DATA"

SETTLEMENT_COLUMNS = (
    "settlement-id", "settlement-start-date", "settlement-end-date", "deposit-date", "total-amount",
    "currency", "transaction-type", "order-id", "merchant-order-id", "adjustment-id", "shipment-id",
    "marketplace-name", "amount-type", "amount-description", "amount", "fulfillment-id", "posted-date",
    "posted-date-time", "order-item-code", "merchant-order-item-id", "merchant-adjustment-item-id", "sku",
    "quantity-purchased", "promotion-id",
)  # fmt: skip
FBA_RETURNS_COLUMNS = (
    "return-date", "order-id", "sku", "asin", "fnsku", "product-name", "quantity", "fulfillment-center-id",
    "detailed-disposition", "reason", "status", "license-plate-number", "customer-comments",
)  # fmt: skip
MFN_RETURNS_COLUMNS = (
    "Order ID", "Order date", "Return request date", "Return request status", "Amazon RMA ID",
    "Merchant RMA ID", "Label type", "Label cost", "Currency code", "Return carrier", "Tracking ID",
    "Label to be paid by", "A-to-Z Claim", "Is prime", "ASIN", "Merchant SKU", "Item Name",
    "Return quantity", "Return Reason", "In policy", "Return type", "Resolution", "Invoice number",
    "Return delivery date", "Order Amount", "Order quantity", "SafeT Action reason", "SafeT claim id",
    "SafeT claim state", "SafeT claim creation time", "SafeT claim reimbursement amount", "Refunded Amount",
)  # fmt: skip
REIMBURSEMENTS_COLUMNS = (
    "approval-date", "reimbursement-id", "case-id", "amazon-order-id", "reason", "sku", "fnsku", "asin",
    "product-name", "condition", "currency-unit", "amount-per-unit", "amount-total",
    "quantity-reimbursed-cash", "quantity-reimbursed-inventory", "quantity-reimbursed-total",
    "original-reimbursement-id", "original-reimbursement-type",
)  # fmt: skip

SETTLEMENT_TRANSACTION_TYPE = {
    "Shipment": "Order",
    "Refund": "Refund",
    "Reimbursement": "other-transaction",
    "GuaranteeClaim": "A-to-z Guarantee Refund",
    "Chargeback": "Chargeback Refund",
}
AMOUNT_TYPE = {
    CHARGE: "ItemPrice",
    FEE: "ItemFees",
    WITHHELD: "ItemWithheldTax",
    PROMOTION: "Promotion",
    REIMBURSEMENT: "FBA Inventory Reimbursement",
}
CHARGE_DESCRIPTION = {"ShippingCharge": "Shipping"}


def encoding_for(codes: Iterable[str]) -> str:
    found = {S.REPORT_ENCODING.get(c, "utf-8") for c in codes}
    return found.pop() if len(found) == 1 else "utf-8"


def encode(header: Sequence[str], rows: Iterable[Sequence[str]], encoding: str) -> bytes:
    lines = ["\t".join(header)] + ["\t".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def settlement_datetime(ts: datetime, decimal_comma: bool) -> str:
    return ts.strftime("%d.%m.%Y %H:%M:%S UTC" if decimal_comma else "%Y-%m-%d %H:%M:%S UTC")


def settlement_date(ts: datetime, decimal_comma: bool) -> str:
    return ts.strftime("%d.%m.%Y" if decimal_comma else "%Y-%m-%d")


def amount_description(c: Component, code: str) -> str:
    if c.kind == WITHHELD:
        label = S.WITHHELD_TAX_LABEL.get(code, S.WITHHELD_TAX_DEFAULT_LABEL)
        return c.name.replace("MarketplaceFacilitatorTax", label)
    if c.kind == CHARGE:
        return CHARGE_DESCRIPTION.get(c.name, c.name)
    return c.name


def settlement_created_at(g: SettlementGroup) -> datetime:
    """When Amazon generates a closed group's V2 file (a few hours after the transfer)."""
    assert g.fund_transfer_date is not None
    return g.fund_transfer_date + timedelta(hours=2 + int(ids.digits(2, "created", g.group_id)) % 18)


def settlement_rows(g: SettlementGroup, postings: Sequence[Posting]) -> list[list[str]]:
    """Summary row first, then one row per amount component; rows sum to total-amount.

    Except in injected anomalies: postings in `g.omitted_posting_ids` have no rows and
    `g.line_overrides` print a different amount, so those files' rows do not sum.
    """
    mp = BY_CODE[g.marketplace]
    omitted = set(g.omitted_posting_ids)
    overrides = {(pid, oi, name): amount for pid, oi, name, amount in g.line_overrides}
    dc = mp.decimal_comma
    assert g.fund_transfer_date is not None
    rows = [[
        g.settlement_id, settlement_datetime(g.start, dc), settlement_datetime(g.end, dc),
        settlement_datetime(g.fund_transfer_date, dc), flat_amount(g.total, g.currency, dc), g.currency,
    ] + [""] * 18]  # fmt: skip
    for p in postings:
        if p.posting_id in omitted:
            continue
        for it in p.items:
            for c in it.components:
                amount = c.amount
                if c.kind == CHARGE:  # overrides name a ChargeComponent (promotions reuse "Principal")
                    amount = overrides.get((p.posting_id, it.order_item_id or "", c.name), c.amount)
                rows.append([
                    g.settlement_id, "", "", "", "", "",
                    SETTLEMENT_TRANSACTION_TYPE[p.kind],
                    p.order_id or "",
                    "",
                    p.refund_id or "",
                    p.shipment_id or "",
                    mp.name,
                    AMOUNT_TYPE[c.kind],
                    amount_description(c, g.marketplace),
                    flat_amount(amount, g.currency, dc),
                    p.channel,
                    settlement_date(p.posted_at, dc),
                    settlement_datetime(p.posted_at, dc),
                    it.order_item_id or "",
                    "",
                    it.adjustment_item_id or "",
                    it.sku,
                    str(it.quantity) if p.kind == "Shipment" else "",
                    c.promotion_id or "",
                ])  # fmt: skip
    return rows


def render_settlement(g: SettlementGroup, postings: Sequence[Posting]) -> tuple[bytes, str]:
    encoding = encoding_for([g.marketplace])
    return encode(SETTLEMENT_COLUMNS, settlement_rows(g, postings), encoding), encoding


def _iso(ts: datetime | None) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S+00:00") if ts else ""


def _day(ts: datetime | None) -> str:
    return ts.strftime("%Y-%m-%d") if ts else ""


def _amt(amount: Decimal, currency: str) -> str:
    return f"{q(amount, currency):f}"


def fba_return_row(r: FbaReturn) -> list[str]:
    return [
        _iso(r.return_date), r.order_id, r.sku, r.asin, r.fnsku, r.product_name, str(r.quantity),
        r.fulfillment_center_id, r.detailed_disposition, r.reason, r.status, r.license_plate_number,
        r.customer_comments,
    ]  # fmt: skip


def mfn_return_row(r: MfnReturn) -> list[str]:
    yn = {True: "Y", False: "N"}
    return [
        r.order_id, _day(r.order_date), _day(r.return_request_date), r.return_request_status,
        r.amazon_rma_id, "", r.label_type, _amt(r.label_cost, r.currency), r.currency, r.return_carrier,
        r.tracking_id, r.label_to_be_paid_by, yn[r.a_to_z_claim], yn[r.is_prime], r.asin, r.sku, r.item_name,
        str(r.quantity), r.reason, yn[r.in_policy], "C-Returns", r.resolution, "",
        _iso(r.return_delivery_date), _amt(r.order_amount, r.currency), str(r.order_quantity),
        "", "", "", "", "", _amt(r.refunded_amount, r.currency),
    ]  # fmt: skip


def reimbursement_row(r: Reimbursement) -> list[str]:
    return [
        _iso(r.approval_date), r.reimbursement_id, r.case_id, r.order_id or "", r.reason, r.sku, r.fnsku,
        r.asin, r.product_name, r.condition, r.currency, _amt(r.amount_per_unit, r.currency),
        _amt(r.amount_total, r.currency), str(r.quantity_cash), str(r.quantity_inventory),
        str(r.quantity_cash + r.quantity_inventory), r.original_reimbursement_id or "",
        r.original_reimbursement_type or "",
    ]  # fmt: skip


REPORT_SPECS = {
    # report type -> (columns, row renderer, date attribute used for the data window)
    FBA_RETURNS: (FBA_RETURNS_COLUMNS, fba_return_row, "return_date"),
    MFN_RETURNS: (MFN_RETURNS_COLUMNS, mfn_return_row, "return_request_date"),
    REIMBURSEMENTS: (REIMBURSEMENTS_COLUMNS, reimbursement_row, "approval_date"),
}
