"""Reference: the core refund-to-settlement match in plain pandas, as a user might write it
instead of the dbt warehouse (bench/bench_warehouse.py times it against `dbt build`).

Reads the Parquet lake and writes, per refund transaction: settlement_id, settled_amount and
reconciliation_status (refunds, A-to-z claims and chargebacks), with the warehouse's rules (dbt/models/staging/spapi/stg_spapi__transactions.sql,
intermediate/finance/int_transactions_joined_to_settlement_lines.sql,
int_settlements_joined_to_financial_event_groups.sql, marts/finance/fct_transaction_settlement_reconciliation.sql):

* transactions: one row per transaction_id, the latest extraction winning (the time after
  `__` in `_run_id`, then the latest posted_at, then the greatest run id);
* settlement lines of type Order / Refund / Chargeback Refund / A-to-z Guarantee Refund are
  summed per (seller, marketplace, type, order id, adjustment-or-shipment id, posted time);
  a refund matches on its refund id and posted time;
* a refund with no settlement line is `missing_from_settlement` when its financial event
  group's settlement report has landed (same seller, currency and cycle start, and the
  group's marketplace where its transactions agree on one), else `deferred` when Amazon
  holds it (transactionStatus DEFERRED), else `report_missing` when its group is closed and
  its fund transfer succeeded (paid, no report), else `pending_settlement`.

Money is exact: amounts become integer ten-thousandths (the lake's decimal(20, 4)).

Two ways of writing it, same result:

* as first written (default): one `pd.read_parquet` per lake file, Decimal -> int per
  value, `groupby(...).agg(settlement_id=("settlement_id", "min"))`. The last one is a
  pandas pitfall: `min` over strings falls back to a Python loop per group (about 85 % of
  the run on the 10M-line world);
* `--tuned`: what a user does after profiling it: each source read in one pyarrow call,
  minor units computed by pyarrow on the decimal column, and the settlement id taken as
  the `first` of lines sorted by it (Cython path), instead of `min`.

    .venv/bin/python bench/pandas_refund_match.py --lake DIR --out refunds.csv [--tuned]
"""

from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

SCALE = 4  # the lake's money is decimal(20, 4)
SETTLEMENT_TYPE = {
    "Shipment": "Order",
    "Refund": "Refund",
    "Chargeback": "Chargeback Refund",
    "GuaranteeClaim": "A-to-z Guarantee Refund",
}


def read_source(lake: Path, source: str, columns: list[str], tuned: bool) -> pd.DataFrame:
    files = sorted((lake / source).glob("seller_id=*/marketplace_id=*/date=*/data.parquet"))
    if not files:
        return pd.DataFrame(columns=columns)
    if tuned:
        return pq.read_table([str(f) for f in files], columns=columns, partitioning=None).to_pandas()
    return pd.concat((pd.read_parquet(f, columns=columns) for f in files), ignore_index=True)


def minor_units(amounts: pd.Series, tuned: bool) -> pd.Series:
    """Decimal amounts -> exact integer ten-thousandths (nullable Int64)."""
    if tuned:
        scaled = pc.multiply(pa.array(amounts, pa.decimal128(20, SCALE)), pa.scalar(Decimal(10**SCALE), pa.decimal128(SCALE + 1, 0)))
        return pd.Series(pc.cast(scaled, pa.int64()), index=amounts.index, dtype="Int64")
    return amounts.map(lambda d: None if d is None or pd.isna(d) else int(Decimal(d).scaleb(SCALE))).astype(
        "Int64"
    )


def latest_transactions(lake: Path, tuned: bool) -> pd.DataFrame:
    t = read_source(lake, "transactions", [
        "transaction_id", "seller_id", "marketplace_id", "transaction_type", "order_id", "shipment_id",
        "refund_id", "financial_event_group_id", "total_amount", "currency_code", "posted_at", "_run_id",
        "transaction_status",
    ], tuned)  # fmt: skip
    run_time = t["_run_id"].str.split("__").str[1]
    t["_extracted_at"] = pd.to_datetime(
        run_time.where(run_time != ""), utc=True, errors="coerce", format="ISO8601"
    )
    t = t.sort_values(["transaction_id", "_extracted_at", "posted_at", "_run_id"],
                      ascending=[True, False, False, False], na_position="last")  # fmt: skip
    t = t.drop_duplicates("transaction_id", keep="first")
    t["total_amount"] = minor_units(t["total_amount"], tuned)
    return t


def settlement_postings(lake: Path, tuned: bool) -> pd.DataFrame:
    lines = read_source(lake, "settlement_lines", [
        "settlement_id", "seller_id", "marketplace_id", "transaction_type", "order_id", "adjustment_id",
        "shipment_id", "amount", "posted_at",
    ], tuned)  # fmt: skip
    lines = lines[lines["transaction_type"].isin(SETTLEMENT_TYPE.values())].copy()
    lines["posting_key"] = lines["adjustment_id"].fillna(lines["shipment_id"])
    lines["amount"] = minor_units(lines["amount"], tuned)
    keys = ["seller_id", "marketplace_id", "transaction_type", "order_id", "posting_key", "posted_at"]
    if tuned:
        lines = lines.sort_values("settlement_id")
        return lines.groupby(keys, as_index=False).agg(settlement_id=("settlement_id", "first"),
                                                       settled_amount=("amount", "sum"))  # fmt: skip
    return lines.groupby(keys, as_index=False).agg(settlement_id=("settlement_id", "min"),
                                                   settled_amount=("amount", "sum"))  # fmt: skip


