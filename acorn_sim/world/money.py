"""Exact money helpers and the JSON rule for rendered payloads.

Rendered JSON payloads (Finances, Orders) carry amounts as `decimal.Decimal`.
Decimal is not JSON-serialisable, so **whoever serialises a payload (the
sandbox server) must call `dumps()` below, or `json.dumps(obj,
default=json_default)`**. `json_default` turns a Decimal into a float only at
that last step; every amount is quantized to its currency's minor unit and is
far below 10**15, so the float's shortest repr is exactly the decimal text
(Decimal("95.10") -> 95.1, Decimal("1500") -> 1500): no precision is lost.
Readers who want Decimals back use `json.loads(text, parse_float=Decimal)`.

Orders API `Money.Amount` is a *string* in the model and is rendered with
`money_str()` (e.g. "95.10", JPY "1500").
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from acorn.marketplaces import CURRENCY_EXPONENTS

ZERO = Decimal(0)


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-CURRENCY_EXPONENTS[currency])


def q(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit (JPY: whole yen)."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def money_str(amount: Decimal, currency: str) -> str:
    """Orders API Money.Amount: plain decimal string at the minor unit."""
    return f"{q(amount, currency):f}"


def flat_amount(amount: Decimal, currency: str, decimal_comma: bool) -> str:
    """Settlement flat-file amount: `95.00`, or `95,00` for decimal-comma marketplaces."""
    text = f"{q(amount, currency):f}"
    return text.replace(".", ",") if decimal_comma else text


def iso_z(ts: datetime) -> str:
    """UTC ISO 8601 with a trailing Z, second precision (what the APIs return)."""
    if ts.tzinfo is not None:
        ts = ts.astimezone(UTC)
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def json_default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        # JPY amounts (exponent 0) stay integers; the rest are exact at <= 15 digits.
        return int(obj) if obj.as_tuple().exponent >= 0 else float(obj)
    if isinstance(obj, datetime):
        return iso_z(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps(obj: Any, **kwargs: Any) -> str:
    """The one way to serialise a world payload (Decimals as exact JSON numbers)."""
    kwargs.setdefault("ensure_ascii", False)
    kwargs.setdefault("separators", (",", ":"))
    return json.dumps(obj, default=json_default, **kwargs)
