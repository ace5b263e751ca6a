"""The daily digest (acorn.digest) on a built warehouse: every section is the marts' rows, per seller."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.dbt.warehouse_query import query as _query

pytestmark = pytest.mark.dbt


@pytest.fixture(scope="module")
def warehouse(world_75d) -> Path:
    """The session's 75-day world (tests/conftest.py, shared with the dashboard tests: seed 5,
    US/DE/JP, 30 orders a day), built with its as-of instant: read it, never write it."""
    return world_75d.duckdb_path


@pytest.fixture(scope="module")
def written(warehouse, tmp_path_factory) -> tuple[Path, list[Path]]:
    from acorn.digest import write_digests

    out = tmp_path_factory.mktemp("digests")
    return out, write_digests(warehouse, out)


def test_one_markdown_and_one_html_file_per_seller_under_the_as_of_date(warehouse, written):
    out, paths = written
    sellers = [s for (s,) in _query(warehouse, "select distinct seller_id from marts.fct_money_owed order by 1")]
    [[as_of]] = _query(warehouse, "select cast(cast(as_of_at as date) as varchar) from intermediate.int_as_of")
    assert sellers
    assert sorted(p.relative_to(out).as_posix() for p in paths) == sorted(
        f"{as_of}/{s}.{ext}" for s in sellers for ext in ("md", "html")
    )


def test_every_section_lists_the_marts_rows(warehouse, written):
    from acorn.digest import format_money

    _, paths = written
    md = {p.stem: p.read_text() for p in paths if p.suffix == ".md"}
    for seller, text in md.items():
        alerts = _query(warehouse, "select order_id from marts.fct_dispute_alerts where is_open"
                                   f" and due_at <= as_of_at + interval 24 hour and seller_id = '{seller}'")  # fmt: skip
        reviews = _query(warehouse, "select order_id from marts.fct_refund_decisions"
                                    f" where decision = 'manual_review' and seller_id = '{seller}'")  # fmt: skip
        payouts = _query(warehouse, "select financial_event_group_id from marts.fct_payouts"
                                    f" where is_deposit_expected and seller_id = '{seller}'")  # fmt: skip
        owed = _query(warehouse, "select marketplace_code, currency_code, count(*), sum(amount)"
                                 f" from marts.fct_money_owed where status = 'eligible' and seller_id = '{seller}'"
                                 " group by 1, 2")  # fmt: skip
        assert f"## Alerts due within 24 hours ({len(alerts)})" in text
        assert f"## Refund requests for review ({len(reviews)})" in text
        assert f"## Payouts expected ({len(payouts)})" in text
        assert payouts, "every seller has an open payout cycle"
        for (order_id,) in alerts + reviews:
            assert order_id in text
        for (group_id,) in payouts:
            assert group_id in text
        for code, ccy, n, amount in owed:
            assert f"| {code} | {n} | {format_money(Decimal(amount), ccy)} |" in text


def test_a_rerun_writes_the_same_bytes(warehouse, written, tmp_path):
    from acorn.digest import write_digests

    out, paths = written
    again = write_digests(warehouse, tmp_path)
    assert {p.relative_to(tmp_path): p.read_bytes() for p in again} == {
        p.relative_to(out): p.read_bytes() for p in paths
    }


def test_the_run_summary_names_money_owed_per_marketplace_and_the_next_payouts(warehouse):
    from acorn.digest import summary_lines

    text = "\n".join(summary_lines(warehouse))
    assert "Money owed by Amazon" in text and "Next expected payouts" in text
    for (code,) in _query(warehouse, "select distinct marketplace_code from marts.fct_money_owed where status = 'eligible'"):
        assert f"\n  {code:<4}" in text


def test_html_escapes_what_the_data_says():
    from acorn.digest import Digest, render

    as_of = datetime(2026, 10, 30, tzinfo=UTC)
    digest = Digest("S1", as_of, {
        "new_claims": [], "open_claims": [], "alerts_due": [], "payouts": [],
        "reviews": [{"marketplace_code": "US", "order_id": "<script>alert(1)</script>", "sku": "A&B",
                     "decision_rule": "high_value", "policy_clause": "x", "request_amount": Decimal("1"),
                     "currency_code": "USD", "request_reporting_amount": Decimal("7.12")}],
    })  # fmt: skip
    out = render(digest)
    assert "<script>" not in out["html"] and "&lt;script&gt;" in out["html"] and "A&amp;B" in out["html"]
    assert "<script>alert(1)</script>" in out["md"]
