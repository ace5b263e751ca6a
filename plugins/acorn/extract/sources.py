"""Extract one source for one scope into the lake. Called by thin DAG tasks.

Each function: open a client for the scope's connection, read the window from
the SP-API, normalise, merge into the lake partitions of the window, and
return a small summary (XCom-sized). A record that breaks a rule is not
written to the lake; it is returned in the summary's `rejected` list so the
caller can quarantine it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from acorn import marketplaces
from acorn.config import load_settings
from acorn.extract.plan import Scope
from acorn.lake import schemas, writer
from acorn.transform import normalize

log = logging.getLogger(__name__)

REPORT_FBA_RETURNS = "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"
REPORT_MFN_RETURNS = "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"
REPORT_REIMBURSEMENTS = "GET_FBA_REIMBURSEMENTS_DATA"
REPORT_SETTLEMENT_V2 = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
MFN_RETURNS_MAX_DAYS = 60  # Amazon's limit per request for returns by return date


# Report rows carry the report they came from (documents have no SP-API request id).
_PROVENANCE = "_report_ref"


def _with_request_id(record: dict[str, Any], request_id: str | None) -> dict[str, Any]:
    """Every lake row names the request (page) or report it came from."""
    record[writer.REQUEST_ID] = request_id
    return record


@dataclass
class SourceResult:
    source: str
    seller_id: str
    marketplace_id: str
    served: int = 0  # records the API handed us
    landed: int = 0  # records merged into the lake
    rejected: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "seller_id": self.seller_id,
            "marketplace_id": self.marketplace_id,
            "served": self.served,
            "landed": self.landed,
            "rejected": self.rejected,
        }


def _client(scope: Scope):
    from acorn.spapi import AuditLog, SpApiClient, load_credentials

    settings = load_settings()
    audit = AuditLog(settings.audit_dir / f"{_safe(scope.run_id)}.jsonl")
    return SpApiClient(load_credentials(scope.conn_id), audit=audit)


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)


def _land(
    scope: Scope,
    source: schemas.LakeSource,
    records: Iterable[Mapping[str, Any]],
    result: SourceResult,
) -> SourceResult:
    """Validate at the boundary, then merge the good records into the lake.

    Exact duplicates (the same record served twice by overlapping pages) collapse
    first; records that break a rule go to `result.rejected` for the quarantine.
    One atomic rewrite per partition.
    """
    from acorn.quality.suites import BatchContext
    from acorn.quality.validate import validate_batch

    settings = load_settings()
    unique: dict[str, dict[str, Any]] = {}
    for record in records:
        # The same record served twice (overlapping pages) collapses whatever request carried it.
        content = {k: v for k, v in record.items() if k not in (writer.REQUEST_ID, writer.RUN_ID)}
        unique.setdefault(normalize.canonical_json(content), dict(record))
    batch = list(unique.values())
    w = scope.window
    outcome = validate_batch(
        batch,
        BatchContext(source, scope.marketplace_id, w.start, w.end),
        key_of=lambda r: "/".join(str(r.get(k)) for k in source.natural_key),
    )
    result.rejected.extend(outcome.rejected)
    _keep_validation_result(settings, scope, source.name, outcome.result)
    good = []
    for row in outcome.good:
        row.setdefault(writer.RUN_ID, scope.run_id)
        row.setdefault(writer.REQUEST_ID, None)
        good.append(row)
    for key, rows in writer.group_by_partition(good, source.name, date_field=source.date_field).items():
        writer.merge_partition(settings.lake_dir, key, rows, source.schema, source.natural_key)
    result.landed += len(good)
    return result


def _keep_validation_result(settings, scope: Scope, source_name: str, result: Mapping[str, Any]) -> None:
    from acorn.extract.run import write_json_atomic

    name = f"{source_name}__{scope.seller_id}__{scope.marketplace_id}.json"
    write_json_atomic(settings.data_dir / "quality" / _safe(scope.run_id) / name, result)


def _normalise_each(
    source_name: str,
    items: Iterable[Any],
    fn: Callable[[Any], dict[str, Any]],
    key_of: Callable[[Any], str],
    result: SourceResult,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        result.served += 1
        try:
            out.append(fn(item))
        except (ValueError, TypeError, ArithmeticError, KeyError) as exc:
            result.rejected.append(
                {"record_key": key_of(item), "rule": "normalisable", "reason": str(exc)}
            )
    return out


def extract_transactions(scope_dict: Mapping[str, Any]) -> dict[str, Any]:
    scope = Scope(**scope_dict)
    result = SourceResult("transactions", scope.seller_id, scope.marketplace_id)
    client = _client(scope)
    w = scope.window
    txns = client.list_transactions(w.start, w.end, marketplace_id=scope.marketplace_id)
    records = _normalise_each(
        "transactions",
        txns,
        lambda t: _with_request_id(normalize.transaction_record(t, scope.seller_id), client.request_id_of(t)),
        lambda t: str(t.get("transactionId")),
        result,
    )
    return _land(scope, schemas.TRANSACTIONS, records, result).to_dict()


def extract_financial_event_groups(scope_dict: Mapping[str, Any]) -> dict[str, Any]:
    scope = Scope(**scope_dict)
    result = SourceResult("financial_event_groups", scope.seller_id, scope.marketplace_id)
    client = _client(scope)
    w = scope.window
    # A group that started before the window can close inside it: look back one cycle.
    groups = client.list_financial_event_groups(w.start - timedelta(days=14), w.end)
    records = _normalise_each(
        "financial_event_groups",
        groups,
        lambda g: _with_request_id(normalize.financial_event_group_record(g, scope.seller_id), client.request_id_of(g)),
        lambda g: str(g.get("FinancialEventGroupId")),
        result,
    )
    return _land(scope, schemas.FINANCIAL_EVENT_GROUPS, records, result).to_dict()


def extract_orders(scope_dict: Mapping[str, Any]) -> dict[str, Any]:
    """Orders created in the window, and their items; buyer PII hashed before anything lands."""
    from acorn.pii import load_pii_key, scrub_order

    scope = Scope(**scope_dict)
    key = load_pii_key()
    result = SourceResult("orders", scope.seller_id, scope.marketplace_id)
    items_result = SourceResult("order_items", scope.seller_id, scope.marketplace_id)
    client = _client(scope)
    w = scope.window
    order_records: list[dict[str, Any]] = []
    item_records: list[dict[str, Any]] = []
    # buyer_info=True: a Restricted Data Token brings buyer email and address, hashed
    # below before anything is written; fraud signals link buyers by these hashes.
    orders = client.get_orders([scope.marketplace_id], created_after=w.start, created_before=w.end, buyer_info=True)
    for order in orders:
        result.served += 1
        clean, hashes = scrub_order(order, key)
        try:
            order_records.append(
                _with_request_id(normalize.order_record(clean, scope.seller_id, hashes), client.request_id_of(order))
            )
        except (ValueError, TypeError, ArithmeticError) as exc:
            result.rejected.append(
                {"record_key": str(order.get("AmazonOrderId")), "rule": "normalisable", "reason": str(exc)}
            )
            continue
        for item in client.get_order_items(clean["AmazonOrderId"]):
            items_result.served += 1
            item_records.append(
                _with_request_id(normalize.order_item_record(item, clean, scope.seller_id), client.request_id_of(item))
            )
    _land(scope, schemas.ORDERS, order_records, result)
    _land(scope, schemas.ORDER_ITEMS, item_records, items_result)
    return {"orders": result.to_dict(), "order_items": items_result.to_dict()}


def _report_rows(client, scope: Scope, report_type: str, start, end, result: SourceResult):
    from acorn.spapi import UnknownLayoutError, parse_report

    report = client.fetch_report(report_type, [scope.marketplace_id], start, end)
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
    for error in parsed.errors:
        result.rejected.append(
            {
                "record_key": f"{report.report_id}:row{error.row_number}",
                "rule": error.rule,
                "reason": f"column {error.column!r} value {error.value!r}",
            }
        )
    result.served += len(parsed.errors)
    return [{**row, _PROVENANCE: f"report:{report.report_id}"} for row in parsed.rows]


def _extract_report(scope_dict, source: schemas.LakeSource, report_type: str, normaliser, max_days: int | None):
    scope = Scope(**scope_dict)
    result = SourceResult(source.name, scope.seller_id, scope.marketplace_id)
    client = _client(scope)
    w = scope.window
    chunks = [(w.start, w.end)]
    if max_days:
        chunks, cursor = [], w.start
        while cursor < w.end:
            chunk_end = min(cursor + timedelta(days=max_days), w.end)
            chunks.append((cursor, chunk_end))
            cursor = chunk_end
    rows: list[Mapping[str, Any]] = []
    for start, end in chunks:
        rows.extend(_report_rows(client, scope, report_type, start, end, result))
    records = _normalise_each(
        source.name,
        rows,
        lambda r: _with_request_id(
            normaliser(r, seller_id=scope.seller_id, marketplace_id=scope.marketplace_id), r.get(_PROVENANCE)
        ),
        lambda r: normalize.stable_id(*r.values()),
        result,
    )
    return _land(scope, source, records, result).to_dict()


def extract_fba_returns(scope_dict: Mapping[str, Any]) -> dict[str, Any]:
    return _extract_report(scope_dict, schemas.FBA_RETURNS, REPORT_FBA_RETURNS, normalize.fba_return_record, None)


def extract_mfn_returns(scope_dict: Mapping[str, Any]) -> dict[str, Any]:
    return _extract_report(
        scope_dict, schemas.MFN_RETURNS, REPORT_MFN_RETURNS, normalize.mfn_return_record, MFN_RETURNS_MAX_DAYS
    )


def extract_reimbursements(scope_dict: Mapping[str, Any]) -> dict[str, Any]:
    return _extract_report(
        scope_dict, schemas.REIMBURSEMENTS, REPORT_REIMBURSEMENTS, normalize.reimbursement_record, None
    )


def extract_settlements(scope_dict: Mapping[str, Any]) -> dict[str, Any]:
    """V2 settlement reports listed in the window (never requested), each downloaded once."""
    from acorn.spapi import parse_report

    scope = Scope(**scope_dict)
    settings = load_settings()
    result = SourceResult("settlements", scope.seller_id, scope.marketplace_id)
    lines_result = SourceResult("settlement_lines", scope.seller_id, scope.marketplace_id)
    client = _client(scope)
    w = scope.window
    known = _landed_settlement_reports(settings.lake_dir)
    settlement_rows: list[dict[str, Any]] = []
    line_rows: list[dict[str, Any]] = []
    for report in client.list_settlement_reports(w.start, w.end + timedelta(days=3)):
        result.served += 1
        if report["reportId"] in known:
            result.landed += 1  # already in the lake: downloaded once, never again
            continue
        content, encoding = client.download_report(report)  # its marketplace hints the charset
        default_mp = (report.get("marketplaceIds") or [normalize.REGION_LEVEL])[0]
        known_mp = default_mp if default_mp in marketplaces.BY_ID else None
        parsed = parse_report(REPORT_SETTLEMENT_V2, content, encoding=encoding, marketplace_id=known_mp)
        if parsed.errors:
            for error in parsed.errors:
                lines_result.rejected.append(
                    {
                        "record_key": f"{report['reportId']}:row{error.row_number}",
                        "rule": error.rule,
                        "reason": f"column {error.column!r} value {error.value!r}",
                    }
                )
            # A settlement is all-or-nothing: its lines must add up to its total.
            result.rejected.append(
                {"record_key": report["reportId"], "rule": "settlement_complete", "reason": "rows failed to parse"}
            )
            continue
        settlement, lines = normalize.settlement_records(
            parsed.summary,
            parsed.rows,
            seller_id=scope.seller_id,
            default_marketplace_id=default_mp,
            report_id=report["reportId"],
            report_document_id=report["reportDocumentId"],
        )
        provenance = f"report:{report['reportId']}"
        settlement_rows.append(_with_request_id(settlement, provenance))
        line_rows.extend(_with_request_id(line, provenance) for line in lines)
        lines_result.served += len(lines)
    _land(scope, schemas.SETTLEMENT_LINES, line_rows, lines_result)
    _land(scope, schemas.SETTLEMENTS, settlement_rows, result)
    return {"settlements": result.to_dict(), "settlement_lines": lines_result.to_dict()}


def _landed_settlement_reports(lake_dir) -> set[str]:
    table = writer.read_source(lake_dir, "settlements", schemas.SETTLEMENTS.schema)
    return set(table.column("report_id").to_pylist()) if table.num_rows else set()
