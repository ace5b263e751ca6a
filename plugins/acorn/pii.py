"""Buyer PII is hashed at extraction with a keyed HMAC: linkable, never readable.

The key comes from the Airflow variable `acorn_pii_hash_key` (or the env var
ACORN_PII_HASH_KEY for scripts); it is never written anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Any

# Orders v0 fields that carry buyer PII (restricted data elements).
PII_ORDER_FIELDS = ("BuyerInfo", "ShippingAddress", "DefaultShipFromLocationAddress", "BuyerTaxInformation")


class MissingPiiKeyError(RuntimeError):
    pass


def load_pii_key() -> bytes:
    key = os.environ.get("ACORN_PII_HASH_KEY") or os.environ.get("AIRFLOW_VAR_ACORN_PII_HASH_KEY")
    if not key:
        try:
            from airflow.sdk import Variable

            key = Variable.get("acorn_pii_hash_key", default=None)
        except Exception:  # outside Airflow or no variable backend: fall through to the error
            key = None
    if not key:
        raise MissingPiiKeyError(
            "no PII hash key: set the Airflow variable acorn_pii_hash_key (or ACORN_PII_HASH_KEY)"
        )
    return key.encode()


def hash_pii(value: str | None, key: bytes | None) -> str | None:
    """HMAC-SHA256 of a normalised value; None stays None (and nothing is hashed without a key)."""
    if value is None or value == "" or key is None:
        return None
    normalised = " ".join(str(value).strip().lower().split())
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def hash_address(address: dict[str, Any] | None, key: bytes | None) -> str | None:
    """One hash per street address, so rings of accounts sharing one can be linked.

    Only a restricted (RDT) response carries the street line; without it the
    address is an area (city, postal code), which `hash_postal_area` keys.
    """
    if not address or not address.get("AddressLine1"):
        return None
    parts = [address.get(f) or "" for f in ("AddressLine1", "AddressLine2", "City", "PostalCode", "CountryCode")]
    return hash_pii("|".join(parts), key) if any(parts) else None


def hash_postal_area(address: dict[str, Any] | None, key: bytes | None) -> str | None:
    """One hash per postal code and country: the buyer's area, served without the PII role.

    Fraud features fall back to it where no buyer e-mail is served; a postal code
    narrows a buyer down, so it is hashed like any other buyer datum.
    """
    if not address or not address.get("PostalCode"):
        return None
    return hash_pii(f"{address.get('PostalCode')}|{address.get('CountryCode') or ''}", key)


def scrub_order(order: dict[str, Any], key: bytes | None) -> tuple[dict[str, Any], dict[str, str | None]]:
    """Return the order without PII fields, plus the hashes that replace them.

    Without a key (an app that never asks for buyer data and has no key set) the
    PII fields are still removed and every hash is None.
    """
    buyer = order.get("BuyerInfo") or {}
    hashes = {
        "buyer_email_hash": hash_pii(buyer.get("BuyerEmail"), key),
        "buyer_name_hash": hash_pii(buyer.get("BuyerName"), key),
        "shipping_address_hash": hash_address(order.get("ShippingAddress"), key),
        "ship_postal_area_hash": hash_postal_area(order.get("ShippingAddress"), key),
    }
    clean = {k: v for k, v in order.items() if k not in PII_ORDER_FIELDS}
    shipping = order.get("ShippingAddress") or {}
    # Country and state are not personal on their own and drive tax and policy.
    if shipping:
        clean["ShippingRegion"] = {
            "CountryCode": shipping.get("CountryCode"),
            "StateOrRegion": shipping.get("StateOrRegion"),
        }
    return clean, hashes
