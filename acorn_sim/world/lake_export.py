"""Write a built world into the pipeline's lake through the nightly extraction (benchmarks, scoring).

`export_lake(world_dir, lake_dir)` lands, for every (seller, marketplace) shard,
what a full extraction of the world lands, through the SAME code as the nightly
run: `acorn.extract.sources.extract` with its normalisers, Great Expectations
validation and lake writer, fed by `WorldShardReader`, a reader over the shard's
world files instead of HTTP. The reader serves what the sandbox would serve:
payloads decoded with plain `json.loads` of the text the world stores (the text
the sandbox sends), orders with their restricted fields merged as under a
Restricted Data Token (then scrubbed by the extraction), flat files rendered by
`DiskWorld.report` exactly as the sandbox renders them, and the cash-flow listings
(balances, payouts, expected payouts) rendered and filtered by the same
`acorn_sim.world.cashflow` functions the sandbox routes call, from the shard's own
ledger, at a server clock standing at the world's `as_of` (where the sandbox clock
starts), as in a nightly run ending at the world's present.

Differences from a run against the sandbox, on purpose:
* `_run_id` is the given run id (default `world-export:<seed>`); `_request_id` is
  null (a world on disk has no requests);
* the extraction window is the shard's data span, so everything lands; settlement
  reports are listed whatever their creation date (a file has no 90-day listing limit);
  the cash-flow sources' window reaches on to the world's present, so the balance days
  end there and the expected-payout snapshot is taken (at `as_of`);
* `report_document_id` of a settlement is the id a sandbox with the default
  `SandboxConfig` secret would give it;
* validation results are not kept beside the run, and rejected records (the
  quarantine) are only counted: `<source>_parse_errors` counts a source's rejected
  records (for settlements: settlements left out whole);
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

import bisect
import json
import logging
import types
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from acorn import marketplaces
from acorn import sources as registry
from acorn.extract.plan import Scope
from acorn.extract.reader import ReportDocument
from acorn.extract.sources import extract
from acorn.lake import schemas, writer
from acorn.sources import SourceSpec
from acorn.spapi.pages import Page
from acorn.transform import normalize
from acorn_sim.world import cashflow
from acorn_sim.world.money import dumps
from acorn_sim.world.store import DiskWorld

log = logging.getLogger(__name__)

SETTLEMENT_V2 = registry.REPORT_SETTLEMENT_V2
REPORTS: tuple[tuple[str, SourceSpec, Callable[..., dict[str, Any]]], ...] = tuple(
    (spec.operation, spec, getattr(normalize, spec.normaliser)) for spec in registry.report_sources()
)
SOURCES: dict[str, SourceSpec] = dict(schemas.ALL_SOURCES)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_Window = tuple[date | None, date | None]
_Foreign = list[tuple[str, writer.PartitionKey, list[dict[str, Any]]]]
# Snapshots of the server's present (balance days, expected payouts): their window reaches `as_of`.
_CASHFLOW_KINDS = frozenset({registry.BALANCES, registry.PAYOUTS, registry.EXPECTED_PAYOUTS})


@dataclass(frozen=True)
class _ShardJob:
    world_dir: str
    lake_dir: str
    shard: dict[str, Any]
    key: bytes
    run_id: str
    window: _Window
    durable: bool
    span: tuple[datetime, datetime]  # the extraction window: every shard's data, whole UTC days
    buyer_info: bool = True  # False: as a seller without the PII role (no buyer email, no street address)
    as_of: datetime = _EPOCH  # the world's present: the reader's server clock
    account_marketplaces: tuple[str, ...] = ()  # the seller's marketplaces of the shard's region


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


def _read(world_dir: str, shard: Mapping[str, Any], entity: str, columns: list[str]) -> dict[str, list]:
    import pyarrow.parquet as pq

    from acorn_sim.world.store import ENTITY_SCHEMAS

    schema = ENTITY_SCHEMAS[entity]
    path = Path(world_dir) / shard["path"] / f"{entity}.parquet"
    return pq.read_table(path, schema=schema, columns=columns).to_pydict()


def _z(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _wire_page(items: Iterable[Mapping[str, Any]]) -> list[Page]:
    """Objects as the client decodes the sandbox's answer (its JSON text, numbers as Decimal)."""
    records = tuple(json.loads(dumps(item), parse_float=Decimal) for item in items)
    return [Page(records)] if records else []


