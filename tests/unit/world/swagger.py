"""A small swagger-2.0-definition -> JSON Schema validator for the official SP-API models."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator

from acorn_sim.world.money import dumps

MODELS = Path("/work/shared/sp-api/models")


@cache
def _definitions(model_file: str) -> dict[str, Any]:
    return json.loads((MODELS / model_file).read_text(encoding="utf-8"))["definitions"]


@cache
def validator(model_file: str, definition: str) -> Draft4Validator:
    schema = {"definitions": _definitions(model_file), "$ref": f"#/definitions/{definition}"}
    return Draft4Validator(schema)


def errors(model_file: str, definition: str, payload: Any) -> list[str]:
    """Validate the payload *as the server will send it* (serialised, then parsed)."""
    wire = json.loads(dumps(payload), parse_float=Decimal)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(model_file, definition).iter_errors(wire)
    ]
