"""Run-level helpers for the extraction DAG: planning, quarantine and the summary."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from acorn.config import load_settings
from acorn.extract.plan import extraction_window, plan_scopes

log = logging.getLogger(__name__)


class TooManyBadRecordsError(RuntimeError):
    pass


def plan(
    params: Mapping[str, Any] | None,
    interval_start: datetime | None,
    interval_end: datetime | None,
    run_id: str,
    *,
    per_marketplace: bool,
) -> list[dict[str, Any]]:
    params = params or {}
    window = extraction_window(
        start=params.get("start"),
        end=params.get("end"),
        interval_start=interval_start,
        interval_end=interval_end,
        lookback_days=load_settings().lookback_days,
    )
    return plan_scopes(window, run_id, per_marketplace=per_marketplace)


def flatten_results(results: Iterable[Any]) -> list[dict[str, Any]]:
    """Task results are a SourceResult dict or a dict of them (orders + items)."""
    flat: list[dict[str, Any]] = []
    for group in results:
        for item in group:
            if "source" in item:
                flat.append(dict(item))
            else:
                flat.extend(dict(v) for v in item.values())
    return flat


def summarize(results: Iterable[Any], run_id: str) -> dict[str, Any]:
    """Quarantine rejected records, write the run summary, fail past the bad-share limit."""
    settings = load_settings()
    flat = flatten_results(results)
    quarantined = [
        {**rejected, "source": r["source"], "seller_id": r["seller_id"], "marketplace_id": r["marketplace_id"], "run_id": run_id}
        for r in flat
        for rejected in r["rejected"]
    ]
    safe_run = "".join(c if c.isalnum() or c in "-_." else "_" for c in run_id)
    if quarantined:
        write_json_atomic(settings.quarantine_dir / f"{safe_run}.json", quarantined)
    rows = [
        {
            "source": r["source"],
            "seller_id": r["seller_id"],
            "marketplace_id": r["marketplace_id"],
            "served": r["served"],
            "landed": r["landed"],
            "quarantined": len(r["rejected"]),
        }
        for r in flat
    ]
    rows.sort(key=lambda r: (r["source"], r["seller_id"], r["marketplace_id"]))
    summary = {"run_id": run_id, "rows": rows}
    write_json_atomic(settings.data_dir / "run" / "last_extraction_summary.json", summary)
    served = sum(r["served"] for r in rows)
    bad = sum(r["quarantined"] for r in rows)
    log.info("extraction %s: %d served, %d quarantined", run_id, served, bad)
    if served and bad / served > settings.max_bad_share:
        raise TooManyBadRecordsError(
            f"{bad} of {served} records quarantined ({bad / served:.1%}) exceeds the limit "
            f"{settings.max_bad_share:.1%}; see {settings.quarantine_dir}"
        )
    return {"served": served, "quarantined": bad}


def write_json_atomic(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, indent=1, sort_keys=True, default=str)
    os.replace(tmp, path)
