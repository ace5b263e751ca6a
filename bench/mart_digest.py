"""A digest of every mart in a warehouse file: rows, columns and a sha256 per table.

Used to show a refactor leaves the marts unchanged: record the digest before, compare after
(`--compare BEFORE.json`; lineage columns such as `_warehouse_loaded_at` are left out; only the columns the earlier digest had are compared, so a new
column does not hide a changed one).

    python bench/mart_digest.py data/warehouse/acorn.duckdb > before.json
    python bench/mart_digest.py data/warehouse/acorn.duckdb --compare before.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys


def table_digest(con, table: str, columns: list[str]) -> dict:
    cols = ", ".join(f'"{c}"' for c in columns)
    rows = con.execute(f'select {cols} from marts."{table}" order by {cols}').fetchall()
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode())
    return {"rows": len(rows), "columns": columns, "sha256": digest.hexdigest()}


def mart_digest(duckdb_path: str, only_columns: dict[str, list[str]] | None = None) -> dict:
    import duckdb

    con = duckdb.connect(duckdb_path, read_only=True)
    tables = [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
    out = {}
    for table in tables:
        columns = [r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ? "
            "order by ordinal_position", [table]).fetchall() if not r[0].startswith("_")]  # lineage: per build
        if only_columns is not None:
            if table not in only_columns:
                continue
            columns = [c for c in only_columns[table] if c in columns]
        out[table] = table_digest(con, table, columns)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("duckdb_path")
    parser.add_argument("--compare", help="a digest recorded earlier")
    args = parser.parse_args(argv)
    if not args.compare:
        print(json.dumps(mart_digest(args.duckdb_path), indent=1))
        return 0
    before = json.load(open(args.compare))
    now = mart_digest(args.duckdb_path, {t: d["columns"] for t, d in before.items()})
    differ = False
    for table, expected in before.items():
        got = now.get(table)
        same = got == expected
        differ |= not same
        print(f"{table:45} {'identical' if same else 'DIFFERS'} ({expected['rows']} rows before, "
              f"{got['rows'] if got else 'none'} after)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
