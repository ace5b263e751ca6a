from __future__ import annotations

import codecs
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from acorn import marketplaces
from acorn.spapi import UnknownLayoutError, parse_report
from acorn.spapi.flatfile import LAYOUTS, ValueParseError, parse_datetime, parse_decimal

pytestmark = pytest.mark.unit

SETTLEMENT = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
SETTLEMENT_COLS = [c.name for c in LAYOUTS[SETTLEMENT].columns]


@pytest.mark.parametrize(
    ("raw", "decimal_comma", "expected"),
    [
        ("95,00", True, "95.00"),
        ("1.234,56", True, "1234.56"),
        ("1,234.56", False, "1234.56"),
        ("1 234,56", True, "1234.56"),
        ("1\u00a0234,56", None, "1234.56"),
        ("32.09    ", None, "32.09"),
        ("-3,50", True, "-3.50"),
        ("-1.234,5", None, "-1234.5"),
        ("1,234", False, "1234"),
        ("1,234", True, "1.234"),
        ("1.234", True, "1234"),
        ("1.234.567,89", None, "1234567.89"),
        ("0", None, "0"),
        ("12", True, "12"),
    ],
    ids=lambda v: repr(v),
)
def test_decimal_local_formats(raw, decimal_comma, expected):
    value = parse_decimal(raw, decimal_comma=decimal_comma)
    assert isinstance(value, Decimal) and value == Decimal(expected) and str(value) == expected


@pytest.mark.parametrize("raw", ["1,234", "abc", "1.23,4", "12,34,56", "--1", ""])
def test_decimal_rejects_ambiguous_or_bad(raw):
    with pytest.raises(ValueParseError):
        parse_decimal(raw)


@pytest.mark.parametrize(
    ("raw", "market", "expected"),
    [
        ("2025-10-16T12:22:13+00:00", None, datetime(2025, 10, 16, 12, 22, 13, tzinfo=UTC)),
        ("2025-10-16T14:22:13+02:00", None, datetime(2025, 10, 16, 12, 22, 13, tzinfo=UTC)),
        ("2025-06-09 05:23:19 UTC", None, datetime(2025, 6, 9, 5, 23, 19, tzinfo=UTC)),
        ("09.06.2025 05:23:19 UTC", None, datetime(2025, 6, 9, 5, 23, 19, tzinfo=UTC)),
        ("09.06.2025", None, datetime(2025, 6, 9, tzinfo=UTC)),
        ("2025/06/09", None, datetime(2025, 6, 9, tzinfo=UTC)),
        ("06/09/2025", "US", datetime(2025, 6, 9, tzinfo=UTC)),
        ("09/06/2025", "UK", datetime(2025, 6, 9, tzinfo=UTC)),
        ("09/06/2025 10:00:00", "DE", datetime(2025, 6, 9, 8, 0, tzinfo=UTC)),  # Berlin summer time
    ],
)
def test_date_formats(raw, market, expected):
    assert parse_datetime(raw, marketplace=marketplaces.get(market) if market else None) == expected


@pytest.mark.parametrize(
    ("raw", "market"),
    [
        ("06/09/2025", None),
        ("13/06/2025", "US"),
        ("2025-06-09 05:23", None),
        ("31.02.2025", None),
        ("June 9", None),
    ],
)
def test_dates_never_guessed(raw, market):
    with pytest.raises(ValueParseError):
        parse_datetime(raw, marketplace=marketplaces.get(market) if market else None)


def _settlement(rows: list[dict[str, str]]) -> str:
    lines = ["\t".join(SETTLEMENT_COLS)]
    lines += ["\t".join(r.get(c, "") for c in SETTLEMENT_COLS) for r in rows]
    return "\n".join(lines) + "\n"


SUMMARY = {
    "settlement-id": "123",
    "settlement-start-date": "01.06.2025 00:00:00 UTC",
    "settlement-end-date": "15.06.2025 00:00:00 UTC",
    "deposit-date": "17.06.2025 00:00:00 UTC",
    "total-amount": "1.234,56",
    "currency": "EUR",
}
REFUND = {
    "settlement-id": "123",
    "transaction-type": "Refund",
    "order-id": "302-1",
    "marketplace-name": "Amazon.de",
    "amount-type": "ItemPrice",
    "amount-description": "Principal",
    "amount": "-95,00",
    "posted-date": "09.06.2025",
    "posted-date-time": "09.06.2025 05:23:19 UTC",
    "sku": "SKU-1",
    "quantity-purchased": "1",
}