class WorldShardReader:
    """A `SourceReader` over one (seller, marketplace) shard of a world on disk.

    Serves what the sandbox serves for that shard, read straight from the shard's
    files (each read once, lazily); no request ids.
    """

    def __init__(self, world_dir: str, shard: Mapping[str, Any], world: DiskWorld | None = None,
                 as_of: datetime | None = None) -> None:  # fmt: skip
        self.world_dir = world_dir
        self.shard = shard
        self.seller_id = shard["seller_id"]
        self.marketplace_id = shard["marketplace_id"]
        self.region = marketplaces.BY_ID[self.marketplace_id].region
        self._world = world
        self._as_of = as_of
        self._cache: dict[str, Any] = {}

    @property
    def unavailable_data(self) -> list[dict[str, Any]]:
        return []

    def _sorted(self, entity: str, date_column: str, payload_column: str) -> tuple[list[str], list[str]]:
        """(ISO timestamps, payload texts) of one entity, in timestamp order (stable)."""
        if entity not in self._cache:
            t = _read(self.world_dir, self.shard, entity, [date_column, payload_column])
            pairs = sorted(zip(t[date_column], t[payload_column], strict=True), key=lambda p: p[0])
            self._cache[entity] = ([d for d, _p in pairs], [p for _d, p in pairs])
        return self._cache[entity]

    def _between(self, entity: str, date_column: str, payload_column: str, start: datetime, end: datetime):
        days, payloads = self._sorted(entity, date_column, payload_column)
        lo, hi = bisect.bisect_left(days, _z(start)), bisect.bisect_left(days, _z(end))
        return payloads[lo:hi]

    def span(self) -> tuple[datetime, datetime]:
        """Whole UTC days covering every dated row of the shard."""
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        stamps: list[Any] = []
        base = Path(self.world_dir) / self.shard["path"]
        for entity, column in (("transactions", "posted_date"), ("orders", "purchase_date"),
                               ("financial_event_groups", "group_start"), ("report_rows", "row_date"),
                               ("settlement_reports", "data_end_time"),
                               ("settlement_reports", "data_start_time")):  # fmt: skip
            col = pq.read_table(base / f"{entity}.parquet", columns=[column]).column(column)  # only the dates
            if len(col):
                stamps += [v.as_py() for v in pc.min_max(col).values() if v.is_valid]
        stamps = [datetime.fromisoformat(v.replace("Z", "+00:00")) if isinstance(v, str) else v for v in stamps]
        if not stamps:
            now = datetime(2000, 1, 1, tzinfo=UTC)
            return now, now + timedelta(days=1)
        first = min(s if s.tzinfo else s.replace(tzinfo=UTC) for s in stamps).astimezone(UTC)
        last = max(s if s.tzinfo else s.replace(tzinfo=UTC) for s in stamps).astimezone(UTC)
        start = datetime(first.year, first.month, first.day, tzinfo=UTC)
        end = datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)
        return start, end

    def pages(self, operation: str, start: datetime, end: datetime, marketplace_id: str | None) -> Iterable[Page]:
        if operation == "listTransactions":
            texts = self._between("transactions", "posted_date", "payload_json", start, end)
        elif operation == "listFinancialEventGroups":
            texts = self._between("financial_event_groups", "group_start", "payload_json", start, end)
        else:
            raise ValueError(f"the world serves no listing {operation!r}")
        return [Page(tuple(json.loads(p) for p in texts))] if texts else []

    def order_pages(self, marketplace_id: str, start: datetime, end: datetime, *, buyer_info: bool) -> Iterable[Page]:
        texts = self._between("orders", "purchase_date", "payload_json", start, end)
        if not texts:
            return []
        pii = self._pii() if buyer_info else {}
        orders = []
        for text in texts:
            order = json.loads(text)
            pii_text = pii.get(order["AmazonOrderId"])
            orders.append({**order, **json.loads(pii_text)} if pii_text is not None else order)
        return [Page(tuple(orders))]

    def _pii(self) -> dict[str, str]:
        if "pii" not in self._cache:
            p = _read(self.world_dir, self.shard, "order_pii", ["order_id", "pii_json"])
            self._cache["pii"] = dict(zip(p["order_id"], p["pii_json"], strict=True))
        return self._cache["pii"]

    def order_item_pages(self, order_id: str) -> Iterable[Page]:
        if "items" not in self._cache:
            i = _read(self.world_dir, self.shard, "order_items", ["order_id", "items_json"])
            self._cache["items"] = dict(zip(i["order_id"], i["items_json"], strict=True))
        text = self._cache["items"].get(order_id)
        return [Page(tuple(json.loads(text)))] if text is not None else []

    def report(self, report_type: str, marketplace_id: str, start: datetime, end: datetime) -> ReportDocument:
        if self._world is None:
            self._world = DiskWorld(self.world_dir)
        rf = self._world.report(self.seller_id, report_type=report_type, marketplace_ids=[marketplace_id],
                                data_start_time=start, data_end_time=end)  # fmt: skip
        report_id = f"world:{report_type}:{marketplace_id}:{start.date()}"
        if rf is None:
            return ReportDocument(report_id, None, None)
        return ReportDocument(report_id, rf.content, rf.encoding)

    def settlement_reports(self, start: datetime, end: datetime) -> Iterable[Mapping[str, Any]]:
        s = _read(self.world_dir, self.shard, "settlement_reports",
                  ["report_id", "group_id", "marketplace_ids", "data_end_time", "encoding", "content"])  # fmt: skip
        columns = ("data_end_time", "group_id", "report_id", "marketplace_ids", "encoding", "content")
        # (end, group): the order DiskWorld.settlement_reports serves them in.
        rows = sorted(zip(*(s[c] for c in columns), strict=True), key=lambda r: (r[0], r[1]))
        return [
            {
                "reportId": str(report_id),
                "reportDocumentId": _document_id(self.region, str(report_id)),
                "marketplaceIds": list(mp_ids or []),
                "_content": content,
                "_encoding": encoding,
            }
            for _end, _group, report_id, mp_ids, encoding, content in rows
        ]

    def settlement_document(self, report: Mapping[str, Any]) -> ReportDocument:
        return ReportDocument(str(report["reportId"]), report["_content"], report["_encoding"])

    # Cash flow (docs/CASHFLOW.md). The account-level listings answer for every marketplace
    # of the account; a shard answers for its own marketplace only, so its rows land in its
    # own partitions and the shards together answer what the sandbox answers.

    def server_now(self) -> datetime:
        """The world's `as_of`: the sandbox clock starts there."""
        if self._as_of is None:
            self._as_of = (self._world or DiskWorld(self.world_dir)).as_of
        return self._as_of

    def _ledgers(self) -> list[cashflow.Ledger]:
        """The shard's ledger, built as `DiskWorld` builds it (its spec and its transactions)."""
        if "ledgers" not in self._cache:
            specs = _read(self.world_dir, self.shard, "cashflow", ["spec_json"])["spec_json"]
            texts = _read(self.world_dir, self.shard, "transactions", ["payload_json"])["payload_json"]
            txns = [json.loads(t, parse_float=Decimal) for t in texts]
            self._cache["ledgers"] = cashflow.ledgers_of([json.loads(x, parse_float=Decimal) for x in specs], txns)
        return self._cache["ledgers"]

    def balance_pages(self, as_of_date: date) -> Iterable[Page]:
        now, ledgers = self.server_now(), self._ledgers()
        if not cashflow.balance_day_ended(as_of_date, [led.time_zone for led in ledgers], now):
            raise ValueError(f"asOfDate {as_of_date} has not ended at {now.isoformat()} (the sandbox answers 400)")
        return _wire_page(cashflow.balances_of(ledgers, marketplace_ids=None, as_of_date=as_of_date,
                                               balance_type=None, now=now))  # fmt: skip

    def payout_pages(self, marketplace_ids: Sequence[str], start: datetime, end: datetime) -> Iterable[Page]:
        payouts = cashflow.payouts_of(self._ledgers(), now=self.server_now())
        return _wire_page(cashflow.select_payouts(payouts, marketplace_ids=marketplace_ids, created_after=start,
                                                  created_before=end, payout_id=None))  # fmt: skip

    def expected_payout_pages(self, marketplace_id: str) -> Iterable[Page]:
        expected = cashflow.expected_of(self._ledgers(), now=self.server_now())
        return _wire_page(cashflow.select_expected(expected, marketplace_ids=[marketplace_id]))


