"""The nightly reconciliation summary, read from the marts (what `make demo` prints last).

It defines no metric of its own: every number is a column of a mart, summed over the
mart's settlement periods where the mart is finer than a marketplace (counts and amounts
add up). `cash diff` is `rpt_marketplace_refunds.cash_difference_amount` with the mart's
meaning and sign (settled - expected, in payouts that did not transfer their transactions'
total); `report gap` is `missing_report_line_amount`: refunds paid but not printed.
"""

from __future__ import annotations

from pathlib import Path

REFUNDS_BY_MARKETPLACE = """
select
    marketplace_code,
    currency_code,
    sum(refund_count) as refund_lines,
    sum(matched_count) as matched,
    sum(amount_mismatch_count) as amount_mismatch,
    sum(missing_from_settlement_count) as missing,
    sum(pending_settlement_count) as pending,
    sum(flagged_count) as flagged,
    sum(refund_net_amount) as refunded_net,
    sum(cash_difference_amount) as cash_difference,
    sum(missing_report_line_amount) as missing_report_line,
    sum(unclassified_amount) as unclassified
from marts.rpt_marketplace_refunds
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
        f"{'pending':>8}{'flagged':>8}{'refunded (net)':>16}{'cash diff':>12}{'report gap':>12}"
    )
    lines = [
        "Refund reconciliation (marts.rpt_marketplace_refunds): refund lines, i.e. refunds,"
        " A-to-z claims and chargebacks x item; cash diff = cash_difference_amount (settled -"
        " expected where the payout did not transfer its transactions' total); report gap ="
        " missing_report_line_amount (refunds paid but not printed in the report)",
        header,
        "-" * len(header),
    ]
    unclassified = []
    for code, ccy, n, matched, mism, missing, pending, flagged, net, cash, gap, unclass in refunds:
        lines.append(
            f"{code:<12}{ccy:<5}{n:>8}{matched:>8}{mism:>9}{missing:>8}{pending:>8}{flagged:>8}"
            f"{net:>16,.2f}{cash:>12,.2f}{gap:>12,.2f}"
        )
        if unclass:
            unclassified.append(f"{code} {unclass:,.2f} {ccy}")
    if unclassified:
        lines.append(
            "\nWARNING: refund money on breakdown paths the seed breakdown_leaf_paths does not know"
            " (fct_refund_reconciliation.unclassified_amount; add the paths to the seed): "
            + ", ".join(unclassified)
        )
    status = ", ".join(f"{s}: {n}" for s, n in settlements)
    lines.append(f"\nSettlements (marts.fct_settlement_reconciliation): {status}")
    lines.append(f"Warehouse: {duckdb_path}")
    return "\n".join(lines)
