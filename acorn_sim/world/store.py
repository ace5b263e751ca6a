"""Write a synthetic world to a directory, and serve it back from there (`DiskWorld`).

Why: a 10-million-line world does not fit comfortably in one Python process,
and benchmarks should not pay the generator's cost on every run. A world is
built once, one (seller, marketplace) shard at a time, into a directory of
Parquet files; `DiskWorld` implements the `World` protocol over it so the
sandbox serves exactly the payloads the in-memory world would.

Layout (format version 1; the full field list is in WORLD_FORMAT.md)::

    <dir>/
      manifest.json            seed, parameters, as_of, generator version, sellers (no secrets),
                               per-shard counts and summaries, per-file sha256, bytes and rows
      sellers.json             SellerAccounts WITH credentials (sandbox-only fake secrets), mode 0600
      ground_truth.parquet     injected anomalies (tests and benchmarks only; may be empty)
      shards/<seller_id>/<CODE>/
        transactions.parquet            Finances 2024-06-19 Transactions (payload JSON)
        financial_event_groups.parquet  Finances v0 FinancialEventGroups of this marketplace
        financial_events.parquet        Finances v0 (list name, event) pairs
        orders.parquet                  Orders v0 Orders, without restricted data
        order_pii.parquet               restricted fields per order (BuyerInfo, ShippingAddress)
        order_items.parquet             getOrderItems payload per order
        settlement_reports.parquet      V2 settlement ReportFiles (content bytes + metadata)
        report_rows.parquet             rendered rows of the on-demand reports + their date

Payloads are stored as the exact JSON text the sandbox would send
(`acorn_sim.world.money.dumps`: amounts are exact JSON numbers) and read back with
`parse_float=Decimal`, so re-serialising gives byte-identical responses and no
amount ever passes through a binary float in storage.

Shards and determinism: shard (seller i, marketplace m) is generated exactly as
`build_world` generates that slice (same seller, catalogue and listings, and
the per-marketplace random streams `build_world` already uses), so the union
of the shards *is* `build_world(seed, ...)` with the same parameters: served
payloads are identical to the in-memory world's. Each shard is generated,
written and dropped before the next, so peak memory is one shard, not the
world. Nothing time- or host-dependent is written, so the same seed and
parameters give a byte-identical directory.

Writes are atomic: everything goes to a sibling temp directory that is renamed
onto the target only after the manifest is written; a failure removes it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

import acorn
from acorn.marketplaces import BY_CODE, BY_ID, DEMO_CODES
from acorn_sim.world import cashflow
from acorn_sim.world import settings as S
from acorn_sim.world.interface import JSON, RegionCredentials, ReportFile, SellerAccount
from acorn_sim.world.money import dumps, iso_z
from acorn_sim.world.render_reports import REPORT_SPECS, encode, encoding_for

log = logging.getLogger(__name__)

FORMAT = "acorn-world"
FORMAT_VERSION = 2  # 2: shards/<seller>/<CODE>/cashflow.parquet (balances, payouts)
MANIFEST = "manifest.json"
SELLERS = "sellers.json"
GROUND_TRUTH = "ground_truth.parquet"
SHARDS = "shards"

TS = pa.timestamp("us", tz="UTC")
MONEY = pa.decimal128(20, 4)

ENTITY_SCHEMAS: dict[str, pa.Schema] = {
    "transactions": pa.schema([
        ("transaction_id", pa.string()), ("posted_date", pa.string()), ("marketplace_id", pa.string()),
        ("transaction_status", pa.string()), ("item_count", pa.int32()), ("payload_json", pa.string()),
    ]),
    "financial_event_groups": pa.schema([
        ("group_id", pa.string()), ("group_start", pa.string()), ("group_end", pa.string()),
        ("payload_json", pa.string()),
    ]),
    "financial_events": pa.schema([
        ("posted_date", pa.string()), ("sort_id", pa.string()), ("list_name", pa.string()),
        ("payload_json", pa.string()),
    ]),
    "orders": pa.schema([
        ("order_id", pa.string()), ("purchase_date", pa.string()), ("last_update_date", pa.string()),
        ("marketplace_id", pa.string()), ("payload_json", pa.string()),
    ]),
    "order_pii": pa.schema([("order_id", pa.string()), ("pii_json", pa.string())]),
    "order_items": pa.schema([("order_id", pa.string()), ("items_json", pa.string())]),
    "settlement_reports": pa.schema([
        ("report_id", pa.string()), ("group_id", pa.string()), ("report_type", pa.string()),
        ("marketplace_ids", pa.list_(pa.string())), ("data_start_time", TS), ("data_end_time", TS),
        ("created_time", TS), ("encoding", pa.string()), ("line_count", pa.int64()), ("content", pa.binary()),
    ]),
    "report_rows": pa.schema([
        ("report_type", pa.string()), ("row_date", TS), ("row", pa.list_(pa.string())),
    ]),
    "cashflow": pa.schema([("marketplace_id", pa.string()), ("spec_json", pa.string())]),
}  # fmt: skip
ENTITIES = tuple(ENTITY_SCHEMAS)

GROUND_TRUTH_SCHEMA = pa.schema([
    ("kind", pa.string()), ("seller_id", pa.string()), ("marketplace_id", pa.string()),
    ("keys_json", pa.string()), ("expected_amount", MONEY), ("currency", pa.string()),
    ("detected_by", pa.string()), ("detail", pa.string()), ("injected_at", TS),
])  # fmt: skip

_loads = partial(json.loads, parse_float=Decimal)
_FAR_PAST = datetime(1970, 1, 1, tzinfo=UTC)
_FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)
# DiskWorld.warm() preloads every shard only for worlds up to this many transaction lines;
# bigger worlds load a seller's shards on its first request instead.
WARM_LIMIT_LINES = 2_000_000


@dataclass(frozen=True)
class WorldParams:
    """Everything that defines a built world besides the code that generates it."""

    seed: int = 7
    start: date = date(2026, 8, 1)
    days: int = 90
    sellers: int = 1
    marketplaces: tuple[str, ...] = DEMO_CODES
    base_orders_per_day: float = S.DEFAULT_ORDERS_PER_DAY
    scale: float = 1.0

    @property
    def orders_per_day(self) -> float:
        return self.base_orders_per_day * self.scale

    @property
    def as_of(self) -> datetime:
        return datetime.combine(self.start + timedelta(days=self.days + 1), time(0), tzinfo=UTC)

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed, "start": self.start.isoformat(), "days": self.days, "sellers": self.sellers,
            "marketplaces": list(self.marketplaces), "base_orders_per_day": self.base_orders_per_day,
            "scale": self.scale, "orders_per_day": self.orders_per_day,
        }  # fmt: skip


@dataclass
class BuildReport:
    """What `write_world` did: the manifest plus wall-clock timings (never written to disk)."""

    path: Path
    manifest: dict[str, Any]
    generate_seconds: float = 0.0
    write_seconds: float = 0.0
    total_seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------------- building


def generator_version() -> dict[str, str]:
    """acorn's version plus a digest of the world generator's sources (changes with the code)."""
    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in sorted(p.name for p in here.glob("*.py") if p.name not in {"store.py", "cli.py", "lake_export.py",
                                                                            "__main__.py"}):  # fmt: skip
        h.update(name.encode() + b"\0" + (here / name).read_bytes())
    return {"acorn_version": acorn.__version__, "world_sources_sha256": h.hexdigest()}


def build_shard(params: WorldParams, seller_index: int, code: str) -> Any:
    """One (seller, marketplace) slice of `build_world(params...)`, as a `SyntheticWorld`.

    Prefers `generator.build_shard` when the generator provides one (so any step
    `build_world` adds later is kept); otherwise repeats `build_world`'s loop body
    for one marketplace: same seller (made for *all* marketplaces, so credentials
    and FX rates match), catalogue, listings, and the per-marketplace streams.
    """
    from acorn_sim.world import generator as g

    own = getattr(g, "build_shard", None)
    if callable(own):
        return own(params.seed, seller_index=seller_index, code=code, start=params.start, days=params.days,
                   marketplaces=params.marketplaces, orders_per_day=params.orders_per_day)  # fmt: skip
    from acorn_sim.world.synthetic import SyntheticWorld, WorldData

    as_of = params.as_of
    seller = g.make_seller(params.seed, seller_index, params.marketplaces)
    products = g.make_catalogue(params.seed, seller)
    by_sku = {p.sku: p for p in products}
    listings = g.make_listings(params.seed, seller, products)
    data = WorldData(as_of=as_of)
    data.sellers.append(seller)
    data.products[seller.seller_id] = by_sku
    g.build_marketplace(
        params.seed, seller, code, listings, by_sku, params.start, params.days, params.orders_per_day, as_of, data
    )
    return SyntheticWorld(data)


def seller_accounts(params: WorldParams) -> list[SellerAccount]:
    """The world's seller accounts (with credentials), as `build_world` makes them."""
    from acorn_sim.world import generator as g

    out = []
    for index in range(params.sellers):
        s = g.make_seller(params.seed, index, params.marketplaces)
        out.append(SellerAccount(
            selling_partner_id=s.seller_id, name=s.name, home_currency=s.home_currency,
            marketplace_ids=tuple(BY_CODE[c].marketplace_id for c in s.marketplaces), credentials=s.credentials,
        ))  # fmt: skip
    return out


