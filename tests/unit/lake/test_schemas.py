from __future__ import annotations

import pyarrow as pa
import pytest

from acorn.assets import LAKE_SOURCE_NAMES
from acorn.lake.schemas import ALL_SOURCES

pytestmark = pytest.mark.unit


def test_every_lake_source_has_an_asset():
    assert tuple(ALL_SOURCES) == LAKE_SOURCE_NAMES


@pytest.mark.parametrize("source", ALL_SOURCES.values(), ids=lambda s: s.name)
def test_keys_and_partition_columns_exist(source):
    names = set(source.schema.names)
    assert set(source.natural_key) <= names
    assert {source.date_field, "seller_id", "marketplace_id"} <= names
    # Money is exact: no floating-point column anywhere in the lake.
    assert not [f.name for f in source.schema if pa.types.is_floating(f.type)]
