"""Write a built world directly into the pipeline's lake (benchmarks that bypass the HTTP API).

`export_lake(world_dir, lake_dir)` lands, for every (seller, marketplace) shard,
what a full extraction of the world at `as_of` would land: the payloads are
decoded exactly as the SP-API client decodes the sandbox's JSON (plain
`json.loads`), orders get their restricted fields merged as under a Restricted
Data Token and are then scrubbed with `acorn.pii.scrub_order`, flat files go
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
  `SandboxConfig` secret would give it.

Streaming: one shard at a time, so memory is one shard's records.
"""

from __future__ import annotations

import json
import logging
import types
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from acorn import marketplaces
from acorn.lake import schemas, writer
from acorn.transform import normalize
from acorn.world.money import dumps
from acorn.world.store import DiskWorld

log = logging.getLogger(__name__)

SETTLEMENT_V2 = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
REPORTS: tuple[tuple[str, schemas.LakeSource, Callable[..., dict[str, Any]]], ...] = (
    ("GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA", schemas.FBA_RETURNS, normalize.fba_return_record),
    ("GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE", schemas.MFN_RETURNS, normalize.mfn_return_record),
    ("GET_FBA_REIMBURSEMENTS_DATA", schemas.REIMBURSEMENTS, normalize.reimbursement_record),
)
_FAR_PAST = datetime(1970, 1, 1, tzinfo=UTC)
_FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


def _wire(payload: Any) -> Any:
    """The payload as the client sees it: sandbox JSON text decoded with plain json.loads."""
    return json.loads(dumps(payload))


def _document_id(region: str, report_id: str) -> str | None:
    """The sandbox's reportDocumentId for a settlement report (default config secret)."""
    try:
        from acorn.sandbox.config import SandboxConfig
        from acorn.sandbox.server import SandboxServer

        fake = types.SimpleNamespace(config=SandboxConfig())
        return SandboxServer._document_id(fake, region, "settlement:" + report_id)  # type: ignore[arg-type]
    except Exception:  # the server's id scheme moved: leave the id out rather than guess
        log.warning("cannot derive sandbox report document ids; leaving them null", exc_info=True)
        return None


def _land(lake: Path, source: schemas.LakeSource, records: Iterable[Mapping[str, Any]], run_id: str) -> int:
    """What `acorn.extract.sources._land` does after validation: dedupe, add metadata, merge."""
    unique: dict[str, dict[str, Any]] = {}
    for record in records:
        unique.setdefault(normalize.canonical_json(record), dict(record))
    rows = []
    for row in unique.values():
        row.setdefault(writer.RUN_ID, run_id)
        row.setdefault(writer.REQUEST_ID, None)
        rows.append(row)
    for key, part in writer.group_by_partition(rows, source.name, date_field=source.date_field).items():
        writer.merge_partition(lake, key, part, source.schema, source.natural_key)
    return len(rows)


