"""The nightly reconciliation summary, read from the marts (what `make demo` prints last)."""

from __future__ import annotations

from pathlib import Path

REFUNDS_BY_MARKETPLACE = """
select
    marketplace_code,
    currency_code,
    count(*) as refund_lines,
    count(*) filter (where reconciliation_status = 'matched') as matched,
    count(*) filter (where reconciliation_status = 'amount_mismatch') as amount_mismatch,
    count(*) filter (where reconciliation_status = 'missing_from_settlement') as missing,
    count(*) filter (where reconciliation_status = 'pending_settlement') as pending,
    count(*) filter (where is_over_refund or is_duplicate_refund or is_fee_error or is_tax_mismatch) as flagged,
    sum(net_amount) as refunded_net,
    sum(case when reconciliation_status in ('amount_mismatch', 'missing_from_settlement')
        then coalesce(settlement_difference_amount, net_amount) else 0 end) as unreconciled
from marts.fct_refund_reconciliation
group by 1, 2
order by 1
"""

SETTLEMENTS_BY_STATUS = """
select reconciliation_status, count(*) as settlements
from marts.fct_settlement_reconciliation
group by 1
order by 1
"""


def reconciliation_summary(duckdb_path: str | Path) -> str:
    import duckdb

    with duckdb.connect(str(duckdb_path)) as con:
        refunds = con.sql(REFUNDS_BY_MARKETPLACE).fetchall()
        settlements = con.sql(SETTLEMENTS_BY_STATUS).fetchall()
    header = (
        f"{'marketplace':<12}{'ccy':<5}{'lines':>8}{'matched':>8}{'amt_mism':>9}{'missing':>8}"
        f"{'pending':>8}{'flagged':>8}{'refunded (net)':>16}{'unreconciled':>14}"
    )
    lines = [
        "Refund reconciliation (marts.fct_refund_reconciliation): refund lines, i.e. refunds,"
        " A-to-z claims and chargebacks x item",
        header,
        "-" * len(header),
    ]
    for code, ccy, n, matched, mism, missing, pending, flagged, net, unrec in refunds:
        lines.append(
            f"{code:<12}{ccy:<5}{n:>8}{matched:>8}{mism:>9}{missing:>8}{pending:>8}{flagged:>8}"
            f"{net:>16,.2f}{unrec:>14,.2f}"
        )
    status = ", ".join(f"{s}: {n}" for s, n in settlements)
    lines.append(f"\nSettlements (marts.fct_settlement_reconciliation): {status}")
    lines.append(f"Warehouse: {duckdb_path}")
    return "\n".join(lines)
