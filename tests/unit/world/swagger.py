"""A small swagger-2.0-definition -> JSON Schema validator for the official SP-API models.

The models come from `acorn_sim.sandbox.models.models_dir()`; callers first
`tests.spapi_models.require_spapi_models(...)` so a clone without them skips.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from typing import Any

from jsonschema import Draft4Validator

from acorn_sim.sandbox.models import models_dir
from acorn_sim.world.money import dumps


@cache
def _definitions(model_file: str) -> dict[str, Any]:
    return json.loads((models_dir() / model_file).read_text(encoding="utf-8"))["definitions"]


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