def _shard_tables(world: Any, seller_id: str, code: str) -> tuple[dict[str, pa.Table], dict[str, int]]:
    """Render one shard through the public `World` methods into Parquet-ready tables."""
    mp_id = BY_CODE[code].marketplace_id
    txns = world.transactions(seller_id, marketplace_id=mp_id, posted_after=_FAR_PAST, posted_before=_FAR_FUTURE)
    groups = world.financial_event_groups(seller_id, started_after=_FAR_PAST, started_before=_FAR_FUTURE)
    events = world.financial_events(seller_id, posted_after=_FAR_PAST, posted_before=_FAR_FUTURE)
    orders = world.orders(seller_id, marketplace_ids=[mp_id])
    settlements = world.settlement_reports(seller_id)
    pii_of = getattr(world, "order_pii", None)

    # v0 events carry no posting id: they are the non-deferred transactions in the same
    # (postedDate, transactionId) order, so take the tie-breaker from there.
    released = [(t["postedDate"], t["transactionId"]) for t in txns if t["transactionStatus"] != "DEFERRED"]
    if len(released) == len(events):
        event_keys = released
    else:  # a world whose v0 stream is not the non-deferred transactions: keep its own order
        log.warning("shard %s/%s: %d events vs %d released transactions; ordering events by shard position",
                    seller_id, code, len(events), len(released))  # fmt: skip
        event_keys = [(_event_posted(e), f"~{i:012d}") for i, (_n, e) in enumerate(events)]

    group_by_period = {(g["FinancialEventGroupStart"], g.get("FinancialEventGroupEnd")): g["FinancialEventGroupId"]
                       for g in groups}  # fmt: skip
    tables: dict[str, pa.Table] = {}
    tables["transactions"] = _table("transactions", {
        "transaction_id": [t["transactionId"] for t in txns],
        "posted_date": [t["postedDate"] for t in txns],
        "marketplace_id": [t["marketplaceDetails"]["marketplaceId"] for t in txns],
        "transaction_status": [t["transactionStatus"] for t in txns],
        "item_count": [len(t.get("items") or ()) for t in txns],
        "payload_json": [dumps(t) for t in txns],
    })  # fmt: skip
    tables["financial_event_groups"] = _table("financial_event_groups", {
        "group_id": [g["FinancialEventGroupId"] for g in groups],
        "group_start": [g["FinancialEventGroupStart"] for g in groups],
        "group_end": [g.get("FinancialEventGroupEnd") for g in groups],
        "payload_json": [dumps(g) for g in groups],
    })  # fmt: skip
    tables["financial_events"] = _table("financial_events", {
        "posted_date": [k[0] for k in event_keys],
        "sort_id": [k[1] for k in event_keys],
        "list_name": [n for n, _e in events],
        "payload_json": [dumps(e) for _n, e in events],
    })  # fmt: skip
    tables["orders"] = _table("orders", {
        "order_id": [o["AmazonOrderId"] for o in orders],
        "purchase_date": [o["PurchaseDate"] for o in orders],
        "last_update_date": [o["LastUpdateDate"] for o in orders],
        "marketplace_id": [o["MarketplaceId"] for o in orders],
        "payload_json": [dumps(o) for o in orders],
    })  # fmt: skip
    pii_rows = []
    if pii_of is not None:
        pii_rows = [(o["AmazonOrderId"], pii_of(seller_id, o["AmazonOrderId"])) for o in orders]
        pii_rows = [(oid, p) for oid, p in pii_rows if p is not None]
    tables["order_pii"] = _table("order_pii", {
        "order_id": [oid for oid, _p in pii_rows], "pii_json": [dumps(p) for _oid, p in pii_rows],
    })  # fmt: skip
    item_rows = [(o["AmazonOrderId"], world.order_items(seller_id, o["AmazonOrderId"])) for o in orders]
    tables["order_items"] = _table("order_items", {
        "order_id": [oid for oid, _i in item_rows],
        "items_json": [None if i is None else dumps(list(i)) for _oid, i in item_rows],
    })  # fmt: skip
    tables["settlement_reports"] = _table("settlement_reports", {
        "report_id": [r.report_id for r in settlements],
        "group_id": [group_by_period.get((iso_z(r.data_start_time), iso_z(r.data_end_time)), "") for r in settlements],
        "report_type": [r.report_type for r in settlements],
        "marketplace_ids": [list(r.marketplace_ids) for r in settlements],
        "data_start_time": [r.data_start_time for r in settlements],
        "data_end_time": [r.data_end_time for r in settlements],
        "created_time": [r.created_time for r in settlements],
        "encoding": [r.encoding for r in settlements],
        "line_count": [settlement_line_count(r.content) for r in settlements],
        "content": [r.content for r in settlements],
    })  # fmt: skip
    rows: dict[str, list] = {"report_type": [], "row_date": [], "row": []}
    for report_type, (_columns, render_row, date_attr) in sorted(REPORT_SPECS.items()):
        for r, when in _report_source_rows(world, report_type, date_attr, seller_id, code):
            rows["report_type"].append(report_type)
            rows["row_date"].append(when)
            rows["row"].append(list(render_row(r)))
    tables["report_rows"] = _table("report_rows", rows)
    spec_of = getattr(world, "cashflow_spec", None)
    spec = spec_of(seller_id, mp_id) if callable(spec_of) else None
    tables["cashflow"] = _table("cashflow", {
        "marketplace_id": [mp_id] if spec else [], "spec_json": [dumps(spec)] if spec else [],
    })  # fmt: skip
    counts = {
        "transactions": len(txns),
        "transaction_items": sum(tables["transactions"].column("item_count").to_pylist()),
        "settlement_reports": len(settlements),
        "settlement_lines": sum(tables["settlement_reports"].column("line_count").to_pylist()),
        "orders": len(orders),
        "financial_event_groups": len(groups),
        "financial_events": len(events),
        "report_rows": len(rows["row"]),
    }
    counts["transaction_lines"] = counts["transaction_items"] + counts["settlement_lines"]
    return tables, counts


