"""dbt build on a small synthetic lake: every test passes and refund money is conserved.

The lake is a 3-marketplace, 30-day world (seed 5) exported with
`acorn_sim.world.lake_export` (the pipeline's own normalisers and lake writer): the
session's `world_30d` (tests/conftest.py), shared with tests/dbt/test_exports.py.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from tests.dbt.warehouse_query import query as _query

pytestmark = pytest.mark.dbt

# Money back to a buyer: customer refunds, A-to-z Guarantee claims, chargebacks.
BUYER_REFUND_TYPES = {"Refund", "GuaranteeClaim", "Chargeback"}


@pytest.fixture(scope="module")
def small_lake(world_30d) -> Path:
    """The session's small world's lake (tests/conftest.py): read it, or copy it to change it."""
    return world_30d.lake_dir


@pytest.fixture(scope="module")
def built(world_30d):
    """Its warehouse, built once for the session with the unit tests (read it, or copy it)."""
    return world_30d.build


def _lake_refunds(lake: Path) -> dict[str, tuple[str, Decimal]]:
    from acorn.lake import schemas, writer

    table = writer.read_source(lake, "transactions", schemas.TRANSACTIONS.schema)
    return {
        r["transaction_id"]: (r["currency_code"], r["total_amount"])
        for r in table.to_pylist()
        if r["transaction_type"] in BUYER_REFUND_TYPES
    }


def test_dbt_build_passes_every_test(built):
    assert not {"error", "fail"} & set(built.statuses), built.statuses
    assert built.statuses.get("pass", 0) > 50  # data tests and unit tests ran
    assert built.resource_types.get("unit_test", 0) >= 9, built.resource_types
    assert built.statuses.get("success", 0) >= 18  # seeds and models were built


def test_every_lake_refund_appears_once(built, small_lake):
    """One row per refund line: every buyer refund is there, once per item, its lines adding up to it."""
    lake = _lake_refunds(small_lake)
    assert lake, "the small world must contain refunds"
    rows = _query(
        built.duckdb_path,
        "select transaction_id, item_index, refund_kind, net_amount from marts.fct_refund_reconciliation",
    )
    lines = Counter((r[0], r[1]) for r in rows)
    assert set(lines.values()) == {1}
    net: dict[str, Decimal] = defaultdict(Decimal)
    for transaction_id, _, _, amount in rows:
        net[transaction_id] += Decimal(amount)
    assert set(net) == set(lake)
    assert net == {t: amount for t, (_, amount) in lake.items()}


def test_refund_sums_per_currency_equal_the_lake(built, small_lake):
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for currency, amount in _lake_refunds(small_lake).values():
        expected[currency] += amount
    rows = _query(
        built.duckdb_path,
        "select currency_code, sum(net_amount) from marts.fct_refund_reconciliation group by 1",
    )
    assert {c: Decimal(s) for c, s in rows} == dict(expected)


def test_marts_are_populated(built):
    for model in ("fct_settlement_reconciliation", "rpt_marketplace_refunds", "fct_refund_tax_documents"):
        assert int(_query(built.duckdb_path, f"select count(*) from marts.{model}")[0][0]) > 0


# US serves the simplified breakdown shape, DE and JP the realistic one (fee VAT a level down).
COMPOSITION = (
    "promotion_reversed_amount + tax_withheld_amount + commission_credited_amount"
    " - refund_admin_fee_amount - refunded_principal_amount - refunded_tax_amount"
    " - refunded_shipping_amount - refunded_shipping_tax_amount + other_amount + unclassified_amount"
)


def test_both_breakdown_shapes_give_whole_refund_lines(built):
    """Refund components sum to the net amount on both shapes, with no unclassified money,
    and the realistic shape's refund tax (Tax/OurPriceTax) and fee VAT are not lost."""
    rows = _query(
        built.duckdb_path,
        "select marketplace_code, count(*), count(*) filter (where net_amount <> " + COMPOSITION + "),"
        " sum(abs(unclassified_amount)), sum(abs(refunded_tax_amount)),"
        " sum(abs(commission_credited_amount))"
        " from marts.fct_refund_reconciliation group by 1",
    )
    by_code = {r[0]: r[1:] for r in rows}
    assert {"US", "DE", "JP"} <= set(by_code)
    for code, (lines, broken, unclassified, _tax, commission) in by_code.items():
        assert int(lines) > 0 and int(broken) == 0 and Decimal(unclassified) == 0, code
        assert Decimal(commission) > 0, code
    assert Decimal(by_code["DE"][3]) > 0 and Decimal(by_code["JP"][3]) > 0
    paths = dict(
        _query(
            built.duckdb_path,
            "select m.marketplace_code, string_agg(distinct b.breakdown_path, ',')"
            " from staging.stg_spapi__transaction_breakdowns as b"
            " inner join seeds.marketplaces as m on b.marketplace_id = m.marketplace_id group by 1",
        )
    )
    assert "AmazonFees/Commission/Tax" in paths["DE"].split(",")
    assert "Tax/OurPriceTax" in paths["JP"].split(",")
    assert "ProductCharges/Tax" in paths["US"].split(",")
    assert not any(p.count("/") > 1 for p in paths["US"].split(","))


