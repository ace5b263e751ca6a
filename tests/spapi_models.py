"""Tests that need Amazon's official SP-API models skip (or, in CI, fail) when they are absent.

The models are found through `acorn_sim.sandbox.models.models_dir()`
(``ACORN_SPAPI_MODELS_DIR``, by default ``../shared/sp-api/models`` beside the
repository). A fresh clone without them still passes ``make test``: the tests
below skip, saying why. ``.ci/run`` exports ``ACORN_REQUIRE_SPAPI_MODELS=1``,
which turns that skip into a failure, since CI has the models.
"""

from __future__ import annotations

import pytest

from acorn_sim.sandbox.models import (
    MODELS_DIR_ENV,
    REQUIRE_MODELS_ENV,
    missing_models,
    models_dir,
    models_required,
)


def require_spapi_models(*model_files: str) -> None:
    """Skip the calling test (fail it under ACORN_REQUIRE_SPAPI_MODELS=1) unless every file is there."""
    missing = missing_models(*model_files)
    if not missing:
        return
    reason = (
        f"official SP-API models not found at {models_dir()} (missing {', '.join(missing)}); "
        f"set {MODELS_DIR_ENV}"
    )
    if models_required():
        pytest.fail(f"{reason} ({REQUIRE_MODELS_ENV}=1 makes them mandatory)", pytrace=False)
    pytest.skip(reason)
