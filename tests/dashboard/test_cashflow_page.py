"""The cash-flow page without a browser, on hand-made exports: a payout and a NO_PAYOUT close,
marketplaces whose origin days differ, WAPE across currencies, and the empty state of a
warehouse with too little history."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from dashboard.data import Filters, load_exports
from dashboard.i18n import Translator
from dashboard.views import cashflow
from dashboard.views.common import Context

pytestmark = pytest.mark.unit

DE, JP = "A1PA6795UKMFR9", "A1VC38T7YXB528"
ORIGIN = date(2026, 10, 16)


def _forecast_rows() -> list[tuple]:
    """DE (EUR, 3 days from the origin: a NO_PAYOUT close, then a payout) and JP (JPY, origin a day later)."""
    rows = []
    for market, currency, rate, start in (
        (DE, "EUR", "7.8", ORIGIN),
        (JP, "JPY", "0.048", ORIGIN + timedelta(1)),
    ):
        for h in range(3):
            day = start + timedelta(h)
            close = {(DE, 1): (1, "NO_PAYOUT", "0", "0", "0"), (DE, 2): (2, "PAYOUT", "100", "90", "110"),
                     (JP, 0): (1, "PAYOUT", "20000", "18000", "22000")}.get((market, h))  # fmt: skip
            sequence, status, payout, lower, upper = close or (None, None, None, None, None)
            rows.append((market, currency, start, day, h + 1, close is not None, sequence, status,
                         "10" if market == DE else "1000", "-5" if market == DE else "-500",
                         "25" if market == DE else "2500", str(50 + h) if market == DE else str(5000 + h),
                         payout, lower, upper, rate))  # fmt: skip
    return rows


@pytest.fixture
def exports(tmp_path: Path):
    return _exports(tmp_path, _forecast_rows(), [
        # DE: errors 10 on 100 and 0 on 100 -> 5 %; JP: 1000 on 10000 -> 10 %. In CNY JP weighs
        # 10000 * 0.048 = 480 against DE's 200 * 7.8 = 1560: (78 + 48) / (1560 + 480) = 6.18 %.
        (DE, "EUR", date(2026, 9, 1), 3, "payout", 1, "110", "100", True),
        (DE, "EUR", date(2026, 9, 2), 2, "payout", 1, "100", "100", True),
        (JP, "JPY", date(2026, 9, 1), 1, "payout", 1, "11000", "10000", False),
        (DE, "EUR", date(2026, 9, 1), 17, "payout", 2, "90", "100", False),
        (DE, "EUR", date(2026, 9, 1), 1, "net_flow", None, "12", "10", True),
    ])  # fmt: skip


def _exports(root: Path, forecast: list[tuple], accuracy: list[tuple]):
    con = duckdb.connect(":memory:")
    con.execute("""create table f (marketplace_id varchar, currency_code varchar, forecast_origin_date date,
        forecast_date date, horizon_days integer, is_settlement_close boolean, payout_sequence integer,
        payout_status varchar, expected_net_flow_amount varchar, net_flow_lower_amount varchar,
        net_flow_upper_amount varchar, projected_available_amount varchar, expected_payout_amount varchar,
        payout_lower_amount varchar, payout_upper_amount varchar, fx_rate varchar)""")  # fmt: skip
    if forecast:
        con.executemany(f"insert into f values ({', '.join('?' * 16)})", forecast)
    con.execute("""create table a (marketplace_id varchar, currency_code varchar, forecast_origin_date date,
        horizon_days integer, measure varchar, payout_sequence integer, forecast_amount varchar,
        realised_amount varchar, is_within_interval boolean)""")  # fmt: skip
    if accuracy:
        con.executemany(f"insert into a values ({', '.join('?' * 9)})", accuracy)
    money = "cast({0} as decimal(20, 4)) as {0}"
    reporting = (
        "cast(round(cast({0} as decimal(20, 4)) * cast(fx_rate as decimal(20, 8)), 2) as decimal(20, 4))"
    )
    marts = {
        "fct_cashflow_forecast": f"""
            select 'S1' as seller_id, marketplace_id, currency_code, forecast_date, horizon_days,
                   forecast_origin_date, is_settlement_close, payout_sequence, payout_status,
                   {", ".join(money.format(c) for c in ("expected_net_flow_amount", "net_flow_lower_amount",
                              "net_flow_upper_amount", "projected_available_amount", "expected_payout_amount",
                              "payout_lower_amount", "payout_upper_amount"))},
                   cast(case when marketplace_id = '{DE}' then 1140 else 0 end as decimal(20, 4))
                       as account_level_reserve_amount,
                   80 as interval_level_percent, 'CNY' as reporting_currency_code,
                   cast(fx_rate as decimal(20, 8)) as fx_rate, 'fx_rates_seed' as fx_rate_source,
                   marketplace_id = '{JP}' as is_fx_rate_stale,
                   {reporting.format("expected_net_flow_amount")} as expected_net_flow_reporting_amount,
                   {reporting.format("projected_available_amount")} as projected_available_reporting_amount,
                   {reporting.format("expected_payout_amount")} as expected_payout_reporting_amount,
                   {reporting.format("payout_lower_amount")} as payout_lower_reporting_amount,
                   {reporting.format("payout_upper_amount")} as payout_upper_reporting_amount,
                   'test model' as model_name
            from f""",
        "fct_cashflow_forecast_accuracy": """
            select 'S1' as seller_id, marketplace_id, currency_code, forecast_origin_date,
                   forecast_origin_date + horizon_days - 1 as forecast_date, horizon_days, measure,
                   payout_sequence, cast(forecast_amount as decimal(20, 4)) as forecast_amount,
                   cast(realised_amount as decimal(20, 4)) as realised_amount,
                   cast(abs(cast(forecast_amount as decimal(20, 4)) - cast(realised_amount as decimal(20, 4)))
                        as decimal(20, 4)) as absolute_error_amount,
                   is_within_interval
            from a""",
    }  # fmt: skip
    entries = []
    for mart, sql in marts.items():
        (root / mart).mkdir(parents=True)
        con.execute(f"copy ({sql}) to '{root / mart / mart}.parquet' (format parquet)")
        columns = [{"name": name} for name in con.execute(f"select * from ({sql}) limit 0").df().columns]
        entries.append({"mart": mart, "parquet": f"{mart}/{mart}.parquet", "columns": columns})
    (root / "manifest.json").write_text(
        json.dumps({"built_at": "2026-10-17T02:00:00+00:00", "marts": entries})
    )
    return load_exports(root)


def context(exports, language: str = "en", **filters) -> Context:
    return Context(exports, Filters(**filters), Translator(language))


def test_upcoming_payouts_list_every_close_soonest_first_with_no_payout_as_such(exports):
    ctx = context(exports, "zh_Hans")
    payouts = cashflow.upcoming_payouts(cashflow.forecast_days(ctx))
    assert list(zip(payouts["marketplace_id"], payouts["payout_status"], strict=True)) == [
        (DE, "NO_PAYOUT"), (JP, "PAYOUT"), (DE, "PAYOUT")]  # fmt: skip
    de = cashflow.forecast_days(ctx)
    de = de[de["marketplace_id"] == DE]
    assert (
        cashflow.next_payout_text(ctx, de)
        == "下一次结算截止 2026年10月17日：无付款，余额不为正，结转至下一周期。"
    )
    jp = cashflow.forecast_days(context(exports))
    jp = jp[jp["marketplace_id"] == JP]
    assert cashflow.next_payout_text(context(exports), jp) == (
        "Next payout on Oct 17, 2026: ¥20,000 (80 % interval ¥18,000 to ¥22,000)."
    )


def test_a_held_account_level_reserve_is_said_in_both_languages_and_none_is_not(exports):
    def days(ctx, market):
        frame = cashflow.forecast_days(ctx)
        return frame[frame["marketplace_id"] == market]

    en, zh = context(exports), context(exports, "zh_Hans")
    assert cashflow.reserve_text(en, days(en, DE)) == (
        "Amazon holds an account-level reserve of €1,140.00, already out of the available balance. "
        "The forecast keeps it held: Amazon publishes no release date."
    )
    assert cashflow.reserve_text(zh, days(zh, DE)).startswith("亚马逊持有账户级预留金 €1,140.00，")
    assert cashflow.reserve_text(en, days(en, JP)) is None  # 0 held: nothing to say


def test_the_reporting_timeline_sums_only_the_days_every_marketplace_forecasts(exports):
    summed = cashflow.reporting_timeline(cashflow.forecast_days(context(exports)))
    # DE forecasts Oct 16-18, JP Oct 17-19: only Oct 17 and 18 hold both.
    assert [d.date() if hasattr(d, "date") else d for d in summed["forecast_date"]] == [
        date(2026, 10, 17), date(2026, 10, 18)]  # fmt: skip
    # Balances 51 EUR * 7.8 + 5000 JPY * 0.048 = 397.80 + 240.00 on Oct 17.
    assert summed["projected_available_reporting_amount"].tolist() == pytest.approx([637.80, 645.65])
    assert summed["expected_payout_reporting_amount"].tolist() == pytest.approx([0 + 960.00, 780.00])


def test_wape_weighs_each_currency_at_its_reporting_rate_and_coverage_counts_the_intervals(exports):
    ctx = context(exports)
    summary = cashflow.accuracy_summary(ctx)
    row = summary[(summary["measure"] == "payout") & (summary["payout_sequence"] == 1)].iloc[0]
    assert int(row["scored_count"]) == 3
    assert float(row["wape"]) == pytest.approx((10 * 7.8 + 1000 * 0.048) / (200 * 7.8 + 10000 * 0.048))
    assert float(row["coverage"]) == pytest.approx(2 / 3)
    by_market = cashflow.accuracy_by(ctx, "marketplace")
    de = by_market[(by_market["marketplace_id"] == DE) & (by_market["payout_sequence"] == 1)].iloc[0]
    assert float(de["wape"]) == pytest.approx(0.05)  # within one currency: the mart's plain ratio
    by_horizon = cashflow.accuracy_by(ctx, "horizon")
    assert sorted(zip(by_horizon["payout_sequence"], by_horizon["horizon_days"], strict=True)) == [
        (1, 1), (1, 2), (1, 3), (2, 17)]  # fmt: skip
    # The sidebar's marketplace filter narrows the accuracy too.
    only_de = cashflow.accuracy_summary(context(exports, marketplace_ids=(DE,)))
    assert (
        float(only_de[only_de["measure"] == "payout"].sort_values("payout_sequence").iloc[0]["wape"]) == 0.05
    )


def test_the_accuracy_table_names_every_measure_the_mart_accepts():
    path = Path(__file__).resolve().parents[2] / "dbt/models/marts/cashflow/_cashflow__models.yml"
    [model] = [
        m for m in yaml.safe_load(path.read_text())["models"] if m["name"] == "fct_cashflow_forecast_accuracy"
    ]
    [measure] = [c for c in model["columns"] if c["name"] == "measure"]
    [accepted] = [t["accepted_values"] for t in measure["data_tests"] if isinstance(t, dict)]
    assert {m for m, _sequence, _label in cashflow.ACCURACY_ROWS} == set(accepted["arguments"]["values"])


def _render(exports_root: str, language: str) -> None:
    from dashboard.data import Filters, load_exports
    from dashboard.i18n import Translator
    from dashboard.views import cashflow
    from dashboard.views.common import Context

    cashflow.render(Context(load_exports(exports_root), Filters(), Translator(language)))


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_the_page_renders_the_forecast_and_a_no_payout_close(exports, language):
    from streamlit.testing.v1 import AppTest

    t = Translator(language)
    app = AppTest.from_function(_render, args=(str(exports.root), language)).run(timeout=60)
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics[t.gettext("Settlement closes in 28 days")] == "3"
    assert metrics[t.gettext("Next payouts (reporting currency)")] == t.money(Decimal("960.00"), "CNY")
    payouts = app.dataframe[0].value
    assert payouts[t.gettext("Amount")].tolist()[0] == t.gettext("No payout")
    assert payouts[t.gettext("80 % interval")].tolist()[0] == "—"
    assert not [i for i in app.info if t.gettext("Not enough history yet")[:10] in i.value]


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_a_warehouse_with_too_little_history_says_so(tmp_path, language):
    from streamlit.testing.v1 import AppTest

    t = Translator(language)
    empty = _exports(tmp_path, [], [])
    app = AppTest.from_function(_render, args=(str(empty.root), language)).run(timeout=60)
    assert not app.exception
    assert {m.value for m in app.metric} == {"—", "0"}
    messages = [i.value for i in app.info]
    days = cashflow.min_history_days()
    assert len(messages) == 2 and all(str(days) in m for m in messages), messages
    assert messages[0] == t.gettext("Not enough history yet: the forecast needs {days} days of transactions per "
                                    "marketplace.").format(days=days)  # fmt: skip
    assert not app.dataframe