def test_unknown_breakdown_path_publishes_with_a_warning(small_lake, tmp_path):
    """A leaf path the seed does not know: the build still publishes (a warning, no error),
    the money lands in unclassified_amount and the run summary says so."""
    import shutil

    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from acorn.report import reconciliation_summary
    from acorn.warehouse import build

    lake = tmp_path / "lake"
    shutil.copytree(small_lake, lake)
    renamed = 0
    for path in sorted((lake / "transactions").rglob("*.parquet")):
        table = pq.read_table(path)
        payload = table.column("payload_json")
        hit = pc.match_substring(payload, '"Refund"')
        if not pc.any(hit).as_py():
            continue
        # Every refund's Commission becomes an unknown fee, in both shapes
        new = pc.if_else(hit, pc.replace_substring(payload, '"Commission"', '"NewAmazonFee"'), payload)
        table = table.set_column(table.schema.get_field_index("payload_json"), "payload_json", new)
        pq.write_table(table, path)
        renamed += 1
    assert renamed
    result = build(lake, tmp_path / "acorn.duckdb", target_path=tmp_path / "target")
    assert not {"error", "fail"} & set(result.statuses), result.statuses
    assert result.statuses.get("warn", 0) >= 1, result.statuses
    (unclassified,) = _query(
        result.duckdb_path,
        "select sum(abs(unclassified_amount)) from marts.fct_refund_reconciliation",
    )[0]
    assert Decimal(unclassified) > 0
    assert "WARNING: refund money on breakdown paths" in reconciliation_summary(result.duckdb_path)


def test_a_source_nothing_landed_for_still_builds(small_lake, tmp_path):
    """An FBA-only seller has no MFN returns (and a first night may have no reimbursement):
    the warehouse builds, those staging tables are empty, the other marts are whole."""
    import shutil

    from acorn.warehouse import build

    lake = tmp_path / "lake"
    shutil.copytree(small_lake, lake)
    shutil.rmtree(lake / "mfn_returns")
    shutil.rmtree(lake / "reimbursements")
    result = build(lake, tmp_path / "acorn.duckdb", target_path=tmp_path / "target")
    assert not {"error", "fail"} & set(result.statuses), result.statuses
    counts = _query(
        result.duckdb_path,
        "select (select count(*) from staging.stg_spapi__mfn_returns), "
        "(select count(*) from staging.stg_spapi__reimbursements), "
        "(select count(*) from marts.fct_refund_reconciliation)",
    )[0]
    assert int(counts[0]) == 0 and int(counts[1]) == 0 and int(counts[2]) > 0


def test_model_and_column_descriptions_reach_the_warehouse_file(built):
    """persist_docs: an analyst's SQL client shows what a mart and its columns mean."""
    [(table_comment,)] = _query(
        built.duckdb_path,
        "select comment from duckdb_tables() where schema_name = 'marts' and table_name = 'fct_refund_reconciliation'",
    )
    assert table_comment and "refund_line_id" in table_comment
    described = _query(
        built.duckdb_path,
        "select column_name, coalesce(comment, '') from duckdb_columns() "
        "where schema_name = 'marts' and table_name = 'fct_refund_reconciliation'",
    )
    comments = dict(described)
    assert comments["refund_line_id"].startswith("Primary key")
    assert all(comments.values()), [c for c, text in comments.items() if not text]


# What an analyst reads: the staged lake, the marts and the seeds they join to.
DOCUMENTED_SCHEMAS = ("staging", "marts", "seeds")


def test_every_staging_mart_and_seed_column_is_described(built):
    """Every column of every relation in staging, marts and seeds (whatever models the project
    has, as built) carries a description in the warehouse file, and so does every relation."""
    schemas = ", ".join(f"'{s}'" for s in DOCUMENTED_SCHEMAS)
    columns = _query(
        built.duckdb_path,
        "select schema_name || '.' || table_name, column_name, coalesce(trim(comment), '') "
        f"from duckdb_columns() where schema_name in ({schemas})",
    )
    relations = _query(
        built.duckdb_path,
        "select schema_name || '.' || table_name, coalesce(trim(comment), '') from duckdb_tables() "
        f"where schema_name in ({schemas}) union all "
        "select schema_name || '.' || view_name, coalesce(trim(comment), '') from duckdb_views() "
        f"where schema_name in ({schemas})",
    )
    # The check reads what the build made: each schema is there and holds its relations.
    assert {name.split(".")[0] for name, _ in relations} == set(DOCUMENTED_SCHEMAS)
    assert {"staging.stg_spapi__transactions", "seeds.policy_rules", "marts.fct_refund_reconciliation"} <= {
        name for name, _ in relations
    }
    undescribed = defaultdict(list)
    for relation, column, comment in columns:
        if not comment:
            undescribed[relation].append(column)
    assert not undescribed, "undescribed columns:\n" + "\n".join(
        f"{relation} ({len(cols)}): {', '.join(cols)}" for relation, cols in sorted(undescribed.items())
    )
    assert not [name for name, comment in relations if not comment]


