"""The daily digest per seller: what the finance and operations team acts on this morning.

Read from the marts only (it defines no metric of its own) and written by the
nightly `warehouse_build` DAG after the marts, as Markdown and HTML, one pair
per seller, under `<data>/digests/<as-of date>/`:

* new claims (money Amazon owes that became claimable since the previous
  digest day), with amounts and deadlines, and every open claim's total;
* dispute alerts due within 24 hours of the as-of instant (or overdue);
* refund requests waiting for a manual decision;
* payouts expected: open or not yet transferred financial event groups.

"As of" is the instant the marts were judged at (`intermediate.int_as_of`), so
re-running a night rewrites the same files. Templates are Jinja2
(`digest_templates/`), HTML autoescaped.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

TEMPLATES_DIR = Path(__file__).resolve().parent / "digest_templates"

# One query per digest section; every column is a mart column (or the marketplace seed's code).
QUERIES: dict[str, str] = {
    "new_claims": """
        select seller_id, marketplace_code, claim_type, order_id, sku,
               amount, currency_code, reporting_amount, file_from_date, deadline_date
        from marts.fct_money_owed
        where status = 'eligible' and file_from_date = as_of_local_date
        order by seller_id, deadline_date, amount desc, order_id, sku
    """,
    "open_claims": """
        select seller_id, marketplace_code, currency_code,
               count(*) as claims, sum(amount) as amount, sum(reporting_amount) as reporting_amount,
               min(deadline_date) as next_deadline_date
        from marts.fct_money_owed
        where status = 'eligible'
        group by 1, 2, 3
        order by 1, 2
    """,
    "alerts_due": """
        select seller_id, marketplace_code, alert_type, status, severity, order_id, sku,
               due_at, due_local_date, time_zone
        from marts.fct_dispute_alerts
        where is_open and due_at <= as_of_at + interval 24 hour
        order by seller_id, due_at, order_id, sku
    """,
    "reviews": """
        select seller_id, marketplace_code, order_id, sku, decision_rule, policy_clause,
               request_amount, currency_code, request_reporting_amount
        from marts.fct_refund_decisions
        where decision = 'manual_review'
        order by seller_id, marketplace_code, order_id, sku
    """,
    "payouts": """
        select p.seller_id, mp.marketplace_code, p.financial_event_group_id, p.processing_status,
               p.fund_transfer_status, p.original_total_amount, p.original_currency_code,
               p.expected_deposit_reporting_amount, p.reporting_currency_code,
               p.expected_transfer_date, p.reconciliation_status
        from marts.fct_payouts as p
        left join seeds.marketplaces as mp on p.marketplace_id = mp.marketplace_id
        where p.is_deposit_expected
        order by p.seller_id, p.expected_transfer_date, p.financial_event_group_id
    """,
}
AS_OF = "select as_of_at from intermediate.int_as_of"


@dataclass
class Digest:
    """One seller's digest: rows per section, as dicts of the queries' columns."""

    seller_id: str
    as_of: datetime
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not any(self.sections.values())


def collect(duckdb_path: str | Path) -> list[Digest]:
    """Every seller's digest from a built warehouse (read-only), sellers in id order."""
    import duckdb

    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        (as_of,) = con.execute(AS_OF).fetchone()
        if as_of is None:
            return []
        by_seller: dict[str, Digest] = {}
        for section, sql in QUERIES.items():
            cur = con.execute(sql)
            names = [d[0] for d in cur.description]
            for row in cur.fetchall():
                record = dict(zip(names, row, strict=True))
                digest = by_seller.setdefault(record["seller_id"], Digest(record["seller_id"], as_of))
                digest.sections.setdefault(section, []).append(record)
    for digest in by_seller.values():
        for section in QUERIES:
            digest.sections.setdefault(section, [])
    return [by_seller[s] for s in sorted(by_seller)]


def format_money(value: Decimal | None, currency: str | None = None) -> str:
    """1,234.50 USD / 4,031 JPY: grouped, at the currency's minor unit (2 places without one)."""
    from acorn.marketplaces import CURRENCY_EXPONENTS

    if value is None:
        return "–"
    places = CURRENCY_EXPONENTS.get(currency or "", 2)
    text = f"{Decimal(value):,.{places}f}"
    return f"{text} {currency}" if currency else text


def _environment(autoescape: bool):
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = format_money
    return env


def render(digest: Digest) -> dict[str, str]:
    """{"md": ..., "html": ...} for one seller."""
    context = {"d": digest, "s": digest.sections}
    return {
        "md": _environment(False).get_template("digest.md.j2").render(context),
        "html": _environment(True).get_template("digest.html.j2").render(context),
    }


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_digests(duckdb_path: str | Path, out_dir: str | Path) -> list[Path]:
    """Write `<out_dir>/<as-of date>/<seller_id>.md` and `.html` for every seller; returns the paths."""
    written: list[Path] = []
    for digest in collect(duckdb_path):
        day_dir = Path(out_dir) / digest.as_of.date().isoformat()
        for ext, text in render(digest).items():
            path = day_dir / f"{digest.seller_id}.{ext}"
            _write_atomically(path, text)
            written.append(path)
    return written


def write_digests_from_settings() -> dict[str, Any]:
    """`write_digests` with paths from `acorn.config` (the Airflow task's entry point)."""
    from acorn.config import load_settings

    settings = load_settings()
    paths = write_digests(settings.duckdb_path, settings.data_dir / "digests")
    return {"files": len(paths), "dir": str(settings.data_dir / "digests")}


def summary_lines(duckdb_path: str | Path, limit: int = 5) -> list[str]:
    """Money owed per marketplace and the next expected payouts, for the run summary."""
    lines: list[str] = []
    digests = collect(duckdb_path)
    owed: dict[tuple[str, str], list[Any]] = {}
    payouts: list[Mapping[str, Any]] = []
    for digest in digests:
        for row in digest.sections["open_claims"]:
            key = (row["marketplace_code"] or "?", row["currency_code"])
            acc = owed.setdefault(key, [0, Decimal(0), Decimal(0), None])
            acc[0] += row["claims"]
            acc[1] += row["amount"] or 0
            acc[2] += row["reporting_amount"] or 0
            deadline = row["next_deadline_date"]
            acc[3] = deadline if acc[3] is None or (deadline and deadline < acc[3]) else acc[3]
        payouts.extend(digest.sections["payouts"])
    lines.append("Money owed by Amazon, claimable now (marts.fct_money_owed, status eligible):")
    if not owed:
        lines.append("  none")
    for (code, ccy), (n, amount, reporting, deadline) in sorted(owed.items()):
        lines.append(f"  {code:<4}{n:>5} claims {format_money(amount, ccy):>16}  ({format_money(reporting)} reporting)"
                     f"  next deadline {deadline}")  # fmt: skip
    lines.append("Next expected payouts (marts.fct_payouts):")
    if not payouts:
        lines.append("  none")
    for row in sorted(payouts, key=_payout_order)[:limit]:
        lines.append(
            f"  {row['expected_transfer_date']}  {row['marketplace_code'] or '?':<4}"
            f"{format_money(row['original_total_amount'], row['original_currency_code']):>18}"
            f"  = {format_money(row['expected_deposit_reporting_amount'], row['reporting_currency_code'])}"
        )
    return lines


def _payout_order(row: Mapping[str, Any]) -> tuple[date, str]:
    return (row["expected_transfer_date"] or date.max, row["financial_event_group_id"])
