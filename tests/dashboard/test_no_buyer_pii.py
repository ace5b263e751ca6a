"""No buyer PII in clear text: the warehouse, the exports and the risk model files hold
none of the e-mails, names, street lines or phone numbers the world served under a
Restricted Data Token (the extraction hashes them), nor anything shaped like an e-mail."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

pytestmark = pytest.mark.e2e

EMAIL = re.compile(rb"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def served_pii(world_dir: Path) -> set[str]:
    """Every restricted value the sandbox world serves, from its order_pii files."""
    values: set[str] = set()
    for path in world_dir.rglob("order_pii.parquet"):
        for text in pq.read_table(path, columns=["pii_json"]).column("pii_json").to_pylist():
            pii = json.loads(text)
            buyer, address = pii.get("BuyerInfo") or {}, pii.get("ShippingAddress") or {}
            values |= {buyer.get("BuyerEmail"), buyer.get("BuyerName"), address.get("Name"),
                       address.get("AddressLine1"), address.get("Phone")}  # fmt: skip
    return {v for v in values if v and len(v) >= 6}


def test_the_world_serves_pii_to_look_for(built):
    pii = served_pii(built.world_dir)
    assert any("@" in v for v in pii) and len(pii) > 100


def test_no_warehouse_column_holds_buyer_pii(built):
    pii = sorted(served_pii(built.world_dir))
    con = duckdb.connect(str(built.duckdb_path), read_only=True)
    try:
        con.execute("create temp table pii as select unnest(?) as value", [pii])
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns"
            " where data_type = 'VARCHAR' and table_catalog <> 'temp'"
            " and table_schema not in ('information_schema', 'pg_catalog')"
        ).fetchall()
        assert len(columns) > 100
        found = []
        for schema, table, column in columns:
            q = f'"{schema}"."{table}"."{column}"'
            hits = con.execute(
                f'select count(*) from "{schema}"."{table}" where regexp_matches({q}, \'[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\\.\')'
                f" or {q} in (select value from pii)"
            ).fetchone()[0]  # fmt: skip
            if hits:
                found.append((schema, table, column, hits))
        # Free text (payload JSON) could carry a value inside a longer string.
        for schema, table, column in columns:
            if column == "payload_json":
                q = f'"{schema}"."{table}"."{column}"'
                hit = con.execute(
                    f'select count(*) from "{schema}"."{table}" t, pii where contains(t."{column}", pii.value)'
                ).fetchone()[0]
                if hit:
                    found.append((schema, table, column, hit))
    finally:
        con.close()
    assert not found, found


def holds_any(data: bytes, values: list[bytes]) -> bool:
    """`any(v in data for v in values)` for thousands of values of 6 bytes or more, in one
    pass: the positions where some value's first 6 bytes start (numpy), then those values
    compared there."""
    import numpy as np

    assert all(len(v) >= 6 for v in values)
    if len(data) < 6 or not values:
        return False
    by_prefix: dict[bytes, list[bytes]] = {}
    for v in values:
        by_prefix.setdefault(v[:6], []).append(v)
    raw = np.frombuffer(data, dtype=np.uint8).astype(np.uint64)
    windows = sum(raw[k : len(raw) - 5 + k] << np.uint64(8 * k) for k in range(6))
    prefixes = np.array([int.from_bytes(p, "little") for p in by_prefix], dtype=np.uint64)
    starts = np.flatnonzero(np.isin(windows, prefixes))
    return any(data.startswith(v, i) for i in starts.tolist() for v in by_prefix[data[i : i + 6]])


def files_under(*roots: Path) -> list[Path]:
    return [p for root in roots for p in root.rglob("*") if p.is_file()]


def test_no_export_or_risk_model_file_holds_buyer_pii(built):
    pii = [v.encode() for v in served_pii(built.world_dir)]
    risk_files = files_under(built.root / "risk")
    assert any(p.suffix == ".joblib" for p in risk_files), "no model artefact was written"
    assert any(p.suffix == ".parquet" for p in risk_files), "no score file was written"
    found = []
    for path in files_under(built.exports_dir) + risk_files:
        data = path.read_bytes()
        if path.suffix == ".joblib":
            # The trees' float arrays hold "x@y.z"-like bytes by chance: scan the text values
            # inside the artefact for the pattern, its bytes for the served values.
            from acorn.risk.model import artefact_strings

            version = path.stem.split("-", 1)[1]
            if holds_any(data, pii) or EMAIL.search("\n".join(artefact_strings(path.parent.parent, version)).encode()):
                found.append(str(path))
            continue
        if path.suffix == ".parquet":
            # Parquet pages may be compressed: compare the decoded values instead.
            data = json.dumps(pq.read_table(path).to_pylist(), default=str).encode()
        if EMAIL.search(data) or holds_any(data, pii):
            found.append(str(path))
    assert not found, found