def export_lake(
    world_dir: str | Path,
    lake_dir: str | Path,
    *,
    pii_key: str | bytes | None = None,
    run_id: str | None = None,
) -> dict[str, int]:
    """Land every shard of a built world into `lake_dir`; returns records landed per source.

    Args:
        world_dir: a directory written by `acorn.world.store.write_world`.
        lake_dir: the lake root (`<lake>/<source>/seller_id=/marketplace_id=/date=/data.parquet`).
        pii_key: HMAC key for buyer hashes; default `acorn.pii.load_pii_key()`, else the demo key.
        run_id: value of `_run_id` on every row.
    """
    from acorn.pii import MissingPiiKeyError, load_pii_key, scrub_order
    from acorn.spapi import parse_report

    world = DiskWorld(world_dir)
    lake = Path(lake_dir)
    run_id = run_id or f"world-export:{world.manifest['seed']}"
    if pii_key is None:
        try:
            key = load_pii_key()
        except MissingPiiKeyError:
            from acorn.cli import DEMO_PII_KEY

            key = DEMO_PII_KEY.encode()
    else:
        key = pii_key if isinstance(pii_key, bytes) else pii_key.encode()
    counts: Counter[str] = Counter()
    for shard in world.shards():
        seller_id, code, mp_id = shard["seller_id"], shard["marketplace"], shard["marketplace_id"]
        region = marketplaces.BY_ID[mp_id].region

        txns = world.transactions(seller_id, marketplace_id=mp_id, posted_after=_FAR_PAST, posted_before=_FAR_FUTURE)
        records = [normalize.transaction_record(_wire(t), seller_id) for t in txns]
        counts["transactions"] += _land(lake, schemas.TRANSACTIONS, records, run_id)

        records = [normalize.financial_event_group_record(g, seller_id) for g in _shard_groups(world, shard)]
        counts["financial_event_groups"] += _land(lake, schemas.FINANCIAL_EVENT_GROUPS, records, run_id)

        order_records, item_records = [], []
        for order in world.orders(seller_id, marketplace_ids=[mp_id]):
            oid = order["AmazonOrderId"]
            full = _wire({**order, **(world.order_pii(seller_id, oid) or {})})
            clean, hashes = scrub_order(full, key)
            order_records.append(normalize.order_record(clean, seller_id, hashes))
            for item in world.order_items(seller_id, oid) or []:
                item_records.append(normalize.order_item_record(_wire(item), clean, seller_id))
        counts["orders"] += _land(lake, schemas.ORDERS, order_records, run_id)
        counts["order_items"] += _land(lake, schemas.ORDER_ITEMS, item_records, run_id)
        del order_records, item_records

        settlements, lines = [], []
        for rf in world.settlement_reports(seller_id):
            if rf.marketplace_ids and rf.marketplace_ids[0] != mp_id:
                continue
            default_mp = rf.marketplace_ids[0] if rf.marketplace_ids else normalize.REGION_LEVEL
            parsed = parse_report(SETTLEMENT_V2, rf.content, encoding=rf.encoding,
                                  marketplace_id=default_mp if default_mp in marketplaces.BY_ID else None)  # fmt: skip
            if parsed.errors:  # extraction quarantines the whole settlement
                counts["settlements_parse_errors"] += 1
                continue
            settlement, rows = normalize.settlement_records(
                parsed.summary, parsed.rows, seller_id=seller_id, default_marketplace_id=default_mp,
                report_id=str(rf.report_id), report_document_id=_document_id(region, str(rf.report_id)),
            )  # fmt: skip
            settlements.append(settlement)
            lines.extend(rows)
        counts["settlement_lines"] += _land(lake, schemas.SETTLEMENT_LINES, lines, run_id)
        counts["settlements"] += _land(lake, schemas.SETTLEMENTS, settlements, run_id)
        del settlements, lines

        for report_type, source, normaliser in REPORTS:
            rf = world.report(seller_id, report_type=report_type, marketplace_ids=[mp_id],
                              data_start_time=_FAR_PAST, data_end_time=_FAR_FUTURE)  # fmt: skip
            if rf is None:
                continue
            parsed = parse_report(report_type, rf.content, encoding=rf.encoding, marketplace_id=mp_id)
            counts[f"{source.name}_parse_errors"] += len(parsed.errors)
            records = [normaliser(r, seller_id=seller_id, marketplace_id=mp_id) for r in parsed.rows]
            counts[source.name] += _land(lake, source, records, run_id)
        log.info("exported shard %s/%s", seller_id, code)
    return {k: v for k, v in sorted(counts.items()) if v or not k.endswith("_parse_errors")}


def _shard_groups(world: DiskWorld, shard: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The shard's own FinancialEventGroups (a seller's groups span all its marketplaces)."""
    import pyarrow.parquet as pq

    from acorn.world.store import ENTITY_SCHEMAS

    table = pq.read_table(
        world.path / shard["path"] / "financial_event_groups.parquet",
        schema=ENTITY_SCHEMAS["financial_event_groups"],
    )
    return [json.loads(p) for p in table.column("payload_json").to_pylist()]
