"""Constants that shape the synthetic seller world (dlt-style settings module).

Policy numbers come from POLICIES.md in the project's reference material (each
with the Amazon page it cites); where the policy page
gives no value the entry is marked ``assumed`` so the ground-truth slice can
replace it with a dated policy seed later. Nothing here reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

D = Decimal

# Relative order volume per marketplace; `orders_per_day` is the US mean and
# every other marketplace gets `orders_per_day * weight`.
MARKETPLACE_WEIGHT: dict[str, float] = {
    "US": 1.00, "CA": 0.22, "MX": 0.12, "UK": 0.45, "DE": 0.55, "FR": 0.30, "IT": 0.25,
    "ES": 0.22, "NL": 0.08, "SE": 0.05, "PL": 0.05, "JP": 0.40, "AU": 0.16,
}  # fmt: skip
DEFAULT_ORDERS_PER_DAY = 65.0

# Mon..Sun multipliers, and a modest Q4 ramp (linear from 1 Oct to +30 % on 30 Nov).
WEEKDAY_FACTOR = (0.97, 0.95, 0.94, 0.97, 1.02, 1.07, 1.08)
Q4_RAMP_START = (10, 1)
Q4_RAMP_PEAK = 0.30
# Local hour-of-day weights for purchase times (evening peak).
HOUR_WEIGHTS = (2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 6, 6, 5, 5, 5, 6, 7, 8, 9, 9, 7, 4)

# Tax (POLICIES.md §10): one row per (marketplace, tax category), the same rows as the dbt
# seed dbt/seeds/tax_rates.csv (tested), so the warehouse and the world cannot drift apart.
# Only the reduced rates §10 lists have a "reduced" row (DE 7 %, FR 5.5 %, NL 9 %, JP 8 %);
# elsewhere (UK, IT, ES, SE, PL, MX, AU) §10 gives none, so reduced-category goods fall back to
# the standard rate (`TAX_CATEGORY_FALLBACK`) instead of an invented one. US/CA rows are
# reference values only: orders there draw a jurisdiction rate (US_STATE_TAX / CA_PROVINCE_TAX).
# Tax-inclusive shelf prices everywhere except US and CA.
STANDARD, REDUCED = "standard", "reduced"
TAX_CATEGORY_FALLBACK = STANDARD


@dataclass(frozen=True)
class TaxRate:
    """One rate row; fields and order are the columns of dbt/seeds/tax_rates.csv."""

    tax_rate_id: str
    marketplace_code: str
    tax_category: str
    tax_rate: Decimal
    effective_from: str
    effective_to: str
    source: str
    note: str


def _rate(code: str, category: str, rate: str, note: str = "") -> TaxRate:
    return TaxRate(f"{code}:{category}:2025-01-01", code, category, D(rate), "2025-01-01", "",
                   "POLICIES.md section 10 (2025 standard rates)", note)  # fmt: skip


TAX_RATES: tuple[TaxRate, ...] = (
    _rate("US", STANDARD, "0.0725", "state rates vary 0-10.25%: illustrative"),
    _rate("CA", STANDARD, "0.13", "HST ON; GST 5% elsewhere"),
    _rate("MX", STANDARD, "0.16"),
    _rate("UK", STANDARD, "0.20"),
    _rate("DE", STANDARD, "0.19"),
    _rate("DE", REDUCED, "0.07"),
    _rate("FR", STANDARD, "0.20"),
    _rate("FR", REDUCED, "0.055", "food; the 10% intermediate rate is not modelled"),
    _rate("IT", STANDARD, "0.22"),
    _rate("ES", STANDARD, "0.21"),
    _rate("NL", STANDARD, "0.21"),
    _rate("NL", REDUCED, "0.09"),
    _rate("SE", STANDARD, "0.25"),
    _rate("PL", STANDARD, "0.23"),
    _rate("JP", STANDARD, "0.10"),
    _rate("JP", REDUCED, "0.08", "food and drink; newspapers"),
    _rate("AU", STANDARD, "0.10", "GST"),
)
TAX_RATE_BY_CATEGORY: dict[tuple[str, str], Decimal] = {
    (r.marketplace_code, r.tax_category): r.tax_rate for r in TAX_RATES
}
TAX_RATE: dict[str, Decimal] = {
    r.marketplace_code: r.tax_rate for r in TAX_RATES if r.tax_category == STANDARD
}
US_STATE_TAX = (D("0"), D("0.06"), D("0.0625"), D("0.0725"), D("0.08875"), D("0.1025"))
CA_PROVINCE_TAX = (D("0.05"), D("0.13"), D("0.15"))
TAX_EXCLUSIVE_PRICES = frozenset({"US", "CA"})
# Marketplaces where Amazon collects and remits the tax for a non-resident seller
# (marketplace facilitator / deemed supplier / AU low-value goods) -> ItemTaxWithheldList.
TAX_WITHHELD_MODEL: dict[str, str] = {
    "US": "MarketplaceFacilitator", "UK": "MarketplaceFacilitator", "DE": "MarketplaceFacilitator",
    "FR": "MarketplaceFacilitator", "IT": "MarketplaceFacilitator", "ES": "MarketplaceFacilitator",
    "NL": "MarketplaceFacilitator", "SE": "MarketplaceFacilitator", "PL": "MarketplaceFacilitator",
    "AU": "LowValueGoods",
}  # fmt: skip
# Finances 2024-06-19 breakdown shape per marketplace (FACTS.md §6, "Breakdown shapes in
# real responses"): these marketplaces serve the realistic shape (Tax/OurPriceTax,
# ProductCharges/OurPricePrincipal, Shipping/ShippingPrincipal, each Amazon fee split into
# {Base, Tax}, transaction-level Sales/Expenses roll-ups); the others the simplified
# two-level one (ProductCharges/{Principal, Tax, ShippingCharge, ShippingTax}, ...).
# Amounts are the same in both: only their arrangement differs.
REALISTIC_BREAKDOWN_MARKETPLACES = frozenset({"UK", "DE", "SE", "JP", "IT"})
# VAT (consumption tax) Amazon charges on its fees where the realistic shape shows it:
# the fee's Tax leaf = fee x rate / (1 + rate), rounded; Base = the rest (fees stay whole).
FEE_VAT_RATE: dict[str, Decimal] = {
    "UK": D("0.20"), "DE": D("0.19"), "SE": D("0.25"), "JP": D("0.10"), "IT": D("0.22"),
}  # fmt: skip

# Settlement amount-description prefix of withheld tax lines (default: UK/EU VAT wording).
WITHHELD_TAX_LABEL: dict[str, str] = {"US": "MarketplaceFacilitatorTax", "AU": "LowValueGoodsTax"}
WITHHELD_TAX_DEFAULT_LABEL = "MarketplaceFacilitatorVAT"

# Price levels: a USD list price is converted with these and rounded to a shelf price.
PRICE_LEVEL: dict[str, Decimal] = {
    "USD": D("1"), "CAD": D("1.36"), "MXN": D("18.5"), "GBP": D("0.86"), "EUR": D("0.97"),
    "SEK": D("11"), "PLN": D("4.2"), "JPY": D("150"), "AUD": D("1.52"),
}  # fmt: skip
# Home-currency (CNY) rate per unit of marketplace currency, jittered ±2 % per seed.
FX_TO_CNY: dict[str, Decimal] = {
    "USD": D("7.12"), "CAD": D("5.21"), "MXN": D("0.386"), "GBP": D("9.06"), "EUR": D("7.78"),
    "SEK": D("0.676"), "PLN": D("1.81"), "JPY": D("0.0478"), "AUD": D("4.66"),
}  # fmt: skip

# Catalogue categories: referral rate (EU/JP overrides), refund rate, tax category (the key of
# TAX_RATE_BY_CATEGORY). Grocery is the reduced-rate category (food and drink, POLICIES.md §10);
# its referral rate is the low-price tier and it is rarely refunded (grocery is a non-returnable
# category in most marketplaces, POLICIES.md §5).
CATEGORIES: dict[str, dict] = {
    "HomeKitchen": {"referral": D("0.15"), "jp": D("0.15"), "refund": 0.06, "tax": STANDARD},
    "Electronics": {"referral": D("0.08"), "eu": D("0.07"), "jp": D("0.08"), "refund": 0.09, "tax": STANDARD},
    "Toys": {"referral": D("0.15"), "jp": D("0.10"), "refund": 0.05, "tax": STANDARD},
    "Sports": {"referral": D("0.15"), "jp": D("0.10"), "refund": 0.07, "tax": STANDARD},
    "Clothing": {"referral": D("0.17"), "eu": D("0.15"), "jp": D("0.12"), "refund": 0.12, "tax": STANDARD},
    "Beauty": {"referral": D("0.15"), "eu": D("0.15"), "jp": D("0.10"), "refund": 0.05, "tax": STANDARD},
    "Tools": {"referral": D("0.15"), "eu": D("0.13"), "jp": D("0.10"), "refund": 0.06, "tax": STANDARD},
    "Grocery": {"referral": D("0.08"), "eu": D("0.08"), "jp": D("0.08"), "refund": 0.02, "tax": REDUCED},
}
# Per-marketplace refund-rate multiplier (returns culture: DE high, JP low).
REFUND_RATE_FACTOR: dict[str, float] = {"DE": 1.25, "UK": 1.1, "JP": 0.6, "PL": 0.8, "MX": 0.9}

# FBA per-unit fulfilment fee by size tier (small, standard, large), marketplace currency.
FBA_FEE: dict[str, tuple[str, str, str]] = {
    "US": ("3.22", "4.75", "6.92"), "CA": ("4.45", "6.20", "9.10"), "MX": ("55.00", "71.00", "96.00"),
    "UK": ("2.50", "3.22", "4.61"), "DE": ("2.70", "3.45", "4.90"), "FR": ("3.05", "3.80", "5.45"),
    "IT": ("3.10", "3.95", "5.60"), "ES": ("2.95", "3.70", "5.30"), "NL": ("2.80", "3.55", "5.05"),
    "SE": ("33.00", "41.00", "57.00"), "PL": ("12.40", "15.60", "22.10"), "JP": ("290", "434", "603"),
    "AU": ("4.55", "6.05", "8.45"),
}  # fmt: skip

# Refund administration fee (POLICIES.md §2): share of the credited referral fee, cap in
# marketplace currency, and whether the cap is documented or assumed.
REFUND_ADMIN_FEE: dict[str, tuple[Decimal, Decimal, str]] = {
    "US": (D("0.20"), D("5.00"), "documented"),
    "UK": (D("0.20"), D("5.00"), "documented"),
    "DE": (D("0.20"), D("5.00"), "documented"),
    "FR": (D("0.20"), D("5.00"), "documented"),
    "IT": (D("0.20"), D("5.00"), "documented"),
    "ES": (D("0.20"), D("5.00"), "documented"),
    "NL": (D("0.20"), D("5.00"), "documented"),
    "SE": (D("0.20"), D("55.00"), "assumed: EUR 5 in SEK"),
    "PL": (D("0.20"), D("21.00"), "assumed: EUR 5 in PLN"),
    "JP": (D("0.10"), D("500"), "documented"),
    "AU": (D("0.20"), D("5.00"), "assumed: cap not documented"),
    "CA": (D("0.20"), D("5.00"), "assumed: CA not found"),
    "MX": (D("0.20"), D("90.00"), "assumed: USD 5 in MXN"),
}

# Share of listings fulfilled by the merchant (cross-border sellers ship some SKUs from China).
MFN_SHARE = 0.18
# Share of shipment transactions held back under DD+7 (POLICIES.md §7). In 2026 DD+7 is the
# default in EU/US; the slice keeps it a minority so RELEASED stays the common status.
DEFERRED_SHARE = 0.22
DEFERRAL_DAYS = 7  # DD+7: released at 00:00 local of delivery date + 8 (acorn.cashflow.mechanics.release_at)
REVIEW_DEFERRAL_DAYS = 14  # DD+14 while the account is under review
CANCEL_RATE = 0.015
PARTIAL_REFUND_SHARE = 0.22
RETURNLESS_SHARE = 0.12  # FBA refunds where the unit never comes back
PROMOTION_RATE = 0.08
SETTLEMENT_CYCLE_DAYS: dict[str, int] = {"JP": 7}  # default 14
# Clean refunds are requested at most this many days after delivery (return window 30 days),
# i.e. RETURN_WINDOW_DAYS - REFUND_REQUEST_MAX_DAYS days before the window ends; only the
# procrastinators (LATE_RETURN_SHARE, overlaps.py) and wardrobing request in its last days.
REFUND_REQUEST_MAX_DAYS = 22
RETURN_WINDOW_DAYS = 30


@dataclass(frozen=True)
class HolidayReturnWindow:
    """Amazon's extended holiday returns: purchases (local date) from `purchased_from` to
    `purchased_to` are returnable until `return_by` of the next year, or 30 days after
    delivery if that is later. Dates are (month, day)."""

    purchased_from: tuple[int, int]
    purchased_to: tuple[int, int]
    return_by: tuple[int, int]


# POLICIES.md §3 "Holiday extension": US (2023 rule) and DE 1 Nov-31 Dec, AU 1 Oct-31 Dec, all
# until 31 Jan. No other marketplace has a documented extension, so they keep 30 days.
HOLIDAY_RETURN_WINDOWS: dict[str, HolidayReturnWindow] = {
    "US": HolidayReturnWindow((11, 1), (12, 31), (1, 31)),
    "DE": HolidayReturnWindow((11, 1), (12, 31), (1, 31)),
    "AU": HolidayReturnWindow((10, 1), (12, 31), (1, 31)),
}
# Share of clean refunds of holiday-window orders that are gift returns, requested after
# Christmas (from this date, local) instead of within REFUND_REQUEST_MAX_DAYS of delivery.
HOLIDAY_GIFT_RETURN_SHARE = 0.35
HOLIDAY_GIFT_RETURNS_FROM = (12, 26)
# Returnless refunds (the buyer keeps the unit) only for cheap units: unit shelf price at most
# this many USD at the marketplace's price level. Above it, a missing return is an anomaly.
RETURNLESS_MAX_PRICE_USD = D("20")
# A buyer returns to the same marketplace for a new order with this probability.
REPEAT_BUYER_SHARE = 0.30
# Card chargebacks (clean, rare): share of shipped, unrefunded orders.
CHARGEBACK_RATE = 0.0015

# FBA customer-return reimbursement: days after the refund before Amazon reimburses a unit that
# never came back (the claim window opens; POLICIES.md §1: US 60, EU/UK 45, JP 45; CA/MX/AU
# assumed 60). Clean reimbursements land within 10 days of the opening; a detector should allow
# REIMBURSEMENT_GRACE_DAYS before calling one missing.
CLAIM_WINDOW_OPEN_DAYS: dict[str, int] = {
    "US": 60, "CA": 60, "MX": 60, "AU": 60, "JP": 45, "UK": 45, "DE": 45, "FR": 45, "IT": 45,
    "ES": 45, "NL": 45, "SE": 45, "PL": 45,
}  # fmt: skip
REIMBURSEMENT_GRACE_DAYS = 15
REIMBURSED_RETURN_LAG_DAYS = (0.5, 4.0)  # "Reimbursed" FBA returns: reimbursement this long after
RESTOCK_DUE_DAYS = 14  # an FBA return still "Pending" after this long is stuck
MFN_REFUND_DUE_BUSINESS_DAYS = 2  # POLICIES.md §5
# MFN refunds per marketplace whose deadline a public holiday moves, each way (on time only by
# the holiday / late after the extended deadline), where a holiday falls in a refund window.
MFN_HOLIDAY_CASES_PER_SLICE = 3
SERIAL_RETURNER_MIN_RETURNS = 4  # refunded orders per relay email per marketplace
WARDROBING_LAST_DAYS = 3  # refund requested within the last N days of the return window

# Buyer fraud (ground truth, detected_by "fraud"). Sizes are (value, weight) options, drawn
# per case; a case's refunds fall within FRAUD_SPAN_DAYS of each other.
FRAUD_SPAN_DAYS = 120
SERIAL_RETURNER_ORDERS = ((4, 35), (5, 30), (6, 20), (7, 10), (8, 5))  # refunded orders per email
SERIAL_RETURNER_KEPT_ORDERS = ((0, 40), (1, 35), (2, 25))  # orders the same email kept (no refund)
BUYER_RING_ACCOUNTS = ((3, 45), (4, 35), (5, 20))  # relay emails at the ring's one address
BUYER_RING_REFUNDS_PER_ACCOUNT = ((1, 60), (2, 30), (3, 10))
BUYER_RING_MIN_REFUNDS = 4  # a ring exists to collect refunds: at least this many in all
# Serial returners and rings claim the seller's fault (so the buyer pays no return shipping and
# keeps the full refund) for this share of their refunds; the unit mostly grades SELLABLE.
FRAUD_SELLER_FAULT_SHARE = 0.75
FBA_SELLER_FAULT_CLAIMS = (("DEFECTIVE", 45), ("NOT_AS_DESCRIBED", 30), ("QUALITY_UNACCEPTABLE", 15),
                           ("MISSING_PARTS", 10))  # fmt: skip
MFN_SELLER_FAULT_CLAIMS = (("CR-DEFECTIVE", 55), ("AMZ-PG-BAD-DESC", 30), ("CR-MISSING_PARTS", 15))
FRAUD_CLAIM_GRADED_SELLABLE = 0.85  # of their returned units: the claimed fault was not there
# Wardrobing: worn, then returned as not wanted or not fitting, like a legit apparel return.
WARDROBING_REASONS_APPAREL = (("APPAREL_TOO_SMALL", 35), ("APPAREL_TOO_LARGE", 30), ("UNWANTED_ITEM", 35))
WARDROBING_REASONS_OTHER = (("UNWANTED_ITEM", 70), ("ORDERED_WRONG_ITEM", 15), ("FOUND_BETTER_PRICE", 15))

# Legitimate behaviour that looks like fraud (acorn_sim/world/overlaps.py; never in the ground
# truth). It is there so a fraud detector pays for every shortcut: a shared address, a count of
# returns, a late request or a damaged unit alone is not fraud.
# Households: a new (non-business) buyer joins an existing buyer's address with this
# probability, up to HOUSEHOLD_MAX_ACCOUNTS relay emails at one address (family members each
# with an Amazon account).
HOUSEHOLD_SHARE = 0.02
HOUSEHOLD_MAX_ACCOUNTS = 3
# Offices: a new buyer whose first order is a business order works in an office with this
# probability; an office takes OFFICE_ACCOUNTS (drawn when it opens) accounts, and a new office
# buyer joins an office that still has room with OFFICE_JOIN_SHARE, else opens one. Every order of
# an office account is a business order.
OFFICE_SHARE = 0.8
OFFICE_ACCOUNTS = (3, 8)
OFFICE_JOIN_SHARE = 0.75
# Apparel bracketing: repeat buyers who order several sizes and return the ones that do not fit,
# 3-5 refunds within 90 days, sizing reasons, units back SELLABLE. Per 10,000 expected orders, as
# ANOMALIES_PER_10K_ORDERS: twice the serial returners, so "3 or more returns in 90 days" flags
# more honest buyers than fraudsters.
BRACKETING_BUYERS_PER_10K_ORDERS = 3.0
BRACKETING_REFUNDS = ((3, 45), (4, 35), (5, 20))
BRACKETING_SPAN_DAYS = 90
APPAREL_CATEGORIES = frozenset({"Clothing"})
FBA_SIZING_REASONS = (("APPAREL_TOO_SMALL", 55), ("APPAREL_TOO_LARGE", 45))
MFN_SIZING_REASONS = (("CR-APPAREL_TOO_SMALL", 55), ("CR-APPAREL_TOO_LARGE", 45))  # dbt drops "CR-"
# Procrastinators: this share of clean FBA returns is requested in the window's last
# WARDROBING_LAST_DAYS days (the wardrobing timing), mostly with the unit back SELLABLE.
LATE_RETURN_SHARE = 0.03
LATE_RETURN_DISPOSITIONS = (("SELLABLE", 85), ("CUSTOMER_DAMAGED", 10), ("DEFECTIVE", 5))
# How the fulfilment centre grades a clean returned unit (status "Unit returned to inventory"),
# by what the buyer said: genuine defects come back DEFECTIVE, but buyers misjudge (a claimed
# defect graded SELLABLE) and open or scuff what they return (CUSTOMER_DAMAGED, no fraud). Units
# reported carrier- or warehouse-damaged ("Reimbursed") keep their grade; EXPIRED stays.
RETURN_REASON_CLASS: dict[str, str] = {
    "DEFECTIVE": "defect", "QUALITY_UNACCEPTABLE": "defect", "MISSING_PARTS": "defect",
    "NOT_AS_DESCRIBED": "defect", "SWITCHEROO": "defect", "DAMAGED_BY_CARRIER": "carrier",
    "NEVER_ARRIVED": "carrier",
}  # fmt: skip  (every other reason: "remorse")
CLEAN_GRADING: dict[str, tuple[tuple[str, int, str], ...]] = {
    "defect": (("DEFECTIVE", 55, "Unit returned to inventory"), ("SELLABLE", 35, "Unit returned to inventory"),
               ("CUSTOMER_DAMAGED", 10, "Unit returned to inventory")),
    "carrier": (("SELLABLE", 55, "Unit returned to inventory"), ("DEFECTIVE", 30, "Unit returned to inventory"),
                ("CUSTOMER_DAMAGED", 15, "Unit returned to inventory")),
    "remorse": (("SELLABLE", 82, "Unit returned to inventory"), ("SELLABLE", 6, "Repackaged Successfully"),
                ("CUSTOMER_DAMAGED", 12, "Unit returned to inventory")),
}  # fmt: skip
# A carrier-damaged unit whose buyer said so (the rest said defective, unwanted, ...).
CARRIER_DAMAGED_REASON_SHARE = 0.5
# The fulfilment centre mis-grades a clean return as "Different item received" (the status
# empty_box_or_wrong_item fraud has), rarely.
FC_MISGRADE_SHARE = 0.002

# Anomalies injected per 10,000 expected orders of a seller (see ground_truth.py). The default
# world (~22,500 expected orders) gets floor/ceil(rate x 2.25) of each kind, spread over the
# marketplaces by MARKETPLACE_WEIGHT, so every kind appears 6-7 times and stays rare.
ANOMALIES_PER_10K_ORDERS: dict[str, float] = {
    "refund_without_return_past_window": 3.2,
    "return_not_restocked_or_credited": 2.8,
    "reimbursement_missing": 2.8,
    "reimbursement_short": 2.8,
    "reimbursement_reversed": 3.2,  # a few quotas land where no old FBA refund is left
    "over_refund": 2.8,
    "duplicate_refund": 2.8,
    "refund_fee_error": 2.8,
    "refund_tax_mismatch": 2.8,
    "refund_missing_from_settlement": 2.8,
    "settlement_line_amount_mismatch": 2.8,
    "settlement_transfer_mismatch": 2.8,
    "payout_report_missing": 2.8,
    "mfn_refund_late": 2.8,
    "a_to_z_claim_risk": 2.8,
    "mfn_return_not_refunded": 2.8,
    # Fraud: all four together label about 4 % of refunded orders (DECISIONLOG, issue #15). A
    # serial_returner or buyer_ring case is 4-8 refunded orders, so those two are rarer cases
    # (3-4 in the default world, 15-20 labelled orders each); the one-order kinds keep 2.8, so
    # the kinds injected before them pick the same records as before.
    "serial_returner": 1.5,
    "wardrobing": 2.8,
    "empty_box_or_wrong_item": 2.8,
    "buyer_ring": 1.5,
}

FULFILLMENT_CENTERS: dict[str, tuple[str, ...]] = {
    "US": ("PHX7", "ONT8", "LGB8", "SBD1", "MDW2", "CLT2"), "CA": ("YYZ4", "YVR3"),
    "MX": ("MEX1", "MEX2"), "UK": ("LTN4", "MAN1", "BHX4"), "DE": ("FRA7", "DUS2", "LEJ1"),
    "FR": ("ORY1", "LYS1"), "IT": ("MXP5", "FCO1"), "ES": ("MAD4", "BCN1"), "NL": ("AMS1",),
    "SE": ("ARN1",), "PL": ("POZ1", "WRO2"), "JP": ("NRT1", "KIX3", "HND3"), "AU": ("SYD1", "MEL1"),
}  # fmt: skip
ORDER_ID_PREFIXES: dict[str, tuple[str, ...]] = {
    "US": ("111", "112", "113", "114"), "CA": ("701", "702"), "MX": ("701", "702"),
    "UK": ("202", "203", "204", "205", "206"), "DE": ("302", "303", "304", "305", "306"),
    "FR": ("402", "403", "404"), "IT": ("405", "406"), "ES": ("407", "408"), "NL": ("402", "404"),
    "SE": ("403", "406"), "PL": ("405", "407"), "JP": ("249", "250", "503"), "AU": ("249", "250"),
}  # fmt: skip
RELAY_DOMAIN: dict[str, str] = {
    "US": "amazon.com", "CA": "amazon.ca", "MX": "amazon.com.mx", "UK": "amazon.co.uk",
    "DE": "amazon.de", "FR": "amazon.fr", "IT": "amazon.it", "ES": "amazon.es", "NL": "amazon.nl",
    "SE": "amazon.se", "PL": "amazon.pl", "JP": "amazon.co.jp", "AU": "amazon.com.au",
}  # fmt: skip
LANGUAGE: dict[str, str] = {
    "US": "en", "CA": "en", "UK": "en", "AU": "en", "MX": "es", "ES": "es", "DE": "de", "FR": "fr",
    "IT": "it", "NL": "nl", "SE": "sv", "PL": "pl", "JP": "ja",
}  # fmt: skip
# Flat-file encodings for on-demand reports and settlement files.
REPORT_ENCODING: dict[str, str] = {
    "JP": "cp932",
    "DE": "iso-8859-1",
    "FR": "iso-8859-1",
    "IT": "iso-8859-1",
    "ES": "iso-8859-1",
    "NL": "iso-8859-1",
    "SE": "iso-8859-1",
    "MX": "iso-8859-1",
}  # fmt: skip  (default utf-8)

# Product kinds: (category, size tier 0..2, USD list price, names per language).
PRODUCT_KINDS: tuple[tuple[str, int, str, dict[str, str]], ...] = (
    (
        "HomeKitchen",
        1,
        "24.99",
        {
            "en": "Electric Kettle 1.7L",
            "de": "Wasserkocher 1,7 L Edelstahl",
            "fr": "Bouilloire électrique 1,7 L",
            "it": "Bollitore elettrico 1,7 L",
            "es": "Hervidor eléctrico 1,7 L",
            "nl": "Waterkoker 1,7 L",
            "sv": "Vattenkokare 1,7 L rostfri",
            "pl": "Czajnik elektryczny 1,7 L",
            "ja": "電気ケトル 1.7L ステンレス",
        },
    ),
    (
        "HomeKitchen",
        0,
        "15.99",
        {
            "en": "Digital Kitchen Scale",
            "de": "Digitale Küchenwaage",
            "fr": "Balance de cuisine numérique",
            "it": "Bilancia da cucina digitale",
            "es": "Báscula de cocina digital",
            "nl": "Digitale keukenweegschaal",
            "sv": "Digital köksvåg",
            "pl": "Cyfrowa waga kuchenna",
            "ja": "デジタルキッチンスケール",
        },
    ),
    (
        "Electronics",
        0,
        "19.99",
        {
            "en": "USB-C Charger 65W",
            "de": "USB-C Ladegerät 65 W",
            "fr": "Chargeur USB-C 65 W",
            "it": "Caricatore USB-C 65 W",
            "es": "Cargador USB-C 65 W",
            "nl": "USB-C-oplader 65 W",
            "sv": "USB-C-laddare 65 W",
            "pl": "Ładowarka USB-C 65 W",
            "ja": "USB-C 充電器 65W",
        },
    ),
    (
        "Electronics",
        0,
        "39.99",
        {
            "en": "Wireless Earbuds",
            "de": "Kabellose Ohrhörer",
            "fr": "Écouteurs sans fil",
            "it": "Auricolari senza fili",
            "es": "Auriculares inalámbricos",
            "nl": "Draadloze oordopjes",
            "sv": "Trådlösa hörlurar",
            "pl": "Słuchawki bezprzewodowe",
            "ja": "ワイヤレスイヤホン",
        },
    ),
    (
        "Toys",
        1,
        "29.99",
        {
            "en": "Magnetic Building Tiles",
            "de": "Magnetische Bausteine",
            "fr": "Blocs de construction magnétiques",
            "it": "Blocchi magnetici da costruzione",
            "es": "Bloques de construcción magnéticos",
            "nl": "Magnetische bouwstenen",
            "sv": "Magnetiska byggplattor",
            "pl": "Klocki magnetyczne",
            "ja": "マグネットブロック 知育玩具",
        },
    ),
    (
        "Sports",
        1,
        "34.99",
        {
            "en": "Resistance Bands Set",
            "de": "Widerstandsbänder-Set",
            "fr": "Ensemble de bandes de résistance",
            "it": "Set di fasce elastiche",
            "es": "Juego de bandas elásticas",
            "nl": "Weerstandsbanden set",
            "sv": "Träningsband set",
            "pl": "Zestaw gum oporowych",
            "ja": "トレーニングチューブ セット",
        },
    ),
    (
        "Clothing",
        0,
        "22.99",
        {
            "en": "Thermal Base Layer Top",
            "de": "Thermo-Unterhemd für Herren",
            "fr": "Maillot thermique à manches longues",
            "it": "Maglia termica a maniche lunghe",
            "es": "Camiseta térmica de compresión",
            "nl": "Thermoshirt met lange mouwen",
            "sv": "Underställströja för vinter",
            "pl": "Koszulka termoaktywna męska",
            "ja": "防寒インナー 長袖",
        },
    ),
    (
        "Beauty",
        0,
        "18.99",
        {
            "en": "Facial Cleansing Brush",
            "de": "Gesichtsreinigungsbürste",
            "fr": "Brosse nettoyante visage",
            "it": "Spazzola detergente viso",
            "es": "Cepillo de limpieza facial",
            "nl": "Gezichtsreinigingsborstel",
            "sv": "Ansiktsrengöringsborste",
            "pl": "Szczoteczka do twarzy",
            "ja": "洗顔ブラシ 電動",
        },
    ),
    (
        "Tools",
        2,
        "59.99",
        {
            "en": "Cordless Drill Driver 20V",
            "de": "Akku-Bohrschrauber 20 V",
            "fr": "Perceuse-visseuse sans fil 20 V",
            "it": "Trapano avvitatore a batteria 20 V",
            "es": "Taladro atornillador inalámbrico 20 V",
            "nl": "Accuboormachine 20 V",
            "sv": "Sladdlös borrskruvdragare 20 V",
            "pl": "Wiertarko-wkrętarka 20 V",
            "ja": "電動ドリルドライバー 20V",
        },
    ),
    (
        "HomeKitchen",
        2,
        "45.99",
        {
            "en": "Storage Ottoman Bench",
            "de": "Sitzbank mit Stauraum",
            "fr": "Banc pouf coffre de rangement",
            "it": "Panca contenitore pieghevole",
            "es": "Banco baúl plegable",
            "nl": "Opbergbank poef",
            "sv": "Förvaringsbänk fällbar",
            "pl": "Ławka ze schowkiem",
            "ja": "収納スツール 折りたたみ",
        },
    ),
    (
        "Grocery",
        0,
        "13.99",
        {
            "en": "Whole Bean Coffee Medium Roast 500g",
            "de": "Kaffeebohnen mittlere Röstung 500 g",
            "fr": "Café en grains torréfaction moyenne 500 g",
            "it": "Caffè in grani tostatura media 500 g",
            "es": "Café en grano tueste medio 500 g",
            "nl": "Koffiebonen medium branding 500 g",
            "sv": "Kaffebönor mellanrost 500 g",
            "pl": "Kawa ziarnista średnio palona 500 g",
            "ja": "コーヒー豆 中煎り 500g",
        },
    ),
    (
        "Grocery",
        0,
        "9.99",
        {
            "en": "Japanese Green Tea Bags, 100 Count",
            "de": "Japanischer Grüntee, 100 Teebeutel",
            "fr": "Thé vert japonais, 100 sachets",
            "it": "Tè verde giapponese, 100 bustine",
            "es": "Té verde japonés, 100 bolsitas",
            "nl": "Japanse groene thee, 100 zakjes",
            "sv": "Japanskt grönt te, 100 påsar",
            "pl": "Japońska zielona herbata, 100 torebek",
            "ja": "緑茶 ティーバッグ 100袋",
        },
    ),
)
VARIANTS: dict[str, tuple[str, ...]] = {
    "en": ("Black", "White", "Grey", "Blue"), "de": ("Schwarz", "Weiß", "Grau", "Blau"),
    "fr": ("Noir", "Blanc", "Gris", "Bleu"), "it": ("Nero", "Bianco", "Grigio", "Blu"),
    "es": ("Negro", "Blanco", "Gris", "Azul"), "nl": ("Zwart", "Wit", "Grijs", "Blauw"),
    "sv": ("Svart", "Vit", "Grå", "Blå"), "pl": ("Czarny", "Biały", "Szary", "Niebieski"),
    "ja": ("ブラック", "ホワイト", "グレー", "ブルー"),
}  # fmt: skip
BRAND_SYLLABLES = ("ka", "lo", "mi", "zen", "vo", "tek", "ra", "lux", "no", "qi", "sun", "ari")

FBA_RETURN_REASONS = (
    ("UNWANTED_ITEM", 30), ("NOT_AS_DESCRIBED", 12), ("DEFECTIVE", 15), ("QUALITY_UNACCEPTABLE", 10),
    ("ORDERED_WRONG_ITEM", 8), ("FOUND_BETTER_PRICE", 6), ("MISSING_PARTS", 5), ("SWITCHEROO", 2),
    ("DAMAGED_BY_CARRIER", 4), ("APPAREL_TOO_SMALL", 5), ("NEVER_ARRIVED", 3),
)  # fmt: skip
MFN_RETURN_REASONS = (
    ("CR-UNWANTED_ITEM", 30), ("CR-DEFECTIVE", 18), ("CR-QUALITY_UNACCEPTABLE", 12),
    ("AMZ-PG-BAD-DESC", 10), ("CR-ORDERED_WRONG_ITEM", 8), ("CR-DAMAGED_BY_CARRIER", 6),
    ("CR-MISSING_PARTS", 6), ("CR-SWITCHEROO", 2),
)  # fmt: skip
# detailed-disposition -> (weight, status)
DISPOSITIONS = (
    ("SELLABLE", 58, "Unit returned to inventory"),
    ("CUSTOMER_DAMAGED", 15, "Unit returned to inventory"),
    ("DEFECTIVE", 14, "Unit returned to inventory"),
    ("CARRIER_DAMAGED", 5, "Reimbursed"),
    ("DAMAGED", 4, "Reimbursed"),
    ("EXPIRED", 1, "Unit returned to inventory"),
    ("SELLABLE", 3, "Repackaged Successfully"),
)
CUSTOMER_COMMENTS = (
    "",
    "",
    "",
    "Did not fit",
    "Stopped working after two days",
    "Not as pictured",
    "Bought by mistake",
    "Box was damaged",
    "Found it cheaper elsewhere",
    "Missing the cable",
)
RETURN_CARRIERS: dict[str, str] = {
    "US": "UPS",
    "CA": "Canada Post",
    "UK": "Royal Mail",
    "JP": "Yamato",
    "AU": "Australia Post",
    "DE": "DHL",
    "MX": "Estafeta",
}  # default DHL

# Buyers (restricted data): a few names and places per marketplace.
FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("James", "Olivia", "Liam", "Emma", "Noah", "Ava", "Mia", "Lucas"),
    "es": ("José", "María", "Lucía", "Javier", "Sofía", "Andrés"),
    "de": ("Jürgen", "Anna", "Lukas", "Sophie", "Maximilian", "Léa"),
    "fr": ("Hélène", "Louis", "Chloé", "François", "Inès", "Jules"),
    "it": ("Giulia", "Marco", "Francesca", "Niccolò", "Chiara", "Luca"),
    "nl": ("Daan", "Emma", "Sem", "Julia", "Bram", "Tess"),
    "sv": ("Åsa", "Erik", "Björn", "Maja", "Linnéa", "Oskar"),
    "pl": ("Łukasz", "Zofia", "Paweł", "Małgorzata", "Jakub", "Anna"),
    "ja": ("太郎", "花子", "翔太", "美咲", "健一", "由美"),
}  # fmt: skip
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("Smith", "Johnson", "Brown", "Wilson", "Taylor", "Clark"),
    "es": ("García", "Martínez", "López", "Hernández", "Pérez"),
    "de": ("Müller", "Schmidt", "Schäfer", "Weiß", "Becker"),
    "fr": ("Lefèvre", "Dubois", "Moreau", "Girard", "Rousseau"),
    "it": ("Rossi", "Bianchi", "Ricci", "Esposito", "Colombo"),
    "nl": ("de Vries", "Jansen", "van Dijk", "Bakker", "Visser"),
    "sv": ("Andersson", "Johansson", "Öberg", "Lindström", "Nilsson"),
    "pl": ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Zieliński"),
    "ja": ("佐藤", "鈴木", "高橋", "田中", "渡辺"),
}  # fmt: skip
# code -> ((city, state_or_region, postal code pattern with # for digits), ...)
PLACES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "US": (("Seattle", "WA", "981##"), ("Austin", "TX", "787##"), ("Brooklyn", "NY", "112##"),
           ("San Jose", "CA", "951##"), ("Columbus", "OH", "432##")),
    "CA": (("Toronto", "ON", "M5V #A#"), ("Vancouver", "BC", "V6B #C#"), ("Montréal", "QC", "H2X #B#")),
    "MX": (("Ciudad de México", "CDMX", "06###"), ("Guadalajara", "JAL", "44###"), ("Monterrey", "NL", "64###")),
    "UK": (("London", "Greater London", "SW1A #AA"), ("Manchester", "Greater Manchester", "M1 #AE"),
           ("Leeds", "West Yorkshire", "LS1 #BA")),
    "DE": (("München", "Bayern", "80###"), ("Köln", "Nordrhein-Westfalen", "50###"), ("Berlin", "Berlin", "10###")),
    "FR": (("Paris", "Île-de-France", "750##"), ("Lyon", "Auvergne-Rhône-Alpes", "6900#")),
    "IT": (("Milano", "MI", "201##"), ("Roma", "RM", "001##"), ("Napoli", "NA", "801##")),
    "ES": (("Madrid", "Madrid", "280##"), ("Barcelona", "Barcelona", "080##"), ("Málaga", "Málaga", "290##")),
    "NL": (("Amsterdam", "Noord-Holland", "10## AB"), ("Utrecht", "Utrecht", "35## CD")),
    "SE": (("Stockholm", "Stockholms län", "11# ##"), ("Göteborg", "Västra Götaland", "41# ##")),
    "PL": (("Warszawa", "mazowieckie", "00-###"), ("Kraków", "małopolskie", "30-###"), ("Łódź", "łódzkie", "90-###")),
    "JP": (("渋谷区", "東京都", "150-####"), ("大阪市北区", "大阪府", "530-####"), ("札幌市中央区", "北海道", "060-####")),
    "AU": (("Sydney", "NSW", "20##"), ("Melbourne", "VIC", "30##"), ("Brisbane", "QLD", "40##")),
}  # fmt: skip
STREETS: dict[str, str] = {
    "en": "{n} Maple Street", "es": "Calle Mayor {n}", "de": "Hauptstraße {n}", "fr": "{n} rue de la Paix",
    "it": "Via Roma {n}", "nl": "Kerkstraat {n}", "sv": "Storgatan {n}", "pl": "ul. Długa {n}",
    "ja": "神南1-{n}-3",
}  # fmt: skip
