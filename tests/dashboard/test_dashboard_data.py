"""The dashboard's data layer without a browser: filters, staleness, reading only the exports."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import duckdb
import pytest

from dashboard.data import ExportsMissingError, Filters, is_stale, load_exports, query

pytestmark = pytest.mark.unit


@pytest.fixture
def exports(tmp_path):
    (tmp_path / "fct_payouts").mkdir()
    duckdb.sql("""
        copy (select * from (values
            ('S1', 'ATVPDKIKX0DER', date '2026-08-01', 'CNY', 10.25::decimal(20, 4)),
            ('S1', 'A1PA6795UKMFR9', date '2026-09-01', 'CNY', 5.50::decimal(20, 4)),
            ('S2', 'A1PA6795UKMFR9', null, 'CNY', 1.00::decimal(20, 4))
        ) as t(seller_id, marketplace_id, group_started_at, reporting_currency_code, amount))
        to '""" + str(tmp_path / "fct_payouts" / "fct_payouts.parquet") + "' (format parquet)")  # fmt: skip
    manifest = {"built_at": "2026-11-01T02:00:00+00:00",
                "marts": [{"mart": "fct_payouts", "parquet": "fct_payouts/fct_payouts.parquet"}]}  # fmt: skip
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    return load_exports(tmp_path)


def total(exports, filters: Filters) -> list:
    where, params = filters.where("fct_payouts", reporting_currency_column="reporting_currency_code")
    return query(exports, f"select seller_id, sum(amount) as amount from fct_payouts where {where} group by all"
                          " order by 1", params, ["fct_payouts"]).values.tolist()  # fmt: skip


def test_filters_narrow_by_seller_marketplace_and_period_keeping_undated_rows(exports):
    from decimal import Decimal

    assert total(exports, Filters()) == [["S1", Decimal("15.75")], ["S2", Decimal("1.00")]]
    assert total(exports, Filters(seller_ids=("S2",))) == [["S2", Decimal("1.00")]]
    assert total(exports, Filters(marketplace_ids=("ATVPDKIKX0DER",))) == [["S1", Decimal("10.25")]]
    august = Filters(start=date(2026, 8, 1), end=date(2026, 8, 31))
    assert total(exports, august) == [["S1", Decimal("10.25")], ["S2", Decimal("1.00")]]
    assert total(exports, Filters(reporting_currency="USD")) == []


def test_the_exports_must_exist(tmp_path, exports):
    with pytest.raises(ExportsMissingError):
        load_exports(tmp_path / "nowhere")
    with pytest.raises(ExportsMissingError, match="fct_money_owed"):
        query(exports, "select 1", tables=["fct_money_owed"])


def test_data_is_stale_after_36_hours_without_a_successful_night():
    now = datetime(2026, 11, 2, 12, tzinfo=UTC)
    assert not is_stale(now - timedelta(hours=36), now)
    assert is_stale(now - timedelta(hours=36, minutes=1), now)
    assert is_stale(None, now)


def test_the_data_health_page_warns_of_stale_data(exports):
    """Streamlit's AppTest on the page function itself, with a clock two days on."""
    from streamlit.testing.v1 import AppTest

    def page(exports_root: str) -> None:
        from datetime import UTC, datetime

        from dashboard.data import Filters, load_exports
        from dashboard.i18n import Translator
        from dashboard.views import data_health
        from dashboard.views.common import Context

        data_health.render(Context(load_exports(exports_root), Filters(), Translator("zh_Hans")),
                           now=datetime(2026, 11, 3, 15, tzinfo=UTC))  # fmt: skip

    app = AppTest.from_function(page, args=(str(exports.root),)).run(timeout=30)
    assert not app.exception
    [error] = app.error
    assert "数据已过时" in error.value and "36" in error.value
