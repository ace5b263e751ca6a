"""Validate a batch of lake records with Great Expectations; split good from bad.

Bad records are not dropped: each comes back with the rule it broke and why,
for the quarantine. The full validation result is returned as JSON so it can
be kept beside the run.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from acorn.quality.suites import ROW, BatchContext, build_suite

log = logging.getLogger(__name__)


@dataclass
class BatchOutcome:
    good: list[dict[str, Any]]
    rejected: list[dict[str, Any]] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def success(self) -> bool:
        return not self.rejected


@functools.cache
def _context():
    import great_expectations as gx

    ctx = gx.get_context(mode="ephemeral")
    batch_definition = (
        ctx.data_sources.add_pandas("lake").add_dataframe_asset("batch").add_batch_definition_whole_dataframe("whole")
    )
    return ctx, batch_definition


_SUITES: dict[str, tuple[BatchContext, Any]] = {}


def _registered_suite(gx_ctx, ctx: BatchContext):
    """The batch's suite, registered once per process and context (building one costs ~0.2 s)."""
    name = f"{ctx.source.name}__{ctx.marketplace_id}"
    cached = _SUITES.get(name)
    if cached is not None and cached[0] == ctx:
        return cached[1]
    suite = build_suite(ctx)
    # Suites are registered per name; a new window replaces the old one.
    try:
        gx_ctx.suites.delete(suite.name)
    except Exception:  # not registered yet
        pass
    suite = gx_ctx.suites.add(suite)
    _SUITES[name] = (ctx, suite)
    return suite


def validate_batch(records: Sequence[Mapping[str, Any]], ctx: BatchContext, key_of) -> BatchOutcome:
    """Run the source's suite over the batch; every failing row is named with its rule."""
    if not records:
        return BatchOutcome(good=[], result={"success": True, "evaluated": 0})
    import pandas as pd

    gx_ctx, batch_definition = _context()
    suite = _registered_suite(gx_ctx, ctx)
    columns = [f.name for f in ctx.source.schema]
    frame = pd.DataFrame([{c: r.get(c) for c in columns} for r in records], columns=columns, dtype=object)
    frame.insert(0, ROW, range(len(records)))
    result = batch_definition.get_batch(batch_parameters={"dataframe": frame}).validate(
        suite, result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW]}
    )
    failures: dict[int, list[tuple[str, str]]] = {}
    for res in result.results:
        if res.success:
            continue
        rule = (res.expectation_config.meta or {}).get("rule", res.expectation_config.type)
        column = res.expectation_config.kwargs.get("column") or res.expectation_config.kwargs.get("column_list")
        indexes = res.result.get("unexpected_index_list") or []
        if not indexes and res.exception_info and res.exception_info.get("raised_exception"):
            raise RuntimeError(f"expectation {rule} could not run: {res.exception_info.get('exception_message')}")
        for entry in indexes:
            row = int(entry[ROW])
            value = records[row].get(column) if isinstance(column, str) else None
            failures.setdefault(row, []).append((rule, f"{column}={value!r}"))
    good = [dict(r) for i, r in enumerate(records) if i not in failures]
    rejected = [
        {
            "record_key": key_of(records[i]),
            "rule": "; ".join(rule for rule, _ in failures[i]),
            "reason": "; ".join(reason for _, reason in failures[i]),
        }
        for i in sorted(failures)
    ]
    summary = {
        "suite": suite.name,
        "success": bool(result.success),
        "evaluated": len(records),
        "rejected": len(rejected),
        "results": [
            {
                "expectation": r.expectation_config.type,
                "rule": (r.expectation_config.meta or {}).get("rule"),
                "success": bool(r.success),
                "unexpected_count": r.result.get("unexpected_count"),
            }
            for r in result.results
        ],
    }
    return BatchOutcome(good=good, rejected=rejected, result=summary)