class ShardLake:
    """A `LakeTarget` for one shard: its own partitions merged now, the others queued for the parent."""

    def __init__(self, job: _ShardJob) -> None:
        self.job = job
        self.foreign: _Foreign = []

    def merge(self, spec: SourceSpec, rows: list[dict[str, Any]]) -> int:
        job = self.job
        if job.window != (None, None):
            rows = [r for r in rows if _in_window(_partition_date(r[spec.date_field]), job.window)]
        lake = Path(job.lake_dir)
        for key, part in writer.group_by_partition(rows, spec.name, date_field=spec.date_field).items():
            if key.seller_id == job.shard["seller_id"] and key.marketplace_id == job.shard["marketplace_id"]:
                writer.merge_partition(lake, key, part, spec.schema, spec.natural_key, durable=job.durable)
            else:
                self.foreign.append((spec.name, key, list(part)))
        return len(rows)

    def landed_settlement_reports(self, seller_id: str) -> set[str]:
        """Reports already in this shard's own settlement partitions (a re-export skips them)."""
        import pyarrow.parquet as pq

        spec = registry.get("settlements")
        folder = (Path(self.job.lake_dir) / spec.name / f"seller_id={seller_id}"
                  / f"marketplace_id={self.job.shard['marketplace_id']}")  # fmt: skip
        found: set[str] = set()
        for f in sorted(folder.glob("date=*/data.parquet")):
            found.update(pq.read_table(f, columns=["report_id"]).column("report_id").to_pylist())
        return found

    def keep_validation_result(self, scope: Scope, source: str, result: Mapping[str, Any]) -> None:
        return None


