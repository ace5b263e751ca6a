"""Compare warehouses by the full contents of their marts, read back from the DuckDB file."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

SCHEMA = "marts"

# Runs in a fresh interpreter: dbt-duckdb configures its in-process connections
# differently, and a read-only connection there cannot clash with the build's.
_READ = """
import duckdb, json, sys
con = duckdb.connect(sys.argv[1], read_only=True)
out = {}
tables = con.execute(
    "select table_name from information_schema.tables where table_schema = ? order by table_name", [sys.argv[2]]
).fetchall()
for (table,) in tables:
    rel = con.sql(f'select * from "{sys.argv[2]}"."{table}"')
    # Lineage (underscore columns: when the build wrote a row, which SP-API request a line
    # came from, new on every re-extraction) is bookkeeping, not content; bench/mart_digest.py
    # leaves it out the same way.
    keep = [f'"{c}"' for c in rel.columns if not c.startswith("_")]
    rel = con.sql(f'select {", ".join(keep)} from "{sys.argv[2]}"."{table}" order by all')
    rows = [["NULL" if v is None else str(v) for v in row] for row in rel.fetchall()]
    out[table] = {"columns": [f"{c} {t}" for c, t in zip(rel.columns, map(str, rel.types))], "rows": rows}
print(json.dumps(out))
"""


class Table(NamedTuple):
    columns: tuple[str, ...]  # "name TYPE"
    rows: list[tuple[str, ...]]  # every row, values rendered as strings (NULL for null), sorted


def marts(duckdb_path: str | Path, schema: str = SCHEMA) -> dict[str, Table]:
    """table -> its columns and every row (as strings, sorted), for every table of the schema."""
    proc = subprocess.run(
        [sys.executable, "-c", _READ, str(duckdb_path), schema], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"could not read {schema} from {duckdb_path}:\n{proc.stderr[-2000:]}")
    raw = json.loads(proc.stdout)
    return {name: Table(tuple(t["columns"]), sorted(tuple(r) for r in t["rows"])) for name, t in raw.items()}


def differences(actual: dict[str, Table], expected: dict[str, Table], *, show: int = 3) -> list[str]:
    """What differs, per table: columns, row counts, and the first rows only one side has."""
    problems = []
    for name in sorted(set(actual) | set(expected)):
        if name not in actual or name not in expected:
            problems.append(f"{name}: only in {'actual' if name in actual else 'expected'}")
            continue
        a, e = actual[name], expected[name]
        if a == e:
            continue
        if a.columns != e.columns:
            only_a = [c for c in a.columns if c not in e.columns]
            only_e = [c for c in e.columns if c not in a.columns]
            detail = (
                f"only in actual {only_a}, only in expected {only_e}"
                if only_a or only_e
                else "same, reordered"
            )
            problems.append(f"{name}: columns differ: {detail}")
            continue
        extra = sorted((Counter(a.rows) - Counter(e.rows)).elements())
        missing = sorted((Counter(e.rows) - Counter(a.rows)).elements())
        lines = [
            f"{name}: {len(a.rows)} rows vs {len(e.rows)} expected; {len(extra)} unexpected, {len(missing)} missing"
        ]
        lines += [
            f"  unexpected: {_render(a.columns, row, other)}" for row, other in _paired(extra, missing, show)
        ]
        lines += [
            f"  missing:    {_render(e.columns, row, other)}" for row, other in _paired(missing, extra, show)
        ]
        problems.append("\n".join(lines))
    return problems


def assert_same_marts(actual: dict[str, Table], expected: dict[str, Table], what: str = "marts") -> None:
    assert actual, f"{what}: no table in schema {SCHEMA}"
    problems = differences(actual, expected)
    assert not problems, f"{what} differ:\n" + "\n".join(problems)


def _paired(rows: list[tuple[str, ...]], others: list[tuple[str, ...]], show: int):
    """Each of the first rows with the row of the other side it is closest to (most equal columns)."""
    for row in rows[:show]:
        closest = max(others, key=lambda o: sum(x == y for x, y in zip(row, o, strict=True)), default=None)
        yield row, closest


def _render(
    columns: tuple[str, ...], row: tuple[str, ...], other: tuple[str, ...] | None, lead: int = 4
) -> str:
    """The row as name=value. Against the closest row of the other side: its first `lead`
    columns (the grain, by convention) and the columns that differ, marked *name=value*."""
    differ = {i for i, value in enumerate(row) if other is not None and other[i] != value}
    keep = range(len(row)) if other is None else sorted(set(range(min(lead, len(row)))) | differ)
    cells = [f"*{columns[i].split(' ', 1)[0]}={row[i]}*" if i in differ else f"{columns[i].split(' ', 1)[0]}={row[i]}"
             for i in keep]  # fmt: skip
    hidden = len(row) - len(keep)
    return ", ".join(cells) + (f" (+{hidden} equal columns)" if hidden else "")
