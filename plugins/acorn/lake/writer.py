"""The only module that writes lake files.

Layout: <lake>/<source>/seller_id=<id>/marketplace_id=<id>/date=<YYYY-MM-DD>/data.parquet

Each partition is one file, rewritten atomically (write a temp file, fsync,
rename). A write merges the new records into what the partition already
holds and keeps one row per natural key, the newest extraction winning, so
overlapping lookbacks never double a record and re-running an interval
leaves the same records behind.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

log = logging.getLogger(__name__)

# Metadata columns every lake file carries.
RUN_ID = "_run_id"
REQUEST_ID = "_request_id"
METADATA_FIELDS = (pa.field(RUN_ID, pa.string()), pa.field(REQUEST_ID, pa.string()))


@dataclass(frozen=True)
class PartitionKey:
    source: str
    seller_id: str
    marketplace_id: str
    partition_date: date

    def path(self, lake_dir: Path) -> Path:
        return (
            lake_dir
            / self.source
            / f"seller_id={self.seller_id}"
            / f"marketplace_id={self.marketplace_id}"
            / f"date={self.partition_date.isoformat()}"
            / "data.parquet"
        )


def with_metadata(schema: pa.Schema) -> pa.Schema:
    names = set(schema.names)
    return pa.schema([*schema, *(f for f in METADATA_FIELDS if f.name not in names)])


def merge_partition(
    lake_dir: Path,
    key: PartitionKey,
    records: Sequence[Mapping[str, Any]],
    schema: pa.Schema,
    natural_key: Sequence[str],
    *,
    durable: bool = True,
) -> int:
    """Merge records into one partition; returns the partition's row count afterwards.

    `durable=False` skips the fsync (see `atomic_write_table`).
    """
    schema = with_metadata(schema)
    target = key.path(lake_dir)
    merged: dict[tuple, Mapping[str, Any]] = {}
    if target.exists():
        for row in pq.read_table(target, schema=schema).to_pylist():
            merged[tuple(row[k] for k in natural_key)] = row
    for row in records:
        merged[tuple(row[k] for k in natural_key)] = row
    rows = [merged[k] for k in sorted(merged, key=_sortable)]
    table = pa.Table.from_pylist(rows, schema=schema)
    atomic_write_table(table, target, durable=durable)
    return table.num_rows


def atomic_write_table(table: pa.Table, target: Path, *, durable: bool = True) -> None:
    """Write `table` to `target` through a temp file and an atomic rename.

    `durable=False` skips the fsync before the rename: readers still never see a
    half-written file, but a machine crash may lose the write. Only for throwaway
    lakes (benchmarks); the pipeline always writes durably.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    # A writer killed mid-write leaves its temp file behind; readers never see
    # it (they read data.parquet only) and the next write of the partition
    # clears it. One writer per partition, so nothing live is removed.
    for stale in target.parent.glob(".tmp-*"):
        stale.unlink(missing_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=target.parent)
    os.close(fd)
    try:
        # No statistics timestamps or created_by drift: same rows, same bytes.
        pq.write_table(table, tmp_name, compression="zstd", write_statistics=True)
        if durable:
            with open(tmp_name, "rb") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


# A source nothing has landed for yet (an FBA-only seller has no MFN returns) is still a
# typed, empty relation to the warehouse: one zero-row file with the source's schema, at a
# partition no seller has, dated before any retention cutoff (retention removes it once it
# is old news; the next build puts it back if the source is still empty).
EMPTY_SOURCE_PARTITION = ("_none", "_none", date(1970, 1, 1))


def ensure_every_source_readable(lake_dir: Path, schemas: Mapping[str, pa.Schema]) -> list[str]:
    """Give each source without a partition file its zero-row file; returns the sources that got one."""
    seeded = []
    for source, schema in schemas.items():
        if next((lake_dir / source).glob("seller_id=*/marketplace_id=*/date=*/data.parquet"), None) is None:
            key = PartitionKey(source, *EMPTY_SOURCE_PARTITION)
            atomic_write_table(pa.Table.from_pylist([], schema=with_metadata(schema)), key.path(lake_dir))
            seeded.append(source)
    if seeded:
        log.info("no partition landed yet for %s: an empty, typed file stands in for each", ", ".join(seeded))
    return seeded


def read_source(lake_dir: Path, source: str, schema: pa.Schema | None = None) -> pa.Table:
    """All partitions of one source as a table (empty table when nothing landed)."""
    files = sorted((lake_dir / source).glob("seller_id=*/marketplace_id=*/date=*/data.parquet"))
    if not files:
        return pa.Table.from_pylist([], schema=with_metadata(schema)) if schema else pa.table({})
    tables = [pq.read_table(f, schema=with_metadata(schema) if schema else None) for f in files]
    return pa.concat_tables(tables)


def group_by_partition(
    records: Iterable[Mapping[str, Any]],
    source: str,
    *,
    date_field: str,
) -> dict[PartitionKey, list[Mapping[str, Any]]]:
    groups: dict[PartitionKey, list[Mapping[str, Any]]] = {}
    for row in records:
        day = row[date_field]
        day = day.date() if hasattr(day, "date") and callable(day.date) else day
        key = PartitionKey(source, row["seller_id"], row["marketplace_id"], day)
        groups.setdefault(key, []).append(row)
    return groups


def _sortable(key: tuple) -> tuple:
    return tuple("" if v is None else str(v) for v in key)