def test_settlement_eu_decimals_summary_and_utf8_bom():
    data = codecs.BOM_UTF8 + _settlement(
        [SUMMARY, REFUND, {**REFUND, "amount-description": "Commission", "amount": "14,25"}]
    ).encode("utf-8")
    parsed = parse_report(SETTLEMENT, data, marketplace_id="DE", encoding="utf-8")
    assert parsed.errors == () and parsed.encoding == "utf-8-sig"
    assert parsed.summary["total-amount"] == Decimal("1234.56")
    assert parsed.summary["deposit-date"] == datetime(2025, 6, 17, tzinfo=UTC)
    assert [r["amount"] for r in parsed.rows] == [Decimal("-95.00"), Decimal("14.25")]
    assert parsed.rows[0]["posted-date-time"] == datetime(2025, 6, 9, 5, 23, 19, tzinfo=UTC)
    assert parsed.rows[0]["quantity-purchased"] == 1 and parsed.rows[0]["promotion-id"] is None


def test_bad_row_quarantined_good_rows_kept():
    text = _settlement(
        [SUMMARY, REFUND, {**REFUND, "amount": "9x,00"}, {**REFUND, "posted-date": "June 9"}, REFUND]
    )
    parsed = parse_report(SETTLEMENT, text.encode("iso-8859-1"), marketplace_id="DE", encoding="ISO-8859-1")
    assert len(parsed.rows) == 2 and parsed.bad_rows == (4, 5)
    (e1, e2) = parsed.errors
    assert (e1.row_number, e1.column, e1.value) == (4, "amount", "9x,00") and "decimal" in e1.rule
    assert (e2.row_number, e2.column) == (5, "posted-date") and "datetime" in e2.rule


def test_field_count_error():
    text = _settlement([SUMMARY, REFUND]) + "123\tonly-two\n"
    parsed = parse_report(SETTLEMENT, text, marketplace_id="DE")
    assert parsed.errors[0].row_number == 4 and "field-count" in parsed.errors[0].rule


def test_unknown_layout_names_missing_columns():
    header = "\t".join(c for c in SETTLEMENT_COLS if c not in ("amount", "posted-date"))
    with pytest.raises(UnknownLayoutError) as err:
        parse_report(SETTLEMENT, header + "\n")
    assert err.value.missing == ("amount", "posted-date") and "amount" in str(err.value)
    with pytest.raises(UnknownLayoutError, match="unknown report type"):
        parse_report("GET_SOMETHING_ELSE", "a\tb\n")


def test_returns_cp932_japanese_and_optional_columns_missing():
    cols = [
        "return-date",
        "order-id",
        "sku",
        "asin",
        "fnsku",
        "product-name",
        "quantity",
        "fulfillment-center-id",
        "detailed-disposition",
        "reason",
    ]  # no status / license-plate-number / customer-comments
    row = [
        "2025-06-09T05:23:19+09:00",
        "250-1234567-1234567",
        "SKU-JP",
        "B000",
        "X000",
        "デジタルカメラ 黒",
        "2",
        "NRT1",
        "SELLABLE",
        "商品が破損",
    ]
    data = ("\t".join(cols) + "\r\n" + "\t".join(row) + "\r\n").encode("cp932")
    parsed = parse_report(
        "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA", data, marketplace_id="JP", encoding="Windows-31J"
    )
    assert parsed.errors == () and parsed.encoding == "cp932"
    (r,) = parsed.rows
    assert r["product-name"] == "デジタルカメラ 黒" and r["reason"] == "商品が破損" and r["quantity"] == 2
    assert r["return-date"] == datetime(2025, 6, 8, 20, 23, 19, tzinfo=UTC)


def test_reimbursements_us_dates_and_amounts():
    cols = [c.name for c in LAYOUTS["GET_FBA_REIMBURSEMENTS_DATA"].columns]
    values = {
        "approval-date": "06/09/2025",
        "reimbursement-id": "R1",
        "reason": "Lost_Warehouse",
        "sku": "S",
        "fnsku": "F",
        "asin": "A",
        "condition": "New",
        "currency-unit": "USD",
        "amount-per-unit": "1,234.50",
        "amount-total": "2,469.00",
        "quantity-reimbursed-cash": "2",
        "quantity-reimbursed-inventory": "0",
        "quantity-reimbursed-total": "2",
    }
    text = "\t".join(cols) + "\n" + "\t".join(values.get(c, "") for c in cols) + "\n"
    (r,) = parse_report("GET_FBA_REIMBURSEMENTS_DATA", text, marketplace_id="US").rows
    assert r["approval-date"] == datetime(2025, 6, 9, tzinfo=UTC) and r["amount-total"] == Decimal("2469.00")
