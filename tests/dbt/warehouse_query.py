"""Read a built warehouse from the tests."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path


def queries(db: Path, sqls: Sequence[str]) -> list[list[list[str]]]:
    """Rows of each of `sqls` as strings, read in one fresh interpreter with a read-only
    connection (dbt's in-process DuckDB connection holds the file and is configured differently)."""
    code = (
        "import duckdb, json, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(json.dumps([[[str(v) for v in r] for r in con.execute(q).fetchall()] for q in sys.argv[2:]]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db), *sqls], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def query(db: Path, sql: str) -> list[list[str]]:
    """Rows of `sql` as strings (`queries` of one statement)."""
    [rows] = queries(db, [sql])
    return rows