def _task_window(task: registry.ExtractTask, job: _ShardJob) -> tuple[datetime, datetime]:
    """The data span; for the cash-flow sources, reaching on to the UTC day after `as_of`.

    Balances and expected payouts are answers of the server's present: a nightly run
    ending at the world's present asks every ended balance day and takes the expected
    payout snapshot, which `plan.snapshot_due` grants only to a window that reaches it.
    """
    start, end = job.span
    if registry.get(task.sources[0]).kind in _CASHFLOW_KINDS:
        present = datetime(job.as_of.year, job.as_of.month, job.as_of.day, tzinfo=UTC) + timedelta(days=1)
        end = max(end, present)
    return start, end


def _account_marketplaces(world: DiskWorld, shard: Mapping[str, Any]) -> tuple[str, ...]:
    """What the seller's connection for the shard's region lists: its marketplaces there, in its order."""
    region = marketplaces.BY_ID[shard["marketplace_id"]].region
    seller = next((s for s in world.manifest["sellers"] if s["selling_partner_id"] == shard["seller_id"]), None)
    listed = seller["marketplace_ids"] if seller else [s["marketplace_id"] for s in world.shards()
                                                       if s["seller_id"] == shard["seller_id"]]  # fmt: skip
    return tuple(m for m in listed if m in marketplaces.BY_ID and marketplaces.BY_ID[m].region == region)


def _export_shard(job: _ShardJob) -> tuple[Counter[str], _Foreign]:
    """Land one (seller, marketplace) shard through the nightly extraction."""
    shard = job.shard
    reader = WorldShardReader(job.world_dir, shard, as_of=job.as_of)
    lake = ShardLake(job)
    counts: Counter[str] = Counter()
    for task in registry.TASKS:
        start, end = _task_window(task, job)
        scope = Scope(
            conn_id="world",
            region=reader.region,
            seller_id=shard["seller_id"],
            marketplace_id=shard["marketplace_id"] if task.scope == registry.MARKETPLACE else "ALL",
            window_start=start.isoformat(),
            window_end=end.isoformat(),
            run_id=job.run_id,
            marketplace_ids=job.account_marketplaces,
        )
        results = extract(task.name, scope, reader, lake, pii_key=job.key, buyer_info=job.buyer_info)
        for source, result in results.items():
            counts[source] += result["landed"]
            counts[f"{source}_parse_errors"] += len(result["rejected"])
    log.info("exported shard %s/%s", shard["seller_id"], shard["marketplace"])
    return counts, lake.foreign


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
    buyer_info: bool = True,
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
        buyer_info: land orders as a seller with the PII role does (restricted buyer email and
            street address, hashed); False lands what a seller without it gets (the ship-to area only).
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
    spans = [WorldShardReader(str(world_dir), s).span() for s in shards]
    span = (min(a for a, _b in spans), max(b for _a, b in spans)) if spans else (_EPOCH, _EPOCH + timedelta(days=1))
    work = [_ShardJob(str(world_dir), str(lake_dir), dict(s), key, run_id, (from_date, to_date), durable, span,
                      buyer_info, world.as_of, _account_marketplaces(world, s)) for s in shards]  # fmt: skip
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
