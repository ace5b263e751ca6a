"""The dashboard in a real browser: every page in both languages, figures equal to the marts',
a filter, a drill-down, and the nightly build running while the dashboard is open."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from dashboard.i18n import LANGUAGES, Translator
from dashboard.views import PAGES
from dashboard.views.common import marketplace_code
from tests.dashboard.conftest import SCREENSHOTS, export
from tests.dbt.warehouse_query import queries as warehouse_queries
from tests.dbt.warehouse_query import query as warehouse_query

pytestmark = pytest.mark.browser

READY = '[data-testid="stMetric"], [data-testid="stException"]'


def open_page(page, server, url_path: str, language: str) -> None:
    path = "" if url_path == PAGES[0].url_path else url_path
    page.goto(f"{server.url}/{path}?lang={language}")
    page.wait_for_selector(READY, timeout=60_000)
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').all_inner_texts()  # fmt: skip


def metric_value(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(f"^{re.escape(label)}$")))
    return box.locator('[data-testid="stMetricValue"]').inner_text(timeout=30_000).strip()


def one(db, sql: str):
    [[value]] = warehouse_query(db, sql)
    return value


# Per page, key figures straight from the warehouse (not the exports): (format, SQL of one value).
FIGURES: dict[str, dict[str, tuple[str, str]]] = {
    "overview": {
        "Refunds": ("number", "select sum(refund_count) from marts.rpt_marketplace_refunds"),
        "Refunded (reporting currency)": ("money", "select sum(refund_net_reporting_amount) from marts.rpt_marketplace_refunds"),
    },
    "payouts": {
        "Open payout groups": ("number", "select count(*) from marts.fct_payouts where not is_closed"),
        "Expected deposits (reporting currency)": ("money",
            "select coalesce(sum(expected_deposit_reporting_amount), 0) from marts.fct_payouts where is_deposit_expected"),
    },
    "money-owed": {
        "Claims to file": ("number", "select count(*) from marts.fct_money_owed where status = 'eligible'"),
        "Amount to claim (reporting currency)": ("money",
            "select coalesce(sum(reporting_amount), 0) from marts.fct_money_owed where status = 'eligible'"),
    },
    "alerts": {
        "Open alerts": ("number", "select count(*) from marts.fct_dispute_alerts where is_open"),
        "Refunds waiting for review": ("number",
            "select count(*) from marts.fct_refund_decisions where decision = 'manual_review'"),
    },
    "risk": {
        "High-risk buyers": ("number", "select count(*) from marts.fct_buyer_risk where risk_band = 'high'"),
        "High-risk returns": ("number", "select count(*) from marts.fct_return_risk_scores where risk_band = 'high'"),
        "Refunded on high-risk returns (reporting currency)": ("money",
            "select coalesce(sum(reporting_refund_amount), 0) from marts.fct_return_risk_scores where risk_band = 'high'"),
    },
    "cash-flow": {
        "Next payouts (reporting currency)": ("money",
            "select sum(expected_payout_reporting_amount) from marts.fct_cashflow_forecast where payout_sequence = 1"),
        "Settlement closes in 28 days": ("number",
            "select count(*) from marts.fct_cashflow_forecast where is_settlement_close"),
        # WAPE over marketplaces: each one's errors weighed at its reporting rate.
        "Next-payout WAPE": ("percent", """
            select sum(a.absolute_error_amount * f.fx_rate) / sum(abs(a.realised_amount) * f.fx_rate)
            from marts.fct_cashflow_forecast_accuracy as a
            inner join (select distinct seller_id, marketplace_id, currency_code, fx_rate
                        from marts.fct_cashflow_forecast) as f using (seller_id, marketplace_id, currency_code)
            where a.measure = 'payout' and a.payout_sequence = 1"""),
        "Next-payout interval coverage": ("percent",
            "select avg(case when is_within_interval then 1.0 else 0.0 end)"
            " from marts.fct_cashflow_forecast_accuracy where measure = 'payout' and payout_sequence = 1"),
    },
    "data-health": {
        "Marts exported": ("number", "select count(*) from information_schema.tables where table_schema = 'marts'"),
    },
}  # fmt: skip


def expected_figures(built, t: Translator) -> dict[str, dict[str, str]]:
    """Per page, its FIGURES read from the warehouse now (all in one read-only connection), formatted."""
    sqls = ["select max(reporting_currency_code) from marts.fct_payouts"]
    sqls += [sql for figures in FIGURES.values() for _, sql in figures.values()]
    values = iter([value for [[value]] in warehouse_queries(built.duckdb_path, sqls)])
    currency = next(values)
    formats = {"number": lambda v: t.number(int(v)), "money": lambda v: t.money(Decimal(v), currency),
               "percent": t.percent}  # fmt: skip
    return {page: {label: formats[kind](next(values)) for label, (kind, _) in figures.items()}
            for page, figures in FIGURES.items()}  # fmt: skip


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_shows_the_marts_figures_in_both_languages(page, dashboard, built, spec, language):
    t = Translator(language)
    open_page(page, dashboard, spec.url_path, language)
    assert page.locator("[data-testid=\"stHeading\"]").first.inner_text().strip()
    for label, expected in expected_figures(built, t)[spec.url_path].items():
        assert metric_value(page, t.gettext(label)) == expected, (spec.url_path, language, label)
    if language != "en":
        assert page.get_by_text(t.gettext(spec.title)).count() > 0
        assert re.search(r"[\u4e00-\u9fff]", page.locator("section").first.inner_text())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{spec.url_path}-{language}.png", full_page=True)


def test_the_marketplace_filter_narrows_figures_to_that_marketplace(page, dashboard, built):
    t = Translator("en")
    open_page(page, dashboard, "overview", "en")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Marketplace").click()
    page.get_by_role("option", name="DE", exact=True).click()
    page.keyboard.press("Escape")
    expected = t.number(int(one(built.duckdb_path, "select sum(refund_count) from marts.rpt_marketplace_refunds"
                                                  " where marketplace_code = 'DE'")))  # fmt: skip
    page.wait_for_function(
        """([label, value]) => [...document.querySelectorAll('[data-testid="stMetric"]')].some(
            m => m.innerText.startsWith(label) && m.innerText.includes(value))""",
        arg=["Refunds", expected], timeout=30_000,
    )
    assert metric_value(page, "Refunds") == expected


def test_the_language_switch_changes_every_label(page, dashboard):
    open_page(page, dashboard, "overview", "en")
    page.locator('[data-testid="stSidebar"]').get_by_text("简体中文").click()
    page.get_by_role("heading", name="概览").wait_for(timeout=30_000)
    assert "lang=zh_Hans" in page.url
    assert metric_value(page, "退款笔数")


def test_a_settlement_drills_down_to_its_lines(page, dashboard, built):
    t = Translator("en")
    db = built.duckdb_path
    settlement_id, lines, reported, currency = warehouse_query(db, """
        select settlement_id, cast(settlement_line_count as varchar), cast(reported_total_amount as varchar),
               currency_code
        from marts.fct_settlement_reconciliation
        where settlement_id is not null and settlement_line_count > 0
        order by settlement_line_count desc, settlement_id limit 1""")[0]  # fmt: skip
    open_page(page, dashboard, "payouts", "en")
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Settlement")
    box.click()
    page.keyboard.type(settlement_id)
    page.get_by_role("option", name=settlement_id, exact=True).click()
    page.wait_for_selector('[data-testid="stMetricLabel"]:has-text("Reported total")', timeout=30_000)
    assert metric_value(page, "Lines") == t.number(int(lines))
    assert metric_value(page, "Reported total") == t.money(Decimal(reported), currency)
    page.screenshot(path=SCREENSHOTS / "payouts-drill-down-en.png", full_page=True)


def test_a_risky_buyer_drills_down_to_their_returns_with_reasons_in_both_languages(page, dashboard, built):
    db = built.duckdb_path
    buyer_key, marketplace, returns, reason = warehouse_query(db, """
        select buyer_key, marketplace_code, cast(
                   (select count(*) from marts.fct_return_risk_scores r
                    where r.seller_id = b.seller_id and r.marketplace_id = b.marketplace_id
                      and r.buyer_key = b.buyer_key) as varchar),
               reason_code_1
        from marts.fct_buyer_risk b
        where risk_score is not null
        order by risk_score desc, buyer_risk_id limit 1""")[0]  # fmt: skip
    assert reason, "the riskiest buyer carries a reason"
    for language in LANGUAGES:
        t = Translator(language)
        open_page(page, dashboard, "risk", language)
        box = page.locator('[data-testid="stSelectbox"]').filter(has_text=t.gettext("Buyer"))
        box.click()
        page.keyboard.type(buyer_key[:6])  # the option shows the key's first and last six characters
        page.get_by_role("option").filter(has_text=buyer_key[-6:]).first.click()
        page.wait_for_selector(f'[data-testid="stMetricLabel"]:has-text("{t.gettext("Returns scored")}")',
                               timeout=30_000)  # fmt: skip
        assert metric_value(page, t.gettext("Returns scored")) == t.number(int(returns)), language
        assert page.get_by_text(t.label("risk_reason", reason)).count() > 0, (language, reason)
        page.screenshot(path=SCREENSHOTS / f"risk-drill-down-{language}.png", full_page=True)
    assert marketplace and buyer_key


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_cash_flow_page_charts_the_forecast_and_lists_the_payouts_in_both_languages(
    page, dashboard, built, language
):
    """The 28-day timelines (per marketplace and in the reporting currency), the upcoming
    payouts and the measured accuracy; every marketplace of the forecast can be chosen."""
    t = Translator(language)
    db = built.duckdb_path
    markets = [m for [m] in warehouse_query(db, "select distinct marketplace_id from marts.fct_cashflow_forecast")]
    assert len(markets) == 3, "the dashboard's world is long enough to forecast every marketplace"
    open_page(page, dashboard, "cash-flow", language)
    assert page.get_by_role("heading", name=t.gettext("Cash flow")).count() == 1
    assert page.get_by_role("heading", name=t.gettext("Upcoming payouts")).count() == 1
    assert page.get_by_role("heading", name=t.gettext("Forecast accuracy")).count() == 1
    assert page.get_by_text(t.gettext("Not enough history yet"), exact=False).count() == 0
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    # The marketplace timeline, the reporting-currency one (in its tab) and WAPE + coverage.
    charts.first.wait_for(timeout=30_000)
    assert charts.count() == 4
    tables = page.locator('[data-testid="stDataFrame"]')
    assert tables.count() == 2  # the upcoming payouts and the accuracy per measure
    assert tables.first.locator("canvas").count() > 0
    page.get_by_role("tab", name=t.gettext("All marketplaces (reporting currency)")).click()
    page.wait_for_selector('[data-testid="stVegaLiteChart"] >> visible=true', timeout=30_000)
    page.get_by_role("tab", name=t.gettext("Per marketplace")).click()
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=t.gettext("Marketplace"))
    box.click()
    options = page.get_by_role("option")
    assert options.count() == len(markets)
    options.last.click()  # the options are sorted by marketplace code
    last = max(markets, key=marketplace_code)
    [[day, amount, lower, upper, currency]] = warehouse_query(db, f"""
        select forecast_date, cast(expected_payout_amount as varchar), cast(payout_lower_amount as varchar),
               cast(payout_upper_amount as varchar), currency_code
        from marts.fct_cashflow_forecast
        where payout_sequence = 1 and payout_status = 'PAYOUT' and marketplace_id = '{last}'""")  # fmt: skip
    interval = t.gettext("{lower} to {upper}").format(lower=t.money(Decimal(lower), currency),
                                                      upper=t.money(Decimal(upper), currency))  # fmt: skip
    expected = t.gettext("Next payout on {date}: {amount} (80 % interval {interval}).").format(
        date=t.date(date.fromisoformat(day)), amount=t.money(Decimal(amount), currency), interval=interval)
    page.get_by_text(expected).wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    if language != "en":
        assert re.search(r"[\u4e00-\u9fff]", page.locator("section").first.inner_text())
    page.screenshot(path=SCREENSHOTS / f"cash-flow-charts-{language}.png", full_page=True)


def test_the_nightly_build_succeeds_while_the_dashboard_is_open(page, dashboard, built):
    """The dashboard reads the exports only: the build, the one writer, is never locked out."""
    from acorn.warehouse import build

    open_page(page, dashboard, "data-health", "en")
    open_files = {p.resolve() for p in _open_files(dashboard.process.pid)}
    assert built.duckdb_path.resolve() not in open_files  # nothing holds the warehouse
    before = metric_value(page, "Last successful night")
    # The night's own score files (the lake is the session's, beside no score file of this night).
    result = build(built.lake_dir, built.duckdb_path, target_path=built.root / "target", dbt_vars=built.dbt_vars,
                   risk_dir=built.root / "risk")  # fmt: skip
    export(built, result)
    page.reload()
    page.wait_for_selector(READY, timeout=60_000)
    after = metric_value(page, "Last successful night")
    assert after == Translator("en").datetime(result.built_at)
    assert (before, after) and result.node_count > 0


def _open_files(pid: int):
    from pathlib import Path

    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            yield Path(fd.readlink())
        except OSError:
            continue
