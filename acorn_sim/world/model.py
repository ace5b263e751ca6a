"""The plain-Python domain model of a synthetic seller world.

Generation (generator.py) builds these records; renderers (render_*.py) turn
them into SP-API JSON and flat files. Money lives in exactly one place, the
`Component`s of a `Posting`: the Transaction, the v0 financial event and the
settlement lines are all projections of the same components, which is why
they reconcile to the cent by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from acorn_sim.world.interface import RegionCredentials

# Component kinds and how each renderer files them.
CHARGE = "charge"  # ChargeComponent: Principal, Tax, ShippingCharge, ShippingTax
FEE = "fee"  # FeeComponent: Commission, FBAPerUnitFulfillmentFee, RefundCommission
WITHHELD = "withheld"  # TaxWithheldComponent: MarketplaceFacilitatorTax-Principal, ...
PROMOTION = "promotion"  # Promotion: PromotionType Principal / Shipping
REIMBURSEMENT = "reimbursement"  # AdjustmentEvent / other-transaction


@dataclass(frozen=True, slots=True)
class Seller:
    seller_id: str
    name: str
    home_currency: str
    marketplaces: tuple[str, ...]  # marketplace codes
    credentials: tuple[RegionCredentials, ...]
    fx_to_home: dict[str, Decimal]  # marketplace currency -> home currency rate
    account_tails: dict[str, str]  # marketplace code -> last 3 digits of the payout account


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    asin: str
    fnsku: str
    category: str
    size_tier: int  # 0 small, 1 standard, 2 large
    list_price_usd: Decimal
    names: dict[str, str]  # language -> product name


@dataclass(frozen=True, slots=True)
class Listing:
    sku: str
    marketplace: str  # code
    channel: str  # AFN | MFN
    shelf_price: Decimal  # what the buyer sees per unit (tax-inclusive except US/CA)
    referral_rate: Decimal
    fba_fee: Decimal  # per unit; 0 for MFN
    refund_rate: float
    shipping_charge: Decimal  # per unit for MFN non-Prime orders; 0 otherwise


@dataclass(frozen=True, slots=True)
class Buyer:
    """Restricted (PII) order data: only served with a Restricted Data Token."""

    email: str
    name: str
    address_line1: str
    city: str
    state_or_region: str
    postal_code: str
    country_code: str
    phone: str
    buyer_id: str = ""  # stable per (seller, marketplace) identity; never rendered


@dataclass(frozen=True, slots=True)
class OrderLine:
    order_item_id: str
    sku: str
    asin: str
    quantity: int
    principal: Decimal  # seller revenue excluding tax, line total
    tax: Decimal
    shipping: Decimal  # excluding tax
    shipping_tax: Decimal
    promotion: Decimal  # discount on principal (positive number), tax-exclusive
    promotion_id: str | None
    tax_rate: Decimal  # of this line: (marketplace, category's tax category), or the US/CA order rate


@dataclass(frozen=True, slots=True)
class Order:
    order_id: str
    seller_id: str
    marketplace: str
    currency: str
    channel: str  # AFN | MFN
    purchased_at: datetime
    shipped_at: datetime | None  # None for cancelled orders
    delivered_at: datetime | None
    canceled: bool
    is_prime: bool
    is_business: bool
    lines: tuple[OrderLine, ...]
    buyer: Buyer
    tax_rate: Decimal  # jurisdiction (standard) rate; a reduced-rate line carries its own


@dataclass(frozen=True, slots=True)
class Component:
    kind: str  # CHARGE | FEE | WITHHELD | PROMOTION | REIMBURSEMENT
    name: str  # ChargeType / FeeType / withheld ChargeType / promotion type / reason
    amount: Decimal  # signed, seller's point of view
    promotion_id: str | None = None


@dataclass(frozen=True, slots=True)
class PostingItem:
    order_item_id: str | None
    sku: str
    asin: str
    fnsku: str
    quantity: int
    components: tuple[Component, ...]
    adjustment_item_id: str | None = None  # refunds
    description: str = ""  # product name (reimbursements)

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.components), Decimal(0))


@dataclass(frozen=True, slots=True)
class Deferral:
    reason: str  # DD7
    maturity: datetime  # release time


@dataclass(frozen=True, slots=True)
class Posting:
    """One money movement: a Transaction, a v0 event, a block of settlement lines."""

    posting_id: str  # transactionId
    kind: str  # Shipment | Refund | Reimbursement | GuaranteeClaim | Chargeback
    seller_id: str
    marketplace: str
    currency: str
    posted_at: datetime
    channel: str  # AFN | MFN (fulfillment-id)
    items: tuple[PostingItem, ...]
    order_id: str | None = None
    shipment_id: str | None = None
    refund_id: str | None = None  # adjustment-id (refunds, A-to-z claims, chargebacks)
    reimbursement_id: str | None = None
    adjustment_type: str | None = None  # reimbursements: FBAInventoryReimbursement | REVERSAL_REIMBURSEMENT
    deferral: Deferral | None = None

    @property
    def total(self) -> Decimal:
        return sum((i.total for i in self.items), Decimal(0))

    def settles_at(self) -> datetime:
        """When the money enters a settlement group (release time if deferred)."""
        return self.deferral.maturity if self.deferral else self.posted_at


@dataclass(frozen=True, slots=True)
class Refund:
    refund_id: str
    order_id: str
    marketplace: str
    requested_at: datetime
    posted_at: datetime
    lines: tuple[tuple[str, int, Decimal], ...]  # (order_item_id, quantity, fraction refunded)
    full: bool
    reason: str
    return_delivered_at: datetime | None = None  # MFN: when the returned parcel reached the seller


@dataclass(frozen=True, slots=True)
class FbaReturn:
    marketplace: str
    return_date: datetime
    order_id: str
    sku: str
    asin: str
    fnsku: str
    product_name: str
    quantity: int
    fulfillment_center_id: str
    detailed_disposition: str
    reason: str
    status: str
    license_plate_number: str
    customer_comments: str


@dataclass(frozen=True, slots=True)
class MfnReturn:
    marketplace: str
    order_id: str
    order_date: datetime
    return_request_date: datetime
    return_request_status: str
    amazon_rma_id: str
    label_type: str
    label_cost: Decimal
    currency: str
    return_carrier: str
    tracking_id: str
    label_to_be_paid_by: str
    is_prime: bool
    asin: str
    sku: str
    item_name: str
    quantity: int
    reason: str
    in_policy: bool
    resolution: str
    return_delivery_date: datetime | None
    order_amount: Decimal
    order_quantity: int
    refunded_amount: Decimal
    a_to_z_claim: bool = False


@dataclass(frozen=True, slots=True)
class Reimbursement:
    reimbursement_id: str
    marketplace: str
    approval_date: datetime
    case_id: str
    order_id: str | None
    reason: str  # CustomerReturn | Lost_Warehouse | Damaged_Warehouse | Reimbursement_Reversal
    sku: str
    fnsku: str
    asin: str
    product_name: str
    condition: str
    currency: str
    amount_per_unit: Decimal
    amount_total: Decimal
    quantity_cash: int
    quantity_inventory: int
    original_reimbursement_id: str | None = None
    original_reimbursement_type: str | None = None


@dataclass(frozen=True, slots=True)
class SettlementGroup:
    group_id: str  # FinancialEventGroupId
    settlement_id: str
    seller_id: str
    marketplace: str
    currency: str
    start: datetime
    end: datetime
    closed: bool
    fund_transfer_date: datetime | None
    trace_id: str | None
    account_tail: str
    fx_rate: Decimal
    posting_ids: tuple[str, ...] = field(default=())
    total: Decimal = Decimal(0)  # sum of the member postings (what the transactions add up to)
    # Injected settlement anomalies (see ground_truth.py); empty for clean groups.
    omitted_posting_ids: tuple[str, ...] = field(default=())  # missing from the V2 file
    # (posting_id, order_item_id, charge component name, amount printed in the V2 file)
    line_overrides: tuple[tuple[str, str, str, Decimal], ...] = field(default=())
    transfer_delta: Decimal = Decimal(0)  # OriginalTotal = total + transfer_delta
    report_withheld: bool = False  # Amazon never generates the group's V2 file (paid, no report)
