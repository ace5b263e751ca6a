"""Compare lakes by their records, ignoring which run wrote them."""

from __future__ import annotations

import json
from pathlib import Path

from acorn.lake import writer
from acorn.lake.schemas import ALL_SOURCES

METADATA = {writer.RUN_ID, writer.REQUEST_ID}


def records(lake_dir: Path) -> dict[str, list[str]]:
    """source -> sorted canonical JSON of every record (metadata columns left out)."""
    out: dict[str, list[str]] = {}
    for name, source in ALL_SOURCES.items():
        rows = writer.read_source(lake_dir, name, source.schema).to_pylist()
        out[name] = sorted(
            json.dumps({k: v for k, v in row.items() if k not in METADATA}, sort_keys=True, default=str) for row in rows
        )
    return out


def counts(snapshot: dict[str, list[str]]) -> dict[str, int]:
    return {k: len(v) for k, v in snapshot.items()}


def assert_same_records(actual: dict[str, list[str]], expected: dict[str, list[str]]) -> None:
    """Equal record sets per source; on failure, show what differs (a few records each way)."""
    problems = []
    for source in sorted(set(actual) | set(expected)):
        a, e = actual.get(source, []), expected.get(source, [])
        if a == e:
            continue
        extra = sorted(set(a) - set(e))[:2]
        missing = sorted(set(e) - set(a))[:2]
        problems.append(f"{source}: {len(a)} vs {len(e)} records; unexpected {extra}; missing {missing}")
    assert not problems, "\n".join(problems)
