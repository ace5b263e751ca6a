"""Write a built world directly into the pipeline's lake (benchmarks that bypass the HTTP API).

`export_lake(world_dir, lake_dir)` lands, for every (seller, marketplace) shard,
what a full extraction of the world at `as_of` would land: the payloads are
decoded exactly as the SP-API client decodes the sandbox's JSON (plain
`json.loads` of the text the sandbox would send, which is the text the world
stores), orders get their restricted fields merged as under a Restricted Data
Token and are then scrubbed with `acorn.pii.scrub_order`, flat files go
through `acorn.spapi.parse_report`, and every record is made by the pipeline's
own normalisers in `acorn.transform.normalize` and written with
`acorn.lake.writer.merge_partition` (same layout, schemas, natural keys and
merge rule as `acorn.extract.sources`).

Differences from a real extraction, on purpose:
* no data-quality gate (`acorn.quality`): nothing is quarantined, and rows a
  flat-file parser rejects are only counted (`<source>_parse_errors`);
* `_run_id` is the given run id (default `world-export:<seed>`), `_request_id` is null;
* on-demand reports are read over the whole world once per marketplace instead
  of per extraction window (the rows are the same; Amazon's per-request limits,
  e.g. 60 days of MFN returns, do not apply to a file);
* `report_document_id` of a settlement is the id a sandbox with the default
  `SandboxConfig` secret would give it;
* an optional date window [from_date, to_date) lands only rows whose lake
  partition date falls in it (a nightly re-landing with a lookback).

Streaming: one shard at a time per process, so memory is one shard's records.
With `jobs > 1` shards run in worker processes. A shard owns the partitions of
its own (seller, marketplace); rows that land elsewhere (financial event groups
are per account, `marketplace_id='ALL'`, and a seller's groups come from all
its shards) go back to the parent, which merges them once all shards are done,
in shard order. So no two processes ever write the same partition, and the lake
holds the same rows as a serial export.
"""

from __future__ import annotations

import json
import logging
import types
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from acorn import marketplaces
from acorn.lake import schemas, writer
from acorn.transform import normalize
from acorn_sim.world.store import DiskWorld

log = logging.getLogger(__name__)

SETTLEMENT_V2 = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
REPORTS: tuple[tuple[str, schemas.LakeSource, Callable[..., dict[str, Any]]], ...] = (
    ("GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA", schemas.FBA_RETURNS, normalize.fba_return_record),
    ("GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE", schemas.MFN_RETURNS, normalize.mfn_return_record),
    ("GET_FBA_REIMBURSEMENTS_DATA", schemas.REIMBURSEMENTS, normalize.reimbursement_record),
)
SOURCES = {s.name: s for s in (
    schemas.TRANSACTIONS, schemas.FINANCIAL_EVENT_GROUPS, schemas.ORDERS, schemas.ORDER_ITEMS,
    schemas.SETTLEMENTS, schemas.SETTLEMENT_LINES, *(s for _t, s, _n in REPORTS),
)}  # fmt: skip
_FAR_PAST = datetime(1970, 1, 1, tzinfo=UTC)
_FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)
_Window = tuple[date | None, date | None]
_Foreign = list[tuple[str, writer.PartitionKey, list[dict[str, Any]]]]


@dataclass(frozen=True)
class _ShardJob:
    world_dir: str
    lake_dir: str
    shard: dict[str, Any]
    key: bytes
    run_id: str
    window: _Window
    durable: bool


def _document_id(region: str, report_id: str) -> str | None:
    """The sandbox's reportDocumentId for a settlement report (default config secret)."""
    try:
        from acorn_sim.sandbox.config import SandboxConfig
        from acorn_sim.sandbox.server import SandboxServer

        fake = types.SimpleNamespace(config=SandboxConfig())
        return SandboxServer._document_id(fake, region, "settlement:" + report_id)  # type: ignore[arg-type]
    except Exception:  # the server's id scheme moved: leave the id out rather than guess
        log.warning("cannot derive sandbox report document ids; leaving them null", exc_info=True)
        return None


