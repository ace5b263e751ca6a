"""Purge raw lake partitions older than the retention period (the warehouse keeps history)."""

from __future__ import annotations

import logging
import shutil
from datetime import date, timedelta
from pathlib import Path

log = logging.getLogger(__name__)


def expired_partitions(lake_dir: Path, today: date, retention_days: int) -> list[Path]:
    """Partition directories whose date is older than `retention_days` before `today`."""
    cutoff = today - timedelta(days=retention_days)
    out = []
    for part in sorted(lake_dir.glob("*/seller_id=*/marketplace_id=*/date=*")):
        try:
            day = date.fromisoformat(part.name.removeprefix("date="))
        except ValueError:
            continue
        if day < cutoff:
            out.append(part)
    return out


def purge(lake_dir: Path, today: date, retention_days: int) -> dict[str, int]:
    """Delete expired partitions; returns how many were removed per source."""
    removed: dict[str, int] = {}
    for part in expired_partitions(lake_dir, today, retention_days):
        source = part.relative_to(lake_dir).parts[0]
        shutil.rmtree(part)
        removed[source] = removed.get(source, 0) + 1
    log.info("retention %d days before %s: removed %s", retention_days, today, removed or "nothing")
    return removed
