"""Deterministic fault switches (counts, never probabilities).

JSON shape, accepted by ``SandboxConfig.faults``, ``SandboxHandle.set_faults``
and ``POST /_sandbox/faults``::

    {"throttle_burst":   {"count": 3, "operation": "listTransactions"},  # next 3 -> 429
     "server_errors":    {"count": 2, "status": 503},                    # next 2 -> 500/503
     "drop_connections": {"count": 1, "operation": "getOrders"},         # close socket, no reply
     "slow_responses":   {"count": 2, "seconds": 0.5},                   # sleep before answering
     "expire_page_tokens": {"count": 1},          # next page token presented -> 400 expired
     "expire_access_tokens": true,                # every token issued so far -> 403 expired
     "expire_access_tokens": {"after_calls": 5},  # ... after 5 more authenticated calls
     "fatal_report_types": ["GET_FBA_REIMBURSEMENTS_DATA"],  # createReport of these -> FATAL
     "expire_document_urls": {"count": 1},          # next download -> 403 "Request has expired"
     "corrupt_records": {"count": 2, "operation": "listTransactions", "kind": "bad_currency"},
                                                  # malformed records (see acorn_sim.sandbox.corrupt)
     "pii_role": false,                           # the app lacks the restricted role: RDTs refused
     "denied_roles": ["Finance and Accounting"],  # operations needing these roles -> 403 Unauthorized
     "reset": true}                               # clear everything first

``pii_role`` and ``denied_roles`` are states, not counts: they hold until
changed (``"pii_role": true``, ``"denied_roles": []``) or reset. They add to
`SandboxConfig.pii_role` / `SandboxConfig.denied_roles`.

A bare integer is shorthand for ``{"count": N}`` (all operations); a list of
specs sets several operations at once. ``operation`` is an SP-API operationId
(or ``"*"``/absent for all). Setting a switch for an operation replaces the
previous count for that operation; ``count: 0`` clears it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from acorn.spapi import roles

logger = logging.getLogger(__name__)

COUNTED_SWITCHES: tuple[str, ...] = (
    "throttle_burst",
    "server_errors",
    "drop_connections",
    "slow_responses",
    "expire_page_tokens",
    "corrupt_records",
    "expire_document_urls",
)
ALL_SWITCHES: tuple[str, ...] = (
    *COUNTED_SWITCHES,
    "expire_access_tokens",
    "fatal_report_types",
    "pii_role",
    "denied_roles",
    "reset",
)
KNOWN_ROLES: frozenset[str] = frozenset(roles.OPERATION_ROLES.values()) | frozenset(roles.REPORT_TYPE_ROLES.values())


class FaultSpecError(ValueError):
    pass


@dataclass(frozen=True)
class Fault:
    """One fault that fired for a request."""

    switch: str
    operation: str
    params: dict[str, Any]


def _normalise(switch: str, value: Any) -> list[dict[str, Any]]:
    if isinstance(value, bool):
        raise FaultSpecError(f"{switch}: expected a count or an object, got {value!r}")
    if isinstance(value, int):
        return [{"count": value}]
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        out: list[dict[str, Any]] = []
        for item in value:
            out.extend(_normalise(switch, item))
        return out
    raise FaultSpecError(f"{switch}: unsupported value {value!r}")


class FaultState:
    """Thread-safe counters behind the fault switches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # switch -> operation ("*" = any) -> remaining count + params
        self._counted: dict[str, dict[str, dict[str, Any]]] = {s: {} for s in COUNTED_SWITCHES}
        self.fatal_report_types: frozenset[str] = frozenset()
        self.pii_role = True
        self.denied_roles: frozenset[str] = frozenset()

    def reset(self) -> None:
        with self._lock:
            self._counted = {s: {} for s in COUNTED_SWITCHES}
            self.fatal_report_types = frozenset()
            self.pii_role = True
            self.denied_roles = frozenset()

    def apply(self, switches: dict[str, Any]) -> None:
        """Apply counted switches and fatal_report_types (token expiry is the server's)."""
        unknown = set(switches) - set(ALL_SWITCHES)
        if unknown:
            raise FaultSpecError(f"unknown fault switch(es): {sorted(unknown)}")
        if switches.get("reset"):
            self.reset()
        with self._lock:
            for switch in COUNTED_SWITCHES:
                if switch not in switches:
                    continue
                for spec in _normalise(switch, switches[switch]):
                    count = int(spec.get("count", 1))
                    operation = str(spec.get("operation") or "*")
                    params = {k: v for k, v in spec.items() if k not in ("count", "operation")}
                    if switch == "server_errors" and int(params.get("status", 500)) not in (500, 503):
                        raise FaultSpecError("server_errors.status must be 500 or 503")
                    if count <= 0:
                        self._counted[switch].pop(operation, None)
                    else:
                        self._counted[switch][operation] = {"count": count, **params}
            if "fatal_report_types" in switches:
                value = switches["fatal_report_types"] or []
                if isinstance(value, str):
                    value = [value]
                self.fatal_report_types = frozenset(str(v) for v in value)
            if "pii_role" in switches:
                if not isinstance(switches["pii_role"], bool):
                    raise FaultSpecError("pii_role: expected true or false")
                self.pii_role = switches["pii_role"]
            if "denied_roles" in switches:
                value = switches["denied_roles"] or []
                denied = frozenset([value] if isinstance(value, str) else (str(v) for v in value))
                unknown = denied - KNOWN_ROLES
                if unknown:
                    raise FaultSpecError(f"denied_roles: unknown role(s) {sorted(unknown)}; known: {sorted(KNOWN_ROLES)}")
                self.denied_roles = denied
        logger.info("sandbox faults now %s", self.snapshot())

    def take(self, switch: str, operation: str, *, wildcard: bool = True) -> Fault | None:
        """Consume one unit of ``switch`` for ``operation`` (specific before "*")."""
        with self._lock:
            table = self._counted[switch]
            for key in (operation, "*") if wildcard else (operation,):
                entry = table.get(key)
                if entry is None:
                    continue
                entry["count"] -= 1
                if entry["count"] <= 0:
                    del table[key]
                params = {k: v for k, v in entry.items() if k != "count"}
                return Fault(switch, operation, params)
        return None

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            out: dict[str, Any] = {
                s: [{"operation": op, **dict(e)} for op, e in t.items()] for s, t in self._counted.items()
            }
            out["fatal_report_types"] = sorted(self.fatal_report_types)
            out["pii_role"] = self.pii_role
            out["denied_roles"] = sorted(self.denied_roles)
            return out
