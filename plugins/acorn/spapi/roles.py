"""Which SP-API role Amazon requires for each operation and report type ACORN-i calls.

One table, read by the client (to name the role in a `MissingRoleError`) and by
the local sandbox (to play an app that lacks a role). Sources:

- FACTS.md §7 (the project's SP-API reference material): settlement reports
  need Finance and Accounting; MFN returns by return date need Inventory and
  Order Tracking.
- Amazon's page "Roles in the Selling Partner API" (developer docs): Finances
  API → Finance and Accounting; Orders API → Inventory and Order Tracking;
  FBA reports (customer returns, reimbursements, replacements, ledger) →
  Amazon Fulfillment.
- ordersV0.json and tokens_2021-03-01.json: BuyerInfo and ShippingAddress are
  restricted data, unlocked by a Restricted Data Token and a restricted role.
  Amazon's Orders API tutorials ("Get order information", "Get order item
  information") name the roles: Direct-to-Consumer Delivery (Restricted) for
  shipping addresses (formerly "Direct-to-Consumer Shipping"), Tax Invoicing
  (Restricted) or Tax Remittance (Restricted) for buyer information.
"""

from __future__ import annotations

from collections.abc import Iterable

FINANCE_AND_ACCOUNTING = "Finance and Accounting"
INVENTORY_AND_ORDER_TRACKING = "Inventory and Order Tracking"
AMAZON_FULFILLMENT = "Amazon Fulfillment"
DIRECT_TO_CONSUMER_DELIVERY = "Direct-to-Consumer Delivery (Restricted)"
TAX_INVOICING = "Tax Invoicing (Restricted)"
TAX_REMITTANCE = "Tax Remittance (Restricted)"

# The restricted roles that unlock buyer data (RDT dataElements shippingAddress, buyerInfo).
PII_ROLE = (
    f"{DIRECT_TO_CONSUMER_DELIVERY} for shippingAddress, {TAX_INVOICING} or {TAX_REMITTANCE} for buyerInfo"
)

OPERATION_ROLES: dict[str, str] = {
    "listTransactions": FINANCE_AND_ACCOUNTING,
    "listFinancialEventGroups": FINANCE_AND_ACCOUNTING,
    "listFinancialEvents": FINANCE_AND_ACCOUNTING,
    "listFinancialEventsByGroupId": FINANCE_AND_ACCOUNTING,
    "listFinancialEventsByOrderId": FINANCE_AND_ACCOUNTING,
    "listBalances": FINANCE_AND_ACCOUNTING,
    "listPayouts": FINANCE_AND_ACCOUNTING,  # Transfers API: a Finances API on the roles page
    "listExpectedPayouts": FINANCE_AND_ACCOUNTING,
    "getOrders": INVENTORY_AND_ORDER_TRACKING,
    "getOrder": INVENTORY_AND_ORDER_TRACKING,
    "getOrderItems": INVENTORY_AND_ORDER_TRACKING,
    "createRestrictedDataToken": PII_ROLE,
}

REPORT_TYPE_ROLES: dict[str, str] = {
    "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2": FINANCE_AND_ACCOUNTING,
    "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE": FINANCE_AND_ACCOUNTING,
    "GET_V2_SETTLEMENT_REPORT_DATA_XML": FINANCE_AND_ACCOUNTING,
    "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA": AMAZON_FULFILLMENT,
    "GET_FBA_REIMBURSEMENTS_DATA": AMAZON_FULFILLMENT,
    "GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA": AMAZON_FULFILLMENT,
    "GET_LEDGER_DETAIL_VIEW_DATA": AMAZON_FULFILLMENT,
    "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE": INVENTORY_AND_ORDER_TRACKING,
    "GET_XML_RETURNS_DATA_BY_RETURN_DATE": INVENTORY_AND_ORDER_TRACKING,
}

REPORT_OPERATIONS = frozenset({"createReport", "getReports", "getReport", "getReportDocument", "cancelReport"})
UNKNOWN_ROLE = "the role Amazon's 'Roles in the Selling Partner API' page lists for it"


def role_for(operation: str, report_types: Iterable[str] = ()) -> str:
    """The role `operation` needs (for a Reports operation: the role of its report type)."""
    if operation in REPORT_OPERATIONS:
        roles = sorted({REPORT_TYPE_ROLES[t] for t in report_types if t in REPORT_TYPE_ROLES})
        return " or ".join(roles) if roles else UNKNOWN_ROLE
    return OPERATION_ROLES.get(operation, UNKNOWN_ROLE)


def operations_needing(role: str) -> frozenset[str]:
    return frozenset(op for op, r in OPERATION_ROLES.items() if r == role)


def report_types_needing(role: str) -> frozenset[str]:
    return frozenset(t for t, r in REPORT_TYPE_ROLES.items() if r == role)