def _report_source_rows(world: Any, report_type: str, date_attr: str, seller_id: str, code: str) -> Iterator:
    """(domain row, its report date) of one on-demand report type in one shard.

    The row's date has sub-second precision and the MFN report prints only the day,
    so the rows are taken from the world's records rather than re-parsed from a file.
    """
    data = getattr(world, "data", None)
    if data is None:
        return
    source = {
        "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA": data.fba_returns,
        "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE": data.mfn_returns,
        "GET_FBA_REIMBURSEMENTS_DATA": data.reimbursements,
    }.get(report_type, [])
    own_orders = {o.order_id for o in data.orders if o.seller_id == seller_id}
    own_skus = set(data.products.get(seller_id, {}))
    for r in source:
        if r.marketplace != code:
            continue
        order_id = getattr(r, "order_id", None)
        # SyntheticWorld's owner rule: the order's seller, else (warehouse rows) the SKU's.
        if (order_id in own_orders) if order_id else (r.sku in own_skus):
            yield r, getattr(r, date_attr)


def _event_posted(event: Mapping[str, Any]) -> str:
    return str(event.get("PostedDate") or "")


def settlement_line_count(content: bytes) -> int:
    """Amount lines of a V2 settlement file: every line after the header and the summary row."""
    return max(0, content.rstrip(b"\n").count(b"\n") - 1)


