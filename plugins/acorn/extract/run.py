"""Run-level helpers for the extraction DAG: configuration checks, planning, failures and the summary."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from airflow.sdk.exceptions import AirflowFailException

from acorn import sources as registry
from acorn.config import load_settings
from acorn.extract.plan import Scope, extraction_window, plan_scopes

log = logging.getLogger(__name__)


class TooManyBadRecordsError(RuntimeError):
    pass


class ExtractionFailedError(AirflowFailException):
    """Some sources did not land; the summary lists which and why. No retry changes that."""


def safe_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)


# ---------------------------------------------------------------- configuration


def check_configuration() -> list[str]:
    """Fail once, before any extraction, on what no retry can fix.

    A malformed `spapi_*` connection, or no PII hash key while some connection
    will ask for buyer data (its `extra.pii_role` is not false). Raises
    AirflowFailException (no retries); returns the connection ids otherwise.
    """
    try:
        return validate_configuration()
    except ConfigurationProblem as err:
        raise AirflowFailException(str(err)) from err


class ConfigurationProblem(ValueError):
    pass


def validate_configuration() -> list[str]:
    """The checks of `check_configuration`, raising ConfigurationProblem (also `make run`'s first step)."""
    from acorn.pii import MissingPiiKeyError, load_pii_key
    from acorn.spapi import ConfigurationError, CredentialsError, discover_connections, load_credentials

    conn_ids = list(discover_connections())
    if not conn_ids:
        raise ConfigurationProblem("no spapi_* connection is defined (set AIRFLOW_CONN_SPAPI_NA, ...)")
    askers = []
    for conn_id in conn_ids:
        try:
            credentials = load_credentials(conn_id)
        except (ConfigurationError, CredentialsError) as err:
            raise ConfigurationProblem(f"connection {conn_id!r} is malformed: {err}") from err
        if getattr(credentials, "has_pii_role", None) is not False:
            askers.append(conn_id)
    if askers:
        try:
            load_pii_key()
        except MissingPiiKeyError as err:
            raise ConfigurationProblem(
                f"{err}; it is needed because {', '.join(askers)} ask for buyer data "
                "(set extra.pii_role to false on a connection whose app lacks the restricted role)"
            ) from err
    return conn_ids


def plan(
    params: Mapping[str, Any] | None,
    interval_start: datetime | None,
    interval_end: datetime | None,
    run_id: str,
    *,
    per_marketplace: bool,
) -> list[dict[str, Any]]:
    params = params or {}
    window = extraction_window(
        start=params.get("start"),
        end=params.get("end"),
        interval_start=interval_start,
        interval_end=interval_end,
        lookback_days=load_settings().lookback_days,
    )
    return plan_scopes(window, run_id, per_marketplace=per_marketplace)


def scopes_for(task: str, marketplace_scopes: list[dict[str, Any]], account_scopes: list[dict[str, Any]]):
    """The planned scopes a registry task maps over."""
    return marketplace_scopes if registry.TASKS_BY_NAME[task].scope == registry.MARKETPLACE else account_scopes


# ---------------------------------------------------------------- failures


def _failure_dir(run_id: str) -> Path:
    return load_settings().data_dir / "run" / safe_name(run_id) / "failures"


def _failure_path(scope: Scope, task: str) -> Path:
    # The connection is part of the name: a seller's account-level scopes (marketplace ALL)
    # are one per region connection.
    name = "__".join(safe_name(p) for p in (task, scope.conn_id, scope.seller_id, scope.marketplace_id))
    return _failure_dir(scope.run_id) / f"{name}.json"


def record_failure(scope: Scope, task: str, *, kind: str, message: str, **extra: Any) -> None:
    """What an extract task leaves behind when it fails, for the run summary."""
    record = {
        "task_id": registry.TASKS_BY_NAME[task].task_id,
        "sources": list(registry.TASKS_BY_NAME[task].sources),
        "conn_id": scope.conn_id,
        "seller_id": scope.seller_id,
        "marketplace_id": scope.marketplace_id,
        "kind": kind,
        "message": message,
        **extra,
    }
    write_json_atomic(_failure_path(scope, task), record)


def clear_failure(scope: Scope, task: str) -> None:
    _failure_path(scope, task).unlink(missing_ok=True)


def read_failures(run_id: str) -> list[dict[str, Any]]:
    folder = _failure_dir(run_id)
    if not folder.is_dir():
        return []
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


# ---------------------------------------------------------------- summary


def flatten_results(results: Iterable[Any]) -> list[dict[str, Any]]:
    """Task results are a {source: SourceResult dict} (or, from older runs, a bare SourceResult dict)."""
    flat: list[dict[str, Any]] = []
    for group in results:  # one per extract task: its per-scope results
        for item in group or ():
            if item is None:
                continue
            if "source" in item:
                flat.append(dict(item))
            else:
                flat.extend(dict(v) for v in item.values())
    return flat


def unavailable_notes(flat: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Data Amazon refused, once per (operation, data elements, role), with the scopes it hit."""
    notes: dict[tuple, dict[str, Any]] = {}
    for r in flat:
        for note in r.get("unavailable_data") or ():
            key = (note.get("operation"), tuple(note.get("data_elements") or ()), note.get("role"))
            entry = notes.setdefault(key, {**note, "scopes": []})
            entry["scopes"].append(f"{r['seller_id']}/{r['marketplace_id']}")
    return [notes[k] for k in sorted(notes, key=str)]


def skip_notes(flat: Sequence[Mapping[str, Any]]) -> list[str]:
    """What the extract tasks skipped on purpose (a source an account cannot have, a snapshot
    a backfill cannot take), once each, in a stable order."""
    return sorted({note for r in flat for note in r.get("notes") or ()})


def summarize(
    results: Iterable[Any],
    run_id: str,
    *,
    expected: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> dict[str, Any]:
    """Quarantine rejected records, write the run summary, then fail if sources failed or too much was bad.

    Args:
        results: the extract tasks' results (a failed task contributes none).
        run_id: the DAG run.
        expected: task name -> the scopes it was planned for; a planned scope with
            no result and no failure record is listed as failed too.
    """
    if expected is not None and any(scopes is None for scopes in expected.values()):
        # all_done runs this task even when planning failed; the run must still fail.
        raise ExtractionFailedError("nothing was extracted: planning failed (see check_configuration / plan_*)")
    settings = load_settings()
    flat = flatten_results(results)
    quarantined = [
        {**rejected, "source": r["source"], "seller_id": r["seller_id"], "marketplace_id": r["marketplace_id"], "run_id": run_id}
        for r in flat
        for rejected in r["rejected"]
    ]
    safe_run = safe_name(run_id)
    if quarantined:
        write_json_atomic(settings.quarantine_dir / f"{safe_run}.json", quarantined)
    rows = [
        {
            "source": r["source"],
            "seller_id": r["seller_id"],
            "marketplace_id": r["marketplace_id"],
            "served": r["served"],
            "landed": r["landed"],
            "quarantined": len(r["rejected"]),
        }
        for r in flat
    ]
    rows.sort(key=lambda r: (r["source"], r["seller_id"], r["marketplace_id"]))
    failures = _failures(run_id, flat, expected)
    unavailable = unavailable_notes(flat)
    notes = skip_notes(flat)
    summary: dict[str, Any] = {"run_id": run_id, "rows": rows}
    if unavailable:
        summary["unavailable_data"] = unavailable
    if notes:
        summary["notes"] = notes
    if failures:
        summary["failed"] = failures
    write_json_atomic(settings.data_dir / "run" / "last_extraction_summary.json", summary)
    for note in unavailable:
        log.warning(
            "data not available: %s %s (%d scopes) — the %r role would unlock it; Amazon said: %s",
            note.get("operation"),
            ", ".join(note.get("data_elements") or ()),
            len(note["scopes"]),
            note.get("role"),
            note.get("reason"),
        )
    for note in notes:
        log.info("%s", note)
    served = sum(r["served"] for r in rows)
    bad = sum(r["quarantined"] for r in rows)
    log.info("extraction %s: %d served, %d quarantined", run_id, served, bad)
    if failures:
        for f in failures:
            log.error("%s %s %s/%s failed: %s", f["task_id"], f.get("conn_id"), f["seller_id"], f["marketplace_id"],
                      f["message"])  # fmt: skip
        raise ExtractionFailedError(
            f"{len(failures)} extraction(s) failed, the other sources landed: "
            + "; ".join(f"{f['task_id']} {f.get('conn_id')} {f['seller_id']}/{f['marketplace_id']}: {f['message']}"
                        for f in failures)
        )
    if served and bad / served > settings.max_bad_share:
        raise TooManyBadRecordsError(
            f"{bad} of {served} records quarantined ({bad / served:.1%}) exceeds the limit "
            f"{settings.max_bad_share:.1%}; see {settings.quarantine_dir}"
        )
    out: dict[str, Any] = {"served": served, "quarantined": bad}
    if notes:
        out["notes"] = notes
    if unavailable:
        out["unavailable_data"] = [{k: v for k, v in n.items() if k != "scopes"} for n in unavailable]
    return out


def _failures(
    run_id: str, flat: Sequence[Mapping[str, Any]], expected: Mapping[str, Sequence[Mapping[str, Any]]] | None
) -> list[dict[str, Any]]:
    failures = read_failures(run_id)
    recorded = {(f["task_id"], f.get("conn_id"), f["seller_id"], f["marketplace_id"]) for f in failures}
    landed = {(r["source"], r["seller_id"], r["marketplace_id"]) for r in flat}
    for task, scopes in (expected or {}).items():
        spec = registry.TASKS_BY_NAME[task]
        for scope in scopes:
            key = (spec.task_id, scope["conn_id"], scope["seller_id"], scope["marketplace_id"])
            if key in recorded or (spec.sources[0], scope["seller_id"], scope["marketplace_id"]) in landed:
                continue
            failures.append(
                {
                    "task_id": spec.task_id,
                    "sources": list(spec.sources),
                    "conn_id": scope["conn_id"],
                    "seller_id": scope["seller_id"],
                    "marketplace_id": scope["marketplace_id"],
                    "kind": "no_result",
                    "message": "the task returned no result (see its log)",
                }
            )
    failures.sort(key=lambda f: (f["task_id"], f.get("conn_id") or "", f["seller_id"], f["marketplace_id"]))
    return failures


def write_json_atomic(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, indent=1, sort_keys=True, default=str)
    os.replace(tmp, path)