def expected_settlements(lake: Path, transactions: pd.DataFrame, tuned: bool) -> pd.DataFrame:
    """financial_event_group_id -> the settlement of the same payout cycle (int_settlements_joined_to_...)."""
    settlements = read_source(lake, "settlements",
                              ["settlement_id", "seller_id", "marketplace_id", "currency_code", "settlement_started_at"], tuned)  # fmt: skip
    groups = read_source(lake, "financial_event_groups",
                         ["financial_event_group_id", "seller_id", "original_currency_code", "group_started_at"], tuned)  # fmt: skip
    in_group = transactions[transactions["financial_event_group_id"].notna()]
    per_group = in_group.groupby("financial_event_group_id").agg(
        marketplace_id=("marketplace_id", "min"), marketplace_count=("marketplace_id", "nunique")
    )
    groups = groups.merge(per_group, left_on="financial_event_group_id", right_index=True, how="left")
    groups["group_marketplace_id"] = groups["marketplace_id"].where(groups["marketplace_count"] == 1)
    settlements["currency_code"] = settlements["currency_code"].str.upper()
    groups["original_currency_code"] = groups["original_currency_code"].str.upper()
    pairs = settlements.merge(
        groups[["financial_event_group_id", "seller_id", "original_currency_code", "group_started_at",
                "group_marketplace_id"]],
        left_on=["seller_id", "currency_code", "settlement_started_at"],
        right_on=["seller_id", "original_currency_code", "group_started_at"],
    )  # fmt: skip
    pairs = pairs[
        pairs["group_marketplace_id"].isna() | (pairs["marketplace_id"] == pairs["group_marketplace_id"])
    ]
    return pairs[["financial_event_group_id", "settlement_id"]].rename(
        columns={"settlement_id": "expected_settlement_id"}
    )


def paid_groups(lake: Path, tuned: bool) -> set[str]:
    """Groups closed with a succeeded fund transfer, the latest extraction of each winning."""
    groups = read_source(lake, "financial_event_groups",
                         ["financial_event_group_id", "processing_status", "fund_transfer_status", "_run_id"], tuned)  # fmt: skip
    groups["_extracted_at"] = groups["_run_id"].str.split("__").str[1]
    groups = groups.sort_values(["financial_event_group_id", "_extracted_at", "_run_id"], ascending=False)
    groups = groups.drop_duplicates("financial_event_group_id", keep="first")
    paid = (groups["processing_status"] == "Closed") & (groups["fund_transfer_status"] == "Succeeded")
    return set(groups.loc[paid, "financial_event_group_id"])


def refund_match(lake: Path, tuned: bool = False) -> pd.DataFrame:
    transactions = latest_transactions(lake, tuned)
    # Money back to a buyer: customer refunds, A-to-z claims, chargebacks.
    refunds = transactions[transactions["transaction_type"].isin(["Refund", "GuaranteeClaim", "Chargeback"])].copy()
    refunds["settlement_transaction_type"] = refunds["transaction_type"].map(SETTLEMENT_TYPE)
    postings = settlement_postings(lake, tuned)
    matched = refunds.merge(
        postings,
        left_on=["seller_id", "marketplace_id", "settlement_transaction_type", "order_id", "refund_id", "posted_at"],
        right_on=["seller_id", "marketplace_id", "transaction_type", "order_id", "posting_key", "posted_at"],
        how="left", suffixes=("", "_line"),
    )  # fmt: skip
    matched = matched.merge(
        expected_settlements(lake, transactions, tuned), on="financial_event_group_id", how="left"
    )
    has_settlement = matched["settlement_id"].notna()
    same_amount = (matched["settled_amount"] == matched["total_amount"]).fillna(False).astype(bool)
    matched["reconciliation_status"] = "pending_settlement"
    paid = matched["financial_event_group_id"].isin(paid_groups(lake, tuned))
    matched.loc[paid, "reconciliation_status"] = "report_missing"
    matched.loc[matched["transaction_status"] == "DEFERRED", "reconciliation_status"] = "deferred"
    matched.loc[matched["expected_settlement_id"].notna(), "reconciliation_status"] = (
        "missing_from_settlement"
    )
    matched.loc[has_settlement, "reconciliation_status"] = "amount_mismatch"
    matched.loc[has_settlement & same_amount, "reconciliation_status"] = "matched"
    return matched[["transaction_id", "settlement_id", "settled_amount", "reconciliation_status"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lake", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="CSV: amounts as exact decimal text")
    parser.add_argument("--tuned", action="store_true", help="the profiled rewrite (module docstring)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    result = refund_match(args.lake, tuned=args.tuned)
    out = result.copy()
    out["settled_amount"] = out["settled_amount"].map(
        lambda v: "" if pd.isna(v) else str(Decimal(int(v)).scaleb(-SCALE))
    )
    out.to_csv(args.out, index=False)
    counts = result["reconciliation_status"].value_counts().to_dict()
    sys.stdout.write(f"{len(result):,} refunds in {time.perf_counter() - t0:.1f}s: {counts}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
