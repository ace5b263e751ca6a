"""What a BI tool gets: the exported CSV carries the seller's Chinese product names intact."""

from __future__ import annotations

import re

import duckdb
import pandas as pd
import pytest

from tests.dbt.warehouse_query import query as warehouse_query

pytestmark = pytest.mark.dbt

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(("mart", "key"), [("fct_money_owed", "money_owed_id"), ("fct_refund_decisions", "return_id")])
def test_the_csv_round_trips_chinese_product_names(built, mart, key):
    csv_path = built.exports_dir / mart / f"{mart}.csv"
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    in_warehouse = sorted(
        (row_key, name) for row_key, name in warehouse_query(
            built.duckdb_path, f"select {key}, seller_product_name from marts.{mart}"
                               " where seller_product_name is not null")
    )  # fmt: skip
    assert in_warehouse and all(CJK.search(name) for _, name in in_warehouse)
    by_pandas = pd.read_csv(csv_path, encoding="utf-8-sig", dtype=str).dropna(subset=["seller_product_name"])
    assert sorted(zip(by_pandas[key], by_pandas["seller_product_name"], strict=True)) == in_warehouse
    by_duckdb = duckdb.sql(
        f"select {key}, seller_product_name from read_csv('{csv_path}', header = true, all_varchar = true)"
        " where seller_product_name is not null order by all"
    ).fetchall()
    assert by_duckdb == in_warehouse
    parquet = pd.read_parquet(csv_path.with_suffix(".parquet")).dropna(subset=["seller_product_name"])
    assert sorted(zip(parquet[key], parquet["seller_product_name"], strict=True)) == in_warehouse
