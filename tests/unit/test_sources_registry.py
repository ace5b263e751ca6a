"""The source registry is the one declaration: dbt's sources yml, the seeds and the lake schemas agree with it."""

from __future__ import annotations

import csv
import hashlib

import pytest
import yaml

from acorn import marketplaces
from acorn import sources as registry
from acorn.config import PROJECT_ROOT

pytestmark = pytest.mark.unit

SOURCES_YML = PROJECT_ROOT / "dbt" / "models" / "staging" / "spapi" / "_spapi__sources.yml"
MARKETPLACES_CSV = PROJECT_ROOT / "dbt" / "seeds" / "marketplaces.csv"

# The lake schemas' serialised bytes when they moved into the registry: the move changed no column.
# A deliberate schema change updates its digest here, saying why:
# transactions + deferral_reason, deferral_maturity_at (DeferredContext, issue #13 fct_payouts).
SCHEMA_DIGESTS = {
    "transactions": "14774b1acb5560bf7f53abdf02e090adf61e15d23f6feacde2b81de4444656cc",
    "financial_event_groups": "bf2a52f51859858229d27b2464083e9064bbfb01f040e1b275a0c328d7875a0d",
    # orders: + ship_postal_area_hash (issue #15, the ship-to area for fraud features without PII)
    "orders": "f253b133282d36bd3662d697b5096e464cee009e51911fc2c5562a4e989816e8",
    "order_items": "252c83f2791f7ee236473a24c13117e8a3212d093b241d55cbf53f5b70e1b773",
    "settlements": "06de3fcf581005437dd2c5112ea71c42e971e4b2b36acd1418876379aa0dc793",
    "settlement_lines": "ef335842a4f6d570637075cf989396841718c472d02daa45e404a07836492dad",
    "fba_returns": "79581d02879a418aeb16972c75d24793c58751d6b95292380f2db0afa9222390",
    "mfn_returns": "6a05dbd485a15b0b8ee57834954c46ed62a4675a112ef1f9f3fd3d2a924a6084",
    "reimbursements": "315423f3582a3c5789f87bc738c49ecab9943d3e76451f9e037efd5368e6f664",
    # The cash-flow sources (docs/CASHFLOW.md's lake columns), new with them.
    "balances": "a9616561670a39ffdda2f8ab061f5c0338b98341f011aed3c11d77c8283fcca4",
    "payouts": "b7a8b6bb3e19a3da33a9d57b49e42dd8c787c4285436c99d2164c6bf7097cfdf",
    "payout_status_history": "6df400a39978428066b432ddb0af7a8eb5703fffde8be25f39176ffb17858b5f",
    "expected_payouts": "e6a15ce52961f911df9f60bc1067030bf0ea7a49f6440a31ffc0bdf6d9dca255",
}


def _days(block: dict) -> int:
    assert block["period"] == "day", block
    return int(block["count"])


def test_dbt_sources_yml_declares_exactly_the_registry_with_its_freshness_and_loaded_at():
    (source,) = yaml.safe_load(SOURCES_YML.read_text(encoding="utf-8"))["sources"]
    default = source["config"]["freshness"]
    tables = {t["name"]: t.get("config", {}) for t in source["tables"]}
    assert list(tables) == list(registry.NAMES)
    for spec in registry.SOURCES:
        cfg = tables[spec.name]
        freshness = cfg.get("freshness", default)
        assert cfg["loaded_at_field"] == spec.freshness_field, spec.name
        assert (_days(freshness["warn_after"]), _days(freshness["error_after"])) == (
            spec.freshness.warn_after_days,
            spec.freshness.error_after_days,
        ), spec.name


def test_marketplaces_seed_equals_the_marketplaces_module():
    with MARKETPLACES_CSV.open(encoding="utf-8", newline="") as fh:
        seed = {r["marketplace_id"]: r for r in csv.DictReader(fh)}
    assert set(seed) == set(marketplaces.BY_ID)
    for m in marketplaces.all_marketplaces():
        row = seed[m.marketplace_id]
        assert (row["marketplace_code"], row["currency_code"], row["region_code"], row["time_zone"]) == (
            m.code, m.currency, m.region, m.time_zone,
        ), m.code  # fmt: skip
        assert (row["country_name"], row["marketplace_name"]) == (m.country, m.name), m.code


@pytest.mark.parametrize("spec", registry.SOURCES, ids=lambda s: s.name)
def test_each_source_is_coherent(spec):
    names = set(spec.column_names)
    assert len(names) == len(spec.columns), "duplicate column"
    assert {*spec.natural_key, spec.date_field, spec.freshness_field, "seller_id", "marketplace_id"} <= names
    assert set(spec.required_columns) | set(spec.currency_columns) <= names
    assert spec.scope in (registry.MARKETPLACE, registry.ACCOUNT)
    assert spec.kind in registry.KINDS
    assert set(spec.nullable_key_columns) <= set(spec.natural_key)
    from acorn.transform import normalize

    assert callable(getattr(normalize, spec.normaliser))


def test_lake_schemas_are_byte_identical_to_before_the_registry():
    digests = {s.name: hashlib.sha256(s.schema.serialize().to_pybytes()).hexdigest() for s in registry.SOURCES}
    assert digests == SCHEMA_DIGESTS


def test_dag_tasks_and_assets_derive_from_the_registry():
    from acorn.assets import RAW

    assert [t.task_id for t in registry.TASKS] == [
        "extract_transactions", "extract_financial_event_groups", "extract_orders", "extract_settlements",
        "extract_fba_returns", "extract_mfn_returns", "extract_reimbursements",
        "extract_balances", "extract_payouts", "extract_expected_payouts",
    ]  # fmt: skip
    assert registry.TASKS_BY_NAME["orders"].sources == ("orders", "order_items")
    assert registry.TASKS_BY_NAME["payouts"].sources == ("payouts", "payout_status_history")
    assert {name: a.name for name, a in RAW.items()} == {s.name: f"raw.spapi.{s.name}" for s in registry.SOURCES}


def test_the_registry_imports_without_pyarrow():
    import subprocess
    import sys

    code = "import sys, acorn.sources, acorn.assets; sys.exit('pyarrow' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(PROJECT_ROOT / "plugins")}).returncode == 0


def test_every_source_operation_has_its_role_in_the_one_role_table():
    """A missing role is named from acorn.spapi.roles; the registry holds no copy of it."""
    from acorn import sources
    from acorn.spapi import roles

    for spec in sources.SOURCES:
        if spec.kind in (sources.REPORT, sources.SETTLEMENT):
            assert spec.operation in roles.REPORT_TYPE_ROLES, spec.name
        else:
            assert spec.operation in roles.OPERATION_ROLES, spec.name


def test_the_mart_assets_are_exactly_the_marts_dbt_builds():
    from acorn.assets import MART_MODEL_NAMES

    marts_dir = PROJECT_ROOT / "dbt" / "models" / "marts"
    assert sorted(MART_MODEL_NAMES) == sorted(p.stem for p in marts_dir.rglob("*.sql"))
