"""A page of SP-API records and the request that served it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    """Records of one response (or one report), with their provenance.

    `request_id` is the response's `x-amzn-RequestId` for API pages and
    `report:<reportId>` for report rows; None when nothing identifies the request
    (a world read from disk).
    """

    records: tuple[dict[str, Any], ...]
    request_id: str | None = None