def test_risk_marts_read_the_score_files_back(built, small_lake, tmp_path):
    """First build: zero-row score files, every return in the mart unscored. Then hand-made
    scores for some returns and for the buyer of an open MFN request: `source:risk+` puts
    them in the risk marts, and the request goes to manual review on the buyer's score."""
    import shutil
    from datetime import UTC, datetime

    from acorn.risk.scores import BUYER_SCORES, RETURN_SCORES, write_scores
    from acorn.warehouse import build

    db = tmp_path / "acorn.duckdb"
    shutil.copy(built.duckdb_path, db)
    counts = _query(
        db,
        "select (select count(*) from intermediate.int_return_risk_features),"
        " (select count(*) from marts.fct_return_risk_scores),"
        " (select count(risk_score) from marts.fct_return_risk_scores),"
        " (select count(*) from intermediate.int_buyer_risk_features),"
        " (select count(*) from marts.fct_buyer_risk),"
        " (select count(*) from intermediate.int_buyer_risk_scores)",
    )[0]
    assert int(counts[0]) > 0 and counts[1] == counts[0] and counts[2] == "0", counts
    assert int(counts[3]) > 0 and counts[4] == counts[3] and counts[5] == "0", counts

    returns = _query(
        db,
        "select return_id, seller_id, marketplace_id, buyer_key from intermediate.int_return_risk_features"
        " order by return_id limit 3",
    )
    [request] = _query(
        db,
        "select d.return_id, b.seller_id, b.marketplace_id, b.buyer_key, b.buyer_key_kind"
        " from marts.fct_refund_decisions as d inner join intermediate.int_risk_orders as b"
        " on d.seller_id = b.seller_id and d.order_id = b.order_id order by d.return_id limit 1",
    )
    scored_at = datetime(2026, 9, 1, tzinfo=UTC)
    risk_dir = tmp_path / "risk"
    scores = [(0.91, 0.9, None, "empty_or_wrong_item|late_in_window"), (0.55, 0.55, 0.5, "model_pattern"),
              (0.1, 0.1, 0.12, "")]  # fmt: skip
    write_scores(risk_dir, RETURN_SCORES, [
        {"return_id": r[0], "seller_id": r[1], "marketplace_id": r[2], "buyer_key": r[3], "risk_score": s[0],
         "rules_score": s[1], "model_score": s[2], "reason_codes": s[3], "model_version": "test-1",
         "scored_at": scored_at}
        for r, s in zip(returns, scores, strict=True)
    ])  # fmt: skip
    write_scores(risk_dir, BUYER_SCORES, [
        {"seller_id": request[1], "marketplace_id": request[2], "buyer_key": request[3],
         "buyer_key_kind": request[4], "risk_score": 0.9, "rules_score": 0.9, "model_score": None,
         "reason_codes": "many_returns_90d", "returns_scored": 1, "model_version": "test-1",
         "scored_at": scored_at}
    ])  # fmt: skip
    result = build(small_lake, db, select="source:risk+", target_path=tmp_path / "target", risk_dir=risk_dir)
    assert not {"error", "fail"} & set(result.statuses), result.statuses

    marts = _query(
        db,
        "select return_id, risk_score, risk_band, reason_code_1, reason_code_2, reason_code_3, model_version"
        " from marts.fct_return_risk_scores where risk_score is not null order by return_id",
    )
    assert marts == [
        [returns[0][0], "0.9100", "high", "empty_or_wrong_item", "late_in_window", "None", "test-1"],
        [returns[1][0], "0.5500", "medium", "model_pattern", "None", "None", "test-1"],
        [returns[2][0], "0.1000", "low", "None", "None", "None", "test-1"],
    ]
    buyer = _query(
        db,
        "select risk_score, risk_band, reason_code_1 from marts.fct_buyer_risk"
        f" where buyer_risk_id = '{request[1]}:{request[2]}:{request[3]}'",
    )
    assert buyer == [["0.9000", "high", "many_returns_90d"]]
    decision = _query(
        db,
        "select decision, decision_rule, buyer_risk_score from marts.fct_refund_decisions"
        f" where return_id = '{request[0]}'",
    )
    assert decision == [["manual_review", "buyer_risk_score_high", "0.9000"]]
