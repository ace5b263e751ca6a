"""Extract one registry task (one or two lake sources) for one scope into the lake.

`extract(task, scope, reader, lake)` is the one extraction path: it reads pages
through a `SourceReader` (the SP-API client in production, a world on disk for
the benchmark lake, a fake in unit tests), normalises every record with the
source's normaliser, validates the batch with the source's Great Expectations
suite and merges the good records into the lake through a `LakeTarget`. A
record that breaks a rule is not written; it is returned in the result's
`rejected` list so the run can quarantine it. Which source is read how (kind,
operation, per-request window limit, scope) comes from `acorn.sources`.

`run_task` is what the DAG's thin tasks call: it builds the production reader
and lake for the scope's connection and turns a missing role into a failed
task without retries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any, Protocol

from acorn import marketplaces
from acorn import sources as registry
from acorn.extract import plan
from acorn.extract.plan import Scope
from acorn.extract.reader import ClientReader, SourceReader
from acorn.lake import writer
from acorn.slicing import slices
from acorn.sources import SourceSpec
from acorn.transform import normalize

log = logging.getLogger(__name__)

# Report-type constants, from the registry.
REPORT_FBA_RETURNS = registry.get("fba_returns").operation
REPORT_MFN_RETURNS = registry.get("mfn_returns").operation
REPORT_REIMBURSEMENTS = registry.get("reimbursements").operation
REPORT_SETTLEMENT_V2 = registry.REPORT_SETTLEMENT_V2
SETTLEMENT_LISTING_SLACK = timedelta(days=3)  # Amazon lists a settlement a few days after it closes
_NORMALISABLE = (ValueError, TypeError, ArithmeticError, KeyError)


@dataclass
class SourceResult:
    source: str
    seller_id: str
    marketplace_id: str
    served: int = 0  # records the API handed us
    landed: int = 0  # records merged into the lake
    rejected: list[dict[str, Any]] = field(default_factory=list)
    unavailable_data: list[dict[str, Any]] = field(default_factory=list)  # data Amazon refused
    notes: list[str] = field(default_factory=list)  # what was skipped on purpose, and why

    def to_dict(self) -> dict[str, Any]:
        out = {
            "source": self.source,
            "seller_id": self.seller_id,
            "marketplace_id": self.marketplace_id,
            "served": self.served,
            "landed": self.landed,
            "rejected": self.rejected,
        }
        if self.unavailable_data:
            out["unavailable_data"] = self.unavailable_data
        if self.notes:
            out["notes"] = self.notes
        return out


class LakeTarget(Protocol):
    """Where validated rows land (the nightly lake, or a benchmark shard's part of one)."""

    def merge(self, spec: SourceSpec, rows: list[dict[str, Any]]) -> int:
        """Merge rows into their partitions; returns how many were kept."""
        ...

    def landed_settlement_reports(self, seller_id: str) -> set[str]: ...

    def keep_validation_result(self, scope: Scope, source: str, result: Mapping[str, Any]) -> None: ...


@dataclass(frozen=True)
class LakeDir:
    """The pipeline's lake: every partition merged atomically and durably."""

    lake_dir: Path
    data_dir: Path

    def merge(self, spec: SourceSpec, rows: list[dict[str, Any]]) -> int:
        for key, part in writer.group_by_partition(rows, spec.name, date_field=spec.date_field).items():
            writer.merge_partition(self.lake_dir, key, part, spec.schema, spec.natural_key)
        return len(rows)

    def landed_settlement_reports(self, seller_id: str) -> set[str]:
        spec = registry.get("settlements")
        table = writer.read_source(self.lake_dir, spec.name, spec.schema)
        return set(table.column("report_id").to_pylist()) if table.num_rows else set()

    def keep_validation_result(self, scope: Scope, source: str, result: Mapping[str, Any]) -> None:
        from acorn.extract.run import safe_name, write_json_atomic

        name = f"{source}__{scope.seller_id}__{scope.marketplace_id}.json"
        write_json_atomic(self.data_dir / "quality" / safe_name(scope.run_id) / name, result)


# ---------------------------------------------------------------- landing


def _with_request_id(record: dict[str, Any], request_id: str | None) -> dict[str, Any]:
    """Every lake row names the request (page) or report it came from."""
    record[writer.REQUEST_ID] = request_id
    return record


_METADATA = (writer.REQUEST_ID, writer.RUN_ID)


def unique_records(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Drop a record whose content (metadata aside) repeats an earlier one's, as canonical JSON says.

    The same record served twice (overlapping pages) collapses whatever request
    carried it. Records are bucketed by their values first (a C-level hash), so
    the JSON text is only made for the rare record whose values equal an earlier
    one's; within a bucket the text decides.
    """
    out: list[dict[str, Any]] = []
    first: dict[Any, Mapping[str, Any]] = {}
    texts: dict[Any, set[str]] = {}

    def content(r: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in r.items() if k not in _METADATA}

    for record in records:
        try:
            bucket: Any = tuple((k, v) for k, v in record.items() if k not in _METADATA)
            hash(bucket)
        except TypeError:  # an unhashable value: the text is the bucket
            bucket = normalize.canonical_json(content(record))
        if bucket in first:
            seen = texts.setdefault(bucket, {normalize.canonical_json(content(first[bucket]))})
            text = normalize.canonical_json(content(record))
            if text in seen:
                continue
            seen.add(text)
        else:
            first[bucket] = record
        out.append(dict(record))
    return out


def _land(
    scope: Scope,
    spec: SourceSpec,
    records: Iterable[Mapping[str, Any]],
    result: SourceResult,
    lake: LakeTarget,
) -> SourceResult:
    """Validate at the boundary, then merge the good records into the lake.

    Exact duplicates collapse first; records that break a rule go to
    `result.rejected` for the quarantine. One atomic rewrite per partition.
    """
    from acorn.quality.suites import BatchContext
    from acorn.quality.validate import validate_batch

    batch = unique_records(records)
    w = scope.window
    outcome = validate_batch(
        batch,
        BatchContext(spec, scope.marketplace_id, w.start, w.end),
        key_of=lambda r: "/".join(str(r.get(k)) for k in spec.natural_key),
    )
    result.rejected.extend(outcome.rejected)
    lake.keep_validation_result(scope, spec.name, outcome.result)
    good = []
    for row in outcome.good:
        row.setdefault(writer.RUN_ID, scope.run_id)
        row.setdefault(writer.REQUEST_ID, None)
        good.append(row)
    result.landed += lake.merge(spec, good)
    return result


def _normalise(fn: Callable[[], Any], key: Callable[[], str], result: SourceResult):
    result.served += 1
    try:
        return fn()
    except _NORMALISABLE as exc:
        result.rejected.append(_rejection(exc, key))
        return None


def _rejection(exc: Exception, key: Callable[[], str]) -> dict[str, Any]:
    """The quarantine record of a record the normaliser refused (a RecordError names its rule)."""
    if isinstance(exc, normalize.RecordError):
        return {"record_key": exc.record_key, "rule": exc.rule, "reason": str(exc)}
    return {"record_key": key(), "rule": "normalisable", "reason": str(exc)}


def request_windows(spec: SourceSpec, scope: Scope) -> list[tuple[Any, Any]]:
    """The request windows of one source: the scope's window (minus any lookback) cut to the
    source's per-request limit; Finances operations never ask for more than 180 days."""
    w = scope.window
    start = w.start - timedelta(days=spec.lookback_days)
    if not spec.max_request_days:
        return [(start, w.end)]
    cap = timedelta(days=spec.max_span_days) if spec.max_span_days else None
    return list(slices(start, w.end, timedelta(days=spec.max_request_days), cap=cap))


# ---------------------------------------------------------------- one per kind


def _extract_pages(spec: SourceSpec, scope: Scope, reader: SourceReader, lake: LakeTarget) -> list[SourceResult]:
    result = SourceResult(spec.name, scope.seller_id, scope.marketplace_id)
    normaliser = getattr(normalize, spec.normaliser)
    marketplace_id = scope.marketplace_id if spec.scope == registry.MARKETPLACE else None
    records = []
    id_field = spec.natural_key[0]
    for start, end in request_windows(spec, scope):
        for page in reader.pages(spec.operation, start, end, marketplace_id):
            for item in page.records:
                record = _normalise(
                    lambda item=item, rid=page.request_id: _with_request_id(normaliser(item, scope.seller_id), rid),
                    lambda item=item: str(_source_id(item, id_field)),
                    result,
                )
                if record is not None:
                    records.append(record)
    return [_land(scope, spec, records, result, lake)]


def _source_id(item: Mapping[str, Any], lake_key: str) -> Any:
    """The API's own id of a record, for the quarantine (transactionId, FinancialEventGroupId)."""
    for name in ("transactionId", "FinancialEventGroupId", "AmazonOrderId"):
        if name in item:
            return item[name]
    return item.get(lake_key)


def _extract_orders(
    scope: Scope, reader: SourceReader, lake: LakeTarget, *, pii_key: bytes | None, buyer_info: bool
) -> list[SourceResult]:
    """Orders created in the window, and their items; buyer PII hashed before anything lands.

    With buyer_info, a Restricted Data Token brings buyer email and address,
    hashed here; fraud signals link buyers by these hashes. When Amazon refuses
    it (the app lacks the restricted role), the reader falls back to orders
    without buyer fields and says so in `unavailable_data`.
    """
    from acorn.pii import scrub_order

    orders_spec, items_spec = registry.get("orders"), registry.get("order_items")
    result = SourceResult(orders_spec.name, scope.seller_id, scope.marketplace_id)
    items_result = SourceResult(items_spec.name, scope.seller_id, scope.marketplace_id)
    order_records: list[dict[str, Any]] = []
    item_records: list[dict[str, Any]] = []
    for start, end in request_windows(orders_spec, scope):
        for page in reader.order_pages(scope.marketplace_id, start, end, buyer_info=buyer_info):
            for order in page.records:
                result.served += 1
                clean, hashes = scrub_order(order, pii_key)
                try:
                    order_records.append(
                        _with_request_id(normalize.order_record(clean, scope.seller_id, hashes), page.request_id)
                    )
                except (ValueError, TypeError, ArithmeticError) as exc:
                    result.rejected.append(
                        {"record_key": str(order.get("AmazonOrderId")), "rule": "normalisable", "reason": str(exc)}
                    )
                    continue
                for item_page in reader.order_item_pages(clean["AmazonOrderId"]):
                    for item in item_page.records:
                        items_result.served += 1
                        item_records.append(
                            _with_request_id(
                                normalize.order_item_record(item, clean, scope.seller_id), item_page.request_id
                            )
                        )
    result.unavailable_data = [dict(note) for note in reader.unavailable_data]
    _land(scope, orders_spec, order_records, result, lake)
    _land(scope, items_spec, item_records, items_result, lake)
    return [result, items_result]


def _parse_error(report_id: str, error: Any) -> dict[str, Any]:
    """The quarantine record of a flat-file row that failed to parse."""
    return {
        "record_key": f"{report_id}:row{error.row_number}",
        "rule": error.rule,
        "reason": f"column {error.column!r} value {error.value!r}",
    }


def _report_rows(reader: SourceReader, scope: Scope, report_type: str, start, end, result: SourceResult):
    from acorn.spapi import UnknownLayoutError, parse_report

    report = reader.report(report_type, scope.marketplace_id, start, end)
    if report.content is None:  # CANCELLED: Amazon has no data for this window
        return []
    try:
        parsed = parse_report(
            report_type, report.content, encoding=report.encoding, marketplace_id=scope.marketplace_id
        )
    except UnknownLayoutError as exc:
        # An unknown layout is never guessed at: the whole report is quarantined.
        rows = max(0, len(report.content.splitlines()) - 1)
        result.served += rows
        result.rejected.append(
            {"record_key": f"{report.report_id} ({rows} rows)", "rule": "known_layout", "reason": str(exc)}
        )
        return []
    result.rejected.extend(_parse_error(report.report_id, error) for error in parsed.errors)
    result.served += len(parsed.errors)
    return [(row, report.request_id) for row in parsed.rows]


def _extract_report(spec: SourceSpec, scope: Scope, reader: SourceReader, lake: LakeTarget) -> list[SourceResult]:
    result = SourceResult(spec.name, scope.seller_id, scope.marketplace_id)
    normaliser = getattr(normalize, spec.normaliser)
    rows: list[tuple[Mapping[str, Any], str | None]] = []
    for start, end in request_windows(spec, scope):
        rows.extend(_report_rows(reader, scope, spec.operation, start, end, result))
    records = []
    for row, request_id in rows:
        record = _normalise(
            lambda row=row, rid=request_id: _with_request_id(
                normaliser(row, seller_id=scope.seller_id, marketplace_id=scope.marketplace_id), rid
            ),
            lambda row=row: normalize.stable_id(*row.values()),
            result,
        )
        if record is not None:
            records.append(record)
    return [_land(scope, spec, records, result, lake)]


def _extract_settlements(scope: Scope, reader: SourceReader, lake: LakeTarget) -> list[SourceResult]:
    """V2 settlement reports listed in the window (never requested), each downloaded once.

    A settlement is all-or-nothing: if any of its rows fails to parse, neither
    the settlement nor any of its lines lands (its lines must add up to its total).
    """
    from acorn.spapi import parse_report

    settlements_spec, lines_spec = registry.get("settlements"), registry.get("settlement_lines")
    result = SourceResult(settlements_spec.name, scope.seller_id, scope.marketplace_id)
    lines_result = SourceResult(lines_spec.name, scope.seller_id, scope.marketplace_id)
    w = scope.window
    known = lake.landed_settlement_reports(scope.seller_id)
    settlement_rows: list[dict[str, Any]] = []
    line_rows: list[dict[str, Any]] = []
    for report in reader.settlement_reports(w.start, w.end + SETTLEMENT_LISTING_SLACK):
        result.served += 1
        report_id = str(report["reportId"])
        if report_id in known:
            result.landed += 1  # already in the lake: downloaded once, never again
            continue
        document = reader.settlement_document(report)
        default_mp = (report.get("marketplaceIds") or [normalize.REGION_LEVEL])[0]
        known_mp = default_mp if default_mp in marketplaces.BY_ID else None
        parsed = parse_report(REPORT_SETTLEMENT_V2, document.content, encoding=document.encoding, marketplace_id=known_mp)
        if parsed.errors:
            lines_result.rejected.extend(_parse_error(report_id, error) for error in parsed.errors)
            result.rejected.append(
                {"record_key": report_id, "rule": "settlement_complete", "reason": "rows failed to parse"}
            )
            continue
        settlement, lines = normalize.settlement_records(
            parsed.summary,
            parsed.rows,
            seller_id=scope.seller_id,
            default_marketplace_id=default_mp,
            report_id=report_id,
            report_document_id=report.get("reportDocumentId"),
        )
        settlement_rows.append(_with_request_id(settlement, document.request_id))
        line_rows.extend(_with_request_id(line, document.request_id) for line in lines)
        lines_result.served += len(lines)
    _land(scope, lines_spec, line_rows, lines_result, lake)
    _land(scope, settlements_spec, settlement_rows, result, lake)
    return [result, lines_result]


# ---------------------------------------------------------------- cash flow (docs/CASHFLOW.md)


def _serves(reader: SourceReader, method: str, results: list[SourceResult], operation: str) -> bool:
    """Whether the reader serves a cash-flow operation; a world on disk that predates them does not."""
    if callable(getattr(reader, method, None)):
        return True
    for r in results:
        r.notes.append(f"{r.source}: skipped: this reader does not serve {operation}")
    return False


def _extract_balances(scope: Scope, reader: SourceReader, lake: LakeTarget) -> list[SourceResult]:
    """Ending balances of every local day of the window that has ended at the server's present.

    One listBalances request per day (asOfDate=D, marketplaceIds omitted, all
    balance types): a 90-day backfill is 90 requests, about 3 minutes at the
    0.5 rps the client's rate limiter keeps (10 at once from the burst). The
    server's present comes from its Date header, not our clock.
    """
    spec = registry.get("balances")
    result = SourceResult(spec.name, scope.seller_id, scope.marketplace_id)
    if not _serves(reader, "balance_pages", [result], spec.operation):
        return [result]
    now = reader.server_now()
    zones = [marketplaces.BY_ID[m].time_zone for m in plan.account_marketplaces(scope) if m in marketplaces.BY_ID]
    days = plan.balance_days(scope.window, now, zones)
    pending = len(scope.window.days) - len(days)
    if pending:
        result.notes.append(
            f"balances: {pending} day(s) of the window not asked for: their local day had not ended at "
            f"the server's present {now.isoformat()} (a later run asks for them)"
        )
    records: list[dict[str, Any]] = []
    for day in days:
        for page in reader.balance_pages(day):
            for item in page.records:
                rows = _normalise(
                    lambda item=item, day=day: normalize.balance_records(item, seller_id=scope.seller_id, as_of_date=day),
                    lambda item=item, day=day: f"{(item.get('partnerMetadata') or {}).get('marketplaceId')}/{day}",
                    result,
                )
                for row in rows or ():
                    if row["as_of_at"] > now:  # a marketplace outside the account's list, still open
                        result.rejected.append(
                            {
                                "record_key": f"{row['marketplace_id']}/{row['balance_type']}/{day}",
                                "rule": "ending_balance_final",
                                "reason": f"day {day} ends at {row['as_of_at'].isoformat()}, after {now.isoformat()}",
                            }
                        )
                        continue
                    records.append(_with_request_id(row, page.request_id))
    return [_land(scope, spec, records, result, lake)]


def _no_transfers_note(source: str, scope: Scope) -> str:
    codes = ", ".join(marketplaces.TRANSFERS_CODES)
    return (
        f"{source}: skipped: account {scope.seller_id} ({scope.conn_id}) has none of the marketplaces "
        f"the Transfers API serves ({codes})"
    )


def _extract_payouts(scope: Scope, reader: SourceReader, lake: LakeTarget) -> list[SourceResult]:
    """Payouts created in the window (minus a 14-day lookback) and their status history.

    Asked only for the Transfers marketplaces (DE FR IT ES SE NL PL BE); an account
    with none of them skips and says so. A payout that breaks a rule is quarantined
    with its whole history: the history of a payout lands with it or not at all.
    """
    payouts_spec, history_spec = registry.get("payouts"), registry.get("payout_status_history")
    result = SourceResult(payouts_spec.name, scope.seller_id, scope.marketplace_id)
    history_result = SourceResult(history_spec.name, scope.seller_id, scope.marketplace_id)
    results = [result, history_result]
    ids = plan.transfers_marketplaces(scope)
    if not ids:
        result.notes.append(_no_transfers_note("payouts", scope))
        return results
    if not _serves(reader, "payout_pages", results, payouts_spec.operation):
        return results
    payouts: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for start, end in request_windows(payouts_spec, scope):
        for page in reader.payout_pages(ids, start, end):
            for item in page.records:
                normalised = _normalise(
                    lambda item=item: normalize.payout_records(item, scope.seller_id),
                    lambda item=item: str(item.get("id")),
                    result,
                )
                if normalised is None:
                    continue
                payout, entries = normalised
                payouts.append(_with_request_id(payout, page.request_id))
                history.extend(_with_request_id(e, page.request_id) for e in entries)
                history_result.served += len(entries)
    _land(scope, payouts_spec, payouts, result, lake)
    _land(scope, history_spec, history, history_result, lake)
    return results


def _extract_expected_payouts(scope: Scope, reader: SourceReader, lake: LakeTarget) -> list[SourceResult]:
    """Amazon's expected payouts now, one request per Transfers marketplace, keyed by the server's Date.

    A snapshot of the present: taken only when the window reaches the server's
    present (`plan.snapshot_due`), so a backfill of past days skips it, and
    each of its chunks in any order lands the same records as one sequential run.
    """
    spec = registry.get("expected_payouts")
    result = SourceResult(spec.name, scope.seller_id, scope.marketplace_id)
    ids = plan.transfers_marketplaces(scope)
    if not ids:
        result.notes.append(_no_transfers_note("expected_payouts", scope))
        return [result]
    if not _serves(reader, "expected_payout_pages", [result], spec.operation):
        return [result]
    now = reader.server_now()
    w = scope.window
    if not plan.snapshot_due(w, now):
        result.notes.append(
            f"expected_payouts: skipped: the window {w.start.date()}..{w.end.date()} does not reach the "
            f"server's present ({now.date()}); a past day's expected payout cannot be known afterwards"
        )
        return [result]
    records: list[dict[str, Any]] = []
    for marketplace_id in ids:
        pages = list(reader.expected_payout_pages(marketplace_id))
        # The Date header of the answer (whole seconds, as HTTP dates are).
        snapshot_at = reader.server_now().astimezone(UTC).replace(microsecond=0)
        for page in pages:
            for item in page.records:
                record = _normalise(
                    lambda item=item, at=snapshot_at: normalize.expected_payout_record(
                        item, seller_id=scope.seller_id, snapshot_at=at
                    ),
                    lambda item=item, mid=marketplace_id: f"{mid}/{(item.get('period') or {}).get('startDate')}",
                    result,
                )
                if record is not None:
                    records.append(_with_request_id(record, page.request_id))
    return [_land(scope, spec, records, result, lake)]



def extract(
    task: str,
    scope: Scope | Mapping[str, Any],
    reader: SourceReader,
    lake: LakeTarget,
    *,
    pii_key: bytes | None = None,
    buyer_info: bool = True,
) -> dict[str, dict[str, Any]]:
    """Extract one registry task for one scope; returns {source: result} (XCom-sized)."""
    scope = scope if isinstance(scope, Scope) else Scope(**scope)
    spec = registry.get(registry.TASKS_BY_NAME[task].sources[0])
    if spec.kind == registry.PAGES:
        results = _extract_pages(spec, scope, reader, lake)
    elif spec.kind == registry.REPORT:
        results = _extract_report(spec, scope, reader, lake)
    elif spec.kind == registry.ORDERS:
        results = _extract_orders(scope, reader, lake, pii_key=pii_key, buyer_info=buyer_info)
    elif spec.kind == registry.SETTLEMENT:
        results = _extract_settlements(scope, reader, lake)
    elif spec.kind == registry.BALANCES:
        results = _extract_balances(scope, reader, lake)
    elif spec.kind == registry.PAYOUTS:
        results = _extract_payouts(scope, reader, lake)
    elif spec.kind == registry.EXPECTED_PAYOUTS:
        results = _extract_expected_payouts(scope, reader, lake)
    else:  # pragma: no cover - the registry's kinds are closed
        raise ValueError(f"unknown source kind {spec.kind!r}")
    return {r.source: r.to_dict() for r in results}


# ---------------------------------------------------------------- the DAG's entry point


def run_task(task: str, scope_dict: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Extract one task for one scope against the SP-API; called by the DAG's thin tasks.

    A missing role (MissingRoleError) fails the task at once, without retries,
    naming the operation and the role; every failure leaves a record the run
    summary lists (a later successful try removes it).
    """
    from acorn.extract import run
    from acorn.spapi import MissingRoleError

    scope = Scope(**scope_dict)
    try:
        client, credentials = _client(scope)
        pii_key, buyer_info = _pii_settings(task, credentials)
        results = extract(task, scope, ClientReader(client), _lake(), pii_key=pii_key, buyer_info=buyer_info)
    except MissingRoleError as err:
        message = (
            f"{registry.TASKS_BY_NAME[task].task_id} for {scope.seller_id}/{scope.marketplace_id}: "
            f"Amazon refused {err.operation}: the app lacks the {err.role!r} role "
            f"(add it to the app in Seller Central / the developer console, then re-authorise)"
        )
        run.record_failure(scope, task, kind="missing_role", message=message, operation=err.operation, role=err.role)
        from airflow.sdk.exceptions import AirflowFailException

        raise AirflowFailException(message) from err
    except Exception as err:
        run.record_failure(scope, task, kind="error", message=f"{type(err).__name__}: {err}")
        raise
    run.clear_failure(scope, task)
    return results


def _lake() -> LakeDir:
    from acorn.config import load_settings

    settings = load_settings()
    return LakeDir(settings.lake_dir, settings.data_dir)


def _client(scope: Scope):
    from acorn.config import load_settings
    from acorn.extract.run import safe_name
    from acorn.spapi import AuditLog, SpApiClient, load_credentials

    settings = load_settings()
    credentials = load_credentials(scope.conn_id)
    audit = AuditLog(settings.audit_dir / f"{safe_name(scope.run_id)}.jsonl")
    return SpApiClient(credentials, audit=audit), credentials


def _pii_settings(task: str, credentials: Any) -> tuple[bytes | None, bool]:
    """Ask for buyer data unless the connection says the app lacks the PII role."""
    if registry.TASKS_BY_NAME[task].sources[0] != "orders":
        return None, False
    from acorn.pii import MissingPiiKeyError, load_pii_key

    buyer_info = getattr(credentials, "has_pii_role", None) is not False
    try:
        return load_pii_key(), buyer_info
    except MissingPiiKeyError:
        if buyer_info:
            raise  # planning checks this first: only a key removed mid-run gets here
        return None, buyer_info

