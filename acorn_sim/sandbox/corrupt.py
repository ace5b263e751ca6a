"""Malformed records on demand: the `corrupt_records` fault switch.

Real feeds send bad records now and then; the pipeline must quarantine them
with a reason and land the rest. Each kind breaks one thing a boundary rule
checks, on a copy of the served record (the world itself is never changed):

- ``bad_currency``: a currency that is not the marketplace's (``XXX``).
- ``missing_order_id``: the order id left empty.
- ``non_numeric_amount``: an amount that is not a number (``"12,3x"``).
- ``renamed_column``: a flat-file header renamed (``order-id`` -> ``order_id``,
  ``reimbursement-id`` -> ``reimbursement_id``):
  the whole report's layout is unknown.

Switch: ``{"corrupt_records": {"count": 2, "operation": "listTransactions",
"kind": "bad_currency"}}``. For listTransactions each served transaction
consumes one count; for reports (operation ``createReport``, or a report type
such as ``GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA`` to pick one) each
generated report consumes one and gets one corrupted row (or its header renamed).
"""

from __future__ import annotations

import copy
from typing import Any

KINDS = ("bad_currency", "missing_order_id", "non_numeric_amount", "renamed_column")


class CorruptionError(ValueError):
    pass


def corrupt_transaction(txn: dict[str, Any], kind: str) -> dict[str, Any]:
    bad = copy.deepcopy(txn)
    if kind == "bad_currency":
        bad["totalAmount"]["currencyCode"] = "XXX"
    elif kind == "non_numeric_amount":
        bad["totalAmount"]["currencyAmount"] = "12,3x"
    elif kind == "missing_order_id":
        bad["transactionId"] = None
    else:
        raise CorruptionError(f"{kind} does not apply to transactions")
    return bad


def corrupt_report(content: bytes, encoding: str, kind: str) -> bytes:
    """One bad row (the first data row), or a renamed header, in a tab-delimited report."""
    text = content.decode(encoding)
    lines = text.split("\n")
    header = lines[0].split("\t")
    if kind == "renamed_column":
        renames = {"order-id": "order_id", "order id": "order_id", "reimbursement-id": "reimbursement_id"}
        lines[0] = "\t".join(renames.get(h.strip().lower(), h) for h in header)
        return "\n".join(lines).encode(encoding)
    if len(lines) < 2 or not lines[1]:
        return content
    row = lines[1].split("\t")
    names = [h.strip().lower() for h in header]

    def set_first(candidates: tuple[str, ...], value: str) -> None:
        for name in candidates:
            if name in names:
                row[names.index(name)] = value
                return
        raise CorruptionError(f"{kind}: report has none of the columns {candidates}")

    if kind == "missing_order_id":
        set_first(("order-id", "order id", "amazon-order-id"), "")
    elif kind == "non_numeric_amount":
        set_first(("amount-total", "amount", "order amount", "refunded amount", "quantity"), "12,3x")
    elif kind == "bad_currency":
        set_first(("currency-unit", "currency code", "currency"), "XXX")
    else:
        raise CorruptionError(f"unknown corruption kind {kind!r}")
    lines[1] = "\t".join(row)
    return "\n".join(lines).encode(encoding)