def _table(entity: str, columns: Mapping[str, list]) -> pa.Table:
    return pa.Table.from_pydict(dict(columns), schema=ENTITY_SCHEMAS[entity])


def _write_parquet(table: pa.Table, path: Path) -> None:
    # zstd, statistics on, no wall-clock metadata: the same rows give the same bytes.
    pq.write_table(table, path, compression="zstd", write_statistics=True)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(partial(fh.read, 1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _file_entry(path: Path, rows: int | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"sha256": _sha256(path), "bytes": path.stat().st_size}
    if rows is not None:
        entry["rows"] = rows
    return entry


def _ground_truth_table(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    def text(v: Any) -> str | None:
        if v is None or isinstance(v, str):
            return v
        return json.dumps(v, sort_keys=True, default=str, ensure_ascii=False)

    def when(v: Any) -> datetime | None:
        if v is None or isinstance(v, datetime):
            return v
        if isinstance(v, date):
            return datetime.combine(v, time(0), tzinfo=UTC)
        return datetime.fromisoformat(str(v).replace("Z", "+00:00"))

    return pa.Table.from_pydict({
        "kind": [str(r.get("kind")) for r in rows],
        "seller_id": [r.get("seller_id") for r in rows],
        "marketplace_id": [r.get("marketplace_id") for r in rows],
        "keys_json": [json.dumps(r.get("keys") or {}, sort_keys=True, default=str, ensure_ascii=False)
                      for r in rows],
        "expected_amount": [None if r.get("expected_amount") is None else Decimal(str(r["expected_amount"]))
                            for r in rows],
        "currency": [r.get("currency") for r in rows],
        "detected_by": [text(r.get("detected_by")) for r in rows],
        "detail": [text(r.get("detail")) for r in rows],
        "injected_at": [when(r.get("injected_at")) for r in rows],
    }, schema=GROUND_TRUTH_SCHEMA)  # fmt: skip


def _write_private_json(path: Path, payload: Any) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    os.chmod(path, 0o600)  # in case the umask was stricter than needed, or looser


def _seller_json(s: SellerAccount, *, secrets: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "selling_partner_id": s.selling_partner_id, "name": s.name, "home_currency": s.home_currency,
        "marketplace_ids": list(s.marketplace_ids),
    }  # fmt: skip
    if secrets:
        out["credentials"] = [
            {"region": c.region, "client_id": c.client_id, "client_secret": c.client_secret,
             "refresh_token": c.refresh_token}
            for c in s.credentials
        ]  # fmt: skip
    return out


def _add_summary(total: dict[str, dict[str, Any]], part: Mapping[str, Mapping[str, Any]]) -> None:
    for code, bucket in part.items():
        into = total.setdefault(code, {})
        for key, value in bucket.items():
            if isinstance(value, Mapping):
                c = Counter(into.get(key) or {})
                c.update(dict(value))
                into[key] = dict(sorted(c.items()))
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                into[key] = into.get(key, 0) + value
            else:
                into.setdefault(key, value)


def _build_shard_files(
    params: WorldParams,
    index: int,
    seller_id: str,
    code: str,
    tmp: Path,
    shard_builder: Callable[[WorldParams, int, str], Any] = build_shard,
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any], float, float]:
    """Generate one (seller, marketplace) shard and write its files under `tmp`."""
    import time as _time

    t = _time.perf_counter()
    world = shard_builder(params, index, code)
    tables, counts = _shard_tables(world, seller_id, code)
    shard_summary = world.summary()
    gt_fn = getattr(world, "ground_truth_rows", None)
    gt = list(gt_fn()) if callable(gt_fn) else []
    del world
    t2 = _time.perf_counter()
    rel = Path(SHARDS) / seller_id / code
    (tmp / rel).mkdir(parents=True)
    files = {}
    for entity in ENTITIES:
        path = tmp / rel / f"{entity}.parquet"
        _write_parquet(tables[entity], path)
        files[f"{entity}.parquet"] = _file_entry(path, tables[entity].num_rows)
    entry = {
        "seller_id": seller_id, "marketplace": code,
        "marketplace_id": BY_CODE[code].marketplace_id, "path": rel.as_posix(),
        "counts": counts, "ground_truth_rows": len(gt), "files": files,
        "summary": json.loads(dumps(shard_summary)),
    }  # fmt: skip
    return entry, gt, shard_summary, t2 - t, _time.perf_counter() - t2


def _shard_job(args: tuple[WorldParams, int, str, str, str]) -> tuple:
    params, index, seller_id, code, tmp = args
    return _build_shard_files(params, index, seller_id, code, Path(tmp))


def write_world(
    params: WorldParams,
    out: Path,
    *,
    overwrite: bool = False,
    shard_builder: Callable[[WorldParams, int, str], Any] = build_shard,
    jobs: int = 1,
) -> BuildReport:
    """Build the world shard by shard into `out`, atomically (`jobs` worker processes).

    Args:
        params: seed and generation parameters.
        out: target directory; must not exist unless `overwrite`.
        overwrite: replace an existing directory (only after the new one is complete).
        shard_builder: builds one shard's `SyntheticWorld` (tests inject failures here).

    Returns:
        The manifest written and wall-clock timings.
    """
    import time as _time

    out = Path(out)
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} exists (pass overwrite=True / --force to replace it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}-{threading.get_ident()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    t0 = _time.perf_counter()
    gen_s = write_s = 0.0
    try:
        accounts = seller_accounts(params)
        _write_private_json(tmp / SELLERS, {"sellers": [_seller_json(s, secrets=True) for s in accounts]})
        gt_writer = pq.ParquetWriter(tmp / GROUND_TRUTH, GROUND_TRUTH_SCHEMA, compression="zstd")
        gt_rows = 0
        shards: list[dict[str, Any]] = []
        summary: dict[str, dict[str, Any]] = {}
        gt_kinds: Counter[str] = Counter()
        try:
            work = [
                (index, account.selling_partner_id, BY_CODE[code].code if code in BY_CODE else BY_ID[code].code)
                for index, account in enumerate(accounts)
                for code in params.marketplaces
            ]
            if jobs > 1:
                # Shards are independent: build them in worker processes, collect in order,
                # so the directory is byte-identical to a serial build.
                from concurrent.futures import ProcessPoolExecutor

                with ProcessPoolExecutor(max_workers=jobs) as pool:
                    results = pool.map(_shard_job, [(params, i, sid, c, str(tmp)) for i, sid, c in work])
                    done = list(results)
            else:
                done = (_build_shard_files(params, i, sid, c, tmp, shard_builder) for i, sid, c in work)
            for entry, gt, shard_summary, g_s, w_s in done:
                gen_s += g_s
                t2 = _time.perf_counter()
                if gt:
                    gt_writer.write_table(_ground_truth_table(gt))
                    gt_rows += len(gt)
                    gt_kinds.update(str(r.get("kind")) for r in gt)
                write_s += w_s + _time.perf_counter() - t2
                _add_summary(summary, shard_summary)
                shards.append(entry)
                log.info("shard %s/%s: %s", entry["seller_id"], entry["marketplace"], entry["counts"])
        finally:
            gt_writer.close()
        totals: Counter[str] = Counter()
        for s in shards:
            totals.update(s["counts"])
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "generator": generator_version(),
            "seed": params.seed,
            "params": params.to_json(),
            "as_of": iso_z(params.as_of),
            "shard_definition": "one shard per (seller index, marketplace code), each generated exactly as "
                                "build_world generates that slice; the world is their union",
            "transaction_lines_definition": "Finances 2024-06-19 transaction items + V2 settlement amount lines "
                                            "(settlement file rows after the header and the summary row)",
            "sellers": [_seller_json(s, secrets=False) for s in accounts],
            "totals": dict(sorted(totals.items())),
            "ground_truth_kinds": dict(sorted(gt_kinds.items())),
            "summary": json.loads(dumps(dict(sorted(summary.items())))),
            "files": {
                SELLERS: _file_entry(tmp / SELLERS, len(accounts)),
                GROUND_TRUTH: _file_entry(tmp / GROUND_TRUTH, gt_rows),
            },
            "shards": shards,
        }  # fmt: skip
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                                    encoding="utf-8")  # fmt: skip
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    total = _time.perf_counter() - t0
    return BuildReport(out, manifest, gen_s, write_s, total)