def _partition_date(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def _in_window(day: date, window: _Window) -> bool:
    lo, hi = window
    return (lo is None or day >= lo) and (hi is None or day < hi)


def _near_window(iso_text: str | None, window: _Window) -> bool:
    """Cheap pre-filter on a world column's ISO timestamp text, one day wide on each side
    (the exact filter on the lake partition date runs after normalisation)."""
    lo, hi = window
    if iso_text is None:
        return True
    day = iso_text[:10]
    return (lo is None or day >= (lo - timedelta(days=1)).isoformat()) and (
        hi is None or day < (hi + timedelta(days=1)).isoformat()
    )


def _unique_rows(
    source: schemas.LakeSource, records: Iterable[Mapping[str, Any]], run_id: str, window: _Window
) -> list[dict[str, Any]]:
    """What `acorn.extract.sources._land` does after validation: drop records whose
    `normalize.canonical_json` text repeats an earlier one's, add metadata (here also:
    keep the date window).

    Records are bucketed by their values first (a C-level hash; records of one source share
    one normaliser's key order), so the JSON text is only made for the rare record whose
    values equal an earlier one's; within a bucket the text decides, as before.
    """
    rows: list[dict[str, Any]] = []
    first: dict[Any, Mapping[str, Any]] = {}
    texts: dict[Any, set[str]] = {}
    windowed = window != (None, None)
    for record in records:
        if windowed and not _in_window(_partition_date(record[source.date_field]), window):
            continue
        try:
            bucket: Any = tuple(record.items())
            hash(bucket)
        except TypeError:  # an unhashable value: the text is the bucket
            bucket = normalize.canonical_json(record)
        if bucket in first:
            seen = texts.setdefault(bucket, {normalize.canonical_json(first[bucket])})
            text = normalize.canonical_json(record)
            if text in seen:
                continue
            seen.add(text)
        else:
            first[bucket] = record
        row = dict(record)
        row.setdefault(writer.RUN_ID, run_id)
        row.setdefault(writer.REQUEST_ID, None)
        rows.append(row)
    return rows


def _land(
    job: _ShardJob, source: schemas.LakeSource, records: Iterable[Mapping[str, Any]], foreign: _Foreign
) -> int:
    """Merge the shard's own partitions now, one write each; queue the others for the parent."""
    rows = _unique_rows(source, records, job.run_id, job.window)
    lake = Path(job.lake_dir)
    for key, part in writer.group_by_partition(rows, source.name, date_field=source.date_field).items():
        if key.seller_id == job.shard["seller_id"] and key.marketplace_id == job.shard["marketplace_id"]:
            writer.merge_partition(lake, key, part, source.schema, source.natural_key, durable=job.durable)
        else:
            foreign.append((source.name, key, list(part)))
    return len(rows)


def _read(world_dir: str, shard: Mapping[str, Any], entity: str, columns: list[str]) -> dict[str, list]:
    import pyarrow.parquet as pq

    from acorn_sim.world.store import ENTITY_SCHEMAS

    schema = ENTITY_SCHEMAS[entity]
    path = Path(world_dir) / shard["path"] / f"{entity}.parquet"
    return pq.read_table(path, schema=schema, columns=columns).to_pydict()


def _export_shard(job: _ShardJob) -> tuple[Counter[str], _Foreign]:
    """Land one (seller, marketplace) shard from its own world files."""
    from acorn.pii import scrub_order
    from acorn.spapi import parse_report

    shard, window = job.shard, job.window
    seller_id, mp_id = shard["seller_id"], shard["marketplace_id"]
    region = marketplaces.BY_ID[mp_id].region
    counts: Counter[str] = Counter()
    foreign: _Foreign = []

    # The world stores each payload as the exact JSON text the sandbox sends, so decoding it
    # with plain json.loads is what the client sees.
    t = _read(job.world_dir, shard, "transactions", ["posted_date", "payload_json"])
    records = [normalize.transaction_record(json.loads(p), seller_id)
               for d, p in zip(t["posted_date"], t["payload_json"], strict=True) if _near_window(d, window)]  # fmt: skip
    del t
    counts["transactions"] += _land(job, schemas.TRANSACTIONS, records, foreign)

    g = _read(job.world_dir, shard, "financial_event_groups", ["payload_json"])
    records = [normalize.financial_event_group_record(json.loads(p), seller_id) for p in g["payload_json"]]
    counts["financial_event_groups"] += _land(job, schemas.FINANCIAL_EVENT_GROUPS, records, foreign)

    o = _read(job.world_dir, shard, "orders", ["order_id", "purchase_date", "payload_json"])
    wanted = [(oid, p) for oid, d, p in zip(o["order_id"], o["purchase_date"], o["payload_json"], strict=True)
              if _near_window(d, window)]  # fmt: skip
    del o
    p = _read(job.world_dir, shard, "order_pii", ["order_id", "pii_json"])
    pii = dict(zip(p["order_id"], p["pii_json"], strict=True))
    i = _read(job.world_dir, shard, "order_items", ["order_id", "items_json"])
    items = dict(zip(i["order_id"], i["items_json"], strict=True))
    del p, i
    order_records, item_records = [], []
    for oid, payload in wanted:
        pii_text = pii.get(oid)
        full = {**json.loads(payload), **(json.loads(pii_text) if pii_text is not None else {})}
        clean, hashes = scrub_order(full, job.key)
        order_records.append(normalize.order_record(clean, seller_id, hashes))
        items_text = items.get(oid)
        for item in json.loads(items_text) if items_text is not None else ():
            item_records.append(normalize.order_item_record(item, clean, seller_id))
    del wanted, pii, items
    counts["orders"] += _land(job, schemas.ORDERS, order_records, foreign)
    counts["order_items"] += _land(job, schemas.ORDER_ITEMS, item_records, foreign)
    del order_records, item_records

    s = _read(job.world_dir, shard, "settlement_reports",
              ["report_id", "group_id", "marketplace_ids", "data_end_time", "encoding", "content"])  # fmt: skip
    columns = ("data_end_time", "group_id", "report_id", "marketplace_ids", "encoding", "content")
    # (end, group): the order DiskWorld.settlement_reports serves them in.
    reports = sorted(zip(*(s[c] for c in columns), strict=True), key=lambda r: (r[0], r[1]))
    del s
    settlements, lines = [], []
    for _end, _group, report_id, mp_ids, encoding, content in reports:
        default_mp = mp_ids[0] if mp_ids else normalize.REGION_LEVEL
        parsed = parse_report(SETTLEMENT_V2, content, encoding=encoding,
                              marketplace_id=default_mp if default_mp in marketplaces.BY_ID else None)  # fmt: skip
        if parsed.errors:  # extraction quarantines the whole settlement
            counts["settlements_parse_errors"] += 1
            continue
        settlement, rows = normalize.settlement_records(
            parsed.summary, parsed.rows, seller_id=seller_id, default_marketplace_id=default_mp,
            report_id=str(report_id), report_document_id=_document_id(region, str(report_id)),
        )  # fmt: skip
        settlements.append(settlement)
        lines.extend(rows)
    del reports
    counts["settlement_lines"] += _land(job, schemas.SETTLEMENT_LINES, lines, foreign)
    counts["settlements"] += _land(job, schemas.SETTLEMENTS, settlements, foreign)
    del settlements, lines

    world = DiskWorld(job.world_dir)  # on-demand reports: rendered exactly as the sandbox renders them
    for report_type, source, normaliser in REPORTS:
        rf = world.report(seller_id, report_type=report_type, marketplace_ids=[mp_id],
                          data_start_time=_FAR_PAST, data_end_time=_FAR_FUTURE)  # fmt: skip
        if rf is None:
            continue
        parsed = parse_report(report_type, rf.content, encoding=rf.encoding, marketplace_id=mp_id)
        counts[f"{source.name}_parse_errors"] += len(parsed.errors)
        records = [normaliser(r, seller_id=seller_id, marketplace_id=mp_id) for r in parsed.rows]
        counts[source.name] += _land(job, source, records, foreign)
    log.info("exported shard %s/%s", seller_id, shard["marketplace"])
    return counts, foreign


def export_lake(
    world_dir: str | Path,
    lake_dir: str | Path,
    *,
    pii_key: str | bytes | None = None,
    run_id: str | None = None,
    from_date: date | None = None,
    to_date: date | None = None,
    jobs: int = 1,
    durable: bool = True,
) -> dict[str, int]:
    """Land every shard of a built world into `lake_dir`; returns records landed per source.

    Args:
        world_dir: a directory written by `acorn_sim.world.store.write_world`.
        lake_dir: the lake root (`<lake>/<source>/seller_id=/marketplace_id=/date=/data.parquet`).
        pii_key: HMAC key for buyer hashes; default `acorn.pii.load_pii_key()`, else the demo key.
        run_id: value of `_run_id` on every row. The warehouse reads the extraction time from
            the part after `__` (`world-export__2026-11-01T00:00:00+00:00`).
        from_date: land only rows whose lake partition date is on or after this day.
        to_date: land only rows whose lake partition date is before this day.
        jobs: worker processes exporting shards (the lake's rows are the same as with 1).
        durable: fsync every partition file before its atomic rename; pass False only for
            throwaway lakes (benchmarks), where a crash may lose a file but never half-write one.
    """
    from acorn.pii import MissingPiiKeyError, load_pii_key

    world = DiskWorld(world_dir)
    run_id = run_id or f"world-export:{world.manifest['seed']}"
    if pii_key is None:
        try:
            key = load_pii_key()
        except MissingPiiKeyError:
            from acorn_sim.demo import DEMO_PII_KEY

            key = DEMO_PII_KEY.encode()
    else:
        key = pii_key if isinstance(pii_key, bytes) else pii_key.encode()
    shards = world.shards()
    owners = Counter((s["seller_id"], s["marketplace_id"]) for s in shards)
    if any(n > 1 for n in owners.values()):  # a shard's own partitions would not be its own
        raise ValueError(f"{world_dir}: more than one shard per (seller, marketplace)")
    work = [_ShardJob(str(world_dir), str(lake_dir), dict(s), key, run_id, (from_date, to_date), durable)
            for s in shards]  # fmt: skip
    if jobs > 1 and len(work) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(jobs, len(work))) as pool:
            results = list(pool.map(_export_shard, work))
    else:
        results = [_export_shard(j) for j in work]

    counts: Counter[str] = Counter()
    pending: dict[tuple[str, writer.PartitionKey], list[dict[str, Any]]] = {}
    for shard_counts, foreign in results:  # shard order: the same merge order as a serial export
        counts.update(shard_counts)
        for source_name, key_, rows in foreign:
            pending.setdefault((source_name, key_), []).extend(rows)
    for (source_name, key_), rows in pending.items():
        source = SOURCES[source_name]
        writer.merge_partition(Path(lake_dir), key_, rows, source.schema, source.natural_key, durable=durable)
    return {k: v for k, v in sorted(counts.items()) if v or not k.endswith("_parse_errors")}
