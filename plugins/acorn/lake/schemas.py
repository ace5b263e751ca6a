"""The pyarrow lake schemas, built from the columns each source declares in `acorn.sources`.

The registry holds every fact about a source (columns, natural key, partition
date, ...); this module only maps its column types to pyarrow, so the registry
itself stays importable at DAG parse time without pyarrow.
"""

from __future__ import annotations

import functools

import pyarrow as pa

from acorn import sources as registry
from acorn.sources import SourceSpec

MONEY = pa.decimal128(20, 4)  # exact; wide enough for JPY totals and 4-dp FX-converted amounts
TS = pa.timestamp("us", tz="UTC")

TYPES: dict[str, pa.DataType] = {
    registry.STR: pa.string(),
    registry.INT: pa.int64(),
    registry.BOOL: pa.bool_(),
    registry.MONEY: MONEY,
    registry.TS: TS,
}

# A lake source is its registry entry (name, schema, natural_key, date_field, ...).
LakeSource = SourceSpec


@functools.cache
def schema_of(columns: tuple[tuple[str, str], ...]) -> pa.Schema:
    return pa.schema([pa.field(name, TYPES[kind]) for name, kind in columns])


ALL_SOURCES: dict[str, SourceSpec] = dict(registry.BY_NAME)

# Module-level names for callers that name one source.
TRANSACTIONS = ALL_SOURCES["transactions"]
FINANCIAL_EVENT_GROUPS = ALL_SOURCES["financial_event_groups"]
ORDERS = ALL_SOURCES["orders"]
ORDER_ITEMS = ALL_SOURCES["order_items"]
SETTLEMENTS = ALL_SOURCES["settlements"]
SETTLEMENT_LINES = ALL_SOURCES["settlement_lines"]
FBA_RETURNS = ALL_SOURCES["fba_returns"]
MFN_RETURNS = ALL_SOURCES["mfn_returns"]
REIMBURSEMENTS = ALL_SOURCES["reimbursements"]
