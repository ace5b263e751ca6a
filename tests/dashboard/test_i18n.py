"""The dashboard's catalogues: every message in both languages, every mart code labelled,
numbers and dates in each locale's own format."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from dashboard.catalogues import extract_messages
from dashboard.i18n import CODE_LABELS, LANGUAGES, Translator, catalogue_path

pytestmark = pytest.mark.unit

MARTS_DIR = Path(__file__).resolve().parents[2] / "dbt" / "models" / "marts"
# Words written the same in Chinese text (identifiers and acronyms).
SAME_IN_CHINESE = {"SKU"}
# Which mart column's accepted values each label set covers.
LABELLED_COLUMNS = {
    "claim_type": [("fct_money_owed", "claim_type")],
    "claim_status": [("fct_money_owed", "status")],
    "alert_type": [("fct_dispute_alerts", "alert_type")],
    "alert_status": [("fct_dispute_alerts", "status")],
    "severity": [("fct_dispute_alerts", "severity")],
    "decision_rule": [("fct_refund_decisions", "decision_rule")],
    "settlement_status": [("fct_settlement_reconciliation", "reconciliation_status"),
                          ("fct_payouts", "reconciliation_status")],
    "line_status": [("fct_transaction_settlement_reconciliation", "reconciliation_status")],
    "transaction_type": [("fct_transaction_settlement_reconciliation", "transaction_type")],
    "risk_band": [("fct_return_risk_scores", "risk_band"), ("fct_buyer_risk", "risk_band")],
    "buyer_key_kind": [("fct_return_risk_scores", "buyer_key_kind"), ("fct_buyer_risk", "buyer_key_kind")],
    "risk_reason": [(mart, f"reason_code_{i}") for mart in ("fct_return_risk_scores", "fct_buyer_risk")
                    for i in (1, 2, 3)],
}  # fmt: skip


def catalogue(language: str) -> dict[str, str]:
    with catalogue_path(language).open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id and not m.fuzzy}


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_message_in_the_code_has_a_translation(language):
    messages, translated = extract_messages(), catalogue(language)
    assert len(messages) > 100
    missing = sorted(m for m in messages if not translated.get(m))
    assert not missing, f"untranslated in {language} (run `make i18n`, then translate): {missing}"


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_catalogues_hold_no_message_the_code_dropped(language):
    stale = sorted(set(catalogue(language)) - extract_messages())
    assert not stale, f"{language} has messages no code uses (run `make i18n`): {stale}"


def test_chinese_messages_are_chinese_and_keep_their_placeholders():
    for message, text in catalogue("zh_Hans").items():
        if message not in SAME_IN_CHINESE:
            assert re.search(r"[\u4e00-\u9fff]", text), (message, text)
        assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", message)), message


def test_every_code_the_marts_accept_has_a_label():
    accepted: dict[tuple[str, str], list[str]] = {}
    for path in MARTS_DIR.rglob("*.yml"):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            for column in model.get("columns", []):
                for test in column.get("data_tests") or []:
                    if isinstance(test, dict) and "accepted_values" in test:
                        accepted[(model["name"], column["name"])] = test["accepted_values"]["arguments"]["values"]
    for kind, columns in LABELLED_COLUMNS.items():
        for column in columns:
            assert set(accepted[column]) <= set(CODE_LABELS[kind]), (kind, column)


def test_numbers_money_and_dates_follow_the_locale():
    en, zh = Translator("en"), Translator("zh_Hans")
    assert en.money(Decimal("-1234.5"), "EUR") == "-€1,234.50"
    assert en.money(Decimal("314606"), "JPY") == "¥314,606"  # no minor unit
    assert zh.money(Decimal("116.78"), "CNY") == "¥116.78"
    assert en.money(Decimal("116.78"), "CNY") == "CN¥116.78"
    assert en.date(date(2026, 11, 3)) == "Nov 3, 2026"
    assert zh.date(date(2026, 11, 3)) == "2026年11月3日"
    assert en.percent(Decimal("0.8075")) == "80.8%"
    instant = datetime(2026, 9, 10, 15, 0, tzinfo=UTC)
    assert en.datetime(instant) == "Sep 10, 2026 3:00\u202fPM UTC"
    assert en.datetime(instant, "America/Los_Angeles") == "Sep 10, 2026 8:00\u202fAM PDT"
    assert zh.datetime(instant, "Asia/Tokyo") == "2026年9月11日 00:00 +0900"
    assert zh.label("claim_type", "over_refund") == "超额退款"
    assert en.label("claim_type", "a_code_added_later") == "a_code_added_later"
