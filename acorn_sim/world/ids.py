"""Stable identifiers derived with hashlib (never `hash()`, which is salted per process).

Every id is a pure function of the world seed and the id's natural key, so the
same seed yields the same ids in every process and on every machine.
"""

from __future__ import annotations

import base64
import hashlib

_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def digest(*parts: object) -> bytes:
    """SHA-256 over the parts joined by a separator that cannot occur in them."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()


def hex_id(length: int, *parts: object) -> str:
    return digest(*parts).hex()[:length]


def digits(length: int, *parts: object) -> str:
    n = int.from_bytes(digest(*parts), "big")
    return str(n % 10**length).zfill(length)


def alnum(length: int, *parts: object) -> str:
    """Uppercase A-Z0-9 string of `length` characters."""
    n = int.from_bytes(digest(*parts), "big")
    out = []
    for _ in range(length):
        n, r = divmod(n, 36)
        out.append(_ALNUM[r])
    return "".join(out)


def b64_id(length: int, *parts: object) -> str:
    """Letters-and-digits id like a FinancialEventGroupId (base64 without +/=)."""
    raw = base64.b64encode(digest(*parts) + digest("b64", *parts)).decode("ascii")
    return raw.replace("+", "").replace("/", "").replace("=", "")[:length]
