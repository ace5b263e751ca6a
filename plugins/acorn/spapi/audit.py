"""Append-only JSON-lines audit trail of every HTTP call the client makes.

One line per attempt (retries and LWA token calls included). The record holds
only what proves what was fetched and when: operation, time, request id,
status, attempt, rate-limit header, sha256 of the response bytes, marketplace
and duration. It never holds URLs, query strings, headers, tokens, secrets or
response bodies (which may contain buyer PII).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

FIELDS = (
    "operation", "timestamp", "request_id", "status", "attempt", "rate_limit",
    "sha256", "marketplace", "duration_ms", "outcome",
)  # fmt: skip


@dataclass(frozen=True)
class AuditRecord:
    operation: str
    timestamp: str  # UTC ISO 8601
    request_id: str | None
    status: int | None  # None when no response arrived (timeout, reset)
    attempt: int
    rate_limit: str | None  # raw x-amzn-RateLimit-Limit value
    sha256: str | None  # of the raw response payload bytes
    marketplace: str | None
    duration_ms: float
    outcome: str  # ok | retry | error | refresh_token | <exception class>


class AuditLog:
    """Thread-safe JSON-lines sink; keeps records in memory too when `path` is None.

    Args:
        path: file to append to (parent directories are created).
        keep_in_memory: also keep the records in `records` (handy in tests).
    """

    def __init__(self, path: str | Path | None = None, *, keep_in_memory: bool | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._keep = keep_in_memory if keep_in_memory is not None else self.path is None
        self._lock = threading.Lock()
        self.records: list[dict[str, Any]] = []
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)

    def record(self, entry: AuditRecord | Mapping[str, Any]) -> None:
        row = asdict(entry) if isinstance(entry, AuditRecord) else {k: entry.get(k) for k in FIELDS}
        line = json.dumps(row, sort_keys=True, default=str)
        with self._lock:
            if self._keep:
                self.records.append(row)
            if self.path is not None:
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(line + "\n")

    def read(self) -> list[dict[str, Any]]:
        """All records written so far (from the file when there is one)."""
        if self.path is None or not self.path.exists():
            with self._lock:
                return list(self.records)
        with self.path.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
