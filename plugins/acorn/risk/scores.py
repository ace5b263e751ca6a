"""The score files the scoring task writes and dbt reads back as source('risk', ...).

One file per table under `<risk dir>/scores/`, replaced atomically each night.
Scores are probabilities in [0, 1] (floats: they are not money). `reason_codes`
holds up to three codes, most important first, joined by "|"; their plain words
live in the dashboard's catalogues.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from acorn.lake.writer import atomic_write_table

_TS = pa.timestamp("us", tz="UTC")

RETURN_SCORES = "return_risk_scores"
BUYER_SCORES = "buyer_risk_scores"

SCHEMAS: dict[str, pa.Schema] = {
    RETURN_SCORES: pa.schema([
        ("return_id", pa.string()),
        ("seller_id", pa.string()),
        ("marketplace_id", pa.string()),
        ("buyer_key", pa.string()),
        ("risk_score", pa.float64()),
        ("rules_score", pa.float64()),
        ("model_score", pa.float64()),
        ("reason_codes", pa.string()),
        ("model_version", pa.string()),
        ("scored_at", _TS),
    ]),
    BUYER_SCORES: pa.schema([
        ("seller_id", pa.string()),
        ("marketplace_id", pa.string()),
        ("buyer_key", pa.string()),
        ("buyer_key_kind", pa.string()),
        ("risk_score", pa.float64()),
        ("rules_score", pa.float64()),
        ("model_score", pa.float64()),
        ("reason_codes", pa.string()),
        ("returns_scored", pa.int64()),
        ("model_version", pa.string()),
        ("scored_at", _TS),
    ]),
}  # fmt: skip


def scores_path(risk_dir: Path, table: str) -> Path:
    return Path(risk_dir) / "scores" / f"{table}.parquet"


def write_scores(risk_dir: Path, table: str, rows: Iterable[Mapping[str, Any]]) -> Path:
    """Replace one score file atomically (readers see the old or the new file, never half)."""
    target = scores_path(risk_dir, table)
    atomic_write_table(pa.Table.from_pylist(list(rows), schema=SCHEMAS[table]), target)
    return target


def ensure_scores_readable(risk_dir: Path) -> list[str]:
    """Give each score table without a file a zero-row one, so a first build can read it."""
    seeded = []
    for table in SCHEMAS:
        if not scores_path(risk_dir, table).exists():
            write_scores(risk_dir, table, [])
            seeded.append(table)
    return seeded
