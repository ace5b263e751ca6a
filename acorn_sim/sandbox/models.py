"""Validate JSON bodies against the official SP-API swagger 2.0 models.

Swagger 2.0 schemas are close to JSON Schema draft 4: ``definitions`` +
``#/definitions/X`` refs resolve unchanged once the whole definitions map is
embedded, and ``x-*``/``example``/``discriminator`` are ignored as unknown
keywords. What needs care:

- ``format``: ``date-time`` and ``date`` are checked (ISO 8601, as the SP-API
  writes them); numeric formats (int32, int64, double) are not.
- ``strict=True`` (the default) forbids properties the model does not
  declare, so a casing drift such as ``NextToken`` vs ``nextToken`` fails.
  Swagger itself allows extra properties; strictness is ours. For ``allOf``
  compositions (Finances 2024-06-19 ``Context``) the allowed names are the
  union of all parts.

Model files are looked up by name in the folder the setting
``ACORN_SPAPI_MODELS_DIR`` names, by default ``../shared/sp-api/models``
relative to the repository root (where CI keeps the project's reference
material beside the clone), or pass a path. Amazon publishes the files in its
``selling-partner-api-models`` repository. `missing_models` says which files
are absent, for tests that skip (or, with ``ACORN_REQUIRE_SPAPI_MODELS=1``,
fail) without them.
"""

from __future__ import annotations

import copy
import json
import os
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema import Draft4Validator, FormatChecker

MODELS_DIR_ENV = "ACORN_SPAPI_MODELS_DIR"
REQUIRE_MODELS_ENV = "ACORN_REQUIRE_SPAPI_MODELS"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODELS_DIR = (REPO_ROOT / ".." / "shared" / "sp-api" / "models").resolve()


class ModelError(LookupError):
    pass


def models_dir() -> Path:
    """Where the official model files are: ``$ACORN_SPAPI_MODELS_DIR`` or the default beside the repo."""
    configured = os.environ.get(MODELS_DIR_ENV, "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_MODELS_DIR


def missing_models(*model_files: str) -> list[str]:
    """The named model files that `models_dir()` lacks (all of them if the folder is absent)."""
    folder = models_dir()
    return [name for name in model_files if not (folder / name).is_file()]


def models_required() -> bool:
    """True where the models are mandatory (``ACORN_REQUIRE_SPAPI_MODELS=1``, set by ``.ci/run``)."""
    return os.environ.get(REQUIRE_MODELS_ENV, "").strip().lower() in ("1", "true", "yes")


def _model_path(model_file: str | Path) -> Path:
    path = Path(model_file)
    if path.is_file():
        return path
    candidate = models_dir() / path.name
    if candidate.is_file():
        return candidate
    raise ModelError(f"model file {model_file!r} not found (looked in {models_dir()})")


_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("date-time without a time zone")
    return True


@_FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if isinstance(value, str):
        date.fromisoformat(value)
    return True


def _props_of(schema: dict[str, Any], defs: dict[str, Any], seen: frozenset[str] = frozenset()) -> set[str]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        name = ref.rsplit("/", 1)[1]
        return set() if name in seen else _props_of(defs[name], defs, seen | {name})
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        names |= _props_of(part, defs, seen)
    return names


def _tighten(node: Any, defs: dict[str, Any], in_all_of: bool = False) -> None:
    """Add additionalProperties: false to closed object schemas, recursively."""
    if isinstance(node, list):
        for item in node:
            _tighten(item, defs, in_all_of)
        return
    if not isinstance(node, dict):
        return
    if "allOf" in node and "additionalProperties" not in node:
        node.setdefault("properties", {})
        for name in _props_of(node, defs):
            node["properties"].setdefault(name, {})
        node["additionalProperties"] = False
        for part in node["allOf"]:
            _tighten(part, defs, True)
    elif (
        not in_all_of
        and "properties" in node
        and "additionalProperties" not in node
        and node.get("type", "object") == "object"
    ):
        node["additionalProperties"] = False
    for key, value in node.items():
        if key in ("allOf", "enum", "example", "x-example") or key.startswith("x-"):
            continue
        if key == "properties" and isinstance(value, dict):
            for sub in value.values():
                _tighten(sub, defs)
        elif isinstance(value, dict | list):
            _tighten(value, defs)


@lru_cache(maxsize=16)
def _load(path: str, strict: bool) -> dict[str, Any]:
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    if spec.get("swagger") != "2.0":
        raise ModelError(f"{path} is not a swagger 2.0 model")
    defs = copy.deepcopy(spec.get("definitions", {}))
    if strict:
        # Definitions used as allOf parts must stay open; the allOf owner closes them.
        allof_parts = {
            p["$ref"].rsplit("/", 1)[1]
            for d in defs.values()
            for p in d.get("allOf", [])
            if isinstance(p, dict) and "$ref" in p
        }
        for name, d in defs.items():
            _tighten(d, defs, in_all_of=name in allof_parts)
    spec["definitions"] = defs
    return spec


def response_schema(
    model_file: str | Path, operation_id: str, status: int | str, *, strict: bool = True
) -> dict[str, Any] | None:
    """The JSON schema the model declares for ``operation_id`` answering ``status``.

    Returns None when the model declares the status without a body schema.
    Raises ModelError when the operation or status is not declared.
    """
    spec = _load(str(_model_path(model_file)), strict)
    for ops in spec["paths"].values():
        for op in ops.values():
            if not isinstance(op, dict) or op.get("operationId") != operation_id:
                continue
            responses = op.get("responses", {})
            declared = responses.get(str(status)) or responses.get("default")
            if declared is None:
                raise ModelError(f"{operation_id} does not declare status {status}")
            schema = declared.get("schema")
            if schema is None:
                return None
            return {
                "$schema": "http://json-schema.org/draft-04/schema#",
                **schema,
                "definitions": spec["definitions"],
            }
    raise ModelError(f"operation {operation_id!r} not in {model_file}")


def validate_response(
    model_file: str | Path, operation_id: str, status: int | str, body: Any, *, strict: bool = True
) -> None:
    """Raise `jsonschema.ValidationError` if ``body`` is not what the model declares.

    Args:
        model_file: e.g. "financesV0.json" (looked up in `models_dir()`) or a path.
        operation_id: the swagger operationId, e.g. "listTransactions".
        status: the HTTP status the server answered.
        body: the decoded JSON body.
        strict: also reject properties the model does not declare.
    """
    schema = response_schema(model_file, operation_id, status, strict=strict)
    if schema is None:
        if body not in (None, b"", "", {}):
            raise jsonschema.ValidationError(f"{operation_id} {status} declares no body, got {body!r}")
        return
    Draft4Validator(schema, format_checker=_FORMATS).validate(body)