def read_manifest(path: Path) -> dict[str, Any]:
    return json.loads((Path(path) / MANIFEST).read_text(encoding="utf-8"))


def verify(path: Path) -> list[str]:
    """Re-hash every file against the manifest; returns the problems found (empty = intact)."""
    path = Path(path)
    manifest = read_manifest(path)
    problems = []
    expected = {name: e for name, e in manifest["files"].items()}
    for shard in manifest["shards"]:
        for name, e in shard["files"].items():
            expected[f"{shard['path']}/{name}"] = e
    for rel, e in sorted(expected.items()):
        f = path / rel
        if not f.exists():
            problems.append(f"missing {rel}")
        elif _sha256(f) != e["sha256"]:
            problems.append(f"sha256 mismatch {rel}")
    return problems


# ---------------------------------------------------------------------- serving


@dataclass
class _SellerData:
    txn_keys: list[tuple[str, str]]
    txns: list[JSON]
    groups: list[JSON]
    event_keys: list[tuple[str, str]]
    events: list[tuple[str, JSON]]
    orders: list[JSON]
    order_ids: set[str]
    settlements: list[ReportFile]
    ledgers: list[cashflow.Ledger]


class DiskWorld:
    """A built world directory served through the `World` protocol.

    A seller's shards are read (and their payloads parsed) on the first request
    for that seller, then kept; `warm()` reads every seller up front for worlds
    up to `WARM_LIMIT_LINES` transaction lines. Items, PII and report rows are
    read per shard on demand.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.manifest = read_manifest(self.path)
        if self.manifest.get("format") != FORMAT or self.manifest.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{self.path} is not an {FORMAT} v{FORMAT_VERSION} directory")
        self._as_of = datetime.fromisoformat(self.manifest["as_of"].replace("Z", "+00:00"))
        self._shards: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for shard in self.manifest["shards"]:
            self._shards[shard["seller_id"]].append(shard)
        self._lock = threading.RLock()
        self._loaded: dict[str, _SellerData] = {}
        self._items: dict[tuple[str, str], dict[str, str | None]] = {}
        self._pii: dict[tuple[str, str], dict[str, str]] = {}
        self._report_rows: dict[tuple[str, str], dict[str, list[tuple[datetime, list[str]]]]] = {}
        self._accounts: list[SellerAccount] | None = None

    # -------------------------------------------------------------- loading
    def _read(self, shard: Mapping[str, Any], entity: str) -> pa.Table:
        return pq.read_table(self.path / shard["path"] / f"{entity}.parquet", schema=ENTITY_SCHEMAS[entity])

    def _seller(self, seller_id: str) -> _SellerData:
        with self._lock:
            found = self._loaded.get(seller_id)
            if found is None:
                found = self._loaded[seller_id] = self._load_seller(seller_id)
            return found

    def _load_seller(self, seller_id: str) -> _SellerData:
        txns: list[tuple[tuple[str, str], str]] = []
        groups: list[tuple[tuple[str, str], str]] = []
        events: list[tuple[tuple[str, str], str, str]] = []
        orders: list[tuple[tuple[str, str], str]] = []
        settlements: list[tuple[tuple[datetime, str], ReportFile]] = []
        specs: list[JSON] = []
        for shard in self._shards.get(seller_id, []):
            specs += [_loads(x) for x in self._read(shard, "cashflow").column("spec_json").to_pylist()]
            t = self._read(shard, "transactions").to_pydict()
            txns += zip(zip(t["posted_date"], t["transaction_id"], strict=True), t["payload_json"], strict=True)
            g = self._read(shard, "financial_event_groups").to_pydict()
            groups += zip(zip(g["group_start"], g["group_id"], strict=True), g["payload_json"], strict=True)
            e = self._read(shard, "financial_events").to_pydict()
            events += zip(zip(e["posted_date"], e["sort_id"], strict=True), e["list_name"], e["payload_json"], strict=True)
            o = self._read(shard, "orders").to_pydict()
            orders += zip(zip(o["purchase_date"], o["order_id"], strict=True), o["payload_json"], strict=True)
            for r in self._read(shard, "settlement_reports").to_pylist():
                settlements.append(((r["data_end_time"], r["group_id"]), ReportFile(
                    report_type=r["report_type"], seller_id=seller_id, marketplace_ids=tuple(r["marketplace_ids"]),
                    data_start_time=r["data_start_time"], data_end_time=r["data_end_time"],
                    created_time=r["created_time"], content=r["content"], encoding=r["encoding"],
                    report_id=r["report_id"],
                )))  # fmt: skip
        # Python's sort is stable and a shard's rows are already in order: this is a k-way merge.
        txns.sort(key=lambda x: x[0])
        groups.sort(key=lambda x: x[0])
        events.sort(key=lambda x: x[0])
        orders.sort(key=lambda x: x[0])
        settlements.sort(key=lambda x: x[0])
        order_payloads = [_loads(p) for _k, p in orders]
        txn_payloads = [_loads(p) for _k, p in txns]
        ledgers = cashflow.ledgers_of(specs, txn_payloads)
        return _SellerData(
            txn_keys=[k for k, _p in txns],
            txns=txn_payloads,
            groups=[_loads(p) for _k, p in groups],
            event_keys=[k for k, _n, _p in events],
            events=[(n, _loads(p)) for _k, n, p in events],
            orders=order_payloads,
            order_ids={o["AmazonOrderId"] for o in order_payloads},
            settlements=[f for _k, f in settlements],
            ledgers=ledgers,
        )

    def warm(self) -> None:
        """Load every seller now if the world is small enough (the sandbox calls this at start)."""
        lines = int(self.manifest.get("totals", {}).get("transaction_lines", 0))
        if lines > WARM_LIMIT_LINES:
            log.info("world has %d transaction lines: sellers load on first request", lines)
            return
        for seller_id in self._shards:
            self._seller(seller_id)

    def _shard_for_order(self, seller_id: str, order_id: str) -> Mapping[str, Any] | None:
        if order_id not in self._seller(seller_id).order_ids:
            return None
        for shard in self._shards[seller_id]:
            key = (seller_id, shard["marketplace"])
            with self._lock:
                if key not in self._items:
                    items = self._read(shard, "order_items").to_pydict()
                    self._items[key] = dict(zip(items["order_id"], items["items_json"], strict=True))
            if order_id in self._items[key]:
                return shard
        return None

    # ---------------------------------------------------------------- World
    @property
    def as_of(self) -> datetime:
        return self._as_of

    def sellers(self) -> Sequence[SellerAccount]:
        if self._accounts is None:
            raw = json.loads((self.path / SELLERS).read_text(encoding="utf-8"))
            self._accounts = [
                SellerAccount(
                    selling_partner_id=s["selling_partner_id"], name=s["name"], home_currency=s["home_currency"],
                    marketplace_ids=tuple(s["marketplace_ids"]),
                    credentials=tuple(RegionCredentials(**c) for c in s["credentials"]),
                )
                for s in raw["sellers"]
            ]  # fmt: skip
        return self._accounts

    def transactions(
        self,
        seller_id: str,
        *,
        marketplace_id: str | None,
        posted_after: datetime,
        posted_before: datetime,
        transaction_status: str | None = None,
        related_identifier: tuple[str, str] | None = None,
    ) -> Sequence[JSON]:
        import bisect

        d = self._seller(seller_id)
        lo = bisect.bisect_left(d.txn_keys, (iso_z(posted_after), ""))
        hi = bisect.bisect_left(d.txn_keys, (iso_z(posted_before), ""))
        out = []
        for t in d.txns[lo:hi]:
            if marketplace_id and t["marketplaceDetails"]["marketplaceId"] != marketplace_id:
                continue
            if transaction_status and t["transactionStatus"] != transaction_status:
                continue
            if related_identifier and not any(
                (r["relatedIdentifierName"], r["relatedIdentifierValue"]) == related_identifier
                for r in t["relatedIdentifiers"]
            ):
                continue
            out.append(t)
        return out

    def financial_event_groups(
        self, seller_id: str, *, started_after: datetime, started_before: datetime
    ) -> Sequence[JSON]:
        lo, hi = iso_z(started_after), iso_z(started_before)
        return [g for g in self._seller(seller_id).groups if lo <= g["FinancialEventGroupStart"] < hi]

    def financial_events(
        self, seller_id: str, *, posted_after: datetime, posted_before: datetime
    ) -> Sequence[tuple[str, JSON]]:
        import bisect

        d = self._seller(seller_id)
        lo = bisect.bisect_left(d.event_keys, (iso_z(posted_after), ""))
        hi = bisect.bisect_left(d.event_keys, (iso_z(posted_before), ""))
        return d.events[lo:hi]

    def orders(
        self,
        seller_id: str,
        *,
        marketplace_ids: Sequence[str],
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        last_updated_after: datetime | None = None,
        last_updated_before: datetime | None = None,
    ) -> Sequence[JSON]:
        wanted = set(marketplace_ids)
        bounds = [
            ("PurchaseDate", created_after, created_before),
            ("LastUpdateDate", last_updated_after, last_updated_before),
        ]
        out = []
        for o in self._seller(seller_id).orders:
            if o["MarketplaceId"] not in wanted:
                continue
            if any((lo and o[k] < iso_z(lo)) or (hi and o[k] >= iso_z(hi)) for k, lo, hi in bounds):
                continue
            out.append(o)
        if last_updated_after or last_updated_before:
            out.sort(key=lambda o: (o["LastUpdateDate"], o["AmazonOrderId"]))
        return out

    def order_items(self, seller_id: str, order_id: str) -> Sequence[JSON] | None:
        shard = self._shard_for_order(seller_id, order_id)
        if shard is None:
            return None
        text = self._items[(seller_id, shard["marketplace"])][order_id]
        return None if text is None else _loads(text)

    def ledgers(self, seller_id: str) -> Sequence[cashflow.Ledger]:
        return self._seller(seller_id).ledgers

    def balances(
        self, seller_id: str, *, marketplace_ids: Sequence[str] | None, as_of_date: date | None,
        balance_type: str | None, now: datetime,
    ) -> Sequence[JSON]:  # fmt: skip
        return cashflow.balances_of(self.ledgers(seller_id), marketplace_ids=marketplace_ids,
                                    as_of_date=as_of_date, balance_type=balance_type, now=now)  # fmt: skip

    def payouts(self, seller_id: str, *, now: datetime) -> Sequence[JSON]:
        return cashflow.payouts_of(self.ledgers(seller_id), now=now)

    def expected_payouts(self, seller_id: str, *, now: datetime) -> Sequence[JSON]:
        return cashflow.expected_of(self.ledgers(seller_id), now=now)

    def settlement_reports(self, seller_id: str) -> Sequence[ReportFile]:
        return self._seller(seller_id).settlements

    def report(
        self,
        seller_id: str,
        *,
        report_type: str,
        marketplace_ids: Sequence[str],
        data_start_time: datetime,
        data_end_time: datetime,
    ) -> ReportFile | None:
        spec = REPORT_SPECS.get(report_type)
        if spec is None:
            return None
        columns = spec[0]
        codes = {BY_ID[m].code for m in marketplace_ids if m in BY_ID}
        rows: list[tuple[datetime, list[str]]] = []
        for shard in self._shards.get(seller_id, []):
            if shard["marketplace"] not in codes:
                continue
            for when, row in self._rows_of(seller_id, shard).get(report_type, []):
                if data_start_time <= when < data_end_time:
                    rows.append((when, row))
        if not rows:
            return None
        rows.sort()
        encoding = encoding_for(sorted(codes))
        return ReportFile(
            report_type=report_type,
            seller_id=seller_id,
            marketplace_ids=tuple(marketplace_ids),
            data_start_time=data_start_time,
            data_end_time=data_end_time,
            created_time=self._as_of,
            content=encode(columns, (r for _w, r in rows), encoding),
            encoding=encoding,
        )

    def _rows_of(self, seller_id: str, shard: Mapping[str, Any]) -> dict[str, list[tuple[datetime, list[str]]]]:
        key = (seller_id, shard["marketplace"])
        with self._lock:
            if key not in self._report_rows:
                t = self._read(shard, "report_rows").to_pydict()
                by_type: dict[str, list[tuple[datetime, list[str]]]] = defaultdict(list)
                for rt, when, row in zip(t["report_type"], t["row_date"], t["row"], strict=True):
                    by_type[rt].append((when, row))
                self._report_rows[key] = dict(by_type)
            return self._report_rows[key]

    # --------------------------------------------------------------- extras
    def order_pii(self, seller_id: str, order_id: str) -> JSON | None:
        """Restricted order fields for RDT requests (kept in order_pii.parquet, apart from orders)."""
        shard = self._shard_for_order(seller_id, order_id)
        if shard is None:
            return None
        key = (seller_id, shard["marketplace"])
        with self._lock:
            if key not in self._pii:
                t = self._read(shard, "order_pii").to_pydict()
                self._pii[key] = dict(zip(t["order_id"], t["pii_json"], strict=True))
        text = self._pii[key].get(order_id)
        return None if text is None else _loads(text)

    def summary(self) -> dict[str, dict[str, Any]]:
        """Per-marketplace counts at `as_of`, the sum of the shards' summaries (as `SyntheticWorld.summary`)."""
        return json.loads(json.dumps(self.manifest["summary"]))

    def ground_truth_rows(self) -> list[dict[str, Any]]:
        """The injected anomalies recorded at build time (`keys` parsed back into a dict)."""
        rows = pq.read_table(self.path / GROUND_TRUTH, schema=GROUND_TRUTH_SCHEMA).to_pylist()
        for r in rows:
            r["keys"] = json.loads(r.pop("keys_json"))
        return rows

    def shards(self) -> list[dict[str, Any]]:
        """The manifest's shard entries (seller_id, marketplace, path, counts, files)."""
        return list(self.manifest["shards"])
